"""Saving and loading models: JSON, exact round trips, all-or-nothing validation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from nn import ModelFileError, saving


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


# ---------------------------------------------------------------- issue 9: model files
BOMB = (
    '{"format":"pathgrad-model","version":1,"architecture":{"class":"MLP",'
    '"arguments":{"nin":100000000,"nouts":[1]}},"parameters":{}}'
)


class Built(BaseException):
    """Raised by a constructor that must not run (not an Exception: nothing catches it)."""


@pytest.fixture
def nothing_is_built(monkeypatch):
    """Any Neuron, Layer or MLP built from here on fails the test."""

    def refuse(self, *args, **kwargs):
        raise Built(f"{type(self).__name__} was built before the file was checked")

    for klass in (nn.Neuron, nn.Layer, nn.MLP):
        monkeypatch.setattr(klass, "__init__", refuse)


def test_save_returns_the_path_it_wrote(tmp_path):
    written = nn.Neuron(2).save(str(tmp_path / "n.json"))
    assert written == tmp_path / "n.json" and isinstance(written, Path)
    again = saving.write_model_file(tmp_path / "m.json", nn.Neuron(1).architecture(), {})
    assert again == tmp_path / "m.json"


def test_the_model_bomb_is_refused_before_anything_is_built(tmp_path, nothing_is_built):
    path = tmp_path / "bomb.json"
    path.write_text(BOMB)
    with pytest.raises(ModelFileError, match=r"MLP of 100,000,001 parameters, over the limit"):
        nn.Module.load(path)
    with pytest.raises(ModelFileError, match="100,000,001 parameters"):
        nn.MLP.load(path)


@pytest.mark.parametrize(
    "klass, arguments",
    [
        ("MLP", {"nin": 10**8, "nouts": [1]}),
        ("MLP", {"nin": 2, "nouts": [10**5, 10**5, 1]}),
        ("MLP", {"nin": 2, "nouts": [1000] * 300}),
        ("Layer", {"nin": 10**4, "nout": 10**4}),
        ("Neuron", {"nin": 10**8}),
        ("Neuron", {"nin": 10**4000}),  # a 4,001-digit size
    ],
)
def test_complete_architectures_past_the_limit_are_refused_unbuilt(
    tmp_path, nothing_is_built, klass, arguments
):
    defaults = {"activation": "relu", "bias": True, "init": "uniform", "seed": 0}
    if klass == "MLP":
        defaults["final_activation"] = "linear"
    document = {
        "format": "pathgrad-model",
        "version": 1,
        "architecture": {"class": klass, "arguments": {**arguments, **defaults}},
        "parameters": {},
    }
    path = tmp_path / "bomb.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match="parameters, over the limit of 250,000") as caught:
        nn.Module.load(path)
    assert len(str(caught.value)) < 400


def test_the_parameter_limit_is_configurable(tmp_path, monkeypatch):
    model = nn.MLP(2, [3, 1], seed=1)  # 13 parameters
    path = model.save(tmp_path / "small.json")
    assert nn.Module.load(path, max_parameters=13).state() == model.state()
    with pytest.raises(ModelFileError, match="MLP of 13 parameters, over the limit of 12"):
        nn.Module.load(path, max_parameters=12)
    monkeypatch.setattr(saving, "MAX_MODEL_PARAMETERS", 12)
    with pytest.raises(ModelFileError, match="over the limit of 12;"):
        nn.Module.load(path)
    with pytest.raises(TypeError, match="max_parameters must be a positive int"):
        nn.Module.load(path, max_parameters=True)


def test_the_implied_parameters_are_compared_with_the_stored_ones_before_building(
    saved, nothing_is_built
):
    _, path = saved  # MLP(2, [4, 3, 1]): 31 parameters
    rewrite(path, lambda document: document["architecture"]["arguments"].update({"nin": 3}))
    with pytest.raises(ModelFileError, match="the file has 31 parameters, the model 35"):
        nn.Module.load(path)


def test_a_subclass_of_a_built_in_module_still_loads(tmp_path):
    class Wide(nn.MLP):
        pass

    model = Wide(2, [3, 1], seed=5)
    path = model.save(tmp_path / "wide.json")
    loaded = Wide.load(path)
    assert type(loaded) is Wide and loaded.state() == model.state()
    other = Wide(2, [3, 1], seed=6)
    other.load_state(path)
    assert other.state() == model.state()


@pytest.mark.parametrize(
    "key, value, pattern",
    [
        ("bias", "no", r"'architecture.arguments.bias' is 'no', .* must be true or false"),
        ("bias", 1, r"'architecture.arguments.bias' is 1, .* must be true or false"),
        ("seed", "abc", r"'architecture.arguments.seed' is 'abc', .* integer or null"),
        ("seed", 1.5, r"'architecture.arguments.seed' is 1.5, .* integer or null"),
        ("seed", True, r"'architecture.arguments.seed' is True, .* integer or null"),
        ("nin", True, r"'architecture.arguments.nin' is True, .* positive integer"),
        ("nin", 0, r"'architecture.arguments.nin' is 0, .* positive integer"),
        ("nin", 2.0, r"'architecture.arguments.nin' is 2.0, .* positive integer"),
        ("nin", "2", r"'architecture.arguments.nin' is '2', .* positive integer"),
        ("nouts", 4, r"'architecture.arguments.nouts' is 4, .* non-empty list"),
        ("nouts", [4, True, 1], r"layer size 1 is True, not a positive integer"),
        ("nouts", [4, -3, 1], r"layer size 1 is -3, not a positive integer"),
        ("activation", "swish", r"'architecture.arguments.activation' is 'swish', .* one of"),
        ("final_activation", None, r"'architecture.arguments.final_activation' is None"),
        ("init", "constant", r"'architecture.arguments.init' is 'constant', .* initialiser"),
        ("init", True, r"'architecture.arguments.init' is True, .* initialiser"),
        ("init", [1], r"'architecture.arguments.init' is \[1\], .* initialiser"),
    ],
)
def test_each_argument_is_checked_for_its_exact_type(saved, key, value, pattern):
    _, path = saved
    rewrite(path, lambda document: document["architecture"]["arguments"].update({key: value}))
    assert_refused_and_untouched(path, pattern)


def test_an_infinite_constant_initialiser_is_refused(saved):
    _, path = saved
    content = path.read_text().replace('"init": "uniform"', '"init": 1e999')
    path.write_text(content)
    assert_refused_and_untouched(path, r"'architecture.arguments.init' is inf")


def test_unknown_and_missing_arguments_are_refused(saved):
    _, path = saved
    rewrite(path, lambda document: document["architecture"]["arguments"].update({"fan_out": 3}))
    assert_refused_and_untouched(path, r"'architecture.arguments.fan_out' is not an argument")
    rewrite(path, lambda document: document["architecture"]["arguments"].pop("fan_out"))
    rewrite(path, lambda document: document["architecture"]["arguments"].pop("seed"))
    assert_refused_and_untouched(path, r"'architecture.arguments.seed' is missing")


def test_unknown_keys_of_the_file_and_the_architecture_are_refused(saved):
    _, path = saved
    rewrite(path, lambda document: document.update({"comment": "hi"}))
    assert_refused_and_untouched(path, r"key 'comment' does not belong in a model file")
    rewrite(path, lambda document: document.pop("comment"))
    rewrite(path, lambda document: document["architecture"].update({"extra": 1}))
    assert_refused_and_untouched(path, r"key 'architecture' is .* exactly 'class'")


def test_a_bad_argument_is_refused_before_anything_is_built(saved, nothing_is_built):
    _, path = saved
    rewrite(path, lambda document: document["architecture"]["arguments"].update({"bias": "no"}))
    with pytest.raises(ModelFileError, match="bias' is 'no'"):
        nn.Module.load(path)


def test_a_non_finite_parameter_is_refused_before_anything_is_built(saved, nothing_is_built):
    _, path = saved
    content = path.read_text()
    name = '"layers.2.neurons.0.b": '
    start = content.index(name) + len(name)
    path.write_text(content[:start] + "1e999" + content[content.index("\n", start) :])
    with pytest.raises(ModelFileError, match="'parameters.layers.2.neurons.0.b' is inf"):
        nn.Module.load(path)


@pytest.mark.parametrize(
    "version, pattern",
    [
        (True, r"'version' is True \(a boolean, not an integer\)"),
        (1.0, r"'version' is 1.0 \(a float, not an integer\)"),
        ("1", r"'version' is '1' \(a string, not an integer\)"),
        (None, r"'version' is None \(null, not an integer\)"),
    ],
)
def test_the_version_must_be_the_integer_1(saved, version, pattern):
    _, path = saved
    rewrite(path, lambda document: document.update({"version": version}))
    assert_refused_and_untouched(path, pattern)
    rewrite(path, lambda document: document.pop("version"))
    assert_refused_and_untouched(path, "'version' is missing")


@pytest.mark.parametrize("where", ['"parameters": ', '"architecture": ', '"version": '])
def test_deeply_nested_json_is_a_model_file_error(saved, where):
    _, path = saved
    content = path.read_text()
    start = content.index(where) + len(where)
    path.write_text(
        content[:start] + "[" * 2000 + "]" * 2000 + content[content.index("\n", start) :]
    )
    assert_refused_and_untouched(
        path, r"not a valid model file \(lists or objects nested too deeply\)"
    )


def test_nesting_the_parser_accepts_is_echoed_shortly(saved):
    _, path = saved
    rewrite(path, lambda document: document["architecture"]["arguments"].update({"nouts": []}))
    content = path.read_text().replace('"nouts": []', '"nouts": ' + "[" * 900 + "]" * 900)
    path.write_text(content)
    with pytest.raises(ModelFileError, match="nouts") as caught:
        nn.Module.load(path)
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize(
    "change",
    [
        lambda document: document.update({"version": "v" * 10_000_000}),
        lambda document: document.update({"version": 7 * 10**3999}),
        lambda document: document.update({"x" * 10_000_000: 1}),
        lambda document: document["architecture"].update({"class": "C" * 10_000_000}),
        lambda document: document["architecture"]["arguments"].update({"k" * 10**6: 1}),
        lambda document: document["architecture"]["arguments"].update({"activation": "a" * 10**6}),
        lambda document: document["architecture"]["arguments"].update({"nouts": [4, 3, 1] * 10**5}),
        lambda document: document["parameters"].update({"p" * 10**6: 1.0}),
        lambda document: document["parameters"].update({"layers.0.neurons.0.b": "s" * 10**6}),
    ],
)
def test_every_echoed_value_is_cut_to_a_readable_length(saved, change):
    _, path = saved
    rewrite(path, change)
    for load in (nn.Module.load, nn.MLP(2, [4, 3, 1], activation="tanh").load_state):
        with pytest.raises(ModelFileError) as caught:
            load(path, max_parameters=10**6)
        assert len(str(caught.value)) < 400, str(caught.value)[:500]


def test_shortened_reprs_and_cuts_anything():
    assert saving.shortened("abc") == "'abc'"
    assert saving.shortened(True) == "True"
    long = saving.shortened("x" * 10_000_000)
    assert len(long) == 60 and long.endswith("…") and long.startswith("'xxx")
    assert len(saving.shortened(list(range(10**6)))) <= 60
    assert "digits" in saving.shortened(10**5000)  # repr itself would raise ValueError
    nested: list = []
    for _ in range(5000):
        nested = [nested]
    assert len(saving.shortened(nested)) <= 60  # no RecursionError
    assert len(saving.shortened("y" * 100, limit=20)) == 20


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(saved, monkeypatch):
    _, path = saved
    size = path.stat().st_size
    assert nn.Module.load(path, max_bytes=size).state() == saved[0].state()
    with pytest.raises(ModelFileError, match=f"{size:,} bytes, over the limit of 100 bytes"):
        nn.Module.load(path, max_bytes=100)
    with pytest.raises(ModelFileError, match="over the limit of 100 bytes"):
        nn.MLP(2, [4, 3, 1], activation="tanh").load_state(path, max_bytes=100)
    monkeypatch.setattr(saving, "MAX_MODEL_FILE_BYTES", 100)
    with pytest.raises(ModelFileError, match="over the limit of 100 bytes"):
        nn.Module.load(path)


def test_a_large_file_is_not_read_at_all(tmp_path, monkeypatch):
    path = tmp_path / "large.json"
    with open(path, "wb") as handle:
        handle.truncate(1 << 20)  # 1 MiB of (sparse) zeros
    monkeypatch.setattr(saving, "MAX_MODEL_FILE_BYTES", 1000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(ModelFileError, match=r"1,048,576 bytes, over the limit of 1,000 bytes"):
        nn.Module.load(path)
    assert reads == []


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_at_most_the_limit_plus_one_byte_is_read_whatever_the_size_says():
    assert os.stat("/proc/self/status").st_size == 0  # /proc files claim to be empty
    with pytest.raises(ModelFileError, match="more than 100 bytes, over the limit of 100"):
        nn.Module.load("/proc/self/status", max_bytes=100)


@pytest.mark.parametrize("name", ["model.pt", "model.PTH", "model.pkl", "model.safetensors"])
def test_a_name_with_another_librarys_extension_is_refused_before_writing(tmp_path, name):
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(
        ModelFileError, match=r"pathgrad writes its models as JSON; name it '.*/model\.json'"
    ):
        model.save(tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    assert model.save(tmp_path / "model.weights").exists()  # any other name is fine
    with pytest.raises(ModelFileError, match=r"name it '.*/new/m\.json'"):
        model.save(tmp_path / "new" / "m.json.pt")


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(ModelFileError, match="this is a folder, not a regular file"):
        nn.Module.load(tmp_path)


LOAD_IN_A_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a regression fails, fast
import nn
try:
    nn.Module.load(sys.argv[1])
except nn.ModelFileError as error:
    print("refused:", error)
"""


