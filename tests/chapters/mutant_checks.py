"""What the mutation tests check about one chapter, as functions: the real chapters' tests
(test_mutants.py) and the throwaway chapter's (test_adding_a_chapter.py) call the same ones."""

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, nbgrader_env


def mutants_report(chapter: str, root: Path = ROOT) -> dict:
    """`python -m autograder mutants CHAPTER` run in the course at `root` (`-m` puts its
    folder, so its autograder package, first on the path), as plain data."""
    # one process per chapter: nnfs.init() patches NumPy process-wide
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "mutants", chapter],
        cwd=root,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def diagnosis_problems(data: dict) -> list[str]:
    """Each mutant fails its "fails" tests, with a message its diagnosis matches, and passes
    its exercise's other tests (unless it ignores them)."""
    problems = []
    for name, mutant in data["mutants"].items():
        messages = []
        for test_id in data["exercises"][mutant["exercise"]]:
            passed, message, _ = mutant["results"][test_id]
            if test_id in mutant["fails"]:
                messages.append(message)
                if passed:
                    problems.append(f"{name}: {test_id} passed")
            elif not passed and test_id not in mutant["ignores"]:
                problems.append(f"{name}: {test_id} should pass: {message[-300:]}")
        # a diagnosis is a regular expression the failure message must match
        if not any(re.search(mutant["diagnosis"], m, re.IGNORECASE) for m in messages):
            problems.append(
                f"{name}: no failure says {mutant['diagnosis']!r}: {[m[-300:] for m in messages]}"
            )
    return problems


def kept_problems(data: dict) -> list[str]:
    problems = []
    for name, mutant in data["mutants"].items():
        for test_id, note in mutant["keeps"].items():
            passed, message = mutant["results"][test_id][:2]
            if not passed:
                problems.append(f"{name}: {test_id} lost its points: {message[-300:]}")
            elif not re.search(note, message, re.IGNORECASE):
                problems.append(f"{name}: {test_id} does not say {note!r}: {message[-300:]}")
    return problems


def correct_failures(data: dict) -> dict[str, str]:
    """{variant/test: message} of the tests an alternative right solution failed."""
    return {
        f"{name}/{test_id}": message[-300:]
        for name, variant in data["correct"].items()
        for test_id, (passed, message, _) in variant["results"].items()
        if not passed
    }


GENERIC = ("not catalogued", "times too", "the sign is flipped", "the result is transposed")


def _first_failure(mutant, data):
    """(message, diagnosis) of the mutant's first failing test of its own exercise."""
    for test_id in data["exercises"][mutant["exercise"]]:
        passed, message, diagnosis = mutant["results"][test_id]
        if not passed:
            return message, diagnosis
    return "", None


def catalogue_problems(data: dict) -> list[str]:
    catalogued = {n: m for n, m in data["mutants"].items() if m["mistake"]}
    problems = []
    for name, mutant in catalogued.items():
        message, diagnosis = _first_failure(mutant, data)
        got = (diagnosis or {}).get("id")
        if got != mutant["mistake"]:
            problems.append(f"{name}: recorded {got!r}, expected {mutant['mistake']!r}")
        likely = [line for line in message.splitlines() if "Likely cause" in line]
        if any(g in line for line in likely for g in GENERIC):
            problems.append(f"{name}: generic diagnosis {likely}")
        for other, second in catalogued.items():
            if other == name or second["exercise"] != mutant["exercise"]:
                continue
            if second["mistake"] == mutant["mistake"]:
                problems.append(f"{name} and {other} are both {mutant['mistake']}")
            other_message, _ = _first_failure(second, data)
            if re.search(mutant["diagnosis"], other_message, re.IGNORECASE):
                problems.append(f"{name}'s diagnosis {mutant['diagnosis']!r} matches {other}")
    return problems
