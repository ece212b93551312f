"""Drawings as LaTeX: a TikZ picture for pdflatex and Beamer slides.

``draw(f).save("graph.tex")`` writes a file that is both

* a standalone document: ``pdflatex graph.tex`` makes a PDF of the picture alone;
* a picture to ``\\input``: inside a document (a Beamer frame) the same file
  draws only its ``tikzpicture`` (the document's preamble needs ``\\usepackage{tikz}``).

Node centres come from the Graphviz layout (``autograd.layout``, in points), so
the picture looks like the PNG; each card is a TikZ node holding a small table
(name and op, then data and grad), each edge follows Graphviz's route and its
label is in math mode (``$2x = 6$``) at Graphviz's label position.

Every text a user chose (labels, titles) is escaped: ``\\ { } % # & _ ^ ~ $``
print as themselves, and characters pdflatex has no glyph for (∂, ², ₁, Greek
letters, ...) are written as LaTeX commands; anything else becomes ``U+XXXX``.

``save_steps(f, "steps.tex")`` writes the step frames as one file to ``\\input``
in a Beamer frame: one ``\\only<n>`` overlay per step, all pinned to one layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["text", "math", "tikz_picture", "standalone", "TikzCard", "TikzEdge", "TikzModel"]

# ---------------------------------------------------------------- escaping
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "$": r"\$",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "\n": " ",
    "\t": " ",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿⁱ", "0123456789+-()ni"))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₍₎ₐₑₒₓ", "0123456789+-()aeox"))
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Φ": "Phi",
    "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
# Characters written as math symbols, in text ($...$ around them) and in math.
_MATH_SYMBOLS = {
    "∂": r"\partial", "·": r"\cdot", "−": "-", "×": r"\times", "÷": r"\div",
    "→": r"\rightarrow", "←": r"\leftarrow", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq",
    "±": r"\pm", "∞": r"\infty", "√": r"\surd", "∑": r"\sum", "∇": r"\nabla",
    "½": r"\frac{1}{2}", "≈": r"\approx", "∈": r"\in", "′": "'",
}  # fmt: skip
_TEXT_SYMBOLS = {"—": "---", "–": "--", "…": r"\dots{}", "“": "``", "”": "''", "’": "'"}
# Accented Latin letters print from UTF-8 input (pdflatex's default); keep them.
_LATIN = re.compile("[À-ÖØ-öø-ÿ]")


def _unicode_fallback(character: str) -> str:
    return rf"\texttt{{U+{ord(character):04X}}}"


def text(value: str) -> str:
    """``value`` as LaTeX text that prints exactly what it says (for labels and titles).

    >>> text("w_1 & 50% {x}")
    'w\\\\_1 \\\\& 50\\\\% \\\\{x\\\\}'
    """
    parts: list[str] = []
    for character in str(value):
        if character in _TEXT_SPECIALS:
            parts.append(_TEXT_SPECIALS[character])
        elif ord(character) < 32 or ord(character) == 127:
            parts.append("?")
        elif ord(character) < 127:
            parts.append(character)
        elif character in _SUPERSCRIPTS:
            parts.append(rf"\textsuperscript{{{_SUPERSCRIPTS[character]}}}")
        elif character in _SUBSCRIPTS:
            parts.append(rf"\textsubscript{{{_SUBSCRIPTS[character]}}}")
        elif character in _GREEK:
            parts.append(rf"$\{_GREEK[character]}$")
        elif character in _MATH_SYMBOLS:
            parts.append(f"${_MATH_SYMBOLS[character]}$")
        elif character in _TEXT_SYMBOLS:
            parts.append(_TEXT_SYMBOLS[character])
        elif _LATIN.fullmatch(character):
            parts.append(character)
        else:
            stripped = unicodedata.normalize("NFKD", character)
            if stripped and stripped != character and all(ord(c) < 127 for c in stripped):
                parts.append(text(stripped))
            else:
                parts.append(_unicode_fallback(character))
    return "".join(parts)


_MATH_SPECIALS = {
    "\\": r"\backslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "_": r"\_",
    "~": r"\sim{}",
    "$": r"\$",
    "'": "'",
}


def _math_name(name: str) -> str:
    """A user's name inside math mode: letters upright when there are several,
    every special character escaped (``^`` is a wedge, not a superscript)."""
    if re.fullmatch("[A-Za-z]", name):
        return name
    parts: list[str] = []
    for character in name:
        if character in _MATH_SPECIALS:
            parts.append(_MATH_SPECIALS[character])
        elif character == "^":
            parts.append(r"{\wedge}")
        elif ord(character) < 32:
            parts.append("?")
        elif ord(character) < 127:
            parts.append(character)
        elif character in _SUPERSCRIPTS:
            parts.append(f"^{{{_SUPERSCRIPTS[character]}}}")
        elif character in _SUBSCRIPTS:
            parts.append(f"_{{{_SUBSCRIPTS[character]}}}")
        elif character in _GREEK:
            parts.append(rf"\{_GREEK[character]} ")
        elif character in _MATH_SYMBOLS:
            parts.append(_MATH_SYMBOLS[character] + " ")
        else:
            parts.append(rf"\mbox{{{text(character)}}}")
    joined = "".join(parts)
    # Runs of two or more letters (w, b are italic; "tanh", "loss" upright).
    return re.sub(r"(?<![\\A-Za-z])([A-Za-z]{2,})", r"\\mathrm{\1}", joined)


_FUNCTION = re.compile(r"[A-Za-z]{2,}")


def math(formula: str, operands: Mapping[str, str] | None = None) -> str:
    """A derivative formula from the op table as math-mode LaTeX (without the ``$``).

    ``operands`` maps placeholders in ``formula`` to user names, which are
    escaped as names (so a ``^`` or ``_`` in a label prints as itself).

    >>> math("y·x^(y−1)")
    'y\\\\cdot x^{y-1}'
    >>> math("1/(2√x)")
    '1/(2\\\\sqrt{x})'
    """
    operands = dict(operands or {})
    out: list[str] = []
    index = 0

    def group_after(start: int) -> tuple[str, int]:
        """The operand of ``^`` or ``√`` starting at ``start``: a bracket, a
        placeholder, a name or a number; returned converted, with the end index."""
        if start < len(formula) and formula[start] == "(":
            depth = 0
            for end in range(start, len(formula)):
                depth += {"(": 1, ")": -1}.get(formula[end], 0)
                if depth == 0:
                    return math(formula[start + 1 : end], operands), end + 1
        if start < len(formula) and formula[start] in operands:
            return _math_name(operands[formula[start]]), start + 1
        match = re.match(r"[A-Za-z]+|[0-9.]+", formula[start:])
        if match:
            return math(match.group(0), operands), start + match.end()
        return "", start

    while index < len(formula):
        character = formula[index]
        if character in operands:
            out.append(_math_name(operands[character]))
            index += 1
        elif character == "^":
            argument, index = group_after(index + 1)
            out.append(f"^{{{argument}}}")
        elif character == "√":
            argument, index = group_after(index + 1)
            out.append(rf"\sqrt{{{argument}}}")
        elif (match := _FUNCTION.match(formula, index)) and (
            index == 0 or not formula[index - 1].isalpha()
        ):
            word = match.group(0)
            known = {"exp", "log", "ln", "sin", "cos", "tan", "tanh", "sinh", "cosh"}
            out.append(rf"\{word} " if word in known else rf"\mathrm{{{word}}}")
            index = match.end()
        elif character in _SUPERSCRIPTS:
            out.append(f"^{{{_SUPERSCRIPTS[character]}}}")
            index += 1
        elif character in _SUBSCRIPTS:
            out.append(f"_{{{_SUBSCRIPTS[character]}}}")
            index += 1
        elif character in _GREEK:
            out.append(rf"\{_GREEK[character]} ")
            index += 1
        elif character in _MATH_SYMBOLS:
            symbol = _MATH_SYMBOLS[character]
            out.append(symbol + (" " if symbol.startswith("\\") else ""))
            index += 1
        else:
            out.append(_math_name(character) if character != " " else " ")
            index += 1
    result = "".join(out)
    return re.sub(r" +", " ", result).strip()


# ---------------------------------------------------------------- colours
_NAMED = {"white": "FFFFFF", "black": "000000", "none": "FFFFFF", "transparent": "FFFFFF"}


def _hex(color: str) -> str:
    color = color.strip().lower()
    if color.startswith("#") and len(color) in (7, 9):
        return color[1:7].upper()
    return _NAMED.get(color, "000000")


# ---------------------------------------------------------------- the model
@dataclass(frozen=True)
class TikzCard:
    """One card as ``draw`` made it: what TikZ writes for a DOT node."""

    name: str
    op: str
    rows: tuple[tuple[str, str], ...]
    role: str
    border: str
    fill: str
    line_width: float
    dashed: bool = False


@dataclass(frozen=True)
class TikzEdge:
    """One arrow: its ends (DOT names), note (text) and look; its label is
    ``TikzModel.edge_label``'s."""

    tail: str
    head: str
    note: str
    color: str
    width: float
    style: str = ""
    bold: bool = False


