"""Grading a synthetic class three ways in one run: serial nbgrader, our pipeline, the lower bound.

    .venv/bin/python bench/bench_grading.py [--students 40] [--chapters CH ...] [--workers N]
        [--repeats R] [--no-profile] [--keep DIR]

The class: `--students` students x the chapters (default: every chapter in source/), a mix built
with autograder/examples.py's helpers: correct (the reference solution, or the chapter's
alternative right solutions from autograder/mutants), buggy (one or two exercises replaced by a
realistic mutant), blank (the release notebook), broken (a syntax error in a solution cell) and
damaged (invalid JSON). Two scratch copies of the course get the same submissions, each with its
own SQLite gradebook (`nbgrader generate_assignment` first, not timed).

Timed, in one run:
- serial nbgrader: `nbgrader autograde CHAPTER --force` once per chapter (nbgrader grades the
  students one after another in one process), then `nbgrader generate_feedback` and `export`;
- our pipeline: `python -m autograder grade CHAPTER... --workers N --no-feedback --no-report`
  (grading only, to compare with serial autograde), then the same without those flags (every
  submission is graded already: feedback, export and summary only);
- the lower bound: every gradable notebook as nbgrader executes it (autograded, hidden tests
  restored, outputs cleared) run once with nbclient, in the kernel grading starts (its
  arguments from nbgrader_config.py, NBGRADER_EXECUTION set: the course's notebooks
  skip their interactive demos under grading), kernel start included and the kernel stopped
  right after the last cell: serially in one process, and in N processes.

With `--repeats R`, serial nbgrader, the pipeline's grading and the serial lower bound run R
times each, in rotating order, and the best wall time of each is kept.

Goals (issue 6): pipeline >= 1.8x faster than serial nbgrader on 2 cores, and within 1.3x of the
lower bound per core (serial lower bound / cores). Then, unless --no-profile, where the time goes:
nbgrader's import, a bare kernel's start, and a profile of the worker grading a few submissions.

CPU seconds: each timed command runs in a cgroup of its own (cgroup v1 cpuacct, or v2 cpu.stat,
where this machine lets the bench make one), so every process it starts counts, sandboxed kernels
included (they end inside bubblewrap's PID namespace and are never reaped by the command, so
getrusage misses them). Peak memory: the same cgroup's memory high-water mark (page cache
included). Without cgroups the bench falls back to getrusage and says so.

The floor (`floor_notebooks`): up to --floor-sample of each chapter's graded notebooks (the
pipeline's own autograded copies, outputs cleared) are run again, each in a kernel that is
already started and has already imported numpy, matplotlib, nnfs and course; the floor counts
the kernel's CPU while the cells run (from /proc) plus the grader's CPU in the hidden checks.
The pipeline's CPU per notebook is printed as a ratio to it, with the fixed costs beside it:
kernel start, the course's imports, sandbox start, feedback, and the rest (nbgrader's
bookkeeping: gradebook, sanitize, copies).
Other processes share this machine: the load average is printed before and after; ratios come
from measurements taken minutes apart, so a busy machine blurs them. PYTHONDONTWRITEBYTECODE=1
is set in this environment: course modules (autograder/, course/) are compiled again in every
process and kernel (site-packages keep the .pyc files pip wrote).
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBCOMMANDS = ("--execute", "--profile-worker", "--floor")
# The bench's own subprocesses run inside a scratch course and import that course's autograder/
# (as its kernels and nbgrader_config.py do); the bench itself imports the repository's.
_sub = len(sys.argv) > 2 and sys.argv[1] in SUBCOMMANDS
sys.path.insert(0, sys.argv[2] if _sub else str(ROOT))

from autograder import examples  # noqa: E402
from autograder import notebooks as nbs  # noqa: E402

COLD = "BACKPROP_WARM_KERNELS"  # =0: every grading kernel starts cold (autograder/warm.py)
KINDS = ("correct", "correct", "correct", "alternative", "buggy", "buggy", "buggy", "blank")
KINDS += ("syntax_error", "invalid_json")


def env():
    environ = dict(os.environ)
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"
    environ.setdefault("MPLBACKEND", "Agg")
    return environ


def run(cmd, cwd, check=True, extra_env=None):
    environ = {**env(), **(extra_env or {})}
    result = subprocess.run(cmd, cwd=cwd, env=environ, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"{cmd} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def cpu_seconds():
    """CPU time of this process and of its reaped descendants (nbgrader, workers, kernels)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def timed(label, fn):
    """(wall seconds, CPU seconds, value): CPU counts every process the call ran and waited
    for, so it measures the work done whatever else runs on the machine."""
    start, cpu = time.perf_counter(), cpu_seconds()
    value = fn()
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(
        f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, load {os.getloadavg()[0]:.1f}", flush=True
    )
    return wall, cpu, value


