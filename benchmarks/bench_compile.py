"""Eager, compiled and batched pathgrad against micrograd, torch and numpy, in one run.

The workload is micrograd's demo step (as in bench_engine.py): an MLP 2-16-16-1 of
scalar Values with ReLU, 100 two-moons points, hinge loss + 1e-4 L2, forward and
backward. Each side computes the same loss and the same gradients:

* micrograd 0.1.0 and pathgrad eager build the scalar graph and backpropagate it
  (pathgrad also inside ``autograd.collector_paused()``, as ``nn.fit`` runs);
* torch (optional) builds the same scalar graph from 0-d float64 tensors;
* pathgrad compiled replays ``autograd.compile`` of the graph (all 100 points in
  one graph) on floats, without building a Value;
* pathgrad batched replays the graph of ONE point over numpy arrays of all 100;
* hand-vectorised numpy is the floor: matrix products, written by hand.

Also: the time to compile the graph, ``nn.fit`` on the demo (100 epochs) eager and
compiled, and a chain of 1,000,000 nodes. CPU seconds, best of ``--repeats`` in each
of ``--rounds`` rounds, the sides taking turns. Each side runs in a fresh interpreter
of its own, so none is timed amid another's leftovers: torch's threads, micrograd's
garbage, the compiled graph's 70,000 lines of code (each of which slowed the eager
sides by a quarter when they shared one process). Each timed step follows a full
collection, so every side starts from a clean heap; ``--loop`` times the steps back to
back instead, as a training loop runs them, where each step also pays for collecting
the last one's garbage (micrograd's graphs are reference cycles; pathgrad's are not).

Run:  python benchmarks/bench_compile.py        (needs: pip install -e ".[dev]")
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy  # noqa: E402
from bench_engine import SIZES, demo_loss, make_weights, score, two_moons  # noqa: E402
from micrograd.engine import Value as MicrogradValue  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
from autograd import Value  # noqa: E402


def best_of(repeats: int, function, loop: bool = False) -> float:
    """The best of ``repeats`` timed calls: each after a full collection (every side
    starts from a clean heap), or with ``loop`` back to back, as a training loop runs
    its steps (then each step also pays for collecting the garbage of the last)."""
    best = math.inf
    for _ in range(repeats):
        if not loop:
            gc.collect()
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def eager(value_class, layers, points, labels, paused: bool = False):
    def step():
        demo_loss(value_class, layers, points, labels).backward()

    def paused_step():
        with autograd.collector_paused():
            step()

    return paused_step if paused else step


def torch_side(points, labels):
    import torch

    rng = random.Random(1)
    layers = [
        [
            (
                [
                    torch.tensor(rng.uniform(-1.0, 1.0), dtype=torch.float64, requires_grad=True)
                    for _ in range(fan_in)
                ],
                torch.tensor(0.0, dtype=torch.float64, requires_grad=True),
            )
            for _ in range(fan_out)
        ]
        for fan_in, fan_out in zip(SIZES, SIZES[1:])
    ]

    def step():
        scores = []
        for point in points:
            activations = [
                torch.tensor(point[0], dtype=torch.float64),
                torch.tensor(point[1], dtype=torch.float64),
            ]
            for depth, layer in enumerate(layers):
                outputs = []
                for weights, bias in layer:
                    total = bias
                    for w, a in zip(weights, activations):
                        total = total + w * a
                    outputs.append(total.relu() if depth < len(layers) - 1 else total)
                activations = outputs
            scores.append(activations[0])
        losses = [(1 - label * score).relu() for label, score in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        parameters = [p for layer in layers for weights, bias in layer for p in [*weights, bias]]
        (data_loss + 1e-4 * sum(p * p for p in parameters)).backward()

    return step


def numpy_side(layers, points, labels):
    """The same forward and backward written by hand with matrices."""
    weights = [numpy.array([[w.data for w in neuron[0]] for neuron in layer]).T for layer in layers]
    biases = [numpy.array([neuron[1].data for neuron in layer]) for layer in layers]
    X = numpy.array(points)
    y = numpy.array(labels, dtype=float)

    def step():
        hidden1 = X @ weights[0] + biases[0]
        active1 = numpy.maximum(hidden1, 0.0)
        hidden2 = active1 @ weights[1] + biases[1]
        active2 = numpy.maximum(hidden2, 0.0)
        scores = (active2 @ weights[2] + biases[2])[:, 0]
        margins = 1.0 - y * scores
        d_scores = numpy.where(margins > 0.0, -y, 0.0) / len(y)
        d_w3 = active2.T @ d_scores[:, None]
        d_active2 = d_scores[:, None] @ weights[2].T
        d_hidden2 = d_active2 * (hidden2 > 0.0)
        d_w2 = active1.T @ d_hidden2
        d_active1 = d_hidden2 @ weights[1].T
        d_hidden1 = d_active1 * (hidden1 > 0.0)
        d_w1 = X.T @ d_hidden1
        return d_w1 + 2e-4 * weights[0], d_w2, d_w3

    return step


def single_point_graph(layers):
    """The demo loss of one point (x0, x1, label) as a graph, for batched replay."""
    x0, x1, label = Value(0.5, label="x0"), Value(0.5, label="x1"), Value(1.0, label="y")
    loss = (1 - label * score(layers, [x0, x1])).relu()
    parameters = [p for layer in layers for weights, bias in layer for p in [*weights, bias]]
    return loss + 1e-4 * sum(p * p for p in parameters), [x0, x1, label], parameters


def fit_seconds(compiled: bool) -> float:
    X, y = nn.make_moons(100, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    start = time.process_time()
    nn.fit(
        model,
        X,
        nn.signed_labels(y),
        loss="hinge",
        optimizer=nn.SGD(model, lr=nn.linear_decay(1.0, 0.1, 100)),
        epochs=100,
        l2=1e-4,
        progress=False,
        compile=compiled,
    )
    return time.process_time() - start


def make_side(name: str):
    """The step one side times, and the loss it computes (checked to agree)."""
    points, labels = two_moons(100, random.Random(0))
    if name == "micrograd 0.1.0":
        theirs = make_weights(MicrogradValue, random.Random(1))
        return eager(MicrogradValue, theirs, points, labels), None
    ours = make_weights(Value, random.Random(1))
    if name in ("pathgrad eager", "  collector paused"):
        return eager(Value, ours, points, labels, paused=name != "pathgrad eager"), None
    if name == "numpy by hand":
        return numpy_side(ours, points, labels), None
    if name == "torch 0-d tensors":
        return torch_side(points, labels), None
    root = demo_loss(Value, ours, points, labels)
    if name == "pathgrad compiled":
        parameters = [p for layer in ours for weights, bias in layer for p in [*weights, bias]]
        start = time.process_time()
        compiled = autograd.compile(root, [], wrt=parameters)
        seconds = time.process_time() - start
        assert compiled()[1] == autograd.grad(root, parameters)  # the same numbers, exactly
        del root  # the graph itself is not needed for replay
        return compiled, seconds
    one_point, inputs, point_parameters = single_point_graph(ours)
    batched_graph = autograd.compile(one_point, inputs, wrt=point_parameters)
    columns = [[p[0] for p in points], [p[1] for p in points], [float(label) for label in labels]]
    batch_value = batched_graph.batched(*columns)[0]
    assert abs(batch_value.mean() - root.data) < 1e-9  # the mean of per-point losses
    return (lambda: batched_graph.batched(*columns)), None


SIDES = [
    "micrograd 0.1.0",
    "pathgrad eager",
    "  collector paused",
    "pathgrad compiled",
    "pathgrad batched",
    "numpy by hand",
    "torch 0-d tensors",
]


def run_side(name: str, repeats: int, loop: bool = False) -> None:
    """In a child process: time one side and print its best time (and compile time)."""
    if name == "fit":
        print(json.dumps([fit_seconds(False), fit_seconds(True)]))
        return
    if name == "chain":
        start = time.process_time()
        node = Value(0.5)
        for _ in range(1_000_000):
            node = node.sin()
        node.backward()
        print(json.dumps(time.process_time() - start))
        return
    step, compile_seconds = make_side(name)
    step()  # once untimed, so every side starts warm
    print(json.dumps([best_of(repeats, step, loop), compile_seconds]))


def in_child(name: str, repeats: int, loop: bool = False):
    """Run one side in a fresh interpreter and read back what it printed."""
    command = [sys.executable, __file__, "--side", name, "--repeats", str(repeats)]
    command += ["--loop"] if loop else []
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        if "torch" in name and "No module named 'torch'" in result.stderr:
            return None
        sys.exit(f"{name.strip()}: the side failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def in_children(rounds: int, repeats: int, loop: bool) -> tuple[dict[str, float], float]:
    """Best time per side, and the compile time, each side in a fresh interpreter."""
    times = {name: math.inf for name in SIDES}
    compile_seconds = math.inf
    for _ in range(rounds):  # taking turns
        for name in SIDES:
            answer = in_child(name, repeats, loop)
            if answer is None:
                times.pop(name, None)
                continue
            times[name] = min(times[name], answer[0])
            if answer[1] is not None:
                compile_seconds = min(compile_seconds, answer[1])
    return times, compile_seconds


def in_one_process(rounds: int, repeats: int, loop: bool) -> tuple[dict[str, float], float]:
    """The same, every side built and timed in this process, taking turns."""
    steps, compile_seconds = {}, math.inf
    for name in SIDES:
        try:
            steps[name], seconds = make_side(name)
        except ImportError:  # torch is optional
            continue
        if seconds is not None:
            compile_seconds = seconds
    times = {name: math.inf for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            times[name] = min(times[name], best_of(repeats, step, loop))
    return times, compile_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed repeats per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every side in turn")
    parser.add_argument(
        "--one-process",
        action="store_true",
        help="run every side in this one process, as the compile issue first measured",
    )
    parser.add_argument(
        "--loop",
        action="store_true",
        help="time each side's steps back to back, as a training loop runs them, instead "
        "of each after a full collection",
    )
    parser.add_argument("--side", help=argparse.SUPPRESS)  # how a child is told its side
    arguments = parser.parse_args()
    if arguments.side is not None:
        run_side(arguments.side, arguments.repeats, arguments.loop)
        return
    times, compile_seconds = (in_one_process if arguments.one_process else in_children)(
        arguments.rounds, arguments.repeats, arguments.loop
    )
    if "torch 0-d tensors" not in times:
        print("torch is not installed: its row is left out")
    where = "all in one process" if arguments.one_process else "each side in its own process"
    how = (
        "steps back to back, as in a training loop"
        if arguments.loop
        else "each step after gc.collect()"
    )
    print(f"({where}; {how}; CPU time, best of {arguments.rounds} x {arguments.repeats})")

    micrograd = times["micrograd 0.1.0"]
    print(f"micrograd demo step: MLP {SIZES}, 100 two-moons points, hinge + L2, forward + backward")
    print(f"  {'':22} {'time':>10} {'vs micrograd':>14}")
    for name, seconds in times.items():
        print(f"  {name:22} {seconds * 1e3:8.2f}ms {micrograd / seconds:13.1f}x")
    if "torch 0-d tensors" in times:
        torch_time = times["torch 0-d tensors"]
        print(
            f"  pathgrad eager vs torch 0-d tensors: {torch_time / times['pathgrad eager']:.1f}x "
            f"faster ({torch_time / times['  collector paused']:.1f}x with the collector paused)"
        )
    ratio = times["pathgrad batched"] / times["numpy by hand"]
    print(f"  batched replay / numpy by hand: {ratio:.0f}x slower")
    print(f"  compiling the 65,818-node graph: {compile_seconds:.2f}s")

    eager_fit, compiled_fit = in_child("fit", 1)
    print(
        f"nn.fit on the demo, 100 epochs: eager {eager_fit:.2f}s, compile=True {compiled_fit:.2f}s "
        f"({eager_fit / compiled_fit:.1f}x)"
    )
    chain = in_child("chain", 1)
    print(f"chain of 1,000,000 sin nodes, forward + backward: {chain:.2f}s")


if __name__ == "__main__":
    main()
