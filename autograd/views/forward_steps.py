"""Forward mode, one node at a time: ``forward_steps(root, {x: 1})``, and what each mode costs.

The table has the backward steps' row format, read the other way: the inputs get
tangents (ẋ = 1, ẏ = 0 asks for ∂/∂x), and each node, parents first, collects its
tangent from its parents::

    ċ = ∂c/∂x · ẋ + ∂c/∂y · ẏ = 1 · 1 + 1 · 0 = 1

``mode_costs(outputs, inputs)`` counts, on the graph, what a lecturer compares:
forward mode needs one pass per input, reverse mode one per output, each pass one
multiply-add per edge.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from autograd import Value, topological_order
from autograd.engine.backward import one_root
from autograd.engine.forward import TangentTerm, tangent_rule
from autograd.views.format import factor_text, node_names, number_text

__all__ = ["ForwardStep", "ForwardSteps", "forward_steps", "ModeCosts", "mode_costs", "dotted"]


def dotted(name: str) -> str:
    """The tangent's name: ``ẋ`` for a one-letter name, ``tangent(add1)`` otherwise."""
    if len(name) == 1:  # one character, precomposed where Unicode has it (ẋ, ẏ, ċ)
        return unicodedata.normalize("NFC", name + "\u0307")
    return f"tangent({name})"


@dataclass(frozen=True, slots=True, eq=False)
class ForwardStep:
    """One node of the forward pass with tangents.

    Attributes:
        number: 1, 2, ... in topological order (leaves first).
        node: the node.
        tangent: its tangent, Σ of ``terms`` (a leaf's is given).
        terms: one ``TangentTerm`` per parent that moves.
        names: the display name of every node.
    """

    number: int
    node: Value
    tangent: float
    terms: tuple[TangentTerm, ...]
    names: Mapping[Value, str]

    def rule_text(self, precision: int = 6) -> str:
        """``ċ = ∂c/∂x · ẋ + ∂c/∂y · ẏ = 1 · 1 + 1 · 0 = 1``; a leaf: ``ẋ = 1`` (given)."""
        name = self.names[self.node]
        if not self.node.parents:
            return f"{dotted(name)} = {number_text(self.tangent, precision)} (given)"
        # Constants never move (their tangent is 0): their terms are left out.
        shown = [
            (position, parent, local)
            for position, (parent, local) in enumerate(
                zip(self.node.parents, self.node.local_grads)
            )
            if parent.role != "constant"
        ]
        if not shown:
            return f"{dotted(name)} = 0 (only constants feed it)"
        moving = {term.position: term.parent_tangent for term in self.terms}
        symbols = " + ".join(
            f"∂{name}/∂{self.names[parent]} · {dotted(self.names[parent])}"
            for _, parent, _ in shown
        )
        numbers = " + ".join(
            f"{factor_text(local, precision)} · {factor_text(moving.get(position, 0.0), precision)}"
            for position, _, local in shown
        )
        return f"{dotted(name)} = {symbols} = {numbers} = {number_text(self.tangent, precision)}"


