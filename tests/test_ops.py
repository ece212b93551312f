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
from autograd.engine.ops import CODE_HELPERS

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
    "tan": sympy.tan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "asinh": sympy.asinh,
    "acosh": sympy.acosh,
    "atanh": sympy.atanh,
    "log2": lambda x: sympy.log(x, 2),
    "log10": lambda x: sympy.log(x, 10),
    "log1p": lambda x: sympy.log(1 + x),
    "expm1": lambda x: sympy.exp(x) - 1,
    "exp2": lambda x: 2**x,
    "softplus": lambda x: sympy.log(1 + sympy.exp(x)),
    # Not sympy.sign: sympy leaves d/dx sign(f) unevaluated (and then recurses) when it
    # cannot tell that f is real, as for sign(log(1 + x)).
    "sign": lambda x: sympy.Piecewise((1, x > 0), (-1, x < 0), (0, True)),
    "erf": sympy.erf,
    "max": sympy.Max,
    "min": sympy.Min,
    "atan2": sympy.atan2,
}

# Points where an op has a kink or a pole; oracles are compared away from them.
# Every coordinate keeps this far from 0 (relu, abs, sign, log, the atan2 cut at
# y = 0), and each op below keeps its own distance this far from 0 too.
KINK_DISTANCE = 1e-3
SINGULARITIES = {
    "tan": lambda x: abs(math.cos(x)),  # poles at π/2 + kπ
    "asin": lambda x: 1.0 - abs(x),  # infinite derivative at ±1
    "acos": lambda x: 1.0 - abs(x),
    "acosh": lambda x: x - 1.0,  # infinite derivative at 1
    "atanh": lambda x: 1.0 - abs(x),  # poles at ±1
    "log1p": lambda x: x + 1.0,  # pole at −1
    "max": lambda x, y: abs(x - y),  # the tie
    "min": lambda x, y: abs(x - y),
}

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
    if op.name in SINGULARITIES and abs(SINGULARITIES[op.name](*point)) < KINK_DISTANCE:
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


# The two-input rows without an operator are methods and functions by these names
# (``max`` and ``min`` would hide the builtins).
TWO_INPUT_FUNCTIONS = {"max": "maximum", "min": "minimum", "atan2": "atan2"}


def test_every_op_is_a_value_method_and_unary_ops_are_functions():
    """Methods are written by hand, one line each: a row without one fails here."""
    operators = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__"}
    operators.update({"pow": "__pow__", "neg": "__neg__"})
    operators.update(TWO_INPUT_FUNCTIONS)
    reflected = {"add": "__radd__", "sub": "__rsub__", "mul": "__rmul__", "div": "__rtruediv__"}
    reflected["pow"] = "__rpow__"
    for op in ALL_OPS:
        method = getattr(Value, operators.get(op.name, op.name))
        if op.arity == 1:
            point = 0.5 if op.domain is None or op.domain(0.5) is None else 1.5
            assert method(Value(point)).operation is op, op.name
            assert getattr(autograd, op.name)(point).operation is op, op.name
            assert op.name in autograd.__all__ or op.name == "abs", op.name
        else:
            made = method(Value(1.5), Value(2.0))
            assert made.operation is op and made.parents[1].data == 2.0, op.name
            if op.name in reflected:
                swapped = getattr(Value, reflected[op.name])(Value(1.5), 2.0)
            else:  # a function, which takes a number first
                function = TWO_INPUT_FUNCTIONS[op.name]
                assert function in autograd.__all__
                swapped = getattr(autograd, function)(2.0, Value(1.5))
            assert swapped.operation is op and swapped.parents[0].data == 2.0, op.name


def test_pow_method_is_the_operator():
    x = Value(3.0)
    assert x.pow(2).operation is OPS["pow"] and x.pow(2).data == 9.0
    assert x.pow(Value(0.5)).data == 3.0**0.5


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
        (lambda: Value(1.5, label="s").asin(), "asin", "1.5"),
        (lambda: Value(-1.5, label="c").acos(), "acos", "-1.5"),
        (lambda: Value(0.5, label="h").acosh(), "acosh", "0.5"),
        (lambda: Value(1.0, label="r").atanh(), "atanh", "1.0"),
        (lambda: Value(-1.0, label="r").atanh(), "atanh", "-1.0"),
        (lambda: Value(0.0, label="p").log2(), "log2", "0.0"),
        (lambda: Value(-1.0, label="p").log10(), "log10", "-1.0"),
        (lambda: Value(-1.0, label="q").log1p(), "log1p", "-1.0"),
        (lambda: Value(800.0, label="t").sinh(), "sinh", "800.0"),
        (lambda: Value(-800.0, label="t").cosh(), "cosh", "-800.0"),
        (lambda: Value(1024.0, label="t").exp2(), "exp2", "1024.0"),
        (lambda: Value(710.0, label="t").expm1(), "expm1", "710.0"),
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
    assert "range error" not in message


