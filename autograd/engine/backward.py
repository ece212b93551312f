"""The backward pass: graph orders and the chain rule, written once.

``chain_rule(root)`` is the one place gradients are computed. Every user of the
backward pass reads it: ``Value.backward()`` writes its result into ``.grad``,
``autograd.grad`` returns it, and the step views ask it to record every edge it
applies. (``backward``'s float pass runs the same loop in the ``.grad`` slots
themselves, which it writes anyway: ``_float_backward``, checked against
``chain_rule`` on random graphs.) Nothing here recurses, so a chain of a million
nodes is fine.

Every node has a creation ``id`` that grows by one per Value made, and a node is
always made after its parents. Sorting by ``id`` is therefore a topological order,
and the same graph always gives the same order.

This module reads a node's parent slots directly (``parents`` builds a tuple per
call) and needs nothing else from ``Value``, so it sits below it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import isfinite
from typing import TYPE_CHECKING, Any, NamedTuple

from autograd.engine.errors import DomainError, shortened

if TYPE_CHECKING:  # for annotations only: Value imports this module
    from autograd.engine.value import Value

__all__ = [
    "Contribution",
    "ancestors",
    "creation_order",
    "topological_order",
    "backward_order",
    "chain_rule",
    "chain_rule_for",
    "backward",
    "NO_GRADIENT",
]


def ancestors(roots: Iterable[Value]) -> list[Value]:
    """Every node the roots depend on (roots included), each once, in no set order."""
    return list(_nodes_by_id(roots)[0].values())


def creation_order(roots: Iterable[Value], reverse: bool = False) -> list[Value]:
    """Every node the roots depend on, each once, by creation id: parents before
    children (a topological order), or with ``reverse`` children first."""
    return _sorted_by_id(_nodes_by_id(roots)[0], reverse)


def _sorted_by_id(nodes_by_id: dict[int, Value], reverse: bool) -> list[Value]:
    # map over the dict's own lookup: no bytecode per node (0.25 % of the demo step)
    return list(map(nodes_by_id.__getitem__, sorted(nodes_by_id, reverse=reverse)))


def _nodes_by_id(roots: Iterable[Value]) -> tuple[dict[int, Value], list[Value]]:
    """Every node the roots depend on, keyed by creation id, and the leaves among them.

    Keyed by id, so a topological order is a sort of plain ints, with no key read
    from each node. Depth first: a parent is pushed only the first time it is seen,
    and the walk meets nodes roughly in the reverse of the order they were made,
    which is the order they lie in memory (breadth first, over the same dict, took
    a third longer on the engine benchmark's graph).
    """
    nodes_by_id: dict[int, Value] = {root.id: root for root in roots}
    leaves: list[Value] = []
    stack = list(nodes_by_id.values())
    pop, push = stack.pop, stack.append
    # ``while True``, not ``while stack``: Python 3.11 specializes a loop's attribute
    # reads only once the loop has jumped back with a plain jump, which ``while
    # stack`` never does, so a first backward ran the walk unspecialized (calls 1 to
    # 7 of the demo's backward took 40 % longer than later ones).
    while True:
        if not stack:
            break
        node = pop()
        first = node._first_parent
        if first is not None:
            if first.id not in nodes_by_id:
                nodes_by_id[first.id] = first
                push(first)
            second = node._second_parent
            if second is not None and second.id not in nodes_by_id:
                nodes_by_id[second.id] = second
                push(second)
        else:
            leaves.append(node)
    return nodes_by_id, leaves


def one_root(root: Any, who: str) -> Value:
    """``root`` itself if it is a Value; else the TypeError every entry point gives."""
    if not hasattr(root, "_first_parent"):  # Value sits above this module
        raise TypeError(f"{who}: root must be a Value, not {type(root).__name__}")
    return root


def topological_order(root: Value) -> list[Value]:
    """The nodes ``root`` depends on, parents before children (leaves first, root last)."""
    return creation_order([one_root(root, "topological_order")])


def backward_order(root: Value) -> list[Value]:
    """The order the backward pass visits nodes in: reverse topological, root first."""
    return creation_order([one_root(root, "backward_order")], reverse=True)


class Contribution(NamedTuple):
    """One edge applied by the chain rule: ``grad(parent) += local_grad · upstream``.

    ``chain_rule(root, record=[])`` appends one per edge, in the order applied.

    Attributes:
        child: the node being processed (the edge goes from ``parent`` into it).
        position: which of ``child.parents`` this edge is; ``(child, position)``
            names the edge, as in the drawings.
        parent: ``child.parents[position]``.
        local_grad: ∂child/∂parent, ``child.local_grads[position]``.
        upstream: grad(child), ∂root/∂child, final when it is applied.
        grad_before: grad(parent) just before this edge.
        grad_after: grad(parent) just after: ``grad_before + local_grad · upstream``.
    """

    child: Value
    position: int
    parent: Value
    local_grad: float
    upstream: float
    grad_before: float
    grad_after: float

    @property
    def contribution(self) -> float:
        """The amount this edge adds: ``local_grad · upstream``."""
        return self.local_grad * self.upstream

    @property
    def edge(self) -> tuple[Value, int]:
        """The edge as ``(child, position)``, the form ``draw(highlight=...)`` takes."""
        return (self.child, self.position)


def chain_rule(
    root: Value | Sequence[Value],
    record: list[Contribution] | None = None,
    *,
    seeds: Sequence[Any] | None = None,
    create_graph: bool = False,
) -> dict[Value, Any]:
    """∂root/∂node for every node ``root`` depends on, computed on the side.

    grad(root) = 1; then for each node in ``backward_order`` (root first, so a
    node's grad is complete when it is reached) and each edge to a parent::

        grad(parent) += ∂node/∂parent · grad(node)

    Summed over all edges this is the sum, over every path from a node to the
    root, of the product of the local derivatives along the path. No ``.grad``
    is read or written. A node whose grad is exactly 0 passes nothing on (so
    0 · ∞ never becomes nan). With ``record`` (a list), every edge applied is
    appended to it as a ``Contribution``.

    ``root`` may be several roots, each seeded with its entry of ``seeds``
    (default 1 each): the result is then Σ seedᵢ · ∂rootᵢ/∂node. With
    ``create_graph`` the local derivatives are the op table's ``value_grads``, so
    each gradient is a Value built from the graph (or a float where it does not
    depend on it), which can be differentiated again.

    Raises DomainError, naming the node and the edge, if a gradient is infinite
    or undefined (``sqrt`` at 0 has an infinite local derivative).
    """
    return _chain_rule(root, record, seeds, create_graph)[0]


def chain_rule_for(root: Value, wanted: Sequence[Value]) -> dict[Value, float]:
    """``chain_rule(root)``, refused only if a gradient in ``wanted`` is not finite.

    An infinite gradient elsewhere (``3x + sqrt(y)`` at y = 0, for ∂/∂x) is left in
    the result. Infinities and nans only spread to the nodes below them (∞ · 0 is
    nan), so a finite wanted gradient has none in it and is the same float as in a
    strict pass; a wanted one that is not finite raises the strict pass's error,
    which names the node and edge where it began.
    """
    try:
        return chain_rule(root)
    except DomainError as refused:
        gradient = _chain_rule(root, None, None, False, strict=False)[0]
        if not all(isfinite(gradient.get(node, 0.0)) for node in wanted):
            raise refused from None
        return gradient


class _NoGradient:
    """The gradient of a node nothing has flowed into yet, when gradients are Values:
    adding to it gives the addend itself, so no ``0 + …`` node is ever made."""

    __slots__ = ()

    def __add__(self, other: Any) -> Any:
        return other

    def __eq__(self, other: object) -> bool:
        return other is self or other == 0.0

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "no gradient"


NO_GRADIENT = _NoGradient()


def _chain_rule(
    roots: Value | Sequence[Value],
    record: list[Contribution] | None,
    seeds: Sequence[Any] | None,
    create_graph: bool,
    strict: bool = True,
) -> tuple[dict[Value, Any], list[Value]]:
    """``chain_rule``, and the leaves it met (``backward`` adds their earlier grads);
    with ``strict`` False, a gradient that is not finite is passed on, not refused."""
    roots, seeds = _roots_and_seeds(roots, seeds)
    if create_graph and record is not None:
        raise ValueError("chain_rule: record= takes float gradients; leave out create_graph")
    zero: Any = NO_GRADIENT if create_graph else 0.0
    nodes_by_id, leaves = _nodes_by_id(roots)
    order = _sorted_by_id(nodes_by_id, reverse=True)
    gradient: dict[Value, Any] = dict.fromkeys(order, zero)

    for root, seed in zip(roots, seeds):
        gradient[root] = gradient[root] + seed
    recording = record is not None
    for node in order:
        upstream = gradient[node]
        if upstream == zero:
            continue
        if not isfinite(upstream):
            if node._role == "constant":
                continue  # never used: x ** 2 at x < 0 leaves nan on the 2
            if strict:
                raise non_finite_gradient_error("backward", node, upstream, order)
        first = node._first_parent
        if first is None:
            continue
        second = node._second_parent
        # ∂node/∂parent · grad(node) for each parent: the stored floats, or with
        # create_graph the op table's derivatives built from Values.
        if create_graph:
            terms = _differentiable_terms(node, upstream)
            if terms is None:
                continue  # 0 · ∞, as the float pass skips it (see _differentiable_terms)
            first_term, second_term = terms
        else:
            first_term = node._first_local * upstream
            if second is not None:
                second_term = node._second_local * upstream
        before = gradient[first]
        after = gradient[first] = before + first_term
        if recording:
            record.append(Contribution(node, 0, first, node._first_local, upstream, before, after))
        if second is not None:
            before = gradient[second]
            after = gradient[second] = before + second_term
            if recording:
                record.append(
                    Contribution(node, 1, second, node._second_local, upstream, before, after)
                )
    if create_graph:
        for node, value in gradient.items():
            if value is NO_GRADIENT:
                gradient[node] = 0.0
    return gradient, leaves


def _roots_and_seeds(
    roots: Value | Sequence[Value], seeds: Sequence[Any] | None
) -> tuple[list[Value], list[Any]]:
    """The roots as a list, and a seed for each (1 by default), checked."""
    if hasattr(roots, "_first_parent"):  # one Value
        roots = [roots]  # type: ignore[list-item]
    else:
        roots = list(roots)  # type: ignore[arg-type]
        for position, root in enumerate(roots):
            if not hasattr(root, "_first_parent"):
                raise TypeError(
                    f"backward: roots[{position}] must be a Value, not {type(root).__name__}"
                )
        if not roots:
            raise ValueError("backward: no roots given; pass a Value or a list of Values")
    if seeds is None:
        return roots, [1.0] * len(roots)
    seeds = list(seeds)
    if len(seeds) != len(roots):
        raise ValueError(f"backward: {len(roots)} root(s) but {len(seeds)} seed(s); give one each")
    for position, seed in enumerate(seeds):
        if hasattr(seed, "_first_parent"):
            continue  # a Value: its graph takes part with create_graph
        if isinstance(seed, bool) or not isinstance(seed, int | float) or not isfinite(seed):
            raise TypeError(
                f"backward: seed {position} must be a finite number (the upstream gradient "
                f"of roots[{position}]), not {shortened(seed)}"
            )
    return roots, [float(seed) if isinstance(seed, int) else seed for seed in seeds]


def _differentiable_terms(node: Value, upstream: Any) -> tuple[Any, Any] | None:
    """∂node/∂parent · upstream for each parent of ``node``, as Values built from the
    op table's ``value_grads`` (floats for a constant parent: its gradient is never
    used, so it gets no graph). Multiplying by 1 or adding 0 makes no node.

    None where the derivatives cannot be built (``sqrt`` at 0: 0.5 / 0) and the
    upstream gradient is 0 there: the float pass skips such a node (a zero passes
    nothing on), so the first derivatives agree; the derivatives of that 0 · ∞
    are taken as 0 too.
    """
    parents = node.parents
    try:
        locals_ = node.operation.value_grads(*parents, node)
    except (DomainError, ArithmeticError, ValueError) as error:
        if float(upstream) == 0.0:
            return None
        where = ", ".join(repr(parent.data) for parent in parents)
        raise DomainError(
            f"backward(create_graph=True): the derivative of {node.describe()} ({node.op} at "
            f"{where}) cannot be built as a graph: it is infinite or undefined there ({error})"
        ) from None
    terms = []
    for parent, local, stored in zip(parents, locals_, node.local_grads):
        if parent._role == "constant":
            terms.append(stored * float(upstream))
        elif local.__class__ is float and not isfinite(local):
            # A nan or ∞ derivative (a power's exponent at a negative base): nothing
            # where the upstream gradient is 0, as the float pass skips it; else the
            # float pass's error for this parent, now, since a sum with it stays so.
            if float(upstream) == 0.0:
                terms.append(0.0)
            else:
                raise non_finite_gradient_error("backward", parent, local, [node])
        else:
            terms.append(_times(local, upstream))
    return terms[0], terms[1] if len(terms) > 1 else None


def _times(local: Any, upstream: Any) -> Any:
    """``local · upstream`` without the nodes a product by 0, 1 or −1 would add."""
    for factor, other in ((local, upstream), (upstream, local)):
        if factor.__class__ is float or factor.__class__ is int:
            if factor == 0.0:
                return 0.0
            if factor == 1.0:
                return other
            if factor == -1.0:
                return -other
    return local * upstream


def backward(
    root: Value | Sequence[Value],
    seeds: Sequence[Any] | None = None,
    *,
    create_graph: bool = False,
) -> None:
    """``root.backward()``: write ``chain_rule(root)`` into every node's ``.grad``.

    Leaves accumulate across calls (as in PyTorch): a leaf's new grad is its old
    grad plus this pass's, so two calls give exactly twice the leaf gradients.
    Intermediate nodes hold only this pass's gradient. A pass that fails (a
    gradient that is not finite, also after accumulating, or Ctrl-C) changes no
    ``.grad``.

    ``root`` may be a list of roots with one seed each (``seeds``, the upstream
    gradients; 1 by default): ``autograd.backward([a, b], [ga, gb])`` fills
    ``.grad`` with ga·∂a/∂node + gb·∂b/∂node. With ``create_graph`` every
    ``.grad`` is a Value (or a float where it does not depend on the graph) that
    can be differentiated again.
    """
    if not create_graph:
        _float_backward(*_roots_and_seeds(root, seeds))
        return
    gradient, leaves = _chain_rule(root, None, seeds, create_graph)
    accumulated = []
    for node in leaves:
        earlier = node.grad
        if earlier != 0.0:  # a float from earlier calls, or a Value (create_graph)
            accumulated.append((node, _accumulated(node, earlier, gradient[node])))
    for node, this_pass in gradient.items():
        node.grad = this_pass
    for node, total in accumulated:
        node.grad = total


def _float_backward(roots: list[Value], seeds: list[float]) -> None:
    """``chain_rule``'s float pass, summed in the nodes' own ``.grad`` rather than in a
    dict, since ``backward`` writes them anyway: a quarter to a third less time on
    the engine benchmark's backward (23 ms to 15.5 in one run, 30 to 23.5 in another).

    The same edges in the same order, so the same floats (tests/test_backward.py
    checks it on random graphs). No code of yours runs here (the local derivatives
    are stored floats), and on any error, Ctrl-C included, every ``.grad`` gets back
    what it held.
    """
    nodes_by_id, _ = _nodes_by_id(roots)
    order = _sorted_by_id(nodes_by_id, reverse=True)
    # Only the nodes holding a gradient need zeroing first and restoring on failure;
    # a graph just built holds none (skipping the rest is 1 % of the engine benchmark).
    held = [(node, grad) for node in order if (grad := node.grad) != 0.0]
    try:
        for node, _ in held:
            node.grad = 0.0
        for root, seed in zip(roots, seeds):
            root.grad += seed
        for node in order:
            upstream = node.grad
            if upstream == 0.0:
                continue
            if not isfinite(upstream):
                if node._role == "constant":
                    continue  # never used: x ** 2 at x < 0 leaves nan on the 2
                raise non_finite_gradient_error("backward", node, upstream, order)
            first = node._first_parent
            if first is None:
                continue
            first.grad += node._first_local * upstream
            second = node._second_parent
            if second is not None:
                second.grad += node._second_local * upstream
        for node, before in held:
            if node._first_parent is None:  # leaves accumulate across calls
                node.grad = _accumulated(node, before, node.grad)
    except BaseException:
        for node in order:
            node.grad = 0.0
        for node, grad in held:
            node.grad = grad
        raise


def _accumulated(node: Value, earlier: Any, this_pass: Any) -> Any:
    """A leaf's grad after this pass: ``earlier + this_pass``, refused if not finite."""
    total = earlier + this_pass
    if not isfinite(total) and node._role != "constant":
        raise DomainError(
            f"backward: the gradient of {node.describe()} would become {float(total)}: "
            f"{shortened(earlier)} kept from earlier backward calls plus "
            f"{shortened(this_pass)} from this one. Leaves accumulate across calls; "
            "call zero_grad() between passes that should not add up."
        )
    return total


def non_finite_gradient_error(
    where: str, node: Value, value: float, order: list[Value]
) -> DomainError:
    """The message for a gradient that left the finite reals: which node, which edge."""
    culprits = [
        f"edge from {child.describe()} has local derivative {local} "
        f"({child.op} at {', '.join(repr(parent.data) for parent in child.parents)})"
        for child in order
        for parent, local in zip(child.parents, child.local_grads)
        if parent is node and not isfinite(local)
    ]
    reason = "; ".join(culprits) or "the products of finite local derivatives overflowed"
    return DomainError(
        f"{where}: the gradient of {node.describe()} is {value}: {reason}. "
        "An op is being differentiated where its derivative is infinite or undefined "
        "(sqrt or a fractional power at 0, a negative base under a Value exponent?)."
    )
