"""Side notes in chapters 4 and 5 sit in collapsed "Going deeper" sections: JupyterLab's
markdown renderer keeps <details>/<summary> and shows only the summary until it is clicked."""

import pytest
from playwright.sync_api import expect

from tests.helpers import ROOT

from .lab import open_notebook, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAPTERS = ["04_single_neuron_backprop", "05_layer_backprop"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_going_deeper_sections_render_collapsed(student_lab, student_notebook, page, chapter):
    expected = (ROOT / "release" / chapter / f"{chapter}.ipynb").read_text().count("<details>")
    assert expected, f"{chapter} has no Going deeper section"
    panel = open_notebook(page, student_lab, student_notebook(chapter))
    sections = panel.locator(".jp-MarkdownOutput details")
    expect(sections).to_have_count(expected)
    for i in range(expected):
        section = sections.nth(i)
        summary = section.locator("summary")
        body = section.locator("p").first
        expect(summary).to_contain_text("Going deeper")
        expect(summary).to_be_visible()
        assert section.get_attribute("open") is None
        expect(body).to_be_hidden()
        summary.click()
        expect(body).to_be_visible()
    screenshot(sections.first, f"going-deeper-{chapter}")