@pytest.mark.parametrize(
    ("op_name", "inside", "outside"),
    [
        ("sinh", 710.4758600739439, 710.475860073944),
        ("cosh", -710.4758600739439, -710.475860073944),
        ("exp2", 1023.99, 1024.0),
        ("exp", 709.782712893384, 709.7827128933841),
        ("expm1", 709.782712893384, 709.7827128933841),
        ("asin", 1.0, 1.0000000000000002),
        ("acos", -1.0, -1.0000000000000002),
        ("acosh", 1.0, 0.9999999999999999),
        ("atanh", 0.9999999999999999, 1.0),
        ("log1p", -0.9999999999999999, -1.0),
        ("log2", 5e-324, 0.0),
    ],
)
def test_domain_edges_are_where_the_floats_end(op_name, inside, outside):
    """The last number in each domain has a finite value; the first outside is refused."""
    assert math.isfinite(apply(op_name, inside).data)
    with pytest.raises(DomainError, match=op_name):
        apply(op_name, outside)


def test_domain_error_is_a_value_error():
    assert issubclass(DomainError, ValueError)


def test_kinks_follow_the_seed_convention():
    for op_name in ("relu", "abs", "sign"):
        for zero in (0.0, -0.0):
            node = apply(op_name, Value(zero))
            assert node.local_grads == (0.0,)
            assert node.operation.value_grads(Value(zero), node) == (0.0,)
    assert Value(3.0).relu().local_grads == (1.0,)
    assert Value(-3.0).relu().local_grads == (0.0,)
    assert Value(-3.0).abs().local_grads == (-1.0,)
    assert [autograd.sign(x).data for x in (-2.5, -0.0, 0.0, 3.0)] == [-1.0, 0.0, 0.0, 1.0]


@pytest.mark.parametrize(("function", "larger"), [("maximum", True), ("minimum", False)])
def test_max_and_min_give_the_gradient_to_the_chosen_input_and_split_ties(function, larger):
    pick = getattr(autograd, function)
    x, y = Value(2.0, label="x"), Value(-1.0, label="y")
    assert pick(x, y).data == (2.0 if larger else -1.0)
    assert pick(x, y).local_grads == ((1.0, 0.0) if larger else (0.0, 1.0))
    assert pick(y, x).local_grads == ((0.0, 1.0) if larger else (1.0, 0.0))
    assert getattr(x, function)(y).data == pick(x, y).data
    # A tie: half to each, in either order, also for 0.0 against -0.0.
    for a, b in ((Value(1.5), Value(1.5)), (Value(0.0), Value(-0.0)), (Value(-0.0), 0.0)):
        tie = pick(a, b)
        assert tie.local_grads == (0.5, 0.5)
        assert tie.operation.value_grads(*tie.parents, tie) == (0.5, 0.5)  # plain: f'' = 0
    # One input twice is the input itself: the halves add up to 1.
    assert autograd.grad(pick(x, x), x) == 1.0
    assert autograd.grad(pick(x, x) * x, x) == 4.0


def test_builtin_max_and_sorted_pick_a_value_whose_gradient_is_its_own():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    picked = max(a, b)
    assert picked is b and min(a, b) is a
    assert autograd.grad(picked * 2.0, [a, b]) == (0.0, 2.0)
    assert sorted([b, a, Value(-1.0)])[0].data == -1.0


def test_atan2_takes_y_first_and_its_origin_has_no_derivative():
    assert autograd.atan2(1.0, 0.0).data == math.pi / 2
    assert autograd.atan2(0.0, -1.0).data == math.pi
    assert autograd.atan2(-0.0, -1.0).data == -math.pi  # the cut: the sign of y's zero
    y, x = Value(3.0, label="y"), Value(4.0, label="x")
    angle = y.atan2(x)
    assert angle.data == math.atan2(3.0, 4.0)
    assert angle.local_grads == pytest.approx((4.0 / 25.0, -3.0 / 25.0))
    # Tiny and huge points neither divide by zero nor overflow in x² + y².
    assert all(math.isfinite(g) for g in autograd.atan2(1e-300, 1e-300).local_grads)
    assert autograd.atan2(1e200, 1e200).local_grads == pytest.approx((2.5e-201, -2.5e-201))
    origin = Value(0.0, label="y").atan2(Value(0.0, label="x"))
    assert origin.data == 0.0
    assert all(math.isnan(g) for g in origin.local_grads)
    assert all(math.isnan(g) for g in origin.operation.value_grads(*origin.parents, origin))
    with pytest.raises(DomainError, match="gradient of node '[xy]'"):
        origin.backward()


