"""nn.to_torch and nn.from_torch: the same model in PyTorch, value for value and
gradient for gradient (float64, to 1e-12), and back again with identical weights."""

from __future__ import annotations

import pickle
import random

import pytest
import torch

import nn
from autograd import Value
from nn import MLP, Layer, Neuron
from tests.test_layers import run_without_optional_libraries

F64 = torch.float64
ACTIVATIONS = list(nn.ACTIVATIONS)  # relu, tanh, sigmoid, linear


def agree(ours: float, theirs: float) -> bool:
    """Equal to 1e-12, relative to the numbers' size once they exceed 1."""
    return abs(ours - theirs) <= 1e-12 * max(1.0, abs(ours), abs(theirs))


def architectures(activation: str, bias: bool) -> list[nn.Module]:
    """Several shapes of each kind; every weight random, biases too (they start at 0)."""
    rng = random.Random(f"{activation} {bias}")
    other = ACTIVATIONS[(ACTIVATIONS.index(activation) + 1) % len(ACTIVATIONS)]
    models = [
        Neuron(3, activation, bias, seed=rng),
        Neuron(1, activation, bias, seed=rng),
        Layer(4, 3, activation, bias, seed=rng),
        Layer(2, 1, activation, bias, seed=rng),
        MLP(3, [5, 4, 1], activation, bias=bias, seed=rng),
        MLP(2, [4, 3], activation, final_activation=activation, bias=bias, seed=rng),
        MLP(3, [6, 1], activation, final_activation=other, bias=bias, seed=rng),
        MLP(4, [1], final_activation=activation, bias=bias, seed=rng),
        MLP(2, [3, 3, 2], activation, final_activation=other, bias=bias, init="he", seed=rng),
    ]
    for model in models:
        for parameter in model.parameters():
            parameter.data = rng.uniform(-1.5, 1.5)
    return models


CASES = [
    pytest.param(model, id=f"{model!r}")
    for activation in ACTIVATIONS
    for bias in (True, False)
    for model in architectures(activation, bias)
]


def linears(module: torch.nn.Module) -> list[torch.nn.Linear]:
    return [part for part in module if isinstance(part, torch.nn.Linear)]


def counterpart(module: torch.nn.Module, name: str) -> tuple[torch.Tensor, tuple[int, ...]]:
    """The torch tensor and index holding pathgrad's parameter ``name``:
    ``layers.l.neurons.j.w.i`` is the l-th Linear's ``weight[j, i]``, ``...b`` its ``bias[j]``."""
    parts = name.split(".")
    layer = int(parts[parts.index("layers") + 1]) if "layers" in parts else 0
    neuron = int(parts[parts.index("neurons") + 1]) if "neurons" in parts else 0
    linear = linears(module)[layer]
    if parts[-1] == "b":
        return linear.bias, (neuron,)
    return linear.weight, (neuron, int(parts[-1]))


def expected_shape(model: nn.Module, batch: tuple[int, ...]) -> tuple[int, ...]:
    """The documented shapes: a Neuron, and an MLP with one output, drop the last axis."""
    if isinstance(model, Neuron):
        return batch
    nout = model.nout if isinstance(model, Layer) else model.nouts[-1]
    return batch if isinstance(model, MLP) and nout == 1 else (*batch, nout)


def test_every_activation_and_bias_setting_is_covered():
    kinds = {(type(model).__name__, model.activation) for model in (c.values[0] for c in CASES)}
    assert kinds == {(kind, a) for kind in ("Neuron", "Layer", "MLP") for a in ACTIVATIONS}


@pytest.mark.parametrize("model", CASES)
def test_to_torch_copies_every_weight_exactly(model):
    module = nn.to_torch(model)
    assert all(p.dtype == F64 for p in module.parameters())
    assert sum(p.numel() for p in module.parameters()) == model.parameter_count()
    for name, parameter in model.named_parameters():
        tensor, index = counterpart(module, name)
        assert tensor[index].item() == parameter.data, name


