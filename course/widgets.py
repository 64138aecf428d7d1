"""Interactive explorers: drag a slider, watch training change.

`learning_rate_explorer(train)` shows two sliders (the learning rate on a log scale, and the
number of iterations) above a plot of the loss curve, the final parameters below it. `train`
is any function `train(learning_rate, n_iterations)` returning the losses, or `(losses, info)`
where `info` is a dict of final values to show ({"weights": ..., "bias": ...}) or a string.
When `info` holds "z_trace", each ReLU neuron's z before each update, shape (n_iterations,) or
(n_iterations, n_neurons), a second plot shows z against the iterations, and a neuron whose z
stays <= 0 to the end is labelled dead: its ReLU outputs 0 and passes no gradient back.

With a front end (JupyterLab or Notebook, which start the kernel with JPY_SESSION_NAME set) the
plot is an ipympl canvas updated in place: the curves' data change and, while the axes keep
their limits, only they are redrawn over a saved background; the callback sends each frame
itself. The title, the status line and the dead-neuron label are HTML around the canvas, so they
wrap in a narrow window, and the canvas shrinks to the width of the notebook (CSS). Without a front end (nbgrader sets NBGRADER_EXECUTION; nbconvert and
plain Python set nothing) it draws one static PNG at the initial values, its texts inside the
figure, and creates no widgets, so graded and converted notebooks stay small and run fast.
BACKPROP_WIDGETS=static|interactive overrides the guess.
"""

import io
import math
import os
import textwrap
import traceback
import warnings

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

