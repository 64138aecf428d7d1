"""The learning-rate explorer: sliders redraw one curve in place; without a front end it leaves
one static PNG and no widgets. Observers fire synchronously, so no kernel is needed."""

import warnings

import matplotlib

matplotlib.use("Agg")

import nbformat
import numpy as np
import pytest

from course import widgets
from tests.helpers import ROOT


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
    # the curve and the edge line for losses of 0: updated, never added to
    assert len(explorer.axes.lines) == 2, "each move must update the line, not add one"
    assert "0.2" in explorer.status_text and "0.2" in explorer.status_html.value
    assert "w = " in explorer.parameters.value


def test_moving_the_iterations_changes_the_curve_length(explorer):
    explorer.n_iterations.value = 120
    x, y = explorer.line.get_data()
    assert len(x) == len(y) == 120
    assert np.allclose(y, expected_curve(0.01, 120))
    assert explorer.axes.get_xlim()[1] == 200  # rounded up: small moves keep the axes
    assert len(explorer.axes.lines) == 2


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
    explorer.learning_rate.value = 0.3  # the loss falls 38 decades: off the axis, same limits
    assert explorer.last_draw == "blit"
    explorer.n_iterations.value = 120  # iterations past the x axis' end: new limits
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
    assert f"diverged at iteration {first_bad}" in explorer.status_text
    assert "color:#b00" in explorer.status_html.value


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


def relu_neuron(learning_rate, n_iterations):
    """One ReLU neuron, loss ReLU(z)^2 with z = w + b for input 1, from w = 2, b = 1 (z = 3):
    each update lowers z by 4 lr z, so z shrinks by (1 - 4 lr) and a rate above 1/4 pushes it
    below 0 in one step, where ReLU's derivative is 0 and nothing changes again."""
    w, b = 2.0, 1.0
    losses, z_trace = [], []
    for _ in range(n_iterations):
        z = w + b
        z_trace.append(z)
        losses.append(max(z, 0.0) ** 2)
        dz = 2 * max(z, 0.0) * (z > 0)
        w, b = w - learning_rate * dz, b - learning_rate * dz
    return np.array(losses), {"z": w + b, "z_trace": z_trace}


def test_a_live_neuron_has_no_dead_label_and_its_z_is_plotted():
    explorer = widgets.LearningRateExplorer(relu_neuron, 0.1, 30, interactive=True)
    z = 3.0 * 0.6 ** np.arange(30)
    assert explorer.has_z and len(explorer.z_lines) == 1
    assert np.allclose(explorer.z_lines[0].get_ydata(), z)
    assert explorer.dead_text == "" and "backprop-dead" not in explorer.status_html.value
    assert len(explorer.death_marks.get_xdata()) == 0
    assert "z_trace" not in explorer.parameters.value, "the trace is plotted, not printed"
    bottom, top = explorer.z_axes.get_ylim()
    assert bottom < 0 < z.max() <= top, "z = 0, where ReLU switches off, must be in view"


def test_a_rate_that_kills_the_neuron_is_labelled_dead():
    explorer = widgets.LearningRateExplorer(relu_neuron, 0.1, 30, interactive=True)
    explorer.learning_rate.value = 0.5  # z: 3, then 3 - 4 * 0.5 * 3 = -3, for good
    assert explorer.dead_text.startswith("Dead neuron: z ≤ 0 from iteration 2 on (z = -3 ")
    assert "derivative is 0" in explorer.dead_text
    assert "backprop-dead" in explorer.status_html.value
    assert "Dead neuron" in explorer.status_html.value
    assert list(explorer.death_marks.get_xdata()) == [2]
    assert list(explorer.death_marks.get_ydata()) == [-3.0]
    # the loss is exactly 0 from iteration 2: not drawn at a made-up floor on the log axis,
    # but as a gap in the curve and a line on the axes' bottom edge
    y = explorer.line.get_ydata()
    assert y[0] == 9.0 and np.all(np.isnan(y[1:]))
    edge = explorer.zero_line.get_ydata()
    assert np.isnan(edge[0]) and np.all(edge[1:] == 0)
    assert "loss exactly 0 from iteration 2 on" in explorer.status_text
    explorer.learning_rate.value = 0.1
    assert explorer.dead_text == "" and np.all(np.isnan(explorer.zero_line.get_ydata()))


def test_dead_since_and_the_label_for_a_layer():
    z = np.array([[1.0, 2.0, 3.0], [-1.0, 1.0, 2.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 0.5]])
    assert widgets.dead_since(z) == [2, 3, None]
    label = widgets.dead_label(widgets.dead_since(z), z)
    assert label.startswith("Dead: neuron 0 from iteration 2 (z = -1), neuron 1 from iteration 3")
    all_dead = np.array([[1.0, 2.0], [-1.0, -2.0]])
    assert widgets.dead_label(widgets.dead_since(all_dead), all_dead).startswith(
        "All 2 neurons are dead: z ≤ 0 from iteration 2 on"
    )
    # alive again at the end (a batch can revive a neuron): not dead
    assert widgets.dead_since(np.array([[1.0], [-1.0], [0.5]])) == [None]


