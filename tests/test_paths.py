"""paths: the sum over paths of products of local derivatives equals the gradient."""

from __future__ import annotations

import html
import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad
from autograd.views.paths import Path, TooManyPathsError, paths


def exercise_one(x_value: float, y_value: float, square: str):
    """f = x² + xy + (x+y)² (problem sheet 5, exercise 1), x² written as x**2 or x*x."""
    x, y = Value(x_value, label="x"), Value(y_value, label="y")
    first = x**2 if square == "power" else x * x
    f = first + x * y + (x + y) ** 2
    return f, x, y


POINTS = [(3.0, 2.0), (-1.5, 0.25), (0.5, -4.0), (7.0, 7.0)]


@pytest.mark.parametrize("x_value, y_value", POINTS)
def test_exercise_one_with_power(x_value, y_value):
    f, x, y = exercise_one(x_value, y_value, "power")
    x_paths, y_paths = paths(f, x), paths(f, y)
    assert x_paths.count == 3 and y_paths.count == 2
    assert sorted(path.product for path in x_paths) == sorted(
        [2 * x_value, y_value, 2 * (x_value + y_value)]
    )
    assert sorted(path.product for path in y_paths) == sorted([x_value, 2 * (x_value + y_value)])
    for found in (x_paths, y_paths):
        assert found.matches_grad
    assert x_paths.total == pytest.approx(2 * x_value + y_value + 2 * (x_value + y_value))


@pytest.mark.parametrize("x_value, y_value", POINTS)
def test_exercise_one_with_x_times_x(x_value, y_value):
    f, x, _ = exercise_one(x_value, y_value, "product")
    found = paths(f, x)
    assert found.count == 4
    # x*x gives two paths through the same node, one per edge, each with product x.
    assert sorted(path.product for path in found) == sorted(
        [x_value, x_value, y_value, 2 * (x_value + y_value)]
    )
    square_paths = [path for path in found if path.nodes[1].op == "mul" and len(path.nodes) == 4]
    first_edges = [path.edges[0] for path in found]
    assert len(set(map(lambda edge: (id(edge[0]), edge[1]), first_edges))) == 4
    assert found.matches_grad
    assert len(square_paths) >= 2


def test_seed_sheet_formulas_and_text():
    f, x, _ = exercise_one(3.0, 2.0, "power")
    found = paths(f, x)
    assert [path.formulas_text() for path in found] == [
        "1 · 1 · 2x",
        "1 · 1 · y",
        "1 · (2·add2) · 1",
    ]
    text = found.to_text()
    assert "3 path(s) from x to" in text
    assert "= 18, which matches backward's grad(x) = 18" in text


def test_duplicate_edges_are_told_apart_in_text():
    x = Value(3.0, label="x")
    square = x * x
    square.label = "s"
    found = paths(square, x).all()
    assert [path.route_text() for path in found] == ["x →(operand 1) s", "x →(operand 2) s"]
    assert [path.edges for path in found] == [((square, 0),), ((square, 1),)]


def test_path_structure_for_drawing():
    f, x, _ = exercise_one(3.0, 2.0, "power")
    for path in paths(f, x):
        assert isinstance(path, Path)
        assert path.nodes[0] is x and path.nodes[-1] is f
        assert len(path.edges) == len(path.nodes) - 1 == len(path.local_grads)
        for index, (child, position) in enumerate(path.edges):
            assert child is path.nodes[index + 1]
            assert child.parents[position] is path.nodes[index]
            assert path.local_grads[index] == child.local_grads[position]
        assert path.product == math.prod(reversed(path.local_grads))


def test_unrelated_node_and_root_itself():
    f, _, _ = exercise_one(3.0, 2.0, "power")
    z = Value(1.0, label="z")
    unrelated = paths(f, z)
    assert unrelated.count == 0 and unrelated.all() == [] and unrelated.total == 0.0
    assert unrelated.matches_grad
    itself = paths(f, f).all()
    assert len(itself) == 1 and itself[0].product == 1.0 and itself[0].nodes == (f,)


def doubling_chain(layers: int) -> tuple[Value, Value]:
    """Each layer uses the previous node twice: 2**layers paths."""
    x = Value(1.0, label="x")
    node = x
    for _ in range(layers):
        node = node * 0.5 + node * 0.5
    return node, x


def test_exponential_case_stops_cleanly_with_the_count():
    root, x = doubling_chain(70)
    found = paths(root, x, limit=1000)
    assert found.count == 2**70
    first = list(itertools.islice(found, 5))  # lazy: the first few are cheap
    assert len(first) == 5 and all(path.product == 0.5**70 for path in first)
    with pytest.raises(TooManyPathsError, match=f"{2**70:,} paths, more than the limit of 1,000"):
        _ = found.total
    with pytest.raises(TooManyPathsError, match="islice"):
        list(found)
    assert found.grad == pytest.approx(1.0)


