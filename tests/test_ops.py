"""Every entry of the op table against independent oracles.

The tests are generated from ``OPS``: a new entry is checked against sympy (its
exact derivatives, first and second), against central differences, and for
consistency between its float and Value forms, with no new test to write except
its sympy oracle below (a missing oracle fails ``test_every_op_has_an_oracle``).
"""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, DomainError, Value, apply

X, Y = sympy.symbols("x y", real=True)

# The independent oracle: each op written with sympy.
SYMPY_FORMS = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": lambda x, y: x**y,
    "neg": lambda x: -x,
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tanh": sympy.tanh,
    "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)),
    "relu": lambda x: sympy.Max(0, x),
    "abs": sympy.Abs,
}

# Points where an op has a kink or a pole; oracles are compared away from them.
KINK_DISTANCE = 1e-3

# Whole numbers too, so a negative base meets integer exponents often.
coordinate = st.floats(min_value=-4.0, max_value=4.0, allow_nan=False) | st.integers(-3, 3).map(
    float
)
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


def symbols_for(op):
    return (X,) if op.arity == 1 else (X, Y)


def sympy_expression(op):
    return SYMPY_FORMS[op.name](*symbols_for(op))


def inside_domain(op, point) -> bool:
    if any(abs(coordinate) < KINK_DISTANCE for coordinate in point):
        return False
    return op.domain is None or op.domain(*point) is None


def exact(expression, op, point) -> complex:
    substitutions = dict(zip(symbols_for(op), (sympy.Float(p, 30) for p in point)))
    return complex(sympy.N(expression.subs(substitutions), 20))


def close(ours: float, theirs: float, tolerance: float = 1e-9) -> bool:
    return abs(ours - theirs) <= tolerance * max(1.0, abs(theirs))


def points(op):
    return st.tuples(*[coordinate] * op.arity)


ALL_OPS = list(OPS.values())


def test_every_op_has_an_oracle():
    assert set(SYMPY_FORMS) == set(OPS)


def test_every_op_is_a_value_method_and_unary_ops_are_functions():
    """Methods are written by hand, one line each: a row without one fails here."""
    operators = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__"}
    operators.update({"pow": "__pow__", "neg": "__neg__"})
    reflected = {"add": "__radd__", "sub": "__rsub__", "mul": "__rmul__", "div": "__rtruediv__"}
    reflected["pow"] = "__rpow__"
    for op in ALL_OPS:
        method = getattr(Value, operators.get(op.name, op.name))
        if op.arity == 1:
            assert method(Value(0.5)).operation is op, op.name
            assert getattr(autograd, op.name)(0.5).operation is op, op.name
        else:
            made = method(Value(1.5), Value(2.0))
            assert made.operation is op and made.parents[1].data == 2.0, op.name
            swapped = getattr(Value, reflected[op.name])(Value(1.5), 2.0)
            assert swapped.operation is op and swapped.parents[0].data == 2.0, op.name


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_forward_and_local_grads_match_sympy(op):
    expression = sympy_expression(op)
    derivatives = [sympy.diff(expression, symbol) for symbol in symbols_for(op)]

    @settings(RELAXED, max_examples=40)
    @given(points(op))
    def check(point):
        assume(inside_domain(op, point))
        node = apply(op, *[Value(p) for p in point])
        assert close(node.data, exact(expression, op, point).real)
        assert len(node.local_grads) == op.arity == len(node.parents)
        for local, derivative in zip(node.local_grads, derivatives):
            truth = exact(derivative, op, point)
            if math.isnan(local):  # allowed only where the derivative is not real
                assert abs(truth.imag) > 1e-12 or not math.isfinite(truth.real)
            else:
                assert abs(truth.imag) < 1e-12
                assert close(local, truth.real), (op.name, point, local, truth)

    check()


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_local_grads_match_central_differences(op):
    @settings(RELAXED, max_examples=40)
    @given(points(op))
    def check(point):
        assume(inside_domain(op, point))
        node = apply(op, *[Value(p) for p in point])
        for position, local in enumerate(node.local_grads):
            if math.isnan(local):
                continue  # the exponent of a negative base: no real derivative
            step = 1e-6 * max(1.0, abs(point[position]))
            above, below = list(point), list(point)
            above[position] += step
            below[position] -= step
            if not (inside_domain(op, above) and inside_domain(op, below)):
                continue
            numeric = (op.forward(*above) - op.forward(*below)) / (2 * step)
            assert abs(local - numeric) <= 1e-5 * max(1.0, abs(numeric)), (op.name, point)

    check()


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_value_grads_agree_with_float_grads_and_second_derivatives(op):
    """The Value form of each derivative gives the same number, and differentiating
    it again gives sympy's second derivative."""
    expression = sympy_expression(op)
    symbols = symbols_for(op)

    @settings(RELAXED, max_examples=25)
    @given(points(op))
    def check(point):
        assume(inside_domain(op, point))
        inputs = [Value(p) for p in point]
        node = apply(op, *inputs)
        value_grads = op.value_grads(*inputs, node)
        for position, (local, value_grad) in enumerate(zip(node.local_grads, value_grads)):
            if math.isnan(local):
                continue
            first = value_grad.data if isinstance(value_grad, Value) else float(value_grad)
            assert close(first, local)
            derivative = sympy.diff(expression, symbols[position])
            for other, symbol in enumerate(symbols):
                truth = exact(sympy.diff(derivative, symbol), op, point)
                if abs(truth.imag) > 1e-12:
                    continue
                second = (
                    autograd.grad(value_grad, inputs[other])
                    if isinstance(value_grad, Value)
                    else 0.0
                )
                assert close(second, truth.real, 1e-8), (op.name, position, other, point)

    check()


