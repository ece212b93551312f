"""A leaf used by every step of a long sum: how long the layout takes, pip-only.

``sum([x] * n)`` draws x with n arrows into a chain of n adds, so most arrows cross
many ranks; Graphviz's dot turns each crossed rank into a virtual node and spends
minutes routing them (a sum of 160 took over 120 s with graphviz-pure 0.2.2). Past
``FAST_LAYOUT_SPAN`` crossed ranks ``draw`` asks for straight edges and a bounded
rank search. This script times the pip-installed renderer on such sums (wall clock,
one run each: the renderer is another process).

Run:  python benchmarks/bench_fanout.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value, draw, topological_order  # noqa: E402
from autograd.views import rendering  # noqa: E402
from autograd.views.drawing import FAST_LAYOUT_SPAN, _edge_span  # noqa: E402


def main() -> None:
    pure = [found for found in rendering.available_renderers() if found.kind != "system"]
    if not pure:
        sys.exit("graphviz-pure is not installed: pip install -e '.[dev]'")
    print(f"renderer: {pure[0].describe()}; fast layout past {FAST_LAYOUT_SPAN} crossed ranks")
    for count in (30, 60, 90, 120, 160, 250, 400):
        x = Value(1.0, label="x")
        root = sum([x] * (count - 1), x)
        drawing = draw(root, max_nodes=1000)
        span = _edge_span(topological_order(root), False)
        start = time.perf_counter()
        rendering.render(drawing.source, "svg", "dot", using=pure[0], timeout=300)
        seconds = time.perf_counter() - start
        fast = "fast layout" if drawing.graph_attr.get("splines") == "line" else "dot as usual"
        print(f"  sum of {count:3} copies of x: {span:6} crossed ranks, {fast:12}, {seconds:5.1f}s")


if __name__ == "__main__":
    main()
