"""Comparisons of Values: plain bools on ``.data``, outside the graph; ``==`` is identity."""

from __future__ import annotations

from fractions import Fraction

import pytest

import autograd
from autograd import Value


def test_comparisons_with_values_and_numbers_on_either_side_are_plain_bools():
    a, b = Value(2.0), Value(-1.0)
    results = [a < b, a <= b, a > b, a >= b, a >= a, b < 0, b <= -1, 3 > a, 2 <= a, 0.5 < a]
    assert results == [False, False, True, True, True, True, True, True, True, True]
    assert all(type(result) is bool for result in results)
    assert Value(0.5) < Fraction(2, 3) and not Value(1.0) > True


def test_a_comparison_is_not_part_of_the_graph():
    x = Value(3.0, label="x")
    y = x * 2.0
    before = Value(0.0).id
    assert y > x and x < 4
    assert Value(0.0).id == before + 1  # no node was made in between
    y.backward()
    assert x.grad == 2.0


def test_builtin_max_min_and_sorted_work_on_values():
    values = [Value(3.0, label="c"), Value(-1.0, label="a"), Value(2.0, label="b")]
    assert [v.label for v in sorted(values)] == ["a", "b", "c"]
    assert [v.label for v in sorted(values, reverse=True)] == ["c", "b", "a"]
    assert max(values).label == "c" and min(values).label == "a"
    assert max(values[0], 10.0) == 10.0  # the builtin returns what it picked


def test_equality_stays_identity_so_values_are_dict_keys():
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b and not (a == b)
    assert (a == 1.0) is False
    grads = {a: "first", b: "second"}
    assert grads[a] == "first" and grads[b] == "second"
    assert "__eq__" not in vars(Value) and "__hash__" not in vars(Value)


def test_comparing_with_something_else_is_a_type_error():
    with pytest.raises(TypeError, match="compares with a Value or a real number, not str"):
        _ = Value(1.0) < "2"
    with pytest.raises(TypeError):
        _ = "2" > Value(1.0)
    with pytest.raises(TypeError, match="compares with a Value or a real number"):
        _ = Value(1.0) >= None


def test_truth_value_is_still_refused():
    v = Value(1.0)
    with pytest.raises(TypeError, match="no truth value: compare it instead"):
        bool(v)
    assert bool(v > 0) is True


def test_maximum_and_minimum_are_the_ops_with_gradients():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    assert autograd.grad(autograd.maximum(a, b) * 2.0, [a, b]) == (0.0, 2.0)
    assert autograd.grad(a.minimum(b), [a, b]) == (1.0, 0.0)
    assert autograd.maximum(1.0, 2.0).op == "max"
