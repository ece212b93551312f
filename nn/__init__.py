"""pathgrad's neural networks, built only on the public ``autograd`` API.

>>> import nn
>>> X, y = nn.make_moons(60, seed=0)
>>> model = nn.MLP(2, [8, 8, 1], seed=0)
>>> history = nn.fit(model, X, nn.signed_labels(y), loss="hinge", epochs=3, progress=False)
>>> model.named_parameters()[0][0]
'layers.0.neurons.0.w.0'

The public API:

* Modules: ``Module``, ``Neuron``, ``Layer``, ``MLP`` (``parameters()``,
  ``named_parameters()``, ``zero_grad()``, ``save(path)``, ``load(path)``, ``load_state(path)``);
  activations relu, tanh, sigmoid, linear.
* Initialisers: ``uniform``, ``xavier``, ``he``, ``zeros``, ``constant(c)``.
* Matrices as lists of rows: ``values``, ``data``, ``grads``, ``matmul``, ``transpose``,
  ``elementwise``, ``add``, ``softmax``, ``log_softmax``, ``logsumexp``.
* Losses: ``mse``, ``half_sum_squared_error``, ``hinge``, ``binary_cross_entropy``
  (``logloss``), ``bce_with_logits``, ``cross_entropy``, ``l2_penalty``.
* Optimizers: ``SGD``, ``Adam``; schedules ``linear_decay``, ``step_decay``.
* Data: ``make_moons``, ``make_circles``, ``make_spiral``, ``make_xor``, ``make_blobs``,
  ``signed_labels``, ``train_test_split``, ``batches``.
* Training: ``fit`` (with a tqdm progress bar) → ``History``; ``predict``, ``accuracy``,
  ``binary_accuracy``, ``multiclass_accuracy``; ``plot_decision_boundary`` (matplotlib,
  the ``plot`` extra).
* PyTorch: ``to_torch(model)`` an equivalent ``torch.nn.Module`` (float64),
  ``from_torch(module)`` back; torch is imported only when they are called.
* ``ModelFileError``: a model file that cannot be loaded.
"""

from nn.activations import ACTIVATIONS
from nn.datasets import (
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_spiral,
    make_xor,
    signed_labels,
    train_test_split,
)
from nn.initializers import Initializer, constant, he, uniform, xavier, zeros
from nn.losses import (
    bce_with_logits,
    binary_cross_entropy,
    cross_entropy,
    half_sum_squared_error,
    hinge,
    l2_penalty,
    logloss,
    mse,
)
from nn.matrix import (
    add,
    data,
    elementwise,
    grads,
    log_softmax,
    logsumexp,
    matmul,
    softmax,
    transpose,
    values,
)
from nn.module import MLP, Layer, Module, Neuron
from nn.optim import SGD, Adam, Optimizer, linear_decay, step_decay
from nn.plot import plot_decision_boundary
from nn.saving import ModelFileError
from nn.torch_bridge import from_torch, to_torch
from nn.train import (
    LOSSES,
    History,
    accuracy,
    binary_accuracy,
    fit,
    multiclass_accuracy,
    predict,
)

__all__ = [
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "ACTIVATIONS",
    "Initializer",
    "uniform",
    "xavier",
    "he",
    "zeros",
    "constant",
    "values",
    "data",
    "grads",
    "matmul",
    "transpose",
    "elementwise",
    "add",
    "softmax",
    "log_softmax",
    "logsumexp",
    "mse",
    "half_sum_squared_error",
    "hinge",
    "binary_cross_entropy",
    "logloss",
    "bce_with_logits",
    "cross_entropy",
    "l2_penalty",
    "Optimizer",
    "SGD",
    "Adam",
    "linear_decay",
    "step_decay",
    "make_moons",
    "make_circles",
    "make_spiral",
    "make_xor",
    "make_blobs",
    "signed_labels",
    "train_test_split",
    "batches",
    "fit",
    "History",
    "LOSSES",
    "predict",
    "accuracy",
    "binary_accuracy",
    "multiclass_accuracy",
    "plot_decision_boundary",
    "to_torch",
    "from_torch",
    "ModelFileError",
]
