"""backward_steps: the same pass as backward(), one node at a time, computed on the side."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, backward_order, grad
from autograd.command_line.demo import seed_graph
from autograd.views.format import node_names, number_text
from autograd.views.steps import backward_steps

SAFE_BINARY = ("add", "sub", "mul")
SAFE_UNARY = ("tanh", "sigmoid", "sin", "relu")


def random_graph(seed: int, size: int = 12) -> tuple[Value, list[Value]]:
    """A random graph whose nodes are often reused, with a few constants."""
    generator = random.Random(seed)
    leaves = [Value(generator.uniform(-2, 2), label=f"x{i}") for i in range(3)]
    nodes = list(leaves)
    for _ in range(size):
        if generator.random() < 0.7:
            left = generator.choice(nodes)
            right = generator.choice(nodes) if generator.random() < 0.8 else 1.5
            name = generator.choice(SAFE_BINARY)
            node = {"add": left + right, "sub": left - right, "mul": left * right}[name]
        else:
            node = getattr(generator.choice(nodes), generator.choice(SAFE_UNARY))()
        nodes.append(node)
    return nodes[-1] + nodes[-2], leaves


def grads_of(root: Value) -> list[float]:
    return [node.grad for node in backward_order(root)]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 3))
def test_steps_show_backwards_grads_bit_for_bit_and_change_none(seed, earlier_calls):
    expected_root, _ = random_graph(seed)
    expected_root.backward()
    expected = grads_of(expected_root)  # one fresh pass
    stepped_root, _ = random_graph(seed)
    for _ in range(earlier_calls):
        stepped_root.backward()  # leaves now hold earlier_calls times their gradient
    before = grads_of(stepped_root)
    table = backward_steps(stepped_root).table()
    # Same seed, same graph shape and data: the steps show one fresh pass, exactly.
    shown = table.final_grads()
    assert [shown[node] for node in backward_order(stepped_root)] == expected
    assert grads_of(stepped_root) == before  # and no .grad moved


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_step_records_are_consistent(seed):
    root, _ = random_graph(seed)
    steps = list(backward_steps(root))
    assert [step.node for step in steps] == backward_order(root)
    received: dict[Value, int] = {}
    for step in steps:
        assert step.grad_after == grad(root, step.node)  # final when the node is reached
        for update in step.updates:
            assert update.grad_after == update.grad_before + update.contribution
            assert update.contribution == update.local_grad * step.upstream
            assert update.parent is step.node.parents[update.position]
            received[update.parent] = received.get(update.parent, 0) + 1
            assert update.contribution_number == received[update.parent]
    for step in steps:
        for update in step.updates:
            assert update.contribution_count == received[update.parent]
        assert step.received == tuple(
            update for other in steps for update in other.updates if update.parent is step.node
        )


def test_seed_graph_row_in_the_sheet_format():
    f, x, y = seed_graph()
    table = backward_steps(f).table()
    rows = table.row_texts()
    assert "grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10" in rows
    assert "grad(x) += ∂a/∂x · grad(a) = 6 · 1 = 6" in rows
    assert (x.grad, y.grad) == (0.0, 0.0)  # the view wrote nothing
    assert (table.final_grads()[x], table.final_grads()[y]) == grad(f, [x, y])


def test_reused_node_receives_numbered_contributions():
    f, x, y = seed_graph()
    table = backward_steps(f).table()
    updates_to_x = [u for step in table for u in step.updates if u.parent is x]
    assert [u.contribution for u in updates_to_x] == [10.0, 2.0, 6.0]
    assert [(u.grad_before, u.grad_after) for u in updates_to_x] == [
        (0.0, 10.0),
        (10.0, 12.0),
        (12.0, 18.0),
    ]
    text = table.to_text()
    assert "grad(x): 10 → 12" in text
    assert "2nd of 3 contributions to x" in text
    assert "3rd of 3 contributions to x" in text
    assert "contributions to d" not in text  # d is used once: no note


def test_constants_hidden_by_default_and_steps_renumbered():
    f, _, _ = seed_graph()
    table = backward_steps(f).table()
    assert len(table) == len(backward_order(f)) == 10
    assert len(table.shown_steps) == 8
    text = table.to_text()
    assert "grad(2)" not in text
    step_numbers = [line.split()[0] for line in text.splitlines()[3:] if line[:4].strip()]
    assert step_numbers == [str(number) for number in range(1, 9)]
    shown = backward_steps(seed_graph()[0], show_constants=True).table()
    assert "grad(2) +=" in shown.to_text()


def test_markdown_and_html_tables():
    f, _, _ = seed_graph()
    table = backward_steps(f).table()
    markdown = table.to_markdown().splitlines()
    assert markdown[2].startswith("| step | node |")
    assert markdown[3].startswith("|---:|")
    assert len(markdown) == 4 + 12  # heading, blank, header, rule, one line per row
    page = table._repr_html_()
    assert page.count('<tr data-step="') == 12
    assert "grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10" in page
    assert "background:#fff3cd" in page  # the repeated += rows are marked


def test_iterator_steps_one_node_at_a_time_and_showing_it_moves_nothing():
    f, x, _ = seed_graph()
    steps = backward_steps(f)
    first = next(steps)
    assert first.node is f and first.upstream == 1.0
    text = str(steps)  # the whole table ...
    assert "leaf: grad(x) = 10 + 2 + 6 = 18, final" in text
    assert repr(steps) == text
    assert next(steps).number == 2  # ... and the iterator is still at step 2
    assert [step.number for step in steps.steps] == [1, 2]
    assert x.grad == 0.0


def test_zero_upstream_node_is_skipped():
    x = Value(-1.0, label="x")
    a = x * 2
    a.label = "a"
    y = a.relu()  # a < 0: relu passes nothing back to a
    y.label = "y"
    steps = list(backward_steps(y))
    a_step = next(step for step in steps if step.node is a)
    assert a_step.skipped and a_step.upstream == 0.0 and a_step.updates == ()
    assert "nothing flows back from a" in str(a_step)
    assert x.grad == 0.0


def test_after_backward_the_steps_still_show_one_fresh_pass():
    f, x, _ = seed_graph()
    f.backward()
    f.backward()  # x.grad is now 36: leaves accumulate
    table = backward_steps(f).table()
    x_step = next(step for step in table if step.node is x)
    assert (x_step.upstream, x_step.grad_after, x.grad) == (18, 18, 36)
    assert table.final_grads()[x] == 18.0
    text = table.to_text()
    assert "Start: grad(f) = 1, every other grad 0." in text
    assert "leaf: grad(x) = 10 + 2 + 6 = 18, final" in text
    assert "earlier" not in text and "36" not in text
    assert x.grad == 36.0


def test_names_and_numbers():
    x = Value(2.0, label="x")
    y = Value(1.0, label="y")
    root = x * x + y * 0.5
    names = node_names(root)
    assert names[x] == "x" and names[y] == "y"
    assert sorted(names[node] for node in names if node.label is None) == [
        "0.5",
        "add1",
        "mul1",
        "mul2",
    ]
    assert [number_text(n) for n in (10.0, -0.0, 0.25, -3.0, 1 / 3)] == [
        "10",
        "0",
        "0.25",
        "-3",
        "0.333333",
    ]


def test_ops_ending_in_a_digit_are_numbered_after_an_underscore():
    x = Value(2.0, label="x")
    root = x.log2().log10() + x.atan2(1.0) + x.log1p()
    names = node_names(root).values()
    assert {"log2_1", "log10_1", "atan2_1", "log1p1", "add1", "add2"} <= set(names)


def test_negative_factors_are_bracketed():
    x = Value(3.0, label="x")
    y = -x
    y.label = "y"
    (step,) = [s for s in backward_steps(y) if s.updates]
    assert step.update_text(step.updates[0]) == "grad(x) += ∂y/∂x · grad(y) = (-1) · 1 = -1"


def test_root_must_be_a_value():
    with pytest.raises(TypeError, match="backward_steps: root must be a Value"):
        backward_steps(3.0)


@pytest.mark.parametrize("view", ["save_steps", "step_through"])
def test_the_step_views_name_themselves_for_a_root_that_is_no_value(view, tmp_path):
    import autograd

    arguments = (3.0, tmp_path / "steps.html") if view == "save_steps" else (3.0,)
    with pytest.raises(TypeError, match=f"^{view}: root must be a Value, not float"):
        getattr(autograd, view)(*arguments)
    assert list(tmp_path.iterdir()) == []


def test_names_match_the_drawing():
    from autograd.views.drawing import draw

    x, y = Value(3.0, label="x"), Value(2.0)
    root = (x * y + y.tanh()) * (x + 1)
    source = draw(root).source
    for node, name in node_names(root).items():
        if node.role != "constant":
            assert f"<B>{name}</B>" in source


def test_cli_steps_prints_the_table(capsys):
    from autograd.command_line.commands import main

    assert main(["steps", "x**2 + x*y + (x+y)**2", "x=3", "y=2"]) == 0
    out = capsys.readouterr().out
    assert "grad(x) += ∂pow1/∂x · grad(pow1) = 6 · 1 = 6" in out
    assert "leaf: grad(x) = 10 + 2 + 6 = 18, final" in out
    assert main(["steps", "x*y", "--markdown", "x=3", "y=2"]) == 0
    assert "| step | node |" in capsys.readouterr().out


def test_cli_steps_bad_expression_is_one_line(capsys):
    from autograd.command_line.commands import main

    with pytest.raises(SystemExit) as stopped:
        main(["steps", "x*", "x=3"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("pathgrad: error:") and error.count("\n") == 1


def test_docstring_examples():
    import doctest
    import importlib

    for name in ("autograd.views.steps", "autograd.views.paths"):
        # import_module, not `import autograd.paths`: that name is also the function
        failures, tried = doctest.testmod(importlib.import_module(name))
        assert tried > 0 and failures == 0, name


def test_short_parameter_names_in_tables_paths_and_frame_captions():
    import nn
    from autograd import paths
    from autograd.views.stepper import StepFrames

    model = nn.MLP(2, [2, 1], seed=0)
    loss = nn.mse([model([0.5, -1.0])], [1.0])
    weight = model.layers[0].neurons[1].w[0]  # W1[1,2]: input 1 to neuron 2
    table = backward_steps(loss, parameter_names="math").table()
    assert "w¹₁₂" in str(table) and "layers.0" not in str(table)
    assert "W1[1,2]" in str(backward_steps(loss, parameter_names="matrix").table())
    assert "layers.0.neurons.1.w.0" in str(backward_steps(loss).table())  # dotted by default
    listing = paths(loss, weight, parameter_names="math")
    assert str(listing).startswith("1 path(s) from w¹₁₂")
    frames = StepFrames(loss, parameter_names="math")
    assert all("layers.0" not in line for frame in frames for line in (frame.heading, *frame.lines))
    with pytest.raises(ValueError, match="parameter_names must be one of"):
        backward_steps(loss, parameter_names="greek")
