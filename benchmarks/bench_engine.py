"""pathgrad's engine against micrograd 0.1.0, in one run, on micrograd's own demo.

Times are CPU seconds of this process (best of ``--repeats``, the engines taking
turns), so other programs on a shared machine disturb them less than wall-clock time.

The workload is micrograd's demo notebook: an MLP 2-16-16-1 of scalar Values with
ReLU, 100 two-moons points, the max-margin (hinge) loss plus 1e-4 L2, then one
backward pass. The same code builds it for both engines (only the Value class
differs), so the graphs are identical node for node.

Also: a chain of 1,000,000 nodes, forward and backward (micrograd's recursive
backward cannot do this one), and one of 10,000,000 in a fresh interpreter, with its
peak resident memory (the aim: within 4 GB).

Run:  python benchmarks/bench_engine.py        (needs: pip install -e ".[dev]")
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value, collector_paused, topological_order  # noqa: E402

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:  # pragma: no cover - the dev extra installs it
    sys.exit("micrograd is missing: pip install micrograd==0.1.0 (or pip install -e '.[dev]')")

SIZES = [2, 16, 16, 1]


def two_moons(count: int, rng: random.Random) -> tuple[list[tuple[float, float]], list[int]]:
    """Two interleaved half circles with a little noise; labels ±1 as the demo uses."""
    points, labels = [], []
    for index in range(count):
        angle = math.pi * rng.random()
        noise_x, noise_y = rng.gauss(0.0, 0.1), rng.gauss(0.0, 0.1)
        if index % 2 == 0:
            points.append((math.cos(angle) + noise_x, math.sin(angle) + noise_y))
            labels.append(1)
        else:
            points.append((1.0 - math.cos(angle) + noise_x, 0.5 - math.sin(angle) + noise_y))
            labels.append(-1)
    return points, labels


def make_weights(value_class, rng: random.Random):
    """Per layer, per neuron: (weights, bias), uniform(-1, 1) as micrograd initialises."""
    return [
        [
            ([value_class(rng.uniform(-1.0, 1.0)) for _ in range(fan_in)], value_class(0.0))
            for _ in range(fan_out)
        ]
        for fan_in, fan_out in zip(SIZES, SIZES[1:])
    ]


def score(layers, activations):
    """The MLP's output for one point: relu hidden layers, a linear last layer."""
    for depth, layer in enumerate(layers):
        outputs = []
        for weights, bias in layer:
            total = sum((w * a for w, a in zip(weights, activations)), bias)
            outputs.append(total.relu() if depth < len(layers) - 1 else total)
        activations = outputs
    return activations[0]


