"""pathgrad: scalar reverse-mode automatic differentiation, for teaching.

>>> from autograd import Value
>>> x, y = Value(3.0, label="x"), Value(2.0, label="y")
>>> f = x**2 + x*y + (x + y)**2
>>> f.backward()
>>> x.grad, y.grad
(18.0, 13.0)

The engine (imported with this package; standard library only):

* ``Value``: a node; arithmetic, ``.pow()`` and ``.exp() .log() .sqrt() .sin() .cos()
  .tanh() .sigmoid() .relu() .abs()`` and the rest of the op table's ops build the
  graph, ``.backward()`` fills ``.grad``; ``< <= > >=`` compare ``.data`` (plain
  bools, not in the graph); ``==`` is identity.
* ``exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs, neg, tan, sinh, cosh, asin,
  acos, atan, asinh, acosh, atanh, log2, log10, log1p, expm1, exp2, softplus, sign,
  erf``: the same ops as functions that also take plain numbers (``autograd.exp(v)``,
  ``autograd.exp(0.5)``); ``maximum(a, b)``, ``minimum(a, b)``, ``atan2(y, x)``.
* ``grad(root, x)`` (a float) or ``grad(root, [x, y])`` (a tuple), ``value_and_grad(f)``,
  ``gradcheck(f, inputs)``: gradients as return values, no ``.grad`` touched;
  ``create_graph=True`` (also ``root.backward(create_graph=True)``) makes them Values
  to differentiate again; ``hessian``, ``hvp``, ``jacobian`` build on it.
* ``jvp(f, point, tangent)``, ``derivative(f)(x)``: forward mode.
* ``compile(root, inputs)``: the graph as straight-line Python (``.source``), replayed
  on new values without building Values.
* ``backward([a, b], [ga, gb])``: several roots with their seeds; ``no_grad()``: ops
  that build no graph; ``collector_paused()``: a training loop without Python's cycle
  collector (graphs have no cycles); ``define_op`` / ``check_op``: ops of your own.
* ``topological_order(root)``, ``backward_order(root)``: the graph's nodes in order.
* ``OPS``: the op table every derivative is read from; ``apply(row, x, y)``.
* ``DomainError``: raised when an op or a gradient leaves the finite reals.

The views (imported on first use; they never change ``.data`` or ``.grad``):

* ``draw(root)``: the graph as a picture (a ``graphviz.Digraph``: SVG in Jupyter,
  ``.save("graph.png")``); ``renderer()`` names the Graphviz that draws it.
* ``backward_steps(root)``: one fresh backward pass, one node at a time, as a table
  (``grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10``); ``step_through(root)``: the same
  in a notebook, picture by picture; ``save_steps(root, "frames/")`` or
  ``save_steps(root, "steps.html")``: PNG/SVG frames and a GIF, or one HTML page.
* ``paths(root, x)``: every path from ``x`` to ``root`` with the product of its
  local derivatives; they sum to ∂root/∂x (``.total``, ``.matches_grad``).
* ``forward_steps(root, {x: 1})``: forward mode node by node (``ċ = ∂c/∂x·ẋ + …``);
  ``mode_costs(outputs, inputs)``: forward against reverse mode, counted on the graph.
"""

from __future__ import annotations

import importlib
from typing import Any

from autograd.engine.backward import backward, backward_order, topological_order
from autograd.engine.collector import collector_paused
from autograd.engine.compiled import compile as compile  # autograd.compile; not in __all__
from autograd.engine.errors import DomainError
from autograd.engine.forward import derivative, jvp
from autograd.engine.functional import (
    GradcheckReport,
    grad,
    gradcheck,
    hessian,
    hvp,
    jacobian,
    value_and_grad,
)
from autograd.engine.functions import abs as abs  # autograd.abs(v); not in __all__ (a builtin)
from autograd.engine.functions import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cos,
    cosh,
    erf,
    exp,
    exp2,
    expm1,
    log,
    log1p,
    log2,
    log10,
    maximum,
    minimum,
    neg,
    relu,
    sigmoid,
    sign,
    sin,
    sinh,
    softplus,
    sqrt,
    tan,
    tanh,
)
from autograd.engine.ops import OPS, Op
from autograd.engine.user_ops import check_op, define_op, undefine_op
from autograd.engine.value import Value, apply, no_grad

__version__ = "0.2.0"

# The views need graphviz, Pillow and ipywidgets; they are imported when first
# named (``autograd.draw``), so the engine works without those libraries.
_VIEWS = {
    "draw": "autograd.views.drawing",
    "layout": "autograd.views.drawing",
    "renderer": "autograd.views.rendering",
    "backward_steps": "autograd.views.steps",
    "step_through": "autograd.views.stepper",
    "save_steps": "autograd.views.export",
    "paths": "autograd.views.paths",
    "forward_steps": "autograd.views.forward_steps",
    "mode_costs": "autograd.views.forward_steps",
}


def __getattr__(name: str) -> Any:
    if name in _VIEWS:
        try:
            module = importlib.import_module(_VIEWS[name])
        except ModuleNotFoundError as error:
            raise ImportError(
                f"autograd.{name} needs {error.name}, which is not installed; "
                f"pip install pathgrad installs it (or: pip install {error.name}). "
                "The engine itself (Value, backward, grad) needs nothing more."
            ) from error
        value = getattr(module, name)
        globals()[name] = value  # found directly next time
        return value
    if name in _NAMED_OTHERWISE:
        raise AttributeError(
            f"module 'autograd' has no attribute {name!r}; it is called "
            f"autograd.{_NAMED_OTHERWISE[name]}"
        )
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


# Names a user may guess, for the op of another name (``max`` is Python's own builtin).
_NAMED_OTHERWISE = {"max": "maximum", "min": "minimum", "ln": "log"}


def __dir__() -> list[str]:
    return sorted([*globals(), *_VIEWS])


# The views are left out, so ``from autograd import *`` needs none of their libraries.
__all__ = [
    "Value",
    "DomainError",
    "OPS",
    "Op",
    "apply",
    "no_grad",
    "collector_paused",
    "backward",
    "grad",
    "value_and_grad",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "derivative",
    "gradcheck",
    "GradcheckReport",
    "define_op",
    "undefine_op",
    "check_op",
    "topological_order",
    "backward_order",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "neg",
    "tan",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "atan",
    "asinh",
    "acosh",
    "atanh",
    "log2",
    "log10",
    "log1p",
    "expm1",
    "exp2",
    "softplus",
    "sign",
    "erf",
    "maximum",
    "minimum",
    "atan2",
]
