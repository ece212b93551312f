"""``compile(root, inputs)``: a built graph as straight-line Python, forward and backward.

The backward pass a problem sheet writes by hand, one line per edge::

    f = d + e
    grad_f = 1.0
    grad_d = grad_f
    grad_c = 2.0 * c * grad_e
    grad_x = grad_x + y * grad_b

is what ``compile`` writes from the op table: each row's ``code`` template gives
the forward line of its nodes, and its ``grad_code`` templates the backward line of
each edge. ``.source`` is that text; calling the compiled graph runs it on new
input values, without building a single Value.

Only the op table's own templates and names made of letters, digits and ``_``
(labels that are not identifiers become ``v12``) are ever put in the source; an
op added with ``define_op`` is called through its functions, never through its
text. Constants are written as their float's ``repr``, so replay is exact.
"""

from __future__ import annotations

import ast
import collections
import itertools
import keyword
import math
import numbers
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd.engine.backward import ancestors, creation_order, one_root
from autograd.engine.collector import collector_paused
from autograd.engine.errors import DomainError, shortened
from autograd.engine.ops import BUILT_IN_OPS, CODE_HELPERS, Op
from autograd.engine.value import Value, display_names

__all__ = ["CompiledGraph", "compile", "FLOAT_FUNCTIONS", "CompileMismatchError"]


def _step(x: float) -> float:
    """[x > 0] as a float: relu's derivative (0 at the kink)."""
    return 1.0 if x > 0.0 else 0.0


def _above(x: float, y: float) -> float:
    """1 if x > y, 0 if x < y, ½ at a tie: max's derivative to x (min's to y)."""
    return 1.0 if x > y else (0.0 if y > x else 0.5)


def _real_power(x: float, y: float) -> float:
    """``x ** y``, refused where Python's would be complex (a negative base under a
    fractional exponent), so that the call falls back to the eager engine's
    DomainError rather than go on (``abs`` would turn the complex number real)."""
    result = x**y
    if result.__class__ is complex:
        raise ValueError(f"({x!r}) ** {y!r} is not a real number")
    return result


FLOAT_FUNCTIONS: dict[str, Any] = {
    "math": math,
    "power": _real_power,
    **CODE_HELPERS,
    "max": max,
    "min": min,
    "abs": abs,
    "step": _step,
    "above": _above,
}
"""The names the op table's templates use, for replay over floats."""


_SOURCE_NAME = "<autograd.compile>"
compile_source = compile  # the builtin, before this module's own ``compile`` hides it


def _array_functions(numpy: Any) -> dict[str, Any]:
    """The templates' names bound for numpy arrays, so the same source runs over a batch
    and gives, point for point, the very floats a call gives.

    ``+ - * /``, comparisons, ``abs`` and ``math.sqrt`` are correctly rounded in numpy
    as in Python, so they run as numpy's own. Every other function (``math.exp``, the
    op table's ``sigmoid``, a power) runs the float function itself on each element:
    numpy's ``exp``, ``tanh`` and ``**`` differ from Python's in the last bit (for 5 %
    of inputs to exp, a quarter to tanh), and a training loop can grow such bits into
    visibly different runs.
    """
    exact = {"sqrt": numpy.sqrt, "fabs": numpy.abs}

    class ArrayMath:  # ``math.exp(x)`` in a template: math.exp on every element
        def __getattr__(self, name: str) -> Any:
            found = exact.get(name) or _each(numpy, getattr(math, name))
            setattr(self, name, found)  # made once: the next lookup finds it here
            return found

    def above(x: Any, y: Any) -> Any:
        return numpy.where(x > y, 1.0, numpy.where(y > x, 0.0, 0.5))

    return {
        "math": ArrayMath(),
        **{name: _each(numpy, function) for name, function in CODE_HELPERS.items()},
        "power": _each(numpy, operator.pow),
        # As Python's max and min: the first argument at a tie, so zeros keep their sign.
        "max": lambda x, y: numpy.where(y > x, y, x),
        "min": lambda x, y: numpy.where(y < x, y, x),
        "abs": numpy.abs,
        "step": lambda x: (numpy.asarray(x) > 0.0) * 1.0,
        "above": above,
    }


def _each(numpy: Any, function: Callable[..., float]) -> Callable[..., Any]:
    """``function`` applied to every element of its array arguments (broadcast), as
    a float array: 55 ns an element for ``math.exp``, against numpy.exp's 1 ns, a
    price paid only by the few transcendental lines of a network's graph."""
    return numpy.vectorize(function, otypes=[float])


