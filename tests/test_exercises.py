"""Problem sheets: generated exercises, their sheets, and marking a student's working."""

from __future__ import annotations

import ast
import collections
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest

import autograd
from autograd import Value
from autograd.exercises import (
    KINDS,
    Niceness,
    check,
    exercise_from_function,
    exercise_from_graph,
    exercise_from_model,
    generate,
    graph_exercise,
    network_exercise,
    problem_sheet,
    sgd_exercise,
    solution_sheet,
    write_sheets,
)
from autograd.exercises.check import MISTAKES, variants
from autograd.exercises.numbers import as_number, fraction_text, nice_fraction, same

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(12)


def every_exercise(count: int = 6):
    for kind in KINDS:
        for difficulty in (1, 2, 3):
            yield from generate(kind, count, seed=3, difficulty=difficulty)


def fingerprint(exercise):
    return (exercise.title, exercise.statement, tuple(exercise.answers().items()))


# ---------------------------------------------------------------- generating
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("difficulty", (1, 2, 3))
def test_the_same_seed_gives_the_same_exercise(kind, difficulty):
    first = [fingerprint(e) for e in generate(kind, 4, seed=7, difficulty=difficulty)]
    again = [fingerprint(e) for e in generate(kind, 4, seed=7, difficulty=difficulty)]
    other = [fingerprint(e) for e in generate(kind, 4, seed=8, difficulty=difficulty)]
    assert first == again
    assert first != other
    assert len(set(first)) > 1  # the exercises of one sheet differ


def test_generation_uses_its_own_random_source_only():
    import random

    random.seed(1)
    state = random.getstate()
    first = fingerprint(graph_exercise(5, 2))
    assert random.getstate() == state  # the global generator is not touched
    random.seed(99)
    assert fingerprint(graph_exercise(5, 2)) == first
    for path in (ROOT / "autograd" / "exercises").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in ("random.random(", "random.choice(", "random.randint(", "random.seed("):
            assert call not in text, (path.name, call)


def test_every_value_and_gradient_is_a_small_integer_or_simple_fraction():
    for exercise in every_exercise():
        niceness = exercise.niceness
        assert exercise.nice
        for number in exercise.all_numbers():
            fraction = nice_fraction(number, niceness.denominator)
            assert fraction is not None, (exercise, number)
            assert abs(fraction) <= niceness.bound, (exercise, number)
            assert Fraction(number) == fraction  # exact: halves and quarters are floats
        for question in exercise.questions:
            assert niceness(question.answer), (exercise, question)


def test_ops_stay_in_their_domains_and_off_the_kinks():
    for exercise in every_exercise():
        for found in exercise.passes:
            for node in found.order:
                if node.op == "relu":
                    assert node.parents[0].data != 0.0, exercise
                if node.op == "sigmoid":
                    assert node.parents[0].data == 0.0, exercise  # σ = 1/2, σ′ = 1/4
                assert math.isfinite(node.data)


def test_difficulty_sets_the_size_the_reuse_and_the_ops():
    def shape(exercise):
        found = exercise.passes[0]
        reused = sum(1 for node in found.order if found.uses(node) > 1)
        return len(found.order), reused, {node.op for node in found.order if node.op}

    for seed in SEEDS:
        small, middle, large = (shape(graph_exercise(seed, d)) for d in (1, 2, 3))
        assert small[1] >= 1 and middle[1] >= 2 and large[1] >= 2
        assert small[2] <= {"add", "mul"}
        assert middle[2] <= {"add", "mul", "sub", "pow"}
        assert small[0] < large[0]


def test_the_answers_are_the_engines():
    for exercise in every_exercise(3):
        for found in exercise.passes:
            for question in exercise.questions:
                if question.what == "grad" and question.step == found.step:
                    node = found.node(question.name)
                    assert question.answer == autograd.grad(found.root, node)
    exercise = sgd_exercise(0, 2)
    for step in exercise.sgd_steps:
        for name, value in step.after.items():
            rate = exercise.learning_rate
            assert value == step.before[name] - rate * step.grads[name]


