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

import functools
import math
import numbers
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import graphviz

from autograd import Value, topological_order
from autograd.engine.errors import shortened
from autograd.files import write_atomically
from autograd.views import grouped, rendering, themes
from autograd.views import tikz as tikz_module
from autograd.views.format import display_names, number_formatter
from autograd.views.layout import Layout, edge_id, parse_layout
from autograd.views.themes import Theme, edge_attributes, node_attributes

__all__ = ["draw", "layout", "Drawing", "GraphTooLargeError", "ROLE_COLORS"]

DASH = "—"

# The default theme's colours (autograd.views.themes holds every theme): inputs
# blue, parameters amber, results grey, the output green, told apart at a glance.
_DEFAULT = themes.THEMES["default"]
FONT = _DEFAULT.font
ROLE_COLORS: dict[str, tuple[str, str]] = {
    role: (style.fill, style.border) for role, style in _DEFAULT.roles.items()
}
HIGHLIGHT_COLOR = _DEFAULT.highlight
DIMMED_COLOR = _DEFAULT.dimmed
EDGE_COLOR = _DEFAULT.edge


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``: drawing it would be unreadable or slow.

    Attributes:
        size: what was counted (nodes, cards), in words: "601 nodes".
        limit: the limit it is over, in words: "500".
    The message adds the way round, with the Python argument that raises the limit.
    """

    def __init__(self, message: str, size: str = "", limit: str = "") -> None:
        super().__init__(message)
        self.size, self.limit = size, limit


def drawing_format(path: str | os.PathLike[str]) -> str:
    """The format ``Drawing.save`` writes for ``path``: "tex" (TikZ) or a renderer's.

    Raises ValueError, listing every extension it takes, for any other.
    """
    if Path(path).suffix.lower() == ".tex":
        return "tex"
    try:
        return rendering.format_from_path(path)
    except ValueError as error:  # the renderers' formats, and TikZ's
        raise ValueError(f"{error}, or .tex (a TikZ picture)") from None


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders with pathgrad's renderer.

    ``save("graph.png")`` takes the format from the extension; showing it in Jupyter
    renders SVG through ``autograd.views.rendering.render``, so neither needs a system Graphviz.

    Attributes:
        nodes_by_name: the Value behind each DOT node name ("n0", "n1", ...).
        edges_by_id: the edge ``(child, position)`` behind each DOT edge id.
        pinned: True when node positions were given (rendered with neato ``-n2``).
        dpi: pixels per inch of PNG and JPEG files (None: the graph's own ``dpi``
            attribute if it has one, else ``rendering.PNG_DPI``, 144).
    """

    def __init__(
        self,
        *args: Any,
        nodes_by_name: Mapping[str, Value] | None = None,
        edges_by_id: Mapping[str, tuple[Value, int]] | None = None,
        pinned: bool = False,
        dpi: float | None = None,
        tikz: tikz_module.TikzModel | None = None,
        pinned_layout: Layout | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.nodes_by_name: dict[str, Value] = dict(nodes_by_name or {})
        self.edges_by_id: dict[str, tuple[Value, int]] = dict(edges_by_id or {})
        self.pinned = pinned
        self.dpi = dpi
        self.tikz_model = tikz
        self.pinned_layout = pinned_layout

    def _copy_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # copy() rebuilds the object from these; graphviz's bases drop unknown ones.
        copied = super()._copy_kwargs(**kwargs)
        copied.update(
            nodes_by_name=self.nodes_by_name,
            edges_by_id=self.edges_by_id,
            pinned=self.pinned,
            dpi=self.dpi,
            tikz=self.tikz_model,
            pinned_layout=self.pinned_layout,
        )
        return copied

    def save(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str],
        directory: str | os.PathLike[str] | None = None,
        *,
        dpi: float | None = None,
        max_pixels: int | None = None,
    ) -> Path:
        """Write the drawing to ``filename``: .svg, .png, .jpg, .pdf, .json, .dot/.gv or .tex.

        The format comes from the extension; the write is atomic and makes missing
        folders. ``dpi`` sets a PNG's pixels per inch (default: the drawing's
        ``dpi``, else 144); a PNG over ``max_pixels`` (default
        ``rendering.MAX_PIXELS``, 25 million) is refused with a one-line
        ``ImageTooLargeError`` before it is drawn. ``.tex`` is a TikZ picture that
        compiles alone with pdflatex and can be ``\\input`` into a Beamer frame
        (``autograd.views.tikz``). Returns the ``pathlib.Path`` written.
        """
        path = Path(directory, filename) if directory is not None else Path(filename)
        if drawing_format(path) == "tex":
            return write_atomically(
                path, tikz_module.standalone(self.tikz(), path.name).encode("utf-8")
            )
        return rendering.save(self, path, dpi=dpi, max_pixels=max_pixels)

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
        """The rendered drawing as bytes (or text with ``encoding``), via ``rendering.render``."""
        data = rendering.render(
            self.source, format or "svg", engine or self.engine, pinned=self.pinned, dpi=self.dpi
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

    def tikz(self, caption: tuple[str, ...] = ()) -> str:
        """The drawing as a bare ``tikzpicture`` (LaTeX), laid out as the PNG is.

        ``caption`` lines (LaTeX, already escaped) are written under the picture.
        """
        if self.tikz_model is None:
            raise ValueError(
                "this drawing cannot be written as TikZ (grouped drawings and plain "
                "graphviz graphs have no cards to write); save it as .pdf instead"
            )
        geometry = self.pinned_layout
        if geometry is None:
            laid_out = rendering.render(self.source, "json", "dot")
            geometry = parse_layout(laid_out, self.nodes_by_name, self.edges_by_id)
        return tikz_module.tikz_picture(
            self.tikz_model, geometry, self.nodes_by_name, self.edges_by_id, caption
        )

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
def _highlight_sets(
    highlight: Any, look: Theme
) -> tuple[set[Value], set[tuple[Value, int]], dict[Any, str]]:
    """Split ``highlight`` into highlighted nodes and edges ``(child, position)``, and
    a colour for each part of a path when several paths are given."""
    nodes: set[Value] = set()
    edges: set[tuple[Value, int]] = set()
    colors: dict[Any, str] = {}
    if highlight is None:
        return nodes, edges, colors
    items = [highlight] if isinstance(highlight, Value) else highlight
    if hasattr(items, "nodes") and hasattr(items, "edges"):
        items = [items]
    items = list(items)
    path_items = [item for item in items if hasattr(item, "nodes") and hasattr(item, "edges")]
    if len(path_items) > 1 and look.path_colors:
        # Later paths first, so where paths share an edge the first path's colour wins.
        for index in reversed(range(len(path_items))):
            color = look.path_colors[index % len(look.path_colors)]
            colors.update(dict.fromkeys(path_items[index].edges, color))
            colors.update(dict.fromkeys(path_items[index].nodes, color))
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
    return nodes, edges, colors


# ---------------------------------------------------------------- cards
def _table_style(style: str) -> str:
    return f' STYLE="{style}"' if style else ""


def _card(
    name: str,
    op_text: str,
    rows: list[tuple[str, str]],
    role: str,
    highlighted: bool,
    dimmed: bool,
    look: Theme,
    highlight_color: str | None = None,
) -> str:
    """The HTML-like label of one node: header (name, op), then data / grad rows."""
    style = look.roles[role]
    border = style.border
    if highlighted:
        border = highlight_color or look.highlight
    elif dimmed:
        border = look.dimmed
    fill = style.fill
    name_text = f"<B>{_escape(name)}</B>"
    if style.header_text != look.text:
        name_text = f'<FONT COLOR="{style.header_text}">{name_text}</FONT>'
    header = f'<TD ALIGN="LEFT" BGCOLOR="{fill}">{name_text}</TD>'
    # An empty <FONT></FONT> is a syntax error to Graphviz 2.43: leave the cell bare.
    op_color = style.header_text if role == "output" and look.name == "print" else look.muted
    op_cell = f'<FONT COLOR="{op_color}">{_escape(op_text)}</FONT>' if op_text else ""
    header += f'<TD ALIGN="RIGHT" BGCOLOR="{fill}">{op_cell}</TD>'
    cell_fill = f' BGCOLOR="{look.body_fill}"' if look.body_fill else ""
    body = ""
    for key, value in rows:
        color = {"data": look.data_color, "grad": look.grad_color}.get(key)
        shown = f'<FONT COLOR="{color}">{_escape(value)}</FONT>' if color else _escape(value)
        body += (
            f'<TR><TD ALIGN="LEFT"{cell_fill}><FONT COLOR="{look.muted}">{key}</FONT></TD>'
            f'<TD ALIGN="RIGHT"{cell_fill}>{shown}</TD></TR>'
        )
    thickness = 3 if highlighted else style.border_width
    return (
        f'<<TABLE BORDER="{thickness}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
        f'COLOR="{border}"{_table_style(style.style)}><TR>{header}</TR>{body}</TABLE>>'
    )


def _constant_card(text: str, highlighted: bool, look: Theme) -> str:
    style = look.roles["constant"]
    border = look.highlight if highlighted else style.border
    size = max(look.font_size - 2, 4)
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="{border}" '
        f'BGCOLOR="{style.fill}"{_table_style(style.style)}><TR><TD>'
        f'<FONT POINT-SIZE="{size:g}">'
        f"{_escape(text)}</FONT></TD></TR></TABLE>>"
    )


