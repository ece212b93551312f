"""Backward semantics, the functional forms, gradcheck, and the seed graph."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import DomainError, Value, apply, grad, gradcheck, value_and_grad
from tests.test_random_graphs import programs, run


def seed_function(x, y):
    """Problem sheet 5, exercise 1: f = x² + xy + (x + y)²."""
    return x**2 + x * y + (x + y) ** 2


def test_the_seed_graph_exercise():
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    f = seed_function(x, y)
    f.backward()
    assert (f.data, x.grad, y.grad) == (40.0, 18.0, 13.0)


@pytest.mark.parametrize("point", [(-1.5, 0.25), (0.0, 0.0), (2.0, -7.0), (10.0, 3.5)])
def test_the_seed_graph_gradients_are_the_sums_over_paths(point):
    x_value, y_value = point
    x, y = Value(x_value), Value(y_value)
    seed_function(x, y).backward()
    assert x.grad == pytest.approx(2 * x_value + y_value + 2 * (x_value + y_value))
    assert y.grad == pytest.approx(x_value + 2 * (x_value + y_value))


def test_leaf_grads_accumulate_and_intermediate_grads_are_fresh():
    x, y = Value(3.0), Value(2.0)
    middle = x * y
    f = middle + x
    f.backward()
    first = (x.grad, y.grad, middle.grad, f.grad)
    f.backward()
    assert (x.grad, y.grad) == (2 * first[0], 2 * first[1])
    assert (middle.grad, f.grad) == (first[2], first[3]) == (1.0, 1.0)


def test_reused_nodes_receive_every_contribution():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0


def test_backward_on_a_leaf_sets_its_grad_to_one():
    leaf = Value(5.0)
    leaf.backward()
    assert leaf.grad == 1.0


def test_zero_grad_clears_the_whole_graph():
    x, y = Value(3.0), Value(2.0)
    f = seed_function(x, y)
    f.backward()
    f.zero_grad()
    assert all(node.grad == 0.0 for node in autograd.topological_order(f))


def test_a_million_node_chain_without_recursion():
    x = Value(0.5)
    node = x
    for _ in range(1_000_000):
        node = node.sin()
    node.backward()
    order = autograd.backward_order(node)
    assert len(order) == 1_000_001
    assert order[0] is node and order[-1] is x
    assert 0.0 < x.grad < 1.0


def test_orders_are_topological_and_reverse():
    x, y = Value(3.0), Value(2.0)
    f = seed_function(x, y)
    forward = autograd.topological_order(f)
    position = {node: index for index, node in enumerate(forward)}
    for node in forward:
        assert all(position[parent] < position[node] for parent in node.parents)
    assert autograd.backward_order(f) == forward[::-1]
    assert forward[-1] is f


def test_creation_order_of_several_roots_holds_each_shared_node_once():
    from autograd.engine.backward import ancestors, creation_order

    x, y = Value(3.0), Value(2.0)
    shared = x * y
    first, second = shared + x, shared.exp()
    unrelated = Value(1.0) + 1
    order = creation_order([second, first, second])
    assert [node.id for node in order] == sorted({node.id for node in order})
    assert set(order) == {x, y, shared, first, second} == set(ancestors([first, second]))
    assert unrelated not in order
    assert creation_order([first, second], reverse=True) == order[::-1]


def test_non_finite_gradient_names_the_node_where_it_happened():
    x = Value(0.0, label="x")
    s = x.sqrt()
    s.label = "s"
    with pytest.raises(DomainError) as caught:
        (s * 3.0).backward()
    message = str(caught.value)
    assert "node 'x'" in message and "inf" in message and "sqrt" in message


def test_overflowing_gradients_are_reported():
    big, small = Value(1e200, label="big"), Value(1e-200, label="small")
    root = (big * small) * big  # finite data, but ∂root/∂small = big² = 1e400
    assert root.data == pytest.approx(1e200)
    with pytest.raises(DomainError, match="node 'small'.*overflowed"):
        root.backward()


# ---------------------------------------------------------------- functional
def test_grad_returns_floats_and_touches_no_grad():
    x, y = Value(3.0), Value(2.0)
    f = seed_function(x, y)
    assert grad(f, [x, y]) == (18.0, 13.0)
    assert grad(f, x) == 18.0
    assert all(node.grad == 0.0 for node in autograd.topological_order(f))


def test_grad_of_an_unrelated_value_is_zero_and_bad_arguments_are_named():
    x, unrelated = Value(3.0), Value(1.0)
    assert grad(x * 2, [unrelated]) == (0.0,)
    assert grad(x * 2, unrelated) == 0.0
    with pytest.raises(TypeError, match="wrt must be a Value or a list"):
        grad(x * 2, "x")
    with pytest.raises(TypeError, match=r"wrt\[1\]"):
        grad(x * 2, [x, 3.0])
    with pytest.raises(TypeError, match="wrt is a set, whose order is not defined"):
        grad(x * 2, {x, unrelated})
    with pytest.raises(TypeError, match="root"):
        grad("3.0", [x])
    assert grad(3.0, [x]) == (0.0,)  # a constant (a derivative that came out constant)


def test_grad_equals_backward_on_the_seed_graph():
    x, y = Value(-1.25), Value(0.5)
    f = seed_function(x, y)
    expected = grad(f, [x, y])
    f.backward()
    assert expected == (x.grad, y.grad)


def test_value_and_grad_of_a_python_function():
    value, gradients = value_and_grad(seed_function)(3.0, 2.0)
    assert value == 40.0
    assert gradients == (18.0, 13.0)
    assert value_and_grad(lambda x: 7.0)(1.0) == (7.0, (0.0,))


def test_gradcheck_passes_on_correct_gradients():
    report = gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, [0.3, 1.7])
    assert report.ok and bool(report)
    assert len(report.rows) == 2
    assert "passed" in str(report)


def test_gradcheck_reports_the_worst_mismatch():
    def wrong(x, y):
        hidden = Value((x * x).data)  # the graph forgets that this depends on x
        return hidden + y

    report = gradcheck(wrong, [2.0, 1.0])
    assert not report.ok
    assert report.worst.index == 0
    assert report.worst.numeric == pytest.approx(4.0, rel=1e-6)
    assert report.worst.analytic == 0.0
    text = str(report)
    assert "FAILED" in text and "worst: input 0" in text
    with pytest.raises(AssertionError, match="worst: input 0"):
        gradcheck(wrong, [2.0, 1.0], raise_on_failure=True)


def test_gradcheck_refuses_non_finite_inputs():
    with pytest.raises(ValueError, match="finite"):
        gradcheck(lambda x: x, [math.nan])


def test_a_failed_backward_leaves_every_grad_as_it_was():
    x = Value(0.0, label="x")
    w = Value(2.0, label="w")
    (w * 3.0).backward()
    assert w.grad == 3.0
    root = x.sqrt() * w
    with pytest.raises(DomainError):
        root.backward()
    assert (x.grad, w.grad) == (0.0, 3.0)
    assert all(node.grad == 0.0 for node in autograd.topological_order(root) if node.parents)


def test_an_overflowing_accumulated_leaf_gradient_is_refused_and_nothing_changes():
    x = Value(1.0, label="x")
    f = x * 1e308
    f.backward()
    with pytest.raises(DomainError, match="gradient of node 'x' would become inf.*zero_grad"):
        f.backward()
    assert (x.grad, f.grad) == (1e308, 1.0)  # as the first call left them


@pytest.mark.parametrize("create_graph", [False, True])
def test_chain_rule_puts_every_grad_back_whether_it_succeeds_or_fails(create_graph):
    """A computation on the side leaves no trace on any node, even when it fails."""
    from autograd.engine.backward import chain_rule

    x, w = Value(0.25, label="x"), Value(2.0, label="w")
    good = (x * w).tanh() * x + w
    bad = x.sqrt() * (x - 0.25).sqrt() * w  # sqrt at 0: ∞ on an edge with a gradient
    for root in (good, bad):
        nodes = autograd.topological_order(root)
        for index, node in enumerate(nodes):
            node.grad = float(index) + 0.5  # whatever earlier passes left
        before = [node.grad for node in nodes]
        try:
            gradients = chain_rule(root, create_graph=create_graph)
        except DomainError:
            assert root is bad
        else:
            assert root is good
            assert float(gradients[x]) == grad(good, [x])[0]
        assert [node.grad for node in nodes] == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(), st.integers(1, 3))
def test_backward_writes_exactly_what_chain_rule_computes(program, passes):
    """backward sums in the nodes' own grad slots, chain_rule in a dict: the same
    edges in the same order, so the same floats; a failed pass restores every slot."""
    from autograd.engine.backward import chain_rule

    leaf_values, steps = program
    leaves = [Value(value, label=f"x{index}") for index, value in enumerate(leaf_values)]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None)
    root = nodes[-1]
    graph = autograd.topological_order(root)
    for index, node in enumerate(graph):
        node.grad = 0.25 * index if node.parents else 0.0
    try:
        expected = chain_rule(root)
    except DomainError:
        before = [node.grad for node in graph]
        with pytest.raises(DomainError):
            root.backward()
        assert [node.grad for node in graph] == before
        return
    for _ in range(passes):
        root.backward()
    for node in graph:
        wanted = expected[node]
        if not node.parents:  # leaves accumulate: g, g + g, (g + g) + g
            for _ in range(passes - 1):
                wanted = wanted + expected[node]
        assert node.grad == wanted or (node.grad != node.grad and wanted != wanted)  # nan


def test_an_interrupted_backward_changes_no_grad(monkeypatch):
    from autograd.engine import backward as backward_module

    def interrupt(*arguments):
        raise KeyboardInterrupt  # as Ctrl-C would, halfway through the pass

    x, w = Value(0.0, label="x"), Value(2.0, label="w")
    root = (w * w).tanh() + x.sqrt() * w  # sqrt'(0) = ∞ meets a gradient
    nodes = autograd.topological_order(root)
    for index, node in enumerate(nodes):
        node.grad = float(index)
    monkeypatch.setattr(backward_module, "non_finite_gradient_error", interrupt)
    with pytest.raises(KeyboardInterrupt):
        root.backward()
    assert [node.grad for node in nodes] == [float(index) for index in range(len(nodes))]


def test_grad_is_refused_only_for_an_infinite_gradient_it_was_asked_for():
    x, y = Value(2.0, label="x"), Value(0.0, label="y")
    f = x * 3.0 + y.sqrt()  # ∂f/∂y is infinite at y = 0, ∂f/∂x is 3
    assert grad(f, x) == 3.0 and grad(f, [x]) == (3.0,)
    with pytest.raises(DomainError, match="gradient of node 'y' is inf"):
        grad(f, [x, y])
    with pytest.raises(DomainError, match="gradient of node 'y' is inf"):
        f.backward()  # backward fills every grad, so it still refuses
    assert x.grad == 0.0 and y.grad == 0.0
    # An infinity that reaches x through a 0 local derivative is nan there: refused,
    # with the message that names the node where it began.
    with pytest.raises(DomainError, match=r"node #\d+ \(mul\) is inf"):
        grad((x * y).sqrt(), x)


def test_orders_and_module_names_say_what_went_wrong():
    x = Value(1.0)
    with pytest.raises(TypeError, match="topological_order: root must be a Value, not list"):
        autograd.topological_order([x])
    with pytest.raises(TypeError, match="backward_order: root must be a Value, not float"):
        autograd.backward_order(3.0)
    with pytest.raises(AttributeError, match="it is called autograd.maximum"):
        autograd.max  # noqa: B018 - the lookup is the test
    assert autograd.maximum(x, 2.0).data == 2.0
