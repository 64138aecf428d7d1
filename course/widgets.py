"""Interactive explorers: drag a slider, watch training change.

`learning_rate_explorer(train)` shows two sliders (the learning rate on a log scale, and the
number of iterations) above a plot of the loss curve and the final parameters. `train` is any
function `train(learning_rate, n_iterations)` returning the losses, or `(losses, info)` where
`info` is a dict of final values to show ({"weights": ..., "bias": ...}) or a string.

With a front end (JupyterLab or Notebook, which start the kernel with JPY_SESSION_NAME set) the
plot is an ipympl canvas updated in place: one line whose data changes, one draw in flight at
a time, so dragging stays smooth. Without one (nbgrader sets NBGRADER_EXECUTION; nbconvert and
plain Python set nothing) it draws one static PNG at the initial values and creates no widgets,
so graded and converted notebooks stay small and run fast. BACKPROP_WIDGETS=static|interactive
overrides the guess.
"""

import io
import math
import os
import traceback
import warnings

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

# Losses are drawn on a log scale between these bounds: 0 (a dead ReLU neuron) sits on the
# floor, inf and overflow (a diverging run) on the ceiling, instead of breaking the plot.
LOSS_FLOOR = 1e-12
# the loss axis spans whole multiples of this many decades (fewer changes, fewer full draws)
Y_SNAP = 3
# a run has diverged once its loss exceeds the first loss this many times over
DIVERGENCE_FACTOR = 1e6


def front_end_available():
    """True when slider widgets will be seen by someone (see the module docstring)."""
    forced = os.environ.get("BACKPROP_WIDGETS", "").strip().lower()
    if forced in ("static", "interactive"):
        return forced == "interactive"
    if os.environ.get("NBGRADER_EXECUTION"):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    in_kernel = shell is not None and getattr(shell, "kernel", None) is not None
    return in_kernel and ("JPY_SESSION_NAME" in os.environ or "VSCODE_PID" in os.environ)


