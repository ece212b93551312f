"""``pathgrad`` arguments: expressions starting with a minus, output names, shared options."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import pytest

from autograd.command_line import expression
from autograd.command_line.commands import DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, main
from autograd.views import rendering


def run(arguments: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``pathgrad arguments``, in this process."""
    try:
        code = main(arguments)
    except SystemExit as exited:
        code = exited.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_usage_error(code: int, out: str, error: str, *expected: str) -> None:
    assert code == 2, error
    assert out == ""
    assert error.startswith("pathgrad: error: ") and error.count("\n") == 1, error
    for text in expected:
        assert text in error, (text, error)


# ---------------------------------------------------------------- a leading minus
@pytest.mark.parametrize(
    "arguments",
    [
        ["draw", "-x**2", "x=3", "-o", "g.dot"],
        ["draw", "-o", "g.dot", "-x**2", "x=3"],
        ["draw", "--output=g.dot", "--precision", "3", "-x**2", "x=3"],
        ["draw", "-og.dot", "--no-grad", "-x**2", "x=3"],
        ["draw", "-o", "g.dot", "--", "-x**2", "x=3"],
    ],
    ids=["first", "after -o", "after --output= and --precision", "after -og.dot", "after --"],
)
def test_draw_takes_an_expression_starting_with_a_minus(
    arguments: list[str], workdir: Path, capsys
) -> None:
    code, out, error = run(arguments, capsys)
    assert (code, error) == (0, "")
    source = (workdir / "g.dot").read_text(encoding="utf-8")
    assert "<B>f</B>" in source
    assert '<TD ALIGN="RIGHT">−9</TD>' in source  # f = -(3**2), with a typographic minus


def test_steps_and_paths_take_an_expression_starting_with_a_minus(workdir: Path, capsys) -> None:
    code, out, error = run(["steps", "-x*y", "x=3", "y=2"], capsys)
    assert (code, error) == (0, "") and "Backward pass of f = -6" in out
    code, out, error = run(["paths", "--wrt", "x", "-x*y", "x=3", "y=2"], capsys)
    assert (code, error) == (0, "") and "∂f/∂x = -2" in out
    code, out, error = run(["paths", "-(x*y)", "--wrt", "y", "x=3", "y=2"], capsys)
    assert (code, error) == (0, "") and "∂f/∂y = -3" in out


def test_an_unknown_option_is_still_an_unknown_option(workdir: Path, capsys) -> None:
    code, out, error = run(["draw", "x", "x=1", "-o", "g.dot", "--colour", "red"], capsys)
    assert_usage_error(code, out, error, "unrecognized arguments: --colour red")


# ---------------------------------------------------------------- --html and --frames names
@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (["--html", "page"], "'page' does not end in .html; write it as page.html"),
        (["--html", "out/page/"], "does not end in .html"),
        (["--html", "steps.png"], "write it as steps.html"),
        (["--frames", "steps.png"], "looks like a file name (.png), but --frames takes the folder"),
        (["--frames", "steps.gif"], "give a folder, e.g. --frames steps/"),
        (["--frames", "steps.html"], "for the page, use --html 'steps.html'"),
        (["--frames", ""], "give the folder for the frames"),
    ],
)
def test_steps_refuses_an_ambiguous_page_or_folder_name_before_any_work(
    option: list[str], expected: str, workdir: Path, capsys
) -> None:
    code, out, error = run(["steps", "x*y", "x=3", "y=2", *option], capsys)
    assert_usage_error(code, out, error, f"argument {option[0]}: ", expected)
    assert list(workdir.iterdir()) == []  # no folder of PNGs, no GIF, no table printed


def test_an_existing_folder_with_a_dot_is_a_frames_folder(workdir: Path, capsys) -> None:
    (workdir / "week.3").mkdir()
    code, out, error = run(["steps", "x*y", "x=3", "y=2", "--frames", "week.3"], capsys)
    assert (code, error) == (0, "")
    written = sorted(path.name for path in (workdir / "week.3").iterdir())
    assert written[0] == "step_01.png" and written[-1] == "steps.gif"


def test_html_page_names_ending_in_html_are_written(workdir: Path, capsys) -> None:
    code, out, error = run(["steps", "x*y", "x=3", "y=2", "--html", "Page.HTML"], capsys)
    assert (code, error) == (0, "") and "wrote Page.HTML" in out
    assert (workdir / "Page.HTML").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- --precision, one rule
