"""Chapter 3 mutants: the mistakes students make writing the loss and accuracy."""


def _loss_class(body):
    return "class Loss:\n    def calculate(self, output, y):\n" + "".join(
        f"        {line}\n" for line in body
    )


def _cce_class(body):
    return (
        "class Loss_CategoricalCrossEntropy(Loss):\n"
        "    def forward(self, y_pred, y_true):\n" + "".join(f"        {line}\n" for line in body)
    )


def _cce(
    clip="y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)", sparse=None, one_hot=None, ret=None
):
    """The reference forward with one line replaced: the usual shape of a mistake."""
    return _cce_class(
        [
            "n_samples = len(y_pred)",
            clip,
            "if len(y_true.shape) == 1:",
            "    " + (sparse or "correct_confidences = y_pred_clipped[range(n_samples), y_true]"),
            "elif len(y_true.shape) == 2:",
            "    " + (one_hot or "correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)"),
            ret or "return -np.log(correct_confidences)",
        ]
    )


def _accuracy(body):
    return "def accuracy(y_pred, y_true):\n" + "".join(f"    {line}\n" for line in body)


ONE_HOT = "if len(y_true.shape) == 2:\n        y_true = np.argmax(y_true, axis=1)"

MUTANTS = {
    "loss": {
        "sum": {
            "code": _loss_class(["return np.sum(self.forward(output, y))"]),
            "diagnosis": "sum instead of mean",
        },
        "no_mean": {
            "code": _loss_class(["return self.forward(output, y)"]),
            "diagnosis": "should return one number",
        },
        "mean_of_output": {
            "code": _loss_class(["return np.mean(output)"]),
            "diagnosis": r"did not call self\.forward",
        },
        "swapped_arguments": {
            "code": _loss_class(["return np.mean(self.forward(y, output))"]),
            "diagnosis": "arguments are swapped",
        },
        "stores_not_returns": {
            "code": _loss_class(["self.data_loss = np.mean(self.forward(output, y))"]),
            "diagnosis": "returned None",
        },
        "divides_by_classes": {
            "code": _loss_class(["return np.sum(self.forward(output, y)) / output.shape[1]"]),
            "diagnosis": "number of classes",
        },
    },
    "loss_categorical_cross_entropy": {
        "no_clipping": {
            "code": _cce(clip="y_pred_clipped = y_pred"),
            "diagnosis": "log of an unclipped 0",
            "fails": ["test_cce_clipping"],
        },
        "other_clip_bounds": {
            "code": _cce(clip="y_pred_clipped = np.clip(y_pred, 1e-15, 1 - 1e-15)"),
            "diagnosis": "other clipping bounds",
            "fails": ["test_cce_clipping"],
        },
        "clips_in_place": {
            "code": _cce(clip="y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7, out=y_pred)"),
            "diagnosis": "modified its argument",
            "fails": ["test_cce_clipping"],
        },
        "one_hot_not_handled": {
            "code": _cce_class(
                [
                    "y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)",
                    "return -np.log(y_pred_clipped[range(len(y_pred)), y_true])",
                ]
            ),
            "diagnosis": "one-hot labels not handled",
            "fails": ["test_cce_one_hot"],
        },
        "one_hot_wrong_axis": {
            "code": _cce(one_hot="correct_confidences = np.sum(y_pred_clipped * y_true, axis=0)"),
            "diagnosis": "axis=0",
            "fails": ["test_cce_one_hot"],
        },
        "clips_only_class_indices": {
            "code": _cce(
                one_hot="correct_confidences = np.sum(y_pred * y_true, axis=1)",
            ),
            "diagnosis": "log of an unclipped 0",
            "fails": ["test_cce_clipping"],
        },
        "column_indexing": {
            "code": _cce(sparse="correct_confidences = y_pred_clipped[:, y_true]"),
            "diagnosis": r"y_pred\[range\(n_samples\), y_true\]",
            "fails": ["test_cce_class_indices", "test_cce_clipping"],
        },
        "returns_mean": {
            "code": _cce(ret="return np.mean(-np.log(correct_confidences))"),
            "diagnosis": "one loss per sample",
        },
        "no_minus": {
            "code": _cce(ret="return np.log(correct_confidences)"),
            "diagnosis": "sign is flipped",
        },
        "log10": {
            "code": _cce(ret="return -np.log10(correct_confidences)"),
            "diagnosis": "np.log10",
        },
    },
    "accuracy": {
        "argmax_axis_0": {
            "code": _accuracy(
                [
                    "predictions = np.argmax(y_pred, axis=0)",
                    ONE_HOT,
                    "return np.mean(predictions == y_true)",
                ]
            ),
            "diagnosis": "ROW",
        },
        "one_hot_not_handled": {
            "code": _accuracy(["return np.mean(np.argmax(y_pred, axis=1) == y_true)"]),
            "diagnosis": "one-hot targets not handled",
        },
        "count_not_fraction": {
            "code": _accuracy(
                [
                    "predictions = np.argmax(y_pred, axis=1)",
                    ONE_HOT,
                    "return np.sum(predictions == y_true)",
                ]
            ),
            "diagnosis": "sum instead of mean",
        },
        "max_not_argmax": {
            "code": _accuracy(
                [
                    "predictions = np.max(y_pred, axis=1)",
                    ONE_HOT,
                    "return np.mean(predictions == y_true)",
                ]
            ),
            "diagnosis": r"np\.argmax",
        },
        "returns_matches": {
            "code": _accuracy(
                ["predictions = np.argmax(y_pred, axis=1)", ONE_HOT, "return predictions == y_true"]
            ),
            "diagnosis": "should return one number",
        },
        "one_hot_argmax_axis_0": {
            "code": _accuracy(
                [
                    "predictions = np.argmax(y_pred, axis=1)",
                    "if y_true.ndim == 2:",
                    "    y_true = np.argmax(y_true, axis=0)",
                    "return np.mean(predictions == y_true)",
                ]
            ),
            "diagnosis": "one-hot targets",
        },
    },
}

