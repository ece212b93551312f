"""Loss functions: a Value to call ``backward`` on, built from predictions and targets.

Predictions are Values (or one Value); targets are plain numbers (a Value target is
read as its number: no gradient flows into targets). Each loss checks
that there is one target per prediction and that the targets make sense for it
(hinge labels ±1, cross-entropy targets in [0, 1], class indices in range), and
says so clearly when they do not.

The derivative each loss sends back into the network, per sample (before the mean):

* mse, half_sum_squared_error:  ŷ − y (times 2/n for the mean form)
* hinge:                       −y where y·s < 1, else 0
* binary_cross_entropy:        (p − y) / (p(1 − p)) at the probability p
* bce_with_logits:             σ(z) − y at the logit z
* cross_entropy:               softmax(z) − y at the logits z
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from autograd import Value
from nn.matrix import logsumexp

__all__ = [
    "mse",
    "half_sum_squared_error",
    "hinge",
    "binary_cross_entropy",
    "logloss",
    "bce_with_logits",
    "cross_entropy",
    "l2_penalty",
]

Predictions = Value | Sequence[Value | float]
Targets = float | Sequence[float]


def _total(terms: list[Value]) -> Value:
    """Σ terms, starting from the first (no extra constant 0 in the graph)."""
    return sum(terms[1:], terms[0])


def _as_list(items: Any) -> list[Any]:
    if isinstance(items, Value | int | float):
        return [items]
    return list(items)


def _pairs(predictions: Predictions, targets: Targets, loss: str) -> list[tuple[Value, float]]:
    """Zip predictions with numeric targets, refusing mismatched lengths or non-numbers."""
    prediction_list, target_list = _as_list(predictions), _as_list(targets)
    if len(prediction_list) != len(target_list):
        raise ValueError(
            f"{loss}: {len(prediction_list)} predictions but {len(target_list)} targets; "
            "pass one target per prediction"
        )
    if not prediction_list:
        raise ValueError(f"{loss}: no predictions; a loss needs at least one sample")
    pairs = []
    for index, (prediction, target) in enumerate(zip(prediction_list, target_list)):
        given = target
        if isinstance(target, Value):
            target = target.data
        if isinstance(target, bool) or not isinstance(target, int | float):
            raise TypeError(
                f"{loss}: target {index} is {type(target).__name__} {target!r:.40}; "
                "targets must be numbers (one per prediction; did you pass a list of lists?)"
            )
        if not math.isfinite(target):
            raise ValueError(f"{loss}: target {index} is {target!r}; targets must be finite")
        if not isinstance(prediction, Value):
            if isinstance(prediction, bool) or not isinstance(prediction, int | float):
                raise TypeError(
                    f"{loss}: prediction {index} is {type(prediction).__name__}; expected a "
                    "Value (a model with several outputs gives lists: use cross_entropy)"
                )
            prediction = Value(prediction, role="constant")
        # A Value target stays a Value (a compiled graph's input: nn.fit(compile=True));
        # a number becomes a float.
        pairs.append((prediction, given if isinstance(given, Value) else float(target)))
    return pairs


def mse(predictions: Predictions, targets: Targets) -> Value:
    """Mean squared error: (1/n) Σᵢ (ŷᵢ − yᵢ)²."""
    pairs = _pairs(predictions, targets, "mse")
    return _total([(prediction - target) ** 2 for prediction, target in pairs]) / len(pairs)


def half_sum_squared_error(predictions: Predictions, targets: Targets) -> Value:
    """½ Σᵢ (ŷᵢ − yᵢ)², the seeds' form: its derivative at ŷᵢ is exactly ŷᵢ − yᵢ.

    (The seeds' C = ½‖a − y‖²; no division by n.)
    """
    pairs = _pairs(predictions, targets, "half_sum_squared_error")
    return 0.5 * _total([(prediction - target) ** 2 for prediction, target in pairs])


def hinge(scores: Predictions, labels: Targets) -> Value:
    """Max-margin loss (micrograd's demo): (1/n) Σᵢ max(0, 1 − yᵢ·sᵢ), labels yᵢ ∈ {−1, +1}."""
    pairs = _pairs(scores, labels, "hinge")
    for index, (_, label) in enumerate(pairs):
        if float(label) not in (-1.0, 1.0):
            raise ValueError(
                f"hinge: label {index} is {label!r}; hinge labels must be −1 or +1 "
                "(from 0/1 labels use nn.signed_labels(y))"
            )
    return _total([(1.0 - label * score).relu() for score, label in pairs]) / len(pairs)


def _check_probability_targets(pairs: list[tuple[Value, Any]], loss: str) -> None:
    for index, (_, target) in enumerate(pairs):
        if not 0.0 <= float(target) <= 1.0:
            raise ValueError(
                f"{loss}: target {index} is {target!r}; targets must be probabilities in "
                "[0, 1] (class labels 0 and 1; from −1/+1 labels use (y + 1) / 2)"
            )


def binary_cross_entropy(probabilities: Predictions, targets: Targets) -> Value:
    """Log-loss of probabilities: −(1/n) Σᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)].

    Needs 0 < p < 1 wherever its term is used; a saturated sigmoid reaches exactly 0
    or 1 in floats, so prefer ``bce_with_logits`` on the logits. A term whose weight
    (yᵢ or 1 − yᵢ) is 0 is left out of the graph, so p = 1 with y = 1 is fine.
    """
    pairs = _pairs(probabilities, targets, "binary_cross_entropy")
    _check_probability_targets(pairs, "binary_cross_entropy")
    terms = []
    for probability, target in pairs:
        if target == 1.0:
            terms.append(probability.log())
        elif target == 0.0:
            terms.append((1.0 - probability).log())
        else:
            terms.append(target * probability.log() + (1.0 - target) * (1.0 - probability).log())
    return -_total(terms) / len(pairs)


logloss = binary_cross_entropy


def _softplus(z: Value) -> Value:
    """log(1 + eᶻ), written so that no exponential overflows: z + log(1 + e⁻ᶻ) for z > 0.

    Both branches are smooth with derivative σ(z), so the branch point adds no kink.
    """
    if z.data > 0.0:
        return z + (1.0 + (-z).exp()).log()
    return (1.0 + z.exp()).log()


def bce_with_logits(logits: Predictions, targets: Targets) -> Value:
    """Binary cross-entropy of σ(z), computed from the logits z without forming σ(z):

    −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + eᶻ) − y·z, with derivative σ(z) − y.
    Finite for any z, where ``binary_cross_entropy(sigmoid(z))`` fails once σ(z) rounds to 1.
    """
    pairs = _pairs(logits, targets, "bce_with_logits")
    _check_probability_targets(pairs, "bce_with_logits")
    terms = [
        _softplus(logit) - target * logit if target else _softplus(logit) for logit, target in pairs
    ]
    return _total(terms) / len(pairs)


def _class_target(target: Any, classes: int, index: int) -> list[Any]:
    """A class index or a probability vector, as a probability vector.

    A vector of Values stays Values (a compiled graph's inputs: nn.fit(compile=True)).
    """
    if isinstance(target, Sequence) and target and all(isinstance(p, Value) for p in target):
        if len(target) != classes:
            raise ValueError(
                f"cross_entropy: target {index} has {len(target)} entries for {classes} logits"
            )
        return list(target)
    if isinstance(target, int) and not isinstance(target, bool):
        if not 0 <= target < classes:
            raise ValueError(
                f"cross_entropy: sample {index} has class {target}, but there are "
                f"{classes} logits (classes 0 to {classes - 1})"
            )
        return [1.0 if position == target else 0.0 for position in range(classes)]
    if isinstance(target, Sequence) and not isinstance(target, str):
        if len(target) != classes or not all(
            isinstance(p, int | float) and not isinstance(p, bool) and 0.0 <= p <= 1.0
            for p in target
        ):
            raise ValueError(
                f"cross_entropy: target {index} must be a class index or {classes} "
                f"probabilities in [0, 1], got {target!r:.60}"
            )
        if abs(sum(target) - 1.0) > 1e-9:
            raise ValueError(
                f"cross_entropy: target {index} sums to {sum(target)!r}; a target "
                "distribution must sum to 1"
            )
        return [float(p) for p in target]
    raise TypeError(
        f"cross_entropy: target {index} is {type(target).__name__}; give a class index "
        "(int) or a one-hot list"
    )


def cross_entropy(logits: Sequence[Any], targets: Any) -> Value:
    """Softmax cross-entropy from logits: (1/n) Σ [logsumexp(z) − Σₖ yₖ zₖ].

    ``logits`` is one sample (a list of Values) or a batch (a list of such lists);
    ``targets`` a class index / one-hot list, or one per sample. Equal to
    −Σₖ yₖ log softmax(z)ₖ but never takes the log of a rounded-to-zero probability.
    Its gradient at the logits is softmax(z) − y.
    """
    if not len(logits):
        raise ValueError("cross_entropy: no logits given")
    single = not isinstance(logits[0], Sequence)
    batch = [logits] if single else list(logits)
    batch_targets = [targets] if single else _as_list(targets)
    if len(batch) != len(batch_targets):
        raise ValueError(
            f"cross_entropy: {len(batch)} samples of logits but {len(batch_targets)} "
            "targets; pass one target per sample"
        )
    terms = [
        cross_entropy_term(row, _class_target(target, len(row), index))
        for index, (row, target) in enumerate(zip(batch, batch_targets))
    ]
    return _total(terms) / len(terms)


def cross_entropy_term(
    row: Sequence[Any], probabilities: Sequence[Any], shift: Value | None = None
) -> Value:
    """One sample's logsumexp(z) − Σₖ yₖ zₖ (``cross_entropy`` averages these).

    A target entry of 0 leaves its term out of the graph; ``shift`` is logsumexp's.
    """
    log_total = logsumexp(row, shift)
    picked = [
        p * z if isinstance(p, Value) else (z if p == 1.0 else p * z)
        for p, z in zip(probabilities, row)
        if isinstance(p, Value) or p
    ]
    return log_total - _total(picked)


def l2_penalty(parameters: Iterable[Value] | Any, strength: float) -> Value:
    """strength · Σ w², added to a loss to keep weights small (weight decay).

    Accepts a list of Values or a Module. Its gradient at w is 2·strength·w.
    """
    if hasattr(parameters, "parameters"):
        parameters = parameters.parameters()
    weights = list(parameters)
    if not weights:
        raise ValueError("l2_penalty: no parameters given")
    return strength * _total([weight * weight for weight in weights])
