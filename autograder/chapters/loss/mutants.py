"""Chapter 3 mutants: the mistakes students make writing the loss and accuracy.

Written with autograder/mutant.py: small mistakes are edits of the notebook's solution cell,
other ways of writing an exercise are real functions and classes.
"""

import numpy as np

# the notebook's earlier exercise, the base class of the cross-entropy; imported so that ruff
# lints the variants below (when a variant runs, Loss is the notebook's own)
from autograder.chapters.loss.reference import Loss
from autograder.mutant import Catalogue

catalogue = Catalogue(__name__)

# -- Loss.calculate: sample_losses = self.forward(output, y); return np.mean(sample_losses)

catalogue.edit("loss", "sum", ("np.mean(", "np.sum("), diagnosis="sum instead of mean")
catalogue.edit(
    "loss",
    "no_mean",
    ("return np.mean(sample_losses)", "return sample_losses"),
    diagnosis="should return one number",
)
catalogue.edit(
    "loss",
    "mean_of_output",
    ("= self.forward(output, y)", "= output"),
    diagnosis=r"did not call self\.forward",
)
catalogue.edit(
    "loss",
    "swapped_arguments",
    ("= self.forward(output, y)", "= self.forward(y, output)"),
    diagnosis="arguments are swapped",
)
catalogue.edit(
    "loss",
    "stores_not_returns",
    ("return np.mean(", "self.data_loss = np.mean("),
    diagnosis="returned None",
)
catalogue.edit(
    "loss",
    "divides_by_classes",
    ("np.mean(sample_losses)", "np.sum(sample_losses) / output.shape[1]"),
    diagnosis="number of classes",
)


@catalogue.correct("loss")
class average:
    def calculate(self, output, y):
        return np.average(self.forward(output, y))


@catalogue.correct("loss")
class sum_over_len_float32:
    def calculate(self, output, y):
        sample_losses = np.asarray(self.forward(output, y), dtype=np.float32)
        return sample_losses.sum() / len(sample_losses)


# -- Loss_CategoricalCrossEntropy.forward:
#     n_samples = len(y_pred)
#     y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
#     if len(y_true.shape) == 1:
#         correct_confidences = y_pred_clipped[range(n_samples), y_true]
#     elif len(y_true.shape) == 2:
#         correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
#     return -np.log(correct_confidences)

CCE = "loss_categorical_cross_entropy"
catalogue.edit(
    CCE,
    "no_clipping",
    ("np.clip(y_pred, 1e-7, 1 - 1e-7)", "y_pred"),
    diagnosis="log of an unclipped 0",
    fails=["test_cce_clipping"],
)
catalogue.edit(
    CCE,
    "other_clip_bounds",
    ("1e-7, 1 - 1e-7", "1e-15, 1 - 1e-15"),
    diagnosis="other clipping bounds",
    fails=["test_cce_clipping"],
)
catalogue.edit(
    CCE,
    "clips_in_place",
    ("1 - 1e-7)", "1 - 1e-7, out=y_pred)"),
    diagnosis="modified its argument",
    fails=["test_cce_clipping"],
)


@catalogue.mutant(CCE, diagnosis="one-hot labels not handled", fails=["test_cce_one_hot"])
class one_hot_not_handled(Loss):
    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        return -np.log(y_pred_clipped[range(len(y_pred)), y_true])


catalogue.edit(
    CCE,
    "one_hot_wrong_axis",
    ("y_true, axis=1)", "y_true, axis=0)"),
    diagnosis="axis=0",
    fails=["test_cce_one_hot"],
)
catalogue.edit(
    CCE,
    "clips_only_class_indices",
    ("np.sum(y_pred_clipped * y_true", "np.sum(y_pred * y_true"),
    diagnosis="log of an unclipped 0",
    fails=["test_cce_clipping"],
)
catalogue.edit(
    CCE,
    "column_indexing",
    ("y_pred_clipped[range(n_samples), y_true]", "y_pred_clipped[:, y_true]"),
    diagnosis=r"y_pred\[range\(n_samples\), y_true\]",
    fails=["test_cce_class_indices", "test_cce_clipping"],
)
catalogue.edit(
    CCE,
    "returns_mean",
    ("-np.log(correct_confidences)", "np.mean(-np.log(correct_confidences))"),
    diagnosis="one loss per sample",
)
catalogue.edit(CCE, "no_minus", ("-np.log(", "np.log("), diagnosis="sign is flipped")
catalogue.edit(CCE, "log10", ("np.log(", "np.log10("), diagnosis="np.log10")


