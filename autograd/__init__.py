"""pathgrad's engine: scalar reverse-mode automatic differentiation, for teaching.

>>> from autograd import Value
>>> x, y = Value(3.0, label="x"), Value(2.0, label="y")
>>> f = x**2 + x*y + (x + y)**2
>>> f.backward()
>>> x.grad, y.grad
(18.0, 13.0)

The public API:

* ``Value``: a node; arithmetic and ``.exp() .log() .sqrt() .sin() .cos() .tanh()
  .sigmoid() .relu() .abs()`` build the graph, ``.backward()`` fills ``.grad``.
* ``exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs``: the same ops as functions
  that also take plain numbers (``autograd.exp(v)``).
* ``grad(root, [x, y])``, ``value_and_grad(f)``, ``gradcheck(f, inputs)``.
* ``topological_order(root)``, ``backward_order(root)``: the graph's nodes in order.
* ``OPS``: the op table every derivative is read from; ``apply(name, *inputs)``.
* ``DomainError``: raised when an op or a gradient leaves the finite reals.
* ``draw(root)``: the graph as a picture (a ``graphviz.Digraph``: SVG in Jupyter,
  ``.save("graph.png")``); ``renderer()`` names the Graphviz that draws it (the
  system ``dot``, else the pip-installed graphviz-pure).
* ``backward_steps(root)``: the backward pass one node at a time, printed as a table
  (``grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10``); ``step_through(root)``: the same
  in a notebook, picture by picture; ``save_steps(root, "frames/")`` or
  ``save_steps(root, "steps.html")``: PNG/SVG frames and a GIF, or one HTML page.
* ``paths(root, x)``: every path from ``x`` to ``root`` with the product of its
  local derivatives; they sum to ∂root/∂x (``.total``, ``.matches_grad``).
"""

from autograd.draw import draw
from autograd.errors import DomainError
from autograd.export import save_steps
from autograd.functional import GradcheckReport, grad, gradcheck, value_and_grad
from autograd.ops import OPS, Op
from autograd.paths import paths
from autograd.render import renderer
from autograd.stepper import step_through
from autograd.steps import backward_steps
from autograd.traversal import backward_order, topological_order
from autograd.value import Value, apply, function_form

exp = function_form(OPS["exp"])
log = function_form(OPS["log"])
sqrt = function_form(OPS["sqrt"])
sin = function_form(OPS["sin"])
cos = function_form(OPS["cos"])
tanh = function_form(OPS["tanh"])
sigmoid = function_form(OPS["sigmoid"])
relu = function_form(OPS["relu"])
abs = function_form(OPS["abs"])  # noqa: A001 - autograd.abs(v), as the issue asks; not in __all__
# Any other one-input op of the table (neg, and any added later) is a function too.
for _op in OPS.values():
    if _op.arity == 1:
        globals().setdefault(_op.name, function_form(_op))

__version__ = "0.1.0"

__all__ = [
    "Value",
    "DomainError",
    "OPS",
    "Op",
    "apply",
    "grad",
    "value_and_grad",
    "gradcheck",
    "GradcheckReport",
    "topological_order",
    "backward_order",
    "draw",
    "renderer",
    "backward_steps",
    "step_through",
    "save_steps",
    "paths",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
]
