"""Marking a student's working: ``check(exercise, answers)``.

Every wrong answer is explained by recomputing the backward pass with each classic
mistake made once, from the engine's own data (``node.parents``, ``node.local_grads``
and the edges ``chain_rule`` records), and keeping the mistake that reproduces the
student's numbers best:

* ``forgot_path``: a reused node's contributions not all added (a path left out);
* ``local_derivative``: a wrong local derivative (d/dx x² = x, d/dx σ = σ, the sign
  of a subtraction, d/dx relu = 1 where the input is negative, ...);
* ``multiplied``: the contributions to a reused node multiplied instead of added;
* ``no_upstream``: the local derivative passed on without the upstream gradient;
* ``sgd_sign``, ``sgd_learning_rate``, ``sgd_old_weight``, ``sgd_stale_weights``:
  an SGD step with the wrong sign, without η, without the old weight, or from the
  weights before the previous step.

Feedback is one sentence a student can act on.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from autograd import Value
from autograd.engine.backward import ancestors
from autograd.exercises.exercise import Exercise, Pass
from autograd.exercises.formulas import formula_text
from autograd.exercises.numbers import as_number, fraction_text, same

__all__ = ["Variant", "variants", "distinguishable", "check", "Verdict", "Report", "MISTAKES"]

MISTAKES = (
    "forgot_path",
    "local_derivative",
    "no_upstream",
    "multiplied",
    "sgd_sign",
    "sgd_learning_rate",
    "sgd_old_weight",
    "sgd_stale_weights",
    "carried",
    "unknown",
)
"""Every diagnosis ``check`` gives, most likely first (ties go to the earlier one)."""


# ---------------------------------------------------------------- wrong passes
@dataclass(eq=False)
class Variant:
    """The backward pass of one graph with one classic mistake made once.

    Attributes:
        mistake: one of ``MISTAKES``.
        site: the node where the mistake is made (the child of the edge for
            ``forgot_path`` and ``local_derivative``, the reused node for
            ``multiplied``).
        position: the edge's operand position (``forgot_path``, ``local_derivative``).
        grads: the gradient every node then gets.
        contributions: the += amounts each node then receives, in order.
        explain: the one sentence, given the name of the answer it explains.
        row: the correct row of the backward table where the mistake happens.
    """

    mistake: str
    site: Value
    position: int | None
    grads: dict[Value, float]
    contributions: dict[Value, list[float]]
    explain: Callable[[str], str]
    row: str = ""
    rows: Callable[[str], str] | None = None

    def row_for(self, name: str) -> str:
        """The correct row where the mistake happens, on the way to the answer ``name``."""
        return self.rows(name) if self.rows is not None else self.row


def _replay(
    found: Pass,
    *,
    local: Callable[[Value, int, float], float] | None = None,
    drop: tuple[Value, int] | None = None,
    multiply_at: Value | None = None,
    no_upstream_at: Value | None = None,
) -> tuple[dict[Value, float], dict[Value, list[float]]]:
    """The backward pass, replayed over the engine's edges, with one thing changed."""
    grads: dict[Value, float] = {}
    received: dict[Value, list[float]] = {}
    for node in sorted(found.grads, key=lambda n: n.id, reverse=True):
        amounts = received.get(node, [])
        if node is found.root:
            upstream = 1.0 + sum(amounts)
        elif node is multiply_at and len(amounts) > 1:
            upstream = 1.0
            for amount in amounts:
                upstream *= amount
        else:
            upstream = sum(amounts)
        grads[node] = upstream
        for position, (parent, derivative) in enumerate(zip(node.parents, node.local_grads)):
            if drop == (node, position):
                continue
            if local is not None:
                derivative = local(node, position, derivative)
            amount = derivative if node is no_upstream_at else derivative * upstream
            received.setdefault(parent, []).append(amount)
    return grads, received


