"""``Value``: one node of a computation graph, and ``apply``, which makes one.

A Value holds a float (``data``), the Values it was computed from (``parents``)
and, for each parent, the local derivative of this node with respect to it
(``local_grads``), computed once when the node is made. The backward pass then only
multiplies and adds: ``grad(parent) += local · grad(node)`` along every edge.

Each operator is the node maker of the op-table row it names (``__mul__ =
node_maker(MUL)``); the derivative is in that row of ``autograd.engine.ops``. The
arithmetic rows' makers are written out from the rows' code templates
(``print(Value.__mul__.source)``).
``apply(row, x, y)`` is the same for any row, or a row's name, and any inputs.
"""

from __future__ import annotations

import itertools
import linecache
import numbers
from collections.abc import Callable, Iterable
from math import isfinite
from typing import Any, Union

from autograd.engine import backward as backward_pass
from autograd.engine.errors import DomainError, shortened
from autograd.engine.ops import (
    ABS,
    ACOS,
    ACOSH,
    ADD,
    ASIN,
    ASINH,
    ATAN,
    ATAN2,
    ATANH,
    COS,
    COSH,
    DIV,
    ERF,
    EXP,
    EXP2,
    EXPM1,
    LOG,
    LOG1P,
    LOG2,
    LOG10,
    MAX,
    MIN,
    MUL,
    NEG,
    OPS,
    POW,
    RELU,
    SIGMOID,
    SIGN,
    SIN,
    SINH,
    SOFTPLUS,
    SQRT,
    SUB,
    TAN,
    TANH,
    Op,
)

__all__ = ["Value", "Number", "Operand", "apply", "node_maker", "no_grad", "display_names"]

Number = int | float
Operand = Union["Value", int, float]  # noqa: UP007 - a forward reference

# Creation ids: a node is always made after its parents, so sorting by id is a
# topological order, the same on every run. Read with ``next(_ids)``, which CPython
# calls faster than the bound ``_ids.__next__``.
_ids = itertools.count()

LEAF_ROLES = ("input", "constant", "parameter")
"""The roles a leaf can have; a node made by an op has the role "result"."""

_MISSING: Any = object()  # ``apply(NEG, x)`` has no second input

# How many ``no_grad()`` blocks are open; while any is, ops record no graph.
# One number for the whole process (a thread-local would cost every op a lookup).
_no_grad_depth = 0


# ---------------------------------------------------------------- making nodes
# ``node_maker(row)`` is the one place a node is made by an op: the Value operators
# *are* its functions (``Value.__mul__ is node_maker(MUL)``), so ``x * y`` runs the
# node-making code straight from the operator, with the row's functions at hand.
# An operator written ``def __mul__(self, other): return apply_binary(MUL, self,
# other)`` cost one more Python call per node: 6 % more instructions per step of
# micrograd's demo (benchmarks/bench_engine.py), and about 5 % more time.
# Nodes are made without ``Value.__init__``, whose checks (role, label, number)
# hold by construction here.

_node_makers: dict[str, Callable[..., Value]] = {}  # by row name; see node_maker


def node_maker(op: Op) -> Callable[..., Value]:
    """The function that makes every node of the row ``op``, one per row.

    For a two-input row, ``make(first, second)``: ``out = op.forward(x, y)``, with
    the local derivatives ∂out/∂x, ∂out/∂y from ``op.local_grads(x, y, out)``.
    ``first`` is a Value; ``second`` a Value or a number, which becomes a constant
    node. For a one-input row, ``make(first)`` with ``op.local_grads(x, out)``.
    The row's domain is checked and a result that is not finite is refused, with a
    DomainError naming the op and its inputs.

    >>> node_maker(MUL)(Value(3.0), 2).local_grads   # ∂(xy)/∂x = y, ∂(xy)/∂y = x
    (2.0, 3.0)
    >>> node_maker(MUL) is Value.__mul__
    True
    """
    made = _node_makers.get(op.name)
    if made is not None and made.row is op:
        return made
    if any(op is row for row in _WRITTEN_OUT):
        made = _written_maker(op)
    else:
        made = _binary_maker(op) if op.arity == 2 else _unary_maker(op)
    made.__qualname__ = made.__name__ = op.name  # help(Value) shows __mul__ = mul(...)
    made.__doc__ = (
        f"A node for {op.name}: {op.description}. The forward function and the "
        f"derivatives are the op-table row autograd.OPS[{op.name!r}]."
    )
    made.row = op  # type: ignore[attr-defined]
    if OPS.get(op.name) is op:  # kept for the table's rows; a row not in it is made anew
        _node_makers[op.name] = made
    return made


