"""The learning-rate explorer: sliders redraw one curve in place; without a front end it leaves
one static PNG and no widgets. Observers fire synchronously, so no kernel is needed."""

import warnings

import matplotlib

matplotlib.use("Agg")

import nbformat
import numpy as np
import pytest
from conftest import ROOT

from course import widgets


def geometric(learning_rate, n_iterations):
    """Gradient descent on L = w^2 from w = 3: w shrinks by (1 - 2 lr) per step, so the
    losses are known exactly; with lr > 1 they grow until they overflow."""
    factor = np.float64(1 - 2 * learning_rate)
    w = np.float64(3.0) * factor ** np.arange(n_iterations)
    return w * w, {"w": w[-1] * factor}


def expected_curve(learning_rate, n_iterations):
    values, _ = widgets.clip_for_plot(geometric(learning_rate, n_iterations)[0])
    return values


@pytest.fixture
def explorer():
    return widgets.LearningRateExplorer(geometric, 0.01, 50, interactive=True)


def test_sliders_have_the_stable_descriptions(explorer):
    # the browser tests find the slider by this text
    assert explorer.learning_rate.description == "learning rate"
    assert explorer.n_iterations.description == "iterations"
    assert type(explorer.learning_rate).__name__ == "FloatLogSlider"
    assert explorer.learning_rate.min < np.log10(0.01) < explorer.learning_rate.max


def test_moving_the_learning_rate_redraws_the_one_line(explorer):
    assert np.allclose(explorer.line.get_ydata(), expected_curve(0.01, 50))
    explorer.learning_rate.value = 0.2
    assert explorer.learning_rate.value == pytest.approx(0.2)
    x, y = explorer.line.get_data()
    assert np.array_equal(x, np.arange(1, 51))
    assert np.allclose(y, expected_curve(0.2, 50))
    assert len(explorer.axes.lines) == 1, "each move must update the line, not add one"
    assert "0.2" in explorer.status.get_text()
    assert "w = " in explorer.parameters.value


def test_moving_the_iterations_changes_the_curve_length(explorer):
    explorer.n_iterations.value = 120
    x, y = explorer.line.get_data()
    assert len(x) == len(y) == 120
    assert np.allclose(y, expected_curve(0.01, 120))
    assert explorer.axes.get_xlim()[1] == 200  # rounded up: small moves keep the axes
    assert len(explorer.axes.lines) == 1


def test_moves_within_the_axes_limits_only_redraw_the_curve(explorer):
    explorer.canvas.draw()  # the first full draw, as the front end requests it
    before = np.asarray(explorer.canvas.get_renderer().buffer_rgba()).copy()
    limits = explorer.axes.get_ylim()
    explorer.learning_rate.value = 0.011  # same decades: a blit over the saved background
    assert explorer.axes.get_ylim() == limits
    assert explorer.last_draw == "blit"
    after = np.asarray(explorer.canvas.get_renderer().buffer_rgba())
    assert not np.array_equal(before, after), "the blitted frame should show the new curve"
    # the blitted frame is what a full draw would give
    explorer.canvas.draw()
    assert np.array_equal(after, np.asarray(explorer.canvas.get_renderer().buffer_rgba()))
    explorer.learning_rate.value = 0.3  # loss falls many more decades: new limits, full draw
    assert explorer.last_draw == "full"


