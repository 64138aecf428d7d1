"""Generate course/known_mistakes.py: the catalogue's wrong answers on the worked examples.

The visible checks (course/checks.py) run on each exercise's worked example, in the student's
kernel, where nothing of the grader may go. So this generator runs every mutant
(autograder/chapters/*/mutants.py) through the visible part of its exercise's test cells, records what the
visible check saw when it failed (the check's name, the expected and the wrong value, both on the
public worked example), and pairs it with the cause the hidden check names for the same mutant
(its "Likely cause: ..." line). The student's `course` package then gives that cause when a
worked-example result matches a recorded wrong one.

What the file holds: names and values the release notebook's visible code prints anyway, and
cause texts the graded feedback shows. No reference code, no hidden input or expected value:
the hidden checks run here only for their cause line, on seeded inputs, and nothing else of
their message is kept. The cause must match the mutant's diagnosis; a cause that quotes numbers
of the hidden case (the generic "every value is 2.1 times too large") is left out, and so is
the cause of a crash on a hidden shape: on the worked example that mutant did not crash.

Run by `make release`: python -m autograder.visible_mistakes [--check]. Each chapter runs in a
process of its own (nnfs.init() patches NumPy process-wide).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from autograder import notebooks as nbs

OUTPUT = nbs.ROOT / "course" / "known_mistakes.py"
# hidden checks run on these seeds in turn until one names a cause: the file is reproducible
SEEDS = (0, 1, 2)
CAUSE = re.compile(r"^\s*Likely cause: (.*)\.$")
# a cause that quotes numbers of the hidden case ("every value is 2.1 times too large")
HIDDEN_SPECIFIC = re.compile(r"times too (large|small)|\d+\.\d")
CHECKS = ("expect_close", "expect_shape")

HEADER = '''"""Known mistakes and what they give on the worked examples (generated: do not edit).

Written by `python -m autograder.visible_mistakes` (`make release`) from the grader's catalogue
of mistakes: each entry is a wrong answer on a visible check's worked example and the cause the
graded feedback names for it. course/checks.py reads it.
"""

import json

MISTAKES = json.loads(
    r"""
'''
FOOTER = '''"""
)
'''


class _Recorder:
    """Wraps the visible checks in a namespace; remembers the failing call."""

    def __init__(self, namespace):
        self.failure = None
        for name in CHECKS:
            namespace[name] = self._wrap(name, namespace[name])

    def _wrap(self, check, function):
        def recording(name, got, expected, *args, **kwargs):
            try:
                return function(name, got, expected, *args, **kwargs)
            except AssertionError:
                self.failure = (check, name, got, expected)
                raise

        return recording


def _plain(value):
    """Nested lists of floats, or None when `value` is no array of numbers."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array.tolist() if np.all(np.isfinite(array)) else None


def _visible_failure(runner, recorder, visible):
    """(name, expected_shape, expected, got_shape, got) the visible part failed on, or None."""
    recorder.failure = None
    ok, _ = runner.run(visible)
    if ok or recorder.failure is None:
        return None
    check, name, got, expected = recorder.failure
    if check == "expect_shape":
        expected_shape, expected = tuple(expected), None
    else:
        expected_shape = np.shape(np.asarray(expected, dtype=np.float64))
        expected = _plain(expected)
    got_value = _plain(got)
    if got_value is None:
        return None
    return name, list(expected_shape), expected, list(np.shape(got)), got_value


def _hidden_cause(runner, hidden, diagnosis):
    """The cause the hidden checks name for the code in the shell, on seeded inputs, or None.

    Only a cause that matches the mutant's diagnosis counts: the hidden checks may blame a
    mistake on another one on some inputs (a sign error read as other clipping bounds)."""
    from autograder import core, hidden_tests

    fresh = core.fresh_rng
    try:
        for seed in SEEDS:
            core.fresh_rng = lambda seed=seed: np.random.default_rng(seed)
            outcome = hidden_tests.run(hidden, runner.channel)
            runner.channel.release()
            if outcome.passed:
                continue
            lines = outcome.text.splitlines()
            if any(" raised " in line for line in lines):  # crashed on a hidden shape
                continue
            for line in lines:
                match = CAUSE.match(line)
                cause = match.group(1) if match else ""
                if re.search(diagnosis, cause) and not HIDDEN_SPECIFIC.search(cause):
                    return cause
    finally:
        core.fresh_rng = fresh
    return None


def chapter_entries(chapter):
    """Every catalogued mistake of `chapter` a visible check can name, as plain data."""
    from autograder import examples, hidden_tests, mutation

    runner = mutation.Runner(chapter)
    failures = runner.run_notebook()
    if failures:
        raise RuntimeError(f"{chapter}: the solution notebook fails: {failures}")
    recorder = _Recorder(runner.shell.user_ns)
    entries = []
    for exercise, variants in examples.mutants(chapter).MUTANTS.items():
        reference = nbs.source_text(nbs.cell_by_id(runner.nb, exercise))
        for mutant, spec in variants.items():
            ok, _ = runner.run(spec["code"])
            for test_id in runner.exercises[exercise] if ok else ():
                hidden, visible = hidden_tests.split(
                    nbs.source_text(nbs.cell_by_id(runner.nb, test_id))
                )
                seen = _visible_failure(runner, recorder, visible)
                # the same wrong value twice: a property of the worked example, not of chance
                if seen is None or seen != _visible_failure(runner, recorder, visible):
                    continue
                cause = _hidden_cause(runner, hidden, spec["diagnosis"]) if hidden else None
                if cause is None:
                    continue
                name, expected_shape, expected, got_shape, got = seen
                entries.append(
                    {
                        "name": name,
                        "expected_shape": expected_shape,
                        "expected": expected,
                        "got_shape": got_shape,
                        "got": got,
                        "cause": cause,
                        "from": f"{chapter} {test_id}: {mutant}",
                    }
                )
            restored, message = runner.run(reference)
            assert restored, f"{exercise}'s solution failed to re-run: {message}"
    return entries


def generate(chapters=None):
    """Every chapter's entries, each chapter in a fresh process."""
    entries = []
    for chapter in chapters or nbs.chapters():
        done = subprocess.run(
            [sys.executable, "-m", "autograder.visible_mistakes", "--chapter", chapter],
            cwd=nbs.ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{chapter}: {done.stderr[-3000:]}")
        entries += json.loads(done.stdout)
    return entries


def render(entries):
    """The text of course/known_mistakes.py for `entries`."""
    # one entry a line: a changed mutant changes its own lines
    lines = ",\n".join(" " + json.dumps(e, ensure_ascii=False) for e in entries)
    return HEADER + "[\n" + lines + "\n]\n" + FOOTER


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.visible_mistakes")
    parser.add_argument("--chapter", help="print one chapter's entries as JSON (internal)")
    parser.add_argument(
        "--check", action="store_true", help=f"fail if {OUTPUT.name} is not up to date"
    )
    args = parser.parse_args(argv)
    if args.chapter:
        json.dump(chapter_entries(args.chapter), sys.stdout)
        return 0
    entries = generate()
    text = render(entries)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run `make release`", file=sys.stderr)
            return 1
        return 0
    Path(OUTPUT).write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(nbs.ROOT)}: {len(entries)} known mistakes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
