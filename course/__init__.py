"""Backprop from Scratch: the helpers students import from the chapter notebooks.

- `course.plots`: plots of data sets and training curves.
- `course.checks`: the visible tests' messages (shape and value checks that teach).
- `course.gradcheck`: centred-difference numerical gradients.
"""
