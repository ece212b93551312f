"""Grouped drawings of networks: one card per neuron, or per layer.

``draw(root, group="neuron")`` draws each neuron of an ``nn`` model as one card:
its pre-activation ``z`` and activation ``h`` (data and grad), and its weights
and bias with their grads, inside the card; one arrow per input it reads.
``group="layer"`` draws one card per layer, a row per neuron. Nodes in no group
(the inputs, the loss) are drawn as ordinary cards.

No marking by the user is needed: ``nn`` labels every parameter with its dotted
name (``layers.0.neurons.3.w.1``, see ``nn.module``), and a node belongs to a
neuron when one of its parents is that neuron's parameter, or when it has parents
and all of them belong to the neuron (the sums, then the activation). A user can
also group nodes themselves: ``draw(root, groups={node: "name", ...})``.

Parameter names are written short, as the problem sheets do, with ``names=``:
"math" (``w¹₂₁``: layer 1, input 2, neuron 1; ``b¹₁``), "matrix" (``W1[2,1]``,
``b1[1]``) or "dotted" (the labels themselves). Layers, inputs and neurons count
from 1; ``layers.l.neurons.j.w.i`` is W_{l+1}[i+1, j+1], as in ``nn.module``.

>>> parameter_name("layers.0.neurons.1.w.2", "math")
'w¹₃₂'
>>> parameter_name("layers.1.neurons.0.b", "matrix")
'b2[1]'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from autograd import Value
from autograd.views.themes import edge_attributes, node_attributes

__all__ = ["parameter_name", "parameter_place", "infer_groups", "NAME_STYLES"]

NAME_STYLES = ("math", "matrix", "dotted")

_PARAMETER = re.compile(r"^(?:layers\.(\d+)\.)?(?:neurons\.(\d+)\.)?(?:w\.(\d+)|(b))$")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def parameter_place(label: str | None) -> tuple[str, int, int, int | None] | None:
    """("w" or "b", layer, neuron, input or None), 0-based, from an nn parameter label."""
    if label is None:
        return None
    found = _PARAMETER.match(label)
    if found is None:
        return None
    layer, neuron, weight, _ = found.groups()
    kind = "b" if weight is None else "w"
    return kind, int(layer or 0), int(neuron or 0), None if weight is None else int(weight)


def parameter_name(label: str, style: str = "math") -> str:
    """A parameter's short name: "math" ``w¹₂₁``, "matrix" ``W1[2,1]``, "dotted" as is.

    A label that is not an nn parameter's is returned unchanged.
    """
    if style not in NAME_STYLES:
        raise ValueError(f"names must be one of {', '.join(map(repr, NAME_STYLES))}, not {style!r}")
    place = parameter_place(label)
    if place is None or style == "dotted":
        return label
    kind, layer, neuron, weight = place
    layer_text = str(layer + 1)
    if style == "matrix":
        if kind == "b":
            return f"b{layer_text}[{neuron + 1}]"
        return f"W{layer_text}[{weight + 1},{neuron + 1}]"  # type: ignore[operator]
    if kind == "b":
        return f"b{layer_text.translate(_SUPERSCRIPTS)}{str(neuron + 1).translate(_SUBSCRIPTS)}"
    indices = (
        f"{weight + 1}{neuron + 1}"
        if max(weight + 1, neuron + 1) < 10
        # type: ignore[operator]
        else (
            f"{weight + 1},{neuron + 1}"  # type: ignore[operator]
        )
    )
    return (
        f"w{layer_text.translate(_SUPERSCRIPTS)}{indices.translate(_SUBSCRIPTS).replace(',', '‚')}"
    )


def infer_groups(order: list[Value], by: str) -> dict[Value, Any]:
    """The group of every node an ``nn`` model made: (layer, neuron) or layer.

    ``order`` is topological (parents first). Parameters are placed by their
    labels; a result joins a neuron when a parent is that neuron's parameter, or
    when all its parents are in that neuron.
    """
    if by not in ("neuron", "layer"):
        raise ValueError(f"group must be 'neuron' or 'layer', not {by!r:.40}")
    neuron_of: dict[Value, tuple[int, int]] = {}
    for node in order:
        if not node.parents:
            place = parameter_place(node.label) if node.role == "parameter" else None
            if place is not None:
                neuron_of[node] = (place[1], place[2])
            continue
        from_parameters = {
            neuron_of[parent]
            for parent in node.parents
            if parent.role == "parameter" and parent in neuron_of
        }
        if len(from_parameters) == 1:
            neuron_of[node] = from_parameters.pop()
            continue
        if from_parameters:
            continue
        found = {neuron_of.get(parent) for parent in node.parents}
        if len(found) == 1 and None not in found:
            neuron_of[node] = found.pop()  # type: ignore[assignment]
    if by == "neuron":
        return dict(neuron_of)
    return {node: key[0] for node, key in neuron_of.items()}


def group_title(key: Any, by: str | None, names: str) -> str:
    """A group's card title: ``neuron h¹₂`` / ``layer 1``, or the user's name."""
    if by == "neuron":
        layer, neuron = key
        if names == "matrix":
            return f"h{layer + 1}[{neuron + 1}]"
        if names == "dotted":
            return f"layers.{layer}.neurons.{neuron}"
        return f"h{str(layer + 1).translate(_SUPERSCRIPTS)}{str(neuron + 1).translate(_SUBSCRIPTS)}"
    if by == "layer":
        return f"layer {key + 1}" if names != "dotted" else f"layers.{key}"
    return str(key)


def outputs_of(members: list[Value], children: Mapping[Value, list[Value]]) -> list[Value]:
    """The members no other member of the group reads: what the group hands on."""
    inside = set(members)
    return [
        node
        for node in members
        if node.parents and not any(child in inside for child in children.get(node, ()))
    ]


_ACTIVATIONS = ("relu", "tanh", "sigmoid")
FULL_ROWS_UP_TO = 4
"""A neuron with at most this many weights lists each (name, data, grad); one with
more shows its weights' grads as a small matrix, GRID_COLUMNS to a row."""
GRID_COLUMNS = 4
EDGE_LABEL_LIMIT = 40
"""Arrows between groups are labelled only when there are at most this many (a
16-by-16 layer has 256 arrows: their labels would cover the picture)."""


