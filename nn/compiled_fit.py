"""``fit(compile=True)``: one example's loss graph compiled once, replayed for every
example, with the very floats the eager loop computes.

Four things make the replay equal to the eager batch to the last bit:

* **The upstream gradient.** The eager batch's backward pass hands each example's
  loss term the same upstream gradient: 1/n for a mean loss (the division's local
  derivative), 1 for ``half_sum_squared_error``. The compiled graph is
  loss([model(x)], [y]) · w with w an input, given that number, so every product
  below the term is the one the eager pass computes.
* **The order of the sums.** The eager pass adds contributions to a parameter's
  gradient in reverse creation order: the L2 penalty's first (its nodes are made
  last), then the last example's, back to the first. The replay sums in that order.
  In another order the last bits differ, and where a gradient is 0 up to rounding,
  Adam's division by √v turns those bits into a visibly different run.
* **A parameter used twice in one example** (tied weights) gets its uses' terms one
  at a time in the eager pass, so its running total must be inside the graph: the
  graph adds Σ tₚ·p, with tₚ an input holding p's gradient so far, whose nodes come
  last, and the examples are replayed one by one, last first, each continuing the
  totals. (The batch over numpy arrays would sum each example's terms first.)

* **cross_entropy's shift.** ``logsumexp`` shifts by max z, a number the eager loop
  reads from each example's data; a compiled graph would keep the first example's
  (and overflow on an example whose logits are 710 away). Here the shift is an
  input, max z from a first replay of the logits alone (forward lines only).
"""

from __future__ import annotations

import collections
import numbers
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value, grad, no_grad, topological_order
from autograd import compile as compile_graph
from autograd.engine.errors import shortened
from nn.losses import cross_entropy_term, l2_penalty

__all__ = ["CompiledStep", "COMPILABLE_LOSSES", "number"]

# The label enters these as a number (cross_entropy: a one-hot vector of numbers) in
# one fixed graph, so one compiled graph serves every example.
COMPILABLE_LOSSES = ("hinge", "mse", "half_sum_squared_error", "cross_entropy")


# Over numpy arrays each line costs about 1 µs a batch, over floats 25 ns an example:
# on micrograd's demo MLP, 10 epochs take 0.92 s batched and 0.11 s one by one with
# batches of 1, the same with 32, and 0.036 s against 0.060 s with all 100 at once.
_BATCHED_FROM = 32


def number(item: Any) -> float:
    """A prediction or target as a float: a Value's ``.data``, or the number itself."""
    return item.data if isinstance(item, Value) else float(item)


def _row(x: Any) -> list[Any]:
    """An example's features as a list: a number alone, or a sequence (list, tuple,
    numpy array) of them."""
    return [x] if isinstance(x, numbers.Real | Value) else list(x)


