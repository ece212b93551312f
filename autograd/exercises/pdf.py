"""Problem and solution sheets as PDF, with pip alone (reportlab and svglib).

The same content as the HTML sheets: each exercise's statement and picture, blanks
to fill in (problem sheet) or the graph with its gradients, the backward table, the
paths, the updates and the answers (solution sheet). Text is set in DejaVu Sans,
shipped with pathgrad (``autograd/views/fonts``), which has every symbol the sheets
use (∂, ·, →, σ, ², ŷ), on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from autograd.exercises.content import (
    _answers_lines,
    _blanks,
    _paths_text,
    _sgd_text,
    problem_picture,
    solution_picture,
)
from autograd.exercises.exercise import Exercise
from autograd.views.rendering import WIDE_FONTS, register_wide_fonts, svg_drawing

__all__ = ["pdf_sheet"]

_FONT = WIDE_FONTS["regular"]


def _picture(svg: str, width: float, height: float | None = None):
    """An SVG picture as a reportlab drawing no wider than ``width`` points (and no
    taller than ``height``)."""
    drawing = svg_drawing(svg.encode("utf-8"))
    scale = min(1.0, width / drawing.width, (height or drawing.height) / drawing.height)
    if scale < 1.0:
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.scale(scale, scale)
    return drawing


def _blank_rows(blanks: list[str]) -> list[list[str]]:
    """The blanks two to a row (``h1 =  ___   ∂L/∂h1 =  ___``): half the height, so an
    exercise, its picture and its blanks fit on one page."""
    half = (len(blanks) + 1) // 2
    left, right = blanks[:half], blanks[half:] + [""] * (2 * half - len(blanks))
    return [[f"{a} =", "", f"{b} =" if b else "", ""] for a, b in zip(left, right)]


def _steps_rows(found) -> list[list[str]]:
    from autograd.views.steps import backward_steps

    table = backward_steps(found.root, precision=4).table()
    rows = [["step", "node", "grad", "chain rule"]]
    for number, step in enumerate(table.shown_steps, start=1):
        for row in step.rows(number=number, precision=4):
            rows.append([row["step"], row["node"], row["grad"], row["update"] or row["note"]])
    return rows


def pdf_sheet(
    exercises: Sequence[Exercise], *, solutions: bool, title: str, pictures: bool = True
) -> bytes:
    """The problem sheet (or with ``solutions``, the solution sheet) as PDF bytes."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        Preformatted,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_wide_fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10, leading=14)
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=17, spaceBefore=10)
    big = ParagraphStyle("title", parent=body, fontSize=18, leading=22, spaceAfter=8)
    code = ParagraphStyle("code", parent=body, fontSize=7.5, leading=9.5)
    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), _FONT, 8),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        title=title,
        invariant=1,  # fixed dates and document id: the same seed, the same bytes
    )
    width = document.width
    story = [Paragraph(escape(title + (" — solutions" if solutions else "")), big)]
    for number, exercise in enumerate(exercises, start=1):
        block = [
            Paragraph(escape(f"Exercise {number}: {exercise.title}"), heading),
            Paragraph(escape(exercise.statement), body),
            Spacer(1, 6),
        ]
        if not solutions:
            if pictures:  # at most 40 % of the page high, so the blanks fit beside it
                block += [
                    _picture(problem_picture(found), width, 0.4 * document.height)
                    for found in exercise.passes[:1]
                ]
            rows = _blank_rows(list(_blanks(exercise)))
            block.append(Table(rows, colWidths=[3.2 * cm, 5.3 * cm] * 2, style=grid))
            story.append(KeepTogether(block))
            continue
        story += block
        for found in exercise.passes:
            if found.step is not None:
                story.append(Paragraph(escape(f"Step {found.step}"), heading))
            if pictures:
                story.append(_picture(solution_picture(found), width))
            story.append(Table(_steps_rows(found), repeatRows=1, style=grid))
            if exercise.kind in ("graph", "steps"):
                story.append(Preformatted(_paths_text(found), code, maxLineLength=110))
        if exercise.sgd_steps:
            story.append(Preformatted("\n".join(_sgd_text(exercise)), code))
        answers = [[f"{asked} =", answer] for asked, answer in _answers_lines(exercise)]
        story += [Spacer(1, 6), Table(answers, colWidths=[6 * cm, 4 * cm], style=grid)]
    document.build(story)
    return buffer.getvalue()