COMMANDS = {
    "draw": ["draw", "x/3", "x=1", "-o", "g.dot"],
    "steps": ["steps", "x/3", "x=1"],
    "paths": ["paths", "x/3", "--wrt", "x", "x=1"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("bad", ["0", "-1", "18", "100000000", "2.5", "four", "9" * 5000])
def test_precision_is_1_to_17_digits_for_every_command(
    command: str, bad: str, workdir: Path, capsys
) -> None:
    code, out, error = run([*COMMANDS[command], "--precision", bad], capsys)
    assert_usage_error(code, out, error, "argument --precision: ", "from 1 to 17")
    assert len(error) < 300
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_precision_is_used_by_every_command(command: str, workdir: Path, capsys) -> None:
    code, out, error = run([*COMMANDS[command], "--precision", "2"], capsys)
    assert (code, error) == (0, "")
    shown = out if command != "draw" else (workdir / "g.dot").read_text(encoding="utf-8")
    assert "0.33" in shown and "0.333" not in shown


def test_paths_over_the_limit_give_command_line_advice(workdir: Path, capsys) -> None:
    code, out, error = run(["paths", "x*x*x", "--wrt", "x", "x=3", "--limit", "1"], capsys)
    assert_usage_error(code, out, error, "along 3 paths, more than --limit 1", "raise --limit")
    assert "islice" not in error and "limit=" not in error


def test_paths_limit_must_be_positive(workdir: Path, capsys) -> None:
    code, out, error = run([*COMMANDS["paths"], "--limit", "0"], capsys)
    assert_usage_error(code, out, error, "argument --limit: ", "positive whole number")


# ---------------------------------------------------------------- renderer time limit
@pytest.fixture
def slow_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder and a system ``dot`` that answers -V but never finishes a picture."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    fake_bin = tmp_path / "slow-bin"
    fake_bin.mkdir()
    dot = fake_bin / "dot"
    dot.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-V" ]; then echo "dot - graphviz version 9.9.9 (0)" >&2; exit 0; fi\n'
        f"exec {shutil.which('sleep')} 300\n"
    )
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_bin))
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="the fake dot is a shell script")
@pytest.mark.parametrize(
    ("arguments", "advice"),
    [
        (["draw", "x*y", "x=3", "y=2", "-o", "g.svg"], "save as .dot (no layout needed)"),
        (["steps", "x*y", "x=3", "y=2", "--html", "s.html"], "step through a smaller graph"),
    ],
    ids=["draw", "steps"],
)
def test_timeout_stops_a_slow_renderer_with_one_line(
    arguments: list[str], advice: str, slow_dot: Path, capsys
) -> None:
    code, out, error = run([*arguments, "--timeout", "0.2"], capsys)
    assert code == 1
    assert error.startswith("pathgrad: error: system dot 9.9.9 ") and error.count("\n") == 1
    assert "took more than 0.2 s" in error and "--timeout 120" in error and advice in error
    assert list(slow_dot.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="the fake dot is a shell script")
