"""Problem and solution sheets: Markdown, one self-contained printable HTML page, or PDF.

The problem sheet shows each graph without numbers on the inner nodes and without
gradients or local derivatives (only the given inputs and parameters); the
solution sheet shows the graph with every value, local derivative and gradient
(``autograd.draw``), the backward table (``backward_steps``), the paths
(``paths``) and the answers. Pictures are inline SVG (a data URI in Markdown), so
a sheet is one file with no links.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Sequence
from pathlib import Path

from autograd.exercises.exercise import Exercise, Pass
from autograd.exercises.numbers import fraction_text
from autograd.files import write_atomically

__all__ = ["problem_sheet", "solution_sheet", "write_sheets", "sheet_format", "FORMATS"]

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def sheet_format(path: str | os.PathLike[str]) -> str:
    """ "markdown", "html" or "pdf" from the file name; ValueError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    raise ValueError(
        f"{str(path)[:60]}: a sheet's name must end in .html or .md (Markdown), "
        f"not {suffix or 'nothing'}"
    )


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


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# ---------------------------------------------------------------- Markdown
def _markdown(exercises: Sequence[Exercise], title: str, solutions: bool, pictures: bool) -> str:
    parts = [f"# {title}{' — solutions' if solutions else ''}", ""]
    for number, exercise in enumerate(exercises, start=1):
        parts += [f"## Exercise {number}: {exercise.title}", "", exercise.statement, ""]
        if not solutions:
            if pictures:
                for found in exercise.passes[:1]:
                    parts += [
                        f"![the graph of exercise {number}]({_data_uri(problem_picture(found))})",
                        "",
                    ]
            parts += ["Answers:", ""]
            parts += [f"- {blank} = ____" for blank in _blanks(exercise)]
            parts.append("")
            continue
        for found in exercise.passes:
            if found.step is not None:
                parts += [f"### Step {found.step}", ""]
            if pictures:
                parts += [
                    f"![the graph with its gradients]({_data_uri(solution_picture(found))})",
                    "",
                ]
            parts += [_steps_table(found, markdown=True), ""]
            if exercise.kind in ("graph", "steps"):
                parts += ["```", _paths_text(found), "```", ""]
        if exercise.sgd_steps:
            parts += ["The updates:", "", "```", *_sgd_text(exercise), "```", ""]
        parts += ["| asked | answer |", "|---|---:|"]
        parts += [f"| {asked} | {answer} |" for asked, answer in _answers_lines(exercise)]
        parts.append("")
    return "\n".join(parts)


# ---------------------------------------------------------------- HTML
_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 60em; margin: 2em auto;
       padding: 0 1em; color: #111; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
.picture svg { max-width: 100%; height: auto; }
table.answers { border-collapse: collapse; margin: 0.5em 0; }
table.answers td { border-bottom: 1px solid #ccc; padding: 3px 12px; font-family: monospace; }
td.blank { min-width: 8em; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
.steps { overflow-x: auto; font-size: 0.85em; }
@media print {
  body { margin: 0; max-width: none; }
  section.exercise { page-break-inside: avoid; break-inside: avoid; }
  .steps, pre { overflow: visible; white-space: pre-wrap; }
}
"""


def _html(exercises: Sequence[Exercise], title: str, solutions: bool, pictures: bool) -> str:
    heading = title + (" — solutions" if solutions else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(heading)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(heading)}</h1>",
    ]
    for number, exercise in enumerate(exercises, start=1):
        parts.append(f'<section class="exercise" id="exercise-{number}">')
        parts.append(f"<h2>Exercise {number}: {html.escape(exercise.title)}</h2>")
        parts.append(f"<p>{html.escape(exercise.statement)}</p>")
        if not solutions:
            if pictures:
                for found in exercise.passes[:1]:
                    parts.append(f'<div class="picture">{problem_picture(found)}</div>')
            parts.append('<table class="answers">')
            parts += [
                f'<tr><td>{html.escape(blank)} =</td><td class="blank"></td></tr>'
                for blank in _blanks(exercise)
            ]
            parts.append("</table></section>")
            continue
        for found in exercise.passes:
            if found.step is not None:
                parts.append(f"<h3>Step {found.step}</h3>")
            if pictures:
                parts.append(f'<div class="picture">{solution_picture(found)}</div>')
            parts.append(f'<div class="steps">{_steps_table(found, markdown=False)}</div>')
            if exercise.kind in ("graph", "steps"):
                parts.append(f"<pre>{html.escape(_paths_text(found))}</pre>")
        if exercise.sgd_steps:
            parts.append("<pre>" + html.escape("\n".join(_sgd_text(exercise))) + "</pre>")
        parts.append('<table class="answers">')
        parts += [
            f"<tr><td>{html.escape(asked)} =</td><td>{html.escape(answer)}</td></tr>"
            for asked, answer in _answers_lines(exercise)
        ]
        parts.append("</table></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _exercises(exercises: Exercise | Sequence[Exercise]) -> list[Exercise]:
    listed = [exercises] if isinstance(exercises, Exercise) else list(exercises)
    if not listed or not all(isinstance(item, Exercise) for item in listed):
        raise TypeError("a sheet needs one Exercise or a list of them")
    return listed


def problem_sheet(
    exercises: Exercise | Sequence[Exercise],
    format: str = "html",
    *,
    title: str = "Backpropagation by hand",
    pictures: bool = True,
) -> str | bytes:
    """The problem sheet: ``format`` "html" (one self-contained page) or "markdown" as
    text, or "pdf" as bytes (reportlab and svglib, with pip alone)."""
    return _sheet(_exercises(exercises), format, title, False, pictures)


def solution_sheet(
    exercises: Exercise | Sequence[Exercise],
    format: str = "html",
    *,
    title: str = "Backpropagation by hand",
    pictures: bool = True,
) -> str | bytes:
    """The solution sheet: each graph with its gradients, the backward table, the paths,
    the SGD updates and every answer; formats as for ``problem_sheet``."""
    return _sheet(_exercises(exercises), format, title, True, pictures)


def _sheet(
    listed: list[Exercise], format: str, title: str, solutions: bool, pictures: bool
) -> str | bytes:
    if format == "html":
        return _html(listed, title, solutions, pictures)
    if format == "markdown":
        return _markdown(listed, title, solutions, pictures)
    if format == "pdf":
        from autograd.exercises.pdf import pdf_sheet

        return pdf_sheet(listed, solutions=solutions, title=title, pictures=pictures)
    raise ValueError(f"format must be 'html', 'markdown' or 'pdf', not {format!r:.30}")


def write_sheets(
    exercises: Exercise | Sequence[Exercise],
    sheet: str | os.PathLike[str],
    solutions: str | os.PathLike[str] | None = None,
    *,
    title: str = "Backpropagation by hand",
) -> list[Path]:
    """Write the problem sheet (and the solutions) to files; .html, .md or .pdf from the names.

    Both documents are made in memory first, so a failure (a renderer missing) writes
    nothing; each file is written atomically. Returns the paths written.
    """
    targets = [(sheet, False)] + ([(solutions, True)] if solutions is not None else [])
    documents = []
    for target, solved in targets:
        made = solution_sheet if solved else problem_sheet
        documents.append((target, made(exercises, sheet_format(target), title=title)))
    return [
        write_atomically(target, text if isinstance(text, bytes) else text.encode("utf-8"))
        for target, text in documents
    ]
