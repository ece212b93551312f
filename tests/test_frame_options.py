"""Step frames for a screen: granularity, skipping the leaves' frames, max_width, theme, dpi."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from autograd import Value
from autograd.command_line.demo import seed_graph
from autograd.views.stepper import SCREEN_WIDTH, StepFrames


def mlp_output():
    from nn import MLP

    return MLP(2, [4, 1], seed=0)([Value(1.0, label="x1"), Value(-2.0, label="x2")])


def test_edge_granularity_gives_one_frame_per_edge():
    f, _, _ = seed_graph()
    by_node, by_edge = StepFrames(f), StepFrames(f, granularity="edge")
    assert len(by_edge) > len(by_node)
    for frame in by_edge:
        edges = [item for item in frame.highlight if isinstance(item, tuple)]
        if frame.step.node.parents:
            assert len(edges) == 1 and len(frame.lines) == 1
    assert "(edge 1 of 2)" in by_edge[0].heading
    assert by_edge[-1].grads == by_node[-1].grads  # the same pass, every grad at the end
    with pytest.raises(ValueError, match="granularity"):
        StepFrames(f, granularity="path")


def test_skip_final_leaves_drops_the_leaf_frames_but_keeps_their_grads():
    f, x, y = seed_graph()
    kept = StepFrames(f, skip_final_leaves=True)
    assert len(kept) == len(StepFrames(f)) - 2  # x and y
    assert all(frame.step.node.parents for frame in kept)
    assert kept[-1].grads[x] == 18.0 and kept[-1].grads[y] == 13.0
    assert kept[-1].heading.startswith(f"Step {len(kept)} of {len(kept)}")


def test_frames_fit_a_screen_unless_asked_otherwise():
    out = mlp_output()
    fitted = Image.open(io.BytesIO(StepFrames(out).picture(3, "png")))
    assert fitted.width <= SCREEN_WIDTH
    full = Image.open(io.BytesIO(StepFrames(out, max_width=0).picture(3, "png")))
    assert full.width > 3 * SCREEN_WIDTH
    small = Image.open(io.BytesIO(StepFrames(out, max_width=800).picture(3, "png")))
    assert small.width <= 800


def test_theme_dpi_and_parameter_names_reach_the_frames():
    f, _, _ = seed_graph()
    low = Image.open(io.BytesIO(StepFrames(f, dpi=72).picture(0, "png")))
    high = Image.open(io.BytesIO(StepFrames(f, dpi=144).picture(0, "png")))
    assert abs(high.width - 2 * low.width) <= 4
    dark = StepFrames(f, theme="dark").svg(0)
    assert "#111827" in dark
    names = StepFrames(mlp_output(), parameter_names="math").svg(0)
    assert "w¹₁₁" in names and "layers.0" not in names


def test_step_pictures_past_a_card_budget_are_refused_before_any_is_drawn():
    """Every frame draws the whole graph: a 480-node chain's 481 frames took 80 s,
    2.7 GB and a 368 MB page. Refused at once, with the count and the way round."""
    from autograd.views.drawing import GraphTooLargeError
    from autograd.views.export import save_steps
    from autograd.views.stepper import MAX_CARDS

    node = Value(1.0, label="x")
    for _ in range(480):
        node = node * 1.0
    with pytest.raises(GraphTooLargeError, match=r"231,361 node cards \(481 frames × 481 nodes\)"):
        StepFrames(node)
    with pytest.raises(GraphTooLargeError, match="max_cards=231361"):
        save_steps(node, "never-written.html")
    assert not Path("never-written.html").exists()
    assert MAX_CARDS == 25_000 and len(StepFrames(node, max_cards=231_361)) == 481
    with pytest.raises(TypeError, match="max_cards must be a whole number"):
        StepFrames(node, max_cards="many")
    small = Value(2.0, label="w") * Value(3.0, label="x")
    assert len(StepFrames(small, max_nodes=3)) == 3  # max_nodes reaches the drawings
    with pytest.raises(GraphTooLargeError, match="max_nodes=2"):
        StepFrames(small, max_nodes=2).picture(0, "svg")
