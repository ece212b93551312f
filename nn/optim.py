"""Optimizers (SGD, Adam) and learning-rate schedules.

An optimizer holds a list of parameters (Values) and, after ``loss.backward()``,
moves each one against its gradient in ``step()``. The learning rate is a number or
a schedule: a function of the step count (0 for the first step).

>>> from autograd import Value
>>> w = Value(3.0, role="parameter")
>>> optimizer = SGD([w], lr=0.1)
>>> (w * w).backward(); optimizer.step()      # w ← w − 0.1 · 2w
>>> w.data
2.4
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from autograd import Value

__all__ = ["Optimizer", "SGD", "Adam", "LinearDecay", "StepDecay", "linear_decay", "step_decay"]

Schedule = Callable[[int], float]


@dataclass(frozen=True)
class LinearDecay:
    """lr(k) = start + (end − start)·min(k, steps)/steps: a straight line, then flat.

    micrograd's demo uses ``linear_decay(1.0, 0.1, 100)``: 1 − 0.9·k/100.
    """

    start: float
    end: float
    steps: int

    def __call__(self, step: int) -> float:
        return self.start + (self.end - self.start) * min(step, self.steps) / self.steps


@dataclass(frozen=True)
class StepDecay:
    """lr(k) = start · factor^⌊k / every⌋: multiply by ``factor`` every ``every`` steps."""

    start: float
    factor: float
    every: int

    def __call__(self, step: int) -> float:
        return self.start * self.factor ** (step // self.every)


def linear_decay(start: float, end: float, steps: int) -> LinearDecay:
    """A learning rate falling linearly from ``start`` to ``end`` over ``steps`` steps."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"linear_decay: steps must be a positive int, got {steps!r}")
    return LinearDecay(float(start), float(end), steps)


def step_decay(start: float, factor: float, every: int) -> StepDecay:
    """A learning rate multiplied by ``factor`` every ``every`` steps."""
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"step_decay: every must be a positive int, got {every!r}")
    if not 0.0 < factor <= 1.0:
        raise ValueError(f"step_decay: factor must be in (0, 1], got {factor!r}")
    return StepDecay(float(start), float(factor), every)


def _parameter_list(parameters: Iterable[Value] | Any, where: str) -> list[Value]:
    if hasattr(parameters, "parameters"):  # a Module
        parameters = parameters.parameters()
    found = list(parameters)
    if not found:
        raise ValueError(f"{where}: no parameters to optimize")
    for index, parameter in enumerate(found):
        if not isinstance(parameter, Value):
            raise TypeError(
                f"{where}: parameter {index} is {type(parameter).__name__}, not a Value; "
                "pass model.parameters() or the model"
            )
    return found


def _check_rate(value: float | Schedule, where: str) -> float | Schedule:
    if callable(value):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"{where}: lr must be a positive number or a schedule, got {value!r}")
    return float(value)