# The two makers below share nine node-making lines, on purpose: one function for
# both arities (branching on a missing second input) did 2 % more work per step.


def _binary_maker(op: Op) -> Callable[[Value, Operand], Value]:
    forward, local_grads, domain = op.forward, op.local_grads, op.domain

    def make(first: Value, second: Operand) -> Value:
        if second.__class__ is not Value:
            second = _operand(second, op)
        x = first.data
        y = second.data
        if domain is not None and (reason := domain(x, y)) is not None:
            raise _domain_error(op, (first, second), reason)
        try:
            out = forward(x, y)
        except (ArithmeticError, ValueError) as error:
            raise _domain_error(op, (first, second), _reason(error)) from None
        if not isfinite(out):
            raise _domain_error(op, (first, second), _not_finite(out, (first, second)))
        if _no_grad_depth:  # inside ``no_grad()``: a constant leaf, no graph
            return _constant_leaf(out)
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node.label = None
        node.operation = op
        node._role = "result"
        node._first_parent = first
        node._second_parent = second
        node._first_local, node._second_local = local_grads(x, y, out)
        node.id = next(_ids)
        return node

    return make


def _unary_maker(op: Op) -> Callable[[Value], Value]:
    forward, local_grads, domain = op.forward, op.local_grads, op.domain

    def make(first: Value) -> Value:
        x = first.data
        if domain is not None and (reason := domain(x)) is not None:
            raise _domain_error(op, (first,), reason)
        try:
            out = forward(x)
        except (ArithmeticError, ValueError) as error:
            raise _domain_error(op, (first,), _reason(error)) from None
        if not isfinite(out):
            raise _domain_error(op, (first,), _not_finite(out, (first,)))
        if _no_grad_depth:
            return _constant_leaf(out)
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node.label = None
        node.operation = op
        node._role = "result"
        node._first_parent = first
        node._second_parent = None
        (node._first_local,) = local_grads(x, out)
        node._second_local = 0.0
        node.id = next(_ids)
        return node

    return make


# ---------------------------------------------------------------- written-out makers
# The arithmetic rows' makers are written out as Python text from the rows' own code
# templates (``code`` "({0} * {1})", ``grad_code`` ("{1}", "{0}")) and compiled once,
# at import: ``out = x * y`` and ``node._first_local = y`` in place of two calls to
# the row's functions. These rows make most of any graph (95 % of the nodes ops make
# in micrograd's demo), and the two calls were a fifth of making a node. Their forward and
# derivatives cannot raise and have no domain, so the text keeps only the check
# that the result is finite. ``maker.source`` is the text; the tests check that it
# makes the very node the generic maker makes, bit for bit.

_WRITTEN_OUT = (ADD, SUB, MUL, NEG)
"""The rows whose makers are written out: one arithmetic operator, no domain, and
derivatives that are constants or the inputs themselves."""

_WRITTEN_BINARY = """\
def {name}(first, second):
    if second.__class__ is not Value:
        second = _operand(second, {row})
    x = first.data
    y = second.data
    out = {forward}
    if not isfinite(out):
        raise _domain_error({row}, (first, second), _not_finite(out, (first, second)))
    if _no_grad_depth:
        return _constant_leaf(out)
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = None
    node.operation = {row}
    node._role = "result"
    node._first_parent = first
    node._second_parent = second
    node._first_local = {first_local}
    node._second_local = {second_local}
    node.id = next(_ids)
    return node
"""

