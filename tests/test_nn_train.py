"""fit, History, accuracy helpers and the decision-boundary plot."""

from __future__ import annotations

import pytest

import nn
from autograd import DomainError, Value


def test_accuracy_helpers():
    assert nn.accuracy([1, 0, 1, 1], [1, 1, 1, 0]) == 0.5
    scores = [Value(2.0), Value(-0.5), Value(0.1)]
    assert nn.binary_accuracy(scores, [1, -1, -1]) == pytest.approx(2 / 3)
    assert nn.binary_accuracy(scores, [1, 0, 0]) == pytest.approx(2 / 3)
    assert nn.binary_accuracy([0.7, 0.2], [1, 0], threshold=0.5) == 1.0
    logits = [[Value(0.1), Value(2.0)], [Value(3.0), Value(-1.0)]]
    assert nn.multiclass_accuracy(logits, [1, 1]) == 0.5
    assert nn.multiclass_accuracy(logits, [[0, 1], [1, 0]]) == 1.0
    with pytest.raises(ValueError, match="2 predictions but 3 labels"):
        nn.accuracy([1, 0], [1, 0, 1])


def test_fit_learns_xor_and_records_every_epoch(capsys):
    X, y = nn.make_xor(40, seed=0)
    X_test, y_test = nn.make_xor(20, seed=1)
    model = nn.MLP(2, [8, 1], activation="tanh", init="xavier", seed=0)
    history = nn.fit(
        model,
        X,
        y,
        loss="bce_with_logits",
        optimizer=nn.Adam(model, lr=0.05),
        epochs=60,
        batch_size=10,
        test=(X_test, y_test),
        progress=False,
    )
    assert history.epochs == 60
    assert len(history.accuracy) == len(history.test_loss) == len(history.test_accuracy) == 60
    assert history.loss[-1] < history.loss[0] / 3
    assert history.accuracy[-1] >= 0.9
    assert history.test_accuracy[-1] >= 0.8
    assert capsys.readouterr().err == ""  # silenced
    assert "60 epochs" in repr(history)
    assert set(history.as_dict()) == {"loss", "accuracy", "test_loss", "test_accuracy"}


