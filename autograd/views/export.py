"""Backward steps for slides and course pages: ``save_steps(root, target)``.

* ``save_steps(root, "frames/")`` writes one picture per step (``step_01.png``,
  ...; or SVG) and ``steps.gif``, an animation of the whole pass.
* ``save_steps(root, "steps.tex")`` writes the frames for a Beamer slide: one
  ``\\only<n>`` overlay per step, to ``\\input`` inside a frame.
* ``save_steps(root, "steps.html")`` writes one self-contained page: the SVG
  frames and the step rows inline, Previous / Next buttons, a slider and the
  arrow keys. It loads nothing from the network and needs no kernel; without
  JavaScript it shows every frame, one under the other.

Every frame uses the same pinned layout (see ``autograd.stepper``), so nothing
moves from one frame to the next, and every PNG has the same pixel size.
"""

from __future__ import annotations

import contextvars
import html
import io
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.engine.backward import one_root
from autograd.engine.errors import shortened
from autograd.files import write_all_atomically
from autograd.views.stepper import StepFrames

__all__ = [
    "save_steps",
    "steps_files",
    "steps_page",
    "steps_beamer",
    "remove_earlier_frames",
    "FRAME_SECONDS",
    "LAST_FRAME_SECONDS",
    "GIF_MAX_WIDTH",
]

FRAME_SECONDS = 1.6
"""How long the GIF shows each step: long enough to read one row."""

LAST_FRAME_SECONDS = 4.0
"""The GIF holds the last frame (every grad filled in) longer before looping."""

GIF_MAX_WIDTH = 1920
"""The GIF's frames are scaled down to this width at most (a full-HD slide)."""

GIF_MAX_HEIGHT = 2160
"""... and to this height (a 4K screen's): a tall graph's GIF stays a few megapixels
a frame, however many frames it has."""


def save_steps(
    root: Value,
    target: str | os.PathLike[str],
    *,
    format: str = "png",
    show_constants: bool = False,
    precision: int = 4,
    derivatives: str = "formula",
    rankdir: str = "LR",
    **frame_options: Any,
) -> list[Path]:
    """Write the backward pass of ``root`` as pictures, a GIF, or an HTML page.

    Args:
        root: the graph's output; its backward pass is computed on the side
            (no ``.grad`` changes).
        target: a path ending in ``.html`` for the page, ``.tex`` for Beamer
            overlays (``steps_beamer``); anything else is a
            folder (made if missing) for ``step_01.<format>``, ... and
            ``steps.gif``.
        format: "png" or "svg", for the frame files (the GIF is made from PNGs).
        show_constants, precision, derivatives, rankdir: as for ``step_through``.
        frame_options: ``granularity="edge"`` (one frame per edge),
            ``skip_final_leaves=True``, ``max_width`` (PNG pixels, 1920 by
            default; GIF frames fit ``GIF_MAX_WIDTH`` × ``GIF_MAX_HEIGHT``),
            ``theme``, ``dpi``, ``parameter_names``: see ``StepFrames``.

    Returns:
        The paths written: the page, or the frames then the GIF. Every file is made
        before any is written, and they are written all or none: a frame that fails
        to render, or a disk that fills, leaves the folder as it was. Once they are
        written, frames an earlier export left in the folder (``step_09.png`` after
        an export of 8 steps, or ``step_01.svg`` after PNGs) are removed, so the
        folder holds this pass only (``remove_earlier_frames``); one that is
        read-only or cannot be removed stays, with a warning.

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> [path.name for path in save_steps(f, "frames/")][-2:]   # doctest: +SKIP
    ['step_08.png', 'steps.gif']
    """
    files = steps_files(
        root,
        target,
        format=format,
        show_constants=show_constants,
        precision=precision,
        derivatives=derivatives,
        rankdir=rankdir,
        **frame_options,
    )
    written = write_all_atomically(files)
    _, left = remove_earlier_frames(written)
    if left:
        warnings.warn(
            f"save_steps: {len(left)} frame(s) of an earlier export could not be removed "
            f"(read-only, or not yours), {shortened(str(left[0]), 80)} first; the new "
            "frames are written",
            stacklevel=2,
        )
    return written


