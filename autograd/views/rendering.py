"""Turning DOT text into pictures, with or without a system Graphviz.

Two renderers are looked for, in this order:

1. the system Graphviz ``dot``, when it is on PATH (what ``apt``/``brew``/``conda``
   install);
2. ``graphviz-pure``, a self-contained port of Graphviz that ``pip install pathgrad``
   brings along. It is found through the installed package's file list, so it works
   even when the virtual environment's ``bin`` folder is not on PATH (a Jupyter
   kernel started from elsewhere).

``renderer()`` says which one is in use. Both write SVG, PNG and PDF (graphviz-pure's
SVG is converted to PDF by the pip packages svglib and reportlab;
``renderers_for("pdf")`` says whether a PDF can be written here, before any work).

A renderer runs as a child process with a time limit (``RENDER_TIMEOUT_SECONDS``,
30 s; ``timeout=`` per call, or ``with time_limit(seconds):`` for everything drawn
inside), and it never outlives the call: it is killed on a timeout, on Ctrl-C and on
any other exception, and on Linux also when the process that started it dies, even
by ``kill -9``.

>>> from autograd.views import rendering
>>> rendering.render("digraph { a -> b }", "svg")[:5]
b'<?xml'
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib.metadata
import io
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd.files import write_atomically

__all__ = [
    "Renderer",
    "RenderError",
    "RenderTimeout",
    "RENDER_TIMEOUT_SECONDS",
    "MAX_TIMEOUT_SECONDS",
    "time_limit",
    "renderer",
    "last_renderer",
    "renderers_for",
    "find_renderer",
    "available_renderers",
    "render",
    "save",
    "format_from_path",
    "render_format",
    "check_can_write",
    "check_can_render",
    "current_time_limit",
    "run_child",
    "write_atomically",
    "PNG_DPI",
    "MAX_PIXELS",
    "ImageTooLargeError",
    "picture_size",
]

PNG_DPI = 144
"""PNG pixels per inch by default: twice the screen's 72, so images stay sharp on slides.

A drawing's own ``dpi`` (``draw(root, dpi=300)``, ``drawing.attr(dpi="300")``) or
``save(path, dpi=300)`` replaces it."""

MAX_PIXELS = 25_000_000
"""The largest PNG or JPEG made without asking: 25 million pixels (5,000 × 5,000).

A larger picture is refused before it is drawn, with one line giving its size;
``save(path, max_pixels=...)`` (or ``render(..., max_pixels=)``) raises the limit."""

RENDER_TIMEOUT_SECONDS = 30.0
"""Seconds one renderer run may take before it is stopped (a RenderTimeout).

The default for every call that gives no ``timeout=`` and runs outside
``time_limit``. Lecture-sized graphs take well under a second; a graph the layout
engine is slow on (a sum of 160 copies of ``x``) would otherwise run for minutes.
"""

MAX_TIMEOUT_SECONDS = 86_400
"""The longest time limit taken: a day (the operating system's wait overflows past 24 days)."""

_time_limit: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "pathgrad_render_time_limit", default=None
)

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
_VERSION_TIMEOUT_SECONDS = 20.0  # "dot -V" answers at once; a hung program is skipped


class RenderError(RuntimeError):
    """Graphviz could not be found, or failed on a graph."""


class ImageTooLargeError(RenderError):
    """A PNG or JPEG would have more pixels than the limit (``MAX_PIXELS``).

    Attributes:
        width, height: the picture's size in pixels, had it been made.
        limit: the pixel limit it is over.
    """

    def __init__(self, message: str, width: int, height: int, limit: int):
        super().__init__(message)
        self.width, self.height, self.limit = width, height, limit


class RenderTimeout(RenderError):
    """A renderer ran past its time limit and was stopped.

    Attributes:
        seconds: the limit it ran past.
        renderer: the Renderer that was stopped.
    """

    def __init__(self, message: str, seconds: float, renderer: Renderer):
        super().__init__(message)
        self.seconds = seconds
        self.renderer = renderer


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
        returncode, stdout, stderr = run_child([executable, "-V"], b"", _VERSION_TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError):
        return None
    if returncode != 0:
        return None
    # Graphviz prints "dot - graphviz version 2.43.0 (0)"; graphviz-pure prints
    # "graphviz-pure - graphviz-pure version 0.2.2 (...)"; both on stderr.
    text = (stderr or stdout).decode("utf-8", "replace")
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
                formats = ("svg", "png", "jpeg", "json", "plain")
                if _pdf_converter_available():
                    formats = (*formats, "pdf")  # SVG converted by svglib + reportlab
                return Renderer(_PURE_PACKAGE, str(candidate), version, formats)
    return None