class _PowerAsCall(ast.NodeTransformer):
    """``a ** b`` as ``power(a, b)``: over arrays, ``**`` would be numpy's power."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.copy_location(
                ast.Call(ast.Name("power", ast.Load()), [node.left, node.right], []), node
            )
        return node


def _powers_as_calls(source: str) -> Any:
    """The source's code object, with each power as ``power(a, b)``: over floats a
    power that refuses a complex result, over arrays one on every element.

    Only the lines with a power are parsed and rewritten (one statement each), so a
    graph without powers costs nothing more to compile.
    """
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if "**" in line:
            statement = _PowerAsCall().visit(ast.parse(line.strip()))
            lines[index] = line[: len(line) - len(line.lstrip())] + ast.unparse(statement)
    return compile_source("\n".join(lines) + "\n", _SOURCE_NAME, "exec")


class CompileMismatchError(AssertionError):
    """``check=True`` found the compiled code disagreeing with the eager engine."""


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _variable_names(order: list[Value], constants: set[Value]) -> dict[Value, str]:
    """A Python name per non-constant node (and per constant in ``constants``: those
    whose gradient is asked for), as the step tables name it (``x``, ``mul1``:
    ``display_names``) with dots made underscores (``layers_0_w_1``), where that is
    a fresh identifier; else ``v12``."""
    shown = display_names(order, repr)
    candidates = {
        node: shown[node].replace(".", "_")
        for node in order
        if node.role != "constant" or node in constants
    }
    # A name is free if it is a usable identifier that no other node, helper or
    # argument has: a node labelled v2 and a fallback v2 must never meet.
    taken = set(FLOAT_FUNCTIONS) | {"parameters", "inputs", "forward_backward"}
    usable = [
        candidate
        for candidate in candidates.values()
        if _IDENTIFIER.fullmatch(candidate)
        and not keyword.iskeyword(candidate)
        and not candidate.startswith(("grad_", "_"))
    ]
    counts = collections.Counter(usable)
    wanted = {name for name, count in counts.items() if count == 1} - taken
    names: dict[Value, str] = {}
    for index, (node, candidate) in enumerate(candidates.items()):
        if candidate not in wanted:
            candidate = f"v{index}"
            while candidate in taken or candidate in wanted:
                candidate += "_"
        taken.add(candidate)
        names[node] = candidate
    return names


MARK = "\x00"  # around each variable a statement reads: it is in no name, number or template


@dataclass
class _Writer:
    """The source lines and the functions they call, as the graph is walked."""

    names: dict[Value, str]
    lines: list[str] = field(default_factory=list)
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    edges: list[tuple[tuple[Value, int], str]] = field(default_factory=list)
    rows: dict[tuple[int, str], str] = field(default_factory=dict)  # (id(op), kind) → name
    templates: dict[int, str] = field(default_factory=dict)  # id(op) → its forward template
    statements: list[tuple[str, str]] = field(default_factory=list)  # (variable, expression)

    def assign(self, target: str, expression: str) -> str:
        """A line ``target = expression``: as text, and as the pair ``_replayed`` reads
        (with the variables ``expression`` reads between ``MARK`` characters).
        Returns the line's text, unindented."""
        line = f"{target} = {expression.replace(MARK, '')}"
        self.lines.append(f"    {line}")
        self.statements.append((target, expression))
        return line

    def operand(self, node: Value) -> str:
        """A node as an operand: its float's repr if a constant (which reads back as
        the same float), else its variable, marked (see ``assign``)."""
        if node.role == "constant":
            text = repr(node.data)
            return f"({text})" if text.startswith("-") else text  # -2.0 ** y is -(2.0 ** y)
        return self.variable(self.names[node])

    def variable(self, name: str) -> str:
        """The variable ``name`` (a node's gradient), marked as ``operand`` marks."""
        return f"{MARK}{name}{MARK}"

    def row_function(self, op: Op, kind: str) -> str:
        """The name the source calls a ``define_op`` row's ``forward`` (behind its
        domain check) or ``local_grads`` by: one name per row, and a row defined again
        under the same name, while graphs of the old one live, gets its own."""
        key = (id(op), kind)  # the graph holds its rows, so their ids stay theirs
        if key not in self.rows:
            checked = kind == "forward" and op.domain is not None
            name = f"_{kind}_{op.name}"
            while name in self.functions:
                name += "_"
            self.functions[name] = _checked_forward(op) if checked else getattr(op, kind)
            self.rows[key] = name
        return self.rows[key]


