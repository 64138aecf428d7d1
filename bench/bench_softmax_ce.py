"""How much faster is the combined softmax + cross-entropy backward than the separate one?

Chapter 6 quotes the ratio this prints. Three backward passes over the same predictions, timed
in one run, interleaved, best of several short runs each:

- separate, loop: cross-entropy backward, then softmax backward with one Jacobian per sample in
  a Python loop (the way chapter 6 teaches it);
- separate, batched: the same with all Jacobians built at once (np.einsum), no Python loop;
- combined: (predictions - one_hot) / n_samples.

Usage: .venv/bin/python bench/bench_softmax_ce.py [--samples 300] [--classes 3] [--repeats 15]
Ratios are against the combined path measured in the same run, so a busy machine slows every
path alike. Measured with PYTHONDONTWRITEBYTECODE=1 set in this environment (no .pyc cache;
it only affects start-up, not the timed loops).
"""

import argparse
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.chapters.capstone import reference as ref  # noqa: E402


def separate_loop(predictions, y_true):
    """Cross-entropy backward, then one Jacobian per sample (as in the notebook)."""
    n_samples, n_classes = predictions.shape
    dloss = -np.identity(n_classes)[y_true] / predictions / n_samples
    dinputs = np.empty_like(dloss)
    for index, (single_output, single_dvalues) in enumerate(zip(predictions, dloss, strict=True)):
        single_output = single_output.reshape(-1, 1)
        jacobian = np.diagflat(single_output) - single_output @ single_output.T
        dinputs[index] = jacobian @ single_dvalues
    return dinputs


def separate_batched(predictions, y_true):
    """Cross-entropy backward, then all Jacobians at once."""
    return ref.softmax_backward(predictions, ref.cross_entropy_backward(predictions, y_true))


def combined(predictions, y_true):
    return ref.combined_backward(predictions, y_true)


def calls_per_run(fn, args, seconds=0.02):
    """How many calls take about `seconds`: short runs, so that some of them are not
    interrupted on a busy machine and the minimum is the undisturbed time."""
    timer = timeit.Timer(lambda: fn(*args))
    one = min(timer.repeat(repeat=3, number=1))
    return max(1, int(seconds / max(one, 1e-9)))


def best_time(fn, args, number):
    """Seconds per call, from one run of `number` calls."""
    return timeit.Timer(lambda: fn(*args)).timeit(number=number) / number


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    predictions = ref.softmax(rng.normal(size=(args.samples, args.classes)))
    y_true = rng.integers(0, args.classes, size=args.samples)
    paths = {"separate, loop": separate_loop, "separate, batched": separate_batched}
    # the three must agree before their speeds mean anything
    expected = combined(predictions, y_true)
    for name, fn in paths.items():
        assert np.allclose(fn(predictions, y_true), expected, rtol=1e-10, atol=1e-12), name

    every = {"combined": combined, **paths}
    number = {name: calls_per_run(fn, (predictions, y_true)) for name, fn in every.items()}
    times = {name: [] for name in every}
    for _ in range(args.repeats):  # interleaved, so drifting load hits every path
        for name, fn in every.items():
            times[name].append(best_time(fn, (predictions, y_true), number[name]))
    best = {name: min(values) for name, values in times.items()}
    print(
        f"softmax + cross-entropy backward, {args.samples} samples x {args.classes} classes, "
        f"float64, best of {args.repeats} runs of about 20 ms each"
    )
    for name, seconds in best.items():
        ratio = seconds / best["combined"]
        print(f"  {name:18s} {seconds * 1e6:10.1f} us per call   {ratio:7.1f} x combined")
    return best


if __name__ == "__main__":
    main()
