"""Problem sheets: backprop exercises with solutions, and a student's answers checked.

A layer above the views: it reads the engine (every answer comes from
``chain_rule``) and draws with the views; only the command line imports it.

* ``generate(kind, count, seed, difficulty)``, or one kind at a time:
  ``graph_exercise`` (sum over paths), ``network_exercise`` (forward and backward
  with numbers), ``sgd_exercise`` (SGD steps by hand), ``steps_exercise`` (the
  backward table); a lecturer's own with ``exercise_from_function``,
  ``exercise_from_graph`` and ``exercise_from_model``.
* ``problem_sheet`` / ``solution_sheet``: Markdown or self-contained HTML with the
  pictures inline; ``write_sheets`` writes both.
* ``check(exercise, answers)``: each answer right, or wrong with the step where it
  went wrong and the classic mistake that explains it.
* ``answer_sheet(exercise)``: a notebook widget to fill in, with feedback per node.
"""

from __future__ import annotations

from autograd.exercises.check import Report, Verdict, check
from autograd.exercises.exercise import KINDS, Exercise, Pass, Question
from autograd.exercises.generate import (
    exercise_from_function,
    exercise_from_graph,
    exercise_from_model,
    generate,
    graph_exercise,
    network_exercise,
    sgd_exercise,
    steps_exercise,
)
from autograd.exercises.numbers import Niceness
from autograd.exercises.sheets import problem_sheet, solution_sheet, write_sheets

__all__ = [
    "KINDS",
    "Exercise",
    "Pass",
    "Question",
    "Niceness",
    "generate",
    "graph_exercise",
    "network_exercise",
    "sgd_exercise",
    "steps_exercise",
    "exercise_from_function",
    "exercise_from_graph",
    "exercise_from_model",
    "check",
    "Report",
    "Verdict",
    "problem_sheet",
    "solution_sheet",
    "write_sheets",
    "answer_sheet",
]


def __getattr__(name: str):
    if name == "answer_sheet":  # needs ipywidgets: imported when first named
        from autograd.exercises.widget import answer_sheet

        return answer_sheet
    raise AttributeError(f"module 'autograd.exercises' has no attribute {name!r}")
