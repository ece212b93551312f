"""Matrices as lists of rows of Values, for writing the seeds' matrix exercises directly.

``Z = X @ W`` is ``matmul(X, W)``; the result is again a list of rows, each entry a
Value whose graph leads back to the entries of X and W, so ``backward`` fills
∂L/∂X and ∂L/∂W entry by entry. Nothing here is fast; it is for exercises of a few
rows, where seeing every number matters more.

>>> X = values([[1, 2], [-1, 2]], name="X")
>>> W = values([[1, -1], [0.5, 0]], name="W")
>>> data(matmul(X, W))
[[2.0, -1.0], [0.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import mul
from typing import Any

from autograd import Value
from nn.activations import activation_function

__all__ = [
    "Matrix",
    "values",
    "data",
    "grads",
    "shape",
    "matmul",
    "transpose",
    "elementwise",
    "add",
    "softmax",
    "log_softmax",
    "logsumexp",
]

Matrix = list[list[Any]]
"""A list of rows, each a list of Values or numbers, all rows the same length."""


def shape(matrix: Sequence[Sequence[Any]]) -> tuple[int, int]:
    """(rows, columns), after checking every row has the same length."""
    if isinstance(matrix, Value) or not len(matrix) or isinstance(matrix[0], Value | int | float):
        raise ValueError(
            "expected a matrix: a non-empty list of rows, e.g. [[1, 2], [3, 4]]; "
            "write a column vector as [[a], [b]]"
        )
    columns = len(matrix[0])
    for index, row in enumerate(matrix):
        if len(row) != columns:
            raise ValueError(f"row {index} has {len(row)} entries but row 0 has {columns}")
    return len(matrix), columns


def values(
    rows: Sequence[Sequence[float]], name: str | None = None, role: str = "input"
) -> list[list[Value]]:
    """A matrix of leaf Values; with ``name`` each is labelled ``name[i,j]`` (from 0)."""
    shape(rows)
    return [
        [
            Value(entry, label=None if name is None else f"{name}[{i},{j}]", role=role)
            for j, entry in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]


def data(structure: Any) -> Any:
    """The same nesting of lists with each Value replaced by its ``.data``."""
    if isinstance(structure, Value):
        return structure.data
    if isinstance(structure, int | float):
        return float(structure)
    return [data(item) for item in structure]


def grads(structure: Any) -> Any:
    """The same nesting of lists with each Value replaced by its ``.grad``."""
    if isinstance(structure, Value):
        return structure.grad
    return [grads(item) for item in structure]


def matmul(left: Matrix, right: Matrix) -> Matrix:
    """The product: entry (i, j) is Σₖ left[i][k]·right[k][j].

    For a layer Z = X·W: ∂L/∂W = Xᵀ·∂L/∂Z and ∂L/∂X = ∂L/∂Z·Wᵀ, which backward
    reproduces entry by entry.
    """
    rows, inner = shape(left)
    inner_right, _ = shape(right)
    if inner != inner_right:
        raise ValueError(
            f"matmul: a {rows}×{inner} matrix times a {inner_right}×{len(right[0])} one; "
            "the inner sizes must agree (transpose one of them?)"
        )
    columns = transpose(right)
    result = []
    for row in left:
        result_row = []
        for column in columns:
            products = map(mul, row, column)
            result_row.append(sum(products, next(products)))
        result.append(result_row)
    return result


def transpose(matrix: Matrix) -> Matrix:
    """Rows become columns: result[j][i] = matrix[i][j]."""
    shape(matrix)
    return [list(column) for column in zip(*matrix)]


def elementwise(matrix: Matrix, function: str | Callable[[Value], Value]) -> Matrix:
    """Apply ``function`` (or an activation name: relu, tanh, sigmoid, linear) to each entry."""
    if isinstance(function, str):
        method = activation_function(function, "elementwise")
        function = (lambda entry: entry) if method is None else method
    shape(matrix)
    return [[function(_as_value(entry)) for entry in row] for row in matrix]


def add(left: Matrix, right: Matrix) -> Matrix:
    """Entry-wise sum; a one-row ``right`` is added to every row (a bias row)."""
    rows, columns = shape(left)
    right_rows, right_columns = shape(right)
    if right_columns != columns or right_rows not in (1, rows):
        raise ValueError(
            f"add: cannot add a {right_rows}×{right_columns} matrix to a {rows}×{columns} "
            "one; give the same shape or a single row"
        )
    return [
        [a + b for a, b in zip(row, right[0 if right_rows == 1 else index])]
        for index, row in enumerate(left)
    ]


def _as_value(entry: Any) -> Value:
    return entry if isinstance(entry, Value) else Value(entry, role="constant")


def _vector(vector: Sequence[Any], where: str) -> list[Value]:
    if isinstance(vector, Value) or not len(vector):
        raise ValueError(f"{where} needs a non-empty list of Values or numbers")
    return [_as_value(entry) for entry in vector]


def logsumexp(vector: Sequence[Value | float], shift: Value | float | None = None) -> Value:
    """log Σⱼ exp(zⱼ), computed as m + log Σⱼ exp(zⱼ − m) with m = max z (no overflow).

    m is a plain number taken from the data: shifting by a constant changes no
    gradient. ``shift`` gives m instead (a compiled graph takes it as an input, so
    that each example is shifted by its own max z).
    """
    entries = _vector(vector, "logsumexp")
    largest = max(entry.data for entry in entries) if shift is None else shift
    exponentials = [(entry - largest).exp() for entry in entries]
    return sum(exponentials[1:], exponentials[0]).log() + largest


def softmax(vector: Sequence[Value | float]) -> list[Value]:
    """gᵢ = exp(zᵢ) / Σⱼ exp(zⱼ), shifted by max z so no exponential overflows.

    Its Jacobian is ∂gᵢ/∂zⱼ = gᵢ(1[i = j] − gⱼ).
    """
    entries = _vector(vector, "softmax")
    largest = max(entry.data for entry in entries)
    exponentials = [(entry - largest).exp() for entry in entries]
    total = sum(exponentials[1:], exponentials[0])
    return [exponential / total for exponential in exponentials]


def log_softmax(vector: Sequence[Value | float]) -> list[Value]:
    """log gᵢ = zᵢ − logsumexp(z): finite even where gᵢ itself underflows to 0."""
    entries = _vector(vector, "log_softmax")
    log_total = logsumexp(entries)
    return [entry - log_total for entry in entries]
