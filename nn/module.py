"""Modules: ``Neuron``, ``Layer`` and ``MLP``, built from Values.

A neuron computes act(b + Σᵢ wᵢ·xᵢ); a layer is a list of neurons that read the same
input; an MLP is a list of layers, each reading the previous one's output. Every
weight is a leaf Value with role "parameter", labelled with its dotted name
(``layers.0.neurons.3.w.1``), so drawings and error messages name it.

In the seeds' matrix notation a layer is Z = X·W: neuron j of a layer holds column j
of W, so ``layers.l.neurons.j.w.i`` is W_l[i, j].
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from operator import mul
from pathlib import Path
from typing import Any

from autograd import Value
from nn import saving
from nn.activations import ACTIVATIONS, activation_function
from nn.initializers import Initializer, initializer

__all__ = ["Module", "Neuron", "Layer", "MLP", "ACTIVATIONS"]

Input = Sequence[Value | float] | Value | float


class Module:
    """The base of every network piece: parameters by name, zero_grad, save and load.

    A subclass lists its parts in ``named_parts`` (Values, Modules, or lists of them)
    and computes in ``forward``; calling the module calls ``forward``, and
    everything else here walks the parts. A custom module:

    >>> class Residual(Module):
    ...     def __init__(self):
    ...         self.inner = Neuron(1, activation="tanh", seed=0)
    ...         self.label_parameters()
    ...     def named_parts(self):
    ...         return [("inner", self.inner)]
    ...     def forward(self, x):
    ...         return x + self.inner(x)
    >>> model = Residual()
    >>> [name for name, _ in model.named_parameters()]
    ['inner.w.0', 'inner.b']
    >>> model.eval().training, model.inner.training     # eval() reaches every part
    (False, False)
    """

    _arguments: dict[str, Any]
    training: bool = True
    """True after ``train()`` (the default), False after ``eval()``: a module whose
    forward pass differs between training and evaluation reads it."""

    def named_parts(self) -> list[tuple[str, Any]]:
        """(name, part) pairs: a part is a parameter Value, a Module or a list of them.

        Their names, joined by dots, name the parameters.
        """
        return []

    def __call__(self, x: Any) -> Any:
        """The module's output for ``x``: ``forward(x)``."""
        return self.forward(x)

    def forward(self, x: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward(x)")

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and every module among its parts; return it."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode): mode must be True or False, not {type(mode).__name__}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        """``train(False)``: evaluation mode, for this module and all its parts."""
        return self.train(False)

    def modules(self) -> list[Module]:
        """This module and every module among its parts, depth first."""
        found: list[Module] = []
        pending: list[Any] = [self]
        while pending:
            part = pending.pop()
            if isinstance(part, Module):
                found.append(part)
                pending.extend(reversed([child for _, child in part.named_parts()]))
            elif isinstance(part, list | tuple):
                pending.extend(reversed(part))
        return found

    # ------------------------------------------------------------ parameters
    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted name, in a fixed order.

        >>> [name for name, _ in Neuron(2, seed=0).named_parameters()]
        ['w.0', 'w.1', 'b']
        """
        found: list[tuple[str, Value]] = []
        _collect(self, "", found)
        return found

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters``."""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 (leaves accumulate across backward calls)."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def parameter_count(self) -> int:
        """How many numbers this module learns."""
        return len(self.named_parameters())

    def _record(self, **arguments: Any) -> None:
        """End of a constructor: keep the arguments that rebuild this module (for
        ``save``) and give each parameter its dotted name as label, so drawings show it."""
        rule, seed = arguments["init"], arguments["seed"]
        arguments["init"] = rule.spec
        arguments["seed"] = seed if isinstance(seed, int) else None  # a shared Random: not saved
        arguments["bias"] = bool(arguments["bias"])
        self._arguments = arguments
        self.label_parameters()

    def label_parameters(self) -> None:
        """Label each parameter with its dotted name, so drawings and messages show it.

        The built-in modules do this when made; a custom Module calls it at the end
        of its ``__init__``.
        """
        for name, parameter in self.named_parameters():
            parameter.label = name

    # ------------------------------------------------------------ state
    def architecture(self) -> dict[str, Any]:
        """The class name and constructor arguments that rebuild this module's shape."""
        if not hasattr(self, "_arguments"):
            raise TypeError(
                f"{type(self).__name__} did not record its constructor arguments, so it "
                "cannot be saved; save and load its Neuron/Layer/MLP parts instead"
            )
        return {"class": type(self).__name__, "arguments": dict(self._arguments)}

    def state(self) -> dict[str, float]:
        """The parameters' values by dotted name."""
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the architecture and parameters to ``path`` as JSON; return the Path written.

        The file is readable text: a format version, ``architecture`` (class name and
        constructor arguments) and ``parameters`` (value by dotted name). It is
        written atomically (``autograd.files.write_atomically``): never half a file,
        a new file gets 0o666 less the umask, an overwritten one keeps its mode.
        A parameter that is nan or infinite is refused before anything is written.
        """
        return saving.write_model_file(path, self.architecture(), self.state())

    def load_state(
        self,
        path: str | os.PathLike[str],
        *,
        max_bytes: int | None = None,
        max_parameters: int | None = None,
    ) -> None:
        """Replace this module's parameters with those saved in ``path``.

        Everything is checked first (see ``nn.saving``): a regular file of at most
        ``max_bytes`` (default ``nn.saving.MAX_MODEL_FILE_BYTES``, 16 MiB), the
        format and version, the architecture's class and every argument (types,
        ranges, no unknown ones; sizes must equal this model's), the names and
        counts, finite numbers. On any problem a ``saving.ModelFileError`` is raised
        and no parameter has changed.
        """
        architecture, values = saving.read_model_file(
            path, max_bytes=max_bytes, max_parameters=max_parameters
        )
        expected = self.architecture()
        saving.check_same_class(path, architecture, expected)
        kind = _kind(type(self))
        saving.check_arguments(path, architecture, kind, max_parameters=max_parameters)
        saving.check_architecture(path, architecture, expected)
        self._assign(path, values)

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        max_bytes: int | None = None,
        max_parameters: int | None = None,
    ) -> Module:
        """Rebuild a saved module: ``MLP.load(path)`` (or ``Module.load`` for any built-in).

        The whole file is checked before anything is built (see ``nn.saving``): a
        regular file of at most ``max_bytes`` (default
        ``nn.saving.MAX_MODEL_FILE_BYTES``, 16 MiB), a known class, exactly its
        arguments with their types and ranges, at most ``max_parameters`` (default
        ``nn.saving.MAX_MODEL_PARAMETERS``, 250,000) parameters implied by the
        sizes, and exactly the implied parameter names, each a finite number. Any
        problem raises ``saving.ModelFileError``.
        """
        architecture, values = saving.read_model_file(
            path, max_bytes=max_bytes, max_parameters=max_parameters
        )
        known = {klass.__name__: klass for klass in _BUILT_IN}
        if cls is not Module:
            known = {cls.__name__: cls}
        klass = saving.check_class(path, architecture, known)
        kind = _kind(klass)
        arguments = architecture["arguments"]
        saving.check_arguments(path, architecture, kind, max_parameters=max_parameters)
        if klass in _BUILT_IN:  # a subclass may add parameters: checked once it is built
            saving.check_names(path, values, saving.parameter_names(kind, arguments))
        numbers = saving.check_numbers(path, values)
        try:
            model = klass(**arguments)
        except (TypeError, ValueError) as error:
            raise saving.ModelFileError(
                f"{os.fspath(path)}: key 'architecture.arguments' does not build a "
                f"{klass.__name__}: {error}. Was the file edited by hand? Save the model again."
            ) from None
        model._assign(path, numbers)
        return model

    def _assign(self, path: str | os.PathLike[str], values: dict[str, Any]) -> None:
        """Check every saved value first, then set them all: all or nothing."""
        parameters = self.named_parameters()
        checked = saving.check_parameters(path, values, [name for name, _ in parameters])
        for name, parameter in parameters:
            parameter.data = checked[name]


def _kind(klass: type) -> str:
    """Which built-in class (Neuron, Layer, MLP) ``klass`` is or derives from."""
    for base in klass.__mro__:
        if base in _BUILT_IN:
            return base.__name__
    raise TypeError(
        f"{klass.__name__} is not a Neuron, Layer or MLP, so its model files cannot be "
        "checked; save and load its Neuron/Layer/MLP parts instead"
    )


def _collect(part: Any, prefix: str, found: list[tuple[str, Value]]) -> None:
    if isinstance(part, Value):
        found.append((prefix, part))
    elif isinstance(part, Module):
        for name, child in part.named_parts():
            _collect(child, f"{prefix}.{name}" if prefix else name, found)
    else:  # a list of parts, named by position
        for index, child in enumerate(part):
            _collect(child, f"{prefix}.{index}", found)


def _random_source(seed: int | random.Random | None) -> random.Random:
    """A ``random.Random`` from a seed, or the caller's own (so layers share one stream)."""
    if isinstance(seed, random.Random):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int, a random.Random or None, not {seed!r:.40}")
    return random.Random(seed)  # None: fresh entropy, not reproducible


def _input_nodes(x: Input, nin: int, who: str) -> list[Value]:
    """A layer's inputs as Values: numbers become labelled input nodes, Values stay.

    ``who`` ("MLP", "Layer") names the module in the error for a wrong count or a
    batch given where one sample belongs.
    """
    if isinstance(x, Value | int | float):
        x = [x]
    elif not isinstance(x, list | tuple):
        x = list(x)  # a generator, a numpy row
    if any(isinstance(item, list | tuple) for item in x):
        raise ValueError(
            f"{who} with {nin} inputs takes one sample, not a batch of {len(x)}; call it "
            "on each sample, or use nn.predict(model, X)"
        )
    if len(x) != nin:
        raise ValueError(f"{who} with {nin} inputs got {len(x)} input(s)")
    return [
        item if isinstance(item, Value) else Value(item, label=f"x{index}")
        for index, item in enumerate(x)
    ]


def _check_size(size: Any, what: str) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"{what} must be a positive int, got {size!r}")
    return size


