"""Drawing a computation graph: one card per Value, one labelled arrow per edge.

>>> from autograd import Value, draw
>>> x, y = Value(3.0, label="x"), Value(2.0, label="y")
>>> f = x**2 + x*y
>>> f.backward()
>>> picture = draw(f, derivatives="formula")   # shows as SVG in Jupyter
>>> picture.save("graph.png")                   # doctest: +SKIP

A card shows the node's name (its label, or the op's name and a number: ``mul1``),
the op that made it, ``data`` and ``grad``. An arrow from a parent to a child is
labelled with the child's local derivative with respect to that parent, as stored
on the child (``∂child/∂parent``), so the chain rule can be read off the picture:
∂root/∂node = sum over paths of the product of the labels along the path.

Node names in the DOT text are ``n0, n1, ...`` in topological order, so the same
graph always gives the same text, byte for byte.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import graphviz

from autograd import Value, topological_order
from autograd.views import rendering
from autograd.views.format import display_names, number_formatter
from autograd.views.layout import Layout, edge_id, parse_layout

__all__ = ["draw", "layout", "Drawing", "GraphTooLargeError", "ROLE_COLORS"]

FONT = "Helvetica"
DASH = "—"

# Role -> (header fill, border). Inputs blue, parameters amber, results grey, the
# output green: the roles a lecture talks about are told apart at a glance.
ROLE_COLORS: dict[str, tuple[str, str]] = {
    "input": ("#dbeafe", "#2563eb"),
    "parameter": ("#fef3c7", "#d97706"),
    "result": ("#f3f4f6", "#6b7280"),
    "output": ("#dcfce7", "#16a34a"),
    "constant": ("#f9fafb", "#9ca3af"),
}
HIGHLIGHT_COLOR = "#dc2626"
DIMMED_COLOR = "#9ca3af"
EDGE_COLOR = "#374151"


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``: drawing it would be unreadable or slow."""


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders with pathgrad's renderer.

    ``save("graph.png")`` takes the format from the extension; showing it in Jupyter
    renders SVG through ``autograd.render``, so neither needs a system Graphviz.

    Attributes:
        nodes_by_name: the Value behind each DOT node name ("n0", "n1", ...).
        edges_by_id: the edge ``(child, position)`` behind each DOT edge id.
        pinned: True when node positions were given (rendered with neato ``-n2``).
    """

    def __init__(
        self,
        *args: Any,
        nodes_by_name: Mapping[str, Value] | None = None,
        edges_by_id: Mapping[str, tuple[Value, int]] | None = None,
        pinned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.nodes_by_name: dict[str, Value] = dict(nodes_by_name or {})
        self.edges_by_id: dict[str, tuple[Value, int]] = dict(edges_by_id or {})
        self.pinned = pinned

    def _copy_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # copy() rebuilds the object from these; graphviz's bases drop unknown ones.
        copied = super()._copy_kwargs(**kwargs)
        copied.update(
            nodes_by_name=self.nodes_by_name, edges_by_id=self.edges_by_id, pinned=self.pinned
        )
        return copied

    def save(  # type: ignore[override]
        self, filename: str | os.PathLike[str], directory: str | os.PathLike[str] | None = None
    ) -> Path:
        """Write the drawing to ``filename``: .svg, .png, .jpg, .pdf, .json or .dot/.gv.

        The format comes from the extension; the write is atomic and makes missing
        folders. Returns the ``pathlib.Path`` written.
        """
        path = Path(directory, filename) if directory is not None else Path(filename)
        return rendering.save(self, path)

    def pipe(  # type: ignore[override]
        self,
        format: str | None = None,
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: Any = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> Any:
        """The rendered drawing as bytes (or text with ``encoding``), via ``autograd.render``."""
        data = rendering.render(
            self.source, format or "svg", engine or self.engine, pinned=self.pinned
        )
        return data.decode(encoding) if encoding is not None else data

    def render(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,
        **ignored: Any,
    ) -> Path:
        """Write ``filename.format`` (default svg) with pathgrad's renderer; return its path."""
        stem = Path(directory or "", filename or self.filename or "graph")
        return rendering.save(self, stem.with_name(f"{stem.name}.{format or 'svg'}"))

    def _repr_svg_(self) -> str:
        return self.pipe(format="svg", encoding="utf-8")


