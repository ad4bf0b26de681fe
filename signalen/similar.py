"""Similar signals: which stored signals of the same gemeente resemble a signal, a draft or a dossier, and why.

`similar_signals` is pure: it scores candidates the caller chose (under its own tenancy condition: only the target's
gemeente, never the target itself) by sentence meaning, mixed with the same place, type, life domain and recency,
and keeps only what clears a minimum. The async functions below choose those candidates for the register roles and
leave out signals whose text the privacy guard now flags without anyone having confirmed it.

Thresholds were set on the meaning vectors of signalen.meaning (the projection that tells needs apart), measured on
the labelled sets in tests/overleg/data with a projection fitted without the set measured (bench/bundling_quality.py):
of the pairs of signals with a cosine of at least 0.5, 0.64-0.75 are about the same need, at 0.6 0.81-0.84, at 0.7
0.87-0.93. So meaning below 0.45 never makes a signal similar, it counts fully from 0.75, "zelfde betekenis" is said
from 0.6, and the mixed score must reach 0.40 (meaning of 0.6 with a recent date, or less with the same place or type).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from common import dates
from signalen.meaning import DIMENSIONS

MIN_COSINE = 0.45  # below this the texts are about something else, whatever else they share
FULL_COSINE = 0.75  # from here on the meaning counts fully
SAME_COSINE = 0.60  # from here on: "zelfde betekenis"
MIN_SCORE = 0.40
WEIGHTS = {"betekenis": 0.60, "plek": 0.15, "signaaltype": 0.10, "levensdomein": 0.05, "recent": 0.10}
RECENT_DAYS = 365
MAX_LIMIT = 20


@dataclass(frozen=True)
class Similar:
    signaal: Mapping[str, Any]  # the candidate row as the caller selected it
    score: float  # 0..1, two decimals
    reden: str  # Dutch, for a person: why it is shown


@dataclass(frozen=True)
class Profile:
    """What a target brings: one or more meaning vectors (a dossier has one per member) and its attributes."""

    vectors: np.ndarray  # (k, DIMENSIONS), unit rows
    plekken: frozenset[str]
    signaaltypes: frozenset[int]
    levensdomeinen: frozenset[int]


def _place(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def profile(rows: Iterable[Mapping[str, Any]], vectors: Sequence[np.ndarray]) -> Profile:
    """A target made of rows (one signal, a draft, or a dossier's members) and their vectors."""
    rows = list(rows)
    stacked = np.vstack(list(vectors)).astype(np.float32) if len(vectors) else np.zeros((0, DIMENSIONS), np.float32)
    return Profile(
        vectors=stacked,
        plekken=frozenset(p for p in (_place(r.get("plek")) for r in rows) if p),
        signaaltypes=frozenset(r["signaaltype"] for r in rows if r.get("signaaltype")),
        levensdomeinen=frozenset(r["levensdomein"] for r in rows if r.get("levensdomein")),
    )


def _recency(datum: Any, today: dt.date) -> float:
    if isinstance(datum, str):
        datum = dt.date.fromisoformat(datum[:10])
    if isinstance(datum, dt.datetime):
        datum = datum.date()
    if not isinstance(datum, dt.date):
        return 0.0
    return max(0.0, 1.0 - abs((today - datum).days) / RECENT_DAYS)


def similar_signals(target: Profile, candidates: Sequence[Mapping[str, Any]], vectors: Mapping[int, np.ndarray],
                    limit: int = 3, *, today: dt.date | None = None) -> list[Similar]:
    """The `limit` best candidates that clear the minimum, best first. Candidates without a vector are skipped;
    candidate rows carry `id`, `plek`, `datum`, `signaaltype` and `levensdomein` (ids), optionally the names
    `signaaltype_naam` / `levensdomein_naam` for the reason."""
    today = today or dates.today()
    usable = [row for row in candidates if row["id"] in vectors]
    if not usable or not len(target.vectors) or limit < 1:
        return []
    cand = np.vstack([vectors[row["id"]] for row in usable]).astype(np.float32)
    cosines = (cand @ target.vectors.T).max(axis=1)  # a dossier: the best-fitting member counts
    scored: list[tuple[float, float, Mapping[str, Any], list[str]]] = []
    for row, cosine in zip(usable, cosines.tolist(), strict=True):
        if cosine < MIN_COSINE:
            continue
        meaning = min(1.0, (cosine - MIN_COSINE) / (FULL_COSINE - MIN_COSINE))
        score = WEIGHTS["betekenis"] * meaning
        reasons = ["zelfde betekenis" if cosine >= SAME_COSINE else "verwante betekenis"]
        plek = _place(row.get("plek"))
        if plek and plek in target.plekken:
            score += WEIGHTS["plek"]
            reasons.append(f"zelfde plek ({' '.join(str(row['plek']).split())})")
        if row.get("signaaltype") and row["signaaltype"] in target.signaaltypes:
            score += WEIGHTS["signaaltype"]
            naam = row.get("signaaltype_naam")
            reasons.append(f"zelfde signaaltype ({naam})" if naam else "zelfde signaaltype")
        if row.get("levensdomein") and row["levensdomein"] in target.levensdomeinen:
            score += WEIGHTS["levensdomein"]
            naam = row.get("levensdomein_naam")
            reasons.append(f"zelfde levensdomein ({naam})" if naam else "zelfde levensdomein")
        score += WEIGHTS["recent"] * _recency(row.get("datum"), today)
        if score >= MIN_SCORE:
            scored.append((round(min(1.0, score), 2), cosine, row, reasons))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [Similar(row, score, "; ".join(reasons)) for score, _cos, row, reasons in scored[:limit]]


# ----------------------------------------------------------------------------- a suggested type and life domain

VOTE_NEIGHBOURS = 7
VOTE_SHARE = 0.6
VOTE_MIN = 3


def vote(target: np.ndarray, neighbours: Sequence[Mapping[str, Any]], vectors: Mapping[int, np.ndarray],
         key: str) -> Any | None:
    """The value of `key` most of the nearest neighbours share, weighted by meaning; None unless confident
    (at least VOTE_MIN neighbours with the value, holding VOTE_SHARE of the weight of the nearest)."""
    usable = [row for row in neighbours if row["id"] in vectors]
    if not usable:
        return None
    cosines = np.vstack([vectors[row["id"]] for row in usable]) @ target
    order = np.argsort(-cosines)[:VOTE_NEIGHBOURS]
    weights: dict[Any, float] = {}
    counts: dict[Any, int] = {}
    total = 0.0
    for index in order.tolist():
        cosine = float(cosines[index])
        if cosine < MIN_COSINE:
            break
        total += cosine
        value = usable[index].get(key)
        if value is not None:
            weights[value] = weights.get(value, 0.0) + cosine
            counts[value] = counts.get(value, 0) + 1
    if not weights or total <= 0:
        return None
    best = max(weights, key=lambda value: weights[value])
    return best if counts[best] >= VOTE_MIN and weights[best] / total >= VOTE_SHARE else None
