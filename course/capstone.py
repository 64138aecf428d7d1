"""Chapter 6 helpers: a whole-network gradient check, training curves, and the learning-rate
explorer that shows accuracy and decision regions as the rate moves.

Nothing here trains a network by itself: every function takes the student's own code (a
`forward_backward` function, a `fit` callable) and measures or draws what it does.
"""

import os
import time

import numpy as np
from matplotlib.figure import Figure

from course.gradcheck import numerical_gradient, relative_error
from course.plots import decision_grid, plot_curves, plot_spiral, region_colors
from course.widgets import front_end_available


def under_grader():
    """True while nbgrader validates or autogrades a notebook (it sets NBGRADER_EXECUTION):
    long, ungraded runs are shortened then, so grading stays quick."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


PARAMETERS = (
    ("dense1", "weights"),
    ("dense1", "biases"),
    ("dense2", "weights"),
    ("dense2", "biases"),
)


def network_gradient_check(forward_backward, X, y, dense1, activation1, dense2, loss_activation):
    """Relative error between backprop's gradients and centred differences, per parameter.

    forward_backward: callable (X, y, dense1, activation1, dense2, loss_activation) -> mean
                      loss, leaving dweights and dbiases on both dense layers.
    X: (n_samples, n_inputs); y: (n_samples,) labels or (n_samples, n_classes) one-hot.
    The parameters are converted to float64 first (in float32 the differences drown in
    rounding) and hold their original values on return.
    Returns {"dense1.weights": error, "dense1.biases": ..., "dense2.weights": ..., ...}.
    """
    layers = {"dense1": dense1, "dense2": dense2}
    for name, parameter in PARAMETERS:
        setattr(layers[name], parameter, np.array(getattr(layers[name], parameter), np.float64))
    X = np.asarray(X, dtype=np.float64)

    def loss():
        return float(forward_backward(X, y, dense1, activation1, dense2, loss_activation))

    loss()
    analytic = {
        (name, parameter): np.array(getattr(layers[name], "d" + parameter), dtype=np.float64)
        for name, parameter in PARAMETERS
    }
    errors = {}
    for name, parameter in PARAMETERS:
        numeric = numerical_gradient(loss, getattr(layers[name], parameter))
        errors[f"{name}.{parameter}"] = relative_error(analytic[name, parameter], numeric)
    return errors


def plot_history(losses, accuracies, title="", axes=None):
    """Loss and accuracy per training step, side by side.

    losses, accuracies: (n_steps,). Returns the two Axes.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    steps = np.arange(1, len(losses) + 1)
    plot_curves(steps, {"loss": losses}, ax=axes[0], title="loss", xlabel="step")
    plot_curves(steps, {"accuracy": accuracies}, ax=axes[1], title="accuracy", xlabel="step")
    axes[1].set_ylim(0, 1)
    if title:
        axes[0].figure.suptitle(title)
    return axes


def _fit_once(fit, learning_rate, points):
    """(losses, accuracies, predicted labels on `points`) for one learning rate."""
    with np.errstate(all="ignore"):
        losses, accuracies, predict = fit(learning_rate)
        labels = np.asarray(predict(points))
    if labels.ndim == 2:
        labels = np.argmax(labels, axis=1)
    losses = np.asarray(losses, dtype=np.float64)
    return losses, np.asarray(accuracies, dtype=np.float64), labels.astype(np.int64)