# ---------------------------------------------------------------- text helpers
# Graphviz would read a raw newline as a space and control characters as errors.
_ESCAPES = {code: "?" for code in range(32)}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
_ESCAPES[ord("\n")] = "<BR/>"
_ESCAPES[ord("\t")] = " "


def _escape(text: str) -> str:
    """Text made safe inside a Graphviz HTML-like label: shown exactly as written."""
    return text.translate(_ESCAPES)


_OPERATOR_CHARACTERS = re.compile("[ +\\-−*/^·÷×]")


def _operand_text(name: str) -> str:
    """A name ready to stand inside a formula: ``x+y`` becomes ``(x+y)``."""
    if _OPERATOR_CHARACTERS.search(name) and not name.startswith("("):
        return f"({name})"
    return name


# ---------------------------------------------------------------- highlight
def _highlight_sets(highlight: Any) -> tuple[set[Value], set[tuple[Value, int]]]:
    """Split ``highlight`` into highlighted nodes and edges ``(child, position)``."""
    nodes: set[Value] = set()
    edges: set[tuple[Value, int]] = set()
    if highlight is None:
        return nodes, edges
    items = [highlight] if isinstance(highlight, Value) else highlight
    if hasattr(items, "nodes") and hasattr(items, "edges"):
        items = [items]
    for item in items:
        if isinstance(item, Value):
            nodes.add(item)
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], Value)
            and isinstance(item[1], int)
        ):
            edges.add((item[0], item[1]))
        elif hasattr(item, "nodes") and hasattr(item, "edges"):
            nodes.update(item.nodes)
            edges.update((child, position) for child, position in item.edges)
        else:
            raise TypeError(
                "highlight takes Values, edges (child, position) and path objects with "
                f".nodes and .edges; got {type(item).__name__} {item!r:.60}"
            )
    return nodes, edges


# ---------------------------------------------------------------- cards
def _card(
    name: str,
    op_text: str,
    rows: list[tuple[str, str]],
    role: str,
    highlighted: bool,
    dimmed: bool,
) -> str:
    """The HTML-like label of one node: header (name, op), then data / grad rows."""
    fill, border = ROLE_COLORS[role]
    if highlighted:
        border = HIGHLIGHT_COLOR
    elif dimmed:
        border = DIMMED_COLOR
    header = f'<TD ALIGN="LEFT" BGCOLOR="{fill}"><B>{_escape(name)}</B></TD>'
    # An empty <FONT></FONT> is a syntax error to Graphviz 2.43: leave the cell bare.
    op_cell = f'<FONT COLOR="#4b5563">{_escape(op_text)}</FONT>' if op_text else ""
    header += f'<TD ALIGN="RIGHT" BGCOLOR="{fill}">{op_cell}</TD>'
    body = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="#6b7280">{key}</FONT></TD>'
        f'<TD ALIGN="RIGHT">{_escape(value)}</TD></TR>'
        for key, value in rows
    )
    thickness = 3 if highlighted else 1
    return (
        f'<<TABLE BORDER="{thickness}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
        f'COLOR="{border}"><TR>{header}</TR>{body}</TABLE>>'
    )


def _constant_card(text: str, highlighted: bool) -> str:
    border = HIGHLIGHT_COLOR if highlighted else ROLE_COLORS["constant"][1]
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="{border}" '
        f'BGCOLOR="{ROLE_COLORS["constant"][0]}"><TR><TD><FONT POINT-SIZE="10">'
        f"{_escape(text)}</FONT></TD></TR></TABLE>>"
    )


def _attributes(pairs: dict[str, str]) -> str:
    """DOT attributes; values already safe (HTML-like labels are written bare)."""
    parts = []
    for key, value in pairs.items():
        parts.append(f"{key}={value}" if value.startswith("<") else f'{key}="{value}"')
    return " ".join(parts)