def _pdf_converter_available() -> bool:
    """Whether svglib and reportlab (pip packages, pathgrad's dependencies) import."""
    try:
        import reportlab.graphics.renderPDF  # noqa: F401
        import svglib.svglib  # noqa: F401
    except ImportError:
        return False
    return True


def svg_to_pdf(svg: bytes) -> bytes:
    """An SVG picture as a one-page PDF of the same size, with svglib and reportlab.

    How graphviz-pure writes PDF: it draws SVG, and this converts it (text stays
    text, lines stay vectors), so no system Graphviz or cairo is needed.
    """
    from reportlab.graphics import renderPDF

    # invariant: fixed dates and document id, so the same picture gives the same bytes
    return renderPDF.drawToString(svg_drawing(svg), invariant=1)


FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
"""DejaVu Sans (regular and bold), cut to the characters pathgrad draws; see its README."""

WIDE_FONTS = {"regular": "PathgradSans", "bold": "PathgradSans-Bold"}
"""The names the shipped DejaVu fonts are registered under with reportlab."""


def register_wide_fonts() -> None:
    """Register the shipped DejaVu Sans fonts with reportlab (once; later calls do nothing)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    for weight, name in WIDE_FONTS.items():
        if name not in registered:
            file = "DejaVuSans.ttf" if weight == "regular" else "DejaVuSans-Bold.ttf"
            pdfmetrics.registerFont(TTFont(name, str(FONT_FOLDER / file)))


def svg_drawing(svg: bytes) -> Any:
    """An SVG picture as a reportlab ``Drawing``, with every text readable.

    svglib sets the pictures' text in the PDF standard font Helvetica, whose
    missing characters reportlab takes from Symbol (σ, ∂, θ) and otherwise draws
    as a black box (ŷ, ẋ, subscripts). A string with such a box is set in DejaVu
    Sans instead, shipped with pathgrad, so this needs no system font, and at a size
    no wider than the layout made room for. A minus sign is set as Helvetica's en
    dash: Symbol's crowds the digit after it.
    """
    from reportlab.graphics.shapes import Group, String
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise RenderError("svglib could not read the SVG picture to convert it to PDF")
    groups = [drawing]
    while groups:
        for item in groups.pop().contents:
            if isinstance(item, Group):
                groups.append(item)
            elif isinstance(item, String):
                # Symbol's − crowds the digit after it inside Helvetica text; Helvetica's
                # own en dash is a minus of a digit's width, as typesetters use it.
                item.text = item.text.replace("−", "–")
                if _missing_from_standard_fonts(item.text):
                    _set_in_wide_font(item)
    return drawing


def _missing_from_standard_fonts(text: str) -> str:
    """The characters of ``text`` that neither Helvetica nor Symbol has."""
    from reportlab.pdfbase import pdfmetrics

    fonts = [pdfmetrics.getFont("Helvetica"), pdfmetrics.getFont("Symbol")]
    return "".join(
        character
        for character in set(text)
        if any(
            font.face.name == "ZapfDingbats" for font, _ in pdfmetrics.unicode2T1(character, fonts)
        )
    )


def _set_in_wide_font(string: Any) -> None:
    """``string`` in DejaVu Sans, shrunk to the width it would have had in Helvetica
    (a missing character counted as an "o"): DejaVu is wider, and the layout is not."""
    from reportlab.pdfbase import pdfmetrics

    register_wide_fonts()
    bold = "Bold" in str(string.fontName)
    standard = "Helvetica-Bold" if bold else "Helvetica"
    stand_in = string.text
    for character in _missing_from_standard_fonts(string.text):
        stand_in = stand_in.replace(character, "o")
    room = pdfmetrics.stringWidth(stand_in, standard, string.fontSize)
    string.fontName = WIDE_FONTS["bold" if bold else "regular"]
    width = pdfmetrics.stringWidth(string.text, string.fontName, string.fontSize)
    if width > room > 0:
        string.fontSize *= room / width


def available_renderers() -> list[Renderer]:
    """Every renderer found, in the order they are preferred (system ``dot`` first)."""
    found = [_system_renderer(os.environ.get("PATH", "")), _pure_renderer()]
    return [candidate for candidate in found if candidate is not None]


def renderers_for(format: str) -> list[Renderer]:
    """The renderers found that can write ``format`` ("svg", "png", "pdf", ...), best first.

    Empty when none can: ask before doing any work, e.g. whether this machine can
    write a PDF at all (the system Graphviz, or graphviz-pure through svglib).
    """
    return [found for found in available_renderers() if format in found.formats]


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


def last_renderer() -> str | None:
    """Which renderer drew the last picture ``render`` returned in this thread (its
    ``describe()``), or None before the first: the preferred one may have failed and
    the next drawn it (a system Graphviz built without PNG support, say)."""
    return _drawn_by.get()


_drawn_by: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "pathgrad_drawn_by", default=None
)


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
    timeout: float | None = None,
    dpi: float | None = None,
    max_pixels: int | None = None,
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
        timeout: seconds the renderer may run (default: the ``time_limit`` in
            force, else ``RENDER_TIMEOUT_SECONDS``); past it the renderer is killed
            and ``RenderTimeout`` raised, with no second renderer tried.
        dpi: pixels per inch of a PNG or JPEG (default: the source's own ``dpi``
            attribute, else ``PNG_DPI``).
        max_pixels: refuse a PNG or JPEG with more pixels than this (default
            ``MAX_PIXELS``), with ``ImageTooLargeError``, before it is drawn.
    """
    limit = _checked_limit(timeout) if timeout is not None else current_time_limit()
    if format in ("png", "jpeg"):
        dpi = _checked_dpi(dpi) if dpi is not None else None
        if dpi is None and _source_dpi(source) is None:
            dpi = PNG_DPI
    else:
        dpi = None
    if using is not None:
        if format in ("png", "jpeg"):
            _check_pixels(using, source, engine, pinned, limit, dpi, max_pixels)
        picture = _render_with(using, source, format, engine, pinned, limit, dpi)
        _drawn_by.set(using.describe())
        return picture
    candidates = renderers_for(format)
    if not candidates:
        return _render_with(find_renderer(), source, format, engine, pinned, limit)  # says why
    first_error: RenderError | None = None
    for candidate in candidates:
        try:
            if format in ("png", "jpeg"):
                _check_pixels(candidate, source, engine, pinned, limit, dpi, max_pixels)
            picture = _render_with(candidate, source, format, engine, pinned, limit, dpi)
            _drawn_by.set(candidate.describe())
            return picture
        except (RenderTimeout, ImageTooLargeError):
            raise  # a slower renderer would not finish either; the user decides
        except RenderError as error:
            first_error = first_error or error
    assert first_error is not None
    raise first_error


