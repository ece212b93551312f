"""Gradients as return values: ``grad``, ``value_and_grad``, ``gradcheck``.

A thin layer over the one backward pass, ``autograd.engine.backward.chain_rule``;
none of these read or write any ``.grad``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.engine.backward import chain_rule
from autograd.engine.errors import shortened
from autograd.engine.value import Number, Value

__all__ = ["grad", "value_and_grad", "gradcheck", "GradcheckReport", "GradcheckRow"]


def grad(root: Value, wrt: Value | Sequence[Value]) -> float | tuple[float, ...]:
    """∂root/∂w for each w in ``wrt``, as floats; no ``.grad`` is read or written.

    >>> x, y = Value(3.0), Value(2.0)
    >>> grad(x * y + x, [x, y])       # (y + 1, x)
    (3.0, 3.0)
    >>> grad(x * y + x, x)            # one Value in, one float out
    3.0

    A node that ``root`` does not depend on has gradient 0.0.
    """
    _require_value(root, "grad: root")
    found = chain_rule(root)
    if isinstance(wrt, Value):
        return found.get(wrt, 0.0)
    if isinstance(wrt, str | bytes) or not hasattr(wrt, "__iter__"):
        raise TypeError(f"grad: wrt must be a Value or a list of Values, not {type(wrt).__name__}")
    result = []
    for position, node in enumerate(wrt):
        _require_value(node, f"grad: wrt[{position}]")
        result.append(found.get(node, 0.0))
    return tuple(result)


def value_and_grad(
    function: Callable[..., Value | Number],
) -> Callable[..., tuple[float, tuple[float, ...]]]:
    """Turn ``f(x1, x2, ...) -> Value`` into ``(x1, x2, ...) -> (f, (∂f/∂x1, ...))``.

    The arguments are plain numbers; each is made a leaf Value named after its
    position (``x0``, ``x1``, ...) before ``function`` is called.

    >>> value_and_grad(lambda x, y: x**2 + x*y + (x + y)**2)(3.0, 2.0)
    (40.0, (18.0, 13.0))
    """

    def evaluate(*arguments: Number) -> tuple[float, tuple[float, ...]]:
        inputs = [Value(argument, label=f"x{index}") for index, argument in enumerate(arguments)]
        output = function(*inputs)
        if not isinstance(output, Value):  # a function that ignores its inputs
            return float(output), (0.0,) * len(inputs)
        return output.data, grad(output, inputs)

    evaluate.__name__ = f"value_and_grad({getattr(function, '__name__', 'function')})"
    return evaluate


@dataclass(frozen=True)
class GradcheckRow:
    """One input of a gradient check: backward's answer against central differences."""

    index: int
    point: float
    analytic: float
    numeric: float

    @property
    def error(self) -> float:
        return abs(self.analytic - self.numeric)


@dataclass(frozen=True)
class GradcheckReport:
    """The result of ``gradcheck``: truthy when every gradient matches."""

    rows: tuple[GradcheckRow, ...]
    atol: float
    rtol: float

    def row_ok(self, row: GradcheckRow) -> bool:
        return row.error <= self.atol + self.rtol * abs(row.numeric)

    @property
    def ok(self) -> bool:
        return all(self.row_ok(row) for row in self.rows)

    @property
    def worst(self) -> GradcheckRow | None:
        """The row furthest outside its tolerance (or closest to it when all pass)."""
        if not self.rows:
            return None
        return max(
            self.rows, key=lambda row: row.error / (self.atol + self.rtol * abs(row.numeric))
        )

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "gradcheck passed" if self.ok else "gradcheck FAILED"
        lines = [f"{verdict} (atol={self.atol:g}, rtol={self.rtol:g})"]
        lines.append(f"{'input':>6} {'at':>12} {'backward':>14} {'numeric':>14} {'|error|':>10}")
        for row in self.rows:
            mark = "" if self.row_ok(row) else "  <- mismatch"
            lines.append(
                f"{row.index:>6} {row.point:>12.6g} {row.analytic:>14.8g} "
                f"{row.numeric:>14.8g} {row.error:>10.3g}{mark}"
            )
        worst = self.worst
        if worst is not None and not self.ok:
            lines.append(
                f"worst: input {worst.index} at {worst.point:g}: backward says "
                f"{worst.analytic:.8g}, central differences say {worst.numeric:.8g}"
            )
        return "\n".join(lines)

    __repr__ = __str__


def gradcheck(
    function: Callable[..., Value],
    inputs: Sequence[Number],
    *,
    step: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    raise_on_failure: bool = False,
) -> GradcheckReport:
    """Compare backward's gradient with central differences at ``inputs``.

    numeric ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, with h = ``step``·max(1, |xᵢ|).
    A row passes when |backward − numeric| ≤ atol + rtol·|numeric|.

    >>> report = gradcheck(lambda x, y: x * y.sin(), [1.5, 0.3])
    >>> report.ok
    True

    Returns a report (truthy when all rows pass, printable as a table with the worst
    mismatch); with ``raise_on_failure=True`` a failure raises AssertionError with it.
    """
    points = [float(x) for x in inputs]
    if not all(math.isfinite(x) for x in points):
        raise ValueError(f"gradcheck: inputs must be finite numbers, got {list(inputs)!r}")

    def evaluate(shifted: list[float]) -> float:
        output = function(*[Value(x) for x in shifted])
        return output.data if isinstance(output, Value) else float(output)

    _, analytic = value_and_grad(function)(*points)
    rows = []
    for index, point in enumerate(points):
        h = step * max(1.0, abs(point))
        above, below = list(points), list(points)
        above[index] = point + h
        below[index] = point - h
        numeric = (evaluate(above) - evaluate(below)) / (2.0 * h)
        rows.append(GradcheckRow(index, point, analytic[index], numeric))
    report = GradcheckReport(tuple(rows), atol, rtol)
    if raise_on_failure and not report.ok:
        raise AssertionError(str(report))
    return report


def _require_value(node: object, where: str) -> None:
    if not isinstance(node, Value):
        raise TypeError(f"{where} must be a Value, got {type(node).__name__} {shortened(node)}")
