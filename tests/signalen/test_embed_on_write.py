"""A signal's meaning is computed right after it is stored or its text edited, never shown, and goes with its text."""

from __future__ import annotations

import datetime as dt

import manage
from common.dates import today
from signalen import meaning
from signalen.retention import apply_retention
from signalen.tables import Signaal, SignaalHistoriek
from tests.support import make_signaal, sync

API = "/api/v1/signalen"


def _vector(signaal_id: int):
    rows = sync(Signaal.select(Signaal.betekenis).where(Signaal.id == signaal_id))
    return meaning.from_bytes(rows[0]["betekenis"])


def _body(**overrides) -> dict:
    return {"gemeente": "mechelen", "titel": "De laatste bus naar huis rijdt te vroeg",
            "omschrijving": "Na de training kunnen ze niet meer terug.", "datum": today().isoformat(), **overrides}


def test_a_signal_created_through_the_api_gets_its_meaning_after_the_response(werker):
    response = werker.api("POST", API, json=_body())
    assert response.status_code == 201, response.text
    stored = _vector(response.json()["id"])
    expected = meaning.embed_one(meaning.signal_text(_body()["titel"], _body()["omschrijving"]))
    assert stored is not None and float(stored @ expected) > 0.99


def test_a_signal_recorded_with_the_form_gets_its_meaning(werker):
    response = werker.post_form("/signalen/nieuw", _body())
    assert response.status_code == 200
    row = sync(Signaal.select(Signaal.id).first())
    assert _vector(row["id"]) is not None


def test_editing_the_text_gives_the_meaning_of_the_new_text(werker):
    created = werker.api("POST", API, json=_body()).json()
    response = werker.api("PATCH", f"{API}/{created['id']}",
                          json={"versie": created["versie"], "titel": "Nergens om samen te zitten",
                                "omschrijving": "Op het plein zijn de banken weg."})
    assert response.status_code == 200, response.text
    stored = _vector(created["id"])
    assert stored is not None
    assert float(stored @ meaning.embed_one("Nergens om samen te zitten. Op het plein zijn de banken weg.")) > 0.99


def test_an_edit_of_the_text_that_is_refused_keeps_the_old_meaning(werker):
    created = werker.api("POST", API, json=_body()).json()
    before = _vector(created["id"])
    response = werker.api("PATCH", f"{API}/{created['id']}", json={"versie": created["versie"] + 7, "titel": "Anders"})
    assert response.status_code == 409
    after = _vector(created["id"])
    assert before is not None and after is not None and float(before @ after) > 0.999


def test_a_failing_model_does_not_lose_the_signal_and_it_is_embedded_later(werker, monkeypatch, capsys):
    def broken(text):
        raise RuntimeError("model weg")

    monkeypatch.setattr(meaning, "embed_one", broken)
    response = werker.api("POST", API, json=_body())
    assert response.status_code == 201
    signaal_id = response.json()["id"]
    assert _vector(signaal_id) is None
    monkeypatch.undo()
    manage.main(["embed-signalen"])
    assert "Betekenis berekend voor 1 signaal" in capsys.readouterr().out
    assert _vector(signaal_id) is not None


def test_the_command_counts_nothing_when_every_signal_has_a_meaning(werker, capsys):
    make_signaal(werker)
    manage.main(["embed-signalen"])  # make_signaal goes around the HTTP layer: this one had none yet
    manage.main(["embed-signalen"])
    assert capsys.readouterr().out.splitlines()[-1] == "Betekenis berekend voor 0 signalen zonder (bruikbare) vector."


def test_the_meaning_never_appears_in_an_answer_or_export(werker):
    created = werker.api("POST", API, json=_body())
    signaal_id = created.json()["id"]
    assert _vector(signaal_id) is not None
    answers = [created, werker.get(f"{API}/{signaal_id}"), werker.get(API), werker.get("/signalen/export.csv"),
               werker.get(f"/signalen/{signaal_id}"), werker.get("/signalen/")]
    for answer in answers:
        assert answer.status_code in (200, 201)
        assert "betekenis" not in answer.text


def test_the_admin_list_of_signals_does_not_show_the_meaning():
    from signalen.routes import ADMIN_TABLES

    config = next(c for c in ADMIN_TABLES if c.table_class is Signaal)
    assert Signaal.betekenis in config.exclude_visible_columns


def test_retention_clears_the_meaning_with_the_text(werker):
    signaal = make_signaal(werker)
    sync(manage_embed())
    assert _vector(signaal["id"]) is not None
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=365 * 8)
    sync(Signaal.update({Signaal.status: "afgesloten", Signaal.gewijzigd_op: long_ago})
         .where(Signaal.id == signaal["id"]))
    sync(SignaalHistoriek.insert(SignaalHistoriek(signaal=signaal["id"], tijdstip=long_ago, soort="status",
                                                  van="nieuw", naar="afgesloten", toelichting="")))
    sync(apply_retention())
    row = sync(Signaal.select(Signaal.titel, Signaal.betekenis).where(Signaal.id == signaal["id"]).first())
    assert row["titel"] != signaal["titel"]
    assert row["betekenis"] is None


def manage_embed():
    from signalen.embeddings import embed_missing

    return embed_missing()
