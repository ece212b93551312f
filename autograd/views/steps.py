"""The backward pass, one node at a time: ``backward_steps(root)``.

``root.backward()`` runs the whole pass at once. ``backward_steps(root)`` shows
the same pass (the same ``chain_rule``: same order, same arithmetic, same grads,
bit for bit) one node at a time, so a student can watch each edge apply the
chain rule::

    grad(parent) += ∂node/∂parent · grad(node)

It is computed on the side: a fresh pass that starts from grad(root) = 1 and
every other grad 0, whatever ``.grad`` holds, and changes no ``.grad``.

A node used several times (``x`` in ``x*x + x*y``) receives several ``+=``: the
table numbers them ("2nd of 3 contributions to x"), since forgetting to add them up is
the mistake students make most often.

The 2 in ``x**2`` is a node too (role "constant"). Its edges are applied like any
other, so the grads match ``backward()``, but the tables hide them unless asked
(``show_constants=True``): a constant's gradient is never used.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from autograd import Value, backward_order
from autograd.engine.backward import Contribution, chain_rule, one_root
from autograd.views.format import factor_text, node_names, number_formatter, number_text
from autograd.views.grouped import NAME_STYLES

__all__ = [
    "EdgeUpdate",
    "Step",
    "StepTable",
    "BackwardSteps",
    "backward_steps",
]


# ---------------------------------------------------------------- the steps
def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass(frozen=True, slots=True, eq=False)
class EdgeUpdate:
    """One edge applied, ``grad(parent) += local_grad · upstream``, numbered for a table.

    The engine's ``Contribution`` record (``child``, ``position``, ``parent``,
    ``local_grad``, ``upstream``, ``grad_before``, ``grad_after``; see
    ``autograd.engine.backward``), with the amount added (``contribution``) and
    which of the parent's contributions it is: ``contribution_number`` is 1 for
    the first edge that reaches ``parent`` in the pass, 2 for the second, ...,
    of ``contribution_count``.
    """

    child: Value
    position: int
    parent: Value
    local_grad: float
    upstream: float
    contribution: float
    grad_before: float
    grad_after: float
    contribution_number: int
    contribution_count: int

    @property
    def edge(self) -> tuple[Value, int]:
        """The edge as ``(child, position)``, the form ``draw(highlight=...)`` takes."""
        return (self.child, self.position)

    @property
    def is_constant(self) -> bool:
        """True if the parent is a number an op promoted (the 2 in ``x**2``)."""
        return self.parent.role == "constant"

    @property
    def is_repeated(self) -> bool:
        """True if the parent receives more than one contribution in this pass."""
        return self.contribution_count > 1


@dataclass(frozen=True, slots=True, eq=False)
class Step:
    """One node of the backward pass, with every edge it passes its grad along.

    Attributes:
        number: 1 for the root, then 2, 3, ... in ``backward_order``.
        node: the node reached.
        upstream: its grad when reached: ∂root/∂node, final by then because
            every node that uses it comes earlier in the order.
        updates: one ``EdgeUpdate`` per parent, in ``node.parents`` order;
            empty for a leaf, and for a skipped node.
        skipped: True when ``upstream`` is exactly 0.0: ``backward()`` adds
            nothing along its edges (and so avoids 0 · inf = nan), and neither
            does this step.
        names: the display name of every node (see ``format.node_names``).
        received: the updates that added to this node's grad in this pass, in
            order: ``upstream`` is their sum (the root also gets its seed 1).
    """

    number: int
    node: Value
    upstream: float
    updates: tuple[EdgeUpdate, ...]
    skipped: bool
    names: Mapping[Value, str] = field(repr=False)
    received: tuple[EdgeUpdate, ...] = ()

    @property
    def grad_after(self) -> float:
        """grad(node) once this step is done: ``upstream``, final from here on."""
        return self.upstream

    @property
    def name(self) -> str:
        """The node's display name."""
        return self.names[self.node]

    @property
    def is_constant(self) -> bool:
        """True if the node is a constant (a number an op promoted)."""
        return self.node.role == "constant"

    @property
    def nodes(self) -> tuple[Value, ...]:
        """The node and the parents it updates: what a drawing highlights."""
        return (self.node, *(update.parent for update in self.updates))

    @property
    def edges(self) -> tuple[tuple[Value, int], ...]:
        """The edges this step applies, as ``(child, position)``."""
        return tuple(update.edge for update in self.updates)

    def sum_text(self, precision: int = 6) -> str:
        """How the node's grad was summed, when it received several contributions:
        ``10 + 2 + 6 = 18``; "" when it received one or none."""
        if len(self.received) < 2:
            return ""
        terms = [number_text(update.contribution, precision) for update in self.received]
        total = " + ".join(terms).replace("+ -", "- ")
        return f"{total} = {number_text(self.upstream, precision)}"

    def visible_updates(self, show_constants: bool = False) -> tuple[EdgeUpdate, ...]:
        """The updates a table shows: all of them, or all but those into constants."""
        if show_constants:
            return self.updates
        return tuple(update for update in self.updates if not update.is_constant)

    def local_formula(self, update: EdgeUpdate) -> str:
        """∂child/∂parent written with names, from the op table: ``2c`` for ``c**2``."""
        operands = [self.names[parent] for parent in self.node.parents]
        return self.node.operation.formulas(*operands)[update.position]

    def update_text(self, update: EdgeUpdate, precision: int = 6) -> str:
        """The row a problem sheet writes: ``grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10``."""
        child, parent = self.name, self.names[update.parent]
        return (
            f"grad({parent}) += ∂{child}/∂{parent} · grad({child}) = "
            f"{factor_text(update.local_grad, precision)} · "
            f"{factor_text(update.upstream, precision)} = "
            f"{number_text(update.contribution, precision)}"
        )

    def change_text(self, update: EdgeUpdate, precision: int = 6) -> str:
        """``grad(x): 6 → 8``, what the ``+=`` did."""
        return (
            f"grad({self.names[update.parent]}): "
            f"{number_text(update.grad_before, precision)} → "
            f"{number_text(update.grad_after, precision)}"
        )

    def note_text(self, update: EdgeUpdate | None = None) -> str:
        """Why a row matters: a repeated ``+=``, a skipped node, a leaf whose grad is final."""
        if update is not None:
            if update.is_repeated:
                return (
                    f"{_ordinal(update.contribution_number)} of "
                    f"{update.contribution_count} contributions to "
                    f"{self.names[update.parent]}: they add up"
                )
            return ""
        if self.skipped:
            return f"grad({self.name}) = 0: nothing flows back from {self.name}"
        if not self.node.parents:
            summed = self.sum_text()
            if summed:
                return f"leaf: grad({self.name}) = {summed}, final"
            return f"leaf: grad({self.name}) is final"
        return ""

    def rows(
        self, show_constants: bool = False, precision: int = 6, number: int | None = None
    ) -> list[dict[str, str]]:
        """The table rows of this step, one per shown edge (one row if none).

        Each row is a dict with the keys ``step``, ``node``, ``grad``,
        ``local``, ``update``, ``change`` and ``note``, all text. ``number`` is
        the step number to print (a table that hides constants numbers the
        steps it shows 1, 2, 3, ... without gaps); ``self.number`` by default.
        """
        head = {
            "step": str(self.number if number is None else number),
            "node": self.name,
            "grad": number_text(self.upstream, precision),
        }
        updates = self.visible_updates(show_constants)
        if not updates:
            return [{**head, "local": "", "update": "", "change": "", "note": self.note_text()}]
        rows = []
        for index, update in enumerate(updates):
            cells = head if index == 0 else {"step": "", "node": "", "grad": ""}
            rows.append(
                {
                    **cells,
                    "local": f"∂{self.name}/∂{self.names[update.parent]} = "
                    f"{self.local_formula(update)}",
                    "update": self.update_text(update, precision),
                    "change": self.change_text(update, precision),
                    "note": self.note_text(update),
                }
            )
        return rows

    def __str__(self) -> str:
        return _text_table([self], show_constants=True, precision=6, header=False)

    def _repr_html_(self) -> str:
        return _html_table([self], show_constants=True, precision=6)


