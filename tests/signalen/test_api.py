"""The signalen JSON API: shapes, tenancy per persona, CSRF, privacy, versions, the workflow, filters, OpenAPI.

Bad input (XSS, lengths, odd text, wrong types) is in test_api_bad_input.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from common.dates import today
from signalen.tables import Levensdomein, Signaal, SignaalHistoriek
from tests.support import login_as, sync

API = "/api/v1/signalen"
DAY = today() - dt.timedelta(days=10)

SIGNAL_FIELDS = {
    "id", "gemeente", "gemeente_naam", "titel", "omschrijving", "omschrijving_html", "datum", "plek", "bron",
    "levensdomein", "levensdomein_naam", "signaaltype", "signaaltype_naam", "aantal_jongeren", "leeftijd",
    "citaten", "status", "status_label", "dossier", "versie", "persoonsgegevens", "auteur", "auteur_naam", "client_id",
    "aangemaakt_op", "gewijzigd_op", "mag_bewerken", "mogelijke_statussen",
}


def body(**overrides) -> dict:
    return {
        "gemeente": "mechelen",
        "titel": "Te weinig ontmoetingsplekken",
        "omschrijving": "De jongeren van de wijk hebben **geen plek** om samen te zijn als het regent.",
        "datum": DAY.isoformat(),
        "plek": "Vrijbroekpark",
        "bron": "straat",
        "levensdomein": "ruimte",
        "signaaltype": "te-weinig-ontmoetingsplekken",
        "aantal_jongeren": 12,
        "leeftijd": "12-15",
        "citaten": ["We staan altijd buiten in de kou."],
        **overrides,
    }


def create(persona, **overrides) -> dict:
    response = persona.api("POST", API, json=body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def count_signalen() -> int:
    return sync(Signaal.count())


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


# ----------------------------------------------------------------------------- create and read

def test_a_worker_registers_a_signal_and_gets_its_full_shape(werker):
    response = werker.api("POST", API, json=body())
    assert response.status_code == 201
    signaal = response.json()
    assert set(signaal) == SIGNAL_FIELDS
    assert signaal["gemeente"] == "mechelen" and signaal["gemeente_naam"] == "Mechelen"
    assert signaal["titel"] == "Te weinig ontmoetingsplekken"
    assert signaal["omschrijving_html"].startswith("<p>") and "<strong>geen plek</strong>" in signaal[
        "omschrijving_html"]
    assert signaal["datum"] == DAY.isoformat()
    assert (signaal["bron"], signaal["levensdomein"], signaal["signaaltype"]) == (
        "straat", "ruimte", "te-weinig-ontmoetingsplekken")
    assert signaal["levensdomein_naam"] == "Ruimte"
    assert signaal["signaaltype_naam"] == "Te weinig ontmoetingsplekken"
    assert (signaal["aantal_jongeren"], signaal["leeftijd"]) == (12, "12-15")
    assert signaal["citaten"] == ["We staan altijd buiten in de kou."]
    assert (signaal["status"], signaal["status_label"], signaal["versie"]) == ("nieuw", "Nieuw", 1)
    assert signaal["dossier"] is None and signaal["persoonsgegevens"] == []
    assert signaal["auteur"] == werker.user_id and signaal["auteur_naam"] == "Werker Test"
    assert dt.datetime.fromisoformat(signaal["aangemaakt_op"]).tzinfo is not None
    assert signaal["mag_bewerken"] is True and signaal["mogelijke_statussen"] == ["niet_weerhouden"]
    for leak in ("zoektekst", "gemeente_id", "levensdomein_id", "signaaltype_id"):
        assert leak not in signaal
    assert count_signalen() == 1


def test_only_the_required_fields_are_enough_and_optional_ones_are_empty(werker):
    signaal = create(werker, plek=None, bron=None, levensdomein=None, signaaltype=None, aantal_jongeren=None,
                     leeftijd=None, citaten=None)
    assert signaal["plek"] == "" and signaal["citaten"] == []
    assert all(signaal[k] is None for k in ("bron", "levensdomein", "levensdomein_naam", "signaaltype",
                                            "signaaltype_naam", "aantal_jongeren", "leeftijd"))


def test_the_detail_holds_the_signal_and_its_history(werker):
    signaal = create(werker)
    response = werker.get(f"{API}/{signaal['id']}")
    assert response.status_code == 200
    detail = response.json()
    assert set(detail) == SIGNAL_FIELDS | {"historiek"}
    assert {k: detail[k] for k in SIGNAL_FIELDS} == signaal
    [registered] = detail["historiek"]
    assert set(registered) == {"tijdstip", "soort", "van", "naar", "toelichting", "door"}
    assert (registered["soort"], registered["van"], registered["naar"], registered["door"]) == (
        "status", "", "nieuw", "Werker Test")


def test_a_worker_of_another_gemeente_gets_404_for_everything(werker, werker2):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    assert werker2.get(url).status_code == 404
    patched = werker2.api("PATCH", url, json={"versie": 1, "titel": "Overgenomen"})
    assert patched.status_code == 404
    assert patched.json()["detail"] == "Dit bestaat niet, of je hebt er geen toegang toe."
    assert werker2.api("POST", f"{url}/status", json={"status": "niet_weerhouden", "toelichting": "weg"}
                       ).status_code == 404
    assert ids(werker2.get(API)) == []
    assert werker2.get(API, params={"gemeente": "mechelen"}).status_code == 404
    stored = werker.get(url).json()
    assert (stored["titel"], stored["status"], stored["versie"]) == ("Te weinig ontmoetingsplekken", "nieuw", 1)


def test_a_worker_cannot_register_for_another_gemeente(werker):
    # A matter of rights, not of a field: 404 for another gemeente's id, the same answer as for one that does not exist.
    for gemeente in ("hoeilaart", "0", "bestaat-niet"):
        response = werker.api("POST", API, json=body(gemeente=gemeente))
        assert response.status_code == 404, gemeente
        assert response.json()["detail"] == "Je kan geen signalen registreren voor deze gemeente."
        assert set(response.json()["fields"]) == {"gemeente"}
    # Other field errors are listed beside it.
    both = werker.api("POST", API, json=body(gemeente="hoeilaart", titel=""))
    assert both.status_code == 404 and set(both.json()["fields"]) == {"gemeente", "titel"}
    # No gemeente at all is a field left empty.
    assert werker.api("POST", API, json=body(gemeente="")).status_code == 422
    assert count_signalen() == 0


def test_a_partner_has_no_raw_register(werker, partner):
    signaal = create(werker)
    listed = partner.get(API)
    assert listed.status_code == 200
    assert listed.json() == {"items": [], "totaal": 0, "pagina": 1, "per_pagina": 25}
    assert partner.get(API, params={"gemeente": "mechelen"}).status_code == 404
    assert partner.get(f"{API}/{signaal['id']}").status_code == 404
    assert partner.api("PATCH", f"{API}/{signaal['id']}", json={"versie": 1, "titel": "x"}).status_code == 404
    assert partner.api("POST", f"{API}/{signaal['id']}/status",
                       json={"status": "niet_weerhouden", "toelichting": "x"}).status_code == 404
    created = partner.api("POST", API, json=body())  # their gemeente, but a partner does not register: 403
    assert created.status_code == 403 and "gemeente" in created.json()["fields"]
    assert count_signalen() == 1


def test_the_coordinator_reads_the_mechelen_register_but_does_not_edit(werker, coordinator):
    signaal = create(werker)
    assert ids(coordinator.get(API)) == [signaal["id"]]
    assert ids(coordinator.get(API, params={"gemeente": "mechelen"})) == [signaal["id"]]
    detail = coordinator.get(f"{API}/{signaal['id']}")
    assert detail.status_code == 200
    assert detail.json()["mag_bewerken"] is False and detail.json()["mogelijke_statussen"] == []
    patched = coordinator.api("PATCH", f"{API}/{signaal['id']}", json={"versie": 1, "titel": "Anders"})
    assert patched.status_code == 403
    status = coordinator.api("POST", f"{API}/{signaal['id']}/status",
                             json={"status": "niet_weerhouden", "toelichting": "dubbel"})
    assert status.status_code == 403 and status.json()["detail"].startswith("Je mag")
    assert werker.get(f"{API}/{signaal['id']}").json()["versie"] == 1


def test_the_beheerder_sees_no_register_through_the_api(werker, beheerder):
    signaal = create(werker)
    assert beheerder.get(API).json()["totaal"] == 0
    assert beheerder.get(f"{API}/{signaal['id']}").status_code == 404


def test_the_voorzitter_edits_and_moves_a_workers_signal(werker, voorzitter):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    seen = voorzitter.get(url).json()
    assert seen["mag_bewerken"] is True
    assert seen["mogelijke_statussen"] == ["gebundeld", "niet_weerhouden"]
    patched = voorzitter.api("PATCH", url, json={"versie": 1, "titel": "Geen droge ontmoetingsplek"})
    assert patched.status_code == 200
    assert (patched.json()["titel"], patched.json()["versie"]) == ("Geen droge ontmoetingsplek", 2)
    assert patched.json()["auteur"] == werker.user_id
    moved = voorzitter.api("POST", f"{url}/status", json={"status": "gebundeld", "toelichting": "Samen met 2"})
    assert moved.status_code == 200
    assert (moved.json()["status"], moved.json()["status_label"], moved.json()["versie"]) == (
        "gebundeld", "Gebundeld", 3)
    history = werker.get(url).json()["historiek"]
    assert [(h["soort"], h["naar"], h["door"]) for h in history] == [
        ("status", "nieuw", "Werker Test"), ("bewerking", "", "Voorzitter Test"),
        ("status", "gebundeld", "Voorzitter Test")]
    assert "titel" in history[1]["toelichting"]


def test_a_worker_may_only_drop_their_own_signal_with_a_reason(werker):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}/status"
    forbidden = werker.api("POST", url, json={"status": "gebundeld", "toelichting": ""})
    assert forbidden.status_code == 403
    no_reason = werker.api("POST", url, json={"status": "niet_weerhouden", "toelichting": "  "})
    assert no_reason.status_code == 409
    assert no_reason.json()["detail"] == "Geef een toelichting bij deze statuswijziging."
    dropped = werker.api("POST", url, json={"status": "niet_weerhouden", "toelichting": "Was een eenmalig voorval"})
    assert dropped.status_code == 200
    assert dropped.json()["status"] == "niet_weerhouden"
    assert dropped.json()["mogelijke_statussen"] == ["nieuw"]
    reopen_bare = werker.api("POST", url, json={"status": "nieuw"})
    assert reopen_bare.status_code == 409
    reopened = werker.api("POST", url, json={"status": "nieuw", "toelichting": "Het gebeurt toch opnieuw"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "nieuw"
    history = werker.get(f"{API}/{signaal['id']}").json()["historiek"]
    assert [(h["van"], h["naar"], h["toelichting"], h["door"]) for h in history] == [
        ("", "nieuw", "Geregistreerd", "Werker Test"),
        ("nieuw", "niet_weerhouden", "Was een eenmalig voorval", "Werker Test"),
        ("niet_weerhouden", "nieuw", "Het gebeurt toch opnieuw", "Werker Test"),
    ]
    assert all(dt.datetime.fromisoformat(h["tijdstip"]) for h in history)


def test_another_worker_of_the_same_gemeente_reads_but_does_not_edit(app, world, werker):
    from admin.demo import create_user
    from admin.tables import Rol

    user = sync(create_user("collega", "geheim-wachtwoord", first_name="Collega", last_name="Test",
                            memberships=[("mechelen", Rol.jeugdopbouwwerker)]))
    world.users["collega"] = user.id
    collega = login_as(app, world, "collega")
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    seen = collega.get(url)
    assert seen.status_code == 200 and seen.json()["mag_bewerken"] is False
    assert collega.api("PATCH", url, json={"versie": 1, "titel": "Van mij"}).status_code == 403
    assert collega.api("POST", f"{url}/status", json={"status": "niet_weerhouden", "toelichting": "x"}
                       ).status_code == 403
    assert werker.get(url).json()["titel"] == "Te weinig ontmoetingsplekken"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", ""), ("POST", ""), ("GET", "/1"), ("PATCH", "/1"), ("POST", "/1/status"),
])
def test_anonymous_gets_401_json(anonymous, method, path):
    response = anonymous.api(method, API + path, json={} if method != "GET" else None)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"] == "Meld je eerst aan."


def test_anonymous_gets_401_for_the_taxonomy(anonymous):
    response = anonymous.get("/api/v1/taxonomie")
    assert response.status_code == 401 and response.json()["status_code"] == 401


def test_unsafe_methods_without_the_csrf_header_are_refused_and_store_nothing(werker):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    werker.csrf()  # the cookie is there; only the header is missing
    attempts = [
        werker.client.post(API, json=body(titel="Zonder header")),
        werker.client.patch(url, json={"versie": 1, "titel": "Zonder header"}),
        werker.client.post(f"{url}/status", json={"status": "niet_weerhouden", "toelichting": "x"}),
        werker.client.post(API, json=body(), headers={"x-csrf-token": "vervalst"}),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/json")
        assert "formulier is verlopen" in response.json()["detail"]
    assert count_signalen() == 1
    stored = werker.get(url).json()
    assert (stored["titel"], stored["status"], stored["versie"]) == ("Te weinig ontmoetingsplekken", "nieuw", 1)


# ----------------------------------------------------------------------------- privacy guard

def test_personal_data_is_refused_until_confirmed_and_the_confirmation_is_stored(werker):
    text = "Bel Yasmina op 0470 12 34 56 als het weer misloopt."
    refused = werker.api("POST", API, json=body(omschrijving=text))
    assert refused.status_code == 422
    answer = refused.json()
    assert "persoonsgegevens" in answer["detail"] and "omschrijving" in answer["fields"]
    kinds = {(f["soort"], f["tekst"]) for f in answer["persoonsgegevens"]}
    assert ("telefoon", "0470 12 34 56") in kinds and ("naam", "Yasmina") in kinds
    assert count_signalen() == 0

    confirmed = werker.api("POST", API, json=body(omschrijving=text, bevestig_persoonsgegevens=True))
    assert confirmed.status_code == 201
    stored = confirmed.json()["persoonsgegevens"]
    assert {(f["soort"], f["tekst"]) for f in stored} == kinds
    assert all(f["bevestigd_door"] == werker.user_id and f["bevestigd_op"] and f["veld"] == "omschrijving"
               for f in stored)
    assert confirmed.json()["omschrijving"] == text

    # an edit that keeps the confirmed text needs no new confirmation; new personal data does
    url = f"{API}/{confirmed.json()['id']}"
    assert werker.api("PATCH", url, json={"versie": 1, "plek": "Station"}).status_code == 200
    again = werker.api("PATCH", url, json={"versie": 2, "titel": "Mail naar jan.peeters@example.org"})
    assert again.status_code == 422
    assert [f["soort"] for f in again.json()["persoonsgegevens"]] == ["email"]
    assert werker.get(url).json()["versie"] == 2


# ----------------------------------------------------------------------------- versions and workflow

def test_a_stale_version_answers_409_with_the_current_signal(werker, voorzitter):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    assert voorzitter.api("PATCH", url, json={"versie": 1, "plek": "Bruul"}).status_code == 200
    stale = werker.api("PATCH", url, json={"versie": 1, "titel": "Mijn versie"})
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["detail"] == "Iemand anders heeft dit signaal intussen gewijzigd."
    assert answer["huidig"]["versie"] == 2 and answer["huidig"]["plek"] == "Bruul"
    assert set(answer["huidig"]) == SIGNAL_FIELDS
    assert werker.get(url).json()["titel"] == "Te weinig ontmoetingsplekken"


def test_only_the_fields_sent_are_changed(werker):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    patched = werker.api("PATCH", url, json={"versie": 1, "plek": "Bruul", "levensdomein": None})
    assert patched.status_code == 200
    after = patched.json()
    assert after["plek"] == "Bruul" and after["levensdomein"] is None and after["levensdomein_naam"] is None
    unchanged = set(SIGNAL_FIELDS) - {"plek", "levensdomein", "levensdomein_naam", "versie", "gewijzigd_op"}
    assert {k: after[k] for k in unchanged} == {k: signaal[k] for k in unchanged}
    assert after["versie"] == 2


def test_read_only_fields_in_a_patch_are_ignored(werker):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}"
    patched = werker.api("PATCH", url, json={"versie": 1, "status": "afgesloten", "auteur": 999, "id": 5,
                                             "gemeente": "hoeilaart", "dossier": 3, "titel": "Nieuwe titel"})
    assert patched.status_code == 200
    after = patched.json()
    assert (after["id"], after["status"], after["auteur"], after["gemeente"], after["dossier"]) == (
        signaal["id"], "nieuw", werker.user_id, "mechelen", None)
    assert after["titel"] == "Nieuwe titel"


def test_an_illegal_transition_answers_409_in_dutch(werker, voorzitter):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}/status"
    response = voorzitter.api("POST", url, json={"status": "beantwoord", "toelichting": "snel"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Een signaal met status 'Nieuw' kan niet naar 'Beantwoord'."
    assert response.json()["huidig"]["status"] == "nieuw"
    assert voorzitter.get(f"{API}/{signaal['id']}").json()["status"] == "nieuw"
    assert len(sync(SignaalHistoriek.select().where(SignaalHistoriek.signaal == signaal["id"]))) == 1


@pytest.mark.parametrize("payload", [{}, {"status": "weg"}, {"status": ""}, {"status": None}])
def test_an_unknown_status_answers_422(voorzitter, werker, payload):
    signaal = create(werker)
    response = voorzitter.api("POST", f"{API}/{signaal['id']}/status", json=payload)
    assert response.status_code == 422
    assert response.json()["fields"] == {"status": "Kies een geldige status."}


def test_the_voorzitter_walks_the_whole_way_and_reopens(werker, voorzitter):
    signaal = create(werker)
    url = f"{API}/{signaal['id']}/status"
    for target in ("gebundeld", "geagendeerd", "gesignaleerd", "beantwoord", "teruggekoppeld", "afgesloten"):
        response = voorzitter.api("POST", url, json={"status": target, "toelichting": ""})
        assert response.status_code == 200, (target, response.text)
    assert voorzitter.api("POST", url, json={"status": "nieuw"}).status_code == 409
    reopened = voorzitter.api("POST", url, json={"status": "nieuw", "toelichting": "Nieuwe klachten"})
    assert reopened.status_code == 200
    last = voorzitter.get(f"{API}/{signaal['id']}").json()["historiek"][-1]
    assert (last["van"], last["naar"], last["toelichting"], last["door"]) == (
        "afgesloten", "nieuw", "Nieuwe klachten", "Voorzitter Test")


# ----------------------------------------------------------------------------- unknown ids

@pytest.mark.parametrize("raw", ["abc", "-1", "0", "1.5", "99999999999999999999", "9223372036854775808",
                                 "%C2%B2", "%D9%A1", "1%20", "99999"])
def test_unknown_or_garbage_ids_are_404_never_400_or_500(werker, raw):
    create(werker)
    url = f"{API}/{raw}"
    assert werker.get(url).status_code == 404
    assert werker.api("PATCH", url, json={"versie": 1, "titel": "x"}).status_code == 404
    assert werker.api("POST", f"{url}/status", json={"status": "niet_weerhouden", "toelichting": "x"}
                      ).status_code == 404


# ----------------------------------------------------------------------------- filters

@pytest.fixture
def register(werker, voorzitter):
    """Five signals in Mechelen, by two authors, spread over time and taxonomy."""
    made = {
        "plekken": create(werker, datum="2025-03-01"),
        "bus": create(werker, titel="Laatste bus rijdt te vroeg", omschrijving="Na de training geen bus meer.",
                      datum="2025-04-10", plek="Station", bron="online", levensdomein="vrije-tijd",
                      signaaltype="mobiliteit", citaten=[]),
        "stress": create(voorzitter, titel="Examenstress", omschrijving="Veel jongeren slapen slecht.",
                         datum="2025-05-20", plek="Jeugdhuis", bron="activiteit", levensdomein="welzijn",
                         signaaltype="mentaal-welzijn", citaten=["Ik lig wakker van de examens."]),
        "banken": create(voorzitter, titel="Banken weggehaald", omschrijving="Op het plein staan geen banken meer.",
                         datum="2025-06-30", plek="Grote Markt", bron="straat", levensdomein="ruimte",
                         signaaltype="publieke-ruimte", citaten=[]),
        "online": create(werker, titel="Pesten in groepschat", omschrijving="Foto's worden rondgestuurd.",
                         datum="2025-07-15", plek="", bron="online", levensdomein="online",
                         signaaltype="online-veiligheid", citaten=[]),
    }
    voorzitter.api("POST", f"{API}/{made['stress']['id']}/status", json={"status": "gebundeld"})
    return {name: signaal["id"] for name, signaal in made.items()}


def _find(persona, **params) -> list[int]:
    return ids(persona.get(API, params=params))


def test_full_text_search_understands_dutch_inflection(werker, register):
    assert _find(werker, q="ontmoetingsplek") == [register["plekken"]]
    assert _find(werker, q="ONTMOETINGSPLEKKEN") == [register["plekken"]]
    assert _find(werker, q="examens") == [register["stress"]]  # found in a citaat
    assert _find(werker, q="bank") == [register["banken"]]  # singular finds plural
    assert _find(werker, q="bank plein") == [register["banken"]]
    assert _find(werker, q="bank olifant") == []  # every term must occur
    assert _find(werker, q="olifant") == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"levensdomein": "ruimte"}, ["banken", "plekken"]),
    ({"signaaltype": "mobiliteit"}, ["bus"]),
    ({"status": "gebundeld"}, ["stress"]),
    ({"bron": "online"}, ["online", "bus"]),
    ({"plek": "station"}, ["bus"]),
    ({"van": "2025-05-20", "tot": "2025-06-30"}, ["banken", "stress"]),
    ({"van": "2025-07-01"}, ["online"]),
    ({"tot": "2025-03-01"}, ["plekken"]),
    ({"levensdomein": "bestaat-niet"}, []),
    ({"gemeente": "mechelen", "bron": "straat"}, ["banken", "plekken"]),
])
def test_each_filter_narrows_the_register(werker, register, params, expected):
    assert _find(werker, **params) == [register[name] for name in expected]


def test_author_filters(werker, voorzitter, register):
    assert _find(werker, auteur="ik") == [register[n] for n in ("online", "bus", "plekken")]
    assert _find(voorzitter, auteur="ik") == [register[n] for n in ("banken", "stress")]
    assert _find(werker, auteur=str(voorzitter.user_id)) == [register[n] for n in ("banken", "stress")]
    assert _find(werker, auteur="424242") == []


def test_paging_and_sorting(werker, register):
    first = werker.get(API, params={"per_pagina": 2}).json()
    assert (first["totaal"], first["pagina"], first["per_pagina"]) == (5, 1, 2)
    assert [i["id"] for i in first["items"]] == [register["online"], register["banken"]]
    last = werker.get(API, params={"per_pagina": 2, "pagina": 3}).json()
    assert last["totaal"] == 5 and [i["id"] for i in last["items"]] == [register["plekken"]]
    beyond = werker.get(API, params={"per_pagina": 2, "pagina": 9}).json()
    assert beyond["items"] == [] and beyond["totaal"] == 5
    assert _find(werker, sorteer="oudste")[0] == register["plekken"]
    assert _find(werker, sorteer="titel")[0] == register["banken"]
    filtered = werker.get(API, params={"bron": "online", "per_pagina": 1}).json()
    assert filtered["totaal"] == 2 and len(filtered["items"]) == 1


def test_van_after_tot_is_a_400_on_tot(werker, register):
    response = werker.get(API, params={"van": "2025-06-01", "tot": "2025-05-01"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"tot": "De einddatum ligt voor de begindatum."}


@pytest.mark.parametrize(("params", "field"), [
    ({"van": "gisteren"}, "van"), ({"tot": "2025-02-30"}, "tot"), ({"status": "kwijt"}, "status"),
    ({"bron": "tv"}, "bron"), ({"pagina": "0"}, "pagina"), ({"pagina": "een"}, "pagina"),
    ({"per_pagina": "101"}, "per_pagina"), ({"sorteer": "random"}, "sorteer"), ({"auteur": "jan"}, "auteur"),
    ({"auteur": "99999999999999999999"}, "auteur"), ({"auteur": "²"}, "auteur"),
])
def test_unusable_filters_answer_400_with_the_field(werker, register, params, field):
    response = werker.get(API, params=params)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert response.json()["detail"] == "Niet alle filters zijn bruikbaar."


@pytest.mark.parametrize("q", ["' OR 1=1 --", '"*', "AND OR NOT", "NEAR(", "*", "ñ", "🙂", "a" * 500])
def test_odd_search_text_never_breaks_the_register(werker, register, q):
    response = werker.get(API, params={"q": q})
    assert response.status_code == 200
    assert response.json()["totaal"] <= 5


def test_a_foreign_or_unknown_gemeente_filter_is_404(werker, register):
    for slug in ("hoeilaart", "leuven", "bestaat-niet"):
        assert werker.get(API, params={"gemeente": slug}).status_code == 404


# ----------------------------------------------------------------------------- taxonomy

def test_the_taxonomy_lists_active_choices_with_dutch_names(personas):
    sync(Levensdomein.update({Levensdomein.actief: False}).where(Levensdomein.slug == "werk"))
    for name in ("werker", "partner", "coordinator", "beheerder"):
        response = personas[name].get("/api/v1/taxonomie")
        assert response.status_code == 200
        tax = response.json()
        assert set(tax) == {"levensdomeinen", "signaaltypes", "bronnen", "statussen", "leeftijden"}
    levensdomeinen = {item["slug"]: item["naam"] for item in tax["levensdomeinen"]}
    assert levensdomeinen["ruimte"] == "Ruimte" and "werk" not in levensdomeinen
    mobiliteit = next(i for i in tax["signaaltypes"] if i["slug"] == "mobiliteit")
    assert mobiliteit["naam"] == "Mobiliteit / uitwijken naar centrumsteden" and mobiliteit["omschrijving"]
    assert {"slug": "straat", "naam": "Op straat"} in tax["bronnen"]
    assert [s["slug"] for s in tax["statussen"]][:3] == ["nieuw", "gebundeld", "geagendeerd"]
    assert {"slug": "niet_weerhouden", "naam": "Niet weerhouden"} in tax["statussen"]
    assert {"slug": "12-15", "naam": "12 tot 15 jaar"} in tax["leeftijden"]
    assert len(tax["bronnen"]) == 5 and len(tax["leeftijden"]) == 5 and len(tax["statussen"]) == 9


def test_an_inactive_taxonomy_slug_is_refused_on_create(werker):
    sync(Levensdomein.update({Levensdomein.actief: False}).where(Levensdomein.slug == "werk"))
    response = werker.api("POST", API, json=body(levensdomein="werk"))
    assert response.status_code == 422 and set(response.json()["fields"]) == {"levensdomein"}


# ----------------------------------------------------------------------------- OpenAPI

def test_openapi_documents_every_field_of_the_signal_api(anonymous):
    response = anonymous.get("/schema/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    paths = spec["paths"]
    components = spec["components"]["schemas"]

    def resolve(schema: dict) -> dict:
        """Follow $ref (and a single allOf) to the component, whatever name it was given."""
        while "$ref" in schema or len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0] if "allOf" in schema else schema
            schema = components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def body_of(path: str, method: str) -> dict:
        return resolve(paths[path][method]["requestBody"]["content"]["application/json"]["schema"])

    def answer_of(path: str, method: str, code: str) -> dict:
        return resolve(paths[path][method]["responses"][code]["content"]["application/json"]["schema"])

    def items_of(schema: dict, name: str) -> dict:
        return resolve(schema["properties"][name]["items"])

    create_fields = {"gemeente", "titel", "omschrijving", "datum", "plek", "bron", "levensdomein", "signaaltype",
                     "aantal_jongeren", "leeftijd", "citaten", "bevestig_persoonsgegevens"}
    single = "/api/v1/signalen/{id}"
    assert set(body_of(API, "post")["properties"]) == create_fields | {"client_id"}
    assert set(body_of(single, "patch")["properties"]) == create_fields - {"gemeente"} | {"versie"}
    assert set(body_of(f"{single}/status", "post")["properties"]) == {"status", "toelichting"}
    assert "description" in body_of(API, "post")["properties"]["titel"]

    created = answer_of(API, "post", "201")
    assert set(created["properties"]) == SIGNAL_FIELDS
    assert set(answer_of(API, "post", "200")["properties"]) == SIGNAL_FIELDS  # a repeated client_id
    assert set(created["required"]) == SIGNAL_FIELDS
    assert set(answer_of(single, "patch", "200")["properties"]) == SIGNAL_FIELDS
    assert set(answer_of(f"{single}/status", "post", "200")["properties"]) == SIGNAL_FIELDS
    assert set(items_of(created, "persoonsgegevens")["properties"]) >= {"soort", "veld", "tekst", "bevestigd_door"}
    detail = answer_of(single, "get", "200")
    assert set(detail["properties"]) == SIGNAL_FIELDS | {"historiek"}
    assert set(items_of(detail, "historiek")["properties"]) == {"tijdstip", "soort", "van", "naar", "toelichting",
                                                                "door"}
    listing = answer_of(API, "get", "200")
    assert set(listing["properties"]) == {"items", "totaal", "pagina", "per_pagina"}
    assert set(items_of(listing, "items")["properties"]) == SIGNAL_FIELDS
    taxonomy = answer_of("/api/v1/taxonomie", "get", "200")
    assert set(taxonomy["properties"]) == {"levensdomeinen", "signaaltypes", "bronnen", "statussen", "leeftijden"}
    assert set(items_of(taxonomy, "bronnen")["properties"]) == {"slug", "naam"}
    assert {"slug", "naam"} <= set(items_of(taxonomy, "levensdomeinen")["properties"])

    list_params = {p["name"] for p in paths[API]["get"]["parameters"]}
    assert {"q", "gemeente", "levensdomein", "signaaltype", "status", "bron", "plek", "auteur", "van", "tot",
            "pagina", "per_pagina", "sorteer"} <= list_params
    for path, method, codes in ((API, "post", {"400", "401", "403", "422"}),
                                (single, "patch", {"400", "403", "404", "409", "422"}),
                                (f"{single}/status", "post", {"403", "404", "409", "422"}),
                                (single, "get", {"401", "404"}), (API, "get", {"400", "401"})):
        assert codes <= set(paths[path][method]["responses"])
        assert {"detail", "status_code", "fields"} <= set(answer_of(path, method, "404" if "404" in codes else
                                                                    "401")["properties"])
    assert all(op["tags"] == ["signalen"] for path in (API, single, f"{single}/status", "/api/v1/taxonomie")
               for op in paths[path].values())