class ForwardSteps(Sequence[ForwardStep]):
    """Every step of one forward pass with tangents; prints as a table."""

    def __init__(self, root: Value, tangents: Mapping[Value, float], precision: int = 6) -> None:
        one_root(root, "forward_steps")
        self.root = root
        self.precision = precision
        record: list[TangentTerm] = []
        found = tangent_rule(root, tangents, record)
        self.tangents = {leaf: float(value) for leaf, value in tangents.items()}  # {x: 1} too
        names = node_names(root)
        by_child: dict[Value, list[TangentTerm]] = {}
        for term in record:
            by_child.setdefault(term.child, []).append(term)
        self._steps = tuple(
            ForwardStep(number, node, found[node], tuple(by_child.get(node, ())), names)
            for number, node in enumerate(
                (node for node in topological_order(root) if node.role != "constant"), start=1
            )
        )
        self.names = names

    def __getitem__(self, index):  # type: ignore[override] - int or slice, as for a tuple
        return self._steps[index]

    def __len__(self) -> int:
        return len(self._steps)

    def heading(self) -> str:
        given = ", ".join(
            f"{dotted(self.names.get(leaf, leaf.label or 'input'))} = {number_text(value)}"
            for leaf, value in self.tangents.items()
        )
        root = self.names[self.root]
        return (
            f"Forward pass with tangents, inputs first ({given}; every other input 0). "
            f"{dotted(root)} is the derivative of {root} in that direction."
        )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(step, node, value, tangent rule) per step, as text."""
        return [
            (
                str(step.number),
                self.names[step.node],
                number_text(step.node.data, self.precision),
                step.rule_text(self.precision),
            )
            for step in self._steps
        ]

    def to_text(self) -> str:
        header = ("step", "node", "value", "tangent")
        rows = [header, *self.rows()]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        lines = [
            "  ".join(
                cell.rjust(width) if column in (0, 2) else cell.ljust(width)
                for column, (cell, width) in enumerate(zip(row, widths))
            ).rstrip()
            for row in rows
        ]
        return f"{self.heading()}\n\n" + "\n".join(lines)

    def to_markdown(self) -> str:
        lines = ["| step | node | value | tangent |", "|---:|---|---:|---|"]
        lines.extend(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
            for row in self.rows()
        )
        return f"{self.heading()}\n\n" + "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in self.rows()
        )
        return (
            f"<p>{html.escape(self.heading())}</p><table><thead><tr><th>step</th><th>node</th>"
            f"<th>value</th><th>tangent</th></tr></thead><tbody>{cells}</tbody></table>"
        )


def forward_steps(
    root: Value, tangents: Mapping[Value, float] | Value, *, precision: int = 6
) -> ForwardSteps:
    """The forward pass of ``root`` with tangents, node by node (computed on the side).

    ``tangents`` gives the inputs' tangents (``{x: 1.0}``; one Value means 1 for it
    and 0 for every other input). No ``.data`` or ``.grad`` changes.

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> steps = forward_steps(f, x)
    >>> print(steps[-1].rule_text())
    ḟ = ∂f/∂d · ḋ + ∂f/∂e · ė = 1 · 8 + 1 · 10 = 18
    """
    if isinstance(tangents, Value):
        tangents = {tangents: 1.0}
    return ForwardSteps(root, tangents, precision)


@dataclass(frozen=True)
class ModeCosts:
    """What forward and reverse mode cost to get the whole Jacobian, counted on a graph.

    Attributes:
        inputs: n, the inputs differentiated with respect to.
        outputs: m, the outputs differentiated.
        multiply_adds_per_pass: the edges a pass carries a derivative along (edges
            from constants never move, and are left out).
    """

    inputs: int
    outputs: int
    multiply_adds_per_pass: int

    @property
    def forward_passes(self) -> int:
        """Forward mode: one pass per input direction."""
        return self.inputs

    @property
    def reverse_passes(self) -> int:
        """Reverse mode: one pass per output."""
        return self.outputs

    @property
    def forward_multiply_adds(self) -> int:
        return self.forward_passes * self.multiply_adds_per_pass

    @property
    def reverse_multiply_adds(self) -> int:
        return self.reverse_passes * self.multiply_adds_per_pass

    def __str__(self) -> str:
        per = self.multiply_adds_per_pass
        forward, reverse = self.forward_multiply_adds, self.reverse_multiply_adds
        if forward == reverse:
            verdict = "the same cost"
        elif reverse < forward:
            verdict = f"reverse mode is {forward / reverse:g}x cheaper (fewer outputs than inputs)"
        else:
            verdict = f"forward mode is {reverse / forward:g}x cheaper (fewer inputs than outputs)"
        return (
            f"{self.inputs} input(s), {self.outputs} output(s), {per} multiply-adds per pass:\n"
            f"  forward mode: {self.forward_passes} pass(es) × {per} = {forward} multiply-adds\n"
            f"  reverse mode: {self.reverse_passes} pass(es) × {per} = {reverse} multiply-adds\n"
            f"  {verdict}"
        )

    __repr__ = __str__


def mode_costs(outputs: Value | Sequence[Value], inputs: Sequence[Value]) -> ModeCosts:
    """Count, on this graph, what the full Jacobian costs in forward and in reverse mode.

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> costs = mode_costs(f, [x, y])
    >>> costs.forward_multiply_adds, costs.reverse_multiply_adds
    (20, 10)
    """
    outputs = [outputs] if isinstance(outputs, Value) else list(outputs)
    nodes: dict[Value, None] = {}
    for output in outputs:
        nodes.update(dict.fromkeys(topological_order(output)))
    edges = sum(1 for node in nodes for parent in node.parents if parent.role != "constant")
    return ModeCosts(len(list(inputs)), len(outputs), edges)