@dataclass
class TikzModel:
    """Everything a TikZ picture of a drawing needs besides the layout."""

    cards: dict[str, TikzCard] = field(default_factory=dict)
    edges: dict[str, TikzEdge] = field(default_factory=dict)
    background: str = "white"
    text_color: str = "#111827"
    muted: str = "#6b7280"
    data_color: str = ""
    grad_color: str = ""
    font_size: float = 12.0
    title: str | None = None
    # An edge's label (math) by its id: made only when a picture is written, since
    # the LaTeX of every label took two thirds of ``draw``'s time for DOT alone.
    edge_label: Callable[[str], str] = lambda identifier: ""


def _colors(model: TikzModel) -> tuple[dict[str, str], list[str]]:
    """A LaTeX colour name for every colour the picture uses, and their definitions."""
    names: dict[str, str] = {}
    colors = [model.background, model.text_color, model.muted]
    colors += [model.data_color or model.text_color, model.grad_color or model.text_color]
    for card in model.cards.values():
        colors += [card.border, card.fill]
    for edge in model.edges.values():
        colors.append(edge.color)
    for color in colors:
        hexed = _hex(color)
        if hexed not in names:
            names[hexed] = f"pg{chr(ord('a') + len(names) % 26)}{len(names) // 26}"
    definitions = [rf"\definecolor{{{name}}}{{HTML}}{{{hexed}}}" for hexed, name in names.items()]
    return names, definitions


