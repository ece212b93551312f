"""The compiled backward pass beside the backward steps: each line of code, its step.

``side_by_side(root, inputs)`` shows what ``autograd.compile`` writes for every edge
next to the row of ``backward_steps`` that applies the same edge, the way a problem
sheet pairs the code with the chain rule::

    grad_c = 2.0 * c * grad_e        grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value
from autograd.engine.compiled import CompiledGraph
from autograd.engine.compiled import compile as compile_graph
from autograd.views.steps import backward_steps

__all__ = ["side_by_side"]


def side_by_side(
    root: Value, inputs: Sequence[Value], *, compiled: CompiledGraph | None = None
) -> str:
    """The compiled source's backward lines, each beside the backward step of its edge.

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> " ".join(side_by_side(f, [x, y]).splitlines()[4].split())
    'grad_c = 2.0 * c * grad_e grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10'

    An edge whose child has gradient 0 at these values gets a line of code (the
    code is for every input) but no step: the step table says nothing flows.
    """
    compiled = compiled or compile_graph(root, inputs)
    table = backward_steps(root).table()
    rows: dict[tuple[Value, int], str] = {}
    for step in table:
        for update in step.updates:
            rows[update.edge] = step.update_text(update)
    pairs = [("code (autograd.compile)", "backward step (backward_steps)")]
    lines = [line.strip() for line in compiled.source.splitlines()]
    seed = lines[lines.index("# backward: one line per edge, root first") + 1]
    pairs.append((seed, f"grad({table.names[root]}) = 1"))
    for edge, line in compiled.edge_lines:
        child = edge[0]
        pairs.append(
            (line, rows.get(edge, f"(grad({table.names[child]}) = 0: nothing flows back)"))
        )
    width = max(len(code) for code, _ in pairs) + 2
    return "\n".join(f"{code.ljust(width)}{step}".rstrip() for code, step in pairs)