@pytest.mark.parametrize("model", CASES)
def test_forward_values_and_gradients_agree(model):
    """One random input at a time: the output, and the gradient of a random
    combination of the outputs w.r.t. every weight and every input."""
    rng = random.Random(repr(model))
    module = nn.to_torch(model)
    for _ in range(3):
        x = [rng.uniform(-2.0, 2.0) for _ in range(model.nin)]
        inputs = [Value(number, label=f"x{i}") for i, number in enumerate(x)]
        out = model(inputs)
        outs = out if isinstance(out, list) else [out]
        assert isinstance(out, list) == (len(expected_shape(model, ())) == 1)
        seeds = [rng.uniform(-1.0, 1.0) for _ in outs]
        loss = sum((seed * o for seed, o in zip(seeds, outs)), Value(0.0))
        model.zero_grad()
        loss.backward()

        tx = torch.tensor(x, dtype=F64, requires_grad=True)
        ty = module(tx)
        assert ty.shape == expected_shape(model, ())
        module.zero_grad()
        (torch.tensor(seeds, dtype=F64) * ty.reshape(-1)).sum().backward()

        for ours, theirs in zip(outs, ty.reshape(-1).tolist()):
            assert agree(ours.data, theirs), (ours.data, theirs)
        for node, theirs in zip(inputs, tx.grad.tolist()):
            assert agree(node.grad, theirs), (node.label, node.grad, theirs)
        for name, parameter in model.named_parameters():
            tensor, index = counterpart(module, name)
            assert agree(parameter.grad, tensor.grad[index].item()), name


@pytest.mark.parametrize("model", CASES)
def test_a_batch_gives_each_point_and_the_summed_gradients(model):
    """(N, nin) in: one row per point; pathgrad's gradients accumulate over the points
    as torch's do over the batch."""
    rng = random.Random(repr(model) + " batch")
    module = nn.to_torch(model)
    points = [[rng.uniform(-2.0, 2.0) for _ in range(model.nin)] for _ in range(4)]
    model.zero_grad()
    values = []
    for point in points:
        out = model(point)
        outs = out if isinstance(out, list) else [out]
        sum(outs, Value(0.0)).backward()
        values.append([o.data for o in outs])
    ty = module(torch.tensor(points, dtype=F64))
    assert ty.shape == expected_shape(model, (4,))
    ty.sum().backward()
    for ours, theirs in zip(values, ty.reshape(4, -1).tolist()):
        assert all(agree(a, b) for a, b in zip(ours, theirs, strict=True))
    for name, parameter in model.named_parameters():
        tensor, index = counterpart(module, name)
        assert agree(parameter.grad, tensor.grad[index].item()), name


@pytest.mark.parametrize("model", CASES)
def test_the_round_trip_gives_identical_weights(model):
    model.eval()
    module = nn.to_torch(model)
    back = nn.from_torch(module)
    assert type(back) is type(model) and repr(back) == repr(model)
    assert [(n, p.data) for n, p in back.named_parameters()] == [
        (n, p.data) for n, p in model.named_parameters()
    ]
    assert all(parameter.role == "parameter" for parameter in back.parameters())
    assert not module.training and not back.training  # eval() carried both ways
    again = nn.to_torch(back).state_dict()
    assert again.keys() == module.state_dict().keys()
    assert all(torch.equal(again[key], module.state_dict()[key]) for key in again)


def test_the_weights_are_copies():
    model = MLP(2, [3, 1], seed=0)
    module = nn.to_torch(model)
    with torch.no_grad():
        module[0].weight.add_(1.0)
    assert model.layers[0].neurons[0].w[0].data == module[0].weight[0, 0].item() - 1.0
    back = nn.from_torch(module)
    model.layers[0].neurons[0].w[0].data = 7.0
    assert back.layers[0].neurons[0].w[0].data != 7.0


def test_to_torch_leaves_torch_random_numbers_alone():
    state = torch.random.get_rng_state()
    nn.to_torch(MLP(3, [8, 8, 1], seed=0))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_the_modules_print_and_pickle_as_sequentials():
    module = nn.to_torch(MLP(2, [3, 1], activation="tanh", final_activation="sigmoid", seed=0))
    assert isinstance(module, torch.nn.Sequential)
    assert [type(part).__name__ for part in module] == ["Linear", "Tanh", "Linear", "Sigmoid"]
    assert type(nn.to_torch(Neuron(2, seed=0))).__name__ == "TorchNeuron"
    assert type(nn.to_torch(Layer(2, 2, seed=0))).__name__ == "TorchLayer"
    copy = pickle.loads(pickle.dumps(module))
    assert type(copy) is type(module)
    x = torch.tensor([0.3, -0.2], dtype=F64)
    assert torch.equal(copy(x), module(x))