_WRITTEN_UNARY = """\
def {name}(first):
    x = first.data
    out = {forward}
    if not isfinite(out):
        raise _domain_error({row}, (first,), _not_finite(out, (first,)))
    if _no_grad_depth:
        return _constant_leaf(out)
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = None
    node.operation = {row}
    node._role = "result"
    node._first_parent = first
    node._second_parent = None
    node._first_local = {first_local}
    node._second_local = 0.0
    node.id = next(_ids)
    return node
"""


def _written_maker(op: Op) -> Callable[..., Value]:
    """The maker of one of the ``_WRITTEN_OUT`` rows, compiled from its templates.

    The row is named in the text by its module constant (``MUL``), which this
    module imports, so the function's globals are this module's: ``no_grad``'s
    switch is read live.
    """
    constant = op.name.upper()
    assert globals()[constant] is op, f"{constant} is not the row {op.name}"
    inputs = ("x", "y")[: op.arity]
    template = _WRITTEN_BINARY if op.arity == 2 else _WRITTEN_UNARY
    grads = [grad.format(*inputs) for grad in op.grad_code]
    source = template.format(
        name=op.name,
        row=constant,
        forward=op.code.format(*inputs),
        first_local=grads[0],
        second_local=grads[-1],
    )
    filename = f"<pathgrad node maker {op.name}>"
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), globals(), namespace)  # the library's own text
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    made = namespace[op.name]
    made.source = source
    return made


class no_grad:
    """``with autograd.no_grad():`` ops compute their values but build no graph.

    Every result is a constant leaf (no parents, role "constant"): evaluating a
    trained model this way is cheaper and keeps nothing alive. Blocks nest, and
    the switch is process-wide (not per thread).

    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.data, y.parents, y.role
    (4.0, (), 'constant')
    """

    def __enter__(self) -> no_grad:
        global _no_grad_depth
        _no_grad_depth += 1
        return self

    def __exit__(self, *exception: object) -> None:
        global _no_grad_depth
        _no_grad_depth -= 1


def _checked_number(x: Any, where: Op | None = None) -> float:
    """``x`` as a finite float, or a clear TypeError / DomainError.

    ``where`` is the op ``x`` is an operand of, or None for ``Value(x)``; the
    message is only written when there is something wrong.
    """
    if x.__class__ is float:
        data = x
    elif x.__class__ is int or isinstance(x, numbers.Real):  # also bool, Fraction, numpy
        try:
            data = float(x)
        except OverflowError:
            raise DomainError(
                f"{_place(x, where)}: too large for a float (the largest is about 1.8e308); "
                "scale the number down"
            ) from None
    elif isinstance(x, Value):
        raise TypeError(
            f"{_place(x, where)}: got a Value where a number belongs; use the Value itself "
            f"in the expression, or its number, {shortened(x.data)} (.data)"
        )
    else:
        raise TypeError(
            f"{_place(x, where)}: expected a real number (int or float)"
            f"{'' if where is None else ' or a Value'}, got {type(x).__name__}"
        )
    if not isfinite(data):
        raise DomainError(f"{_place(x, where)}: Values hold finite real numbers only")
    return data


def _place(x: Any, where: Op | None) -> str:
    """Where a bad number was met, with the number: ``Value(nan)``, ``operand inf of add``."""
    if where is None:
        return f"Value({shortened(x)})"
    return f"operand {shortened(x)} of {where.name}"


