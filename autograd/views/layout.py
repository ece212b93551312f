"""Where Graphviz puts things, as data: node centres, edge routes, the picture's box.

``autograd.layout(root)`` lays a drawing out once with ``dot``, and
``parse_layout`` here reads Graphviz's JSON output into a ``Layout``: the one
place a Graphviz layout is read. Passed back as ``draw(root, positions=layout)``,
it pins every node, every edge and the picture's size (``draw`` writes them into
its own DOT attributes), so animation frames that differ only in their labels
do not move.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace

from autograd import Value

__all__ = ["EdgeRoute", "Layout", "parse_layout", "edge_id"]


@dataclass(frozen=True, slots=True)
class EdgeRoute:
    """One edge as laid out: its spline (Graphviz ``pos``) and label centre (``lp``)."""

    spline: str
    label_position: str | None


@dataclass(frozen=True, slots=True)
class Layout:
    """A whole layout, in points.

    Attributes:
        positions: each node's centre (x, y).
        edges: each edge's route, keyed by ``(child, position)`` as in ``draw``.
        box: the picture's bounding box (left, bottom, right, top).
    """

    positions: Mapping[Value, tuple[float, float]]
    edges: Mapping[tuple[Value, int], EdgeRoute]
    box: tuple[float, float, float, float]

    def widened(self, width: float, margin: float = 0.0) -> Layout:
        """The same layout in a box grown by ``margin`` on every side and, if narrower
        than ``width``, widened to it evenly left and right (room for a caption)."""
        left, bottom, right, top = self.box
        left, bottom, right, top = left - margin, bottom - margin, right + margin, top + margin
        if right - left < width:
            extra = (width - (right - left)) / 2
            left, right = left - extra, right + extra
        return replace(self, box=(left, bottom, right, top))


def edge_id(child_name: str, position: int) -> str:
    """The DOT ``id`` ``draw`` gives the edge into ``child_name`` from its parent
    number ``position``, so a layout can tell parallel edges (``x*x``) apart."""
    return f"{child_name}_in{position}"


def parse_layout(
    layout_json: str | bytes,
    nodes_by_name: Mapping[str, Value],
    edges_by_id: Mapping[str, tuple[Value, int]],
) -> Layout:
    """Read Graphviz's ``-Tjson`` output of a drawing into a ``Layout``.

    ``nodes_by_name`` maps DOT node names to Values and ``edges_by_id`` maps edge
    ids to ``(child, position)``; objects that are neither are ignored.
    """
    laid_out = json.loads(layout_json)
    positions: dict[Value, tuple[float, float]] = {}
    for item in laid_out.get("objects", ()):
        node = nodes_by_name.get(item.get("name", ""))
        if node is not None and "pos" in item:
            x, y = item["pos"].split(",")
            positions[node] = (float(x), float(y))
    edges: dict[tuple[Value, int], EdgeRoute] = {}
    for item in laid_out.get("edges", ()):
        edge = edges_by_id.get(item.get("id", ""))
        if edge is not None and "pos" in item:
            edges[edge] = EdgeRoute(item["pos"], item.get("lp"))
    left, bottom, right, top = (float(number) for number in laid_out["bb"].split(","))
    return Layout(positions, edges, (left, bottom, right, top))
