"""How well a grouping matches a labelled one: for the clustering tests and bench/clustering.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def adjusted_rand_index(labels_true: Sequence, labels_pred: Sequence) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985) of two labelings of the same items; 1.0 = identical."""
    if len(labels_true) != len(labels_pred):
        raise ValueError("labelings must have the same length")
    n = len(labels_true)
    if n < 2:
        return 1.0
    pairs = sum(c * (c - 1) // 2 for c in Counter(zip(labels_true, labels_pred, strict=True)).values())
    sum_a = sum(c * (c - 1) // 2 for c in Counter(labels_true).values())
    sum_b = sum(c * (c - 1) // 2 for c in Counter(labels_pred).values())
    expected = sum_a * sum_b / (n * (n - 1) // 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:  # only when both labelings are all-singletons or both one cluster: identical
        return 1.0
    return (pairs - expected) / (maximum - expected)


def pair_scores(labels_true: Sequence, labels_pred: Sequence) -> tuple[float, float, int]:
    """(precision, recall, predicted pairs) over pairs of items: a predicted pair is two items with the same
    predicted label; it is right when they also share the true label. No predicted pair → precision 0."""
    if len(labels_true) != len(labels_pred):
        raise ValueError("labelings must have the same length")
    both = sum(c * (c - 1) // 2 for c in Counter(zip(labels_true, labels_pred, strict=True)).values())
    predicted = sum(c * (c - 1) // 2 for c in Counter(labels_pred).values())
    actual = sum(c * (c - 1) // 2 for c in Counter(labels_true).values())
    return (both / predicted if predicted else 0.0), (both / actual if actual else 0.0), predicted
