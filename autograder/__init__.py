"""Instructor-only grading package for Backprop from Scratch.

Never installed into a student's environment (pyproject.toml ships only `course`). Hidden
tests reach it at grading time because nbgrader_config.py puts the course root on the
grading kernel's PYTHONPATH.

- `autograder.reference`: float64 reference implementations of every graded exercise.
- `autograder.hidden`: the checks hidden tests call, one module per chapter.
- `autograder.core`: comparison and diagnosis shared by those checks.
- `autograder.mutants`: realistic wrong (and alternative right) solutions per chapter.
"""