def _bezier(spline: str) -> list[tuple[float, float]]:
    """The Bézier points of a Graphviz edge ``pos`` (the arrowhead's end dropped)."""
    points = []
    for part in spline.split():
        if part.startswith(("e,", "s,")):
            continue
        x, y = part.split(",")[:2]
        points.append((float(x), float(y)))
    return points


TEX_MAX_POINTS = 16_000
"""The largest coordinate written, in pt: TeX's dimensions stop at 16,383.99 pt, and
labels reach a little past the cards."""


def _point(x: float, y: float) -> str:
    return f"({x:.1f}pt,{y:.1f}pt)"


def tikz_picture(
    model: TikzModel,
    layout: Any,
    nodes: Mapping[str, Any],
    edges: Mapping[str, Any],
    caption: Sequence[str] = (),
) -> str:
    """The ``tikzpicture`` of a drawing laid out as ``layout`` (an ``autograd.Layout``).

    ``nodes`` maps DOT names to the Values of ``layout.positions`` and ``edges``
    maps edge ids to the keys of ``layout.edges``. ``caption`` lines (already
    LaTeX) are written under the picture.
    """
    left, bottom, right, top = layout.box
    if max(abs(left), abs(bottom), abs(right), abs(top)) > TEX_MAX_POINTS:
        raise ValueError(
            f"the picture is {right - left:,.0f} × {top - bottom:,.0f} pt, past the "
            f"{TEX_MAX_POINTS:,} pt TeX can measure, so pdflatex could not compile it; save "
            "it as .pdf or .svg instead, or draw a smaller graph"
        )
    names, definitions = _colors(model)

    def color(value: str) -> str:
        return names[_hex(value)]

    size = model.font_size
    lines = [
        r"\begin{tikzpicture}[x=1pt,y=1pt,>=stealth,every node/.style={inner sep=0pt},",
        rf"  pgcard/.style={{draw,rectangle,inner sep=2.5pt,font=\sffamily\fontsize{{{size:g}}}"
        rf"{{{size * 1.2:g}}}\selectfont,text={color(model.text_color)}}},",
        rf"  pglabel/.style={{font=\sffamily\fontsize{{{size - 1:g}}}{{{(size - 1) * 1.2:g}}}"
        r"\selectfont,align=center,inner sep=1pt},",
        rf"  pgbold/.style={{pglabel,font=\sffamily\bfseries\boldmath\fontsize{{{size - 1:g}}}"
        rf"{{{(size - 1) * 1.2:g}}}\selectfont}}]",
    ]
    lines += ["  " + definition for definition in definitions]
    lines.append(
        rf"  \path[use as bounding box,fill={color(model.background)}] "
        f"{_point(left, bottom)} rectangle {_point(right, top)};"
    )
    data = color(model.data_color or model.text_color)
    grad = color(model.grad_color or model.text_color)
    muted = color(model.muted)
    placed: dict[str, tuple[float, float]] = {}  # each card's centre, by its DOT name
    for dot_name, card in model.cards.items():
        value = nodes.get(dot_name)
        if value is None or value not in layout.positions:
            continue
        x, y = layout.positions[value]
        placed[dot_name] = (x, y)
        style = f"pgcard,draw={color(card.border)},line width={card.line_width:g}pt"
        if card.dashed:
            style += ",dashed"
        if card.role == "constant":
            body = text(card.name)
            style += f",fill={color(card.fill)}"
        else:
            style += f",fill={color(card.fill)}"
            op = rf"\textcolor{{{muted}}}{{{text(card.op)}}}" if card.op else ""
            rows = [rf"\textbf{{{text(card.name)}}} & {op}"]
            for key, shown in card.rows:
                tint = {"data": data, "grad": grad}.get(key, color(model.text_color))
                rows.append(
                    rf"\textcolor{{{muted}}}{{{key}}} & \textcolor{{{tint}}}{{{text(shown)}}}"
                )
            body = (
                r"\begin{tabular}{@{}l@{\hspace{1.2em}}r@{}}" + r"\\".join(rows) + r"\end{tabular}"
            )
        lines.append(rf"  \node[{style}] ({dot_name}) at {_point(x, y)} {{{body}}};")
    for identifier, edge in model.edges.items():
        key = edges.get(identifier)
        route = layout.edges.get(key) if key is not None else None
        options = [f"->,draw={color(edge.color)},line width={edge.width:g}pt"]
        if edge.style:
            options.append(edge.style)
        points = _bezier(route.spline) if route is not None else []
        if len(points) >= 4 and (len(points) - 1) % 3 == 0:
            path = f"({edge.tail})"
            for start in range(1, len(points) - 1, 3):
                last = start + 2 == len(points) - 1
                end = f"({edge.head})" if last else _point(*points[start + 2])
                path += (
                    f" .. controls {_point(*points[start])} and {_point(*points[start + 1])}"
                    f" .. {end}"
                )
        else:
            path = f"({edge.tail}) -- ({edge.head})"
        lines.append(rf"  \draw[{','.join(options)}] {path};")
        math = model.edge_label(identifier)
        label = f"${math}$" if math else ""
        if edge.note:
            label += (r"\\" if label else "") + text(edge.note.strip())
        if label:
            if route is not None and route.label_position:
                x, y = (float(number) for number in route.label_position.split(","))
                where = f"at {_point(x, y)}"
            elif edge.tail in placed and edge.head in placed:
                # The midpoint, computed here: TikZ's ($(a)!0.5!(b)$) needs the calc
                # library, which a document that \inputs this file may not load.
                (x1, y1), (x2, y2) = placed[edge.tail], placed[edge.head]
                where = f"at {_point((x1 + x2) / 2, (y1 + y2) / 2)}"
            else:
                where = f"at ({edge.tail})"
            lines.append(
                rf"  \node[{'pgbold' if edge.bold else 'pglabel'},text={color(edge.color)}] "
                f"{where} {{{label}}};"
            )
    if model.title:
        lines.append(
            rf"  \node[anchor=south,font=\sffamily\bfseries,text={color(model.text_color)}] "
            f"at {_point((left + right) / 2, top)} {{{text(model.title)}}};"
        )
    if caption:
        body = r"\\".join(caption)
        lines.append(
            rf"  \node[anchor=north west,align=left,font=\sffamily\small,"
            rf"text={color(model.text_color)}] at {_point(left, bottom)} {{{body}}};"
        )
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines) + "\n"


_HEADER = r"""% A pathgrad drawing as a TikZ picture. Two ways to use this file:
%   pdflatex {name}            a PDF of the picture alone (standalone class)
%   \input{{{name}}}           inside a document, e.g. a Beamer frame: only the
%                              picture is drawn; the preamble needs \usepackage{{tikz}}.
%   In a frame, \resizebox{{\textwidth}}{{!}}{{\input{{{name}}}}} fits it to the slide.
\expandafter\ifx\csname @twoclasseserror\endcsname\documentclass
  \let\pathgradbegin\relax \let\pathgradend\relax
\else
  \def\pathgradbegin{{\documentclass[border=4pt]{{standalone}}%
    \usepackage{{tikz}}%
    \begin{{document}}}}%
  \def\pathgradend{{\end{{document}}}}%
\fi
\pathgradbegin
"""

_FOOTER = r"""\pathgradend
"""


def standalone(picture: str, name: str = "graph.tex") -> str:
    """``picture`` as a file that compiles alone and can be ``\\input`` in a document."""
    return _HEADER.format(name=name) + picture + _FOOTER
