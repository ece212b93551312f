"""Training: ``fit`` runs epochs of forward, loss, backward and optimizer steps.

>>> from nn import MLP, make_moons, signed_labels
>>> X, y = make_moons(40, seed=1)
>>> model = MLP(2, [8, 8, 1], seed=1)
>>> history = fit(model, X, signed_labels(y), loss="hinge", epochs=5, lr=0.1, progress=False)
>>> len(history.loss)
5
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import DomainError, Value, collector_paused, no_grad
from autograd.engine.errors import shortened
from nn.compiled_fit import CompiledStep, number
from nn.datasets import batches
from nn.losses import (
    bce_with_logits,
    binary_cross_entropy,
    cross_entropy,
    half_sum_squared_error,
    hinge,
    l2_penalty,
    mse,
)
from nn.optim import SGD, Optimizer

__all__ = [
    "History",
    "fit",
    "predict",
    "accuracy",
    "binary_accuracy",
    "multiclass_accuracy",
    "LOSSES",
]


def accuracy(predicted: Sequence[Any], actual: Sequence[Any]) -> float:
    """The fraction of positions where ``predicted`` equals ``actual``."""
    if len(predicted) != len(actual):
        raise ValueError(f"accuracy: {len(predicted)} predictions but {len(actual)} labels")
    if not predicted:
        raise ValueError("accuracy: no predictions")
    return sum(p == a for p, a in zip(predicted, actual)) / len(actual)


def binary_accuracy(
    scores: Sequence[Value | float], labels: Sequence[float], threshold: float = 0.0
) -> float:
    """Fraction of samples on the right side: score > threshold ⇔ label > 0.

    Works for −1/+1 labels and for 0/1 labels; use threshold 0 for scores and logits,
    0.5 for probabilities.
    """
    predicted = [number(score) > threshold for score in scores]
    return accuracy(predicted, [label > 0 for label in labels])


def _argmax(row: Sequence[Value | float]) -> int:
    numbers = [number(item) for item in row]
    return numbers.index(max(numbers))


def multiclass_accuracy(logits: Sequence[Sequence[Value | float]], classes: Sequence[Any]) -> float:
    """Fraction of samples whose largest logit is the true class (an index or one-hot list)."""
    actual = [label if isinstance(label, int) else _argmax(label) for label in classes]
    return accuracy([_argmax(row) for row in logits], actual)


LOSSES: dict[str, tuple[Callable[..., Value], Callable[..., float] | None]] = {
    "hinge": (hinge, binary_accuracy),
    "bce_with_logits": (bce_with_logits, binary_accuracy),
    "binary_cross_entropy": (
        binary_cross_entropy,
        lambda scores, labels: binary_accuracy(scores, labels, threshold=0.5),
    ),
    "cross_entropy": (cross_entropy, multiclass_accuracy),
    "mse": (mse, None),
    "half_sum_squared_error": (half_sum_squared_error, None),
}
"""Loss name → (loss function, accuracy rule or None for regression losses)."""


@dataclass
class History:
    """Per-epoch numbers from ``fit``.

    ``loss`` and ``accuracy`` are measured on the training batches during the epoch
    (each batch before its update; the L2 penalty is not included), as micrograd's
    demo reports them. ``test_loss`` and ``test_accuracy`` are measured after the
    epoch on the test set, if one was given. Accuracies are None for regression losses.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float | None] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def as_dict(self) -> dict[str, list[Any]]:
        """The four lists by name."""
        return {
            "loss": list(self.loss),
            "accuracy": list(self.accuracy),
            "test_loss": list(self.test_loss),
            "test_accuracy": list(self.test_accuracy),
        }

    def __repr__(self) -> str:
        if not self.loss:
            return "History(no epochs)"
        last = f"loss {self.loss[-1]:.4g}"
        if self.accuracy[-1] is not None:
            last += f", accuracy {self.accuracy[-1]:.1%}"
        if self.test_loss:
            last += f", test loss {self.test_loss[-1]:.4g}"
            if self.test_accuracy[-1] is not None:
                last += f", test accuracy {self.test_accuracy[-1]:.1%}"
        return f"History({self.epochs} epochs; last: {last})"


def predict(model: Callable[[Any], Any], X: Sequence[Any]) -> list[Any]:
    """The model's outputs for each input, as floats (or lists of floats).

    Evaluated under ``autograd.no_grad()``: no graph is built or kept.
    """
    outputs = []
    for x in X:
        with no_grad():
            output = model(x)
        outputs.append(
            [number(item) for item in output] if isinstance(output, list) else number(output)
        )
    return outputs


