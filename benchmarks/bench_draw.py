"""Benchmark: drawing and rendering, pip-only renderer against the system ``dot``.

Run: ``python benchmarks/bench_draw.py``. Prints

* the time to draw a 300-node graph and render it to SVG with graphviz-pure and with
  the system Graphviz ``dot`` (skipped, with a message, when there is none), and
  their ratio (the aim: pip-only within 2x of the system one);
* the time to make the DOT text of a 10,000-node graph (the aim: under 1 s);
* the wall-clock time of ``save_steps`` for the 2-4-1 MLP of the README's "Seeing
  backprop": every step frame as a PNG, and the GIF (the aim: at least 4x faster than
  version 0.1). Wall-clock, since frames render one per core and in ``dot`` processes.

Timings are the best of several runs, so other work on the machine matters less.

``--baseline DIR`` also times the same export with another checkout of pathgrad, each
version in a fresh interpreter of its own, side by side; version 0.1 is commit dee457e:

    git worktree add /tmp/pathgrad-0.1 dee457e
    python benchmarks/bench_draw.py --baseline /tmp/pathgrad-0.1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from autograd import Value  # the one name every version of pathgrad has under this path


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


def mlp_output() -> Value:
    """The README's 2-4-1 MLP at one point, written with the API of every version."""
    import nn

    return nn.MLP(2, [4, 1], seed=0)([Value(1.0, label="x1"), Value(-2.0, label="x2")])


def time_gif_export(repeats: int) -> None:
    """In a child process: print the best wall-clock seconds of ``save_steps`` (PNG frames
    and the GIF) for ``mlp_output``, and how many files it wrote, as JSON."""
    import autograd

    best, written = float("inf"), []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            written = autograd.save_steps(mlp_output(), Path(folder) / "frames")
            best = min(best, time.perf_counter() - started)
            assert written[-1].name == "steps.gif" and written[-1].stat().st_size > 0
    print(json.dumps({"seconds": best, "frames": len(written) - 1}))


def gif_export_in_child(code: Path | None, repeats: int) -> dict[str, float]:
    """``time_gif_export`` in a fresh interpreter, with pathgrad imported from ``code``
    (a checkout's top folder) or, for None, from wherever this interpreter finds it."""
    environment = dict(os.environ)
    if code is not None:  # ahead of the installed pathgrad on sys.path
        environment["PYTHONPATH"] = os.pathsep.join([str(code), environment.get("PYTHONPATH", "")])
    command = [sys.executable, __file__, "--gif-child", "--gif-repeats", str(repeats)]
    result = subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=tempfile.gettempdir()
    )
    if result.returncode != 0:
        sys.exit(f"the GIF export with {code or 'this pathgrad'} failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of another pathgrad version to time the GIF export with, side by side",
    )
    parser.add_argument("--gif-repeats", type=int, default=3, help="timed GIF exports per version")
    parser.add_argument("--gif-child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.gif_child:
        time_gif_export(arguments.gif_repeats)
        return
    time_drawing()
    print(
        f"save_steps of the 2-4-1 MLP (PNG frames and the GIF; wall-clock, best of "
        f"{arguments.gif_repeats}):"
    )
    ours = gif_export_in_child(None, arguments.gif_repeats)
    print(f"  this version: {ours['frames']} frames, {ours['seconds']:.1f} s")
    if arguments.baseline is not None:
        theirs = gif_export_in_child(arguments.baseline.resolve(), arguments.gif_repeats)
        print(
            f"  {arguments.baseline}: {theirs['frames']} frames, {theirs['seconds']:.1f} s: "
            f"this version is {theirs['seconds'] / ours['seconds']:.1f}x faster (aim: 4x)"
        )


def time_drawing() -> None:
    """Drawing and rendering a 300-node graph with each renderer, and a 10,000-node DOT."""
    from autograd.views.drawing import draw
    from autograd.views.rendering import available_renderers, render

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