_DPI_IN_SOURCE = re.compile(r'^\s*(?:graph\s*\[[^\n]*?\b)?dpi\s*=\s*"?([0-9.]+)"?', re.MULTILINE)


def _source_dpi(source: str) -> float | None:
    """The graph's own ``dpi`` attribute (``dpi=300`` or ``graph [dpi=300]``), if any."""
    found = _DPI_IN_SOURCE.search(source)
    return float(found.group(1)) if found else None


def _checked_dpi(dpi: Any) -> float:
    if isinstance(dpi, bool) or not isinstance(dpi, int | float | str):
        raise TypeError(f"dpi is a number of pixels per inch, not {type(dpi).__name__}")
    try:
        number = float(dpi)
    except ValueError:
        raise ValueError(f"dpi is a number of pixels per inch, not {dpi!r:.40}") from None
    if not (math.isfinite(number) and 1 <= number <= 2400):
        raise ValueError(f"dpi must be between 1 and 2400 pixels per inch, not {dpi!r:.40}")
    return number


def picture_size(
    source: str,
    dpi: float | None = None,
    engine: str = "dot",
    *,
    pinned: bool = False,
    using: Renderer | None = None,
) -> tuple[int, int]:
    """The size in pixels a PNG of DOT ``source`` would have, from its layout alone."""
    chosen = using or find_renderer()
    if dpi is None:
        dpi = _source_dpi(source) or PNG_DPI
    plain = _render_with(chosen, source, "plain", engine, pinned, current_time_limit())
    # The first line of -Tplain is "graph <scale> <width> <height>", in inches.
    _, scale, width, height = plain.split(b"\n", 1)[0].split()[:4]
    inches_wide, inches_high = float(width) * float(scale), float(height) * float(scale)
    # Graphviz adds a 4-point margin on every side of a bitmap.
    return (
        math.ceil((inches_wide + 8 / 72) * dpi),
        math.ceil((inches_high + 8 / 72) * dpi),
    )