def _objective(
    loss: str | Callable[..., Value], accuracy_rule: Callable[..., float] | None
) -> tuple[Callable[..., Value], Callable[..., float] | None]:
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"fit: unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
        function, default_rule = LOSSES[loss]
        return function, accuracy_rule or default_rule
    if not callable(loss):
        raise TypeError(f"fit: loss must be a name or a function, got {type(loss).__name__}")
    return loss, accuracy_rule


def _diverged(error: DomainError, epoch: int, history: History) -> DomainError:
    """A DomainError met while training, with the epoch and, after a first epoch, the
    likely cause: a loss that grew until a number overflowed."""
    where = f"fit, epoch {epoch + 1}"
    if history.loss:
        where += f" (the last epoch's loss was {history.loss[-1]:.4g})"
    return DomainError(
        f"{where}: {error}. If the loss grew epoch after epoch, training diverged: "
        "lower the learning rate (the parameters keep the last step's values)"
    )


def _check_optimizer(optimizer: Any, parameters: list[Value]) -> None:
    """Refuse an optimizer that would not train these parameters: a class instead of
    an instance, a name, or one built for another model (a notebook cell re-run)."""
    # An optimizer of your own needs only step() and zero_grad(), as fit calls them.
    if isinstance(optimizer, type) or not all(
        callable(getattr(optimizer, method, None)) for method in ("step", "zero_grad")
    ):
        raise TypeError(
            f"fit: optimizer must be an optimizer made for this model, such as "
            f"nn.SGD(model, lr=0.1) or nn.Adam(model), not {shortened(optimizer)}"
        )
    if not isinstance(optimizer, Optimizer):
        return  # its parameters are its own business
    # Only none in common is refused: training some of them (a frozen layer) is fine.
    mine = {id(parameter) for parameter in parameters}
    if mine and mine.isdisjoint(id(parameter) for parameter in optimizer.parameters):
        raise ValueError(
            "fit: the optimizer holds none of this model's parameters (was the model made "
            "again after the optimizer?); make it from this model: nn.SGD(model, lr=...)"
        )


def _check_targets(
    model: Any, loss_function: Callable[..., Value], X: Sequence[Any], y: Sequence[Any], kind: str
) -> None:
    """The loss's own checks of every target (hinge's ±1, a class in range), before
    the first step, so a bad label stops training before any parameter changes. The
    loss is computed once, on a prediction of 0.5 for every example."""
    with no_grad():
        output = model(X[0])
        guess = [Value(0.5)] * len(output) if isinstance(output, list) else Value(0.5)
        try:
            loss_function([guess] * len(y), list(y))
        except (ValueError, TypeError) as error:
            raise type(error)(f"fit: {kind}targets: {error}") from None


