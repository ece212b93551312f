"""Every example in a docstring runs and prints what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import autograd
import nn

MODULES = sorted(
    name
    for package in (autograd, nn)
    for name in [package.__name__]
    + [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
    if not name.endswith("__main__")
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if module_name in WITH_EXAMPLES:
        assert result.attempted > 0  # the examples are there, not silently skipped


# The public API's modules: each shows how it is used.
WITH_EXAMPLES = {
    "autograd",
    "autograd.engine.value",
    "autograd.engine.functional",
    "autograd.views.drawing",
    "autograd.views.steps",
    "autograd.views.paths",
    "autograd.command_line.expression",
    "nn",
    "nn.module",
    "nn.torch_bridge",
}