def test_divergence_is_drawn_clipped_without_warnings():
    explorer = widgets.LearningRateExplorer(
        geometric, 0.01, 200, learning_rate_range=(1e-3, 1e3), interactive=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning would fail the test
        explorer.learning_rate.value = 50.0  # w grows 99-fold per step: the loss overflows
    with np.errstate(over="ignore"):
        losses = geometric(50.0, 200)[0]
    assert not np.all(np.isfinite(losses)), "the example should overflow"
    first_bad = int(np.argmax(losses > losses[0] * widgets.DIVERGENCE_FACTOR)) + 1
    y = explorer.line.get_ydata()
    # drawn on a ceiling inside the axes from the iteration it diverged on
    assert np.all(np.isfinite(y)) and y.max() <= explorer.axes.get_ylim()[1]
    assert np.all(y[first_bad - 1 :] == y.max()) and np.all(y[: first_bad - 1] < y.max())
    assert f"diverged at iteration {first_bad}" in explorer.status.get_text()
    assert explorer.status.get_color() != "black"


def test_a_failing_train_is_reported_not_raised():
    def train(learning_rate, n_iterations):
        if learning_rate > 0.1:
            raise NotImplementedError()
        return np.ones(n_iterations)

    explorer = widgets.LearningRateExplorer(train, 0.01, 10, interactive=True)
    explorer.learning_rate.value = 0.5
    assert isinstance(explorer.error, NotImplementedError)
    assert "NotImplementedError" in explorer.parameters.value
    explorer.learning_rate.value = 0.02
    assert explorer.error is None and "NotImplementedError" not in explorer.parameters.value


def test_front_end_detection(monkeypatch):
    for name in ("BACKPROP_WIDGETS", "NBGRADER_EXECUTION", "JPY_SESSION_NAME", "VSCODE_PID"):
        monkeypatch.delenv(name, raising=False)
    assert not widgets.front_end_available()  # plain Python: nobody to see a slider
    monkeypatch.setenv("JPY_SESSION_NAME", "chapter.ipynb")
    assert not widgets.front_end_available()  # still no kernel here
    monkeypatch.setenv("BACKPROP_WIDGETS", "interactive")
    assert widgets.front_end_available()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert widgets.front_end_available()  # the explicit setting wins
    monkeypatch.setenv("BACKPROP_WIDGETS", "static")
    assert not widgets.front_end_available()


def test_static_under_nbgrader_makes_one_png_and_no_widgets(monkeypatch):
    import IPython.display
    import ipywidgets

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("BACKPROP_WIDGETS", "")
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    n_widgets = len(ipywidgets.widgets.widget._instances)
    explorer = widgets.learning_rate_explorer(geometric, 0.01, 50)
    assert not explorer.interactive
    assert len(ipywidgets.widgets.widget._instances) == n_widgets, "no widget in graded runs"
    assert [type(obj).__name__ for obj in shown] == ["Image"]
    png = shown[0].data
    assert png.startswith(b"\x89PNG") and len(png) < 100_000
    assert np.allclose(explorer.line.get_ydata(), expected_curve(0.01, 50))


def test_static_when_executed_by_nbconvert(monkeypatch):
    """A kernel with no front end (nbclient, as nbconvert and nbgrader use) gets the static
    plot: an image output, no widget view, no widget state saved in the notebook."""
    from nbclient import NotebookClient

    for name in ("BACKPROP_WIDGETS", "NBGRADER_EXECUTION", "JPY_SESSION_NAME", "VSCODE_PID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))

    code = (
        "import numpy as np\n"
        "from course.widgets import learning_rate_explorer\n"
        "explorer = learning_rate_explorer(lambda lr, n: np.exp(-lr * np.arange(n)), 0.1, 30)\n"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={})
    client.execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs if o.output_type == "error"] == []
    kinds = {key for o in outputs for key in o.get("data", {})}
    assert "image/png" in kinds
    assert "application/vnd.jupyter.widget-view+json" not in kinds
    assert "widgets" not in nb.metadata
    assert len(nbformat.writes(nb)) < 100_000


def test_a_value_brings_back_its_own_picture(explorer):
    """The limits depend on the curve alone, so returning to a value redraws the same frame."""

    def frame():
        if explorer.last_draw == "full":
            explorer.canvas.draw()  # what the front end asks for after draw_idle
        return np.asarray(explorer.canvas.get_renderer().buffer_rgba()).copy()

    explorer.canvas.draw()
    start = np.asarray(explorer.canvas.get_renderer().buffer_rgba()).copy()
    for value in (0.02, 0.4, 0.0105, 3e-4, 0.01):
        explorer.learning_rate.value = value
        picture = frame()
    assert np.array_equal(picture, start)