def test_the_seed_sheets_exercise_1_as_a_lecturers_own():
    exercise = exercise_from_function(lambda x, y: x**2 + x * y + (x + y) ** 2, x=3, y=2)
    answers = exercise.answers()
    assert answers["grad(x)"] == 18.0 and answers["grad(y)"] == 13.0
    assert exercise.nice
    assert "f(x, y) = x² + x·y + (x + y)²" in exercise.statement


def test_a_lecturers_graph_is_not_changed():
    x = Value(2.0, label="x")
    root = x * x + x
    exercise = exercise_from_graph(root, "steps")
    assert exercise.answers()["grad(x)"] == 5.0
    assert [node.label for node in autograd.topological_order(root)] == ["x", None, None]


def test_a_small_nn_model_becomes_a_network_and_an_sgd_exercise():
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    for name, parameter in model.named_parameters():
        parameter.data = 0.5 if name.endswith("w.0") else -1.0
    before = model.state()
    network = exercise_from_model(model, [((1, 2), 1)])
    assert network.kind == "network"
    sgd = exercise_from_model(model, [((1, 2), 1), ((2, 0), -1)], learning_rate=0.5)
    assert sgd.kind == "sgd" and len(sgd.sgd_steps) == 2
    assert model.state() == before  # the model is not changed
    loss = nn.half_sum_squared_error([model([1.0, 2.0])], [1.0])
    loss.backward()
    for name, parameter in model.named_parameters():
        assert network.answers()[f"grad({name})"] == pytest.approx(parameter.grad)
        assert sgd.sgd_steps[0].after[name] == pytest.approx(before[name] - 0.5 * parameter.grad)
    assert check(sgd, sgd.answers()).all_correct


def test_the_seed_sheets_exercise_6_numbers():
    exercise = sgd_exercise(0, 2)
    first = exercise.sgd_steps[0]
    assert set(first.before.values()) == {0.0}  # zero init, as on the sheet
    assert first.grads["w"] == 0.0  # v = 0: the first layer does not move in step 1
    assert any(exercise.sgd_steps[1].grads[name] for name in ("w",))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="difficulty"):
        graph_exercise(0, 4)
    with pytest.raises(ValueError, match="kind"):
        generate("nope")
    with pytest.raises(ValueError, match="count"):
        generate("graph", 0)


# ---------------------------------------------------------------- numbers
def test_answers_are_read_as_a_student_writes_them():
    assert as_number("1/4") == 0.25 and as_number("−0,5") == -0.5 and as_number(Fraction(1, 3))
    assert same(as_number("0.333"), 1 / 3) and same(as_number("-0.667"), -2 / 3)
    assert not same(0.33, 1 / 3)
    for bad in ("x", "", True, None, "1/0"):
        with pytest.raises(ValueError):
            as_number(bad)
    assert fraction_text(-0.375) == "-3/8" and fraction_text(4.0) == "4"
    assert Niceness(bound=10)(12.0) is False and Niceness(denominator=4)(0.125) is False


# ---------------------------------------------------------------- checking
def decimals(number: float) -> str:
    return f"{number:.3f}"


@pytest.mark.parametrize("kind", KINDS)
def test_correct_working_is_always_accepted_also_as_3_place_decimals(kind):
    for difficulty in (1, 2, 3):
        for exercise in generate(kind, 8, seed=11, difficulty=difficulty):
            answers = exercise.answers()
            assert check(exercise, answers).all_correct
            assert check(exercise, {k: decimals(v) for k, v in answers.items()}).all_correct
            for found in exercise.passes:  # node by node as += contributions
                contributions = {
                    f"grad({found.names[node]}){found.suffix}": found.contributions(node)
                    for node in found.order
                    if found.contributions(node)
                    and f"grad({found.names[node]}){found.suffix}" in answers
                }
                assert check(exercise, contributions).all_correct


def injected_rates(exercises):
    """Inject every single classic mistake the variants can make; how often is it named?"""
    counts = collections.Counter()
    for exercise in exercises:
        found = exercise.passes[0]
        grads = [q for q in exercise.questions if q.what == "grad" and q.step == found.step]
        for variant in variants(found):
            for mode in ("node by node", "final only"):
                asked = (
                    grads
                    if mode == "node by node"
                    else [
                        q
                        for q in grads
                        if not found.node(q.name).parents or q.name in exercise.parameters
                    ]
                )
                answers = {q.key: variant.grads[found.node(q.name)] for q in asked}
                first = check(exercise, answers).first_wrong
                if first is None:
                    continue  # this mistake does not change these answers
                counts[mode, "total"] += 1
                counts[mode, "first"] += first.mistake == variant.mistake
                counts[mode, "named"] += variant.mistake in (first.mistake, *first.alternatives)
    return counts


