"""The sentence-meaning module, with the real model from its package (no network)."""

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
    assert len(blob) == meaning.DIMENSIONS * 2
    back = meaning.from_bytes(blob)
    assert back is not None
    assert float(back @ vector) > 0.999


@pytest.mark.parametrize("blob", [None, b"", b"\x00" * 10, b"\x00" * (meaning.DIMENSIONS * 2)])
def test_missing_or_foreign_bytes_give_no_vector(blob):
    assert meaning.from_bytes(blob) is None


def test_to_bytes_refuses_a_vector_of_another_model():
    with pytest.raises(ValueError):
        meaning.to_bytes(np.ones(3, dtype=np.float32))


def test_signal_text_drops_markdown():
    text = meaning.signal_text("Geen bank", "**Niemand** kan er [zitten](https://x.be)")
    assert text == "Geen bank. Niemand kan er zitten"