class DecisionRegionExplorer:
    """A learning-rate slider over the accuracy curve and the decision regions of a network
    trained at that rate (see `decision_region_explorer`). Tests drive it by setting
    `self.slider.value` (interactive) or read `self.results` and `self.figure` (static)."""

    def __init__(
        self, fit, X, y, learning_rates, static_rates=None, resolution=120, interactive=None
    ):
        self.fit = fit
        self.X, self.y = np.asarray(X), np.asarray(y)
        self.learning_rates = [float(rate) for rate in learning_rates]
        self.interactive = front_end_available() if interactive is None else bool(interactive)
        self.resolution = resolution
        self.points, self.extent = decision_grid(self.X, resolution)
        self.n_classes = int(np.max(self.y)) + 1
        rates = self.learning_rates if self.interactive else self._static_rates(static_rates)
        # every rate is trained up front: the slider then only swaps precomputed pictures
        start = time.perf_counter()
        if self.interactive:
            print(f"Training at {len(rates)} learning rates...", end=" ", flush=True)
        self.results = {rate: _fit_once(fit, rate, self.points) for rate in rates}
        if self.interactive:
            print(f"done in {time.perf_counter() - start:.0f} s.")
        if self.interactive:
            self._build_interactive()
        else:
            self._build_static()

    def _static_rates(self, static_rates):
        if static_rates is not None:
            return [float(rate) for rate in static_rates]
        rates = self.learning_rates
        return sorted({rates[0], rates[len(rates) // 2], rates[-1]})

    def _regions(self, ax, labels, title):
        image = ax.imshow(
            labels.reshape(self.resolution, self.resolution),
            origin="lower",
            extent=self.extent,
            cmap=region_colors(self.n_classes),
            vmin=-0.5,
            vmax=self.n_classes - 0.5,
            alpha=0.3,
            interpolation="nearest",
            aspect="auto",
        )
        plot_spiral(self.X, self.y, ax=ax, title=title)
        ax.get_legend().remove()
        ax.set_xlim(*self.extent[:2])
        ax.set_ylim(*self.extent[2:])
        return image

    def _accuracy_axes(self, ax):
        ax.set_ylim(0, 1)
        ax.set_xlabel("step")
        ax.set_ylabel("accuracy")
        ax.grid(alpha=0.3)

    @staticmethod
    def _caption(rate, accuracies):
        final = accuracies[-1] if len(accuracies) else float("nan")
        return f"learning rate {rate:.3g}: accuracy {final:.1%}"

    def _build_static(self):
        rates = list(self.results)
        self.figure = Figure(figsize=(3.2 * (len(rates) + 1), 3.4), layout="constrained")
        axes = self.figure.subplots(1, len(rates) + 1)
        for k, rate in enumerate(rates):
            _, accuracies, labels = self.results[rate]
            steps = np.arange(1, len(accuracies) + 1)
            axes[0].plot(steps, accuracies, color=f"C{k + 3}", label=f"rate {rate:.3g}")
            self._regions(axes[k + 1], labels, self._caption(rate, accuracies))
        self._accuracy_axes(axes[0])
        axes[0].legend(fontsize="small")
        axes[0].set_title("accuracy while training")

    def _build_interactive(self):
        import ipywidgets as widgets
        from ipympl.backend_nbagg import Canvas, FigureManager

        self.figure = Figure(figsize=(8, 3.6))
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.86, wspace=0.25)
        accuracy_axes, region_axes = self.figure.subplots(1, 2)
        self._accuracy_axes(accuracy_axes)
        first = self.learning_rates[len(self.learning_rates) // 2]
        _, accuracies, labels = self.results[first]
        (self.line,) = accuracy_axes.plot(np.arange(1, len(accuracies) + 1), accuracies, "C3")
        self.accuracy_axes = accuracy_axes
        self.image = self._regions(region_axes, labels, "decision regions")
        self.slider = widgets.SelectionSlider(
            options=[(f"{rate:.3g}", rate) for rate in self.learning_rates],
            value=first,
            description="learning rate",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="440px"),
        )
        self.canvas = Canvas(self.figure)
        self.manager = FigureManager(self.canvas, 0)
        self.canvas.header_visible = False
        self.canvas.footer_visible = False
        self.canvas.toolbar_visible = False
        self.canvas.resizable = False
        self.widget = widgets.VBox([self.slider, self.canvas])
        self.slider.observe(self._on_change, names="value")
        self.show_rate(first)

    def _on_change(self, change):
        self.show_rate(change["new"])

    def show_rate(self, rate):
        """Swap in the curve and regions trained at `rate` (interactive mode)."""
        _, accuracies, labels = self.results[rate]
        self.line.set_data(np.arange(1, len(accuracies) + 1), accuracies)
        self.accuracy_axes.set_xlim(0, max(len(accuracies), 1))
        self.image.set_data(labels.reshape(self.resolution, self.resolution))
        self.figure.suptitle(self._caption(rate, accuracies))
        self.canvas.draw_idle()

    def show(self):
        from IPython.display import Image, display

        if self.interactive:
            display(self.widget)
            return
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        display(Image(data=buffer.getvalue(), format="png"))
        print("(A static plot: open the notebook in JupyterLab to move the slider.)")


def decision_region_explorer(fit, X, y, learning_rates, static_rates=None, **options):
    """A slider over learning rates showing the accuracy curve and decision regions of a
    network trained at each rate; one static figure without a front end (under nbgrader).

    fit: callable learning_rate -> (losses (n_steps,), accuracies (n_steps,), predict), where
         predict maps points (n_points, 2) to labels (n_points,) or class scores.
    X: (n_samples, 2); y: (n_samples,) labels 0 .. n_classes - 1.
    learning_rates: the slider's stops; every one is trained once, up front.
    static_rates: the rates drawn side by side in the static figure (default: the first,
                  middle and last stop).
    Returns the DecisionRegionExplorer (already displayed).
    """
    explorer = DecisionRegionExplorer(fit, X, y, learning_rates, static_rates, **options)
    explorer.show()
    return explorer
