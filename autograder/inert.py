"""Student HTML is inert: nothing a submission renders runs in the instructor's or a student's page.

The formgrader and nbgrader's feedback render the autograded notebook with nbconvert, which
passes a student's HTML through unchanged: a `<script>` in a markdown cell, an `<img onerror>`
in a `text/html` output, a `javascript:` link or a mermaid block would run in the formgrader
with the instructor's login. `MakeInert` (autograder/preprocessors/make_inert.py), the last
autograde preprocessor (nbgrader_config.py, `configure`), rewrites the autograded notebook so that every later view of it is safe:

- markdown (cells and `text/markdown` outputs): kept as written when nbconvert's own parser
  finds only plain markdown (text, emphasis, code, math, tables, lists, headings, and links or
  images with harmless addresses); anything else (raw HTML, a mermaid block, a `javascript:`
  link...) is rendered by nbconvert and sanitized by nh3 (ammonia), and the cell then holds
  that HTML on one line, which markdown passes through unchanged;
- `text/html` and `image/svg+xml` outputs and raw cells: sanitized by nh3;
- other output types (`application/javascript`, widget views...) are dropped, keeping the
  text/plain fallback (or a note naming what was dropped); the notebook's widget state goes;
- attachments keep only image types, which browsers never run as scripts.

Sanitized HTML keeps no scripts, event handlers, forms, frames, styles, classes or ids (no page
overlays, no look-alike formgrader inputs), and images only as data: URLs; plain markdown's
images are attachments or files beside the notebook. So the page requests nothing from the
formgrader's API or elsewhere. `configure` also turns on nbconvert's own
sanitizing of outputs (`HTMLExporter.sanitize_html`) and drops heading anchors, whose ids a
student's heading could use to take over a grade cell's id in the formgrader.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from traitlets.config import Config

# Output types shown as they are: the templates escape text and render images from base64.
KEPT_TYPES = {
    "text/plain",
    "text/latex",
    "application/json",
    "image/png",
    "image/jpeg",
    "image/gif",
}
HTML_TYPES = {"text/html", "image/svg+xml"}
MARKDOWN_TYPES = {"text/markdown"}
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")  # inert inside <img>
# output metadata kept: per image type, and matplotlib's hint for dark themes at the top
OUTPUT_METADATA = {"width", "height", "unconfined", "alt"}
# a transparent 1x1 PNG: an attachment with no image left still resolves (nbconvert raises
# on a missing one)
BLANK_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
DROPPED_NOTE = "[output not shown while grading: {}]"

# Markdown that nbconvert renders with its text escaped (checked in tests/autograder/test_inert.py).
PLAIN_TOKENS = {
    "text",
    "emphasis",
    "strong",
    "codespan",
    "linebreak",
    "softbreak",
    "blank_line",
    "paragraph",
    "heading",
    "block_text",
    "list",
    "list_item",
    "task_list_item",
    "block_quote",
    "thematic_break",
    "table",
    "table_head",
    "table_body",
    "table_row",
    "table_cell",
    "strikethrough",
    "def_list",
    "def_list_head",
    "def_list_item",
    "inline_math",
    "block_math",
    "latex_environment",
    "block_code",
    "link",
    "image",
}
LINK_SCHEMES = {"http", "https", "mailto"}
# an image in the notebook's own folder: no scheme, no absolute path, no way up
_LOCAL_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*")

# nh3 (ammonia) settings: its default tags minus the interactive ones, a few SVG elements for
# image/svg+xml outputs, no class, id or style attribute.
TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
}
SVG_ATTRIBUTES = {
    "xmlns",
    "viewbox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-size",
    "font-family",
    "text-anchor",
}
ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{tag: SVG_ATTRIBUTES for tag in TAGS - set(nh3.ALLOWED_TAGS)},
}
URL_SCHEMES = LINK_SCHEMES | {"data"}  # data: only for images (_keep_attribute)


def _keep_attribute(tag, attribute, value):
    """nh3 attribute filter: images only from data: URLs of image types (no request leaves
    the page); data: URLs nowhere else."""
    lowered = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if lowered.startswith(tuple(f"data:{t};" for t in IMAGE_TYPES)) else None
    if lowered.startswith("data:"):
        return None
    return value


def clean_html(text):
    """`text` (HTML) with nothing that runs, loads or restyles the page."""
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )


def _safe_url(url, image):
    if any(ch <= " " or ch in "\x7f\\" for ch in url):
        return False
    if image:
        return url.startswith("attachment:") or bool(_LOCAL_FILE.fullmatch(url))
    scheme = urlsplit(url).scheme.lower()
    return scheme in LINK_SCHEMES or (not scheme and not url.startswith("//"))


# raw HTML the course's own markdown uses ("Going deeper" sections): tags without attributes
PLAIN_HTML_TAGS = {"details", "summary", "code", "em", "strong", "b", "i", "br", "p"}


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.plain = True

    def handle_starttag(self, tag, attrs):
        self.plain = self.plain and tag in PLAIN_HTML_TAGS and not attrs

    def handle_endtag(self, tag):
        self.plain = self.plain and tag in PLAIN_HTML_TAGS

    def handle_data(self, data):
        # an unfinished tag ends as text: the next token's `>` could finish it in the page
        self.plain = self.plain and "<" not in data

    def handle_comment(self, data):
        self.plain = False

    def handle_decl(self, decl):
        self.plain = False

    def handle_pi(self, data):
        self.plain = False

    def unknown_decl(self, data):
        self.plain = False


def _plain_html(raw):
    """Whether raw HTML holds only attribute-free tags of PLAIN_HTML_TAGS (nothing can run)."""
    collector = _TagCollector()
    collector.feed(raw)
    collector.close()
    return collector.plain


def _plain(tokens):
    for token in tokens:
        kind, attrs = token["type"], token.get("attrs") or {}
        if kind in ("block_html", "inline_html") and _plain_html(token.get("raw", "")):
            continue
        if kind not in PLAIN_TOKENS:
            return False
        if kind == "block_code" and "mermaid" in (attrs.get("info") or ""):
            return False  # nbconvert writes a mermaid block's source into the page as is
        if kind in ("link", "image") and not _safe_url(attrs.get("url", ""), kind == "image"):
            return False
        if not _plain(token.get("children", ())):
            return False
    return True


def plain_markdown(source):
    """Whether nbconvert's markdown parser finds nothing in `source` that could run."""
    return _plain(MarkdownWithMath(renderer=None)(source))


