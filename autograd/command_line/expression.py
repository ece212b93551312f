"""Building a graph from text such as ``"x**2 + x*y + (x+y)**2"``, safely.

The text is parsed with Python's ``ast`` module and every node is checked against
a whitelist before anything is built: numbers, the names the user bound,
``+ - * / **``, unary minus, parentheses, and calls to the one-input functions of
the op table (``exp(x)``, ``sigmoid(x)``, ...). Nothing else is accepted, and the
text is never given to ``eval`` or ``exec``.

>>> f = parse_expression("x**2 + x*y", {"x": 3, "y": 2})
>>> f.data
15.0
"""

from __future__ import annotations

import ast
import keyword
import math
from collections.abc import Iterable, Mapping

from autograd import OPS, DomainError, Value, apply

__all__ = [
    "ExpressionError",
    "parse_expression",
    "parse_bindings",
    "function_names",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "MAX_TREE_DEPTH",
]

MAX_LENGTH = 1000
"""Longest expression accepted, in characters."""

MAX_DEPTH = 60
"""Deepest bracket nesting accepted: ``exp((x))`` is 2 deep."""

MAX_TREE_DEPTH = 600
"""Deepest syntax tree accepted (a sum of n terms is about n deep; ``--x`` is 2 more)."""

_OPERATORS: dict[type, str] = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "div",
    ast.Pow: "pow",
}

# What a student most likely wrote, for the message: "a comparison", not "Compare".
_FRIENDLY_NAMES: dict[type, str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "a lambda",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.IfExp: "an if-expression",
    ast.Tuple: "a tuple",
    ast.List: "a list",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "an assignment (:=)",
    ast.Starred: "a starred argument",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "a slice",
}


class ExpressionError(ValueError):
    """The expression text is not one pathgrad accepts.

    Attributes:
        text: the expression.
        column: where the problem starts (1-based), or None.
        length: how many characters the problem spans.
    """

    def __init__(self, message: str, text: str = "", column: int | None = None, length: int = 1):
        super().__init__(message)
        self.text = text
        self.column = column
        self.length = max(1, length)

    def caret(self) -> str:
        """The expression with ``^^^`` under the offending part (two lines), or ""."""
        if self.column is None or not self.text or "\n" in self.text:
            return ""
        return f"{self.text}\n{' ' * (self.column - 1)}{'^' * self.length}"


def function_names() -> tuple[str, ...]:
    """The functions an expression may call: the op table's one-input ops."""
    return tuple(name for name, op in OPS.items() if op.arity == 1)


def _allowed_summary() -> str:
    return (
        "use numbers, your named values, + - * / **, unary minus, parentheses and "
        f"the functions {', '.join(function_names())}"
    )


def _fail(text: str, node: ast.AST, what: str, hint: str | None = None) -> ExpressionError:
    """An ExpressionError pointing at ``node``: column and the text it covers."""
    column = getattr(node, "col_offset", None)
    end = getattr(node, "end_col_offset", None)
    segment = ast.get_source_segment(text, node) if column is not None else None
    where = ""
    if column is not None:
        shown = segment if segment is not None and len(segment) <= 40 else None
        where = f" at column {column + 1}" + (f" ({shown!r})" if shown else "")
    message = f"{what}{where}; {hint or _allowed_summary()}"
    length = (end - column) if column is not None and end is not None else 1
    return ExpressionError(message, text, None if column is None else column + 1, length)


