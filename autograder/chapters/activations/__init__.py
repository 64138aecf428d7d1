"""Chapter 2, activations: ReLU and softmax, as functions and as classes."""

# the notebook loads the student's own classes of earlier chapters (course.earlier)
EARLIER_CLASSES = {"01_dense_layers": ("Layer_Dense",)}
