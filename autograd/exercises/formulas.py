"""Formulas of a graph's nodes, written as on a problem sheet: ``x² + x·y``, ``c = a + b``."""

from __future__ import annotations

from collections.abc import Mapping

from autograd import Value
from autograd.exercises.exercise import Pass
from autograd.exercises.numbers import fraction_text

__all__ = ["formula_text", "definitions"]

_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def formula_text(node: Value, names: Mapping[Value, str], expand: bool = True) -> str:
    """``node`` as a formula over the leaves (``x² + x·y``); named inner nodes stay
    names unless ``expand``."""

    def write(current: Value, top: bool) -> tuple[str, int]:
        if not current.parents or (not top and not expand):
            return names[current], 9
        op = current.op
        parts = [write(parent, False) for parent in current.parents]
        if op in ("add", "sub", "mul"):
            symbol = {"add": " + ", "sub": " − ", "mul": "·"}[op]
            level = _PRECEDENCE[op]
            left = parts[0][0] if parts[0][1] >= level else f"({parts[0][0]})"
            right_level = level + (1 if op == "sub" else 0)
            right = parts[1][0] if parts[1][1] >= right_level else f"({parts[1][0]})"
            return left + symbol + right, level
        if op == "pow" and current.parents[1].role == "constant":
            base = parts[0][0] if parts[0][1] >= 9 else f"({parts[0][0]})"
            exponent = current.parents[1].data
            mark = {2.0: "²", 3.0: "³"}.get(exponent)
            return (base + mark if mark else f"{base}^{fraction_text(exponent)}"), 4
        if op == "neg":
            return "−" + (parts[0][0] if parts[0][1] >= 3 else f"({parts[0][0]})"), 3
        symbol = {"sigmoid": "σ"}.get(op, op)
        return f"{symbol}({', '.join(text for text, _ in parts)})", 9

    return write(node, True)[0]


def definitions(found: Pass) -> list[str]:
    """One line per inner node, leaves first: ``a = x²``, ``b = x·y``, ..."""
    lines = []
    for node in reversed(found.order):
        if node.parents:
            formula = formula_text(node, found.names, expand=False)
            if formula != found.names[node]:
                lines.append(f"{found.names[node]} = {formula}")
    return lines
