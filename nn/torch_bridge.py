"""The same model in PyTorch: ``to_torch(model)`` and ``from_torch(module)``.

For a student who outgrows scalar Values. ``to_torch`` turns a ``Neuron``, ``Layer``
or ``MLP`` into a ``torch.nn.Sequential`` (of a subclass that keeps pathgrad's output
shapes) with the same weights in float64; ``from_torch`` turns one back, or builds an
``MLP`` from a plain ``torch.nn.Sequential`` of ``Linear`` and ``ReLU`` / ``Tanh`` /
``Sigmoid`` layers. torch is imported only when one of them is called, so ``nn``
works without it.

Layout: neuron j of a layer holds column j of W (``layers.l.neurons.j.w.i`` is
W_l[i, j]); a torch ``Linear`` stores W transposed, (out, in), one row per neuron,
so ``layers.l.neurons.j.w.i`` is ``weight[j, i]`` and ``layers.l.neurons.j.b`` is
``bias[j]`` of the l-th ``Linear`` module (``module[2 * l]`` when every layer has an
activation: a "linear" activation adds no module).

Shapes: the torch modules take a float64 tensor whose last dimension holds the
``nin`` inputs, with any batch dimensions before it, x of shape (..., nin):

* a ``Neuron`` returns shape (...): a 0-d tensor for one input vector (pathgrad
  returns one Value), shape (N,) for a batch of N;
* a ``Layer`` returns shape (..., nout): a vector, even for nout = 1 (pathgrad
  returns a list, even of one Value);
* an ``MLP`` returns shape (...) if its last layer has one neuron (pathgrad returns
  one Value), else (..., nout) (a list).

>>> import torch
>>> model = MLP(2, [3, 1], activation="tanh", seed=0)
>>> module = to_torch(model)
>>> module
TorchMLP(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): Tanh()
  (2): Linear(in_features=3, out_features=1, bias=True)
)
>>> module[0].weight[2, 1].item() == model.layers[0].neurons[2].w[1].data
True
>>> x = torch.tensor([0.5, -1.0], dtype=torch.float64)
>>> module(x).shape, module(x).item() == model(x.tolist()).data
(torch.Size([]), True)
>>> module(torch.zeros(5, 2, dtype=torch.float64)).shape     # a batch of 5 points
torch.Size([5])
>>> from_torch(module)
MLP(2 → 3 tanh → 1 linear; 13 parameters)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from nn.module import MLP, Layer, Module, Neuron

if TYPE_CHECKING:
    import torch

__all__ = ["to_torch", "from_torch"]

_ACTIVATION_MODULES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}
"""pathgrad's activation name → the ``torch.nn`` module computing it ("linear": none)."""

_CLASSES = ("TorchNeuron", "TorchLayer", "TorchMLP")


def _import_torch(where: str) -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            f"{where} needs PyTorch, which is not installed: pip install torch"
        ) from None
    return torch