class CompiledStep:
    """One mini-batch's loss and gradients from a compiled one-example graph."""

    def __init__(
        self,
        model: Any,
        loss: Any,
        loss_function: Callable[..., Value],
        parameters: list[Value],
        l2: float,
        X: Sequence[Any],
    ) -> None:
        if loss not in COMPILABLE_LOSSES:
            raise ValueError(
                f"fit(compile=True) takes the loss {', '.join(COMPILABLE_LOSSES)}, whose "
                "graph has the same shape for every label (the log-losses branch on the "
                f"label or the logit); train {shortened(loss)} with compile=False"
            )
        self.features = [Value(number(value), label=f"x{i}") for i, value in enumerate(_row(X[0]))]
        prediction = model(self.features)
        self.classes = len(prediction) if isinstance(prediction, list) else 0
        if loss == "cross_entropy":
            if not self.classes:
                raise ValueError(
                    "fit(compile=True, loss='cross_entropy') takes a model with logits"
                )
            self.labels = [Value(0.0, label=f"y{k}") for k in range(self.classes)]
            # logsumexp shifts by max z, a number the eager loop reads from each
            # example's data: here it is an input, from a first replay of the logits.
            self.shift = [Value(max(logit.data for logit in prediction), label="shift")]
            data_loss = cross_entropy_term(prediction, self.labels, self.shift[0])
            self.logits = compile_graph(prediction[0], self.features, wrt=[], extra=prediction)
            outputs = list(prediction)
        else:
            if self.classes:
                raise ValueError(
                    f"fit(compile=True, loss={loss!r}) takes a model with one output; "
                    "train with compile=False"
                )
            self.labels = [Value(1.0, label="y")]
            self.shift = []
            data_loss = loss_function([prediction], [self.labels[0]])
            outputs = [prediction]
        self.loss_function = loss_function
        self.cross_entropy = loss == "cross_entropy"
        self.parameters = parameters
        self.l2 = l2
        self.summed = loss == "half_sum_squared_error"
        self.weight = Value(1.0, label="weight")
        root = data_loss * self.weight
        uses = collections.Counter(
            parent for node in topological_order(data_loss) for parent in node.parents
        )
        self.running = []
        if any(uses[parameter] > 1 for parameter in parameters):
            self.running = [Value(0.0, label=f"running{i}") for i in range(len(parameters))]
            products = [total * parameter for total, parameter in zip(self.running, parameters)]
            root = root + sum(products[1:], products[0])
        # The example's loss is returned too (extra), for the batch loss.
        self.graph = compile_graph(
            root,
            [*self.features, *self.labels, self.weight, *self.shift, *self.running],
            wrt=parameters,
            extra=[*outputs, data_loss],
        )
        try:
            import numpy  # noqa: F401 - batched replay when it is installed
        except ImportError:
            self.batched = False
        else:
            self.batched = not self.running
        self._check_replay(model, X)

    def _check_replay(self, model: Any, X: Sequence[Any], most: int = 16) -> None:
        """Refuse a model whose graph depends on the data: an ``if`` on ``.data`` or a
        ``math`` function of a Value in its forward is fixed at the example the graph
        was built from. Up to ``most`` examples, spread over X, are run both ways; their
        outputs must be the same floats."""
        labels = [0.0] * len(self.labels)
        totals = [0.0] * len(self.running)
        for index in sorted({round(k * (len(X) - 1) / max(most - 1, 1)) for k in range(most)}):
            row = [number(value) for value in _row(X[index])]
            with no_grad():
                output = model([Value(value) for value in row])
            eager = [number(item) for item in (output if isinstance(output, list) else [output])]
            replayed = list(self.graph(*row, *labels, 1.0, *self._shift(row), *totals)[2][:-1])
            if replayed != eager:
                raise ValueError(
                    f"fit(compile=True): for example {index} the compiled graph (built from "
                    f"example 0) gives {shortened(replayed)}, the model {shortened(eager)}: "
                    "its forward depends on the data (an if on .data, or math on a Value's "
                    "number?), which a compiled graph cannot follow; train with compile=False"
                )

    def _shift(self, row: list[float]) -> list[float]:
        """cross_entropy's shift input for one example, max z, as logsumexp takes it."""
        return [max(self.logits(*row)[2])] if self.shift else []

    def _label_values(self, label: Any) -> list[float]:
        if not self.classes:
            return [number(label)]
        if isinstance(label, int) and not isinstance(label, bool) and 0 <= label < self.classes:
            return [1.0 if k == label else 0.0 for k in range(self.classes)]
        values = [number(p) for p in label]  # a probability vector
        if len(values) != self.classes:
            raise ValueError(f"fit: a target has {len(values)} entries for {self.classes} logits")
        return values

    def __call__(self, batch_X: Sequence[Any], batch_y: Sequence[Any]) -> tuple[list[Any], float]:
        """Set every parameter's grad to the batch's; return predictions and the loss."""
        rows = [[number(value) for value in _row(x)] for x in batch_X]
        labels = [self._label_values(label) for label in batch_y]
        weight = 1.0 if self.summed else 1.0 / len(rows)  # the division's local derivative
        penalty = (
            grad(l2_penalty(self.parameters, self.l2), self.parameters)
            if self.l2
            else [0.0] * len(self.parameters)
        )
        if self.batched and len(rows) >= _BATCHED_FROM:
            totals, outputs = self._batched(rows, labels, weight, penalty)
        else:
            totals, outputs = self._one_by_one(rows, labels, weight, penalty)
        for parameter, total in zip(self.parameters, totals):
            parameter.grad = total
        *predictions, losses = outputs
        predictions = (
            [list(point) for point in zip(*predictions)] if self.classes else predictions[0]
        )
        return predictions, self._batch_loss(predictions, losses, batch_y)

    def _batched(
        self, rows: list[list[float]], labels: list[list[float]], weight: float, penalty: Any
    ) -> tuple[list[float], list[list[float]]]:
        import numpy

        columns = [*zip(*rows), *zip(*labels), [weight] * len(rows)]
        if self.shift:  # max z of each example, from a replay of the logits alone
            _, _, logits = self.logits.batched(*zip(*rows))
            columns.append(numpy.max(numpy.array(logits), axis=0))
        _, gradients, outputs = self.graph.batched(*columns, reduce="none")
        totals = numpy.array(penalty, dtype=float)
        for example_gradients in numpy.array(gradients).T[::-1]:  # last example first
            totals = totals + example_gradients  # element by element: float additions
        return totals.tolist(), [output.tolist() for output in outputs]

    def _one_by_one(
        self, rows: list[list[float]], labels: list[list[float]], weight: float, penalty: Any
    ) -> tuple[list[float], list[list[float]]]:
        totals = list(penalty)
        replays = []
        for row, label in zip(reversed(rows), reversed(labels)):  # last example first
            inputs = [*row, *label, weight, *self._shift(row)]
            if self.running:  # the graph continues the totals itself
                _, gradients, outputs = self.graph(*inputs, *totals)
                totals = list(gradients)
            else:
                _, gradients, outputs = self.graph(*inputs)
                totals = [total + gradient for total, gradient in zip(totals, gradients)]
            replays.append(outputs)
        return totals, [list(column) for column in zip(*reversed(replays))]

    def _batch_loss(self, predictions: list[Any], losses: list[float], batch_y: Any) -> float:
        """The batch loss as the eager loop computes it. cross_entropy: the examples'
        terms summed from the first, ÷ n, as ``cross_entropy`` sums them. Otherwise
        the loss function itself, on the predictions as numbers (a few ops an example;
        halving each example's loss alone would not be exact for subnormals)."""
        if self.cross_entropy:
            return sum(losses[1:], losses[0]) / len(losses)
        with no_grad():
            return self.loss_function([Value(p) for p in predictions], batch_y).data
