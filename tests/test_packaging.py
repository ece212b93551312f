"""The wheel pip builds from this tree holds every module and data file of the package."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHES = shutil.ignore_patterns("__pycache__", "*.egg-info")


def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    """A hand-written package list once left autograd/exercises out of the wheel, so
    ``pip install .`` (not ``-e``) gave a pathgrad without ``pathgrad sheet``."""
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the tree
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("autograd", "nn"):
        shutil.copytree(ROOT / name, source / name, ignore=CACHES)
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q"]
    if importlib.util.find_spec("setuptools") is not None:
        command.append("--no-build-isolation")  # else pip fetches setuptools to build
    result = subprocess.run(
        [*command, "-w", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("pathgrad-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        path.relative_to(ROOT).as_posix()
        for folder in ("autograd", "nn")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected - inside == set()
    assert {"autograd/exercises/sheets.py", "autograd/views/fonts/DejaVuSans.ttf"} <= inside