def load_in_a_child(path):
    """Load ``path`` in another Python with 1 GiB of memory and 60 s: a read that hangs
    or runs away fails this test instead of taking the test run with it."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", LOAD_IN_A_CHILD, os.fspath(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(nn.__file__).parent.parent,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path} hung")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "model.json"
    os.mkfifo(pipe)
    assert "named pipe (FIFO), not a regular file" in load_in_a_child(pipe)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_behind_a_symlink_is_refused_without_reading(tmp_path):
    link = tmp_path / "model.json"
    link.symlink_to("/dev/zero")
    assert "this is a device, not a regular file" in load_in_a_child(link)
    assert "this is a device, not a regular file" in load_in_a_child("/dev/zero")


@pytest.mark.parametrize(
    "text",
    [
        BOMB,
        '{"format": "pathgrad-model", "version": 1, "architecture": {"class": "MLP", '
        '"arguments": {}}, "parameters": ' + "[" * 2000 + "]" * 2000 + "}",
        '{"format": "pathgrad-model", "version": "' + "9" * 10_000_000 + '"}',
    ],
    ids=["bomb", "nested", "ten-megabyte-version"],
)
def test_hostile_files_are_refused_within_100_megabytes(tmp_path, text):
    import tracemalloc

    path = tmp_path / "hostile.json"
    path.write_text(text)
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as refused:
            nn.Module.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024
    assert len(str(refused.value)) < 400
