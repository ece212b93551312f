"""Turning DOT text into pictures, with or without a system Graphviz.

Two renderers are looked for, in this order:

1. the system Graphviz ``dot``, when it is on PATH (what ``apt``/``brew``/``conda``
   install);
2. ``graphviz-pure``, a self-contained port of Graphviz that ``pip install pathgrad``
   brings along. It is found through the installed package's file list, so it works
   even when the virtual environment's ``bin`` folder is not on PATH (a Jupyter
   kernel started from elsewhere).

``renderer()`` says which one is in use. Both write SVG and PNG; PDF needs the
system Graphviz.

>>> from autograd.views import rendering
>>> rendering.render("digraph { a -> b }", "svg")[:5]
b'<?xml'
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd.files import write_atomically

__all__ = [
    "Renderer",
    "RenderError",
    "renderer",
    "find_renderer",
    "available_renderers",
    "render",
    "save",
    "format_from_path",
    "write_atomically",
]

PNG_DPI = 144
"""PNG pixels per inch: twice the screen's 72, so images stay sharp on slides."""

RENDER_TIMEOUT_SECONDS = 120.0
"""A layout that takes longer than this is stopped rather than left to hang."""

# File extension -> (what the renderer is asked for, whether it is image data).
_FORMATS: dict[str, str] = {
    "svg": "svg",
    "png": "png",
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "json": "json",
    "dot": "dot-source",
    "gv": "dot-source",
}

_PURE_PACKAGE = "graphviz-pure"


class RenderError(RuntimeError):
    """Graphviz could not be found, or failed on a graph."""


@dataclass(frozen=True)
class Renderer:
    """One Graphviz program that can lay out and draw DOT text.

    Attributes:
        kind: "system" (a Graphviz ``dot`` on PATH) or "graphviz-pure" (the pip one).
        executable: the program's full path.
        version: its version text, e.g. "2.43.0" or "0.2.2".
        formats: the output formats it can write.
    """

    kind: str
    executable: str
    version: str
    formats: tuple[str, ...]

    def describe(self) -> str:
        """One line for people: "system dot 2.43.0 (/usr/bin/dot)"."""
        if self.kind == "system":
            return f"system dot {self.version} ({self.executable})"
        return f"{self.kind} {self.version} ({self.executable})"