def _wrong_local(node: Value, position: int) -> tuple[float, str] | None:
    """A classic wrong local derivative for this edge: (the wrong number, what is right
    and what the slip was); None where there is no classic slip."""
    op = node.op
    parents = node.parents
    if op == "pow" and parents[1].role == "constant" and parents[1].data not in (0.0, 1.0):
        if position == 1:
            return None
        n, base = parents[1].data, parents[0].data
        if n == 2:
            return base, "the derivative of u² is 2u, not u"
        power, lower = fraction_text(n), fraction_text(n - 1)
        return base ** (n - 1), f"d/dx x^{power} is {power}·x^{lower}, not x^{lower}"
    if op == "sigmoid":
        return node.data, "σ′ is σ(1 − σ), not σ"
    if op == "tanh":
        return node.data, "tanh′ is 1 − tanh², not tanh"
    if op == "sub" and position == 1:
        return 1.0, "the second input of a subtraction gets −1, not +1"
    if op == "neg":
        return 1.0, "∂(−x)/∂x is −1, not +1"
    if op == "relu" and parents[0].data < 0:
        return 1.0, "relu′ is 0 where its input is negative, not 1"
    if op == "mul" and parents[0] is not parents[1]:
        own = parents[position].data
        if own != parents[1 - position].data:
            return own, "∂(a·b)/∂a is the other factor b, not a"
    if op == "div" and position == 1:
        return -node.local_grads[1], "∂(a/b)/∂b is −a/b², with a minus"
    return None


def _factor(number: float) -> str:
    text = fraction_text(number)
    return f"({text})" if text.startswith("-") else text


def _route(found: Pass, start: Value, edge: tuple[Value, int]) -> str:
    """One path from ``start`` to the root through ``edge``, as ``x → c → e → f``."""
    child, position = edge
    names = found.names

    def down(node: Value, target: Value) -> list[Value] | None:  # node … target, via parents
        if node is target:
            return [node]
        for parent in node.parents:
            tail = down(parent, target)
            if tail is not None:
                return [node, *tail]
        return None

    below = down(child.parents[position], start)
    above = _up(found, child)
    if below is None or above is None:
        return ""
    nodes = list(reversed(below)) + [child] + above[1:]
    return " → ".join(names[node] for node in nodes)


def _up(found: Pass, node: Value) -> list[Value] | None:
    """One chain from ``node`` up to the root: ``node``, its user, ..., root."""
    chain = [node]
    current = node
    while current is not found.root:
        users = [other for other in found.grads if current in other.parents]
        if not users:
            return None
        current = min(users, key=lambda n: n.id)
        chain.append(current)
    return chain


def _row(found: Pass, child: Value, position: int) -> str:
    names = found.names
    parent = child.parents[position]
    local = child.local_grads[position]
    upstream = found.grads[child]
    return (
        f"grad({names[parent]}) += ∂{names[child]}/∂{names[parent]} · grad({names[child]}) = "
        f"{_factor(local)} · {_factor(upstream)} = {fraction_text(local * upstream)}"
    )


