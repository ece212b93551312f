"""Model files: JSON (never pickle) with the architecture and the parameters.

A file looks like::

    {
      "format": "pathgrad-model",
      "version": 1,
      "architecture": {"class": "MLP", "arguments": {"nin": 2, "nouts": [16, 1], ...}},
      "parameters": {"layers.0.neurons.0.w.0": 0.6888437030500962, ...}
    }

Reading checks everything before a single parameter changes: the file parses, the
format and version are known, the architecture matches, every parameter name is
present exactly once, and every value is a finite number. Any problem raises
``ModelFileError`` naming the file, the key and what to do. Floats are written with
``repr`` precision, so saving and loading gives back exactly the same numbers.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

from autograd.files import write_atomically

__all__ = ["ModelFileError", "FORMAT", "VERSION", "write_model_file", "read_model_file"]

FORMAT = "pathgrad-model"
VERSION = 1

# Constructor arguments that change how weights start, not the model's shape or function.
_STARTING_POINT_ONLY = ("init", "seed")


class ModelFileError(ValueError):
    """A model file is unreadable, corrupt, or does not fit the model it is loaded into."""


def write_model_file(
    path: str | os.PathLike[str], architecture: dict[str, Any], parameters: dict[str, float]
) -> None:
    """Write the model file atomically (``autograd.files.write_atomically``).

    A crash mid-write leaves the old file (or none), never half a file. Missing
    folders are created.
    """
    target = os.fspath(path)
    for name, value in parameters.items():
        if not math.isfinite(value):
            raise ModelFileError(
                f"{target}: parameter {name!r} is {value!r}; only finite numbers can be "
                "saved. Training diverged: lower the learning rate and train again."
            )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": architecture,
        "parameters": parameters,
    }
    text = json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    write_atomically(target, text.encode("utf-8"))


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears twice")
        result[key] = value
    return result


def read_model_file(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parse and check a model file's outer structure; return (architecture, parameters).

    Parameter values are checked later, against the model's names
    (``check_parameters``).
    """
    target = os.fspath(path)
    with open(target, "rb") as handle:
        raw = handle.read()
    try:
        document = json.loads(
            raw.decode("utf-8"),
            parse_constant=_refuse_constant,
            object_pairs_hook=_refuse_duplicates,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise ModelFileError(
            f"{target}: not a valid model file ({error}). It may be truncated or corrupt; "
            "save the model again with model.save(path)."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(
            f"{target}: key 'format' is not {FORMAT!r}; this is not a pathgrad model file. "
            "Save one with model.save(path)."
        )
    if document.get("version") != VERSION:
        raise ModelFileError(
            f"{target}: key 'version' is {document.get('version')!r}, but this pathgrad "
            f"reads version {VERSION}. Save the model again with this version."
        )
    architecture = document.get("architecture")
    if (
        not isinstance(architecture, dict)
        or not isinstance(architecture.get("class"), str)
        or not isinstance(architecture.get("arguments"), dict)
    ):
        raise ModelFileError(
            f"{target}: key 'architecture' must hold 'class' (a name) and 'arguments' "
            "(an object). The file is damaged; save the model again."
        )
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        raise ModelFileError(
            f"{target}: key 'parameters' must be an object of name → number. "
            "The file is damaged; save the model again."
        )
    return architecture, parameters


def check_class(
    path: str | os.PathLike[str], architecture: dict[str, Any], known: dict[str, type]
) -> type:
    """The class the file names, if it is one of ``known``."""
    name = architecture["class"]
    if name not in known:
        raise ModelFileError(
            f"{os.fspath(path)}: key 'architecture.class' is {name!r}, but this loader "
            f"builds {', '.join(known)}. Load it with {name}.load(path)."
        )
    return known[name]


def check_architecture(
    path: str | os.PathLike[str], saved: dict[str, Any], expected: dict[str, Any]
) -> None:
    """Refuse a file whose class or shape-defining arguments differ from the model's."""
    target = os.fspath(path)
    if saved["class"] != expected["class"]:
        raise ModelFileError(
            f"{target}: key 'architecture.class' is {saved['class']!r} but the model is a "
            f"{expected['class']}. Use {saved['class']}.load(path) to rebuild the saved model."
        )
    saved_arguments, expected_arguments = saved["arguments"], expected["arguments"]
    for key in expected_arguments:
        if key in _STARTING_POINT_ONLY:
            continue
        if key not in saved_arguments or saved_arguments[key] != expected_arguments[key]:
            found = saved_arguments.get(key, "missing")
            raise ModelFileError(
                f"{target}: key 'architecture.arguments.{key}' is {found!r} in the file but "
                f"{expected_arguments[key]!r} in this model; the architectures differ. "
                f"Rebuild the saved model with {expected['class']}.load(path) instead."
            )


def check_parameters(
    path: str | os.PathLike[str], values: dict[str, Any], names: list[str]
) -> dict[str, float]:
    """Every name present once with a finite number, and nothing else; returns floats."""
    target = os.fspath(path)
    missing = [name for name in names if name not in values]
    expected = set(names)
    unexpected = [name for name in values if name not in expected]
    if missing or unexpected:
        details = []
        if missing:
            details.append(f"missing {len(missing)} (first: 'parameters.{missing[0]}')")
        if unexpected:
            details.append(f"{len(unexpected)} unknown (first: 'parameters.{unexpected[0]}')")
        raise ModelFileError(
            f"{target}: the file has {len(values)} parameters, the model {len(names)}: "
            f"{'; '.join(details)}. The file was saved from a different architecture or "
            "edited; save the model again."
        )
    checked: dict[str, float] = {}
    for name in names:
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ModelFileError(
                f"{target}: key 'parameters.{name}' holds {value!r:.40}, not a number. "
                "The file was edited or damaged; save the model again."
            )
        try:
            number = float(value)
        except OverflowError:  # an integer literal past the floats' range
            number = math.inf
        if not math.isfinite(number):
            raise ModelFileError(
                f"{target}: key 'parameters.{name}' is {number!r}; parameters must be finite."
            )
        checked[name] = number
    return checked
