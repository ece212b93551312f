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

from autograd.exercises.content import (
    _answers_lines,
    _blanks,
    _paths_text,
    _sgd_text,
    _steps_table,
    problem_picture,
    solution_picture,
)
from autograd.exercises.exercise import Exercise
from autograd.files import write_all_atomically

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
        f"{str(path)[:60]}: a sheet's name must end in .html, .md (Markdown) or .pdf, "
        f"not {suffix or 'nothing'}"
    )


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# ---------------------------------------------------------------- Markdown
def _markdown_text(text: str) -> str:
    """Your text on one Markdown line, shown as written: Markdown passes raw HTML
    through (``<img onerror=...>`` would run on a course page), so <, > and & become
    entities, and a line break a space."""
    one_line = " ".join(text.split())
    return one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown(exercises: Sequence[Exercise], title: str, solutions: bool, pictures: bool) -> str:
    parts = [f"# {_markdown_text(title)}{' — solutions' if solutions else ''}", ""]
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
    nothing, and then written together, all or none (``write_all_atomically``): a
    solutions file that cannot be written leaves no problem sheet either. Returns the
    paths written.
    """
    if solutions is not None and os.path.realpath(solutions) == os.path.realpath(sheet):
        raise ValueError(
            f"write_sheets: the solutions and the problem sheet are both {str(sheet)!r:.80}; "
            "give the solutions another file (the one would overwrite the other)"
        )
    targets = [(sheet, False)] + ([(solutions, True)] if solutions is not None else [])
    documents: dict[Path, bytes] = {}
    for target, solved in targets:
        made = solution_sheet if solved else problem_sheet
        text = made(exercises, sheet_format(target), title=title)
        documents[Path(target)] = text if isinstance(text, bytes) else text.encode("utf-8")
    return write_all_atomically(documents)