def test_formulas_give_one_display_form_per_input():
    for op in ALL_OPS:
        names = ("x", "y")[: op.arity]
        formulas = op.formulas(*names)
        assert len(formulas) == op.arity and all(isinstance(f, str) and f for f in formulas)
    assert OPS["pow"].formulas("x", "2")[0] == "2x"
    assert OPS["mul"].formulas("x", "y") == ("y", "x")


# ---------------------------------------------------------------- domain edges
@pytest.mark.parametrize(
    ("build", "op_name", "value_text"),
    [
        (lambda: Value(0.0, label="p").log(), "log", "0.0"),
        (lambda: Value(-1.0, label="p").log(), "log", "-1.0"),
        (lambda: Value(-4.0, label="v").sqrt(), "sqrt", "-4.0"),
        (lambda: Value(1.0) / Value(0.0, label="d"), "div", "0.0"),
        (lambda: 1 / Value(0.0, label="d"), "div", "0.0"),
        (lambda: Value(0.0, label="b") ** -1, "pow", "0.0"),
        (lambda: Value(-8.0, label="b") ** (1 / 3), "pow", "-8.0"),
        (lambda: Value(1000.0, label="t").exp(), "exp", "1000.0"),
        (lambda: Value(1e300, label="big") * 1e300, "mul", "1e+300"),
        (lambda: Value(2.0, label="b") ** 5000, "pow", "2.0"),
    ],
)
def test_leaving_the_reals_raises_domain_error_naming_op_node_and_value(build, op_name, value_text):
    with pytest.raises(DomainError) as caught:
        build()
    message = str(caught.value)
    assert message.startswith(op_name)
    assert value_text in message
    assert "node '" in message
    assert "math domain error" not in message


def test_domain_error_is_a_value_error():
    assert issubclass(DomainError, ValueError)


def test_kinks_follow_the_seed_convention():
    for op_name in ("relu", "abs"):
        node = apply(op_name, Value(0.0))
        assert node.local_grads == (0.0,)
    assert Value(3.0).relu().local_grads == (1.0,)
    assert Value(-3.0).relu().local_grads == (0.0,)
    assert Value(-3.0).abs().local_grads == (-1.0,)


def test_infinite_derivative_stops_backward_with_a_named_node():
    x = Value(0.0, label="x")
    root = x.sqrt() * 2.0
    assert root.data == 0.0
    with pytest.raises(DomainError, match="gradient of node 'x'"):
        root.backward()


def test_power_with_negative_base_and_integer_exponent():
    x = Value(-2.0, label="x")
    cube = x**3
    cube.backward()
    assert cube.data == -8.0
    assert x.grad == 12.0  # 3x²


@pytest.mark.parametrize(
    ("base", "exponent", "local"),
    [(1e-300, -1.0, -math.inf), (-1e-300, -1.0, -math.inf), (-1e-103, -2.0, math.inf)],
)
def test_power_whose_derivative_overflows_has_an_infinite_local_derivative(base, exponent, local):
    x = Value(base, label="x")
    power = x**exponent
    assert math.isfinite(power.data)
    assert power.local_grads[0] == local  # not an OverflowError while building the node
    with pytest.raises(DomainError, match="gradient of node 'x'"):
        power.backward()


def test_value_exponent_of_a_negative_base_has_no_real_gradient():
    base, exponent = Value(-2.0), Value(2.0, label="k")
    power = base**exponent
    assert power.data == 4.0
    with pytest.raises(DomainError, match="node 'k'"):
        power.backward()


def test_sigmoid_is_stable_at_large_magnitudes():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-745.0).sigmoid().local_grads[0] >= 0.0
    assert autograd.sigmoid(0.0).data == 0.5


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_code_templates_compute_the_forward_value(op):
    """The straight-line code template agrees with ``forward`` (our own templates only:
    no user text is evaluated anywhere in the library)."""
    namespace = {"math": math, "sigmoid": OPS["sigmoid"].forward, "max": max, "abs": abs}

    @settings(RELAXED, max_examples=20)
    @given(points(op))
    def check(point):
        assume(inside_domain(op, point))
        names = [f"v{index}" for index in range(op.arity)]
        code = op.code.format(*names)
        assert eval(code, namespace, dict(zip(names, point))) == op.forward(*point)  # noqa: S307

    check()


def test_an_op_takes_one_or_two_inputs():
    row = OPS["add"]
    with pytest.raises(ValueError, match="one or two parents"):
        type(row)(**{**{field: getattr(row, field) for field in row.__slots__}, "arity": 3})
