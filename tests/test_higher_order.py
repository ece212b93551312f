"""Derivatives of derivatives (create_graph, hessian, hvp, jacobian, nested grad) and
forward mode (jvp, derivative), against sympy and reverse mode on random graphs."""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import DomainError, Value, apply, grad, hessian, hvp, jacobian, jvp
from autograd.command_line.demo import seed_graph
from tests.test_random_graphs import SYMBOLS, SYMPY_FORMS, programs, run, smooth_enough

KINKED = {"relu", "abs"}


def seed_function(x, y):
    return x**2 + x * y + (x + y) ** 2


# ---------------------------------------------------------------- the seed exercise
@pytest.mark.parametrize("point", [(3.0, 2.0), (-1.5, 0.25), (0.0, 7.0)])
def test_the_seed_graphs_second_derivatives_are_4_3_2_everywhere(point):
    # Sheet 003, exercise 1: f = x² + xy + (x+y)², so f_xx = 4, f_xy = 3, f_yy = 2.
    assert hessian(seed_function, point) == ((4.0, 3.0), (3.0, 2.0))


def test_create_graph_gradients_are_values_that_can_be_differentiated_again():
    f, x, y = seed_graph()
    f.backward(create_graph=True)
    assert isinstance(x.grad, Value) and isinstance(y.grad, Value)
    assert (x.grad.data, y.grad.data) == autograd.grad(f, [x, y])
    assert grad(x.grad, [x, y]) == hessian(seed_function, [3.0, 2.0])[0]
    # The gradient is a graph like any other: its steps and paths agree with grad.
    table = autograd.backward_steps(y.grad).table()
    assert table.final_grads()[x] == grad(y.grad, x)
    assert autograd.paths(y.grad, y).matches_grad


def test_create_graph_makes_no_nodes_for_times_one_or_plus_zero():
    x = Value(3.0, label="x")
    f = x * x
    dx = grad(f, x, create_graph=True)  # x·1 + x·1: one add of the two x's, nothing else
    assert dx.op == "add" and dx.parents == (x, x)


def test_without_create_graph_nothing_changes():
    f, x, y = seed_graph()
    f.backward()
    assert (x.grad, y.grad) == (18.0, 13.0) and type(x.grad) is float


# ---------------------------------------------------------------- nested use
def test_a_nested_value_and_grad_is_right():
    # The function is x · ∂(x·y)/∂y = x · x: its derivative at 1 is 2, not 1.
    outer = autograd.value_and_grad(
        lambda x: x * autograd.value_and_grad(lambda y: x * y)(2.0)[1][0]
    )
    assert outer(1.0) == (1.0, (2.0,))


def test_grad_inside_a_differentiated_function_keeps_its_graph():
    # d/dx (x · d(x³)/dx) = d/dx 3x³ = 9x²
    value, (slope,) = autograd.value_and_grad(lambda x: grad(x * x * x, x) * x)(2.0)
    assert (value, slope) == (24.0, 36.0)


def test_a_value_passed_to_an_inner_value_and_grad_stays_connected():
    inner = autograd.value_and_grad(lambda y: y * y)
    assert autograd.value_and_grad(lambda x: inner(x)[0] * x)(2.0) == (8.0, (12.0,))


# ---------------------------------------------------------------- hessian, hvp, jacobian
def test_hvp_is_the_hessian_times_the_vector():
    def f(x, y, z):
        return (x * y).sin() + z * x.exp() + y**3

    point, vector = [0.3, -1.2, 0.7], [1.0, -2.0, 0.5]
    matrix = hessian(f, point)
    expected = [sum(row[j] * vector[j] for j in range(3)) for row in matrix]
    assert hvp(f, point, vector) == pytest.approx(expected, rel=1e-12)
    assert all(
        matrix[i][j] == pytest.approx(matrix[j][i], rel=1e-12) for i in range(3) for j in range(3)
    )


def test_jacobian_of_several_outputs():
    def f(x, y):
        return [x * y, x.exp() + y, 3.0]  # a number output has a zero row

    rows = jacobian(f, [1.0, 2.0])
    assert rows == ((2.0, 1.0), (math.e, 1.0), (0.0, 0.0))


