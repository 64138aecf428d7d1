"""How long does the learning-rate explorer take to react to a slider move? Goal: <= 50 ms median.

For the worked examples of chapters 4 and 5 (their own solution code and `train_example`,
executed from the source notebooks with nnfs.init() active, as a student's kernel runs them),
it drags the learning-rate slider across its range and back, and the iterations slider, timing
each move: the callback (retrain, update the curves) plus the rendering and the PNG frame that
go to the screen, all of which happen inside the callback: a move that keeps the axes' limits
blits the curves over a saved background, one that changes them draws the whole figure.
The time from a key press in the browser to changed pixels is bench/bench_widgets_browser.py's.

Three baselines are timed in the same run, interleaved with the moves:
- recompute: `train_example` alone, no drawing (the floor);
- rebuild: a new figure per move, plotted and rendered to PNG, as `interact` does;
- previous: the explorer of an earlier commit (`--baseline`, default the one before issue 14's
  rework), git's copy of its course/widgets.py, on the same training, the same move after each
  (its full draws, which it left to the front end to ask for, are done at once here).

Usage: .venv/bin/python bench/bench_widgets.py [--passes 2] [--baseline REV]   (about a minute)
Measured with PYTHONDONTWRITEBYTECODE=1 set in this environment (no .pyc cache; it only
affects start-up, not the timed moves). Other processes on the machine slow every path alike;
compare the ratios.
"""

import argparse
import contextlib
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MPLBACKEND"] = "Agg"
os.environ["BACKPROP_WIDGETS"] = "static"  # the notebook's own widget cell stays quiet

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from autograder import notebooks as nbs  # noqa: E402
from course.widgets import LearningRateExplorer, clip_for_plot  # noqa: E402

# the last commit before the explorer was reworked for issue 14
DEFAULT_BASELINE = "e26dd69"
CHAPTERS = {
    "04_single_neuron_backprop": (1e-4, 1.0),
    "05_layer_backprop": (1e-5, 0.1),
}


def notebook_namespace(chapter):
    """Run the chapter's setup, solution and plain cells (not its tests) in a fresh namespace."""
    namespace = {"__name__": "__main__"}
    nb = nbs.load(nbs.notebook_path(chapter, "source"))
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and not nbs.nbgrader_meta(cell).get("grade"):
                exec(nbs.source_text(cell), namespace)
    return namespace


def previous_explorer(revision, train, learning_rate_range):
    """The explorer of course/widgets.py at revision (git), on the same training; it knows
    only (losses, info), so the z trace is dropped from info."""
    source = subprocess.run(
        ["git", "show", f"{revision}:course/widgets.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("widgets_previous", f.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(f.name)

    def train_previous(learning_rate, n_iterations):
        losses, info = train(learning_rate, n_iterations)
        return losses, {k: v for k, v in info.items() if k != "z_trace"}

    explorer = module.LearningRateExplorer(
        train_previous, 0.001, 200, learning_rate_range=learning_rate_range, interactive=True
    )
    explorer.canvas.draw()
    return explorer


def rebuild(train, learning_rate, n_iterations):
    """What `interact` does per move: a fresh figure, plotted and rendered to PNG."""
    losses, _ = train(learning_rate, n_iterations)
    figure = Figure(figsize=(6.4, 3.4), dpi=100)
    axes = figure.add_subplot()
    axes.semilogy(np.arange(1, n_iterations + 1), clip_for_plot(losses)[0])
    axes.set_title(f"learning rate {learning_rate:.3g}")
    figure.savefig(io.BytesIO(), format="png")


def timed(action):
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start_wall, time.process_time() - start_cpu


def bench_chapter(chapter, learning_rate_range, passes, baseline):
    train = notebook_namespace(chapter)["train_example"]
    explorer = LearningRateExplorer(
        train, 0.001, 200, learning_rate_range=learning_rate_range, interactive=True
    )
    previous = previous_explorer(baseline, train, learning_rate_range)

    def previous_move(value):
        def action():
            previous.learning_rate.value = value
            if previous.last_draw == "full":
                previous.canvas.draw()  # what its front end asked for next

        return action

    def move(slider, value):
        def action():
            slider.value = value  # renders and encodes the frame before returning

        return action

    low, high = np.log10(learning_rate_range)
    exponents = np.arange(low, high, 0.1)
    moves = [
        (explorer.learning_rate, 10.0**e) for e in np.concatenate([exponents, exponents[::-1]])
    ]
    times = {key: [] for key in ("move", "move_cpu", "recompute", "rebuild")}
    times.update(previous=[], previous_cpu=[])
    times.update(iterations=[], iterations_cpu=[])
    kinds = []
    for _ in range(passes):
        explorer.n_iterations.value = 200
        for slider, value in moves:
            wall, cpu = timed(move(slider, value))
            times["move"].append(wall)
            times["move_cpu"].append(cpu)
            kinds.append(explorer.last_draw)
            wall, cpu = timed(previous_move(value))
            times["previous"].append(wall)
            times["previous_cpu"].append(cpu)
            times["recompute"].append(timed(lambda v=value: train(v, 200))[0])
            if len(kinds) % 4 == 0:  # the slow baseline, on every 4th move
                times["rebuild"].append(timed(lambda v=value: rebuild(train, v, 200))[0])
        explorer.learning_rate.value = 0.001
        for n_iterations in range(50, 1001, 50):
            wall, cpu = timed(move(explorer.n_iterations, n_iterations))
            times["iterations"].append(wall)
            times["iterations_cpu"].append(cpu)
    return {key: 1000 * statistics.median(values) for key, values in times.items()}, kinds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=2, help="sweeps over the slider range")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision")
    args = parser.parse_args(argv)
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    worst = 0.0
    for chapter, learning_rate_range in CHAPTERS.items():
        medians, kinds = bench_chapter(chapter, learning_rate_range, args.passes, args.baseline)
        worst = max(worst, medians["move"], medians["iterations"])
        print(f"\n{chapter}: {len(kinds)} learning-rate moves, 200 iterations each")
        print(
            f"  slider move (callback + render): median {medians['move']:.1f} ms wall, "
            f"{medians['move_cpu']:.1f} ms CPU; "
            f"{kinds.count('blit') / len(kinds):.0%} blitted, the rest full draws"
        )
        print(
            f"  iterations slider move (50..1000): median {medians['iterations']:.1f} ms wall, "
            f"{medians['iterations_cpu']:.1f} ms CPU"
        )
        print(
            f"  baseline previous explorer ({args.baseline}): median "
            f"{medians['previous']:.1f} ms wall, {medians['previous_cpu']:.1f} ms CPU "
            f"(previous / now = {medians['previous_cpu'] / medians['move_cpu']:.1f}x in CPU, "
            f"{medians['previous'] / medians['move']:.1f}x wall)"
        )
        print(
            f"  baseline recompute only: {medians['recompute']:.1f} ms "
            f"(move / recompute = {medians['move'] / medians['recompute']:.1f}x)"
        )
        print(
            f"  baseline full rebuild (interact): {medians['rebuild']:.1f} ms "
            f"(rebuild / move = {medians['rebuild'] / medians['move']:.1f}x)"
        )
    verdict = "met" if worst <= 50 else "NOT met"
    print(f"\ngoal: median <= 50 ms per move (wall): {verdict} (worst median {worst:.1f} ms)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end: wall times include waiting for CPU")


if __name__ == "__main__":
    main()
