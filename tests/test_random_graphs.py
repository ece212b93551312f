"""Backward on random expression graphs against sympy and central differences.

Graphs are drawn from the op table, reuse nodes freely (so many paths meet), and
include constants; points where an op is undefined are skipped at build time.
"""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd import OPS, DomainError, Value, apply, grad
from tests.test_ops import SYMPY_FORMS

LEAF_COUNT = 3
SYMBOLS = sympy.symbols(f"x0:{LEAF_COUNT}", real=True)
KINKED = {"relu", "abs", "sign"}  # a kink or jump where the input is 0
TIED = {"max", "min"}  # a kink where the two inputs are equal
# How far a node's input is from where the op's derivative blows up, jumps or is
# undefined; graphs with a node closer than 1e-2 are not compared with the oracles.
EDGE_DISTANCE = {
    "log": lambda x: abs(x),
    "sqrt": lambda x: abs(x),
    "div": lambda x, y: min(abs(x), abs(y)),
    "pow": lambda x, y: min(abs(x), abs(y)),
    "log2": lambda x: abs(x),
    "log10": lambda x: abs(x),
    "log1p": lambda x: abs(x + 1.0),
    "asin": lambda x: 1.0 - abs(x),
    "acos": lambda x: 1.0 - abs(x),
    "acosh": lambda x: x - 1.0,
    "atanh": lambda x: 1.0 - abs(x),
    "tan": lambda x: abs(math.cos(x)),
    # the origin, and the cut along the negative x-axis where the angle jumps
    "atan2": lambda y, x: math.hypot(x, y) if x >= 0.0 else min(abs(y), math.hypot(x, y)),
}


@st.composite
def programs(draw):
    """A random straight-line program: leaf values and a list of (op, operands)."""
    leaves = [draw(st.floats(-2.5, 2.5, allow_nan=False)) for _ in range(LEAF_COUNT)]
    steps = []
    for _ in range(draw(st.integers(1, 9))):
        op = draw(st.sampled_from(sorted(OPS)))
        operands = []
        for _ in range(OPS[op].arity):
            if draw(st.integers(0, 5)) == 0:
                operands.append(("constant", draw(st.sampled_from([0.5, 2.0, 3.0, -1.0]))))
            else:
                operands.append(("node", draw(st.integers(0, LEAF_COUNT + len(steps) - 1))))
        steps.append((op, operands))
    return leaves, steps


def run(leaves, steps, build):
    """Evaluate a program with ``build(op_name, inputs)``; None where it leaves the domain."""
    nodes = list(leaves)
    for op, operands in steps:
        inputs = [value if kind == "constant" else nodes[value] for kind, value in operands]
        try:
            nodes.append(build(op, inputs))
        except (DomainError, ZeroDivisionError, OverflowError, ValueError):
            return None
    return nodes


def smooth_enough(nodes, steps) -> bool:
    """No kink input near 0, no near tie, no input near an op's edge, no huge values,
    no undefined local derivative."""
    for node in nodes:
        if abs(node.data) > 1e5:
            return False
        if node.op in KINKED and abs(node.parents[0].data) < 1e-3:
            return False
        if node.op in TIED:
            first, second = node.parents
            if first is not second and abs(first.data - second.data) < 1e-3:
                return False  # one node twice is that node (the halves add to 1): kept
        if node.op in EDGE_DISTANCE:
            if EDGE_DISTANCE[node.op](*(p.data for p in node.parents)) < 1e-2:
                return False
        if any(not math.isfinite(local) for local in node.local_grads):
            return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs())
def test_backward_matches_sympy_and_central_differences(program):
    leaf_values, steps = program
    leaves = [Value(value, label=f"x{index}") for index, value in enumerate(leaf_values)]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None and smooth_enough(nodes, steps))
    root = nodes[-1]

    root.backward()
    backward_grads = [leaf.grad for leaf in leaves]
    assert tuple(backward_grads) == grad(root, leaves)  # the functional form agrees exactly

    expressions = run(list(SYMBOLS), steps, lambda op, inputs: SYMPY_FORMS[op](*inputs))
    substitutions = {symbol: value for symbol, value in zip(SYMBOLS, leaf_values)}
    for index, symbol in enumerate(SYMBOLS):
        exact = complex(sympy.N(sympy.diff(expressions[-1], symbol).subs(substitutions), 20))
        assert abs(exact.imag) < 1e-9
        assert backward_grads[index] == pytest.approx(exact.real, rel=1e-7, abs=1e-9)

    def evaluate(shifted):
        values = run(shifted, steps, lambda op, inputs: OPS[op].forward(*inputs))
        return values[-1]

    for index, value in enumerate(leaf_values):
        step = 1e-6 * max(1.0, abs(value))
        above, below = list(leaf_values), list(leaf_values)
        above[index] += step
        below[index] -= step
        numeric = (evaluate(above) - evaluate(below)) / (2 * step)
        assert backward_grads[index] == pytest.approx(numeric, rel=1e-4, abs=1e-4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(), st.integers(2, 4))
def test_repeated_backward_scales_leaf_grads_exactly(program, calls):
    leaf_values, steps = program
    leaves = [Value(value) for value in leaf_values]
    nodes = run(leaves, steps, lambda op, inputs: apply(op, *inputs))
    assume(nodes is not None and smooth_enough(nodes, steps))
    root = nodes[-1]
    root.backward()
    once = [leaf.grad for leaf in leaves]
    intermediates = [node.grad for node in nodes[LEAF_COUNT:]]
    for _ in range(calls - 1):
        root.backward()
    assert [leaf.grad for leaf in leaves] == [calls * g for g in once]
    assert [node.grad for node in nodes[LEAF_COUNT:]] == intermediates


@st.composite
def edgy_programs(draw):
    """Programs whose leaves sit on kinks and domain edges: 0, ±1, tiny and huge values."""
    edges = st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 1e-300, -1e-300, 700.0, 1e200, 1024.0])
    leaves = [draw(edges) for _ in range(LEAF_COUNT)]
    _, steps = draw(programs())
    return leaves, steps


@settings(max_examples=300, deadline=None)
@given(edgy_programs())
def test_kinks_and_domain_edges_fail_cleanly_or_follow_the_conventions(program):
    """Only DomainError ever escapes; a failed backward changes no grad; kinks give 0."""
    leaf_values, steps = program
    leaves = [Value(value) for value in leaf_values]
    nodes = list(leaves)
    for op, operands in steps:
        inputs = [value if kind == "constant" else nodes[value] for kind, value in operands]
        try:
            nodes.append(apply(op, *inputs))
        except DomainError:
            break  # the only exception an op may raise on a number
    for node in nodes:
        if node.op in KINKED and node.parents[0].data == 0.0:
            assert node.local_grads == (0.0,)
        if node.op in TIED and node.parents[0].data == node.parents[1].data:
            assert node.local_grads == (0.5, 0.5)
    root = nodes[-1]
    for leaf in leaves:
        leaf.grad = 0.5
    try:
        root.backward()
    except DomainError:
        assert all(leaf.grad == 0.5 for leaf in leaves)
    else:
        assert all(math.isfinite(node.grad) for node in nodes if node.role != "constant")
