"""define_op adds a row to the op table; check_op tests a row against central differences."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import OPS, DomainError, Value, define_op, grad, undefine_op
from autograd.views.drawing import draw
from autograd.views.paths import paths
from autograd.views.steps import backward_steps


@pytest.fixture
def cube():
    function = define_op(
        "cube",
        lambda x: x**3,
        lambda x: (3 * x**2,),
        formulas=lambda x: (f"3{x}²",),
        value_derivatives=lambda x: (3 * x**2,),
        symbol="³",
    )
    yield function
    undefine_op("cube")


def test_a_defined_op_is_a_row_that_every_view_reads(cube):
    x = Value(2.0, label="x")
    y = cube(x) + x
    y.label = "y"
    assert OPS["cube"].arity == 1 and y.parents[0].op == "cube"
    assert grad(y, x) == 13.0
    assert autograd.apply("cube", 3.0).data == 27.0
    assert "3x² = 12" in draw(y, derivatives="formula").source
    assert (
        "grad(x) += ∂cube1/∂x · grad(cube1) = 12 · 1 = 12" in backward_steps(y).table().row_texts()
    )
    assert paths(y, x).total == 13.0
    assert autograd.hessian(lambda v: cube(v), [2.0]) == ((12.0,),)  # 6x
    assert autograd.check_op("cube").ok


def test_a_two_input_op_and_its_domain():
    hypot = define_op(
        "hypot",
        math.hypot,
        lambda x, y: (x / math.hypot(x, y), y / math.hypot(x, y)),
        domain=lambda x, y: "hypot is not differentiable at (0, 0)" if x == y == 0 else None,
        arity=2,  # math.hypot has no signature to read it from
    )
    try:
        node = hypot(Value(3.0), 4.0)
        assert (node.data, node.local_grads[0]) == (5.0, 0.6)
        with pytest.raises(DomainError, match="not differentiable at"):
            hypot(0.0, 0.0)
        report = autograd.check_op("hypot")
        assert report.ok and all(row.order == 1 for row in report.rows)  # no second order
        with pytest.raises(TypeError, match="pass value_derivatives= to define_op"):
            autograd.hessian(lambda a, b: hypot(a, b), [3.0, 4.0])
    finally:
        undefine_op("hypot")


def test_check_op_finds_a_wrong_derivative_and_says_where():
    define_op("wrong", lambda x: x * x, lambda x: (x,))  # should be 2x
    try:
        report = autograd.check_op("wrong")
        assert not report.ok and "<- mismatch" in str(report) and "FAILED" in str(report)
    finally:
        undefine_op("wrong")


def test_the_built_in_rows_pass_check_op():
    for name in OPS:
        assert autograd.check_op(name), str(autograd.check_op(name))


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("mul", lambda x: x, lambda x: (1.0,)), "already in the op table"),
        (("two words", lambda x: x, lambda x: (1.0,)), "must be an identifier"),
        (("µop", lambda x: x, lambda x: (1.0,)), "reads as 'μop' in Python code"),
        (("ﬁx", lambda x: x, lambda x: (1.0,)), "reads as 'fix' in Python code"),
        (("three", lambda x, y, z: x, lambda x: (1.0,)), "takes 3 inputs"),
        (("notcallable", 3.0, lambda x: (1.0,)), "forward must be a function"),
        (("nosignature", math.hypot, lambda x, y: (1.0, 1.0)), "pass arity=1 or arity=2"),
    ],
)
def test_bad_definitions_are_refused(arguments, message):
    with pytest.raises((TypeError, ValueError), match=message):
        define_op(*arguments)
    assert set(OPS) >= {"mul"} and "three" not in OPS and "notcallable" not in OPS


def test_built_in_ops_cannot_be_removed():
    with pytest.raises(ValueError, match="built-in"):
        undefine_op("mul")
    with pytest.raises(KeyError):
        undefine_op("never_defined")


def test_expressions_call_a_defined_op_only_when_it_says_so():
    from autograd.command_line.expression import ExpressionError, parse_expression

    define_op("twice", lambda x: 2 * x, lambda x: (2.0,))
    define_op("thrice", lambda x: 3 * x, lambda x: (3.0,), in_expressions=True)
    try:
        with pytest.raises(ExpressionError):
            parse_expression("twice(x)", {"x": 1.0})
        assert parse_expression("thrice(x) + x", {"x": 2.0}).data == 8.0
    finally:
        undefine_op("twice")
        undefine_op("thrice")


def test_a_forward_result_becomes_a_float_or_a_clear_error():
    results = {"whole": lambda x: 7, "truth": lambda x: x > 0, "text": lambda x: "abc"}
    try:
        made = {name: define_op(name, rule, lambda x: (1.0,)) for name, rule in results.items()}
        assert made["whole"](Value(2.0)).data.__class__ is float
        assert made["truth"](Value(2.0)).data == 1.0
        with pytest.raises(TypeError, match=r"op 'text': forward returned str 'abc'; it must"):
            made["text"](Value(2.0))
    finally:
        for name in results:
            undefine_op(name)
