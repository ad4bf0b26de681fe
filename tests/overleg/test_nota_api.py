"""The signaalnota JSON API: shapes, every persona, tenancy, 404 for malformed ids, 409 for the wrong moment,
422 in Dutch, CSRF, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest

from common.dates import today
from overleg.tables import Antwoord, Signaalnota
from signalen.tables import SignaalHistoriek
from tests.overleg import test_notas as base
from tests.overleg.test_notas import TINY_PDF, make_dossier, make_overleg, new_nota, statuses
from tests.support import sync

fast_pdf, nota = base.fast_pdf, base.nota  # the shared fixtures

API = "/api/v1/notas"


def test_creating_a_nota_answers_201_with_id_reference_and_status(personas, world):
    make_overleg(world)
    dossier_id, _ = make_dossier(world, personas["werker"])
    response = personas["voorzitter"].api("POST", API, json={
        "dossiers": [dossier_id], "adressaat": "ocmw-raad", "onderwerp": "Een plek voor tieners",
        "secties": {"advies": "Open het jeugdhuis op **woensdag**.", "analyse": "Kort."}})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) >= {"id", "referentie", "status"} and body["status"] == "concept"
    assert body["referentie"].startswith(f"SN-{today().year}-001")
    assert body["adressaat"] == "ocmw-raad" and body["adressaat_label"] == "OCMW-raad"
    assert body["secties"]["advies"] == "Open het jeugdhuis op **woensdag**."
    assert "3 signalen" in body["secties"]["onderbouwing"]  # not given: filled in from the dossier
    assert body["dossiers"] == [{"id": dossier_id, "titel": "Geen ontmoetingsplek", "status": "geagendeerd"}]
    assert body["pdf_url"] == f"{API}/{body['id']}/pdf" and body["vorige"] is None
    listed = personas["voorzitter"].get(API).json()
    assert listed["totaal"] == 1 and listed["items"][0]["referentie"] == body["referentie"]
    assert personas["voorzitter"].get(f"{API}/{body['id']}").json()["id"] == body["id"]


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 201),
                                              ("partner", 404), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_only_the_chair_creates_a_nota_for_the_college(personas, world, name, status):
    dossier_id, _ = make_dossier(world, personas["werker"], n=1)
    response = personas[name].api("POST", API, json={"dossiers": [dossier_id], "adressaat": "college",
                                                     "onderwerp": "x"})
    assert response.status_code == status, response.text
    assert sync(Signaalnota.count()) == (1 if status == 201 else 0)


@pytest.mark.parametrize(("name", "concept", "sent"), [
    ("werker", 404, 200), ("werker2", 404, 404), ("voorzitter", 200, 200), ("partner", 404, 200),
    ("coordinator", 404, 200), ("beheerder", 404, 404), ("anonymous", 401, 401)])
def test_who_reads_a_nota_through_the_api(personas, nota, name, concept, sent):
    persona = personas[name]
    assert persona.get(f"{API}/{nota['id']}").status_code == concept
    assert persona.get(f"{API}/{nota['id']}/pdf").status_code == concept
    assert personas["voorzitter"].api("POST", f"{API}/{nota['id']}/versturen").status_code == 200
    assert persona.get(f"{API}/{nota['id']}").status_code == sent
    pdf = persona.get(f"{API}/{nota['id']}/pdf")
    assert pdf.status_code == sent and (sent != 200 or pdf.content == TINY_PDF)
    if name != "anonymous":
        assert [n["id"] for n in persona.get(API).json()["items"]] == ([nota["id"]] if sent == 200 else [])


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 403), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_only_the_chair_sends_and_records_the_answer(personas, nota, name, status):
    chair, persona, nid = personas["voorzitter"], personas[name], nota["id"]
    chair.post_form(f"/notas/{nid}/ter-goedkeuring")  # members can read it now: their rights answer, not 404
    sent = persona.api("POST", f"{API}/{nid}/versturen")
    assert sent.status_code == status
    if status != 200:
        assert sync(Signaalnota.select(Signaalnota.status).where(Signaalnota.id == nid).first())["status"] == \
            "ter_goedkeuring"
        chair.api("POST", f"{API}/{nid}/versturen")
    else:
        assert sent.json()["status"] == "verstuurd" and len(sent.json()["pdf_sha256"]) == 64
    answered = persona.api("POST", f"{API}/{nid}/antwoord", json={
        "datum": today().isoformat(), "beslissing": "akkoord", "samenvatting": "Het college zoekt een plek."})
    assert answered.status_code == (201 if status == 200 else status), answered.text
    if status != 200:
        assert sync(Antwoord.count()) == 0
        return
    body = answered.json()
    assert body["status"] == "beantwoord" and body["antwoord"]["beslissing_label"] == "Akkoord"
    assert body["antwoord"]["samenvatting"] == "Het college zoekt een plek." and body["antwoord"]["document"] is False


def test_the_signals_follow_the_nota_with_history(personas, nota):
    chair, nid, ids = personas["voorzitter"], nota["id"], nota["signalen"]
    chair.api("POST", f"{API}/{nid}/versturen")
    assert statuses(ids) == {"gesignaleerd"}
    chair.api("POST", f"{API}/{nid}/antwoord", json={"datum": today().isoformat(), "beslissing": "deels",
                                                      "samenvatting": ""})
    assert statuses(ids) == {"beantwoord"}
    response = chair.api("POST", f"{API}/{nid}/terugkoppeling", json={
        "dossier": nota["dossier"], "datum": today().isoformat(), "hoe": "Jongerenoverleg", "wat": "Uitgelegd."})
    assert response.status_code == 201, response.text
    assert statuses(ids) == {"teruggekoppeld"}
    reasons = [r["toelichting"] for r in sync(SignaalHistoriek.select(SignaalHistoriek.toelichting).where(
        SignaalHistoriek.signaal == ids[0]).order_by(SignaalHistoriek.id))]
    assert reasons[-3:] == [f"Signaalnota {nota['referentie']} verstuurd",
                            f"Antwoord op {nota['referentie']}: deels akkoord",
                            "Teruggekoppeld naar de jongeren (Jongerenoverleg)"]


def test_a_sent_nota_cannot_change_or_be_sent_again_and_an_early_answer_is_409(personas, nota):
    chair, nid = personas["voorzitter"], nota["id"]
    early = chair.api("POST", f"{API}/{nid}/antwoord", json={"datum": today().isoformat(), "beslissing": "akkoord"})
    assert early.status_code == 409 and "nog niet verstuurd" in early.json()["detail"]
    assert chair.api("POST", f"{API}/{nid}/versturen").status_code == 200
    versie = chair.get(f"{API}/{nid}").json()["versie"]
    edit = chair.api("PATCH", f"{API}/{nid}", json={"versie": versie, "onderwerp": "Anders"})
    assert edit.status_code == 409 and "nieuwe versie" in edit.json()["detail"]
    again = chair.api("POST", f"{API}/{nid}/versturen")
    assert again.status_code == 409 and again.json()["detail"] == "Deze nota is al verstuurd."
    assert sync(Signaalnota.select(Signaalnota.onderwerp).where(Signaalnota.id == nid).first())["onderwerp"] == \
        "Een plek voor tieners"
    chair.api("POST", f"{API}/{nid}/antwoord", json={"datum": today().isoformat(), "beslissing": "afgewezen"})
    twice = chair.api("POST", f"{API}/{nid}/antwoord", json={"datum": today().isoformat(), "beslissing": "akkoord"})
    assert twice.status_code == 409 and sync(Antwoord.count()) == 1
    correction = chair.api("POST", f"{API}/{nid}/nieuwe-versie")
    assert correction.status_code == 201 and correction.json()["vorige"] == nid


def test_bad_input_is_422_with_dutch_messages(personas, nota, world):
    chair = personas["voorzitter"]
    dossier_id = nota["dossier"]
    cases = [
        ({"dossiers": [], "adressaat": "college", "onderwerp": "x"}, "dossiers"),
        ({"dossiers": [dossier_id], "adressaat": "koning", "onderwerp": "x"}, "adressaat"),
        ({"dossiers": [dossier_id], "adressaat": "college", "onderwerp": " \t "}, "onderwerp"),
        ({"dossiers": [dossier_id], "adressaat": "college", "onderwerp": "x" * 301}, "onderwerp"),
        ({"dossiers": [dossier_id], "adressaat": "college", "onderwerp": "x", "antwoord_gevraagd_tegen": "morgen"},
         "antwoord_gevraagd_tegen"),
        ({"dossiers": [dossier_id], "adressaat": "college", "onderwerp": "x", "secties": {"advies": "x" * 20_001}},
         "advies"),
        ({"dossiers": [-1], "adressaat": "college", "onderwerp": "x"}, "dossiers"),
    ]
    for body, field in cases:
        response = chair.api("POST", API, json=body)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["fields"], response.json()
    assert chair.api("POST", API, json={"dossiers": [dossier_id], "adressaat": "college", "onderwerp": "x",
                                        "secties": {"gedicht": "x"}}).status_code == 400  # unknown section
    assert chair.api("POST", API, json={"dossiers": "1", "onderwerp": 5}).status_code == 400
    broken = chair.client.post(API, content=b"{niet json", headers={"x-csrf-token": chair.csrf(),
                                                                     "content-type": "application/json"})
    assert broken.status_code == 400 and "geen geldige JSON" in broken.json()["detail"]
    chair.api("POST", f"{API}/{nota['id']}/versturen")
    for body, field in (({"datum": "gisteren", "beslissing": "akkoord"}, "datum"),
                        ({"datum": today().isoformat(), "beslissing": "misschien"}, "beslissing"),
                        ({"datum": (today() + dt.timedelta(days=9)).isoformat(), "beslissing": "akkoord"}, "datum"),
                        ({"datum": "2001-01-01", "beslissing": "akkoord"}, "datum")):
        response = chair.api("POST", f"{API}/{nota['id']}/antwoord", json=body)
        assert response.status_code == 422 and field in response.json()["fields"], response.text
    assert sync(Antwoord.count()) == 0


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", "99999999999999999999", "1e3", "%20"])
def test_ids_that_are_not_positive_integers_are_404(personas, raw):
    chair = personas["voorzitter"]
    assert chair.get(f"{API}/{raw}").status_code == 404
    assert chair.get(f"{API}/{raw}/pdf").status_code == 404
    assert chair.api("POST", f"{API}/{raw}/versturen").status_code == 404
    assert chair.api("POST", f"{API}/{raw}/antwoord", json={"datum": "2026-01-01",
                                                            "beslissing": "akkoord"}).status_code == 404


def test_a_nota_of_another_gemeente_is_404(personas, world, fast_pdf):
    from admin.tables import Lidmaatschap

    sync(Lidmaatschap(user=world.users["werker2"], gemeente=world.gemeenten["hoeilaart"], rol="voorzitter").save())
    foreign = new_nota(personas["werker2"], [make_dossier(world, personas["werker2"], n=1, gemeente="hoeilaart")[0]])
    chair = personas["voorzitter"]
    assert chair.get(f"{API}/{foreign['id']}").status_code == 404
    assert chair.get(f"{API}/{foreign['id']}/pdf").status_code == 404
    assert chair.api("POST", f"{API}/{foreign['id']}/versturen").status_code == 404
    assert chair.api("PATCH", f"{API}/{foreign['id']}", json={"versie": 1, "onderwerp": "x"}).status_code == 404
    assert sync(Signaalnota.select(Signaalnota.status).where(Signaalnota.id == foreign["id"]).first())["status"] == \
        "concept"


def test_unsafe_methods_need_the_csrf_header(personas, nota):
    chair = personas["voorzitter"]
    response = chair.client.post(f"{API}/{nota['id']}/versturen")
    assert response.status_code == 403
    assert sync(Signaalnota.select(Signaalnota.status).where(Signaalnota.id == nota["id"]).first())["status"] == \
        "concept"


def test_a_reader_who_does_not_manage_the_nota_gets_the_guarded_text(personas, nota):
    chair, nid = personas["voorzitter"], nota["id"]
    versie = chair.get(f"{API}/{nid}").json()["versie"]
    chair.api("PATCH", f"{API}/{nid}", json={"versie": versie, "secties": {"advies": "Bel 0470 12 34 56."}})
    own = chair.get(f"{API}/{nid}").json()
    assert own["secties"]["advies"] == "Bel 0470 12 34 56." and own["persoonsgegevens"][0]["tekst"] == "0470 12 34 56"
    chair.api("POST", f"{API}/{nid}/versturen")
    other = personas["partner"].get(f"{API}/{nid}").json()
    assert other["secties"]["advies"] == "Bel [telefoonnummer]." and other["persoonsgegevens"] == []


def test_the_openapi_schema_documents_every_nota_field(app, anonymous):
    schema = anonymous.get("/schema/openapi.json").json()
    paths = schema["paths"]
    for path, methods in ((API, {"get", "post"}), (API + "/{id}", {"get", "patch"}), (API + "/{id}/pdf", {"get"}),
                          (API + "/{id}/versturen", {"post"}), (API + "/{id}/antwoord", {"post"})):
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["tags"] == ["notas"]
    components = schema["components"]["schemas"]
    assert set(components["NotaNieuw"]["properties"]) >= {"dossiers", "adressaat", "adressaat_tekst", "onderwerp",
                                                          "secties"}
    assert set(components["NotaSecties"]["properties"]) == {"aanleiding", "onderbouwing", "analyse", "acties",
                                                            "advies", "opvolging"}
    assert set(components["AntwoordNieuw"]["properties"]) == {"datum", "beslissing", "samenvatting",
                                                              "bevestig_persoonsgegevens"}
    assert set(components["NotaDetail"]["properties"]) >= {"id", "referentie", "status", "pdf_sha256", "antwoord"}
    assert "application/pdf" in paths[API + "/{id}/pdf"]["get"]["responses"]["200"]["content"]
