"""Saving and loading models: JSON, exact round trips, all-or-nothing validation."""

from __future__ import annotations

import json
import os

import pytest

import nn
from nn import ModelFileError


@pytest.fixture
def saved(tmp_path):
    model = nn.MLP(2, [4, 3, 1], activation="tanh", seed=9)
    path = tmp_path / "models" / "moons.json"  # the folder does not exist yet
    model.save(path)
    return model, path


def test_round_trip_is_exact_and_the_file_is_json(saved):
    model, path = saved
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "pathgrad-model" and document["version"] == 1
    assert document["architecture"] == {
        "class": "MLP",
        "arguments": {
            "nin": 2,
            "nouts": [4, 3, 1],
            "activation": "tanh",
            "final_activation": "linear",
            "bias": True,
            "init": "uniform",
            "seed": 9,
        },
    }
    assert list(document["parameters"]) == [name for name, _ in model.named_parameters()]
    loaded = nn.Module.load(path)
    assert isinstance(loaded, nn.MLP)
    assert loaded.state() == model.state()
    assert loaded([0.3, -0.1]).data == model([0.3, -0.1]).data
    assert nn.MLP.load(path).state() == model.state()


def test_saving_is_deterministic_and_leaves_no_temporary_files(saved, tmp_path):
    model, path = saved
    first = path.read_bytes()
    model.save(path)
    assert path.read_bytes() == first
    assert os.listdir(path.parent) == ["moons.json"]


def test_load_state_replaces_parameters_of_a_same_shaped_model(saved):
    model, path = saved
    other = nn.MLP(2, [4, 3, 1], activation="tanh", seed=1, init="xavier")
    other.load_state(path)
    assert other.state() == model.state()


def assert_refused_and_untouched(path, pattern):
    model = nn.MLP(2, [4, 3, 1], activation="tanh", seed=2)
    before = model.state()
    with pytest.raises(ModelFileError, match=pattern):
        model.load_state(path)
    assert model.state() == before
    with pytest.raises(ModelFileError, match=pattern):
        nn.Module.load(path)


def rewrite(path, change):
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_wrong_architecture_is_refused(saved):
    model, path = saved
    target = nn.MLP(2, [4, 4, 1], activation="tanh")
    before = target.state()
    with pytest.raises(ModelFileError, match=r"architecture.arguments.nouts' is \[4, 3, 1\]"):
        target.load_state(path)
    assert target.state() == before
    with pytest.raises(
        ModelFileError, match="architecture.class' is 'MLP' but the model is a Layer"
    ):
        nn.Layer(2, 4).load_state(path)
    with pytest.raises(ModelFileError, match="Load it with MLP.load"):
        nn.Neuron.load(path)


def test_a_missing_parameter_is_refused_and_nothing_changes(saved):
    _, path = saved
    last = "layers.2.neurons.0.b"
    rewrite(path, lambda document: document["parameters"].pop(last))
    assert_refused_and_untouched(path, f"missing 1 \\(first: 'parameters.{last}'\\)")


def test_an_extra_parameter_is_refused(saved):
    _, path = saved
    rewrite(path, lambda document: document["parameters"].update({"layers.9.w": 1.0}))
    assert_refused_and_untouched(path, "1 unknown")


@pytest.mark.parametrize("bad", ["0.5", None, True, [1.0], {"x": 1}])
def test_a_non_number_is_refused_even_when_it_comes_last(saved, bad):
    _, path = saved
    rewrite(path, lambda document: document["parameters"].update({"layers.2.neurons.0.b": bad}))
    assert_refused_and_untouched(path, "'parameters.layers.2.neurons.0.b' holds .* not a number")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused(saved, text):
    _, path = saved
    content = path.read_text()
    name = '"layers.1.neurons.2.w.0": '
    start = content.index(name) + len(name)
    end = content.index(",", start)
    path.write_text(content[:start] + text + content[end:])
    assert_refused_and_untouched(path, "not a valid model file|must be finite|finite")


def test_truncated_and_corrupt_files_are_refused(saved):
    _, path = saved
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])
    assert_refused_and_untouched(path, "truncated or corrupt")
    path.write_bytes(b"\xff\xfe garbage")
    assert_refused_and_untouched(path, "not a valid model file")
    path.write_text("[1, 2, 3]")
    assert_refused_and_untouched(path, "not a pathgrad model file")


def test_unknown_version_and_duplicate_keys_are_refused(saved):
    _, path = saved
    rewrite(path, lambda document: document.update({"version": 2}))
    assert_refused_and_untouched(path, "'version' is 2")
    path.write_text('{"format": "pathgrad-model", "format": "pathgrad-model"}')
    assert_refused_and_untouched(path, "appears twice")


def test_architecture_arguments_that_do_not_build_are_refused(saved):
    _, path = saved
    rewrite(path, lambda document: document["architecture"]["arguments"].update({"nouts": []}))
    with pytest.raises(ModelFileError, match="does not build a MLP"):
        nn.Module.load(path)


def test_a_diverged_model_cannot_be_saved(tmp_path):
    model = nn.Neuron(2)
    model.w[0].data = float("nan")
    with pytest.raises(ModelFileError, match="'w.0' is nan"):
        model.save(tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()


def test_neuron_and_layer_round_trip(tmp_path):
    for model in (nn.Neuron(3, activation="sigmoid", bias=False, seed=1), nn.Layer(2, 3, seed=4)):
        path = tmp_path / f"{type(model).__name__}.json"
        model.save(path)
        loaded = nn.Module.load(path)
        assert type(loaded) is type(model)
        assert loaded.state() == model.state()


def test_a_refused_save_leaves_the_previous_file_as_it_was(saved):
    model, path = saved
    before = path.read_bytes()
    model.parameters()[0].data = float("inf")
    with pytest.raises(ModelFileError, match="is inf"):
        model.save(path)
    assert path.read_bytes() == before