def test_fit_shows_a_progress_bar_with_loss_and_accuracy_on_stderr(capsys):
    X, y = nn.make_moons(20, seed=0)
    nn.fit(nn.MLP(2, [4, 1], seed=0), X, nn.signed_labels(y), epochs=2, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "training" in captured.err and "loss=" in captured.err and "acc=" in captured.err


def test_fit_is_deterministic():
    X, y = nn.make_moons(30, seed=2)
    runs = []
    for _ in range(2):
        model = nn.MLP(2, [6, 1], seed=5)
        history = nn.fit(model, X, nn.signed_labels(y), epochs=4, batch_size=8, progress=False)
        runs.append((history.loss, model.state()))
    assert runs[0] == runs[1]


def test_fit_regression_has_no_accuracy_and_custom_losses_work():
    X = [[x / 10] for x in range(-10, 11)]
    y = [2 * x[0] + 1 for x in X]
    model = nn.Neuron(1, activation="linear", seed=0)
    history = nn.fit(model, X, y, loss="mse", epochs=200, lr=0.3, progress=False)
    assert history.accuracy[-1] is None
    assert model.w[0].data == pytest.approx(2.0, abs=1e-3)
    assert model.b.data == pytest.approx(1.0, abs=1e-3)
    custom = nn.fit(
        nn.Neuron(1, activation="linear"),
        X,
        y,
        loss=nn.half_sum_squared_error,
        epochs=3,
        lr=0.01,
        progress=False,
    )
    assert custom.loss[-1] < custom.loss[0]


def test_fit_with_l2_shrinks_weights():
    X, y = nn.make_moons(30, seed=0)
    norms = []
    for l2 in (0.0, 0.5):
        model = nn.MLP(2, [6, 1], seed=0)
        nn.fit(model, X, nn.signed_labels(y), epochs=20, lr=0.05, l2=l2, progress=False)
        norms.append(sum(p.data**2 for p in model.parameters()))
    assert norms[1] < norms[0]


def test_fit_refuses_bad_arguments():
    with pytest.raises(ValueError, match="unknown loss 'hinged'"):
        nn.fit(nn.MLP(2, [1]), [[0, 0]], [1], loss="hinged", progress=False)
    with pytest.raises(ValueError, match="2 inputs but 1 labels"):
        nn.fit(nn.MLP(2, [1]), [[0, 0], [1, 1]], [1], progress=False)
    model = nn.MLP(2, [1], seed=0)
    before = [p.data for p in model.parameters()]
    for l2 in (float("nan"), -1.0, float("inf"), "1e-4"):
        with pytest.raises(ValueError, match="l2 must be a finite number >= 0"):
            nn.fit(model, [[0, 0]], [1], l2=l2, progress=False)
    for switch in ("shuffle", "progress", "compile"):
        with pytest.raises(TypeError, match=f"fit: {switch} must be True or False, not 'false'"):
            nn.fit(model, [[0, 0]], [1], **{"progress": False, switch: "false"})
    assert [p.data for p in model.parameters()] == before


def test_predict_gives_floats():
    model = nn.MLP(2, [3, 2], seed=0)
    outputs = nn.predict(model, [[0.0, 1.0]])
    assert outputs == [[value.data for value in model([0.0, 1.0])]]
    assert isinstance(nn.predict(nn.MLP(2, [1]), [[0.0, 1.0]])[0], float)


def test_decision_boundary_plot_colours_regions_by_prediction():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    X, y = nn.make_blobs(20, centers=[[-2, 0], [2, 0]], spread=0.3, seed=0)
    model = nn.Neuron(2, activation="linear", seed=0)
    model.w[0].data, model.w[1].data, model.b.data = 1.0, 0.0, 0.0  # boundary x₁ = 0
    ax = nn.plot_decision_boundary(model, X, y, resolution=20, title="blobs")
    assert ax.get_title() == "blobs"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    # The boundary line drawn is the vertical line x₁ = 0.
    lines = [
        path.vertices
        for collection in ax.collections
        if hasattr(collection, "get_paths")
        for path in collection.get_paths()
        if len(path.vertices) and max(abs(v[0]) for v in path.vertices) < 1e-9
    ]
    assert lines
    figure = ax.figure
    figure.canvas.draw()  # as savefig does: the legend beside the axes stays on the page
    legend, page = ax.get_legend().get_window_extent(), figure.bbox
    assert page.x0 <= legend.x0 and legend.x1 <= page.x1 and legend.y1 <= page.y1
    matplotlib.pyplot.close(figure)


def test_decision_boundary_plot_refuses_non_2d_data():
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="2 coordinates"):
        nn.plot_decision_boundary(nn.MLP(3, [1]), [[0, 0, 0]], [0])


def test_the_demo_trains_moons_and_prints_the_accuracy(capsys):
    from autograd.command_line.demo import train_moons

    train_accuracy, test_accuracy = train_moons()
    assert train_accuracy >= 0.95 and test_accuracy >= 0.8
    printed = capsys.readouterr().out
    assert f"accuracy after training: {train_accuracy:.1%} on the training set" in printed
    assert train_moons() == (train_accuracy, test_accuracy)  # seeded: the same every run


