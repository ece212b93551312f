"""Watching backprop: one picture per backward step, and a notebook stepper.

``step_through(root)`` shows the graph with Previous / Next buttons and a slider.
Each frame highlights the node being processed and the edges it passes its
gradient along, writes each contribution on its edge (``2x = 6`` then
``6 · 1 = +6``), fills in the grads of nodes already reached (the others show a
dash) and shows the step's table rows below.

The graph is laid out once and every frame pins the nodes to those positions,
so nothing moves between frames; the same frames feed the GIF, the PNG/SVG
files and the HTML page of ``autograd.export``.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autograd import Value
from autograd.engine.backward import one_root
from autograd.views.format import factor_text, number_text, signed_text
from autograd.views.layout import Layout
from autograd.views.steps import Step, StepTable, backward_steps

__all__ = ["Frame", "StepFrames", "StepperState", "Stepper", "step_through", "MAX_CARDS"]

SCREEN_WIDTH = 1920
"""PNG frames are at most this many pixels wide by default (a full-HD screen)."""

MAX_CARDS = 25_000
"""At most this many node cards over all frames (frames × nodes) by default: every
frame draws the whole graph, so a 480-node chain's 481 frames (231,361 cards) took
80 s and 2.7 GB and made a 368 MB page."""

CAPTION_FONT_SIZE = 13
# Rough width of one caption character in points, to keep the picture wide
# enough for its longest caption (so no frame is wider than another).
_CHARACTER_WIDTH = 0.6 * CAPTION_FONT_SIZE
_MARGIN = 8.0  # points of white around the picture


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """What one picture shows: the state of the pass after one step.

    Attributes:
        number: 1, 2, ... among the frames.
        step: the ``Step`` shown.
        grads: grad of every node reached so far (after this step); nodes not in
            the mapping show a dash.
        highlight: the node processed and the edges it applies.
        edge_notes: the contribution written on each edge applied.
        heading: one line: "Step 3 of 8: e passes grad(e) = 1 to its inputs".
        lines: the step's rows, as in the table (``grad(c) += ∂e/∂c · grad(e) = …``).
    """

    number: int
    step: Step
    grads: Mapping[Value, float]
    highlight: tuple[Any, ...]
    edge_notes: Mapping[tuple[Value, int], str]
    heading: str
    lines: tuple[str, ...]


class StepFrames(Sequence[Frame]):
    """The frames of one backward pass, all drawn with one pinned layout.

    Making it computes one backward pass on the side (as ``backward_steps`` does:
    no ``.grad`` changes). Pictures are rendered on demand and cached.

    Args:
        root: the graph's output.
        show_constants: give the constants' own steps a frame too (they do
            nothing: a constant is a leaf whose gradient is never used).
        precision: significant digits for numbers on the pictures.
        derivatives: "formula" (``2x = 6`` on the edges) or "value" (``6``).
        rankdir: "LR" or "TB", as for ``draw``.
        granularity: "node" (one frame per node: it passes its grad along all
            its edges) or "edge" (one frame per edge).
        skip_final_leaves: leave out the frames that only say a leaf's grad is
            final (the last frame shows every grad).
        max_width: PNG frames are at most this many pixels wide (their dpi is
            lowered to fit; default ``SCREEN_WIDTH``, 1920); None for no limit.
        theme, dpi, parameter_names: as for ``draw`` (dpi: PNG pixels per inch
            before ``max_width`` applies, default 144).
        max_nodes: as for ``draw``: refuse a graph of more nodes (500).
        max_cards: refuse more node cards over all frames than this (``MAX_CARDS``:
            frames × nodes; every frame draws the whole graph), before any is drawn.
    """

    def __init__(
        self,
        root: Value,
        *,
        show_constants: bool = False,
        precision: int = 4,
        derivatives: str = "formula",
        rankdir: str = "LR",
        granularity: str = "node",
        skip_final_leaves: bool = False,
        max_width: int | None = None,
        theme: Any = "default",
        dpi: float | None = None,
        parameter_names: str | None = None,
        max_nodes: int = 500,
        max_cards: int = MAX_CARDS,
    ) -> None:
        for name, limit in (("max_nodes", max_nodes), ("max_cards", max_cards)):
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise TypeError(f"{name} must be a whole number of at least 1, not {limit!r:.40}")
        # The frames are drawn when first shown: a bad option is refused now, not then.
        from autograd.views.drawing import check_options

        check_options(
            rankdir=rankdir,
            derivatives=derivatives,
            theme=theme,
            dpi=dpi,
            precision=precision,
            parameter_names=parameter_names,
        )
        self.root = root
        self.max_nodes = max_nodes
        self.precision = precision
        self.derivatives = derivatives
        self.rankdir = rankdir
        self.theme = theme
        self.dpi = dpi
        self.parameter_names = parameter_names
        self.max_width = SCREEN_WIDTH if max_width is None else max_width
        if isinstance(self.max_width, bool) or not isinstance(self.max_width, int):
            raise TypeError(f"max_width is a number of pixels, not {max_width!r:.40}")
        self.table: StepTable = backward_steps(
            root,
            show_constants=show_constants,
            precision=precision,
            parameter_names=parameter_names or "dotted",
        ).table()
        self._frames = _make_frames(self.table, precision, granularity, skip_final_leaves)
        nodes = sum(show_constants or node.role != "constant" for node in self.table.names)
        cards = len(self._frames) * nodes
        if cards > max_cards:
            from autograd.views.drawing import GraphTooLargeError

            raise GraphTooLargeError(
                f"the step pictures would draw {cards:,} node cards ({len(self._frames):,} "
                f"frames × {nodes:,} nodes), more than max_cards={max_cards:,}: step through "
                "a smaller graph (one neuron, one example), or pass "
                f"max_cards={cards} to draw them anyway",
                size=f"the step pictures would draw {cards:,} node cards "
                f"({len(self._frames):,} frames × {nodes:,} nodes)",
                limit=f"{max_cards:,}",
            )
        self._geometry: Layout | None = None
        self._pictures: dict[tuple[int, str, bool], bytes] = {}

    def __getitem__(self, index):  # type: ignore[override] - int or slice, as for a tuple
        return self._frames[index]

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def positions(self) -> Mapping[Value, tuple[float, float]]:
        """Node centres in points, computed once (Graphviz ``dot``) for every frame."""
        return self.layout.positions

    @property
    def layout(self) -> Layout:
        """The one layout every frame is pinned to: nodes, edge routes, picture box."""
        if self._geometry is None:
            self._geometry = _lay_out(self)
        return self._geometry

    def drawing(self, index: int, caption: bool = True) -> Any:
        """Frame ``index`` (0-based) as a ``Drawing``, pinned to ``positions``.

        With ``caption`` the step's heading and rows are written under the graph
        (for PNG, GIF and slides); without, the picture is the graph alone (the
        notebook and the HTML page show the rows as text beside it).
        """
        from autograd.views.drawing import draw

        frame = self._frames[index]
        longest = max(len(line) for frame in self._frames for line in (frame.heading, *frame.lines))
        # Every frame gets the same box, wide enough for the longest caption, so
        # none is larger than another and nothing moves.
        box = self.layout.widened(longest * _CHARACTER_WIDTH if caption else 0.0, _MARGIN)
        drawing = draw(
            self.root,
            rankdir=self.rankdir,
            derivatives=self.derivatives,
            precision=self.precision,
            show_constants=self.table.show_constants,
            grads=frame.grads,
            highlight=frame.highlight,
            edge_notes=frame.edge_notes,
            positions=box,
            theme=self.theme,
            parameter_names=self.parameter_names,
            dpi=self.frame_dpi(box),
            max_nodes=self.max_nodes,
        )
        if caption:
            most_lines = max(len(frame.lines) for frame in self._frames)
            drawing.graph_attr["label"] = _caption_label(frame, most_lines)
            drawing.graph_attr["labelloc"] = "b"
            drawing.graph_attr["labeljust"] = "l"
        return drawing

    def frame_dpi(self, box: Layout | None = None) -> float:
        """The PNG dpi of every frame: ``dpi`` (144 by default), lowered so that a
        frame is at most ``max_width`` pixels wide (0 or less: no limit)."""
        from autograd.views import rendering

        wanted = rendering.PNG_DPI if self.dpi is None else rendering._checked_dpi(self.dpi)
        if box is None:
            box = self.layout.widened(self._caption_width(), _MARGIN)
        width_points = box.box[2] - box.box[0]
        if self.max_width > 0 and width_points > 0:
            # Graphviz adds a few pixels of padding: leave room for them.
            wanted = min(wanted, (self.max_width - 8) * 72.0 / width_points)
        return max(1.0, wanted)

    def _caption_width(self) -> float:
        longest = max(len(line) for frame in self._frames for line in (frame.heading, *frame.lines))
        return longest * _CHARACTER_WIDTH

    def picture(self, index: int, format: str = "svg", caption: bool = True) -> bytes:
        """Frame ``index`` rendered as "svg" or "png" bytes (cached)."""
        key = (index, format, caption)
        if key not in self._pictures:
            self._pictures[key] = self.drawing(index, caption).pipe(format=format)
        return self._pictures[key]

    def svg(self, index: int, caption: bool = False) -> str:
        """Frame ``index`` as SVG text, without the XML prologue (ready to inline)."""
        text = self.picture(index, "svg", caption).decode("utf-8")
        start = text.find("<svg")
        return text[start:] if start >= 0 else text


GRANULARITIES = ("node", "edge")


def _make_frames(
    table: StepTable,
    precision: int,
    granularity: str = "node",
    skip_final_leaves: bool = False,
) -> list[Frame]:
    """One Frame per step the table shows (or per edge, with ``granularity="edge"``),
    with the grads known after it; ``skip_final_leaves`` leaves out the frames that
    only say a leaf's grad is final."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be 'node' or 'edge', not {granularity!r:.40}")
    # (step, the updates this frame applies, which edge of how many) for every frame.
    units: list[tuple[Step, tuple[Any, ...], int, int]] = []
    for step in table.shown_steps:
        updates = step.visible_updates(table.show_constants)
        is_leaf = not step.node.parents and not step.skipped
        if is_leaf and skip_final_leaves:
            continue
        if granularity == "edge" and len(updates) > 1:
            for index, update in enumerate(updates):
                units.append((step, (update,), index + 1, len(updates)))
        else:
            units.append((step, tuple(updates), 0, 0))
    reached: dict[Value, float] = {}
    frames = []
    total = len(units)
    skipped_leaves = [
        step for step in table.shown_steps if not step.node.parents and not step.skipped
    ]
    for number, (step, updates, edge_number, edge_count) in enumerate(units, start=1):
        reached[step.node] = step.grad_after
        for update in updates:
            reached[update.parent] = update.grad_after
        if skip_final_leaves and number == total:
            # The leaves' own frames are left out: the last frame shows their grads.
            for leaf in skipped_leaves:
                reached[leaf.node] = leaf.grad_after
        notes = {
            update.edge: "\n"
            + f"{factor_text(update.local_grad, precision)} · "
            + f"{factor_text(update.upstream, precision)}"
            + f" = {signed_text(update.contribution, precision)}"
            for update in updates
        }
        highlight = (step.node, *(update.edge for update in updates))
        name = step.name
        grad_text = step.sum_text(precision) or number_text(step.upstream, precision)
        if step.skipped:
            heading = f"Step {number} of {total}: grad({name}) = 0, nothing to pass on"
        elif not step.node.parents:
            # A leaf passes nothing on; show instead the edges its grad came from.
            notes = {
                update.edge: f"\n{signed_text(update.contribution, precision)} to grad({name})"
                for update in step.received
            }
            highlight = (step.node, *(update.edge for update in step.received))
            heading = (
                f"Step {number} of {total}: {name} is a leaf, grad({name}) = {grad_text}, final"
            )
        elif edge_count:
            parent = step.names[updates[0].parent]
            heading = (
                f"Step {number} of {total}: {name} passes grad({name}) = {grad_text} "
                f"to {parent} (edge {edge_number} of {edge_count})"
            )
        else:
            heading = (
                f"Step {number} of {total}: {name} passes grad({name}) = {grad_text} to its inputs"
            )
        lines = tuple(
            " ".join(filter(None, (row["update"], row["change"] and f"({row['change']})")))
            + (f"   {row['note']}" if row["note"] and row["update"] else "")
            for row in step.rows(table.show_constants, precision, number)
            if row["update"] or row["change"]
        )
        if edge_count:
            # The one row of this edge: rows follow the updates, one per edge.
            edge_rows = [line for line in lines if "+=" in line]
            lines = (edge_rows[edge_number - 1],) if len(edge_rows) == edge_count else lines
        frames.append(
            Frame(
                number=number,
                step=step,
                grads=dict(reached),
                highlight=highlight,
                edge_notes=notes,
                heading=heading,
                lines=lines,
            )
        )
    return frames


