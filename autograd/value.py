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
from collections.abc import Callable
from typing import Any, Union

from autograd import traversal
from autograd.errors import DomainError
from autograd.ops import OPS, Op

__all__ = ["Value", "Number", "apply", "function_form", "binary_function", "unary_function"]

Number = int | float
Operand = Union["Value", int, float]  # noqa: UP007 - a forward reference

# Creation ids: a node is always made after its parents, so sorting by id is a
# topological order, the same on every run.
_next_id = itertools.count().__next__

_LEAF_ROLES = ("input", "constant", "parameter")  # and "result" for a node an op made

_new = object.__new__  # makes a node without running __init__'s checks


def _checked_number(x: Any, where: str) -> float:
    """``x`` as a finite float, or a clear TypeError / DomainError."""
    if x.__class__ is float:
        data = x
    elif isinstance(x, numbers.Real):  # int, bool, Fraction, numpy floats
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


def binary_function(op: Op) -> Callable[[Any, Any], Value]:
    """A two-input op-table row as a fast function ``(left, right) -> Value``.

    Numbers become constant nodes; then: check the domain, compute the output,
    refuse a non-finite one, compute the local derivatives, make the node.
    """
    name, forward, local_grads, domain = op.name, op.forward, op.local_grads, op.domain

    def apply_binary(left: Value, right: Any) -> Value:
        if right.__class__ is not Value:  # left is a Value: ``reflected`` sees to that
            right = _operand(right, op)
        x = left.data
        y = right.data
        if domain is not None:
            reason = domain(x, y)
            if reason is not None:
                raise _domain_error(op, (left, right), reason)
        try:
            out = forward(x, y)
        except (ArithmeticError, ValueError) as error:
            raise _domain_error(op, (left, right), f"{error} (overflow?)") from None
        if out - out != 0.0:  # inf or nan, without a function call
            raise _domain_error(op, (left, right), f"the result {out} overflows the floats")
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node.label = None
        node._op_or_role = name
        node._first_parent = left
        node._second_parent = right
        node._first_local, node._second_local = local_grads(x, y, out)
        node.id = _next_id()
        return node

    apply_binary.__name__ = apply_binary.__qualname__ = name
    apply_binary.__doc__ = (
        f"{op.description}; local derivatives {', '.join(op.formulas('x', 'y'))}."
    )
    return apply_binary


def unary_function(op: Op) -> Callable[[Value], Value]:
    """A one-input op-table row as a fast function ``(operand) -> Value`` (see above)."""
    name, forward, local_grads, domain = op.name, op.forward, op.local_grads, op.domain

    def apply_unary(operand: Value) -> Value:
        x = operand.data
        if domain is not None:
            reason = domain(x)
            if reason is not None:
                raise _domain_error(op, (operand,), reason)
        try:
            out = forward(x)
        except (ArithmeticError, ValueError) as error:
            raise _domain_error(op, (operand,), str(error)) from None
        if out - out != 0.0:
            raise _domain_error(op, (operand,), f"the result {out} overflows the floats")
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node.label = None
        node._op_or_role = name
        node._first_parent = operand
        node._second_parent = None
        (node._first_local,) = local_grads(x, out)
        node._second_local = 0.0
        node.id = _next_id()
        return node

    apply_unary.__name__ = apply_unary.__qualname__ = name
    apply_unary.__doc__ = f"{op.description}; local derivative {op.formulas('x')[0]}."
    return apply_unary


# Every op of the table as a function of Values, made once.
OP_FUNCTIONS: dict[str, Callable[..., Value]] = {
    op.name: binary_function(op) if op.arity == 2 else unary_function(op) for op in OPS.values()
}