@catalogue.correct(CCE)
class one_hot_everywhere(Loss):
    def forward(self, y_pred, y_true):
        y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 1:
            y_true = np.eye(y_pred.shape[1])[y_true]
        return -np.sum(y_true * np.log(y_pred), axis=1)


# strict=False is the plain zip a student writes (ruff's B905 wants it said)
@catalogue.correct(CCE)
class indices_everywhere_loop(Loss):
    def forward(self, y_pred, y_true):
        labels = np.argmax(y_true, axis=1) if y_true.ndim == 2 else y_true
        losses = []
        for row, label in zip(y_pred, labels, strict=False):
            confidence = min(max(float(row[label]), 1e-7), 1 - 1e-7)
            losses.append(-np.log(confidence))
        return np.array(losses)


@catalogue.correct(CCE)
class float32_take_along_axis(Loss):
    def forward(self, y_pred, y_true):
        y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7).astype(np.float32)
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        picked = np.take_along_axis(y_pred, y_true.reshape(-1, 1).astype(int), axis=1)
        return -np.log(picked[:, 0])


# -- accuracy:
#     predictions = np.argmax(y_pred, axis=1)
#     if len(y_true.shape) == 2:
#         y_true = np.argmax(y_true, axis=1)
#     return np.mean(predictions == y_true)

catalogue.edit(
    "accuracy",
    "argmax_axis_0",
    ("np.argmax(y_pred, axis=1)", "np.argmax(y_pred, axis=0)"),
    diagnosis="ROW",
)
catalogue.edit(
    "accuracy",
    "one_hot_not_handled",
    ("    if len(y_true.shape) == 2:\n        y_true = np.argmax(y_true, axis=1)\n", ""),
    diagnosis="one-hot targets not handled",
)
catalogue.edit(
    "accuracy",
    "count_not_fraction",
    ("np.mean(predictions", "np.sum(predictions"),
    diagnosis="sum instead of mean",
)
catalogue.edit(
    "accuracy", "max_not_argmax", ("np.argmax(y_pred", "np.max(y_pred"), diagnosis=r"np\.argmax"
)
catalogue.edit(
    "accuracy",
    "returns_matches",
    ("np.mean(predictions == y_true)", "predictions == y_true"),
    diagnosis="should return one number",
)
catalogue.edit(
    "accuracy",
    "one_hot_argmax_axis_0",
    ("np.argmax(y_true, axis=1)", "np.argmax(y_true, axis=0)"),
    diagnosis="one-hot targets",
)


@catalogue.correct("accuracy")
def loop(y_pred, y_true):
    labels = [np.argmax(t) for t in y_true] if np.ndim(y_true) == 2 else list(y_true)
    right = sum(int(np.argmax(p) == t) for p, t in zip(y_pred, labels, strict=False))
    return right / len(y_pred)


@catalogue.correct("accuracy")
def one_hot_compare(y_pred, y_true):
    n_classes = y_pred.shape[1]
    if y_true.ndim == 1:
        y_true = np.eye(n_classes)[y_true]
    hits = y_true[np.arange(len(y_pred)), y_pred.argmax(axis=1)]
    return float(hits.mean())


MUTANTS, CORRECT = catalogue.MUTANTS, catalogue.CORRECT

BUGGY_EXAMPLE = {
    "loss": "sum",
    "loss_categorical_cross_entropy": "no_clipping",
}
