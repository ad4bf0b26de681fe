"""The dossier JSON API: shapes, every persona, tenancy, the 422/409/404 answers, CSRF and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest

from overleg.tables import Commentaar, Dossier
from signalen.tables import Signaal
from tests.support import make_signaal, publish_dossier, sync

API = "/api/v1/dossiers"
DAY = dt.date(2025, 4, 2)


def signals(persona, n: int = 3, **overrides) -> list[int]:
    return [make_signaal(persona, titel=f"Laatste bus rijdt te vroeg ({i})", datum=(DAY + dt.timedelta(days=i))
                         .isoformat(), **overrides)["id"] for i in range(n)]


def create(persona, ids=None, **overrides) -> dict:
    body = {"gemeente": "mechelen", "titel": "Laatste bus", **({"signalen": ids} if ids is not None else {}),
            **overrides}
    response = persona.api("POST", API, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def dossier_of(signaal_id: int) -> int | None:
    return sync(Signaal.select(Signaal.dossier).where(Signaal.id == signaal_id).first())["dossier"]


# ----------------------------------------------------------------------------- create and read

def test_the_chair_creates_a_dossier_with_signals_and_reads_its_evidence(personas):
    ids = signals(personas["werker"], aantal_jongeren=5)
    created = create(personas["voorzitter"], ids, omschrijving="Jongeren **missen** de bus")
    assert created["id"] > 0 and created["signalen"] == ids and created["status"] == "open"
    assert created["omschrijving_html"] == "<p>Jongeren <strong>missen</strong> de bus</p>"
    detail = personas["werker"].get(f"{API}/{created['id']}").json()
    bewijs = detail["bewijs"]
    assert (bewijs["aantal_signalen"], bewijs["aantal_werkers"], bewijs["aantal_jongeren"]) == (3, 1, 15)
    assert (bewijs["eerste_datum"], bewijs["laatste_datum"]) == ("2025-04-02", "2025-04-04")
    assert bewijs["per_maand"] == [{"maand": "2025-04", "label": "apr 2025", "aantal": 3}]
    assert [s["status"] for s in detail["signaaloverzicht"]] == ["gebundeld"] * 3
    assert [h["actie"] for h in detail["historiek"]] == ["aangemaakt", "signalen_toegevoegd"]
    listed = personas["werker"].get(API).json()
    assert listed["totaal"] == 1 and listed["items"][0]["aantal_signalen"] == 3


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 201),
                                              ("partner", 403), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_only_the_chair_creates_dossiers(personas, name, status):
    response = personas[name].api("POST", API, json={"gemeente": "mechelen", "titel": "Laatste bus"})
    assert response.status_code == status, response.text
    assert sync(Dossier.count()) == (1 if status == 201 else 0)


@pytest.mark.parametrize(("name", "status"), [("werker", 200), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 404), ("coordinator", 200), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_who_may_read_a_dossier(personas, name, status):
    dossier = create(personas["voorzitter"], signals(personas["werker"]))
    assert personas[name].get(f"{API}/{dossier['id']}").status_code == status
    listed = personas[name].get(API)
    if name != "anonymous":
        assert listed.status_code == 200
        assert [d["id"] for d in listed.json()["items"]] == ([dossier["id"]] if status == 200 else [])


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 404), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_only_the_chair_adds_signals(personas, name, status):
    dossier = create(personas["voorzitter"])
    signaal = make_signaal(personas["werker"])
    response = personas[name].api("POST", f"{API}/{dossier['id']}/signalen", json={"signalen": [signaal["id"]]})
    assert response.status_code == status, response.text
    assert dossier_of(signaal["id"]) == (dossier["id"] if status == 200 else None)


def test_a_partner_reads_a_published_dossier_and_comments_but_gets_no_raw_signal(personas, world):
    ids = signals(personas["werker"])
    dossier = create(personas["voorzitter"], ids)
    partner = personas["partner"]
    assert partner.get(f"{API}/{dossier['id']}").status_code == 404
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])
    detail = partner.get(f"{API}/{dossier['id']}")
    assert detail.status_code == 200 and detail.json()["mag_beheren"] is False
    assert partner.get(f"/api/v1/signalen/{ids[0]}").status_code == 404
    assert partner.get("/api/v1/signalen").json()["items"] == []
    comment = partner.api("POST", f"{API}/{dossier['id']}/commentaren", json={"tekst": "CAW volgt op"})
    assert comment.status_code == 201 and comment.json()["door"] == "Partner Test"
    assert partner.api("PATCH", f"{API}/{dossier['id']}", json={"versie": 1, "titel": "x"}).status_code == 403


# ----------------------------------------------------------------------------- bad input

def test_a_signal_of_another_gemeente_gives_422(personas):
    dossier = create(personas["voorzitter"])
    foreign = make_signaal(personas["werker2"], gemeente="hoeilaart")
    response = personas["voorzitter"].api("POST", f"{API}/{dossier['id']}/signalen", json={"signalen": [foreign["id"]]})
    assert response.status_code == 422 and "signalen" in response.json()["fields"]
    assert dossier_of(foreign["id"]) is None
    response = personas["voorzitter"].api("POST", API, json={"gemeente": "mechelen", "titel": "x",
                                                             "signalen": [foreign["id"]]})
    assert response.status_code == 422 and sync(Dossier.count()) == 1


def test_a_dossier_for_a_gemeente_that_is_not_the_chairs_gives_404(personas):
    # Unknown and foreign gemeenten get the same answer (nothing tells which exist); an empty one is a field left empty.
    for gemeente in ("hoeilaart", "leuven", "0", "bestaat-niet", "' OR 1=1 --"):
        response = personas["voorzitter"].api("POST", API, json={"gemeente": gemeente, "titel": "Zitbanken"})
        assert response.status_code == 404, gemeente
        assert response.json()["fields"] == {"gemeente": "Kies een gemeente waarvan je het overleg voorzit."}
    for gemeente in ("", "  ", None):
        response = personas["voorzitter"].api("POST", API, json={"gemeente": gemeente, "titel": "Zitbanken"})
        assert response.status_code == 422 and "gemeente" in response.json()["fields"], gemeente
    assert personas["werker2"].api("POST", API, json={"gemeente": "mechelen", "titel": "x"}).status_code == 404
    assert personas["werker"].api("POST", API, json={"gemeente": "mechelen", "titel": "x"}).status_code == 403
    assert sync(Dossier.count()) == 0


def test_a_signal_already_in_another_dossier_gives_409_or_moves_explicitly(personas):
    ids = signals(personas["werker"], 1)
    first = create(personas["voorzitter"], ids)
    second = create(personas["voorzitter"], titel="Tweede")
    url = f"{API}/{second['id']}/signalen"
    conflict = personas["voorzitter"].api("POST", url, json={"signalen": ids})
    assert conflict.status_code == 409 and "ander dossier" in conflict.json()["detail"]
    assert dossier_of(ids[0]) == first["id"]
    moved = personas["voorzitter"].api("POST", url, json={"signalen": ids, "verplaats": True})
    assert moved.status_code == 200 and moved.json()["signalen"] == ids


def test_remove_merge_and_a_stale_version(personas):
    ids = signals(personas["werker"])
    chair = personas["voorzitter"]
    source, target = create(chair, ids[:2]), create(chair, ids[2:], titel="Doel")
    removed = chair.api("DELETE", f"{API}/{source['id']}/signalen/{ids[0]}")
    assert removed.status_code == 200 and removed.json()["signalen"] == [ids[1]]
    assert sync(Signaal.select(Signaal.status).where(Signaal.id == ids[0]).first())["status"] == "nieuw"
    assert chair.api("DELETE", f"{API}/{source['id']}/signalen/{ids[0]}").status_code == 404
    merged = chair.api("POST", f"{API}/{source['id']}/samenvoegen", json={"doel": target["id"]})
    assert merged.status_code == 200 and merged.json()["signalen"] == ids[1:]
    assert chair.get(f"{API}/{source['id']}").json()["samengevoegd_in"] == target["id"]
    ok = chair.api("PATCH", f"{API}/{target['id']}", json={"versie": 1, "status": "geagendeerd"})
    assert ok.status_code == 200 and ok.json()["versie"] == 2 and ok.json()["status_label"] == "Geagendeerd"
    stale = chair.api("PATCH", f"{API}/{target['id']}", json={"versie": 1, "titel": "Oud"})
    assert stale.status_code == 409 and stale.json()["huidig"]["versie"] == 2
    assert chair.api("PATCH", f"{API}/{target['id']}", json={"titel": "Zonder versie"}).status_code == 422
    assert chair.api("PATCH", f"{API}/{target['id']}", json={"versie": 2, "status": "weg"}).status_code == 422


@pytest.mark.parametrize("raw", ["999999", "abc", "-1", "0", "99999999999999999999999", "1e3"])
def test_unknown_or_malformed_ids_are_not_found(personas, raw):
    chair = personas["voorzitter"]
    assert chair.get(f"{API}/{raw}").status_code == 404
    assert chair.api("POST", f"{API}/{raw}/signalen", json={"signalen": [1]}).status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"gemeente": "mechelen", "titel": "   "}, "titel"),
    ({"gemeente": "mechelen", "titel": "x" * 201}, "titel"),
    ({"gemeente": "mechelen", "titel": "ok", "omschrijving": "y" * 10_001}, "omschrijving"),
    ({"titel": "ok"}, "gemeente"),
    ({"gemeente": "mechelen", "titel": "ok", "signalen": [0]}, "signalen"),
    ({"gemeente": "mechelen", "titel": "ok", "signalen": list(range(1, 502))}, "signalen"),
])
def test_bad_input_gives_422_per_field(personas, body, field):
    response = personas["voorzitter"].api("POST", API, json=body)
    assert response.status_code == 422 and field in response.json()["fields"], response.text
    assert sync(Dossier.count()) == 0


def test_wrong_json_types_and_non_json_give_400(personas):
    chair = personas["voorzitter"]
    assert chair.api("POST", API, json={"gemeente": "mechelen", "titel": 5}).status_code == 400
    response = chair.client.post(API, content=b"{niet json", headers={"x-csrf-token": chair.csrf(),
                                                                      "content-type": "application/json"})
    assert response.status_code == 400 and response.json()["detail"] == "De inhoud is geen geldige JSON."


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "[x](javascript:alert(1))", "Ω≈ç√ 🙂 \u202e",
                                     "'; DROP TABLE dossier; --"])
def test_odd_text_is_stored_exactly_and_rendered_safely(personas, payload):
    dossier = create(personas["voorzitter"], titel=payload[:200], omschrijving=payload)
    assert dossier["titel"] == payload.strip() and dossier["omschrijving"] == payload.strip()
    assert "<script>" not in dossier["omschrijving_html"] and "javascript:" not in dossier["omschrijving_html"]
    comment = personas["werker"].api("POST", f"{API}/{dossier['id']}/commentaren", json={"tekst": payload})
    assert comment.status_code == 201 and "<script>" not in comment.json()["tekst_html"]
    assert sync(Commentaar.count()) == 1


def test_the_api_refuses_unsafe_methods_without_csrf(personas):
    chair = personas["voorzitter"]
    chair.csrf()
    response = chair.client.post(API, json={"gemeente": "mechelen", "titel": "Zonder CSRF"})
    assert response.status_code == 403 and sync(Dossier.count()) == 0


def test_the_list_filters_and_refuses_a_foreign_gemeente(personas):
    chair = personas["voorzitter"]
    create(chair)
    assert chair.get(f"{API}?gemeente=mechelen&status=open").json()["totaal"] == 1
    assert chair.get(f"{API}?status=afgerond").json()["totaal"] == 0
    assert chair.get(f"{API}?gemeente=hoeilaart").status_code == 404
    assert chair.get(f"{API}?status=kapot").status_code == 400


def test_the_openapi_schema_documents_the_dossier_api(app, personas):
    schema = personas["werker"].get("/schema/openapi.json").json()
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{id}", "/api/v1/dossiers/{id}/signalen",
            "/api/v1/dossiers/suggesties"} <= set(schema["paths"])
    components = schema["components"]["schemas"]
    assert {"gemeente", "titel", "omschrijving", "signalen"} <= set(components["DossierNieuw"]["properties"])
    assert {"bestaande", "nieuw"} <= set(components["Suggesties"]["properties"])
    assert {"dossier", "signalen", "reden"} <= set(components["BestaandDossierVoorstel"]["properties"])
    assert {"signalen", "titel_voorstel", "reden"} <= set(components["NieuweGroepVoorstel"]["properties"])
    assert "dossiers" in schema["paths"]["/api/v1/dossiers"]["get"]["tags"]


def test_werker2_gets_404_on_every_mechelen_dossier_url(personas):
    ids = signals(personas["werker"], 2)
    dossier, other = create(personas["voorzitter"], ids), create(personas["voorzitter"], titel="Ander")
    did, werker2 = dossier["id"], personas["werker2"]
    calls = [("GET", f"{API}/{did}", None), ("GET", f"{API}/{did}/commentaren", None),
             ("PATCH", f"{API}/{did}", {"versie": 1, "titel": "x"}),
             ("POST", f"{API}/{did}/signalen", {"signalen": ids}),
             ("DELETE", f"{API}/{did}/signalen/{ids[0]}", None),
             ("POST", f"{API}/{did}/samenvoegen", {"doel": other["id"]}),
             ("POST", f"{API}/{did}/commentaren", {"tekst": "hoi"})]
    for method, url, body in calls:
        assert werker2.api(method, url, json=body).status_code == 404, (method, url)
    assert personas["voorzitter"].get(f"{API}/{did}").json()["signalen"] == ids
    assert sync(Commentaar.count()) == 0