# ---- honest CPU and memory: a cgroup per timed command ---------------------------------------


def _cgroup_folders():
    """{kind: folder} where this process may make child cgroups: cpu and memory."""
    found = {}
    mounts = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        fstype = fields[fields.index("-") + 1]
        if fstype in ("cgroup", "cgroup2"):
            mounts[fields[4]] = (fstype, fields[-1].split(","), fields[3])
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for mount, (fstype, options, root) in mounts.items():
            inside = os.path.join(mount, os.path.relpath(path, root).lstrip("."))
            if fstype == "cgroup2" and controllers == "":
                found.setdefault("cpu2", inside)
            elif (
                fstype == "cgroup" and "cpuacct" in controllers.split(",") and "cpuacct" in options
            ):
                found["cpuacct"] = inside
            elif fstype == "cgroup" and controllers == "memory" and "memory" in options:
                found["memory"] = inside
    return {k: v for k, v in found.items() if os.access(v, os.W_OK)}


class Meter:
    """CPU seconds and peak memory of a command and every process it starts (see the module
    docstring); `prefix` goes in front of the command (it joins the cgroups, then execs)."""

    def __init__(self, label):
        self.groups = {}
        for kind, parent in _cgroup_folders().items():
            folder = os.path.join(parent, f"bench-{os.getpid()}-{label}-{kind}")
            try:
                os.mkdir(folder)
            except OSError:
                continue
            self.groups[kind] = folder
        if "cpuacct" in self.groups and "cpu2" in self.groups:
            os.rmdir(self.groups.pop("cpu2"))
        joins = "; ".join(f"echo $$ > {g}/cgroup.procs" for g in self.groups.values())
        self.prefix = ["sh", "-c", f'{joins}; exec "$@"', "meter"] if joins else []
        self.rusage = cpu_seconds()

    def cpu(self):
        if "cpuacct" in self.groups:
            return int(Path(self.groups["cpuacct"], "cpuacct.usage").read_text()) / 1e9
        if "cpu2" in self.groups:
            stat = Path(self.groups["cpu2"], "cpu.stat").read_text().split()
            return int(stat[stat.index("usage_usec") + 1]) / 1e6
        return cpu_seconds() - self.rusage  # reaped processes only: sandboxed kernels missed

    def peak(self):
        """Peak memory in bytes (the cgroup's high-water mark, page cache included), or the
        largest reaped process's peak RSS."""
        if "memory" in self.groups:
            return int(Path(self.groups["memory"], "memory.max_usage_in_bytes").read_text())
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024

    def how(self):
        cpu = "cgroup" if {"cpuacct", "cpu2"} & set(self.groups) else "getrusage (kernels missed)"
        memory = "cgroup, page cache included" if "memory" in self.groups else "largest process"
        return f"CPU: {cpu}; peak memory: {memory}"

    def close(self):
        for folder in self.groups.values():
            try:
                os.rmdir(folder)
            except OSError:
                pass


def measured(label, cmd, cwd, extra_env=None):
    """(wall s, CPU s, peak bytes, result, how) of `cmd`, every process it starts counted."""
    meter = Meter(label.split(",")[0].replace(" ", "_"))
    start = time.perf_counter()
    try:
        result = run([*meter.prefix, *cmd], cwd, extra_env=extra_env)
        wall, cpu, peak = time.perf_counter() - start, meter.cpu(), meter.peak()
    finally:
        meter.close()
    print(
        f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak / 2**20:.0f} MiB, "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return wall, cpu, peak, result, meter.how()


# ---- the floor: a notebook's own cells and hidden checks, in a warm kernel ---------------------

PREIMPORT = "import numpy, matplotlib, matplotlib.pyplot, nnfs, course"


