"""Stored meaning: a signal is embedded once and its vector kept; nothing without text gets one."""

from __future__ import annotations

from signalen import embeddings, meaning
from signalen.tables import Signaal
from tests.support import make_signaal, sync


def _stored(signaal_id: int):
    rows = sync(Signaal.select(Signaal.betekenis).where(Signaal.id == signaal_id))
    return meaning.from_bytes(rows[0]["betekenis"])


def test_vectors_for_embeds_what_is_missing_and_keeps_it(werker):
    first = make_signaal(werker, titel="Nergens om te zitten op het plein")
    second = make_signaal(werker, titel="De laatste bus rijdt te vroeg")
    sync(Signaal.update({Signaal.betekenis: None}).where(Signaal.id.is_in([first["id"], second["id"]])))
    rows = sync(Signaal.select(*embeddings.COLUMNS).where(Signaal.id.is_in([first["id"], second["id"]])))

    vectors = sync(embeddings.vectors_for(rows))

    assert set(vectors) == {first["id"], second["id"]}
    stored = _stored(first["id"])
    assert stored is not None and float(stored @ vectors[first["id"]]) > 0.999
    # A second call reads the stored vector (the same direction, no new embedding needed).
    again = sync(embeddings.vectors_for(sync(Signaal.select(*embeddings.COLUMNS).where(Signaal.id == first["id"]))))
    assert float(again[first["id"]] @ stored) > 0.999


def test_embed_signal_follows_the_current_text(werker):
    signaal = make_signaal(werker, titel="Geen plek om te chillen")
    sync(Signaal.update({Signaal.titel: "De bus naar huis is al weg", Signaal.omschrijving: ""})
         .where(Signaal.id == signaal["id"]))
    sync(embeddings.embed_signal(signaal["id"]))
    expected = meaning.embed_one("De bus naar huis is al weg")
    stored = _stored(signaal["id"])
    assert stored is not None and float(stored @ expected) > 0.99


def test_embed_signal_of_an_unknown_id_does_nothing(werker):
    sync(embeddings.embed_signal(2_000_000_000))


def test_embed_missing_fills_every_signal_and_skips_a_corrupt_blob(werker):
    ids = [make_signaal(werker, titel=f"Jongeren vragen een plek nummer {n}")["id"] for n in range(4)]
    sync(Signaal.update({Signaal.betekenis: None}).where(Signaal.id.is_in(ids[:2])))
    sync(Signaal.update({Signaal.betekenis: b"kapot"}).where(Signaal.id == ids[2]))
    sync(Signaal.update({Signaal.betekenis: b"\x00" * 1024}).where(Signaal.id == ids[3]))  # the 512-d model of before
    done = sync(embeddings.embed_missing(batch=1))
    assert done == 4
    assert all(_stored(i) is not None for i in ids)
    assert sync(embeddings.embed_missing()) == 0  # nothing left to do
    rows = sync(Signaal.select(*embeddings.COLUMNS).where(Signaal.id == ids[2]))
    assert ids[2] in sync(embeddings.vectors_for(rows))  # a blob that is not a vector is replaced
    assert _stored(ids[2]) is not None


def test_a_request_embeds_at_most_a_few_and_the_newest_first(werker):
    ids = [make_signaal(werker, titel=f"Geen plek om te zitten, melding {n}")["id"] for n in range(3)]
    sync(Signaal.update({Signaal.betekenis: None}).where(Signaal.id.is_in(ids)))
    rows = sync(Signaal.select(*embeddings.COLUMNS).where(Signaal.id.is_in(ids)))
    assert set(sync(embeddings.vectors_for(rows, embed_at_most=1))) == {ids[-1]}
    assert [_stored(i) is None for i in ids] == [True, True, False]


def test_the_background_job_catches_up_on_every_stale_vector_and_then_rests(werker, monkeypatch):
    monkeypatch.setattr(embeddings, "CATCH_UP_EMBED", 2)
    monkeypatch.setattr(embeddings, "_catch_up_from", 0)
    ids = [make_signaal(werker, titel=f"De laatste bus rijdt te vroeg, melding {n}")["id"] for n in range(5)]
    sync(Signaal.update({Signaal.betekenis: b"\x00" * 1024}).where(Signaal.id.is_in(ids)))  # an earlier model's
    runs = [sync(embeddings.bijwerken()) for _ in range(4)]
    assert sum(runs) >= 5 and runs[:2] == [2, 2]
    assert all(_stored(i) is not None for i in ids)
    assert sync(embeddings.bijwerken()) == 0