# A frame name save_steps writes: two digits at least (step_01), ASCII digits only.
_FRAME_NAME = re.compile(r"step_[0-9]{2,}\.(?:png|svg)")


def remove_earlier_frames(written: list[Path]) -> tuple[list[Path], list[Path]]:
    """Remove, from each frames folder among ``written`` (the one ``steps.gif`` went
    to), the frames an earlier export left there: files named as ``save_steps``
    names frames (``step_`` and two or more digits, ``.png`` or ``.svg``) that are
    not among ``written``. A read-only file, or one that cannot be removed, is
    left where it is. Returns the paths removed and the paths left."""
    kept = set(written)
    removed: list[Path] = []
    left: list[Path] = []
    for gif in (path for path in written if path.name == "steps.gif"):
        for path in sorted(gif.parent.iterdir()):
            if path in kept or not _FRAME_NAME.fullmatch(path.name) or not path.is_file():
                continue
            if not os.access(path, os.W_OK):  # read-only: as an overwrite would refuse it
                left.append(path)
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                left.append(path)
                continue
            removed.append(path)
    return removed, left


def steps_files(
    root: Value,
    target: str | os.PathLike[str],
    *,
    format: str = "png",
    show_constants: bool = False,
    precision: int = 4,
    derivatives: str = "formula",
    rankdir: str = "LR",
    **frame_options: Any,
) -> dict[Path, bytes]:
    """What ``save_steps`` writes, made in memory: ``{path: bytes}``, nothing written.

    For writing several outputs all or none (``autograd.files.write_all_atomically``),
    as ``pathgrad steps --frames ... --html ...`` does.
    """
    if format not in ("png", "svg"):
        raise ValueError(f"save_steps writes frames as 'png' or 'svg', not {format!r}")
    one_root(root, "save_steps")
    target = Path(target)
    page = target.suffix.lower() in (".html", ".htm", ".tex")
    if not page and target.suffix and not target.is_dir():
        raise ValueError(
            f"save_steps: {str(target)!r} looks like a file; give a folder for the frames "
            "and the GIF, or a name ending in .html for the page"
        )
    frames = StepFrames(
        root,
        show_constants=show_constants,
        precision=precision,
        derivatives=derivatives,
        rankdir=rankdir,
        **frame_options,
    )
    if target.suffix.lower() in (".html", ".htm"):
        return {target: steps_page(frames).encode("utf-8")}
    if target.suffix.lower() == ".tex":
        return {target: steps_beamer(frames, target.name).encode("utf-8")}
    return _frame_files(frames, target, format)


def _frame_files(frames: StepFrames, folder: Path, format: str) -> dict[Path, bytes]:
    """The frames and the GIF, every picture made before any file is written."""
    digits = max(2, len(str(len(frames))))
    pngs = _same_size(_render_all(frames, "png"))
    pictures = pngs if format == "png" else _render_all(frames, "svg")
    files = {
        folder / f"step_{index + 1:0{digits}d}.{format}": picture
        for index, picture in enumerate(pictures)
    }
    files[folder / "steps.gif"] = _gif(pngs)
    return files


def _gif(pngs: list[bytes]) -> bytes:
    """The frames as one looping GIF, the last frame held longer."""
    from PIL import Image

    # Each frame gets its own palette (GIF allows one per frame): quantizing to a
    # shared palette maps white to a light grey in Pillow, tinting a slide. The fast
    # octree method keeps white white and takes a third of median cut's time. One
    # frame is decoded at a time, so only the small paletted frames are held.
    paletted = [
        _pure_white(
            _gif_sized(Image.open(io.BytesIO(data)).convert("RGB")).quantize(
                colors=255, method=Image.Quantize.FASTOCTREE
            )
        )
        for data in pngs
    ]
    durations = [round(FRAME_SECONDS * 1000)] * len(paletted)
    durations[-1] = round(LAST_FRAME_SECONDS * 1000)
    buffer = io.BytesIO()
    paletted[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=paletted[1:],
        duration=durations,
        loop=0,
        optimize=False,
        disposal=1,
    )
    return buffer.getvalue()


