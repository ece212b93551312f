"""Numbers on a problem sheet: nice ones to generate, and a student's ones to read.

A sheet is pleasant to work by hand when every value and every gradient is a small
integer or a simple fraction (halves, quarters, thirds, ...). ``nice`` checks that
exactly, with ``fractions.Fraction``; ``as_number`` reads what a student wrote
("1/2", "-0.333", 0.25) and ``same`` compares with the tolerance a decimal written
to 3 places needs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real

from autograd.engine.errors import shortened

__all__ = ["Niceness", "nice_fraction", "as_number", "same", "fraction_text", "TOLERANCE"]

TOLERANCE = 5.01e-4
"""How far an answer may be from the right number: 1/3 written as 0.333 is accepted."""


@dataclass(frozen=True)
class Niceness:
    """What counts as a pleasant number: |n| ≤ ``bound`` and a denominator ≤ ``denominator``."""

    bound: int = 100
    denominator: int = 8

    def fraction(self, number: float) -> Fraction | None:
        """``number`` as a simple fraction, or None if it is not one (or out of range)."""
        found = nice_fraction(number, self.denominator)
        if found is None or abs(found) > self.bound:
            return None
        return found

    def __call__(self, number: float) -> bool:
        return self.fraction(number) is not None

    def describe(self) -> str:
        return (
            f"every value and gradient is an integer or a fraction with denominator at most "
            f"{self.denominator}, between −{self.bound} and {self.bound}"
        )


def nice_fraction(number: float, denominator: int = 8) -> Fraction | None:
    """The fraction with denominator ≤ ``denominator`` that ``number`` is (to rounding), or None."""
    if not math.isfinite(number):
        return None
    found = Fraction(number).limit_denominator(denominator)
    if abs(float(found) - number) > 1e-9 * max(1.0, abs(number)):
        return None
    return found


MAX_ANSWER_CHARACTERS = 100
"""The longest answer text read (a float needs at most 24 characters)."""

_EXPONENT = re.compile(r"[eE]([-+]?[\d_]*)")  # every digit: 1e000000000099999999 too


def as_number(answer: object) -> float:
    """A student's answer as a float: a number, a Fraction, or text such as "1/2", "−0.25".

    Raises ValueError, saying what to write, for anything else.
    """
    if isinstance(answer, bool):
        raise ValueError(f"{answer!r} is not a number; write a number such as 3, -0.5 or 1/4")
    if isinstance(answer, Real):
        try:
            number = float(answer)
        except OverflowError:
            raise ValueError(f"{shortened(answer, 30)} is too large for a float") from None
    elif isinstance(answer, str):
        text = answer.strip().replace("−", "-").replace(" ", "").replace(",", ".")
        # Fraction("1e30000000") builds a 30-million-digit integer first: an exponent
        # or a number of digits no float can hold is refused before that.
        exponent = _EXPONENT.search(text)
        power = exponent[1].replace("_", "").lstrip("+-") if exponent else ""
        if len(text) > MAX_ANSWER_CHARACTERS or (power and int(power) > 400):
            raise ValueError(
                f"{shortened(answer, 30)} is longer or larger than an answer can be; "
                "write a number such as 3, -0.5 or 1/4"
            )
        try:
            number = float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            raise ValueError(
                f"{shortened(answer, 30)} is not a number; write a number such as 3, -0.5 or 1/4"
            ) from None
        except OverflowError:
            raise ValueError(f"{shortened(answer, 30)} is too large for a float") from None
    else:
        raise ValueError(
            f"{type(answer).__name__} is not a number; write a number such as 3, -0.5 or 1/4"
        )
    if not math.isfinite(number):
        raise ValueError(f"{answer!r} is not a finite number")
    return number


def same(given: float, expected: float) -> bool:
    """Whether ``given`` is ``expected``, written exactly or as a decimal to 3 places."""
    return abs(given - expected) <= TOLERANCE + 1e-9 * abs(expected)


def fraction_text(number: float, denominator: int = 64) -> str:
    """A number as a student writes it: ``3``, ``-1/2``, ``5/16``; else 4 significant digits."""
    found = nice_fraction(number, denominator)
    if found is None:
        return f"{number:.4g}"
    if found.denominator == 1:
        return str(found.numerator)
    return f"{found.numerator}/{found.denominator}"