# ---------------------------------------------------------------- tables
_COLUMNS = (
    ("step", "step"),
    ("node", "node"),
    ("grad", "grad(node)"),
    ("local", "local derivative"),
    ("update", "chain rule"),
    ("change", "grad before → after"),
    ("note", "note"),
)


def _shown_steps(steps: Iterable[Step], show_constants: bool) -> list[Step]:
    return [step for step in steps if show_constants or not step.is_constant]


def _all_rows(steps: Sequence[Step], show_constants: bool, precision: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for number, step in enumerate(_shown_steps(steps, show_constants), start=1):
        rows.extend(step.rows(show_constants, precision, number))
    return rows


def _text_table(
    steps: Sequence[Step], show_constants: bool, precision: int, header: bool = True
) -> str:
    rows = _all_rows(steps, show_constants, precision)
    columns = [(key, title) for key, title in _COLUMNS if any(row[key] for row in rows)]
    widths = {key: max([len(title)] + [len(row[key]) for row in rows]) for key, title in columns}

    def line(cells: Mapping[str, str]) -> str:
        parts = []
        for key, _ in columns:
            cell = cells[key]
            parts.append(
                cell.rjust(widths[key]) if key in ("step", "grad") else cell.ljust(widths[key])
            )
        return "  ".join(parts).rstrip()

    lines = [line(dict(columns))] if header else []
    lines.extend(line(row) for row in rows)
    return "\n".join(lines)


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_table(steps: Sequence[Step], show_constants: bool, precision: int) -> str:
    rows = _all_rows(steps, show_constants, precision)
    columns = [(key, title) for key, title in _COLUMNS if any(row[key] for row in rows)]
    lines = [
        "| " + " | ".join(title for _, title in columns) + " |",
        "|" + "|".join("---:" if key in ("step", "grad") else "---" for key, _ in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(row[key]) for key, _ in columns) + " |")
    return "\n".join(lines)


# Inline styles only: the table must look right in Jupyter, on GitHub and in the
# exported page, none of which share a stylesheet.
_CELL = "padding:2px 10px;text-align:left;font-family:monospace;white-space:nowrap"
_REPEATED = "background:#fff3cd"


def _html_table(
    steps: Sequence[Step], show_constants: bool, precision: int, current: int | None = None
) -> str:
    shown = _shown_steps(steps, show_constants)
    all_rows = _all_rows(steps, show_constants, precision)
    columns = [(key, title) for key, title in _COLUMNS if any(row[key] for row in all_rows)]
    parts = ['<table class="pathgrad-steps" style="border-collapse:collapse">', "<thead><tr>"]
    parts.extend(f'<th style="{_CELL}">{html.escape(title)}</th>' for _, title in columns)
    parts.append("</tr></thead><tbody>")
    for number, step in enumerate(shown, start=1):
        updates = step.visible_updates(show_constants)
        for index, row in enumerate(step.rows(show_constants, precision, number)):
            styles = [_CELL]
            if index == 0:
                styles.append("border-top:1px solid #999")
            if updates and updates[index].is_repeated:
                styles.append(_REPEATED)
            if number == current:
                styles.append("font-weight:bold")
            style = ";".join(styles)
            parts.append(f'<tr data-step="{number}">')
            parts.extend(f'<td style="{style}">{html.escape(row[key])}</td>' for key, _ in columns)
            parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


class StepTable(Sequence[Step]):
    """Every step of one backward pass, shown as a table.

    ``str(table)`` is plain text, ``table.to_markdown()`` Markdown and Jupyter
    shows HTML. One row per edge; the rows of a node that receives several
    contributions are marked, and constants are hidden unless
    ``show_constants=True``.

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> table = backward_steps(f).table()
    >>> print(table.row_texts()[2])
    grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10
    """

    def __init__(
        self,
        steps: Sequence[Step],
        root: Value,
        show_constants: bool = False,
        precision: int = 6,
    ) -> None:
        self._steps = tuple(steps)
        self.root = root
        self.show_constants = show_constants
        self.precision = precision

    def __getitem__(self, index):  # type: ignore[override] - int or slice, as for a tuple
        return self._steps[index]

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def names(self) -> Mapping[Value, str]:
        """The display name of every node."""
        return self._steps[0].names if self._steps else {self.root: "root"}

    @property
    def shown_steps(self) -> list[Step]:
        """The steps the table shows (constants' own steps hidden unless asked)."""
        return _shown_steps(self._steps, self.show_constants)

    def row_texts(self) -> list[str]:
        """Every shown ``grad(p) += ∂c/∂p · grad(c) = … = …`` line, in order."""
        return [
            step.update_text(update, self.precision)
            for step in self.shown_steps
            for update in step.visible_updates(self.show_constants)
        ]

    def final_grads(self) -> dict[Value, float]:
        """grad(node) after the whole pass, for every node: ``autograd.grad(root, node)``.

        ``draw(root, grads=table.final_grads())`` draws the graph with them.
        """
        return {step.node: step.grad_after for step in self._steps}

    def heading(self) -> str:
        """One line saying where the pass starts."""
        name = self.names[self.root]
        return (
            f"Backward pass of {name} = {number_text(self.root.data, self.precision)}, "
            f"root first. Start: grad({name}) = 1, every other grad 0."
        )

    def to_text(self) -> str:
        """The table as aligned plain text, with a heading line."""
        body = _text_table(self._steps, self.show_constants, self.precision)
        return f"{self.heading()}\n\n{body}"

    def to_markdown(self) -> str:
        """The table in Markdown (GitHub's flavour), with a heading line."""
        body = _markdown_table(self._steps, self.show_constants, self.precision)
        return f"{self.heading()}\n\n{body}"

    def to_html(self, current: int | None = None) -> str:
        """The table as one HTML ``<table>``; shown step number ``current`` in bold."""
        return _html_table(self._steps, self.show_constants, self.precision, current)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.heading())}</p>{self.to_html()}"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------- the iterator
