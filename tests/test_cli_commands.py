"""``pathgrad`` arguments: expressions starting with a minus, output names, shared options."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd.command_line.commands import main


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, with only the pip renderer on hand."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return folder


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


def test_paths_limit_must_be_positive(workdir: Path, capsys) -> None:
    code, out, error = run([*COMMANDS["paths"], "--limit", "0"], capsys)
    assert_usage_error(code, out, error, "argument --limit: ", "positive whole number")
