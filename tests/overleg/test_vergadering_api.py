"""The meetings API: /api/v1/vergaderingen (list, create), /{id} and /{id}/agenda — shapes, every persona, bad input,
CSRF and the OpenAPI description."""

from __future__ import annotations

import datetime as dt

import pytest

from common import dates
from common.dates import today
from overleg.tables import Dossier, Overleg, Overleglid, Partner, Vergadering
from overleg.vergaderingen import agenda
from overleg.vergaderingen import services as V
from signalen.tables import Signaal
from tests.support import current_user, make_signaal, sync

API = "/api/v1/vergaderingen"
TODAY = today()
SOON = (TODAY + dt.timedelta(days=10)).isoformat()


def make_overleg(world) -> dict:
    async def build() -> dict:
        overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        await overleg.save()
        caw = Partner(overleg=overleg.id, naam="CAW Boven-Schelde", soort="caw")
        await caw.save()
        clb = Partner(overleg=overleg.id, naam="CLB Mechelen", soort="clb")
        await clb.save()
        await Overleglid(overleg=overleg.id, user=world.users["partner"], partner=caw.id, rol="partner").save()
        other = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="Jeugdoverleg Hoeilaart")
        await other.save()
        return {"id": overleg.id, "caw": caw.id, "clb": clb.id, "hoeilaart": other.id}

    return sync(build())


def make_dossier(persona, titel: str, ages: list[int]) -> int:
    dossier = Dossier(gemeente=persona.gemeenten["mechelen"], titel=titel, aangemaakt_op=dates.now())
    sync(dossier.save())
    for age in ages:
        signaal = make_signaal(persona, datum=(TODAY - dt.timedelta(days=age)).isoformat())
        sync(Signaal.update({Signaal.dossier: dossier.id, Signaal.status: "gebundeld"}).where(
            Signaal.id == signaal["id"]))
    return dossier.id


def body(overleg_id: int, **overrides) -> dict:
    return {"overleg": overleg_id, "datum": SOON, "begin": "19:30", "plaats": "Jeugdhuis De Pit", **overrides}


@pytest.fixture
def setup(world, werker, voorzitter):
    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Geen ontmoetingsplek", [5, 15])
    groot = make_dossier(werker, "Laatste bus", [3, 6, 9, 12])
    data = {"datum": SOON, "begin": "19:30", "plaats": "De Pit"}
    meeting = sync(V.create_vergadering(current_user(voorzitter), overleg["id"], data))["id"]
    return {**overleg, "dossier": dossier, "groot": groot, "meeting": meeting}


# ----------------------------------------------------------------------------- creating

def test_the_chair_creates_a_meeting_and_gets_201_with_its_shape(voorzitter, world):
    overleg = make_overleg(world)
    response = voorzitter.api("POST", API, json=body(overleg["id"], partners=[overleg["clb"]]))
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == {"id", "overleg", "overleg_naam", "gemeente", "datum", "begin", "plaats", "status",
                            "gepubliceerd_op", "versie", "einde", "deelnemers"}
    assert (created["overleg"], created["gemeente"], created["datum"], created["begin"], created["plaats"]) == (
        overleg["id"], "mechelen", SOON, "19:30", "Jeugdhuis De Pit")
    assert created["status"] == "concept" and created["einde"] == "19:30" and created["gepubliceerd_op"] is None
    assert [(d["partner"], d["naam"], d["aanwezigheid"]) for d in created["deelnemers"]] == [
        (overleg["clb"], "CLB Mechelen", "uitgenodigd")]
    everyone = voorzitter.api("POST", API, json=body(overleg["id"])).json()
    assert len(everyone["deelnemers"]) == 2


@pytest.mark.parametrize(("name", "status"), [
    ("werker", 403), ("partner", 403), ("coordinator", 403), ("werker2", 404), ("beheerder", 404),
    ("anonymous", 401)])
