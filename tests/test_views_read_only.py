"""Views read, never write: on random graphs, every view called twice, before and
after backward(), leaves every .data and .grad as it was and shows autograd.grad's
numbers."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, example, given, settings

import autograd
from autograd import Value, apply, backward_steps, draw, paths, topological_order
from autograd.command_line.demo import seed_graph
from autograd.views.stepper import StepFrames
from tests.test_random_graphs import programs, run


def state(root: Value) -> list[tuple[float, float]]:
    return comparable([(node.data, node.grad) for node in topological_order(root)])


def comparable(shown: object) -> object:
    """``shown`` with every nan made a string: a constant's gradient may be nan
    (the 2 in x**2 at x < 0), and nan != nan."""
    if isinstance(shown, float) and math.isnan(shown):
        return "nan"
    if isinstance(shown, dict):
        return {key: comparable(value) for key, value in shown.items()}
    if isinstance(shown, list | tuple):
        return type(shown)(comparable(item) for item in shown)
    return shown


def show_every_view(root: Value, leaves: list[Value]) -> dict[str, object]:
    """What each view shows, as comparable data (text, numbers), and their reprs."""
    steps = backward_steps(root)
    first = next(steps)  # a half-consumed iterator, shown: must not run anything more
    table = steps.table()
    frames = StepFrames(root)
    found = {leaf: paths(root, leaf) for leaf in leaves}
    return comparable(
        {
            "first step": (first.node, first.upstream),
            "steps repr": (repr(steps), str(steps), steps._repr_markdown_(), steps._repr_html_()),
            "table": (str(table), table.to_markdown(), table.to_html()),
            "step grads": table.final_grads(),
            "frames": [(frame.heading, frame.lines, dict(frame.grads)) for frame in frames],
            "paths": {
                leaf: (repr(listing), str(listing) if listing.count <= 200 else listing.count)
                for leaf, listing in found.items()
            },
            "path totals": {
                leaf: listing.total for leaf, listing in found.items() if listing.count <= 200
            },
            "drawing": draw(root, max_nodes=10_000).source,
            "value reprs": [repr(node) for node in topological_order(root)],
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs())
@example(
    (
        [-1.5, 0.5, 2.0],
        [("pow", [("node", 0), ("constant", 2.0)]), ("mul", [("node", 3), ("node", 0)])],
    )
)
def test_views_change_nothing_and_agree_with_grad(program):
    leaf_values, steps = program
    leaves = [Value(value, label=f"x{index}") for index, value in enumerate(leaf_values)]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None)
    root = nodes[-1]
    try:
        order = topological_order(root)
        expected = comparable(dict(zip(order, autograd.grad(root, order))))
    except autograd.DomainError:
        assume(False)  # an infinite gradient: every view refuses it the same way
    for leaf in leaves:  # leaves that hold something: the views must not add to it
        leaf.grad = 0.25

    before = state(root)
    shown = show_every_view(root, leaves)
    assert show_every_view(root, leaves) == shown  # the same, call after call
    assert state(root) == before

    # The steps show autograd.grad's numbers, bit for bit, for every node.
    assert shown["step grads"] == expected
    if shown["frames"]:  # the last frame shows every grad complete
        last_grads = shown["frames"][-1][2]
        assert all(value == expected[node] for node, value in last_grads.items())
    for leaf, total in shown["path totals"].items():
        if total == "nan" or expected.get(leaf) == "nan":
            continue  # a leaf under x ** y at x < 0 where y is a Value: undefined
        assert math.isclose(total, expected.get(leaf, 0.0), rel_tol=1e-9, abs_tol=1e-9)

    root.backward()
    after = state(root)
    again = show_every_view(root, leaves)
    assert show_every_view(root, leaves) == again
    assert state(root) == after
    # Everything but the drawing (which shows .grad) is independent of backward().
    for key in shown:
        if key not in ("drawing", "value reprs"):
            assert again[key] == shown[key], key


def test_pages_and_frames_are_the_same_before_and_after_backward(tmp_path):
    from autograd import save_steps

    f, x, y = seed_graph()
    before = state(f)
    first = save_steps(f, tmp_path / "one.html")[0].read_bytes()
    again = save_steps(f, tmp_path / "two.html")[0].read_bytes()
    assert state(f) == before and first == again
    f.backward()
    f.backward()  # x.grad = 36 now
    after = state(f)
    third = save_steps(f, tmp_path / "three.html")[0].read_bytes()
    frames = save_steps(f, tmp_path / "frames")
    assert state(f) == after and third == first
    assert "grad(x) = 10 + 2 + 6 = 18, final" in third.decode()
    assert "grad(x): 18 → 36" not in third.decode() and "earlier" not in third.decode()
    assert [path.name for path in frames][-1] == "steps.gif"
