"""Neuron, Layer, MLP: shapes, names, labels, activations, initialisers."""

from __future__ import annotations

import math
import random
import statistics

import pytest

import autograd
import nn
from autograd import Value, topological_order
from nn import MLP, Module, predict


def test_named_parameters_use_dotted_names_that_are_also_labels():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    named = model.named_parameters()
    assert len(named) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 == 337
    names = [name for name, _ in named]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert "layers.0.neurons.3.w.1" in names
    assert names[-1] == "layers.2.neurons.0.b"
    assert len(set(names)) == len(names)
    for name, parameter in named:
        assert parameter.label == name
        assert parameter.role == "parameter"
    assert model.parameters() == [parameter for _, parameter in named]


def test_labels_appear_in_the_graph_of_an_output():
    model = nn.MLP(2, [3, 1], seed=0)
    output = model([0.5, -0.5])
    labels = {node.label for node in topological_order(output) if node.role == "parameter"}
    assert labels == {name for name, _ in model.named_parameters()}


def test_a_neuron_computes_activation_of_bias_plus_weighted_sum():
    for activation, function in [
        ("linear", lambda s: s),
        ("relu", lambda s: max(s, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda s: 1 / (1 + math.exp(-s))),
    ]:
        neuron = nn.Neuron(3, activation=activation, seed=2)
        x = [0.5, -1.5, 2.0]
        expected = neuron.b.data + sum(w.data * xi for w, xi in zip(neuron.w, x))
        assert neuron(x).data == pytest.approx(function(expected))


def test_a_neuron_without_bias_has_no_b_and_no_extra_node():
    neuron = nn.Neuron(2, activation="linear", bias=False, seed=0)
    assert neuron.b is None
    assert [name for name, _ in neuron.named_parameters()] == ["w.0", "w.1"]
    output = neuron([1.0, 2.0])
    assert output.data == pytest.approx(neuron.w[0].data + 2 * neuron.w[1].data)
    # Two products and one sum: nothing else but the inputs and weights.
    assert [node.op for node in topological_order(output) if node.op] == ["mul", "mul", "add"]


def test_a_one_input_neuron_takes_a_bare_number():
    neuron = nn.Neuron(1, activation="linear", seed=0)
    assert neuron(2.0).data == neuron([2.0]).data


def test_wrong_input_size_is_refused():
    with pytest.raises(ValueError, match="3 inputs got 2"):
        nn.Neuron(3)([1.0, 2.0])
    with pytest.raises(ValueError, match="^MLP with 2 inputs got 3 input"):
        nn.MLP(2, [4, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="^Layer with 2 inputs got 1 input"):
        nn.Layer(2, 3)([1.0])
    with pytest.raises(ValueError, match="takes one sample, not a batch of 2.*nn.predict"):
        nn.MLP(2, [4, 1])([[1.0, 2.0], [3.0, 4.0]])
    assert nn.MLP(2, [1], seed=0)(x for x in (1.0, 2.0)).data == nn.MLP(2, [1], seed=0)([1, 2]).data


def test_an_mlp_with_one_output_returns_a_value_and_several_a_list():
    assert isinstance(nn.MLP(2, [16, 16, 1])([1.0, 2.0]), Value)
    outputs = nn.MLP(2, [4, 3])([1.0, 2.0])
    assert isinstance(outputs, list) and len(outputs) == 3
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), list)


def test_a_width_one_hidden_layer_works():
    model = nn.MLP(2, [16, 1, 1], seed=0)
    output = model([0.3, 0.7])
    assert isinstance(output, Value)
    output.backward()
    assert model.layers[2].neurons[0].w[0].grad == pytest.approx(
        model.layers[1](model.layers[0]([0.3, 0.7]))[0].data
    )


def test_hidden_and_final_activations():
    model = nn.MLP(2, [3, 3, 2], activation="tanh", final_activation="sigmoid")
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "sigmoid"]
    assert all(output.op == "sigmoid" for output in model([1.0, -1.0]))
    assert model([1.0, -1.0])[0].parents[0].op == "add"


