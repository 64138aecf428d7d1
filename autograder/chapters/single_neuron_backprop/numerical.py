"""Chapter 4's centred difference: the student's numerical gradient, checked against the exact one."""

import numpy as np

from autograder import core
from autograder.chapters.single_neuron_backprop import reference as ref
from autograder.checking import signed_values


def unit(x, index):
    """e_index: 1 at `index`, 0 elsewhere, shaped like x."""
    e = np.zeros(x.shape)
    e[index] = 1.0
    return e


def _cubic(rng, shape):
    """f(v) = sum(a * v**3 + c * v): curved enough that a one-sided difference is off by ~h."""
    a, c = signed_values(rng, shape), rng.normal(size=shape)
    return lambda v: float(np.sum(a * np.asarray(v) ** 3 + c * np.asarray(v)))


def check_centred_difference(centred_difference):
    rng = core.fresh_rng()
    for shape, h in (((int(rng.integers(2, 7)),), 1e-5), ((3, int(rng.integers(2, 5))), 1e-4)):
        x = signed_values(rng, shape)
        f = _cubic(rng, shape)
        calls = []

        def recorded(v, f=f, calls=calls):
            calls.append(np.shape(v))
            return f(v)

        got = core.call_student(
            centred_difference, recorded, x, h, label="centred_difference", names=("f", "x", "h")
        )
        if calls and any(c != x.shape for c in calls):
            raise core.GradingError(
                f"centred_difference called f with an array of shape {calls[0]}; "
                f"f takes arrays shaped like x {x.shape}."
            )
        expected = ref.centred_difference(f, x, h)

        def moved(mask, f=f, x=x, h=h):
            """What a centred difference gives when every entry under `mask` moves at once."""
            return (f(x + h * mask) - f(x - h * mask)) / (2 * h)

        one_sided = np.array(
            [(f(x + h * unit(x, i)) - f(x)) / h for i in np.ndindex(x.shape)]
        ).reshape(shape)
        whole_rows = None
        if x.ndim == 2:
            rows = [moved(np.eye(shape[0])[i][:, None] * np.ones(shape)) for i in range(shape[0])]
            whole_rows = np.repeat(np.array(rows)[:, None], shape[1], axis=1)
        core.expect_close(
            "centred_difference",
            got,
            expected,
            context=f"f(v) = sum(a * v**3 + c * v), x of shape {shape}, h = {h}",
            # the centred difference is this close; a one-sided one is off by ~h
            rtol=1e-7,
            atol=1e-7,
            wrong_answers={
                "a one-sided difference (f(x + h) - f(x)) / h is off by about h: use "
                "(f(x + h e_i) - f(x - h e_i)) / (2h)": one_sided,
                "divided by h instead of 2h: the two points are 2h apart": 2 * expected,
                "every entry of x was moved at once: perturb one entry at a time": np.full(
                    shape, moved(np.ones(shape))
                ),
                "only the first axis was looped over (a whole row moved at once): "
                "use np.ndindex(x.shape) to visit every entry": whole_rows,
            },
        )
    core.passed("centred_difference matches the exact gradient on 1-D and 2-D arrays")
