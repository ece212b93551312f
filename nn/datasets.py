"""Small 2-D data sets, made in pure Python from a seed, and ways to split and batch them.

Every generator returns ``(X, y)``: X a list of ``[x1, x2]`` points, y a list of
class indices 0, 1, ... (use ``signed_labels`` for the −1/+1 labels hinge loss wants).
The same arguments always give the same lists.

>>> X, y = make_moons(4, noise=0.0, seed=0)
>>> len(X), sorted(y)
(4, [0, 0, 1, 1])
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

__all__ = [
    "make_moons",
    "make_circles",
    "make_spiral",
    "make_xor",
    "make_blobs",
    "signed_labels",
    "train_test_split",
    "batches",
]

Points = list[list[float]]
Labels = list[int]


def _rng(seed: int | random.Random) -> random.Random:
    return seed if isinstance(seed, random.Random) else random.Random(seed)


MAX_POINTS = 10_000_000
"""The most points a generator makes (about 2 GB of lists): past it, a typo."""


def _check_count(count: int, minimum: int, where: str) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < minimum:
        raise ValueError(
            f"{where}: the number of points must be an int >= {minimum}, got {count!r}"
        )
    if count > MAX_POINTS:
        raise ValueError(
            f"{where}: {count:,} points, more than {MAX_POINTS:,}; a scalar engine "
            "trains on thousands (numpy makes data sets this large)"
        )


def _spaced(count: int, start: float, stop: float) -> list[float]:
    """``count`` evenly spaced numbers from start to stop, both included."""
    if count == 1:
        return [start]
    return [start + (stop - start) * index / (count - 1) for index in range(count)]


def _shuffled(points: Points, labels: Labels, rng: random.Random) -> tuple[Points, Labels]:
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[index] for index in order], [labels[index] for index in order]


def _with_noise(points: Points, noise: float, rng: random.Random) -> Points:
    if noise < 0.0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    if noise == 0.0:
        return points
    return [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for x, y in points]


def make_moons(
    n: int = 100, noise: float = 0.1, seed: int | random.Random = 0
) -> tuple[Points, Labels]:
    """Two interleaving half circles: class 0 the upper arc (cos t, sin t), class 1 the
    lower arc (1 − cos t, ½ − sin t), t ∈ [0, π], plus Gaussian noise of std ``noise``."""
    _check_count(n, 2, "make_moons")
    rng = _rng(seed)
    upper, lower = n - n // 2, n // 2
    points = [[math.cos(t), math.sin(t)] for t in _spaced(upper, 0.0, math.pi)]
    points += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _spaced(lower, 0.0, math.pi)]
    labels = [0] * upper + [1] * lower
    return _shuffled(_with_noise(points, noise, rng), labels, rng)


def make_circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | random.Random = 0
) -> tuple[Points, Labels]:
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor`` (< 1)."""
    _check_count(n, 2, "make_circles")
    if not 0.0 < factor < 1.0:
        raise ValueError(f"make_circles: factor must be in (0, 1), got {factor!r}")
    rng = _rng(seed)
    outer, inner = n - n // 2, n // 2
    points = []
    for count, radius in ((outer, 1.0), (inner, factor)):
        for index in range(count):
            angle = 2.0 * math.pi * index / count
            points.append([radius * math.cos(angle), radius * math.sin(angle)])
    labels = [0] * outer + [1] * inner
    return _shuffled(_with_noise(points, noise, rng), labels, rng)


def make_spiral(
    n: int = 100, classes: int = 3, noise: float = 0.2, seed: int | random.Random = 0
) -> tuple[Points, Labels]:
    """``classes`` interleaved spiral arms, ``n`` points each (so n·classes points).

    Arm k: radius r from 0 to 1, angle 4k + 4r plus Gaussian noise of std ``noise``
    (in radians), the point (r sin θ, r cos θ).
    """
    _check_count(n, 1, "make_spiral")
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 2:
        raise ValueError(f"make_spiral: classes must be an int >= 2, got {classes!r}")
    rng = _rng(seed)
    points, labels = [], []
    for arm in range(classes):
        for radius in _spaced(n, 0.0, 1.0):
            angle = 4.0 * arm + 4.0 * radius + rng.gauss(0.0, noise)
            points.append([radius * math.sin(angle), radius * math.cos(angle)])
            labels.append(arm)
    return _shuffled(points, labels, rng)


