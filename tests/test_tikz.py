"""LaTeX output: ``Drawing.save("graph.tex")`` and ``save_steps(root, "steps.tex")``.

The compile tests run the real pdflatex (Debian: texlive-latex-base,
texlive-pictures, texlive-latex-extra; ``.ci/run`` installs them) and read the
PDF with poppler-utils (pdfinfo, pdftotext). Without them they are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograd import Value, draw, save_steps
from autograd.command_line.demo import seed_graph
from autograd.views import tikz
from autograd.views.stepper import StepFrames

TEX_TOOLS = all(shutil.which(tool) for tool in ("pdflatex", "pdfinfo", "pdftotext"))
needs_tex = pytest.mark.skipif(not TEX_TOOLS, reason="needs pdflatex and poppler-utils")

NASTY = "w\\_{1} 50% #2 & x^2 ~y $ é ∂α²₁ ☃"


def compile_tex(folder: Path, name: str) -> Path:
    """Run pdflatex twice-safe, once, on ``folder/name``; fail with the log's error."""
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=180,
    )
    pdf = folder / Path(name).with_suffix(".pdf")
    errors = [line for line in result.stdout.splitlines() if line.startswith("!")]
    assert result.returncode == 0 and pdf.exists(), f"pdflatex failed: {errors[:5]}"
    return pdf


def pdf_info(pdf: Path) -> dict[str, str]:
    output = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in output.splitlines() if ":" in line)
    )


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def test_text_escapes_every_special_character():
    escaped = tikz.text("\\{}%#&_^~$")
    for bare in ("%", "#", "&", "_", "$"):
        assert f"\\{bare}" in escaped
    assert "\\textbackslash{}" in escaped and "\\textasciicircum{}" in escaped
    assert tikz.text("∂α²₁") == r"$\partial$$\alpha$\textsuperscript{2}\textsubscript{1}"
    assert tikz.text("☃") == r"\texttt{U+2603}"
    assert tikz.text("é") == "é"


def test_math_labels_from_the_op_table():
    assert tikz.math("y·x^(y−1)") == r"y\cdot x^{y-1}"
    assert tikz.math("1/(2√x)") == r"1/(2\sqrt{x})"
    assert tikz.math("1 − tanh²(x)") == r"1 - \tanh ^{2}(x)"
    # A user's name is escaped as a name: its ^ and _ print as themselves.
    assert tikz.math("\ue000", {"\ue000": "a_b^c"}) == r"a\_b{\wedge}c"


def test_tex_file_holds_positions_cards_and_math_labels(tmp_path):
    f, _, _ = seed_graph()
    f.backward()
    written = draw(f, derivatives="formula").save(tmp_path / "graph.tex")
    source = written.read_text(encoding="utf-8")
    assert source.count(r"\node[pgcard") == 8
    assert "$2x = 6$" in source and "$2c = 10$" in source
    assert re.search(r"\(n0\) at \([0-9.]+pt,[0-9.]+pt\)", source)
    assert r"\begin{tikzpicture}" in source and source.rstrip().endswith(r"\pathgradend")


def test_grouped_drawings_say_what_to_do_instead(tmp_path):
    from nn import MLP

    model = MLP(2, [2, 1])
    loss = model([Value(1.0), Value(2.0)])
    with pytest.raises(ValueError, match="pdf"):
        draw(loss, group="neuron").save(tmp_path / "g.tex")


@needs_tex
def test_drawing_compiles_alone_and_inside_a_beamer_slide(tmp_path):
    f, x, y = seed_graph()
    x.label = NASTY  # every special character, and unicode pdflatex has no glyph for
    f.backward()
    draw(f, derivatives="formula").save(tmp_path / "graph.tex")
    alone = compile_tex(tmp_path, "graph.tex")
    info = pdf_info(alone)
    assert info["Pages"] == "1"
    width, height = (float(n) for n in re.findall(r"[0-9.]+", info["Page size"])[:2])
    assert 300 < width < 1500 and 100 < height < 800  # the layout's box, in points
    text = pdf_text(alone)
    for name in ("y", "a", "b", "c", "d", "e", "f", "50%", "#2", "&", "U+2603"):
        assert name in text, name
    assert "2c = 10" in text and "data" in text and "grad" in text

    (tmp_path / "slide.tex").write_text(
        "\\documentclass{beamer}\n\\usepackage{tikz}\n\\begin{document}\n"
        "\\begin{frame}{The seed graph}\n\\resizebox{\\textwidth}{!}{\\input{graph.tex}}\n"
        "\\end{frame}\n\\end{document}\n",
        encoding="utf-8",
    )
    slide = compile_tex(tmp_path, "slide.tex")
    info = pdf_info(slide)
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("362.8")  # Beamer's 128 mm × 96 mm
    text = pdf_text(slide)
    assert "The seed graph" in text and "2c = 10" in text


@needs_tex
def test_step_overlays_give_one_beamer_slide_per_step(tmp_path):
    f, _, _ = seed_graph()
    [written] = save_steps(f, tmp_path / "steps.tex")
    assert written.name == "steps.tex"
    count = len(StepFrames(f))
    source = written.read_text(encoding="utf-8")
    assert len(re.findall(r"^\\only<\d+>", source, re.MULTILINE)) == count
    (tmp_path / "deck.tex").write_text(
        "\\documentclass{beamer}\n\\usepackage{tikz}\n\\begin{document}\n"
        "\\begin{frame}{Backward pass}\n\\input{steps.tex}\n\\end{frame}\n\\end{document}\n",
        encoding="utf-8",
    )
    deck = compile_tex(tmp_path, "deck.tex")
    assert pdf_info(deck)["Pages"] == str(count)
    text = pdf_text(deck)
    assert f"Step 1 of {count}: f passes grad(f) = 1" in text
    assert f"Step {count} of {count}" in text


@needs_tex
@pytest.mark.parametrize("theme", ["default", "print", "dark", "cs231n"])
def test_every_theme_compiles_with_tikz_alone(theme, tmp_path):
    """No TikZ library beyond tikz itself: the cs231n labels used calc's ($(a)!0.5!(b)$),
    which a standalone file (and a slide's preamble) does not load."""
    f, _, _ = seed_graph()
    f.backward()
    draw(f, theme=theme).save(tmp_path / "graph.tex")
    assert "usetikzlibrary" not in (tmp_path / "graph.tex").read_text(encoding="utf-8")
    assert pdf_info(compile_tex(tmp_path, "graph.tex"))["Pages"] == "1"


def test_a_picture_past_what_tex_can_measure_is_refused_and_nothing_written(tmp_path):
    total = Value(1.0, label="a0")
    for index in range(1, 150):  # a 150-term sum lies 19,833 pt wide
        total = total + Value(1.0, label=f"a{index}")
    with pytest.raises(ValueError, match=r"pt, past the 16,000 pt TeX can measure"):
        draw(total).save(tmp_path / "wide.tex")
    assert list(tmp_path.iterdir()) == []
