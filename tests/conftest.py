"""Test settings shared by every test module."""

from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run and machine: a CI failure reproduces locally.
settings.register_profile("pathgrad", derandomize=True, database=None, print_blob=True)
settings.load_profile("pathgrad")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, with only the pip renderer on hand."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return folder
