"""Known mistakes and what they give on the worked examples (generated: do not edit).

Written by `python -m autograder.visible_mistakes` (`make release`) from the grader's catalogue
of mistakes: each entry is a wrong answer on a visible check's worked example and the cause the
graded feedback names for it. course/checks.py reads it.
"""

import json

MISTAKES = json.loads(
    r"""
[
 {
  "name": "neuron_output",
  "expected_shape": [],
  "expected": 4.8,
  "got_shape": [],
  "got": 2.799999952316284,
  "cause": "the bias is not added",
  "from": "01_dense_layers test_neuron_output: no_bias"
 },
 {
  "name": "neuron_output",
  "expected_shape": [],
  "expected": 4.8,
  "got_shape": [],
  "got": 10.8,
  "cause": "the bias is added to every product before summing",
  "from": "01_dense_layers test_neuron_output: bias_per_product"
 },
 {
  "name": "layer_output",
  "expected_shape": [
   3
  ],
  "expected": [
   4.8,
   1.21,
   2.385
  ],
  "got_shape": [
   3
  ],
  "got": [
   2.799999952316284,
   -1.7899999618530273,
   1.8849999904632568
  ],
  "cause": "the biases are not added",
  "from": "01_dense_layers test_layer_output: no_bias"
 },
 {
  "name": "batch_output",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    4.8,
    1.21,
    2.385
   ],
   [
    8.9,
    -1.81,
    0.2
   ],
   [
    1.41,
    1.051,
    0.026
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    2.799999952316284,
    -1.7899999618530273,
    1.8849999904632568
   ],
   [
    6.900000095367432,
    -4.809999942779541,
    -0.30000001192092896
   ],
   [
    -0.5899999737739563,
    -1.9490000009536743,
    -0.4740000069141388
   ]
  ],
  "cause": "the biases are not added",
  "from": "01_dense_layers test_batch_output: no_bias"
 },
 {
  "name": "batch_output",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    4.8,
    1.21,
    2.385
   ],
   [
    8.9,
    -1.81,
    0.2
   ],
   [
    1.41,
    1.051,
    0.026
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    4.799999952316284,
    8.900000095367432,
    1.4100000262260437
   ],
   [
    1.2100000381469727,
    -1.809999942779541,
    1.0509999990463257
   ],
   [
    2.384999990463257,
    0.19999998807907104,
    0.025999993085861206
   ]
  ],
  "cause": "the result is transposed: one row per sample, one column per neuron",
  "from": "01_dense_layers test_batch_output: transposed_result"
 },
 {
  "name": "batch_output",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    4.8,
    1.21,
    2.385
   ],
   [
    8.9,
    -1.81,
    0.2
   ],
   [
    1.41,
    1.051,
    0.026
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    4.799999952316284,
    0.21000003814697266,
    3.884999990463257
   ],
   [
    9.900000095367432,
    -1.809999942779541,
    2.699999988079071
   ],
   [
    -0.0899999737739563,
    -1.4490000009536743,
    0.025999993085861206
   ]
  ],
  "cause": "the biases are added as a column (biases.T): add the (1, n_neurons) row as it is",
  "from": "01_dense_layers test_batch_output: biases_transposed"
 },
 {
  "name": "layer.output",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    4.8,
    1.21,
    2.385
   ],
   [
    8.9,
    -1.81,
    0.2
   ],
   [
    1.41,
    1.051,
    0.026
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    2.799999952316284,
    -1.7899999618530273,
    1.8849999904632568
   ],
   [
    6.900000095367432,
    -4.809999942779541,
    -0.30000001192092896
   ],
   [
    -0.5899999737739563,
    -1.9490000009536743,
    -0.4740000069141388
   ]
  ],
  "cause": "the biases are not added",
  "from": "01_dense_layers test_layer_dense_forward: forward_no_bias"
 },
 {
  "name": "relu",
  "expected_shape": [
   8
  ],
  "expected": [
   0.0,
   2.0,
   0.0,
   3.3,
   0.0,
   1.1,
   2.2,
   0.0
  ],
  "got_shape": [
   8
  ],
  "got": [
   0.0,
   2.0,
   1.0,
   3.3,
   2.7,
   1.1,
   2.2,
   100.0
  ],
  "cause": "negative inputs must become 0, not positive (np.abs?)",
  "from": "02_activations test_relu: abs"
 },
 {
  "name": "relu",
  "expected_shape": [
   8
  ],
  "expected": [
   0.0,
   2.0,
   0.0,
   3.3,
   0.0,
   1.1,
   2.2,
   0.0
  ],
  "got_shape": [
   8
  ],
  "got": [
   0.0,
   0.0,
   -1.0,
   0.0,
   -2.7,
   0.0,
   0.0,
   -100.0
  ],
  "cause": "np.minimum keeps the negative part; ReLU is np.maximum(0, inputs)",
  "from": "02_activations test_relu: minimum"
 },
 {
  "name": "relu",
  "expected_shape": [
   8
  ],
  "expected": [
   0.0,
   2.0,
   0.0,
   3.3,
   0.0,
   1.1,
   2.2,
   0.0
  ],
  "got_shape": [
   8
  ],
  "got": [
   0.0,
   1.0,
   0.0,
   1.0,
   0.0,
   1.0,
   1.0,
   0.0
  ],
  "cause": "this is the mask inputs > 0 (ReLU's derivative), not max(0, inputs)",
  "from": "02_activations test_relu: mask"
 },
 {
  "name": "relu",
  "expected_shape": [
   8
  ],
  "expected": [
   0.0,
   2.0,
   0.0,
   3.3,
   0.0,
   1.1,
   2.2,
   0.0
  ],
  "got_shape": [
   8
  ],
  "got": [
   0.0,
   2.0,
   -0.01,
   3.3,
   -0.027000000000000003,
   1.1,
   2.2,
   -1.0
  ],
  "cause": "negative inputs must become exactly 0 (this is a leaky ReLU)",
  "from": "02_activations test_relu: leaky"
 },
 {
  "name": "activation.output",
  "expected_shape": [
   2,
   4
  ],
  "expected": [
   [
    0.0,
    2.0,
    0.0,
    3.3
   ],
   [
    0.0,
    1.1,
    2.2,
    0.0
   ]
  ],
  "got_shape": [
   2,
   4
  ],
  "got": [
   [
    0.0,
    2.0,
    1.0,
    3.3
   ],
   [
    2.7,
    1.1,
    2.2,
    100.0
   ]
  ],
  "cause": "negative inputs must become 0, not positive (np.abs?)",
  "from": "02_activations test_activation_relu: abs"
 },
 {
  "name": "softmax",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    0.895282664,
    0.0247083068,
    0.0800090293
   ],
   [
    0.999811129,
    2.23163963e-05,
    0.000166554348
   ],
   [
    0.513097164,
    0.358333899,
    0.128568936
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.0162935454867776,
    0.5258183162707217,
    0.8285056143415744
   ],
   [
    0.9831572206528603,
    0.025660574471073484,
    0.0931884338209952
   ],
   [
    0.0005492338603622726,
    0.4485211092582049,
    0.07830595183743029
   ]
  ],
  "cause": "softmax over the wrong axis: the columns sum to 1; each ROW (one sample) must, so use axis=1",
  "from": "02_activations test_softmax: wrong_axis"
 },
 {
  "name": "softmax of large scores",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.66524096,
    0.24472847,
    0.09003057
   ],
   [
    0.66524096,
    0.24472847,
    0.09003057
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    1.0,
    1.0,
    1.0
   ],
   [
    0.0,
    0.0,
    0.0
   ]
  ],
  "cause": "softmax over the wrong axis: the columns sum to 1; each ROW (one sample) must, so use axis=1",
  "from": "02_activations test_softmax_large_inputs: wrong_axis"
 },
 {
  "name": "softmax",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    0.895282664,
    0.0247083068,
    0.0800090293
   ],
   [
    0.999811129,
    2.23163963e-05,
    0.000166554348
   ],
   [
    0.513097164,
    0.358333899,
    0.128568936
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.24593571700871533,
    0.006787415180885256,
    0.021978620574882247
   ],
   [
    0.24593571700871533,
    5.4894357243750364e-06,
    4.096940086872191e-05
   ],
   [
    0.24593571700871533,
    0.17175519684014573,
    0.06162515754134777
   ]
  ],
  "cause": "normalised over the whole array (np.sum without axis=1): each row must sum to 1 on its own",
  "from": "02_activations test_softmax: sum_of_whole_array"
 },
 {
  "name": "softmax of large scores",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.66524096,
    0.24472847,
    0.09003057
   ],
   [
    0.66524096,
    0.24472847,
    0.09003057
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.3326204778874109,
    0.12236423552739882,
    0.04501528658519023
   ],
   [
    0.3326204778874109,
    0.12236423552739882,
    0.04501528658519023
   ]
  ],
  "cause": "normalised over the whole array (np.sum without axis=1): each row must sum to 1 on its own",
  "from": "02_activations test_softmax_large_inputs: sum_of_whole_array"
 },
 {
  "name": "softmax",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    0.895282664,
    0.0247083068,
    0.0800090293
   ],
   [
    0.999811129,
    2.23163963e-05,
    0.000166554348
   ],
   [
    0.513097164,
    0.358333899,
    0.128568936
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    1.0,
    0.027598330423249287,
    0.08936733892175319
   ],
   [
    1.0,
    2.232061203286103e-05,
    0.00016658581098763324
   ],
   [
    1.0,
    0.6983743513515736,
    0.2505742487951188
   ]
  ],
  "cause": "the exponentials are not normalised: divide each row by its sum",
  "from": "02_activations test_softmax: not_normalised"
 },
 {
  "name": "softmax of large scores",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.66524096,
    0.24472847,
    0.09003057
   ],
   [
    0.66524096,
    0.24472847,
    0.09003057
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    1.0,
    0.36787944117144233,
    0.1353352832366127
   ],
   [
    1.0,
    0.36787944117144233,
    0.1353352832366127
   ]
  ],
  "cause": "the exponentials are not normalised: divide each row by its sum",
  "from": "02_activations test_softmax_large_inputs: not_normalised"
 },
 {
  "name": "activation.output",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    0.895282664,
    0.0247083068,
    0.0800090293
   ],
   [
    0.999811129,
    2.23163963e-05,
    0.000166554348
   ],
   [
    0.513097164,
    0.358333899,
    0.128568936
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.0162935454867776,
    0.5258183162707217,
    0.8285056143415744
   ],
   [
    0.9831572206528603,
    0.025660574471073484,
    0.0931884338209952
   ],
   [
    0.0005492338603622726,
    0.4485211092582049,
    0.07830595183743029
   ]
  ],
  "cause": "softmax over the wrong axis: the columns sum to 1; each ROW (one sample) must, so use axis=1",
  "from": "02_activations test_activation_softmax: wrong_axis"
 },
 {
  "name": "activation.output",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    0.895282664,
    0.0247083068,
    0.0800090293
   ],
   [
    0.999811129,
    2.23163963e-05,
    0.000166554348
   ],
   [
    0.513097164,
    0.358333899,
    0.128568936
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    1.0,
    0.027598330423249287,
    0.08936733892175319
   ],
   [
    1.0,
    2.232061203286103e-05,
    0.00016658581098763324
   ],
   [
    1.0,
    0.6983743513515736,
    0.2505742487951188
   ]
  ],
  "cause": "the exponentials are not normalised: divide each row by its sum",
  "from": "02_activations test_activation_softmax: not_normalised"
 },
 {
  "name": "Loss.calculate",
  "expected_shape": [],
  "expected": 0.38506088,
  "got_shape": [],
  "got": 1.15518264,
  "cause": "sum instead of mean: the batch loss is the MEAN of the per-sample losses, so it does not grow with the batch size",
  "from": "03_loss test_loss_calculate: sum"
 },
 {
  "name": "forward on predictions of exactly 0 and 1",
  "expected_shape": [
   2
  ],
  "expected": [
   16.11809565,
   1e-07
  ],
  "got_shape": [
   2
  ],
  "got": [
   34.538776394910684,
   9.992007221626415e-16
  ],
  "cause": "other clipping bounds: clip y_pred to [1e-7, 1 - 1e-7]",
  "from": "03_loss test_cce_clipping: other_clip_bounds"
 },
 {
  "name": "forward(y_pred, y_true)",
  "expected_shape": [
   3
  ],
  "expected": null,
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.35667494393873245,
    2.3025850929940455,
    2.3025850929940455
   ],
   [
    2.3025850929940455,
    0.6931471805599453,
    0.6931471805599453
   ],
   [
    3.912023005428146,
    0.10536051565782628,
    0.10536051565782628
   ]
  ],
  "cause": "y_pred[:, y_true] picks every label for every sample; y_pred[range(n_samples), y_true] picks one confidence per sample",
  "from": "03_loss test_cce_class_indices: column_indexing"
 },
 {
  "name": "forward on predictions of exactly 0 and 1",
  "expected_shape": [
   2
  ],
  "expected": [
   16.11809565,
   1e-07
  ],
  "got_shape": [
   2,
   2
  ],
  "got": [
   [
    16.11809565095832,
    1.0000000494736474e-07
   ],
   [
    16.11809565095832,
    1.0000000494736474e-07
   ]
  ],
  "cause": "y_pred[:, y_true] picks every label for every sample; y_pred[range(n_samples), y_true] picks one confidence per sample",
  "from": "03_loss test_cce_clipping: column_indexing"
 },
 {
  "name": "forward(y_pred, y_true)",
  "expected_shape": [
   3
  ],
  "expected": [
   0.35667494,
   0.69314718,
   0.10536052
  ],
  "got_shape": [
   3
  ],
  "got": [
   -0.35667494393873245,
   -0.6931471805599453,
   -0.10536051565782628
  ],
  "cause": "the sign is flipped",
  "from": "03_loss test_cce_class_indices: no_minus"
 },
 {
  "name": "forward(y_pred, one-hot y_true)",
  "expected_shape": [
   3
  ],
  "expected": [
   0.35667494,
   0.69314718,
   0.10536052
  ],
  "got_shape": [
   3
  ],
  "got": [
   -0.35667494393873245,
   -0.6931471805599453,
   -0.10536051565782628
  ],
  "cause": "the sign is flipped",
  "from": "03_loss test_cce_one_hot: no_minus"
 },
 {
  "name": "forward(y_pred, y_true)",
  "expected_shape": [
   3
  ],
  "expected": [
   0.35667494,
   0.69314718,
   0.10536052
  ],
  "got_shape": [
   3
  ],
  "got": [
   0.1549019599857432,
   0.3010299956639812,
   0.045757490560675115
  ],
  "cause": "the natural log np.log is needed, not np.log10",
  "from": "03_loss test_cce_class_indices: log10"
 },
 {
  "name": "forward(y_pred, one-hot y_true)",
  "expected_shape": [
   3
  ],
  "expected": [
   0.35667494,
   0.69314718,
   0.10536052
  ],
  "got_shape": [
   3
  ],
  "got": [
   0.1549019599857432,
   0.3010299956639812,
   0.045757490560675115
  ],
  "cause": "the natural log np.log is needed, not np.log10",
  "from": "03_loss test_cce_one_hot: log10"
 },
 {
  "name": "accuracy",
  "expected_shape": [],
  "expected": 0.6666666666666666,
  "got_shape": [],
  "got": 2.0,
  "cause": "the number of correct predictions, not their fraction: sum instead of mean",
  "from": "03_loss test_accuracy: count_not_fraction"
 },
 {
  "name": "accuracy",
  "expected_shape": [],
  "expected": 0.6666666666666666,
  "got_shape": [],
  "got": 0.0,
  "cause": "compare the INDEX of the largest prediction (np.argmax), not its value (np.max)",
  "from": "03_loss test_accuracy: max_not_argmax"
 },
 {
  "name": "relu_derivative(z)",
  "expected_shape": [
   5
  ],
  "expected": [
   0.0,
   0.0,
   0.0,
   1.0,
   1.0
  ],
  "got_shape": [
   5
  ],
  "got": [
   0.0,
   0.0,
   1.0,
   1.0,
   1.0
  ],
  "cause": "at z == 0 the ReLU derivative is taken as 0: use z > 0, not z >= 0",
  "from": "04_single_neuron_backprop test_relu_derivative: boundary_one"
 },
 {
  "name": "relu_derivative(z)",
  "expected_shape": [
   5
  ],
  "expected": [
   0.0,
   0.0,
   0.0,
   1.0,
   1.0
  ],
  "got_shape": [
   5
  ],
  "got": [
   0.0,
   0.0,
   1.0,
   1.0,
   1.0
  ],
  "cause": "at z == 0 the ReLU derivative is taken as 0: use z > 0, not z >= 0",
  "from": "04_single_neuron_backprop test_relu_derivative: heaviside_one"
 },
 {
  "name": "relu_derivative(z)",
  "expected_shape": [
   5
  ],
  "expected": [
   0.0,
   0.0,
   0.0,
   1.0,
   1.0
  ],
  "got_shape": [
   5
  ],
  "got": [
   0.0,
   0.0,
   0.0,
   0.5,
   3.0
  ],
  "cause": "this is ReLU itself, max(0, z); its derivative is 1 where z > 0, else 0",
  "from": "04_single_neuron_backprop test_relu_derivative: relu_itself"
 },
 {
  "name": "relu_derivative(z)",
  "expected_shape": [
   5
  ],
  "expected": [
   0.0,
   0.0,
   0.0,
   1.0,
   1.0
  ],
  "got_shape": [
   5
  ],
  "got": [
   -1.0,
   -1.0,
   0.0,
   1.0,
   1.0
  ],
  "cause": "negative z should give 0, not -1 (np.sign is not the ReLU derivative)",
  "from": "04_single_neuron_backprop test_relu_derivative: sign"
 },
 {
  "name": "relu_derivative(z)",
  "expected_shape": [
   5
  ],
  "expected": [
   0.0,
   0.0,
   0.0,
   1.0,
   1.0
  ],
  "got_shape": [
   5
  ],
  "got": [
   0.0,
   0.0,
   0.5,
   0.9999999999982244,
   1.0000000000065512
  ],
  "cause": "the gradient was estimated numerically (finite differences), not by the chain rule: at a ReLU kink (z == 0 exactly) a centred difference averages both sides of the kink, while backpropagation uses the derivative the course defines there (ReLU'(0) = 0)",
  "from": "04_single_neuron_backprop test_relu_derivative: numerical"
 },
 {
  "name": "dweights of an inactive neuron",
  "expected_shape": [
   3
  ],
  "expected": [
   0.0,
   0.0,
   0.0
  ],
  "got_shape": [
   3
  ],
  "got": [
   -1.0,
   2.0,
   -3.0
  ],
  "cause": "the ReLU derivative is missing: when z <= 0 the ReLU is off, d(output)/dz = 0 and every gradient is 0",
  "from": "04_single_neuron_backprop test_neuron_gradients: no_relu_mask"
 },
 {
  "name": "dweights",
  "expected_shape": [
   3
  ],
  "expected": [
   12.0,
   -24.0,
   36.0
  ],
  "got_shape": [
   3
  ],
  "got": [
   -36.0,
   -12.0,
   24.0
  ],
  "cause": "dz/dw_i is the input x_i, not the weight w_i",
  "from": "04_single_neuron_backprop test_neuron_gradients: times_weights"
 },
 {
  "name": "dweights",
  "expected_shape": [
   3
  ],
  "expected": [
   12.0,
   -24.0,
   36.0
  ],
  "got_shape": [
   3
  ],
  "got": [
   6.0,
   -12.0,
   18.0
  ],
  "cause": "the factor 2 of dL/da = 2 * (output - target) is missing",
  "from": "04_single_neuron_backprop test_neuron_gradients: no_factor_two"
 },
 {
  "name": "dweights",
  "expected_shape": [
   3
  ],
  "expected": [
   12.0,
   -24.0,
   36.0
  ],
  "got_shape": [
   3
  ],
  "got": [
   -12.0,
   24.0,
   -36.0
  ],
  "cause": "the sign is flipped",
  "from": "04_single_neuron_backprop test_neuron_gradients: sign_flipped"
 },
 {
  "name": "centred_difference of sum(x**3)",
  "expected_shape": [
   3
  ],
  "expected": [
   3.0,
   12.0,
   0.75
  ],
  "got_shape": [
   3
  ],
  "got": [
   3.0000300000665443,
   11.999940000162466,
   0.7500150000616655
  ],
  "cause": "a one-sided difference (f(x + h) - f(x)) / h is off by about h: use (f(x + h e_i) - f(x - h e_i)) / (2h)",
  "from": "04_single_neuron_backprop test_centred_difference: one_sided"
 },
 {
  "name": "centred_difference of sum(x**3)",
  "expected_shape": [
   3
  ],
  "expected": [
   3.0,
   12.0,
   0.75
  ],
  "got_shape": [
   3
  ],
  "got": [
   6.000000000128124,
   24.00000000042368,
   1.5000000001208489
  ],
  "cause": "divided by h instead of 2h: the two points are 2h apart",
  "from": "04_single_neuron_backprop test_centred_difference: divided_by_h"
 },
 {
  "name": "centred_difference of sum(x**3)",
  "expected_shape": [
   3
  ],
  "expected": [
   3.0,
   12.0,
   0.75
  ],
  "got_shape": [
   3
  ],
  "got": [
   15.750000000380735,
   15.750000000380735,
   15.750000000380735
  ],
  "cause": "every entry of x was moved at once: perturb one entry at a time",
  "from": "04_single_neuron_backprop test_centred_difference: all_at_once"
 },
 {
  "name": "centred_difference of sum(x**3)",
  "expected_shape": [
   3
  ],
  "expected": [
   3.0,
   12.0,
   0.75
  ],
  "got_shape": [
   3
  ],
  "got": [
   -3.000000000064062,
   -12.00000000021184,
   -0.7500000000604244
  ],
  "cause": "the sign is flipped",
  "from": "04_single_neuron_backprop test_centred_difference: sign_flipped"
 },
 {
  "name": "losses",
  "expected_shape": [
   2
  ],
  "expected": [
   36.0,
   33.872400000000006
  ],
  "got_shape": [
   2
  ],
  "got": [
   36.0,
   38.19240273468023
  ],
  "cause": "sign error in the update: step against the gradient, w = w - learning_rate * dw",
  "from": "04_single_neuron_backprop test_train_neuron: gradient_ascent"
 },
 {
  "name": "losses",
  "expected_shape": [
   2
  ],
  "expected": [
   36.0,
   33.872400000000006
  ],
  "got_shape": [
   2
  ],
  "got": [
   33.872397424621624,
   31.87054345809546
  ],
  "cause": "each loss is recorded after its update: record it before",
  "from": "04_single_neuron_backprop test_train_neuron: loss_after_update"
 },
 {
  "name": "losses",
  "expected_shape": [
   2
  ],
  "expected": [
   36.0,
   33.872400000000006
  ],
  "got_shape": [
   2
  ],
  "got": [
   36.0,
   34.01222229003906
  ],
  "cause": "the bias is never updated",
  "from": "04_single_neuron_backprop test_train_neuron: bias_frozen"
 },
 {
  "name": "dbiases with an inactive neuron",
  "expected_shape": [
   3
  ],
  "expected": [
   0.0,
   37.0,
   37.0
  ],
  "got_shape": [
   3
  ],
  "got": [
   37.0,
   37.0,
   37.0
  ],
  "cause": "the ReLU derivative is missing: a neuron with z <= 0 gets no gradient",
  "from": "05_layer_backprop test_layer_gradients: no_relu_mask"
 },
 {
  "name": "dbiases with an inactive neuron",
  "expected_shape": [
   3
  ],
  "expected": [
   0.0,
   37.0,
   37.0
  ],
  "got_shape": [
   3
  ],
  "got": [
   0.0,
   33.0,
   33.0
  ],
  "cause": "the sum s adds z instead of ReLU(z)",
  "from": "05_layer_backprop test_layer_gradients: sum_of_z"
 },
 {
  "name": "dweights",
  "expected_shape": [
   3,
   4
  ],
  "expected": [
   [
    43.2,
    86.4,
    129.60000000000002,
    172.8
   ],
   [
    43.2,
    86.4,
    129.60000000000002,
    172.8
   ],
   [
    43.2,
    86.4,
    129.60000000000002,
    172.8
   ]
  ],
  "got_shape": [
   3,
   4
  ],
  "got": [
   [
    21.6,
    43.2,
    64.80000000000001,
    86.4
   ],
   [
    21.6,
    43.2,
    64.80000000000001,
    86.4
   ],
   [
    21.6,
    43.2,
    64.80000000000001,
    86.4
   ]
  ],
  "cause": "the factor 2 of dL/ds = 2s is missing",
  "from": "05_layer_backprop test_layer_gradients: no_factor_two"
 },
 {
  "name": "losses",
  "expected_shape": [
   2
  ],
  "expected": [
   466.56,
   309.14078976
  ],
  "got_shape": [
   2
  ],
  "got": [
   466.56000000000006,
   656.2614297599998
  ],
  "cause": "sign error in the update: step against the gradient, w = w - learning_rate * dw",
  "from": "05_layer_backprop test_train_layer: gradient_ascent"
 },
 {
  "name": "losses",
  "expected_shape": [
   2
  ],
  "expected": [
   466.56,
   309.14078976
  ],
  "got_shape": [
   2
  ],
  "got": [
   466.56000000000006,
   313.714944
  ],
  "cause": "the biases are never updated",
  "from": "05_layer_backprop test_train_layer: biases_frozen"
 },
 {
  "name": "losses",
  "expected_shape": [
   2
  ],
  "expected": [
   466.56,
   309.14078976
  ],
  "got_shape": [
   2
  ],
  "got": [
   309.14078976,
   204.83545073181696
  ],
  "cause": "each loss is recorded after its update: record it before",
  "from": "05_layer_backprop test_train_layer: loss_after_update"
 },
 {
  "name": "layer.dbiases (keepdims=True keeps the row)",
  "expected_shape": [
   1,
   3
  ],
  "expected": null,
  "got_shape": [
   3
  ],
  "got": [
   0.6000000000000001,
   -0.8,
   1.0
  ],
  "cause": "missing keepdims=True: np.sum(dvalues, axis=0, keepdims=True) keeps the (1, n_neurons) shape of biases",
  "from": "05_layer_backprop test_layer_dense_backward_dbiases: dbiases_no_keepdims"
 },
 {
  "name": "layer.dbiases (keepdims=True keeps the row)",
  "expected_shape": [
   1,
   3
  ],
  "expected": null,
  "got_shape": [
   3,
   1
  ],
  "got": [
   [
    -0.5
   ],
   [
    -0.19999999999999996
   ],
   [
    1.5
   ]
  ],
  "cause": "summed over the wrong axis: sum over the samples, axis=0",
  "from": "05_layer_backprop test_layer_dense_backward_dbiases: dbiases_wrong_axis"
 },
 {
  "name": "layer.dbiases (keepdims=True keeps the row)",
  "expected_shape": [
   1,
   3
  ],
  "expected": null,
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    1.0,
    -2.0,
    0.5
   ],
   [
    0.3,
    1.0,
    -1.5
   ],
   [
    -0.7,
    0.2,
    2.0
   ]
  ],
  "cause": "dvalues is not summed over the samples: np.sum(dvalues, axis=0, keepdims=True)",
  "from": "05_layer_backprop test_layer_dense_backward_dbiases: dbiases_not_summed"
 },
 {
  "name": "layer.dbiases (keepdims=True keeps the row)",
  "expected_shape": [
   1,
   3
  ],
  "expected": null,
  "got_shape": [],
  "got": 0.8,
  "cause": "summed over every entry: sum over the samples only (axis=0, keepdims=True)",
  "from": "05_layer_backprop test_layer_dense_backward_dbiases: dbiases_total"
 },
 {
  "name": "layer.dinputs",
  "expected_shape": [
   3,
   4
  ],
  "expected": null,
  "got_shape": [
   4,
   3
  ],
  "got": [
   [
    -0.9300000071525574,
    0.949999988079071,
    -0.5600000023841858
   ],
   [
    2.484999895095825,
    -0.26499998569488525,
    -1.281999945640564
   ],
   [
    -0.9350000023841858,
    -0.14499999582767487,
    0.7419999837875366
   ],
   [
    2.434999942779541,
    -1.5049999952316284,
    0.9399999976158142
   ]
  ],
  "cause": "dinputs is transposed: one row per sample, dvalues @ weights.T",
  "from": "05_layer_backprop test_layer_dense_backward_dinputs: dinputs_transposed"
 },
 {
  "name": "relu.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.1,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.5,
    0.6
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.1,
    0.0,
    0.3
   ],
   [
    0.0,
    -0.5,
    0.6
   ]
  ],
  "cause": "at inputs == 0 the ReLU derivative is taken as 0: use inputs > 0, not inputs >= 0",
  "from": "05_layer_backprop test_activation_relu_backward: boundary"
 },
 {
  "name": "relu.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.1,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.5,
    0.6
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.1,
    0.2,
    0.3
   ],
   [
    0.0,
    0.0,
    0.6
   ]
  ],
  "cause": "the mask comes from the sign of dvalues: it must come from the inputs the ReLU saw on the way forward (self.inputs > 0)",
  "from": "05_layer_backprop test_activation_relu_backward: mask_from_dvalues"
 },
 {
  "name": "relu.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.1,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.5,
    0.6
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    1.0,
    0.0,
    0.0
   ],
   [
    0.0,
    1.0,
    1.0
   ]
  ],
  "cause": "dvalues is missing: dinputs is dvalues times the ReLU derivative, not the derivative alone",
  "from": "05_layer_backprop test_activation_relu_backward: derivative_only"
 },
 {
  "name": "relu.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.1,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.5,
    0.6
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.1,
    0.0,
    0.0
   ],
   [
    -0.0,
    -1.5,
    1.2
   ]
  ],
  "cause": "the ReLU's inputs multiply dvalues: the derivative is 1 or 0, not the input",
  "from": "05_layer_backprop test_activation_relu_backward: times_inputs"
 },
 {
  "name": "relu.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.1,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.5,
    0.6
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.10000000000287555,
    0.0,
    0.14999999999876223
   ],
   [
    0.0,
    -0.5000000000032756,
    0.5999999999950489
   ]
  ],
  "cause": "the gradient was estimated numerically (finite differences), not by the chain rule: at a ReLU kink (inputs == 0 exactly) a centred difference averages both sides of the kink, while backpropagation uses the derivative the course defines there (ReLU'(0) = 0)",
  "from": "05_layer_backprop test_activation_relu_backward: numerical"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.21000000000000002,
    0.0,
    0.0
   ],
   [
    0.0,
    0.5,
    -0.24
   ]
  ],
  "cause": "only the diagonal of each Jacobian was used (dvalues * s * (1 - s)); every softmax output depends on every input, so multiply by the whole matrix diag(s) - s s^T",
  "from": "06_capstone test_activation_softmax_backward: diagonal_only"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    -0.48999999999999994,
    -0.06999999999999999,
    -0.13999999999999999
   ],
   [
    -0.06,
    -0.3,
    -0.24
   ]
  ],
  "cause": "the diagonal part of the Jacobian is missing: it is np.diagflat(s) - s s^T, not -s s^T",
  "from": "06_capstone test_activation_softmax_backward: no_diagonal_term"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.16000000000000003,
    -0.5399999999999999,
    -0.5399999999999999
   ],
   [
    -0.42000000000000004,
    0.58,
    -0.8200000000000001
   ]
  ],
  "cause": "s s^T was computed as an inner product (one number): reshape each sample's output to a column, .reshape(-1, 1), so np.dot(s, s.T) is the (n_classes, n_classes) outer product",
  "from": "06_capstone test_activation_softmax_backward: inner_product"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.21000000000000002,
    -0.06999999999999999,
    -0.13999999999999999
   ],
   [
    0.0,
    0.2,
    -0.2
   ]
  ],
  "cause": "every sample used the first sample's Jacobian: build one Jacobian per sample from that sample's output",
  "from": "06_capstone test_activation_softmax_backward: first_sample_jacobian"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.0,
    0.0,
    0.0
   ],
   [
    0.0,
    -6.0,
    6.0
   ]
  ],
  "cause": "the Jacobian was built from dvalues; build it from self.output, the probabilities forward computed",
  "from": "06_capstone test_activation_softmax_backward: jacobian_from_dvalues"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    0.10500000000000001,
    -0.034999999999999996,
    -0.06999999999999999
   ],
   [
    -0.03,
    0.35,
    -0.32
   ]
  ],
  "cause": "dinputs was divided by n_samples: the loss's backward pass already divides; softmax only applies its Jacobian",
  "from": "06_capstone test_activation_softmax_backward: divided_by_samples"
 },
 {
  "name": "softmax.dinputs",
  "expected_shape": [
   2,
   3
  ],
  "expected": [
   [
    0.21,
    -0.07,
    -0.14
   ],
   [
    -0.06,
    0.7,
    -0.64
   ]
  ],
  "got_shape": [
   2,
   3
  ],
  "got": [
   [
    -0.21000000000000002,
    0.06999999999999999,
    0.13999999999999999
   ],
   [
    0.06,
    -0.7,
    0.64
   ]
  ],
  "cause": "the sign is flipped",
  "from": "06_capstone test_activation_softmax_backward: sign_flipped"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -1.4285714285714286,
    -0.0,
    -0.0
   ],
   [
    -0.0,
    -2.0,
    -0.0
   ],
   [
    -0.0,
    -1.1111111111111112,
    -0.0
   ]
  ],
  "cause": "the division by n_samples is missing: the loss is the mean over the samples, so each sample's gradient is divided by n_samples (len(dvalues))",
  "from": "06_capstone test_loss_backward_sparse: no_mean"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -1.4285714285714286,
    -0.0,
    -0.0
   ],
   [
    -0.0,
    -2.0,
    -0.0
   ],
   [
    -0.0,
    -1.1111111111111112,
    -0.0
   ]
  ],
  "cause": "the division by n_samples is missing: the loss is the mean over the samples, so each sample's gradient is divided by n_samples (len(dvalues))",
  "from": "06_capstone test_loss_backward_one_hot: no_mean"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -0.4761904761904762,
    -3.3333333333333335,
    -1.6666666666666667
   ],
   [
    -3.3333333333333335,
    -0.6666666666666666,
    -0.8333333333333334
   ],
   [
    -16.666666666666668,
    -0.3703703703703704,
    -4.166666666666667
   ]
  ],
  "cause": "-1/dvalues for every class: only the correct class's probability is in the loss, so the gradient is -y_true/dvalues with one-hot y_true (zero elsewhere)",
  "from": "06_capstone test_loss_backward_sparse: every_class"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -0.4761904761904762,
    -3.3333333333333335,
    -1.6666666666666667
   ],
   [
    -3.3333333333333335,
    -0.6666666666666666,
    -0.8333333333333334
   ],
   [
    -16.666666666666668,
    -0.3703703703703704,
    -4.166666666666667
   ]
  ],
  "cause": "-1/dvalues for every class: only the correct class's probability is in the loss, so the gradient is -y_true/dvalues with one-hot y_true (zero elsewhere)",
  "from": "06_capstone test_loss_backward_one_hot: every_class"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.4761904761904762,
    0.0,
    0.0
   ],
   [
    0.0,
    0.6666666666666666,
    0.0
   ],
   [
    0.0,
    0.3703703703703704,
    0.0
   ]
  ],
  "cause": "the sign is flipped: the derivative of -log(p) is -1/p",
  "from": "06_capstone test_loss_backward_sparse: sign_flipped"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.4761904761904762,
    0.0,
    0.0
   ],
   [
    0.0,
    0.6666666666666666,
    0.0
   ],
   [
    0.0,
    0.3703703703703704,
    0.0
   ]
  ],
  "cause": "the sign is flipped: the derivative of -log(p) is -1/p",
  "from": "06_capstone test_loss_backward_one_hot: sign_flipped"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.11889164797957748,
    0.0,
    0.0
   ],
   [
    0.0,
    0.23104906018664842,
    0.0
   ],
   [
    0.0,
    0.035120171885942096,
    0.0
   ]
  ],
  "cause": "this is the loss (-y log p), not its derivative (-y / p)",
  "from": "06_capstone test_loss_backward_sparse: loss_not_derivative"
 },
 {
  "name": "loss.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.47619047619047616,
    0.0,
    0.0
   ],
   [
    0.0,
    -0.6666666666666666,
    0.0
   ],
   [
    0.0,
    -0.37037037037037035,
    0.0
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.11889164797957748,
    0.0,
    0.0
   ],
   [
    0.0,
    0.23104906018664842,
    0.0
   ],
   [
    0.0,
    0.035120171885942096,
    0.0
   ]
  ],
  "cause": "this is the loss (-y log p), not its derivative (-y / p)",
  "from": "06_capstone test_loss_backward_one_hot: loss_not_derivative"
 },
 {
  "name": "combined.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.1,
    0.03333333333333333,
    0.06666666666666667
   ],
   [
    0.03333333333333333,
    -0.16666666666666666,
    0.13333333333333333
   ],
   [
    0.006666666666666667,
    -0.03333333333333333,
    0.02666666666666667
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -0.30000000000000004,
    0.1,
    0.2
   ],
   [
    0.1,
    -0.5,
    0.4
   ],
   [
    0.02,
    -0.09999999999999998,
    0.08
   ]
  ],
  "cause": "the division by n_samples is missing: the loss is the mean over the samples",
  "from": "06_capstone test_combined_backward_sparse: no_mean"
 },
 {
  "name": "combined.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.1,
    0.03333333333333333,
    0.06666666666666667
   ],
   [
    0.03333333333333333,
    -0.16666666666666666,
    0.13333333333333333
   ],
   [
    0.006666666666666667,
    -0.03333333333333333,
    0.02666666666666667
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -0.30000000000000004,
    0.1,
    0.2
   ],
   [
    0.1,
    -0.5,
    0.4
   ],
   [
    0.02,
    -0.09999999999999998,
    0.08
   ]
  ],
  "cause": "the division by n_samples is missing: the loss is the mean over the samples",
  "from": "06_capstone test_combined_backward_one_hot: no_mean"
 },
 {
  "name": "combined.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.1,
    0.03333333333333333,
    0.06666666666666667
   ],
   [
    0.03333333333333333,
    -0.16666666666666666,
    0.13333333333333333
   ],
   [
    0.006666666666666667,
    -0.03333333333333333,
    0.02666666666666667
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -0.10000000000000002,
    -0.3,
    -0.26666666666666666
   ],
   [
    -0.3,
    -0.16666666666666666,
    -0.19999999999999998
   ],
   [
    -0.32666666666666666,
    -0.033333333333333326,
    -0.3066666666666667
   ]
  ],
  "cause": "1 was subtracted from every class; subtract it only at each sample's correct class (dinputs[range(n_samples), y_true] -= 1)",
  "from": "06_capstone test_combined_backward_sparse: minus_one_everywhere"
 },
 {
  "name": "combined.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.1,
    0.03333333333333333,
    0.06666666666666667
   ],
   [
    0.03333333333333333,
    -0.16666666666666666,
    0.13333333333333333
   ],
   [
    0.006666666666666667,
    -0.03333333333333333,
    0.02666666666666667
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    -0.10000000000000002,
    -0.3,
    -0.26666666666666666
   ],
   [
    -0.3,
    -0.16666666666666666,
    -0.19999999999999998
   ],
   [
    -0.32666666666666666,
    -0.033333333333333326,
    -0.3066666666666667
   ]
  ],
  "cause": "1 was subtracted from every class; subtract it only at each sample's correct class (dinputs[range(n_samples), y_true] -= 1)",
  "from": "06_capstone test_combined_backward_one_hot: minus_one_everywhere"
 },
 {
  "name": "combined.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.1,
    0.03333333333333333,
    0.06666666666666667
   ],
   [
    0.03333333333333333,
    -0.16666666666666666,
    0.13333333333333333
   ],
   [
    0.006666666666666667,
    -0.03333333333333333,
    0.02666666666666667
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.10000000000000002,
    -0.03333333333333333,
    -0.06666666666666667
   ],
   [
    -0.03333333333333333,
    0.16666666666666666,
    -0.13333333333333333
   ],
   [
    -0.006666666666666667,
    0.033333333333333326,
    -0.02666666666666667
   ]
  ],
  "cause": "the sign is flipped: the gradient is predictions - y_true",
  "from": "06_capstone test_combined_backward_sparse: sign_flipped"
 },
 {
  "name": "combined.dinputs",
  "expected_shape": [
   3,
   3
  ],
  "expected": [
   [
    -0.1,
    0.03333333333333333,
    0.06666666666666667
   ],
   [
    0.03333333333333333,
    -0.16666666666666666,
    0.13333333333333333
   ],
   [
    0.006666666666666667,
    -0.03333333333333333,
    0.02666666666666667
   ]
  ],
  "got_shape": [
   3,
   3
  ],
  "got": [
   [
    0.10000000000000002,
    -0.03333333333333333,
    -0.06666666666666667
   ],
   [
    -0.03333333333333333,
    0.16666666666666666,
    -0.13333333333333333
   ],
   [
    -0.006666666666666667,
    0.033333333333333326,
    -0.02666666666666667
   ]
  ],
  "cause": "the sign is flipped: the gradient is predictions - y_true",
  "from": "06_capstone test_combined_backward_one_hot: sign_flipped"
 },
 {
  "name": "layer.weights",
  "expected_shape": [
   1,
   2
  ],
  "expected": [
   [
    0.95,
    -1.9
   ]
  ],
  "got_shape": [
   1,
   2
  ],
  "got": [
   [
    1.05,
    -2.1
   ]
  ],
  "cause": "the update has the wrong sign: gradient descent subtracts learning_rate * gradient",
  "from": "06_capstone test_optimizer_sgd_step: gradient_ascent"
 },
 {
  "name": "layer.biases",
  "expected_shape": [
   1,
   2
  ],
  "expected": [
   [
    0.3,
    -0.1
   ]
  ],
  "got_shape": [
   1,
   2
  ],
  "got": [
   [
    0.5,
    0.0
   ]
  ],
  "cause": "the biases are not updated",
  "from": "06_capstone test_optimizer_sgd_step: biases_not_updated"
 },
 {
  "name": "layer.weights",
  "expected_shape": [
   1,
   1
  ],
  "expected": [
   [
    -2.5666666666666664
   ]
  ],
  "got_shape": [
   1,
   1
  ],
  "got": [
   [
    -1.6666666666666665
   ]
  ],
  "cause": "momentum is not applied to the weights: keep each layer's last update (layer.weight_momentums) and add momentum times it to the new one",
  "from": "06_capstone test_optimizer_sgd_momentum_decay: momentum_ignored"
 },
 {
  "name": "optimizer.current_learning_rate",
  "expected_shape": [],
  "expected": 0.6666666666666666,
  "got_shape": [],
  "got": 0.5,
  "cause": "the decay factor must be 1 / (1 + decay * iterations), not (1 - decay * iterations)",
  "from": "06_capstone test_optimizer_sgd_momentum_decay: decay_subtracted"
 },
 {
  "name": "optimizer.current_learning_rate",
  "expected_shape": [],
  "expected": 0.6666666666666666,
  "got_shape": [],
  "got": 0.5,
  "cause": "the rate decays from the first step on: use 1 / (1 + decay * iterations) with iterations counted from 0",
  "from": "06_capstone test_optimizer_sgd_momentum_decay: decay_off_by_one"
 },
 {
  "name": "optimizer.current_learning_rate",
  "expected_shape": [],
  "expected": 0.6666666666666666,
  "got_shape": [],
  "got": 1.0,
  "cause": "the learning rate never decays: does post_update_params add 1 to self.iterations, and does pre_update_params use it?",
  "from": "06_capstone test_optimizer_sgd_momentum_decay: iterations_not_counted"
 },
 {
  "name": "layer.weights",
  "expected_shape": [
   1,
   1
  ],
  "expected": [
   [
    -2.5666666666666664
   ]
  ],
  "got_shape": [
   1,
   1
  ],
  "got": [
   [
    -2.2666666666666666
   ]
  ],
  "cause": "momentum accumulates raw gradients and multiplies by the rate afterwards (the PyTorch form); this course keeps the updates themselves, rate included: momentums = momentum * momentums - current_learning_rate * gradient (they differ once the rate decays)",
  "from": "06_capstone test_optimizer_sgd_momentum_decay: pytorch_momentum"
 }
]
"""
)
