"""Attendance per organisation and per person: an invitee without an organisation shows their name (meeting page,
agenda PDF, minutes), and a recorded answer can be corrected later, with its history (who, when, from, to)."""

from __future__ import annotations

import pytest

from overleg.tables import AanwezigheidHistoriek, Deelnemer
from overleg.vergaderingen import aanwezigheid, agenda
from tests.overleg.test_vergaderingen import add_dossier, make_dossier, make_meeting, make_overleg
from tests.support import current_user, pdf_text, sync


@pytest.fixture
def setup(world, werker, voorzitter):
    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Geen ontmoetingsplek in Nekkerspoel", [5, 20, 40])
    meeting = make_meeting(voorzitter, overleg["id"])
    add_dossier(voorzitter, meeting, dossier)
    return {**overleg, "dossier": dossier, "meeting": meeting}


def deelnemers(meeting: int) -> dict[str, dict]:
    return {d["naam"]: d for d in sync(aanwezigheid.list_deelnemers(meeting))}


def invite(voorzitter, setup, personen: list[int]):
    return voorzitter.post_form(f"/vergaderingen/{setup['meeting']}/deelnemers",
                                {"partners": [setup["caw"], setup["clb"]], "personen": personen})


def test_an_invitee_without_an_organisation_shows_their_name_not_a_dash(voorzitter, partner, world, setup):
    # As a row stored without a partner organisation (e.g. the chair, or an older invitation).
    sync(Deelnemer(vergadering=setup["meeting"], user=world.users["voorzitter"]).save())
    sync(agenda.publish(current_user(voorzitter), setup["meeting"]))
    for persona in (voorzitter, partner):
        page = persona.get(f"/vergaderingen/{setup['meeting']}").text
        assert "Voorzitter Test" in page and "<li>—" not in page
        text = pdf_text(persona.get(f"/vergaderingen/{setup['meeting']}/agenda.pdf").content)
        assert "Voorzitter Test" in text and "—\n" not in text
    verslag = voorzitter.get(f"/vergaderingen/{setup['meeting']}/verslag").text
    assert "Voorzitter Test" in verslag
    api = partner.get(f"/api/v1/vergaderingen/{setup['meeting']}").json()["deelnemers"]
    person = next(d for d in api if d["persoon"] == world.users["voorzitter"])
    assert person["naam"] == "Voorzitter Test" and person["soort"] == "persoon" and person["partner"] is None


def test_the_chair_invites_persons_as_well_as_organisations(voorzitter, world, setup):
    page = voorzitter.get(f"/vergaderingen/{setup['meeting']}").text
    assert f'name="personen" value="{world.users["partner"]}"' in page
    response = invite(voorzitter, setup, [world.users["partner"], world.users["voorzitter"]])
    assert response.status_code == 200
    rows = deelnemers(setup["meeting"])
    assert set(rows) == {"CAW Boven-Schelde", "CLB Mechelen", "Partner Test (CAW Boven-Schelde)", "Voorzitter Test"}
    assert rows["Partner Test (CAW Boven-Schelde)"]["soort"] == "persoon"
    assert rows["CAW Boven-Schelde"]["soort"] == "organisatie"
    # Taking a person off keeps the organisation (and the other way round).
    invite(voorzitter, setup, [world.users["voorzitter"]])
    assert set(deelnemers(setup["meeting"])) == {"CAW Boven-Schelde", "CLB Mechelen", "Voorzitter Test"}


@pytest.mark.parametrize("who", ["werker", "werker2", "onbekend"])
def test_only_members_of_the_overleg_can_be_invited_in_person(voorzitter, world, setup, who):
    user = world.users.get(who, 999_999)
    response = invite(voorzitter, setup, [user])
    assert response.status_code == 422 and "Kies alleen leden van dit overleg." in response.text
    assert not sync(Deelnemer.exists().where((Deelnemer.vergadering == setup["meeting"]) & (Deelnemer.user == user)))


def test_a_recorded_answer_is_corrected_after_the_meeting_with_history(voorzitter, world, setup):
    invite(voorzitter, setup, [world.users["partner"]])
    person = deelnemers(setup["meeting"])["Partner Test (CAW Boven-Schelde)"]
    base = f"/vergaderingen/{setup['meeting']}"
    voorzitter.post_form(f"{base}/aanwezigheid", {f"d-{person['id']}": "aanwezig"})
    voorzitter.post_form(f"{base}/afsluiten")
    page = voorzitter.get(base).text
    assert f'name="d-{person["id"]}" value="verontschuldigd"' in page  # the correction form on the meeting page
    response = voorzitter.post_form(f"{base}/aanwezigheid", {f"d-{person['id']}": "verontschuldigd",
                                                              "terug": "detail"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{base}#aanwezigheid"
    history = sync(AanwezigheidHistoriek.select().where(AanwezigheidHistoriek.deelnemer == person["id"]).order_by(
        AanwezigheidHistoriek.id))
    assert [(h["van"], h["naar"], h["gebruiker"]) for h in history] == [
        ("uitgenodigd", "aanwezig", world.users["voorzitter"]),
        ("aanwezig", "verontschuldigd", world.users["voorzitter"])]
    assert all(h["tijdstip"] is not None for h in history)
    assert deelnemers(setup["meeting"])["Partner Test (CAW Boven-Schelde)"]["aanwezigheid"] == "verontschuldigd"
    page = voorzitter.get(base).text
    assert "Aanwezig → Verontschuldigd, door Voorzitter Test" in page
    # Saving the same answer again is no change and leaves no history.
    voorzitter.post_form(f"{base}/aanwezigheid", {f"d-{person['id']}": "verontschuldigd", "terug": "detail"})
    assert sync(AanwezigheidHistoriek.count().where(AanwezigheidHistoriek.deelnemer == person["id"])) == 2


def test_bad_attendance_input_is_refused_and_leaves_no_history(voorzitter, setup):
    caw = deelnemers(setup["meeting"])["CAW Boven-Schelde"]
    base = f"/vergaderingen/{setup['meeting']}/aanwezigheid"
    assert voorzitter.post_form(base, {f"d-{caw['id']}": "misschien"}).status_code == 422
    assert voorzitter.post_form(base, {"d-999999": "aanwezig"}).status_code == 404
    assert voorzitter.post_form(base, {"d-abc": "aanwezig"}).status_code == 404
    other = make_meeting(voorzitter, setup["id"])
    foreign = sync(aanwezigheid.list_deelnemers(other))[0]
    assert voorzitter.post_form(base, {f"d-{foreign['id']}": "aanwezig"}).status_code == 404
    assert sync(AanwezigheidHistoriek.count()) == 0


@pytest.mark.parametrize("name, status", [("partner", 403), ("werker", 403), ("werker2", 404),
                                          ("coordinator", 403), ("anonymous", 303)])
def test_only_the_chair_records_or_corrects_attendance(personas, voorzitter, setup, name, status):
    sync(agenda.publish(current_user(voorzitter), setup["meeting"]))
    caw = deelnemers(setup["meeting"])["CAW Boven-Schelde"]
    response = personas[name].post_form(f"/vergaderingen/{setup['meeting']}/aanwezigheid",
                                        {f"d-{caw['id']}": "aanwezig", "terug": "detail"}, follow_redirects=False)
    assert response.status_code == status
    assert deelnemers(setup["meeting"])["CAW Boven-Schelde"]["aanwezigheid"] == "uitgenodigd"
    if name != "anonymous":
        page = personas[name].get(f"/vergaderingen/{setup['meeting']}").text
        assert 'name="terug" value="detail"' not in page
