"""The Value node: construction, operands, graph bookkeeping, bad input."""

from __future__ import annotations

import dataclasses
import math
import operator
import re
from fractions import Fraction

import pytest

import autograd
from autograd import DomainError, Value


def test_a_leaf_holds_a_float_and_no_graph():
    leaf = Value(3, label="x")
    assert leaf.data == 3.0 and isinstance(leaf.data, float)
    assert leaf.grad == 0.0
    assert leaf.label == "x"
    assert leaf.op == ""
    assert leaf.parents == () and leaf.local_grads == ()
    assert leaf.role == "input"


def test_real_numbers_of_other_types_are_accepted():
    assert Value(Fraction(1, 4)).data == 0.25
    assert Value(True).data == 1.0


def test_a_result_records_parents_op_and_local_grads_in_order():
    x, y = Value(3.0), Value(2.0)
    product = x * y
    assert product.op == "mul"
    assert product.role == "result"
    assert product.parents == (x, y)
    assert product.local_grads == (2.0, 3.0)


def test_duplicate_edges_are_kept():
    a = Value(1.5)
    doubled = a + a
    assert doubled.parents == (a, a)
    square = a * a
    assert square.local_grads == (1.5, 1.5)


def test_creation_ids_grow_so_parents_come_first():
    x = Value(1.0)
    y = x.exp()
    z = y * x
    assert x.id < y.id < z.id
    assert [node.id for node in autograd.topological_order(z)] == sorted(
        node.id for node in autograd.topological_order(z)
    )


def test_values_hash_by_identity_and_do_not_overload_equality():
    first, second = Value(1.0), Value(1.0)
    assert first != second
    assert len({first, second, first}) == 2
    assert (first == first) is True


def test_values_have_slots_and_no_instance_dict():
    assert not hasattr(Value(1.0), "__dict__")


@pytest.mark.parametrize(
    ("expression", "expected_data", "expected_grads"),
    [
        (lambda v: 2 + v, 5.0, 1.0),
        (lambda v: 2 - v, -1.0, -1.0),
        (lambda v: v - 2, 1.0, 1.0),
        (lambda v: 2 * v, 6.0, 2.0),
        (lambda v: 1 / v, 1 / 3, -1 / 9),
        (lambda v: v / 2, 1.5, 0.5),
        (lambda v: 2**v, 8.0, 8.0 * math.log(2.0)),
        (lambda v: v**2, 9.0, 6.0),
        (lambda v: v**v, 27.0, 27.0 * (math.log(3.0) + 1.0)),
        (lambda v: -v, -3.0, -1.0),
        (lambda v: +v, 3.0, 1.0),
        (lambda v: abs(-v), 3.0, 1.0),
    ],
)
def test_numbers_on_either_side(expression, expected_data, expected_grads):
    v = Value(3.0)
    result = expression(v)
    result.backward()
    assert result.data == pytest.approx(expected_data, rel=1e-12)
    assert v.grad == pytest.approx(expected_grads, rel=1e-12)


def test_promoted_numbers_are_constant_nodes():
    v = Value(3.0)
    result = v * 2
    constant = result.parents[1]
    assert constant.role == "constant" and constant.data == 2.0


def test_function_forms_accept_values_and_numbers():
    assert autograd.exp(0.0).data == 1.0
    assert autograd.log(Value(math.e)).data == pytest.approx(1.0)
    assert autograd.relu(-2).data == 0.0
    assert autograd.abs(-2.5).data == 2.5
    for name in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs"):
        assert getattr(autograd, name)(0.5).data == getattr(Value(0.5), name)().data


@pytest.mark.parametrize("bad", ["3", None, [1.0], 1 + 2j, {"x": 1}])
@pytest.mark.parametrize(
    ("operation", "op_name"),
    [
        (lambda v, bad: v + bad, "add"),
        (lambda v, bad: bad - v, "sub"),
        (lambda v, bad: v * bad, "mul"),
        (lambda v, bad: v / bad, "div"),
        (lambda v, bad: v**bad, "pow"),
    ],
)
def test_non_number_operand_is_a_type_error_naming_op_and_type(operation, op_name, bad):
    with pytest.raises(TypeError) as caught:
        operation(Value(2.0), bad)
    message = str(caught.value)
    assert op_name in message
    assert type(bad).__name__ in message