def test_unknown_activation_and_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="unknown activation 'softsign'.*relu, tanh"):
        nn.MLP(2, [2], activation="softsign")
    with pytest.raises(ValueError, match="nouts"):
        nn.MLP(2, [])
    with pytest.raises(ValueError, match="positive int"):
        nn.MLP(2, [3, 0])
    with pytest.raises(ValueError, match="positive int"):
        nn.Neuron(0)


def test_repr_shows_shape_and_parameter_count():
    assert repr(nn.MLP(2, [16, 16, 1])) == "MLP(2 → 16 relu → 16 relu → 1 linear; 337 parameters)"
    assert repr(nn.Layer(3, 2, activation="tanh")) == "Layer(3 → 2, tanh; 8 parameters)"
    assert repr(nn.Neuron(2, bias=False)) == "Neuron(2 inputs, relu, no bias; 2 parameters)"
    assert "no biases" in repr(nn.MLP(2, [2, 1], bias=False))


def test_zero_grad_clears_every_parameter_gradient():
    model = nn.MLP(2, [4, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_same_seed_same_weights_and_different_seed_different_weights():
    first = nn.MLP(2, [8, 1], seed=3).state()
    assert nn.MLP(2, [8, 1], seed=3).state() == first
    assert nn.MLP(2, [8, 1], seed=4).state() != first
    shared = random.Random(3)
    assert nn.MLP(2, [8, 1], seed=shared).state() == first


def test_uniform_init_is_micrograds_range_and_biases_start_at_zero():
    model = nn.MLP(4, [32, 32], init="uniform", seed=0)
    weights = [p.data for name, p in model.named_parameters() if ".w." in name]
    biases = [p.data for name, p in model.named_parameters() if name.endswith(".b")]
    assert all(-1.0 <= w <= 1.0 for w in weights)
    assert max(weights) > 0.9 and min(weights) < -0.9
    assert set(biases) == {0.0}


def test_xavier_and_he_have_the_textbook_spread():
    xavier = nn.Layer(200, 100, init="xavier", seed=0)
    weights = [p.data for name, p in xavier.named_parameters() if ".w." in name]
    bound = math.sqrt(6 / 300)
    assert max(abs(w) for w in weights) <= bound
    assert statistics.pvariance(weights) == pytest.approx(2 / 300, rel=0.05)
    he = nn.Layer(200, 50, init="he", seed=0)
    weights = [p.data for name, p in he.named_parameters() if ".w." in name]
    assert statistics.pvariance(weights) == pytest.approx(2 / 200, rel=0.05)
    assert nn.Layer(2, 2, init="glorot", seed=0).state() == nn.Layer(2, 2, init="xavier").state()


def test_zero_and_constant_init_make_every_neuron_of_a_layer_identical():
    for init in ["zeros", 0.5, nn.constant(0.5)]:
        model = nn.MLP(2, [3, 3, 1], activation="tanh", init=init)
        model([0.4, -0.9]).backward()
        for layer in model.layers[:2]:
            grads = {tuple(p.grad for p in neuron.parameters()) for neuron in layer.neurons}
            assert len(grads) == 1  # symmetric: no neuron can become different
    assert set(nn.MLP(2, [3, 1], init=nn.constant(0.5)).state().values()) == {0.5}


def test_bad_init_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="uniform, xavier, he, zeros"):
        nn.MLP(2, [1], init="kaiming")
    with pytest.raises(ValueError, match="needs its value"):
        nn.MLP(2, [1], init="constant")
    with pytest.raises(TypeError):
        nn.MLP(2, [1], init=[1.0])


class Residual(nn.Module):
    """x + tanh(w·x + b): a custom module made of a built-in one."""

    def __init__(self):
        self.inner = nn.Neuron(1, activation="tanh", seed=0)
        self.label_parameters()

    def named_parts(self):
        return [("inner", self.inner)]

    def __call__(self, x):
        return x + self.inner(x)


def test_a_custom_module_gets_names_labels_and_zero_grad_but_cannot_be_saved(tmp_path):
    model = Residual()
    assert [name for name, _ in model.named_parameters()] == ["inner.w.0", "inner.b"]
    assert [p.label for p in model.parameters()] == ["inner.w.0", "inner.b"]
    output = model(Value(0.5))
    output.backward()
    assert model.inner.b.grad != 0.0
    model.zero_grad()
    assert model.inner.b.grad == 0.0
    with pytest.raises(TypeError, match="cannot be saved"):
        model.save(tmp_path / "residual.json")


@pytest.mark.parametrize(
    "module_name",
    ["nn", "nn.module", "nn.matrix", "nn.optim", "nn.datasets", "nn.train"],
)
def test_the_docstring_examples_hold(module_name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module_name))
    assert result.attempted > 0 and result.failed == 0