def render_markdown(source, attachments=None):
    """HTML of markdown `source` as nbconvert's HTML exporter renders it (as configured
    here: no heading anchors)."""
    renderer = IPythonRenderer(
        escape=False, attachments=attachments or {}, exclude_anchor_links=True
    )
    try:
        return MarkdownWithMath(renderer=renderer).render(source)
    except Exception:  # e.g. a missing attachment: show the text
        return "<pre>" + html.escape(source) + "</pre>"


def html_block(markup):
    """Sanitized HTML as markdown source that renders to exactly that HTML: one line (a
    newline is `&#10;`, the same character to HTML) opening with <div>, so markdown reads it
    as a single HTML block and passes it through."""
    markup = markup.strip()
    if not markup.startswith("<div>"):
        markup = f"<div>{markup}</div>"
    return markup.replace("\r", "&#13;").replace("\n", "&#10;")


def inert_markdown(source, attachments=None):
    """Markdown `source` unchanged if plain, else its sanitized rendering (see html_block)."""
    if plain_markdown(source):
        return source
    return html_block(clean_html(render_markdown(source, attachments)))


def inert_attachments(attachments):
    """Attachments with only image types (inert in <img>); a blank image when none is left."""
    kept = {}
    for name, bundle in attachments.items():
        images = {k: v for k, v in bundle.items() if k in IMAGE_TYPES and isinstance(v, str)}
        if "image/svg+xml" in images:
            images["image/svg+xml"] = clean_html(images["image/svg+xml"])
        kept[name] = images or {"image/png": BLANK_PNG}
    return kept


def inert_output(output):
    """A code cell's output with its HTML sanitized and script-like types dropped."""
    if "data" not in output:  # stream and error outputs: the templates escape them
        return output
    data, dropped = {}, []
    for mime, value in output["data"].items():
        text = "".join(value) if isinstance(value, list) else value
        if mime in KEPT_TYPES:
            data[mime] = value
        elif mime in HTML_TYPES and isinstance(text, str):
            data[mime] = clean_html(text)
        elif mime in MARKDOWN_TYPES and isinstance(text, str):
            data[mime] = inert_markdown(text)
        else:
            dropped.append(mime)
    if "image/svg+xml" in data and ("image/png" in data or "image/jpeg" in data):
        del data["image/svg+xml"]  # the raster version shows the same
    if not data:
        data["text/plain"] = DROPPED_NOTE.format(", ".join(dropped))
    output["data"] = data
    metadata = output.get("metadata") or {}
    kept = {
        mime: {k: v for k, v in meta.items() if k in OUTPUT_METADATA and _safe_metadata(k, v)}
        for mime, meta in metadata.items()
        if mime in data and isinstance(meta, dict)
    }
    if metadata.get("needs_background") in ("light", "dark"):
        kept["needs_background"] = metadata["needs_background"]
    output["metadata"] = kept
    return output


# nbconvert's templates write width and height into the tag unquoted ("width={{ width }}"):
# anything but a plain size could add attributes, an event handler among them
SIZE = re.compile(r"\d{1,5}(\.\d{1,3})?(px|%)?")


def _safe_metadata(key, value):
    if key in ("width", "height"):
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            or (isinstance(value, str) and SIZE.fullmatch(value) is not None)
        )
    return isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) < 200)


def configure(c: Config) -> Config:
    """Make an nbgrader Config's autograded notebooks and HTML views inert; returns `c`.

    MakeInert (autograder/preprocessors/make_inert.py) runs last in autograde (after execution
    and scoring) and again in generate_feedback (notebooks graded before it existed); lists set
    by other modules are kept, and applying this twice changes nothing.
    """
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_feedback import GenerateFeedback

    from autograder.preprocessors import chain
    from autograder.preprocessors.make_inert import MakeInert

    chain.place(c, Autograde, "autograde_preprocessors", MakeInert, otherwise=chain.LAST)
    chain.place(c, GenerateFeedback, "preprocessors", MakeInert, otherwise=chain.LAST)
    # nbconvert's own pass over outputs (bleach), for the formgrader's and feedback's pages
    c.HTMLExporter.sanitize_html = True
    # a heading's anchor id could equal a grade cell's id, which the formgrader looks up
    c.HTMLExporter.exclude_anchor_links = True
    return c
