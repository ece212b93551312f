"""Errors raised by the engine."""

from __future__ import annotations


class DomainError(ValueError):
    """An operation or a gradient left the finite real numbers.

    Raised for ``log(0)``, ``1 / 0``, ``sqrt(-1)``, ``exp(1000)``, nan or inf data,
    and a backward pass whose gradient becomes infinite. The message names the op,
    the node and the offending value, and says what to do.
    """
