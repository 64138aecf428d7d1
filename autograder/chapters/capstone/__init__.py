"""Chapter 6, capstone: softmax and cross-entropy backward, SGD, and training on nnfs spirals."""

# the notebook loads the student's own classes of earlier chapters (course.earlier)
EARLIER_CLASSES = {
    "05_layer_backprop": ("Layer_Dense", "Activation_ReLU"),
    "02_activations": ("Activation_Softmax",),
    "03_loss": ("Loss", "Loss_CategoricalCrossEntropy"),
}
