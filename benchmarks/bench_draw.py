"""Benchmark: drawing and rendering, pip-only renderer against the system ``dot``.

Run: ``python benchmarks/bench_draw.py``. Prints

* the time to draw a 300-node graph and render it to SVG with graphviz-pure and with
  the system Graphviz ``dot`` (skipped, with a message, when there is none), and
  their ratio (the aim: pip-only within 2x of the system one);
* the time to make the DOT text of a 10,000-node graph (the aim: under 1 s).

Timings are the best of several runs, so other work on the machine matters less.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from autograd import Value
from autograd.views.drawing import draw
from autograd.views.rendering import available_renderers, render


def layered_graph(node_count: int, seed: int = 0) -> Value:
    """A graph like a small network's: each new node combines two earlier ones."""
    generator = random.Random(seed)
    nodes = [Value(generator.uniform(-1, 1), label=f"x{index}") for index in range(8)]
    while len(nodes) < node_count - 23:  # the final sum adds 23 nodes
        left, right = generator.sample(nodes[-24:], 2)
        kind = generator.randrange(4)
        if kind == 0:
            nodes.append(left * right)
        elif kind == 1:
            nodes.append(left + right)
        elif kind == 2:
            nodes.append((left - right).tanh())
        else:
            nodes.append(left.sigmoid())
    root = nodes[-1]
    for node in nodes[-24:-1]:
        root = root + node
    return root


def best_time(action: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    root = layered_graph(300)
    root.backward()
    node_count = len(draw(root, max_nodes=10_000).nodes_by_name)
    print(f"graph of {node_count} nodes, drawn and rendered to SVG (best of 5):")
    times: dict[str, float] = {}
    for candidate in available_renderers():

        def draw_and_render(candidate=candidate) -> bytes:
            return render(draw(root, derivatives="formula").source, "svg", using=candidate)

        times[candidate.kind] = best_time(draw_and_render, 5)
        print(f"  {candidate.describe():60s} {times[candidate.kind] * 1000:8.1f} ms")
    if "system" not in times:
        print("  system dot: not on PATH, ratio skipped (apt install graphviz to compare)")
    elif "graphviz-pure" in times:
        ratio = times["graphviz-pure"] / times["system"]
        print(f"  pip-only / system dot = {ratio:.2f}  (aim: at most 2)")

    big = layered_graph(10_000)
    big.backward()
    seconds = best_time(lambda: draw(big, derivatives="formula", max_nodes=20_000).source, 3)
    print(f"DOT text for a 10,000-node graph: {seconds * 1000:.0f} ms  (aim: under 1000 ms)")


if __name__ == "__main__":
    main()
