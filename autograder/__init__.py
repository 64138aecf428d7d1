"""Instructor-only grading package for Backprop from Scratch.

Never installed into a student's environment (pyproject.toml ships only `course`), and never
inside a grading kernel's sandbox: hidden tests run here, in the grader's process, and reach the
student's kernel through `autograder.channel` (plain data only).

- `autograder.chapters`: one folder per chapter: its reference, checks, mutants and metadata.
- `autograder.core`: comparison and diagnosis shared by the chapters' checks, and the one door
  to the student's code (`call_student`); beside it what several chapters' checks share:
  `checking` (small helpers), `backprop` (the backward passes' cost check, the ReLU-kink
  mistakes) and `training` (a training loop graded given the student's own gradients).
- `autograder.hidden_tests`, `autograder.execute`: how a test cell's hidden block is graded.
- `autograder.grade`, `autograder.pipeline`: grading a class; `autograder.sandbox`,
  `autograder.warm`: the kernels' sandbox.
"""
