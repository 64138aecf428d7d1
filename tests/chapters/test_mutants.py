"""The hidden tests discriminate: realistic wrong solutions lose the exercise's points with the
right diagnosis, alternative right solutions get full marks."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import examples, mutation
from autograder import notebooks as nbs
from tests.helpers import ROOT, nbgrader_env

CHAPTERS = nbs.chapters(ROOT)
MIN_MUTANTS, MIN_CORRECT = 5, 2


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


@pytest.fixture(scope="module", params=CHAPTERS)
def report(request):
    return request.param, mutants_report(request.param)


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
    problems = diagnosis_problems(report[1])
    assert not problems, "\n".join(problems)


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


def test_kept_tests_keep_their_points_and_name_the_cause(report):
    """A mutant's "keeps" tests (later exercises built on its exercise, or the exercise's own
    other tests) keep their points, and say which earlier part is wrong when they should."""
    problems = kept_problems(report[1])
    assert not problems, "\n".join(problems)


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


def test_each_mistake_has_its_own_diagnosis(report):
    """In chapters whose mutants module sets DISTINCT_DIAGNOSES, a mutant's diagnosis matches
    no other mutant's failure message of the same exercise (unless both name the same mistake):
    each mistake of the catalogue gets its own message, not a generic one."""
    chapter, data = report
    if not getattr(examples.mutants(chapter), "DISTINCT_DIAGNOSES", False):
        pytest.skip(f"{chapter}'s mutants do not claim distinct diagnoses")
    # the hidden checks' messages only: a visible check on the worked example may rightly name
    # two mistakes whose values coincide there (3 samples of 3 classes: n_samples twice is
    # n_samples * n_classes)
    failures = {
        name: [
            result[1].split(mutation.VISIBLE_PART)[0]
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
    failed = correct_failures(report[1])
    assert not failed, failed


def correct_failures(data: dict) -> dict[str, str]:
    """{variant/test: message} of the tests an alternative right solution failed."""
    return {
        f"{name}/{test_id}": message[-300:]
        for name, variant in data["correct"].items()
        for test_id, (passed, message, _) in variant["results"].items()
        if not passed
    }


# what core's generic diagnoses say: a catalogued mistake never gets these
GENERIC = ("not catalogued", "times too", "the sign is flipped", "the result is transposed")


def _first_failure(mutant, data):
    """(message, diagnosis) of the mutant's first failing test of its own exercise."""
    for test_id in data["exercises"][mutant["exercise"]]:
        passed, message, diagnosis = mutant["results"][test_id]
        if not passed:
            return message, diagnosis
    return "", None


def test_catalogued_mistakes_get_their_own_diagnosis(report):
    """Each catalogued mistake is recorded under its own id, with a message of its own: no
    generic ratio text, no two catalogue mutants of an exercise diagnosed alike, and each
    mutant's diagnosis regex matches no other catalogue mutant's message."""
    problems = catalogue_problems(report[1])
    assert not problems, "\n".join(problems)


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


def test_catalogue_covers_the_backprop_mistakes():
    """Chapters 4 and 5 have a catalogue mutant for each mistake of issue 14 that applies."""
    ids = {
        spec.get("mistake")
        for chapter in ("04_single_neuron_backprop", "05_layer_backprop")
        for variants in examples.mutants(chapter).MUTANTS.values()
        for spec in variants.values()
    }
    wanted = {
        "missing_upstream_gradient",
        "missing_relu_mask",
        "mask_wrong_place",
        "averaged_not_summed",
        "dbiases_wrong_axis",
        "dbiases_no_keepdims",
        "transposed_product",
        "lost_factor_2",
        "sign_error",
        "sign_error_update",
        "in_place",
        "divided_by_n_twice",
    }
    assert wanted <= ids, wanted - ids


def test_one_bug_costs_once(report):
    """A mutant of an earlier exercise leaves every later exercise's points unchanged, unless
    it declares why it cannot (its output cannot drive the later exercise at all). Chapters
    whose mutant module sets ONE_BUG_COSTS_ONCE (4 and 5 must) run the later tests."""
    chapter, data = report
    module = examples.mutants(chapter)
    if chapter in ("04_single_neuron_backprop", "05_layer_backprop"):
        assert module.ONE_BUG_COSTS_ONCE
    problems = []
    for name, mutant in data["mutants"].items():
        exercise, variant = name.split("/", 1)
        allowed = module.MUTANTS[exercise][variant].get("costs_later", {})
        for test_id in mutant["later"]:
            passed, message, diagnosis = mutant["results"][test_id]
            if test_id in allowed:
                if passed:
                    problems.append(f"{name}: {test_id} passed, yet costs_later says it fails")
            elif not passed:
                problems.append(f"{name}: {test_id} lost its points: {message[-400:]}")
    assert not problems, "\n".join(problems)