CORRECT = {
    "loss": {
        "average": _loss_class(["return np.average(self.forward(output, y))"]),
        "sum_over_len_float32": _loss_class(
            [
                "sample_losses = np.asarray(self.forward(output, y), dtype=np.float32)",
                "return sample_losses.sum() / len(sample_losses)",
            ]
        ),
    },
    "loss_categorical_cross_entropy": {
        "one_hot_everywhere": _cce_class(
            [
                "y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)",
                "if y_true.ndim == 1:",
                "    y_true = np.eye(y_pred.shape[1])[y_true]",
                "return -np.sum(y_true * np.log(y_pred), axis=1)",
            ]
        ),
        "indices_everywhere_loop": _cce_class(
            [
                "labels = np.argmax(y_true, axis=1) if y_true.ndim == 2 else y_true",
                "losses = []",
                "for row, label in zip(y_pred, labels):",
                "    confidence = min(max(float(row[label]), 1e-7), 1 - 1e-7)",
                "    losses.append(-np.log(confidence))",
                "return np.array(losses)",
            ]
        ),
        "float32_take_along_axis": _cce_class(
            [
                "y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7).astype(np.float32)",
                "if y_true.ndim == 2:",
                "    y_true = y_true.argmax(axis=1)",
                "picked = np.take_along_axis(y_pred, y_true.reshape(-1, 1).astype(int), axis=1)",
                "return -np.log(picked[:, 0])",
            ]
        ),
    },
    "accuracy": {
        "loop": _accuracy(
            [
                "labels = [np.argmax(t) for t in y_true] if np.ndim(y_true) == 2 else list(y_true)",
                "right = sum(int(np.argmax(p) == t) for p, t in zip(y_pred, labels))",
                "return right / len(y_pred)",
            ]
        ),
        "one_hot_compare": _accuracy(
            [
                "n_classes = y_pred.shape[1]",
                "if y_true.ndim == 1:",
                "    y_true = np.eye(n_classes)[y_true]",
                "hits = y_true[np.arange(len(y_pred)), y_pred.argmax(axis=1)]",
                "return float(hits.mean())",
            ]
        ),
    },
}

BUGGY_EXAMPLE = {
    "loss": "sum",
    "loss_categorical_cross_entropy": "no_clipping",
}