def _lay_out(frames: StepFrames) -> Layout:
    """Lay the graph out once with ``dot``, with the widest text any frame shows.

    Every card gets its final grad, every edge every note, and everything is
    highlighted (bold labels, thick borders are the widest), so no frame needs
    more room than this layout gave it.
    """
    from autograd.views.drawing import layout

    all_notes: dict[tuple[Value, int], str] = {}
    everything: list[Any] = []
    for frame in frames:
        all_notes.update(frame.edge_notes)
        everything.extend(frame.highlight)
    return layout(
        frames.root,
        rankdir=frames.rankdir,
        derivatives=frames.derivatives,
        precision=frames.precision,
        show_constants=frames.table.show_constants,
        theme=frames.theme,
        parameter_names=frames.parameter_names,
        grads=frames.table.final_grads(),
        edge_notes=all_notes,
        highlight=everything + [node for node in frames.table.names],
        max_nodes=frames.max_nodes,
    )


def _caption_label(frame: Frame, line_count: int) -> str:
    """The step's heading and rows as a Graphviz HTML-like label, always ``line_count`` rows
    high (blank rows fill), so every frame's caption takes the same room."""

    def escape(text: str) -> str:
        return html.escape(text, quote=False)

    rows = [f'<TR><TD ALIGN="LEFT"><B>{escape(frame.heading)}</B></TD></TR>']
    for line in frame.lines:
        rows.append(f'<TR><TD ALIGN="LEFT">{escape(line)}</TD></TR>')
    for _ in range(line_count - len(frame.lines)):
        rows.append('<TR><TD ALIGN="LEFT"> </TD></TR>')
    return (
        f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">'
        f'<TR><TD><FONT POINT-SIZE="{CAPTION_FONT_SIZE}"><TABLE BORDER="0" CELLSPACING="0" '
        f'CELLPADDING="2">{"".join(rows)}</TABLE></FONT></TD></TR></TABLE>>'
    )


