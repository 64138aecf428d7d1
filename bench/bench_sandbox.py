"""What the grading kernel's sandbox costs (autograder/sandbox/).

1. Kernel start to its `kernel_info` reply, through the kernel manager nbgrader would use:
   jupyter_client's AsyncKernelManager (ipc sockets, as nbgrader_config.py sets) against
   SandboxedKernelManager, alternating, --runs times each.
2. `import matplotlib.pyplot` inside a sandbox, three ways: the grader's font cache copied in
   (what the sandbox does), an empty MPLCONFIGDIR (matplotlib builds the cache), and the
   grader's cache folder bound read-only as MPLCONFIGDIR.

    .venv/bin/python bench/bench_sandbox.py [--runs 10]
"""

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jupyter_client.manager import AsyncKernelManager  # noqa: E402

from autograder import sandbox  # noqa: E402


async def start_to_info(manager_class, cwd):
    folder = tempfile.mkdtemp(prefix="bench-kernel-")
    km = manager_class(kernel_name="python3", transport="ipc", ip=f"{folder}/kernel")
    started = time.perf_counter()
    await km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=60)  # sends kernel_info until it is answered
        return time.perf_counter() - started
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        shutil.rmtree(folder, ignore_errors=True)


def mpl_import(variant):
    """Seconds for `import matplotlib.pyplot` in a sandbox (the interpreter's own start
    excluded), and what matplotlib printed to stderr."""
    settings = sandbox.Sandbox()
    folder = tempfile.mkdtemp(prefix="bench-mpl-")
    uid = sandbox.own_folder(folder, settings)
    env = sandbox.kernel_env(settings, {"MPLBACKEND": "Agg"})
    saved = sandbox.launch._fontlist
    cache = os.path.dirname(saved() or "")
    if variant != "copied":
        sandbox.launch._fontlist = lambda: None
    try:
        launch = sandbox.Launch(settings, settings.program(), folder, None, env, uid)
    finally:
        sandbox.launch._fontlist = saved
    args = launch.args
    if variant == "read-only" and cache:
        at = args.index("--chdir")
        args[at:at] = ["--ro-bind", cache, "/mplcache"]
        args[args.index("MPLCONFIGDIR") + 1] = "/mplcache"
    code = "import time; t = time.perf_counter(); import matplotlib.pyplot; "
    code += "print(time.perf_counter() - t)"
    try:
        done = subprocess.run(
            [*sandbox.wrapper(settings), *args, sys.executable, "-c", code],
            pass_fds=[int(f) for f in launch.fds],
            capture_output=True,
            text=True,
            env={},
            cwd="/",
        )
    finally:
        launch.close()
        shutil.rmtree(folder, ignore_errors=True)
    return float(done.stdout.strip().splitlines()[-1]), done.stderr.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    reason = sandbox.self_test(sandbox.Sandbox())
    if reason:
        sys.exit(sandbox.refusal(reason))
    cwd = tempfile.mkdtemp(prefix="bench-submission-")
    Path(cwd, "notebook.ipynb").write_text("{}")
    times = {"plain": [], "sandboxed": []}
    classes = {"plain": AsyncKernelManager, "sandboxed": sandbox.SandboxedKernelManager}
    asyncio.run(start_to_info(AsyncKernelManager, cwd))  # warm the file cache
    for _ in range(options.runs):
        for name, cls in classes.items():
            times[name].append(asyncio.run(start_to_info(cls, cwd)))
    shutil.rmtree(cwd, ignore_errors=True)
    print(f"kernel start to kernel_info reply, {options.runs} runs each (median, min-max):")
    for name, values in times.items():
        print(
            f"  {name:10} {statistics.median(values):.3f} s  ({min(values):.3f}-{max(values):.3f})"
        )
    ratio = statistics.median(times["sandboxed"]) / statistics.median(times["plain"])
    print(f"  ratio sandboxed/plain: {ratio:.2f}")
    print("import matplotlib.pyplot in a sandbox (3 runs each, median):")
    for variant in ("copied", "empty", "read-only"):
        results = [mpl_import(variant) for _ in range(3)]
        seconds = statistics.median(r[0] for r in results)
        note = results[-1][1].splitlines()[-1][:100] if results[-1][1] else "no stderr"
        print(f"  {variant:10} {seconds:.3f} s   stderr: {note}")


if __name__ == "__main__":
    main()