# ------------------------------------------------------- a plain Sequential
def random_sequential(rng: random.Random, *parts: torch.nn.Module) -> torch.nn.Sequential:
    module = torch.nn.Sequential(*parts)
    with torch.no_grad():
        for parameter in module.parameters():
            numbers = [rng.uniform(-1.0, 1.0) for _ in range(parameter.numel())]
            parameter.copy_(torch.tensor(numbers).reshape(parameter.shape))
    return module


SEQUENTIALS = {
    "tanh 3-4-2": lambda: [torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)],
    "relu 2-5-5-1 sigmoid": lambda: [
        torch.nn.Linear(2, 5),
        torch.nn.ReLU(inplace=True),
        torch.nn.Linear(5, 5),
        torch.nn.ReLU(),
        torch.nn.Linear(5, 1),
        torch.nn.Sigmoid(),
    ],
    "linear hidden, no bias": lambda: [
        torch.nn.Linear(3, 2, bias=False),
        torch.nn.Linear(2, 2, bias=False),
        torch.nn.Tanh(),
    ],
    "one Linear": lambda: [torch.nn.Linear(4, 3)],
}


@pytest.mark.parametrize("name", SEQUENTIALS)
def test_a_plain_sequential_becomes_an_mlp_that_computes_the_same(name):
    rng = random.Random(name)
    module = random_sequential(rng, *SEQUENTIALS[name]())  # float32, as torch makes it
    model = nn.from_torch(module)
    assert type(model) is MLP
    float32 = [p.data for p in model.parameters()]
    module.double()  # float32 → float64 is exact: the same numbers
    for number, (n, _) in zip(float32, model.named_parameters()):
        tensor, index = counterpart(module, n)
        assert number == tensor[index].item(), n
    x = [rng.uniform(-2.0, 2.0) for _ in range(model.nin)]
    inputs = [Value(number) for number in x]
    out = model(inputs)
    outs = out if isinstance(out, list) else [out]
    sum(outs, Value(0.0)).backward()
    tx = torch.tensor(x, dtype=F64, requires_grad=True)
    ty = module(tx)
    assert ty.shape == (len(outs),)  # a plain Sequential keeps its last axis, even of size 1
    ty.sum().backward()
    assert all(agree(o.data, t) for o, t in zip(outs, ty.tolist(), strict=True))
    assert all(agree(v.grad, t) for v, t in zip(inputs, tx.grad.tolist(), strict=True))
    for n, parameter in model.named_parameters():
        tensor, index = counterpart(module, n)
        assert agree(parameter.grad, tensor.grad[index].item()), n


def test_the_activations_of_a_sequential_are_read():
    model = nn.from_torch(
        torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(3, 1), torch.nn.Sigmoid())
    )
    assert (model.activation, model.final_activation) == ("linear", "sigmoid")
    assert repr(model) == "MLP(2 → 3 linear → 1 sigmoid; 13 parameters)"


# ------------------------------------------------------------------ refused
def refusal(callable_, *arguments) -> Exception:
    with pytest.raises((TypeError, ValueError)) as caught:
        callable_(*arguments)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"nn.{callable_.__name__}: ")
    return caught.value


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([torch.nn.Linear(2, 3), torch.nn.Dropout()], "layer 1 (Dropout) is not supported"),
        ([torch.nn.Linear(2, 3), torch.nn.GELU()], "layer 1 (GELU) is not supported"),
        ([torch.nn.Conv1d(1, 1, 2)], "layer 0 (Conv1d) is not supported"),
        ([torch.nn.Linear(2, 3), torch.nn.Sequential()], "layer 1 (Sequential) is not supported"),
        ([torch.nn.Linear(2, 3), torch.nn.Identity()], "layer 1 (Identity) is not supported"),
        ([torch.nn.ReLU(), torch.nn.Linear(2, 3)], "layer 0 (ReLU) does not follow a Linear"),
        (
            [torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh()],
            "layer 2 (Tanh) does not follow a Linear",
        ),
        ([], "holds no Linear layer"),
        ([torch.nn.Linear(2, 3), torch.nn.Linear(4, 1)], "takes 4 inputs, but the layer before"),
        (
            [torch.nn.Linear(2, 3, bias=False), torch.nn.Linear(3, 1)],
            "some Linear layers have a bias and some do not",
        ),
        (
            [
                torch.nn.Linear(2, 3),
                torch.nn.Tanh(),
                torch.nn.Linear(3, 3),
                torch.nn.ReLU(),
                torch.nn.Linear(3, 1),
            ],
            "hidden layers use different activations (tanh, relu)",
        ),
    ],
)
def test_from_torch_refuses_what_pathgrad_cannot_express(parts, message):
    error = refusal(nn.from_torch, torch.nn.Sequential(*parts))
    assert message in str(error), str(error)