def _process_cpu(pid):
    """CPU seconds of process `pid` so far (user + system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def floor_notebooks(course, paths):
    """(run by floor(), in its own process) For each notebook: a plain kernel (the bench's own
    notebooks: no sandbox needed to measure them), started and warmed with the course's
    imports, then the notebook graded in it by autograder/execute.py's GradeInGrader. Prints
    JSON rows: kernel start and import CPU, the cells' CPU in the kernel, the hidden checks'
    CPU in this process."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient.util import run_sync

    from autograder import execute, hidden_tests, limits

    spent = [0.0]
    original = hidden_tests.run

    def counted(hidden, channel):
        start = time.process_time()
        try:
            return original(hidden, channel)
        finally:
            spent[0] += time.process_time() - start

    hidden_tests.run = counted
    sockets = tempfile.mkdtemp(prefix="bench-floor-")
    environ = {k: v for k, v in env().items() if k != "PYTHONPATH"}
    environ["NBGRADER_EXECUTION"] = "autograde"
    arguments = limits.kernel_arguments(limits.memory_limit())
    rows = []
    for path in paths:
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
        run_sync(km.start_kernel)(extra_arguments=arguments, cwd=str(path.parent), env=environ)
        pid = km.provisioner.process.pid
        kc = km.client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
        started = _process_cpu(pid)
        run_sync(kc.execute_interactive)(PREIMPORT, timeout=60)
        imported = _process_cpu(pid)
        kc.stop_channels()
        nb = nbformat.read(str(path), as_version=4)
        before = spent[0]
        grader = execute.GradeInGrader(timeout=60)
        grader.preprocess(nb, {"metadata": {"path": str(path.parent)}}, km=km)
        cells = _process_cpu(pid) - imported
        run_sync(km.shutdown_kernel)(now=True)
        rows.append(
            {
                "chapter": path.parent.name,
                "start": started,
                "imports": imported - started,
                "cells": cells,
                "hidden": spent[0] - before,
            }
        )
    shutil.rmtree(sockets, ignore_errors=True)
    print(json.dumps({"rows": rows, "warm": warm_start()}))


