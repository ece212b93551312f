"""What an exercise is: the graphs to differentiate, the questions and their answers.

An ``Exercise`` holds one or more ``Pass`` objects (one graph each: an SGD exercise
has one per step) and a list of ``Question`` objects, each with its right answer.
The answers come from the engine's ``chain_rule`` (gradients) and ``.data``
(values); nothing here is computed twice by hand.

Answer keys are short text, the same in ``check`` and on the sheets:

* ``grad(x)``: ∂(output)/∂x (``x`` alone means the same);
* ``value(h)``: the forward value of node ``h``;
* ``grad(w) step 1``, ``w step 1``: in an SGD exercise, the gradient in step 1 and
  the parameter after step 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from autograd import Value, backward_order
from autograd.engine.backward import Contribution, chain_rule
from autograd.exercises.numbers import Niceness
from autograd.views.format import node_names

__all__ = ["Pass", "Question", "SgdStep", "Exercise", "KINDS", "NotAskedError", "normal_key"]

KINDS = ("graph", "network", "sgd", "steps")
"""The exercise kinds: as problem sheet 5's exercises 1, 7, 6, and a backward table."""


class Pass:
    """One graph and its backward pass: the numbers every answer is checked against.

    Attributes:
        root: the output (the loss, or f).
        step: the SGD step this graph belongs to (None outside SGD).
        names: the display name of every node (``autograd.views.format.node_names``).
        grads: ∂root/∂node for every node, from ``chain_rule``.
        record: every edge ``chain_rule`` applied, in order.
    """

    def __init__(self, root: Value, step: int | None = None) -> None:
        self.root = root
        self.step = step
        self.names = node_names(root)
        self.record: list[Contribution] = []
        self.grads = chain_rule(root, self.record)
        self.order = [node for node in backward_order(root) if node.role != "constant"]
        self.by_name = {self.names[node]: node for node in self.order}

    def node(self, name: str) -> Value:
        """The node called ``name``; KeyError naming the known ones otherwise."""
        try:
            return self.by_name[name]
        except KeyError:
            known = ", ".join(self.by_name)
            raise KeyError(f"no node called {name!r} in this graph (nodes: {known})") from None

    def contributions(self, node: Value) -> list[float]:
        """The amounts the pass adds to grad(node), in order (one per edge that reaches it)."""
        return [c.contribution for c in self.record if c.parent is node]

    def uses(self, node: Value) -> int:
        """How many edges leave ``node`` (a reused node has more than one)."""
        return sum(1 for other in self.order for parent in other.parents if parent is node)

    @property
    def suffix(self) -> str:
        return "" if self.step is None else f" step {self.step}"


class NotAskedError(KeyError):
    """A key that names no question on the sheet: a KeyError that prints its message
    as written (a plain KeyError shows it in quotes)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Question:
    """One blank on the sheet and its right answer.

    Attributes:
        key: the answer key (``grad(x)``, ``value(h)``, ``w step 1``, ``grad(w) step 1``).
        what: "grad", "value" or "update" (a parameter after an SGD step).
        name: the node's (or parameter's) name.
        answer: the right number.
        step: the SGD step (None outside SGD).
        prompt: how the sheet asks for it: ``∂f/∂x``, ``h``, ``w after step 1``.
    """

    key: str
    what: str
    name: str
    answer: float
    step: int | None = None
    prompt: str = ""


@dataclass(frozen=True)
class SgdStep:
    """One SGD step: the observation, the parameters before and after, the gradients."""

    number: int
    x: tuple[float, ...]
    y: float
    before: Mapping[str, float]
    grads: Mapping[str, float]
    after: Mapping[str, float]


_STEP = re.compile(r"^(?P<body>.+?)\s+step\s+(?P<step>\d+)$")
_WRAPPED = re.compile(r"^(?P<what>grad|value)\((?P<name>.+)\)$")


def normal_key(key: str) -> tuple[str, str, int | None]:
    """``"grad(w) step 1"`` → ("grad", "w", 1); ``"x"`` → ("grad", "x", None);
    ``"w step 2"`` → ("update", "w", 2)."""
    text = " ".join(str(key).split())
    step = None
    matched = _STEP.match(text)
    if matched:
        text, step = matched["body"], int(matched["step"])
    wrapped = _WRAPPED.match(text)
    if wrapped:
        return wrapped["what"], wrapped["name"], step
    return ("update" if step is not None else "grad"), text, step


@dataclass(eq=False)
class Exercise:
    """A problem and its solution: what the sheet asks, and every right answer.

    Attributes:
        kind: one of ``KINDS``.
        difficulty: 1 (small), 2 or 3 (larger graphs, reused nodes, more ops).
        seed: the seed it was generated from (None for a lecturer's own).
        title: one line.
        statement: the problem, as Markdown.
        passes: the graphs (one per SGD step).
        questions: the blanks, in working order.
        niceness: the range the numbers were chosen in.
        nice: whether every value and gradient is within it.
        learning_rate, sgd_steps: for SGD exercises; ``loss_builder(parameters, x, y)``
            builds one step's graph (to recompute a step with other weights).
    """

    kind: str
    difficulty: int
    seed: int | None
    title: str
    statement: str
    passes: list[Pass]
    questions: list[Question]
    niceness: Niceness = field(default_factory=Niceness)
    nice: bool = True
    learning_rate: float | None = None
    sgd_steps: list[SgdStep] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    loss_builder: Callable[..., Value] | None = field(default=None, repr=False)

    @property
    def root(self) -> Value:
        """The (first) graph's output."""
        return self.passes[0].root

    def answers(self) -> dict[str, float]:
        """Every right answer by key: the solution as numbers."""
        return {question.key: question.answer for question in self.questions}

    def question(self, key: str) -> Question:
        """The question a student's key names (``x`` and ``grad(x)`` are the same)."""
        what, name, step = normal_key(key)
        for question in self.questions:
            if (question.what, question.name, question.step) == (what, name, step):
                return question
        raise NotAskedError(
            f"{key!r} is not asked on this sheet; the keys are "
            + ", ".join(question.key for question in self.questions)
        )

    def pass_for(self, step: int | None) -> Pass:
        for found in self.passes:
            if found.step == step:
                return found
        raise KeyError(f"no step {step} in this exercise")

    def all_numbers(self) -> list[float]:
        """Every forward value and gradient of every graph (constants' gradients left out)."""
        numbers: list[float] = []
        for found in self.passes:
            for node in found.order:
                numbers.extend((node.data, found.grads[node]))
        for step in self.sgd_steps:
            numbers.extend(step.after.values())
        return numbers

    def __repr__(self) -> str:
        return f"<Exercise {self.kind} (difficulty {self.difficulty}): {self.title}>"


def grad_questions(found: Pass, names: Sequence[str], output: str) -> list[Question]:
    """``grad(name)`` questions for the named nodes of ``found``, in the order given."""
    questions = []
    for name in names:
        node = found.node(name)
        key = f"grad({name}){found.suffix}"
        prompt = f"∂{output}/∂{name}" + (f" in step {found.step}" if found.step else "")
        questions.append(Question(key, "grad", name, found.grads[node], found.step, prompt))
    return questions
