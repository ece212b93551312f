"""How a network's weights start: seeded initialisers, no global random state.

Each initialiser draws one weight at a time from a ``random.Random`` that the
caller owns, so the same seed always gives the same network.

* ``uniform``: U(−1, 1), micrograd's choice; fine for tiny nets, too wide for wide ones.
* ``xavier`` (Glorot): U(−a, a) with a = √(6 / (fan_in + fan_out)), keeps the variance
  of activations roughly constant through tanh/sigmoid layers.
* ``he``: N(0, 2 / fan_in), the same idea for ReLU layers, which zero half their inputs.
* ``zeros`` and ``constant(c)``: every weight equal. They exist to show why that fails:
  all neurons of a layer compute the same thing and receive the same gradient, so they
  stay equal forever (problem sheet 5, exercise 6).

Biases start at 0 (as in micrograd), except under ``constant(c)``, where they are c too.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

__all__ = ["Initializer", "uniform", "xavier", "he", "zeros", "constant", "initializer"]

_NAMES = ("uniform", "xavier", "he", "zeros", "constant")


@dataclass(frozen=True)
class Initializer:
    """A rule for drawing a weight of a layer with ``fan_in`` inputs and ``fan_out`` outputs.

    ``name`` is one of "uniform", "xavier", "he", "zeros", "constant"; ``value`` is the
    constant for "constant". Build one with the functions of this module.
    """

    name: str
    value: float = 0.0

    def __post_init__(self) -> None:
        if self.name not in _NAMES:
            raise ValueError(
                f"unknown initialiser {self.name!r}; choose one of {', '.join(_NAMES)}"
            )
        if not math.isfinite(self.value):
            raise ValueError(f"constant initialiser needs a finite number, got {self.value!r}")

    def weight(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        """Draw one weight."""
        if self.name == "uniform":
            return rng.uniform(-1.0, 1.0)
        if self.name == "xavier":
            bound = math.sqrt(6.0 / (fan_in + fan_out))
            return rng.uniform(-bound, bound)
        if self.name == "he":
            return rng.gauss(0.0, math.sqrt(2.0 / fan_in))
        if self.name == "zeros":
            return 0.0
        return self.value

    def bias(self) -> float:
        """A bias's starting value: 0, or the constant for ``constant(c)``."""
        return self.value if self.name == "constant" else 0.0

    @property
    def spec(self) -> str | float:
        """How the architecture records this initialiser: its name, or the constant."""
        return self.value if self.name == "constant" else self.name

    def __repr__(self) -> str:
        return f"constant({self.value!r})" if self.name == "constant" else self.name


uniform = Initializer("uniform")
xavier = Initializer("xavier")
he = Initializer("he")
zeros = Initializer("zeros")


def constant(value: float) -> Initializer:
    """Every weight and bias equal to ``value`` (to show the symmetry problem)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"constant(c) needs a number, got {type(value).__name__}")
    return Initializer("constant", float(value))


def initializer(spec: str | float | Initializer) -> Initializer:
    """Turn ``"uniform"``, ``"xavier"`` (or ``"glorot"``), ``"he"``, ``"zeros"``, a number
    (a constant) or an ``Initializer`` into an ``Initializer``."""
    if isinstance(spec, Initializer):
        return spec
    if isinstance(spec, str):
        name = "xavier" if spec == "glorot" else spec
        if name == "constant":
            raise ValueError('init="constant" needs its value: pass nn.constant(0.5) or 0.5')
        return Initializer(name)
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        return constant(spec)
    raise TypeError(
        f"init must be a name ({', '.join(_NAMES[:4])}), a number or nn.constant(c); "
        f"got {type(spec).__name__} {spec!r:.40}"
    )