def compute_steps(root: Value, parameter_names: str = "dotted") -> tuple[Step, ...]:
    """Every step of one fresh backward pass of ``root``, from ``chain_rule``'s record.

    Nothing is written: the pass runs on the side, from grad(root) = 1 and every
    other grad 0. A gradient that would not be finite raises ``DomainError``.
    """
    record: list[Contribution] = []
    gradient = chain_rule(root, record)
    names = node_names(root, parameter_names)
    counts: dict[Value, int] = {}
    for contribution in record:
        counts[contribution.parent] = counts.get(contribution.parent, 0) + 1
    by_child: dict[Value, list[EdgeUpdate]] = {}
    into: dict[Value, list[EdgeUpdate]] = {}
    numbers: dict[Value, int] = {}
    for contribution in record:
        parent = contribution.parent
        numbers[parent] = numbers.get(parent, 0) + 1
        update = EdgeUpdate(
            child=contribution.child,
            position=contribution.position,
            parent=parent,
            local_grad=contribution.local_grad,
            upstream=contribution.upstream,
            contribution=contribution.contribution,
            grad_before=contribution.grad_before,
            grad_after=contribution.grad_after,
            contribution_number=numbers[parent],
            contribution_count=counts[parent],
        )
        by_child.setdefault(contribution.child, []).append(update)
        into.setdefault(parent, []).append(update)
    return tuple(
        Step(
            number=number,
            node=node,
            upstream=gradient[node],
            updates=tuple(by_child.get(node, ())),
            skipped=gradient[node] == 0.0,
            names=names,
            received=tuple(into.get(node, ())),
        )
        for number, node in enumerate(backward_order(root), start=1)
    )


