"""A student's JupyterLab: open a chapter from release/, Run All Cells, see every output, and
drag the learning-rate slider of the chapters that have one."""

import re

import pytest
from conftest import ROOT
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from autograder import notebooks as nbs

from .conftest import screenshot
from .lab import (
    code_cell,
    code_cell_count,
    open_notebook,
    run_all_cells,
    stderr_outputs,
    wait_all_executed,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# chapters whose notebook shows course.widgets.learning_rate_explorer
WIDGET_CHAPTERS = [
    chapter
    for chapter in nbs.chapters(ROOT)
    if "learning_rate_explorer" in nbs.notebook_path(chapter, "source").read_text()
]

# Canvas helpers installed in the page: keep a copy of a canvas's pixels under a name, the
# fraction of pixels that differ from a kept copy (1 when the size changed), the fraction of
# opaque pixels (matplotlib's figure background is opaque, an empty canvas is not); a canvas
# not yet sized (0 pixels) differs from everything and is not opaque.
CANVAS_JS = """
window.e2eSnapshots = {};
window.e2ePixels = canvas => canvas.width && canvas.height
    ? canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
    : new Uint8ClampedArray(0);
window.e2eSnapshot = (canvas, name) => { window.e2eSnapshots[name] = window.e2ePixels(canvas); };
window.e2eDifference = (canvas, name) => {
    const a = window.e2eSnapshots[name], b = window.e2ePixels(canvas);
    if (a.length !== b.length || a.length === 0) return 1;
    let n = 0;
    for (let i = 0; i < a.length; i += 4) {
        if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) n++;
    }
    return n / (a.length / 4);
};
window.e2eOpaque = canvas => {
    const d = window.e2ePixels(canvas);
    let n = 0;
    for (let i = 3; i < d.length; i += 4) n += d[i] === 255;
    return d.length ? n / (d.length / 4) : 0;
};
"""
# A redraw for another learning rate moves the curve and rewrites the status line: thousands
# of pixels (over 0.2% of them); the same picture again differs in none (under 0.02%).
CHANGED, SAME = 0.002, 0.0002
# "Settled": the kernel idle and the canvas unchanged for this many polls 100 ms apart.
STILL_POLLS = 5


def run_notebook(page, server, notebook):
    """Open the notebook, run all cells, check that each ran once, in order, cleanly."""
    open_notebook(page, server, notebook)
    run_all_cells(page)
    counts = wait_all_executed(page, code_cell_count(server.root / notebook))
    assert counts == list(range(1, len(counts) + 1)), f"cells ran out of order: {counts}"
    assert stderr_outputs(page) == [], "a cell wrote to stderr (an error or a warning)"


def test_chapter_1_runs_and_draws_the_spiral(student_lab, student_notebook, page):
    notebook = student_notebook("01_dense_layers")
    run_notebook(page, student_lab, notebook)
    # every visible test cell printed its message
    n_tests = sum(
        cell["cell_type"] == "code" and nbs.nbgrader_meta(cell).get("grade", False)
        for cell in nbs.load(student_lab.root / notebook)["cells"]
    )
    n_passed = page.locator(".jp-OutputArea-output", has_text="Visible checks passed").count()
    assert n_tests > 0 and n_passed == n_tests, f"{n_passed} of {n_tests} test cells passed"
    spiral = code_cell(page, "plot_spiral(X, y)")
    image = spiral.locator(".jp-RenderedImage img")
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width > 200 and height > 200, f"the spiral plot is {width}x{height} pixels"
    # the layer's first rows are the book's, as the text promises
    expect(code_cell(page, "dense1.forward(X)").locator(".jp-OutputArea")).to_contain_text(
        "-1.0475188e-04"
    )
    screenshot(spiral, "student-01-spiral-plot")
    screenshot(page, "student-01-after-run-all")


def wait_canvas(page, canvas, name, test, what, explorer, timeout=20):
    """Wait until test holds for d, the fraction of the canvas's pixels that differ from the
    copy kept as name; fail at once if the widget shows an error from train()."""
    try:
        page.wait_for_function(
            f"""([canvas, explorer]) => {{
                if (explorer.innerText.includes(' raised ')) return true;
                const d = window.e2eDifference(canvas, '{name}');
                return {test};
            }}""",
            arg=[canvas, explorer.element_handle()],
            polling=100,
            timeout=timeout * 1000,
        )
        error = None
    except PlaywrightTimeout as timeout_error:
        error = timeout_error
    text = explorer.inner_text()
    d = page.evaluate(f"canvas => window.e2eDifference(canvas, '{name}')", canvas)
    if error or " raised " in text:
        raise AssertionError(
            f"the loss plot never {what} ({d:.3%} of its pixels differ from '{name}'); "
            f"the widget says: {text!r}"
        ) from error


def wait_settled(page, canvas, server, notebook):
    """Wait until the kernel is idle and the canvas stops changing, then keep its pixels as
    'settled' (for the screenshot and for comparing later pictures with this one)."""
    server.wait_kernel_idle(notebook)
    page.evaluate(
        "canvas => { window.e2eSnapshot(canvas, 'settled'); window.e2eStill = 0; }", canvas
    )
    page.wait_for_function(
        f"""canvas => {{
            if (window.e2eDifference(canvas, 'settled') > 0) {{
                window.e2eSnapshot(canvas, 'settled');
                window.e2eStill = 0;
                return false;
            }}
            return ++window.e2eStill >= {STILL_POLLS};
        }}""",
        arg=canvas,
        polling=100,
    )
    server.wait_kernel_idle(notebook)


def drag(page, slider, fraction):
    """Drag the slider's handle to a fraction (0..1) of its track, as a person would."""
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").bounding_box()
    track = slider.locator(".noUi-base").bounding_box()
    y = handle["y"] + handle["height"] / 2
    page.mouse.move(handle["x"] + handle["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], y, steps=8)
    page.mouse.up()


def type_into(page, readout, text):
    """Replace the slider's readout with text and press Enter."""
    readout.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("chapter", WIDGET_CHAPTERS)
def test_learning_rate_slider_redraws_the_loss_plot(chapter, student_lab, student_notebook, page):
    notebook = student_notebook(chapter)
    page.add_init_script(CANVAS_JS)
    run_notebook(page, student_lab, notebook)
    label = page.locator(".widget-label", has_text=re.compile("^learning rate$"))
    slider = page.locator(".widget-slider", has=label)
    expect(slider).to_have_count(1)
    explorer = page.locator(".jp-Cell-outputArea", has=slider)
    figure = explorer.locator(".jupyter-matplotlib")
    expect(figure).to_have_count(1)
    canvas = figure.locator(".jupyter-matplotlib-canvas-div canvas").first.element_handle()
    page.wait_for_function("canvas => window.e2eOpaque(canvas) > 0.99", arg=canvas, polling=100)
    wait_settled(page, canvas, student_lab, notebook)
    page.evaluate("canvas => window.e2eSnapshot(canvas, 'start')", canvas)
    readout = slider.locator(".widget-readout")
    start = readout.inner_text()
    n_outputs = explorer.locator(".jp-OutputArea-output").count()
    cell = page.locator(".jp-CodeCell", has=slider)
    screenshot(cell, f"student-{chapter[:2]}-slider-before")

    # drag the handle towards the far end of its track
    handle = slider.locator(".noUi-handle")
    low, position, high = (
        float(handle.get_attribute(f"aria-value{end}")) for end in ("min", "now", "max")
    )
    drag(page, slider, 0.15 if position > (low + high) / 2 else 0.85)
    expect(readout).not_to_have_text(start)
    wait_canvas(page, canvas, "start", f"d > {CHANGED}", "changed", explorer)
    wait_settled(page, canvas, student_lab, notebook)
    page.evaluate("canvas => window.e2eSnapshot(canvas, 'dragged')", canvas)
    # the exact value the drag left (FloatLogSlider: the handle's position is the exponent,
    # aria-valuetext holds it unrounded)
    dragged = handle.evaluate(
        "h => String(Math.pow(10, parseFloat(h.getAttribute('aria-valuetext'))))"
    )
    screenshot(cell, f"student-{chapter[:2]}-slider-after")
    # redrawn in place: the same canvas element, no figure or output added (no flicker, no
    # plots stacking up under the slider), no error from train() or the callback
    assert canvas.evaluate("canvas => canvas.isConnected"), "the plot was re-created, not updated"
    expect(figure).to_have_count(1)
    expect(explorer.locator(".jp-OutputArea-output")).to_have_count(n_outputs)
    expect(explorer).not_to_contain_text(" raised ")
    assert stderr_outputs(page) == [], "moving the slider wrote to stderr"

    # typed into the readout, each value brings back its own picture: the plot shows that
    # learning rate's run, nothing left over from others, and the drag's last value was drawn
    type_into(page, readout, start)
    expect(readout).to_have_text(start)
    wait_canvas(page, canvas, "start", f"d < {SAME}", "came back to its first picture", explorer)
    type_into(page, readout, dragged)
    wait_canvas(page, canvas, "dragged", f"d < {SAME}", "showed the dragged value again", explorer)