def test_only_the_chair_creates_meetings(personas, world, name, status):
    overleg = make_overleg(world)
    assert personas[name].api("POST", API, json=body(overleg["id"])).status_code == status
    assert sync(Vergadering.count()) == 0


def test_a_meeting_for_a_foreign_or_unknown_overleg_answers_404(voorzitter, world):
    overleg = make_overleg(world)
    assert voorzitter.api("POST", API, json=body(overleg["hoeilaart"])).status_code == 404
    assert voorzitter.api("POST", API, json=body(999999)).status_code == 404
    assert voorzitter.api("POST", API, json=body(-3)).status_code == 404
    assert sync(Vergadering.count()) == 0


@pytest.mark.parametrize(("overrides", "fields"), [
    ({"datum": "morgen"}, {"datum"}), ({"datum": "1850-01-01"}, {"datum"}), ({"begin": "7u"}, {"begin"}),
    ({"plaats": " \u200b "}, set()), ({"plaats": "x" * 201}, {"plaats"}), ({"datum": None, "begin": None},
                                                                          {"datum", "begin"}),
    ({"partners": [999999]}, {"partners"}), ({"overleg": None}, {"overleg"}),
])
def test_bad_input_gets_422_with_dutch_messages_per_field(voorzitter, world, overrides, fields):
    overleg = make_overleg(world)
    response = voorzitter.api("POST", API, json=body(overleg["id"], **overrides))
    if not fields:  # a zero-width space is text: the place is accepted as typed
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.text
    assert set(response.json()["fields"]) == fields
    assert all(message[0].isupper() for message in response.json()["fields"].values())


@pytest.mark.parametrize("payload", [{"overleg": "een"}, {"overleg": 1, "partners": "alle"}, [1, 2], "tekst"])
def test_wrong_json_types_get_400_in_dutch(voorzitter, world, payload):
    make_overleg(world)
    response = voorzitter.api("POST", API, json=payload)
    assert response.status_code == 400
    assert response.json()["detail"] in ("Deze aanvraag klopt niet.", "Stuur een JSON-object met de velden.")


def test_creating_without_the_csrf_header_is_refused(voorzitter, world):
    overleg = make_overleg(world)
    voorzitter.csrf()
    response = voorzitter.client.post(API, json=body(overleg["id"]))
    assert response.status_code == 403
    assert sync(Vergadering.count()) == 0


# ----------------------------------------------------------------------------- listing and reading

@pytest.mark.parametrize(("name", "sees_concept", "sees_published"), [
    ("voorzitter", True, True), ("werker", True, True), ("coordinator", True, True), ("partner", False, True),
    ("werker2", False, False), ("beheerder", False, False)])
def test_the_list_holds_the_meetings_each_persona_may_see(personas, setup, name, sees_concept, sees_published):
    voorzitter = personas["voorzitter"]
    published = sync(V.create_vergadering(current_user(voorzitter), setup["id"],
                                          {"datum": SOON, "begin": "14:00", "plaats": "Stadhuis"}))["id"]
    sync(agenda.add_vrij_punt(current_user(voorzitter), published, "mededelingen"))
    sync(agenda.publish(current_user(voorzitter), published))
    response = personas[name].api("GET", API)
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert (setup["meeting"] in ids) == sees_concept and (published in ids) == sees_published
    assert response.json()["totaal"] == len(ids)


def test_the_list_filters_on_overleg(voorzitter, setup):
    assert [i["id"] for i in voorzitter.api("GET", f"{API}?overleg={setup['id']}").json()["items"]] == [
        setup["meeting"]]
    assert voorzitter.api("GET", f"{API}?overleg={setup['hoeilaart']}").status_code == 404
    assert voorzitter.api("GET", f"{API}?overleg=abc").status_code == 400