class BackwardSteps(Iterator[Step]):
    """The backward pass as an iterator of ``Step``: each ``next()`` is one node.

    Made by ``backward_steps(root)``; see there. The pass is computed on the side
    the first time a step is asked for, and never touches ``.grad``. Showing it
    (``print``, or as the last line of a notebook cell) shows the whole table and
    does not move the iterator.
    """

    def __init__(
        self,
        root: Value,
        show_constants: bool = False,
        precision: int = 6,
        parameter_names: str = "dotted",
    ) -> None:
        one_root(root, "backward_steps")
        whole = isinstance(precision, int) and not isinstance(precision, bool)
        if isinstance(precision, str):
            number_formatter(precision)  # a format spec such as ".3f", checked as draw does
        elif not whole or not 1 <= precision <= 17:
            raise ValueError(
                f"precision must be a whole number of significant digits from 1 to 17 "
                f"(or a format spec such as '.3f'), not {precision!r:.40}"
            )
        self.root = root
        self.show_constants = show_constants
        self.precision = precision
        self.parameter_names = parameter_names
        if parameter_names not in NAME_STYLES:
            raise ValueError(
                f"backward_steps: parameter_names must be one of "
                f"{', '.join(map(repr, NAME_STYLES))}, not {parameter_names!r:.40}"
            )
        self._all: tuple[Step, ...] | None = None
        self._taken = 0

    def _steps(self) -> tuple[Step, ...]:
        if self._all is None:
            self._all = compute_steps(self.root, self.parameter_names)
        return self._all

    @property
    def steps(self) -> list[Step]:
        """The steps taken so far by ``next()``."""
        return list(self._steps()[: self._taken])

    def __iter__(self) -> BackwardSteps:
        return self

    def __next__(self) -> Step:
        steps = self._steps()
        if self._taken >= len(steps):
            raise StopIteration
        self._taken += 1
        return steps[self._taken - 1]

    def table(self) -> StepTable:
        """Every step of the pass (whatever ``next()`` has taken), as a table."""
        return StepTable(self._steps(), self.root, self.show_constants, self.precision)

    def __str__(self) -> str:
        return self.table().to_text()

    def __repr__(self) -> str:
        return self.table().to_text()

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def _repr_markdown_(self) -> str:
        return self.table().to_markdown()