MAX_PARAMETERS = 10_000_000
"""The most parameters a module is built with: each is a Value of about 176 bytes, so
this is already 1.8 GB, and a scalar engine needs hours per epoch at that size."""


def _check_parameter_count(count: int, what: str) -> None:
    """Refuse, before any Value is made, a module larger than ``MAX_PARAMETERS``."""
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"{what}: {count:,} parameters, more than {MAX_PARAMETERS:,} (about "
            f"{count * 176 / 1e9:,.1f} GB of Values); a model this large is for PyTorch"
        )


class Neuron(Module):
    """act(b + Σᵢ wᵢ·xᵢ): one unit with ``nin`` weights and an optional bias.

    >>> neuron = Neuron(2, activation="linear", seed=0)
    >>> neuron.w[0].data = 2.0; neuron.w[1].data = -1.0; neuron.b.data = 0.5
    >>> neuron([3.0, 4.0]).data     # 0.5 + 2·3 − 1·4
    2.5

    Args:
        nin: how many inputs (and weights).
        activation: "relu", "tanh", "sigmoid" or "linear".
        bias: False leaves b out (as in problem sheet 5, exercise 6).
        init: "uniform" (micrograd's U(−1, 1)), "xavier", "he", "zeros", a number or
            ``nn.constant(c)``; see ``nn.initializers``.
        seed: an int (the same weights on every run; 0 by default), a
            ``random.Random`` to draw from (a layer passes its own), or None for
            fresh, unreproducible randomness.
        fan_out: the width of the layer this neuron belongs to (Xavier needs it).
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        bias: bool = True,
        init: str | float | Initializer = "uniform",
        seed: int | random.Random | None = 0,
        fan_out: int = 1,
    ) -> None:
        self.nin = _check_size(nin, "Neuron: nin")
        _check_parameter_count(nin + bool(bias), "Neuron")
        self.activation = activation
        self._activate = activation_function(activation, "Neuron")
        rule = initializer(init)
        rng = _random_source(seed)
        self.w = [Value(rule.weight(nin, fan_out, rng), role="parameter") for _ in range(nin)]
        self.b = Value(rule.bias(), role="parameter") if bias else None
        self._record(nin=nin, activation=activation, bias=bias, init=rule, seed=seed)

    def named_parts(self) -> list[tuple[str, Any]]:
        return [("w", self.w)] if self.b is None else [("w", self.w), ("b", self.b)]

    def forward(self, x: Input) -> Value:
        """act(b + w₀x₀ + w₁x₁ + …), one Value per product and per sum."""
        try:
            count = len(x)
        except TypeError:  # a bare number or Value for a one-input neuron
            x, count = [x], 1
        if count != self.nin:
            raise ValueError(f"Neuron with {self.nin} inputs got {count} input(s)")
        products = map(mul, self.w, x)
        total = sum(products, self.b if self.b is not None else next(products))
        return total if self._activate is None else self._activate(total)

    def __repr__(self) -> str:
        bias = "" if self.b is not None else ", no bias"
        count = self.parameter_count()
        return f"Neuron({self.nin} inputs, {self.activation}{bias}; {count} parameters)"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; returns a list of ``nout`` Values.

    >>> layer = Layer(3, 2, activation="tanh", seed=1)
    >>> len(layer([1.0, 2.0, 3.0]))
    2
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        bias: bool = True,
        init: str | float | Initializer = "uniform",
        seed: int | random.Random | None = 0,
    ) -> None:
        _check_size(nin, "Layer: nin")
        self.nout = _check_size(nout, "Layer: nout")
        _check_parameter_count(nout * (nin + bool(bias)), "Layer")
        activation_function(activation, "Layer")
        rule = initializer(init)
        rng = _random_source(seed)
        self.nin, self.activation = nin, activation
        self.neurons = [Neuron(nin, activation, bias, rule, rng, fan_out=nout) for _ in range(nout)]
        self._record(nin=nin, nout=nout, activation=activation, bias=bias, init=rule, seed=seed)

    def named_parts(self) -> list[tuple[str, Any]]:
        return [("neurons", self.neurons)]

    def forward(self, x: Input) -> list[Value]:
        """Each neuron's output, in order (always a list, even for one neuron).

        Plain-number inputs become one input node each (labelled x0, x1, ...), shared
        by all the neurons, as in the picture of a layer.
        """
        x = _input_nodes(x, self.nin, "Layer")
        return [neuron(x) for neuron in self.neurons]

    def __repr__(self) -> str:
        return (
            f"Layer({self.nin} → {self.nout}, {self.activation}; "
            f"{self.parameter_count()} parameters)"
        )


class MLP(Module):
    """A multilayer perceptron: layers of sizes ``nouts`` after ``nin`` inputs.

    Hidden layers use ``activation``, the last one ``final_activation``. A network
    whose last layer has one neuron returns a Value, otherwise a list of Values.
    ``bias``, ``init`` and ``seed`` are as for ``Neuron``; all layers draw from one
    ``random.Random(seed)``, so the same seed gives the same network.

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> model
    MLP(2 → 16 relu → 16 relu → 1 linear; 337 parameters)
    >>> model([0.5, -1.0]).op        # a single Value: the last sum, no activation
    'add'
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        final_activation: str = "linear",
        bias: bool = True,
        init: str | float | Initializer = "uniform",
        seed: int | random.Random | None = 0,
    ) -> None:
        _check_size(nin, "MLP: nin")
        if isinstance(nouts, int) or not nouts:
            raise ValueError(f"MLP: nouts must be a non-empty list of layer sizes, got {nouts!r}")
        sizes = [nin, *[_check_size(size, "MLP: each layer size") for size in nouts]]
        _check_parameter_count(
            sum(after * (before + bool(bias)) for before, after in zip(sizes, sizes[1:])), "MLP"
        )
        activation_function(activation, "MLP activation")
        activation_function(final_activation, "MLP final_activation")
        rule = initializer(init)
        rng = _random_source(seed)
        self.nin, self.nouts = nin, list(nouts)
        self.activation, self.final_activation = activation, final_activation
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[index],
                sizes[index + 1],
                final_activation if index == last else activation,
                bias,
                rule,
                rng,
            )
            for index in range(len(nouts))
        ]
        self._record(
            nin=nin,
            nouts=list(nouts),
            activation=activation,
            final_activation=final_activation,
            bias=bias,
            init=rule,
            seed=seed,
        )

    def named_parts(self) -> list[tuple[str, Any]]:
        return [("layers", self.layers)]

    def forward(self, x: Input) -> Value | list[Value]:
        """The network's output: one Value if the last layer has one neuron, else a list."""
        x = _input_nodes(x, self.nin, "MLP")
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def __repr__(self) -> str:
        shape = " → ".join(
            [str(self.nin)] + [f"{layer.nout} {layer.activation}" for layer in self.layers]
        )
        bias = "" if self.layers[0].neurons[0].b is not None else ", no biases"
        return f"MLP({shape}{bias}; {self.parameter_count()} parameters)"


_BUILT_IN: tuple[type[Module], ...] = (Neuron, Layer, MLP)
