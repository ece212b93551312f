"""Benchmark: an MLP 2-16-16-1 with its loss on one point, drawn grouped by neuron.

Run: ``python benchmarks/bench_grouped.py [--pip] [--out DIR]``. Prints the node count,
the time to make the DOT text and to render a PNG (with the renderer named; ``--pip``
hides the system ``dot`` so graphviz-pure draws), and the PNG's size in pixels. The
aim (issue 12): at most 2,000 px wide, in under 5 s with the pip renderer.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from pathlib import Path

from PIL import Image

import nn
from autograd import draw, topological_order
from autograd.views import rendering


def network_and_loss():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    prediction = model([0.5, -1.0])
    loss = (prediction - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return model, loss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pip", action="store_true", help="hide the system dot")
    parser.add_argument("--out", default=None, help="folder to keep the PNGs in")
    parser.add_argument("--group", default="neuron", choices=["neuron", "layer"])
    options = parser.parse_args()
    if options.pip:
        os.environ["PATH"] = tempfile.mkdtemp()
    _, loss = network_and_loss()
    print(f"MLP 2-16-16-1 with its loss: {len(topological_order(loss))} nodes")
    print(f"renderer: {rendering.renderer()}")
    started = time.perf_counter()
    picture = draw(loss, group=options.group)
    made = time.perf_counter() - started
    png = picture.pipe(format="png")
    total = time.perf_counter() - started
    width, height = Image.open(io.BytesIO(png)).size
    print(
        f"group={options.group}: DOT text {made:.2f} s; DOT + PNG {total:.2f} s; "
        f"{width} x {height} px, {len(png) / 1e6:.2f} MB"
    )
    if options.out:
        target = Path(options.out) / f"mlp_2_16_16_1_{options.group}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        print(f"written: {target}")


if __name__ == "__main__":
    main()