def backward_steps(
    root: Value,
    *,
    show_constants: bool = False,
    precision: int = 6,
    parameter_names: str = "dotted",
) -> BackwardSteps:
    """The backward pass of ``root``, one node at a time, as an iterator of ``Step``.

    One fresh pass, computed on the side by the engine's ``chain_rule`` (the same
    one ``root.backward()`` and ``autograd.grad`` use): grad(root) = 1 and every
    other grad 0 at the start, then nodes in ``backward_order(root)``, root
    first, and for each node, for each edge to a parent::

        grad(parent) += ∂node/∂parent · grad(node)

    Nodes whose grad is exactly 0 pass nothing on, as in ``backward()``. The
    grads it shows equal ``autograd.grad(root, node)`` for every node; no
    ``.data`` or ``.grad`` changes, however often it is called, before or after
    ``backward()``. A gradient that would not be finite (sqrt at 0) raises the
    DomainError when the first step is asked for.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.label = "y"
    >>> for step in backward_steps(y):
    ...     for update in step.updates:
    ...         print(step.update_text(update), " ", step.note_text(update))
    grad(x) += ∂y/∂x · grad(y) = 3 · 1 = 3   1st of 2 contributions to x: they add up
    grad(x) += ∂y/∂x · grad(y) = 3 · 1 = 3   2nd of 2 contributions to x: they add up
    >>> x.grad                                 # the view changed nothing
    0.0

    ``show_constants``, ``precision`` (significant digits) and ``parameter_names``
    ("dotted", "math" ``w¹₁₂`` or "matrix" ``W1[1,2]``, for an ``nn`` model's
    weights) only change how the steps print: ``print(backward_steps(f))`` or
    ``backward_steps(f).table()``.
    """
    return BackwardSteps(
        root, show_constants=show_constants, precision=precision, parameter_names=parameter_names
    )