def variants(found: Pass) -> list[Variant]:
    """The backward pass of ``found`` with each classic mistake made once, everywhere
    it can be made (a list; the right pass is not in it)."""
    names = found.names
    made: list[Variant] = []
    nodes = sorted(found.grads, key=lambda n: n.id, reverse=True)
    for child in nodes:
        for position, parent in enumerate(child.parents):
            if parent.role == "constant":
                continue
            if found.uses(parent) > 1:
                grads, received = _replay(found, drop=(child, position))
                edge = (child, position)

                def explain(name: str, edge=edge) -> str:
                    start = found.by_name.get(name)
                    route = _route(found, start, edge) if start is not None else ""
                    route = route or f"{names[edge[0].parents[edge[1]]]} → {names[edge[0]]}"
                    return (
                        f"grad({name}) misses the path {route}: a reused node adds the "
                        "contributions of all its uses."
                    )

                made.append(
                    Variant(
                        "forgot_path",
                        child,
                        position,
                        grads,
                        received,
                        explain,
                        _row(found, child, position),
                    )
                )
            wrong = _wrong_local(child, position)
            if wrong is not None:
                number, slip = wrong

                def changed(
                    node: Value,
                    where: int,
                    derivative: float,
                    child=child,
                    position=position,
                    number=number,
                ) -> float:
                    return number if (node, where) == (child, position) else derivative

                grads, received = _replay(found, local=changed)

                def explain(name: str, child=child, position=position, slip=slip) -> str:
                    parent = names[child.parents[position]]
                    value = fraction_text(child.local_grads[position])
                    return (
                        f"grad({name}) has a wrong local derivative at {names[child]} = "
                        f"{_formula(found, child)}: {slip} "
                        f"(∂{names[child]}/∂{parent} = {value} here)."
                    )

                made.append(
                    Variant(
                        "local_derivative",
                        child,
                        position,
                        grads,
                        received,
                        explain,
                        _row(found, child, position),
                    )
                )
        if child.parents and found.grads[child] not in (0.0, 1.0):
            grads, received = _replay(found, no_upstream_at=child)

            def explain(name: str, child=child) -> str:
                return (
                    f"grad({name}) leaves out grad({names[child]}) = "
                    f"{fraction_text(found.grads[child])} at {names[child]}: each local "
                    "derivative is multiplied by the gradient arriving from above."
                )

            def rows(name: str, child=child) -> str:
                target = found.by_name.get(name)
                for position, parent in enumerate(child.parents):
                    if target is not None and target in ancestors([parent]):
                        return _row(found, child, position)
                return _row(found, child, 0)

            made.append(Variant("no_upstream", child, None, grads, received, explain, rows=rows))
        amounts = found.contributions(child)
        if len(amounts) > 1 and child.role != "constant":
            grads, received = _replay(found, multiply_at=child)

            def explain(name: str, child=child, amounts=amounts) -> str:
                terms = [fraction_text(amount) for amount in amounts]
                total = fraction_text(found.grads[child])
                return (
                    f"grad({name}) multiplies the contributions to {names[child]} "
                    f"({', '.join(terms)}); the contributions of a reused node are added: "
                    f"{' + '.join(terms)} = {total}."
                ).replace("+ -", "− ")

            made.append(
                Variant(
                    "multiplied",
                    child,
                    None,
                    grads,
                    received,
                    explain,
                    f"grad({names[child]}) = "
                    + " + ".join(fraction_text(a) for a in amounts).replace("+ -", "− ")
                    + f" = {fraction_text(found.grads[child])}",
                )
            )
    return made


def distinguishable(found: Pass, nodes: Sequence[Value]) -> bool:
    """Whether every classic mistake that changes the answers at ``nodes`` changes them
    differently from every other kind of mistake, so the diagnosis is never a guess."""
    kinds: dict[tuple[float, ...], set[str]] = {}
    right = tuple(round(found.grads[node], 9) for node in nodes)
    for variant in variants(found):
        signature = tuple(round(variant.grads[node], 9) for node in nodes)
        if signature != right:
            kinds.setdefault(signature, set()).add(variant.mistake)
    return all(len(mistakes) == 1 for mistakes in kinds.values())


def _formula(found: Pass, node: Value) -> str:
    return formula_text(node, found.names, expand=False)


# ---------------------------------------------------------------- the report
@dataclass(frozen=True)
class Verdict:
    """One answer marked.

    Attributes:
        key: the answer's key (``grad(x)``, ``w step 1``, ...).
        given: what the student wrote, as a number (a list for += contributions).
        expected: the right number (a list for contributions).
        correct: whether it is right (decimals to 3 places are accepted).
        mistake: the diagnosis (one of ``MISTAKES``), None when correct.
        step: the row of the backward table (or the SGD update) where it went wrong.
        feedback: one sentence.
        alternatives: other classic mistakes that give exactly the same numbers
            (a product of 1 and c is c, as is forgetting the 1): as likely.
    """

    key: str
    given: float | tuple[float, ...]
    expected: float | tuple[float, ...]
    correct: bool
    mistake: str | None = None
    step: str = ""
    feedback: str = ""
    alternatives: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.correct:
            return f"{self.key}: correct"
        return f"{self.key}: wrong — {self.feedback}"


