"""Matrix helpers over lists of Values: shapes, products, softmax."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value, grad

small = st.floats(-5, 5, allow_nan=False)


def test_values_labels_entries_by_name_and_position():
    W = nn.values([[1, 2], [3, 4]], name="W", role="parameter")
    assert [[entry.label for entry in row] for row in W] == [
        ["W[0,0]", "W[0,1]"],
        ["W[1,0]", "W[1,1]"],
    ]
    assert W[1][0].role == "parameter"
    assert nn.data(W) == [[1.0, 2.0], [3.0, 4.0]]


def test_matmul_transpose_and_add():
    A = [[1, 2, 3], [4, 5, 6]]
    B = [[1, 0], [0, 1], [1, 1]]
    assert nn.data(nn.matmul(nn.values(A), nn.values(B))) == [[4.0, 5.0], [10.0, 11.0]]
    assert nn.transpose(A) == [[1, 4], [2, 5], [3, 6]]
    assert nn.data(nn.add(nn.values(A), [[10, 20, 30]])) == [[11, 22, 33], [14, 25, 36]]
    assert nn.data(nn.add(nn.values(A), A)) == [[2, 4, 6], [8, 10, 12]]


def test_shape_errors_say_the_sizes():
    with pytest.raises(ValueError, match="2×3 matrix times a 2×2"):
        nn.matmul([[1, 2, 3], [4, 5, 6]], [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="row 1 has 1 entries"):
        nn.transpose([[1, 2], [3]])
    with pytest.raises(ValueError, match="column vector"):
        nn.matmul([1, 2], [[1], [2]])
    with pytest.raises(ValueError, match="single row"):
        nn.add([[1, 2], [3, 4]], [[1, 2], [3, 4], [5, 6]])


def test_elementwise_by_name_or_function():
    H = nn.values([[2, -0.5], [0, 1]])
    assert nn.data(nn.elementwise(H, "relu")) == [[2.0, 0.0], [0.0, 1.0]]
    assert nn.data(nn.elementwise(H, "linear")) == nn.data(H)
    assert nn.data(nn.elementwise(H, lambda v: v * 3)) == [[6.0, -1.5], [0.0, 3.0]]
    with pytest.raises(ValueError, match="unknown activation"):
        nn.elementwise(H, "gelu")


@settings(max_examples=40)
@given(st.lists(small, min_size=1, max_size=6))
def test_softmax_is_a_distribution_and_log_softmax_its_log(logits):
    probabilities = [p.data for p in nn.softmax(logits)]
    assert sum(probabilities) == pytest.approx(1.0)
    assert all(p > 0 for p in probabilities)
    assert [v.data for v in nn.log_softmax(logits)] == pytest.approx(
        [math.log(p) for p in probabilities]
    )
    assert nn.logsumexp(logits).data == pytest.approx(math.log(sum(math.exp(z) for z in logits)))


def test_softmax_does_not_overflow_for_huge_logits():
    logits = [Value(1000.0), Value(999.0), Value(-1000.0)]
    probabilities = [p.data for p in nn.softmax(logits)]
    assert probabilities[0] == pytest.approx(1 / (1 + math.exp(-1)))
    assert probabilities[2] == 0.0
    # log_softmax stays finite where the probability underflowed, and has a gradient.
    log_probability = nn.log_softmax(logits)[2]
    assert log_probability.data == pytest.approx(-2000.0 - math.log1p(math.exp(-1)))
    assert grad(log_probability, logits)[2] == pytest.approx(1.0)


def test_matmul_of_plain_numbers_gives_numbers():
    assert nn.matmul([[1.0, 2.0]], [[3.0], [4.0]]) == [[11.0]]