class Optimizer:
    """Common parts: the parameter list, the step count, the current lr, ``zero_grad``."""

    def __init__(self, parameters: Iterable[Value] | Any, lr: float | Schedule) -> None:
        name = type(self).__name__
        self.parameters = _parameter_list(parameters, name)
        self.learning_rate = _check_rate(lr, name)
        self.step_count = 0

    @property
    def lr(self) -> float:
        """The learning rate the next ``step()`` uses."""
        rate = self.learning_rate
        return rate(self.step_count) if callable(rate) else rate

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 before the next backward."""
        for parameter in self.parameters:
            parameter.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError

    def _write(self, new_data: list[float]) -> None:
        """Every parameter's new value, written only if all of them are finite:
        a step that would overflow changes nothing and says which parameter."""
        for parameter, data in zip(self.parameters, new_data):
            if not math.isfinite(data):
                raise ValueError(
                    f"{type(self).__name__}.step: {parameter.describe()} would become {data} "
                    f"(from {parameter.data!r}, gradient {parameter.grad!r}, lr {self.lr!r}); "
                    "no parameter was changed: lower the learning rate"
                )
        for parameter, data in zip(self.parameters, new_data):
            parameter.data = data

    def _check_gradients(self) -> None:
        for parameter in self.parameters:
            if isinstance(parameter.grad, Value):  # backward(create_graph=True): its number
                parameter.grad = parameter.grad.data
            if not math.isfinite(parameter.grad):
                raise ValueError(
                    f"{type(self).__name__}.step: {parameter.describe()} has gradient "
                    f"{parameter.grad!r}; no parameter was changed: lower the learning rate "
                    "or check the loss"
                )


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, Nesterov and weight decay.

    With g = ∂L/∂w + weight_decay·w and velocity v (starting at 0):

        v ← momentum·v + g
        w ← w − lr·(g + momentum·v)   (nesterov)
        w ← w − lr·v                  (otherwise; plain w − lr·g when momentum is 0)
    """

    def __init__(
        self,
        parameters: Iterable[Value] | Any,
        lr: float | Schedule,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        if nesterov and momentum == 0.0:
            raise ValueError("SGD: nesterov=True needs a momentum > 0")
        if weight_decay < 0.0:
            raise ValueError(f"SGD: weight_decay must be >= 0, got {weight_decay!r}")
        self.momentum, self.nesterov, self.weight_decay = momentum, nesterov, weight_decay
        self.velocities = [0.0] * len(self.parameters)

    def step(self) -> None:
        """Move every parameter one step against its gradient."""
        self._check_gradients()
        rate, momentum, decay = self.lr, self.momentum, self.weight_decay
        if momentum == 0.0 and decay == 0.0:
            self._write([parameter.data - rate * parameter.grad for parameter in self.parameters])
        else:
            velocities, new_data = [], []
            for parameter, velocity in zip(self.parameters, self.velocities):
                gradient = parameter.grad + decay * parameter.data
                velocity = momentum * velocity + gradient
                velocities.append(velocity)
                direction = gradient + momentum * velocity if self.nesterov else velocity
                new_data.append(parameter.data - rate * direction)
            self._write(new_data)
            self.velocities = velocities
        self.step_count += 1


class Adam(Optimizer):
    """Adam: per-parameter steps scaled by running averages of g and g².

        m ← β₁m + (1 − β₁)g,   s ← β₂s + (1 − β₂)g²
        w ← w − lr · m̂ / (√ŝ + ε),  with m̂ = m/(1 − β₁ᵗ), ŝ = s/(1 − β₂ᵗ)

    ``weight_decay`` adds weight_decay·w to g (L2, as in the original Adam).
    """

    def __init__(
        self,
        parameters: Iterable[Value] | Any,
        lr: float | Schedule = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, lr)
        first, second = betas
        if not (0.0 <= first < 1.0 and 0.0 <= second < 1.0):
            raise ValueError(f"Adam: betas must be in [0, 1), got {betas!r}")
        if not eps > 0.0:
            raise ValueError(f"Adam: eps must be > 0, got {eps!r}")
        self.betas, self.eps, self.weight_decay = (first, second), eps, weight_decay
        self.first_moments = [0.0] * len(self.parameters)
        self.second_moments = [0.0] * len(self.parameters)

    def step(self) -> None:
        """One Adam update of every parameter."""
        self._check_gradients()
        rate = self.lr
        first, second = self.betas
        count = self.step_count + 1
        first_correction, second_correction = 1.0 - first**count, 1.0 - second**count
        means, squares, new_data = [], [], []
        for index, parameter in enumerate(self.parameters):
            gradient = parameter.grad + self.weight_decay * parameter.data
            mean = first * self.first_moments[index] + (1.0 - first) * gradient
            square = second * self.second_moments[index] + (1.0 - second) * gradient * gradient
            means.append(mean)
            squares.append(square)
            scale = math.sqrt(square / second_correction) + self.eps
            new_data.append(parameter.data - rate * (mean / first_correction) / scale)
        self._write(new_data)
        self.first_moments, self.second_moments = means, squares
        self.step_count = count
