"""The sentence-meaning module, with the real models from their packages (no network), and its fitted projection."""

import numpy as np
import pytest

from signalen import meaning


def test_sentences_about_the_same_need_are_closer_than_unrelated_ones():
    seats, benches, bus = meaning.embed(
        [
            "Er is nergens om te zitten op het plein",
            "De banken op het plein zijn weggehaald, jongeren staan er nu gewoon",
            "De laatste bus naar huis rijdt al om negen uur",
        ]
    )
    assert float(seats @ benches) > float(seats @ bus) + 0.05


def test_vectors_are_unit_length_and_blank_text_gives_a_zero_row():
    vectors = meaning.embed(["Geen plek om te chillen", "   "])
    assert vectors.shape == (2, meaning.DIMENSIONS)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-4)
    assert not vectors[1].any()
    assert meaning.embed([]).shape == (0, meaning.DIMENSIONS)


def test_bytes_round_trip_keeps_the_direction():
    vector = meaning.embed_one("Het jeugdhuis is niet voor ons")
    blob = meaning.to_bytes(vector)
    assert len(blob) == meaning.BLOB_SIZE == 4 + meaning.DIMENSIONS * 2
    back = meaning.from_bytes(blob)
    assert back is not None
    assert float(back @ vector) > 0.999


@pytest.mark.parametrize("blob", [None, b"", b"\x00" * 10, b"\x00" * meaning.BLOB_SIZE,
                                  b"\x00" * (512 * 2)])  # the last: a vector of the single model of before
def test_missing_or_foreign_bytes_give_no_vector(blob):
    assert meaning.from_bytes(blob) is None
    assert meaning.from_many([blob]) == ([], pytest.approx(np.zeros((0, meaning.DIMENSIONS))))


def test_a_vector_of_another_version_reads_as_none_so_it_is_embedded_again():
    blob = bytearray(meaning.to_bytes(meaning.embed_one("Geen plek om te chillen")))
    blob[0] ^= 0xFF  # another projection or other models
    assert meaning.from_bytes(bytes(blob)) is None
    assert meaning.from_many([bytes(blob), meaning.to_bytes(meaning.embed_one("Bus"))])[0] == [1]


def test_the_projection_keeps_needs_apart_better_than_the_wording():
    """Same need in other words scores higher than another need that shares the words."""
    seats, benches, bus_stop = meaning.embed([
        "Nergens om te zitten op het plein",
        "De banken zijn weggehaald, we staan de hele avond recht",
        "Het plein aan de bushalte is 's avonds donker en we zitten er niet graag",
    ])
    assert float(seats @ benches) > float(seats @ bus_stop)


def test_features_are_both_models_side_by_side():
    rows = meaning.features(["Geen plek om te chillen", ""])
    assert rows.shape == (2, meaning.FEATURES)
    assert np.linalg.norm(rows[0, :512]) == pytest.approx(2**-0.5, abs=1e-4)
    assert np.linalg.norm(rows[0, 512:]) == pytest.approx(2**-0.5, abs=1e-4)
    assert not rows[1].any()


def test_to_bytes_refuses_a_vector_of_another_model():
    with pytest.raises(ValueError):
        meaning.to_bytes(np.ones(3, dtype=np.float32))


def test_signal_text_drops_markdown():
    text = meaning.signal_text("Geen bank", "**Niemand** kan er [zitten](https://x.be)")
    assert text == "Geen bank. Niemand kan er zitten"


def test_the_shipped_projection_is_fitted_on_the_catalogue_and_every_labelled_set():
    """A labelled set added without running scripts/fit-betekenis again would not be learned from."""
    from pathlib import Path

    root = Path(meaning.__file__).resolve().parents[1]
    with np.load(meaning.PROJECTION) as data:
        sources = " ".join(str(source) for source in data["sources"])
    expected = ["signalen/data/noden.json", *(str(path.relative_to(root))
                                               for path in (root / "tests/overleg/data").glob("*.jsonl"))]
    assert all(name in sources for name in expected), (expected, sources)
