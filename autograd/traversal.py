"""Walking a graph: topological order and the backward pass.

Nothing here recurses, so a graph of a million nodes in a chain is fine.

Every node has a creation ``id`` that grows by one per Value made, and a node is
always made after its parents. Sorting by ``id`` is therefore a topological order,
and the same graph always gives the same order.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import TYPE_CHECKING

from autograd.errors import DomainError

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["ancestors", "topological_order", "backward_order", "backward", "gradients"]


def ancestors(roots: Iterable[Value]) -> list[Value]:
    """Every node the roots depend on (roots included), each once, in no set order."""
    seen: set[Value] = set()
    stack = list(roots)
    pop, push, mark = stack.pop, stack.append, seen.add
    while stack:
        node = pop()
        if node not in seen:  # Values hash by identity
            mark(node)
            if node._first_parent is not None:  # the slots: ``parents`` makes a tuple
                push(node._first_parent)
                if node._second_parent is not None:
                    push(node._second_parent)
    return list(seen)


_creation_id = operator.attrgetter("id")


def topological_order(root: Value) -> list[Value]:
    """The nodes ``root`` depends on, parents before children (leaves first, root last)."""
    nodes = ancestors([root])
    nodes.sort(key=_creation_id)
    return nodes


def backward_order(root: Value) -> list[Value]:
    """The order backward visits nodes in: reverse topological, root first."""
    nodes = ancestors([root])
    nodes.sort(key=_creation_id, reverse=True)
    return nodes


def backward(root: Value) -> list[Value]:
    """Fill ``.grad`` of every node ``root`` depends on with ∂root/∂node.

    For each node, root first, and each edge to a parent:
    ``parent.grad += local_derivative * node.grad``. Summed over all edges this is
    the sum, over every path from the node to the root, of the product of the
    local derivatives along the path.

    Leaves accumulate across calls (as in PyTorch): this call's gradient is summed
    from zero, then added to what the leaf held, so two calls give exactly twice
    the leaf gradients. Intermediate nodes hold only this call's gradient.
    Returns the nodes in the order visited.
    """
    # The hot loops read Value's parent slots directly (``parents`` would build a
    # tuple per call). First collect the graph, zeroing every gradient on the way
    # (a leaf's earlier gradient is kept aside); then visit by decreasing id.
    seen: set[Value] = set()
    stack = [root]
    pop, push, mark = stack.pop, stack.append, seen.add
    earlier: list[tuple[Value, float]] = []
    while stack:
        node = pop()
        if node in seen:
            continue
        mark(node)
        first = node._first_parent
        if first is not None:
            push(first)
            if node._second_parent is not None:
                push(node._second_parent)
        elif node.grad != 0.0:
            earlier.append((node, node.grad))
        node.grad = 0.0
    order = sorted(seen, key=_creation_id, reverse=True)

    root.grad = 1.0
    for node in order:
        upstream = node.grad
        if upstream - upstream != 0.0:  # nan or ±inf, without a function call
            _report_non_finite(node, order, earlier)
        if upstream == 0.0:
            continue  # adds nothing; also keeps 0·inf from turning into nan
        first = node._first_parent
        if first is not None:
            first.grad += node._first_local * upstream
            second = node._second_parent
            if second is not None:
                second.grad += node._second_local * upstream
    for leaf, gradient in earlier:
        leaf.grad += gradient
    return order


def _report_non_finite(node: Value, order: list[Value], earlier: list[tuple[Value, float]]) -> None:
    """Undo the pass and raise a DomainError naming the node and the edge at fault.

    Nothing is left half-done: every gradient goes back to what it was before the call
    (leaves to their earlier gradient, intermediate nodes to 0).
    """
    if node.role == "constant":
        return  # a constant's gradient is never used; x ** 2 at x < 0 leaves nan there
    error = _non_finite_error("backward", node, node.grad, order)
    for other in order:
        other.grad = 0.0
    for leaf, gradient in earlier:
        leaf.grad = gradient
    raise error


def _non_finite_error(where: str, node: Value, value: float, order: list[Value]) -> DomainError:
    """The message for a gradient that left the finite reals: which node, which edge."""
    culprits = [
        f"edge from {child.describe()} has local derivative {local} "
        f"({child.op} at {', '.join(repr(p.data) for p in child.parents)})"
        for child in order
        for parent, local in zip(child.parents, child.local_grads)
        if parent is node and local - local != 0.0
    ]
    reason = "; ".join(culprits) or "the products of finite local derivatives overflowed"
    return DomainError(
        f"{where}: the gradient of {node.describe()} is {value}: {reason}. "
        "An op is being differentiated where its derivative is infinite or undefined "
        "(sqrt or a fractional power at 0, a negative base under a Value exponent?)."
    )


def gradients(root: Value) -> dict[int, float]:
    """∂root/∂node for every node root depends on, keyed by ``id(node)``.

    The same sum over edges as ``backward`` but into a fresh dict, so no ``.grad``
    is read or written.
    """
    order = backward_order(root)
    found: dict[int, float] = {id(node): 0.0 for node in order}
    found[id(root)] = 1.0
    for node in order:
        upstream = found[id(node)]
        if upstream - upstream != 0.0 and node.role != "constant":
            raise _non_finite_error("grad", node, upstream, order)
        if upstream == 0.0:
            continue
        first = node._first_parent
        if first is not None:
            found[id(first)] += node._first_local * upstream
            second = node._second_parent
            if second is not None:
                found[id(second)] += node._second_local * upstream
    return found