@dataclass
class Report:
    """Every answer marked, in working order; ``first_wrong`` is the first wrong one."""

    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def all_correct(self) -> bool:
        return all(verdict.correct for verdict in self.verdicts)

    @property
    def first_wrong(self) -> Verdict | None:
        return next((verdict for verdict in self.verdicts if not verdict.correct), None)

    def __getitem__(self, key: str) -> Verdict:
        for verdict in self.verdicts:
            if verdict.key == key:
                return verdict
        raise KeyError(key)

    def to_text(self) -> str:
        right = sum(verdict.correct for verdict in self.verdicts)
        lines = [f"{right} of {len(self.verdicts)} answers correct."]
        lines += [f"  {verdict}" for verdict in self.verdicts]
        first = self.first_wrong
        if first is not None and first.step:
            lines.append(f"First wrong step: {first.step}")
        return "\n".join(lines)

    __str__ = to_text

    def _repr_html_(self) -> str:
        rows = []
        for verdict in self.verdicts:
            colour = "#1b7f3b" if verdict.correct else "#b3261e"
            text = "correct" if verdict.correct else verdict.feedback
            rows.append(
                f'<tr><td style="padding:2px 8px;font-family:monospace">'
                f"{html.escape(verdict.key)}</td>"
                f'<td style="padding:2px 8px;color:{colour}">{html.escape(text)}</td></tr>'
            )
        return "<table>" + "".join(rows) + "</table>"


def _read(answer: object) -> float | tuple[float, ...]:
    if isinstance(answer, list | tuple):
        return tuple(as_number(item) for item in answer)
    return as_number(answer)


def check(exercise: Exercise, answers: Mapping[str, object]) -> Report:
    """Mark a student's answers to ``exercise``.

    ``answers`` maps keys to numbers (``{"grad(x)": 18, "y": "13"}``: final gradients,
    or every node's gradient, node by node), to lists of numbers (``{"x": [6, 2, 10]}``:
    the += contributions a node received, in order), and in an SGD exercise also
    ``"w step 1"`` (the parameter after step 1) and ``"grad(w) step 1"``.
    Numbers may be Fractions or text such as "1/4"; decimals to 3 places are accepted.

    Returns a ``Report``: per answer, correct, or wrong with the step where it went
    wrong and the most likely classic mistake (see ``MISTAKES``). An answer that is
    not a number ("abc") is marked wrong on its own, saying so; the others are
    marked as usual.
    """
    if not isinstance(answers, Mapping):
        raise TypeError(
            f"check: answers map each key to a number, e.g. {{'grad(x)': 18}}, not a "
            f"{type(answers).__name__}; the keys are the exercise's questions"
        )
    given: dict[str, float | tuple[float, ...]] = {}
    unreadable: dict[str, Verdict] = {}
    questions = {}
    for key, answer in answers.items():
        question = exercise.question(key)  # NotAskedError (a KeyError) for a key not asked
        questions[question.key] = question
        try:
            given[question.key] = _read(answer)
        except (ValueError, TypeError) as error:  # one answer that is not a number
            unreadable[question.key] = Verdict(
                question.key,
                math.nan,
                question.answer,
                False,
                feedback=f"not read as a number: {error}",
            )
    order = [
        question.key
        for question in exercise.questions
        if question.key in given or question.key in unreadable
    ]
    cache: dict[int | None, list[Variant]] = {}

    def variants_of(step: int | None) -> list[Variant]:
        if step not in cache:
            cache[step] = variants(exercise.pass_for(step))
        return cache[step]

    verdicts = []
    for key in order:
        if key in unreadable:
            verdicts.append(unreadable[key])
            continue
        question = questions[key]
        value = given[key]
        if question.what == "update":
            verdicts.append(_mark_update(exercise, question, value, given, variants_of))
        elif question.what == "value":
            verdicts.append(_mark_value(exercise, question, value))
        else:
            found = exercise.pass_for(question.step)
            verdicts.append(
                _mark_grad(found, question, value, given, questions, variants_of(question.step))
            )
    return Report(verdicts)


def _mark_value(exercise: Exercise, question, value) -> Verdict:
    if isinstance(value, tuple):
        value = value[0] if len(value) == 1 else float("nan")
    if same(value, question.answer):
        return Verdict(question.key, value, question.answer, True)
    found = exercise.pass_for(question.step)
    node = found.node(question.name)
    inputs = ", ".join(
        f"{found.names[parent]} = {fraction_text(parent.data)}" for parent in node.parents
    )
    return Verdict(
        question.key,
        value,
        question.answer,
        False,
        "unknown",
        f"{question.name} = {_formula(found, node)}",
        f"{question.name} = {_formula(found, node)} with {inputs} is not "
        f"{fraction_text(value)}: recompute it from its inputs.",
    )


