"""A student's JupyterLab: open a chapter from release/, Run All Cells, see every output, and
drag the learning-rate slider of the chapters that have one."""

import re

import pytest
from playwright.sync_api import expect

from autograder import notebooks as nbs
from tests.helpers import ROOT

from .explorer import CANVAS_JS, CHANGED, SAME, type_into, wait_canvas
from .lab import code_cell, open_notebook, run_cells_cleanly, screenshot, stderr_outputs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# chapters whose notebook shows course.widgets.learning_rate_explorer
WIDGET_CHAPTERS = [
    chapter
    for chapter in nbs.chapters(ROOT)
    if "learning_rate_explorer" in nbs.notebook_path(chapter, "source").read_text()
]

# "Settled": the kernel idle and the canvas unchanged for this many polls 100 ms apart.
STILL_POLLS = 5


def run_notebook(page, server, notebook):
    """Open the notebook, run all cells, check that each ran once, in order, cleanly."""
    open_notebook(page, server, notebook)
    counts = run_cells_cleanly(page, server.root / notebook)
    assert counts == list(range(1, len(counts) + 1)), f"cells ran out of order: {counts}"


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