def test_number_inputs_become_one_shared_input_node_each():
    model = nn.MLP(2, [3, 1], seed=0)
    output = model([0.5, -1.0])
    inputs = [node for node in topological_order(output) if node.role == "input"]
    assert [(node.label, node.data) for node in inputs] == [("x0", 0.5), ("x1", -1.0)]
    assert not [node for node in topological_order(output) if node.role == "constant"]
    output.backward()
    first_layer = model.layers[0].neurons
    # ∂ŷ/∂x0 sums over the three neurons that read x0.
    hidden = [neuron([0.5, -1.0]) for neuron in first_layer]
    expected = sum(
        model.layers[1].neurons[0].w[j].data * (hidden[j].data > 0) * first_layer[j].w[0].data
        for j in range(3)
    )
    assert inputs[0].grad == pytest.approx(expected)


def test_calling_a_module_runs_forward_and_train_eval_reach_every_part():
    model = MLP(2, [3, 1], seed=0)
    assert model([0.5, -1.0]).data == model.forward([0.5, -1.0]).data
    assert model.training and all(part.training for part in model.modules())
    assert model.eval() is model
    assert not any(part.training for part in model.modules())
    assert len(model.modules()) == 1 + 2 + 4  # the MLP, its layers, their neurons
    model.train()
    assert all(part.training for part in model.modules())
    with pytest.raises(TypeError, match="True or False"):
        model.train("no")

    class Empty(Module):
        pass

    with pytest.raises(NotImplementedError, match="must define forward"):
        Empty()(1.0)


def test_predict_builds_no_graph():
    model = MLP(2, [3, 1], seed=0)
    assert predict(model, [[0.5, -1.0]]) == [model([0.5, -1.0]).data]
    with autograd.no_grad():
        output = model([0.5, -1.0])
    assert output.parents == () and output.role == "constant"


def test_the_data_sets_module_is_not_hidden_by_the_matrix_helper():
    import nn.datasets  # nn/data.py once lost to the helper nn.data on import

    assert nn.datasets.make_moons is nn.make_moons
    assert nn.data([[autograd.Value(2.0)]]) == [[2.0]]


def test_modules_and_data_sets_past_any_sensible_size_are_refused_at_once():
    from nn.datasets import MAX_POINTS
    from nn.module import MAX_PARAMETERS

    for make, count in (
        (lambda: nn.MLP(10**6, [10**6]), 10**12 + 10**6),
        (lambda: nn.Layer(5000, 5000), 25_005_000),
        (lambda: nn.Neuron(10**8), 10**8 + 1),
    ):
        with pytest.raises(ValueError, match=f"{count:,} parameters, more than {MAX_PARAMETERS:,}"):
            make()
    assert nn.MLP(64, [32, 10]).parameter_count() == 2410
    with pytest.raises(ValueError, match=f"more than {MAX_POINTS:,}"):
        nn.make_moons(10**12)