def test_each_injected_mistake_is_diagnosed():
    exercises = [
        e
        for kind in ("graph", "steps", "network")
        for d in (1, 2, 3)
        for e in generate(kind, 10, seed=5, difficulty=d)
    ]
    counts = injected_rates(exercises)
    for mode in ("node by node", "final only"):
        total = counts[mode, "total"]
        assert total > 500
        # The mistake the diagnosis names first, or names as giving exactly the same
        # numbers (a product of 1 and c is c, as is forgetting the 1).
        assert counts[mode, "named"] / total >= 0.99, counts
        assert counts[mode, "first"] / total >= 0.95, counts


def seed_sheet():
    from autograd.command_line.demo import seed_graph

    return exercise_from_graph(seed_graph()[0])  # the sheet's names: a = x², ..., f


def test_a_forgotten_path_is_named():
    exercise = seed_sheet()
    report = check(exercise, {"x": 12})  # 2 + 10: the path x → a → d → f left out
    verdict = report["grad(x)"]
    assert not verdict.correct and verdict.mistake == "forgot_path"
    assert verdict.feedback == (
        "grad(x) misses the path x → a → d → f: a reused node adds the contributions of "
        "all its uses."
    )
    assert verdict.step == "grad(x) += ∂a/∂x · grad(a) = 6 · 1 = 6"
    contributions = check(exercise, {"x": [10, 6]})["grad(x)"]
    assert contributions.mistake == "forgot_path"


def test_a_wrong_local_derivative_is_named():
    exercise = seed_sheet()
    verdict = check(exercise, {"x": 15})["grad(x)"]  # d/dx x² = x: 3 + 2 + 10
    assert verdict.mistake == "local_derivative"
    assert "the derivative of u² is 2u, not u" in verdict.feedback
    x = Value(0.0, label="x")
    s = x.sigmoid()
    s.label = "s"
    f = s * 4
    f.label = "f"
    sigmoid = exercise_from_graph(f)
    verdict = check(sigmoid, {"x": 2})["grad(x)"]  # 4 · σ instead of 4 · σ(1 − σ)
    assert verdict.mistake == "local_derivative" and "σ(1 − σ), not σ" in verdict.feedback
    minus = exercise_from_function(lambda x, y: x * y - y * y, x=3, y=1)
    verdict = check(minus, {"y": 5})["grad(y)"]  # +2y instead of −2y
    assert verdict.mistake == "local_derivative" and "−1, not +1" in verdict.feedback


def test_multiplied_contributions_are_named():
    exercise = seed_sheet()
    verdict = check(exercise, {"x": 6 * 2 * 10})["grad(x)"]
    assert verdict.mistake == "multiplied"
    assert verdict.feedback.endswith("are added: 10 + 6 + 2 = 18.") or "added" in verdict.feedback


def test_a_missing_upstream_gradient_is_named():
    exercise = exercise_from_function(lambda x, y: (x * y) ** 2, x=1, y=2)
    right = exercise.answers()["grad(x)"]  # 2·(xy)·y = 8
    verdict = check(exercise, {"x": 2})["grad(x)"]  # ∂a/∂x = y alone, grad(a) = 4 left out
    assert right == 8 and verdict.mistake == "no_upstream"
    assert "leaves out grad(a) = 4" in verdict.feedback


def test_node_by_node_working_finds_the_first_wrong_step():
    exercise = seed_sheet()
    answers = exercise.answers()
    answers.update({"grad(c)": 5, "grad(x)": 13, "grad(y)": 8})  # 2c = c at e = c²
    report = check(exercise, answers)
    assert report.first_wrong.key == "grad(c)"
    assert report.first_wrong.mistake == "local_derivative"
    assert report["grad(x)"].mistake == "carried"  # right for the student's grad(c)
    assert check(exercise, {"x": 13})["grad(x)"].mistake == "local_derivative"
    assert "First wrong step: grad(c) += ∂e/∂c · grad(e)" in str(report)


