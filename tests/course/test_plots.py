"""The course's drawings: a computation graph shows the numbers it is given, a product's shape
picture the shapes."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course import plots

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _texts_by_gid(ax):
    return {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}


def _numbers(text):
    return [float(n) for n in NUMBER.findall(text)]


def test_draw_graph_shows_the_values_and_gradients_given():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=3), rng.normal(size=(2, 3))
    z = w @ x
    nodes = {
        "x": (x, w.T @ np.ones(2)),
        "w": (w, np.outer(np.ones(2), x)),
        "z": (z, np.ones(2)),
        "L": (float(z.sum()), 1.0),
    }
    ops = {"z": ("w @ x", ["w", "x"]), "L": ("sum", ["z"])}
    ax = plots.draw_graph(nodes, ops, title="test")
    ax.figure.canvas.draw()  # the arrows are placed relative to the boxes at draw time
    shown = _texts_by_gid(ax)
    for name, (value, grad) in nodes.items():
        label = shown[name]
        assert label.splitlines()[0] == name
        value_part, grad_part = label.split("grad")
        want_value = np.ravel(value)
        got_value = np.array(_numbers(value_part.split("value", 1)[1]))
        np.testing.assert_allclose(got_value, want_value, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(_numbers(grad_part), np.ravel(grad), rtol=1e-3, atol=1e-4)
    assert shown["op z"] == "w @ x" and shown["op L"] == "sum"
    # one arrow from each input to its operation, one from the operation to its result
    assert len([a for a in ax.texts if isinstance(a, matplotlib.text.Annotation)]) == 5
    plt.close(ax.figure)


def test_draw_graph_places_values_after_their_inputs():
    nodes = {"a": (1.0, 2.0), "b": (3.0, 4.0), "c": (3.0, 1.0), "bias": (0.5, 1.0), "d": (3.5, 1)}
    ops = {"c": ("×", ["a", "b"]), "d": ("+", ["c", "bias"])}
    ax = plots.draw_graph(nodes, ops)
    x = {t.get_gid(): t.get_position()[0] for t in ax.texts if t.get_gid() in nodes}
    assert x["a"] == x["b"] < x["c"] < x["d"]
    assert x["bias"] == x["c"]  # an input used late sits just left of its use
    plt.close(ax.figure)


def test_draw_graph_rejects_unknown_names_and_cycles():
    with pytest.raises(ValueError, match="missing"):
        plots.draw_graph({"a": (1, 1)}, {"a": ("+", ["b"])})
    with pytest.raises(ValueError, match="cycle"):
        plots.draw_graph({"a": (1, 1), "b": (1, 1)}, {"a": ("+", ["b"]), "b": ("+", ["a"])})


def test_format_value_keeps_five_significant_digits():
    assert plots.format_value(43.2) == "43.2"
    assert plots.format_value(466.56000000000006) == "466.56"
    assert plots.format_value(103.68000000000001) == "103.68"
    assert plots.format_value(np.array([1.0, -2.0])) == "[1 -2]"


def test_draw_product_shapes_labels_the_shapes_and_shades_one_entry():
    ax = plots.draw_product_shapes(
        "inputs.T", "dvalues", "dweights", ("n_inputs", 4), ("n_samples", 5), ("n_neurons", 3)
    )
    shown = _texts_by_gid(ax)
    assert "(n_inputs, n_samples)" in shown["left"] and "(4, 5)" in shown["left"]
    assert "(n_samples, n_neurons)" in shown["right"] and "(5, 3)" in shown["right"]
    assert "(n_inputs, n_neurons)" in shown["result"] and "(4, 3)" in shown["result"]
    cells = ax.patches
    assert len(cells) == 4 * 5 + 5 * 3 + 4 * 3
    shaded = [p for p in cells if p.get_facecolor() != matplotlib.colors.to_rgba("white")]
    # row 0 of the left (5 entries), column 0 of the right (5), one entry of the result
    assert len(shaded) == 5 + 5 + 1
    plt.close(ax.figure)
