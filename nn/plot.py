"""A picture of what a 2-D classifier learned: its decision regions and the data.

Needs matplotlib (``pip install pathgrad[plot]``); nothing else in ``nn`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value, no_grad

__all__ = ["plot_decision_boundary"]

# Colour-blind-safe pairs (Okabe–Ito): strong for points, pale for regions.
_POINT_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def _pale(colour: str, amount: float = 0.72) -> tuple[float, float, float]:
    """``colour`` mixed with white: region fills that let the points stand out."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5))
    return tuple(channel + (1.0 - channel) * amount for channel in (red, green, blue))


def _margins(output: Any, threshold: float, count: int) -> list[float]:
    """For each class, how far the output is inside its region (> 0 inside).

    One output: class 1 has margin score − threshold, class 0 the opposite. Several
    outputs: class k has oₖ − max_{j≠k} oⱼ. Contouring margins at 0 gives smooth
    boundaries, where contouring the class index would give staircases.
    """
    if isinstance(output, list):
        numbers = [item.data if isinstance(item, Value) else float(item) for item in output]
        if len(numbers) != count:
            raise ValueError(
                f"plot_decision_boundary: the model gives {len(numbers)} outputs "
                f"but the labels have {count} classes"
            )
        margins = []
        for k, number in enumerate(numbers):
            others = numbers[:k] + numbers[k + 1 :]
            margins.append(number - max(others))
        return margins
    score = output.data if isinstance(output, Value) else float(output)
    return [threshold - score, score - threshold]


def plot_decision_boundary(
    model: Callable[[Any], Any],
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    ax: Any = None,
    resolution: int = 50,
    threshold: float = 0.0,
    padding: float = 0.4,
    title: str | None = None,
) -> Any:
    """Colour the plane by the model's predicted class and scatter (X, y) on top.

    A one-output model predicts "positive" where its score exceeds ``threshold``
    (0 for hinge scores and logits, 0.5 for probabilities); a several-output model
    predicts its largest output. Labels may be 0/1, −1/+1 or class indices.
    The model is evaluated on a ``resolution``² grid (one forward pass per point).
    Returns the matplotlib Axes.
    """
    try:
        import matplotlib.pyplot as pyplot
    except ImportError:
        raise ImportError(
            "plot_decision_boundary needs matplotlib: pip install 'pathgrad[plot]'"
        ) from None
    if len(X) != len(y) or not len(X):
        raise ValueError(f"plot_decision_boundary: {len(X)} points but {len(y)} labels")
    if any(len(point) != 2 for point in X):
        raise ValueError("plot_decision_boundary draws 2-D data: every point needs 2 coordinates")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2, got {resolution!r}")

    classes = sorted(set(y))
    binary = len(classes) <= 2 and all(label in (-1, 0, 1) for label in classes)
    # Binary labels: index 0 is the negative class (0 or −1), index 1 the positive one.
    label_index = {label: int(label > 0) for label in classes} if binary else None
    if not binary:
        label_index = {label: position for position, label in enumerate(classes)}
    count = 2 if binary else len(classes)
    colours = [_POINT_COLOURS[i % len(_POINT_COLOURS)] for i in range(count)]

    xs = [point[0] for point in X]
    ys = [point[1] for point in X]
    left, right = min(xs) - padding, max(xs) + padding
    bottom, top = min(ys) - padding, max(ys) + padding
    grid_x = [left + (right - left) * i / (resolution - 1) for i in range(resolution)]
    grid_y = [bottom + (top - bottom) * j / (resolution - 1) for j in range(resolution)]
    with no_grad():  # one forward pass per grid point, and no graph kept for any
        margins = [[_margins(model([gx, gy]), threshold, count) for gx in grid_x] for gy in grid_y]

    if ax is None:
        # Constrained layout makes room for the legend outside the axes, so a plain
        # savefig keeps it.
        _, ax = pyplot.subplots(figsize=(5.6, 4.5), dpi=110, constrained_layout=True)
    for position in range(count):
        surface = [[cell[position] for cell in row] for row in margins]
        largest = max(max(row) for row in surface)
        if largest > 0.0:  # the class wins somewhere on the grid
            ax.contourf(
                grid_x,
                grid_y,
                surface,
                levels=[0.0, largest + 1.0],
                colors=[_pale(colours[position])],
            )
            ax.contour(grid_x, grid_y, surface, levels=[0.0], colors="#444444", linewidths=1.2)
    for position in range(count):
        members = [i for i, label in enumerate(y) if label_index[label] == position]
        name = [label for label in classes if label_index[label] == position]
        ax.scatter(
            [xs[i] for i in members],
            [ys[i] for i in members],
            s=28,
            color=colours[position],
            edgecolors="white",
            linewidths=0.7,
            label=f"class {name[0]}" if name else None,
            zorder=3,
        )
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, frameon=False)
    return ax
