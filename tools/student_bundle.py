"""The student bundle: what a course hands out, with nothing of source/ or autograder/.

    python tools/student_bundle.py OUT.zip [--wheel PATH]      (`make student-bundle`)

OUT.zip holds one folder, backprop-student/:
  release/                  the student notebooks (`make release`)
  <the course wheel>        the `course` package (dist/, `make wheel`)
  requirements.txt          requirements/student.txt: the student lock, with hashes
  environment.yml           the same for conda (conda-forge), the wheel under pip:
  binder/                   repo2docker / Binder: a JupyterHub student image
  README.md                 how to install and start
"""

import argparse
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = "backprop-student"

README = """# Backprop from Scratch: student materials

Each chapter is a notebook in `release/`. Install once (Python 3.11), in a fresh virtual
environment, then open the first chapter:

```bash
python3.11 -m venv .venv && source .venv/bin/activate   # Windows: .venv\\Scripts\\activate
pip install --require-hashes -r requirements.txt          # pinned, checked by hash
pip install --no-deps {wheel}
jupyter lab release/01_dense_layers/01_dense_layers.ipynb
```

With conda instead: `conda env create -f environment.yml`, then
`conda activate backprop-from-scratch`.

Fill in the cells marked `# YOUR CODE HERE`, then run the test cell below each exercise: it
runs *visible checks* on the worked example. Grading also runs hidden tests on fresh inputs.

For a JupyterHub or Binder: `binder/` configures repo2docker
(`repo2docker backprop-student/` builds the image students start).
"""

POST_BUILD = """#!/bin/bash
# repo2docker runs this in the bundle's folder, after installing binder/requirements.txt.
set -euo pipefail
pip install --no-cache-dir --no-deps ./{wheel}
"""


def default_wheel():
    wheels = sorted((ROOT / "dist").glob("backprop_from_scratch-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one course wheel in dist/, found {len(wheels)}: run `make wheel`")
    return wheels[0]


def environment_yml(wheel):
    """The student environment.yml with the wheel added to its pip: list."""
    text = (ROOT / "environment.yml").read_text()
    pip_items = re.search(r"^( *)- nnfs==.*$", text, flags=re.MULTILINE)
    if not pip_items:
        sys.exit("environment.yml: no nnfs line under pip:")
    indent = pip_items[1]
    return text[: pip_items.end()] + f"\n{indent}- ./{wheel}" + text[pip_items.end() :]


def build(out, wheel):
    with tempfile.TemporaryDirectory() as scratch:
        top = Path(scratch) / TOP
        shutil.copytree(
            ROOT / "release",
            top / "release",
            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
        )
        shutil.copy(wheel, top / wheel.name)
        lock = (ROOT / "requirements" / "student.txt").read_text()
        (top / "requirements.txt").write_text(lock)
        (top / "environment.yml").write_text(environment_yml(wheel.name))
        (top / "README.md").write_text(README.format(wheel=wheel.name))
        (top / "binder").mkdir()
        (top / "binder" / "requirements.txt").write_text(lock)
        post_build = top / "binder" / "postBuild"
        post_build.write_text(POST_BUILD.format(wheel=wheel.name))
        post_build.chmod(0o755)

        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(top.rglob("*")):
                if path.is_file():
                    arcname = path.relative_to(scratch).as_posix()
                    info = zipfile.ZipInfo.from_file(path, arcname)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    bundle.writestr(info, path.read_bytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--wheel", type=Path, help="the course wheel (default: dist/'s)")
    args = parser.parse_args()
    build(args.out, args.wheel or default_wheel())
    print(f"{args.out}: release/, {(args.wheel or default_wheel()).name}, student requirements")


if __name__ == "__main__":
    main()
