"""Model files: JSON (never pickle) with the architecture and the parameters.

A file looks like::

    {
      "format": "pathgrad-model",
      "version": 1,
      "architecture": {"class": "MLP", "arguments": {"nin": 2, "nouts": [16, 1], ...}},
      "parameters": {"layers.0.neurons.0.w.0": 0.6888437030500962, ...}
    }

Reading checks the whole file before anything is built or a single parameter
changes, in this order:

1. **The file itself.** It must be a regular file (a named pipe, a device such as
   ``/dev/zero`` behind a symlink, or a folder is refused without reading or waiting)
   of at most ``MAX_MODEL_FILE_BYTES`` (16 MiB) bytes, checked before it is read; at
   most that many bytes plus one are ever read.
2. **The JSON.** UTF-8, no NaN or Infinity, no key twice, nesting no deeper than
   Python's parser allows, and at most ``max_parameters + 1024`` commas and opening
   brackets together (a model of n parameters and L layers has n + L + 13), so
   parsing cannot build millions of objects before the counts are checked.
3. **The outer structure.** Exactly the keys ``format``, ``version`` (the integer 1:
   not ``true``, not ``1.0``), ``architecture`` (exactly ``class`` and ``arguments``)
   and ``parameters``.
4. **The architecture.** A class this loader knows; exactly the arguments that class
   saves, each of its exact type: sizes (``nin``, ``nout``, each of ``nouts``) are
   positive integers (not booleans), activations are names from
   ``nn.ACTIVATIONS``, ``bias`` is ``true`` or ``false``, ``init`` is an
   initialiser's name or a finite number, ``seed`` is an integer or ``null``. The
   number of parameters the architecture implies is computed from the sizes,
   without building anything, and must be at most ``MAX_MODEL_PARAMETERS``
   (250,000).
5. **The parameters.** Exactly the names the architecture implies, each a finite
   number.

Only then is the model built (or, for ``load_state``, the numbers assigned), all at
once. Any problem raises ``ModelFileError`` naming the file, the key and what to do;
a value from the file is echoed cut to about 60 characters (``shortened``). Both
limits can be raised per call (``Module.load(path, max_bytes=..., max_parameters=...)``)
or for the process (``nn.saving.MAX_MODEL_FILE_BYTES = ...``). A file that cannot be
opened at all raises the ``OSError`` of ``open`` (``FileNotFoundError``,
``PermissionError``).

Floats are written with ``repr`` precision, so saving and loading gives back exactly
the same numbers.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from autograd.engine.errors import shortened
from autograd.files import write_atomically
from nn.activations import ACTIVATIONS
from nn.initializers import initializer

__all__ = [
    "ModelFileError",
    "FORMAT",
    "VERSION",
    "MAX_MODEL_FILE_BYTES",
    "MAX_MODEL_PARAMETERS",
    "ARCHITECTURES",
    "shortened",
    "write_model_file",
    "read_model_file",
]

FORMAT = "pathgrad-model"
VERSION = 1

MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024
"""Larger model files are refused before they are read (an MLP of 250,000 parameters
takes about 13 MB)."""

MAX_MODEL_PARAMETERS = 250_000
"""Architectures implying more parameters are refused before anything is built
(loading an MLP of 250,000 parameters takes about 140 MB and several seconds)."""

ARCHITECTURES: dict[str, tuple[str, ...]] = {
    "Neuron": ("nin", "activation", "bias", "init", "seed"),
    "Layer": ("nin", "nout", "activation", "bias", "init", "seed"),
    "MLP": ("nin", "nouts", "activation", "final_activation", "bias", "init", "seed"),
}
"""The arguments each built-in class saves: a file lists exactly these."""

_SIZES = ("nin", "nout", "nouts")
_KEYS = ("format", "version", "architecture", "parameters")

# Constructor arguments that change how weights start, not the model's shape or function.
_STARTING_POINT_ONLY = ("init", "seed")


class ModelFileError(ValueError):
    """A model file is unreadable, corrupt, or does not fit the model it is loaded into."""


# ------------------------------------------------------------------ messages
def _count(number: int) -> str:
    """A parameter count for a message: 1,234,567 or, past any sane size, its magnitude."""
    if number.bit_length() > 100:
        return f"about 10^{int(number.bit_length() * math.log10(2))}"
    return f"{number:,}"


# ------------------------------------------------------------------ writing
OTHER_FORMATS = {
    ".pt": "torch.load",
    ".pth": "torch.load",
    ".ckpt": "torch.load",
    ".pkl": "pickle",
    ".pickle": "pickle",
    ".npy": "numpy.load",
    ".npz": "numpy.load",
    ".h5": "HDF5 readers",
    ".hdf5": "HDF5 readers",
    ".keras": "Keras",
    ".onnx": "ONNX runtimes",
    ".safetensors": "safetensors",
}
"""Model-file extensions of other libraries, which ``save`` refuses: a JSON file named
``model.pt`` would only fail later, in ``torch.load``."""


def _as_json(target: str) -> Path:
    """``target`` with its last extension made .json: m.pt → m.json, m.json.pt → m.json."""
    bare = Path(target).with_suffix("")
    return bare if bare.suffix.lower() == ".json" else bare.with_name(bare.name + ".json")


def write_model_file(
    path: str | os.PathLike[str], architecture: dict[str, Any], parameters: dict[str, float]
) -> Path:
    """Write the model file atomically (``autograd.files.write_atomically``); return its Path.

    A crash mid-write leaves the old file (or none), never half a file. Missing
    folders are created; a new file gets 0o666 less the umask, an overwritten one
    keeps its mode. A parameter that is not finite, and a name with another
    library's extension (``OTHER_FORMATS``: ``.pt``, ``.pkl``, ...), are refused
    before anything is written.
    """
    target = os.fspath(path)
    suffix = Path(target).suffix.lower()
    if suffix in OTHER_FORMATS:
        raise ModelFileError(
            f"{shortened(target, 80)}: a {suffix} file is read by {OTHER_FORMATS[suffix]}, but "
            f"pathgrad writes its models as JSON; name it {shortened(str(_as_json(target)), 80)}, "
            "or for "
            f"PyTorch save nn.to_torch(model) with torch.save"
        )
    for name, value in parameters.items():
        if not math.isfinite(value):
            raise ModelFileError(
                f"{target}: parameter {shortened(name)} is {value!r}; only finite numbers "
                "can be saved. Training diverged: lower the learning rate and train again."
            )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": architecture,
        "parameters": parameters,
    }
    text = json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    return write_atomically(target, text.encode("utf-8"))


# ------------------------------------------------------------------ reading
def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {shortened(key)} appears twice")
        result[key] = value
    return result


def _what_it_is(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_large(target: str, size: str, limit: int) -> ModelFileError:
    return ModelFileError(
        f"{target}: the file is {size} bytes, over the limit of {limit:,} bytes for a model "
        "file; it is not one pathgrad wrote for a model it can load. If you trust it, pass "
        "max_bytes= to load/load_state (or raise nn.saving.MAX_MODEL_FILE_BYTES)."
    )


def _read_bounded(target: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a ModelFileError.

    Opened without blocking (a named pipe with no writer would otherwise wait
    forever); the type and size are checked on the open descriptor, and at most
    ``limit + 1`` bytes are read (a file can grow, and /proc files claim size 0).
    """
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    descriptor = os.open(target, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise ModelFileError(
                f"{target}: this is {_what_it_is(status.st_mode)}, not a regular file, so it "
                "was not read. Give the path of a file that model.save(path) wrote."
            )
        if status.st_size > limit:
            raise _too_large(target, f"{status.st_size:,}", limit)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, max(status.st_size + 1, 1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _too_large(target, f"more than {limit:,}", limit)
    return data


def _limit(value: int | None, default: int, keyword: str) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TypeError(f"{keyword} must be a positive int, got {shortened(value)}")
    return value


def read_model_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    max_parameters: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read and check a model file's outer structure; return (architecture, parameters).

    Checks steps 1–3 of this module's list: a regular file of at most ``max_bytes``
    (default ``MAX_MODEL_FILE_BYTES``), valid JSON of bounded size for
    ``max_parameters`` (default ``MAX_MODEL_PARAMETERS``), exactly the four keys,
    format and version. The architecture's arguments are checked by
    ``check_arguments``, the parameter values by ``check_numbers`` and
    ``check_names``.
    """
    target = os.fspath(path)
    max_bytes = _limit(max_bytes, MAX_MODEL_FILE_BYTES, "max_bytes")
    max_parameters = _limit(max_parameters, MAX_MODEL_PARAMETERS, "max_parameters")
    raw = _read_bounded(target, max_bytes)
    # Every JSON value but the first of a list or object follows a comma: commas and
    # openings bound how many objects parsing builds. A model file of n parameters
    # and L layers has n + L + 13 of them.
    if raw.count(b",") + raw.count(b"[") + raw.count(b"{") > max_parameters + 1024:
        raise ModelFileError(
            f"{target}: the file holds more values than a model of at most "
            f"{max_parameters:,} parameters has; it is not a model file this pathgrad loads. "
            "If you trust it, pass a larger max_parameters= to load/load_state."
        )
    try:
        text = raw.decode("utf-8")
        del raw  # never the bytes, the text and the parsed document at once
        document = json.loads(
            text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates
        )
    except RecursionError:
        raise ModelFileError(
            f"{target}: not a valid model file (lists or objects nested too deeply). "
            "It may be corrupt; save the model again with model.save(path)."
        ) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ModelFileError(
            f"{target}: not a valid model file ({str(error)[:200]}). It may be truncated or "
            "corrupt; save the model again with model.save(path)."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(
            f"{target}: key 'format' is not {FORMAT!r}; this is not a pathgrad model file. "
            "Save one with model.save(path)."
        )
    for key in document:
        if key not in _KEYS:
            raise ModelFileError(
                f"{target}: key {shortened(key)} does not belong in a model file, which holds "
                f"{', '.join(_KEYS)}. The file was edited; save the model again."
            )
    _check_version(target, document)
    for key in ("architecture", "parameters"):
        if key not in document:
            raise ModelFileError(
                f"{target}: key {key!r} is missing. The file is damaged; save the model again."
            )
    architecture = document["architecture"]
    if (
        not isinstance(architecture, dict)
        or set(architecture) != {"class", "arguments"}
        or not isinstance(architecture["class"], str)
        or not isinstance(architecture["arguments"], dict)
    ):
        raise ModelFileError(
            f"{target}: key 'architecture' is {shortened(architecture)}; it must hold exactly "
            "'class' (a name) and 'arguments' (an object). The file is damaged; save the "
            "model again."
        )
    parameters = document["parameters"]
    if not isinstance(parameters, dict):
        raise ModelFileError(
            f"{target}: key 'parameters' is {shortened(parameters)}; it must be an object of "
            "name → number. The file is damaged; save the model again."
        )
    return architecture, parameters


def _check_version(target: str, document: dict[str, Any]) -> None:
    """The version must be the integer VERSION itself: not true, not 1.0, not "1"."""
    if "version" not in document:
        raise ModelFileError(
            f"{target}: key 'version' is missing; this pathgrad reads version {VERSION}. "
            "Save the model again."
        )
    version = document["version"]
    if type(version) is int and version == VERSION:
        return
    if type(version) is int:
        kind = "an unknown version"
    else:
        kind = f"{_json_type(version)}, not an integer"
    raise ModelFileError(
        f"{target}: key 'version' is {shortened(version)} ({kind}), but this pathgrad "
        f"reads version {VERSION}. Save the model again with this version."
    )


def _json_type(value: Any) -> str:
    """What a JSON value is, in words: "a boolean", "a float", "a string"..."""
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in (
        (float, "a float"),
        (str, "a string"),
        (list, "a list"),
        (dict, "an object"),
    ):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


# ------------------------------------------------------------------ checking
def check_class(
    path: str | os.PathLike[str], architecture: dict[str, Any], known: dict[str, type]
) -> type:
    """The class the file names, if it is one of ``known``."""
    name = architecture["class"]
    if name not in known:
        hint = (
            f"Load it with {name}.load(path)."
            if name in ARCHITECTURES
            else "The file was edited or comes from another program."
        )
        raise ModelFileError(
            f"{os.fspath(path)}: key 'architecture.class' is {shortened(name)}, but this "
            f"loader builds {', '.join(known)}. {hint}"
        )
    return known[name]


def _is_size(value: Any) -> bool:
    return type(value) is int and value >= 1


def _argument_problem(key: str, value: Any) -> str | None:
    """What is wrong with one saved argument, or None."""
    if key in ("nin", "nout"):
        return None if _is_size(value) else "it must be a positive integer (a size)"
    if key == "nouts":
        if not isinstance(value, list) or not value:
            return "it must be a non-empty list of layer sizes (positive integers)"
        for index, size in enumerate(value):
            if not _is_size(size):
                return f"layer size {index} is {shortened(size)}, not a positive integer"
        return None
    if key in ("activation", "final_activation"):
        if isinstance(value, str) and value in ACTIVATIONS:
            return None
        return f"it must be one of {', '.join(map(repr, ACTIVATIONS))}"
    if key == "bias":
        return None if isinstance(value, bool) else "it must be true or false"
    if key == "init":
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            try:
                initializer(value)
                return None
            except (TypeError, ValueError, OverflowError):
                pass
        return "it must be an initialiser's name (uniform, xavier, he, zeros) or a finite number"
    if key == "seed":
        return None if value is None or type(value) is int else "it must be an integer or null"
    return "it is not an argument of this class"  # pragma: no cover - keys come from the table


def implied_parameter_count(kind: str, arguments: dict[str, Any]) -> int:
    """How many parameters ``kind(**arguments)`` has, computed from the sizes alone.

    >>> implied_parameter_count("MLP", {"nin": 2, "nouts": [16, 16, 1], "bias": True})
    337
    """
    bias = 1 if arguments["bias"] else 0
    if kind == "Neuron":
        return arguments["nin"] + bias
    if kind == "Layer":
        return arguments["nout"] * (arguments["nin"] + bias)
    sizes = [arguments["nin"], *arguments["nouts"]]
    return sum(fan_out * (fan_in + bias) for fan_in, fan_out in zip(sizes, sizes[1:]))


def parameter_names(kind: str, arguments: dict[str, Any]) -> list[str]:
    """The dotted parameter names of ``kind(**arguments)``, without building it.

    >>> parameter_names("Layer", {"nin": 1, "nout": 2, "bias": True})
    ['neurons.0.w.0', 'neurons.0.b', 'neurons.1.w.0', 'neurons.1.b']
    """

    def neuron(prefix: str, nin: int) -> list[str]:
        names = [f"{prefix}w.{index}" for index in range(nin)]
        return names + [f"{prefix}b"] if arguments["bias"] else names

    def layer(prefix: str, nin: int, nout: int) -> list[str]:
        return [name for j in range(nout) for name in neuron(f"{prefix}neurons.{j}.", nin)]

    if kind == "Neuron":
        return neuron("", arguments["nin"])
    if kind == "Layer":
        return layer("", arguments["nin"], arguments["nout"])
    sizes = [arguments["nin"], *arguments["nouts"]]
    return [
        name
        for index in range(len(sizes) - 1)
        for name in layer(f"layers.{index}.", sizes[index], sizes[index + 1])
    ]


def _argument(key: str) -> str:
    return shortened(f"architecture.arguments.{key}")


def check_arguments(
    path: str | os.PathLike[str],
    architecture: dict[str, Any],
    kind: str,
    *,
    max_parameters: int | None = None,
) -> int:
    """Check a file's architecture arguments for ``kind`` (a key of ``ARCHITECTURES``).

    Exactly the arguments ``kind`` saves, each of its exact type and range, and at
    most ``max_parameters`` (default ``MAX_MODEL_PARAMETERS``) parameters implied.
    Nothing is built. Returns the implied parameter count.
    """
    target = os.fspath(path)
    limit = _limit(max_parameters, MAX_MODEL_PARAMETERS, "max_parameters")
    arguments = architecture["arguments"]
    expected = ARCHITECTURES[kind]
    for key in arguments:
        if key not in expected:
            raise ModelFileError(
                f"{target}: key {_argument(key)} is not an argument a {kind} file holds "
                f"({', '.join(expected)}). The file was edited; save the model again."
            )
    sizes = [key for key in expected if key in _SIZES]
    for key in sizes:
        _check_argument(target, kind, arguments, key)
    # The sizes are sound: bound the count before anything else (bias unchecked yet,
    # so counted unless it is false).
    count = implied_parameter_count(kind, {**arguments, "bias": arguments.get("bias") is not False})
    if count > limit:
        raise ModelFileError(
            f"{target}: key 'architecture.arguments' describes a {kind} of {_count(count)} "
            f"parameters, over the limit of {limit:,}; it was not built. If you trust the "
            "file, pass max_parameters= to load (or raise nn.saving.MAX_MODEL_PARAMETERS)."
        )
    for key in expected:
        if key not in sizes:
            _check_argument(target, kind, arguments, key)
    return implied_parameter_count(kind, arguments)


def _check_argument(target: str, kind: str, arguments: dict[str, Any], key: str) -> None:
    if key not in arguments:
        raise ModelFileError(
            f"{target}: key {_argument(key)} is missing; a {kind} file lists "
            f"{', '.join(ARCHITECTURES[kind])}. The file is damaged; save the model again."
        )
    problem = _argument_problem(key, arguments[key])
    if problem is not None:
        raise ModelFileError(
            f"{target}: key {_argument(key)} is {shortened(arguments[key])}, which does not "
            f"build a {kind}: {problem}. Was the file edited by hand? Save the model again."
        )


def check_same_class(
    path: str | os.PathLike[str], saved: dict[str, Any], expected: dict[str, Any]
) -> None:
    """Refuse a file whose class differs from the model's."""
    target = os.fspath(path)
    if saved["class"] != expected["class"]:
        name = saved["class"]
        hint = (
            f"Use {name}.load(path) to rebuild the saved model."
            if name in ARCHITECTURES
            else "The file was edited or comes from another program."
        )
        raise ModelFileError(
            f"{target}: key 'architecture.class' is {shortened(name)} but the model is a "
            f"{expected['class']}. {hint}"
        )


def check_architecture(
    path: str | os.PathLike[str], saved: dict[str, Any], expected: dict[str, Any]
) -> None:
    """Refuse a file whose class or shape-defining arguments differ from the model's."""
    target = os.fspath(path)
    check_same_class(path, saved, expected)
    saved_arguments, expected_arguments = saved["arguments"], expected["arguments"]
    for key in expected_arguments:
        if key in _STARTING_POINT_ONLY:
            continue
        if key not in saved_arguments or saved_arguments[key] != expected_arguments[key]:
            found = shortened(saved_arguments[key]) if key in saved_arguments else "missing"
            raise ModelFileError(
                f"{target}: key {_argument(key)} is {found} in the file but "
                f"{shortened(expected_arguments[key])} in this model; the architectures "
                f"differ. Rebuild the saved model with {expected['class']}.load(path) instead."
            )


def check_names(path: str | os.PathLike[str], values: dict[str, Any], names: list[str]) -> None:
    """Every name of ``names`` present in ``values``, and nothing else."""
    target = os.fspath(path)
    expected = set(names)
    missing = [name for name in names if name not in values]
    unexpected = [name for name in values if name not in expected]
    if missing or unexpected:
        details = []
        if missing:
            first = shortened("parameters." + missing[0])
            details.append(f"missing {len(missing)} (first: {first})")
        if unexpected:
            first = shortened("parameters." + unexpected[0])
            details.append(f"{len(unexpected)} unknown (first: {first})")
        raise ModelFileError(
            f"{target}: the file has {len(values):,} parameters, the model {len(names):,}: "
            f"{'; '.join(details)}. The file was saved from a different architecture or "
            "edited; save the model again."
        )


def check_numbers(path: str | os.PathLike[str], values: dict[str, Any]) -> dict[str, float]:
    """Every value a finite number (not a boolean, string or list); returns them as floats."""
    target = os.fspath(path)
    checked: dict[str, float] = {}
    for name, value in values.items():
        if isinstance(value, float) and math.isfinite(value):  # the usual case, quickly
            checked[name] = value
            continue
        key = shortened(f"parameters.{name}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ModelFileError(
                f"{target}: key {key} holds {shortened(value, 40)}, not a number. "
                "The file was edited or damaged; save the model again."
            )
        try:
            number = float(value)
        except OverflowError:  # an integer literal past the floats' range
            number = math.inf
        if not math.isfinite(number):
            raise ModelFileError(
                f"{target}: key {key} is {number!r}; parameters must be finite. "
                "The file was edited or damaged; save the model again."
            )
        checked[name] = number
    return checked


def check_parameters(
    path: str | os.PathLike[str], values: dict[str, Any], names: list[str]
) -> dict[str, float]:
    """Every name present once with a finite number, and nothing else; returns floats."""
    check_names(path, values, names)
    return check_numbers(path, values)