def test_without_timeout_the_library_default_applies(slow_dot: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(rendering, "RENDER_TIMEOUT_SECONDS", 0.2)
    code, out, error = run(["draw", "x*y", "x=3", "y=2", "-o", "g.svg"], capsys)
    assert code == 1 and "took more than 0.2 s" in error


def test_the_help_states_the_library_default_time_limit() -> None:
    assert DEFAULT_TIMEOUT_SECONDS == rendering.RENDER_TIMEOUT_SECONDS <= 30
    assert MAX_TIMEOUT_SECONDS == rendering.MAX_TIMEOUT_SECONDS == 86_400
    with pytest.raises(ValueError, match="up to 86,400"):
        rendering.render("digraph { a }", "svg", timeout=1e7)  # poll() overflowed past 2.1e6


@pytest.mark.parametrize("bad", ["0", "-1", "nan", "inf", "soon", "1e7", "86401"])
def test_timeout_must_be_a_positive_number_of_seconds(bad: str, workdir: Path, capsys) -> None:
    code, out, error = run(["draw", "x", "x=1", "-o", "g.svg", "--timeout", bad], capsys)
    assert_usage_error(code, out, error, "argument --timeout: ", "positive number of seconds")


# ---------------------------------------------------------------- a format no renderer writes
def test_pdf_without_a_renderer_for_it_is_refused_before_any_work(
    workdir: Path, capsys, monkeypatch
) -> None:
    def no_work(*arguments, **options):
        raise AssertionError("the expression was parsed before the output was checked")

    monkeypatch.setattr(expression, "parse_expression", no_work)
    # graphviz-pure writes PDF through svglib + reportlab; without them it cannot.
    pure = rendering._pure_renderer()
    without_pdf = dataclasses.replace(pure, formats=tuple(f for f in pure.formats if f != "pdf"))
    monkeypatch.setattr(rendering, "_pure_renderer", lambda: without_pdf)
    code, out, error = run(["draw", "x*y", "x=3", "y=2", "-o", "g.pdf"], capsys)
    assert code == 1 and out == "" and error.count("\n") == 1
    assert "no renderer here can write PDF (graphviz-pure" in error
    assert "save as .svg or .png, or install the system Graphviz" in error
    assert list(workdir.iterdir()) == []


def test_steps_pictures_without_any_renderer_are_refused_before_any_work(
    workdir: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setattr(rendering, "_pure_renderer", lambda: None)
    code, out, error = run(["steps", "x*y", "x=3", "y=2", "--frames", "frames"], capsys)
    assert code == 1 and out == ""  # not even the table
    assert "no Graphviz renderer found" in error and error.count("\n") == 1
    assert list(workdir.iterdir()) == []


def test_compile_prints_the_source_and_its_steps(capsys) -> None:
    from autograd.command_line.commands import main

    assert main(["compile", "x**2 + x*y + (x+y)**2", "x=3", "y=2"]) == 0
    output = capsys.readouterr().out
    assert output.startswith("def forward_backward(x, y, parameters):")
    assert (
        "grad_x = grad_x + 2.0 * x * grad_pow1  grad(x) += ∂pow1/∂x · grad(pow1) = 6 · 1 = 6"
        in output
    )
    assert main(["compile", "x*y", "x=3", "y=2", "--source-only"]) == 0
    assert "backward step" not in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main(["compile", "log(x)", "x=-1"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_version_and_an_unknown_option_of_a_command(workdir: Path, capsys) -> None:
    from autograd import __version__

    code, out, error = run(["--version"], capsys)
    assert (code, out.strip(), error) == (0, f"pathgrad {__version__}", "")
    code, out, error = run(["steps", "x*y", "x=3", "y=2", "-o", "a.png"], capsys)
    expected = ("unrecognized arguments: -o a.png", "pathgrad steps --help")
    assert_usage_error(code, out, error, *expected)
    assert list(workdir.iterdir()) == []


def test_a_bare_pathgrad_prints_the_help_and_a_misspelt_command_is_named(capsys) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("usage: pathgrad")
    for typed, meant in (("drwa", "draw"), ("steeps", "steps"), ("compiel", "compile")):
        with pytest.raises(SystemExit) as stopped:
            main([typed, "x", "x=1"])
        error = capsys.readouterr().err
        assert stopped.value.code == 2 and error.count("\n") == 1
        assert f"invalid choice: '{typed}'" in error and f"; did you mean {meant}?" in error
    with pytest.raises(SystemExit):
        main(["zzz"])
    assert "did you mean" not in capsys.readouterr().err


def test_compile_that_fails_prints_nothing_but_the_error(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["compile", "atan2(y, x)", "x=0", "y=0"])  # no derivative at the origin
    captured = capsys.readouterr()
    assert stopped.value.code == 2 and captured.out == ""
    assert captured.err.startswith("pathgrad: error: backward: the gradient of node")


@pytest.mark.parametrize("command", ["draw", "steps", "paths", "compile"])
def test_a_value_the_expression_does_not_use_is_refused(
    command: str, workdir: Path, capsys
) -> None:
    options = {"draw": ["-o", "g.dot"], "steps": [], "paths": ["--wrt", "x"], "compile": []}
    code, out, error = run([command, "x*x", "x=3", "y=2", *options[command]], capsys)
    assert_usage_error(code, out, error, "y=2 is given, but the expression 'x*x' does not use it")
    assert not (workdir / "g.dot").exists()
    code, out, error = run([command, "3", "x=3", "y=2.5", *options[command]], capsys)
    assert_usage_error(code, out, error, "x=3, y=2.5 are given", "does not use them")
