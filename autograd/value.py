"""``Value``: one node of a computation graph.

A Value holds a float (``data``), the Values it was computed from (``parents``)
and, for each parent, the local derivative of this node with respect to it
(``local_grads``), computed once when the node is made. The backward pass then only
multiplies and adds: ``parent.grad += local * node.grad`` along every edge.

Every operation is read from the op table in ``autograd.ops``.
"""

from __future__ import annotations

import itertools
import numbers
from typing import Any, Union

from autograd import traversal
from autograd.errors import DomainError
from autograd.ops import OPS, Op

__all__ = ["Value", "Number", "apply", "function_form"]

Number = int | float
Operand = Union["Value", int, float]  # noqa: UP007 - a forward reference

# Creation ids: a node is always made after its parents, so sorting by id is a
# topological order, the same on every run.
_next_id = itertools.count().__next__

_ROLES = ("input", "constant", "parameter", "result")


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
        op: the name of the op that made this node ("" for a leaf).
        parents: the input Values, in order; ``a + a`` has ``a`` twice.
        local_grads: ∂self/∂parent for each parent, in the same order.
        id: creation number; later nodes have larger ids.
        role: "input" (a leaf you made), "constant" (a number an op promoted),
            "parameter" (a weight of an ``nn`` module) or "result" (made by an op).
    """

    # A leaf has no op and an op's result has no other role, so one slot holds
    # whichever applies (``op`` and ``role`` read it): a node costs 8 bytes less.
    __slots__ = ("data", "grad", "label", "_op_or_role", "parents", "local_grads", "id")

    data: float
    grad: float
    label: str | None
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]
    id: int

    def __init__(self, data: Number, label: str | None = None, role: str = "input") -> None:
        if role not in _ROLES[:3]:
            raise ValueError(f"a leaf's role must be one of {_ROLES[:3]}, not {role!r}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value label must be a str or None, not {type(label).__name__}")
        self.data = _checked_number(data, f"Value({data!r})")
        self.grad = 0.0
        self.label = label
        self._op_or_role = role
        self.parents = ()
        self.local_grads = ()
        self.id = _next_id()

    @property
    def op(self) -> str:
        """The name of the op that made this node, or "" for a leaf."""
        return self._op_or_role if self.parents else ""

    @property
    def role(self) -> str:
        """ "input", "constant", "parameter" (leaves) or "result" (made by an op)."""
        return "result" if self.parents else self._op_or_role

    @role.setter
    def role(self, role: str) -> None:
        if self.parents:
            raise ValueError(f"{self.describe()} was made by an op; only a leaf's role can change")
        if role not in _ROLES[:3]:
            raise ValueError(f"a leaf's role must be one of {_ROLES[:3]}, not {role!r}")
        self._op_or_role = role

    # ------------------------------------------------------------ display
    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def describe(self) -> str:
        """How messages name this node: its label, or its op and creation id."""
        if self.label is not None:
            return f"node {self.label!r}"
        if self.op:
            return f"node #{self.id} ({self.op})"
        return f"{self.role} node #{self.id} ({self.data!r})"

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        raise TypeError(
            "a Value has no truth value: compare its data instead (v.data > 0); "
            "branching on a Value would hide the branch from the graph"
        )

    # ------------------------------------------------------------ graph
    def backward(self) -> None:
        """Fill ``.grad`` of every node this one depends on with ∂self/∂node.

        Leaf gradients accumulate across calls (zero them with ``zero_grad``);
        intermediate gradients are recomputed from zero on every call.
        """
        traversal.backward(self)

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0.0 on this node and every node it depends on."""
        for node in traversal.ancestors([self]):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph."""
        return Value(self.data, self.label)

    # ------------------------------------------------------------ arithmetic
    # Each method applies one op-table entry; the derivative lives in the table.
    def __add__(self, other: Operand) -> Value:
        return _binary(ADD, self, other)

    def __radd__(self, other: Operand) -> Value:
        return _binary(ADD, other, self)

    def __sub__(self, other: Operand) -> Value:
        return _binary(SUB, self, other)

    def __rsub__(self, other: Operand) -> Value:
        return _binary(SUB, other, self)

    def __mul__(self, other: Operand) -> Value:
        return _binary(MUL, self, other)

    def __rmul__(self, other: Operand) -> Value:
        return _binary(MUL, other, self)

    def __truediv__(self, other: Operand) -> Value:
        return _binary(DIV, self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return _binary(DIV, other, self)

    def __pow__(self, other: Operand) -> Value:
        return _binary(POW, self, other)

    def __rpow__(self, other: Operand) -> Value:
        return _binary(POW, other, self)

    def __neg__(self) -> Value:
        return _unary(NEG, self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _unary(ABS, self)

    def exp(self) -> Value:
        """eˣ; d/dx eˣ = eˣ."""
        return _unary(EXP, self)

    def log(self) -> Value:
        """ln x (x > 0); d/dx ln x = 1/x."""
        return _unary(LOG, self)

    def sqrt(self) -> Value:
        """√x (x ≥ 0); d/dx √x = 1/(2√x)."""
        return _unary(SQRT, self)

    def sin(self) -> Value:
        """sin x; d/dx sin x = cos x."""
        return _unary(SIN, self)

    def cos(self) -> Value:
        """cos x; d/dx cos x = −sin x."""
        return _unary(COS, self)

    def tanh(self) -> Value:
        """tanh x; d/dx tanh x = 1 − tanh² x."""
        return _unary(TANH, self)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e^(−x)); σ'(x) = σ(x)(1 − σ(x)). Stable for large |x|."""
        return _unary(SIGMOID, self)

    def relu(self) -> Value:
        """max(0, x); derivative 1 for x > 0, else 0 (0 at x = 0)."""
        return _unary(RELU, self)

    def abs(self) -> Value:
        """|x|; derivative sign(x) (0 at x = 0)."""
        return _unary(ABS, self)