def _forward_expression(writer: _Writer, node: Value, operands: list[str]) -> str:
    """The node's value as an expression of its inputs (``operands``: their texts)."""
    op = node.operation
    template = writer.templates.get(id(op))
    if template is None:
        if op.name in BUILT_IN_OPS:
            template = op.code
            if template.startswith("(") and template.endswith(")") and template.count("(") == 1:
                template = template[1:-1]  # ``a = x * y`` rather than ``a = (x * y)``
        else:
            arguments = ", ".join(f"{{{index}}}" for index in range(op.arity))
            template = f"{writer.row_function(op, 'forward')}({arguments})"
        writer.templates[id(op)] = template
    return template.format(*operands)


def _checked_forward(op: Op) -> Callable[..., float]:
    """A ``define_op`` row's forward function behind its domain check, as ``apply``
    runs it: outside the domain the replay stops, and the call gives the eager
    engine's DomainError."""

    def forward(*inputs: float) -> float:
        reason = op.domain(*inputs)
        if reason is not None:
            raise DomainError(f"{op.name} at {', '.join(map(repr, inputs))}: {reason}")
        return op.forward(*inputs)

    return forward


def _local_expression(
    writer: _Writer, node: Value, operands: list[str], position: int
) -> tuple[str, str | None]:
    """∂node/∂parent number ``position`` as an expression of the node's variables
    (``operands``: the texts of its inputs), and the template it was written from
    where the expression has that template's shape (``_product`` reads the shape)."""
    op = node.operation
    if op.name in BUILT_IN_OPS and op.grad_code:
        template = op.grad_code[position]
        written = template.format(*operands, out=writer.variable(writer.names[node]))
        tidied = _tidy(written)
        # Every operand is a name or a bracketed-or-bare number: an atom, which leaves
        # the template's shape as it is; folding constants may not.
        return tidied, template if tidied == written else None
    function = writer.row_function(op, "local_grads")
    arguments = ", ".join([*operands, writer.variable(writer.names[node])])
    return f"{function}({arguments})[{position}]", "call[]"


_NUMBER = r"-?\d+\.\d+(?:e[-+]?\d+)?"
_CONSTANT_DIFFERENCE = re.compile(rf"\(\(?({_NUMBER})\)? - \(?({_NUMBER})\)?\)")
_POWER_OF_ONE = re.compile(r" \*\* 1\.0(?![\d.e])")


def _tidy(expression: str) -> str:
    """Fold what the templates leave for constants, keeping every float the same:
    ``(2.0 - 1.0)`` is computed now (Python would compute the same float at run
    time) and ``x ** 1.0`` is ``x`` exactly, so ``2.0 * x ** (2.0 - 1.0)`` reads
    ``2.0 * x``."""
    if " - " in expression:  # the substring tests skip the patterns on most lines
        expression = _CONSTANT_DIFFERENCE.sub(
            lambda match: repr(float(match[1]) - float(match[2])), expression
        )
    return _POWER_OF_ONE.sub("", expression) if " ** 1.0" in expression else expression


def _product(local: str, upstream: str, shape: str | None = None) -> str:
    """``local * upstream`` as the eager engine computes it: (local) first, then the
    product, so ``1.0 - t * t`` is bracketed and ``2.0 * x`` is not. ``shape``, a
    template the local has the shape of, lets a template be parsed once, not each line."""
    if local in ("1.0", "1"):
        return upstream
    if local in ("-1.0", "-1"):
        return f"-{upstream}"
    if _MARKED_NAME.fullmatch(local):  # most locals (a mul's is the other input): no parse
        return f"{local} * {upstream}"
    bracketed = _BRACKETED.get(shape) if shape is not None else None
    if bracketed is None:
        bracketed = _needs_brackets(local.replace(MARK, ""))
        if shape is not None:
            _BRACKETED[shape] = bracketed
    return f"({local}) * {upstream}" if bracketed else f"{local} * {upstream}"


_MARKED_NAME = re.compile(f"{MARK}[A-Za-z_]\\w*{MARK}")
_BRACKETED: dict[str, bool] = {}  # a template's shape → whether its locals need brackets


def _needs_brackets(local: str) -> bool:
    """Whether ``local * upstream`` would read ``local`` other than as one term."""
    top = ast.parse(local, mode="eval").body
    if isinstance(top, ast.BinOp):
        return isinstance(top.op, ast.Add | ast.Sub)
    return not isinstance(top, ast.UnaryOp | ast.Call | ast.Name | ast.Constant)


