"""Unbundled signals that fit a dossier: GET /api/v1/dossiers/{id}/vergelijkbaar and the page's "Signalen die hierbij
passen" with its one-click "Toevoegen" and "Past niet"."""

from __future__ import annotations

import pytest

from overleg.dossiers import services as dossiers
from overleg.tables import Afwijzing
from signalen.embeddings import embed_missing
from signalen.tables import Signaal
from tests.support import current_user, login_as, make_signaal, publish_dossier, sync

API = "/api/v1/dossiers"
SEAT = dict(omschrijving="Jongeren hebben nergens om samen te zitten.", plek="Oud Oefenplein")


@pytest.fixture
def case(personas):
    """A Mechelen dossier about seats on a square; two fitting unbundled signals, one unrelated, one bundled
    elsewhere, one of Hoeilaart that fits too."""
    werker = personas["werker"]
    member = make_signaal(werker, titel="De banken op het plein zijn weg", **SEAT)
    chair = current_user(personas["voorzitter"])
    dossier = sync(dossiers.create_dossier(chair, "mechelen", "Geen zitplek op het plein", "", [member["id"]]))
    ids = {
        "past": make_signaal(werker, titel="Geen zitbanken meer op het Oud Oefenplein", **SEAT)["id"],
        "past2": make_signaal(werker, titel="Nergens om te zitten in de wijk",
                              omschrijving="Ze staan rond want de banken zijn weggehaald.")["id"],
        "los": make_signaal(werker, titel="Pesten via Snapchat op school", omschrijving="Een klas wordt uitgelachen.",
                            plek="School", signaaltype="mentaal-welzijn", levensdomein="online")["id"],
        "elders": make_signaal(werker, titel="Geen banken meer op het plein", **SEAT)["id"],
        "hoeilaart": make_signaal(personas["werker2"], gemeente="hoeilaart", titel="Geen zitbanken op het plein",
                                  **SEAT)["id"],
    }
    sync(dossiers.create_dossier(chair, "mechelen", "Een ander dossier", "", [ids["elders"]]))
    sync(embed_missing())
    return dossier, ids


def _items(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["signaal"] for item in response.json()["items"]]


def test_the_chair_gets_unbundled_fitting_signals_of_the_gemeente_only(voorzitter, case):
    dossier, ids = case
    response = voorzitter.get(f"{API}/{dossier['id']}/vergelijkbaar", params={"limit": "10"})
    found = _items(response)
    assert ids["past"] in found and ids["past"] == found[0]
    assert not {ids["los"], ids["elders"], ids["hoeilaart"]} & set(found)
    first = response.json()["items"][0]
    assert "zelfde plek (Oud Oefenplein)" in first["reden"] and 0 < first["score"] <= 1


@pytest.mark.parametrize("name, status", [("voorzitter", 200), ("werker", 200), ("coordinator", 200),
                                          ("partner", 404), ("werker2", 404), ("beheerder", 404),
                                          ("anonymous", 401)])
def test_every_persona(app, world, case, name, status):
    dossier, _ids = case
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])  # the partner reads the dossier, not the register
    persona = login_as(app, world, name)
    assert persona.get(f"{API}/{dossier['id']}/vergelijkbaar").status_code == status


@pytest.mark.parametrize("bad", ["0", "abc", "-5", "99999999999", "1.0"])
def test_bad_and_unknown_dossier_ids_are_404(voorzitter, case, bad):
    assert voorzitter.get(f"{API}/{bad}/vergelijkbaar").status_code == 404


@pytest.mark.parametrize("limit, status", [("1", 200), ("20", 200), ("0", 400), ("21", 400), ("x", 400)])
def test_the_limit(voorzitter, case, limit, status):
    dossier, _ids = case
    response = voorzitter.get(f"{API}/{dossier['id']}/vergelijkbaar", params={"limit": limit})
    assert response.status_code == status
    if status == 200:
        assert len(response.json()["items"]) <= int(limit)


def test_a_signal_rejected_for_the_dossier_is_not_proposed_again(voorzitter, case):
    dossier, ids = case
    response = voorzitter.post_form(f"/dossiers/{dossier['id']}/past-niet", {"signaal": str(ids["past"])},
                                    follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("#passend")
    assert sync(Afwijzing.count().where((Afwijzing.signaal == ids["past"]) & (Afwijzing.dossier == dossier["id"])))
    assert ids["past"] not in _items(voorzitter.get(f"{API}/{dossier['id']}/vergelijkbaar", params={"limit": "10"}))


def test_past_niet_is_for_the_chair_and_refuses_foreign_signals(personas, case):
    dossier, ids = case
    url = f"/dossiers/{dossier['id']}/past-niet"
    assert personas["werker"].post_form(url, {"signaal": str(ids["past"])}).status_code == 403
    assert personas["werker2"].post_form(url, {"signaal": str(ids["past"])}).status_code == 404
    chair = personas["voorzitter"]
    for bad in (str(ids["hoeilaart"]), "abc", "", "<script>"):
        chair.post_form(url, {"signaal": bad})
    assert sync(Afwijzing.count()) == 0
    assert chair.client.post(url, data={"signaal": str(ids["past"])}).status_code == 403  # no CSRF token


def test_the_page_shows_the_chair_what_fits_and_adds_it_in_one_click(voorzitter, case):
    dossier, ids = case
    page = voorzitter.get(f"/dossiers/{dossier['id']}")
    assert page.status_code == 200
    assert "Signalen die hierbij passen" in page.text and "Geen zitbanken meer op het Oud Oefenplein" in page.text
    assert "zelfde plek (Oud Oefenplein)" in page.text
    added = voorzitter.post_form(f"/dossiers/{dossier['id']}/signalen", {"signalen": str(ids["past"])})
    assert added.status_code == 200
    assert sync(Signaal.select(Signaal.dossier).where(Signaal.id == ids["past"]).first())["dossier"] == dossier["id"]


@pytest.mark.parametrize("name", ["werker", "coordinator", "partner"])
def test_the_section_is_only_for_the_chair(app, world, case, name):
    dossier, _ids = case
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])
    page = login_as(app, world, name).get(f"/dossiers/{dossier['id']}")
    assert page.status_code == 200 and "Signalen die hierbij passen" not in page.text


def test_a_dossier_without_embedded_members_gives_an_empty_list(voorzitter, personas):
    chair = current_user(personas["voorzitter"])
    dossier = sync(dossiers.create_dossier(chair, "mechelen", "Leeg dossier", "", []))
    assert _items(voorzitter.get(f"{API}/{dossier['id']}/vergelijkbaar")) == []
    assert "Signalen die hierbij passen" not in voorzitter.get(f"/dossiers/{dossier['id']}").text
