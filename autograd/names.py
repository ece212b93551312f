"""The names views give nodes: the same in drawings, step tables and paths."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["display_names"]


def display_names(order: Iterable[Value], write_number: Callable[[float], str]) -> dict[Value, str]:
    """A short name per node, for nodes given in topological order.

    A labelled node is called by its label, a constant by its number (``2``), and
    any other node by its op and a count per op in creation order (``mul1``,
    ``mul2``, ``add1``): the order a student reads the code in.
    """
    names: dict[Value, str] = {}
    counters: dict[str, int] = {}
    for node in order:
        if node.label is not None:
            names[node] = node.label
        elif node.role == "constant":
            names[node] = write_number(node.data)
        else:
            kind = node.op or node.role
            counters[kind] = counters.get(kind, 0) + 1
            names[node] = f"{kind}{counters[kind]}"
    return names
