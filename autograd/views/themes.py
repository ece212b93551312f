"""How drawings look, as data: one row per theme, read by ``draw(root, theme=...)``.

* ``"default"``: the screen look; inputs blue, parameters amber, the output green.
* ``"print"``: black and white, told apart without colour: inputs and parameters
  have rounded cards (parameters with a grey header), the output a black header,
  constants a dashed border, highlighted parts thick lines and dimmed ones dotted.
* ``"dark"``: light text and lines on a dark background, for dark slides.
* ``"cs231n"``: the convention of Stanford's CS231n notes: on every wire the value
  flowing forward above it, in green, and the gradient flowing back below it, in red.

>>> from autograd.views.themes import THEMES, theme
>>> sorted(THEMES)
['cs231n', 'dark', 'default', 'print']
>>> theme("print").roles["output"].header_text
'#ffffff'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = ["RoleStyle", "Theme", "THEMES", "theme"]


@dataclass(frozen=True)
class RoleStyle:
    """How the cards of one role (input, parameter, result, output, constant) look.

    Attributes:
        fill: header background.
        border: border colour.
        header_text: colour of the name in the header.
        border_width: border thickness in points.
        style: Graphviz table style: "" (square), "rounded" or "dashed".
    """

    fill: str
    border: str
    header_text: str = "#111827"
    border_width: int = 1
    style: str = ""


@dataclass(frozen=True)
class Theme:
    """Every colour, line and font a drawing uses.

    Attributes:
        name: the theme's name in ``THEMES``.
        background: the picture's background.
        text: the colour of numbers on the cards.
        muted: the colour of the op and of the "data" / "grad" keys.
        body_fill: the background of the card's data / grad rows.
        roles: one ``RoleStyle`` per role.
        edge: the colour of arrows and their labels.
        constant_edge: the colour of arrows from constants (drawn dashed).
        highlight: the colour of highlighted cards and arrows.
        highlight_width: the pen width of a highlighted arrow.
        dimmed: the colour of what is not highlighted, when something is.
        dimmed_style: the line style of dimmed arrows ("" for solid, or "dotted").
        data_color / grad_color: colours of the data and grad numbers ("" = ``text``).
        wire_values: label each arrow with the value flowing forward (above, in
            ``data_color``) and the gradient flowing back (below, in ``grad_color``),
            instead of the local derivative (the CS231n convention).
        path_colors: one colour per highlighted path when several are drawn.
        font: the font name.
        font_size: the cards' font size in points (arrow labels are one point smaller).
    """

    name: str
    background: str
    text: str
    muted: str
    body_fill: str
    roles: dict[str, RoleStyle]
    edge: str
    constant_edge: str
    highlight: str
    highlight_width: float
    dimmed: str
    dimmed_style: str = ""
    data_color: str = ""
    grad_color: str = ""
    wire_values: bool = False
    path_colors: tuple[str, ...] = field(default=())
    font: str = "Helvetica"
    font_size: float = 12.0

    def with_font(self, font: str | None = None, font_size: float | None = None) -> Theme:
        """This theme with another font and/or font size."""
        changes: dict[str, object] = {}
        if font is not None:
            if not isinstance(font, str) or not font.strip():
                raise ValueError(f"font must be a font name such as 'Helvetica', not {font!r:.40}")
            changes["font"] = font
        if font_size is not None:
            if isinstance(font_size, bool) or not isinstance(font_size, int | float):
                raise TypeError(f"font_size is a number of points, not {font_size!r:.40}")
            if not 4 <= font_size <= 72:
                raise ValueError(f"font_size must be between 4 and 72 points, not {font_size}")
            changes["font_size"] = float(font_size)
        return replace(self, **changes) if changes else self


THEMES: dict[str, Theme] = {
    "default": Theme(
        name="default",
        background="white",
        text="#111827",
        muted="#6b7280",
        body_fill="",
        roles={
            "input": RoleStyle("#dbeafe", "#2563eb"),
            "parameter": RoleStyle("#fef3c7", "#d97706"),
            "result": RoleStyle("#f3f4f6", "#6b7280"),
            "output": RoleStyle("#dcfce7", "#16a34a"),
            "constant": RoleStyle("#f9fafb", "#9ca3af"),
        },
        edge="#374151",
        constant_edge="#9ca3af",
        highlight="#dc2626",
        highlight_width=2.5,
        dimmed="#9ca3af",
        path_colors=("#dc2626", "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2"),
    ),
    "print": Theme(
        name="print",
        background="white",
        text="#000000",
        muted="#404040",
        body_fill="",
        roles={
            "input": RoleStyle("#ffffff", "#000000", "#000000", 1, "rounded"),
            "parameter": RoleStyle("#d9d9d9", "#000000", "#000000", 1, "rounded"),
            "result": RoleStyle("#ffffff", "#000000", "#000000", 1, ""),
            "output": RoleStyle("#000000", "#000000", "#ffffff", 2, ""),
            "constant": RoleStyle("#ffffff", "#000000", "#000000", 1, "dashed"),
        },
        edge="#000000",
        constant_edge="#000000",
        highlight="#000000",
        highlight_width=3.5,
        dimmed="#a0a0a0",
        dimmed_style="dotted",
        # Several paths in one print: black, then greys a photocopier keeps apart.
        path_colors=("#000000", "#707070", "#b0b0b0"),
    ),
    "dark": Theme(
        name="dark",
        background="#111827",
        text="#f9fafb",
        muted="#9ca3af",
        body_fill="#1f2937",
        roles={
            "input": RoleStyle("#1e3a8a", "#60a5fa", "#f9fafb"),
            "parameter": RoleStyle("#78350f", "#fbbf24", "#f9fafb"),
            "result": RoleStyle("#374151", "#9ca3af", "#f9fafb"),
            "output": RoleStyle("#14532d", "#4ade80", "#f9fafb"),
            "constant": RoleStyle("#1f2937", "#6b7280", "#f9fafb"),
        },
        edge="#d1d5db",
        constant_edge="#6b7280",
        highlight="#f87171",
        highlight_width=2.5,
        dimmed="#4b5563",
        path_colors=("#f87171", "#60a5fa", "#4ade80", "#c084fc", "#fb923c", "#22d3ee"),
    ),
    "cs231n": Theme(
        name="cs231n",
        background="white",
        text="#111827",
        muted="#6b7280",
        body_fill="",
        roles={
            "input": RoleStyle("#ffffff", "#111827", "#111827", 1, "rounded"),
            "parameter": RoleStyle("#ffffff", "#111827", "#111827", 1, "rounded"),
            "result": RoleStyle("#ffffff", "#111827", "#111827", 1, "rounded"),
            "output": RoleStyle("#ffffff", "#111827", "#111827", 2, "rounded"),
            "constant": RoleStyle("#ffffff", "#9ca3af", "#111827", 1, "rounded"),
        },
        edge="#111827",
        constant_edge="#9ca3af",
        highlight="#2563eb",
        highlight_width=2.5,
        dimmed="#d1d5db",
        data_color="#15803d",
        grad_color="#b91c1c",
        wire_values=True,
        path_colors=("#2563eb", "#9333ea", "#ea580c"),
    ),
}


def theme(name: str | Theme) -> Theme:
    """The theme called ``name`` (or ``name`` itself, a ``Theme``)."""
    if isinstance(name, Theme):
        return name
    if not isinstance(name, str) or name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(map(repr, THEMES))}, not {name!r:.40}")
    return THEMES[name]


def node_attributes(look: Theme) -> dict[str, str]:
    """Graphviz's default node attributes for a drawing in ``look``: cards are HTML
    labels with no shape of their own."""
    return {
        "shape": "plaintext",
        "fontname": look.font,
        "fontsize": f"{look.font_size:g}",
        "fontcolor": look.text,
        "margin": "0",
        "width": "0",
        "height": "0",
    }


def edge_attributes(look: Theme, **overrides: str) -> dict[str, str]:
    """Graphviz's default edge attributes for a drawing in ``look`` (labels a point smaller)."""
    return {
        "fontname": look.font,
        "fontsize": f"{look.font_size - 1:g}",
        "color": look.edge,
        "fontcolor": look.edge,
        "arrowsize": "0.8",
        **overrides,
    }
