"""compile: straight-line Python from the op table, replayed exactly."""

from __future__ import annotations

import importlib.util
import math
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import DomainError, Value, apply, grad
from autograd.command_line.demo import seed_graph
from autograd.engine.compiled import CompileMismatchError
from tests.test_random_graphs import programs, run


def test_the_seed_graph_compiles_to_the_sheets_lines():
    f, x, y = seed_graph()
    compiled = autograd.compile(f, [x, y], check=True)
    lines = [line.strip() for line in compiled.source.splitlines()]
    assert "a = x ** 2.0" in lines and "f = d + e" in lines
    assert "grad_c = 2.0 * c * grad_e" in lines
    assert "grad_x = grad_x + y * grad_b" in lines
    assert "grad_x = grad_x + 2.0 * x * grad_a" in lines
    assert compiled(3.0, 2.0) == (40.0, (18.0, 13.0))
    assert compiled(-1.0, 0.5) == autograd.value_and_grad(lambda a, b: a**2 + a * b + (a + b) ** 2)(
        -1.0, 0.5
    )
    assert (x.grad, y.grad) == (0.0, 0.0)  # no Value was built or touched


def test_parameters_are_read_at_each_call():
    w = Value(2.0, label="w", role="parameter")
    x = Value(3.0, label="x")
    compiled = autograd.compile((w * x).tanh(), [x], wrt=[w, x])
    first = compiled(3.0)
    w.data = -0.5  # an optimizer's step
    second = compiled(3.0)
    assert first != second and second == (
        (Value(-0.5) * 3.0).tanh().data,
        grad((w * x).tanh(), [w, x]),
    )
    assert "w = parameters[0]" in compiled.source


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(), st.lists(st.floats(-2.5, 2.5, allow_nan=False), min_size=3, max_size=3))
def test_replay_equals_the_eager_engine_bit_for_bit(program, new_values):
    leaf_values, steps = program
    leaves = [Value(value, label=f"x{index}") for index, value in enumerate(leaf_values)]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None)
    root = nodes[-1]
    try:
        expected = (root.data, grad(root, leaves))
    except DomainError:
        assume(False)
    compiled = autograd.compile(root, leaves)
    assert compiled(*leaf_values) == expected
    # At other values: the same graph rebuilt eagerly (check=True does exactly this).
    rebuilt = [Value(value) for value in new_values]
    again = run(rebuilt, steps, lambda op, inputs: apply(op, *inputs))
    assume(again is not None)
    try:
        wanted = (again[-1].data, grad(again[-1], rebuilt))
    except DomainError:
        assume(False)
    try:
        got = autograd.compile(root, leaves, check=True)(*new_values)
    except DomainError:
        assume(False)  # math's own domain error where the eager graph had inf or nan
    assert got == wanted


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    programs(),
    st.lists(
        st.lists(st.floats(-2.5, 2.5, allow_nan=False), min_size=3, max_size=3),
        min_size=2,
        max_size=4,
    ),
)
def test_batched_replay_gives_each_point_the_floats_of_a_call(program, points):
    """Over arrays every op gives the bits a call gives (numpy's own exp, tanh and ``**``
    would differ in the last bit), so batched training equals the eager loop exactly."""
    pytest.importorskip("numpy")
    leaf_values, steps = program
    leaves = [Value(value, label=f"x{index}") for index, value in enumerate(leaf_values)]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None)
    compiled = autograd.compile(nodes[-1], leaves)
    calls = []
    for point in points:
        try:
            calls.append(compiled(*point))
        except DomainError:
            assume(False)  # the batch would raise too, naming this point
    values, gradients = compiled.batched(*zip(*points))
    assert values.tolist() == [value for value, _ in calls]
    assert [list(each) for each in zip(*(g.tolist() for g in gradients))] == [
        list(call_gradients) for _, call_gradients in calls
    ]