def _write_source(
    root: Value, inputs: Sequence[Value], wrt: Sequence[Value], extra: Sequence[Value]
) -> tuple[str, str, dict[str, Any], list[Value], list[tuple[tuple[Value, int], str]]]:
    """``.source`` and the text a call runs (``_replayed``), the functions of
    ``define_op`` rows they call, the parameters and the backward lines' edges."""
    order = creation_order([root, *extra])
    in_graph = set(order)
    # Inputs the root does not depend on still take an argument (their gradient is 0).
    asked = {node for node in wrt if node.role == "constant"}  # grad(f, [a constant]) works
    names = _variable_names(order + [node for node in inputs if node not in in_graph], asked)
    writer = _Writer(names)
    given = set(inputs)
    parameters = [node for node in order if not node.parents and node.role != "constant"]
    parameters = [node for node in parameters if node not in given]
    arguments = [*(names[node] for node in inputs), "parameters"]
    writer.lines.append(f"def forward_backward({', '.join(arguments)}):")
    if parameters:
        writer.lines.append("    # leaves not given as inputs: read from .data at each call")
        for index, node in enumerate(parameters):
            writer.assign(names[node], f"parameters[{index}]")
    writer.lines.append("    # forward: one line per node")
    operands_of: dict[Value, list[str]] = {}  # the texts of each node's inputs
    for node in order:
        parents = node.parents
        if parents:
            operands = operands_of[node] = [writer.operand(parent) for parent in parents]
            writer.assign(names[node], _forward_expression(writer, node, operands))
    writer.lines.append("    # backward: one line per edge, root first")
    writer.assign(f"grad_{names[root]}", "1.0")
    started = {root}
    for node in reversed(order):
        operands = operands_of.get(node)
        if operands is None or node not in started:
            continue  # a leaf, or no gradient reaches it
        upstream = writer.variable(f"grad_{names[node]}")
        for position, parent in enumerate(node.parents):
            if parent.role == "constant" and parent not in asked:
                continue  # a constant's gradient is never used
            local, shape = _local_expression(writer, node, operands, position)
            term = _product(local, upstream, shape)
            target = f"grad_{names[parent]}"
            if parent in started:
                # Not ``+=``: over numpy arrays that would change, in place, every
                # variable the first assignment made a name for the same array.
                line = writer.assign(target, f"{writer.variable(target)} + {term}")
            else:
                line = writer.assign(target, term)
                started.add(parent)
            writer.edges.append(((node, position), line))
    extras = [_tuple_text([writer.operand(node).replace(MARK, "") for node in extra])]
    returned = "    return {}, {}" + (", {}" if extra else "")
    gradients = [f"grad_{names[node]}" if node in started else "0.0" for node in wrt]
    writer.lines.append(returned.format(names[root], _tuple_text(gradients), *extras))
    # The eager engine's sums start at 0.0, the code's at their first term: the same
    # number, but where that term is −0.0 the sum stays −0.0, where 0.0 + −0.0 is 0.0.
    # Signs of zero change no other number, so adding 0.0 at the end gives the eager
    # engine's gradients exactly.
    summed = [f"0.0 + grad_{names[node]}" if node in started else "0.0" for node in wrt]
    footer = returned.format(names[root], _tuple_text(summed), *extras)
    replayed = _replayed(writer.lines[0], writer.statements, footer)
    return "\n".join(writer.lines) + "\n", replayed, writer.functions, parameters, writer.edges


# A name the generated code reads (not an attribute: the exp of math.exp).
_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")
_GRADIENT_NAME = re.compile(r"grad_\w+")
_MOST_NESTED = 30  # levels of inlined expressions; Python's parser stops at 200 brackets


