"""Making exercises: generated from a seed, or from a lecturer's own graph or model.

Every generator draws from its own ``random.Random(seed)``, so the same seed gives
the same exercise on every machine, and retries until every value and gradient is
a pleasant number (``Niceness``): small integers and simple fractions, ops inside
their domains, relu never at its kink, sigmoid only where it is exactly ½.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograd import Value, topological_order
from autograd.exercises.check import distinguishable
from autograd.exercises.exercise import (
    KINDS,
    Exercise,
    Pass,
    Question,
    SgdStep,
    grad_questions,
)
from autograd.exercises.formulas import definitions, formula_text
from autograd.exercises.numbers import Niceness, fraction_text

__all__ = [
    "generate",
    "graph_exercise",
    "steps_exercise",
    "network_exercise",
    "sgd_exercise",
    "exercise_from_function",
    "exercise_from_graph",
    "exercise_from_model",
    "formula_text",
    "DIFFICULTIES",
]

DIFFICULTIES = (1, 2, 3)
_ATTEMPTS = 2000

# difficulty → (inputs, fewest ops, most ops, reused nodes at least, ops)
_GRAPH_SHAPES = {
    1: (2, 3, 4, 1, ("add", "mul")),
    2: (2, 5, 6, 2, ("add", "mul", "sub", "square")),
    3: (3, 6, 8, 2, ("add", "mul", "sub", "square", "relu", "sigmoid")),
}
_INNER_NAMES = "abcdeghkmnpqrstuv"  # no f (the output), x, y, z (inputs), i, j, l, o (look-alikes)


def _checked_difficulty(difficulty: int) -> int:
    if isinstance(difficulty, bool) or difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be 1, 2 or 3, not {difficulty!r:.30}")
    return difficulty


def _is_nice(found: Pass, niceness: Niceness) -> bool:
    return all(niceness(node.data) and niceness(found.grads[node]) for node in found.order)


# ---------------------------------------------------------------- graph, steps
def _apply(op: str, operands: Sequence[Value]) -> Value:
    first = operands[0]
    if op == "add":
        return first + operands[1]
    if op == "mul":
        return first * operands[1]
    if op == "sub":
        return first - operands[1]
    if op == "square":
        return first**2
    if op == "relu":
        return first.relu()
    if op == "sigmoid":
        return first.sigmoid()
    raise ValueError(op)


def _random_graph(rng: random.Random, difficulty: int) -> Value | None:
    inputs, fewest, most, reused, ops = _GRAPH_SHAPES[difficulty]
    values = [1, 2, 3] if difficulty == 1 else [-3, -2, -1, 1, 2, 3]
    leaves = [Value(float(rng.choice(values)), label=name) for name in "xyz"[:inputs]]
    pool: list[Value] = list(leaves)
    uses = dict.fromkeys(pool, 0)

    def pick(exclude: Value | None = None) -> Value:
        fresh = [node for node in pool if uses[node] == 0 and node is not exclude]
        if fresh and rng.random() < 0.6:
            return rng.choice(fresh)
        return rng.choice([node for node in pool if node is not exclude])

    for _ in range(rng.randint(fewest, most)):
        op = rng.choice(ops)
        if op == "sigmoid":
            zeros = [node for node in pool if node.data == 0.0]
            if not zeros:
                op = "add"
            else:
                operands = [rng.choice(zeros)]
        if op in ("add", "mul", "sub"):
            first = pick()
            operands = [first, pick(exclude=first)]
        elif op in ("square", "relu"):
            operands = [pick()]
            if op == "relu" and operands[0].data == 0.0:
                return None  # the kink: not on this sheet
        node = _apply(op, operands)
        for operand in operands:
            uses[operand] += 1
        uses[node] = 0
        pool.append(node)
    unused = [node for node in pool[len(leaves) :] if uses[node] == 0]
    unused += [leaf for leaf in leaves if uses[leaf] == 0]
    root = unused[0]
    for other in unused[1:]:
        root = root + other
    order = topological_order(root)
    if any(leaf not in order for leaf in leaves):
        return None
    if sum(1 for node in order if node.role != "constant" and _uses(node, order) > 1) < reused:
        return None
    inner = [node for node in order if node.parents and node is not root]
    if len(inner) > len(_INNER_NAMES):
        return None
    for node, name in zip(inner, _INNER_NAMES):
        node.label = name
    root.label = "f"
    return root


def _uses(node: Value, order: Sequence[Value]) -> int:
    return sum(1 for other in order for parent in other.parents if parent is node)


def _unambiguous(found: Pass, answered: Sequence[Value]) -> bool:
    """Each classic mistake gives its own wrong numbers, both node by node and in the
    final answers, so ``check`` can tell a student which one they made."""
    everything = [node for node in found.order if node is not found.root]
    return distinguishable(found, everything) and distinguishable(found, answered)


def _graph_pass(seed: int, difficulty: int, niceness: Niceness) -> Pass:
    rng = random.Random(f"graph-{difficulty}-{seed}")
    fallback = None
    for _ in range(_ATTEMPTS):
        root = _random_graph(rng, difficulty)
        if root is None:
            continue
        found = Pass(root)
        if _is_nice(found, niceness):
            if _unambiguous(found, _leaves(found)):
                return found
            fallback = fallback or found
    if fallback is not None:  # pragma: no cover - every seed tried so far finds one
        return fallback
    raise RuntimeError(f"no pleasant graph found for seed {seed}")  # pragma: no cover


def _leaves(found: Pass) -> list[Value]:
    return sorted((node for node in found.order if not node.parents), key=lambda n: n.id)


def _graph_statement(found: Pass, task: str) -> str:
    leaves = _leaves(found)
    arguments = ", ".join(found.names[leaf] for leaf in leaves)
    givens = ", ".join(f"{found.names[leaf]} = {fraction_text(leaf.data)}" for leaf in leaves)
    lines = "; ".join(definitions(found))
    formula = formula_text(found.root, found.names)
    opening = (
        f"Let f({arguments}) = {formula}, at {givens}. "
        if len(formula) <= 60
        else (f"Let f({arguments}) be computed as below, at {givens}. ")
    )
    return f"{opening}Its computational graph has one node per operation: {lines}. {task}"


def graph_exercise(
    seed: int = 0, difficulty: int = 1, *, niceness: Niceness | None = None
) -> Exercise:
    """Problem sheet 5, exercise 1: draw the graph, find every ∂f/∂node as a sum over paths."""
    difficulty = _checked_difficulty(difficulty)
    niceness = niceness or Niceness()
    found = _graph_pass(seed, difficulty, niceness)
    return _exercise_of_graph(found, "graph", difficulty, seed, niceness)


def steps_exercise(
    seed: int = 0, difficulty: int = 1, *, niceness: Niceness | None = None
) -> Exercise:
    """The backward pass of a graph, row by row: every ``grad(p) += ∂c/∂p · grad(c)``."""
    difficulty = _checked_difficulty(difficulty)
    niceness = niceness or Niceness()
    found = _graph_pass(seed + 100_003, difficulty, niceness)
    return _exercise_of_graph(found, "steps", difficulty, seed, niceness)


_GRAPH_TASKS = {
    "graph": (
        "Draw the graph and write each edge's local derivative on it. Then find ∂f/∂node "
        "for every node: multiply the local derivatives along each path from the node to f, "
        "and add the products over all paths."
    ),
    "steps": (
        "Do the backward pass by hand, root first: start from grad(f) = 1 and, for each "
        "node and each of its inputs, write the row grad(input) += ∂node/∂input · grad(node). "
        "Give each node's final gradient (or the list of its += contributions)."
    ),
}


def _exercise_of_graph(
    found: Pass, kind: str, difficulty: int, seed: int | None, niceness: Niceness
) -> Exercise:
    root_name = found.names[found.root]
    inner = [node for node in found.order if node is not found.root and node.parents]
    leaves = _leaves(found)
    names = [found.names[node] for node in inner] + [found.names[leaf] for leaf in leaves]
    questions = grad_questions(found, names, root_name)
    formula = formula_text(found.root, found.names)
    title = {
        "graph": "Derivatives as a sum over paths",
        "steps": "The backward pass, row by row",
    }[kind] + (f": {root_name} = {formula}" if len(formula) <= 60 else "")
    return Exercise(
        kind=kind,
        difficulty=difficulty,
        seed=seed,
        title=title,
        statement=_graph_statement(found, _GRAPH_TASKS[kind]),
        passes=[found],
        questions=questions,
        niceness=niceness,
        nice=_is_nice(found, niceness),
    )


# ---------------------------------------------------------------- networks
_WEIGHTS = (-1.0, -0.5, 0.5, 1.0, 2.0)


def _half_squared_error(prediction: Value, target: float) -> Value:
    """L = ½(ŷ − y)², with the error e = ŷ − y as its own node (d = ŷ − y on the sheet)."""
    error = prediction - target
    error.label = "e"
    squared = error**2
    squared.label = "e²"
    loss = 0.5 * squared
    loss.label = "L"
    return loss


def _network_loss(difficulty: int, parameters: Mapping[str, float], x, y) -> Value:
    """Exercise 7 as scalars: linear, relu, linear, ½(ŷ − y)²."""

    def parameter(name: str) -> Value:
        return Value(parameters[name], label=name, role="parameter")

    inputs = [Value(value, label=f"x{i + 1}" if len(x) > 1 else "x") for i, value in enumerate(x)]
    if difficulty == 1:
        hidden = inputs[0] * parameter("w")
        hidden.label = "h"
        out = hidden.relu()
        out.label = "o"
        prediction = out * parameter("v")
    else:
        outs = []
        for j in (1, 2):
            terms = []
            for i, node in enumerate(inputs, start=1):
                term = node * parameter(f"w{i}{j}")
                term.label = f"{node.label}·w{i}{j}"
                terms.append(term)
            hidden = terms[0] + terms[1]
            if difficulty == 3:
                hidden.label = f"s{j}"
                hidden = hidden + parameter(f"b{j}")
            hidden.label = f"h{j}"
            out = hidden.relu()
            out.label = f"o{j}"
            weighted = out * parameter(f"v{j}")
            weighted.label = f"o{j}·v{j}"
            outs.append(weighted)
        prediction = outs[0] + outs[1]
    prediction.label = "ŷ"
    target = Value(y, label="y")
    return _half_squared_error(prediction, target)


def _network_parameter_names(difficulty: int) -> list[str]:
    if difficulty == 1:
        return ["w", "v"]
    names = [f"w{i}{j}" for i in (1, 2) for j in (1, 2)]
    if difficulty == 3:
        names += ["b1", "b2"]
    return names + ["v1", "v2"]


def _relu_at_kink(found: Pass) -> bool:
    return any(node.op == "relu" and node.parents[0].data == 0.0 for node in found.order)


def network_exercise(
    seed: int = 0, difficulty: int = 1, *, niceness: Niceness | None = None
) -> Exercise:
    """Problem sheet 5, exercise 7 with scalars: a forward and a backward pass with numbers."""
    difficulty = _checked_difficulty(difficulty)
    niceness = niceness or Niceness()
    rng = random.Random(f"network-{difficulty}-{seed}")
    names = _network_parameter_names(difficulty)
    for _ in range(_ATTEMPTS):
        parameters = {name: rng.choice(_WEIGHTS) for name in names}
        x = tuple(float(rng.choice((-2, -1, 1, 2, 3))) for _ in range(1 if difficulty == 1 else 2))
        y = float(rng.randint(-2, 3))
        found = Pass(_network_loss(difficulty, parameters, x, y))
        if _relu_at_kink(found) or not _is_nice(found, niceness):
            continue
        if found.grads[found.node("ŷ")] == 0.0:
            continue  # a perfect prediction leaves nothing to do
        if difficulty == 1 and found.node("h").data < 0:
            continue
        if not _unambiguous(found, [found.node(name) for name in names]):
            continue
        if difficulty > 1 and all(found.node(f"h{j}").data < 0 for j in (1, 2)):
            continue
        return _network_exercise(found, names, difficulty, seed, niceness, x, y)
    raise RuntimeError(f"no pleasant network found for seed {seed}")  # pragma: no cover


def _network_exercise(
    found: Pass,
    parameter_names: Sequence[str],
    difficulty: int,
    seed: int | None,
    niceness: Niceness,
    x: Sequence[float],
    y: float,
    *,
    title: str | None = None,
    description: str | None = None,
) -> Exercise:
    loss = found.names[found.root]
    forward = [
        node
        for node in reversed(found.order)
        if node.parents and "·" not in found.names[node] and not found.names[node][0].isdigit()
    ]
    if not forward:  # a graph with no names of its own (a model): every op node
        forward = [node for node in reversed(found.order) if node.parents]
    questions = [
        Question(
            f"value({found.names[node]})",
            "value",
            found.names[node],
            node.data,
            None,
            found.names[node],
        )
        for node in forward
    ]
    backward = [
        found.names[node] for node in found.order if node in forward and node is not found.root
    ]
    questions += grad_questions(found, backward + list(parameter_names), loss)
    values = ", ".join(
        f"{found.names[node]} = {fraction_text(node.data)}"
        for node in _leaves(found)
        if node.role != "parameter"
    )
    weights = ", ".join(
        f"{name} = {fraction_text(found.node(name).data)}" for name in parameter_names
    )
    if description is None:
        description = (
            "A small network: " + "; ".join(definitions(found)) + " (relu(h) = max(0, h))."
        )
    statement = (
        f"{description} The input and target are {values}; the parameters are {weights}. "
        "Do the forward pass (every node's value, and the loss), then the backward pass: "
        f"∂{loss}/∂node for every node on the way back and for every parameter."
    )
    return Exercise(
        kind="network",
        difficulty=difficulty,
        seed=seed,
        title=title
        or f"Forward and backward through a small network ({len(parameter_names)} weights)",
        statement=statement,
        passes=[found],
        questions=questions,
        niceness=niceness,
        nice=_is_nice(found, niceness),
        parameters=list(parameter_names),
    )


# ---------------------------------------------------------------- SGD
LossBuilder = Callable[[Mapping[str, float], Sequence[float], float], Value]


def _sgd_loss(difficulty: int) -> LossBuilder:
    def build(parameters: Mapping[str, float], x: Sequence[float], y: float) -> Value:
        def parameter(name: str) -> Value:
            return Value(parameters[name], label=name, role="parameter")

        inputs = [
            Value(value, label=f"x{i + 1}" if len(x) > 1 else "x") for i, value in enumerate(x)
        ]
        if difficulty == 1:
            product = parameter("w") * inputs[0]
            product.label = "w·x"
            prediction = product + parameter("b")
        elif difficulty == 2:
            hidden = parameter("w") * inputs[0]
            hidden.label = "h"
            out = hidden.sigmoid()
            out.label = "o"
            prediction = parameter("v") * out
        else:
            outs = []
            for j in (1, 2):
                terms = []
                for i, node in enumerate(inputs, start=1):
                    term = parameter(f"w{i}{j}") * node
                    term.label = f"w{i}{j}·{node.label}"
                    terms.append(term)
                hidden = terms[0] + terms[1]
                hidden.label = f"h{j}"
                out = hidden.sigmoid()
                out.label = f"o{j}"
                weighted = parameter(f"v{j}") * out
                weighted.label = f"v{j}·o{j}"
                outs.append(weighted)
            prediction = outs[0] + outs[1]
        prediction.label = "ŷ"
        return _half_squared_error(prediction, Value(y, label="y"))

    return build


_SGD_PARAMETERS = {
    1: ["w", "b"],
    2: ["w", "v"],
    3: ["w11", "w21", "w12", "w22", "v1", "v2"],
}


def _run_sgd(
    build: LossBuilder,
    start: Mapping[str, float],
    observations: Sequence[tuple[Sequence[float], float]],
    learning_rate: float,
) -> tuple[list[Pass], list[SgdStep]]:
    passes, steps = [], []
    parameters = dict(start)
    for number, (x, y) in enumerate(observations, start=1):
        found = Pass(build(parameters, x, y), step=number)
        grads = {name: found.grads[found.node(name)] for name in parameters}
        after = {name: parameters[name] - learning_rate * grads[name] for name in parameters}
        passes.append(found)
        steps.append(SgdStep(number, tuple(x), y, dict(parameters), grads, after))
        parameters = after
    return passes, steps


def sgd_exercise(
    seed: int = 0, difficulty: int = 2, *, niceness: Niceness | None = None
) -> Exercise:
    """Problem sheet 5, exercise 6: two SGD steps by hand.

    Difficulty 1: ŷ = w·x + b from small weights; 2: ŷ = v·σ(w·x) from zero
    weights (as on the sheet); 3: two sigmoid units, two inputs, zero weights.
    """
    difficulty = _checked_difficulty(difficulty)
    niceness = niceness or Niceness(denominator=64)
    rng = random.Random(f"sgd-{difficulty}-{seed}")
    names = _SGD_PARAMETERS[difficulty]
    build = _sgd_loss(difficulty)
    inputs = 2 if difficulty == 3 else 1
    for _ in range(_ATTEMPTS):
        if difficulty == 1:
            start = {name: float(rng.choice((-1, 0, 1, 2))) for name in names}
            learning_rate = rng.choice((0.5, 0.25, 1.0))
        else:
            start = dict.fromkeys(names, 0.0)
            learning_rate = rng.choice((1.0, 2.0)) if difficulty == 2 else 1.0
        observations = [
            (
                tuple(float(rng.choice((-2, -1, 1, 2, 3, 4))) for _ in range(inputs)),
                float(rng.choice((-2, -1, 1, 2, 3))),
            )
            for _ in range(2)
        ]
        passes, steps = _run_sgd(build, start, observations, learning_rate)
        if not all(_is_nice(found, niceness) for found in passes):
            continue
        if not all(niceness(value) for step in steps for value in step.after.values()):
            continue
        if any(grad == 0.0 for grad in steps[-1].grads.values()) and difficulty == 1:
            continue
        if difficulty > 1 and not any(steps[-1].grads[name] for name in names if name[0] == "w"):
            continue  # the point of the exercise: the first layer moves only in step 2
        return _sgd_exercise(
            passes, steps, names, learning_rate, difficulty, seed, niceness, build=build
        )
    raise RuntimeError(f"no pleasant SGD exercise found for seed {seed}")  # pragma: no cover


def _sgd_exercise(
    passes: list[Pass],
    steps: list[SgdStep],
    names: Sequence[str],
    learning_rate: float,
    difficulty: int,
    seed: int | None,
    niceness: Niceness,
    *,
    description: str | None = None,
    build: LossBuilder | None = None,
) -> Exercise:
    first = passes[0]
    loss = first.names[first.root]
    questions: list[Question] = []
    for found, step in zip(passes, steps):
        questions += grad_questions(found, names, loss)
        questions += [
            Question(
                f"{name} step {step.number}",
                "update",
                name,
                step.after[name],
                step.number,
                f"{name} after step {step.number}",
            )
            for name in names
        ]
    start = ", ".join(f"{name} = {fraction_text(value)}" for name, value in steps[0].before.items())

    def observation(step: Any) -> str:
        inputs = [fraction_text(v) for v in step.x]
        x = inputs[0] if len(inputs) == 1 else f"({', '.join(inputs)})"
        return f"x = {x}, y = {fraction_text(step.y)}"

    seen = "; then ".join(observation(step) for step in steps)
    count = "one step" if len(steps) == 1 else f"{len(steps)} steps"
    if description is None:
        sigmoid = any(node.op == "sigmoid" for node in first.order)
        description = (
            "The model: "
            + "; ".join(definitions(first))
            + (" (σ is the sigmoid)." if sigmoid else ".")
        )
    statement = (
        f"{description} Start from {start} and do {count} of SGD with learning rate "
        f"η = {fraction_text(learning_rate)}, one observation per step: {seen}. For each step, "
        "do the forward pass, find the gradient of the loss for every parameter by backprop, "
        "and update every parameter: p ← p − η·∂L/∂p."
    )
    return Exercise(
        kind="sgd",
        difficulty=difficulty,
        seed=seed,
        title=f"{count.capitalize()} of SGD by hand (η = {fraction_text(learning_rate)})",
        statement=statement,
        passes=passes,
        questions=questions,
        niceness=niceness,
        nice=all(_is_nice(found, niceness) for found in passes),
        learning_rate=learning_rate,
        sgd_steps=steps,
        parameters=list(names),
        loss_builder=build,
    )


# ---------------------------------------------------------------- a lecturer's own
def exercise_from_graph(
    root: Value, kind: str = "graph", *, title: str | None = None, niceness: Niceness | None = None
) -> Exercise:
    """A lecturer's own graph (any Value, built with the engine) as a "graph" or "steps"
    exercise. The graph is not changed: unnamed nodes are called as the views call
    them (``mul1``, ``add2``). ``exercise.nice`` says whether its numbers are pleasant."""
    if not isinstance(root, Value):
        raise TypeError(f"exercise_from_graph needs a Value, not {type(root).__name__}")
    if kind not in ("graph", "steps"):
        raise ValueError(f"a graph makes a 'graph' or 'steps' exercise, not {kind!r:.30}")
    exercise = _exercise_of_graph(Pass(root), kind, 1, None, niceness or Niceness())
    if title:
        exercise.title = title
    return exercise


def exercise_from_function(
    function: Callable[..., Value],
    kind: str = "graph",
    *,
    title: str | None = None,
    **values: float,
) -> Exercise:
    """``exercise_from_function(lambda x, y: x**2 + x*y, x=3, y=2)``: the function is
    called on Values named after its arguments; its inner nodes are named a, b, c, ...
    and the output f, as on the sheet."""
    inputs = {name: Value(float(value), label=name) for name, value in values.items()}
    root = function(**inputs)
    if not isinstance(root, Value):
        raise TypeError(f"the function must return a Value, not {type(root).__name__}")
    inner = [node for node in topological_order(root) if node.parents and node.label is None]
    for node, name in zip([n for n in inner if n is not root], _INNER_NAMES):
        node.label = name
    if root.label is None:
        root.label = "f"
    return exercise_from_graph(root, kind, title=title)


def exercise_from_model(
    model: Any,
    observations: Sequence[tuple[Sequence[float], float]],
    *,
    learning_rate: float | None = None,
    title: str | None = None,
) -> Exercise:
    """A small ``nn`` model with ½(ŷ − y)² as an exercise, in one call.

    Without ``learning_rate``: a "network" exercise (forward and backward) on the first
    observation. With it: an "sgd" exercise, one step per observation. The model is
    not changed (each step runs on a copy).
    """
    if not observations:
        raise ValueError("give at least one observation (x, y)")
    start = dict(model.state())

    def build(parameters: Mapping[str, float], x: Sequence[float], y: float) -> Value:
        copied = copy.deepcopy(model)
        for name, parameter in copied.named_parameters():
            parameter.data = float(parameters[name])
        prediction = copied([float(value) for value in x])
        if not isinstance(prediction, Value):
            raise ValueError("the model must have one output (a Value), not a list")
        prediction.label = "ŷ"
        return _half_squared_error(prediction, Value(float(y), label="y"))

    names = list(start)
    description = f"The network {model!r}, with L = ½(ŷ − y)²."
    if learning_rate is None:
        x, y = observations[0]
        found = Pass(build(start, x, y))
        return _network_exercise(
            found, names, 1, None, Niceness(), x, y, title=title, description=description
        )
    if not (isinstance(learning_rate, int | float) and math.isfinite(learning_rate)):
        raise ValueError(f"learning_rate must be a finite number, not {learning_rate!r:.30}")
    passes, steps = _run_sgd(build, start, observations, float(learning_rate))
    exercise = _sgd_exercise(
        passes,
        steps,
        names,
        float(learning_rate),
        1,
        None,
        Niceness(denominator=64),
        description=description,
        build=build,
    )
    if title:
        exercise.title = title
    return exercise


_GENERATORS = {
    "graph": graph_exercise,
    "network": network_exercise,
    "sgd": sgd_exercise,
    "steps": steps_exercise,
}


def generate(
    kind: str, count: int = 1, seed: int = 0, difficulty: int | None = None
) -> list[Exercise]:
    """``count`` exercises of ``kind``, the same for the same ``seed`` (number i: seed·1000 + i)."""
    if kind not in KINDS:
        raise ValueError(f"unknown exercise kind {kind!r:.30}; choose one of {', '.join(KINDS)}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
        raise ValueError(f"count must be a whole number from 1 to 100, not {count!r:.30}")
    if difficulty is None:
        difficulty = 2
    make = _GENERATORS[kind]
    return [make(seed * 1000 + index, difficulty) for index in range(count)]