def test_limit_allows_exactly_limit_paths():
    root, x = doubling_chain(4)
    assert len(paths(root, x, limit=16).all()) == 16
    with pytest.raises(TooManyPathsError):
        paths(root, x, limit=15).all()


def test_printing_past_the_limit_lists_the_first_paths_and_counts_the_rest():
    root, x = doubling_chain(4)
    over = paths(root, x, limit=3)
    text = str(over)
    assert text.startswith("16 paths from x to ")
    assert "more than the limit of 3; the first 3:" in text
    assert "  3. " in text and "  4. " not in text
    assert "... and 13 more (raise limit= to list them)" in text and text.endswith("= 1")
    assert html.escape(text) in over._repr_html_()
    assert over.count == 16 == len(paths(root, x).all())


def test_deep_chain_does_not_recurse():
    x = Value(0.5, label="x")
    node = x
    for _ in range(5000):
        node = node * 1.0
    (path,) = paths(node, x).all()
    assert len(path.nodes) == 5001 and path.product == 1.0


def random_small_graph(seed: int) -> tuple[Value, list[Value]]:
    generator = random.Random(seed)
    leaves = [Value(generator.uniform(-2, 2), label=f"x{index}") for index in range(3)]
    nodes = list(leaves)
    for _ in range(generator.randint(1, 9)):
        left, right = generator.choice(nodes), generator.choice(nodes)
        choice = generator.randrange(4)
        if choice == 0:
            node = left * right
        elif choice == 1:
            node = left + right
        elif choice == 2:
            node = left - right * 2
        else:
            node = left.tanh()
        nodes.append(node)
    return nodes[-1], leaves


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_path_sums_equal_grads_on_random_graphs(seed):
    root, leaves = random_small_graph(seed)
    for leaf in leaves:
        found = paths(root, leaf)
        assert found.total == pytest.approx(grad(root, leaf), rel=1e-9, abs=1e-12)
        assert found.matches_grad
        assert len(found.all()) == found.count


def test_wrong_arguments():
    with pytest.raises(TypeError, match="wrt must be a Value"):
        paths(Value(1.0), "x")


def test_cli_paths(capsys):
    from autograd.command_line.commands import main

    assert main(["paths", "x**2 + x*y + (x+y)**2", "--wrt", "y", "x=3", "y=2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 path(s) from y to f:")
    assert "which matches backward's grad(y) = 13" in out


def test_cli_paths_errors(capsys):
    from autograd.command_line.commands import main

    with pytest.raises(SystemExit) as stopped:
        main(["paths", "x*y", "--wrt", "z", "x=3", "y=2"])
    assert stopped.value.code == 2
    assert "no input of that name (inputs: x, y)" in capsys.readouterr().err
    deep = "x" + "".join("*x" for _ in range(20))
    with pytest.raises(SystemExit):
        main(["paths", deep, "--wrt", "x", "--limit", "5", "x=1"])
    assert "along 21 paths, more than --limit 5" in capsys.readouterr().err


def test_a_path_can_be_highlighted_in_a_drawing():
    from autograd.views.drawing import HIGHLIGHT_COLOR, draw

    f, x, _ = exercise_one(3.0, 2.0, "power")
    third = paths(f, x).all()[2]  # x → c → e → f
    source = draw(f, highlight=third).source
    red_lines = [line for line in source.splitlines() if HIGHLIGHT_COLOR in line]
    assert sum("->" in line for line in red_lines) == 3  # the path's three edges
    assert sum("->" not in line for line in red_lines) == 4  # and its four cards


def test_paths_are_indexed_like_a_list_making_only_what_is_asked():
    from autograd.command_line.demo import seed_graph

    f, x, _ = seed_graph()
    found = paths(f, x)
    listed = found.all()
    assert [str(found[i]) for i in (0, 1, -1)] == [str(listed[i]) for i in (0, 1, -1)]
    assert [str(p) for p in found[1:3]] == [str(p) for p in listed[1:3]]
    assert [str(p) for p in found[::-1]] == [str(p) for p in listed[::-1]]
    with pytest.raises(IndexError, match=f"there are {len(listed)} paths"):
        found[len(listed)]
    with pytest.raises(TypeError, match="indexed by int"):
        found["0"]
    leaf = chain = Value(1.0)
    for _ in range(70):  # 2**70 paths: the first is made without listing them all
        chain = chain * chain
    assert paths(chain, leaf).count == 2**70 and paths(chain, leaf)[0].product == 1.0


def test_a_form_equal_to_the_one_before_is_not_written_twice():
    x = Value(2.0, label="x")
    root = x * x * x
    root.label = "f"
    lines = paths(root, x).to_text().splitlines()
    assert lines[1].endswith("x →(operand 1) mul1 → f:  ∂f/∂mul1 · ∂mul1/∂x = x · x = 2 · 2 = 4")
    assert lines[3] == "  3. x → f:  ∂f/∂x = mul1 = 4"  # not "= (mul1) = 4 = 4"