def test_a_carried_error_points_at_its_source():
    exercise = seed_sheet()
    answers = {"grad(c)": 7, "grad(x)": 15}  # c wrong for no classic reason; x follows from it
    report = check(exercise, answers)
    assert report["grad(x)"].mistake == "carried"
    assert "follows correctly from your grad(c)" in report["grad(x)"].feedback


def sgd():
    exercise = sgd_exercise(0, 1)
    assert exercise.learning_rate != 1.0
    return exercise


def test_an_sgd_step_with_the_wrong_sign_or_learning_rate_is_named():
    exercise = sgd()
    step = exercise.sgd_steps[0]
    rate = exercise.learning_rate
    name = "w"
    wrong_sign = step.before[name] + rate * step.grads[name]
    verdict = check(exercise, {f"{name} step 1": wrong_sign})[f"{name} step 1"]
    assert verdict.mistake == "sgd_sign" and "SGD subtracts" in verdict.feedback
    no_rate = step.before[name] - step.grads[name]
    verdict = check(exercise, {f"{name} step 1": no_rate})[f"{name} step 1"]
    assert verdict.mistake == "sgd_learning_rate" and "learning rate" in verdict.feedback
    own = check(
        exercise,
        {
            f"grad({name}) step 1": step.grads[name] + 1,
            f"{name} step 1": step.before[name] - rate * (step.grads[name] + 1),
        },
    )
    assert own[f"{name} step 1"].mistake == "carried"


def test_a_step_from_stale_weights_is_named():
    exercise = sgd_exercise(0, 2)
    second = exercise.sgd_steps[1]
    stale = exercise.loss_builder(exercise.sgd_steps[0].before, second.x, second.y)
    found = autograd.exercises.Pass(stale, step=2)
    grad_w = found.grads[found.node("w")]
    value = second.before["w"] - exercise.learning_rate * grad_w
    if not same(value, second.after["w"]):
        verdict = check(exercise, {"w step 2": value})["w step 2"]
        assert verdict.mistake == "sgd_stale_weights"


def test_unknown_keys_and_bad_numbers_are_refused():
    exercise = seed_sheet()
    with pytest.raises(KeyError, match="not asked") as refused:
        check(exercise, {"grad(q)": 1})
    assert str(refused.value).startswith("'grad(q)' is not asked on this sheet; the keys are ")
    report = check(exercise, {"x": "eighteen", "grad(y)": 13})  # one bad answer, one good
    assert not report["grad(x)"].correct and "not read as a number" in report["grad(x)"].feedback
    assert report["grad(y)"].correct and "eighteen" in str(report)


def test_every_diagnosis_is_one_sentence():
    for exercise in every_exercise(2):
        for found in exercise.passes[:1]:
            for variant in variants(found):
                for name in found.by_name:
                    sentence = variant.explain(name)
                    assert sentence.endswith(".") and "\n" not in sentence
                    assert sentence.count(". ") == 0, sentence
                assert variant.mistake in MISTAKES


# ---------------------------------------------------------------- sheets
def test_the_html_sheets_hold_the_pictures_inline():
    exercises = generate("graph", 2, seed=7)
    problems = problem_sheet(exercises)
    solutions = solution_sheet(exercises)
    assert problems.startswith("<!DOCTYPE html>") and problems.count("<svg") == 2
    assert solutions.count("<svg") == 2
    for page in (problems, solutions):
        assert "http://" not in page.replace("http://www.w3.org", "")  # no links out
        assert "<script" not in page and "@media print" in page
    assert "grad(x) += " in solutions and "path(s) from x to f" in solutions
    assert "grad(x) += " not in problems
    for question in exercises[0].questions:  # no answers on the problem sheet
        assert f"{question.prompt} =</td><td>{fraction_text(question.answer)}<" in solutions


def test_the_problem_picture_shows_no_gradient_and_no_inner_value():
    exercise = network_exercise(2, 2)
    page = problem_sheet(exercise)
    found = exercise.passes[0]
    hidden = fraction_text(found.root.data)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert f"L = {hidden}" not in svg and "grad" not in svg
    assert "w11 = " in svg  # the given parameters are shown


