"""Gradients as return values: ``grad``, ``value_and_grad``, ``gradcheck``.

A thin layer over the one backward pass, ``autograd.engine.backward.chain_rule``;
none of these read or write any ``.grad``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.engine.backward import ancestors, chain_rule, chain_rule_for
from autograd.engine.errors import shortened
from autograd.engine.value import Number, Value

__all__ = [
    "grad",
    "value_and_grad",
    "hessian",
    "hvp",
    "jacobian",
    "gradcheck",
    "GradcheckReport",
    "GradcheckRow",
]


# The inputs of every function being differentiated right now (value_and_grad,
# hessian, ... called inside one another): a gradient that depends on them must
# stay a Value, or the enclosing derivative would silently lose a term.
_differentiating: list[list[Value]] = []


def _needs_graph(found: dict[Value, Any]) -> bool:
    """True if a gradient graph ``found`` depends on an enclosing function's inputs."""
    return any(leaf in found for inputs in _differentiating for leaf in inputs)


def grad(root: Value, wrt: Value | Sequence[Value], *, create_graph: bool = False) -> Any:
    """∂root/∂w for each w in ``wrt``; no ``.grad`` is read or written.

    >>> x, y = Value(3.0), Value(2.0)
    >>> grad(x * y + x, [x, y])       # (y + 1, x)
    (3.0, 3.0)
    >>> grad(x * y + x, x)            # one Value in, one float out
    3.0
    >>> dx = grad(x**3, x, create_graph=True)    # 3x², a Value of the graph
    >>> dx.data, grad(dx, x)                     # and 6x, its derivative
    (27.0, 18.0)

    A node that ``root`` does not depend on has gradient 0.0, and so has every
    node when ``root`` is a plain number (a derivative that came out constant:
    ``grad(grad(3 * x, x, create_graph=True), x)`` is 0.0). With
    ``create_graph`` each gradient is a Value (a float where it does not depend on
    the graph) that can be differentiated again. Inside a function that is
    itself being differentiated (``value_and_grad``, ``hessian``, ...), a
    gradient that depends on that function's inputs is returned as a Value
    automatically, so nested derivatives come out right.
    """
    constant = isinstance(root, int | float) and not isinstance(root, bool)
    if not constant:
        _require_value(root, "grad: root")
    if isinstance(wrt, Value):
        nodes, single = [wrt], True
    elif isinstance(wrt, str | bytes) or not hasattr(wrt, "__iter__"):
        raise TypeError(f"grad: wrt must be a Value or a list of Values, not {type(wrt).__name__}")
    elif isinstance(wrt, set | frozenset):
        raise TypeError(
            f"grad: wrt is a {type(wrt).__name__}, whose order is not defined; give a list "
            "or tuple, so the gradients come back in the order you gave"
        )
    else:
        nodes, single = list(wrt), False
        for position, node in enumerate(nodes):
            _require_value(node, f"grad: wrt[{position}]")
    if constant:
        return 0.0 if single else (0.0,) * len(nodes)
    # Refused only if an asked-for gradient is not finite (not for one nobody asked for).
    found = chain_rule(root, create_graph=True) if create_graph else chain_rule_for(root, nodes)
    if not create_graph and _differentiating and _needs_graph(found):
        found = chain_rule(root, create_graph=True)
    result = tuple(found.get(node, 0.0) for node in nodes)
    return result[0] if single else result


def value_and_grad(
    function: Callable[..., Value | Number],
) -> Callable[..., tuple[Any, tuple[Any, ...]]]:
    """Turn ``f(x1, x2, ...) -> Value`` into ``(x1, x2, ...) -> (f, (∂f/∂x1, ...))``.

    The arguments are plain numbers; each is made a leaf Value named after its
    position (``x0``, ``x1``, ...) before ``function`` is called.

    >>> value_and_grad(lambda x, y: x**2 + x*y + (x + y)**2)(3.0, 2.0)
    (40.0, (18.0, 13.0))

    Nested, inside a function being differentiated, the value and gradients are
    Values of the enclosing graph, so the outer derivative is right:

    >>> def f(x):                       # x · ∂(x·y)/∂y = x · x
    ...     return x * value_and_grad(lambda y: x * y)(2.0)[1][0]
    >>> value_and_grad(f)(1.0)          # d(x²)/dx at 1
    (1.0, (2.0,))
    """

    def evaluate(*arguments: Number | Value) -> tuple[Any, tuple[Any, ...]]:
        inputs = [_leaf(argument, f"x{index}") for index, argument in enumerate(arguments)]
        _differentiating.append(inputs)
        try:
            output = function(*inputs)
        finally:
            _differentiating.pop()
        if not isinstance(output, Value):  # a function that ignores its inputs
            return float(output), (0.0,) * len(inputs)
        gradients = grad(output, inputs)
        if _differentiating and _needs_graph({node: None for node in ancestors([output])}):
            return output, gradients
        return output.data, gradients

    evaluate.__name__ = f"value_and_grad({getattr(function, '__name__', 'function')})"
    return evaluate


