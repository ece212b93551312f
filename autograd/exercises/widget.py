"""A sheet to fill in, in a notebook: ``answer_sheet(exercise)``.

One box per blank (every node's gradient, every value or update the exercise asks
for), a Check button, and under each box the feedback ``check`` gives for it. Boxes
take what a student writes: ``18``, ``-0.5``, ``1/4``, or for a node's += working
a list ``6, 2, 10``. Without a live kernel (GitHub, an HTML export) it shows as the
static problem sheet: the picture and the blanks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from autograd.exercises.check import Report, check
from autograd.exercises.content import problem_picture
from autograd.exercises.exercise import Exercise

__all__ = ["AnswerSheet", "answer_sheet"]

_RIGHT, _WRONG = "#1b7f3b", "#b3261e"


def _parsed(text: str) -> object:
    """A box's text as ``check`` takes it: a number's text, or a list for ``6, 2, 10``."""
    parts = [part.strip() for part in re.split(r";|,\s+", text) if part.strip()]
    return parts if len(parts) > 1 else text.strip()


class AnswerSheet:
    """The blanks of one exercise as a form; ``check()`` marks them and shows feedback.

    ``fill({"grad(x)": 18})`` fills boxes from code (as typing does), ``check()``
    returns the ``Report`` and writes each verdict under its box, ``feedback`` holds
    the last verdict text per key.
    """

    def __init__(self, exercise: Exercise) -> None:
        if not isinstance(exercise, Exercise):
            raise TypeError(f"answer_sheet needs an Exercise, not {type(exercise).__name__}")
        self.exercise = exercise
        self.entries: dict[str, str] = {question.key: "" for question in exercise.questions}
        self.feedback: dict[str, str] = {}
        self.report: Report | None = None
        self._widget: Any = None
        self._boxes: dict[str, Any] = {}
        self._labels: dict[str, Any] = {}

    def fill(self, answers: Mapping[str, object]) -> None:
        """Put answers in the boxes (keys as in ``check``), as a student typing them."""
        for key, answer in answers.items():
            question = self.exercise.question(key)
            text = ", ".join(map(str, answer)) if isinstance(answer, list | tuple) else str(answer)
            self.entries[question.key] = text
            if question.key in self._boxes:
                self._boxes[question.key].value = text

    def check(self) -> Report:
        """Mark every filled box; empty boxes are left unmarked."""
        filled = {}
        problems = {}
        for key, text in self.entries.items():
            if text.strip():
                filled[key] = _parsed(text)
        marked: dict[str, object] = {}
        for key, answer in filled.items():
            try:
                check(self.exercise, {key: answer})
            except ValueError as error:
                problems[key] = str(error)
            else:
                marked[key] = answer
        self.report = check(self.exercise, marked)
        self.feedback = {key: f"✗ {message}" for key, message in problems.items()}
        for verdict in self.report.verdicts:
            self.feedback[verdict.key] = "✓ correct" if verdict.correct else f"✗ {verdict.feedback}"
        for key, label in self._labels.items():
            label.value = self._feedback_html(key)
        return self.report

    def _feedback_html(self, key: str) -> str:
        text = self.feedback.get(key, "")
        colour = _RIGHT if text.startswith("✓") else _WRONG
        return f"<span style='color:{colour}'>{html.escape(text)}</span>"

    # ------------------------------------------------------------ showing
    def static_html(self) -> str:
        """The problem, the picture and the blanks, with no script: the no-kernel view."""
        rows = "".join(
            f"<tr><td style='padding:2px 10px;font-family:monospace'>"
            f"{html.escape(question.prompt or question.key)} =</td>"
            f"<td style='min-width:8em;border-bottom:1px solid #999'>"
            f"{html.escape(self.entries[question.key])}</td>"
            f"<td>{self._feedback_html(question.key)}</td></tr>"
            for question in self.exercise.questions
        )
        return (
            f"<div class='pathgrad-answer-sheet'><h4>{html.escape(self.exercise.title)}</h4>"
            f"<p>{html.escape(self.exercise.statement)}</p>"
            f"<div>{problem_picture(self.exercise.passes[0])}</div>"
            f"<table>{rows}</table>"
            "<p><i>(a static sheet: run the notebook to fill it in and check it)</i></p></div>"
        )

    @property
    def widget(self) -> Any:
        """The ipywidgets box (made on first use)."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self) -> Any:
        import ipywidgets

        rows = []
        for question in self.exercise.questions:
            box = ipywidgets.Text(
                value=self.entries[question.key],
                description=question.prompt or question.key,
                placeholder="e.g. 3, -1/2 or 6, 2, 10",
                style={"description_width": "150px"},
                layout=ipywidgets.Layout(width="360px"),
            )
            box.observe(self._on_typed(question.key), names="value")
            label = ipywidgets.HTML(self._feedback_html(question.key))
            self._boxes[question.key], self._labels[question.key] = box, label
            rows.append(ipywidgets.HBox([box, label]))
        button = ipywidgets.Button(description="Check", button_style="primary")
        button.on_click(lambda _button: self.check())
        picture = ipywidgets.HTML(problem_picture(self.exercise.passes[0]))
        heading = ipywidgets.HTML(
            f"<h4>{html.escape(self.exercise.title)}</h4>"
            f"<p>{html.escape(self.exercise.statement)}</p>"
        )
        return ipywidgets.VBox([heading, picture, *rows, button])

    def _on_typed(self, key: str):
        def typed(change: Mapping[str, Any]) -> None:
            self.entries[key] = change["new"]

        return typed

    def __repr__(self) -> str:
        return (
            f"<Answer sheet: {self.exercise.title}: a notebook form; outside Jupyter, "
            "autograd.exercises.check(exercise, answers) marks a dict of answers>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live form for a kernel, the static sheet for everything else."""
        bundle = dict(self.widget._repr_mimebundle_() or {})
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Answer sheet: {self.exercise.title}"
        return bundle


def answer_sheet(exercise: Exercise) -> AnswerSheet:
    """A form for ``exercise``: a box per blank, a Check button, feedback per box.

    >>> from autograd.exercises import graph_exercise
    >>> sheet = answer_sheet(graph_exercise(7, 1))
    >>> sheet.fill({"x": 1})
    >>> sheet.check().all_correct
    False
    """
    return AnswerSheet(exercise)
