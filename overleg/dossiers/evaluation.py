"""How well a grouping matches a labelled one: for the clustering tests, bench/clustering.py and
bench/bundling_quality.py."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from overleg.dossiers.cluster_core import DossierProfile, SignalText


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


def hand_bundled(signals: Sequence[SignalText], themes: dict[int, str], seed: int
                 ) -> tuple[list[DossierProfile], list[SignalText], dict[int, str]]:
    """A seeded third of each need (at least one signal) as a dossier; the rest to match."""
    rng = random.Random(seed)
    per: dict[str, list[SignalText]] = defaultdict(list)
    for s in sorted(signals, key=lambda s: s.id):
        per[themes[s.id]].append(s)
    dossiers, rest, need_of = [], [], {}
    for k, need in enumerate(sorted(per)):
        members = per[need][:]
        rng.shuffle(members)
        cut = max(1, round(len(members) / 3))
        dossiers.append(DossierProfile(900000 + k, members[0].titel, "", tuple(members[:cut])))
        need_of[900000 + k] = need
        rest += members[cut:]
    return dossiers, rest, need_of
