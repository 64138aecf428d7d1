"""From a typed learning rate to changed pixels, in Chromium: the explorer now against a baseline.

A student's JupyterLab (this checkout's `course` on the kernel's path) opens a chapter's notebook
with its solutions filled in, in an 800-px-wide window, and runs all cells. One more cell builds
a second explorer on the same `train_example` with the baseline's `course/widgets.py` (from git,
default: the commit before this work). Then, for each of the learning rates below, the bench types
the value into one explorer's readout, presses Enter, waits until that explorer's plot has
settled, then does the same on the other (the order alternates): a paired comparison on one page,
one kernel, one load of the machine.

The time counted is from the Enter keydown (a capture listener in the page) to the first
drawImage onto the explorer's visible canvas after which its pixels differ from before the move
(a hook on CanvasRenderingContext2D.drawImage compares them right after each draw). The screen
shows them at the next frame, so add up to one frame (about 16 ms) to both.

Usage: .venv/bin/python bench/bench_widgets_browser.py [--chapter 04_single_neuron_backprop]
       [--rounds 2] [--baseline REV] [--width 800]   (about two minutes per chapter)
Needs Debian's /usr/bin/chromium (or CHROMIUM=path) and Playwright for Python (the dev group).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from e2e.lab import (  # noqa: E402
    LabServer,
    code_cell_count,
    open_notebook,
    run_all_cells,
    wait_all_executed,
)

from autograder import examples  # noqa: E402
from autograder import notebooks as nbs  # noqa: E402

# the last commit before the explorer was reworked for issue 14
DEFAULT_BASELINE = "e26dd69"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# learning rates typed into the readout, in this order: across the range, each far enough from
# the previous to change the picture, some keeping the axes' limits and some changing them
RATES = {
    "04_single_neuron_backprop": [
        "0.002", "0.02", "0.0005", "0.05", "0.003", "0.3", "0.0002", "0.01",
        "0.001", "0.03", "0.0003", "0.1", "0.005", "0.8", "0.0007", "0.015",
    ],
    "05_layer_backprop": [
        "0.002", "0.0002", "0.005", "0.00002", "0.001", "0.02", "0.0005", "0.0001",
        "0.003", "0.05", "0.00005", "0.0015", "0.01", "0.0003", "0.004", "0.0008",
    ],
}  # fmt: skip
# "settled": no draw on the canvas for this long after the kernel went idle
QUIET_MS = 400

# Installed in the page before JupyterLab loads: the Enter keydown's time, and each drawImage
# onto the watched canvas, compared with the pixels kept before the move.
WATCH_JS = """
window.benchWatch = null;
window.benchLastDraw = 0;
const originalDrawImage = CanvasRenderingContext2D.prototype.drawImage;
CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = originalDrawImage.apply(this, args);
    const now = performance.now();
    const watch = window.benchWatch;
    if (watch && this.canvas === watch.canvas) {
        window.benchLastDraw = now;
        if (watch.t0 !== null && watch.changed === null) {
            const c = this.canvas, after = this.getImageData(0, 0, c.width, c.height).data;
            const before = watch.before;
            let differs = after.length !== before.length;
            for (let i = 0; !differs && i < after.length; i++) differs = after[i] !== before[i];
            if (differs) watch.changed = now;
        }
    }
    return result;
};
// ipympl turns each frame it receives into an object URL: the frame's arrival
const originalCreateObjectURL = URL.createObjectURL;
URL.createObjectURL = function (object) {
    const watch = window.benchWatch;
    if (watch && watch.t0 !== null && watch.arrived === null) watch.arrived = performance.now();
    return originalCreateObjectURL.call(this, object);
};
document.addEventListener('keydown', event => {
    const watch = window.benchWatch;
    if (event.key === 'Enter' && watch && watch.t0 === null) watch.t0 = performance.now();
}, true);
window.benchArm = canvas => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    window.benchWatch = {canvas, before: pixels, t0: null, changed: null, arrived: null};
    window.benchLastDraw = performance.now();
};
"""

BASELINE_CELL = """
import sys
sys.path.insert(0, {folder!r})
import widgets_baseline

def train_baseline(learning_rate, n_iterations):
    # the same training; the baseline knows only (losses, info), with no z trace in info
    losses, info = train_example(learning_rate, n_iterations)[:2]
    return losses, {{k: v for k, v in info.items() if k != "z_trace"}}

baseline_explorer = widgets_baseline.learning_rate_explorer(
    train_baseline, **{options!r}
)
"""


def explorer_options(chapter):
    """The keyword arguments of the notebook's own learning_rate_explorer call."""
    nb = nbs.load(nbs.notebook_path(chapter, "source"))
    for cell in nb["cells"]:
        text = nbs.source_text(cell)
        if "learning_rate_explorer(" in text and "def train_example" in text:
            call = text[text.index("learning_rate_explorer(") :]
            namespace = {"learning_rate_explorer": lambda train, **options: options}
            return eval(call.replace("train_example,", "None,", 1), namespace)
    raise LookupError(f"{chapter} has no learning_rate_explorer cell")


