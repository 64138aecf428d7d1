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