def reflected(op: Op) -> Callable[[Value, Any], Value]:
    """``2 - v`` calls ``v.__rsub__(2)``: the op with the number, made a constant, on the left."""
    apply_binary = OP_FUNCTIONS[op.name]

    def swapped(self: Value, other: Any) -> Value:
        return apply_binary(_operand(other, op), self)

    swapped.__name__ = swapped.__qualname__ = f"reflected_{op.name}"
    swapped.__doc__ = f"{apply_binary.__doc__} (with the number on the left)"
    return swapped


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
        local_grads: ∂self/∂parent for each parent, in the same order, computed
            once, when the node is made.
        id: creation number; later nodes have larger ids.
        role: "input" (a leaf you made), "constant" (a number an op promoted),
            "parameter" (a weight of an ``nn`` module) or "result" (made by an op).
    """

    # Every op has one or two inputs, so a node keeps its parents and local
    # derivatives in four slots rather than two tuples: a tuple of Values is one
    # more object for Python's garbage collector to track, and tracking was most
    # of the time spent building a graph (``parents`` and ``local_grads`` make
    # the tuples when asked). A leaf has no op and an op's result has no other
    # role, so one slot holds whichever applies (``op`` and ``role`` read it).
    __slots__ = (
        "data",
        "grad",
        "label",
        "_op_or_role",
        "_first_parent",
        "_second_parent",
        "_first_local",
        "_second_local",
        "id",
    )

    data: float
    grad: float
    label: str | None
    id: int

    def __init__(self, data: Number, label: str | None = None, role: str = "input") -> None:
        if role not in _LEAF_ROLES:
            raise ValueError(f"a leaf's role must be one of {_LEAF_ROLES}, not {role!r}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value label must be a str or None, not {type(label).__name__}")
        self.data = _checked_number(data, f"Value({data!r})")
        self.grad = 0.0
        self.label = label
        self._op_or_role = role
        self._first_parent = None
        self._second_parent = None
        self._first_local = 0.0
        self._second_local = 0.0
        self.id = _next_id()

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
        """The name of the op that made this node, or "" for a leaf."""
        return "" if self._first_parent is None else self._op_or_role

    @property
    def role(self) -> str:
        """ "input", "constant", "parameter" (leaves) or "result" (made by an op)."""
        return self._op_or_role if self._first_parent is None else "result"

    @role.setter
    def role(self, role: str) -> None:
        if self._first_parent is not None:
            raise ValueError(f"{self.describe()} was made by an op; only a leaf's role can change")
        if role not in _LEAF_ROLES:
            raise ValueError(f"a leaf's role must be one of {_LEAF_ROLES}, not {role!r}")
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
    # Each method is one op-table row made into a function by ``binary_function``
    # or ``unary_function`` above: the derivative lives in the table, not here.
    __add__ = OP_FUNCTIONS["add"]
    __sub__ = OP_FUNCTIONS["sub"]
    __mul__ = OP_FUNCTIONS["mul"]
    __truediv__ = OP_FUNCTIONS["div"]
    __pow__ = OP_FUNCTIONS["pow"]
    __radd__ = reflected(OPS["add"])
    __rsub__ = reflected(OPS["sub"])
    __rmul__ = reflected(OPS["mul"])
    __rtruediv__ = reflected(OPS["div"])
    __rpow__ = reflected(OPS["pow"])
    __neg__ = OP_FUNCTIONS["neg"]
    __abs__ = OP_FUNCTIONS["abs"]
    exp = OP_FUNCTIONS["exp"]
    log = OP_FUNCTIONS["log"]
    sqrt = OP_FUNCTIONS["sqrt"]
    sin = OP_FUNCTIONS["sin"]
    cos = OP_FUNCTIONS["cos"]
    tanh = OP_FUNCTIONS["tanh"]
    sigmoid = OP_FUNCTIONS["sigmoid"]
    relu = OP_FUNCTIONS["relu"]
    abs = OP_FUNCTIONS["abs"]

    def __pos__(self) -> Value:
        return self


# The named methods above are for readers and type checkers; a one-input op added
# to the table later is a method at once (``v.softplus()``), with no line here.
for _op in OPS.values():
    if _op.arity == 1 and not hasattr(Value, _op.name):
        setattr(Value, _op.name, OP_FUNCTIONS[_op.name])


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
        return OP_FUNCTIONS[op.name](_operand(inputs[0], op), inputs[1])
    return OP_FUNCTIONS[op.name](_operand(inputs[0], op))


def function_form(op: Op):
    """``autograd.exp`` and friends: a one-input op as a function of a Value or a number."""

    apply_unary = OP_FUNCTIONS[op.name]

    def function(x: Operand) -> Value:
        return apply_unary(x if x.__class__ is Value else _operand(x, op))

    function.__name__ = function.__qualname__ = op.name
    function.__doc__ = f"{op.description}.\n\nTakes a Value, or a number (made a constant node)."
    return function
