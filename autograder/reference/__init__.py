"""Float64 reference implementations of every graded exercise (instructor-only).

They use `@` and explicit dtypes rather than np.dot / np.zeros, so nnfs.init()'s float32
patches in the student's kernel cannot change them.
"""