def _replayed(header: str, statements: list[tuple[str, str]], footer: str) -> str:
    """The text a call runs: the source's ``statements`` (between its ``header``, the
    ``def`` line, and its ``footer``, the ``return``) with the same floats in far
    fewer lines.

    Three rewrites, none of which changes an operation or its operands' order:

    * a line whose variable nothing returned depends on is left out (the gradient
      of a leaf not in ``wrt``);
    * a copy ``grad_b = grad_a`` is left out and grad_b read as grad_a (an add
      passes its gradient on unchanged to both inputs);
    * a variable given once and read once is written, bracketed, where it is read:
      ``add2 = (b + (w1 * x1)) + mul2``, so its float dies at once.

    Each statement's expression has its variables between ``MARK`` characters
    (``_Writer.assign``), so its pieces are split, not parsed: the odd pieces are
    the names it reads. On micrograd's demo graph, 192,000 lines become 70,000 and
    a call takes 2.4 ms instead of 4.2 (``benchmarks/bench_compile.py``).
    """
    live = _live(statements, set(_NAME.findall(footer)))
    assigned = collections.Counter(target for target, _, _ in live)
    reassigned = {target for target, count in assigned.items() if count > 1}
    used = collections.Counter(itertools.chain.from_iterable(names for _, _, names in live))
    used.update(_NAME.findall(footer))
    written: dict[str, str] = {}  # variable → the text to read it by
    nesting: dict[str, int] = {}
    kept = [header]
    for target, parts, names in live:
        depth = 0
        if not written.keys().isdisjoint(names):
            for index in range(1, len(parts), 2):
                if parts[index] in written:
                    depth = max(depth, nesting.get(parts[index], 0))
                    parts[index] = written[parts[index]]
        expression = "".join(parts)
        if target not in reassigned:
            if (
                len(parts) == 3
                and target.startswith("grad_")
                and _GRADIENT_NAME.fullmatch(expression)
            ):
                written[target] = expression  # a copy of a finished gradient
                continue
            if used[target] == 1 and depth < _MOST_NESTED and reassigned.isdisjoint(names):
                written[target], nesting[target] = f"({expression})", depth + 1
                continue
        kept.append(f"    {target} = {expression}")
    kept.append(_NAME.sub(lambda found: written.get(found[0], found[0]), footer))
    return "\n".join(kept) + "\n"


def _live(
    statements: list[tuple[str, str]], needed: set[str]
) -> list[tuple[str, list[str], list[str]]]:
    """The statements the names in ``needed`` depend on (last line first: a variable
    is needed before a line that gives it a value if a needed line after reads it),
    each as its variable, its expression's pieces (split at ``MARK``) and the names
    it reads (the odd pieces)."""
    kept = []
    for target, expression in reversed(statements):
        if target in needed:
            parts = expression.split(MARK)
            names = parts[1::2]
            kept.append((target, parts, names))
            needed.update(names)
    kept.reverse()
    return kept


def _same(first: Any, second: Any) -> bool:
    """Equal to the last bit, the sign of a zero included; nan equal to nan."""
    if isinstance(first, tuple) and isinstance(second, tuple):
        return len(first) == len(second) and all(map(_same, first, second))
    if first == second:
        return first != 0.0 or math.copysign(1.0, first) == math.copysign(1.0, second)
    return first != first and second != second


def _finite(result: Any) -> bool:
    """Whether a replay's numbers are all finite floats (not inf, nan or complex)."""
    value, gradients, *extras = result
    numbers = [value, *gradients, *(extras[0] if extras else ())]
    try:
        return all(map(math.isfinite, numbers))  # not a sum: that can pass 1.8e308
    except TypeError:  # a complex number
        return False


def _finite_arrays(numpy: Any, result: Any) -> bool:
    """``_finite`` for a batched replay's shaped result: the summed gradients one by
    one, the arrays in one call."""
    value, gradients, *extras = result
    arrays = [value, *(g for g in gradients if g.ndim), *(extras[0] if extras else ())]
    if not all(math.isfinite(g) for g in gradients if not g.ndim):  # the summed ones
        return False
    return bool(numpy.isfinite(numpy.concatenate(arrays)).all())


def _tuple_text(items: Sequence[str]) -> str:
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


def _input_number(value: Any, position: int) -> float:
    """A call's input as ``Value(value)`` would hold it: a finite float from any real
    number (int, float, bool, Fraction, numpy scalar)."""
    where = f"the compiled graph's input {position}"
    if not isinstance(value, numbers.Real):
        raise TypeError(
            f"{where} must be a real number, not {type(value).__name__} {shortened(value)}"
        )
    try:
        number = float(value)
    except OverflowError:
        raise DomainError(
            f"{where}, {shortened(value)}, is too large for a float (about 1.8e308 at most)"
        ) from None
    if not math.isfinite(number):
        raise DomainError(f"{where} is {number}: a graph holds finite real numbers only")
    return number


