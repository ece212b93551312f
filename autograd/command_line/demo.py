"""``pathgrad demo``: the seed graph exercise, end to end.

f(x, y) = x² + xy + (x + y)² at x = 3, y = 2 (problem sheet 5, exercise 1):
the value, the gradients, and one line per backward step; then a small MLP
trained on two moons with a progress bar, and its accuracy.
"""

from __future__ import annotations

from pathlib import Path

from autograd import Value


def seed_graph(x: float = 3.0, y: float = 2.0) -> tuple[Value, Value, Value]:
    """Build f = x² + xy + (x+y)² with the exercise's names for the inner nodes."""
    x_node, y_node = Value(x, label="x"), Value(y, label="y")
    a = x_node**2
    a.label = "a"
    b = x_node * y_node
    b.label = "b"
    c = x_node + y_node
    c.label = "c"
    d = a + b
    d.label = "d"
    e = c**2
    e.label = "e"
    f = d + e
    f.label = "f"
    return f, x_node, y_node


def show_seed_graph() -> None:
    from autograd.views.steps import backward_steps

    f, x, y = seed_graph()
    f.backward()
    table = backward_steps(f).table()  # the same pass as f.backward(), kept step by step
    print("f(x, y) = x² + xy + (x + y)²  at x = 3, y = 2")
    print(f"f = {f.data:g}")
    print(f"∂f/∂x = {x.grad:g}   (2x + y + 2(x + y))")
    print(f"∂f/∂y = {y.grad:g}   (x + 2(x + y))")
    print()
    print(table.to_text())


def write_seed_graph_image(path: str | Path = "seed_graph.png") -> Path:
    """Draw the seed graph after backward (formulas on the edges) to ``path``; return it."""
    from autograd.views.drawing import draw

    f, _, _ = seed_graph()
    f.backward()
    drawing = draw(f, derivatives="formula", title="f = x² + xy + (x + y)²  at x = 3, y = 2")
    return Path(drawing.save(path)).resolve()


def train_moons(seed: int = 0) -> tuple[float, float]:
    """Train an MLP 2-8-8-1 on 80 two-moons points (hinge loss, Adam), with a progress bar.

    Deterministic for a given seed, and a few seconds long. Prints and returns the
    final (train accuracy, test accuracy).
    """
    import nn  # the engine never needs nn; only this demo does

    X, y = nn.make_moons(80, noise=0.1, seed=seed)
    X_train, X_test, y_train, y_test = nn.train_test_split(X, nn.signed_labels(y), seed=seed)
    model = nn.MLP(2, [8, 8, 1], seed=seed)
    # Flushed so the line comes before tqdm's bar on stderr even when stdout is a pipe.
    print(f"training {model} on {len(X_train)} two-moons points (hinge loss, Adam):", flush=True)
    nn.fit(
        model,
        X_train,
        y_train,
        loss="hinge",
        optimizer=nn.Adam(model, lr=0.03),
        epochs=25,
        batch_size=10,
        seed=seed,
    )
    train_accuracy = nn.binary_accuracy([model(x) for x in X_train], y_train)
    test_accuracy = nn.binary_accuracy([model(x) for x in X_test], y_test)
    # The bar's acc is the mean over the last epoch's batches as they trained; this
    # is the trained model's, so the two can differ.
    print(
        f"accuracy after training: {train_accuracy:.1%} on the training set, "
        f"{test_accuracy:.1%} on {len(X_test)} held-out points"
    )
    return train_accuracy, test_accuracy


def main() -> int:
    show_seed_graph()
    print(f"the graph, with each edge's local derivative: {write_seed_graph_image()}")
    train_moons()
    return 0
