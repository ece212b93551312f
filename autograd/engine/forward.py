"""Forward mode: tangents carried from the inputs to the outputs, ``jvp`` and ``derivative``.

Reverse mode (``chain_rule``) starts at one output and finds ∂output/∂node for every
node. Forward mode starts at the inputs: give each input a tangent ẋ (how fast it
moves), and every node's tangent follows from its parents', in topological order::

    ċ = ∂c/∂x · ẋ + ∂c/∂y · ẏ

with the same local derivatives the graph stores for the backward pass. The
output's tangent is the directional derivative Σ ∂f/∂xᵢ · ẋᵢ; with ẋ = 1 for one
input and 0 for the others, it is ∂f/∂x. One forward pass per input direction, one
reverse pass per output: which is cheaper depends on the shape of the problem
(``autograd.views.forward_steps.mode_costs`` counts it on a graph).

The sums are the same as reverse mode's but associated differently (forward
multiplies from the leaf up, reverse from the root down), so the two agree to
rounding, not always to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import isfinite
from typing import Any, NamedTuple

from autograd.engine.backward import creation_order
from autograd.engine.errors import DomainError, shortened
from autograd.engine.value import Number, Value

__all__ = ["TangentTerm", "tangent_rule", "jvp", "derivative"]


class TangentTerm(NamedTuple):
    """One edge applied by forward mode: ``∂child/∂parent · tangent(parent)``.

    ``tangent_rule(..., record=[])`` appends one per edge whose parent moves (has a
    non-zero tangent), in the order applied.
    """

    child: Value
    position: int
    parent: Value
    local_grad: float
    parent_tangent: float

    @property
    def term(self) -> float:
        """``local_grad · parent_tangent``; 0 when the local derivative is 0, even
        for an infinite tangent (a flat edge carries nothing)."""
        return 0.0 if self.local_grad == 0.0 else self.local_grad * self.parent_tangent


def tangent_rule(
    roots: Value | Sequence[Value],
    tangents: Mapping[Value, float],
    record: list[TangentTerm] | None = None,
) -> dict[Value, float]:
    """The tangent of every node the roots depend on, given the leaves' tangents.

    A leaf's tangent is ``tangents[leaf]`` (0 if absent); every other node's is
    Σ over its parents of ∂node/∂parent · tangent(parent), parents first. A parent
    with tangent 0 adds nothing, and neither does an edge whose local derivative
    is 0, so 0 · ∞ never becomes nan: the same convention as reverse mode, where a
    node whose gradient is 0 passes nothing on (``relu(y) · sqrt(x)`` at y < 0,
    x = 0 has ∂/∂x = 0 both ways). With ``record`` (a list), every term of a
    moving parent is appended as a ``TangentTerm``.

    Raises DomainError if a root's tangent is infinite or undefined, naming the
    first node where a tangent left the finite reals.
    """
    roots = [roots] if isinstance(roots, Value) else list(roots)
    order = creation_order(roots)
    tangent: dict[Value, float] = {}
    first_infinite: Value | None = None
    for node in order:
        if not node.parents:
            tangent[node] = float(tangents.get(node, 0.0))
            continue
        total = 0.0
        for position, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            moving = tangent[parent]
            if moving == 0.0:
                continue
            if record is not None:
                record.append(TangentTerm(node, position, parent, local, moving))
            if local != 0.0:
                total = total + local * moving
        if first_infinite is None and not isfinite(total) and node.role != "constant":
            first_infinite = node
        tangent[node] = total
    if first_infinite is not None and not all(isfinite(tangent[root]) for root in roots):
        node = first_infinite
        raise DomainError(
            f"forward mode: the tangent of {node.describe()} is {tangent[node]}: a local "
            f"derivative of {node.op} at {', '.join(repr(p.data) for p in node.parents)} "
            "is infinite or undefined (sqrt or a fractional power at 0?)"
        )
    return tangent


def jvp(
    function: Callable[..., Any], point: Sequence[Number], tangent: Sequence[Number]
) -> tuple[Any, Any]:
    """``function`` at ``point`` and its derivative along ``tangent``: (f(x), J(x)·v).

    One forward pass. For a function of one output both are floats; for a list
    or tuple of outputs, tuples.

    >>> jvp(lambda x, y: x**2 + x*y + (x + y)**2, [3.0, 2.0], [1.0, 0.0])   # ∂f/∂x
    (40.0, 18.0)
    """
    point, direction = _numbers(point, "point"), _numbers(tangent, "tangent")
    if len(point) != len(direction):
        raise ValueError(f"jvp: the point has {len(point)} inputs, the tangent {len(direction)}")
    inputs = [Value(number, label=f"x{index}") for index, number in enumerate(point)]
    output = function(*inputs)
    outputs = list(output) if isinstance(output, list | tuple) else [output]
    graph = [item for item in outputs if isinstance(item, Value)]
    found = tangent_rule(graph, dict(zip(inputs, direction))) if graph else {}
    values = tuple(item.data if isinstance(item, Value) else float(item) for item in outputs)
    tangents = tuple(found.get(item, 0.0) if isinstance(item, Value) else 0.0 for item in outputs)
    if isinstance(output, list | tuple):
        return values, tangents
    return values[0], tangents[0]


def derivative(function: Callable[[Value], Any]) -> Callable[[Number], float]:
    """d function / dx of a function of one input, by one forward pass.

    >>> derivative(lambda x: x**3)(2.0)        # 3x²
    12.0
    """

    def at(x: Number) -> float:
        return jvp(function, [x], [1.0])[1]

    at.__name__ = f"derivative({getattr(function, '__name__', 'function')})"
    return at


def _numbers(values: Any, what: str) -> list[float]:
    if isinstance(values, int | float):
        values = [values]
    numbers = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
            raise TypeError(f"jvp: the {what} holds {shortened(value)}; give finite numbers")
        numbers.append(float(value))
    return numbers