class CompiledGraph:
    """A graph compiled to straight-line Python (made by ``autograd.compile``).

    Attributes:
        source: the generated function's text, forward then backward.
        replayed_source: the text a call runs: the same operations on the same
            floats as ``source``, with the lines nothing returned needs left out,
            copies read as what they copy and single-use values written where they
            are used (less than half the lines on a network; see ``_replayed``).
        inputs: the leaves whose values each call gives, in order.
        parameters: the other leaves (not constants), read from ``.data`` at
            every call, so an optimizer that updates them is seen.
        wrt: the leaves whose gradients each call returns.
        extra: other nodes whose values each call also returns (a third item).
        edge_lines: each backward line with the edge ``(child, position)`` it
            applies, in order (``autograd.views.compiled_steps`` sets them beside
            the backward steps).
    """

    def __init__(
        self,
        root: Value,
        inputs: Sequence[Value],
        wrt: Sequence[Value],
        check: bool,
        extra: Sequence[Value] = (),
    ) -> None:
        self.root = root
        self.inputs = list(inputs)
        self.wrt = list(wrt)
        self.extra = list(extra)
        # Writing makes a few containers per line, none in a cycle; the collector would
        # only walk the whole graph again and again (a tenth of the time to compile).
        with collector_paused():
            written = _write_source(root, self.inputs, self.wrt, self.extra)
        self.source, self.replayed_source, functions, self.parameters, self.edge_lines = written
        namespace: dict[str, Any] = {**FLOAT_FUNCTIONS, **functions}
        # The source is made only of the op table's templates, our own names and
        # float reprs (see the module docstring): no user text is executed.
        exec(_powers_as_calls(self.replayed_source), namespace)  # noqa: S102
        self._function = namespace["forward_backward"]
        self._functions = functions
        self._check_next = check

    def __call__(self, *values: float) -> tuple[float, tuple[float, ...]]:
        """The root's value and the gradients of ``wrt`` at these input values."""
        if len(values) != len(self.inputs):
            raise TypeError(
                f"the compiled graph takes {len(self.inputs)} input value(s), got {len(values)}"
            )
        numbers = [_input_number(value, position) for position, value in enumerate(values)]
        try:
            result = self._replay(numbers)
        except DomainError as error:
            where = f"compiled graph at inputs {shortened(tuple(values))}"
            raise DomainError(f"{where}: {error}") from None
        if self._check_next:
            self._check_next = False
            self._compare_with_eager(numbers, result)
        return result

    def _replay(self, numbers: list[float]) -> Any:
        """One call's result. Where the formulas leave the finite reals (log of −1, a
        power giving a complex number, an overflow, 0 · ∞ on an edge the eager engine
        skips), the eager engine's answer is the answer: its numbers, or its
        DomainError."""
        try:
            result = self._function(*numbers, [node.data for node in self.parameters])
        except (ArithmeticError, ValueError, TypeError):
            return self._eager(numbers)
        return result if _finite(result) else self._eager(numbers)

    def _eager(self, values: Sequence[float]) -> Any:
        """What the eager engine gives at these input values: the same graph rebuilt
        with ``apply``, and ``grad`` on it (a DomainError where it refuses)."""
        from autograd.engine.functional import grad
        from autograd.engine.value import apply

        rebuilt: dict[Value, Value] = {}
        given = dict(zip(self.inputs, values))
        order = creation_order([self.root, *self.extra])
        for node in order:
            if node.parents:
                rebuilt[node] = apply(node.operation, *(rebuilt[p] for p in node.parents))
            else:
                rebuilt[node] = Value(given.get(node, node.data), node.label, node.role)
        new_root = rebuilt[self.root]
        expected: tuple[Any, ...] = (
            new_root.data,
            grad(new_root, [rebuilt.get(node, node) for node in self.wrt]),
        )
        if self.extra:
            expected += (tuple(rebuilt[node].data for node in self.extra),)
        return expected

    def _compare_with_eager(self, values: Sequence[float], result: Any) -> None:
        """The first call, checked against the eager engine (``_eager``)."""
        expected = self._eager(values)
        if not _same(result, expected):
            raise CompileMismatchError(
                f"compiled replay gives {shortened(result, 200)}, the eager engine "
                f"{shortened(expected, 200)} at inputs {shortened(tuple(values))}"
            )

    def batched(
        self, *columns: Sequence[float], reduce: str = "sum"
    ) -> tuple[Any, tuple[Any, ...]]:
        """The same code run over numpy arrays: one element per data point.

        ``columns`` holds one sequence of values per input (all the same length:
        the batch). Returns the root's values (an array) and, per ``wrt`` leaf, its
        gradient: for an input, per point (an array); for a parameter, summed over
        the batch (``reduce="sum"``, what a mini-batch step needs) or per point
        (``reduce="none"``). Needs numpy (``pip install "pathgrad[numpy]"``).

        >>> x, w = Value(1.0, label="x"), Value(3.0, label="w", role="parameter")
        >>> values, (grad_w,) = compile(w * x * x, [x], wrt=[w]).batched([1.0, 2.0, 3.0])
        >>> values.tolist(), float(grad_w)                    # w·x², Σ x²
        ([3.0, 12.0, 27.0], 14.0)
        """
        try:
            import numpy  # here only: the engine needs nothing outside the standard library
        except ImportError:
            raise ModuleNotFoundError(
                'batched replay runs over numpy arrays: pip install "pathgrad[numpy]"'
            ) from None

        if reduce not in ("sum", "none"):
            raise ValueError(f"batched: reduce must be 'sum' or 'none', not {shortened(reduce)}")
        if len(columns) != len(self.inputs):
            raise TypeError(
                f"batched takes one column per input ({len(self.inputs)}), got {len(columns)}"
            )
        arrays = []
        for position, column in enumerate(columns):
            try:
                arrays.append(numpy.asarray(column, dtype=float))
            except (TypeError, ValueError) as error:
                raise TypeError(
                    f"batched: column {position} must hold real numbers ({error})"
                ) from None
            bad = numpy.flatnonzero(~numpy.isfinite(arrays[-1]))
            if bad.size:  # None becomes nan on the way
                raise DomainError(
                    f"batched: column {position} holds {arrays[-1].flat[bad[0]]} at point "
                    f"{bad[0]}: a graph holds finite real numbers only"
                )
        sizes = {array.shape for array in arrays}
        if len(sizes) > 1 or any(array.ndim != 1 for array in arrays):
            raise ValueError(f"batched: the columns must be flat and of one length, got {sizes}")
        size = arrays[0].shape[0] if arrays else 1
        function = self._batched_function(numpy)
        parameters = [node.data for node in self.parameters]
        # An overflow, 0/0 or a domain error anywhere stops the batch (underflow to 0
        # is ordinary float arithmetic, as in the eager engine)...
        with numpy.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            try:
                result = self._shaped(numpy, size, reduce, *function(*arrays, parameters))
                complete = _finite_arrays(numpy, result)
            except (ArithmeticError, ValueError, TypeError, FloatingPointError):
                complete = False
        if not complete:  # ...and then every point is replayed alone, as __call__ does
            result = self._shaped(numpy, size, reduce, *self._point_by_point(numpy, arrays, size))
        return result

    def _shaped(
        self, numpy: Any, size: int, reduce: str, value: Any, gradients: Any, *extras: Any
    ) -> Any:
        """A batched replay's numbers as ``batched`` returns them: arrays of ``size``, a
        parameter's gradient summed (``reduce="sum"``). A complex number is a TypeError."""

        def per_point(item: Any) -> Any:
            array = numpy.asarray(item)
            if array.shape == (size,) and array.dtype == float:
                return array.copy()  # the usual case: 0.3 µs, against 2.1 broadcasting
            if numpy.iscomplexobj(array):
                raise TypeError("a complex number in a batched replay")
            return numpy.broadcast_to(array.astype(float, copy=False), (size,)).copy()

        given = set(self.inputs)
        shaped = []
        for node, gradient in zip(self.wrt, gradients):
            gradient = per_point(gradient)
            shaped.append(
                numpy.sum(gradient) if reduce == "sum" and node not in given else gradient
            )
        if extras:
            return per_point(value), tuple(shaped), tuple(map(per_point, extras[0]))
        return per_point(value), tuple(shaped)

    def _point_by_point(self, numpy: Any, arrays: list[Any], size: int) -> list[Any]:
        """``batched``'s result from one call per point (the eager engine's answer
        where the formulas fail), stacked into arrays: a DomainError names the point."""
        results = []
        for index in range(size):
            point = [float(array[index]) for array in arrays]
            try:
                results.append(self._replay(point))
            except DomainError as error:
                raise DomainError(
                    f"compiled graph, batched, at point {index} {shortened(tuple(point))}: {error}"
                ) from None
        value = numpy.array([result[0] for result in results])
        gradients = [numpy.array(column) for column in zip(*(result[1] for result in results))]
        if len(self.wrt) and not gradients:
            gradients = [numpy.zeros(0) for _ in self.wrt]
        stacked = [value, gradients]
        if self.extra:
            stacked.append([numpy.array(column) for column in zip(*(r[2] for r in results))])
        return stacked

    def _batched_function(self, numpy: Any) -> Callable[..., Any]:
        if getattr(self, "_array_function", None) is None:
            namespace: dict[str, Any] = {**_array_functions(numpy), **self._functions}
            for name, function in self._functions.items():  # a define_op row: per element
                namespace[name] = _each(numpy, function)
            exec(_powers_as_calls(self.replayed_source), namespace)  # noqa: S102
            self._array_function = namespace["forward_backward"]
        return self._array_function

    def __repr__(self) -> str:
        return (
            f"<CompiledGraph: {len(self.inputs)} input(s), {len(self.parameters)} "
            f"parameter(s), {self.source.count(chr(10))} lines>"
        )


