"""The op table: every operation the engine knows, in one place.

Each entry says, for one elementary operation,

* how to compute it on floats (``forward``),
* its local derivatives with respect to each input, as floats (``local_grads``),
* the same derivatives written for people (``formulas``: ``2·x`` for ``x**2``),
* the same derivatives built from Values (``value_grads``), so a gradient can be
  differentiated again,
* a Python expression template (``code``) for straight-line code,
* and where it is defined (``domain``): the message to show when it is not.

Each row is also a module constant (``MUL``), so code names the row it uses:
``Value.__mul__`` is ``apply(MUL, self, other)``, and ``autograd.exp(x)`` is
``apply(EXP, x)``. The drawings, the step tables and the op tests read the rows.
Adding an op is adding a row here, its one-line method on ``Value`` and its
function in ``functions.py`` (``tests/test_ops.py`` fails until all three exist).

Local derivative functions receive the input floats and the output float, in that
order (``mul``: ``x, y, out``), because many derivatives are cheapest written with
the output: ``d/dx exp(x) = exp(x) = out``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Op",
    "OPS",
    "UNARY",
    "BINARY",
    "ADD",
    "SUB",
    "MUL",
    "DIV",
    "POW",
    "NEG",
    "EXP",
    "LOG",
    "SQRT",
    "SIN",
    "COS",
    "TANH",
    "SIGMOID",
    "RELU",
    "ABS",
]


@dataclass(frozen=True, slots=True)
class Op:
    """One row of the op table (see the module docstring for each field)."""

    name: str
    symbol: str
    arity: int
    forward: Callable[..., float]
    local_grads: Callable[..., tuple[float, ...]]
    formulas: Callable[..., tuple[str, ...]]
    value_grads: Callable[..., tuple[Any, ...]]
    code: str
    domain: Callable[..., str | None] | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.arity not in (1, 2):
            raise ValueError(
                f"op {self.name!r} has arity {self.arity}; a Value keeps one or two parents "
                "(write an n-input op as a chain of two-input ones)"
            )


def _sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^(−x)), written so that neither branch can overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    exp_x = math.exp(x)
    return exp_x / (1.0 + exp_x)


_ONE, _ZERO = (1.0,), (0.0,)  # shared: relu makes many of these


def _sign(x: float) -> float:
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)


def _is_integer(x: float) -> bool:
    return float(x).is_integer()


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- domains
# Each returns None inside the domain, else the reason and what to do.


def _division_domain(x: float, y: float) -> str | None:
    if y == 0.0:
        return "division by zero; the denominator must be non-zero"
    return None


def _power_domain(x: float, y: float) -> str | None:
    if x == 0.0 and y < 0.0:
        return f"0 ** {y!r} divides by zero; a negative power needs a non-zero base"
    if x < 0.0 and not _is_integer(y):
        return (
            f"{x!r} ** {y!r} is not a real number; a negative base needs an integer "
            "exponent (use abs(x) ** y if that is what you mean)"
        )
    return None


def _log_domain(x: float) -> str | None:
    if x <= 0.0:
        return (
            "log needs x > 0 — did a probability reach 0? Clip it, or compute the "
            "loss from logits (nn.bce_with_logits, nn.cross_entropy)"
        )
    return None


def _sqrt_domain(x: float) -> str | None:
    if x < 0.0:
        return "sqrt needs x >= 0; use sqrt(abs(x)) or x**2 if that is what you mean"
    return None


def _exp_domain(x: float) -> str | None:
    if x > 709.78:
        return "exp overflows past x ≈ 709.78; scale the input down or work in logs"
    return None


# ---------------------------------------------------------------- power
def _power_local_grads(x: float, y: float, out: float) -> tuple[float, float]:
    """∂(x^y)/∂x = y·x^(y−1);  ∂(x^y)/∂y = x^y·ln x.

    At x = 0 with 0 < y < 1 the first is +inf (as for sqrt at 0): backward then
    stops with a DomainError if a gradient flows through it. The second is only
    real for x > 0 (and is 0 at x = 0 for y > 0); elsewhere it is nan, which is
    harmless when the exponent is a constant, and which backward reports if the
    exponent is a Value whose gradient is asked for. A first derivative too large
    for a float (``1e-300 ** -1``: −1e600) is ±inf, reported the same way.
    """
    if y == 0.0:
        d_base = 0.0
    elif x == 0.0 and y < 1.0:
        d_base = math.inf
    else:
        try:
            d_base = y * x ** (y - 1.0)
        except OverflowError:  # |x ** (y − 1)| > 1.8e308; its sign is x's for an odd power
            odd = x < 0.0 and (y - 1.0) % 2.0 == 1.0
            d_base = math.copysign(math.inf, -y if odd else y)
    if x > 0.0:
        d_exponent = out * math.log(x)
    elif x == 0.0 and y > 0.0:
        d_exponent = 0.0
    else:
        d_exponent = math.nan
    return d_base, d_exponent


def _power_formulas(x: str, y: str) -> tuple[str, str]:
    if _is_number_text(y):
        exponent = float(y)
        if exponent == 2.0:
            d_base = f"2{x}" if len(x) == 1 else f"2·{x}"
        elif exponent == 1.0:
            d_base = "1"
        else:
            d_base = f"{y}·{x}^{_number_text(exponent - 1.0)}"
    else:
        d_base = f"{y}·{x}^({y}−1)"
    return d_base, f"{x}^{y}·ln {x}"


def _power_value_grads(x: Any, y: Any, out: Any) -> tuple[Any, Any]:
    if y.data == 0.0:
        d_base = 0.0
    elif x.data > 0.0:
        d_base = y * x ** (y - 1.0)
    else:  # x^y is not differentiable in y here, so keep the exponent out of the graph
        d_base = y * x ** (y.data - 1.0)
    d_exponent = out * x.log() if x.data > 0.0 else 0.0
    return d_base, d_exponent


# ---------------------------------------------------------------- the table
# One constant per row, so code names the row it uses: ``apply(MUL, x, y)``.
ADD = Op(
    name="add",
    symbol="+",
    arity=2,
    forward=operator.add,
    local_grads=lambda x, y, out: (1.0, 1.0),
    formulas=lambda x, y: ("1", "1"),
    value_grads=lambda x, y, out: (1.0, 1.0),
    code="({0} + {1})",
    description="x + y",
)

SUB = Op(
    name="sub",
    symbol="−",
    arity=2,
    forward=operator.sub,
    local_grads=lambda x, y, out: (1.0, -1.0),
    formulas=lambda x, y: ("1", "−1"),
    value_grads=lambda x, y, out: (1.0, -1.0),
    code="({0} - {1})",
    description="x − y",
)

MUL = Op(
    name="mul",
    symbol="×",
    arity=2,
    forward=operator.mul,
    local_grads=lambda x, y, out: (y, x),
    formulas=lambda x, y: (y, x),
    value_grads=lambda x, y, out: (y, x),
    code="({0} * {1})",
    description="x · y",
)

DIV = Op(
    name="div",
    symbol="÷",
    arity=2,
    forward=operator.truediv,
    local_grads=lambda x, y, out: (1.0 / y, -out / y),
    formulas=lambda x, y: (f"1/{y}", f"−{x}/{y}²"),
    value_grads=lambda x, y, out: (1.0 / y, -out / y),
    code="({0} / {1})",
    domain=_division_domain,
    description="x / y",
)

POW = Op(
    name="pow",
    symbol="^",
    arity=2,
    forward=operator.pow,
    local_grads=_power_local_grads,
    formulas=_power_formulas,
    value_grads=_power_value_grads,
    code="({0} ** {1})",
    domain=_power_domain,
    description="x ** y",
)

NEG = Op(
    name="neg",
    symbol="−",
    arity=1,
    forward=operator.neg,
    local_grads=lambda x, out: (-1.0,),
    formulas=lambda x: ("−1",),
    value_grads=lambda x, out: (-1.0,),
    code="(-{0})",
    description="−x",
)

EXP = Op(
    name="exp",
    symbol="exp",
    arity=1,
    forward=math.exp,
    local_grads=lambda x, out: (out,),
    formulas=lambda x: (f"exp({x})",),
    value_grads=lambda x, out: (out,),
    code="math.exp({0})",
    domain=_exp_domain,
    description="eˣ; d/dx eˣ = eˣ",
)

LOG = Op(
    name="log",
    symbol="log",
    arity=1,
    forward=math.log,
    local_grads=lambda x, out: (1.0 / x,),
    formulas=lambda x: (f"1/{x}",),
    value_grads=lambda x, out: (1.0 / x,),
    code="math.log({0})",
    domain=_log_domain,
    description="natural logarithm ln x; d/dx ln x = 1/x",
)

SQRT = Op(
    name="sqrt",
    symbol="√",
    arity=1,
    forward=math.sqrt,
    local_grads=lambda x, out: (0.5 / out if out > 0.0 else math.inf,),
    formulas=lambda x: (f"1/(2√{x})",),
    value_grads=lambda x, out: (0.5 / out,),
    code="math.sqrt({0})",
    domain=_sqrt_domain,
    description="√x; d/dx √x = 1/(2√x), infinite at 0",
)

SIN = Op(
    name="sin",
    symbol="sin",
    arity=1,
    forward=math.sin,
    local_grads=lambda x, out: (math.cos(x),),
    formulas=lambda x: (f"cos({x})",),
    value_grads=lambda x, out: (x.cos(),),
    code="math.sin({0})",
    description="sin x; d/dx sin x = cos x",
)

COS = Op(
    name="cos",
    symbol="cos",
    arity=1,
    forward=math.cos,
    local_grads=lambda x, out: (-math.sin(x),),
    formulas=lambda x: (f"−sin({x})",),
    value_grads=lambda x, out: (-x.sin(),),
    code="math.cos({0})",
    description="cos x; d/dx cos x = −sin x",
)

TANH = Op(
    name="tanh",
    symbol="tanh",
    arity=1,
    forward=math.tanh,
    local_grads=lambda x, out: (1.0 - out * out,),
    formulas=lambda x: (f"1 − tanh²({x})",),
    value_grads=lambda x, out: (1.0 - out * out,),
    code="math.tanh({0})",
    description="tanh x; d/dx tanh x = 1 − tanh² x",
)

SIGMOID = Op(
    name="sigmoid",
    symbol="σ",
    arity=1,
    forward=_sigmoid,
    local_grads=lambda x, out: (out * (1.0 - out),),
    formulas=lambda x: (f"σ({x})(1 − σ({x}))",),
    value_grads=lambda x, out: (out * (1.0 - out),),
    code="sigmoid({0})",
    description="σ(x) = 1/(1 + e^(−x)); σ'(x) = σ(x)(1 − σ(x))",
)

RELU = Op(
    name="relu",
    symbol="ReLU",
    arity=1,
    forward=lambda x: x if x > 0.0 else 0.0,
    local_grads=lambda x, out: _ONE if x > 0.0 else _ZERO,
    formulas=lambda x: (f"[{x} > 0]",),
    value_grads=lambda x, out: (1.0 if x.data > 0.0 else 0.0,),
    code="max({0}, 0.0)",
    description="max(0, x); derivative [x > 0], taken as 0 at x = 0",
)

ABS = Op(
    name="abs",
    symbol="|·|",
    arity=1,
    forward=abs,
    local_grads=lambda x, out: (_sign(x),),
    formulas=lambda x: (f"sign({x})",),
    value_grads=lambda x, out: (_sign(x.data),),
    code="abs({0})",
    description="|x|; derivative sign(x), taken as 0 at x = 0",
)

OPS: dict[str, Op] = {
    op.name: op
    for op in (ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, RELU, ABS)
}
"""Every op by name, in table order."""

UNARY: tuple[str, ...] = tuple(op.name for op in OPS.values() if op.arity == 1)
BINARY: tuple[str, ...] = tuple(op.name for op in OPS.values() if op.arity == 2)