def draw_grouped(
    root: Value,
    order: list[Value],
    *,
    group: str | None,
    groups: Mapping[Value, Any] | None,
    names: str,
    write: Any,
    grad_number: Any,
    display: Mapping[Value, str],
    show_grad: bool,
    look: Any,
    rankdir: str,
    title: str | None,
    dpi: float | None,
    max_nodes: int,
    drawing: Any,
) -> Any:
    """The grouped picture (see the module's docstring); ``draw`` checks the options.

    ``drawing`` is the drawing module (its cards, escaping and Drawing class), passed
    in so that this module does not import it back.
    """
    escape = drawing._escape
    if groups is not None:
        if not isinstance(groups, Mapping):
            raise TypeError(f"groups maps nodes to group names, not {type(groups).__name__}")
        group_of: dict[Value, Any] = {node: groups[node] for node in order if node in groups}
        by = None
    else:
        group_of = infer_groups(order, group)  # type: ignore[arg-type]
        by = group
        neuron_of = group_of if group == "neuron" else infer_groups(order, "neuron")
    shown = set(order)
    children: dict[Value, list[Value]] = {}
    for node in order:
        for parent in node.parents:
            if parent in shown:
                children.setdefault(parent, []).append(node)
    members: dict[Any, list[Value]] = {}
    for node in order:
        if node in group_of and node is not root:
            members.setdefault(group_of[node], []).append(node)
    group_of = {node: key for node, key in group_of.items() if node is not root}
    cards = len(members) + sum(1 for node in order if node not in group_of)
    if cards > max_nodes:
        raise drawing.GraphTooLargeError(
            f"the grouped picture has {cards} cards, more than max_nodes={max_nodes}; pass "
            f"max_nodes={cards} (or more) to draw it anyway"
        )

    def name_of(node: Value) -> str:
        if node.role == "parameter" and node.label is not None:
            return parameter_name(node.label, names)
        return display[node]

    def grad_text(node: Value) -> str:
        number = grad_number(node)
        return drawing.DASH if number is None else write(number)

    def rows_of(key: Any, nodes: list[Value]) -> tuple[str, list[tuple[str, Value]]]:
        outputs = outputs_of(nodes, children)
        rows: list[tuple[str, Value]] = []
        op_text = ""
        if by == "neuron":
            for out in outputs:
                if out.op in _ACTIVATIONS and out.parents[0] in set(nodes):
                    op_text = out.op
                    rows += [("z", out.parents[0]), ("h", out)]
                else:
                    op_text = op_text or "linear"
                    rows.append(("z = h", out))
        elif by == "layer":
            by_neuron = sorted(outputs, key=lambda out: neuron_of.get(out, (0, 0)))
            for out in by_neuron:
                place = neuron_of.get(out)
                row = group_title(place, "neuron", names) if place else display[out]
                rows.append((row, out))
            activations = {out.op for out in outputs if out.op in _ACTIVATIONS}
            op_text = ", ".join(sorted(activations)) or "linear"
        else:
            rows += [(display[out], out) for out in outputs]
        if by != "layer":
            parameters = [node for node in nodes if node.role == "parameter"]
            parameters.sort(key=lambda node: parameter_place(node.label) or ("z", 0, 0, 0))
            rows += [(name_of(node), node) for node in parameters]
        return op_text, rows

    def weight_grid(weights: list[Value]) -> str:
        """Many weights' grads as a small matrix, GRID_COLUMNS to a row, in input order."""
        first = name_of(weights[0])
        caption = f"grad of {first} … {name_of(weights[-1])}"
        cells = ""
        for start in range(0, len(weights), GRID_COLUMNS):
            chunk = weights[start : start + GRID_COLUMNS]
            cells += "<TR>" + "".join(
                f'<TD ALIGN="RIGHT">{escape(grad_text(node))}</TD>' for node in chunk
            )
            cells += "<TD></TD>" * (GRID_COLUMNS - len(chunk)) + "</TR>"
        size = f"{max(look.font_size - 2, 4):g}"
        return (
            f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{look.muted}" POINT-SIZE="{size}">'
            f"{escape(caption)}</FONT></TD></TR>"
            f'<TR><TD COLSPAN="3"><FONT POINT-SIZE="{size}"><TABLE BORDER="0" CELLBORDER="0" '
            f'CELLSPACING="0" CELLPADDING="1">{cells}</TABLE></FONT></TD></TR>'
        )

    lines: list[str] = []
    dot_name: dict[Any, str] = {}
    nodes_by_name: dict[str, Value] = {}
    role_style = look.roles
    for index, (key, nodes) in enumerate(members.items()):
        name = f"g{index}"
        dot_name[("group", key)] = name
        op_text, rows = rows_of(key, nodes)
        nodes_by_name[name] = rows[0][1] if rows else nodes[-1]
        style = role_style["result"]
        header = (
            f'<TR><TD ALIGN="LEFT" BGCOLOR="{style.fill}"><B>'
            f"{escape(group_title(key, by, names))}</B></TD>"
            f'<TD ALIGN="RIGHT" BGCOLOR="{style.fill}" COLSPAN="2">'
            + (f'<FONT COLOR="{look.muted}">{escape(op_text)}</FONT>' if op_text else "")
            + "</TD></TR>"
        )
        head_row = f'<TR><TD></TD><TD ALIGN="RIGHT"><FONT COLOR="{look.muted}">data</FONT></TD>'
        head_row += (
            f'<TD ALIGN="RIGHT"><FONT COLOR="{look.muted}">grad</FONT></TD></TR>'
            if show_grad
            else "</TR>"
        )
        body = ""
        weights = [node for _, node in rows if (parameter_place(node.label) or "b")[0] == "w"]
        weights = [node for node in weights if node.role == "parameter"]
        compact = show_grad and len(weights) > FULL_ROWS_UP_TO
        if compact:
            rows = [(row_name, node) for row_name, node in rows if node not in set(weights)]
        for row_name, node in rows:
            data = escape(write(node.data))
            if look.data_color:
                data = f'<FONT COLOR="{look.data_color}">{data}</FONT>'
            cells = f'<TD ALIGN="LEFT">{escape(row_name)}</TD><TD ALIGN="RIGHT">{data}</TD>'
            if show_grad:
                grad = escape(grad_text(node))
                if look.grad_color:
                    grad = f'<FONT COLOR="{look.grad_color}">{grad}</FONT>'
                cells += f'<TD ALIGN="RIGHT">{grad}</TD>'
            body += f"<TR>{cells}</TR>"
        if compact:
            body += weight_grid(weights)
        label = (
            f'<<TABLE BORDER="{style.border_width}" CELLBORDER="0" CELLSPACING="0" '
            f'CELLPADDING="2" COLOR="{style.border}"{drawing._table_style(style.style)}>'
            f"{header}{head_row}{body}</TABLE>>"
        )
        lines.append(f"\t{name} [label={label}]\n")
    for index, node in enumerate(order):
        if node in group_of:
            continue
        name = f"n{index}"
        dot_name[node] = name
        nodes_by_name[name] = node
        role = "output" if node is root else node.role
        if role == "constant":
            label = drawing._constant_card(display[node], False, look)
        else:
            rows = [("data", write(node.data))]
            if show_grad:
                rows.append(("grad", grad_text(node)))
            symbol = node.operation.symbol if node.operation is not None else None
            hidden = [write(parent.data) for parent in node.parents if parent not in shown]
            op_text = symbol or ("" if role == "output" else role)
            if symbol and hidden:
                op_text = f"{symbol} {', '.join(hidden)}"
            label = drawing._card(name_of(node), op_text, rows, role, False, False, look)
        lines.append(f"\t{name} [label={label}]\n")

    def end_of(node: Value) -> str:
        return dot_name[("group", group_of[node])] if node in group_of else dot_name[node]

    arrows: dict[tuple[str, str], str] = {}
    counts: dict[tuple[str, str], int] = {}
    for child in order:
        for position, parent in enumerate(child.parents):
            if parent not in shown:
                continue
            source, target = end_of(parent), end_of(child)
            if source == target:
                continue
            counts[(source, target)] = counts.get((source, target), 0) + 1
            if (source, target) in arrows:
                continue
            local = write(child.local_grads[position])
            other = child.parents[1 - position] if len(child.parents) == 2 else None
            if child.op == "mul" and other is not None and other.role == "parameter":
                arrows[(source, target)] = f"{name_of(other)} = {local}"
            else:
                arrows[(source, target)] = local
    labelled = len(arrows) <= EDGE_LABEL_LIMIT
    for (source, target), text in arrows.items():
        if counts[(source, target)] > 1:
            # One arrow for many edges (a layer into a layer): no single number is
            # its derivative, so it says how many it stands for.
            text = f"{counts[(source, target)]} edges"
        attributes = f" [label=<{escape(text)}>]" if labelled else ""
        lines.append(f"\t{source} -> {target}{attributes}\n")

    graph_attributes = {
        "rankdir": rankdir,
        "bgcolor": look.background,
        "nodesep": "0.12",
        "ranksep": "0.8" if labelled else "0.5",
        "fontname": look.font,
        "fontcolor": look.text,
    }
    if title is not None:
        graph_attributes.update(
            label=f"<<B>{escape(title)}</B>>", labelloc="t", fontsize=f"{look.font_size + 4:g}"
        )
    return drawing.Drawing(
        name="pathgrad",
        graph_attr=graph_attributes,
        node_attr=node_attributes(look),
        edge_attr=edge_attributes(look, arrowsize="0.6", penwidth="1" if labelled else "0.5"),
        body=lines,
        engine="dot",
        nodes_by_name=nodes_by_name,
        edges_by_id={},
        pinned=False,
        dpi=dpi,
    )