def compile(  # noqa: A001 - autograd.compile, as the issue names it; not in __all__ of autograd
    root: Value,
    inputs: Sequence[Value],
    *,
    wrt: Sequence[Value] | None = None,
    extra: Sequence[Value] = (),
    check: bool = False,
    max_nodes: int = 1_000_000,
) -> CompiledGraph:
    """Compile the graph ``root`` depends on to straight-line Python.

    Args:
        root: the output.
        inputs: the leaves each call gives new values for, in order.
        wrt: the leaves whose gradients each call returns (default ``inputs``).
        extra: other nodes whose values each call returns too, as a third item
            (a prediction next to its loss, say).
        max_nodes: refuse a larger graph (its source would take minutes to write and
            compile: about 4 s per 100,000 nodes); raise it to compile one anyway.
        check: compare the first call with the eager engine (the same graph
            rebuilt with ``apply`` at the call's values, then ``grad``) and raise
            ``CompileMismatchError`` on any difference, to the last bit.

    >>> x, y = Value(3.0, label="x"), Value(2.0, label="y")
    >>> compiled = compile(x * y + x, [x, y])
    >>> compiled(3.0, 2.0), compiled(1.0, 5.0)
    ((9.0, (3.0, 3.0)), (6.0, (6.0, 1.0)))

    What is compiled is the graph as built: Python ``if`` on ``.data`` in your own
    code picked one branch when it was built, and replay keeps that branch. The
    data-dependent ops themselves (relu, abs) are replayed exactly for any input.
    """
    one_root(root, "compile")
    if root.role == "constant":
        raise ValueError(
            "compile: root is a constant (a number, or a result made inside no_grad()): "
            "it has no graph to compile; build it outside no_grad() from Values"
        )
    for name, given in (("inputs", inputs), ("wrt", wrt), ("extra", extra)):
        kind = "leaf Values" if name == "inputs" else "Values"
        if isinstance(given, Value):
            one = given.label if given.label and given.label.isidentifier() else "x"
            raise TypeError(
                f"compile: {name} takes a list of {kind}; for one, put it in a list: {name}=[{one}]"
            )
        if name == "wrt" and given is None:
            continue  # the default: the inputs
        if isinstance(given, set | frozenset) or not hasattr(given, "__iter__"):
            order = "takes" if name == "inputs" else "returns"
            raise TypeError(
                f"compile: {name} must be a list of {kind} (in the order each call "
                f"{order} them), not {type(given).__name__}"
            )
    inputs = list(inputs)
    for position, node in enumerate(inputs):
        if not isinstance(node, Value) or node.parents:
            raise TypeError(f"compile: inputs[{position}] must be a leaf Value (an input)")
        if node.role == "constant":
            raise ValueError(
                f"compile: inputs[{position}] is a constant (a number an op made a node, "
                "or a no_grad() result), which the graph keeps as its number; give the "
                "leaf Values you made"
            )
    if len(set(inputs)) != len(inputs):
        raise ValueError("compile: an input is listed twice")
    wrt = inputs if wrt is None else list(wrt)
    extra = list(extra)
    for name, nodes in (("wrt", wrt), ("extra", extra)):
        for position, node in enumerate(nodes):
            if not isinstance(node, Value):
                raise TypeError(
                    f"compile: {name}[{position}] must be a Value, not {type(node).__name__} "
                    f"{shortened(node)}"
                )
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise TypeError(f"max_nodes must be a whole number of at least 1, not {max_nodes!r:.40}")
    size = len(ancestors([root, *extra]))
    if size > max_nodes:
        raise ValueError(
            f"compile: the graph has {size:,} nodes, more than max_nodes={max_nodes:,}; "
            f"writing and compiling it would take about {max(1, size * 4 // 100_000)} s. Compile a "
            f"smaller graph (one example, not a batch), or pass max_nodes={size}"
        )
    return CompiledGraph(root, inputs, wrt, check, extra)