def run_training(train, learning_rate, n_iterations):
    """(losses as float64, info) from one call of `train`, with NumPy's warnings silenced:
    a diverging run overflows, and the plot shows it better than a wall of RuntimeWarnings."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = train(learning_rate, n_iterations)
        if isinstance(result, tuple) and len(result) == 2:
            losses, info = result
        else:
            losses, info = result, None
        losses = np.asarray(losses, dtype=np.float64).ravel()
    return losses, info


def clip_for_plot(losses):
    """(values to draw on a log axis, iteration where the run diverged or None)."""
    losses = np.asarray(losses, dtype=np.float64)
    finite = np.isfinite(losses)
    first = losses[finite][0] if finite.any() else 1.0
    ceiling = max(abs(first), 1.0) * DIVERGENCE_FACTOR
    bad = ~finite | (losses > ceiling)
    diverged = int(np.argmax(bad)) + 1 if bad.any() else None
    values = np.where(bad, ceiling, losses)
    if diverged is not None:
        values[diverged - 1 :] = ceiling  # a run that overflowed once stays diverged
    return np.clip(values, LOSS_FLOOR, ceiling), diverged


def describe(value):
    """A final parameter as text: numbers to 4 significant digits (6 for a scalar)."""
    if isinstance(value, str):
        return value
    array = np.asarray(value)
    if array.ndim == 0:
        return f"{array.item():.6g}"
    return np.array2string(
        array, separator=" ", max_line_width=88, formatter={"float_kind": "{:.4g}".format}
    )


def info_text(info):
    if info is None:
        return ""
    if isinstance(info, str):
        return info
    return "\n".join(f"{name} = {describe(value)}" for name, value in info.items())


def summary(losses, diverged):
    if len(losses) == 0:
        return "no iterations"
    if diverged is not None:
        return f"diverged at iteration {diverged}"
    return f"final loss {losses[-1]:.4g}"


class LearningRateExplorer:
    """The widget behind `learning_rate_explorer` (see there). Tests and benchmarks drive it
    by setting `self.learning_rate.value` or `self.n_iterations.value`; `self.line` holds the
    plotted curve and `self.last_draw` says how the last update reached the screen."""

    def __init__(
        self,
        train,
        learning_rate=1e-3,
        n_iterations=100,
        *,
        learning_rate_range=(1e-5, 1.0),
        max_iterations=1000,
        title="Loss during training",
        interactive=None,
    ):
        self.train = train
        self.interactive = front_end_available() if interactive is None else bool(interactive)
        self.figure = Figure(figsize=(6.4, 3.4), dpi=100)
        # fixed margins: a layout engine would re-run on every draw
        self.figure.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.8)
        self.figure.suptitle(title, fontsize=11)
        self.axes = self.figure.add_subplot()
        self.axes.set_yscale("log")
        self.axes.set_autoscale_on(False)
        # few tick labels: rendering text is most of the cost of a draw
        self.axes.yaxis.set_major_locator(ticker.LogLocator(numticks=7))
        self.axes.yaxis.set_major_formatter(ticker.FuncFormatter(_decade_label))
        self.axes.yaxis.set_minor_locator(ticker.NullLocator())
        self.axes.xaxis.set_major_locator(ticker.MaxNLocator(6, integer=True))
        self.axes.set_xlabel("iteration")
        self.axes.set_ylabel("loss")
        self.axes.grid(True, alpha=0.3)
        (self.line,) = self.axes.plot([], [], color="C0", lw=1.8)
        self.status = self.axes.set_title("", loc="left", y=1.0, pad=4, fontsize=9)
        self.info = ""
        self.error = None
        self.last_draw = None
        self._background = None
        if self.interactive:
            self._build_widgets(learning_rate, n_iterations, learning_rate_range, max_iterations)
        self.redraw(learning_rate, n_iterations)

    def _build_widgets(self, learning_rate, n_iterations, learning_rate_range, max_iterations):
        import ipywidgets as widgets
        from ipympl.backend_nbagg import Canvas, FigureManager

        low, high = (math.log10(r) for r in learning_rate_range)
        wide = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="440px")}
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=low,
            max=high,
            step=0.01,
            description="learning rate",
            readout_format=".2e",
            continuous_update=True,
            **wide,
        )
        self.n_iterations = widgets.IntSlider(
            value=n_iterations,
            min=1,
            max=max(max_iterations, n_iterations),
            description="iterations",
            continuous_update=True,
            **wide,
        )
        self.canvas = Canvas(self.figure)
        with warnings.catch_warnings():
            # ipympl's toolbar trips a traitlets DeprecationWarning; nothing to act on here
            warnings.simplefilter("ignore", DeprecationWarning)
            self.manager = FigureManager(self.canvas, 0)
        self.canvas.header_visible = False
        self.canvas.footer_visible = False
        self.canvas.toolbar_visible = False
        self.canvas.resizable = False
        # the PNG copy for exported widget state would cost a second encoding per frame
        self.canvas.syncing_data_url = False
        # The curve and its status line are drawn over a saved background (blitting): a move
        # that keeps the axes' limits re-renders only them, not every tick label.
        self.line.set_animated(True)
        self.status.set_animated(True)
        self.canvas.mpl_connect("draw_event", self._on_full_draw)
        self.parameters = widgets.HTML()
        self.widget = widgets.VBox(
            [self.learning_rate, self.n_iterations, self.canvas, self.parameters]
        )
        self.learning_rate.observe(self._on_change, names="value")
        self.n_iterations.observe(self._on_change, names="value")

    def _on_change(self, change):
        self.redraw(self.learning_rate.value, self.n_iterations.value)

    def _on_full_draw(self, event):
        """After a full draw (which skips animated artists): keep it as the background, then
        add the curve and status line to the same frame."""
        if self.canvas.is_saving():
            return  # savefig draws animated artists itself
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._background_size = self.canvas.get_width_height(physical=True)
        self.line.draw(event.renderer)
        self.status.draw(event.renderer)

    def _set_limits(self, values, n_iterations):
        """Snap the y range outward to multiples of Y_SNAP decades and the x range to 1-2-5
        steps: most moves then leave the axes (and the cached background) unchanged, and the
        limits depend on the curve alone, so a value brings back the same picture whatever
        was shown before. True when the limits changed."""
        if len(values):
            low = Y_SNAP * math.floor(math.log10(values.min()) / Y_SNAP)
            high = Y_SNAP * math.ceil(math.log10(values.max()) / Y_SNAP)
        else:
            low, high = 0, Y_SNAP
        high = high if high > low else low + Y_SNAP
        limits = ((0.0, _round_up(n_iterations)), (10.0**low, 10.0**high))
        changed = limits != (self.axes.get_xlim(), self.axes.get_ylim())
        if changed:
            self.axes.set_xlim(limits[0])
            self.axes.set_ylim(limits[1])
        return changed

    def redraw(self, learning_rate, n_iterations):
        """Retrain and update the curve in place. In a front end an error in `train` is shown
        under the plot, since a slider callback's exception would vanish."""
        try:
            losses, info = run_training(self.train, learning_rate, n_iterations)
        except Exception as error:
            if not self.interactive:
                raise
            self.error = error
            message = "".join(traceback.format_exception_only(type(error), error))
            self.parameters.value = (
                f"<pre style='color:#b00'>train({learning_rate:.3g}, {n_iterations}) raised "
                f"{_escape(message)}</pre>"
            )
            return
        self.error = None
        values, diverged = clip_for_plot(losses)
        self.line.set_data(np.arange(1, len(values) + 1), values)
        self.status.set_text(
            f"learning rate {learning_rate:.3g}, {n_iterations} iterations: "
            f"{summary(losses, diverged)}"
        )
        self.status.set_color("#b00" if diverged else "black")
        limits_changed = self._set_limits(values, n_iterations)
        self.info = info_text(info)
        if self.interactive:
            self.parameters.value = f"<pre>{_escape(self.info)}</pre>"
            self._refresh(limits_changed)

    def _refresh(self, limits_changed):
        # Whole frames, not diffs: the front end drops a frame that arrives while the previous
        # one loads, and a dropped diff leaves ghost curves and labels (tests/e2e caught it).
        self.canvas._force_full = True
        size = self.canvas.get_width_height(physical=True)
        if limits_changed or self._background is None or size != self._background_size:
            # ipympl renders when the front end asks: one full draw in flight at a time
            self._background = None
            self.canvas.draw_idle()
            self.last_draw = "full"
            return
        self.canvas.restore_region(self._background)
        self.figure.draw_artist(self.line)
        self.figure.draw_artist(self.status)
        self.canvas.blit(self.figure.bbox)
        self.last_draw = "blit"

    def png(self):
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def show(self):
        from IPython.display import Image, display

        if self.interactive:
            display(self.widget)
        else:
            display(Image(data=self.png(), format="png"))
            if self.info:
                print(self.info)
            print("(A static plot: open the notebook in JupyterLab to drag the sliders.)")


def _round_up(n):
    """The smallest of 10, 20, 50, 100, 200, 500, ... that is >= n."""
    scale = 10.0 ** max(1, math.floor(math.log10(max(n, 1))))
    for step in (1, 2, 5, 10):
        if step * scale >= n:
            return step * scale
    return 10 * scale


def _decade_label(value, position):
    """'0.01', '1', '100', and '1e-06' beyond: short labels for decade ticks."""
    if value <= 0:
        return ""
    exponent = round(math.log10(value))
    return f"{10.0**exponent:g}" if -3 <= exponent <= 3 else f"1e{exponent}"


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def learning_rate_explorer(train, learning_rate=1e-3, n_iterations=100, **options):
    """Sliders for the learning rate (log scale) and the number of iterations over a plot of
    the loss curve, redrawn in place as they move; static without a front end.

    train: callable (learning_rate, n_iterations) -> losses (n_iterations,), or
           (losses, info) with info a dict {name: final value} or a string, shown below.
    options: learning_rate_range=(1e-5, 1.0), max_iterations=1000, title=..., interactive=None.
    Returns the LearningRateExplorer (already displayed).
    """
    explorer = LearningRateExplorer(train, learning_rate, n_iterations, **options)
    explorer.show()
    return explorer
