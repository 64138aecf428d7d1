"""Chapter 4, single-neuron backprop: the chain rule through one ReLU neuron, and training it."""

# how the original material's output of the worked example begins (reproduced digit for digit)
WORKED_EXAMPLE = "Iteration 1, Loss: 36.0"