class Value:
    """A scalar in a computation graph.

    >>> x, y = Value(3.0, label="x"), Value(2.0, label="y")
    >>> f = x**2 + x*y + (x + y)**2
    >>> f.backward()
    >>> x.grad, y.grad          # 2x + y + 2(x+y), x + 2(x+y)
    (18.0, 13.0)

    Attributes:
        data: the number this node holds (finite, real).
        grad: ∂root/∂node after ``root.backward()``; 0.0 before.
        label: a name for drawings and messages, or None.
        operation: the op-table row that made this node (``autograd.OPS["mul"]``),
            or None for a leaf; ``op`` is its name.
        parents: the input Values, in order; ``a + a`` has ``a`` twice.
        local_grads: ∂self/∂parent for each parent, in the same order, computed
            once, when the node is made.
        id: creation number; later nodes have larger ids.
        role: "input" (a leaf you made), "constant" (a number an op promoted),
            "parameter" (a weight of an ``nn`` module) or "result" (made by an op).

    Comparisons ``< <= > >=`` with a Value or a number (either side) compare ``.data``
    and return a plain bool: a comparison is not differentiable and is not part of
    the graph. So ``max(v, w)`` and ``sorted(values)`` work (the builtins pick a
    Value; ``autograd.maximum(v, w)`` is the op, with a gradient). ``==`` and ``!=``
    stay identity, because Values are dict keys: ``Value(1.0) == Value(1.0)`` is
    False; compare ``.data`` for equal numbers.

    >>> a, b = Value(2.0), Value(-1.0)
    >>> a > b, b <= 0, 3 > a, [v.data for v in sorted([a, b])], max(a, b) is a
    (True, True, True, [-1.0, 2.0], True)
    """

    # Every op has one or two inputs, so a node keeps its parents and local
    # derivatives in four slots rather than two tuples: a tuple of Values is one
    # more object for Python's garbage collector to track, and tracking was most
    # of the time spent building a graph (``parents`` and ``local_grads`` make
    # the tuples when asked).
    __slots__ = (
        "data",
        "grad",
        "label",
        "operation",
        "_role",
        "_first_parent",
        "_second_parent",
        "_first_local",
        "_second_local",
        "id",
    )

    data: float
    grad: float
    label: str | None
    operation: Op | None
    id: int

    def __init__(self, data: Number, label: str | None = None, role: str = "input") -> None:
        if role not in LEAF_ROLES:
            raise ValueError(f"a leaf's role must be one of {LEAF_ROLES}, not {shortened(role)}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value label must be a str or None, not {type(label).__name__}")
        self.data = _checked_number(data)
        self.grad = 0.0
        self.label = label
        self.operation = None
        self._role = role
        self._first_parent = None
        self._second_parent = None
        self._first_local = 0.0
        self._second_local = 0.0
        self.id = next(_ids)

    @property
    def parents(self) -> tuple[Value, ...]:
        """The input Values, in order: () for a leaf; ``a + a`` gives ``(a, a)``."""
        first = self._first_parent
        if first is None:
            return ()
        second = self._second_parent
        return (first,) if second is None else (first, second)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent, in the order of ``parents``."""
        if self._first_parent is None:
            return ()
        if self._second_parent is None:
            return (self._first_local,)
        return (self._first_local, self._second_local)

    @property
    def op(self) -> str:
        """The name of the op that made this node ("mul"), or "" for a leaf."""
        return "" if self.operation is None else self.operation.name

    @property
    def role(self) -> str:
        """ "input", "constant", "parameter" (leaves) or "result" (made by an op)."""
        return self._role

    @role.setter
    def role(self, role: str) -> None:
        if self.operation is not None:
            raise ValueError(f"{self.describe()} was made by an op; only a leaf's role can change")
        if role not in LEAF_ROLES:
            raise ValueError(f"a leaf's role must be one of {LEAF_ROLES}, not {shortened(role)}")
        self._role = role

    # ------------------------------------------------------------ display
    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def describe(self) -> str:
        """How messages name this node: its label, or its op and creation id."""
        if self.label is not None:
            return f"node {shortened(self.label)}"
        if self.operation is not None:
            return f"node #{self.id} ({self.op})"
        return f"{self.role} node #{self.id} ({self.data!r})"

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        raise TypeError(
            "a Value has no truth value: compare it instead (v > 0 is a plain bool, "
            "computed on v.data); branching on a Value would hide the branch from the graph"
        )

    # ------------------------------------------------------------ graph
    def backward(self, seed: Number | Value = 1.0, *, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node this one depends on with seed · ∂self/∂node.

        ``seed`` is the upstream gradient (1 by default). Leaf gradients
        accumulate across calls (zero them with ``zero_grad``); intermediate
        gradients are recomputed from zero on every call. With ``create_graph``
        each ``.grad`` is a Value that can be differentiated again. See
        ``autograd.engine.backward.backward``.
        """
        backward_pass.backward(self, [seed], create_graph=create_graph)

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0.0 on this node and every node it depends on."""
        for node in backward_pass.ancestors([self]):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        return Value(self.data, self.label)

    # ------------------------------------------------------------ arithmetic
    # Each operator is the node maker of the op-table row it names, which holds the
    # forward function and the derivative. ``2 - v`` calls ``v.__rsub__(2)``: the
    # number goes first, as a constant node (a node maker takes a Value first).
    __add__ = node_maker(ADD)
    __sub__ = node_maker(SUB)
    __mul__ = node_maker(MUL)
    __truediv__ = node_maker(DIV)
    __pow__ = pow = node_maker(POW)
    __neg__ = node_maker(NEG)
    __abs__ = abs = node_maker(ABS)

    def __radd__(self, other: Operand) -> Value:
        return Value.__add__(_operand(other, ADD), self)

    def __rsub__(self, other: Operand) -> Value:
        return Value.__sub__(_operand(other, SUB), self)

    def __rmul__(self, other: Operand) -> Value:
        return Value.__mul__(_operand(other, MUL), self)

    def __rtruediv__(self, other: Operand) -> Value:
        return Value.__truediv__(_operand(other, DIV), self)

    def __rpow__(self, other: Operand) -> Value:
        return Value.__pow__(_operand(other, POW), self)

    def __pos__(self) -> Value:
        return self

    exp = node_maker(EXP)
    log = node_maker(LOG)
    sqrt = node_maker(SQRT)
    sin = node_maker(SIN)
    cos = node_maker(COS)
    tanh = node_maker(TANH)
    sigmoid = node_maker(SIGMOID)
    relu = node_maker(RELU)
    tan = node_maker(TAN)
    sinh = node_maker(SINH)
    cosh = node_maker(COSH)
    asin = node_maker(ASIN)
    acos = node_maker(ACOS)
    atan = node_maker(ATAN)
    asinh = node_maker(ASINH)
    acosh = node_maker(ACOSH)
    atanh = node_maker(ATANH)
    log2 = node_maker(LOG2)
    log10 = node_maker(LOG10)
    log1p = node_maker(LOG1P)
    expm1 = node_maker(EXPM1)
    exp2 = node_maker(EXP2)
    softplus = node_maker(SOFTPLUS)
    sign = node_maker(SIGN)
    erf = node_maker(ERF)
    # Two-input ops without an operator; ``y.atan2(x)`` is atan2(y, x).
    maximum = node_maker(MAX)
    minimum = node_maker(MIN)
    atan2 = node_maker(ATAN2)

    # ------------------------------------------------------------ comparisons
    # Plain bools on ``.data``, outside the graph (see the class docstring). ``2 < v``
    # calls ``v.__gt__(2)``. No ``__eq__``: ``==`` stays identity, Values are dict keys.
    def __lt__(self, other: Operand) -> bool:
        return self.data < _compared(other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _compared(other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _compared(other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _compared(other)


def _compared(other: Any) -> float:
    """The number a comparison with a Value reads from ``other``: its data, or itself."""
    if isinstance(other, Value):
        return other.data
    if isinstance(other, numbers.Real):
        return other
    raise TypeError(
        f"a Value compares with a Value or a real number, not {type(other).__name__} "
        f"{shortened(other)}"
    )


def display_names(order: Iterable[Value], write_number: Callable[[float], str]) -> dict[Value, str]:
    """A short name per node, for nodes given in topological order: the one naming
    rule of the drawings, step tables, paths and compiled code.

    A labelled node is called by its label, a constant by its number (``2``), and
    any other node by its op and a count per op in creation order (``mul1``,
    ``mul2``, ``add1``): the order a student reads the code in. An op whose name
    ends in a digit gets an underscore first (``log10_1``).
    """
    names: dict[Value, str] = {}
    counters: dict[str, int] = {}
    for node in order:
        if node.label is not None:
            names[node] = node.label
        elif node.role == "constant":
            names[node] = write_number(node.data)
        else:
            kind = node.op or node.role
            counters[kind] = counters.get(kind, 0) + 1
            separator = "_" if kind[-1].isdigit() else ""
            names[node] = f"{kind}{separator}{counters[kind]}"
    return names


def _row(op: Any) -> Op:
    """The op-table row for ``apply``'s first argument: an ``Op``, or a row's name."""
    if isinstance(op, Op):
        return op
    if isinstance(op, str) and op in OPS:
        return OPS[op]
    raise TypeError(
        f"apply needs an op-table row (autograd.OPS[...]) or its name, not "
        f"{shortened(op)}; the table has {', '.join(OPS)}"
    )


def _operand(x: Any, op: Op) -> Value:
    """A Value for an op's input ``x``: itself if it is one, else a new constant node."""
    if isinstance(x, Value):
        return x
    kind = x.__class__
    if kind is not float and kind is not int and not isinstance(x, numbers.Real):
        raise TypeError(
            f"unsupported operand for {op.name} ({op.description}): "
            f"{type(x).__name__} {shortened(x)}; use a number or a Value"
        )
    return _constant_leaf(_checked_number(x, op))


