"""Backprop from Scratch: the helpers students import from the chapter notebooks.

- `course.plots`: plots of data sets and training curves.
- `course.checks`: the visible tests' messages (shape and value checks that teach, naming the
  known mistakes of `course.known_mistakes`, generated from the grader's catalogue).
- `course.earlier`: the student's own classes from earlier chapters, loaded from their notebooks.
- `course.gradcheck`: centred-difference numerical gradients.
- `course.capstone`: chapter 6: a whole-network gradient check, training curves, and the
  learning-rate explorer with decision regions.
"""
