"""The one-input ops as functions that also take plain numbers: ``autograd.exp(0.5)``.

Each is one line naming its op-table row; a number becomes a constant node.
"""

from __future__ import annotations

from autograd.engine.ops import ABS, COS, EXP, LOG, NEG, RELU, SIGMOID, SIN, SQRT, TANH
from autograd.engine.value import Operand, Value, apply

__all__ = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg"]


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