def warm_start(repeats=3):
    """CPU seconds of a warm kernel from fork to ready (its watcher's wait4, after an immediate
    shutdown), and the template's own imports; None where kernels cannot be forked here."""
    from autograder import warm

    if os.geteuid() != 0 or not warm.WarmKernels().on():
        return None
    costs = []

    async def one():
        km = warm.WarmKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=tempfile.gettempdir())
        process = km.provisioner.process
        if not isinstance(process, warm.WarmProcess):
            await km.shutdown_kernel(now=True)
            return
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        costs.append(process.cpu)

    import asyncio

    for _ in range(repeats):
        asyncio.run(one())
    if not costs:
        return None
    template = sum(t.cpu for t in warm._templates.values())
    return {"fork": sorted(costs)[len(costs) // 2], "template": template}


def floor(course, chapters, sample, scratch):
    """Per chapter: mean floor rows (see floor_notebooks) over up to `sample` notebooks; and
    the warm kernels' start costs (warm_start)."""
    import nbformat

    paths = []
    for chapter in chapters:
        found = sorted((course / "autograded").glob(f"*/{chapter}/{chapter}.ipynb"))[:sample]
        for path in found:
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            target = scratch / "floor" / path.relative_to(course / "autograded")
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
            paths.append(str(target))
    listing = scratch / "floor.json"
    listing.write_text(json.dumps(paths))
    result = run([sys.executable, __file__, "--floor", str(course), str(listing)], course)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    rows = found["rows"]
    per = {}
    for chapter in chapters:
        mine = [r for r in rows if r["chapter"] == chapter]
        if mine:
            per[chapter] = {
                k: sum(r[k] for r in mine) / len(mine) for k in mine[0] if k != "chapter"
            }
            per[chapter]["n"] = len(mine)
    return per, found["warm"]


def sandbox_start(course, repeats=5):
    """CPU seconds a bubblewrap sandbox adds to starting a process: `python -S -c pass` in
    the grading sandbox (autograder/sandbox/'s command line, limits included) against the
    same unsandboxed, both metered by cgroup; the median difference. None when the sandbox
    cannot start here."""
    from autograder import sandbox

    settings = sandbox.Sandbox()
    if sandbox.self_test(settings):
        return None
    plain = [sys.executable, "-S", "-c", "pass"]
    differences = []
    for _ in range(repeats):
        folder = tempfile.mkdtemp(prefix="bench-sandbox-")
        uid = sandbox.own_folder(folder, settings)
        launch = sandbox.Launch(settings, settings.program(), folder, None, {}, uid)
        wrapped = [*sandbox.wrapper(settings), *launch.args, *plain]
        costs = []
        try:
            for cmd, fds in ((wrapped, launch.fds), (plain, [])):
                meter = Meter("sandbox")
                try:
                    subprocess.run(
                        [*meter.prefix, *cmd], cwd="/", pass_fds=[int(f) for f in fds], check=True
                    )
                    costs.append(meter.cpu())
                finally:
                    meter.close()
        finally:
            launch.close()
            shutil.rmtree(folder, ignore_errors=True)
        differences.append(costs[0] - costs[1])
    return sorted(differences)[len(differences) // 2]


def paired(runs, a, b, label):
    """Ratios a/b of the runs made back to back in each repeat (they hold while the machine's
    load drifts): median, min and max."""
    pairs = list(zip(runs[a], runs[b], strict=True))
    for what, i in (("wall", 0), ("CPU", 1)):
        ratios = sorted(x[i] / y[i] for x, y in pairs)
        print(
            f"{label}, {what}: median {ratios[len(ratios) // 2]:.2f} "
            f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f}, {len(ratios)} pairs)"
        )


# ---- the class -------------------------------------------------------------------------------


def make_course(folder, chapters, tree=ROOT):
    """A scratch course from `tree` (this checkout, or a baseline commit's worktree)."""
    folder.mkdir(parents=True)
    shutil.copy(tree / "nbgrader_config.py", folder)
    for name in ("autograder", "course"):
        shutil.copytree(tree / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    for step in ("source", "release"):
        for chapter in chapters:
            shutil.copytree(tree / step / chapter, folder / step / chapter)
    for chapter in chapters:
        run(["nbgrader", "generate_assignment", chapter, "--force", "--log-level=ERROR"], folder)
    return folder


def submission(chapter, kind, rng):
    """A submitted notebook's text."""
    exercises = list(nbs.exercises(nbs.load(nbs.notebook_path(chapter, "source"))))
    try:
        module = examples.mutants(chapter)
    except ImportError:
        module = None
    if kind == "alternative" and module is not None and getattr(module, "CORRECT", None):
        replacements = {ex: rng.choice(list(v.values())) for ex, v in module.CORRECT.items() if v}
        nb = examples.filled(chapter, replacements)
    elif kind == "buggy" and module is not None and module.MUTANTS:
        chosen = rng.sample(sorted(module.MUTANTS), k=min(len(module.MUTANTS), rng.choice([1, 2])))
        replacements = {ex: rng.choice(list(module.MUTANTS[ex].values()))["code"] for ex in chosen}
        nb = examples.filled(chapter, replacements)
    elif kind == "blank":
        nb = nbs.load(nbs.notebook_path(chapter, "release"))
    elif kind == "syntax_error":
        nb = examples.filled(chapter, {exercises[0]: "def broken(:\n    return 1\n"})
    elif kind == "invalid_json":
        return '{"cells": [ {"cell_type": "code", "source": "x = 1" '
    else:
        nb = examples.filled(chapter)
    return json.dumps(nb, indent=1)


def write_class(courses, chapters, students, seed=0):
    rng = random.Random(seed)
    counts = {}
    for i in range(students):
        student = f"student{i:03d}"
        for chapter in chapters:
            kind = KINDS[(i + chapters.index(chapter)) % len(KINDS)]
            counts[kind] = counts.get(kind, 0) + 1
            text = submission(chapter, kind, rng)
            for course in courses:
                path = course / "submitted" / student / chapter / f"{chapter}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return counts


# ---- the lower bound -------------------------------------------------------------------------


def grading_kernel_arguments(course):
    """The grading kernel's extra arguments from nbgrader_config.py (autograder/safety.py's
    limits), so that the lower bound runs the kernel grading runs."""
    from traitlets.config.loader import LazyConfigValue, PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    value = config.Execute.get("extra_arguments", [])
    return list(value.get_value([]) if isinstance(value, LazyConfigValue) else value)


def execute_all(paths, course):
    """Execute each notebook once with nbclient (kernel start included), in the kernel
    grading starts (its arguments); hidden blocks run in that kernel, on the grader's code."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    # Unix sockets, as the grading kernels (nbgrader_config.py, the pipeline's workers)
    sockets = tempfile.mkdtemp(prefix="bench-kernels-")
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = f"{sockets}/kernel"
    os.environ["PYTHONPATH"] = str(course)  # hidden tests import autograder, as nbgrader's kernels
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # as nbgrader sets it: notebooks skip demos
    arguments = grading_kernel_arguments(course)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        resources = {"metadata": {"path": str(path.parent)}}
        client = NotebookClient(
            nb,
            config=config,
            timeout=60,
            shutdown_kernel="immediate",  # as the pipeline: an orderly exit grades nothing
            allow_errors=True,
            extra_arguments=arguments,
            resources=resources,
        )
        client.execute()
    shutil.rmtree(sockets, ignore_errors=True)


def lower_bound_notebooks(course, chapters, scratch):
    """Copies of the autograded notebooks (what nbgrader executes), outputs cleared."""
    import nbformat

    paths = []
    for chapter in chapters:
        for path in sorted((course / "autograded").glob(f"*/{chapter}/{chapter}.ipynb")):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            target = scratch / path.relative_to(course / "autograded")
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
            paths.append(target)
    return paths


def lower_bound(paths, course, processes, scratch):
    """Execute `paths` in `processes` fresh interpreters at once (their slices), and wait."""
    children = []
    for k in range(processes):
        share = [str(p) for p in paths[k::processes]]
        if not share:
            continue
        listing = scratch / f"notebooks-{processes}-{k}.json"
        listing.write_text(json.dumps(share))
        command = [sys.executable, __file__, "--execute", str(course), str(listing)]
        children.append(subprocess.Popen(command, cwd=course, env=env()))
    if any(child.wait() for child in children):
        raise SystemExit("a lower-bound process failed")


# ---- where the time goes ---------------------------------------------------------------------


def import_profile():
    """Seconds to import nbgrader's apps, and its three slowest imports."""
    result = run([sys.executable, "-X", "importtime", "-c", "import nbgrader.apps"], ROOT)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[0].split(":")[1]), int(parts[1]), parts[2].strip()))
    total = max(r[1] for r in rows) / 1e6
    slowest = sorted(rows, reverse=True)[:3]
    return total, [(name, self_us / 1e6) for self_us, _, name in slowest]