def test_markdown_sheets(tmp_path):
    exercises = generate("sgd", 1, seed=2)
    written = write_sheets(exercises, tmp_path / "sheet.md", tmp_path / "solutions.md")
    problems, solutions = (path.read_text(encoding="utf-8") for path in written)
    assert problems.startswith("# ") and "data:image/svg+xml;base64," in problems
    assert "### Step 2" in solutions and "| asked | answer |" in solutions


def test_write_sheets_refuses_a_bad_name_before_writing(tmp_path):
    with pytest.raises(ValueError, match=r"\.html, \.md \(Markdown\) or \.pdf"):
        write_sheets(generate("graph", 1), tmp_path / "sheet.html", tmp_path / "solutions.txt")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="give the solutions another file"):
        write_sheets(generate("graph", 1), tmp_path / "same.html", tmp_path / "." / "same.html")
    assert list(tmp_path.iterdir()) == []


def test_a_markdown_title_is_text_not_html(tmp_path):
    title = 'Week 3 <img src=x onerror="alert(1)"> & more\n# not a heading'
    (written,) = write_sheets(generate("graph", 1), tmp_path / "sheet.md", title=title)
    first = written.read_text(encoding="utf-8").splitlines()[0]
    assert first == ('# Week 3 &lt;img src=x onerror="alert(1)"&gt; &amp; more # not a heading')


def test_pdf_sheets_with_pip_alone(tmp_path):
    import shutil
    import subprocess

    exercises = generate("graph", 2, seed=7)
    written = write_sheets(exercises, tmp_path / "sheet.pdf", tmp_path / "solutions.pdf")
    assert [path.name for path in written] == ["sheet.pdf", "solutions.pdf"]
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"%PDF")
        dates = re.findall(rb"/(?:Creation|Mod)Date \(D:(\d{14})", data)
        assert dates and set(dates) == {b"20000101000000"}  # no clock time: the same bytes
    again = write_sheets(exercises, tmp_path / "again.pdf", tmp_path / "again_solutions.pdf")
    assert [path.read_bytes() for path in again] == [path.read_bytes() for path in written]
    if shutil.which("pdftotext") is None:  # CI installs poppler-utils; a pip-only machine may not
        pytest.skip("pdftotext (poppler-utils) is not installed to read the PDF's text")
    text = subprocess.run(
        ["pdftotext", str(written[1]), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "Exercise 1" in text and "solutions" in text and "∂f/∂x" in text
    problem = subprocess.run(
        ["pdftotext", str(written[0]), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "Exercise 2" in problem and "grad(" not in problem  # no answers on the problem sheet


# ---------------------------------------------------------------- layering
def test_only_the_command_line_imports_the_exercises():
    for path in [*(ROOT / "autograd").rglob("*.py"), *(ROOT / "nn").rglob("*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("autograd/exercises/", "autograd/command_line/")):
            continue
        assert "autograd.exercises" not in path.read_text(encoding="utf-8"), relative
    for path in (ROOT / "autograd" / "exercises").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("autograd.command_line", "nn")), path.name
            if isinstance(node, ast.Import):
                assert all(not a.name.startswith("nn") for a in node.names), path.name


# ---------------------------------------------------------------- command line
def run_cli(*words: str):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "autograd", *words],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_sheet_command_writes_both_sheets(tmp_path):
    sheet, solutions = tmp_path / "sheet.html", tmp_path / "solutions.html"
    finished = run_cli(
        "sheet", "--kind", "graph", "--count", "5", "--seed", "7",
        "-o", str(sheet), "--solutions", str(solutions),
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines() == [f"wrote {sheet}", f"wrote {solutions}"]
    assert sheet.read_text(encoding="utf-8").count("<svg") == 5
    expected = solution_sheet(generate("graph", 5, seed=7), "html")
    assert solutions.read_text(encoding="utf-8") == expected  # the same seed, the same sheet


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("--kind", "nope", "-o", "s.html"), "invalid choice: 'nope'"),
        (("-o", "s.html", "--solutions", "t.txt"), "must end in .html, .md (Markdown) or .pdf"),
        (("-o", "s.html", "--count", "0"), "from 1 to 50"),
        (("-o", "s.html", "--count", "many"), "invalid int value"),
        (("-o", "s.html", "--difficulty", "4"), "invalid choice: 4"),
        (("-o", "s.html", "--solutions", "s.html"), "another file"),
        (("--kind", "sgd"), "required: -o/--output"),
    ],
)
def test_the_sheet_command_refuses_bad_input_in_one_line(tmp_path, words, message):
    finished = subprocess_in(tmp_path, *words)
    assert finished.returncode == 2
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pathgrad: error: ") and message in lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing written, not even half


def subprocess_in(folder, *words):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "autograd", "sheet", *words],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=folder,
    )