# ---------------------------------------------------------------- the state machine
class StepperState:
    """Which frame is showing, and the moves between frames; no widgets involved.

    Indexes are 0-based; every move stays within ``0 .. count - 1``.

    >>> state = StepperState(3)
    >>> state.next(), state.next(), state.next(), state.previous(), state.last()
    (1, 2, 2, 1, 2)
    """

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError(f"a stepper needs at least one frame, got {count}")
        self.count = count
        self.index = 0

    @property
    def at_first(self) -> bool:
        """True on the first frame (Previous does nothing)."""
        return self.index == 0

    @property
    def at_last(self) -> bool:
        """True on the last frame (Next does nothing)."""
        return self.index == self.count - 1

    def next(self) -> int:
        """Move one frame forward (stays on the last); return the new index."""
        self.index = min(self.index + 1, self.count - 1)
        return self.index

    def previous(self) -> int:
        """Move one frame back (stays on the first); return the new index."""
        self.index = max(self.index - 1, 0)
        return self.index

    def first(self) -> int:
        """Go to the first frame."""
        self.index = 0
        return self.index

    def last(self) -> int:
        """Go to the last frame."""
        self.index = self.count - 1
        return self.index

    def jump(self, index: int) -> int:
        """Go to frame ``index`` (0-based; negative counts from the end, as for lists)."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"jump needs a frame index (int), not {type(index).__name__}")
        if not -self.count <= index < self.count:
            raise IndexError(
                f"frame {index} does not exist: there are {self.count} frames, "
                f"0 to {self.count - 1}"
            )
        self.index = index % self.count
        return self.index


# ---------------------------------------------------------------- the notebook widget
def _svg_image(svg: str) -> str:
    """An <img> holding the SVG as a data URL: shown by renderers that drop inline <svg>."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img alt="backward step" src="data:image/svg+xml;base64,{encoded}"/>'