def kernel_start(repeats=5):
    """Seconds to start a python3 kernel (on Unix sockets), wait until it answers, and stop it
    (at once, as the pipeline does)."""
    from jupyter_client.manager import KernelManager

    sockets = tempfile.mkdtemp(prefix="bench-kernels-")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        times.append(time.perf_counter() - start)
    shutil.rmtree(sockets, ignore_errors=True)
    return sum(times) / len(times)


def worker_profile(course, chapter, students):
    """cProfile of the pipeline's worker grading `students`, in a fresh process in `course`."""
    command = [sys.executable, __file__, "--profile-worker", str(course), chapter, *students]
    result = run(command, course)
    return json.loads(result.stdout.strip().splitlines()[-1])


def profile_worker(course, chapter, students):
    """(run by worker_profile) per-submission seconds, and the part of it spent in each stage."""
    os.chdir(course)
    from autograder.pipeline import db, state, worker

    settings = worker.Settings(
        root=str(course),
        db_url=db.normalize(f"sqlite:///{course}/gradebook.db"),
        state=str(state.state_dir(course)),
        staged_dir=str(course / ".grading" / "staged"),
    )
    worker.start(settings, redirect=False)
    tasks = [
        worker.Task(chapter, s, "grade", state.submission_hash(course / "submitted" / s / chapter))
        for s in students
    ]
    worker.grade_one(tasks[0])  # warm: first-use imports
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for task in tasks[1:]:
        worker.grade_one(task)
    profile.disable()
    n = max(len(tasks) - 1, 1)
    wanted = {
        "Execute (kernel start, cells, shutdown)": ("execute.py", "preprocess"),
        "Gradebook() opened": ("api.py", "__init__"),
        "SQLAlchemy statements": ("session.py", "execute"),
        "nbformat validation": ("validator.py", "validate"),
        "feedback (GenerateFeedback, checks)": ("worker.py", "write_feedback"),
        "staging (check and copy the submission)": ("worker.py", "stage"),
    }
    found = {}
    for (filename, _, name), row in pstats.Stats(profile).stats.items():
        for label, (file_end, function) in wanted.items():
            if filename.endswith(file_end) and name == function and label not in found:
                found[label] = row[3] / n
    print(json.dumps({"per": (time.perf_counter() - start) / n, "found": found}))