def _same_amounts(given: Sequence[float], expected: Sequence[float]) -> bool:
    """The same += contributions, in any order (zeros may be left out)."""
    for option in (list(expected), [amount for amount in expected if amount != 0.0]):
        if len(given) == len(option) and all(
            same(a, b) for a, b in zip(sorted(given), sorted(option))
        ):
            return True
    return False


def _matches(variant: Variant, node: Value, value) -> bool:
    if isinstance(value, tuple):
        return _same_amounts(value, variant.contributions.get(node, []))
    return same(value, variant.grads.get(node, 0.0))


_PRIORITY = {mistake: index for index, mistake in enumerate(MISTAKES)}


def _mark_grad(found: Pass, question, value, given, questions, made: Sequence[Variant]) -> Verdict:
    node = found.node(question.name)
    right = found.contributions(node)
    if isinstance(value, tuple):
        expected: float | tuple[float, ...] = tuple(right)
        correct = _same_amounts(value, right) or (
            not right and len(value) == 1 and same(value[0], found.grads[node])
        )
    else:
        expected = question.answer
        correct = same(value, question.answer)
    if correct:
        return Verdict(question.key, value, expected, True)
    # Other answers of the same graph, to pick the mistake that explains most of them.
    others = [
        (found.node(questions[key].name), given[key])
        for key in given
        if questions[key].what == "grad" and questions[key].step == question.step
    ]
    # A wrong gradient above carried down: the node's own step is right for it.
    carried = _carried(found, node, value, given, questions, question.step)
    if carried is not None:
        return Verdict(question.key, value, expected, False, "carried", carried[0], carried[1])
    candidates = [variant for variant in made if _matches(variant, node, value)]
    if candidates:

        def score(variant: Variant) -> tuple[int, int, int]:
            explained = sum(_matches(variant, other, answer) for other, answer in others)
            return (-explained, _PRIORITY[variant.mistake], -variant.site.id)

        best = min(candidates, key=score)
        best_explained = score(best)[0]
        alternatives = tuple(
            dict.fromkeys(
                variant.mistake
                for variant in candidates
                if score(variant)[0] == best_explained and variant.mistake != best.mistake
            )
        )
        return Verdict(
            question.key,
            value,
            expected,
            False,
            best.mistake,
            best.row_for(question.name),
            best.explain(question.name),
            alternatives,
        )
    return Verdict(
        question.key,
        value,
        expected,
        False,
        "unknown",
        _first_row(found, node),
        f"grad({question.name}) is not right, and no single classic mistake gives your "
        "number; redo its rows of the backward table.",
    )


def _first_row(found: Pass, node: Value) -> str:
    for contribution in found.record:
        if contribution.parent is node:
            return _row(found, contribution.child, contribution.position)
    return ""


def _carried(found: Pass, node, value, given, questions, step):
    """When the student's own grads of the nodes using ``node`` give their answer."""
    if isinstance(value, tuple):
        return None
    own: dict[str, float] = {}
    for key, answer in given.items():
        question = questions[key]
        if question.what == "grad" and question.step == step and not isinstance(answer, tuple):
            own[question.name] = answer
    total = 0.0
    wrong_above = []
    for contribution in found.record:
        if contribution.parent is not node:
            continue
        name = found.names[contribution.child]
        upstream = own.get(name, contribution.upstream)
        if name in own and not same(upstream, contribution.upstream):
            wrong_above.append(name)
        total += contribution.local_grad * upstream
    if wrong_above and same(total, value):
        name = found.names[node]
        return (
            _first_row(found, node),
            f"grad({name}) follows correctly from your grad({', '.join(wrong_above)}), "
            "which is wrong: fix that one first.",
        )
    return None