def _leaf(argument: Number | Value, label: str) -> Value:
    """A new leaf for a number; a Value argument (nested use: a node of an enclosing
    graph) is used as it is, so the result stays connected to that graph."""
    if isinstance(argument, Value):
        return argument
    return Value(argument, label=label)


def _inputs_and_output(
    function: Callable[..., Any], point: Sequence[Number], who: str
) -> tuple[list[Value], Any]:
    """Leaves for ``point`` and ``function`` of them, called as a function being
    differentiated (so gradients inside it that depend on them stay Values)."""
    if not callable(function):
        raise TypeError(
            f"{who} takes a function of the inputs, such as lambda x, y: x * y, and a "
            f"point, not a {type(function).__name__}; for a graph already built, use "
            "autograd.grad(f, [x, y], create_graph=True)"
        )
    if isinstance(point, int | float):
        point = [point]
    inputs = [Value(number, label=f"x{index}") for index, number in enumerate(point)]
    _differentiating.append(inputs)
    try:
        return inputs, function(*inputs)
    finally:
        _differentiating.pop()


def _as_float(value: Any) -> float:
    return value.data if isinstance(value, Value) else float(value)


def hessian(
    function: Callable[..., Value], point: Sequence[Number]
) -> tuple[tuple[float, ...], ...]:
    """The matrix of second derivatives ∂²f/∂xᵢ∂xⱼ of ``function`` at ``point``.

    Reverse over reverse: the gradient is built as a graph (``create_graph``),
    then each of its entries is differentiated again. Scalar by scalar, for
    clarity rather than speed.

    >>> hessian(lambda x, y: x**2 + x*y + (x + y)**2, [3.0, 2.0])
    ((4.0, 3.0), (3.0, 2.0))

    At a kink (relu or abs at 0) the first derivative is taken as 0 there, and
    the second derivative of relu, abs, sign, max and min is 0 everywhere: their
    derivatives are piecewise constant.
    """
    inputs, output = _inputs_and_output(function, point, "hessian")
    if not isinstance(output, Value):
        return tuple((0.0,) * len(inputs) for _ in inputs)
    first = grad(output, inputs, create_graph=True)
    return tuple(
        tuple(_as_float(entry) for entry in grad(derivative, inputs))
        if isinstance(derivative, Value)
        else (0.0,) * len(inputs)
        for derivative in first
    )


def hvp(
    function: Callable[..., Value], point: Sequence[Number], vector: Sequence[Number]
) -> tuple[float, ...]:
    """The Hessian of ``function`` at ``point`` times ``vector``: H·v.

    Computed as ∇(∇f · v), one reverse pass over the gradient graph, without
    forming the Hessian.

    >>> hvp(lambda x, y: x**2 + x*y + (x + y)**2, [3.0, 2.0], [1.0, 0.0])
    (4.0, 3.0)
    """
    inputs, output = _inputs_and_output(function, point, "hvp")
    vector = [float(number) for number in vector]
    if len(vector) != len(inputs):
        raise ValueError(f"hvp: the point has {len(inputs)} inputs, the vector {len(vector)}")
    if not isinstance(output, Value):
        return (0.0,) * len(inputs)
    first = grad(output, inputs, create_graph=True)
    terms = [entry * weight for entry, weight in zip(first, vector) if isinstance(entry, Value)]
    if not terms:
        return (0.0,) * len(inputs)
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return tuple(_as_float(entry) for entry in grad(total, inputs))


def jacobian(
    function: Callable[..., Any], point: Sequence[Number]
) -> tuple[tuple[float, ...], ...]:
    """∂fᵢ/∂xⱼ for a function of several inputs and outputs (one row per output).

    ``function`` returns a Value, a number, or a sequence of them. One reverse
    pass per output.

    >>> jacobian(lambda x, y: [x * y, x + y, x], [3.0, 2.0])
    ((2.0, 3.0), (1.0, 1.0), (1.0, 0.0))
    """
    inputs, output = _inputs_and_output(function, point, "jacobian")
    outputs = list(output) if isinstance(output, list | tuple) else [output]
    return tuple(
        tuple(_as_float(entry) for entry in grad(item, inputs))
        if isinstance(item, Value)
        else (0.0,) * len(inputs)
        for item in outputs
    )


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