def _attributes(pairs: dict[str, str]) -> str:
    """DOT attributes; values already safe (HTML-like labels are written bare)."""
    parts = []
    for key, value in pairs.items():
        parts.append(f"{key}={value}" if value.startswith("<") else f'{key}="{value}"')
    return " ".join(parts)


def _wire_label(value: str, gradient: str | None, look: Theme) -> str:
    """A CS231n wire label: the value above the wire (green), the gradient below (red)."""
    rows = f'<TR><TD><FONT COLOR="{look.data_color}">{_escape(value)}</FONT></TD></TR>'
    # An empty row keeps the value above the wire before any gradient is known.
    below = _escape(gradient) if gradient is not None else " "
    rows += f'<TR><TD><FONT COLOR="{look.grad_color}">{below}</FONT></TD></TR>'
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>'


# ---------------------------------------------------------------- draw
def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    derivatives: str = "value",
    precision: int | str = 4,
    show_grad: bool = True,
    show_constants: bool = False,
    grads: Mapping[Value, float] | None = None,
    highlight: Any = None,
    edge_notes: Mapping[tuple[Value, int], str] | None = None,
    positions: Layout | Mapping[Value, tuple[float, float]] | None = None,
    max_nodes: int = 500,
    title: str | None = None,
    theme: str | Theme = "default",
    font: str | None = None,
    font_size: float | None = None,
    dpi: float | None = None,
    group: str | None = None,
    groups: Mapping[Value, Any] | None = None,
    parameter_names: str | None = None,
) -> Drawing:
    """Draw the graph ``root`` depends on; returns a ``graphviz.Digraph`` (a ``Drawing``).

    Drawing reads the graph and changes nothing: no ``.data`` or ``.grad``.

    Args:
        root: the output node; it and every node it depends on are drawn.
        rankdir: "LR" (inputs left, output right) or "TB" (top to bottom).
        derivatives: "value" labels each arrow with ∂child/∂parent as a number;
            "formula" also writes it symbolically, from the op table (``2x = 6``).
        precision: significant digits (int) or a format spec (``".2f"``). Whole
            numbers always print as integers (``1``, ``2``), whatever the spec.
        show_grad: show the grad row. Before any backward pass (all grads 0) it
            shows a dash, not 0.
        show_constants: draw constants (the 2 in ``x**2``) as cards with dashed
            arrows. False by default, as in the step table: their gradient is never
            used, and the card that uses one names it beside its op (``^ 2``).
        grads: show these gradients instead of ``.grad`` (for example one step's,
            from ``backward_steps``); a node missing from the mapping shows a dash.
        highlight: Values, edges ``(child, position)`` and objects with ``.nodes`` and
            ``.edges`` (paths) to draw in the highlight colour; everything else is
            dimmed. Several paths each get a colour of their own (the theme's
            ``path_colors``).
        edge_notes: text appended to an edge's label, keyed by ``(child, position)``.
        positions: a ``Layout`` from ``autograd.layout(root)`` (nodes, edge routes
            and picture size are then exactly the layout's, so animation frames do
            not move), or just node centres in points. Rendered with neato ``-n2``.
        max_nodes: refuse graphs larger than this (a picture of thousands of cards
            is unreadable, and layout time grows quickly).
        title: a caption drawn above the graph.
        theme: "default", "print" (black and white), "dark" or "cs231n" (values
            above the wires in green, gradients below in red), or a ``Theme``; see
            ``autograd.views.themes``.
        font, font_size: the font name and the cards' size in points (default the
            theme's: Helvetica, 12).
        dpi: pixels per inch of PNG files saved from the drawing (default 144).
        group: "neuron" draws each neuron of an ``nn`` model as one card (its
            pre-activation, activation and parameters, with data and grad), "layer"
            one card per layer; see ``autograd.views.grouped``. Nothing to mark:
            ``nn`` labels its parameters, and the rest follows from the graph.
        groups: your own grouping instead, ``{node: "group name"}``; each group is
            one card of its outputs and parameters.
        parameter_names: how ``nn`` parameters are named: "dotted"
            (``layers.0.neurons.1.w.0``, their labels), "math" (``w¹₁₂``: layer 1,
            input 1, neuron 2) or "matrix" (``W1[1,2]``). Default: "dotted", and
            "math" in grouped views.

    Raises:
        GraphTooLargeError: more than ``max_nodes`` nodes.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw needs a Value (the graph's output), not {type(root).__name__}")
    check_options(rankdir=rankdir, derivatives=derivatives)
    look = themes.theme(theme).with_font(font, font_size)
    if dpi is not None:
        dpi = rendering._checked_dpi(dpi)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise TypeError(f"max_nodes must be a whole number of at least 1, not {max_nodes!r:.40}")
    order = topological_order(root)
    write = number_formatter(precision)
    names = display_names(order, write)  # every node, so a hidden constant keeps its name
    if not show_constants:
        order = [node for node in order if node.role != "constant" or node is root]
    grouping = group is not None or groups is not None
    if len(order) > max_nodes and not grouping:  # a grouped view checks its cards
        raise GraphTooLargeError(
            f"the graph has {len(order)} nodes, more than max_nodes={max_nodes}; a picture "
            f"that large is unreadable and slow to lay out. Draw a smaller part, or pass "
            f"max_nodes={len(order)} (or more) to draw it anyway.",
            size=f"the graph has {len(order):,} nodes",
            limit=f"{max_nodes:,} nodes a picture",
        )
    shown = set(order)
    dot_names = {node: f"n{index}" for index, node in enumerate(order)}
    pinned = _pinned_layout(positions, order, names)
    style = parameter_names or ("math" if grouping else "dotted")
    check_options(parameter_names=style)
    if style != "dotted":
        for node in order:
            if node.role == "parameter" and node.label is not None:
                names[node] = grouped.parameter_name(node.label, style)
    if grouping and (highlight is not None or positions is not None or edge_notes):
        raise ValueError("highlight, positions and edge_notes are for ungrouped drawings")
    marked_nodes, marked_edges, colors = _highlight_sets(highlight, look)
    dimming = bool(marked_nodes or marked_edges)
    if grads is None:
        # All zero means no backward pass yet (or zero_grad): show dashes, not zeros.
        backward_ran = any(node.grad != 0.0 for node in order)
        # float(): after backward(create_graph=True) a .grad is a Value; show its number.
        grad_number = (lambda node: float(node.grad)) if backward_ran else (lambda node: None)
    else:
        grad_number = lambda node: float(grads[node]) if node in grads else None

    def grad_of(node: Value) -> str:
        number = grad_number(node)
        return DASH if number is None else write(number)

    if grouping:
        return grouped.draw_grouped(
            root,
            order,
            group=group,
            groups=groups,
            names=style,
            write=write,
            grad_number=grad_number,
            display=names,
            show_grad=show_grad,
            look=look,
            rankdir=rankdir,
            title=title,
            dpi=dpi,
            max_nodes=max_nodes,
            drawing=sys.modules[__name__],
        )

    @functools.cache
    def math_labels(child: Value) -> list[str]:
        return _math_labels(child, names, write, derivatives)

    constant_edges: set[str] = set()  # as the roles are now: they may change later

    def edge_label(identifier: str) -> str:
        if identifier in constant_edges:
            return ""
        child, position = edges_by_id[identifier]
        return math_labels(child)[position]

    model = tikz_module.TikzModel(
        edge_label=edge_label,
        background=look.background,
        text_color=look.text,
        muted=look.muted,
        data_color=look.data_color,
        grad_color=look.grad_color,
        font_size=look.font_size,
        title=title,
    )
    lines: list[str] = []
    for node in order:
        role = "output" if node is root else node.role
        attributes: dict[str, str] = {}
        highlighted = node in marked_nodes
        card_style = look.roles[role]
        card_border = card_style.border
        if highlighted:
            card_border = colors.get(node) or look.highlight
        elif dimming:
            card_border = look.dimmed
        if role == "constant":
            attributes["label"] = _constant_card(names[node], node in marked_nodes, look)
            model.cards[dot_names[node]] = tikz_module.TikzCard(
                names[node], "", (), role, card_border, card_style.fill, 1.0, True
            )
        else:
            rows = [("data", write(node.data))]
            if show_grad:
                rows.append(("grad", grad_of(node)))
            symbol = node.operation.symbol if node.operation is not None else None
            op_text = symbol or ("" if role == "output" else role)
            hidden = [write(parent.data) for parent in node.parents if parent not in shown]
            if symbol and hidden:
                op_text = f"{symbol} {', '.join(hidden)}"
            model.cards[dot_names[node]] = tikz_module.TikzCard(
                names[node],
                op_text,
                tuple(rows),
                role,
                card_border,
                card_style.fill,
                3.0 if highlighted else float(card_style.border_width),
                "dashed" in card_style.style,
            )
            attributes["label"] = _card(
                names[node],
                op_text,
                rows,
                role,
                highlighted,
                dimming and not highlighted,
                look,
                colors.get(node),
            )
        if pinned is not None:
            x, y = pinned.positions[node]
            attributes["pos"] = f"{x:.2f},{y:.2f}!"
        lines.append(f"\t{dot_names[node]} [{_attributes(attributes)}]\n")

    edges_by_id: dict[str, tuple[Value, int]] = {}
    for child in order:
        child_grad = grad_number(child)
        for position, label in enumerate(_edge_labels(child, names, write, derivatives)):
            edge = (child, position)
            parent = child.parents[position]
            if parent not in shown:
                continue
            identifier = edge_id(dot_names[child], position)
            edges_by_id[identifier] = edge
            attributes = {"id": identifier}
            if parent.role == "constant":
                constant_edges.add(identifier)
                # A constant's derivative is never needed: a quiet dashed arrow.
                attributes.update(style="dashed", color=look.constant_edge, arrowsize="0.6")
            else:
                if look.wire_values:
                    # CS231n: the value leaves the parent above the wire, the
                    # gradient comes back from the child below it.
                    attributes.update(
                        taillabel=f'<<FONT COLOR="{look.data_color}">{write(parent.data)}</FONT>>',
                        labelangle="30",
                        labeldistance="2.2",
                    )
                    if child_grad is not None:
                        gradient = write(child.local_grads[position] * child_grad)
                        attributes["headlabel"] = (
                            f'<<FONT COLOR="{look.grad_color}">{_escape(gradient)}</FONT>>'
                        )
                    label = ""
                else:
                    label = _escape(label)
                if edge_notes is not None and edge in edge_notes:
                    label = f"{label} {_escape(edge_notes[edge])}"
                if label:
                    attributes["label"] = f"<{label}>"
            if edge in marked_edges:
                color = colors.get(edge, look.highlight)
                attributes.update(
                    color=color, fontcolor=color, penwidth=f"{look.highlight_width:g}"
                )
                if "label" in attributes and not look.wire_values:
                    attributes["label"] = f"<<B>{attributes['label'][1:-1]}</B>>"
            elif dimming and parent.role != "constant":
                attributes.update(color=look.dimmed, fontcolor=look.muted)
                if look.dimmed_style:
                    attributes["style"] = look.dimmed_style
            if "label" in attributes and _labelled_inputs(child, show_constants) > 1:
                # Two labelled arrows into one card: tie each label to its own arrow
                # (Graphviz underlines it and draws a line to the edge), so "y = 2"
                # cannot be read as the other arrow's derivative.
                attributes["decorate"] = "true"
            edge_color, edge_width, edge_style = look.edge, 0.8, ""
            if parent.role == "constant":
                edge_color, edge_style = look.constant_edge, "dashed"
            if edge in marked_edges:
                edge_color, edge_width = colors.get(edge, look.highlight), look.highlight_width
            elif dimming and parent.role != "constant":
                edge_color = look.dimmed
                edge_style = "dotted" if look.dimmed_style else edge_style
            model.edges[identifier] = tikz_module.TikzEdge(
                dot_names[parent],
                dot_names[child],
                (edge_notes or {}).get(edge, ""),
                edge_color,
                edge_width,
                edge_style,
                edge in marked_edges,
            )
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
        "bgcolor": look.background,
        # Two labels on every arrow (wire_values: the value above, the grad below)
        # need longer arrows and more room between them than one does.
        "nodesep": "0.45" if look.wire_values else "0.25",
        "ranksep": "0.95" if look.wire_values else "0.6",
        "fontname": look.font,
        "fontcolor": look.text,
    }
    if pinned is not None:
        graph_attributes["splines"] = "true"
    elif _edge_span(order, show_constants) > FAST_LAYOUT_SPAN:
        # Long edges (a leaf used by every step of a long sum) become chains of
        # virtual nodes that dot's spline router and rank optimiser spend minutes on:
        # a sum of 160 copies of x took over 120 s in graphviz-pure, 0.3 s like this.
        graph_attributes.update(splines="line", nslimit="1", nslimit1="1")
    if title is not None:
        graph_attributes.update(
            label=f"<<B>{_escape(title)}</B>>", labelloc="t", fontsize=f"{look.font_size + 4:g}"
        )
    return Drawing(
        name="pathgrad",
        graph_attr=graph_attributes,
        node_attr=node_attributes(look),
        edge_attr=edge_attributes(look),
        body=lines,
        engine="neato" if pinned is not None else "dot",
        nodes_by_name={dot_names[node]: node for node in order},
        edges_by_id=edges_by_id,
        pinned=pinned is not None,
        dpi=dpi,
        tikz=model,
        pinned_layout=positions if isinstance(positions, Layout) else None,
    )


def _labelled_inputs(child: Value, show_constants: bool) -> int:
    """How many of ``child``'s incoming arrows carry a label (constants' carry none)."""
    return sum(1 for parent in child.parents if show_constants or parent.role != "constant")


FAST_LAYOUT_SPAN = 4000
"""Past this many ranks crossed by long edges, ``draw`` asks Graphviz for straight
edges and a bounded rank search, which keeps the layout under a second."""


def _edge_span(order: list[Value], show_constants: bool) -> int:
    """The ranks the drawn edges cross beyond their first: Σ (depth(child) − depth(parent) − 1),
    depth being the longest path from a leaf. Each crossed rank is a virtual node to dot."""
    depth: dict[Value, int] = {}
    span = 0
    for node in order:  # topological: parents first
        drawn = [p for p in node.parents if show_constants or p.role != "constant"]
        depth[node] = 1 + max((depth[p] for p in drawn), default=-1)
        span += sum(depth[node] - depth[p] - 1 for p in drawn)
    return span


def _math_labels(
    child: Value, names: Mapping[Value, str], write: Any, derivatives: str
) -> list[str]:
    """The edge labels of ``_edge_labels`` as math-mode LaTeX: ``2x = 6``, names escaped."""
    numbers = [tikz_module.math(write(local)) for local in child.local_grads]
    if derivatives != "formula" or child.operation is None:
        return numbers
    # Placeholders (private-use characters) stand for the operands, so a name's
    # own ^ or _ is escaped as text, not read as the op table's notation.
    # A constant stays a number, so the op table can simplify (``2x``, not ``2·x^(2−1)``).
    holders = [
        names[parent] if parent.role == "constant" else chr(0xE000 + index)
        for index, parent in enumerate(child.parents)
    ]
    operands = {
        holder: _operand_text(names[parent])
        for holder, parent in zip(holders, child.parents)
        if parent.role != "constant"
    }
    formulas = child.operation.formulas(*holders)
    plain = _edge_labels(child, names, write, derivatives)
    labels = []
    for formula, number, shown in zip(formulas, numbers, plain):
        if "=" in shown and "=" not in formula:
            labels.append(f"{tikz_module.math(formula, operands)} = {number}")
        else:
            labels.append(number)
    return labels


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True


def _edge_labels(
    child: Value, names: Mapping[Value, str], write: Any, derivatives: str
) -> list[str]:
    """The label of each edge into ``child``: ∂child/∂parent as a number, or ``2x = 6``.

    A formula that is itself a number (the 1 of a sum) is not written twice.
    """
    numbers = [write(local) for local in child.local_grads]
    if derivatives != "formula" or child.operation is None:
        return numbers
    operands = [_operand_text(names[parent]) for parent in child.parents]
    formulas = child.operation.formulas(*operands)
    return [
        number if formula == number or _is_number(formula) else f"{formula} = {number}"
        for formula, number in zip(formulas, numbers)
    ]


def check_options(
    *,
    rankdir: str | None = None,
    derivatives: str | None = None,
    theme: Any = None,
    dpi: float | None = None,
    precision: int | str | None = None,
    parameter_names: str | None = None,
) -> None:
    """Refuse, with the one-line error ``draw`` gives, any option given (not None)
    that ``draw`` would refuse: ``draw`` itself, and views that draw later
    (``step_through`` draws when shown)."""
    if rankdir is not None and rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), not {rankdir!r:.60}")
    if derivatives is not None and derivatives not in ("value", "formula"):
        raise ValueError(f"derivatives must be 'value' or 'formula', not {derivatives!r:.60}")
    if theme is not None:
        themes.theme(theme)
    if dpi is not None:
        rendering._checked_dpi(dpi)
    if precision is not None:
        number_formatter(precision)
    if parameter_names is not None and parameter_names not in grouped.NAME_STYLES:
        raise ValueError(
            f"parameter_names must be 'dotted', 'math' or 'matrix', not {parameter_names!r:.40}"
        )


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
    for node in order:
        point = pinned.positions[node]
        if not _is_point(point):
            raise ValueError(
                f"positions[{names[node]}] is {shortened(point, 40)}; a position is (x, y) "
                f"in points, two finite numbers within ±{MAX_POSITION:,.0f} (compute "
                "them with autograd.layout(root))"
            )
    return pinned


MAX_POSITION = 1e6
"""The largest coordinate ``positions`` may give, in points (14 km of paper): past
it Graphviz takes minutes to route the edges."""


def _is_point(point: Any) -> bool:
    if not isinstance(point, tuple | list) or len(point) != 2:
        return False
    return all(
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= MAX_POSITION
        for value in point
    )


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
