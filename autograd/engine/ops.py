"""The op table: every operation the engine knows, in one place.

Each entry says, for one elementary operation,

* how to compute it on floats (``forward``),
* its local derivatives with respect to each input, as floats (``local_grads``),
* the same derivatives written for people (``formulas``: ``2·x`` for ``x**2``),
* the same derivatives built from Values (``value_grads``), so a gradient can be
  differentiated again,
* Python expression templates for straight-line code: the value (``code``) and
  each local derivative (``grad_code``, with ``{out}`` for the output),
* and where it is defined (``domain``): the message to show when it is not;
* whether the command line's expressions may call it by name (``in_expressions``).

Each row is also a module constant (``MUL``), so code names the row it uses:
``Value.__mul__`` is ``apply(MUL, self, other)``, and ``autograd.exp(x)`` is
``apply(EXP, x)``. The drawings, the step tables and the op tests read the rows.
Adding an op is adding a row here, its one-line method on ``Value`` and its
function in ``functions.py`` (``tests/test_ops.py`` fails until all three exist).

Local derivative functions receive the input floats and the output float, in that
order (``mul``: ``x, y, out``), because many derivatives are cheapest written with
the output: ``d/dx exp(x) = exp(x) = out``.

Code templates use ``math``, Python's builtins (``max``, ``min``, ``abs``) and the
helpers in ``CODE_HELPERS`` (``sigmoid``, ``softplus``, ``sign``: the rows' own
forward functions), so straight-line code runs in ``{"math": math, **CODE_HELPERS}``.

Where a derivative does not exist, the rows follow fixed conventions: at a kink the
derivative is a plain number (``relu'(0) = 0``, ``|x|'(0) = 0``, ``sign'(x) = 0``,
``max``/``min`` at a tie give ½ to each input), and its Value form is the same plain
number, so a second derivative there is 0. Where it is infinite (``sqrt`` at 0,
``asin``/``acos`` at ±1, ``acosh`` at 1) or undefined (``atan2`` at the origin), the
local derivative is ``inf`` or ``nan`` and backward stops with a DomainError naming
the node, but only if a gradient flows through that edge.

There is no ``%`` row: ``x % y`` is ``x − k·y`` with ``k = ⌊x/y⌋`` jumping wherever
``x/y`` crosses an integer, so its derivatives (1 and −k) hold between jumps only and
every table-driven check would be about the jumps. Write the wrap with the count
taken off the graph, which has the same derivatives: ``x - y * math.floor(x.data / y.data)``.
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
    "TAN",
    "SINH",
    "COSH",
    "ASIN",
    "ACOS",
    "ATAN",
    "ASINH",
    "ACOSH",
    "ATANH",
    "LOG2",
    "LOG10",
    "LOG1P",
    "EXPM1",
    "EXP2",
    "SOFTPLUS",
    "SIGN",
    "ERF",
    "MAX",
    "MIN",
    "ATAN2",
    "CODE_HELPERS",
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
    in_expressions: bool = True  # callable by name in ``pathgrad`` expressions
    grad_code: tuple[str, ...] = ()  # ∂out/∂input templates: {0}, {1} inputs, {out}

    def __repr__(self) -> str:
        # The dataclass's own repr lists every field, lambdas and all: 400 characters.
        inputs = "1 input" if self.arity == 1 else f"{self.arity} inputs"
        return f"<op {self.name}: {self.description}; {inputs}>"

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


def _softplus(x: float) -> float:
    """softplus(x) = ln(1 + eˣ), written as ln(1 + e^(−|x|)) + max(x, 0): never overflows."""
    return math.log1p(math.exp(-abs(x))) + (x if x > 0.0 else 0.0)


def _sign(x: float) -> float:
    """sign(x): 1.0, −1.0, or 0.0 at 0 (and at −0.0)."""
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)


def _exp2(x: float) -> float:
    return 2.0**x  # math.exp2 is Python 3.11+


CODE_HELPERS: dict[str, Callable[[float], float]] = {
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "sign": _sign,
}
"""The functions code templates name that are neither in ``math`` nor builtins."""

_ONE, _ZERO = (1.0,), (0.0,)  # shared: relu makes many of these
_HALVES = (0.5, 0.5)  # max and min at a tie
_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)


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
            f"({x!r}) ** {y!r} is not a real number; a negative base needs an integer "
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


def _overflow_domain(
    name: str, function: Callable[[float], float], past: str
) -> Callable[[float], str | None]:
    """Refuse x where ``function`` (exp, expm1 or cosh) overflows the floats: exactly
    there, by asking it, and only past |x| = 700, so ordinary inputs cost one test."""

    def domain(x: float) -> str | None:
        if abs(x) > 700.0:
            try:
                function(x)
            except OverflowError:
                return f"{name} overflows past {past}; scale the input down or work in logs"
        return None

    return domain


_exp_domain = _overflow_domain("exp", math.exp, "x ≈ 709.78")


def _exp2_domain(x: float) -> str | None:
    if x >= 1024.0:
        return "exp2 overflows at x ≥ 1024 (2^1024 > 1.8e308); scale the input down or work in logs"
    return None


def _arc_domain(name: str) -> Callable[[float], str | None]:
    """asin and acos: −1 ≤ x ≤ 1."""

    def domain(x: float) -> str | None:
        if not -1.0 <= x <= 1.0:
            return (
                f"{name} needs −1 ≤ x ≤ 1 (the values a sine or cosine takes); clip the "
                "input into [−1, 1], or squash it with tanh, if rounding can push it out"
            )
        return None

    return domain


def _acosh_domain(x: float) -> str | None:
    if x < 1.0:
        return "acosh needs x ≥ 1 (the values cosh takes); clip the input at 1"
    return None


def _atanh_domain(x: float) -> str | None:
    if not -1.0 < x < 1.0:
        return (
            "atanh needs −1 < x < 1 (it is infinite at ±1); clip the input into the open "
            "interval, or squash it with tanh"
        )
    return None


def _positive_log_domain(name: str) -> Callable[[float], str | None]:
    """log2 and log10: x > 0, as for log."""

    def domain(x: float) -> str | None:
        if x <= 0.0:
            return (
                f"{name} needs x > 0 — did a value reach 0? Clip it, or take {name} of "
                "abs(x) if that is what you mean"
            )
        return None

    return domain


def _log1p_domain(x: float) -> str | None:
    if x <= -1.0:
        return "log1p needs x > −1 (it is ln(1 + x)); clip the input above −1"
    return None


# ---------------------------------------------------------------- one-input derivatives
# Written so that no input in the domain raises: an infinite derivative is inf
# (backward reports it if a gradient flows through), never a ZeroDivisionError.
def _asin_local_grads(x: float, out: float) -> tuple[float]:
    """d/dx asin x = 1/√(1 − x²), with 1 − x² as (1 − x)(1 + x); +inf at ±1."""
    root = math.sqrt(1.0 - x) * math.sqrt(1.0 + x)
    return (1.0 / root if root > 0.0 else math.inf,)


def _acos_local_grads(x: float, out: float) -> tuple[float]:
    """d/dx acos x = −1/√(1 − x²); −inf at ±1."""
    root = math.sqrt(1.0 - x) * math.sqrt(1.0 + x)
    return (-1.0 / root if root > 0.0 else -math.inf,)


def _acosh_local_grads(x: float, out: float) -> tuple[float]:
    """d/dx acosh x = 1/√(x² − 1), with x² − 1 as (x − 1)(x + 1); +inf at 1."""
    root = math.sqrt(x - 1.0) * math.sqrt(x + 1.0)
    return (1.0 / root if root > 0.0 else math.inf,)


# ---------------------------------------------------------------- two-input derivatives
def _max_local_grads(x: float, y: float, out: float) -> tuple[float, float]:
    """1 to the larger input, 0 to the other; ½ each at a tie."""
    if x > y:
        return 1.0, 0.0
    if y > x:
        return 0.0, 1.0
    return _HALVES


def _min_local_grads(x: float, y: float, out: float) -> tuple[float, float]:
    """1 to the smaller input, 0 to the other; ½ each at a tie."""
    if x < y:
        return 1.0, 0.0
    if y < x:
        return 0.0, 1.0
    return _HALVES


def _atan2_local_grads(y: float, x: float, out: float) -> tuple[float, float]:
    """∂atan2(y, x)/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²); nan at the origin.

    x² + y² is r² with r = hypot(x, y), so tiny or huge inputs neither underflow to
    a division by zero nor overflow. At the origin the angle has no derivative
    (its limit depends on the direction of approach): both are nan.
    """
    r = math.hypot(x, y)
    if r == 0.0:
        return math.nan, math.nan
    return (x / r) / r, (-y / r) / r


def _atan2_value_grads(y: Any, x: Any, out: Any) -> tuple[Any, Any]:
    if y.data == 0.0 and x.data == 0.0:
        return math.nan, math.nan  # no derivative at the origin, as the floats say
    squared = x * x + y * y
    return x / squared, -y / squared


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
    elif y.role == "constant":  # x ** 2: 2·x, with no node for the constant 2 − 1
        exponent = y.data
        if exponent == 1.0:
            d_base = 1.0
        elif exponent == 2.0:
            d_base = 2.0 * x
        else:
            d_base = exponent * x ** (exponent - 1.0)
    elif x.data > 0.0:
        d_base = y * x ** (y - 1.0)
    else:  # x^y is not differentiable in y here, so keep the exponent out of the graph
        d_base = y * x ** (y.data - 1.0)
    if x.data > 0.0:
        d_exponent = out * x.log()
    else:  # as _power_local_grads: 0 at x = 0 for y > 0, else not real (nan)
        d_exponent = 0.0 if x.data == 0.0 and y.data > 0.0 else math.nan
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
    grad_code=("1.0", "1.0"),
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
    grad_code=("1.0", "-1.0"),
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
    grad_code=("{1}", "{0}"),
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
    grad_code=("1.0 / {1}", "-{out} / {1}"),
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
    grad_code=("{1} * {0} ** ({1} - 1.0)", "{out} * math.log({0})"),
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
    grad_code=("-1.0",),
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
    grad_code=("{out}",),
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
    grad_code=("1.0 / {0}",),
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
    grad_code=("0.5 / {out}",),
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
    grad_code=("math.cos({0})",),
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
    grad_code=("-math.sin({0})",),
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
    grad_code=("1.0 - {out} * {out}",),
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
    grad_code=("{out} * (1.0 - {out})",),
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
    code="max(0.0, {0})",  # 0.0 first: max keeps its first argument at a tie, so relu(−0.0) = 0.0
    grad_code=("step({0})",),
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
    grad_code=("sign({0})",),
    description="|x|; derivative sign(x), taken as 0 at x = 0",
)

TAN = Op(
    name="tan",
    symbol="tan",
    arity=1,
    forward=math.tan,
    local_grads=lambda x, out: (1.0 + out * out,),
    formulas=lambda x: (f"1 + tan²({x})",),
    value_grads=lambda x, out: (1.0 + out * out,),
    code="math.tan({0})",
    grad_code=("1.0 + {out} * {out}",),
    description="tan x; d/dx tan x = 1 + tan² x (poles at π/2 + kπ)",
)

SINH = Op(
    name="sinh",
    symbol="sinh",
    arity=1,
    forward=math.sinh,
    local_grads=lambda x, out: (math.cosh(x),),
    formulas=lambda x: (f"cosh({x})",),
    value_grads=lambda x, out: (x.cosh(),),
    code="math.sinh({0})",
    grad_code=("math.cosh({0})",),
    domain=_overflow_domain("sinh", math.cosh, "|x| ≈ 710.48"),  # cosh ≥ |sinh|: both fit
    description="sinh x; d/dx sinh x = cosh x",
)

COSH = Op(
    name="cosh",
    symbol="cosh",
    arity=1,
    forward=math.cosh,
    local_grads=lambda x, out: (math.sinh(x),),
    formulas=lambda x: (f"sinh({x})",),
    value_grads=lambda x, out: (x.sinh(),),
    code="math.cosh({0})",
    grad_code=("math.sinh({0})",),
    domain=_overflow_domain("cosh", math.cosh, "|x| ≈ 710.48"),
    description="cosh x; d/dx cosh x = sinh x",
)

ASIN = Op(
    name="asin",
    symbol="asin",
    arity=1,
    forward=math.asin,
    local_grads=_asin_local_grads,
    formulas=lambda x: (f"1/√(1 − {x}²)",),
    value_grads=lambda x, out: (1.0 / ((1.0 - x).sqrt() * (1.0 + x).sqrt()),),
    code="math.asin({0})",
    grad_code=("1.0 / (math.sqrt(1.0 - {0}) * math.sqrt(1.0 + {0}))",),
    domain=_arc_domain("asin"),
    description="arcsine, −1 ≤ x ≤ 1; d/dx asin x = 1/√(1 − x²), infinite at ±1",
)

ACOS = Op(
    name="acos",
    symbol="acos",
    arity=1,
    forward=math.acos,
    local_grads=_acos_local_grads,
    formulas=lambda x: (f"−1/√(1 − {x}²)",),
    value_grads=lambda x, out: (-1.0 / ((1.0 - x).sqrt() * (1.0 + x).sqrt()),),
    code="math.acos({0})",
    grad_code=("-1.0 / (math.sqrt(1.0 - {0}) * math.sqrt(1.0 + {0}))",),
    domain=_arc_domain("acos"),
    description="arccosine, −1 ≤ x ≤ 1; d/dx acos x = −1/√(1 − x²), infinite at ±1",
)

ATAN = Op(
    name="atan",
    symbol="atan",
    arity=1,
    forward=math.atan,
    local_grads=lambda x, out: (1.0 / (1.0 + x * x),),
    formulas=lambda x: (f"1/(1 + {x}²)",),
    value_grads=lambda x, out: (1.0 / (1.0 + x * x),),
    code="math.atan({0})",
    grad_code=("1.0 / (1.0 + {0} * {0})",),
    description="arctangent; d/dx atan x = 1/(1 + x²)",
)

ASINH = Op(
    name="asinh",
    symbol="asinh",
    arity=1,
    forward=math.asinh,
    local_grads=lambda x, out: (1.0 / math.hypot(1.0, x),),
    formulas=lambda x: (f"1/√({x}² + 1)",),
    value_grads=lambda x, out: (1.0 / (x * x + 1.0).sqrt(),),
    code="math.asinh({0})",
    grad_code=("1.0 / math.hypot(1.0, {0})",),
    description="inverse sinh; d/dx asinh x = 1/√(x² + 1)",
)

ACOSH = Op(
    name="acosh",
    symbol="acosh",
    arity=1,
    forward=math.acosh,
    local_grads=_acosh_local_grads,
    formulas=lambda x: (f"1/√({x}² − 1)",),
    value_grads=lambda x, out: (1.0 / ((x - 1.0).sqrt() * (x + 1.0).sqrt()),),
    code="math.acosh({0})",
    grad_code=("1.0 / (math.sqrt({0} - 1.0) * math.sqrt({0} + 1.0))",),
    domain=_acosh_domain,
    description="inverse cosh, x ≥ 1; d/dx acosh x = 1/√(x² − 1), infinite at 1",
)

ATANH = Op(
    name="atanh",
    symbol="atanh",
    arity=1,
    forward=math.atanh,
    local_grads=lambda x, out: (1.0 / ((1.0 - x) * (1.0 + x)),),
    formulas=lambda x: (f"1/(1 − {x}²)",),
    value_grads=lambda x, out: (1.0 / ((1.0 - x) * (1.0 + x)),),
    code="math.atanh({0})",
    grad_code=("1.0 / ((1.0 - {0}) * (1.0 + {0}))",),
    domain=_atanh_domain,
    description="inverse tanh, −1 < x < 1; d/dx atanh x = 1/(1 − x²)",
)

LOG2 = Op(
    name="log2",
    symbol="log₂",
    arity=1,
    forward=math.log2,
    local_grads=lambda x, out: (1.0 / x / _LN2,),
    formulas=lambda x: (f"1/({x}·ln 2)",),
    value_grads=lambda x, out: (1.0 / x / _LN2,),
    code="math.log2({0})",
    grad_code=("1.0 / {0} / 0.6931471805599453",),
    domain=_positive_log_domain("log2"),
    description="base-2 logarithm, x > 0; d/dx log₂ x = 1/(x ln 2)",
)

LOG10 = Op(
    name="log10",
    symbol="log₁₀",
    arity=1,
    forward=math.log10,
    local_grads=lambda x, out: (1.0 / x / _LN10,),
    formulas=lambda x: (f"1/({x}·ln 10)",),
    value_grads=lambda x, out: (1.0 / x / _LN10,),
    code="math.log10({0})",
    grad_code=("1.0 / {0} / 2.302585092994046",),
    domain=_positive_log_domain("log10"),
    description="base-10 logarithm, x > 0; d/dx log₁₀ x = 1/(x ln 10)",
)

LOG1P = Op(
    name="log1p",
    symbol="log1p",
    arity=1,
    forward=math.log1p,
    local_grads=lambda x, out: (1.0 / (1.0 + x),),
    formulas=lambda x: (f"1/(1 + {x})",),
    value_grads=lambda x, out: (1.0 / (1.0 + x),),
    code="math.log1p({0})",
    grad_code=("1.0 / (1.0 + {0})",),
    domain=_log1p_domain,
    description="ln(1 + x), exact for tiny x, x > −1; d/dx = 1/(1 + x)",
)

EXPM1 = Op(
    name="expm1",
    symbol="expm1",
    arity=1,
    forward=math.expm1,
    local_grads=lambda x, out: (math.exp(x),),
    formulas=lambda x: (f"exp({x})",),
    value_grads=lambda x, out: (x.exp(),),
    code="math.expm1({0})",
    grad_code=("math.exp({0})",),
    domain=_overflow_domain("expm1", math.expm1, "x ≈ 709.78"),
    description="eˣ − 1, exact for tiny x; d/dx = eˣ",
)

EXP2 = Op(
    name="exp2",
    symbol="2^",
    arity=1,
    forward=_exp2,
    local_grads=lambda x, out: (out * _LN2,),
    formulas=lambda x: (f"2^{x}·ln 2",),
    value_grads=lambda x, out: (out * _LN2,),
    code="(2.0 ** {0})",
    grad_code=("{out} * 0.6931471805599453",),
    domain=_exp2_domain,
    description="2ˣ; d/dx 2ˣ = 2ˣ ln 2",
)

SOFTPLUS = Op(
    name="softplus",
    symbol="softplus",
    arity=1,
    forward=_softplus,
    local_grads=lambda x, out: (_sigmoid(x),),
    formulas=lambda x: (f"σ({x})",),
    value_grads=lambda x, out: (x.sigmoid(),),
    code="softplus({0})",
    grad_code=("sigmoid({0})",),
    description="ln(1 + eˣ), computed so it never overflows; d/dx = σ(x)",
)

SIGN = Op(
    name="sign",
    symbol="sgn",
    arity=1,
    forward=_sign,
    local_grads=lambda x, out: _ZERO,
    formulas=lambda x: ("0",),
    value_grads=lambda x, out: (0.0,),
    code="sign({0})",
    grad_code=("0.0",),
    description="sign(x): −1, 0 or 1; derivative 0 (also taken as 0 at the jump at 0)",
)

ERF = Op(
    name="erf",
    symbol="erf",
    arity=1,
    forward=math.erf,
    local_grads=lambda x, out: (_TWO_OVER_ROOT_PI * math.exp(-x * x),),
    formulas=lambda x: (f"(2/√π)·exp(−{x}²)",),
    value_grads=lambda x, out: (_TWO_OVER_ROOT_PI * (-(x * x)).exp(),),
    code="math.erf({0})",
    grad_code=("1.1283791670955126 * math.exp(-{0} * {0})",),
    description="the error function; d/dx erf x = (2/√π)·e^(−x²)",
)

MAX = Op(
    name="max",
    symbol="max",
    arity=2,
    forward=max,
    local_grads=_max_local_grads,
    formulas=lambda x, y: (f"[{x} > {y}] + ½[{x} = {y}]", f"[{y} > {x}] + ½[{x} = {y}]"),
    value_grads=lambda x, y, out: _max_local_grads(x.data, y.data, out.data),
    code="max({0}, {1})",
    grad_code=("above({0}, {1})", "above({1}, {0})"),
    description="max(x, y); derivative 1 to the larger input, 0 to the other, ½ each at a tie",
)

MIN = Op(
    name="min",
    symbol="min",
    arity=2,
    forward=min,
    local_grads=_min_local_grads,
    formulas=lambda x, y: (f"[{x} < {y}] + ½[{x} = {y}]", f"[{y} < {x}] + ½[{x} = {y}]"),
    value_grads=lambda x, y, out: _min_local_grads(x.data, y.data, out.data),
    code="min({0}, {1})",
    grad_code=("above({1}, {0})", "above({0}, {1})"),
    description="min(x, y); derivative 1 to the smaller input, 0 to the other, ½ each at a tie",
)

ATAN2 = Op(
    name="atan2",
    symbol="atan2",
    arity=2,
    forward=math.atan2,
    local_grads=_atan2_local_grads,
    formulas=lambda y, x: (f"{x}/({x}² + {y}²)", f"−{y}/({x}² + {y}²)"),
    value_grads=_atan2_value_grads,
    code="math.atan2({0}, {1})",
    grad_code=(
        "({1} / math.hypot({1}, {0})) / math.hypot({1}, {0})",
        "(-{0} / math.hypot({1}, {0})) / math.hypot({1}, {0})",
    ),
    description=(
        "atan2(y, x), the angle of the point (x, y) in (−π, π]; ∂/∂y = x/(x² + y²), "
        "∂/∂x = −y/(x² + y²), undefined (nan) at the origin"
    ),
)

OPS: dict[str, Op] = {
    op.name: op
    for op in (
        *(ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, RELU, ABS),
        *(TAN, SINH, COSH, ASIN, ACOS, ATAN, ASINH, ACOSH, ATANH),
        *(LOG2, LOG10, LOG1P, EXPM1, EXP2, SOFTPLUS, SIGN, ERF),
        *(MAX, MIN, ATAN2),
    )
}
"""Every op by name, in table order (``define_op`` adds more)."""

BUILT_IN_OPS: frozenset[str] = frozenset(OPS)
"""The names of the rows defined here, whose templates are the library's own text."""

UNARY: tuple[str, ...] = tuple(op.name for op in OPS.values() if op.arity == 1)
BINARY: tuple[str, ...] = tuple(op.name for op in OPS.values() if op.arity == 2)
