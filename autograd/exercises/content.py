"""What a sheet holds, whatever its format: the pictures, the blanks, the tables, the paths.

``sheets`` lays these out as Markdown or HTML and ``pdf`` as PDF.
"""

from __future__ import annotations

import html

from autograd.exercises.exercise import Exercise, Pass
from autograd.exercises.numbers import fraction_text

__all__ = ["problem_picture", "solution_picture"]


# ---------------------------------------------------------------- pictures
def _svg(source: str) -> str:
    from autograd.views.rendering import render

    text = render(source, "svg", "dot").decode("utf-8")
    return text[text.index("<svg") :]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def problem_picture(found: Pass) -> str:
    """The graph as the problem sheet shows it (SVG text): names and ops, given leaves'
    values, no inner values, no local derivatives, no gradients."""
    lines = [
        "digraph problem {",
        '  rankdir=LR; bgcolor="white"; nodesep=0.25; ranksep=0.5;',
        '  node [fontname="Helvetica", fontsize=12, shape=box, style="rounded"];',
        '  edge [color="#555555", arrowsize=0.8];',
    ]
    ids = {node: f"n{index}" for index, node in enumerate(sorted(found.grads, key=lambda n: n.id))}
    for node, identifier in ids.items():
        name = found.names[node]
        if node.role == "constant":
            label, shape = fraction_text(node.data), "plaintext"
        elif not node.parents:
            label, shape = f"{name} = {fraction_text(node.data)}", "box"
        else:
            symbol = node.operation.symbol if node.operation is not None else node.op
            label, shape = f"{name}\n{symbol}", "ellipse"
        lines.append(f"  {identifier} [label={_quoted(label)}, shape={shape}];")
    for child in ids:
        for parent in child.parents:
            lines.append(f"  {ids[parent]} -> {ids[child]};")
    lines.append("}")
    return _svg("\n".join(lines))


def solution_picture(found: Pass) -> str:
    """The graph with every value, local derivative (as a formula) and gradient (SVG text)."""
    from autograd.views.drawing import draw

    drawing = draw(found.root, grads=found.grads, derivatives="formula", precision=4)
    text = drawing.pipe(format="svg", encoding="utf-8")
    return text[text.index("<svg") :]


# ---------------------------------------------------------------- blocks
def _answers_lines(exercise: Exercise) -> list[tuple[str, str]]:
    return [
        (question.prompt or question.key, fraction_text(question.answer))
        for question in exercise.questions
    ]


def _blanks(exercise: Exercise) -> list[str]:
    return [question.prompt or question.key for question in exercise.questions]


def _steps_table(found: Pass, markdown: bool) -> str:
    from autograd.views.steps import backward_steps

    table = backward_steps(found.root, precision=4).table()
    return (
        table.to_markdown()
        if markdown
        else (f"<p>{html.escape(table.heading())}</p>{table.to_html()}")
    )


def _paths_text(found: Pass) -> str:
    from autograd.views.paths import paths

    leaves = [node for node in found.order if not node.parents and node.role != "constant"]
    texts = []
    for leaf in sorted(leaves, key=lambda n: n.id):
        found_paths = paths(found.root, leaf)
        if found_paths.count and found_paths.count <= 40:
            texts.append(found_paths.to_text(precision=4))
    return "\n\n".join(texts)


def _sgd_text(exercise: Exercise) -> list[str]:
    rate = fraction_text(exercise.learning_rate or 1.0)
    lines = []
    for step in exercise.sgd_steps:
        for name in step.before:
            lines.append(
                f"step {step.number}: {name} ← {fraction_text(step.before[name])} − {rate} · "
                f"{fraction_text(step.grads[name])} = {fraction_text(step.after[name])}"
            )
    return lines
