"""Errors raised by the engine, and ``shortened``, for messages that echo user input."""

from __future__ import annotations

import math
import reprlib
from typing import Any

__all__ = ["DomainError", "shortened"]


class DomainError(ValueError):
    """An operation or a gradient left the finite real numbers.

    Raised for ``log(0)``, ``1 / 0``, ``sqrt(-1)``, ``exp(1000)``, nan or inf data,
    and a backward pass whose gradient becomes infinite. The message names the op,
    the node and the offending value, and says what to do.
    """


class _ShortRepr(reprlib.Repr):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.maxstring = self.maxother = self.maxlong = limit
        self.maxlist = self.maxtuple = 8
        self.maxdict = 4
        self.maxlevel = 3

    def repr_str(self, x: str, level: int) -> str:
        return repr(x[: self.maxstring])  # cut at the end, like everything else

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:  # past Python's digit limit, repr itself would fail
            return f"<an integer of about {int(x.bit_length() * math.log10(2))} digits>"
        return repr(x)


def shortened(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to at most ``limit`` characters, ending in "…" if cut.

    Safe for anything a JSON file holds: a 10 MB string, a list of a million
    numbers, an integer of 4,000 digits or lists nested 900 deep each give a short
    text, quickly.

    >>> shortened("x" * 10_000_000, limit=12)
    "'xxxxxxxxxx…"
    >>> shortened([1, [2, [3, [4, [5]]]]])
    '[1, [2, [3, [...]]]]'
    """
    text = _ShortRepr(limit).repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