def _check_pixels(
    chosen: Renderer,
    source: str,
    engine: str,
    pinned: bool,
    limit_seconds: float,
    dpi: float | None,
    max_pixels: int | None,
) -> None:
    """Raise ImageTooLargeError, before any bitmap is drawn, past the pixel limit."""
    limit = MAX_PIXELS if max_pixels is None else max_pixels
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"max_pixels must be a positive int, not {limit!r:.40}")
    with time_limit(limit_seconds):
        width, height = picture_size(source, dpi, engine, pinned=pinned, using=chosen)
    if width * height > limit:
        raise ImageTooLargeError(
            f"the picture would be {width:,} × {height:,} px ({width * height / 1e6:.1f} "
            f"million pixels), over the limit of {limit:,}; pass max_pixels="
            f"{width * height} (or more) to make it anyway, a lower dpi, or save as .svg",
            width,
            height,
            limit,
        )


def _checked_limit(seconds: float) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise TypeError(f"a time limit is a number of seconds, not {type(seconds).__name__}")
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT_SECONDS):
        raise ValueError(
            f"a time limit must be a positive number of seconds up to {MAX_TIMEOUT_SECONDS:,} "
            f"(a day), not {seconds!r:.40}"
        )
    return float(seconds)


def current_time_limit() -> float:
    """The seconds a renderer run may take here: ``time_limit``'s, else the module's."""
    limit = _time_limit.get()
    return RENDER_TIMEOUT_SECONDS if limit is None else limit


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Every renderer run inside the ``with`` block may take at most ``seconds``.

    For code that renders through other functions (``draw(...).save``,
    ``save_steps``), which take no ``timeout=`` of their own. Per thread and per
    asyncio task; the previous limit is back after the block.
    """
    token = _time_limit.set(_checked_limit(seconds))
    try:
        yield
    finally:
        _time_limit.reset(token)


def _render_with(
    chosen: Renderer,
    source: str,
    format: str,
    engine: str,
    pinned: bool,
    limit: float,
    dpi: float | None = None,
) -> bytes:
    """Run one renderer on ``source``; RenderError with its message if it fails."""
    if format not in chosen.formats:
        raise RenderError(
            f"{chosen.describe()} cannot write {format!r}; it writes "
            f"{', '.join(chosen.formats)}. Save as .svg or .png, or install the system "
            "Graphviz for PDF."
        )
    if format == "pdf" and chosen.kind != "system":
        return svg_to_pdf(_render_with(chosen, source, "svg", engine, pinned, limit))
    command = [chosen.executable, f"-K{'neato' if pinned else engine}", f"-T{format}"]
    if pinned:
        command.append("-n2")
    if dpi is not None and format in ("png", "jpeg"):
        command.append(f"-Gdpi={dpi:g}")
    try:
        returncode, stdout, stderr = run_child(command, source.encode("utf-8"), limit)
    except subprocess.TimeoutExpired:
        raise RenderTimeout(
            f"{chosen.describe()} took more than {limit:g} s to lay out the graph and was "
            "stopped; allow it longer (timeout=, or autograd.views.rendering."
            "RENDER_TIMEOUT_SECONDS), draw a smaller graph, or save as .dot",
            limit,
            chosen,
        ) from None
    except OSError as error:
        raise RenderError(f"could not run {chosen.describe()}: {error}") from None
    if returncode != 0 or not stdout:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        detail = "; ".join(line for line in message if "Warning" not in line)[:500]
        raise RenderError(
            f"{chosen.describe()} failed to render {format} "
            f"(exit code {returncode}): {detail or 'no message'}"
        )
    return _without_timestamps(stdout) if format == "pdf" else stdout


# A PDF's creation and change dates, as cairo writes them (it ignores SOURCE_DATE_EPOCH).
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}")


def _without_timestamps(pdf: bytes) -> bytes:
    """The PDF with its dates set to 2000-01-01, as reportlab's invariant mode sets
    them, so the same graph gives the same bytes. The digits keep their number, so
    the byte offsets the PDF's cross-reference table lists stay right."""
    return _PDF_DATE.sub(lambda match: match[1] + b"20000101000000", pdf)


