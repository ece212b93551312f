"""Data set generators, splits and batches: shapes, classes, determinism."""

from __future__ import annotations

import math

import pytest

import nn

GENERATORS = [
    lambda seed: nn.make_moons(50, seed=seed),
    lambda seed: nn.make_circles(50, seed=seed),
    lambda seed: nn.make_spiral(20, classes=3, seed=seed),
    lambda seed: nn.make_xor(50, seed=seed),
    lambda seed: nn.make_blobs(50, centers=4, seed=seed),
]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_are_deterministic_and_seed_dependent(make):
    X, y = make(0)
    assert make(0) == (X, y)
    assert make(1)[0] != X
    assert len(X) == len(y)
    assert all(len(point) == 2 and all(math.isfinite(c) for c in point) for point in X)


def test_class_counts():
    assert sorted(nn.make_moons(51, seed=0)[1]).count(0) == 26
    assert sorted(nn.make_circles(40, seed=0)[1]).count(1) == 20
    _, y = nn.make_spiral(20, classes=4, seed=0)
    assert [y.count(k) for k in range(4)] == [20, 20, 20, 20]
    assert set(nn.make_blobs(30, centers=3)[1]) == {0, 1, 2}


def test_noise_free_shapes_lie_where_the_docstrings_say():
    X, y = nn.make_moons(20, noise=0.0, seed=0)
    for (a, b), label in zip(X, y):
        if label == 0:
            assert math.hypot(a, b) == pytest.approx(1.0) and b >= -1e-12
        else:
            assert math.hypot(a - 1, b - 0.5) == pytest.approx(1.0) and b <= 0.5 + 1e-12
    X, y = nn.make_circles(20, noise=0.0, factor=0.3, seed=0)
    assert {round(math.hypot(*p), 9) for p in X} == {1.0, 0.3}
    X, y = nn.make_xor(200, seed=0)
    assert all(label == int((a > 0) != (b > 0)) for (a, b), label in zip(X, y))


def test_signed_labels():
    assert nn.signed_labels([0, 1, 1]) == [-1, 1, 1]
    with pytest.raises(ValueError, match="label 1 is 2"):
        nn.signed_labels([0, 2])


def test_train_test_split_partitions_the_samples():
    X, y = nn.make_blobs(40, seed=0)
    X_train, X_test, y_train, y_test = nn.train_test_split(X, y, test_fraction=0.25, seed=1)
    assert (len(X_train), len(X_test)) == (30, 10)
    assert sorted(map(tuple, X_train + X_test)) == sorted(map(tuple, X))
    pairs = dict(zip(map(tuple, X), y))
    assert all(pairs[tuple(x)] == label for x, label in zip(X_test, y_test))
    assert nn.train_test_split(X, y, seed=1) == nn.train_test_split(X, y, seed=1)
    with pytest.raises(ValueError, match="empty side"):
        nn.train_test_split(X[:2], y[:2], test_fraction=0.1)


def test_batches_cover_every_sample_once():
    X = [[float(i), 0.0] for i in range(10)]
    y = list(range(10))
    groups = nn.batches(X, y, batch_size=4, seed=0)
    assert [len(labels) for _, labels in groups] == [4, 4, 2]
    assert sorted(label for _, labels in groups for label in labels) == y
    for inputs, labels in groups:
        assert [int(x[0]) for x in inputs] == labels
    assert nn.batches(X, y, shuffle=False) == [(X, y)]
    with pytest.raises(ValueError, match="batch_size"):
        nn.batches(X, y, batch_size=0)
