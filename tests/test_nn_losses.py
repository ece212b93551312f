"""Losses: values, gradients, stability and the errors for bad targets."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import DomainError, Value, grad, gradcheck


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_mse_and_the_half_sum_form():
    predictions = [Value(1.0), Value(3.0), Value(-2.0)]
    targets = [0.0, 1.0, 2.0]
    assert nn.mse(predictions, targets).data == pytest.approx((1 + 4 + 16) / 3)
    loss = nn.half_sum_squared_error(predictions, targets)
    assert loss.data == pytest.approx(0.5 * (1 + 4 + 16))
    assert grad(loss, predictions) == (1.0, 2.0, -4.0)  # exactly ŷ − y
    assert grad(nn.mse(predictions, targets), predictions) == pytest.approx([2 / 3, 4 / 3, -8 / 3])


def test_hinge_is_micrograds_max_margin_loss():
    scores = [Value(2.0), Value(0.5), Value(-0.3)]
    labels = [1, 1, 1]
    loss = nn.hinge(scores, labels)
    assert loss.data == pytest.approx((0 + 0.5 + 1.3) / 3)
    assert grad(loss, scores) == pytest.approx([0.0, -1 / 3, -1 / 3])


def test_hinge_refuses_zero_one_labels():
    with pytest.raises(ValueError, match=r"label 1 is 0.0.*−1 or \+1.*signed_labels"):
        nn.hinge([Value(1.0), Value(2.0)], [1, 0])


def test_losses_refuse_mismatched_lengths_and_odd_targets():
    with pytest.raises(ValueError, match="2 predictions but 3 targets"):
        nn.mse([Value(1.0), Value(2.0)], [1, 2, 3])
    with pytest.raises(ValueError, match=r"target 0 is 1.5.*\[0, 1\]"):
        nn.binary_cross_entropy([Value(0.5)], [1.5])
    with pytest.raises(ValueError, match=r"target 0 is -1.0"):
        nn.bce_with_logits([Value(0.5)], [-1])
    with pytest.raises(TypeError, match="targets must be numbers"):
        nn.mse([Value(1.0)], [[1.0]])
    with pytest.raises(ValueError, match="no predictions"):
        nn.mse([], [])
    with pytest.raises(ValueError, match="class 3, but there are 3 logits"):
        nn.cross_entropy([Value(0.0), Value(1.0), Value(2.0)], 3)
    with pytest.raises(ValueError, match="sums to"):
        nn.cross_entropy([Value(0.0), Value(1.0)], [0.5, 0.6])
    with pytest.raises(ValueError, match="2 samples of logits but 1 targets"):
        nn.cross_entropy([[Value(0.0), Value(1.0)], [Value(0.0), Value(1.0)]], [0])


def test_binary_cross_entropy_value_and_gradient():
    probabilities = [Value(0.8), Value(0.3), Value(0.6)]
    targets = [1, 0, 0.25]
    loss = nn.binary_cross_entropy(probabilities, targets)
    expected = -(math.log(0.8) + math.log(0.7) + 0.25 * math.log(0.6) + 0.75 * math.log(0.4)) / 3
    assert loss.data == pytest.approx(expected)
    # ∂/∂p = (p − y) / (p(1 − p)) / n
    assert grad(loss, probabilities) == pytest.approx(
        [(p.data - t) / (p.data * (1 - p.data)) / 3 for p, t in zip(probabilities, targets)]
    )
    assert nn.logloss is nn.binary_cross_entropy


def test_binary_cross_entropy_of_a_saturated_probability_points_to_logits():
    saturated = Value(40.0).sigmoid()  # rounds to exactly 1.0
    assert saturated.data == 1.0
    assert nn.binary_cross_entropy([saturated], [1]).data == 0.0
    with pytest.raises(DomainError, match="bce_with_logits"):
        nn.binary_cross_entropy([saturated], [0])


@settings(max_examples=60)
@given(st.floats(-30, 30, allow_nan=False), st.sampled_from([0.0, 1.0, 0.3]))
def test_bce_with_logits_equals_bce_of_sigmoid_and_has_gradient_sigma_minus_y(z, y):
    logit = Value(z)
    loss = nn.bce_with_logits([logit], [y])
    p = sigmoid(z)
    if 1e-3 < p < 1 - 1e-3:  # where the naive formula is itself accurate
        naive = -(y * math.log(p) + (1 - y) * math.log(1 - p))
        assert loss.data == pytest.approx(naive, rel=1e-9)
    softplus = max(z, 0.0) + math.log1p(math.exp(-abs(z)))
    assert loss.data == pytest.approx(softplus - y * z, rel=1e-12, abs=1e-15)
    assert grad(loss, logit) == pytest.approx(p - y, abs=1e-12)


def test_bce_with_logits_is_finite_far_out_and_smooth_at_zero():
    assert nn.bce_with_logits([Value(800.0)], [0]).data == pytest.approx(800.0)
    assert nn.bce_with_logits([Value(-800.0)], [0]).data == 0.0
    assert nn.bce_with_logits([Value(0.0)], [1]).data == pytest.approx(math.log(2))
    zero = Value(0.0)
    assert grad(nn.bce_with_logits([zero], [1]), zero) == pytest.approx(-0.5)


def test_cross_entropy_single_batch_and_one_hot_agree():
    logits = [[Value(1.0), Value(2.0), Value(0.5)], [Value(-1.0), Value(0.0), Value(3.0)]]
    batch = nn.cross_entropy(logits, [1, 2]).data
    singles = [nn.cross_entropy(row, target).data for row, target in zip(logits, [1, 2])]
    assert batch == pytest.approx(sum(singles) / 2)
    assert nn.cross_entropy(logits[0], [0, 1, 0]).data == pytest.approx(singles[0])
    expected = -math.log(math.exp(2) / (math.exp(1) + math.exp(2) + math.exp(0.5)))
    assert singles[0] == pytest.approx(expected)


def test_cross_entropy_is_finite_for_huge_logits():
    logits = [Value(1000.0), Value(-1000.0)]
    assert nn.cross_entropy(logits, 1).data == pytest.approx(2000.0)
    assert grad(nn.cross_entropy(logits, 1), logits) == pytest.approx([1.0, -1.0])


def test_l2_penalty():
    weights = [Value(1.0), Value(-2.0)]
    penalty = nn.l2_penalty(weights, 0.1)
    assert penalty.data == pytest.approx(0.5)
    assert grad(penalty, weights) == pytest.approx([0.2, -0.4])
    model = nn.MLP(2, [2, 1], seed=0)
    assert nn.l2_penalty(model, 1.0).data == pytest.approx(
        sum(p.data**2 for p in model.parameters())
    )


@pytest.mark.parametrize(
    "loss",
    [
        lambda a, b, c: nn.mse([a, b], [0.5, -1.0]),
        lambda a, b, c: nn.hinge([a, b, c], [1, -1, 1]),
        lambda a, b, c: nn.bce_with_logits([a, b, c], [1, 0, 0.5]),
        lambda a, b, c: nn.cross_entropy([a, b, c], 2),
        lambda a, b, c: nn.binary_cross_entropy([a.sigmoid(), b.sigmoid()], [1, 0]),
    ],
)
def test_loss_gradients_match_central_differences(loss):
    assert gradcheck(loss, [0.3, -0.7, 1.9])
