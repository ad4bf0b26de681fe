"""Fitting the meaning projection: a linear discriminant that keeps labelled needs apart, on synthetic data."""

import numpy as np
import pytest

from signalen import meaning_fit


def _clouds(seed: int = 1, needs: int = 6, per: int = 20, dims: int = 40) -> tuple[np.ndarray, list[str]]:
    """Needs that differ in 3 directions only, drowned in strong noise in all the others."""
    rng = np.random.default_rng(seed)
    centres = np.zeros((needs, dims))
    centres[:, :3] = rng.standard_normal((needs, 3)) * 2
    scale = np.r_[np.full(3, 0.3), np.full(dims - 3, 3.0)]
    rows = np.vstack([centres[k] + rng.standard_normal((per, dims)) * scale for k in range(needs)])
    return rows, [f"nood-{k}" for k in range(needs) for _ in range(per)]


def _nearest_neighbour_accuracy(vectors: np.ndarray, labels: list[str]) -> float:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    found = np.asarray(labels)[sims.argmax(axis=1)]
    return float((found == np.asarray(labels)).mean())


def test_the_projection_finds_the_directions_that_tell_needs_apart():
    rows, labels = _clouds()
    raw = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    mean, projection = meaning_fit.fit(rows, labels, shrinkage=0.1, axes=5)
    fitted = meaning_fit.apply(rows, mean, projection)
    assert projection.shape == (40, 5)
    assert _nearest_neighbour_accuracy(fitted, labels) > _nearest_neighbour_accuracy(raw, labels) + 0.3
    new_rows, new_labels = _clouds(seed=1, per=5)  # same needs, new examples
    new_raw = new_rows / np.linalg.norm(new_rows, axis=1, keepdims=True)
    assert (_nearest_neighbour_accuracy(meaning_fit.apply(new_rows, mean, projection), new_labels)
            > _nearest_neighbour_accuracy(new_raw, new_labels) + 0.3)


def test_apply_gives_unit_rows_and_keeps_a_blank_row_blank():
    rows, labels = _clouds()
    mean, projection = meaning_fit.fit(rows, labels)
    out = meaning_fit.apply(np.vstack([rows[:2], np.zeros(40)]), mean, projection)
    assert np.linalg.norm(out[:2], axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    assert not out[2].any()


@pytest.mark.parametrize("labels", [[], ["a"] * 120, ["a", "b"]])
def test_fit_refuses_labels_that_do_not_fit(labels):
    rows, _ = _clouds()
    with pytest.raises(ValueError):
        meaning_fit.fit(rows, labels)
