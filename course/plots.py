"""Plots used across chapters."""

import matplotlib.pyplot as plt
import numpy as np


def plot_spiral(X, y, ax=None, title="Spiral data"):
    """Scatter a 2-D classification data set, one colour per class.

    X: (n_samples, 2) points; y: (n_samples,) integer class labels.
    Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    for label in np.unique(y):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=12, label=f"class {label}")
    ax.set_aspect("equal")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_curves(x, curves, ax=None, title="", xlabel="x", ylabel=""):
    """Plot several curves over the same x, one labelled line each.

    x: (n_points,); curves: {label: (n_points,) values}.
    Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for label, values in curves.items():
        ax.plot(x, np.asarray(values).ravel(), label=label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if len(curves) > 1:
        ax.legend(fontsize="small")
    return ax


def decision_grid(X, resolution=200, margin=0.1):
    """A grid of points covering a 2-D data set, for drawing what a classifier predicts.

    X: (n_samples, 2). Returns (points, extent): points (resolution**2, 2), row by row from
    the bottom left; extent (x_min, x_max, y_min, y_max) for imshow(origin="lower").
    """
    X = np.asarray(X, dtype=np.float64)
    low, high = X.min(axis=0), X.max(axis=0)
    pad = margin * (high - low)
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    return points, (xs[0], xs[-1], ys[0], ys[-1])


def region_colors(n_classes):
    """The colormap that paints class k in the colour plot_spiral gives class k (C0, C1, ...)."""
    from matplotlib.colors import ListedColormap

    return ListedColormap([f"C{k}" for k in range(n_classes)])


def plot_decision_regions(predict, X, y, ax=None, resolution=200, title="Decision regions"):
    """Colour the plane by the class a classifier predicts, with the data on top.

    predict: callable, points (n_points, 2) -> class labels (n_points,) (or class scores
             (n_points, n_classes), reduced with argmax).
    X: (n_samples, 2); y: (n_samples,) labels 0 .. n_classes - 1.
    Returns the Axes; its image (ax.images[0]) can be updated with set_data.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    points, extent = decision_grid(X, resolution)
    labels = np.asarray(predict(points))
    if labels.ndim == 2:
        labels = np.argmax(labels, axis=1)
    n_classes = int(max(np.max(y), np.max(labels))) + 1
    ax.imshow(
        labels.reshape(resolution, resolution),
        origin="lower",
        extent=extent,
        cmap=region_colors(n_classes),
        vmin=-0.5,
        vmax=n_classes - 0.5,
        alpha=0.3,
        interpolation="nearest",
        aspect="auto",
    )
    plot_spiral(X, y, ax=ax, title=title)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    return ax
