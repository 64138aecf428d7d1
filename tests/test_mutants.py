"""The hidden tests discriminate: realistic wrong solutions lose the exercise's points with the
right diagnosis, alternative right solutions get full marks."""

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT, nbgrader_env

from autograder import examples
from autograder import notebooks as nbs

CHAPTERS = nbs.chapters(ROOT)
MIN_MUTANTS, MIN_CORRECT = 5, 2


@pytest.fixture(scope="module", params=CHAPTERS)
def report(request):
    # one process per chapter: nnfs.init() patches NumPy process-wide
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "mutants", request.param],
        cwd=ROOT,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return request.param, json.loads(result.stdout)


def test_reference_solution_passes(report):
    chapter, data = report
    assert data["baseline_failures"] == {}, data["baseline_failures"]


def test_every_exercise_has_enough_variants(report):
    chapter, data = report
    module = examples.mutants(chapter)
    for exercise in data["exercises"]:
        assert len(module.MUTANTS.get(exercise, {})) >= MIN_MUTANTS, f"{exercise}: too few mutants"
        assert len(module.CORRECT.get(exercise, {})) >= MIN_CORRECT, (
            f"{exercise}: too few correct variants"
        )


def test_mutants_lose_their_points_with_diagnosis(report):
    chapter, data = report
    problems = []
    for name, mutant in data["mutants"].items():
        messages = []
        for test_id in data["exercises"][mutant["exercise"]]:
            passed, message = mutant["results"][test_id]
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
    assert not problems, "\n".join(problems)


def test_kept_tests_keep_their_points_and_name_the_cause(report):
    """A mutant's "keeps" tests (later exercises built on its exercise, or the exercise's own
    other tests) keep their points, and say which earlier part is wrong when they should."""
    chapter, data = report
    problems = []
    for name, mutant in data["mutants"].items():
        for test_id, note in mutant["keeps"].items():
            passed, message = mutant["results"][test_id][:2]
            if not passed:
                problems.append(f"{name}: {test_id} lost its points: {message[-300:]}")
            elif not re.search(note, message, re.IGNORECASE):
                problems.append(f"{name}: {test_id} does not say {note!r}: {message[-300:]}")
    assert not problems, "\n".join(problems)


def test_each_mistake_has_its_own_diagnosis(report):
    """In chapters whose mutants module sets DISTINCT_DIAGNOSES, a mutant's diagnosis matches
    no other mutant's failure message of the same exercise (unless both name the same mistake):
    each mistake of the catalogue gets its own message, not a generic one."""
    chapter, data = report
    if not getattr(examples.mutants(chapter), "DISTINCT_DIAGNOSES", False):
        pytest.skip(f"{chapter}'s mutants do not claim distinct diagnoses")
    failures = {
        name: [
            result[1]
            for test_id, result in mutant["results"].items()
            if not result[0] and test_id in mutant["fails"]
        ]
        for name, mutant in data["mutants"].items()
    }
    problems = []
    for name, mutant in data["mutants"].items():
        for other, other_mutant in data["mutants"].items():
            if (
                other == name
                or other_mutant["exercise"] != mutant["exercise"]
                or other_mutant["diagnosis"] == mutant["diagnosis"]
            ):
                continue
            if any(re.search(mutant["diagnosis"], m, re.IGNORECASE) for m in failures[other]):
                problems.append(f"{name}'s diagnosis {mutant['diagnosis']!r} also matches {other}")
    assert not problems, "\n".join(problems)


def test_correct_variants_get_full_marks(report):
    chapter, data = report
    failed = {
        f"{name}/{test_id}": message[-300:]
        for name, variant in data["correct"].items()
        for test_id, (passed, message) in variant["results"].items()
        if not passed
    }
    assert not failed, failed
