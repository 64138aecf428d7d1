"""Student HTML is inert (autograder/inert.py): small notebooks built with nbformat, with the
attacks a submission can carry, go through MakeInert and are rendered by nbconvert's HTML
exporter with its own sanitizing off (as nbgrader's formgrade template renders markdown);
an HTML parser then looks for anything live. Controls show the same page is live without it.
"""

import copy

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
    new_raw_cell,
)

from autograder import inert
from autograder import notebooks as nbs
from autograder.preprocessors.make_inert import MakeInert
from tests.helpers import ROOT

PNG = inert.BLANK_PNG
MARKDOWN_ATTACKS = {
    "script": "Done! <script>document.title='pwned'; fetch('/formgrader/api/students')</script>",
    "img_onerror": "<img src=x onerror=\"document.body.innerHTML='pwned'\">",
    "svg_onload": "<svg onload=alert(1)><circle r=5></circle></svg>",
    "iframe": "<iframe src='/formgrader/api/students'></iframe>",
    "object": "<object data='data:text/html,<script>alert(1)</script>'></object>",
    "style_overlay": "<style>body{display:none}</style><div style='position:fixed;inset:0'>x</div>",
    "lookalike_input": '<input class="score" id="test_batch_output"> <textarea id="x-comment">',
    "js_link": "[click](javascript:alert(1))",
    "js_autolink": "<javascript:alert(1)>",
    "js_link_case": "[click](JaVaScRiPt:alert(1))",
    "api_image": "![x](/formgrader/api/students)",
    "api_image_up": "![x](../../../api/students)",
    "remote_image": "![x](https://attacker.example/pixel.png)",
    "mermaid": "```mermaid\n<img src=x onerror=alert(1)>\n```",
    "comment_trick": "<!--><img src=x onerror=alert(1)>-->",
    "math_with_tag": "$$\n<img src=x onerror=alert(1)>\n$$",
    "in_quote": "> <script>\n> alert(1)\n> </script>",
    "in_list": "- item <img src=x onerror=alert(1)>",
    "in_table": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "meta_refresh": "<meta http-equiv='refresh' content='0;url=/formgrader/api/students'>",
    "form": "<form action='/formgrader/api/students' method='post'><button>go</button></form>",
    "base": "<base href='https://attacker.example/'>",
    "title": "<title>pwned</title>",
}
PLAIN = """# Exercise

**bold**, *italic*, ~~gone~~, `x < y`, and $a < b$ inline.

$$
\\frac{\\partial L}{\\partial w} = x \\cdot (a - y) < 1
$$

```python
if x < 1:
    print("<b>")
```

| a | b |
|---|---|
| 1 | 2 |

- one
- [ ] a task

> a quote

[the book](https://nnfs.io) and [a section](#exercise) ![plot](attachment:plot.png)
![figure](figures/spiral.png)
"""


def live_parts(html):
    """What could run, load or restyle in rendered HTML: names, as found by an HTML parser."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in {
            "script",
            "iframe",
            "object",
            "embed",
            "style",
            "link",
            "meta",
            "base",
            "form",
            "input",
            "textarea",
            "button",
            "foreignobject",
            "title",
        }:
            if not (tag.get("type") == "checkbox" and tag.has_attr("disabled")):  # task list
                found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            url = "".join(value.split()).lower()
            if name.startswith("on") or name in {"style", "formaction", "srcdoc"}:
                found.append(f"{tag.name}[{name}]")
            elif name in {"href", "src", "data", "action", "xlink:href"}:
                if url.startswith(("javascript:", "vbscript:")):
                    found.append(f"{tag.name}[{name}={value[:30]}]")
                elif tag.name == "img" and not url.startswith("data:image/"):
                    found.append(f"{tag.name}[{name}={value[:30]}] loads")
            elif name == "id" and value in {"test_batch_output", "x-comment", "statusmessage"}:
                found.append(f"{tag.name}[id={value}]")
    return found


def cells_html(nb):
    """The notebook's cells as nbconvert's classic template renders them, unsanitized."""
    exporter = HTMLExporter(template_name="classic", sanitize_html=False)
    page, _ = exporter.from_notebook_node(nb)
    container = BeautifulSoup(page, "html.parser").find(id="notebook-container")
    return str(container)


def inert_copy(nb):
    nb = copy.deepcopy(nb)
    MakeInert().preprocess(nb, {})
    return nb


def display(data, **metadata):
    return new_output("display_data", data=data, metadata=metadata)


@pytest.mark.parametrize("name", MARKDOWN_ATTACKS)
def test_markdown_attacks_are_inert(name):
    nb = new_notebook(cells=[new_markdown_cell(MARKDOWN_ATTACKS[name])])
    # control: the attack is live in nbconvert's page, except math (nbconvert escapes it) and
    # the comment trick (browsers read `<!-->` as a whole comment, Python's html.parser does
    # not: there the control is that the handler reaches the page)
    if name == "comment_trick":
        assert "onerror" in cells_html(nb)
    elif name != "math_with_tag":
        assert live_parts(cells_html(nb)), "the attack should be live without MakeInert"
    assert live_parts(cells_html(inert_copy(nb))) == []


def test_plain_markdown_renders_unchanged():
    attachments = {"plot.png": {"image/png": PNG}}
    nb = new_notebook(cells=[new_markdown_cell(PLAIN, attachments=attachments)])
    done = inert_copy(nb)
    assert done.cells[0].source == PLAIN
    html = cells_html(done)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("strong").text == "bold" and soup.find("em").text == "italic"
    assert "$a &lt; b$" in html and "(a - y) &lt; 1" in html  # math text for MathJax
    assert soup.find("table").find("td").text == "1"
    assert "print" in soup.find("div", class_="highlight").text
    assert soup.find("img", alt="plot")["src"].startswith("data:image/png;base64,")
    assert soup.find("a", href="https://nnfs.io")
    assert live_parts(html) == [f"img[src={'figures/spiral.png'}] loads"]  # the notebook's own


def test_unsafe_markdown_keeps_its_formatting():
    source = (
        "Answer: **42** and $a < b$ <b>done</b><script>alert(1)</script>\n\n| x |\n|---|\n| 1 |"
    )
    done = inert.inert_markdown(source)
    assert "\n" not in done and done.startswith("<div>")
    html = inert.render_markdown(done)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("strong").text == "42" and soup.find("b").text == "done"
    assert soup.find("td").text == "1" and "$a &lt; b$" in html
    assert live_parts(html) == [] and "alert" not in html
    assert inert.inert_markdown(done) == done  # a second pass changes nothing


def test_course_markdown_is_plain():
    """The instructor's markdown in every chapter stays exactly as written."""
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        for cell in nbs.load(path)["cells"]:
            if cell["cell_type"] == "markdown":
                source = nbs.source_text(cell)
                assert inert.inert_markdown(source) == source, (path.name, source[:80])