def format_from_path(path: str | os.PathLike[str]) -> str:
    """The output format a file name asks for: "graph.png" → "png".

    Raises ValueError for an extension no renderer writes.
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in _FORMATS:
        raise ValueError(
            f"cannot tell the image format of {str(path)!r} from its extension; "
            f"use one of: {', '.join('.' + name for name in _FORMATS)}"
        )
    return suffix


# ---------------------------------------------------------------- finding programs
def _run_version(executable: str) -> str | None:
    """The version text ``executable -V`` reports, or None if it does not run."""
    try:
        finished = subprocess.run([executable, "-V"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if finished.returncode != 0:
        return None
    # Graphviz prints "dot - graphviz version 2.43.0 (0)"; graphviz-pure prints
    # "graphviz-pure - graphviz-pure version 0.2.2 (...)"; both on stderr.
    text = (finished.stderr or finished.stdout).decode("utf-8", "replace")
    words = text.split()
    if "version" in words and words.index("version") + 1 < len(words):
        return words[words.index("version") + 1]
    return text.strip() or "unknown version"


def _pure_candidates() -> list[Path]:
    """Where the pip-installed ``graphviz-pure`` program may be, best guess first."""
    names = ("graphviz-pure.exe", "graphviz-pure") if os.name == "nt" else ("graphviz-pure",)
    candidates: list[Path] = []
    try:
        distribution = importlib.metadata.distribution(_PURE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        distribution = None
    if distribution is not None:
        # The wheel's file list records the script path relative to site-packages
        # ("../../../bin/graphviz-pure"), which locates it whatever PATH says.
        for file in distribution.files or ():
            if file.name in names:
                candidates.append(Path(str(distribution.locate_file(file))).resolve())
    script_folders = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    for folder in script_folders:
        if folder:
            candidates.extend(Path(folder) / name for name in names)
    on_path = shutil.which("graphviz-pure")
    if on_path:
        candidates.append(Path(on_path))
    return candidates


@functools.lru_cache(maxsize=8)
def _system_renderer(path_variable: str) -> Renderer | None:
    """The system ``dot`` for this PATH, or None (cached per PATH value)."""
    executable = shutil.which("dot", path=path_variable)
    if executable is None:
        return None
    version = _run_version(executable)
    if version is None:
        return None
    return Renderer("system", executable, version, ("svg", "png", "pdf", "jpeg", "json", "plain"))


@functools.lru_cache(maxsize=1)
def _pure_renderer() -> Renderer | None:
    """The pip-installed graphviz-pure, or None (cached: it does not move while we run)."""
    for candidate in _pure_candidates():
        if candidate.is_file() and os.access(candidate, os.X_OK):
            version = _run_version(str(candidate))
            if version is not None:
                return Renderer(
                    _PURE_PACKAGE, str(candidate), version, ("svg", "png", "jpeg", "json", "plain")
                )
    return None


def available_renderers() -> list[Renderer]:
    """Every renderer found, in the order they are preferred (system ``dot`` first)."""
    found = [_system_renderer(os.environ.get("PATH", "")), _pure_renderer()]
    return [candidate for candidate in found if candidate is not None]


def find_renderer() -> Renderer:
    """The renderer in use: the system ``dot`` if on PATH, else graphviz-pure.

    Raises RenderError, saying what to install, when there is neither.
    """
    found = available_renderers()
    if not found:
        raise RenderError(
            "no Graphviz renderer found: neither a 'dot' program on PATH nor the "
            "graphviz-pure package. Reinstall pathgrad (pip install pathgrad brings "
            "graphviz-pure), or install Graphviz (apt install graphviz / brew install "
            "graphviz). Saving as .dot needs no renderer."
        )
    return found[0]


def renderer() -> str:
    """Which Graphviz draws the pictures, e.g. "graphviz-pure 0.2.2 (/venv/bin/graphviz-pure)".

    The system ``dot`` is used when it is on PATH; otherwise the pip-installed
    graphviz-pure.
    """
    return find_renderer().describe()


# ---------------------------------------------------------------- rendering
def render(
    source: str,
    format: str,
    engine: str = "dot",
    *,
    pinned: bool = False,
    using: Renderer | None = None,
) -> bytes:
    """Lay out and draw DOT ``source``; return the file's bytes.

    Args:
        source: DOT text.
        format: "svg", "png", "jpeg", "pdf" (system Graphviz only), "json" or "plain".
        engine: the layout engine, "dot" (layered) or "neato".
        pinned: take every node's ``pos`` as given, in points (neato ``-n2``), so a
            layout computed once is reproduced exactly.
        using: a specific renderer from ``available_renderers()``; default: the one
            ``renderer()`` names, and if it fails (a system Graphviz built without
            PNG support, say) the next one that can write ``format``.
    """
    if using is not None:
        return _render_with(using, source, format, engine, pinned)
    candidates = [found for found in available_renderers() if format in found.formats]
    if not candidates:
        return _render_with(find_renderer(), source, format, engine, pinned)  # says why
    first_error: RenderError | None = None
    for candidate in candidates:
        try:
            return _render_with(candidate, source, format, engine, pinned)
        except RenderError as error:
            first_error = first_error or error
    assert first_error is not None
    raise first_error


def _render_with(chosen: Renderer, source: str, format: str, engine: str, pinned: bool) -> bytes:
    """Run one renderer on ``source``; RenderError with its message if it fails."""
    if format not in chosen.formats:
        raise RenderError(
            f"{chosen.describe()} cannot write {format!r}; it writes "
            f"{', '.join(chosen.formats)}. Save as .svg or .png, or install the system "
            "Graphviz for PDF."
        )
    command = [chosen.executable, f"-K{'neato' if pinned else engine}", f"-T{format}"]
    if pinned:
        command.append("-n2")
    if format in ("png", "jpeg"):
        command.append(f"-Gdpi={PNG_DPI}")
    try:
        finished = subprocess.run(
            command,
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"{chosen.describe()} took more than {RENDER_TIMEOUT_SECONDS:g} s to lay out "
            "the graph and was stopped; draw a smaller graph, or save as .dot"
        ) from None
    except OSError as error:
        raise RenderError(f"could not run {chosen.describe()}: {error}") from None
    if finished.returncode != 0 or not finished.stdout:
        message = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = "; ".join(line for line in message if "Warning" not in line)[:500]
        raise RenderError(
            f"{chosen.describe()} failed to render {format} "
            f"(exit code {finished.returncode}): {detail or 'no message'}"
        )
    return finished.stdout


def _source_of(drawing: Any) -> tuple[str, str, bool]:
    """DOT text, engine and pinned flag of a Drawing, a graphviz graph or a str."""
    if isinstance(drawing, str):
        return drawing, "dot", False
    source = getattr(drawing, "source", None)
    if not isinstance(source, str):
        raise TypeError(
            f"save needs a drawing (autograd.draw(...)), a graphviz graph or DOT text, "
            f"not {type(drawing).__name__}"
        )
    return source, getattr(drawing, "engine", "dot"), bool(getattr(drawing, "pinned", False))


def save(drawing: Any, path: str | os.PathLike[str]) -> Path:
    """Write a drawing to ``path``, the format taken from the extension.

    ``.svg``, ``.png``, ``.jpg``, ``.pdf`` (system Graphviz only), ``.json`` are
    rendered; ``.dot`` / ``.gv`` are the DOT text itself. The file is written
    atomically and missing folders are made. Returns the path written.
    """
    extension = format_from_path(path)
    source, engine, pinned = _source_of(drawing)
    if _FORMATS[extension] == "dot-source":
        data = source.encode("utf-8")
    else:
        data = render(source, _FORMATS[extension], engine, pinned=pinned)
    return write_atomically(path, data)
