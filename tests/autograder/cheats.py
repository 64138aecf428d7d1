"""Chapter 5's Layer_Dense with a backward that differentiates numerically (the forward pass
nudged one entry at a time) instead of using the chain rule: cheats that must earn nothing
(tests/autograder/test_grading_security.py and test_red_team.py grade them)."""

# __init__ and forward as the chapter's solution: only backward cheats
_HEAD = """
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

"""

# the gradient of sum(dvalues * output), the whole forward pass per nudge
NUMERICAL_LAYER_DENSE = (
    _HEAD
    + '''
    def backward(self, dvalues):
        """No chain rule: the gradient of sum(dvalues * output), numerically."""
        def loss():
            return np.sum(dvalues * (self.inputs @ self.weights + self.biases))

        grads = []
        for array in (self.weights, self.biases, self.inputs):
            grad = np.zeros_like(array, dtype=float)
            for index in np.ndindex(array.shape):
                keep = array[index]
                array[index] = keep + 1e-5
                up = loss()
                array[index] = keep - 1e-5
                down = loss()
                array[index] = keep
                grad[index] = (up - down) / 2e-5
            grads.append(grad)
        self.dweights, self.dbiases, self.dinputs = grads
'''
)

# Faster: centred differences of the
# forward pass, one parameter at a time; only the output column / row a parameter touches is
# recomputed, so it is a few seconds, not minutes). Alone it fails the cost check (budget
# 0.5 s). The same cell also slows down the agent's `echo` request, which
# backprop.expect_backprop_cost used to measure "the time its data takes to cross to the
# kernel": the budget becomes ~20 s and the numerical gradients earn full points.
FAST_NUMERICAL_LAYER_DENSE = (
    _HEAD
    + '''
    def backward(self, dvalues):
        """No chain rule: centred differences of sum(dvalues * output), one entry at a time."""
        X, W, b, h = self.inputs, self.weights, self.biases, 1e-3
        dW = np.zeros(W.shape)
        for i, j in np.ndindex(W.shape):
            column = W[:, j].copy()
            column[i] += h
            up = np.sum(dvalues[:, j] * (X @ column + b[0, j]))
            column[i] -= 2 * h
            down = np.sum(dvalues[:, j] * (X @ column + b[0, j]))
            dW[i, j] = (up - down) / (2 * h)
        db = np.zeros(b.shape)
        for j in range(b.shape[1]):
            up = np.sum(dvalues[:, j] * (X @ W[:, j] + b[0, j] + h))
            down = np.sum(dvalues[:, j] * (X @ W[:, j] + b[0, j] - h))
            db[0, j] = (up - down) / (2 * h)
        dX = np.zeros(X.shape)
        for n, i in np.ndindex(X.shape):
            row = X[n].copy()
            row[i] += h
            up = np.sum(dvalues[n] * (row @ W + b[0]))
            row[i] -= 2 * h
            down = np.sum(dvalues[n] * (row @ W + b[0]))
            dX[n, i] = (up - down) / (2 * h)
        self.dweights, self.dbiases, self.dinputs = dW, db, dX
'''
)