def _depth(tree: ast.AST) -> int:
    """The nesting depth of ``tree``, without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check(text: str, tree: ast.Expression, bindings: Mapping[str, float]) -> None:
    """Reject every node outside the whitelist; list unbound names together."""
    functions = set(function_names())
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    unbound: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load) or type(node) in _OPERATORS:
            continue
        if isinstance(node, ast.operator):
            continue  # reported at its BinOp, with the operands for context
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _OPERATORS:
                symbol = text[node.left.end_col_offset : node.right.col_offset].strip()
                raise _fail(text, node, f"the operator {symbol!r} is not supported")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise _fail(text, node, "only unary minus is supported (not +x, ~x, not x)")
        elif isinstance(node, ast.unaryop):
            continue
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                kind = "a string" if isinstance(node.value, str | bytes) else "a constant"
                raise _fail(text, node, f"{kind} ({node.value!r:.30}) is not a number")
        elif isinstance(node, ast.Name):
            if node.id.startswith("__"):
                raise _fail(text, node, f"the name {node.id!r} is not allowed")
            if id(node) in called:
                continue  # checked with its call
            if node.id in functions and node.id not in bindings:
                raise _fail(text, node, f"{node.id!r} is a function", f"call it: {node.id}(x)")
            if node.id not in bindings and node.id not in unbound:
                unbound.append(node.id)
        elif isinstance(node, ast.Call):
            _check_call(text, node, functions, bindings)
        else:
            what = _FRIENDLY_NAMES.get(type(node), f"this construct ({type(node).__name__})")
            raise _fail(text, node, f"{what} is not allowed")
    if unbound:
        examples = " ".join(f"{name}=1" for name in unbound)
        raise ExpressionError(
            f"unbound name(s): {', '.join(unbound)}; give each a value, e.g. {examples}",
            text,
        )


def _check_call(
    text: str, node: ast.Call, functions: set[str], bindings: Mapping[str, float]
) -> None:
    """A call must be ``f(argument)`` with ``f`` a one-input op of the table."""
    if not isinstance(node.func, ast.Name):
        raise _fail(text, node.func, "only calls of a function by name are allowed")
    name = node.func.id
    if name not in functions:
        if name in bindings:
            raise _fail(text, node, f"{name!r} is a number, not a function")
        raise _fail(
            text,
            node.func,
            f"unknown function {name!r}",
            f"the functions are {', '.join(sorted(functions))}",
        )
    if node.keywords or len(node.args) != 1:
        raise _fail(text, node, f"{name} takes exactly one argument, as {name}(x)")


def _build(node: ast.AST, leaves: Mapping[str, Value], text: str) -> Value | float:
    """Build the graph for a checked tree, children first, with an explicit stack."""
    results: dict[int, Value | float] = {}
    stack: list[tuple[ast.AST, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if isinstance(current, ast.Constant):
            results[id(current)] = _number(current, text)
            continue
        if isinstance(current, ast.Name):
            results[id(current)] = leaves[current.id]
            continue
        if (
            isinstance(current, ast.UnaryOp)
            and isinstance(current.operand, ast.Constant)
            and not children_done
        ):
            results[id(current)] = -_number(current.operand, text)  # -1 is one constant
            continue
        operands: list[ast.AST]
        if isinstance(current, ast.BinOp):
            operands = [current.left, current.right]
        elif isinstance(current, ast.UnaryOp):
            operands = [current.operand]
        else:
            assert isinstance(current, ast.Call)  # _check admitted nothing else
            operands = [current.args[0]]
        if not children_done:
            stack.append((current, True))
            stack.extend((operand, False) for operand in reversed(operands))
            continue
        inputs = [results.pop(id(operand)) for operand in operands]
        try:
            if isinstance(current, ast.BinOp):
                results[id(current)] = apply(_OPERATORS[type(current.op)], *inputs)
            elif isinstance(current, ast.UnaryOp):
                results[id(current)] = apply("neg", inputs[0])
            else:
                results[id(current)] = apply(current.func.id, inputs[0])  # type: ignore[union-attr]
        except DomainError as error:
            raise _fail(
                text, current, f"cannot compute this part ({error})", "change the values"
            ) from None
    return results[id(node)]


def _number(node: ast.Constant, text: str) -> float:
    try:
        number = float(node.value)
    except OverflowError:
        raise _fail(text, node, "this number is too large", "use a smaller number") from None
    if not math.isfinite(number):
        raise _fail(text, node, "this number is too large", "use a smaller number")
    return number


def parse_expression(text: str, bindings: Mapping[str, float]) -> Value:
    """Build the graph of ``text`` with the named values in ``bindings``.

    Leaves are Values labelled with their names; a name used twice is one leaf
    (``x*x`` has two edges to ``x``). Numbers become constants.

    >>> parse_expression("sigmoid(w*x)", {"w": 0.5, "x": 2}).data   # σ(1)
    0.7310585786300049

    Raises:
        ExpressionError: the text is too long or too deep, does not parse, uses
            anything outside the whitelist, or names an unbound value; the message
            says where (column) and what is allowed.
    """
    if not isinstance(text, str):
        raise TypeError(f"the expression must be a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text)} characters long, more than {MAX_LENGTH}; "
            "build graphs that large in Python instead",
            text[:80],
        )
    nesting = deepest = 0
    for character in text:
        nesting += (character in "([{") - (character in ")]}")
        deepest = max(deepest, nesting)
    if deepest > MAX_DEPTH:
        raise ExpressionError(
            f"the expression nests brackets {deepest} deep, more than {MAX_DEPTH}; simplify it",
            text[:80],
        )
    if not text.strip():
        raise ExpressionError("the expression is empty; write one such as x**2 + x*y", text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        column = min(max(error.offset or 1, 1), len(text.strip()) or 1)
        raise ExpressionError(
            f"not a valid expression at column {column}: {error.msg}", text.strip(), column
        ) from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise ExpressionError(
            f"the expression could not be parsed ({type(error).__name__}); nest it less deeply",
            text[:80],
        ) from None
    text = text.strip()
    if _depth(tree) > MAX_TREE_DEPTH:
        raise ExpressionError(
            f"the expression is nested more than {MAX_TREE_DEPTH} levels deep; simplify it",
            text[:80],
        )
    _check(text, tree, bindings)
    leaves: dict[str, Value] = {}
    for name in _names_in_order(tree):
        leaves[name] = Value(bindings[name], label=name)
    result = _build(tree.body, leaves, text)
    if isinstance(result, Value):
        return result
    return Value(result)


def _names_in_order(tree: ast.AST) -> list[str]:
    """The bound names as they appear, left to right (so leaves are made in that order)."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names = [
        node for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called
    ]
    names.sort(key=lambda node: (node.lineno, node.col_offset))
    ordered: list[str] = []
    for node in names:
        if node.id not in ordered:
            ordered.append(node.id)
    return ordered