# The loss axis's top is the curve's maximum rounded up to a multiple of Y_SNAP decades, and it
# always spans LOSS_DECADES decades below that: every converging run is drawn on one scale, so
# rates compare at a glance and a move rarely changes the axes (a blit, not a full draw). A
# loss further down leaves through the bottom edge; the status line gives the final loss.
Y_SNAP = 3
LOSS_DECADES = 18
# a run has diverged once its loss exceeds the first loss this many times over
DIVERGENCE_FACTOR = 1e6
# the figure in pixels at 100 dpi: it fits an 800-px JupyterLab window with the file browser
# closed; narrower notebooks shrink it (STYLE below)
FIGURE_SIZE = (5.6, 3.2)
FIGURE_SIZE_WITH_Z = (5.6, 4.6)
# the sliders' labels share one width, so their tracks start at the same x
LABEL_WIDTH = "7.5em"
WIDGET_CLASS = "backprop-explorer"
# ipympl sizes its canvases in pixels; in a narrower output area they shrink with the page
# instead of being cut off (no mouse interaction here to be thrown off by the scaling).
STYLE = f"""<style>
.{WIDGET_CLASS} .jupyter-matplotlib-figure {{ width: auto; max-width: 100%; }}
.{WIDGET_CLASS} .jupyter-matplotlib-canvas-div {{
    width: auto !important; height: auto !important; max-width: 100%; }}
.{WIDGET_CLASS} .jupyter-matplotlib-canvas-div canvas:first-child {{
    position: static !important; width: 100% !important; height: auto !important;
    max-width: {FIGURE_SIZE[0] * 100:.0f}px; }}
.{WIDGET_CLASS} .jupyter-matplotlib-canvas-div canvas + canvas {{ display: none !important; }}
.{WIDGET_CLASS} .backprop-dead {{ color: #b00; font-weight: bold; }}
</style>"""
DEAD_COLOR = "#b00"
# the z curves' colours: matplotlib's cycle without its blue (the loss) and red (dead marks)
Z_COLORS = ["C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9"]


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
    """(losses as float64, info, z_trace or None) from one call of `train`, with NumPy's
    warnings silenced: a diverging run overflows, and the plot shows it better than a wall of
    RuntimeWarnings. z_trace, taken out of info, is float64 (n_iterations, n_neurons)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = train(learning_rate, n_iterations)
        if isinstance(result, tuple) and len(result) == 2:
            losses, info = result
        else:
            losses, info = result, None
        losses = np.asarray(losses, dtype=np.float64).ravel()
        z_trace = None
        if isinstance(info, dict) and "z_trace" in info:
            info = dict(info)
            z_trace = np.asarray(info.pop("z_trace"), dtype=np.float64)
            z_trace = z_trace.reshape(len(z_trace), -1)
    return losses, info, z_trace


def clip_for_plot(losses):
    """(values to draw on a log axis, iteration where the run diverged or None).

    A loss of exactly 0 (a dead ReLU neuron with target 0) has no place on a log axis: it
    becomes NaN here (a gap in the curve) and `zero_losses` draws it on the axis's bottom edge.
    inf and overflow (a diverging run) sit on a ceiling from the iteration it diverged on."""
    losses = np.asarray(losses, dtype=np.float64)
    finite = np.isfinite(losses)
    first = losses[finite][0] if finite.any() else 1.0
    ceiling = max(abs(first), 1.0) * DIVERGENCE_FACTOR
    bad = ~finite | (losses > ceiling)
    diverged = int(np.argmax(bad)) + 1 if bad.any() else None
    values = np.where(bad, ceiling, losses)
    if diverged is not None:
        values[diverged - 1 :] = ceiling  # a run that overflowed once stays diverged
    return np.where(values > 0, values, np.nan), diverged


def zero_losses(values):
    """0 where the loss was not positive (NaN in clip_for_plot's values), NaN elsewhere: the
    y of a line on the bottom edge of the loss axes (y in axes coordinates)."""
    return np.where(np.isnan(values), 0.0, np.nan)


def dead_since(z_trace):
    """For each neuron, the iteration (1-based) from which its z stays <= 0 to the end of the
    run, or None while it is alive at the end. z_trace: (n_iterations, n_neurons).
    Here the derivative of ReLU at z <= 0 is 0, so from then on no gradient reaches it."""
    result = []
    for z in np.asarray(z_trace).T:
        alive = np.flatnonzero(~(z <= 0))  # NaN counts as alive: nothing to claim
        if len(z) == 0 or (len(alive) and alive[-1] == len(z) - 1):
            result.append(None)
        else:
            result.append(int(alive[-1]) + 2 if len(alive) else 1)
    return result


def dead_label(dead, z_trace):
    """The label for dead neurons ('' when none). dead: dead_since's list; z_trace:
    (n_iterations, n_neurons), for the z each neuron died with."""
    died = [(i, k, z_trace[k - 1, i]) for i, k in enumerate(dead) if k is not None]
    if not died:
        return ""
    stopped = "so every gradient is 0 and training has stopped for good"
    if len(dead) == 1:
        _, k, z = died[0]
        return (
            f"Dead neuron: z ≤ 0 from iteration {k} on (z = {z:.3g} there), where ReLU "
            f"outputs 0 and its derivative is 0, {stopped}."
        )
    if len(died) == len(dead) and len({k for _, k, _ in died}) == 1:
        return (
            f"All {len(dead)} neurons are dead: z ≤ 0 from iteration {died[0][1]} on, where "
            f"every ReLU outputs 0 with derivative 0, {stopped}."
        )
    which = ", ".join(f"neuron {i} from iteration {k} (z = {z:.3g})" for i, k, z in died)
    if len(died) == len(dead):
        return (
            f"All {len(dead)} neurons are dead: {which}. Every ReLU passes 0 gradient, {stopped}."
        )
    return (
        f"Dead: {which}, z ≤ 0 to the end. A dead neuron's ReLU outputs 0 and its derivative "
        "is 0, so no gradient reaches its weights or bias again."
    )


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
    zero = np.flatnonzero(losses == 0)
    if len(zero) and np.all(losses[zero[0] :] == 0):
        return (
            f"loss exactly 0 from iteration {zero[0] + 1} on "
            "(drawn in red on the bottom edge: 0 has no place on a log scale)"
        )
    return f"final loss {losses[-1]:.4g}"


class LearningRateExplorer:
    """The widget behind `learning_rate_explorer` (see there). Tests and benchmarks drive it
    by setting `self.learning_rate.value` or `self.n_iterations.value`; `self.line` holds the
    plotted loss curve, `self.z_lines` the z curves, `self.status_text` and `self.dead_text`
    what the status line and the dead-neuron label say, and `self.last_draw` how the last
    update reached the screen."""

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
        self.title = title
        self.interactive = front_end_available() if interactive is None else bool(interactive)
        self.has_z = _reports_z(train, learning_rate)
        self._build_figure()
        self.info = ""
        self.status_text = ""
        self.dead_text = ""
        self.error = None
        self.last_draw = None
        self._background = None
        if self.interactive:
            self._build_widgets(learning_rate, n_iterations, learning_rate_range, max_iterations)
        self.redraw(learning_rate, n_iterations)

    def _build_figure(self):
        self.figure = Figure(figsize=FIGURE_SIZE_WITH_Z if self.has_z else FIGURE_SIZE, dpi=100)
        if self.has_z:
            self.axes, self.z_axes = self.figure.subplots(
                2, 1, sharex=True, gridspec_kw={"height_ratios": (3, 2), "hspace": 0.12}
            )
        else:
            self.axes, self.z_axes = self.figure.add_subplot(), None
        self._set_margins(header=22)
        self.axes.set_yscale("log")
        self.axes.set_autoscale_on(False)
        # few tick labels: rendering text is most of the cost of a draw
        self.axes.yaxis.set_major_locator(ticker.LogLocator(numticks=7))
        self.axes.yaxis.set_major_formatter(ticker.FuncFormatter(_decade_label))
        self.axes.yaxis.set_minor_locator(ticker.NullLocator())
        self.axes.xaxis.set_major_locator(ticker.MaxNLocator(6, integer=True))
        self.axes.set_ylabel("loss")
        self.axes.grid(True, alpha=0.3)
        # a marker on iteration 1: a run whose loss is 0 from iteration 2 is a single point
        (self.line,) = self.axes.plot([], [], color="C0", lw=1.8, marker="o", ms=4, markevery=[0])
        edge = blended_transform_factory(self.axes.transData, self.axes.transAxes)
        (self.zero_line,) = self.axes.plot(
            [], [], color=DEAD_COLOR, lw=4, transform=edge, clip_on=False, solid_capstyle="butt"
        )
        self.z_lines, self.death_marks = [], None
        bottom_axes = self.axes
        if self.has_z:
            bottom_axes = self.z_axes
            self.z_axes.set_autoscale_on(False)
            self.z_axes.set_ylabel("z")
            self.z_axes.grid(True, alpha=0.3)
            self.z_axes.yaxis.set_major_locator(ticker.MaxNLocator(4))
            self.z_axes.axhline(0, color="black", lw=0.8)
            # z <= 0: the region where ReLU passes no gradient; its edge moves with the limits
            self.off_region = self.z_axes.axhspan(-1, 0, color=DEAD_COLOR, alpha=0.08, lw=0)
            self.z_axes.text(
                0.99, 0.04, "z ≤ 0: ReLU off, no gradient", transform=self.z_axes.transAxes,
                ha="right", va="bottom", fontsize=8, color=DEAD_COLOR,
            )  # fmt: skip
            (self.death_marks,) = self.z_axes.plot(
                [], [], "x", color=DEAD_COLOR, ms=9, mew=2.5, zorder=5
            )
        bottom_axes.set_xlabel("iteration")
        if not self.interactive:
            self.figure.suptitle(self.title, fontsize=11)
        self.status = self.axes.set_title("", loc="left", y=1.0, pad=4, fontsize=9)
        self.status.set_visible(not self.interactive)

    def _set_margins(self, header):
        """Fixed margins in pixels, `header` above the axes (a layout engine would re-run on
        every draw): the texts sit there only in the static figure."""
        width, height = self.figure.get_size_inches() * self.figure.dpi
        self.figure.subplots_adjust(
            left=72 / width, right=1 - 16 / width, bottom=46 / height, top=1 - header / height
        )

    def _fit_static_header(self, lines):
        """Grow the static figure upwards to hold the title and these lines of status."""
        base = (FIGURE_SIZE_WITH_Z if self.has_z else FIGURE_SIZE)[1] * self.figure.dpi
        header = 36 + 15 * len(lines)
        self.figure.set_size_inches(self.figure.get_figwidth(), (base + header) / 100)
        self._set_margins(header)

    def _z_line(self, index):
        """The z curve of neuron index, created on first use (red is kept for dead marks); a
        layer's curves get a legend naming the neurons as the dead-neuron label does."""
        while len(self.z_lines) <= index:
            color = Z_COLORS[len(self.z_lines) % len(Z_COLORS)]
            (line,) = self.z_axes.plot([], [], color=color, lw=1.6)
            line.set_animated(self.interactive)
            self.z_lines.append(line)
            if len(self.z_lines) > 1:
                self.z_axes.legend(
                    self.z_lines,
                    [f"neuron {i}" for i in range(len(self.z_lines))],
                    loc="upper right",
                    ncol=len(self.z_lines),
                    fontsize=8,
                    frameon=False,
                )
        return self.z_lines[index]

    def _build_widgets(self, learning_rate, n_iterations, learning_rate_range, max_iterations):
        import ipywidgets as widgets

        low, high = (math.log10(r) for r in learning_rate_range)
        # same label width: aligned tracks; 100% of a narrow output area, at most 480 px
        options = {
            "style": {"description_width": LABEL_WIDTH},
            "layout": widgets.Layout(width="100%", max_width="480px"),
            "continuous_update": True,
        }
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=low,
            max=high,
            step=0.001,  # in the exponent: a typed 0.05 stays 0.05 (0.01 would make it 0.0501)
            description="learning rate",
            readout_format=".2e",
            **options,
        )
        self.n_iterations = widgets.IntSlider(
            value=n_iterations,
            min=1,
            max=max(max_iterations, n_iterations),
            description="iterations",
            **options,
        )
        self.canvas = _frame_canvas(self.figure)
        self.manager = self.canvas.manager
        # The curves are drawn over a saved background (blitting): a move that keeps the axes'
        # limits re-renders only them, not every tick label.
        for artist in (self.line, self.zero_line, self.death_marks):
            if artist is not None:
                artist.set_animated(True)
        self.canvas.mpl_connect("draw_event", self._on_full_draw)
        self.title_html = widgets.HTML(
            f"{STYLE}<div style='line-height:1.4'><b>{_escape(self.title)}</b></div>",
            layout=widgets.Layout(max_width="100%"),
        )
        self.status_html = widgets.HTML(layout=widgets.Layout(max_width="100%"))
        self.parameters = widgets.HTML(layout=widgets.Layout(max_width="100%"))
        self.widget = widgets.VBox(
            [
                self.title_html,
                self.learning_rate,
                self.n_iterations,
                self.canvas,  # above the texts that change length: it never jumps
                self.status_html,
                self.parameters,
            ],
            layout=widgets.Layout(max_width="100%"),
        )
        self.widget.add_class(WIDGET_CLASS)
        self.learning_rate.observe(self._on_change, names="value")
        self.n_iterations.observe(self._on_change, names="value")

    def _animated(self):
        return [a for a in (self.line, self.zero_line, *self.z_lines, self.death_marks) if a]

    def _on_change(self, change):
        self.redraw(self.learning_rate.value, self.n_iterations.value)

    def _on_full_draw(self, event):
        """After a full draw (which skips animated artists): keep it as the background, then
        add the curves to the same frame."""
        if self.canvas.is_saving():
            return  # savefig draws animated artists itself
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._background_size = self.canvas.get_width_height(physical=True)
        for artist in self._animated():
            artist.draw(event.renderer)

    def _set_limits(self, values, z_trace, n_iterations):
        """The loss range from its top (see LOSS_DECADES), z's snapped outward to 1-2-5 steps,
        the iterations to 1-2-5 steps: most moves then leave the axes (and the cached
        background) unchanged, and the limits depend on the curves alone, so a value brings
        back the same picture whatever was shown before. True when the limits changed."""
        positive = values[np.isfinite(values)]
        high = Y_SNAP * math.ceil(math.log10(positive.max()) / Y_SNAP) if len(positive) else 0
        low = high - LOSS_DECADES
        limits = [(self.axes, (0.0, _round_up(n_iterations)), (10.0**low, 10.0**high))]
        if self.has_z:
            limits.append((self.z_axes, limits[0][1], _z_limits(z_trace)))
        changed = False
        for axes, xlim, ylim in limits:
            if (xlim, ylim) != (axes.get_xlim(), axes.get_ylim()):
                axes.set_xlim(xlim)
                axes.set_ylim(ylim)
                changed = True
        if changed and self.has_z:
            bottom = self.z_axes.get_ylim()[0]
            self.off_region.set_y(bottom)
            self.off_region.set_height(-bottom)
        return changed

    def redraw(self, learning_rate, n_iterations):
        """Retrain and update the curves in place. In a front end an error in `train` is shown
        under the plot, since a slider callback's exception would vanish."""
        try:
            losses, info, z_trace = run_training(self.train, learning_rate, n_iterations)
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
        iterations = np.arange(1, len(values) + 1)
        self.line.set_data(iterations, values)
        self.zero_line.set_data(iterations, zero_losses(values))
        self.status_text = (
            f"learning rate {learning_rate:.3g}, {n_iterations} iterations: "
            f"{summary(losses, diverged)}"
        )
        self.dead_text = ""
        if self.has_z:
            z_trace = np.full((len(values), 1), np.nan) if z_trace is None else z_trace
            dead = dead_since(z_trace)
            for index in range(z_trace.shape[1]):
                self._z_line(index).set_data(iterations, z_trace[:, index])
            died = [(k, z_trace[k - 1, i]) for i, k in enumerate(dead) if k is not None]
            self.death_marks.set_data([k for k, _ in died], [z for _, z in died])
            self.dead_text = dead_label(dead, z_trace)
        limits_changed = self._set_limits(values, z_trace, n_iterations)
        self.info = info_text(info)
        if self.interactive:
            # the frame first: the HTML below it changes the page's layout, which need not
            # delay the pixels
            self._refresh(limits_changed)
            color = "#b00" if diverged else "inherit"
            dead = f"<br><span class='backprop-dead'>{_escape(self.dead_text)}</span>"
            self.status_html.value = (
                f"<div style='line-height:1.4'><span style='color:{color}'>"
                f"{_escape(self.status_text)}</span>{dead if self.dead_text else ''}</div>"
            )
            self.parameters.value = f"<pre>{_escape(self.info)}</pre>"
        else:
            texts = [self.status_text, self.dead_text] if self.dead_text else [self.status_text]
            lines = [line for text in texts for line in textwrap.wrap(text, 68)]
            self.status.set_text("\n".join(lines))
            self._fit_static_header(lines)
            self.status.set_color("#b00" if diverged or self.dead_text else "black")

    def _refresh(self, limits_changed):
        """Send the new frame. Both ways render and send it at once, inside the callback:
        waiting for the front end to ask for a full draw (ipympl's draw_idle) costs a round
        trip through the browser, and ipywidgets sends the next slider value only once the
        kernel is idle, so no backlog builds while dragging."""
        size = self.canvas.get_width_height(physical=True)
        if limits_changed or self._background is None or size != self._background_size:
            self._background = None
            self.canvas.draw()  # the draw_event handler keeps the background, adds the curves
            self.last_draw = "full"
            return
        self.canvas.restore_region(self._background)
        for artist in self._animated():
            self.figure.draw_artist(artist)
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


