"""The chair's next step is on the page where they are (issue 12, the whole cycle in at most 15 interactions):
the minutes offer a signaalnota for each dossier the meeting gave "signaal & advies", the only possible meeting is
chosen already, and a nota can be saved and sent in one go (still through the confirmation page)."""

from __future__ import annotations

import datetime as dt

import pytest

from common.dates import today
from overleg.tables import Agendapunt, Signaalnota, Vergadering
from tests.overleg.test_notas import fast_pdf, make_dossier, make_overleg, new_nota, stored  # noqa: F401
from tests.overleg.test_verslag import ov  # noqa: F401
from tests.support import sync

SECTION = "Signaal &amp; advies uit deze vergadering"


@pytest.fixture
def advice(personas, world, ov):  # noqa: F811
    """The held meeting's point "Weg naar hulp" (signaal & advies) about a dossier, and a forum-only dossier point."""
    dossier, _ = make_dossier(world, personas["werker"], n=2, titel="Weg naar hulp")
    forum, _ = make_dossier(world, personas["werker"], n=1, titel="Alleen besproken")
    sync(Agendapunt.update({Agendapunt.dossier: dossier}).where(Agendapunt.id == ov.points[2]))
    sync(Agendapunt.update({Agendapunt.dossier: forum}).where(Agendapunt.id == ov.points[0]))
    return {"dossier": dossier, "forum": forum, "url": f"/vergaderingen/{ov.held}/verslag"}


@pytest.mark.parametrize("name", ["werker", "voorzitter", "partner", "coordinator"])
def test_only_the_chair_is_offered_the_nota_on_the_minutes(personas, advice, name):
    page = personas[name].get(advice["url"])
    assert page.status_code == 200
    offered = SECTION in page.text
    assert offered is (name == "voorzitter")
    assert ("Signaalnota opstellen" in page.text) is (name == "voorzitter")


@pytest.mark.parametrize("name", ["werker2", "beheerder"])
def test_outsiders_see_no_minutes_at_all(personas, advice, name):
    assert personas[name].get(advice["url"]).status_code == 404


def test_the_minutes_list_only_signaal_en_advies_dossiers_and_start_their_nota(personas, advice, world):
    chair = personas["voorzitter"]
    page = chair.get(advice["url"]).text
    section = page[page.index(SECTION):]
    assert f'href="/dossiers/{advice["dossier"]}">Weg naar hulp</a>' in section
    assert "Alleen besproken" not in section  # forum and actie only: no nota offered
    assert f'name="dossiers" value="{advice["dossier"]}"' in section
    created = chair.post_form("/notas/nieuw", {"dossiers": str(advice["dossier"]), "adressaat": "college",
                                               "onderwerp": "Weg naar hulp"}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"].endswith("/bewerken")
    nota = sync(Signaalnota.select().first())
    assert nota["onderwerp"] == "Weg naar hulp" and nota["status"] == "concept"
    # Once the nota exists, the minutes link it instead of offering a second one.
    again = chair.get(advice["url"]).text
    section = again[again.index(SECTION):]
    assert f'href="/notas/{nota["id"]}">signaalnota {nota["referentie"]}</a>' in section
    assert "Signaalnota opstellen" not in section


def test_no_section_when_the_meeting_gave_no_signaal_en_advies(personas, ov):  # noqa: F811
    page = personas["voorzitter"].get(f"/vergaderingen/{ov.held}/verslag").text
    assert SECTION not in page  # "Weg naar hulp" has the function but no dossier


def test_the_only_later_meeting_is_chosen_already(personas, ov):  # noqa: F811
    chair = personas["voorzitter"]
    page = chair.get(f"/vergaderingen/{ov.held}/verslag").text
    assert " selected>" not in page.split('id="veld-goedgekeurd_in"')[1].split("</select>")[0]  # two to choose from
    sync(Vergadering.delete().where(Vergadering.id == ov.concept))
    page = chair.get(f"/vergaderingen/{ov.held}/verslag").text
    assert f'<option value="{ov.later}" selected>' in page


def test_the_only_coming_meeting_is_chosen_already_on_the_dossier(personas, world):
    chair = personas["voorzitter"]
    overleg = make_overleg(world)
    dossier, _ = make_dossier(world, personas["werker"], n=1, titel="Laatste bus")
    sync(Vergadering.update({Vergadering.status: "gehouden"}).where(Vergadering.overleg == overleg))
    first = Vergadering(overleg=overleg, datum=today() + dt.timedelta(days=7), begin=dt.time(19, 30))
    sync(first.save())
    assert f'<option value="{first.id}" selected>' in chair.get(f"/dossiers/{dossier}").text
    second = Vergadering(overleg=overleg, datum=today() + dt.timedelta(days=35), begin=dt.time(19, 30))
    sync(second.save())
    assert " selected>" not in chair.get(f"/dossiers/{dossier}").text.split('id="veld-vergadering"')[1].split(
        "</select>")[0]


# ---------------------------------------------------------------- save and send

@pytest.fixture
def concept(personas, world, fast_pdf):  # noqa: F811
    make_overleg(world)
    dossier, ids = make_dossier(world, personas["werker"])
    return new_nota(personas["voorzitter"], [dossier])


def test_save_and_send_saves_then_asks_to_confirm(personas, concept):
    chair = personas["voorzitter"]
    assert "Opslaan en versturen…" in chair.get(f"/notas/{concept['id']}/bewerken").text
    response = chair.post_form(f"/notas/{concept['id']}/bewerken", {
        "versie": str(concept["versie"]), "onderwerp": "Een plek om samen te zitten", "adressaat": "college",
        "actie": "versturen"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/notas/{concept['id']}/versturen"
    assert stored(concept["id"])["onderwerp"] == "Een plek om samen te zitten"
    assert stored(concept["id"])["status"] == "concept"  # nothing is sent before the confirmation
    confirm = chair.get(response.headers["location"])
    assert confirm.status_code == 200 and "Ja, versturen" in confirm.text


@pytest.mark.parametrize(("data", "field"), [({"onderwerp": ""}, "onderwerp"), ({"onderwerp": "x" * 301}, "onderwerp"),
                                             ({"antwoord_gevraagd_tegen": "31/02/2027"}, "antwoord_gevraagd_tegen")])
def test_save_and_send_with_bad_input_stays_on_the_form(personas, concept, data, field):
    response = personas["voorzitter"].post_form(f"/notas/{concept['id']}/bewerken", {
        "versie": str(concept["versie"]), "onderwerp": "Goed", "adressaat": "college", "actie": "versturen", **data},
        follow_redirects=False)
    assert response.status_code == 422 and "Opslaan en versturen…" in response.text
    assert stored(concept["id"])["onderwerp"] == concept["onderwerp"]


@pytest.mark.parametrize(("name", "status"), [("werker", 404), ("werker2", 404), ("partner", 404),
                                              ("coordinator", 404), ("beheerder", 404), ("anonymous", 303)])
def test_only_the_chair_saves_and_sends(personas, concept, name, status):
    # A concept is the chair's alone: the others do not even learn it exists.
    response = personas[name].post_form(f"/notas/{concept['id']}/bewerken", {
        "versie": str(concept["versie"]), "onderwerp": "Overgenomen", "adressaat": "college", "actie": "versturen"},
        follow_redirects=False)
    assert response.status_code == status
    assert stored(concept["id"])["onderwerp"] == concept["onderwerp"]
