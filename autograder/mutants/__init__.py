"""Realistic wrong solutions (and alternative right ones) for every graded exercise.

One module per chapter topic, each defining:
- MUTANTS: {solution grade_id: {name: {"code": ..., "diagnosis": a regular expression
  the failure message must match, optionally "fails": [test grade_ids] when not all the exercise's tests fail,
  and "keeps": {test grade_id: regular expression}: tests (of this exercise or a later one built on
  it) that must still pass with this mistake in place, their message matching the expression
  (naming the earlier exercise as the cause; "" when nothing need be said): one bug costs once,
  and "ignores": [test grade_ids] whose outcome depends on rounding for this mistake}}}
- CORRECT: {solution grade_id: {name: code}}: other right ways to write it; full marks.
- BUGGY_EXAMPLE: {solution grade_id: mutant name}: the bundled `example_buggy` submission.
- optionally, per mutant, "mistake": the id of the catalogued core.Mistake it must be recorded
  as (one catalogue mutant per mistake and exercise, none diagnosed by a generic message), and
  ONE_BUG_COSTS_ONCE = True: the later exercises' tests run with each mutant and must keep their
  points, unless the mutant lists them in "costs_later" ({test grade_id: why}).
tests/test_mutants.py runs every entry against the hidden tests.
"""