def _mark_update(exercise: Exercise, question, value, given, variants_of) -> Verdict:
    if isinstance(value, tuple):
        value = value[0] if len(value) == 1 else float("nan")
    name, number = question.name, question.step
    step = exercise.sgd_steps[number - 1]
    rate = exercise.learning_rate or 1.0
    expected = question.answer
    if same(value, expected):
        return Verdict(question.key, value, expected, True)
    before = step.before[name]
    grad = step.grads[name]
    own_before = given.get(f"{name} step {number - 1}")
    own_grad = given.get(f"grad({name}) step {number}")
    row = (
        f"{name} ← {fraction_text(before)} − {fraction_text(rate)} · {fraction_text(grad)} "
        f"= {fraction_text(expected)}"
    )
    rate_text = fraction_text(rate)
    checks: list[tuple[str, float, str]] = [
        (
            "sgd_sign",
            before + rate * grad,
            f"{name} after step {number} moves up the gradient: SGD subtracts η·∂L/∂{name}, "
            f"{name} − η·grad = {fraction_text(expected)}.",
        ),
        (
            "sgd_old_weight",
            -rate * grad,
            f"{name} after step {number} leaves out the old value {fraction_text(before)}: "
            f"the step is {name} − η·grad({name}), not −η·grad({name}).",
        ),
    ]
    if rate != 1.0:
        checks.insert(
            1,
            (
                "sgd_learning_rate",
                before - grad,
                f"{name} after step {number} leaves out the learning rate η = {rate_text}: "
                f"the step is {name} − η·grad({name}).",
            ),
        )
        checks.append(
            (
                "sgd_learning_rate",
                before - grad / rate,
                f"{name} after step {number} divides by η = {rate_text} instead of multiplying: "
                f"the step is {name} − η·grad({name}).",
            )
        )
    for mistake, wrong, sentence in checks:
        if wrong != expected and same(value, wrong):
            return Verdict(question.key, value, expected, False, mistake, row, sentence)
    if isinstance(own_grad, float) and not same(own_grad, grad):
        own_before_value = own_before if isinstance(own_before, float) else before
        if same(value, own_before_value - rate * own_grad):
            return Verdict(
                question.key,
                value,
                expected,
                False,
                "carried",
                row,
                f"{name} after step {number} is the right update of your grad({name}) = "
                f"{fraction_text(own_grad)}, but that gradient is wrong: it is "
                f"{fraction_text(grad)}.",
            )
    if isinstance(own_before, float) and not same(own_before, before):
        if same(value, own_before - rate * grad):
            return Verdict(
                question.key,
                value,
                expected,
                False,
                "carried",
                row,
                f"{name} after step {number} starts from your {name} after step {number - 1}, "
                "which is wrong: fix that one first.",
            )
    if number > 1:
        stale = (
            exercise.sgd_steps[0].before if number == 2 else exercise.sgd_steps[number - 2].before
        )
        stale_grad = _stale_grad(exercise, number, name, stale)
        if stale_grad is not None and same(value, before - rate * stale_grad):
            return Verdict(
                question.key,
                value,
                expected,
                False,
                "sgd_stale_weights",
                row,
                f"{name} after step {number} uses a gradient computed with the weights from "
                f"before step {number - 1}: do step {number}'s forward pass with the updated "
                "weights.",
            )
    for variant in variants_of(number):
        node = exercise.pass_for(number).by_name.get(name)
        if node is None:
            continue
        wrong_grad = variant.grads.get(node, 0.0)
        if wrong_grad != grad and same(value, before - rate * wrong_grad):
            return Verdict(
                question.key,
                value,
                expected,
                False,
                variant.mistake,
                variant.row_for(name),
                f"{name} after step {number} comes from a wrong gradient: " + variant.explain(name),
            )
    return Verdict(
        question.key,
        value,
        expected,
        False,
        "unknown",
        row,
        f"{name} after step {number} should be {row}; no single classic mistake gives your number.",
    )


def _stale_grad(exercise: Exercise, number: int, name: str, stale: Mapping[str, float]):
    """grad(name) in step ``number`` had the weights not been updated by the previous step."""
    builder = getattr(exercise, "loss_builder", None)
    if builder is None:
        return None
    step = exercise.sgd_steps[number - 1]
    found = Pass(builder(stale, step.x, step.y), step=number)
    node = found.by_name.get(name)
    return None if node is None else found.grads[node]