@pytest.mark.parametrize(
    "module",
    [torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.ModuleList([torch.nn.Linear(2, 3)])],
    ids=["Linear", "ReLU", "ModuleList"],
)
def test_from_torch_refuses_other_module_types(module):
    error = refusal(nn.from_torch, module)
    assert isinstance(error, TypeError)
    assert f"{type(module).__name__} is not supported" in str(error)


def test_from_torch_refuses_a_subclass_of_sequential():
    class Doubled(torch.nn.Sequential):
        def forward(self, x):
            return 2 * super().forward(x)

    error = refusal(nn.from_torch, Doubled(torch.nn.Linear(2, 1)))
    assert "Doubled is not supported" in str(error)


def test_from_torch_refuses_a_changed_torch_neuron_or_layer():
    neuron = nn.to_torch(Neuron(2, seed=0))
    neuron[0] = torch.nn.Linear(2, 3, dtype=F64)
    assert "Linear layer has one output, this one has 3" in str(refusal(nn.from_torch, neuron))
    layer = nn.to_torch(Layer(2, 2, seed=0))
    layer.append(torch.nn.Linear(2, 2, dtype=F64))
    assert "holds one Linear layer, this one holds 2" in str(refusal(nn.from_torch, layer))


def test_from_torch_refuses_weights_that_are_not_finite():
    module = torch.nn.Sequential(torch.nn.Linear(2, 1))
    with torch.no_grad():
        module[0].bias.fill_(float("nan"))
    assert "layer 0 (Linear)'s bias holds a number that is not finite" in str(
        refusal(nn.from_torch, module)
    )


def test_from_torch_refuses_complex_weights_and_weights_with_no_numbers():
    complex_module = torch.nn.Sequential(torch.nn.Linear(2, 1, dtype=torch.complex64))
    assert "layer 0 (Linear)'s weight is complex (torch.complex64)" in str(
        refusal(nn.from_torch, complex_module)
    )
    meta_module = torch.nn.Sequential(torch.nn.Linear(2, 1, device="meta"))
    assert "layer 0 (Linear)'s weight is on the meta device and holds no numbers" in str(
        refusal(nn.from_torch, meta_module)
    )


def test_from_torch_refuses_sparse_weights_and_weights_of_other_sizes():
    sparse = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    sparse[2].weight = torch.nn.Parameter(sparse[2].weight.detach().to_sparse())
    assert "layer 2 (Linear)'s weight is a sparse_coo tensor; make it dense" in str(
        refusal(nn.from_torch, sparse)
    )
    resized = torch.nn.Sequential(torch.nn.Linear(2, 3))
    resized[0].weight = torch.nn.Parameter(torch.zeros(5, 7))
    assert "layer 0 (Linear)'s weight has shape (5, 7), but the layer's sizes need (3, 2)" in str(
        refusal(nn.from_torch, resized)
    )


class Residual(nn.Module):
    def __init__(self):
        self.inner = Neuron(1, seed=0)

    def named_parts(self):
        return [("inner", self.inner)]

    def forward(self, x):
        return x + self.inner(x)


class WiderMLP(MLP):
    pass


@pytest.mark.parametrize(
    "model",
    [Residual(), WiderMLP(2, [1]), 3.0, torch.nn.Linear(2, 1)],
    ids=["a Module of one's own", "a subclass", "a number", "a torch module"],
)
def test_to_torch_refuses_anything_but_neuron_layer_mlp(model):
    error = refusal(nn.to_torch, model)
    assert isinstance(error, TypeError)
    assert f"{type(model).__name__} is not supported" in str(error)


def test_without_torch_nn_works_and_the_bridge_says_what_is_missing():
    finished = run_without_optional_libraries(
        """
        import nn
        try:
            nn.to_torch(nn.Neuron(2))
        except ImportError as error:
            print(error)
        """
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == (
        "nn.to_torch needs PyTorch, which is not installed: pip install torch"
    )
