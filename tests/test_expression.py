"""autograd.command_line.expression: the whitelisted expression parser."""

from __future__ import annotations

import builtins
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, grad, topological_order
from autograd.command_line.demo import seed_graph
from autograd.command_line.expression import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    function_names,
    parse_bindings,
    parse_expression,
)
from autograd.engine.ops import OPS

SEED = {"x": 3.0, "y": 2.0}


def test_seed_expression_value_and_gradients() -> None:
    f = parse_expression("x**2 + x*y + (x+y)**2", SEED)
    f.backward()
    leaves = {node.label: node for node in topological_order(f) if node.role == "input"}
    reference, x, y = seed_graph()  # the same function built directly with Values
    assert f.data == reference.data
    assert (leaves["x"].grad, leaves["y"].grad) == grad(reference, [x, y])


def test_a_name_used_twice_is_one_leaf_with_two_edges() -> None:
    f = parse_expression("x * x", {"x": 3.0})
    assert f.parents[0] is f.parents[1]
    assert f.parents[0].label == "x"


def test_numbers_become_constants_and_negative_literals_stay_one_constant() -> None:
    f = parse_expression("x ** -1", {"x": 4.0})
    assert f.data == 0.25
    exponent = f.parents[1]
    assert (exponent.role, exponent.data) == ("constant", -1.0)
    assert parse_expression("-x", {"x": 4.0}).op == "neg"


def test_functions_are_the_table_rows_without_an_operator() -> None:
    two_input = {"maximum": "max", "minimum": "min", "atan2": "atan2"}
    unary = {name for name, op in OPS.items() if op.arity == 1}
    assert set(function_names()) == unary | set(two_input)
    for name, row in two_input.items():
        for called in {name, row}:  # max(x, y) works too
            made = parse_expression(f"{called}(x, 2*y)", {"x": 1.5, "y": -1.0})
            assert made.op == row and made.data == OPS[row].forward(1.5, -2.0)
            assert [parent.data for parent in made.parents] == [1.5, -2.0]
    with pytest.raises(ExpressionError, match=r"takes exactly two arguments, as atan2\(y, x\)"):
        parse_expression("atan2(x)", {"x": 1.0})
    with pytest.raises(ExpressionError, match=r"takes exactly one argument, as exp\(x\)"):
        parse_expression("exp(x, x)", {"x": 1.0})
    for name in sorted(unary):
        domain = OPS[name].domain
        x = 0.5 if domain is None or domain(0.5) is None else 1.5  # acosh needs x ≥ 1
        made = parse_expression(f"{name}(x)", {"x": x})
        assert made.op == name
        assert made.data == pytest.approx(OPS[name].forward(x))


def test_expression_without_names_is_a_value() -> None:
    result = parse_expression("2 * 3", {})
    assert isinstance(result, Value) and result.data == 6.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('touch X')", "only calls of a function by name"),
        ("().__class__", "attribute access is not allowed at column 1"),
        ("x.__dict__", "attribute access"),
        ("x + y.real", r"column 5 \('y.real'\)"),
        ("open('f')", "unknown function 'open'"),
        ("__builtins__", "not allowed"),
        ("lambda: 1", "a lambda"),
        ("[i for i in x]", "a list comprehension"),
        ("x[0]", "indexing"),
        ("'a' + x", "a string"),
        ("x if y else 1", "an if-expression"),
        ("x < y", "a comparison"),
        ("x // y", "the operator '//'"),
        ("+x", "only unary minus"),
        ("exp(x, y)", "exactly one argument"),
        ("exp(x=1)", "exactly one argument"),
        ("x(3)", "'x' is a number, not a function"),
        ("exp + 1", "'exp' is a function"),
        ("True + x", "not a number"),
        ("1j * x", "not a number"),
        ("1e999 * x", "too large"),
        ("(y := 3)", "an assignment"),
        ("x = 3", "not a valid expression"),
        ("", "empty"),
        ("x +" * 400 + "x", "characters long"),
        ("(" * 100 + "x" + ")" * 100, "brackets 100 deep"),
        ("-" * 900 + "x", "nested more than 600"),
        ("log(x - 3)", "cannot compute this part"),
    ],
)
def test_rejected_expressions(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message) as caught:
        parse_expression(text, SEED)
    assert "\n" not in str(caught.value)  # one line, for the command line


def test_unbound_names_are_all_listed() -> None:
    with pytest.raises(ExpressionError, match=r"unbound name\(s\): z, w; .* z=1 w=1"):
        parse_expression("z + w * x", SEED)


def test_error_points_at_the_offending_part() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("x + y.real", SEED)
    assert caught.value.column == 5
    assert caught.value.caret() == "x + y.real\n    ^^^^^^"


def test_the_text_never_reaches_eval_or_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*arguments, **keywords):
        raise AssertionError("eval/exec was called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert parse_expression("sigmoid(x) * exp(-y) / (x - y)", SEED).data == pytest.approx(
        (1 / (1 + math.exp(-3))) * math.exp(-2) / 1
    )


