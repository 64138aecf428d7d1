"""The learning-rate explorer in an 800-px-wide window, JupyterLab's file browser open (the
notebook then gets about 470 px): nothing of it is cut off, its sliders' tracks line up, and at
chapter 4's eta = 0.05 (the written answer's rate, above 1/30) it labels the neuron dead."""

import re

import pytest
from playwright.sync_api import expect

from .explorer import CANVAS_JS, CHANGED, type_into, wait_canvas
from .lab import open_notebook, run_cells_cleanly, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"width": 800, "height": 900}


def assert_inside(box, outer, what, where):
    """box lies within outer (bounding boxes, in page pixels), to half a pixel."""
    assert box is not None, f"{what} is not rendered"
    left, top = box["x"], box["y"]
    right, bottom = left + box["width"], top + box["height"]
    assert (
        left >= outer["x"] - 0.5
        and top >= outer["y"] - 0.5
        and right <= outer["x"] + outer["width"] + 0.5
        and bottom <= outer["y"] + outer["height"] + 0.5
    ), f"{what} {box} is cut off: it reaches outside {where} {outer}"


def test_explorer_fits_800_px_aligns_its_sliders_and_labels_a_dead_neuron(
    student_lab, student_notebook, page
):
    notebook = student_notebook("04_single_neuron_backprop")
    page.add_init_script(CANVAS_JS)
    # opened wide: in a narrow toolbar the kernel indicator open_notebook waits for is hidden
    open_notebook(page, student_lab, notebook)
    page.set_viewport_size(NARROW)
    expect(page.locator(".jp-FileBrowser")).to_be_visible()  # the narrowest usual layout
    run_cells_cleanly(page, student_lab.root / notebook)

    explorer = page.locator(".backprop-explorer")
    expect(explorer).to_have_count(1)
    canvas = explorer.locator(".jupyter-matplotlib-canvas-div canvas").first
    page.wait_for_function(
        "canvas => window.e2eOpaque(canvas) > 0.99", arg=canvas.element_handle(), polling=100
    )
    viewport = {"x": 0, "y": 0, **NARROW}
    notebook_area = page.locator(".jp-NotebookPanel-notebook").bounding_box()
    parts = {
        "the plot": canvas,
        "the title": explorer.locator(".widget-html-content b", has_text="One neuron"),
        "the learning rate's value": explorer.locator(".widget-readout").nth(0),
        "the iterations' value": explorer.locator(".widget-readout").nth(1),
        "the status line": explorer.locator(".widget-html-content span").first,
    }
    for what, part in parts.items():
        part.scroll_into_view_if_needed()
        box = part.bounding_box()
        assert_inside(box, viewport, what, "the 800-px window")
        assert_inside(
            {**box, "y": notebook_area["y"], "height": 0}, notebook_area, what, "the notebook"
        )
    # the plot is shrunk to fit, not squashed or cropped: its drawing keeps its proportions
    shown = canvas.bounding_box()
    width, height = canvas.evaluate("c => [c.width, c.height]")
    assert shown["width"] >= 300, f"the plot is only {shown['width']} px wide"
    assert abs(shown["height"] / shown["width"] - height / width) < 0.02
    screenshot(page, "explorer-800px")

    # the two sliders' tracks start (and end) at the same x
    tracks = [explorer.locator(".noUi-base").nth(i).bounding_box() for i in (0, 1)]
    assert abs(tracks[0]["x"] - tracks[1]["x"]) <= 1, f"tracks start at {tracks}"
    assert abs(tracks[0]["width"] - tracks[1]["width"]) <= 1, f"tracks differ: {tracks}"

    # eta = 0.05 > 1/30: the first step pushes z below 0 and the neuron dies
    handle = canvas.element_handle()
    readout = parts["the learning rate's value"]
    expect(explorer.locator(".backprop-dead")).to_have_count(0)
    page.evaluate("c => window.e2eSnapshot(c, 'alive')", handle)
    type_into(page, readout, "0.05")
    dead = explorer.locator(".backprop-dead")
    expect(dead).to_have_text(re.compile(r"^Dead neuron: z ≤ 0 from iteration 2 on \(z = -3"))
    wait_canvas(page, handle, "alive", f"d > {CHANGED}", "changed", explorer)
    assert_inside(dead.bounding_box(), viewport, "the dead-neuron label", "the 800-px window")
    screenshot(page.locator(".jp-CodeCell", has=explorer), "explorer-800px-dead-neuron")
    type_into(page, readout, "0.001")
    expect(dead).to_have_count(0)
