"""``pathgrad draw``: builds, differentiates and renders an expression; fails cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import grad
from autograd.command_line.commands import main
from autograd.command_line.demo import seed_graph

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SEED = "x**2 + x*y + (x+y)**2"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, with only the pip renderer on hand."""
    monkeypatch.chdir(tmp_path)
    empty = tmp_path.parent / f"{tmp_path.name}-empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return tmp_path


def test_draw_writes_png_and_says_where(workdir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["draw", SEED, "x=3", "y=2", "-o", "out/graph.png"]) == 0
    assert (workdir / "out" / "graph.png").read_bytes().startswith(PNG_SIGNATURE)
    printed = capsys.readouterr().out
    assert "out/graph.png" in printed and "graphviz-pure" in printed


def test_draw_dot_has_gradients_and_formulas(workdir: Path) -> None:
    arguments = ["draw", SEED, "x=3", "y=2", "-o", "g.dot", "--derivatives", "formula"]
    assert main([*arguments, "--rankdir", "TB", "--precision", "3"]) == 0
    source = (workdir / "g.dot").read_text(encoding="utf-8")
    assert "rankdir=TB" in source
    reference, x, y = seed_graph()
    x_grad, y_grad = grad(reference, [x, y])
    assert f'<TD ALIGN="RIGHT">{x_grad:g}</TD>' in source
    assert f'<TD ALIGN="RIGHT">{y_grad:g}</TD>' in source
    assert "label=<2x = 6>" in source and "label=<2·add2 = 10>" in source
    assert "<B>f</B>" in source  # the output is called f


def test_no_grad_skips_backward_and_the_grad_row(workdir: Path) -> None:
    assert main(["draw", "x*y", "x=3", "y=2", "-o", "g.dot", "--no-grad"]) == 0
    source = (workdir / "g.dot").read_text(encoding="utf-8")
    assert ">grad<" not in source and ">data<" in source


def test_svg_contains_the_edge_labels(workdir: Path) -> None:
    assert main(["draw", "sigmoid(w*x)", "w=0.5", "x=2", "-o", "g.svg"]) == 0
    svg = (workdir / "g.svg").read_text(encoding="utf-8")
    assert ">0.1966<" in svg  # σ'(1) = σ(1)(1 − σ(1)) on the edge into the sigmoid
    assert ">w<" in svg and ">x<" in svg


HOSTILE = [
    ["draw", "__import__('os').system('touch X')", "-o", "g.png"],
    ["draw", "().__class__", "-o", "g.png"],
    ["draw", "x.__dict__", "x=1", "-o", "g.png"],
    ["draw", "open('f')", "-o", "g.png"],
    ["draw", "x+" * 2000 + "x", "x=1", "-o", "g.png"],
    ["draw", "(" * 5000 + "x" + ")" * 5000, "x=1", "-o", "g.png"],
    ["draw", "-" * 999 + "x", "x=1", "-o", "g.png"],
    ["draw", "x + z", "x=1", "-o", "g.png"],
    ["draw", "x", "x=abc", "-o", "g.png"],
    ["draw", "log(x)", "x=0", "-o", "g.png"],
    ["draw", "x", "x=1", "-o", "g.txt"],
    ["draw", "x", "x=1"],
    ["draw", "x", "x=1", "-o", "g.png", "--rankdir", "XY"],
]


@pytest.mark.parametrize("arguments", HOSTILE, ids=lambda arguments: arguments[1][:20])
def test_bad_input_fails_with_one_line_exit_2_and_creates_nothing(
    arguments: list[str], workdir: Path, capsys: pytest.CaptureFixture
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(arguments)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("pathgrad: error: ")
    assert captured.err.count("\n") == 1
    assert list(workdir.iterdir()) == []


def test_python_m_autograd_draw_rejects_code_injection(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "autograd", "draw", "__import__('os').system('touch X')"]
        + ["-o", "g.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert finished.returncode == 2
    assert finished.stderr.startswith("pathgrad: error: ")
    assert list(tmp_path.iterdir()) == []


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """``pathgrad steps ... | head -1``: no traceback, exit 0."""
    long_sum = " + ".join(["x*y"] * 160)  # a table far longer than a pipe's buffer
    process = subprocess.Popen(
        [sys.executable, "-m", "autograd", "steps", long_sum, "x=3", "y=2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like head: stop reading after the first line
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in error and "BrokenPipe" not in error


def test_draw_takes_a_theme_a_dpi_and_a_tikz_file(workdir: Path) -> None:
    from PIL import Image

    assert main(["draw", "tanh(x*y)", "x=1", "y=2", "--theme", "dark", "-o", "dark.png"]) == 0
    assert main(["draw", "tanh(x*y)", "x=1", "y=2", "--dpi", "72", "-o", "small.png"]) == 0
    dark, small = Image.open(workdir / "dark.png"), Image.open(workdir / "small.png")
    assert sum(dark.convert("RGB").getpixel((2, 2))) < 150  # a dark background
    assert small.width * 2 < dark.width + 20  # 72 dpi against the default 144
    assert main(["draw", "x*y", "x=1", "y=2", "-o", "g.tex"]) == 0
    assert "\\begin{tikzpicture}" in (workdir / "g.tex").read_text(encoding="utf-8")


def test_a_picture_too_large_gets_command_line_advice(workdir: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["draw", "+".join(["x"] * 160), "x=1", "--dpi", "2400", "-o", "fan.png"])
    error = capsys.readouterr().err
    assert exited.value.code == 1 and "give a lower --dpi, or save as .svg" in error
    assert "max_pixels" not in error and not (workdir / "fan.png").exists()