def test_limits_are_generous_enough_for_lecture_expressions() -> None:
    text = " + ".join(f"x**{power}" for power in range(1, 60))
    assert len(text) < MAX_LENGTH
    assert parse_expression(text, {"x": 1.0}).data == 59.0
    assert parse_expression("(" * 20 + "x" + ")" * 20, {"x": 1.0}).data == 1.0
    assert MAX_DEPTH >= 20


def test_parse_bindings() -> None:
    assert parse_bindings(["x=3", "y=-2.5e1", " w = 0.5 "]) == {"x": 3.0, "y": -25.0, "w": 0.5}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["x"], "not NAME=VALUE"),
        (["1x=3"], "not a valid name"),
        (["if=1"], "not a valid name"),
        (["x=abc"], "'abc', which is not a number"),
        (["x=nan"], "finite"),
        (["x=inf"], "finite"),
        (["exp=1"], "function name"),
        (["__class__=1"], "not allowed"),
        (["x=1", "x=2"], "given twice"),
        (["x=1e-400"], "'1e-400', is too small for a float .* would be 0"),
        (["x=-2.5E-330"], "too small for a float"),
    ],
)
def test_rejected_bindings(arguments: list[str], message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse_bindings(arguments)


def test_a_zero_written_any_way_is_zero_and_the_smallest_float_is_kept() -> None:
    written = ["x=0", "y=-0.0", "z=0e-400", "w=0_0.0_0", "v=5e-324"]
    assert parse_bindings(written) == {"x": 0.0, "y": 0.0, "z": 0.0, "w": 0.0, "v": 5e-324}


# Random whitelisted expressions: the graph's value matches the same tree computed on floats.
_leaf = st.one_of(
    st.sampled_from(["x", "y"]),
    st.integers(min_value=1, max_value=9).map(str),
)


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda parts: f"({parts[0]} {parts[1]} {parts[2]})"
    )
    unary = st.tuples(st.sampled_from(["sin", "cos", "tanh", "sigmoid", "-"]), children).map(
        lambda parts: f"{parts[0]}({parts[1]})"
    )
    return st.one_of(binary, unary)


_expressions = st.recursive(_leaf, _extend, max_leaves=12)


def _float_value(text: str, x: float, y: float) -> float:
    """The same expression computed on floats by a tiny independent evaluator."""
    import ast

    functions = {
        "sin": math.sin,
        "cos": math.cos,
        "tanh": math.tanh,
        "sigmoid": lambda v: 1 / (1 + math.exp(-v)),
    }

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return {"x": x, "y": y}[node.id]
        if isinstance(node, ast.UnaryOp):
            return -value(node.operand)
        if isinstance(node, ast.Call):
            return functions[node.func.id](value(node.args[0]))
        left, right = value(node.left), value(node.right)
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}[type(node.op)]

    return value(ast.parse(text, mode="eval").body)