def test_static_figure_carries_the_dead_label(monkeypatch):
    explorer = widgets.LearningRateExplorer(relu_neuron, 0.5, 30, interactive=False)
    assert "Dead neuron" in explorer.status.get_text() and explorer.status.get_visible()
    assert explorer.png().startswith(b"\x89PNG")


def test_blitted_frame_with_z_panel_matches_a_full_draw():
    explorer = widgets.LearningRateExplorer(relu_neuron, 0.1, 30, interactive=True)
    explorer.canvas.draw()
    explorer.learning_rate.value = 0.1005  # the same limits: curves blitted over the background
    assert explorer.last_draw == "blit"
    blitted = np.asarray(explorer.canvas.get_renderer().buffer_rgba()).copy()
    explorer.canvas.draw()
    assert np.array_equal(blitted, np.asarray(explorer.canvas.get_renderer().buffer_rgba()))


def test_frames_are_whole_pngs_of_the_canvas():
    from io import BytesIO

    from PIL import Image

    explorer = widgets.LearningRateExplorer(relu_neuron, 0.1, 30, interactive=True)
    explorer.canvas.draw()
    explorer.canvas._png_is_old = True
    frame = Image.open(BytesIO(explorer.canvas.get_diff_image()))
    pixels = np.asarray(explorer.canvas.get_renderer().buffer_rgba())
    assert np.array_equal(np.asarray(frame.convert("RGBA")), pixels)
    assert explorer.canvas._current_image_mode == "full"


# Runs a chapter's setup, solution and plain cells (not its tests) in a process of its own
# (nnfs.init() patches NumPy process-wide), then drives the notebook's own explorer.
CHAPTER_EXPLORER = """
import json, sys
sys.path.insert(0, "bench")
import bench_widgets
from course.widgets import LearningRateExplorer

chapter, rates = sys.argv[1], [float(r) for r in sys.argv[2:]]
namespace = bench_widgets.notebook_namespace(chapter)
explorer = LearningRateExplorer(namespace["train_example"], rates[0], 200, interactive=True)
result = []
for rate in rates:
    explorer.learning_rate.value = rate
    if chapter.startswith("04"):
        direct = namespace["train_neuron"](
            namespace["inputs"], namespace["weights"], namespace["bias"], 0.0, rate, 200
        )
    else:
        # the example's arrays, as train_example bound them (later cells reuse the names)
        inputs, weights, biases = namespace["train_example"].__defaults__
        direct = namespace["train_layer"](inputs, weights, biases, rate, 200)
    losses = namespace["train_example"](rate, 200)[0]
    result.append({
        "rate": rate,
        "same_losses": [float(a) == float(b) for a, b in zip(losses, direct[0])].count(False),
        "n_losses": len(losses),
        "plotted": [float(v) for v in explorer.line.get_ydata()[:5]],
        "z0": [float(line.get_ydata()[0]) for line in explorer.z_lines],
        "dead": explorer.dead_text,
        "info": explorer.info,
        "final_weights": [float(w) for w in direct[1].ravel()],
    })
print(json.dumps(result))
"""


def run_chapter_explorer(chapter, *rates):
    import json
    import subprocess
    import sys

    from tests.helpers import nbgrader_env

    result = subprocess.run(
        [sys.executable, "-c", CHAPTER_EXPLORER, chapter, *map(str, rates)],
        cwd=ROOT,
        env={**nbgrader_env(), "BACKPROP_WIDGETS": "static", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_chapter_4_explorer_trains_as_the_notebook_and_marks_eta_0_05_dead():
    """The written answer 4.5 asks about eta = 0.05 > 1/30: the explorer must say the neuron
    died there, and not at 0.001; its losses are train_neuron's own, number for number."""
    slow, fast = run_chapter_explorer("04_single_neuron_backprop", 0.001, 0.05)
    for run in (slow, fast):
        assert run["n_losses"] == 200 and run["same_losses"] == 0
        assert run["z0"] == [6.0]  # z = 1 * -3 + -2 * -1 + 3 * 2 + 1
        weights = ", ".join(f"{w:.4g}" for w in run["final_weights"])
        assert f"weights = [{weights.replace(', ', ' ')}]" in run["info"]
    assert slow["dead"] == "" and slow["plotted"][0] == 36.0
    assert fast["dead"].startswith("Dead neuron: z ≤ 0 from iteration 2 on (z = -3")
    assert fast["plotted"][0] == 36.0 and all(v != v for v in fast["plotted"][1:])  # NaN: 0


@pytest.mark.slow
def test_chapter_5_explorer_trains_as_the_notebook_and_names_the_dead_neurons():
    """The text: neurons 0 and 1 die at any rate (the kinks), from about 0.0085 all three die
    at the first step."""
    slow, fast = run_chapter_explorer("05_layer_backprop", 0.001, 0.05)
    for run in (slow, fast):
        assert run["n_losses"] == 200 and run["same_losses"] == 0
        assert len(run["z0"]) == 3
    assert slow["dead"].startswith("Dead: neuron 0 from iteration")
    assert "neuron 1 from iteration" in slow["dead"] and "neuron 2" not in slow["dead"]
    assert fast["dead"].startswith("All 3 neurons are dead: z ≤ 0 from iteration 2 on")
