"""Grouped views of nn models (issue 12): one card per neuron or per layer."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

import nn
from autograd import Value, draw
from autograd.views.grouped import infer_groups, parameter_name


@pytest.fixture
def pip_renderer_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def network(sizes, seed=0):
    model = nn.MLP(2, sizes, seed=seed)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return model, loss


def cards(source: str) -> list[str]:
    return re.findall(r"^\t([gn]\d+) \[label=", source, flags=re.MULTILINE)


def test_parameter_names_math_matrix_dotted() -> None:
    assert parameter_name("layers.0.neurons.1.w.0", "math") == "w¹₁₂"
    assert parameter_name("layers.0.neurons.1.w.0", "matrix") == "W1[1,2]"
    assert parameter_name("layers.2.neurons.0.b", "math") == "b³₁"
    assert parameter_name("layers.0.neurons.1.w.0", "dotted") == "layers.0.neurons.1.w.0"
    assert parameter_name("x", "math") == "x"
    with pytest.raises(ValueError, match="names must be"):
        parameter_name("w.0", "greek")


def test_ungrouped_drawings_take_short_names_by_option() -> None:
    _, loss = network([2, 1])
    assert "<B>W1[1,2]</B>" in draw(loss, parameter_names="matrix").source
    assert "<B>w¹₁₂</B>" in draw(loss, parameter_names="math").source
    assert "<B>layers.0.neurons.1.w.0</B>" in draw(loss).source


def test_neurons_are_found_from_the_parameters_nn_labels() -> None:
    model, loss = network([2, 1])
    groups = infer_groups(list(reversed(list(_order(loss)))), "neuron")
    for name, parameter in model.named_parameters():
        layer, neuron = re.match(r"layers\.(\d+)\.neurons\.(\d+)", name).groups()
        assert groups[parameter] == (int(layer), int(neuron))
    assert loss not in groups and loss.parents[0] not in groups  # the loss is nobody's


def _order(root):
    from autograd import topological_order

    return reversed(topological_order(root))


def test_neuron_view_has_one_card_per_neuron_with_its_parts() -> None:
    _, loss = network([2, 1])
    source = draw(loss, group="neuron").source
    # x0, x1, three neurons, the subtraction and the loss
    assert len(cards(source)) == 7
    assert source.count("<B>h¹₁</B>") == 1 and "<B>h²₁</B>" in source
    for row in (">z<", ">h<", ">b¹₁<", ">w¹₁₁<", ">w¹₂₁<"):
        assert row in source
    assert "w¹₁₁ = " in source  # the arrow from x0 into neuron 1 carries its weight


def test_layer_view_has_one_card_per_layer_and_never_one_weight_for_many() -> None:
    _, loss = network([16, 16, 1])
    source = draw(loss, group="layer").source
    assert sum(card.startswith("g") for card in cards(source)) == 3
    assert "256 edges" in source and "w²₁₁ = " not in source


def test_big_network_grouped_by_neuron_fits_2000_px(pip_renderer_only) -> None:
    _, loss = network([16, 16, 1])
    picture = draw(loss, group="neuron")
    assert len(cards(picture.source)) == 2 + 33 + 2
    width, _ = Image.open(io.BytesIO(picture.pipe(format="png"))).size
    assert width <= 2000


def test_users_group_nodes_themselves() -> None:
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    a = x * y
    a.label = "a"
    b = a + x
    b.label = "b"
    f = b * 2.0
    f.backward()
    source = draw(f, groups={a: "first", b: "first"}).source
    assert "<B>first</B>" in source and len(cards(source)) == 4  # x, y, first, f
    with pytest.raises(ValueError, match="highlight"):
        draw(f, group="neuron", highlight=[x])
    with pytest.raises(ValueError, match="group must be"):
        draw(f, group="synapse")


def test_grouped_drawing_changes_nothing() -> None:
    model, loss = network([3, 1])
    before = [(node.data, node.grad) for node in model.parameters()]
    draw(loss, group="neuron")
    draw(loss, group="layer")
    assert [(node.data, node.grad) for node in model.parameters()] == before