def test_kinks_follow_the_first_derivative_conventions():
    # relu'(0) = |x|'(0) = 0, and their second derivatives are 0 everywhere.
    assert hessian(lambda x: x.relu() * 3.0, [0.0]) == ((0.0,),)
    assert hessian(lambda x: x.abs() * x, [0.0]) == ((0.0,),)
    assert hessian(lambda x: x.abs() * x, [2.0]) == ((2.0,),)  # d²(x|x|)/dx² = 2 sign(x)
    assert grad(Value(0.0).relu(), Value(0.0)) == 0.0


# ---------------------------------------------------------------- random graphs vs sympy
def derivatives_up_to_third(root, leaf):
    first = grad(root, leaf, create_graph=True)
    second = grad(first, leaf, create_graph=True)  # a float root (a constant) gives 0.0
    third = grad(second, leaf)
    return [float(first), float(second), float(third)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(), st.integers(0, 2), st.integers(0, 2))
def test_higher_derivatives_match_sympy_to_third_order(program, index, other):
    leaf_values, steps = program
    assume(not any(op in KINKED for op, _ in steps))  # no second derivative at the kink
    leaves = [Value(value, label=f"x{number}") for number, value in enumerate(leaf_values)]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None and smooth_enough(nodes, steps))
    try:
        ours = derivatives_up_to_third(nodes[-1], leaves[index])
        mixed = grad(grad(nodes[-1], leaves[index], create_graph=True), leaves[other])
        mixed_other_way = grad(grad(nodes[-1], leaves[other], create_graph=True), leaves[index])
    except DomainError:
        assume(False)  # a derivative of a derivative is infinite here (sqrt at 0...)
    expression = run(list(SYMBOLS), steps, lambda op, inputs: SYMPY_FORMS[op](*inputs))[-1]
    substitutions = {symbol: value for symbol, value in zip(SYMBOLS, leaf_values)}
    exact = expression
    for order in range(3):
        exact = sympy.diff(exact, SYMBOLS[index])
        value = complex(sympy.N(exact.subs(substitutions), 30))
        assume(abs(value.imag) < 1e-9 and abs(value.real) < 1e8)
        assert ours[order] == pytest.approx(value.real, rel=1e-7, abs=1e-7), order + 1
    exact_mixed = complex(
        sympy.N(sympy.diff(expression, SYMBOLS[index], SYMBOLS[other]).subs(substitutions), 30)
    )
    mixed, mixed_other_way = float(mixed), float(mixed_other_way)
    assert mixed == pytest.approx(exact_mixed.real, rel=1e-7, abs=1e-7)
    assert mixed == pytest.approx(mixed_other_way, rel=1e-9, abs=1e-9)  # symmetric


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(), st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3))
def test_forward_mode_agrees_with_reverse_mode(program, direction):
    leaf_values, steps = program
    leaves = [Value(value) for value in leaf_values]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None)
    root = nodes[-1]
    try:
        gradients = grad(root, leaves)
    except DomainError:
        assume(False)
    expected = sum(g * d for g, d in zip(gradients, direction))

    def function(*inputs):
        return run(list(inputs), steps, lambda op, values: apply(op, *values))[-1]

    try:
        value, tangent = jvp(function, leaf_values, direction)
    except DomainError:
        assume(False)
    assert value == root.data
    # The same sums, associated the other way (leaf up, not root down): equal to rounding.
    assert tangent == pytest.approx(expected, rel=1e-11, abs=1e-11)
    for position in range(len(leaves)):  # one input at a time: ∂f/∂xᵢ itself
        axis = [1.0 if index == position else 0.0 for index in range(len(leaves))]
        assert jvp(function, leaf_values, axis)[1] == pytest.approx(
            gradients[position], rel=1e-11, abs=1e-11
        )


def test_forward_mode_on_the_seed_graph_and_derivative():
    assert jvp(seed_function, [3.0, 2.0], [1.0, 0.0]) == (40.0, 18.0)
    assert jvp(seed_function, [3.0, 2.0], [0.0, 1.0]) == (40.0, 13.0)
    assert autograd.derivative(lambda x: x.sin() * x)(0.5) == pytest.approx(
        math.cos(0.5) * 0.5 + math.sin(0.5), rel=1e-15
    )
    assert jvp(lambda x, y: (x * y, x + y), [3.0, 2.0], [1.0, 1.0]) == ((6.0, 5.0), (5.0, 2.0))
    with pytest.raises(ValueError, match="2 inputs, the tangent 1"):
        jvp(seed_function, [3.0, 2.0], [1.0])
    with pytest.raises(DomainError, match="tangent of"):
        jvp(lambda x: x.sqrt(), [0.0], [1.0])