def _render_all(frames: StepFrames, format: str) -> list[bytes]:
    """Every frame rendered, one renderer process per core at a time.

    Each frame is its own Graphviz run, and the runs are independent once the
    layout is pinned: on two cores a 2-4-1 MLP's 50 frames take half the time.
    """
    _ = frames.layout  # computed once, here, before the threads share it
    workers = max(1, min(len(frames), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Each task runs in a copy of this context, so a rendering time limit set by
        # the caller (``rendering.time_limit``) holds in the threads too.
        tasks = [
            pool.submit(contextvars.copy_context().run, frames.picture, index, format)
            for index in range(len(frames))
        ]
        return [task.result() for task in tasks]


def _gif_sized(image: Any) -> Any:
    """The frame scaled down to fit ``GIF_MAX_WIDTH`` × ``GIF_MAX_HEIGHT`` pixels (the
    PNG frames keep their full size): a GIF larger than a screen is only slower to
    make and show."""
    from PIL import Image

    def over(picture: Any) -> float:
        return max(picture.width / GIF_MAX_WIDTH, picture.height / GIF_MAX_HEIGHT)

    if over(image) <= 1.0:
        return image
    # A whole factor first (box-averaging, several times faster than resampling a
    # 9,000-pixel frame), then the last step to the size.
    factor = int(over(image))
    if factor > 1:
        image = image.reduce(factor)
    scale = over(image)
    if scale <= 1.0:
        return image
    size = (max(1, round(image.width / scale)), max(1, round(image.height / scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _pure_white(paletted: Any) -> Any:
    """The palette's lightest colour made pure white: octree quantizing averages the
    background to (254, 254, 254), a tint a projector shows."""
    palette = paletted.getpalette()
    colours = [tuple(palette[index : index + 3]) for index in range(0, len(palette), 3)]
    lightest = max(range(len(colours)), key=lambda index: sum(colours[index]))
    if min(colours[lightest]) >= 248:
        palette[3 * lightest : 3 * lightest + 3] = [255, 255, 255]
        paletted.putpalette(palette)
    return paletted


def _same_size(pngs: list[bytes]) -> list[bytes]:
    """The PNGs, padded with white at the right and bottom to the largest size.

    The frames are pinned to one bounding box, so they normally match already;
    this is the guarantee a slide deck or a GIF needs. Padding at the right and
    bottom leaves the graph where it is.
    """
    from PIL import Image

    images = [Image.open(io.BytesIO(data)) for data in pngs]
    width = max(image.width for image in images)
    height = max(image.height for image in images)
    result = []
    for data, image in zip(pngs, images):
        if image.size == (width, height):
            result.append(data)
            continue
        canvas = Image.new("RGB", (width, height), "white")
        canvas.paste(image.convert("RGB"), (0, 0))
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        result.append(buffer.getvalue())
    return result


# ---------------------------------------------------------------- the HTML page
_PAGE_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #111827; }
h1 { font-size: 20px; margin: 0 0 12px 0; }
.controls { display: flex; gap: 12px; align-items: center; margin: 8px 0 16px 0; }
.controls button { font-size: 15px; padding: 6px 14px; cursor: pointer; }
.controls input[type=range] { width: 320px; }
.frame { margin: 0 0 24px 0; }
.frame svg { max-width: 100%; height: auto; }
.heading { font-weight: bold; margin: 8px 0 4px 0; }
.rows div { font-family: Menlo, Consolas, monospace; white-space: pre; line-height: 1.5; }
.hint { color: #6b7280; font-size: 13px; }
details { margin-top: 24px; }
"""

# Progressive: without JavaScript every frame shows; with it, one at a time.
_PAGE_SCRIPT = """
(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
  var previous = document.getElementById("previous");
  var next = document.getElementById("next");
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var current = 0;
  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    frames.forEach(function (frame, position) {
      frame.hidden = position !== current;
    });
    slider.value = String(current + 1);
    counter.textContent = "Step " + (current + 1) + " of " + frames.length;
    previous.disabled = current === 0;
    next.disabled = current === frames.length - 1;
    document.body.setAttribute("data-current-step", String(current + 1));
  }
  previous.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(Number(slider.value) - 1); });
  document.addEventListener("keydown", function (event) {
    if (event.target === slider) { return; }
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "Home") { show(0); event.preventDefault(); }
    if (event.key === "End") { show(frames.length - 1); event.preventDefault(); }
  });
  // A link to steps.html#step-5 opens at step 5.
  function showLinked() {
    var wanted = /^#step-(\\d+)$/.exec(window.location.hash);
    show(wanted ? Number(wanted[1]) - 1 : 0);
  }
  window.addEventListener("hashchange", showLinked);
  document.getElementById("controls").hidden = false;
  showLinked();
})();
"""

_SVG_ID = re.compile(r'\b(id|href)="(#?)([^"]+)"')


def _scoped_svg(svg: str, prefix: str) -> str:
    """The SVG with every id (and reference to one) prefixed, so that many SVGs can
    share one page without clashing ids."""
    return _SVG_ID.sub(lambda match: f'{match[1]}="{match[2]}{prefix}{match[3]}"', svg)


def steps_page(frames: StepFrames) -> str:
    """The self-contained HTML page for ``frames`` (what ``save_steps(root, "x.html")`` writes)."""
    table = frames.table
    title = table.heading()
    count = len(frames)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_PAGE_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        '<div class="controls" id="controls" hidden>',
        '<button id="previous" type="button">◀ Previous</button>',
        '<button id="next" type="button">Next ▶</button>',
        f'<input id="slider" type="range" min="1" max="{count}" value="1" aria-label="step">',
        f'<span id="counter">Step 1 of {count}</span>',
        '<span class="hint">(← → keys)</span>',
        "</div>",
    ]
    for index, frame in enumerate(frames):
        svg = _scoped_svg(frames.svg(index, caption=False), f"s{index + 1}_")
        rows = "".join(f"<div>{html.escape(line)}</div>" for line in frame.lines)
        parts.append(
            f'<section class="frame" id="step-{index + 1}" data-step="{index + 1}" '
            f'data-node="{html.escape(frame.step.name)}">'
            f'{svg}<div class="heading">{html.escape(frame.heading)}</div>'
            f'<div class="rows">{rows}</div></section>'
        )
    parts.append(
        "<details><summary>The whole table</summary>"
        f"{table.to_html()}</details>"
        f"<script>{_PAGE_SCRIPT}</script></body></html>"
    )
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- Beamer overlays
_BEAMER_HEADER = r"""% pathgrad: the backward pass of {root}, {count} steps, as Beamer overlays.
% Use it inside one frame (the preamble needs \usepackage{{tikz}}):
%   \begin{{frame}}{{Backward pass}}
%     \input{{{name}}}
%   \end{{frame}}
% Step n shows on slide n (\only<n>); every step is drawn on the same layout, so
% nothing moves. \renewcommand\pathgradwidth{{...}} before \input sets the width.
\providecommand\pathgradwidth{{\linewidth}}
"""


def steps_beamer(frames: StepFrames, name: str = "steps.tex") -> str:
    """The frames as LaTeX for one Beamer frame: ``\\only<n>`` holds step n's picture
    (scaled to ``\\pathgradwidth``, the line width by default) and its rows."""
    from autograd.views import tikz

    most_lines = max(len(frame.lines) for frame in frames)
    parts = [
        _BEAMER_HEADER.format(
            root=tikz.text(frames.table.names[frames.root]).replace("\n", " "),
            count=len(frames),
            name=name,
        )
    ]
    for index, frame in enumerate(frames):
        picture = frames.drawing(index, caption=False).tikz()
        rows = [rf"\textbf{{{tikz.text(frame.heading)}}}"]
        rows += [tikz.text(line) for line in frame.lines]
        rows += [r"\strut"] * (most_lines - len(frame.lines))
        parts.append(
            f"\\only<{index + 1}>{{%\n\\centering\\resizebox{{\\pathgradwidth}}{{!}}{{%\n"
            f"{picture}}}\\par\\smallskip\n"
            "{\\raggedright\\scriptsize\\sffamily\n" + "\\\\\n".join(rows) + "\\par}%\n}%\n"
        )
    return "".join(parts)
