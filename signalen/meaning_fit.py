"""Fitting the projection of signalen.meaning: a regularised linear discriminant over labelled signals.

Given feature rows (both encoders, signalen.meaning.features) and a need label per row, it finds the directions in
which signals of the same need lie close together and different needs far apart (Fisher's discriminant: the
within-need scatter, shrunk towards a multiple of the identity so that ~1 000 examples suffice for 896 features, is
whitened, and the between-need scatter's main axes in that space are kept). Used by `scripts/fit-betekenis` and by
bench/bundling_quality.py (which fits without the set it measures). Pure numpy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

SHRINKAGE = 0.5
AXES = 32
CATALOGUE = Path(__file__).resolve().parent / "data" / "noden.json"  # example signals per need


def catalogue(path: Path = CATALOGUE) -> tuple[list[str], list[str]]:
    """The catalogue's example texts and their labels ("noden:<slug>")."""
    needs = json.loads(path.read_text(encoding="utf-8"))
    return ([text for need in needs for text in need["voorbeelden"]],
            [f"noden:{need['slug']}" for need in needs for _ in need["voorbeelden"]])


def labelled_rows(path: Path) -> list[dict]:
    """A labelled set: JSON lines with id, thema, titel, omschrijving, plek, signaaltype, levensdomein, datum."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fit(features: np.ndarray, labels: Sequence[str], *, shrinkage: float = SHRINKAGE,
        axes: int = AXES) -> tuple[np.ndarray, np.ndarray]:
    """(mean, projection): meaning = unit((features - mean) @ projection), projection of shape (F, axes)."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels)
    if len(x) != len(y) or len(set(y.tolist())) < 2:
        raise ValueError("fit needs one label per row and at least two needs")
    mean = x.mean(axis=0)
    within = np.zeros((x.shape[1], x.shape[1]))
    between = np.zeros_like(within)
    for need in sorted(set(y.tolist())):
        rows = x[y == need]
        centre = rows.mean(axis=0)
        spread = rows - centre
        within += spread.T @ spread
        between += len(rows) * np.outer(centre - mean, centre - mean)
    within /= len(x)
    between /= len(x)
    within = (1 - shrinkage) * within + shrinkage * np.trace(within) / len(within) * np.eye(len(within))
    values, vectors = np.linalg.eigh(within)
    whiten = vectors @ np.diag(values ** -0.5) @ vectors.T
    _, axes_found = np.linalg.eigh(whiten @ between @ whiten)
    projection = whiten @ axes_found[:, ::-1][:, :axes]
    return mean.astype(np.float32), projection.astype(np.float32)


def apply(features: np.ndarray, mean: np.ndarray, projection: np.ndarray) -> np.ndarray:
    """unit((features - mean) @ projection) per row; a zero feature row (a blank text) stays a zero row."""
    rows = np.asarray(features, dtype=np.float32)
    out = np.zeros((len(rows), projection.shape[1]), dtype=np.float32)
    filled = np.flatnonzero(np.abs(rows).sum(axis=1) > 0)
    if len(filled):
        moved = (rows[filled] - mean) @ projection
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        out[filled] = moved / norms
    return out
