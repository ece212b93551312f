"""The ops as functions that also take plain numbers: ``autograd.exp(0.5)``.

Each is one line naming its op-table row; a number becomes a constant node. The
two-input ``max`` and ``min`` rows are ``maximum`` and ``minimum`` here, so that
``from autograd import *`` does not hide the builtins.
"""

from __future__ import annotations

from autograd.engine.ops import (
    ABS,
    ACOS,
    ACOSH,
    ASIN,
    ASINH,
    ATAN,
    ATAN2,
    ATANH,
    COS,
    COSH,
    ERF,
    EXP,
    EXP2,
    EXPM1,
    LOG,
    LOG1P,
    LOG2,
    LOG10,
    MAX,
    MIN,
    NEG,
    RELU,
    SIGMOID,
    SIGN,
    SIN,
    SINH,
    SOFTPLUS,
    SQRT,
    TAN,
    TANH,
)
from autograd.engine.value import Operand, Value, apply

__all__ = [
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "abs",
    "neg",
    "tan",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "atan",
    "asinh",
    "acosh",
    "atanh",
    "log2",
    "log10",
    "log1p",
    "expm1",
    "exp2",
    "softplus",
    "sign",
    "erf",
    "maximum",
    "minimum",
    "atan2",
]


def exp(x: Operand) -> Value:
    """eˣ; d/dx eˣ = eˣ."""
    return apply(EXP, x)


def log(x: Operand) -> Value:
    """The natural logarithm ln x (x > 0); d/dx ln x = 1/x."""
    return apply(LOG, x)


def sqrt(x: Operand) -> Value:
    """√x (x ≥ 0); d/dx √x = 1/(2√x), infinite at 0."""
    return apply(SQRT, x)


def sin(x: Operand) -> Value:
    """sin x; d/dx sin x = cos x."""
    return apply(SIN, x)


def cos(x: Operand) -> Value:
    """cos x; d/dx cos x = −sin x."""
    return apply(COS, x)


def tanh(x: Operand) -> Value:
    """tanh x; d/dx tanh x = 1 − tanh² x."""
    return apply(TANH, x)


def sigmoid(x: Operand) -> Value:
    """σ(x) = 1/(1 + e^(−x)); σ'(x) = σ(x)(1 − σ(x))."""
    return apply(SIGMOID, x)


def relu(x: Operand) -> Value:
    """max(0, x); derivative [x > 0], taken as 0 at x = 0."""
    return apply(RELU, x)


def abs(x: Operand) -> Value:  # noqa: A001 - autograd.abs(v), like the builtin
    """|x|; derivative sign(x), taken as 0 at x = 0."""
    return apply(ABS, x)


def neg(x: Operand) -> Value:
    """−x; derivative −1."""
    return apply(NEG, x)


def tan(x: Operand) -> Value:
    """tan x; d/dx tan x = 1 + tan² x."""
    return apply(TAN, x)


def sinh(x: Operand) -> Value:
    """sinh x (|x| up to about 710.4759, beyond which it overflows); d/dx sinh x = cosh x."""
    return apply(SINH, x)


def cosh(x: Operand) -> Value:
    """cosh x (|x| up to about 710.4759, beyond which it overflows); d/dx cosh x = sinh x."""
    return apply(COSH, x)


def asin(x: Operand) -> Value:
    """The arcsine (−1 ≤ x ≤ 1); d/dx asin x = 1/√(1 − x²), infinite at ±1."""
    return apply(ASIN, x)


def acos(x: Operand) -> Value:
    """The arccosine (−1 ≤ x ≤ 1); d/dx acos x = −1/√(1 − x²), infinite at ±1."""
    return apply(ACOS, x)


def atan(x: Operand) -> Value:
    """The arctangent; d/dx atan x = 1/(1 + x²)."""
    return apply(ATAN, x)


def asinh(x: Operand) -> Value:
    """The inverse of sinh; d/dx asinh x = 1/√(x² + 1)."""
    return apply(ASINH, x)


def acosh(x: Operand) -> Value:
    """The inverse of cosh (x ≥ 1); d/dx acosh x = 1/√(x² − 1), infinite at 1."""
    return apply(ACOSH, x)


def atanh(x: Operand) -> Value:
    """The inverse of tanh (−1 < x < 1); d/dx atanh x = 1/(1 − x²)."""
    return apply(ATANH, x)


def log2(x: Operand) -> Value:
    """The base-2 logarithm (x > 0); d/dx log₂ x = 1/(x ln 2)."""
    return apply(LOG2, x)


def log10(x: Operand) -> Value:
    """The base-10 logarithm (x > 0); d/dx log₁₀ x = 1/(x ln 10)."""
    return apply(LOG10, x)


def log1p(x: Operand) -> Value:
    """ln(1 + x), exact for tiny x (x > −1); d/dx = 1/(1 + x)."""
    return apply(LOG1P, x)


def expm1(x: Operand) -> Value:
    """eˣ − 1, exact for tiny x; d/dx = eˣ."""
    return apply(EXPM1, x)


def exp2(x: Operand) -> Value:
    """2ˣ (x < 1024, beyond which it overflows); d/dx 2ˣ = 2ˣ ln 2."""
    return apply(EXP2, x)


def softplus(x: Operand) -> Value:
    """ln(1 + eˣ), computed so that it never overflows; d/dx = σ(x)."""
    return apply(SOFTPLUS, x)


def sign(x: Operand) -> Value:
    """−1, 0 or 1; derivative 0 (also at the jump at 0, by convention)."""
    return apply(SIGN, x)


def erf(x: Operand) -> Value:
    """The error function; d/dx erf x = (2/√π)·e^(−x²)."""
    return apply(ERF, x)


def maximum(x: Operand, y: Operand) -> Value:
    """The larger of x and y (the op-table row ``max``), with a gradient.

    The derivative is 1 to the larger input and 0 to the other; at a tie (x = y)
    each gets ½, the average of the two one-sided choices, so ``maximum(x, y)`` and
    ``maximum(y, x)`` have the same gradients. (So ``maximum(x, 0)`` at 0 gives ½,
    where ``relu`` gives 0.) Python's ``max(x, y)`` on Values also works, but it
    returns one of its inputs: its gradient goes all to the input it picked.

    >>> maximum(Value(2.0), 3).data, maximum(Value(2.0), 2.0).local_grads
    (3.0, (0.5, 0.5))
    """
    return apply(MAX, x, y)


def minimum(x: Operand, y: Operand) -> Value:
    """The smaller of x and y (the op-table row ``min``), with a gradient.

    1 to the smaller input and 0 to the other; ½ each at a tie, as for ``maximum``.
    """
    return apply(MIN, x, y)


def atan2(y: Operand, x: Operand) -> Value:
    """The angle of the point (x, y), in (−π, π] (note the order: y first, as in math).

    ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²). At the origin the angle is 0 (as
    ``math.atan2`` says) but has no derivative: its local derivatives are nan, and
    backward stops with a DomainError if a gradient flows through them.
    """
    return apply(ATAN2, y, x)
