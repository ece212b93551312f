"""autograd.views.drawing: what the DOT text says, what the rendered pictures contain."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree
from types import SimpleNamespace

import pytest

import autograd
from autograd import Value
from autograd.command_line.demo import seed_graph
from autograd.views.drawing import (
    DASH,
    HIGHLIGHT_COLOR,
    ROLE_COLORS,
    Drawing,
    GraphTooLargeError,
    draw,
    layout,
)
from autograd.views.layout import parse_layout
from autograd.views.rendering import render

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def pip_renderer_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Hide any system dot (and the venv's bin) from PATH: graphviz-pure draws."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def node_lines(source: str) -> dict[str, str]:
    """DOT node name -> its attribute text."""
    return dict(re.findall(r"^\t(n\d+) \[(.*)\]$", source, flags=re.MULTILINE))


def edge_lines(source: str) -> list[tuple[str, str, str]]:
    """(parent, child, attributes) per edge line, in order."""
    return re.findall(r"^\t(n\d+) -> (n\d+) \[(.*)\]$", source, flags=re.MULTILINE)


def edge_labels(source: str) -> list[str]:
    """The text of every edge label, markup removed."""
    labels = []
    for _, _, attributes in edge_lines(source):
        found = re.search(r"label=<(.*)>", attributes)
        if found:
            labels.append(re.sub("<[^>]*>", "", found.group(1)))
    return labels


def svg_texts(svg: str) -> list[str]:
    """Every <text> in an SVG, entities decoded: what a viewer shows."""
    tree = ElementTree.fromstring(svg)
    return [
        "".join(element.itertext()) for element in tree.iter("{http://www.w3.org/2000/svg}text")
    ]


# ---------------------------------------------------------------- DOT content
def test_seed_graph_cards_and_edge_values() -> None:
    f, x, y = seed_graph()
    f.backward()
    source = draw(f, show_constants=True).source
    nodes = node_lines(source)
    assert len(nodes) == 10  # x, y, a..f and the two constants 2
    for name in "xyabcdef":
        assert sum(f"<B>{name}</B>" in line for line in nodes.values()) == 1
    assert f'<TD ALIGN="RIGHT">{x.grad:g}</TD>' in nodes["n0"]
    assert f'<TD ALIGN="RIGHT">{y.grad:g}</TD>' in nodes["n1"]
    # ∂a/∂x = 2x = 6, ∂b/∂x = y = 2, ∂b/∂y = x = 3, ∂e/∂c = 2c = 10, the rest 1.
    assert sorted(edge_labels(source)) == sorted(
        ["6", "2", "3", "1", "1", "1", "1", "10", "1", "1"]
    )


def test_formula_labels_come_from_the_op_table() -> None:
    f, _, _ = seed_graph()
    labels = edge_labels(draw(f, derivatives="formula").source)
    for expected in ("2x = 6", "y = 2", "x = 3", "2c = 10"):
        assert expected in labels
    assert "1 = 1" not in labels  # a formula equal to its value is written once


def test_formula_names_unlabelled_nodes_readably() -> None:
    x = Value(2.0, label="x")
    f = (x * 3.0).exp()
    labels = edge_labels(draw(f, derivatives="formula").source)
    assert "exp(mul1) = 403.4" in labels
    assert "<B>mul1</B>" in draw(f).source


def test_grad_shows_a_dash_before_backward_not_zero() -> None:
    f, _, _ = seed_graph()
    source = draw(f).source
    assert source.count(f'<TD ALIGN="RIGHT">{DASH}</TD>') == 8  # every card but the constants
    assert '<TD ALIGN="RIGHT">0</TD>' not in source
    f.backward()
    assert DASH not in draw(f).source


def test_show_grad_false_has_no_grad_row() -> None:
    f, _, _ = seed_graph()
    f.backward()
    source = draw(f, show_grad=False).source
    assert ">grad<" not in source
    assert ">data<" in source


def test_grads_mapping_replaces_grad_and_missing_nodes_show_a_dash() -> None:
    f, x, y = seed_graph()
    f.backward()
    nodes = node_lines(draw(f, grads={f: 1.0, x: 7.5}).source)
    assert '<TD ALIGN="RIGHT">7.5</TD>' in nodes["n0"]
    assert f'<TD ALIGN="RIGHT">{DASH}</TD>' in nodes["n1"]  # y is not in the mapping
    assert "13" not in nodes["n1"]


def test_duplicate_edges_are_drawn_separately() -> None:
    a = Value(2.0, label="a")
    twice = a + a
    edges = edge_lines(draw(twice).source)
    assert [(parent, child) for parent, child, _ in edges] == [("n0", "n1"), ("n0", "n1")]


def test_roles_have_their_own_styles() -> None:
    weight = Value(0.5, label="w")
    weight.role = "parameter"
    x = Value(2.0, label="x")
    out = weight * x + 1.0
    nodes = node_lines(draw(out, show_constants=True).source)
    assert ROLE_COLORS["parameter"][0] in nodes["n0"]
    assert ROLE_COLORS["input"][0] in nodes["n1"]
    assert ROLE_COLORS["result"][0] in nodes["n2"]
    constant = nodes["n3"]
    assert ROLE_COLORS["constant"][1] in constant and ">grad<" not in constant
    assert ROLE_COLORS["output"][0] in nodes["n4"]
    assert len(nodes) == 5
    # The constant's arrow is a quiet dashed line with no derivative label.
    constant_edge = [
        attributes
        for parent, _, attributes in edge_lines(draw(out, show_constants=True).source)
        if parent == "n3"
    ]
    assert constant_edge == ['id="n4_in1" style="dashed" color="#9ca3af" arrowsize="0.6"']


HOSTILE = 'x<b>{y}|"q"\\ \'∂σ²&amp;</b>'


def test_hostile_labels_are_escaped_in_dot() -> None:
    x = Value(1.0, label=HOSTILE)
    source = draw(x * 2.0, title=HOSTILE).source
    escaped = "x&lt;b&gt;{y}|&quot;q&quot;\\ '∂σ²&amp;amp;&lt;/b&gt;"
    assert source.count(escaped) == 2  # the card and the title
    assert "<b>" not in source.replace("<B>", "")


def test_hostile_labels_render_exactly_as_written(pip_renderer_only: None) -> None:
    x = Value(1.0, label=HOSTILE)
    y = Value(2.0, label="new\nline")
    texts = svg_texts(render(draw(x * y, derivatives="formula").source, "svg").decode("utf-8"))
    assert HOSTILE in texts
    assert "new" in texts and "line" in texts  # a newline in a label breaks the line


def test_same_graph_twice_gives_byte_identical_dot() -> None:
    first, _, _ = seed_graph()
    second, _, _ = seed_graph()
    first.backward()
    second.backward()
    assert draw(first, derivatives="formula").source == draw(second, derivatives="formula").source
    assert re.findall(r"\bn\d+\b", draw(first).source)[0] == "n0"


def chain(length: int) -> Value:
    node = Value(1.0, label="x")
    for _ in range(length):
        node = node.sin()
    return node


def test_max_nodes_refusal_says_how_to_raise_the_limit() -> None:
    with pytest.raises(GraphTooLargeError, match=r"601 nodes.*max_nodes=500.*max_nodes=601"):
        draw(chain(600))
    assert len(node_lines(draw(chain(600), max_nodes=601).source)) == 601


def test_precision_and_format_spec() -> None:
    x = Value(1.0, label="x")
    third = x / 3.0
    assert "0.33<" in draw(third, precision=2).source
    assert "0.333<" in draw(third, precision=".3f").source
    assert "−0.5<" in draw(Value(-0.5, label="n")).source  # a real minus sign
    with pytest.raises(ValueError, match="format spec"):
        draw(third, precision="q!")
    for huge in (".300000000f", "2000000000.2f", ".41f"):  # would build gigabytes of text
        with pytest.raises(ValueError, match=r"more digits or width than a card can show"):
            draw(third, precision=huge)
    assert "0.33333333333333331482961625" in draw(third, precision=".40f").source


def test_rankdir_and_title() -> None:
    f, _, _ = seed_graph()
    source = draw(f, rankdir="TB", title="seed").source
    assert "rankdir=TB" in source and "label=<<B>seed</B>>" in source
    with pytest.raises(ValueError, match="rankdir"):
        draw(f, rankdir="sideways")


def test_highlight_nodes_edges_and_paths() -> None:
    f, x, y = seed_graph()
    f.backward()
    c = f.parents[1].parents[0]
    path = SimpleNamespace(nodes=[y, c], edges=[(c, 1)])
    source = draw(f, highlight=[x, (f, 1), path], show_constants=True).source
    nodes = node_lines(source)
    highlighted_nodes = {name for name, line in nodes.items() if HIGHLIGHT_COLOR in line}
    assert highlighted_nodes == {"n0", "n1", "n5"}  # x, y, c
    highlighted_edges = [(p, c) for p, c, line in edge_lines(source) if HIGHLIGHT_COLOR in line]
    assert highlighted_edges == [("n1", "n5"), ("n8", "n9")]
    with pytest.raises(TypeError, match="highlight takes"):
        draw(f, highlight=["x"])


def test_edge_notes_are_appended() -> None:
    f, x, _ = seed_graph()
    f.backward()
    a = f.parents[0].parents[0]
    labels = edge_labels(draw(f, edge_notes={(a, 0): "· 1 = 6"}).source)
    assert "6 · 1 = 6" in labels


def test_draw_does_not_change_the_graph() -> None:
    f, x, y = seed_graph()
    before = [(node.data, node.grad, node.label) for node in autograd.topological_order(f)]
    draw(f, derivatives="formula", highlight=[x])
    assert [(node.data, node.grad, node.label) for node in autograd.topological_order(f)] == before


# ---------------------------------------------------------------- rendering
def test_svg_and_png_with_the_pip_renderer(pip_renderer_only: None, tmp_path) -> None:
    f, _, _ = seed_graph()
    f.backward()
    drawing = draw(f, derivatives="formula")
    assert isinstance(drawing, Drawing)
    svg_path = drawing.save(tmp_path / "out" / "graph.svg")
    texts = svg_texts(open(svg_path, encoding="utf-8").read())
    for label in ("2x = 6", "y = 2", "x = 3", "2c = 10", "18", "13", "40"):
        assert label in texts
    png_path = tmp_path / "graph.png"
    drawing.save(png_path)
    assert png_path.read_bytes().startswith(PNG_SIGNATURE)
    drawing.save(tmp_path / "graph.dot")
    assert (tmp_path / "graph.dot").read_text(encoding="utf-8") == drawing.source


def test_jupyter_shows_svg_through_our_renderer(pip_renderer_only: None) -> None:
    f, _, _ = seed_graph()
    bundle = draw(f)._repr_mimebundle_()
    assert "2x = 6" not in bundle["image/svg+xml"]  # value mode
    assert "<svg" in bundle["image/svg+xml"]
    assert "<svg" in draw(f)._repr_svg_()


def test_layout_positions_are_reproduced_exactly(pip_renderer_only: None) -> None:
    f, x, y = seed_graph()
    f.backward()
    laid_out = layout(f, derivatives="formula", show_constants=True)
    positions = laid_out.positions
    assert set(positions) == set(autograd.topological_order(f))
    assert len(laid_out.edges) == sum(len(node.parents) for node in positions)
    pinned = draw(f, derivatives="formula", positions=laid_out, highlight=[x], show_constants=True)
    assert pinned.engine == "neato" and pinned.pinned
    copied = pinned.copy()
    assert (copied.pinned, copied.nodes_by_name, copied.edges_by_id, copied.source) == (
        True,
        pinned.nodes_by_name,
        pinned.edges_by_id,
        pinned.source,
    )
    again = parse_layout(
        render(pinned.source, "json", pinned=True), pinned.nodes_by_name, pinned.edges_by_id
    )
    # Nodes and edges come back where they were pinned, up to one shift of the
    # whole picture (graphviz-pure pads the box by a point or two), as does its size.
    shift = (again.positions[x][0] - positions[x][0], again.positions[x][1] - positions[x][1])
    for node, (left, top) in positions.items():
        assert again.positions[node][0] - left == pytest.approx(shift[0], abs=0.5)
        assert again.positions[node][1] - top == pytest.approx(shift[1], abs=0.5)
    assert set(again.edges) == set(laid_out.edges)
    for edge, route in laid_out.edges.items():
        start = route.spline.split()[1].split(",")
        pinned_start = again.edges[edge].spline.split()[1].split(",")
        assert float(pinned_start[0]) - float(start[0]) == pytest.approx(shift[0], abs=0.5)
    left, bottom, right, top = laid_out.box
    pinned_left, pinned_bottom, pinned_right, pinned_top = again.box
    assert pinned_right - pinned_left == pytest.approx(right - left, abs=3)
    assert pinned_top - pinned_bottom == pytest.approx(top - bottom, abs=3)


def test_a_plain_mapping_of_positions_pins_the_nodes(pip_renderer_only: None) -> None:
    f, x, y = seed_graph()
    centres = dict(layout(f).positions)
    pinned = draw(f, positions=centres)
    again = parse_layout(
        render(pinned.source, "json", pinned=True), pinned.nodes_by_name, pinned.edges_by_id
    )
    shift = (again.positions[x][0] - centres[x][0], again.positions[x][1] - centres[x][1])
    for node, (left, top) in centres.items():
        assert again.positions[node][0] - left == pytest.approx(shift[0], abs=0.5)
        assert again.positions[node][1] - top == pytest.approx(shift[1], abs=0.5)


def test_positions_must_cover_every_node() -> None:
    f, x, _ = seed_graph()
    with pytest.raises(ValueError, match="positions has no entry"):
        draw(f, positions={x: (0.0, 0.0)})


@pytest.mark.parametrize(
    "point", [(math.nan, 0.0), ("1", "2"), (1e15, 0.0), (1.0, 2.0, 3.0), None, (True, 0.0)]
)
def test_positions_must_be_finite_points_of_a_sensible_size(point) -> None:
    f, x, _ = seed_graph()
    positions = {
        node: (10.0 * index, 0.0) for index, node in enumerate(autograd.topological_order(f))
    }
    positions[x] = point
    with pytest.raises(ValueError, match=r"positions\[x\] is .*; a position is \(x, y\) in points"):
        draw(f, positions=positions)
    positions[x] = (12, 3.5)  # ints are fine
    assert draw(f, positions=positions).pinned


def test_demo_writes_the_seed_graph_image(pip_renderer_only: None, tmp_path, monkeypatch) -> None:
    from autograd.command_line.demo import main as demo_main
    from autograd.command_line.demo import write_seed_graph_image

    written = write_seed_graph_image(tmp_path / "pictures" / "seed.png")
    assert written.read_bytes().startswith(PNG_SIGNATURE)
    monkeypatch.chdir(tmp_path)
    assert demo_main() == 0
    assert (tmp_path / "seed_graph.png").read_bytes().startswith(PNG_SIGNATURE)


def test_long_edges_switch_to_the_fast_layout_and_small_graphs_do_not() -> None:
    x = Value(1.0, label="x")
    long_sum = sum([x] * 159, x)  # x feeds every add of a 160-term chain
    fast = draw(long_sum)
    assert (fast.graph_attr["splines"], fast.graph_attr["nslimit"]) == ("line", "1")
    f, _, _ = seed_graph()
    assert "nslimit" not in draw(f).graph_attr and "splines" not in draw(f).graph_attr


def test_labels_on_arrows_into_one_card_are_tied_to_their_arrows() -> None:
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    picture = draw(x * y + x.exp(), derivatives="formula")
    into_product = [line for line in picture.body if "-> n2" in line]  # x -> mul1, y -> mul1
    assert len(into_product) == 2 and all("decorate=" in line for line in into_product)
    into_exp = [line for line in picture.body if "n0 -> n3" in line]  # exp has one input
    assert into_exp and all("decorate" not in line for line in into_exp)
