"""Similar signals: the scoring, and GET /api/v1/signalen/{id}/vergelijkbaar + POST …/vergelijkbaar per persona."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from common.dates import today
from signalen import meaning, similar
from signalen.embeddings import embed_missing
from signalen.tables import Signaal
from tests.support import login_as, make_signaal, sync

API = "/api/v1/signalen"
TODAY = today()

BANKEN = dict(titel="Nergens om te zitten op het plein", omschrijving="De banken zijn weg, de jongeren staan rond.",
              plek="Oud Oefenplein")
ZITBANKEN = dict(titel="Geen zitbanken meer in het park", omschrijving="Jongeren hebben geen plek om samen te zitten.",
                 plek="Oud Oefenplein")
BUS = dict(titel="De laatste bus naar huis rijdt te vroeg",
           omschrijving="Na de training is er geen vervoer terug, ze zijn afhankelijk van de ouders met de auto.",
           plek="Station", signaaltype="mobiliteit", levensdomein="vrije-tijd")
UNRELATED = "De gemeente organiseert een barbecue voor senioren in het rusthuis"


def _row(i: int, **overrides) -> dict:
    return {"id": i, "plek": "", "datum": TODAY, "signaaltype": None, "levensdomein": None, **overrides}


def _profile(text: str, **attributes) -> similar.Profile:
    return similar.profile([attributes], [meaning.embed_one(text)])


# ----------------------------------------------------------------------------- pure scoring

def test_a_signal_about_the_same_need_is_found_with_a_readable_reason():
    vectors = {1: meaning.embed_one("Geen zitbanken meer in het park, jongeren staan rond"),
               2: meaning.embed_one(UNRELATED)}
    rows = [_row(1, plek="Oud Oefenplein", signaaltype=4), _row(2, plek="Oud Oefenplein")]
    found = similar.similar_signals(_profile("Nergens om te zitten op het plein. De banken zijn weg.",
                                             plek="oud  oefenplein", signaaltype=4), rows, vectors)
    assert [item.signaal["id"] for item in found] == [1]
    assert found[0].reden == "zelfde betekenis; zelfde plek (Oud Oefenplein); zelfde signaaltype"
    assert 0 < found[0].score <= 1 and round(found[0].score, 2) == found[0].score


def _at_cosine(cosine: float) -> np.ndarray:
    """A unit vector with this cosine to the first axis."""
    vector = np.zeros(meaning.DIMENSIONS, dtype=np.float32)
    vector[0], vector[1] = cosine, (1 - cosine**2) ** 0.5
    return vector


@pytest.mark.parametrize(("cosine", "reden"), [(0.40, None), (0.55, "verwante betekenis; zelfde plek (Markt)"),
                                               (0.65, "zelfde betekenis"), (0.90, "zelfde betekenis")])
def test_the_meaning_thresholds_decide_what_is_shown_and_how_it_is_said(cosine, reden):
    axis = _at_cosine(1.0)
    target = similar.profile([{"plek": "Markt"}], [axis])
    plek = "Markt" if cosine < similar.SAME_COSINE else "Elders"
    found = similar.similar_signals(target, [_row(1, plek=plek)], {1: _at_cosine(cosine)})
    assert [item.reden for item in found] == ([] if reden is None else [reden])


def test_an_unrelated_text_gives_nothing_even_at_the_same_place_and_type():
    vectors = {i: meaning.embed_one(text) for i, text in enumerate(
        ["De laatste bus naar huis rijdt te vroeg", "Pesten op school via Snapchat", UNRELATED], start=1)}
    rows = [_row(i, plek="Markt", signaaltype=2, levensdomein=3) for i in vectors]
    target = _profile("Het wifi-netwerk van de bibliotheek werkt niet", plek="Markt", signaaltype=2, levensdomein=3)
    assert similar.similar_signals(target, rows, vectors) == []


def test_scores_are_ordered_limited_and_recent_counts():
    text = "Jongeren hebben geen plek om samen te zitten in de wijk"
    vectors = {i: meaning.embed_one(text) for i in range(1, 6)}
    rows = [_row(i, datum=TODAY - dt.timedelta(days=100 * i)) for i in range(1, 6)]
    found = similar.similar_signals(_profile(text), rows, vectors, limit=3)
    assert [item.signaal["id"] for item in found] == [1, 2, 3]
    assert found[0].score >= found[1].score >= found[2].score
    assert found[0].reden.startswith("zelfde betekenis")


def test_candidates_without_a_vector_and_odd_limits_give_no_error():
    target = _profile("Geen plek om te zitten")
    assert similar.similar_signals(target, [_row(1)], {}) == []
    assert similar.similar_signals(target, [], {}) == []
    assert similar.similar_signals(target, [_row(1)], {1: meaning.embed_one("Geen plek")}, limit=0) == []
    empty = similar.profile([], [])
    assert similar.similar_signals(empty, [_row(1)], {1: meaning.embed_one("Geen plek")}) == []


def test_the_vote_suggests_only_when_the_nearest_agree():
    texts = ["De laatste bus rijdt te vroeg", "Geen vervoer terug na de training", "De bus naar huis is al weg",
             "Afhankelijk van de ouders met de auto om thuis te geraken"]
    vectors = {i: meaning.embed_one(t) for i, t in enumerate(texts, start=1)}
    target = meaning.embed_one("Er rijdt 's avonds geen bus meer naar huis")
    agreeing = [_row(i, soort="mobiliteit") for i in vectors]
    assert similar.vote(target, agreeing, vectors, "soort") == "mobiliteit"
    split = [_row(i, soort=f"type-{i % 2}") for i in vectors]
    assert similar.vote(target, split, vectors, "soort") is None
    assert similar.vote(target, agreeing[:2], vectors, "soort") is None  # two neighbours are not enough
    assert similar.vote(meaning.embed_one(UNRELATED), agreeing, vectors, "soort") is None


# ----------------------------------------------------------------------------- the signal endpoint

@pytest.fixture
def stored(werker, werker2):
    """Two similar signals in Mechelen, one unrelated, one similar in Hoeilaart; all embedded."""
    ids = {
        "banken": make_signaal(werker, **BANKEN)["id"],
        "zitbanken": make_signaal(werker, **ZITBANKEN)["id"],
        "bus": make_signaal(werker, **BUS)["id"],
        "hoeilaart": make_signaal(werker2, gemeente="hoeilaart", **ZITBANKEN)["id"],
    }
    sync(embed_missing())
    return ids


def _items(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_the_worker_gets_similar_signals_of_the_same_gemeente_only(werker, stored):
    items = _items(werker.get(f"{API}/{stored['banken']}/vergelijkbaar"))
    assert [item["signaal"] for item in items] == [stored["zitbanken"]]
    item = items[0]
    assert set(item) >= {"signaal", "score", "reden"} and 0 < item["score"] <= 1
    assert "zelfde plek (Oud Oefenplein)" in item["reden"] and "zelfde signaaltype" in item["reden"]
    assert item["titel"] == ZITBANKEN["titel"]


@pytest.mark.parametrize("name, status", [("werker", 200), ("voorzitter", 200), ("coordinator", 200),
                                          ("werker2", 404), ("partner", 404), ("beheerder", 404),
                                          ("anonymous", 401)])
def test_every_persona_reads_what_they_may_read_of_the_register(app, world, stored, name, status):
    persona = login_as(app, world, name)
    response = persona.get(f"{API}/{stored['banken']}/vergelijkbaar")
    assert response.status_code == status
    if status == 200:
        assert stored["hoeilaart"] not in [item["signaal"] for item in response.json()["items"]]


def test_a_worker_of_the_other_gemeente_sees_only_their_own(werker2, stored):
    assert werker2.get(f"{API}/{stored['banken']}/vergelijkbaar").status_code == 404
    own = _items(werker2.get(f"{API}/{stored['hoeilaart']}/vergelijkbaar"))
    assert stored["banken"] not in [i["signaal"] for i in own]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.5", "99999999999", "%20", "1%27%20OR%201=1"])
def test_bad_and_unknown_ids_are_404(werker, stored, bad):
    assert werker.get(f"{API}/{bad}/vergelijkbaar").status_code == 404


@pytest.mark.parametrize("limit, status", [("1", 200), ("20", 200), ("0", 400), ("21", 400), ("-3", 400),
                                           ("drie", 400), ("", 200), ("1e1", 400), ("٣", 400)])
def test_the_limit_is_one_to_twenty(werker, stored, limit, status):
    response = werker.get(f"{API}/{stored['banken']}/vergelijkbaar", params={"limit": limit})
    assert response.status_code == status, response.text
    if status == 400:
        assert "limit" in response.json()["fields"]
    else:
        assert len(response.json()["items"]) <= int(limit or 3)


def test_a_signal_without_a_meaning_yet_is_embedded_when_asked(werker, stored):
    sync(Signaal.update({Signaal.betekenis: None}).where(Signaal.id == stored["banken"]))
    assert [i["signaal"] for i in _items(werker.get(f"{API}/{stored['banken']}/vergelijkbaar"))] == [
        stored["zitbanken"]]
    assert sync(Signaal.select(Signaal.betekenis).where(Signaal.id == stored["banken"]).first())["betekenis"]


def test_a_signal_whose_text_is_now_flagged_without_confirmation_is_never_shown(werker, stored):
    # Stored before the guard knew this kind of data (the guard now flags the phone number; nobody confirmed it).
    sync(Signaal.update({Signaal.omschrijving: "Bel Sara op 0470 12 34 56, de banken zijn weg."})
         .where(Signaal.id == stored["zitbanken"]))
    assert _items(werker.get(f"{API}/{stored['banken']}/vergelijkbaar")) == []


def test_the_meaning_is_not_in_the_answer(werker, stored):
    items = _items(werker.get(f"{API}/{stored['banken']}/vergelijkbaar"))
    assert items and all("betekenis" not in item for item in items)


# ----------------------------------------------------------------------------- the draft endpoint (intake)

def _draft(persona, body, **kwargs):
    return persona.api("POST", f"{API}/vergelijkbaar", json=body, **kwargs)


def test_a_draft_finds_similar_signals_and_suggests_nothing_without_enough_neighbours(werker, stored):
    response = _draft(werker, {"gemeente": "mechelen", "titel": "Geen banken meer op het Oud Oefenplein",
                               "omschrijving": "Ze hebben nergens om te zitten.", "plek": "Oud Oefenplein"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(i["signaal"] for i in answer["items"]) <= {stored["banken"], stored["zitbanken"]}
    assert answer["items"] and stored["hoeilaart"] not in [i["signaal"] for i in answer["items"]]
    assert answer["voorstel"] == {"signaaltype": None, "levensdomein": None}  # only two neighbours agree


def test_a_draft_suggests_the_type_when_the_nearest_signals_agree(werker):
    for titel in ("De laatste bus rijdt te vroeg", "Geen vervoer terug na de training", "De bus naar huis is al weg",
                  "Na de jeugdbeweging rijdt er geen bus meer"):
        make_signaal(werker, titel=titel, omschrijving="Ze geraken niet thuis.", signaaltype="mobiliteit",
                     levensdomein="vrije-tijd")
    sync(embed_missing())
    answer = _draft(werker, {"gemeente": "mechelen", "titel": "s Avonds geen bus meer naar huis"}).json()
    assert answer["voorstel"]["signaaltype"] == "mobiliteit"


def test_a_draft_that_is_unrelated_gives_nothing(werker, stored):
    answer = _draft(werker, {"gemeente": "mechelen", "titel": UNRELATED}).json()
    assert answer == {"items": [], "voorstel": {"signaaltype": None, "levensdomein": None}}


@pytest.mark.parametrize("name, status", [("werker", 200), ("voorzitter", 200), ("coordinator", 200),
                                          ("werker2", 404), ("partner", 404), ("beheerder", 404),
                                          ("anonymous", 401)])
def test_the_draft_endpoint_per_persona(app, world, stored, name, status):
    persona = login_as(app, world, name)
    response = _draft(persona, {"gemeente": "mechelen", "titel": BANKEN["titel"]})
    assert response.status_code == status


@pytest.mark.parametrize("body, status", [
    ({"titel": "Geen banken"}, 422),
    ({"gemeente": "   ", "titel": "Geen banken"}, 422),
    ({"gemeente": "leuven", "titel": "Geen banken"}, 404),
    ({"gemeente": "bestaat-niet", "titel": "Geen banken"}, 404),
    ({"gemeente": 3, "titel": "Geen banken"}, 400),
    ({"gemeente": "mechelen", "titel": ["lijst"]}, 400),
    ({"gemeente": "mechelen", "titel": "   ", "omschrijving": "\u200b\n"}, 200),
    ({"gemeente": "mechelen", "titel": "<script>alert(1)</script>' OR 1=1 --"}, 200),
    ({"gemeente": "mechelen", "titel": "𝔊𝔢𝔢𝔫 𝔟𝔞𝔫𝔨𝔢𝔫 🙂" * 10, "omschrijving": "x" * 200_000}, 200),
])
def test_bad_draft_bodies(werker, stored, body, status):
    response = _draft(werker, body)
    assert response.status_code == status, response.text
    if status == 200:
        assert "<script>" not in json.dumps(response.json()["items"])


def test_a_body_that_is_not_json_or_not_an_object_is_400(werker):
    headers = {"content-type": "application/json"}
    assert _draft(werker, None, content=b"{niet json", headers=headers).status_code == 400
    assert werker.api("POST", f"{API}/vergelijkbaar", json=["mechelen"]).status_code == 400


def test_the_draft_needs_the_csrf_header(werker, stored):
    response = werker.client.post(f"{API}/vergelijkbaar", json={"gemeente": "mechelen", "titel": "Geen banken"})
    assert response.status_code == 403


def test_the_draft_text_never_sits_in_the_url(werker, stored):
    assert werker.get(f"{API}/vergelijkbaar", params={"gemeente": "mechelen", "titel": "Geen banken"}
                      ).status_code in (404, 405)
    spec = werker.get("/schema/openapi.json").json()
    operation = spec["paths"][f"{API}/vergelijkbaar"]
    assert set(operation) == {"post"} and not operation["post"].get("parameters")


def test_both_endpoints_are_in_the_openapi_document(werker):
    paths = werker.get("/schema/openapi.json").json()["paths"]
    get = paths[API + "/{id}/vergelijkbaar"]["get"]
    assert {"200", "401", "404"} <= set(get["responses"])
    assert {"200", "401", "404"} <= set(paths[f"{API}/vergelijkbaar"]["post"]["responses"])



# ----------------------------------------------------------------------------- the saved page (without JavaScript)

def test_the_saved_page_lists_similar_signals_after_the_first_submit(werker, stored):
    form = {"gemeente": "mechelen", "titel": "Geen banken meer op het Oud Oefenplein",
            "omschrijving": "Ze hebben nergens om te zitten.", "datum": TODAY.isoformat(), "plek": "Oud Oefenplein"}
    page = werker.post_form("/signalen/nieuw", form)
    assert page.status_code == 200 and "Signaal opgeslagen" in page.text
    assert "Vergelijkbare signalen" in page.text
    assert ZITBANKEN["titel"] in page.text and f'/signalen/{stored["zitbanken"]}"' in page.text
    assert TODAY.strftime("%d/%m/%Y") in page.text and "zelfde plek (Oud Oefenplein)" in page.text
    assert ZITBANKEN["titel"] + "</a>" in page.text  # the Hoeilaart twin has the same title: only Mechelen's link
    assert f'/signalen/{stored["hoeilaart"]}"' not in page.text


def test_the_saved_page_of_an_unrelated_signal_has_no_section(werker, stored):
    form = {"gemeente": "mechelen", "titel": UNRELATED, "omschrijving": "Met muziek en een quiz.",
            "datum": TODAY.isoformat()}
    page = werker.post_form("/signalen/nieuw", form)
    assert page.status_code == 200 and "Vergelijkbare signalen" not in page.text


def test_the_intake_has_the_live_region_and_the_edit_form_not(werker, stored):
    intake = werker.get("/signalen/nieuw").text
    assert 'id="lijkt-op"' in intake and 'aria-live="polite"' in intake and "js/lijkt-op.js" in intake
    assert 'id="lijkt-op"' not in werker.get(f"/signalen/{stored['banken']}/bewerken").text


def test_asking_for_a_draft_writes_no_audit_row_but_a_create_does(werker, stored):
    from audit.tables import Audit

    before = sync(Audit.count())
    assert _draft(werker, {"gemeente": "mechelen", "titel": BANKEN["titel"]}).status_code == 200
    assert sync(Audit.count()) == before
    werker.api("POST", API, json={"gemeente": "mechelen", "titel": "Nog een", "omschrijving": "Tekst.",
                                  "datum": TODAY.isoformat()})
    assert sync(Audit.count()) == before + 1