# ---- main --------------------------------------------------------------------------------------


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--execute":  # a lower-bound process
        course = Path(argv[1])
        os.chdir(course)
        execute_all([Path(p) for p in json.loads(Path(argv[2]).read_text())], course)
        return 0
    if argv and argv[0] == "--floor":
        os.chdir(argv[1])
        floor_notebooks(Path(argv[1]), [Path(p) for p in json.loads(Path(argv[2]).read_text())])
        return 0
    if argv and argv[0] == "--profile-worker":
        profile_worker(Path(argv[1]), argv[2], argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--chapters", nargs="+", default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument(
        "--repeats", type=int, default=1, help="alternating serial/pipeline runs (best is kept)"
    )
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--compare-cold",
        action="store_true",
        help=f"also grade the class with cold kernels ({COLD}=0), paired with each pipeline run",
    )
    parser.add_argument(
        "--floor-sample",
        type=int,
        default=10,
        help="graded notebooks per chapter run again in a warm kernel for the floor",
    )
    parser.add_argument("--keep", metavar="DIR", help="build the courses here and keep them")
    parser.add_argument(
        "--baseline",
        metavar="GIT_REF",
        help="also grade the same class with that commit's pipeline, alternating with this "
        "one's, and print the ratio (`python -m autograder grade` runs the course's own copy)",
    )
    parser.add_argument(
        "--pipelines-only",
        action="store_true",
        help="time only the pipeline (and the baseline's): no serial nbgrader, no lower bound",
    )
    args = parser.parse_args(argv)
    chapters = args.chapters or nbs.chapters()
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="bench-grading-"))
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}")
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, load average: {os.getloadavg()}")

    serial_course = make_course(scratch / "serial", chapters)
    pipeline_course = make_course(scratch / "pipeline", chapters)
    courses = [serial_course, pipeline_course]
    if args.baseline:
        tree = scratch / "baseline-tree"
        run(["git", "worktree", "add", "--detach", str(tree), args.baseline], ROOT)
        baseline_course = make_course(scratch / "baseline", chapters, tree=tree)
        run(["git", "worktree", "remove", "--force", str(tree)], ROOT)
        courses.append(baseline_course)
    if args.compare_cold:
        cold_course = make_course(scratch / "cold", chapters)
        courses.append(cold_course)
    counts = write_class(courses, chapters, args.students)
    total = sum(counts.values())
    gradable = total - counts.get("invalid_json", 0)
    print(
        f"class: {args.students} students x {len(chapters)} chapters = {total} submissions {counts}"
    )

    autograde = ["nbgrader", "autograde", "--force", "--log-level=ERROR"]
    feedback = ["nbgrader", "generate_feedback", "--force", "--log-level=ERROR"]
    grade = [sys.executable, "-m", "autograder", "grade", *chapters, "--workers", str(args.workers)]
    grade_only = [*grade, "--no-feedback", "--no-report", "--regrade"]
    # one nbgrader autograde per chapter, all under one meter (a failure is nbgrader's to log)
    serial_script = scratch / "autograde-one"
    serial_script.write_text(f'#!/bin/sh\nexec {" ".join(autograde)} "$1" || true\n')
    serial_script.chmod(0o755)
    serial_all = ["sh", "-c", f'for c in "$@"; do {serial_script} "$c"; done', "serial", *chapters]
    labels = {
        "serial": "serial nbgrader autograde",
        "pipeline": "pipeline, grading only",
        "lower": "lower bound, serial",
    }
    if args.pipelines_only:
        del labels["serial"], labels["lower"]
    if args.baseline:
        labels["baseline"] = f"baseline {args.baseline} pipeline, grading only"
    if args.compare_cold:
        labels["cold"] = f"pipeline, cold kernels ({COLD}=0), grading only"
    notebooks = []  # the lower bound runs what the first serial run autograded
    jobs = {
        "serial": lambda: measured(labels["serial"], serial_all, serial_course),
        "pipeline": lambda: measured(labels["pipeline"], grade_only, pipeline_course),
        "lower": lambda: timed(
            labels["lower"], lambda: lower_bound(notebooks, serial_course, 1, scratch)
        ),
        "baseline": lambda: measured(labels["baseline"], grade_only, courses[2]),
        "cold": lambda: measured(labels["cold"], grade_only, courses[-1], {COLD: "0"}),
    }
    runs = {name: [] for name in labels}
    for repeat in range(args.repeats):
        # the machine's load drifts: rotate the order, keep each one's best
        for name in list(labels)[:: 1 if repeat % 2 == 0 else -1]:
            if name == "lower" and not notebooks:
                notebooks += lower_bound_notebooks(serial_course, chapters, scratch / "lower_bound")
            runs[name].append(jobs[name]())
    best = {name: min(runs[name], key=lambda r: r[0]) for name in labels}
    pipeline = best["pipeline"]
    print(f"\n({pipeline[4]}; load average now {os.getloadavg()})")
    if args.baseline:
        paired(runs, "pipeline", "baseline", f"pipeline / baseline {args.baseline}")
        for name in ("pipeline", "baseline"):
            print(f"  {name} wall s, each run: {[round(r[0], 1) for r in runs[name]]}")
    if args.compare_cold:
        paired(runs, "pipeline", "cold", "pipeline (warm kernels) / cold kernels")

    # the floor and the fixed costs, against the pipeline's CPU per notebook
    pipeline_rest = measured("pipeline, feedback + report", grade, pipeline_course)
    per, warm_cost = floor(pipeline_course, chapters, args.floor_sample, scratch)
    graded = {
        c: len(list((pipeline_course / "autograded").glob(f"*/{c}/{c}.ipynb"))) for c in chapters
    }
    n_graded = sum(graded.values()) or 1
    weighted = {
        k: sum(per[c][k] * graded[c] for c in per) / max(sum(graded[c] for c in per), 1)
        for k in ("start", "imports", "cells", "hidden")
    }
    floor_nb = weighted["cells"] + weighted["hidden"]
    sandbox_cpu = sandbox_start(pipeline_course)
    print(
        "\nthe floor: a notebook's cells (kernel CPU) and hidden checks (grader CPU), in a kernel"
    )
    print("already started and already holding numpy, matplotlib, nnfs and course")
    print(
        f"{'chapter':30} {'graded':>6} {'sample':>6} {'cells s':>8} {'hidden s':>8} {'floor s':>8}"
    )
    for chapter, row in per.items():
        print(
            f"{chapter:30} {graded[chapter]:6d} {row['n']:6d} {row['cells']:8.3f} "
            f"{row['hidden']:8.3f} {row['cells'] + row['hidden']:8.3f}"
        )
    cpu_nb = pipeline[1] / n_graded
    wall_nb = pipeline[0] / n_graded
    feedback_nb = pipeline_rest[1] / n_graded
    cold = weighted["start"] + weighted["imports"] + (sandbox_cpu or 0)
    paid = warm_cost["fork"] if warm_cost else cold  # what the pipeline's kernels pay
    rest = cpu_nb - floor_nb - paid
    print(f"\nper graded notebook ({n_graded} graded of {total} submitted), CPU seconds:")
    print(
        f"  pipeline, grading only:      {cpu_nb:.3f}  ({wall_nb:.3f} s wall, {args.workers} workers)"
    )
    print(f"  floor (class mix):           {floor_nb:.3f}")
    print(f"  pipeline / floor:            {cpu_nb / floor_nb:.2f}  (goal <= 1.3)")
    print("  fixed costs, measured apart:")
    print(f"    cold kernel start (ready): {weighted['start']:.3f}")
    print(f"    the course's imports:      {weighted['imports']:.3f}  ({PREIMPORT})")
    print(
        f"    sandbox start (bwrap):     {'n/a' if sandbox_cpu is None else f'{sandbox_cpu:.3f}'}"
    )
    if warm_cost:
        print(
            f"    warm kernel, fork to ready:{warm_cost['fork']:6.3f}  (what each notebook pays now)"
        )
        print(f"    warm template's imports:   {warm_cost['template']:.3f}  (once per worker)")
    else:
        print("    warm kernels:              off here (not root, or BACKPROP_WARM_KERNELS=0)")
    print(f"    feedback + report:         {feedback_nb:.3f}  (a separate run)")
    print(
        f"  the rest of grading:         {rest:.3f}  (pipeline - floor - kernel start: nbgrader's"
    )
    print("                               bookkeeping (gradebook, sanitize, copies), the grader's")
    print("                               side of each cell, worker start")
    print(f"  peak memory, grading:        {pipeline[2] / 2**20:.0f} MiB ({pipeline[4]})")
    projected = 1800
    print(
        f"\nprojection for {projected} notebooks (300 students x 6 chapters), from this run: "
        f"{projected * cpu_nb / 60:.1f} CPU minutes grading + "
        f"{projected * feedback_nb / 60:.1f} feedback; on {os.cpu_count()} cores at least "
        f"{projected * (cpu_nb + feedback_nb) / os.cpu_count() / 60:.1f} min, at this run's wall "
        f"rate {projected * (wall_nb + pipeline_rest[0] / n_graded) / 60:.1f} min (goal 15)"
    )
    if args.pipelines_only:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        return 0

    serial, lower = best["serial"], best["lower"]
    serial_rest = timed(
        "serial nbgrader generate_feedback + export",
        lambda: (
            [run([*feedback, c], serial_course) for c in chapters]
            + [run(["nbgrader", "export"], serial_course)]
        ),
    )
    graded_line = [line for line in pipeline[3].stdout.splitlines() if line.startswith("graded")]
    lower_parallel = timed(
        "lower bound, parallel",
        lambda: lower_bound(notebooks, serial_course, args.workers, scratch),
    )
    cores = os.cpu_count()

    print(f"\nload average after the timed runs: {os.getloadavg()}")
    print(f"\n{'':46} {'wall s':>8} {'CPU s':>8} {'wall s/nb':>10} {'CPU s/nb':>9}")
    rows = [
        ("serial nbgrader autograde", serial, total),
        (f"pipeline, {args.workers} workers (grading only)", pipeline, total),
        (f"lower bound: nbclient, serial ({len(notebooks)} nb)", lower, len(notebooks)),
        (f"lower bound: nbclient, {args.workers} processes", lower_parallel, len(notebooks)),
        ("serial nbgrader generate_feedback + export", serial_rest, total),
        ("pipeline feedback + export + summary", pipeline_rest, total),
    ]
    for label, (wall, cpu, *_), n in rows:
        print(f"{label:46} {wall:8.1f} {cpu:8.1f} {wall / n:10.2f} {cpu / n:9.2f}")
    print(f"  pipeline: {graded_line[0] if graded_line else 'no summary line'}")
    print("  (lower bound and serial feedback: getrusage, unsandboxed kernels it reaped)")
    if args.repeats > 1:
        print(f"  (serial, pipeline, lower bound: best wall time of {args.repeats} rotating runs)")
    print(
        f"\nspeedup over serial nbgrader autograde: {serial[0] / pipeline[0]:.2f}x (goal >= 1.8x)"
    )
    print(
        f"pipeline / (serial lower bound / {cores} cores): {pipeline[0] / (lower[0] / cores):.2f}; "
        f"pipeline / parallel lower bound: {pipeline[0] / lower_parallel[0]:.2f}"
    )
    print(f"CPU: serial nbgrader / pipeline {serial[1] / pipeline[1]:.2f}")
    full_serial = serial[0] + serial_rest[0]
    full_pipeline = pipeline[0] + pipeline_rest[0]
    print(
        f"full cycle (grade, feedback, export): serial {full_serial:.1f} s, "
        f"pipeline {full_pipeline:.1f} s, {full_serial / full_pipeline:.2f}x"
    )
    print(f"(gradable notebooks: {gradable}; invalid JSON ones cost nbgrader an error each)")

    if not args.no_profile:
        print("\nwhere the time goes")
        seconds, slowest = import_profile()
        print(f"  import nbgrader.apps: {seconds:.2f} s; slowest modules (self time):")
        for name, self_s in slowest:
            print(f"    {name}: {self_s:.2f} s")
        print(f"  python3 kernel start + stop: {kernel_start():.2f} s")
        chapter = chapters[0]
        students = sorted(
            p.parent.parent.name
            for p in (pipeline_course / "submitted").glob(f"*/{chapter}/{chapter}.ipynb")
        )[:4]
        profile = worker_profile(pipeline_course, chapter, students)
        print(f"  pipeline worker, per submission of {chapter}: {profile['per']:.2f} s, of which")
        for label, value in profile["found"].items():
            print(f"    {label}: {value:.3f} s")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