@pytest.mark.parametrize("bad", ["3", None, [1.0], 1 + 2j])
def test_function_forms_reject_non_numbers(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        autograd.exp(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_data_is_refused(bad):
    with pytest.raises(DomainError, match="finite"):
        Value(bad)
    with pytest.raises(DomainError, match="finite"):
        Value(1.0) + bad


def test_a_value_refuses_a_truth_value():
    with pytest.raises(TypeError, match="data"):
        bool(Value(1.0))


def test_labels_must_be_text():
    with pytest.raises(TypeError):
        Value(1.0, label=3)


def test_roles_of_leaves_can_be_set_and_of_results_cannot():
    weight = Value(0.5)
    weight.role = "parameter"
    assert weight.role == "parameter"
    with pytest.raises(ValueError, match="role"):
        weight.role = "weight"
    with pytest.raises(ValueError, match="made by an op"):
        (weight * 2).role = "parameter"


def test_detach_cuts_the_graph():
    x = Value(2.0, label="x")
    y = (x * 3).detach()
    assert y.parents == () and y.data == 6.0
    (y * x).backward()
    assert x.grad == 6.0


def test_repr_shows_data_grad_and_label():
    assert repr(Value(1.5, label="w")) == "Value(data=1.5, grad=0.0, label='w')"


def test_apply_by_name_and_its_errors():
    assert autograd.apply("mul", Value(3.0), 2).data == 6.0
    with pytest.raises(TypeError, match="the table has add, sub"):
        autograd.apply("cube", Value(1.0))
    cube = dataclasses.replace(autograd.OPS["mul"], name="cube")  # a row not in the table
    assert autograd.apply(cube, Value(2.0), 3.0).operation is cube  # runs the row it is given
    impostor = dataclasses.replace(autograd.OPS["mul"], forward=lambda x, y: x + y)
    assert autograd.apply(impostor, Value(2.0), 3.0).data == 5.0  # even under a table name
    with pytest.raises(TypeError, match="takes 1 input, got 2"):
        autograd.apply("exp", Value(1.0), 2.0)
    with pytest.raises(TypeError, match="takes 2"):
        autograd.apply("mul", Value(1.0))


BINARY_OPERATORS = {
    "add": (operator.add, True),
    "sub": (operator.sub, True),
    "mul": (operator.mul, True),
    "div": (operator.truediv, True),
    "pow": (operator.pow, True),
    "max": (Value.maximum, False),  # a method: no reflected form
    "min": (Value.minimum, False),
    "atan2": (Value.atan2, False),
}


def _made(node):
    return (
        node.data,
        node.local_grads,
        node.operation,
        node.role,
        [(parent.data, parent.role) for parent in node.parents],
    )


def test_operators_make_the_node_apply_makes_for_every_row():
    # The operators are the rows' node makers; apply checks the row, the arity and
    # the first input, and must end in the same node.
    x, y = Value(0.7), Value(0.3)
    assert set(BINARY_OPERATORS) == {name for name, row in autograd.OPS.items() if row.arity == 2}
    for name, row in autograd.OPS.items():
        if row.arity == 1:
            method = operator.neg if name == "neg" else getattr(Value, name)
            inside = Value(1.7) if name == "acosh" else x  # acosh needs x ≥ 1
            assert _made(method(inside)) == _made(autograd.apply(row, inside)), name
            continue
        function, reflected = BINARY_OPERATORS[name]
        inputs = [(x, y), (x, 0.3)] + ([(0.7, y)] if reflected else [])
        for first, second in inputs:
            assert _made(function(first, second)) == _made(autograd.apply(row, first, second)), name


def test_an_operator_is_its_rows_node_maker_and_a_redefined_row_gets_its_own():
    from autograd.engine.value import node_maker

    impostor = dataclasses.replace(autograd.OPS["mul"], forward=lambda x, y: x + y)
    assert autograd.apply(impostor, Value(2.0), 3.0).data == 5.0  # made anew, not kept
    assert Value.__mul__ is node_maker(autograd.OPS["mul"])
    assert (Value(2.0) * 3.0).data == 6.0
    assert Value.relu is node_maker(autograd.OPS["relu"])
    assert "x · y" in Value.__mul__.__doc__ and "autograd.OPS['mul']" in Value.__mul__.__doc__
    x = Value(2.0)
    autograd.define_op("twice", lambda x: 2 * x, lambda x: (2.0,))
    try:
        first = autograd.apply("twice", x)
        autograd.undefine_op("twice")
        autograd.define_op("twice", lambda x: 3 * x, lambda x: (3.0,))
        second = autograd.apply("twice", x)
    finally:
        autograd.undefine_op("twice")
    assert (first.data, first.local_grads) == (4.0, (2.0,))
    assert (second.data, second.local_grads) == (6.0, (3.0,))
    assert first.operation is not second.operation


# ---------------------------------------------------------------- written-out makers
_EDGE_NUMBERS = [0.0, -0.0, 5e-324, -5e-324, 1.0, -2.5, 1e308, -1e308, 1e-310, 3.0, 0.1]


def _exactly(node):
    """What a node holds, with floats as their bits (so 0.0 and -0.0 differ)."""
    bits = [math.copysign(1.0, number) for number in (node.data, *node.local_grads)]
    return (_made(node), bits, node.grad, node.label, node.id > 0)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "neg"])
