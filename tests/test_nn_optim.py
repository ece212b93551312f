"""SGD (momentum, Nesterov, weight decay), Adam and learning-rate schedules."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value


def quadratic_step(optimizer, weight, times):
    """Minimise (w − 3)²; its gradient is 2(w − 3)."""
    trajectory = []
    for _ in range(times):
        optimizer.zero_grad()
        ((weight - 3.0) ** 2).backward()
        optimizer.step()
        trajectory.append(weight.data)
    return trajectory


def test_plain_sgd_is_w_minus_lr_times_gradient():
    w = Value(0.0, role="parameter")
    assert quadratic_step(nn.SGD([w], lr=0.25), w, 2) == [1.5, 2.25]


def test_momentum_and_nesterov_follow_their_recurrences():
    w = Value(0.0)
    trajectory = quadratic_step(nn.SGD([w], lr=0.1, momentum=0.9), w, 3)
    # by hand: v = 0.9v + g, w -= 0.1 v
    expected, data, velocity = [], 0.0, 0.0
    for _ in range(3):
        velocity = 0.9 * velocity + 2 * (data - 3)
        data -= 0.1 * velocity
        expected.append(data)
    assert trajectory == pytest.approx(expected)

    w = Value(0.0)
    trajectory = quadratic_step(nn.SGD([w], lr=0.1, momentum=0.9, nesterov=True), w, 3)
    expected, data, velocity = [], 0.0, 0.0
    for _ in range(3):
        gradient = 2 * (data - 3)
        velocity = 0.9 * velocity + gradient
        data -= 0.1 * (gradient + 0.9 * velocity)
        expected.append(data)
    assert trajectory == pytest.approx(expected)


def test_weight_decay_adds_decay_times_w_to_the_gradient():
    w = Value(2.0)
    optimizer = nn.SGD([w], lr=0.5, weight_decay=0.1)
    optimizer.zero_grad()
    (w * 0.0).backward()  # zero loss gradient: only the decay acts
    optimizer.step()
    assert w.data == pytest.approx(2.0 - 0.5 * 0.1 * 2.0)


def test_adam_first_step_moves_by_lr_in_the_gradient_sign():
    w, v = Value(0.0), Value(10.0)
    optimizer = nn.Adam([w, v], lr=0.01)
    optimizer.zero_grad()
    ((w - 3.0) ** 2 + (v - 3.0) ** 2).backward()
    optimizer.step()
    assert w.data == pytest.approx(0.01, rel=1e-6)
    assert v.data == pytest.approx(9.99, rel=1e-6)
    trajectory = quadratic_step(nn.Adam([w], lr=0.1), w, 300)
    assert trajectory[-1] == pytest.approx(3.0, abs=1e-2)


def test_schedules():
    linear = nn.linear_decay(1.0, 0.1, 100)
    assert [linear(k) for k in (0, 50, 100, 200)] == pytest.approx([1.0, 0.55, 0.1, 0.1])
    assert linear(37) == pytest.approx(1.0 - 0.9 * 37 / 100)  # micrograd's demo
    step = nn.step_decay(0.5, 0.1, 10)
    assert [step(k) for k in (0, 9, 10, 25)] == pytest.approx([0.5, 0.5, 0.05, 0.005])


def test_optimizer_follows_its_schedule():
    w = Value(0.0)
    optimizer = nn.SGD([w], lr=nn.step_decay(1.0, 0.5, 1))
    rates = []
    for _ in range(3):
        rates.append(optimizer.lr)
        optimizer.zero_grad()
        (w * 1.0).backward()
        optimizer.step()
    assert rates == [1.0, 0.5, 0.25]
    assert w.data == -1.75
    assert optimizer.step_count == 3


def test_optimizers_take_a_module_and_refuse_bad_settings():
    model = nn.MLP(2, [3, 1])
    assert nn.SGD(model, lr=0.1).parameters == model.parameters()
    with pytest.raises(ValueError, match="lr must be a positive number"):
        nn.SGD(model, lr=0)
    with pytest.raises(ValueError, match="nesterov=True needs a momentum"):
        nn.SGD(model, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="no parameters"):
        nn.Adam([], lr=0.1)
    with pytest.raises(TypeError, match="not a Value"):
        nn.SGD([1.0], lr=0.1)


def test_a_non_finite_gradient_stops_the_step_and_names_the_parameter():
    w = Value(1.0, label="w")
    w.grad = math.inf
    with pytest.raises(ValueError, match="node 'w' has gradient inf"):
        nn.SGD([w], lr=0.1).step()
    assert w.data == 1.0


@pytest.mark.parametrize(
    "make",
    [
        lambda parameters: nn.SGD(parameters, lr=1e300),
        lambda parameters: nn.SGD(parameters, lr=1e300, momentum=0.9, nesterov=True),
        lambda parameters: nn.Adam(parameters, lr=1e308),  # Adam moves by about lr
    ],
)
def test_a_step_that_would_overflow_changes_nothing_and_says_so(make):
    """Every new value is computed and checked before any is written: the first
    parameter is fine, the second would become infinite, so neither moves."""
    small, large = Value(1.0, label="small"), Value(-1.5e308, label="large")
    small.grad, large.grad = 1e-310, 1e300
    optimizer = make([small, large])
    state = {name: list(getattr(optimizer, name, [])) for name in ("velocities", "first_moments")}
    message = r"node 'large' would become (-?inf|nan) .* no parameter was changed"
    with pytest.raises(ValueError, match=message):
        optimizer.step()
    assert (small.data, large.data, optimizer.step_count) == (1.0, -1.5e308, 0)
    assert state == {name: list(getattr(optimizer, name, [])) for name in state}
