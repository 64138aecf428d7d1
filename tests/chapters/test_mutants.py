"""The hidden tests discriminate: realistic wrong solutions lose the exercise's points with the
right diagnosis, alternative right solutions get full marks."""

import re

import pytest

from autograder import examples, mutation
from autograder import notebooks as nbs
from tests.chapters.mutant_checks import (
    catalogue_problems,
    correct_failures,
    diagnosis_problems,
    kept_problems,
    mutants_report,
)
from tests.helpers import ROOT

CHAPTERS = nbs.chapters(ROOT)
MIN_MUTANTS, MIN_CORRECT = 5, 2


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


def test_kept_tests_keep_their_points_and_name_the_cause(report):
    """A mutant's "keeps" tests (later exercises built on its exercise, or the exercise's own
    other tests) keep their points, and say which earlier part is wrong when they should."""
    problems = kept_problems(report[1])
    assert not problems, "\n".join(problems)


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


# what core's generic diagnoses say: a catalogued mistake never gets these


def test_catalogued_mistakes_get_their_own_diagnosis(report):
    """Each catalogued mistake is recorded under its own id, with a message of its own: no
    generic ratio text, no two catalogue mutants of an exercise diagnosed alike, and each
    mutant's diagnosis regex matches no other catalogue mutant's message."""
    problems = catalogue_problems(report[1])
    assert not problems, "\n".join(problems)


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
