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
import difflib
import keyword
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

from autograd import OPS, DomainError, Value, apply
from autograd.engine.errors import shortened

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


# Two-input rows whose names are Python builtins are called by their Value method's
# name (as ``autograd.maximum``); the row's own name works too.
_TWO_INPUT_NAMES = {"max": "maximum", "min": "minimum"}
_ARGUMENTS = {"atan2": "y, x"}  # as math.atan2 names them


def function_names() -> tuple[str, ...]:
    """The functions an expression may call: the op table's rows without an operator
    (an op made with ``define_op`` only if it said ``in_expressions=True``): the
    one-input ops by their names, then the two-input ones (``maximum``, ``atan2``)."""
    return tuple(_function_rows())


def _function_rows() -> dict[str, str]:
    """Each name an expression may call, with the op-table row it names; the two-input
    rows also under their own names (``max`` for ``maximum``)."""
    operators = set(_OPERATORS.values())
    rows = {name: name for name, op in OPS.items() if op.arity == 1 and op.in_expressions}
    for name, op in OPS.items():
        if op.arity == 2 and op.in_expressions and name not in operators:
            rows[_TWO_INPUT_NAMES.get(name, name)] = name
    return rows


def _allowed_summary() -> str:
    return (
        "use numbers, your named values, + - * / **, unary minus, parentheses and "
        f"the functions {', '.join(function_names())}"
    )


def _fail(text: str, node: ast.AST, what: str, hint: str | None = None) -> ExpressionError:
    """An ExpressionError pointing at ``node``: column and the text it covers."""
    if getattr(node, "col_offset", None) is None:
        return _fail_at(text, None, 1, what, hint)
    start = _position(text, node.lineno, node.col_offset)
    end_line = getattr(node, "end_lineno", None) or node.lineno
    end_byte = getattr(node, "end_col_offset", None)
    segment = ast.get_source_segment(text, node)
    if end_byte is not None and end_line == node.lineno:
        length = _position(text, end_line, end_byte) - start
    else:
        length = len(segment or " ")
    return _fail_at(text, start + 1, length, what, hint, segment)


def _fail_at(
    text: str,
    column: int | None,
    length: int,
    what: str,
    hint: str | None = None,
    segment: str | None = None,
) -> ExpressionError:
    """An ExpressionError for ``length`` characters from ``column`` (1-based), or none."""
    where = ""
    if column is not None:
        shown = segment if segment is not None and len(segment) <= 40 else None
        where = f" at column {column}" + (f" ({shown!r})" if shown else "")
    message = f"{what}{where}; {hint or _allowed_summary()}"
    return ExpressionError(message, text, column, length)


