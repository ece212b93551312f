"""How the views write numbers and name nodes: the same in drawings, tables and paths."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from autograd import Value, topological_order
from autograd.engine.value import display_names

__all__ = [
    "number_text",
    "factor_text",
    "signed_text",
    "number_formatter",
    "display_names",
    "node_names",
]


def number_text(number: float, precision: int | str = 6) -> str:
    """A number as a student would write it: ``10`` not ``10.0``, ``0.25``, ``-3``.

    Whole numbers print without a decimal point; others with ``precision``
    significant digits (``:g``). Negative zero prints as ``0``.
    """
    if number == 0.0:
        return "0"
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    if isinstance(precision, str):  # a format spec, as draw takes: ".3f"
        return format(number, precision)
    return f"{number:.{precision}g}"


def factor_text(number: float, precision: int = 6) -> str:
    """A number inside a product: negatives in brackets, ``(-2) · 3``."""
    text = number_text(number, precision)
    return f"({text})" if text.startswith("-") else text


def signed_text(number: float, precision: int = 6) -> str:
    """A number added to a sum, with its sign: ``+6``, ``-2``."""
    text = number_text(number, precision)
    return text if text.startswith("-") else f"+{text}"


def number_formatter(precision: int | str) -> Callable[[float], str]:
    """A function writing floats for cards and arrows: 4 → ``.4g``; a str is a format spec.

    Whole numbers print as integers whatever the spec (``1``, not ``1.00``: the 1
    of a sum, a constant 2), minus signs are typographic (``−2``), a number that
    rounds to zero never shows as ``−0``, and ``inf`` shows as ``∞``.
    """
    if isinstance(precision, bool) or not isinstance(precision, int | str):
        raise TypeError(
            f"precision must be a number of significant digits (int) or a format spec "
            f"such as '.3f', not {precision!r:.60}"
        )
    if isinstance(precision, int):
        if not 1 <= precision <= 17:
            raise ValueError(f"precision must be between 1 and 17 digits, not {precision}")
        spec = f".{precision}g"
    else:
        spec = precision
        # A width or precision past a few dozen digits is a typo that would build
        # gigabytes of text ('.300000000f'), refused before any number is written.
        largest = max((int(digits) for digits in re.findall(r"\d+", spec[:40])), default=0)
        if len(spec) > 20 or largest > 40:
            raise ValueError(
                f"precision {spec!r:.60} asks for more digits or width than a card can "
                "show; use a spec such as '.3f' or '.4g' (at most 40 digits)"
            )
        try:
            format(1.5, spec)
        except ValueError:
            raise ValueError(
                f"precision {spec!r:.60} is not a float format spec (try '.3f')"
            ) from None

    percent = spec.endswith("%")

    def write(number: float) -> str:
        number = float(number)
        if math.isnan(number):
            return "nan"
        if math.isinf(number):
            return "∞" if number > 0 else "−∞"
        if number.is_integer() and abs(number) < 1e15 and not percent:
            whole = int(number)
            return str(whole) if whole >= 0 else f"−{-whole}"
        text = format(number, spec)
        if text[0] != "-":
            return text
        if text.strip("-0.e+%") == "":
            return text[1:]  # rounds to zero: no "−0" on a slide
        return "−" + text[1:]

    return write


def node_names(root: Value, parameter_names: str = "dotted") -> dict[Value, str]:
    """The display name of every node ``root`` depends on, as tables and paths write them.

    ``parameter_names`` names an ``nn`` model's weights: "dotted" (their labels,
    ``layers.0.neurons.1.w.0``), "math" (``w¹₁₂``) or "matrix" (``W1[1,2]``), as in
    ``draw``.
    """
    from autograd.views.grouped import NAME_STYLES, parameter_name

    if parameter_names not in NAME_STYLES:
        raise ValueError(
            f"parameter_names must be one of {', '.join(map(repr, NAME_STYLES))}, "
            f"not {parameter_names!r:.40}"
        )
    names = display_names(topological_order(root), number_text)
    if parameter_names != "dotted":
        for node in list(names):
            if node.role == "parameter" and node.label is not None:
                names[node] = parameter_name(node.label, parameter_names)
    return names