@functools.cache
def _torch_classes() -> dict[str, type]:
    """The torch modules ``to_torch`` builds, defined once torch is imported."""
    torch = _import_torch("nn.to_torch")

    class TorchNeuron(torch.nn.Sequential):
        """A pathgrad ``Neuron``: Linear(nin, 1), then its activation; (..., nin) → (...)."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return super().forward(x).squeeze(-1)

    class TorchLayer(torch.nn.Sequential):
        """A pathgrad ``Layer``: Linear(nin, nout), then its activation;
        (..., nin) → (..., nout)."""

    class TorchMLP(torch.nn.Sequential):
        """A pathgrad ``MLP``: Linear, activation, Linear, ...; one output is squeezed away,
        (..., nin) → (...), as pathgrad returns one Value; else (..., nin) → (..., nout)."""

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = super().forward(x)
            return y.squeeze(-1) if y.shape[-1] == 1 else y

    classes: dict[str, type] = {}
    for klass in (TorchNeuron, TorchLayer, TorchMLP):
        # Found by name as nn.torch_bridge.TorchMLP (see __getattr__), so they pickle.
        klass.__module__, klass.__qualname__ = __name__, klass.__name__
        classes[klass.__name__] = klass
    return classes


def __getattr__(name: str) -> Any:
    """``nn.torch_bridge.TorchNeuron``, ``TorchLayer``, ``TorchMLP``: imports torch."""
    if name in _CLASSES:
        return _torch_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ------------------------------------------------------------------ to torch
def to_torch(model: Module) -> torch.nn.Module:
    """An equivalent ``torch.nn.Module`` with ``model``'s weights, in float64.

    A ``Neuron`` becomes a ``TorchNeuron``, a ``Layer`` a ``TorchLayer``, an ``MLP`` a
    ``TorchMLP``: ``torch.nn.Sequential`` subclasses of ``Linear`` layers (with
    ``bias=False`` if the model has no biases), each followed by ``ReLU``, ``Tanh`` or
    ``Sigmoid`` unless its activation is "linear". Output shapes follow pathgrad's
    (see the module's docstring). The weights are copies: training one model leaves
    the other as it was. Torch's random number generator is not used.
    """
    torch = _import_torch("nn.to_torch")
    if type(model) is Neuron:
        layers, kind = [[model]], "TorchNeuron"
    elif type(model) is Layer:
        layers, kind = [model.neurons], "TorchLayer"
    elif type(model) is MLP:
        layers, kind = [layer.neurons for layer in model.layers], "TorchMLP"
    else:
        raise TypeError(
            f"nn.to_torch: {type(model).__name__} is not supported; "
            "it converts a Neuron, a Layer or an MLP"
        )
    modules: list[Any] = []
    for neurons in layers:
        activation, bias = _layer_settings(neurons)
        linear = torch.nn.utils.skip_init(
            torch.nn.Linear, len(neurons[0].w), len(neurons), bias=bias, dtype=torch.float64
        )
        with torch.no_grad():
            weight = [[w.data for w in neuron.w] for neuron in neurons]
            linear.weight.copy_(torch.tensor(weight, dtype=torch.float64))
            if bias:
                biases = [neuron.b.data for neuron in neurons]
                linear.bias.copy_(torch.tensor(biases, dtype=torch.float64))
        modules.append(linear)
        if activation != "linear":
            modules.append(getattr(torch.nn, _ACTIVATION_MODULES[activation])())
    return _torch_classes()[kind](*modules).train(model.training)


def _layer_settings(neurons: list[Neuron]) -> tuple[str, bool]:
    """The activation and bias the neurons of one layer share."""
    settings = {(neuron.activation, neuron.b is not None) for neuron in neurons}
    if len(settings) > 1:
        raise ValueError(
            "nn.to_torch: the neurons of one layer differ in activation or bias; "
            "a torch Linear layer needs them all alike"
        )
    return settings.pop()


# ---------------------------------------------------------------- from torch
def from_torch(module: torch.nn.Module) -> Neuron | Layer | MLP:
    """The pathgrad model of a module ``to_torch`` made, or of a ``torch.nn.Sequential``.

    A ``TorchNeuron`` becomes a ``Neuron``, a ``TorchLayer`` a ``Layer``, a
    ``TorchMLP`` an ``MLP``. A plain ``torch.nn.Sequential`` of ``Linear`` layers,
    each followed by at most one ``ReLU``, ``Tanh`` or ``Sigmoid``, becomes an
    ``MLP``, with one activation for the hidden layers and its own for the last (as
    ``MLP`` has them); beware that such an MLP with one output returns a Value where
    the Sequential returns shape (..., 1). Weights are copied as Python floats (a
    float32 module's weights exactly); the model is built with ``init="zeros"`` and
    then given them.

    Anything else is refused with a TypeError naming the layer type that is not
    supported, and a Sequential pathgrad cannot express (an activation not after a
    Linear, sizes that do not chain, biases in some layers only, different hidden
    activations) with a ValueError.
    """
    torch = _import_torch("nn.from_torch")
    classes = _torch_classes()
    kind = {
        classes["TorchNeuron"]: "Neuron",
        classes["TorchLayer"]: "Layer",
        classes["TorchMLP"]: "MLP",
        torch.nn.Sequential: "MLP",
    }.get(type(module))
    if kind is None:
        raise TypeError(
            f"nn.from_torch: {type(module).__name__} is not supported; it converts a "
            "torch.nn.Sequential of Linear, ReLU, Tanh and Sigmoid layers, or what "
            "nn.to_torch made"
        )
    layers = _linear_layers(torch, module)
    if kind != "MLP" and len(layers) != 1:
        raise ValueError(
            f"nn.from_torch: a {type(module).__name__} holds one Linear layer, "
            f"this one holds {len(layers)}"
        )
    if kind == "Neuron" and layers[0][0].out_features != 1:
        raise ValueError(
            f"nn.from_torch: a TorchNeuron's Linear layer has one output, "
            f"this one has {layers[0][0].out_features}"
        )
    biases = {linear.bias is not None for linear, _ in layers}
    if len(biases) > 1:
        raise ValueError(
            "nn.from_torch: some Linear layers have a bias and some do not; "
            "pathgrad's MLP has biases in every layer or in none"
        )
    bias = biases.pop()
    nin, activations = layers[0][0].in_features, [activation for _, activation in layers]
    if kind == "Neuron":
        model: Neuron | Layer | MLP = Neuron(nin, activations[0], bias, init="zeros")
        neuron_layers = [[model]]
    elif kind == "Layer":
        model = Layer(nin, layers[0][0].out_features, activations[0], bias, init="zeros")
        neuron_layers = [model.neurons]
    else:
        hidden = set(activations[:-1])
        if len(hidden) > 1:
            raise ValueError(
                f"nn.from_torch: the hidden layers use different activations "
                f"({', '.join(activations[:-1])}); pathgrad's MLP uses one for all hidden "
                "layers and its own for the last"
            )
        model = MLP(
            nin,
            [linear.out_features for linear, _ in layers],
            activation=hidden.pop() if hidden else "relu",  # one layer: no hidden layer
            final_activation=activations[-1],
            bias=bias,
            init="zeros",
        )
        neuron_layers = [layer.neurons for layer in model.layers]
    positions = {id(part): position for position, part in enumerate(module)}
    for (linear, _), neurons in zip(layers, neuron_layers):
        where = f"layer {positions[id(linear)]} (Linear)"
        shape = (linear.out_features, linear.in_features)
        weight = _numbers(torch, linear.weight, f"{where}'s weight", shape)
        biases_of = _numbers(torch, linear.bias, f"{where}'s bias", shape[:1]) if bias else []
        for j, neuron in enumerate(neurons):
            for i, w in enumerate(neuron.w):
                w.data = weight[j][i]
            if bias:
                neuron.b.data = biases_of[j]
    model.train(module.training)
    return model


def _linear_layers(torch: Any, module: Any) -> list[tuple[Any, str]]:
    """The Sequential's Linear layers, each with the activation after it ("linear": none)."""
    names = {getattr(torch.nn, klass): name for name, klass in _ACTIVATION_MODULES.items()}
    layers: list[tuple[Any, str]] = []
    after_linear = False
    for position, part in enumerate(module):
        if type(part) is torch.nn.Linear:
            if layers and part.in_features != layers[-1][0].out_features:
                raise ValueError(
                    f"nn.from_torch: layer {position} (Linear) takes {part.in_features} "
                    f"inputs, but the layer before gives {layers[-1][0].out_features}"
                )
            layers.append((part, "linear"))
            after_linear = True
        elif type(part) in names:
            if not after_linear:
                raise ValueError(
                    f"nn.from_torch: layer {position} ({type(part).__name__}) does not follow "
                    "a Linear layer; pathgrad applies one activation to each Linear's output"
                )
            layers[-1] = (layers[-1][0], names[type(part)])
            after_linear = False
        else:
            raise TypeError(
                f"nn.from_torch: layer {position} ({type(part).__name__}) is not supported; "
                "only Linear, ReLU, Tanh and Sigmoid layers are"
            )
    if not layers:
        raise ValueError("nn.from_torch: the Sequential holds no Linear layer")
    return layers


def _numbers(torch: Any, tensor: Any, what: str, shape: tuple[int, ...]) -> list[Any]:
    """A weight tensor of ``shape`` as (nested lists of) Python floats, all of them
    finite: real numbers, dense, on any device that holds them."""
    if tuple(tensor.shape) != shape:
        raise ValueError(
            f"nn.from_torch: {what} has shape {tuple(tensor.shape)}, but the layer's sizes "
            f"need {shape}; give the Linear layer a weight of its own sizes"
        )
    if tensor.layout != torch.strided:
        raise ValueError(
            f"nn.from_torch: {what} is a {str(tensor.layout).replace('torch.', '')} tensor; "
            "make it dense first (.to_dense())"
        )
    if tensor.is_complex():
        raise TypeError(
            f"nn.from_torch: {what} is complex ({tensor.dtype}); pathgrad's Values hold "
            "real numbers only"
        )
    if tensor.is_meta:
        raise ValueError(
            f"nn.from_torch: {what} is on the meta device and holds no numbers; "
            "load or initialise the module's weights first"
        )
    numbers = tensor.detach().to(device="cpu", dtype=torch.float64)
    if not bool(torch.isfinite(numbers).all()):
        raise ValueError(
            f"nn.from_torch: {what} holds a number that is not finite; "
            "pathgrad's Values hold finite numbers only"
        )
    return numbers.tolist()
