"""Chapter 3 reference: categorical cross-entropy and accuracy, in float64."""

import numpy as np

# Predictions are clipped to [EPSILON, 1 - EPSILON] before the log: log(0) is -inf.
EPSILON = 1e-7


def correct_confidences(y_pred, y_true):
    """The probability each sample gives its correct class.

    y_pred: (n_samples, n_classes); y_true: (n_samples,) class indices or
    (n_samples, n_classes) one-hot rows. Returns (n_samples,) in float64.
    """
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        return y_pred[np.arange(len(y_pred)), y_true.astype(np.int64)]
    if y_true.ndim == 2:
        return np.sum(y_pred * y_true.astype(np.float64), axis=1)
    raise ValueError(f"y_true must be 1-D (class indices) or 2-D (one-hot), got {y_true.shape}")


def categorical_cross_entropy(y_pred, y_true):
    """Per-sample losses -log(clipped correct confidence): (n_samples,) float64."""
    clipped = np.clip(np.asarray(y_pred, dtype=np.float64), EPSILON, 1 - EPSILON)
    return -np.log(correct_confidences(clipped, y_true))


def mean_loss(sample_losses):
    """The batch loss: the mean of the per-sample losses, a float."""
    return float(np.mean(np.asarray(sample_losses, dtype=np.float64)))


def accuracy(y_pred, y_true):
    """Fraction of samples whose largest prediction is the correct class, a float in [0, 1]."""
    predictions = np.argmax(np.asarray(y_pred), axis=1)
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        y_true = np.argmax(y_true, axis=1)
    return float(np.mean(predictions == y_true))


class Loss:
    def calculate(self, output, y):
        """output: the model's predictions; y: the targets -> the mean per-sample loss."""
        return mean_loss(self.forward(output, y))


class Loss_CategoricalCrossEntropy(Loss):
    def forward(self, y_pred, y_true):
        """y_pred: (n_samples, n_classes); y_true: class indices or one-hot -> (n_samples,)."""
        return categorical_cross_entropy(y_pred, y_true)