def test_a_replay_outside_the_domain_gives_the_eager_engines_answer():
    """Where the formulas leave the finite reals, a call gives what the eager engine
    gives at those values: its DomainError, or its numbers."""
    x, y = Value(2.0, label="x"), Value(2.0, label="y")
    with pytest.raises(DomainError, match=r"inputs \(-1.0,\): log of node 'x' = -1.0: log needs"):
        autograd.compile(x.log() * x, [x])(-1.0)
    with pytest.raises(DomainError, match=r"inputs \(-4.0,\): pow of node 'x' = -4.0"):
        autograd.compile(x**0.5, [x])(-4.0)  # Python's float power would be complex
    with pytest.raises(DomainError, match="overflow"):
        autograd.compile(x * y, [x, y])(1e200, 1e200)
    cases = [
        (x**0, [x], [0.0]),  # the eager engine skips 0 ** -1 on the exponent's edge
        (x**y, [x, y], [0.0, 2.0]),  # and log(0) for ∂/∂y, where the upstream is 0
        (y.relu() * x.sqrt(), [y, x], [-1.0, 0.0]),  # 0 · ∞: relu passes nothing on
    ]
    for root, inputs, point in cases:
        compiled = autograd.compile(root, inputs, check=True)
        assert compiled(*point) == compiled._eager(point)
        values, gradients = compiled.batched(*[[p, p] for p in point])
        assert values.tolist() == [compiled(*point)[0]] * 2
        assert [g.tolist() for g in gradients] == [[g, g] for g in compiled(*point)[1]]


def test_relu_of_minus_zero_and_batched_underflow_replay_as_eager():
    numpy = pytest.importorskip("numpy")
    x = Value(1.0, label="x")
    compiled = autograd.compile((-x).relu().atan2(-1.0), [x], check=True)
    assert compiled(0.0) == compiled._eager([0.0])  # atan2(+0, −1) = π, not −π
    assert compiled.batched([0.0])[0].tolist() == [math.pi]
    squashed = autograd.compile(x.sigmoid(), [x])
    values, (slopes,) = squashed.batched([800.0, -800.0])  # e^(−800) underflows to 0
    assert values.tolist() == [1.0, 0.0] and slopes.tolist() == [0.0, 0.0]
    assert numpy.all(values == [squashed(800.0)[0], squashed(-800.0)[0]])


def test_batched_refuses_points_that_are_not_finite_and_says_when_numpy_is_missing(
    monkeypatch,
):
    pytest.importorskip("numpy")
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    compiled = autograd.compile(x * y, [x, y])
    with pytest.raises(DomainError, match="batched: column 0 holds nan at point 1: a graph"):
        compiled.batched([1.0, None], [2.0, 3.0])  # None: nan, as numpy reads it
    with pytest.raises(DomainError, match="column 1 holds inf at point 0"):
        compiled.batched([1.0], [math.inf])
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(ModuleNotFoundError, match='pip install "pathgrad\\[numpy\\]"'):
        autograd.compile(x * y, [x, y]).batched([1.0], [2.0])


def test_a_zero_gradient_has_the_eager_engines_sign():
    # The eager sum starts at 0.0, and 0.0 + (−0.0) is 0.0; the code's first term alone
    # would be −0.0 (0.0 · −1). check=True compares the signs of zeros too.
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    root = x - y * 0.0
    compiled = autograd.compile(root, [x, y], check=True)
    value, (grad_x, grad_y) = compiled(1.0, 2.0)
    assert (grad_x, grad_y) == autograd.grad(root, [x, y]) and math.copysign(1.0, grad_y) == 1.0
    assert math.copysign(1.0, float(compiled.batched([1.0], [2.0])[1][1][0])) == 1.0
    assert not autograd.engine.compiled._same((0.0,), (-0.0,))


def test_check_raises_when_replay_and_engine_disagree(monkeypatch):
    x = Value(2.0, label="x")
    root = x.sin() * x
    compiled = autograd.compile(root, [x], check=True)
    monkeypatch.setattr(compiled, "_function", lambda x, parameters: (0.0, (0.0,)))
    with pytest.raises(CompileMismatchError, match="the eager engine"):
        compiled(2.0)


