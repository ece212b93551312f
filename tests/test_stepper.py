"""The stepper: frames of the backward pass, pinned layout, state machine, widget."""

from __future__ import annotations

import re
import shutil

import pytest

from autograd import Value, grad
from autograd.command_line.demo import seed_graph
from autograd.views.stepper import StepFrames, StepperState, step_through

# ---------------------------------------------------------------- state machine


def test_state_moves_and_clamps():
    state = StepperState(4)
    assert state.index == 0 and state.at_first and not state.at_last
    assert [state.next() for _ in range(5)] == [1, 2, 3, 3, 3]
    assert state.at_last
    assert [state.previous() for _ in range(5)] == [2, 1, 0, 0, 0]
    assert state.last() == 3 and state.first() == 0
    assert state.jump(2) == 2 and state.index == 2
    assert state.jump(-1) == 3


@pytest.mark.parametrize("bad", [4, -5, 100])
def test_state_jump_out_of_range(bad):
    state = StepperState(4)
    state.jump(1)
    with pytest.raises(IndexError, match="there are 4 frames, 0 to 3"):
        state.jump(bad)
    assert state.index == 1  # a failed jump leaves the state alone


def test_state_rejects_non_integers_and_empty():
    with pytest.raises(TypeError):
        StepperState(3).jump(1.0)
    with pytest.raises(TypeError):
        StepperState(3).jump(True)
    with pytest.raises(ValueError, match="at least one frame"):
        StepperState(0)


# ---------------------------------------------------------------- frames


@pytest.fixture(scope="module")
def seed_frames():
    f, x, y = seed_graph()
    return StepFrames(f), f, x, y


def test_one_frame_per_shown_step(seed_frames):
    frames, f, x, y = seed_frames
    assert len(frames) == len(frames.table.shown_steps) == 8
    assert [frame.step.node.label for frame in frames] == list("fedcbayx")
    assert (x.grad, y.grad) == (0.0, 0.0)  # making the frames wrote no grad


def test_grads_only_for_nodes_reached(seed_frames):
    frames, f, x, y = seed_frames
    labels = lambda frame: sorted(node.label for node in frame.grads)  # noqa: E731
    assert labels(frames[0]) == ["d", "e", "f"]
    assert labels(frames[1]) == ["c", "d", "e", "f"]
    assert frames[3].grads[x] == 10.0  # c has passed 10 to x: x's first contribution
    assert frames[4].grads[x] == 12.0
    last = frames[-1].grads
    assert all(node.role != "constant" for node in last)
    assert all(value == grad(f, node) for node, value in last.items())


def test_frame_highlights_and_notes(seed_frames):
    frames, f, x, y = seed_frames
    b_frame = frames[4]
    b = b_frame.step.node
    assert b.label == "b"
    assert b_frame.highlight == (b, (b, 0), (b, 1))
    assert b_frame.edge_notes[(b, 0)] == "\n2 · 1 = +2"
    assert b_frame.heading == "Step 5 of 8: b passes grad(b) = 1 to its inputs"
    assert b_frame.lines[0].startswith("grad(x) += ∂b/∂x · grad(b) = 2 · 1 = 2 (grad(x): 10 → 12)")
    assert "2nd of 3 contributions to x" in b_frame.lines[0]
    x_frame = frames[-1]
    assert x_frame.heading == "Step 8 of 8: x is a leaf, grad(x) = 10 + 2 + 6 = 18, final"
    assert len(x_frame.highlight) == 4  # x and the three edges its grad came from


def node_and_edge_positions(source: str) -> list[str]:
    return re.findall(r'\bpos="([^"]+)"', source)


def test_layout_is_pinned_in_every_frame(seed_frames):
    frames, *_ = seed_frames
    sources = [frames.drawing(index).source for index in range(len(frames))]
    pinned = [node_and_edge_positions(source) for source in sources]
    # every node (8: constants are hidden, as in the table), every edge (10) and the
    # two corners carry a position
    assert len(pinned[0]) == 8 + 10 + 2
    assert all(positions == pinned[0] for positions in pinned)


def card_centres(svg: str) -> dict[str, tuple[float, float]]:
    """The centre of the box around everything drawn for each node in the SVG."""
    centres = {}
    for name, body in re.findall(r'class="node">\s*<title>(\w+)</title>(.*?)</g>', svg, re.S):
        pairs = [
            tuple(map(float, pair.split(",")))
            for points in re.findall(r'points="([^"]+)"', body)
            for pair in points.split()
        ]
        xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
        centres[name] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return centres