def test_anonymous_gets_401_everywhere(anonymous, setup):
    for url in (API, f"{API}/{setup['meeting']}", f"{API}/{setup['meeting']}/agenda"):
        assert anonymous.api("GET", url).status_code == 401


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.0", "99999999999999999999", "999999", "%C2%B2"])
def test_ids_that_are_no_meeting_answer_404(voorzitter, setup, raw):
    assert voorzitter.api("GET", f"{API}/{raw}").status_code == 404
    assert voorzitter.api("GET", f"{API}/{raw}/agenda").status_code == 404


@pytest.mark.parametrize(("name", "status"), [("voorzitter", 200), ("werker", 200), ("coordinator", 200),
                                              ("partner", 404), ("werker2", 404), ("beheerder", 404)])
def test_an_unpublished_meeting_per_persona(personas, setup, name, status):
    assert personas[name].api("GET", f"{API}/{setup['meeting']}").status_code == status
    assert personas[name].api("GET", f"{API}/{setup['meeting']}/agenda").status_code == status


# ----------------------------------------------------------------------------- the agenda

def test_the_agenda_has_points_and_for_the_chair_ranked_proposals(voorzitter, werker, partner, setup):
    user = current_user(voorzitter)
    punt = sync(agenda.add_dossier_punt(user, setup["meeting"], setup["dossier"]))["id"]
    rondvraag = sync(agenda.add_vrij_punt(user, setup["meeting"], "rondvraag"))["id"]
    sync(V.set_functies(user, setup["meeting"], punt, ["forum", "signaal_advies"]))
    response = voorzitter.api("GET", f"{API}/{setup['meeting']}/agenda")
    assert response.status_code == 200
    result = response.json()
    assert result["einde"] == "20:00" and result["status"] == "concept"
    assert [{k: p[k] for k in ("id", "titel", "dossier", "functies", "duur_minuten")} for p in result["punten"]] == [
        {"id": punt, "titel": "Geen ontmoetingsplek", "dossier": setup["dossier"],
         "functies": ["forum", "signaal_advies"], "duur_minuten": 20},
        {"id": rondvraag, "titel": "Rondvraag", "dossier": None, "functies": [], "duur_minuten": 10}]
    assert [p["start"] for p in result["punten"]] == ["19:30", "19:50"]
    [voorstel] = result["voorstellen"]
    assert voorstel["dossier"] == setup["groot"] and voorstel["titel"] == "Laatste bus"
    assert voorstel["reden"] == "4 signalen, +4 in de laatste 3 maanden, 24 jongeren, oudste onbehandeld signaal " \
                                "12 dagen"
    assert isinstance(voorstel["score"], float) and voorstel["signalen"] == 4
    assert werker.api("GET", f"{API}/{setup['meeting']}/agenda").json()["voorstellen"] == []
    sync(agenda.publish(user, setup["meeting"]))
    seen = partner.api("GET", f"{API}/{setup['meeting']}/agenda").json()
    assert [p["id"] for p in seen["punten"]] == [punt, rondvraag] and seen["voorstellen"] == []


def test_the_openapi_schema_documents_every_field(anonymous):
    schema = anonymous.get("/schema/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[API]) and "get" in paths[f"{API}/{{vergadering_id}}/agenda"]
    assert "vergaderingen" in paths[API]["post"]["tags"]
    components = schema["components"]["schemas"]
    ref = paths[f"{API}/{{vergadering_id}}/agenda"]["get"]["responses"]["200"]["content"]["application/json"]
    agenda_schema = components[ref["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"punten", "voorstellen", "einde"} <= set(agenda_schema["properties"])
    punt = components[agenda_schema["properties"]["punten"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"id", "titel", "dossier", "functies", "duur_minuten"} <= set(punt["properties"])
    voorstel = components[agenda_schema["properties"]["voorstellen"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"dossier", "titel", "score", "reden"} <= set(voorstel["properties"])
    assert voorstel["properties"]["reden"].get("description")
    nieuw = components["VergaderingNieuw"]
    assert {"overleg", "datum", "begin", "plaats"} <= set(nieuw["properties"])
