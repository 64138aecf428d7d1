"""Chapter 5, layer backprop: a layer of neurons, the batch form and a gradient check."""

# how the original material's output of the worked example begins (reproduced digit for digit)
WORKED_EXAMPLE = "Iteration 0, Loss: 466.56000000000006"
