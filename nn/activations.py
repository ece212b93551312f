"""The activations a neuron can apply to its sum, by name."""

from __future__ import annotations

from collections.abc import Callable

from autograd import Value

__all__ = ["ACTIVATIONS", "activation_function"]

ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": None,
}
"""Activation name → the Value method applied to a neuron's sum (None: the identity)."""


def activation_function(name: str, where: str) -> Callable[[Value], Value] | None:
    """The Value method for ``name``, or a ValueError listing the names there are."""
    if name not in ACTIVATIONS:
        raise ValueError(
            f"{where}: unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    return ACTIVATIONS[name]