def parse_bindings(arguments: Iterable[str]) -> dict[str, float]:
    """``["x=3", "y=-2.5"]`` → ``{"x": 3.0, "y": -2.5}``, each checked.

    A name must be an identifier, not a keyword, not start with ``__`` and not be a
    function name (``exp``); a value must be a finite number; no name twice.
    """
    bindings: dict[str, float] = {}
    functions = set(function_names())
    for argument in arguments:
        name, equals, value_text = argument.partition("=")
        name = name.strip()
        if not equals:
            raise ExpressionError(f"{argument!r} is not NAME=VALUE; write it as x=3")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ExpressionError(
                f"{name!r} in {argument!r} is not a valid name; use x, y, w1, ..."
            )
        if name.startswith("__"):
            raise ExpressionError(f"the name {name!r} is not allowed; use x, y, w1, ...")
        if name in functions:
            raise ExpressionError(f"{name!r} is a function name; call the value something else")
        if name in bindings:
            raise ExpressionError(f"{name!r} is given twice; give each name one value")
        try:
            number = float(value_text.strip())
        except ValueError:
            raise ExpressionError(
                f"the value of {name} is {value_text.strip()!r}, which is not a number; "
                f"write it as {name}=3 or {name}=-0.5"
            ) from None
        if not math.isfinite(number):
            raise ExpressionError(
                f"the value of {name} must be a finite number, not {value_text!r}"
            )
        bindings[name] = number
    return bindings