# The table rows the methods use, looked up once.
ADD, SUB, MUL, DIV, POW = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["pow"]
NEG, ABS, EXP, LOG, SQRT = OPS["neg"], OPS["abs"], OPS["exp"], OPS["log"], OPS["sqrt"]
SIN, COS, TANH, SIGMOID, RELU = OPS["sin"], OPS["cos"], OPS["tanh"], OPS["sigmoid"], OPS["relu"]

_new = object.__new__


def _checked_number(x: Any, where: str) -> float:
    """``x`` as a finite float, or a clear TypeError / DomainError."""
    if x.__class__ is float:
        data = x
    elif isinstance(x, numbers.Real) and not isinstance(x, bool):
        data = float(x)
    elif isinstance(x, bool):
        data = float(x)
    else:
        raise TypeError(
            f"{where}: expected a real number (int or float) or a Value, "
            f"got {type(x).__name__} {x!r:.60}"
        )
    if data - data != 0.0:
        raise DomainError(f"{where}: Values hold finite real numbers only, got {data!r}")
    return data


def _operand(x: Any, op: Op) -> Value:
    """A Value for ``x``: itself if it is one, else a new constant node."""
    if x.__class__ is Value:
        return x
    if isinstance(x, Value):
        return x
    if not isinstance(x, numbers.Real):
        raise TypeError(
            f"unsupported operand for {op.name} ({op.description}): "
            f"{type(x).__name__} {x!r:.60}; use a number or a Value"
        )
    return Value(_checked_number(x, f"operand of {op.name}"), role="constant")


def _domain_error(op: Op, inputs: tuple[Value, ...], reason: str) -> DomainError:
    names = ", ".join(f"{node.describe()} = {node.data!r}" for node in inputs)
    return DomainError(f"{op.name} of {names}: {reason}")


def _binary(op: Op, left: Any, right: Any) -> Value:
    """Apply a two-input op: forward, domain check, local derivatives, new node."""
    if left.__class__ is not Value:
        left = _operand(left, op)
    if right.__class__ is not Value:
        right = _operand(right, op)
    x = left.data
    y = right.data
    if op.domain is not None:
        reason = op.domain(x, y)
        if reason is not None:
            raise _domain_error(op, (left, right), reason)
    try:
        out = op.forward(x, y)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(op, (left, right), f"{error} (overflow?)") from None
    if out - out != 0.0:
        raise _domain_error(op, (left, right), f"the result {out} overflows the floats")
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = None
    node._op_or_role = op.name
    node.parents = (left, right)
    node.local_grads = op.local_grads(x, y, out)
    node.id = _next_id()
    return node


def _unary(op: Op, operand: Value) -> Value:
    """Apply a one-input op (see ``_binary``)."""
    x = operand.data
    if op.domain is not None:
        reason = op.domain(x)
        if reason is not None:
            raise _domain_error(op, (operand,), reason)
    try:
        out = op.forward(x)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(op, (operand,), f"{error}") from None
    if out - out != 0.0:
        raise _domain_error(op, (operand,), f"the result {out} overflows the floats")
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = None
    node._op_or_role = op.name
    node.parents = (operand,)
    node.local_grads = op.local_grads(x, out)
    node.id = _next_id()
    return node


def apply(op: Op | str, *inputs: Operand) -> Value:
    """Apply an op-table entry (or its name) to Values or numbers.

    >>> apply("mul", Value(3.0), 2).data
    6.0
    """
    if isinstance(op, str):
        if op not in OPS:
            raise KeyError(f"no op named {op!r}; the op table has {', '.join(OPS)}")
        op = OPS[op]
    if len(inputs) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} input(s), got {len(inputs)}")
    if op.arity == 2:
        return _binary(op, inputs[0], inputs[1])
    return _unary(op, _operand(inputs[0], op))


def function_form(op: Op):
    """``autograd.exp`` and friends: a one-input op as a function of a Value or a number."""

    def function(x: Operand) -> Value:
        return _unary(op, _operand(x, op))

    function.__name__ = function.__qualname__ = op.name
    function.__doc__ = f"{op.description}.\n\nTakes a Value, or a number (made a constant node)."
    return function