@given(_expressions, st.floats(-2, 2), st.floats(-2, 2))
def test_random_expressions_match_float_arithmetic(text: str, x: float, y: float) -> None:
    built = parse_expression(text, {"x": x, "y": y})
    assert built.data == pytest.approx(_float_value(text, x, y), rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------- messages a user can act on
@pytest.mark.parametrize(
    ("text", "bindings", "expected"),
    [
        ("x^2", SEED, ["the operator '^' is not supported at column 2", "write x**2"]),
        ("(x+1) ^ (y)", SEED, ["'^' is not supported at column 7", "write (x+1)**(y)"]),
        ("2x", SEED, ["a number right before a name at column 1 ('2x')", "write 2*x"]),
        ("y + 0.5x", SEED, ["at column 5 ('0.5x')", "write 0.5*x"]),
        ("x²", SEED, ["'²' (SUPERSCRIPT TWO) at column 2", "for a power write x**2"]),
        ("(x+y)³", SEED, ["SUPERSCRIPT THREE", "write **3 after the bracket"]),
        ("tahn(x)", SEED, ["unknown function 'tahn'", "did you mean tanh?"]),
        ("sigmiod(x)", SEED, ["did you mean sigmoid?"]),
        ("ln(x)", SEED, ["did you mean log?"]),
        ("x", {"X": 3.0}, ["unbound name(s): x;", "x=3", "X is given a value but not used"]),
        ("x*y", {"X": 3.0, "y": 2.0}, ["names are case-sensitive"]),
        ("sin(pi*x)", SEED, ["pi=3.141592653589793", "no built-in constants"]),
        ("e**x", SEED, ["e=2.718281828459045", "write exp(x)"]),
        ("ｘ + 1", SEED, ["'ｘ' (FULLWIDTH LATIN SMALL LETTER X) at column 1", "type x"]),
        ("х + 1", SEED, ["'х' (CYRILLIC SMALL LETTER HA) at column 1", "ASCII letter x"]),
        ("x + Ο", SEED, ["GREEK CAPITAL LETTER OMICRON) at column 5", "ASCII letter O"]),
        ("x − y", SEED, ["'−' (MINUS SIGN) at column 3 is not an operator here", "write -"]),
        ("x × y", SEED, ["MULTIPLICATION SIGN", "write *"]),
        ("x\u00a0+ y", SEED, ["NO-BREAK SPACE) at column 2", "type a plain space"]),
        ("x\u200b+ y", SEED, ["ZERO WIDTH SPACE) at column 2 is not allowed"]),
        ("2(x+1)", SEED, ["a bracket right after a value", "write 2*(x+1)"]),
        ("(x+1)(y-1)", SEED, ["write (x+1)*(y-1)"]),
        ("x y", SEED, ["two values side by side", "e.g. x*y"]),
        ("x // y", SEED, ["the operator '//' is not supported at column 3", "write x/y"]),
        ("x +", SEED, ["an operator with nothing after it, '+' at column 3", "e.g. x + 1"]),
        ("sin(x)*y **  ", SEED, ["'**' at column 10", "e.g. sin(x)*y ** 1"]),
    ],
)
def test_messages_say_what_to_write_instead(
    text: str, bindings: dict[str, float], expected: list[str]
) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text, bindings)
    message = str(caught.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, (part, message)


def test_columns_and_carets_count_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError, match="the operator '//' is not supported at column 5"):
        parse_expression("ééé // x", {"ééé": 1.0, "x": 2.0})
    with pytest.raises(ExpressionError) as caught:
        parse_expression("ééé // x", {"ééé": 1.0, "x": 2.0})
    assert caught.value.caret() == "ééé // x\n    ^^"
    with pytest.raises(ExpressionError, match=r"at column 10 \('y.real'\)") as caught:
        parse_expression("αβ + x + y.real", {"αβ": 1.0, **SEED})
    assert caught.value.caret().splitlines()[1] == " " * 9 + "^" * 6


@given(st.text(alphabet="éαß名ŵ", min_size=1, max_size=8))
def test_columns_after_any_letters_are_in_characters(name: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(f"{name} ^ x", {name: 1.0, "x": 2.0})
    assert caught.value.column == len(name) + 2
    assert f"at column {len(name) + 2}" in str(caught.value)


def test_letters_of_other_alphabets_are_still_names() -> None:
    assert parse_expression("α * x + σ", {"α": 2.0, "x": 3.0, "σ": 1.0}).data == 7.0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["х=3"], "'х' (CYRILLIC SMALL LETTER HA) looks like the letter x"),
        (["ｘ=3"], "FULLWIDTH LATIN SMALL LETTER X"),
    ],
)
def test_look_alike_binding_names_are_refused(arguments: list[str], expected: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(expected)):
        parse_bindings(arguments)


@pytest.mark.parametrize(
    ("text", "column", "what"),
    [("x\x1b[31m+1", 2, "escape"), ("x\r+1", 2, "carriage return"), ("x\n+1", 2, "new line"),
     ("x\0", 2, "NUL")],
)  # fmt: skip
def test_control_characters_are_named_where_they_are(text, column, what) -> None:
    with pytest.raises(ExpressionError, match=f"control character .*{what}.* at column {column}"):
        parse_expression(text, {"x": 1.0})
    assert parse_expression("x\t+ 1", {"x": 1.0}).data == 2.0  # a tab is white space


def test_a_binding_is_read_as_python_reads_its_name() -> None:
    decomposed = "e\u0301"  # e and a combining acute accent: Python reads it as é
    assert parse_expression(decomposed, parse_bindings([f"{decomposed}=2"])).data == 2.0


def test_all_used_refuses_a_binding_the_expression_does_not_use() -> None:
    assert parse_expression("x*x", {"x": 3.0, "y": 2.0}).data == 9.0  # the Python default
    with pytest.raises(ExpressionError, match="y=2 is given, but the expression 'x\\*x'"):
        parse_expression("x*x", {"x": 3.0, "y": 2.0}, all_used=True)
    assert parse_expression("x*y", {"x": 3.0, "y": 2.0}, all_used=True).data == 6.0
    many = {"x": 1.0, **{f"y{index}": 1.0 for index in range(300)}}
    with pytest.raises(ExpressionError) as caught:
        parse_expression("x*2", many, all_used=True)
    assert str(caught.value).startswith("y0=1, y1=1, y2=1, y3=1, y4=1 and 295 more are given")


@pytest.mark.parametrize("text", ["x * *", "(x +", "x **  *"])
def test_a_dangling_operator_after_an_unfinished_expression_gets_no_wrong_example(
    text: str,
) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text, SEED)
    assert "e.g." not in str(caught.value) and "not a valid expression" in str(caught.value)