def prepare(chapter, baseline, scratch):
    """The student's folder: the filled-in chapter plus the baseline explorer's cell."""
    folder = scratch / "baseline"
    folder.mkdir()
    source = subprocess.run(
        ["git", "show", f"{baseline}:course/widgets.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (folder / "widgets_baseline.py").write_text(source)
    nb = examples.filled(chapter)
    code = BASELINE_CELL.format(folder=str(folder), options=explorer_options(chapter))
    nb["cells"].append(
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": code.strip()}
    )  # fmt: skip
    path = scratch / "student" / chapter / f"{chapter}.ipynb"
    nbs.save(nb, path)
    return f"{chapter}/{chapter}.ipynb"


def explorer_parts(page, index):
    """(readout locator, canvas handle) of the index-th explorer on the page (0: the chapter's
    own, 1: the baseline's)."""
    slider = page.locator(
        ".widget-slider", has=page.locator(".widget-label", has_text="learning rate")
    )
    output = page.locator(".jp-Cell-outputArea", has=slider).nth(index)
    canvas = output.locator(".jupyter-matplotlib-canvas-div canvas").first
    return output.locator(".widget-slider").first.locator(".widget-readout"), canvas


def settle(page, server, notebook, canvas):
    """Wait for an idle kernel and no draw on the canvas for QUIET_MS."""
    server.wait_kernel_idle(notebook)
    page.evaluate("c => window.benchArm(c)", canvas)
    page.wait_for_function(
        f"() => performance.now() - window.benchLastDraw > {QUIET_MS}", polling=50
    )
    server.wait_kernel_idle(notebook)


def move(page, server, notebook, readout, canvas, value):
    """Type value into readout, press Enter; (ms from the keydown to changed pixels, ms from
    the keydown to the frame's arrival in the page)."""
    readout.scroll_into_view_if_needed()
    settle(page, server, notebook, canvas)
    page.evaluate("c => window.benchArm(c)", canvas)
    readout.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.benchWatch.changed !== null", polling=20, timeout=30_000)
    return page.evaluate(
        "() => [window.benchWatch.changed - window.benchWatch.t0, "
        "window.benchWatch.arrived - window.benchWatch.t0]"
    )


def layout(page, index):
    """Bounding boxes of the explorer's parts, for the report."""
    _, canvas = explorer_parts(page, index)
    return canvas.bounding_box()


def spread(values):
    q = statistics.quantiles(values, n=4)
    return (
        f"median {statistics.median(values):6.1f} ms  (quartiles {q[0]:.1f}-{q[2]:.1f}, "
        f"min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"
    )


def bench_chapter(browser, chapter, args):
    from playwright.sync_api import TimeoutError  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="bench-widgets-") as tmp:
        scratch = Path(tmp)
        notebook = prepare(chapter, args.baseline, scratch)
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(":")
        (scratch / "state").mkdir()
        server = LabServer(scratch / "student", scratch / "state", env).wait_ready()
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.add_init_script(WATCH_JS)
            # opened wide (a narrow toolbar hides the kernel indicator open_notebook waits for)
            open_notebook(page, server, notebook)
            page.set_viewport_size({"width": args.width, "height": 900})
            run_all_cells(page)
            wait_all_executed(page, code_cell_count(server.root / notebook), timeout=300)
            parts = [explorer_parts(page, i) for i in (0, 1)]
            for _, canvas in parts:
                canvas.wait_for(state="attached")
            times = {"new": [], "baseline": []}
            arrivals = {"new": [], "baseline": []}
            names = ("new", "baseline")
            for round_ in range(args.rounds):
                for i, value in enumerate(RATES[chapter]):
                    order = (0, 1) if (i + round_) % 2 == 0 else (1, 0)
                    for which in order:
                        readout, canvas = parts[which]
                        handle = canvas.element_handle()
                        total, arrival = move(page, server, notebook, readout, handle, value)
                        times[names[which]].append(total)
                        arrivals[names[which]].append(arrival)
            boxes = [parts[i][1].bounding_box() for i in (0, 1)]
            if args.screenshot:
                parts[0][0].scroll_into_view_if_needed()
                page.screenshot(path=args.screenshot)
            context.close()
        finally:
            server.stop()
    return times, arrivals, boxes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", action="append", choices=sorted(RATES))
    parser.add_argument("--rounds", type=int, default=2, help="passes over the rates")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision")
    parser.add_argument("--width", type=int, default=800, help="window width in px")
    parser.add_argument("--screenshot", help="save the page, the explorer in view, here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for chapter in args.chapter or ["04_single_neuron_backprop"]:
            started = time.monotonic()
            times, arrivals, boxes = bench_chapter(browser, chapter, args)
            print(f"\n{chapter}: typed learning rate + Enter -> changed canvas pixels")
            print(f"  now      : {spread(times['new'])}")
            print(f"  baseline : {spread(times['baseline'])}  ({args.baseline})")
            print("  of which until the frame reached the page (the rest decodes and draws it):")
            print(f"  now      : {spread(arrivals['new'])}")
            print(f"  baseline : {spread(arrivals['baseline'])}")
            ratios = [b / n for n, b in zip(times["new"], times["baseline"], strict=True)]
            print(
                f"  baseline / now, paired by value: median {statistics.median(ratios):.2f}x "
                f"(quartiles {' - '.join(f'{q:.2f}' for q in statistics.quantiles(ratios, n=4)[::2])})"
            )
            print(f"  canvas boxes (now, baseline): {json.dumps(boxes)}")
            print(f"  ({time.monotonic() - started:.0f} s)")
        browser.close()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end: wall times include waiting for CPU")


if __name__ == "__main__":
    main()