def test_a_written_out_maker_makes_the_generic_makers_node_bit_for_bit(name):
    from autograd.engine import value

    row = autograd.OPS[name]
    written = value.node_maker(row)
    generic = value._binary_maker(row) if row.arity == 2 else value._unary_maker(row)
    assert written is not generic and hasattr(written, "source")
    operands = [*_EDGE_NUMBERS, 7, True, Fraction(1, 3)]
    pairs = [(x, y) for x in _EDGE_NUMBERS for y in operands] if row.arity == 2 else []
    for first, second in pairs or [(x, None) for x in _EDGE_NUMBERS]:
        outcomes = []
        for make in (written, generic):
            inputs = [Value(first)] + ([] if second is None else [second])
            try:
                outcomes.append(_exactly(make(*inputs)))
            except DomainError as error:  # 1e308 + 1e308: the same refusal
                outcomes.append(re.sub("#[0-9]+", "#N", str(error)))
        assert outcomes[0] == outcomes[1], (name, first, second)
    with autograd.no_grad():
        assert written(*[Value(2.0)] * row.arity).role == "constant"


def test_a_written_out_maker_is_its_rows_templates_and_shows_in_tracebacks():
    import traceback

    source = Value.__mul__.source
    assert "out = (x * y)" in source  # MUL.code, "({0} * {1})"
    assert "node._first_local = y" in source and "node._second_local = x" in source
    assert "node._first_local = -1.0" in Value.__neg__.source  # NEG.grad_code
    assert Value.__mul__.__name__ == "mul" and "x · y" in Value.__mul__.__doc__
    with pytest.raises(DomainError) as caught:
        Value(1e308) * 10
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert any(frame.filename == "<pathgrad node maker mul>" for frame in frames)
    assert frames[-1].line.startswith("raise _domain_error(MUL")  # the text, from linecache
    with pytest.raises(TypeError, match="unsupported operand for mul"):
        Value(1.0) * "2"
    with pytest.raises(TypeError, match="2 positional arguments"):
        Value.__mul__(Value(1.0), 2.0, 3.0)


# ---------------------------------------------------------------- numbers too large
@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(10**400),
        lambda: Value(Fraction(10**400)),
        lambda: Value(2.0) + 10**400,
        lambda: 10**400 * Value(2.0),
        lambda: Value(10**5000),  # repr of it alone would hit Python's digit limit
        lambda: Value(Fraction(10**5000, 3)),
    ],
)
def test_numbers_past_the_floats_are_a_domain_error_with_a_short_message(make):
    with pytest.raises(DomainError, match="too large for a float") as raised:
        make()
    assert len(str(raised.value)) < 200


def test_a_value_given_a_value_says_what_to_do():
    with pytest.raises(TypeError, match=r"use the Value itself .* or its number, 1.5 \(.data\)"):
        Value(Value(1.5))
    refused = r"^Value\('3'\): expected a real number \(int or float\), got str$"
    with pytest.raises(TypeError, match=refused):  # no "or a Value": refused just above
        Value("3")


@pytest.mark.parametrize("bad", ["a", -1, 0, 2.5, True])
def test_size_limits_are_whole_numbers(bad):
    from autograd.views.drawing import draw
    from autograd.views.paths import paths

    x = Value(1.0, label="x")
    root = x * x
    for make in (
        lambda: draw(root, max_nodes=bad),
        lambda: autograd.compile(root, [x], max_nodes=bad),
        lambda: paths(root, x, limit=bad),
    ):
        with pytest.raises(TypeError, match="a whole number of at least 1"):
            make()


def test_a_data_set_by_hand_to_nan_is_named_as_the_cause() -> None:
    from autograd import DomainError

    x = Value(3.0, label="x")
    x.data = float("nan")  # nothing checks an assignment; the next op says what it met
    with pytest.raises(DomainError, match="node 'x' holds nan, not a finite number"):
        x * 2
    with pytest.raises(DomainError, match="the result inf overflows the floats"):
        Value(1e200) * 1e200


def test_a_negative_base_is_bracketed_in_the_message():
    with pytest.raises(DomainError, match=r"\(-8\.0\) \*\* 0\.333\d* is not a real number"):
        Value(-8.0) ** (1 / 3)  # read as Python, -8.0 ** (1/3) would be real