def test_fit_pauses_the_cycle_collector_only_inside_its_steps():
    import gc

    import autograd

    seen = []

    def loss(predictions, labels):
        seen.append(gc.isenabled())
        return nn.mse(predictions, labels)

    model = nn.MLP(2, [3, 1], seed=0)
    nn.fit(model, [[0.1, 0.2], [0.3, -0.4]], [1.0, -1.0], loss=loss, epochs=2, progress=False)
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        with autograd.collector_paused():
            pass
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "loss, targets", [("hinge", "signed"), ("mse", "raw"), ("half_sum_squared_error", "raw")]
)
@pytest.mark.parametrize("numpy_installed", [True, False])
def test_fit_compiled_equals_the_eager_loop(loss, targets, numpy_installed, monkeypatch):
    import builtins

    if not numpy_installed:  # the per-example replay over floats
        real_import = builtins.__import__

        def no_numpy(name, *arguments, **keywords):
            if name == "numpy":
                raise ImportError("numpy is hidden for this test")
            return real_import(name, *arguments, **keywords)

        monkeypatch.setattr(builtins, "__import__", no_numpy)
    X, y = nn.make_moons(40, seed=3)
    labels = nn.signed_labels(y) if targets == "signed" else [0.5 * label for label in y]
    # Adam on a full batch is the hard case: a gradient that is 0 up to rounding has
    # its last bits divided by √v, so a sum in another order gives another run.
    for make_optimizer, batch_size, activation in [
        (lambda model: nn.Adam(model, lr=0.05), None, "tanh"),
        (lambda model: nn.SGD(model, lr=0.05, momentum=0.9), 10, "relu"),
    ]:
        runs = []
        for compiled in (False, True):
            model = nn.MLP(2, [6, 1], activation=activation, seed=1)
            history = nn.fit(
                model,
                X,
                labels,
                loss=loss,
                epochs=8,
                batch_size=batch_size,
                l2=1e-3,
                optimizer=make_optimizer(model),
                progress=False,
                compile=compiled,
            )
            runs.append((history.loss, history.accuracy, [p.data for p in model.parameters()]))
        assert runs[1] == runs[0]  # to the last bit


@pytest.mark.parametrize(
    "batch_size, init, targets",
    [(20, "uniform", "classes"), (None, "zeros", "classes"), (7, "uniform", "probabilities")],
)
def test_fit_compiled_with_softmax_cross_entropy_equals_the_eager_loop(batch_size, init, targets):
    """All logits equal (init zeros) ties max z; a full batch with Adam grows any last
    bit of a bias gradient that is 0 up to rounding: neither may differ."""
    X, y = nn.make_blobs(60, centers=3, seed=2)
    if targets == "probabilities":
        y = [[0.8 if k == label else 0.1 for k in range(3)] for label in y]
    runs = []
    for compiled in (False, True):
        model = nn.MLP(2, [5, 3], init=init, seed=4)
        history = nn.fit(
            model,
            X,
            y,
            loss="cross_entropy",
            epochs=8,
            batch_size=batch_size,
            optimizer=nn.Adam(model, lr=0.05),
            test=(X[:10], y[:10]),
            progress=False,
            compile=compiled,
        )
        runs.append((history.as_dict(), [p.data for p in model.parameters()]))
    assert runs[1] == runs[0]  # to the last bit


def test_fit_compiled_refuses_what_it_cannot_replay():
    model = nn.MLP(2, [3, 2], seed=0)
    with pytest.raises(ValueError, match="compile=False"):
        nn.fit(
            model,
            [[0.0, 1.0]],
            [1.0],
            loss="bce_with_logits",
            epochs=1,
            progress=False,
            compile=True,
        )
    with pytest.raises(ValueError, match="one output"):
        nn.fit(model, [[0.0, 1.0]], [1.0], loss="mse", epochs=1, progress=False, compile=True)
    with pytest.raises(ValueError, match="no samples"):
        nn.fit(model, [], [], loss="mse", epochs=1, progress=False, compile=True)


class _Twice(nn.Module):
    """One neuron applied twice: each weight is used twice per example (tied weights)."""

    def __init__(self):
        self.inner = nn.Neuron(2, activation="tanh", seed=3)
        self.label_parameters()

    def named_parts(self):
        return [("inner", self.inner)]

    def forward(self, x):
        hidden = self.inner(x)
        return self.inner([hidden, hidden])