@pytest.mark.parametrize(
    ("build", "label"),
    [
        (lambda x: x.asin(), 1.0),
        (lambda x: x.asin(), -1.0),
        (lambda x: x.acos(), 1.0),
        (lambda x: x.acosh(), 1.0),
    ],
)
def test_infinite_derivatives_at_domain_edges_stop_backward_like_sqrt(build, label):
    x = Value(label, label="x")
    node = build(x)
    assert math.isfinite(node.data)
    assert math.isinf(node.local_grads[0])
    with pytest.raises(DomainError, match="gradient of node 'x'"):
        (node * 2.0).backward()
    assert x.grad == 0.0
    with pytest.raises(DomainError):  # the Value form divides by zero there, too
        node.operation.value_grads(x, node)


def test_precise_small_argument_ops_and_stable_softplus():
    assert autograd.log1p(1e-20).data == 1e-20
    assert autograd.expm1(1e-20).data == 1e-20
    assert autograd.expm1(-40.0).local_grads == (math.exp(-40.0),)
    for x in (-1000.0, -30.0, 0.0, 30.0, 1000.0):
        node = autograd.softplus(x)
        assert node.data == pytest.approx(math.log1p(math.exp(x)) if x < 700 else x, rel=1e-15)
        assert 0.0 <= node.local_grads[0] <= 1.0
    assert autograd.softplus(1000.0).data == 1000.0
    assert autograd.softplus(-1000.0).data == 0.0
    assert autograd.softplus(0.0).data == math.log(2.0)
    assert autograd.erf(0.0).local_grads == (2.0 / math.sqrt(math.pi),)
    assert autograd.erf(1e200).local_grads == (0.0,)


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
    namespace = {"math": math, **CODE_HELPERS}

    @settings(RELAXED, max_examples=20)
    @given(points(op))
    def check(point):
        assume(inside_domain(op, point))
        names = [f"v{index}" for index in range(op.arity)]
        code = op.code.format(*names)
        assert eval(code, namespace, dict(zip(names, point))) == op.forward(*point)  # noqa: S307

    check()


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_grad_code_templates_compute_the_local_derivatives(op):
    """What ``autograd.compile`` writes for an edge equals the stored local derivative."""
    from autograd.engine.compiled import FLOAT_FUNCTIONS

    assert len(op.grad_code) == op.arity, f"{op.name} needs one grad_code template per input"

    @settings(RELAXED, max_examples=20)
    @given(points(op))
    def check(point):
        assume(inside_domain(op, point))
        out = op.forward(*point)
        names = [f"v{index}" for index in range(op.arity)]
        scope = {**dict(zip(names, point)), "out": out}
        for position, template in enumerate(op.grad_code):
            if op.name == "pow" and position == 1 and point[0] <= 0.0:
                continue  # x^y·ln x is not real there; compile writes no line for a constant
            code = template.format(*names, out="out")
            local = eval(code, FLOAT_FUNCTIONS, scope)  # noqa: S307 - the table's own text
            assert local == op.local_grads(*point, out)[position]

    check()


def test_code_helpers_are_the_rows_own_forward_functions():
    for name, helper in CODE_HELPERS.items():
        assert OPS[name].forward is helper and OPS[name].code == name + "({0})"
    for op in ALL_OPS:  # every other template calls math or a builtin
        head = op.code.split("(")[0]
        assert (
            head in CODE_HELPERS
            or head in ("", "math.tan", "max", "min", "abs")
            or (head.startswith("math."))
        ), op.code


def test_an_op_takes_one_or_two_inputs():
    row = OPS["add"]
    with pytest.raises(ValueError, match="one or two parents"):
        type(row)(**{**{field: getattr(row, field) for field in row.__slots__}, "arity": 3})


def test_a_row_prints_as_one_line_of_words():
    assert repr(autograd.OPS["add"]) == "<op add: x + y; 2 inputs>"
    for row in autograd.OPS.values():
        assert "\n" not in repr(row) and "lambda" not in repr(row), row.name