def make_xor(
    n: int = 100, noise: float = 0.0, seed: int | random.Random = 0
) -> tuple[Points, Labels]:
    """Points uniform in [−1, 1]²; class 1 where exactly one coordinate is positive.

    No straight line separates the classes: the classic reason for a hidden layer.
    ``noise`` jitters the points after they are labelled, so a few cross the axes.
    """
    _check_count(n, 1, "make_xor")
    rng = _rng(seed)
    points = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(n)]
    labels = [int((x > 0.0) != (y > 0.0)) for x, y in points]
    return _with_noise(points, noise, rng), labels


def make_blobs(
    n: int = 100,
    centers: int | Sequence[Sequence[float]] = 3,
    spread: float = 0.5,
    seed: int | random.Random = 0,
) -> tuple[Points, Labels]:
    """Gaussian clouds (std ``spread``) around ``centers``: given points, or that many
    centers drawn uniformly from [−3, 3]². Point i belongs to center i mod k."""
    _check_count(n, 1, "make_blobs")
    rng = _rng(seed)
    if isinstance(centers, int):
        if centers < 1:
            raise ValueError(f"make_blobs: centers must be >= 1, got {centers!r}")
        centers = [[rng.uniform(-3.0, 3.0), rng.uniform(-3.0, 3.0)] for _ in range(centers)]
    centers = [list(center) for center in centers]
    if not centers or any(len(center) != 2 for center in centers):
        raise ValueError("make_blobs: centers must be 2-D points, e.g. [[0, 0], [2, 1]]")
    points, labels = [], []
    for index in range(n):
        label = index % len(centers)
        x, y = centers[label]
        points.append([x + rng.gauss(0.0, spread), y + rng.gauss(0.0, spread)])
        labels.append(label)
    return _shuffled(points, labels, rng)


def signed_labels(labels: Sequence[int]) -> list[int]:
    """0/1 labels as −1/+1 (for hinge loss): 0 → −1, 1 → +1."""
    for index, label in enumerate(labels):
        if label not in (0, 1):
            raise ValueError(f"signed_labels: label {index} is {label!r}; expected 0 or 1")
    return [2 * label - 1 for label in labels]


def train_test_split(
    X: Sequence[Any], y: Sequence[Any], test_fraction: float = 0.25, seed: int | random.Random = 0
) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Shuffle, then hold out ``test_fraction`` of the samples.

    Returns (X_train, X_test, y_train, y_test), in scikit-learn's order.
    """
    if len(X) != len(y):
        raise ValueError(f"train_test_split: {len(X)} inputs but {len(y)} labels")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(
            f"train_test_split: test_fraction must be in (0, 1), got {test_fraction!r}"
        )
    test_count = round(len(X) * test_fraction)
    if test_count < 1 or test_count >= len(X):
        raise ValueError(
            f"train_test_split: {len(X)} samples with test_fraction={test_fraction} leave "
            "an empty side; use more samples or another fraction"
        )
    order = list(range(len(X)))
    _rng(seed).shuffle(order)
    test, train = order[:test_count], order[test_count:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]


def batches(
    X: Sequence[Any],
    y: Sequence[Any],
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int | random.Random = 0,
) -> list[tuple[list[Any], list[Any]]]:
    """Split (X, y) into (inputs, labels) batches of ``batch_size`` (the last may be smaller).

    ``batch_size=None`` gives one batch of everything. With ``shuffle`` the order is
    drawn from ``seed`` (pass one ``random.Random`` to get a new order each epoch).
    """
    if len(X) != len(y):
        raise ValueError(f"batches: {len(X)} inputs but {len(y)} labels")
    if not len(X):
        raise ValueError("batches: no samples")
    size = len(X) if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batches: batch_size must be a positive int or None, got {batch_size!r}")
    order = list(range(len(X)))
    if shuffle:
        _rng(seed).shuffle(order)
    return [
        ([X[i] for i in order[start : start + size]], [y[i] for i in order[start : start + size]])
        for start in range(0, len(order), size)
    ]