def _position(text: str, line: int, byte_offset: int) -> int:
    """The character offset, in its line, of ast's UTF-8 ``byte_offset`` on ``line``.

    ``ast`` counts columns in bytes: in ``"ééé // x"`` the ``//`` is at byte 7 but
    character 4, and a message (or a caret) is for people, who count characters.
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return byte_offset
    return len(lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8", "replace"))


def _between(text: str, first: ast.AST, second: ast.AST) -> tuple[str, int]:
    """The text between the end of ``first`` and the start of ``second`` (one line), and
    the character offset where it starts; ("", -1) if they are on different lines."""
    line = getattr(first, "end_lineno", None)
    if line is None or line != second.lineno or first.end_col_offset is None:
        return "", -1
    encoded = text.split("\n")[line - 1].encode("utf-8")
    between = encoded[first.end_col_offset : second.col_offset].decode("utf-8", "replace")
    return between, _position(text, line, first.end_col_offset)


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
    functions = set(function_names()) | set(_TWO_INPUT_NAMES)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    unbound: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load) or type(node) in _OPERATORS:
            continue
        if isinstance(node, ast.operator):
            continue  # reported at its BinOp, with the operands for context
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _OPERATORS:
                raise _unsupported_operator(text, node)
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
                row = _function_rows().get(node.id) or node.id
                call = (
                    f"{node.id}(x)"
                    if OPS[row].arity == 1
                    else f"{node.id}({_ARGUMENTS.get(row, 'x, y')})"
                )
                raise _fail(text, node, f"{node.id!r} is a function", f"call it: {call}")
            if node.id not in bindings and node.id not in unbound:
                unbound.append(node.id)
        elif isinstance(node, ast.Call):
            _check_call(text, node, functions, bindings)
        else:
            what = _FRIENDLY_NAMES.get(type(node), f"this construct ({type(node).__name__})")
            raise _fail(text, node, f"{what} is not allowed")
    if unbound:
        raise ExpressionError(_unbound_message(tree, unbound, bindings), text)


def _unbound_message(tree: ast.AST, unbound: list[str], bindings: Mapping[str, float]) -> str:
    """Which names lack a value; a value given for a name not used is named too.

    ``x + 1`` with ``X=3``: x is unbound and X unused, most likely the same name in
    the wrong case, so the example is ``x=3``.
    """
    used = set(_names_in_order(tree)) | set(unbound)
    unused = [name for name in bindings if name not in used]
    examples = []
    case_slip = False
    for name in unbound:
        meant = [other for other in unused if other.casefold() == name.casefold()]
        case_slip = case_slip or bool(meant)
        meant = meant or difflib.get_close_matches(name, unused, n=1, cutoff=0.75)
        if not meant and name in _MATH_CONSTANTS:  # pi=1 would be bad advice
            examples.append(f"{name}={_MATH_CONSTANTS[name]!r}")
        else:
            examples.append(f"{name}={_number_text(bindings[meant[0]]) if meant else 1}")
    message = f"unbound name(s): {', '.join(unbound)}; give each a value, e.g. {' '.join(examples)}"
    if any(name in _MATH_CONSTANTS for name in unbound):
        message += " (expressions have no built-in constants; for e**x write exp(x))"
    if unused:
        verb = "is" if len(unused) == 1 else "are"
        note = "; names are case-sensitive" if case_slip else ""
        message += f" ({', '.join(unused)} {verb} given a value but not used{note})"
    return message


def _check_all_used(text: str, tree: ast.AST, bindings: Mapping[str, float]) -> None:
    """Refuse the bindings the expression does not use, naming them with their values."""
    used = set(_names_in_order(tree))
    unused = [name for name in bindings if name not in used]
    if unused:
        given = ", ".join(f"{name}={_number_text(bindings[name])}" for name in unused[:5])
        if len(unused) > 5:  # the message stays one readable line
            given += f" and {len(unused) - 5} more"
        verb, them = ("is", "it") if len(unused) == 1 else ("are", "them")
        raise ExpressionError(
            f"{given} {verb} given, but the expression {shortened(text, 60)} does not use "
            f"{them}; leave {them} out, or use {them} in the expression",
            text[:80],
        )


_MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}
"""Names a student may expect to be built in; the advice gives their numbers."""


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)


# What a student who wrote another operator most likely meant.
_OPERATOR_HINTS: dict[type, str] = {
    ast.BitXor: "for a power write {left}**{right} (^ is not a power in Python)",
    ast.FloorDiv: "for division write {left}/{right}",
    ast.MatMult: "for a product write {left}*{right}",
}


def _unsupported_operator(text: str, node: ast.BinOp) -> ExpressionError:
    """'the operator '^' is not supported at column 2; for a power write x**2'."""
    between, start = _between(text, node.left, node.right)
    symbol = between.strip(" \t\r\n()")  # "(x+1) ^ (2)": the brackets are the operands'
    if not symbol or start < 0 or node.end_lineno != node.lineno or node.end_col_offset is None:
        return _fail(text, node, "this operator is not supported")
    column = start + between.index(symbol)  # 0-based, in characters
    template = _OPERATOR_HINTS.get(type(node.op))
    hint = None
    if template is not None:
        line = text.split("\n")[node.lineno - 1]
        left = line[_position(text, node.lineno, node.col_offset) : column].strip()
        right = line[column + len(symbol) : _position(text, node.lineno, node.end_col_offset)]
        right = right.strip()
        if len(left) > 20 or len(right) > 20:
            left, right = "a", "b"
        hint = template.format(left=left, right=right)
    what = f"the operator {symbol!r} is not supported"
    return _fail_at(text, column + 1, len(symbol), what, hint)


def _check_call(
    text: str, node: ast.Call, functions: set[str], bindings: Mapping[str, float]
) -> None:
    """A call must be ``f(x)`` or ``f(x, y)`` with ``f`` a row of the table, and as
    many arguments as the row has inputs."""
    if not isinstance(node.func, ast.Name):
        if isinstance(node.func, ast.Constant | ast.BinOp | ast.UnaryOp | ast.Call):
            # 2(x+1) or (x+1)(x-1): a product without its *.
            hint = f"for a product write {_product(text, node)}"
            raise _fail(text, node, "a bracket right after a value", hint)
        raise _fail(text, node.func, "only calls of a function by name are allowed")
    name = node.func.id
    if name not in functions:
        if name in bindings:
            raise _fail(
                text,
                node,
                f"{name!r} is a number, not a function",
                f"for a product write {_product(text, node)}",
            )
        raise _fail(
            text,
            node.func,
            f"unknown function {name!r}",
            _did_you_mean(name, functions) + f"the functions are {', '.join(sorted(functions))}",
        )
    row = _function_rows().get(name) or name
    if node.keywords or len(node.args) != OPS[row].arity:
        shape = f"{name}(x)" if OPS[row].arity == 1 else f"{name}({_ARGUMENTS.get(row, 'x, y')})"
        count = "one argument" if OPS[row].arity == 1 else "two arguments"
        raise _fail(text, node, f"{name} takes exactly {count}, as {shape}")


def _product(text: str, node: ast.Call) -> str:
    """``2(x+1)`` written as the product it most likely is: ``2*(x+1)``."""
    whole = ast.get_source_segment(text, node)
    func_end = getattr(node.func, "end_col_offset", None)
    if whole is None or func_end is None or node.func.end_lineno != node.lineno:
        return "a*(b)"
    cut = _position(text, node.lineno, func_end) - _position(text, node.lineno, node.col_offset)
    while cut < len(whole) and whole[cut] in ") \t":  # the brackets around (x+1)(x-1)'s first
        cut += 1
    written = f"{whole[:cut].rstrip()}*{whole[cut:]}"
    return written if len(written) <= 40 else "a*(b)"


_ALIASES = {"ln": "log", "sigma": "sigmoid"}  # names from other notations


def _did_you_mean(name: str, functions: Iterable[str]) -> str:
    """ "did you mean tanh? " for ``tahn``, or "" when nothing is close."""
    choices = sorted(functions)
    if _ALIASES.get(name) in choices:
        return f"did you mean {_ALIASES[name]}? "
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
    close = close or difflib.get_close_matches(name.lower(), choices, n=3, cutoff=0.6)
    # Two letters swapped (tahn) is the likeliest slip: same letters first.
    close.sort(key=lambda choice: sorted(choice) != sorted(name.lower()))
    return f"did you mean {close[0]}? " if close else ""


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
            operands = list(current.args)
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
                name = current.func.id  # type: ignore[union-attr]
                results[id(current)] = apply(_function_rows().get(name) or name, *inputs)
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


_CONTROL_NAMES = {
    "\n": ", a new line",
    "\r": ", a carriage return",
    "\0": ", NUL",
    "\x1b": ", escape",
}


def parse_expression(text: str, bindings: Mapping[str, float], *, all_used: bool = False) -> Value:
    """Build the graph of ``text`` with the named values in ``bindings``.

    Leaves are Values labelled with their names; a name used twice is one leaf
    (``x*x`` has two edges to ``x``). Numbers become constants. With ``all_used``
    (as the command line asks), a binding the expression does not use is refused:
    ``x*x`` given y=2 is most likely a slip for ``x*y``.

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
    for index, character in enumerate(text):
        # One line of printable text: a newline, a NUL or an escape sequence would
        # make every column in the messages wrong.
        if unicodedata.category(character) == "Cc" and character != "\t":
            name = _CONTROL_NAMES.get(character, "")
            raise ExpressionError(
                f"a control character (U+{ord(character):04X}{name}) at column {index + 1}; "
                "write the expression on one line, with printable characters",
                text[:80],
            )
    if "#" in text:  # Python would read the rest as a comment and drop it unseen
        column = text.index("#") + 1
        raise ExpressionError(
            f"a # at column {column} would make the rest a comment; leave it out", text[:80]
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
    unusual = _unusual_character(text.strip())
    if unusual is not None:
        raise unusual
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise _syntax_error(text.strip(), error) from None
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
    if all_used:
        _check_all_used(text, tree, bindings)
    leaves: dict[str, Value] = {}
    for name in _names_in_order(tree):
        leaves[name] = Value(bindings[name], label=name)
    result = _build(tree.body, leaves, text)
    if isinstance(result, Value):
        return result
    return Value(result)


def _syntax_error(text: str, error: SyntaxError) -> ExpressionError:
    """Python's syntax error, in characters, with the likely fix for ``2x``."""
    juxtaposed = _NUMBER_THEN_NAME.search(text)
    if juxtaposed is not None:  # "invalid decimal literal": a product without its *
        number, name = juxtaposed.group(1), juxtaposed.group(2)
        return _fail_at(
            text,
            juxtaposed.start() + 1,
            len(juxtaposed.group(0)),
            "a number right before a name",
            f"for a product write {number}*{name}",
            juxtaposed.group(0),
        )
    side_by_side = next(
        (
            found
            for found in _SIDE_BY_SIDE.finditer(text)
            if not any(keyword.iskeyword(word) for word in found.group(0).split())
        ),
        None,
    )
    if side_by_side is not None:  # "x y": two values and no operator between them
        left, right = side_by_side.group(1), side_by_side.group(2)
        return _fail_at(
            text,
            side_by_side.start() + 1,
            len(side_by_side.group(0)),
            "two values side by side with no operator",
            f"join them with one, e.g. {left}*{right}",
            side_by_side.group(0),
        )
    dangling = _DANGLING_OPERATOR.search(text)
    if dangling is not None and _parses(text[: dangling.start(1)]):  # "x +": Python says column 1
        operator = dangling.group(1)
        return _fail_at(
            text,
            dangling.start(1) + 1,
            len(operator),
            f"an operator with nothing after it, {operator!r}",
            f"give it a right operand, e.g. {text[: dangling.start(1)].rstrip()} {operator} 1",
            None,
        )
    column = min(max(error.offset or 1, 1), len(text) or 1)  # Python counts characters here
    return ExpressionError(f"not a valid expression at column {column}: {error.msg}", text, column)


def _parses(text: str) -> bool:
    """Whether ``text`` is a whole Python expression (before a dangling operator)."""
    try:
        ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return bool(text.strip())


# "x +", "x**": an operator with no right operand, at the very end.
_DANGLING_OPERATOR = re.compile(r"(?<=[\w)\s])(\*\*|(?<!/)/|[-+*])\s*$")


# "2x", "0.5w", "1e-3y": a number, then at once a name (hex, octal, binary and complex
# literals never reach here: they parse, and are refused or taken as numbers).
_NUMBER_THEN_NAME = re.compile(
    r"(?<![\w.])((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([^\W\d]\w*)", re.UNICODE
)

# "x y", "2 x", "(x+1) y": a value, spaces, another value.
_SIDE_BY_SIDE = re.compile(r"(\w+|\))\s+(\w+|\()")

# Superscript digits and signs, as pasted from a formula: x² is x**2.
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")

# Operators from typeset mathematics, and what Python writes for them.
_TYPESET_OPERATORS = {
    "−": "-",  # MINUS SIGN
    "–": "-",  # EN DASH
    "—": "-",  # EM DASH
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∗": "*",
    "÷": "/",
    "√": "sqrt(…)",
}

# Letters of other scripts drawn exactly like Latin ones (Unicode's confusables): a
# Cyrillic х in "х + 1" is a different name from x, and nothing on screen shows it.
# Greek letters used in mathematics (α, σ, ...) are not here and stay allowed.
_LOOK_ALIKES = dict(
    pair
    for pair in zip(
        "аеорсухѕіјԁһԛԝӏАВЕКМНОРСТХУЅІЈԚԜοΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcyxsijdhqwlABEKMHOPCTXYSIJQWoABEZHIKMNOPTYX",
    )
)


def _character_name(character: str) -> str:
    return unicodedata.name(character, f"U+{ord(character):04X}")


def _character_error(
    text: str, index: int, explanation: str, hint: str, length: int = 1
) -> ExpressionError:
    """ "'х' (CYRILLIC SMALL LETTER HA) at column 1 looks like ...; type ..."."""
    character = text[index]
    return ExpressionError(
        f"{character!r} ({_character_name(character)}) at column {index + 1} {explanation}; {hint}",
        text,
        index + 1,
        length,
    )


def _unusual_character(text: str) -> ExpressionError | None:
    """The first character outside ASCII that is not simply a letter of a name, as an
    error naming it (Unicode's name) and saying what to type instead; else None.

    Letters such as α or é are fine in names; look-alikes of ASCII letters (a
    Cyrillic х, a fullwidth ｘ), superscripts (x²), typeset operators (−, ×) and
    invisible or odd characters are not.
    """
    for index, character in enumerate(text):
        if character.isascii():
            continue
        if character in _TYPESET_OPERATORS:
            meant = _TYPESET_OPERATORS[character]
            return _character_error(text, index, "is not an operator here", f"write {meant}")
        if character.translate(_SUPERSCRIPTS) != character:
            end = index
            while end < len(text) and text[end].translate(_SUPERSCRIPTS) != text[end]:
                end += 1
            power = text[index:end].translate(_SUPERSCRIPTS)
            before = re.search(r"(\w+|\))\s*$", text[:index])
            base = before.group(1) if before and before.group(1) != ")" else ""
            suggestion = f"{base}**{power}" if base else f"**{power} after the bracket"
            return _character_error(
                text, index, "is not an operator", f"for a power write {suggestion}", end - index
            )
        if character in _LOOK_ALIKES:
            letter = _LOOK_ALIKES[character]
            return _character_error(
                text,
                index,
                f"looks like the letter {letter} but is not one",
                f"type the ASCII letter {letter}",
            )
        normal = unicodedata.normalize("NFKC", character)
        if normal != character:  # fullwidth ｘ, mathematical 𝑥, ligature ﬁ, no-break space
            plain = normal if normal.strip() else "a plain space"
            return _character_error(
                text, index, f"looks like {normal!r} but is not ASCII", f"type {plain}"
            )
        if not (character.isidentifier() or ("a" + character).isidentifier()):
            return _character_error(
                text, index, "is not allowed", "use ASCII operators (+ - * / **) and brackets"
            )
    return None


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
    function name (``exp``); a value must be a finite number, and not one so small
    that its float is 0 (``1e-400``); no name twice.
    """
    bindings: dict[str, float] = {}
    functions = set(function_names()) | set(_TWO_INPUT_NAMES)  # max and min too
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
        unusual = _unusual_character(name)
        if unusual is not None:
            problem = str(unusual).replace(" at column 1", "", 1)
            raise ExpressionError(f"in {argument!r}: {problem}")
        # As Python reads names (NFKC): é typed as e + a combining accent is the
        # expression's é. (Look-alikes such as a fullwidth ｘ were refused above.)
        name = unicodedata.normalize("NFKC", name)
        if name in functions:
            raise ExpressionError(f"{name!r} is a function name; call the value something else")
        if name in bindings:
            raise ExpressionError(f"{name!r} is given twice; give each name one value")
        try:
            if not value_text.isascii():  # float() reads Arabic-Indic digits; expressions do not
                raise ValueError
            number = float(value_text.strip())
        except ValueError:
            raise ExpressionError(
                f"the value of {name} is {shortened(value_text.strip(), 40)}, which is not a "
                f"number; write it as {name}=3 or {name}=-0.5"
            ) from None
        if not math.isfinite(number):
            raise ExpressionError(
                f"the value of {name} must be a finite number, not {shortened(value_text, 40)}"
            )
        mantissa = value_text.strip().lstrip("+-").partition("e")[0].partition("E")[0]
        if number == 0.0 and mantissa.strip("0._"):
            raise ExpressionError(
                f"the value of {name}, {shortened(value_text.strip(), 40)}, is too small for a "
                "float (the smallest is about 5e-324) and would be 0; scale it up, or write 0"
            )
        bindings[name] = number
    return bindings
