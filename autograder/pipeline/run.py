"""Grading the planned tasks on a pool of worker processes (pipeline/worker.py), with a
progress bar; a pool broken by a dying worker is replaced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from autograder import notebooks as nbs

if TYPE_CHECKING:
    from autograder.pipeline.worker import Settings, Task


def preload() -> None:
    """Import what workers use before forking them: each worker then starts in milliseconds
    instead of importing nbgrader (about 3 s) itself."""
    import compileall

    import nbclient  # noqa: F401
    import nbgrader.apps.autogradeapp  # noqa: F401
    import nbgrader.converters  # noqa: F401

    warm_matplotlib()
    # Every kernel imports the course's modules; with PYTHONDONTWRITEBYTECODE set (as in some
    # environments) none of them would ever be cached: compile them once, here.
    for package in ("autograder", "course"):
        compileall.compile_dir(nbs.ROOT / package, quiet=1)


def warm_matplotlib() -> None:
    """Build matplotlib's font cache once, rather than in every kernel of the first batch."""
    import matplotlib

    if not list(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")):
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=False)


def run_tasks(
    tasks: list[Task], settings: Settings, workers: int, progress: str = "auto"
) -> list[dict]:
    """Grade `tasks` on `workers` processes; returns one result per task.

    A worker that dies (the OOM killer, a segfault) breaks the whole process pool: the tasks
    still pending go to a fresh pool, at most three times.
    """
    if not tasks:
        return []
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    from autograder.pipeline import worker

    preload()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    tqdm.monitor_interval = 0  # no monitor thread: the pool forks after the bar exists
    bar = tqdm(
        total=len(tasks),
        unit="nb",
        desc="grading",
        dynamic_ncols=True,
        disable={"auto": None, "always": False, "never": True}[progress],
        file=sys.stderr,
    )
    results, pending, broken = [], list(tasks), 0
    try:
        while pending:
            pool = ProcessPoolExecutor(
                min(workers, len(pending)),
                mp_context=context,
                initializer=worker.start,
                initargs=(settings,),
            )
            futures = {pool.submit(worker.grade_one, task): task for task in pending}
            pending = []
            try:
                for future in as_completed(futures):
                    result = future.result()
                    results.append(result)
                    bar.update(1)
                    failed = sum(not r.get("ok") for r in results)
                    if failed:
                        bar.set_postfix(failed=failed, refresh=False)
            except BrokenProcessPool:
                broken += 1
                finished = {(r["chapter"], r["student"]) for r in results}
                pending = [t for t in futures.values() if (t.chapter, t.student) not in finished]
                if broken >= 3:
                    for task in pending:
                        results.append(_crashed(task))
                        bar.update(1)
                    pending = []
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                bar.close()
                print("\ninterrupted: run the same command again to resume", file=sys.stderr)
                raise
            pool.shutdown(wait=True)
    finally:
        bar.close()
    return results


def _crashed(task):
    return {
        "chapter": task.chapter,
        "student": task.student,
        "ok": False,
        "error": "the grading process died three times (out of memory?)",
    }