def test_bad_arguments():
    x = Value(1.0)
    with pytest.raises(TypeError, match="leaf Value"):
        autograd.compile(x * x, [x * x])
    with pytest.raises(ValueError, match="twice"):
        autograd.compile(x * x, [x, x])
    with pytest.raises(TypeError, match="takes 1 input"):
        autograd.compile(x * x, [x])(1.0, 2.0)
    with pytest.raises(TypeError, match=r"compile: inputs\[1\] must be a leaf Value"):
        autograd.compile(x * x, [x, "y"])  # not reported as wrt[1], though wrt defaults to it
    with pytest.raises(TypeError, match=r"compile: wrt\[1\] must be a Value, not int 3"):
        autograd.compile(x * x, [x], wrt=[x, 3])
    with pytest.raises(TypeError, match=r"compile: extra\[0\] must be a Value, not str 'x'"):
        autograd.compile(x * x, [x], extra=["x"])
    with pytest.raises(TypeError, match="compile: extra must be a list of Values"):
        autograd.compile(x * x, [x], extra=3)
    with pytest.raises(TypeError, match=r"batched: column 1 must hold real numbers \(could not"):
        autograd.compile(x * x + x, [x, Value(2.0)]).batched([1.0], ["two"])


def test_labels_that_are_not_identifiers_and_user_ops_are_never_put_in_the_source():
    evil = Value(1.0, label="__import__('os').system('echo hi')")
    cube = autograd.define_op("cube", lambda v: v**3, lambda v: (3 * v**2,), code="BAD TEXT")
    try:
        root = cube(evil) + evil
        compiled = autograd.compile(root, [evil], check=True)
        assert "import" not in compiled.source and "BAD TEXT" not in compiled.source
        assert compiled(2.0) == (10.0, (13.0,))
    finally:
        autograd.undefine_op("cube")


def test_batched_replay_over_numpy_arrays_equals_replay_point_by_point():
    import numpy

    f, x, y = seed_graph()
    compiled = autograd.compile(f, [x, y])
    xs, ys = [3.0, -1.0, 0.5, 2.0], [2.0, 0.5, -4.0, 2.0]
    values, (grad_x, grad_y) = compiled.batched(xs, ys)
    for index, point in enumerate(zip(xs, ys)):
        value, (gx, gy) = compiled(*point)
        assert (values[index], grad_x[index], grad_y[index]) == (value, gx, gy)  # + - * only
    assert isinstance(values, numpy.ndarray) and values.shape == (4,)


def test_batched_parameter_gradients_are_summed_or_per_point():
    w = Value(0.5, label="w", role="parameter")
    x = Value(1.0, label="x")
    root = (w * x).relu() + (w * x).sigmoid() + w * w
    compiled = autograd.compile(root, [x], wrt=[w, x])
    xs = [2.0, -1.0, 0.0, 3.5]
    _, (summed, per_x) = compiled.batched(xs)
    _, (each, _) = compiled.batched(xs, reduce="none")
    singles = [compiled(value)[1][0] for value in xs]
    assert list(each) == singles  # math.exp on every element: the bits of a call
    assert summed == pytest.approx(sum(singles), rel=1e-14)  # numpy sums pairwise
    assert per_x.shape == (4,)
    with pytest.raises(ValueError, match="one length"):
        compiled.batched([[1.0, 2.0]])
    with pytest.raises(DomainError, match=r"batched, at point 1 \(-1.0,\): log of node 'x'"):
        autograd.compile(x.log(), [x]).batched([1.0, -1.0])


def test_a_graph_past_max_nodes_is_refused_before_any_source_is_written():
    x = Value(0.5, label="x")
    node = x
    for _ in range(50):
        node = node.sin()
    with pytest.raises(ValueError, match="51 nodes, more than max_nodes=50; .* about 1 s"):
        autograd.compile(node, [x], max_nodes=50)
    assert autograd.compile(node, [x], max_nodes=51)(0.5)[1][0] == grad(node, x)