def demo_loss(value_class, layers, points, labels):
    """micrograd's demo loss: mean hinge loss over the batch + 1e-4 · Σ p²."""
    scores = [score(layers, [value_class(point[0]), value_class(point[1])]) for point in points]
    losses = [(1 + -label * score).relu() for label, score in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    parameters = [p for layer in layers for weights, bias in layer for p in [*weights, bias]]
    return data_loss + 1e-4 * sum(p * p for p in parameters)


def count_nodes(root, parents_of) -> int:
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(parents_of(node))
    return len(seen)


def time_demo(entries, repeats: int) -> list[tuple[float, float, float]]:
    """Best-of-``repeats`` seconds for forward and backward, and the loss, per entry.

    An entry is (Value class, pause the cycle collector?); ``collector_paused`` is
    pathgrad's helper, but it only switches Python's collector off, so it serves
    micrograd as well. The entries take turns,
    one repeat each, so a burst of load on a shared machine slows all of them
    rather than one.
    """
    points, labels = two_moons(100, random.Random(0))
    inputs = [make_weights(value_class, random.Random(1)) for value_class, _ in entries]
    best = [[math.inf, math.inf] for _ in entries]
    for _ in range(repeats):
        for index, ((value_class, paused), layers) in enumerate(zip(entries, inputs)):
            gc.collect()
            with collector_paused() if paused else contextlib.nullcontext():
                start = time.process_time()
                loss = demo_loss(value_class, layers, points, labels)
                middle = time.process_time()
                loss.backward()
                end = time.process_time()
            best[index][0] = min(best[index][0], middle - start)
            best[index][1] = min(best[index][1], end - middle)
            del loss
    return [
        (forward, backward, demo_loss(value_class, layers, points, labels).data)
        for (forward, backward), (value_class, _), layers in zip(best, entries, inputs)
    ]


def memory_per_node(value_class, parents_of) -> tuple[float, int]:
    """Bytes allocated (tracemalloc) by building and backpropagating the demo, per node."""
    points, labels = two_moons(100, random.Random(0))
    layers = make_weights(value_class, random.Random(1))
    gc.collect()
    tracemalloc.start()
    loss = demo_loss(value_class, layers, points, labels)
    loss.backward()
    gc.collect()
    allocated, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = count_nodes(loss, parents_of)
    return allocated / nodes, nodes


def time_chain(length: int) -> tuple[float, float]:
    start = time.process_time()
    node = Value(0.5)
    for _ in range(length):
        node = node.sin()
    middle = time.process_time()
    node.backward()
    return middle - start, time.process_time() - middle


def big_chain_in_child(length: int) -> tuple[float, float, float]:
    """``time_chain(length)`` in a fresh interpreter: forward and backward seconds, and
    the child's peak resident memory in bytes (so nothing this process holds counts)."""
    command = [sys.executable, __file__, "--chain-child", str(length)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the chain of {length:,} nodes failed:\n{result.stderr}")
    forward, backward = json.loads(result.stdout.splitlines()[-1])
    peak_kilobytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return forward, backward, peak_kilobytes * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--chain", type=int, default=1_000_000)
    parser.add_argument(
        "--big-chain",
        type=int,
        default=10_000_000,
        help="the length of the chain run in a fresh interpreter for its peak memory (0: skip)",
    )
    parser.add_argument("--chain-child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.chain_child is not None:
        print(json.dumps(time_chain(arguments.chain_child)))
        return

    ours, paused, theirs, theirs_paused = time_demo(
        [(Value, False), (Value, True), (MicrogradValue, False), (MicrogradValue, True)],
        arguments.repeats,
    )
    if abs(ours[2] - theirs[2]) > 1e-9 * abs(theirs[2]):
        sys.exit(f"the engines disagree on the loss: {ours[2]} vs {theirs[2]}")
    our_memory, nodes = memory_per_node(Value, lambda node: node.parents)
    their_memory, their_nodes = memory_per_node(MicrogradValue, lambda node: node._prev)
    assert nodes == len(topological_order(demo_loss(Value, *_demo_inputs())))

    print(f"micrograd demo workload: MLP {SIZES}, 100 two-moons points, hinge + L2")
    print(f"  graph: {nodes} nodes (micrograd: {their_nodes}); loss {ours[2]:.6f} in both")
    print(f"  {'':28} {'forward':>10} {'backward':>10} {'total':>10} {'bytes/node':>11}")
    for name, (forward, backward, _), memory in (
        ("pathgrad", ours, f"{our_memory:11.1f}"),
        ("pathgrad, collector paused", paused, ""),
        ("micrograd", theirs, f"{their_memory:11.1f}"),
        ("micrograd, collector paused", theirs_paused, ""),
    ):
        print(
            f"  {name:28} {forward * 1e3:8.1f}ms {backward * 1e3:8.1f}ms "
            f"{(forward + backward) * 1e3:8.1f}ms {memory}"
        )
    speedup = (theirs[0] + theirs[1]) / (ours[0] + ours[1])
    print(f"  speed: pathgrad is {speedup:.1f}x faster than micrograd (forward + backward)")
    print(f"          forward {theirs[0] / ours[0]:.1f}x, backward {theirs[1] / ours[1]:.1f}x")
    paused_speedup = (theirs[0] + theirs[1]) / (paused[0] + paused[1])
    print(f"  with autograd.collector_paused(): {paused_speedup:.1f}x faster than micrograd")
    both_paused = (theirs_paused[0] + theirs_paused[1]) / (paused[0] + paused[1])
    print(f"  both with the collector paused: pathgrad is {both_paused:.1f}x faster")
    print(f"  memory per node: pathgrad uses {our_memory / their_memory:.3f} of micrograd's")

    forward, backward = time_chain(arguments.chain)
    print(
        f"chain of {arguments.chain:,} sin nodes: forward {forward:.2f}s, "
        f"backward {backward:.2f}s, total {forward + backward:.2f}s"
    )
    if arguments.big_chain:
        forward, backward, peak = big_chain_in_child(arguments.big_chain)
        print(
            f"chain of {arguments.big_chain:,} sin nodes, in a fresh interpreter: forward "
            f"{forward:.2f}s, backward {backward:.2f}s, total {forward + backward:.2f}s, "
            f"peak resident memory {peak / 2**30:.2f} GiB (aim: within 4 GB)"
        )


def _demo_inputs():
    points, labels = two_moons(100, random.Random(0))
    return make_weights(Value, random.Random(1)), points, labels


if __name__ == "__main__":
    main()