def test_outputs_are_sanitized_and_scripts_dropped():
    outputs = [
        display({"text/html": "<b>ok</b><img src=x onerror=alert(1)>", "text/plain": "ok"}),
        display({"application/javascript": "alert(1)", "text/plain": "<IPython.Javascript>"}),
        display(
            {
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
                "text/plain": "FloatSlider(value=0.1)",
            }
        ),
        display({"application/javascript": "alert(2)"}),
        display({"text/markdown": "**md** <script>alert(3)</script>"}),
        display({"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(4)'/>"}),
        display(
            {"text/html": "<p>isolated</p><script>alert(5)</script>"},
            **{"text/html": {"isolated": True}},
        ),
        display(
            {"image/png": PNG},
            **{"image/png": {"width": 10, "filenames": "x.png"}, "needs_background": "light"},
        ),
        new_output("stream", name="stdout", text="<script>alert(6)</script>\n"),
    ]
    nb = new_notebook(cells=[new_code_cell("f()", outputs=outputs)])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    assert live_parts(cells_html(nb)), "control: live without MakeInert"
    done = inert_copy(nb)
    html = cells_html(done)
    assert live_parts(html) == [] and "alert(" not in html.replace("alert(6)", "")
    data = [o.get("data", {}) for o in done.cells[0].outputs]
    assert data[0]["text/html"] == "<b>ok</b><img>"
    assert data[1] == {"text/plain": "<IPython.Javascript>"}
    assert data[2] == {"text/plain": "FloatSlider(value=0.1)"}
    assert data[3] == {"text/plain": inert.DROPPED_NOTE.format("application/javascript")}
    assert "<strong>md</strong>" in inert.render_markdown(data[4]["text/markdown"])
    assert "onload" not in data[5]["image/svg+xml"] and "<svg" in data[5]["image/svg+xml"]
    kept = {"image/png": {"width": 10}, "needs_background": "light"}
    assert done.cells[0].outputs[7].metadata == kept
    assert "&lt;script&gt;alert(6)" in html  # printed text stays visible, as text
    assert "widgets" not in done.metadata


def test_raw_cells_and_attachments():
    html_attachment = {"evil.html": {"text/html": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}}
    nb = new_notebook(
        cells=[
            new_raw_cell("<script>alert(1)</script><b>raw</b>", metadata={"format": "text/html"}),
            new_markdown_cell("![e](attachment:evil.html)", attachments=html_attachment),
        ]
    )
    done = inert_copy(nb)
    assert done.cells[0].source == "<b>raw</b>"
    assert done.cells[1].attachments == {"evil.html": {"image/png": PNG}}
    assert live_parts(cells_html(done)) == []


def test_configure_adds_make_inert_last_once():
    from traitlets.config import Config

    from autograder import execute, feedback, safety

    c = Config()
    for module in (safety, feedback, execute, inert, inert):
        module.configure(c)
    autograde = [p.__name__ for p in c.Autograde.autograde_preprocessors]
    assert autograde.count("MakeInert") == 1 and autograde[-1] == "MakeInert"
    assert (
        autograde.index("GradeInGrader") < autograde.index("SaveGraderScores") < len(autograde) - 1
    )
    feedback_list = [p.__name__ for p in c.GenerateFeedback.preprocessors]
    assert feedback_list.count("MakeInert") == 1 and "HideGraderCode" in feedback_list
    assert c.HTMLExporter.sanitize_html is True


def test_nbformat_still_valid():
    nb = new_notebook(
        cells=[
            new_markdown_cell(MARKDOWN_ATTACKS["script"]),
            new_code_cell("f()", outputs=[display({"application/javascript": "alert(1)"})]),
        ]
    )
    nbformat.validate(inert_copy(nb))


@pytest.mark.parametrize(
    "source, plain",
    [
        ("<details>\n<summary>Going deeper: <code>x</code></summary>\n\nText.\n\n</details>", True),
        ("<details open ontoggle=alert(1)>x</details>", False),
        ("<details>\n<summary>a</summary><script>alert(1)</script>\n</details>", False),
        ("<details><!-- hidden --></details>", False),
        ("<details>\n<summary>x</summary>\n<img src=x onerror=alert(1)\n</details>", False),
    ],
)
def test_going_deeper_sections_stay_plain_and_nothing_else_does(source, plain):
    """The course's collapsed sections (attribute-free details/summary/code) are kept as
    written; any attribute, script, comment or unfinished tag sends the cell to the sanitizer."""
    assert inert.plain_markdown(source) is plain
    if not plain:
        assert live_parts(inert.render_markdown(inert.inert_markdown(source))) == []
