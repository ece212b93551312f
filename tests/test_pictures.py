"""Pictures for slides (issue 12): constants hidden, precision, dpi, pixel limit, themes."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from autograd import Value
from autograd.command_line.demo import seed_graph
from autograd.views import rendering
from autograd.views.drawing import draw


@pytest.fixture
def pip_renderer_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Hide any system dot (and the venv's bin) from PATH: graphviz-pure draws."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def labels(source: str) -> list[str]:
    """Every edge label's text, markup removed."""
    found = re.findall(r"^\tn\d+ -> n\d+ \[.*?label=<(.*)>", source, flags=re.MULTILINE)
    return [re.sub("<[^>]*>", "", label) for label in found]


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


# ---------------------------------------------------------------- constants
def test_constants_are_hidden_by_default_as_in_the_step_table() -> None:
    f, _, _ = seed_graph()
    f.backward()
    hidden = draw(f).source
    shown = draw(f, show_constants=True).source
    assert len(re.findall(r"^\tn\d+ \[", hidden, flags=re.MULTILINE)) == 8
    assert len(re.findall(r"^\tn\d+ \[", shown, flags=re.MULTILINE)) == 10
    assert "dashed" not in hidden and "dashed" in shown
    # The card that uses a hidden constant names it beside its op: x**2 is "^ 2".
    assert hidden.count(">^ 2<") == 2 and ">^ 2<" not in shown


def test_a_constant_root_is_still_drawn() -> None:
    assert "<B>3</B>" in draw(Value(3.0)).source or ">3<" in draw(Value(3.0)).source


# ---------------------------------------------------------------- precision
def test_fixed_precision_writes_whole_numbers_as_integers_and_no_label_twice() -> None:
    x = Value(3.0, label="x")
    f = x**2 + x * 0.5
    f.backward()
    source = draw(f, precision=".2f", derivatives="formula", show_constants=True).source
    texts = labels(source)
    assert "1" in texts and not any("1 = 1" in text for text in texts)
    assert "2x = 6" in texts
    assert ">2<" in source  # the constant 2 in x**2, not 2.00
    assert "2.00" not in source and "1.00" not in source
    assert "10.50" in source  # f = 9 + 1.5: not whole, so .2f


# ---------------------------------------------------------------- dpi and size
def test_dpi_is_honoured_from_draw_save_and_the_graph_attribute(tmp_path) -> None:
    x = Value(3.0, label="x")
    f = x * x
    default = png_size(draw(f).pipe(format="png"))
    at_288 = png_size(draw(f, dpi=288).pipe(format="png"))
    assert at_288[0] == pytest.approx(2 * default[0], abs=4)
    picture = draw(f)
    written = picture.save(tmp_path / "g.png", dpi=72)
    assert png_size(written.read_bytes())[0] == pytest.approx(default[0] / 2, abs=4)
    picture.attr(dpi="288")  # as graphviz users write it: no longer overridden
    assert png_size(picture.pipe(format="png"))[0] == pytest.approx(2 * default[0], abs=4)
    with pytest.raises(ValueError, match="dpi"):
        draw(f, dpi=0)


@pytest.mark.parametrize("mode", ["pip", "system"])
def test_png_over_the_pixel_limit_is_refused_before_drawing(mode, tmp_path, request) -> None:
    if mode == "pip":
        request.getfixturevalue("pip_renderer_only")
    elif not any(item.kind == "system" for item in rendering.available_renderers()):
        pytest.skip("no system dot")
    x = Value(3.0, label="x")
    picture = draw(x * x + x)
    width, height = rendering.picture_size(picture.source, 144)
    actual = png_size(picture.pipe(format="png"))
    assert abs(width - actual[0]) <= 3 and abs(height - actual[1]) <= 3
    target = tmp_path / "g.png"
    with pytest.raises(rendering.ImageTooLargeError) as caught:
        picture.save(target, max_pixels=1000)
    message = str(caught.value)
    assert "\n" not in message and "max_pixels=" in message and f"{width:,} × " in message
    assert not target.exists()
    assert picture.save(target, max_pixels=width * height).exists()
    assert rendering.MAX_PIXELS == 25_000_000


# ---------------------------------------------------------------- themes
def hex_colors(source: str) -> set[str]:
    return set(re.findall(r"#[0-9a-fA-F]{6}", source))


def test_every_theme_draws_and_renders(pip_renderer_only) -> None:
    from autograd.views.themes import THEMES

    f, _, _ = seed_graph()
    f.backward()
    assert set(THEMES) >= {"default", "print", "dark", "cs231n"}
    for name in THEMES:
        picture = draw(f, theme=name, derivatives="formula")
        assert png_size(picture.pipe(format="png"))[0] > 500
    with pytest.raises(ValueError, match="theme must be one of"):
        draw(f, theme="neon")


def test_print_theme_is_black_and_white_and_tells_roles_apart_by_lines() -> None:
    f, x, _ = seed_graph()
    f.backward()
    from autograd import paths

    source = draw(f, theme="print", highlight=list(paths(f, x))[:2], show_constants=True).source
    for color in hex_colors(source):
        assert color[1:3] == color[3:5] == color[5:7], color  # greys only
    assert 'STYLE="rounded"' in source and 'STYLE="dashed"' in source  # inputs, constants
    assert 'BGCOLOR="#000000"' in source  # the output's black header
    assert 'style="dotted"' in source  # what is off the highlighted paths
    assert 'penwidth="3.5"' in source


def test_dark_theme_has_a_dark_background_and_light_text() -> None:
    f, _, _ = seed_graph()
    source = draw(f, theme="dark").source
    assert 'bgcolor="#111827"' in source and 'fontcolor="#f9fafb"' in source


def test_cs231n_values_above_in_green_gradients_below_in_red() -> None:
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    f = x * y
    before = draw(f, theme="cs231n").source
    assert "headlabel" not in before  # no gradient before a backward pass
    f.backward()
    source = draw(f, theme="cs231n").source
    green, red = "#15803d", "#b91c1c"
    assert f'taillabel=<<FONT COLOR="{green}">3</FONT>>' in source
    # the gradient along x's wire: ∂f/∂x · grad(f) = y · 1 = −2
    assert f'headlabel=<<FONT COLOR="{red}">−2</FONT>>' in source
    assert 'labelangle="30"' in source  # tail label above, head label below the wire


def test_font_and_font_size_are_settable() -> None:
    f, _, _ = seed_graph()
    source = draw(f, font="Times", font_size=16).source
    assert "fontname=Times" in source and "fontsize=16" in source and "fontsize=15" in source
    with pytest.raises(ValueError, match="font_size"):
        draw(f, font_size=200)


def test_several_paths_get_a_colour_each() -> None:
    from autograd import paths
    from autograd.views.themes import THEMES

    f, x, _ = seed_graph()
    f.backward()
    found = list(paths(f, x))
    source = draw(f, highlight=found).source
    used = hex_colors(source) & set(THEMES["default"].path_colors)
    assert len(used) == 3