# ---------------------------------------------------------------- draw
def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    derivatives: str = "value",
    precision: int | str = 4,
    show_grad: bool = True,
    grads: Mapping[Value, float] | None = None,
    highlight: Any = None,
    edge_notes: Mapping[tuple[Value, int], str] | None = None,
    positions: Layout | Mapping[Value, tuple[float, float]] | None = None,
    max_nodes: int = 500,
    title: str | None = None,
) -> Drawing:
    """Draw the graph ``root`` depends on; returns a ``graphviz.Digraph`` (a ``Drawing``).

    Drawing reads the graph and changes nothing: no ``.data`` or ``.grad``.

    Args:
        root: the output node; it and every node it depends on are drawn.
        rankdir: "LR" (inputs left, output right) or "TB" (top to bottom).
        derivatives: "value" labels each arrow with ∂child/∂parent as a number;
            "formula" also writes it symbolically, from the op table (``2x = 6``).
        precision: significant digits (int) or a format spec (``".2f"``).
        show_grad: show the grad row. Before any backward pass (all grads 0) it
            shows a dash, not 0.
        grads: show these gradients instead of ``.grad`` (for example one step's,
            from ``backward_steps``); a node missing from the mapping shows a dash.
        highlight: Values, edges ``(child, position)`` and objects with ``.nodes`` and
            ``.edges`` (paths) to draw in red; everything else is drawn in grey.
        edge_notes: text appended to an edge's label, keyed by ``(child, position)``.
        positions: a ``Layout`` from ``autograd.layout(root)`` (nodes, edge routes
            and picture size are then exactly the layout's, so animation frames do
            not move), or just node centres in points. Rendered with neato ``-n2``.
        max_nodes: refuse graphs larger than this (a picture of thousands of cards
            is unreadable, and layout time grows quickly).
        title: a caption drawn above the graph.

    Raises:
        GraphTooLargeError: more than ``max_nodes`` nodes.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw needs a Value (the graph's output), not {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), not {rankdir!r:.60}")
    if derivatives not in ("value", "formula"):
        raise ValueError(f"derivatives must be 'value' or 'formula', not {derivatives!r:.60}")
    order = topological_order(root)
    if len(order) > max_nodes:
        raise GraphTooLargeError(
            f"the graph has {len(order)} nodes, more than max_nodes={max_nodes}; a picture "
            f"that large is unreadable and slow to lay out. Draw a smaller part, or pass "
            f"max_nodes={len(order)} (or more) to draw it anyway."
        )
    write = number_formatter(precision)
    names = display_names(order, write)
    dot_names = {node: f"n{index}" for index, node in enumerate(order)}
    pinned = _pinned_layout(positions, order, names)
    marked_nodes, marked_edges = _highlight_sets(highlight)
    dimming = bool(marked_nodes or marked_edges)
    if grads is None:
        # All zero means no backward pass yet (or zero_grad): show dashes, not zeros.
        backward_ran = any(node.grad != 0.0 for node in order)
        # float(): after backward(create_graph=True) a .grad is a Value; show its number.
        grad_of = (lambda node: write(float(node.grad))) if backward_ran else (lambda node: DASH)
    else:
        grad_of = lambda node: write(float(grads[node])) if node in grads else DASH

    lines: list[str] = []
    for node in order:
        role = "output" if node is root else node.role
        attributes: dict[str, str] = {}
        if role == "constant":
            attributes["label"] = _constant_card(names[node], node in marked_nodes)
        else:
            rows = [("data", write(node.data))]
            if show_grad:
                rows.append(("grad", grad_of(node)))
            symbol = node.operation.symbol if node.operation is not None else None
            op_text = symbol or ("" if role == "output" else role)
            highlighted = node in marked_nodes
            attributes["label"] = _card(
                names[node], op_text, rows, role, highlighted, dimming and not highlighted
            )
        if pinned is not None:
            x, y = pinned.positions[node]
            attributes["pos"] = f"{x:.2f},{y:.2f}!"
        lines.append(f"\t{dot_names[node]} [{_attributes(attributes)}]\n")

    edges_by_id: dict[str, tuple[Value, int]] = {}
    for child in order:
        for position, label in enumerate(_edge_labels(child, names, write, derivatives)):
            edge = (child, position)
            parent = child.parents[position]
            identifier = edge_id(dot_names[child], position)
            edges_by_id[identifier] = edge
            attributes = {"id": identifier}
            if parent.role == "constant":
                # A constant's derivative is never needed: a quiet dashed arrow.
                attributes.update(style="dashed", color=DIMMED_COLOR, arrowsize="0.6")
            else:
                if edge_notes is not None and edge in edge_notes:
                    label = f"{label} {edge_notes[edge]}"
                attributes["label"] = f"<{_escape(label)}>"
            if edge in marked_edges:
                attributes.update(color=HIGHLIGHT_COLOR, fontcolor=HIGHLIGHT_COLOR, penwidth="2.5")
                if "label" in attributes:
                    attributes["label"] = f"<<B>{attributes['label'][1:-1]}</B>>"
            elif dimming and parent.role != "constant":
                attributes.update(color=DIMMED_COLOR, fontcolor="#6b7280")
            if pinned is not None and edge in pinned.edges:
                route = pinned.edges[edge]
                attributes["pos"] = route.spline
                if route.label_position is not None:
                    attributes["lp"] = route.label_position
            lines.append(
                f"\t{dot_names[parent]} -> {dot_names[child]} [{_attributes(attributes)}]\n"
            )
    if pinned is not None and isinstance(positions, Layout):
        lines.extend(_corner_lines(pinned.box))

    graph_attributes = {
        "rankdir": rankdir,
        "bgcolor": "white",
        "nodesep": "0.25",
        "ranksep": "0.6",
        "fontname": FONT,
    }
    if pinned is not None:
        graph_attributes["splines"] = "true"
    if title is not None:
        graph_attributes.update(label=f"<<B>{_escape(title)}</B>>", labelloc="t", fontsize="16")
    return Drawing(
        name="pathgrad",
        graph_attr=graph_attributes,
        node_attr={
            "shape": "plaintext",
            "fontname": FONT,
            "fontsize": "12",
            "margin": "0",
            "width": "0",
            "height": "0",
        },
        edge_attr={"fontname": FONT, "fontsize": "11", "color": EDGE_COLOR, "arrowsize": "0.8"},
        body=lines,
        engine="neato" if pinned is not None else "dot",
        nodes_by_name={dot_names[node]: node for node in order},
        edges_by_id=edges_by_id,
        pinned=pinned is not None,
    )


def _edge_labels(
    child: Value, names: Mapping[Value, str], write: Any, derivatives: str
) -> list[str]:
    """The label of each edge into ``child``: ∂child/∂parent as a number, or ``2x = 6``."""
    numbers = [write(local) for local in child.local_grads]
    if derivatives != "formula" or child.operation is None:
        return numbers
    operands = [_operand_text(names[parent]) for parent in child.parents]
    formulas = child.operation.formulas(*operands)
    return [
        number if formula == number else f"{formula} = {number}"
        for formula, number in zip(formulas, numbers)
    ]


def _pinned_layout(
    positions: Layout | Mapping[Value, tuple[float, float]] | None,
    order: list[Value],
    names: Mapping[Value, str],
) -> Layout | None:
    """``positions`` as a Layout (a plain mapping pins the nodes only), checked to
    cover every node."""
    if positions is None:
        return None
    if isinstance(positions, Layout):
        pinned = positions
    else:
        pinned = Layout(dict(positions), {}, (0.0, 0.0, 0.0, 0.0))
    missing = [names[node] for node in order if node not in pinned.positions]
    if missing:
        raise ValueError(
            f"positions has no entry for {', '.join(missing[:10])}; compute them "
            "with autograd.layout(root) for the whole graph"
        )
    return pinned


def _corner_lines(box: tuple[float, float, float, float]) -> list[str]:
    """Two invisible pinned points at opposite corners of ``box``.

    Graphviz sizes a picture to what it holds, so a frame with shorter labels
    would be smaller and shift everything; with the corners pinned, every frame
    drawn with one Layout has the same size and origin.
    """
    left, bottom, right, top = box
    return [
        f'\t{name} [label="" shape=point style=invis width=0 height=0 pos="{x:.2f},{y:.2f}!"]\n'
        for name, (x, y) in (("corner_low", (left, bottom)), ("corner_high", (right, top)))
    ]


def layout(drawing_or_root: Drawing | Value, **draw_options: Any) -> Layout:
    """Lay a drawing (or ``draw(root, **draw_options)``) out once with Graphviz's ``dot``.

    Returns a ``Layout``: node centres, edge routes and the picture's box, in
    points. Pass it as ``draw(root, positions=...)`` to draw every frame of an
    animation exactly like this; lay out with the widest labels any frame shows
    (the final grads, every note), so no card outgrows its place.
    """
    if isinstance(drawing_or_root, Value):
        drawing = draw(drawing_or_root, **draw_options)
    elif isinstance(drawing_or_root, Drawing):
        if draw_options:
            raise TypeError("layout: draw options are only for a root Value, not a Drawing")
        drawing = drawing_or_root
    else:
        raise TypeError(f"layout needs a Value or a Drawing, not {type(drawing_or_root).__name__}")
    laid_out = rendering.render(drawing.source, "json", "dot")
    return parse_layout(laid_out, drawing.nodes_by_name, drawing.edges_by_id)
