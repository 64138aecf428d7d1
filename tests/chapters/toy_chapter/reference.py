"""Toy chapter reference: the squared error, in float64."""

import numpy as np


def squared_error(y_pred, y_true):
    """y_pred: (n_samples,), y_true: (n_samples,) -> (n_samples,), each sample's error squared."""
    error = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    return error * error
