"""Reading feedback pages (autograder/feedback.py) with html.parser: the text a reader sees,
and where a note goes."""

from autograder import feedback
from autograder.submissions import Problem

PAGE = (
    "<!DOCTYPE html>\n<html><head><style>.x { content: 'from autograder import' }</style>\n"
    "<script>var s = '<b>### BEGIN HIDDEN TESTS</b>';</script></head>\n"
    '<body class="jp" data-x="a>b">\n<p>1 &lt; 2 &amp;&amp; <code>relu(x)</code></p>'
    "<!-- a comment -->\n</body></html>\n"
)


def test_page_text_is_what_a_reader_sees():
    text = feedback.page_text(PAGE)
    assert "1 < 2 && relu(x)" in text
    assert "autograder" not in text and "BEGIN" not in text and "comment" not in text
    assert feedback.leaks(PAGE) == []
    assert feedback.leaks(PAGE.replace("relu(x)", "from autograder import x")) != []


def test_note_goes_right_after_the_opening_body_tag():
    problem = Problem("renamed", "Your notebook was named <b>ch.ipynb</b>.")
    page = feedback.note_problems(PAGE, [problem])
    before, after = page.split('<body class="jp" data-x="a>b">', 1)
    assert before == PAGE.split("<body", 1)[0]
    assert after.startswith("<div class='alert alert-warning'>")
    assert "Your notebook was named &lt;b&gt;ch.ipynb&lt;/b&gt;." in after
    assert feedback.note_problems("<p>no body</p>", [problem]) == "<p>no body</p>"
