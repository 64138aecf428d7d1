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


def format_value(value, precision=5):
    """A number or a small array as draw_graph prints it: `precision` significant digits
    ('12', '-0.5', '466.56'), arrays row by row in brackets."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):.{precision}g}"
    return np.array2string(
        array, formatter={"float_kind": lambda v: f"{v:.{precision}g}"}, separator=" "
    )


def _graph_columns(nodes, ops):
    """{name: column}: each computed value one column right of its deepest input; an input of
    the graph (a name no op computes) in the column just left of its first use."""
    unknown = {name for _, inputs in ops.values() for name in inputs} | set(ops)
    missing = sorted(unknown - set(nodes))
    if missing:
        raise ValueError(f"ops name values missing from nodes: {missing}")
    column = {name: 0 for name in nodes if name not in ops}
    remaining = [name for name in nodes if name in ops]
    while remaining:
        ready = [n for n in remaining if all(i in column for i in ops[n][1])]
        if not ready:
            raise ValueError(f"the graph has a cycle through {remaining}")
        for name in ready:
            column[name] = 1 + max(column[i] for i in ops[name][1])
            remaining.remove(name)
    for name in nodes:
        uses = [column[n] for n, (_, inputs) in ops.items() if name in inputs]
        if name not in ops and uses:
            column[name] = min(uses) - 1
    return column


def _node_label(name, value, grad):
    """'name', then 'value ...' and 'grad  ...', continuation lines of arrays indented."""
    lines = [name]
    for key, number in (("value", value), ("grad ", grad)):
        first, *rest = format_value(number).splitlines()
        lines += [f"{key} {first}"] + [" " * 6 + line for line in rest]
    return "\n".join(lines)


def draw_graph(nodes, ops, ax=None, title=""):
    """Draw a computation graph left to right: values forward, gradients back.

    nodes: {name: (value, grad)}: what the forward pass computed for `name` (a number or a
           small array) and the gradient of the loss with respect to it, dL/d(name), shaped
           like the value. Inputs of the graph (names no op computes) are stacked one under
           another in this order.
    ops:   {name: (op, inputs)}: how a computed value is made, e.g. {"z": ("+", ["m0", "b"])};
           op is a short label drawn just left of its result, inputs a list of names in `nodes`.
    Each value is a box: its name, its `value` (forward) and its `grad` (backward).
    Returns the Axes; each box is a Text whose gid is the value's name.
    """
    column = _graph_columns(nodes, ops)
    labels = {name: _node_label(name, *pair) for name, pair in nodes.items()}
    n_columns = 1 + max(column.values())
    # the layout counts in characters (x) and lines (y) of the monospace labels
    widths = [
        max(
            (len(line) for n in nodes if column[n] == c for line in labels[n].splitlines()),
            default=0,
        )
        for c in range(n_columns)
    ]
    gaps = [
        max((len(op) for n, (op, _) in ops.items() if column[n] == c), default=0) + 10
        for c in range(n_columns)
    ]
    centre, x = [], 0.0
    for c in range(n_columns):
        x += gaps[c] if c else 0.0
        centre.append(x + widths[c] / 2)
        x += widths[c]
    row, y = {}, 0.0
    for name in nodes:
        if name not in ops:
            height = labels[name].count("\n") + 1
            row[name] = y - height / 2
            y -= height + 1.5
    for name in nodes:  # ops list inputs before results, so every input has its row by now
        if name in ops:
            row[name] = float(np.mean([row[i] for i in ops[name][1]]))
    if ax is None:
        # about 0.07 inch per character and 0.14 per line at 8 points
        _, ax = plt.subplots(figsize=(0.075 * x + 0.5, max(0.145 * -y + 0.9, 2.0)))
    boxes = {}
    for name in nodes:
        boxes[name] = ax.text(
            centre[column[name]],
            row[name],
            labels[name],
            ha="center",
            va="center",
            multialignment="left",
            family="monospace",
            fontsize=8,
            gid=name,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "0.3"},
        )
    arrow = {"arrowstyle": "->", "color": "0.35", "shrinkA": 2, "shrinkB": 2}
    for name, (op, inputs) in ops.items():
        c = column[name]
        # the operation sits in the gap just left of its result, as micrograd draws it
        shape = "circle,pad=0.2" if len(op) <= 2 else "round,pad=0.3"
        circle = ax.text(
            centre[c] - widths[c] / 2 - gaps[c] / 2,
            row[name],
            op,
            ha="center",
            va="center",
            fontsize=8,
            gid=f"op {name}",
            bbox={"boxstyle": shape, "facecolor": "#e8eef7", "edgecolor": "0.5"},
        )
        for source in inputs:
            ax.annotate(
                "",
                xy=(0, 0.5),
                xycoords=circle,
                xytext=(1, 0.5),
                textcoords=boxes[source],
                arrowprops=arrow,
            )
        ax.annotate(
            "",
            xy=(0, 0.5),
            xycoords=boxes[name],
            xytext=(1, 0.5),
            textcoords=circle,
            arrowprops=arrow,
        )
    ax.set_xlim(-1, x + 1)
    ax.set_ylim(y + 0.5, 1)
    ax.axis("off")
    ax.set_title(
        (title + "\n" if title else "")
        + "value: forward, left to right;  grad = dL/d(value): backward, right to left",
        fontsize=9,
    )
    return ax


def draw_product_shapes(
    left="inputs.T",
    right="dvalues",
    result="dweights",
    rows=("n_inputs", 4),
    inner=("n_samples", 5),
    columns=("n_neurons", 3),
    ax=None,
):
    """Draw the shapes of a matrix product, left @ right = result, one square per entry.

    rows, inner, columns: (name, size) of the three dimensions: left is (rows, inner), right
    (inner, columns), result (rows, columns). Row 0 of left, column 0 of right and the
    result's entry (0, 0) they make are shaded: that entry is a sum over the inner dimension.
    Returns the Axes; the shape labels are Texts with gids "left", "right" and "result".
    """
    (r_name, r), (k_name, k), (c_name, c) = rows, inner, columns
    if min(r, k, c) < 1:
        raise ValueError("every dimension needs at least one entry")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.32 * (2 * k + 2 * c + 8) + 0.6, 0.32 * max(r, k) + 1.6))
    shade = "#f4b183"

    def grid(x0, n_rows, n_cols, shaded, name, shape, gid):
        for i in range(n_rows):
            for j in range(n_cols):
                ax.add_patch(
                    plt.Rectangle(
                        (x0 + j, -i - 1),
                        1,
                        1,
                        edgecolor="0.3",
                        linewidth=0.8,
                        facecolor=shade if shaded(i, j) else "white",
                    )
                )
        ax.text(
            x0 + n_cols / 2, 0.4, name, ha="center", va="bottom", family="monospace", fontsize=10
        )
        ax.text(x0 + n_cols / 2, -n_rows - 0.4, shape, ha="center", va="top", fontsize=8, gid=gid)

    grid(0, r, k, lambda i, j: i == 0, left, f"({r_name}, {k_name})\n= ({r}, {k})", "left")
    ax.text(k + 1, -r / 2, "@", ha="center", va="center", fontsize=14)
    grid(k + 2, k, c, lambda i, j: j == 0, right, f"({k_name}, {c_name})\n= ({k}, {c})", "right")
    ax.text(k + c + 3, -r / 2, "=", ha="center", va="center", fontsize=14)
    grid(
        k + c + 4,
        r,
        c,
        lambda i, j: i == j == 0,
        result,
        f"({r_name}, {c_name})\n= ({r}, {c})",
        "result",
    )
    ax.set_title(
        f"{k_name} is the inner dimension: each entry of {result} adds {k} products "
        f"(shaded row times shaded column)",
        fontsize=9,
    )
    ax.set_xlim(-0.5, k + 2 * c + 4.5)
    ax.set_ylim(-max(r, k) - 1.6, 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
