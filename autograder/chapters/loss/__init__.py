"""Chapter 3, loss: categorical cross-entropy, its mean and the accuracy."""

# the notebook loads the student's own classes of earlier chapters (course.earlier)
EARLIER_CLASSES = {
    "01_dense_layers": ("Layer_Dense",),
    "02_activations": ("Activation_ReLU", "Activation_Softmax"),
}
