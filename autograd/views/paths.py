"""The chain rule as a sum over paths: ``paths(root, wrt)``.

∂root/∂wrt is the sum, over every path from ``wrt`` up to ``root``, of the product
of the local derivatives on the path's edges. For f = x² + xy + (x+y)²::

    ∂f/∂x = ∂f/∂d·∂d/∂a·∂a/∂x + ∂f/∂d·∂d/∂b·∂b/∂x + ∂f/∂e·∂e/∂c·∂c/∂x
          = 1·1·2x + 1·1·y + 1·2c·1

Backpropagation computes the same sum without listing the paths, which matters:
their number can double with every layer. So the paths are produced one at a
time, their number is counted exactly without listing them, and asking for the
whole list past a limit stops with a message that gives that number.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from autograd import Value, grad, topological_order
from autograd.views.format import factor_text, node_names, number_text

__all__ = ["Path", "Paths", "TooManyPathsError", "paths", "DEFAULT_LIMIT"]

DEFAULT_LIMIT = 10_000
"""How many paths a full listing (``list``, ``.total``, printing) may hold."""


class TooManyPathsError(ValueError):
    """A full listing of the paths was asked for, and there are more than the limit.

    ``count`` is how many paths there are, ``limit`` the limit they passed.
    """

    def __init__(self, message: str, count: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.count, self.limit = count, limit


@dataclass(frozen=True, slots=True, eq=False)
class Path:
    """One path from ``wrt`` up to ``root``, and the product of its local derivatives.

    Attributes:
        nodes: the nodes from ``wrt`` to ``root``, both included.
        edges: the edges as ``(child, position)``, bottom up: ``edges[i]`` goes
            from ``nodes[i]`` into ``nodes[i + 1]``. Two edges between the same
            two nodes (``x*x``) make two different paths.
        local_grads: ∂nodes[i+1]/∂nodes[i] for each edge.
        product: the product of ``local_grads`` (1.0 for the empty path
            from the root to itself; 0 where a 0 meets an ∞, as in backward).
        names: the display name of every node.

    A Path has ``.nodes`` and ``.edges``, so ``draw(root, highlight=path)`` shows it.
    """

    nodes: tuple[Value, ...]
    edges: tuple[tuple[Value, int], ...]
    local_grads: tuple[float, ...]
    product: float
    names: Mapping[Value, str] = field(repr=False)

    def factors_text(self) -> str:
        """The product written with names, root first: ``∂f/∂d · ∂d/∂a · ∂a/∂x``."""
        if not self.edges:
            return "1"
        parts = []
        for child, position in reversed(self.edges):
            parent = child.parents[position]
            parts.append(f"∂{self.names[child]}/∂{self.names[parent]}")
        return " · ".join(parts)

    def formulas_text(self) -> str:
        """The same factors as formulas from the op table, root first: ``1 · 1 · 2x``."""
        if not self.edges:
            return "1"
        parts = []
        for child, position in reversed(self.edges):
            operands = [self.names[parent] for parent in child.parents]
            formula = child.operation.formulas(*operands)[position]
            alone = len(self.edges) == 1  # a single factor needs no brackets
            parts.append(formula if alone or len(formula) <= 2 else f"({formula})")
        return " · ".join(parts)

    def numbers_text(self, precision: int = 6) -> str:
        """The same factors as numbers, root first: ``1 · 1 · 6``."""
        if not self.local_grads:
            return "1"
        return " · ".join(factor_text(local, precision) for local in reversed(self.local_grads))

    def route_text(self) -> str:
        """The nodes, bottom up: ``x → a → d → f``.

        When a node uses the same parent twice (``x*x``) the arrow says which
        operand the edge is, ``x →(operand 2) mul1``, so the two paths differ.
        """
        parts = [self.names[self.nodes[0]]]
        for child, position in self.edges:
            parent = child.parents[position]
            repeated = sum(1 for other in child.parents if other is parent) > 1
            arrow = f" →(operand {position + 1}) " if repeated else " → "
            parts.append(arrow + self.names[child])
        return "".join(parts)

    def equation(self, precision: int = 6) -> str:
        """``∂f/∂d · ∂d/∂a · ∂a/∂x = 1 · 1 · 2x = 1 · 1 · 6 = 6``: the factors by name,
        as formulas, as numbers, and their product; a form equal to the one before it
        is left out (``∂f/∂x = mul1 = 4``, not ``= 4 = 4``)."""
        forms: list[str] = []
        for form in (
            self.factors_text(),
            self.formulas_text(),
            self.numbers_text(precision),
            number_text(self.product, precision),
        ):
            if not forms or form != forms[-1]:
                forms.append(form)
        return " = ".join(forms)

    def __str__(self) -> str:
        return f"{self.route_text()}:  {self.equation()}"


class Paths:
    """Every path from ``wrt`` to ``root``; made by ``paths(root, wrt)``.

    Iterating yields ``Path`` objects one at a time, lazily, so the first few of
    an astronomically large set are cheap (``itertools.islice``). Everything
    that needs the whole set (``.all()``, ``.total``, ``.matches_grad``) first
    checks ``.count`` against ``limit`` and raises ``TooManyPathsError`` with the
    exact count when it is over; printing then shows the first ``limit`` paths and
    the count of the rest.
    """

    def __init__(
        self, root: Value, wrt: Value, limit: int = DEFAULT_LIMIT, parameter_names: str = "dotted"
    ) -> None:
        for name, node in (("root", root), ("wrt", wrt)):
            if not isinstance(node, Value):
                raise TypeError(f"paths: {name} must be a Value, not {type(node).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise TypeError(f"paths: limit must be a whole number of at least 1, not {limit!r:.40}")
        self.root = root
        self.wrt = wrt
        self.limit = limit
        self.names = node_names(root, parameter_names)
        if wrt not in self.names:
            self.names[wrt] = wrt.label or "wrt"
        self._counts = self._count_paths()

    def _count_paths(self) -> dict[Value, int]:
        """For each node, how many paths lead from ``wrt`` up to it (0 if none).

        paths(node) = Σ over the node's edges of paths(parent), with paths(wrt) = 1:
        one sweep in topological order, exact (Python integers do not overflow).
        """
        counts: dict[Value, int] = {}
        for node in topological_order(self.root):
            if node is self.wrt:
                counts[node] = 1
            else:
                counts[node] = sum(counts[parent] for parent in node.parents)
        return counts

    @property
    def count(self) -> int:
        """The exact number of paths, computed without listing them."""
        return self._counts.get(self.root, 0)

    @property
    def grad(self) -> float:
        """∂root/∂wrt from the backward pass, ``autograd.grad`` (no ``.grad`` is touched)."""
        return grad(self.root, self.wrt)

    def __iter__(self) -> Iterator[Path]:
        """The paths one by one, depth first from the root, parents in order.

        Stops with ``TooManyPathsError`` before yielding path number ``limit + 1``.
        (No ``len()``: the count can exceed what ``len`` may return; use ``.count``.)
        """
        counts = self._counts
        if counts.get(self.root, 0) == 0:
            return
        # An explicit stack instead of recursion: a chain can be deeper than
        # Python's recursion limit. Each frame is (node, next parent position).
        route: list[Value] = [self.root]
        edges: list[tuple[Value, int]] = []
        stack: list[list] = [[self.root, 0]]
        produced = 0
        while stack:
            frame = stack[-1]
            node, position = frame
            if node is self.wrt:
                if produced == self.limit:
                    raise self._too_many("listing")
                produced += 1
                yield self._make_path(route, edges)
                stack.pop()
                route.pop()
                if edges:
                    edges.pop()
                continue
            # The next parent from which wrt can be reached.
            while position < len(node.parents) and counts[node.parents[position]] == 0:
                position += 1
            if position == len(node.parents):
                stack.pop()
                route.pop()
                if edges:
                    edges.pop()
                continue
            frame[1] = position + 1
            parent = node.parents[position]
            edges.append((node, position))
            route.append(parent)
            stack.append([parent, 0])

    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        """``paths(f, x)[0]``: the path at that place in iteration order (negative
        counts from the end); a slice gives a list. Only the paths up to the one
        asked for are made."""
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count)
            if step > 0:
                return list(itertools.islice(self, start, max(start, stop), step))
            return self.all()[index]
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"paths are indexed by int, not {type(index).__name__}")
        position = index + self.count if index < 0 else index
        if not 0 <= position < self.count:
            raise IndexError(
                f"paths: there are {self.count:,} paths from {self.names[self.wrt]} to "
                f"{self.names[self.root]}, so no path [{index}]"
            )
        return next(itertools.islice(self, position, None))

    def _make_path(self, route: list[Value], edges: list[tuple[Value, int]]) -> Path:
        bottom_up_edges = tuple(reversed(edges))
        local_grads = tuple(child.local_grads[position] for child, position in bottom_up_edges)
        product = 1.0
        for local in reversed(local_grads):  # root first, as the sheets multiply
            product *= local
        if product != product and 0.0 in local_grads:
            # 0 · ∞: the backward pass passes nothing through a zero, so neither
            # does a path (relu(y) · sqrt(x) at y < 0, x = 0 has ∂/∂x = 0).
            product = 0.0
        return Path(tuple(reversed(route)), bottom_up_edges, local_grads, product, self.names)

    def _too_many(self, what: str) -> TooManyPathsError:
        return TooManyPathsError(
            f"paths: {self.names[self.wrt]} reaches {self.names[self.root]} along "
            f"{self.count:,} paths, more than the limit of {self.limit:,}, so the {what} "
            "stops here. Take the first few with itertools.islice(paths(...), 10), "
            "raise limit= if you really want them all, or use .grad: backward sums "
            "the same products without listing them.",
            self.count,
            self.limit,
        )

    def all(self) -> list[Path]:
        """Every path, as a list; ``TooManyPathsError`` (with the count) if over the limit."""
        if self.count > self.limit:
            raise self._too_many("full listing")
        return list(self)

    @property
    def total(self) -> float:
        """Σ over all paths of the product of local derivatives: ∂root/∂wrt."""
        total = 0.0
        for path in self.all():
            total += path.product
        return total

    @property
    def matches_grad(self) -> bool:
        """True if ``.total`` equals ``.grad`` up to rounding (the sums are ordered differently)."""
        return math.isclose(self.total, self.grad, rel_tol=1e-9, abs_tol=1e-12)

    def to_text(self, precision: int = 6) -> str:
        """Every path with its product, then the sum and whether it matches the gradient.

        Past ``limit`` paths: the first ``limit``, the count of the rest, and the
        gradient backward computes (the sum of all the products, without listing them).
        """
        wrt, root = self.names[self.wrt], self.names[self.root]
        count, limit = self.count, self.limit
        if count > limit:
            heading = f"{count:,} paths from {wrt} to {root}, more than the limit of {limit:,}; "
            lines, shown = [heading + f"the first {limit:,}:"], itertools.islice(self, limit)
        else:
            lines, shown = [f"{count} path(s) from {wrt} to {root}:"], iter(self.all())
        for number, path in enumerate(shown, start=1):
            lines.append(f"  {number}. {path.route_text()}:  {path.equation(precision)}")
        if count > limit:
            lines.append(
                f"  ... and {count - limit:,} more (raise limit= to list them). Their "
                f"sum, ∂{root}/∂{wrt}, is backward's grad({wrt}) = "
                f"{number_text(self.grad, precision)}"
            )
            return "\n".join(lines)
        total, grad = self.total, self.grad
        verdict = "matches" if self.matches_grad else "DOES NOT match"
        lines.append(
            f"sum of the products: ∂{root}/∂{wrt} = {number_text(total, precision)}, "
            f"which {verdict} backward's grad({wrt}) = {number_text(grad, precision)}"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (
            f"<Paths from {self.names[self.wrt]} to {self.names[self.root]}: "
            f"{self.count:,} path(s)>"
        )

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.to_text())}</pre>"


def paths(
    root: Value, wrt: Value, *, limit: int = DEFAULT_LIMIT, parameter_names: str = "dotted"
) -> Paths:
    """Every path from ``wrt`` up to ``root``, with the product of its local derivatives.

    ∂root/∂wrt = Σ over paths p of Π over edges (child ← parent) in p of ∂child/∂parent

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> found = paths(f, x)
    >>> [path.formulas_text() for path in found]
    ['1 · 1 · 2x', '1 · 1 · y', '1 · 2c · 1']
    >>> found.total, found.grad, found.matches_grad
    (18.0, 18.0, True)

    Two edges between the same nodes are two paths (``x*x`` gives two). A node
    the root does not depend on has no paths and total 0. ``limit`` bounds any
    full listing (see ``Paths``); ``.count`` is exact whatever the limit.
    ``parameter_names`` names an ``nn`` model's weights as ``draw`` does ("math": ``w¹₁₂``).
    """
    return Paths(root, wrt, limit=limit, parameter_names=parameter_names)