def test_an_unwritable_sheet_is_one_line_exit_1(tmp_path):
    finished = run_cli("sheet", "-o", "/proc/self/sheet.html")
    assert finished.returncode == 1
    assert len(finished.stderr.strip().splitlines()) == 1
    assert "cannot write" in finished.stderr


# ---------------------------------------------------------------- the notebook form
def test_the_answer_sheet_gives_feedback_per_box_and_a_static_fallback():
    from autograd.exercises import answer_sheet

    form = answer_sheet(seed_sheet())
    assert "a notebook form; outside Jupyter, autograd.exercises.check(" in repr(form)
    form.fill({"grad(x)": 12, "grad(y)": "13", "grad(d)": "ten"})
    report = form.check()
    assert form.feedback["grad(y)"] == "✓ correct"
    assert form.feedback["grad(x)"].startswith("✗ grad(x) misses the path x → a → d → f")
    assert "not a number" in form.feedback["grad(d)"]
    assert not report.all_correct
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the live form
    static = bundle["text/html"]  # what GitHub and an HTML export show
    assert "<svg" in static and "<script" not in static and "grad(x)" not in static.split("<svg")[0]
    form._boxes["grad(x)"].value = "18"  # typing in the box
    form.check()
    assert form.feedback["grad(x)"] == "✓ correct"
    assert "correct" in form._labels["grad(x)"].value
    assert form.entries["grad(x)"] == "18"
    form.fill({"x": [10, 6, 2]})
    assert form.check()["grad(x)"].correct


def test_answers_no_float_can_hold_are_refused_at_once(monkeypatch):
    """Fraction("1e30000000") would build a 30-million-digit integer (33 s); "1e400"
    let an OverflowError through check()."""
    import autograd.exercises.numbers as numbers

    real_fraction = numbers.Fraction

    def small_only(text, *rest):
        assert len(str(text)) <= 100 and "e4000" not in str(text), "a huge number was built"
        assert "00000000" not in str(text), "an exponent read past its leading zeros"
        return real_fraction(text, *rest)

    monkeypatch.setattr(numbers, "Fraction", small_only)
    zeros_first = ("1e00000000000099999999", "1E+0_000000000000099999999", "1e-0000000000000999")
    for text in ("1e30000000", "1e100000000", "9" * 5000, "1e400", "-1e401", *zeros_first):
        with pytest.raises(ValueError, match="larger than an answer can be|too large for a float"):
            as_number(text)
    assert as_number("1e-5") == 1e-5 and as_number("−3/4") == -0.75
    report = check(seed_sheet(), {"grad(x)": "1e400", "grad(y)": 13})
    assert not report["grad(x)"].correct and report["grad(y)"].correct


def test_each_exercise_of_a_pdf_problem_sheet_fits_on_a_page(tmp_path):
    """The blanks are set two to a row and the picture at most 40 % of the page high:
    difficulty 3 had left the title alone on page 1 and two blanks alone on page 3."""
    exercises = generate("network", 2, seed=3, difficulty=3)
    (written,) = write_sheets(exercises, tmp_path / "sheet.pdf")
    pages = re.findall(rb"/Type /Page\b(?!s)", written.read_bytes())
    assert len(pages) == 2


def test_check_wants_answers_by_key():
    exercise = graph_exercise(5, 2)
    with pytest.raises(TypeError, match=r"answers map each key to a number, e.g. \{'grad\(x\)'"):
        check(exercise, [18, 13])