def test_variable_names_never_collide_with_labels_helpers_or_each_other():
    """A node labelled v2 and a fallback name v2 once met: ``v2 = f * v2`` overwrote
    an input and gave grad f = 6 for f·v2 at v2 = 3."""
    f, v2 = Value(2.0, label="f"), Value(3.0, label="v2")
    root = f * v2
    root.label = "f"  # two nodes called f
    compiled = autograd.compile(root, [f, v2], check=True)
    assert compiled(2.0, 3.0) == (6.0, (3.0, 2.0))
    a, b, c = Value(2.0, label="v2"), Value(3.0, label="math"), Value(5.0, label="v1")
    twice = Value(7.0, label="v2")
    root = a * b + c * a + twice
    compiled = autograd.compile(root, [], wrt=[a, b, c, twice], check=True)
    assert compiled() == (root.data, autograd.grad(root, [a, b, c, twice]))
    header = compiled.source.splitlines()[0]
    assert "math" not in header and len(set(compiled.source.split())) > 10


def test_a_call_takes_real_numbers_as_value_does():
    x = Value(1.0, label="x")
    compiled = autograd.compile(x * x, [x])
    from fractions import Fraction

    for bad in ("1.5", None, 1j):
        with pytest.raises(TypeError, match="input 0 must be a real number"):
            compiled(bad)
    with pytest.raises(DomainError, match="input 0 is inf: .*finite"):
        compiled(math.inf)
    with pytest.raises(DomainError, match="input 0, <an integer of about 400 .*too large"):
        compiled(10**400)
    for number in (2, Fraction(2), True):  # everything Value(...) takes
        assert compiled(number) == (float(Value(number).data) ** 2, (2 * Value(number).data,))


def test_a_node_named_like_the_array_replays_power_helper_keeps_its_own_name():
    pytest.importorskip("numpy")
    power, x = Value(3.0, label="power"), Value(2.0, label="x")
    compiled = autograd.compile(x**power + power, [x, power])
    assert "power" not in compiled.source  # the node is v0: power() is the helper
    values, gradients = compiled.batched([2.0, 1.5], [3.0, -0.5])
    assert values.tolist() == [compiled(2.0, 3.0)[0], compiled(1.5, -0.5)[0]]
    assert [g.tolist() for g in gradients] == [
        list(pair) for pair in zip(compiled(2.0, 3.0)[1], compiled(1.5, -0.5)[1])
    ]


def test_a_call_runs_the_source_without_its_copies_dead_lines_and_single_use_names():
    xs = [Value(1.0, label="x1"), Value(2.0, label="x2")]
    ws = [Value(0.5, label="w1", role="parameter"), Value(-0.3, label="w2", role="parameter")]
    bias = Value(0.1, label="b", role="parameter")
    neuron = sum((w * x for w, x in zip(ws, xs)), bias).tanh()
    compiled = autograd.compile(neuron, xs, wrt=[*ws, bias], check=True)
    source, replayed = compiled.source, compiled.replayed_source
    assert "grad_mul1 = grad_add1" in source and "grad_mul1" not in replayed  # a copy
    assert "grad_x1 = " in source and "grad_x1" not in replayed  # x1 is not in wrt
    assert "mul1 = w1 * x1" in source and "mul1" not in replayed  # read once, where used
    assert replayed.count("\n") < source.count("\n") / 2
    for point in ([1.0, 2.0], [-3.0, 0.25]):
        leaves = [Value(value) for value in point]
        eager = sum((w * x for w, x in zip(ws, leaves)), bias).tanh()
        assert compiled(*point) == (eager.data, tuple(grad(eager, [*ws, bias])))


def test_a_long_sum_is_written_in_pieces_python_can_parse():
    x = Value(1.0, label="x")
    total = sum((x * float(k) for k in range(3000)), Value(0.0, label="s")).tanh()
    compiled = autograd.compile(total, [x])
    assert max(map(len, compiled.replayed_source.splitlines())) < 2000
    at_two = sum((Value(2.0) * float(k) for k in range(3000)), Value(0.0)).tanh()
    assert compiled(1e-7) == compiled._eager([1e-7])
    assert compiled(2.0)[0] == at_two.data