@pytest.fixture(params=["pip", "system"])
def renderer_mode(request, monkeypatch, tmp_path):
    """Render with the pip-installed graphviz-pure (system dot hidden), or the system dot."""
    if request.param == "pip":
        monkeypatch.setenv("PATH", str(tmp_path))  # neither dot nor the venv's bin
    elif shutil.which("dot") is None:
        pytest.skip("no system Graphviz 'dot' on PATH")
    return request.param


def test_rendered_frames_do_not_move(renderer_mode):
    from autograd.views.rendering import renderer

    assert ("graphviz-pure" in renderer()) == (renderer_mode == "pip")
    frames = StepFrames(seed_graph()[0])
    svgs = [frames.svg(index) for index in range(len(frames))]
    boxes = {re.search(r'viewBox="([^"]+)"', svg).group(1) for svg in svgs}
    assert len(boxes) == 1
    first = card_centres(svgs[0])
    assert len(first) == 8  # the constants are hidden, as in the table
    for svg in svgs[1:]:
        for name, (x, y) in card_centres(svg).items():
            assert abs(x - first[name][0]) < 0.6 and abs(y - first[name][1]) < 0.6, name


def test_skipped_and_constant_steps():
    x = Value(-2.0, label="x")
    a = x * 3
    a.label = "a"
    y = a.relu()
    y.label = "y"
    frames = StepFrames(y)
    assert [frame.step.node.label for frame in frames] == ["y", "a", "x"]
    assert frames[1].heading == "Step 2 of 3: grad(a) = 0, nothing to pass on"
    shown = StepFrames(y, show_constants=True)
    assert len(shown) == 4  # the 3 in x * 3 gets its own frame


# ---------------------------------------------------------------- widget


def test_widget_buttons_and_slider_without_a_browser():
    f, _, _ = seed_graph()
    stepper = step_through(f)
    widget = stepper.widget
    controls, view = widget.children
    previous, next_button, slider = controls.children
    assert previous.disabled and not next_button.disabled
    assert "Step 1 of 8: f passes" in view.value
    next_button.click()
    assert stepper.index == 1 and slider.value == 2
    assert "Step 2 of 8: e passes" in view.value and "Step 1 of 8" not in view.value
    slider.value = 8
    assert stepper.index == 7 and next_button.disabled and not previous.disabled
    assert "x is a leaf" in view.value
    previous.click()
    assert stepper.index == 6 and slider.value == 7
    stepper.first()
    assert slider.value == 1 and previous.disabled
    stepper.jump(4)
    assert slider.value == 5 and "Step 5 of 8" in view.value


def test_bundle_has_the_widget_and_static_frames():
    f, _, _ = seed_graph()
    bundle = step_through(f)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    static = bundle["text/html"]
    assert static.count('<img alt="backward step" src="data:image/svg+xml;base64,') == 8
    assert "<script" not in static  # GitHub drops scripts: the fallback needs none
    plain = repr(step_through(f))  # a plain REPL shows this: it says what to use there
    assert plain.startswith("<Stepper over 8 backward steps of f: a notebook widget")
    assert "save_steps(root, 'steps.html')" in plain
    assert "Step 8 of 8: x is a leaf" in static


def test_docstring_examples():
    import doctest

    import autograd.views.stepper

    failures, tried = doctest.testmod(autograd.views.stepper)
    assert tried > 0 and failures == 0


def test_notebook_exported_to_html_shows_the_static_frames():
    """The saved notebook holds no widget state, so an HTML export falls back to the frames."""
    nbconvert = pytest.importorskip("nbconvert", reason="nbconvert is not installed")
    import json
    from pathlib import Path

    path = Path(__file__).parent.parent / "notebooks" / "01_stepping_through_backprop.ipynb"
    assert "widgets" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]
    body, _ = nbconvert.HTMLExporter().from_filename(str(path))
    assert body.count('alt="backward step"') == 8


@pytest.mark.parametrize(
    "option",
    [
        {"theme": "nope"},
        {"dpi": 0},
        {"rankdir": "XX"},
        {"precision": -5},
        {"parameter_names": "q"},
        {"derivatives": "both"},
    ],
)
def test_a_bad_option_is_refused_when_the_stepper_is_made_not_when_shown(option):
    f, _, _ = seed_graph()
    with pytest.raises(ValueError, match="must be"):
        step_through(f, **option)


def test_backward_steps_refuses_a_precision_it_cannot_print():
    from autograd import backward_steps

    f, _, _ = seed_graph()
    for precision in (-5, 0, 18, 2.5, True):
        with pytest.raises(ValueError, match="significant digits from 1 to 17"):
            backward_steps(f, precision=precision)
    with pytest.raises(ValueError, match="not a float format spec"):
        backward_steps(f, precision="q!")
    x = Value(1.0, label="x")
    third = x / 3.0
    third.label = "t"
    assert "= 0.333" in backward_steps(third, precision=".3f").table().row_texts()[0]