def _rows_html(frame: Frame) -> str:
    heading = f"<div style='font-weight:bold;margin:4px 0'>{html.escape(frame.heading)}</div>"
    lines = "".join(
        f"<div style='font-family:monospace;white-space:pre'>{html.escape(line)}</div>"
        for line in frame.lines
    )
    return heading + lines


class Stepper:
    """A notebook widget: the graph, Previous / Next buttons, a slider, the step's rows.

    Made by ``step_through(root)``. Without a live kernel (a notebook on GitHub,
    or exported to HTML) it shows every frame as a static image, one under the
    other. ``next()``, ``previous()``, ``first()``, ``last()`` and ``jump(i)``
    move it from code as the buttons do.
    """

    def __init__(self, frames: StepFrames) -> None:
        self.frames = frames
        self.state = StepperState(len(frames))
        self._widget: Any = None

    # Moves: each updates the state, then the widget if it exists.
    def next(self) -> int:
        """Show the next frame."""
        return self._show(self.state.next())

    def previous(self) -> int:
        """Show the previous frame."""
        return self._show(self.state.previous())

    def first(self) -> int:
        """Show the first frame."""
        return self._show(self.state.first())

    def last(self) -> int:
        """Show the last frame."""
        return self._show(self.state.last())

    def jump(self, index: int) -> int:
        """Show frame ``index`` (0-based)."""
        return self._show(self.state.jump(index))

    @property
    def index(self) -> int:
        """The frame showing (0-based)."""
        return self.state.index

    @property
    def frame(self) -> Frame:
        """The Frame showing."""
        return self.frames[self.state.index]

    def frame_html(self, index: int | None = None) -> str:
        """The picture and rows of one frame as HTML (the current one by default)."""
        index = self.state.index if index is None else index
        picture = self.frames.svg(index, caption=False)
        return f"<div>{picture}</div>{_rows_html(self.frames[index])}"

    def static_html(self) -> str:
        """Every frame, one under the other, with no script: the no-kernel view."""
        parts = [
            "<div class='pathgrad-static-steps'>",
            f"<p>{html.escape(self.frames.table.heading())} "
            "(static frames: run the notebook for the interactive stepper)</p>",
        ]
        for index, frame in enumerate(self.frames):
            parts.append(
                "<div style='margin:12px 0;padding-top:6px;border-top:1px solid #ccc'>"
                f"{_svg_image(self.frames.svg(index, caption=False))}{_rows_html(frame)}</div>"
            )
        parts.append("</div>")
        return "".join(parts)

    @property
    def widget(self) -> Any:
        """The ipywidgets box (made on first use)."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self) -> Any:
        import ipywidgets

        count = len(self.frames)
        self._previous_button = ipywidgets.Button(description="◀ Previous")
        self._next_button = ipywidgets.Button(description="Next ▶")
        self._slider = ipywidgets.IntSlider(
            value=self.state.index + 1,
            min=1,
            max=count,
            description="step",
            continuous_update=True,
            layout=ipywidgets.Layout(width="320px"),
        )
        self._view = ipywidgets.HTML(self.frame_html())
        self._previous_button.on_click(lambda _button: self.previous())
        self._next_button.on_click(lambda _button: self.next())
        self._slider.observe(self._on_slider, names="value")
        self._update_buttons()
        controls = ipywidgets.HBox([self._previous_button, self._next_button, self._slider])
        return ipywidgets.VBox([controls, self._view])

    def _on_slider(self, change: Mapping[str, Any]) -> None:
        if change["new"] - 1 != self.state.index:
            self.jump(change["new"] - 1)

    def _update_buttons(self) -> None:
        self._previous_button.disabled = self.state.at_first
        self._next_button.disabled = self.state.at_last

    def _show(self, index: int) -> int:
        if self._widget is not None:
            self._view.value = self.frame_html(index)
            self._update_buttons()
            if self._slider.value != index + 1:
                self._slider.value = index + 1
        return index

    def __repr__(self) -> str:
        return (
            f"<Stepper over {len(self.frames)} backward steps of "
            f"{self.frames.table.names[self.frames.root]}: a notebook widget; outside "
            "Jupyter, autograd.save_steps(root, 'steps.html') writes it as a page, and "
            "print(autograd.backward_steps(root)) prints the steps>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live widget for a kernel, and the static frames for everything else.

        Frontends pick the richest type they can show: JupyterLab and Notebook
        the widget, GitHub and HTML exports (no widget state) the static frames.
        """
        bundle = dict(self.widget._repr_mimebundle_() or {})
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = (
            f"Stepper over {len(self.frames)} backward steps of "
            f"{self.frames.table.names[self.frames.root]}"
        )
        return bundle


def step_through(
    root: Value,
    *,
    show_constants: bool = False,
    precision: int = 4,
    derivatives: str = "formula",
    rankdir: str = "LR",
    **frame_options: Any,
) -> Stepper:
    """Step through the backward pass of ``root`` in a notebook, one node per frame.

    >>> from autograd.command_line.demo import seed_graph
    >>> f, x, y = seed_graph()
    >>> stepper = step_through(f)      # the last line of a cell shows it
    >>> stepper.next(), stepper.frame.heading
    (1, 'Step 2 of 8: e passes grad(e) = 1 to its inputs')

    One fresh backward pass, computed on the side (no ``.grad`` changes). Each
    frame: the node processed highlighted, the edges it applies in red with
    ``local · upstream = +contribution``, grads shown only for nodes reached so
    far, and the step's table rows. One layout, pinned, for every frame.
    ``frame_options``: ``granularity``, ``skip_final_leaves``, ``max_width``,
    ``theme``, ``dpi`` and ``parameter_names``, as for ``StepFrames``.
    """
    one_root(root, "step_through")
    return Stepper(
        StepFrames(
            root,
            show_constants=show_constants,
            precision=precision,
            derivatives=derivatives,
            rankdir=rankdir,
            **frame_options,
        )
    )
