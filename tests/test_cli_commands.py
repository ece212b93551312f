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