# ---------------------------------------------------------------- child processes
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@functools.lru_cache(maxsize=1)
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl`` (Linux), loaded in the parent: the child only calls it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _die_with_parent(prctl: Callable[..., int], parent: int) -> Callable[[], None]:
    """A ``preexec_fn``: ask the kernel to SIGKILL this child when its parent dies.

    Runs in the forked child before ``exec``. If the parent died before the request
    was made (the child was already handed to init), the child ends at once.
    """

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def run_child(command: Sequence[str], data: bytes, timeout: float) -> tuple[int, bytes, bytes]:
    """Run ``command`` with ``data`` on stdin; ``(exit code, stdout, stderr)``.

    The child never outlives this call: it is killed and waited for on a timeout
    (``subprocess.TimeoutExpired`` is raised), on Ctrl-C and on any other exception.
    On Linux it is also killed by the kernel if this process dies first, even by
    ``kill -9`` (``PR_SET_PDEATHSIG``; strictly, when the thread that started it ends,
    and that thread is waiting here until the child is done).
    """
    options: dict[str, Any] = {}
    prctl = _prctl()
    if prctl is not None:
        options["preexec_fn"] = _die_with_parent(prctl, os.getpid())
    with subprocess.Popen(
        list(command),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,
    ) as process:
        try:
            stdout, stderr = process.communicate(data, timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()  # leaving the with-block then waits for it
    return process.returncode, stdout, stderr


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


def save(
    drawing: Any,
    path: str | os.PathLike[str],
    *,
    timeout: float | None = None,
    dpi: float | None = None,
    max_pixels: int | None = None,
) -> Path:
    """Write a drawing to ``path``, the format taken from the extension.

    ``.svg``, ``.png``, ``.jpg``, ``.pdf`` (system Graphviz only), ``.json`` are
    rendered (``timeout``, ``dpi`` and ``max_pixels`` as for ``render``; a
    drawing's own ``dpi`` attribute is used when ``dpi`` is not given); ``.dot`` /
    ``.gv`` are the DOT text itself. The file is written atomically and missing
    folders are made. Returns the path written.
    """
    extension = format_from_path(path)
    source, engine, pinned = _source_of(drawing)
    if dpi is None:
        dpi = getattr(drawing, "dpi", None)
    if _FORMATS[extension] == "dot-source":
        data = source.encode("utf-8")
    else:
        data = render(
            source,
            _FORMATS[extension],
            engine,
            pinned=pinned,
            timeout=timeout,
            dpi=dpi,
            max_pixels=max_pixels,
        )
    return write_atomically(path, data)


def render_format(path: str | os.PathLike[str]) -> str | None:
    """What a renderer is asked for to write ``path`` ("graph.jpg" → "jpeg"); None for .dot.

    Raises ValueError for an extension no renderer writes.
    """
    wanted = _FORMATS[format_from_path(path)]
    return None if wanted == "dot-source" else wanted


def check_can_write(path: str | os.PathLike[str]) -> None:
    """Refuse, before any work, a picture no renderer on this machine can write.

    Raises ValueError for an unknown extension and RenderError as
    ``check_can_render`` does; a ``.dot`` file needs no renderer.
    """
    wanted = render_format(path)
    if wanted is not None:
        check_can_render(wanted)


def check_can_render(format: str) -> None:
    """Raise RenderError when no renderer found writes ``format`` ("pdf", "png", ...).

    The message says what the renderers here do write and what to install (a PDF
    with only graphviz-pure, or no renderer at all).
    """
    if renderers_for(format):
        return
    found = available_renderers()
    if not found:
        find_renderer()  # raises, saying what to install
    here = "; ".join(f"{item.describe()} writes {', '.join(item.formats)}" for item in found)
    raise RenderError(
        f"no renderer here can write {format.upper()} ({here}); save as .svg or .png, "
        "or install the system Graphviz (apt install graphviz / brew install graphviz)"
    )