@pytest.mark.parametrize("batch_size", [None, 7])
def test_fit_compiled_with_tied_weights_equals_the_eager_loop(batch_size):
    X, y = nn.make_moons(30, seed=2)
    runs = []
    for compiled in (False, True):
        model = _Twice()
        history = nn.fit(
            model,
            X,
            [float(label) for label in y],
            loss="mse",
            optimizer=nn.Adam(model, lr=0.05),
            epochs=12,
            batch_size=batch_size,
            l2=1e-3,
            progress=False,
            compile=compiled,
        )
        runs.append((history.loss, [p.data for p in model.parameters()]))
    assert runs[1] == runs[0]  # to the last bit


def test_fit_compiled_checks_targets_and_gives_a_custom_accuracy_values():
    X, y = nn.make_moons(20, seed=1)
    with pytest.raises(ValueError, match="hinge labels must be −1 or \\+1"):
        nn.fit(nn.MLP(2, [3, 1]), X, y, loss="hinge", epochs=1, progress=False, compile=True)

    def mine(predictions, labels):  # written for Values: .data
        return sum((p.data > 0) == (t > 0) for p, t in zip(predictions, labels)) / len(labels)

    histories = [
        nn.fit(
            nn.MLP(2, [4, 1], seed=1),
            X,
            nn.signed_labels(y),
            loss="hinge",
            accuracy=mine,
            epochs=3,
            progress=False,
            compile=compiled,
        )
        for compiled in (False, True)
    ]
    assert histories[1].accuracy == histories[0].accuracy


def test_fit_compiled_batch_loss_is_the_eager_one_for_subnormal_errors():
    # Each squared error is one subnormal ulp, 5e-324: halving it alone gives 0, the
    # eager loss halves their sum.
    losses = [
        nn.fit(
            nn.MLP(2, [1], init="zeros", seed=0),
            [[1.0, 0.0], [0.0, 1.0]],
            [2.2e-162, 2.2e-162],
            loss="half_sum_squared_error",
            epochs=1,  # the loss is taken before the update
            progress=False,
            compile=compiled,
        ).loss
        for compiled in (False, True)
    ]
    assert losses[1] == losses[0] == [5e-324]


def test_fit_compiled_cross_entropy_shifts_each_example_by_its_own_max():
    # The graph is compiled from X[0], whose logits are near 0; X[1]'s reach 1377.7,
    # and the first example's shift would overflow exp there.
    for X in ([[0.0], [2000.0]], [[2000.0], [0.0]]):
        losses = [
            nn.fit(
                nn.MLP(1, [3], seed=0),
                X,
                [0, 1],
                loss="cross_entropy",
                epochs=1,
                lr=1e-6,
                progress=False,
                compile=compiled,
            ).loss
            for compiled in (False, True)
        ]
        assert losses[1] == losses[0]


@pytest.mark.parametrize("compiled", [False, True])
def test_fit_checks_every_target_before_the_first_step(compiled):
    X, y = nn.make_moons(20, seed=1)
    labels = nn.signed_labels(y)
    model = nn.MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="fit: targets: hinge: label 7 is 0.5"):
        nn.fit(
            model,
            X,
            [*labels[:7], 0.5, *labels[8:]],
            loss="hinge",
            batch_size=4,
            epochs=1,
            progress=False,
            compile=compiled,
        )
    with pytest.raises(ValueError, match="fit: test targets: hinge: label 1"):
        nn.fit(
            model,
            X,
            labels,
            loss="hinge",
            test=(X[:2], [1.0, 2.0]),
            epochs=1,
            progress=False,
            compile=compiled,
        )
    assert [p.data for p in model.parameters()] == before  # no step was taken