def _reports_z(train, learning_rate):
    """Whether one iteration of train reports a z trace (then the figure gets a z panel).
    A train that raises (a stub not written yet) gets none; its error shows on redraw."""
    try:
        return run_training(train, learning_rate, 1)[2] is not None
    except Exception:
        return False


def _frame_canvas(figure):
    """An ipympl canvas (with its manager) for figure, no toolbar, header or resize handle,
    whose frames are encoded fast (see FastFrames)."""
    from ipympl.backend_nbagg import Canvas, FigureManager

    class FastFramesCanvas(Canvas):
        """Every frame goes to the browser as one whole PNG, compressed at zlib level 1: about
        a third of the default's encoding time for the same size here (a localhost socket
        does not care about a few more kilobytes), and no PNG copy for saved widget state."""

        def get_diff_image(self):
            if not self._png_is_old:
                return None
            pixels = np.asarray(self.get_renderer().buffer_rgba())
            self.set_image_mode("full")
            self._last_buff = pixels.view(np.uint32).squeeze(2).copy()
            self._force_full = False
            self._png_is_old = False
            from PIL import Image

            with io.BytesIO() as png:
                Image.fromarray(pixels).save(png, format="png", compress_level=1)
                return png.getvalue()

    canvas = FastFramesCanvas(figure)
    with warnings.catch_warnings():
        # ipympl's toolbar trips a traitlets DeprecationWarning; nothing to act on here
        warnings.simplefilter("ignore", DeprecationWarning)
        canvas.manager = FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    # the PNG copy for exported widget state would cost a second encoding per frame
    canvas.syncing_data_url = False
    return canvas