# ---------------------------------------------------------------- seeds and several roots
def test_backward_with_a_seed_and_over_several_roots():
    x, y = Value(3.0), Value(2.0)
    a, b = x * y, x + y
    a.backward(2.5)
    assert (x.grad, y.grad) == (5.0, 7.5)
    x.grad = y.grad = 0.0
    autograd.backward([a, b], [1.0, -2.0])  # ∂(a − 2b)
    assert (x.grad, y.grad) == (2.0 - 2.0, 3.0 - 2.0)
    assert autograd.engine.backward.chain_rule([a, a], seeds=[1.0, 1.0])[x] == 4.0
    with pytest.raises(ValueError, match="2 root"):
        autograd.backward([a, b], [1.0])
    with pytest.raises(TypeError, match="seed 0 must be a finite number"):
        a.backward(float("nan"))


def test_no_grad_builds_no_graph_and_nests():
    x = Value(2.0)
    with autograd.no_grad():
        with autograd.no_grad():
            inner = x * 3
        outer = (x * x).exp()
    after = x * x
    assert (inner.data, inner.parents, inner.role) == (6.0, (), "constant")
    assert outer.parents == () and outer.data == pytest.approx(math.exp(4.0))
    assert after.parents == (x, x)  # the switch is off again
    with pytest.raises(DomainError):  # domains are still checked
        with autograd.no_grad():
            Value(0.0).log()
    assert (x * x).parents == (x, x)  # and an error inside leaves it off


# ---------------------------------------------------------------- 0 · ∞ and non-real derivatives
def test_zero_times_infinity_is_zero_in_every_mode_as_in_backward():
    """relu(y) · sqrt(x) at y < 0, x = 0: ∂/∂x = relu(y) · 0.5/√x = 0 · ∞. The backward
    pass passes nothing on from a zero gradient; create_graph, the Hessian, forward
    mode and the paths follow the same rule instead of raising or giving nan."""
    from autograd.views.paths import paths

    def f(x, y):
        return y.relu() * x.sqrt()

    x, y = Value(0.0, label="x"), Value(-1.0, label="y")
    root = f(x, y)
    assert grad(root, [x, y]) == (0.0, 0.0)
    assert tuple(map(float, grad(root, [x, y], create_graph=True))) == (0.0, 0.0)
    assert hessian(f, [0.0, -1.0]) == ((0.0, 0.0), (0.0, 0.0))
    assert jvp(f, [0.0, -1.0], [1.0, 0.0]) == (0.0, 0.0)
    assert autograd.derivative(lambda x: x.sqrt() * 0.0)(0.0) == 0.0
    assert paths(root, x).total == 0.0 and paths(root, x).matches_grad
    with pytest.raises(DomainError, match="tangent of .*sqrt.* is inf"):
        autograd.derivative(lambda x: x.sqrt())(0.0)  # an infinite derivative still is one


def test_a_power_with_a_value_exponent_at_a_negative_base_is_refused_in_every_order():
    """(−2)^b is not differentiable in b: the float pass refuses it, and so does
    create_graph (it gave ∂/∂b = 0 and an asymmetric Hessian)."""
    a, b = Value(-2.0), Value(2.0)
    for make in (
        lambda: grad(a**b, [a, b]),
        lambda: grad(a**b, [a, b], create_graph=True),
        lambda: hessian(lambda a, b: a**b, [-2.0, 2.0]),
    ):
        with pytest.raises(DomainError, match="is nan: edge from .*pow.* local derivative nan"):
            make()
    assert hessian(lambda a: a**2.0, [-2.0]) == ((2.0,),)  # a constant exponent is fine


def test_a_derivative_that_cannot_be_built_says_which_node():
    with pytest.raises(
        DomainError, match=r"derivative of .*sqrt.* \(sqrt at 0.0\) cannot be built"
    ):
        hessian(lambda y: y.relu().sqrt(), [-1.0])


@pytest.mark.parametrize("transform", [hessian, hvp, jacobian])
def test_a_graph_in_place_of_a_function_is_told_to_use_grad(transform):
    x = Value(1.0)
    arguments = (x * x, [1.0], [1.0]) if transform is hvp else (x * x, [1.0])
    with pytest.raises(TypeError, match=f"{transform.__name__} takes a function of the inputs"):
        transform(*arguments)