def _constant_leaf(data: float) -> Value:
    """A constant leaf holding ``data`` (already checked to be a finite float).

    Made without ``Value.__init__``, whose checks the caller has done: ``x * 2``
    takes 0.5 µs instead of 1.2 µs.
    """
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = None
    node.operation = None
    node._role = "constant"
    node._first_parent = node._second_parent = None
    node._first_local = node._second_local = 0.0
    node.id = next(_ids)
    return node


def _reason(error: Exception) -> str:
    """Why an op's forward function failed, in words: an OverflowError's text is a
    tuple such as (34, 'Numerical result out of range')."""
    if isinstance(error, OverflowError):
        return "the result is too large for a float (about 1.8e308 at most)"
    return str(error)


def _not_finite(out: float, inputs: tuple[Value, ...]) -> str:
    """Why a forward result is not finite: a non-finite input (a ``.data`` set by hand,
    which nothing checks), or an overflow."""
    for node in inputs:
        if not isfinite(node.data):
            return (
                f"{node.describe()} holds {node.data}, not a finite number (was its .data "
                "set by hand? Values hold finite numbers only)"
            )
    return f"the result {out} overflows the floats"


def _domain_error(op: Op, inputs: tuple[Value, ...], reason: str) -> DomainError:
    names = ", ".join(f"{node.describe()} = {node.data!r}" for node in inputs)
    return DomainError(f"{op.name} of {names}: {reason}")


_new = object.__new__


def apply(op: Op | str, first: Operand, second: Operand = _MISSING) -> Value:
    """The node for one op-table row applied to one or two inputs.

    Checks the row (an ``Op``, or its name) and the number of inputs, turns a number
    given first into a constant node, and hands over to the row's ``node_maker``.

    >>> apply(MUL, Value(3.0), 2).data
    6.0
    >>> apply("exp", 0.0).local_grads        # d/dx eˣ = eˣ, at x = 0
    (1.0,)
    """
    if op.__class__ is not Op:
        op = _row(op)
    if op.arity == 1:
        if second is not _MISSING:
            raise TypeError(f"{op.name} ({op.description}) takes 1 input, got 2")
        return node_maker(op)(_operand(first, op))
    if second is _MISSING:
        raise TypeError(f"{op.name} ({op.description}) takes {op.arity} inputs, got 1")
    return node_maker(op)(_operand(first, op), second)