@pytest.mark.parametrize("compiled", [False, True])
def test_fit_takes_numpy_rows_as_lists(compiled):
    numpy = pytest.importorskip("numpy")
    X, y = nn.make_moons(20, seed=1)
    labels = nn.signed_labels(y)
    runs = [
        nn.fit(
            nn.MLP(2, [3, 1], seed=0),
            rows,
            labels,
            loss="hinge",
            epochs=2,
            progress=False,
            compile=compiled,
        ).loss
        for rows in (numpy.array(X), X)
    ]
    assert runs[0] == runs[1]


class _Branch(nn.Module):
    """a·x for positive x, c·x otherwise: an if on the data, fixed in a compiled graph."""

    def __init__(self):
        self.a = Value(0.5, label="a", role="parameter")
        self.c = Value(-0.7, label="c", role="parameter")

    def named_parts(self):
        return [("a", self.a), ("c", self.c)]

    def forward(self, x):
        return self.a * x[0] if x[0] > 0 else self.c * x[0]


def test_fit_compiled_refuses_a_model_that_branches_on_the_data():
    model = _Branch()
    with pytest.raises(ValueError, match="for example 1 the compiled graph .* compile=False"):
        nn.fit(
            model, [[1.0], [-1.0]], [1.0, 1.0], loss="mse", epochs=1, progress=False, compile=True
        )
    assert (model.a.data, model.c.data) == (0.5, -0.7)
    history = nn.fit(model, [[1.0], [-1.0]], [1.0, 1.0], loss="mse", epochs=1, progress=False)
    assert history.loss == [((0.5 - 1.0) ** 2 + (0.7 - 1.0) ** 2) / 2]


def test_fit_refuses_an_optimizer_of_another_model_or_not_an_optimizer() -> None:
    X, y = [[0.0, 1.0], [1.0, 0.0]], [1, -1]
    model = nn.MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    other = nn.SGD(nn.MLP(2, [3, 1], seed=0), lr=0.1)  # the cell re-run: a new model
    with pytest.raises(ValueError, match="none of this model's parameters"):
        nn.fit(model, X, y, loss="hinge", optimizer=other, epochs=1, progress=False)
    for wrong in ("adam", nn.Adam):
        with pytest.raises(TypeError, match="optimizer must be an optimizer made for this model"):
            nn.fit(model, X, y, loss="hinge", optimizer=wrong, epochs=1, progress=False)
    with pytest.raises(TypeError, match="must be an nn Module"):
        nn.fit(lambda x: x[0], X, y, loss="hinge", epochs=1, progress=False)
    assert [p.data for p in model.parameters()] == before

    # An optimizer of your own needs only step() and zero_grad().
    class HalfStep:
        def zero_grad(self):
            for p in model.parameters():
                p.grad = 0.0

        def step(self):
            for p in model.parameters():
                p.data -= 0.05 * p.grad

    nn.fit(model, X, y, loss="hinge", optimizer=HalfStep(), epochs=1, progress=False)
    assert [p.data for p in model.parameters()] != before
    before = [p.data for p in model.parameters()]
    # An optimizer of some of the parameters (a frozen first layer) still trains the rest.
    last_layer = nn.SGD(model.layers[-1].parameters(), lr=0.1)
    nn.fit(model, X, y, loss="hinge", optimizer=last_layer, epochs=1, progress=False)
    after = [p.data for p in model.parameters()]
    first = len(model.layers[0].parameters())
    assert after[:first] == before[:first] and after[first:] != before[first:]


def test_a_diverging_fit_names_the_epoch_and_the_learning_rate() -> None:
    X, y = nn.make_moons(60, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    optimizer = nn.SGD(model, lr=10.0)
    with pytest.raises(
        DomainError, match=r"^fit, epoch \d+ \(the last epoch's loss was .*lower the learning rate"
    ):
        nn.fit(
            model,
            X,
            nn.signed_labels(y),
            loss="mse",
            optimizer=optimizer,
            epochs=20,
            progress=False,
        )