def fit(
    model: Any,
    X: Sequence[Any],
    y: Sequence[Any],
    loss: str | Callable[..., Value] = "hinge",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    lr: float = 0.1,
    l2: float = 0.0,
    test: tuple[Sequence[Any], Sequence[Any]] | None = None,
    accuracy: Callable[..., float] | None = None,
    shuffle: bool = True,
    seed: int = 0,
    progress: bool = True,
    compile: bool = False,  # noqa: A002 - the issue's name for it: fit(..., compile=True)
) -> History:
    """Train ``model`` on (X, y) and return the per-epoch ``History``.

    Each batch: predictions = model(x) for each x; L = loss(predictions, labels)
    + l2·Σw²; zero the grads; L.backward(); optimizer.step().

    Args:
        loss: a name from ``LOSSES`` ("hinge", "bce_with_logits", "cross_entropy",
            "mse", ...) or a function (predictions, labels) -> Value.
        optimizer: defaults to ``SGD(model.parameters(), lr)``. One of your own
            needs ``step()`` and ``zero_grad()``; an ``nn`` optimizer that holds
            none of the model's parameters (made for an earlier model) is refused.
        batch_size: None for full-batch gradient descent.
        test: an optional (X_test, y_test), evaluated after every epoch.
        accuracy: a function (predictions, labels) -> float, for a custom loss.
        seed: the batch order's seed (a new shuffle each epoch, same every run).
        progress: show a tqdm bar (on stderr) with loss and accuracy; False silences it.
        compile: build the loss graph of one example once, compile it
            (``autograd.compile``) and replay it for every example, over numpy
            arrays a batch at a time (batches of 32 or more) when numpy is
            installed. The same losses and parameters as the eager loop, to the
            last bit; for the losses "hinge", "mse",
            "half_sum_squared_error" (one output) and "cross_entropy" (logits). A
            model whose forward depends on the data (an ``if`` on ``.data``) is
            refused: 16 examples are run both ways first. Where the eager loop
            stops on an overflow that a later op hides (relu of −inf) or on an
            infinite gradient of an input, the replay goes on.

    Every target (and test target) is checked by the loss before the first step,
    so a bad label stops ``fit`` before any parameter changes.
    """
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} labels")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
    if isinstance(l2, bool) or not isinstance(l2, int | float) or not 0.0 <= l2 < math.inf:
        raise ValueError(f"fit: l2 must be a finite number >= 0 (e.g. 1e-4), got {l2!r:.40}")
    for name, switch in (("shuffle", shuffle), ("progress", progress), ("compile", compile)):
        if not isinstance(switch, bool):  # compile="false" would be true
            raise TypeError(f"fit: {name} must be True or False, not {switch!r:.40}")
    loss_function, accuracy_rule = _objective(loss, accuracy)
    if not callable(getattr(model, "parameters", None)):
        raise TypeError(
            f"fit: the model must be an nn Module (MLP, Layer, Neuron), with parameters(); "
            f"got {type(model).__name__}"
        )
    parameters = model.parameters()
    if optimizer is None:
        optimizer = SGD(parameters, lr=lr)
    _check_optimizer(optimizer, parameters)
    order = random.Random(seed)
    history = History()
    from tqdm import tqdm  # here, not at the top: ``import nn`` works without tqdm

    if compile and not len(X):
        raise ValueError("fit(compile=True): no samples to build the graph from (X is empty)")
    step = CompiledStep(model, loss, loss_function, parameters, l2, X) if compile else None
    if isinstance(loss, str) and len(X):
        _check_targets(model, loss_function, X, y, "")
        if test is not None and len(test[0]):
            _check_targets(model, loss_function, test[0], test[1], "test ")
    bar = tqdm(range(epochs), desc="training", file=sys.stderr, disable=not progress, leave=True)
    for epoch in bar:
        loss_sum, correct_sum, seen = 0.0, 0.0, 0
        for batch_X, batch_y in batches(X, y, batch_size, shuffle, order):
            try:
                if step is not None:
                    predictions, batch_loss = step(batch_X, batch_y)
                    optimizer.step()
                    if accuracy is not None:  # a rule of your own gets Values, as when eager
                        predictions = [
                            [Value(p) for p in point] if isinstance(point, list) else Value(point)
                            for point in predictions
                        ]
                else:
                    # A graph has no reference cycles: the cycle collector would only
                    # walk it (about half of fit's time on micrograd's demo; README).
                    with collector_paused():
                        predictions = [model(x) for x in batch_X]
                        data_loss = loss_function(predictions, batch_y)
                        objective = data_loss + l2_penalty(parameters, l2) if l2 else data_loss
                        optimizer.zero_grad()
                        objective.backward()
                        optimizer.step()
                    batch_loss = data_loss.data
            except DomainError as error:
                raise _diverged(error, epoch, history) from None
            loss_sum += batch_loss * len(batch_X)
            if accuracy_rule is not None:
                correct_sum += accuracy_rule(predictions, batch_y) * len(batch_X)
            seen += len(batch_X)
        history.loss.append(loss_sum / seen)
        history.accuracy.append(correct_sum / seen if accuracy_rule is not None else None)
        postfix = {"loss": f"{history.loss[-1]:.4f}"}
        if accuracy_rule is not None:
            postfix["acc"] = f"{history.accuracy[-1]:.0%}"
        if test is not None:
            test_X, test_y = test
            with no_grad():  # evaluation only: no graph to build
                test_predictions = [model(x) for x in test_X]
                history.test_loss.append(loss_function(test_predictions, test_y).data)
            history.test_accuracy.append(
                accuracy_rule(test_predictions, test_y) if accuracy_rule is not None else None
            )
            postfix["test_loss"] = f"{history.test_loss[-1]:.4f}"
            if accuracy_rule is not None:
                postfix["test_acc"] = f"{history.test_accuracy[-1]:.0%}"
        bar.set_postfix(postfix, refresh=False)
    bar.close()
    return history
