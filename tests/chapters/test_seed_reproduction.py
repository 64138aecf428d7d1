"""The worked examples of chapters 4 and 5 print the original material's output, number for number.

The original is ../shared/seed/backprop_seed.ipynb beside the repository (CI places a read-only
copy of shared/ there). Its outputs were copied with runs of spaces collapsed, so texts are
compared with whitespace runs collapsed, and every number as the exact string printed.
"""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from autograder import chapters
from autograder.chapters.layer_backprop import reference as layer
from autograder.chapters.single_neuron_backprop import reference as neuron
from tests.helpers import ROOT, nbgrader_env

SEED = ROOT.parent / "shared" / "seed" / "backprop_seed.ipynb"
# the first line of each worked example's comment, in the source notebooks
MARKER = "# Worked example from the original"
# chapter -> how the original's output of that example begins (each chapter's WORKED_EXAMPLE)
EXAMPLES = {c.name: c.worked_example for c in chapters.every() if c.worked_example}
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")

# Runs every cell of the chapter in order, test cells too, as the mutation runner does, in a
# process of its own (nnfs.init() patches NumPy process-wide). Then calls the explorer's
# train_example as a slider move would, after everything else ran.
RUN_EXAMPLES = f"""
import ast, json, sys
from autograder import notebooks as nbs
from autograder.mutation import Runner

runner = Runner(sys.argv[1])
printed = []
for cell in runner.nb["cells"]:
    if cell["cell_type"] != "code":
        continue
    ok, output = runner.run(nbs.source_text(cell))
    if not ok:
        sys.exit(f"cell {{cell.get('id')}} failed: {{output}}")
    if nbs.source_text(cell).startswith({MARKER!r}):
        printed.append(output)
ok, output = runner.run("print([str(x) for x in train_example(0.001, 200)[0]])")
if not ok:
    sys.exit(f"train_example failed after all cells ran: {{output}}")
print(json.dumps({{"printed": printed, "explorer_losses": ast.literal_eval(output)}}))
"""


def collapse(text):
    return " ".join(text.split())


def seed_output(first_line):
    if not SEED.exists():
        pytest.fail(
            f"The original notebook is missing: expected {SEED}. CI must place a copy of "
            "shared/ beside the clone (../shared relative to the repository root)."
        )
    with open(SEED, encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    outputs = [
        "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
        for cell in cells
        if cell["cell_type"] == "code"
    ]
    matching = [text for text in outputs if text.startswith(first_line)]
    assert len(matching) == 1, f"expected one output of the original starting {first_line!r}"
    return matching[0]


def assert_same_output(got, expected):
    """Equal after collapsing whitespace; on failure, name the first number that differs."""
    got_numbers, expected_numbers = NUMBER.findall(got), NUMBER.findall(expected)
    for i, (g, e) in enumerate(zip(got_numbers, expected_numbers, strict=False)):
        assert g == e, f"number {i} differs: printed {g}, the original printed {e}"
    assert len(got_numbers) == len(expected_numbers), (
        f"printed {len(got_numbers)} numbers, the original {len(expected_numbers)}"
    )
    assert collapse(got) == collapse(expected)


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def executed(request):
    """(chapter, what the chapter's notebook printed and computed), from one run per chapter."""
    result = subprocess.run(
        [sys.executable, "-c", RUN_EXAMPLES, request.param],
        cwd=ROOT,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    return request.param, json.loads(result.stdout.strip().splitlines()[-1])


def test_worked_example_prints_the_originals_output(executed):
    chapter, data = executed
    printed = data["printed"]
    assert len(printed) == 1, f"{chapter}: expected one cell starting {MARKER!r}"
    expected = seed_output(EXAMPLES[chapter])
    assert len(NUMBER.findall(expected)) > 30  # the whole run, not a fragment
    assert_same_output(printed[0], expected)


def test_explorer_trains_the_worked_example_after_every_cell_ran(executed):
    """The explorer's train_example keeps the example's values even though later cells (the
    batch tests of chapter 5) reuse the names inputs and weights: same losses as the original."""
    chapter, data = executed
    losses = data["explorer_losses"]
    seed_losses = re.findall(r"Iteration (\d+), Loss: (\S+)", seed_output(EXAMPLES[chapter]))
    assert len(losses) == 200
    for iteration, loss in seed_losses:
        index = int(iteration) - (1 if chapter.startswith("04") else 0)
        assert losses[index] == loss, f"iteration {iteration}: {losses[index]} != {loss}"


def test_float64_reference_reproduces_the_layer_example():
    """The layer example needs nothing but float64 and NumPy's own summation order."""
    inputs = np.array([1, 2, 3, 4])
    weights = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
    biases = np.array([0.1, 0.2, 0.3])
    losses, weights, biases = layer.train_layer(inputs, weights, biases, 0.001, 200)
    lines = [f"Iteration {i}, Loss: {losses[i]}" for i in range(0, 200, 20)]
    printed = "\n".join(lines) + f"\nFinal weights:\n {weights}\nFinal biases:\n {biases}\n"
    assert_same_output(printed, seed_output(EXAMPLES["05_layer_backprop"]))


def test_float64_reference_misses_the_neurons_last_digits():
    """The single-neuron example was run with np.dot rounding to float32 (nnfs.init()):
    float64 agrees to about 7 digits and differs after (the notebook's note says why)."""
    losses, weights, bias = neuron.train_neuron(
        np.array([1.0, -2.0, 3.0]), np.array([-3.0, -1.0, 2.0]), 1.0, 0.0, 0.001, 200
    )
    expected = seed_output(EXAMPLES["04_single_neuron_backprop"])
    seed_losses = [float(x) for x in re.findall(r"Loss: (\S+)", expected)]
    assert len(seed_losses) == 200
    assert seed_losses[0] == losses[0] == 36.0
    # 5.82**2 in float64, up to the last bit (BLAS kernels differ there: ...006 or ...9985)
    assert abs(losses[1] - 33.8724) < 1e-12 and f"{losses[1]}" != f"{seed_losses[1]}"
    assert np.allclose(losses, seed_losses, rtol=1e-4, atol=0)
    assert f"Final bias: {bias}" not in expected