def test_constants_user_op_domains_and_rows_defined_again_replay_as_eager():
    x = Value(3.0, label="x")
    doubled = x * 2.0
    constant = doubled.parents[1]
    compiled = autograd.compile(doubled, [x], wrt=[x, constant])
    assert compiled(3.0) == (6.0, (2.0, 3.0)) == (6.0, tuple(grad(doubled, [x, constant])))
    with autograd.no_grad():
        frozen = x * 2.0
    with pytest.raises(ValueError, match="root is a constant"):
        autograd.compile(frozen, [x])
    with pytest.raises(ValueError, match=r"inputs\[0\] is a constant"):
        autograd.compile(doubled, [constant])

    square = autograd.define_op(
        "square_root_free",
        lambda v: v * v,
        lambda v: (2.0 * v,),
        domain=lambda v: "needs v >= 0" if v < 0 else None,
    )
    try:
        chained = autograd.compile(square(square(square(x))), [x])
        assert chained.source.count("_forward_square_root_free(") == 3  # one name per row
        assert "_forward_square_root_free_" not in chained.source
        compiled = autograd.compile(square(x), [x])
        assert compiled(2.0) == (4.0, (4.0,))
        with pytest.raises(DomainError, match="needs v >= 0"):
            compiled(-3.0)
        if importlib.util.find_spec("numpy"):
            with pytest.raises(DomainError, match="at point 1 .*needs v >= 0"):
                compiled.batched([2.0, -3.0])
    finally:
        autograd.undefine_op("square_root_free")

    twice = autograd.define_op("twice", lambda v: 2.0 * v, lambda v: (2.0,))
    old = twice(x)
    autograd.undefine_op("twice")
    thrice = autograd.define_op("twice", lambda v: 3.0 * v, lambda v: (3.0,))
    try:
        both = old + thrice(x)
        assert autograd.compile(both, [x])(3.0) == (15.0, (5.0,))
    finally:
        autograd.undefine_op("twice")


def test_inputs_and_wrt_must_be_lists_and_a_lone_value_is_told_so() -> None:
    x = Value(2.0, label="x")
    f = x * x
    with pytest.raises(TypeError, match=r"put it in a list: inputs=\[x\]"):
        autograd.compile(f, x)
    with pytest.raises(TypeError, match=r"put it in a list: wrt=\[x\]"):
        autograd.compile(f, [x], wrt=x)
    with pytest.raises(TypeError, match="inputs must be a list of leaf Values .* not set"):
        autograd.compile(f, {x})
    assert autograd.compile(f, [x])(3.0) == (9.0, (6.0,))


def test_a_complex_power_is_refused_as_the_eager_engine_refuses_it() -> None:
    # abs would make Python's complex (-8) ** (1/3) real again: the call must not go on.
    w, p = Value(1.5, label="w"), Value(8.0, label="p")
    compiled = autograd.compile(w * abs(p ** (1 / 3)), [w, p], wrt=[w])
    assert compiled(1.5, 8.0) == (3.0, (2.0,))
    with pytest.raises(DomainError, match=r"pow of node 'p' = -8.0.*is not a real number"):
        compiled(1.5, -8.0)
    with pytest.raises(DomainError, match="at point 1"):
        compiled.batched([1.5, 1.5], [8.0, -8.0])
    assert "**" in compiled.replayed_source  # the text keeps the operator


def test_an_infinite_gradient_nobody_asked_for_is_left_out_as_by_grad() -> None:
    x, y = Value(2.0, label="x"), Value(1.0, label="y")
    f = x * 3.0 + y.sqrt()
    compiled = autograd.compile(f, [x, y], wrt=[x], check=True)
    assert compiled(2.0, 0.0) == (6.0, (3.0,)) == (6.0, (grad(f, x),))