def _round_up(n):
    """The smallest of 10, 20, 50, 100, 200, 500, ... that is >= n."""
    scale = 10.0 ** max(1, math.floor(math.log10(max(n, 1))))
    for step in (1, 2, 5, 10):
        if step * scale >= n:
            return step * scale
    return 10 * scale


def _nice(x):
    """The smallest of ..., 0.5, 1, 2, 5, 10, 20, ... that is >= x (x > 0)."""
    scale = 10.0 ** math.floor(math.log10(x))
    for step in (1, 2, 5, 10):
        if step * scale >= x * (1 - 1e-12):
            return step * scale
    return 10 * scale


def _z_limits(z_trace):
    """z's range, snapped outward to 1-2-5 values and always holding 0 with room on both
    sides (the line z = 0 is where ReLU switches off)."""
    finite = z_trace[np.isfinite(z_trace)]
    top = _nice(finite.max()) if len(finite) and finite.max() > 0 else 0.0
    bottom = -_nice(-finite.min()) if len(finite) and finite.min() < 0 else 0.0
    if top == 0 and bottom == 0:
        return (-1.0, 1.0)
    return (min(bottom, -0.25 * top), max(top, -0.25 * bottom))


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
    the loss curve (and of z, when train reports it), redrawn in place as they move; static
    without a front end.

    train: callable (learning_rate, n_iterations) -> losses (n_iterations,), or
           (losses, info) with info a dict {name: final value} or a string, shown below; a
           dict may hold "z_trace": z before each update, (n_iterations,) or
           (n_iterations, n_neurons), plotted under the loss with dead neurons labelled.
    options: learning_rate_range=(1e-5, 1.0), max_iterations=1000, title=..., interactive=None.
    Returns the LearningRateExplorer (already displayed).
    """
    explorer = LearningRateExplorer(train, learning_rate, n_iterations, **options)
    explorer.show()
    return explorer
