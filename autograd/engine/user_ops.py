"""Ops of your own: ``define_op`` adds a row to the op table, ``check_op`` tests one.

>>> import math
>>> cube = define_op("cube", lambda x: x**3, lambda x: (3 * x**2,),
...                  formulas=lambda x: (f"3{x}²",),
...                  value_derivatives=lambda x: (3 * x**2,))
>>> y = cube(Value(2.0))
>>> y.data, y.local_grads, y.op
(8.0, (12.0,), 'cube')
>>> check_op("cube").ok
True
>>> undefine_op("cube")             # the table is shared by the whole process

After ``define_op`` the op is a row like any other: its nodes draw, step, list
their paths and, with ``value_derivatives``, take derivatives of derivatives.
"""

from __future__ import annotations

import inspect
import keyword
import math
import numbers
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.engine.errors import DomainError, shortened
from autograd.engine.functional import grad
from autograd.engine.ops import OPS, Op
from autograd.engine.value import Value, apply

__all__ = ["define_op", "undefine_op", "check_op", "OpCheck", "OpCheckRow"]

_BUILT_IN = frozenset(OPS)  # the rows ops.py defines: never removed


def define_op(
    name: str,
    forward: Callable[..., float],
    derivatives: Callable[..., Sequence[float]],
    *,
    formulas: Callable[..., Sequence[str]] | None = None,
    value_derivatives: Callable[..., Sequence[Any]] | None = None,
    domain: Callable[..., str | None] | None = None,
    symbol: str | None = None,
    description: str = "",
    code: str | None = None,
    in_expressions: bool = False,
    arity: int | None = None,
) -> Callable[..., Value]:
    """Add an op to the op table; return it as a function of Values (or numbers).

    Args:
        name: a new identifier ("cube"); the table's names are taken.
        forward: the op on floats, of one or two inputs.
        derivatives: ∂out/∂input for each input, as floats, from the inputs.
        formulas: the same derivatives as text from the operands' names
            (``lambda x: (f"3{x}²",)``); default ``cube'(x)``.
        value_derivatives: the derivatives built from Values (use Value
            arithmetic and ``autograd.exp`` etc.), for derivatives of
            derivatives; without it ``create_graph`` stops with a message.
        domain: a function of the inputs returning None, or why they are
            outside the op's domain and what to do.
        symbol, description, code: as in the table (``code`` defaults to
            ``name({0})``).
        in_expressions: let ``pathgrad`` expressions call it by name.
        arity: 1 or 2; read from ``forward``'s signature when left out (give it
            for a builtin such as ``math.hypot``, which has none).

    Raises TypeError or ValueError, saying what to fix, for a name that is taken
    or not an identifier, a forward of other than one or two inputs, or
    arguments that are not callables.
    """
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"define_op: the name must be an identifier, not {shortened(name)}")
    if unicodedata.normalize("NFKC", name) != name:  # Python reads "µop" in code as "μop"
        raise ValueError(
            f"define_op: the name {name!r} reads as "
            f"{unicodedata.normalize('NFKC', name)!r} in Python code (compiled graphs are "
            "code); use that spelling, or plain letters"
        )
    if name in OPS:
        raise ValueError(f"define_op: {name!r} is already in the op table; choose another name")
    for argument, value in (("forward", forward), ("derivatives", derivatives)):
        if not callable(value):
            raise TypeError(
                f"define_op({name!r}): {argument} must be a function, not {shortened(value)}"
            )
    for argument, value in (
        ("formulas", formulas),
        ("value_derivatives", value_derivatives),
        ("domain", domain),
    ):
        if value is not None and not callable(value):
            raise TypeError(f"define_op({name!r}): {argument} must be a function or None")
    if arity is None:
        arity = _arity(name, forward)
    elif arity not in (1, 2):
        raise ValueError(f"define_op({name!r}): arity must be 1 or 2, not {shortened(arity)}")
    variables = ("x", "y")[:arity]

    def checked_forward(*inputs: float) -> float:
        out = forward(*inputs)
        if out.__class__ is float:
            return out
        if not isinstance(out, numbers.Real):
            raise TypeError(
                f"op {name!r}: forward returned {type(out).__name__} {shortened(out)}; "
                "it must return a real number"
            )
        try:
            return float(out)  # 7, True, a Fraction: a float, as every node holds
        except OverflowError:
            raise OverflowError(f"forward returned {shortened(out, 30)}") from None

    def local_grads(*inputs_and_output: float) -> tuple[float, ...]:
        values = tuple(float(d) for d in derivatives(*inputs_and_output[:arity]))
        if len(values) != arity:
            raise TypeError(
                f"op {name!r}: derivatives gave {len(values)} value(s) for {arity} input(s)"
            )
        return values

    def value_grads(*inputs_and_output: Any) -> tuple[Any, ...]:
        if value_derivatives is None:
            raise TypeError(
                f"op {name!r} has no value_derivatives, so its derivatives cannot be "
                "differentiated again: pass value_derivatives= to define_op"
            )
        return tuple(value_derivatives(*inputs_and_output[:arity]))

    def default_formulas(*operands: str) -> tuple[str, ...]:
        if arity == 1:
            return (f"{name}'({operands[0]})",)
        return tuple(f"∂{name}/∂{operand}" for operand in operands)

    row = Op(
        name=name,
        symbol=symbol or name,
        arity=arity,
        forward=checked_forward,
        local_grads=local_grads,
        formulas=formulas or default_formulas,
        value_grads=value_grads,
        code=code or f"{name}({', '.join(f'{{{index}}}' for index in range(arity))})",
        domain=domain,
        description=description or f"{name}({', '.join(variables)}), defined with define_op",
        in_expressions=in_expressions,
    )
    OPS[name] = row

    def function(*inputs: Any) -> Value:
        return apply(row, *inputs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"{row.description}."
    function.op = row  # type: ignore[attr-defined]
    return function


def undefine_op(name: str) -> None:
    """Remove an op ``define_op`` added (its existing nodes keep working)."""
    if name in _BUILT_IN:
        raise ValueError(f"undefine_op: {name!r} is one of the built-in ops; they stay")
    if name not in OPS:
        raise KeyError(f"undefine_op: no op named {shortened(name)} was defined")
    del OPS[name]


def _arity(name: str, forward: Callable[..., float]) -> int:
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: math.hypot
        raise ValueError(
            f"define_op({name!r}): cannot tell how many inputs forward takes; pass arity=1 "
            "or arity=2"
        ) from None
    positional = [
        parameter
        for parameter in parameters
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
        and parameter.default is parameter.empty
    ]
    if len(positional) not in (1, 2):
        raise ValueError(
            f"define_op({name!r}): forward takes {len(positional)} inputs; an op takes one or "
            "two (write more as a chain of two-input ops)"
        )
    return len(positional)


# ---------------------------------------------------------------- checking
@dataclass(frozen=True)
class OpCheckRow:
    """One derivative of an op at one point: the row's value against central differences."""

    point: tuple[float, ...]
    position: int
    order: int  # 1: local_grads against differences of forward; 2: value_grads' derivative
    analytic: float
    numeric: float

    @property
    def error(self) -> float:
        return abs(self.analytic - self.numeric)


@dataclass(frozen=True)
class OpCheck:
    """The report of ``check_op``: truthy when every derivative matches."""

    name: str
    rows: tuple[OpCheckRow, ...]
    tolerance: float

    def row_ok(self, row: OpCheckRow) -> bool:
        # A difference of a first derivative is rougher: second order gets 100x room.
        tolerance = self.tolerance if row.order == 1 else 100 * self.tolerance
        return row.error <= tolerance * max(1.0, abs(row.numeric))

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(self.row_ok(row) for row in self.rows)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        lines = [f"check_op({self.name!r}) {verdict}: {len(self.rows)} derivatives checked"]
        lines.append(f"{'at':>20} {'input':>6} {'order':>6} {'the op says':>14} {'numeric':>14}")
        for row in self.rows:
            point = ", ".join(f"{x:g}" for x in row.point)
            mark = "" if self.row_ok(row) else "  <- mismatch"
            lines.append(
                f"{point:>20} {row.position:>6} {row.order:>6} {row.analytic:>14.8g} "
                f"{row.numeric:>14.8g}{mark}"
            )
        if not self.rows:
            lines.append("no point of the sample lies in the op's domain: pass points=")
        return "\n".join(lines)

    __repr__ = __str__


_SAMPLE = (-1.7, -0.6, 0.35, 0.9, 1.6, 2.4)


def check_op(
    op: str | Op, points: Sequence[Sequence[float]] | None = None, *, tolerance: float = 1e-5
) -> OpCheck:
    """Check an op's derivatives against central differences, no sympy needed.

    At each point (default: a spread of numbers inside the op's domain), each
    local derivative is compared with (f(x + h) − f(x − h)) / 2h, and, where the
    row has Value-valued derivatives, their derivative (the second derivative)
    with the central difference of the first. A row passes when its error is at
    most ``tolerance`` (100 × ``tolerance`` at second order) times max(1, |numeric|).
    Returns a printable report.
    """
    row = op if isinstance(op, Op) else OPS.get(op) if isinstance(op, str) else None
    if row is None:
        raise TypeError(f"check_op: no op named {shortened(op)} in the op table")
    if points is None:
        if row.arity == 1:
            candidates = [(x,) for x in _SAMPLE]
        else:
            candidates = [(x, y) for x in _SAMPLE[::2] for y in _SAMPLE[1::2]]
        points = [point for point in candidates if _inside(row, point)]
    rows: list[OpCheckRow] = []
    for point in points:
        point = tuple(float(x) for x in point)
        out = row.forward(*point)
        analytic = row.local_grads(*point, out)
        for position in range(row.arity):
            rows.append(
                OpCheckRow(
                    point, position, 1, analytic[position], _difference(row, point, position)
                )
            )
            second = _second_derivative(row, point, position)
            if second is not None:
                rows.append(OpCheckRow(point, position, 2, *second))
    return OpCheck(row.name, tuple(rows), tolerance)


def _inside(row: Op, point: tuple[float, ...]) -> bool:
    if row.domain is not None and row.domain(*point) is not None:
        return False
    try:
        return math.isfinite(row.forward(*point))
    except (ArithmeticError, ValueError):
        return False


def _step(x: float) -> float:
    return 1e-6 * max(1.0, abs(x))


def _difference(row: Op, point: tuple[float, ...], position: int) -> float:
    h = _step(point[position])
    above, below = list(point), list(point)
    above[position] += h
    below[position] -= h
    return (row.forward(*above) - row.forward(*below)) / (2 * h)


def _second_derivative(
    row: Op, point: tuple[float, ...], position: int
) -> tuple[float, float] | None:
    """∂²f/∂xᵢ² from the row's Value derivatives, and from differences of local_grads."""
    inputs = [Value(x) for x in point]
    try:
        node = apply(row, *inputs)
        local = row.value_grads(*inputs, node)[position]
    except (TypeError, DomainError):
        return None  # no value_grads: nothing to check at second order
    analytic = grad(local, inputs[position]) if isinstance(local, Value) else 0.0
    h = _step(point[position]) * 100  # a first derivative is noisier: a wider step
    above, below = list(point), list(point)
    above[position] += h
    below[position] -= h
    numeric = (
        row.local_grads(*above, row.forward(*above))[position]
        - row.local_grads(*below, row.forward(*below))[position]
    ) / (2 * h)
    return analytic, numeric
