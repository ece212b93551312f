"""forward_steps: forward mode node by node; mode_costs: forward against reverse, counted."""

from __future__ import annotations

from autograd import Value, grad, jvp, topological_order
from autograd.command_line.demo import seed_graph
from autograd.views.forward_steps import forward_steps, mode_costs


def test_the_seed_graphs_forward_pass_carries_the_tangents():
    f, x, y = seed_graph()
    steps = forward_steps(f, x)
    rules = [step.rule_text() for step in steps]
    assert rules[0] == "ẋ = 1 (given)" and rules[1] == "ẏ = 0 (given)"
    assert "ċ = ∂c/∂x · ẋ + ∂c/∂y · ẏ = 1 · 1 + 1 · 0 = 1" in rules
    assert rules[-1].endswith("= 18") and steps[-1].tangent == grad(f, x)
    assert [step.node for step in steps] == [
        n for n in topological_order(f) if n.role != "constant"
    ]
    text = str(steps)
    assert text.startswith("Forward pass with tangents") and "ȧ = ∂a/∂x · ẋ = 6 · 1 = 6" in text
    assert "| step | node | value | tangent |" in steps.to_markdown()
    assert (x.grad, y.grad) == (0.0, 0.0)  # computed on the side


def test_a_direction_gives_the_directional_derivative():
    f, x, y = seed_graph()
    steps = forward_steps(f, {x: 1.0, y: 2.0})
    assert steps[-1].tangent == jvp(lambda a, b: a**2 + a * b + (a + b) ** 2, [3, 2], [1, 2])[1]
    assert steps[-1].tangent == 18 + 2 * 13
    whole = forward_steps(f, {x: 1, y: 2})  # int tangents: int.is_integer is Python 3.12+
    assert str(whole) == str(steps) and "= 1, " in whole.heading()


def test_mode_costs_are_counted_on_the_graph():
    f, x, y = seed_graph()
    costs = mode_costs(f, [x, y])
    assert (costs.forward_passes, costs.reverse_passes, costs.multiply_adds_per_pass) == (2, 1, 10)
    assert "reverse mode is 2x cheaper" in str(costs)
    u = Value(0.5)
    outputs = [u.sin(), u.cos(), u * u]  # one input, three outputs: forward wins
    wide = mode_costs(outputs, [u])
    assert (wide.forward_multiply_adds, wide.reverse_multiply_adds) == (4, 12)
    assert "forward mode is 3x cheaper" in str(wide)
