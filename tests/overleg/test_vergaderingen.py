"""Meetings: creating one, building the agenda, publishing it, running the meeting point by point, the .ics and the
PDF — for every persona, with bad input (foreign ids, past meetings, stale edits, script in notes, no CSRF)."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest

from common import dates
from common.dates import today
from overleg.tables import (
    Actie,
    Agendapunt,
    Deelnemer,
    Dossier,
    DossierHistoriek,
    Overleg,
    Overleglid,
    Partner,
    Vergadering,
)
from overleg.vergaderingen import aanwezigheid, agenda
from overleg.vergaderingen import services as V
from signalen.tables import Signaal, SignaalHistoriek
from tests.support import current_user, make_signaal, pdf_text, sync

TODAY = today()
SOON = (TODAY + dt.timedelta(days=14)).isoformat()


# ----------------------------------------------------------------------------- set-up

def make_overleg(world) -> dict:
    async def build() -> dict:
        overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        await overleg.save()
        caw = Partner(overleg=overleg.id, naam="CAW Boven-Schelde", soort="caw")
        await caw.save()
        clb = Partner(overleg=overleg.id, naam="CLB Mechelen", soort="clb")
        await clb.save()
        await Overleglid(overleg=overleg.id, user=world.users["partner"], partner=caw.id, rol="partner").save()
        await Overleglid(overleg=overleg.id, user=world.users["voorzitter"], rol="voorzitter").save()
        other = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="Jeugdoverleg Hoeilaart")
        await other.save()
        return {"id": overleg.id, "caw": caw.id, "clb": clb.id, "hoeilaart": other.id}

    return sync(build())


def make_dossier(persona, titel: str, ages: list[int], *, gemeente: str = "mechelen") -> int:
    dossier = Dossier(gemeente=persona.gemeenten[gemeente], titel=titel, aangemaakt_op=dates.now())
    sync(dossier.save())
    for age in ages:
        signaal = make_signaal(persona, gemeente=gemeente, datum=(TODAY - dt.timedelta(days=age)).isoformat())
        sync(Signaal.update({Signaal.dossier: dossier.id, Signaal.status: "gebundeld"}).where(
            Signaal.id == signaal["id"]))
    return dossier.id


def make_meeting(voorzitter, overleg_id: int, datum: str = SOON, begin: str = "19:30") -> int:
    data = {"datum": datum, "begin": begin, "plaats": "Jeugdhuis De Pit"}
    return sync(V.create_vergadering(current_user(voorzitter), overleg_id, data))["id"]


def add_dossier(voorzitter, meeting: int, dossier: int) -> int:
    return sync(agenda.add_dossier_punt(current_user(voorzitter), meeting, dossier))["id"]


def statuses(dossier: int) -> list[str]:
    return [r["status"] for r in sync(Signaal.select(Signaal.status).where(Signaal.dossier == dossier))]


@pytest.fixture
def setup(world, werker, voorzitter):
    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Geen ontmoetingsplek in Nekkerspoel", [5, 20, 40])
    meeting = make_meeting(voorzitter, overleg["id"])
    return {**overleg, "dossier": dossier, "meeting": meeting}


def publish(voorzitter, meeting: int) -> None:
    sync(agenda.publish(current_user(voorzitter), meeting))


# ----------------------------------------------------------------------------- creating a meeting

def test_the_chair_creates_a_meeting_and_invites_the_chosen_partners(voorzitter, world):
    overleg = make_overleg(world)
    page = voorzitter.get(f"/vergaderingen/nieuw?overleg={overleg['id']}")
    assert page.status_code == 200 and "CAW Boven-Schelde" in page.text
    response = voorzitter.post_form("/vergaderingen/nieuw", {
        "overleg": overleg["id"], "datum": SOON, "begin": "19:30", "plaats": "Jeugdhuis De Pit",
        "partners": [overleg["caw"]]}, follow_redirects=False)
    assert response.status_code == 303
    meeting_id = int(re.fullmatch(r"/vergaderingen/(\d+)", response.headers["location"]).group(1))
    row = sync(Vergadering.select().where(Vergadering.id == meeting_id).first())
    assert (row["status"], row["plaats"], row["begin"].strftime("%H:%M")) == ("concept", "Jeugdhuis De Pit", "19:30")
    invited = sync(Deelnemer.select(Deelnemer.partner).where(Deelnemer.vergadering == meeting_id))
    assert [d["partner"] for d in invited] == [overleg["caw"]]
    assert "Vergadering aangemaakt" in voorzitter.get(response.headers["location"]).text


def test_a_new_meeting_with_bad_input_is_refused_in_dutch(voorzitter, world):
    overleg = make_overleg(world)
    response = voorzitter.post_form("/vergaderingen/nieuw", {
        "overleg": overleg["id"], "datum": "31-02-2026", "begin": "25:99", "plaats": "   "})
    assert response.status_code == 422
    for message in ("Geef een geldige datum", "Geef een geldig beginuur", "Geef de plaats"):
        assert message in response.text
    assert sync(Vergadering.count()) == 0


@pytest.mark.parametrize(("name", "status"), [
    ("voorzitter", 200), ("werker", 403), ("partner", 403), ("coordinator", 403), ("werker2", 404),
    ("beheerder", 404), ("anonymous", 303)])
def test_only_the_chair_opens_the_new_meeting_form(personas, world, name, status):
    overleg = make_overleg(world)
    response = personas[name].get(f"/vergaderingen/nieuw?overleg={overleg['id']}", follow_redirects=False)
    assert response.status_code == status


def test_nobody_creates_a_meeting_for_a_foreign_overleg(personas, world):
    overleg = make_overleg(world)
    for name in ("voorzitter", "werker", "partner", "coordinator"):
        response = personas[name].post_form("/vergaderingen/nieuw", {
            "overleg": overleg["hoeilaart"], "datum": SOON, "begin": "19:30", "plaats": "Gemeentehuis"})
        assert response.status_code == 404, name
    assert personas["voorzitter"].post_form("/vergaderingen/nieuw", {"overleg": "abc"}).status_code == 404
    assert sync(Vergadering.count()) == 0


# ----------------------------------------------------------------------------- who sees what

@pytest.mark.parametrize(("name", "concept", "published"), [
    ("voorzitter", 200, 200), ("werker", 200, 200), ("coordinator", 200, 200), ("partner", 404, 200),
    ("werker2", 404, 404), ("beheerder", 404, 404), ("anonymous", 303, 303)])
def test_the_agenda_page_per_persona(personas, setup, name, concept, published):
    url = f"/vergaderingen/{setup['meeting']}"
    add_dossier(personas["voorzitter"], setup["meeting"], setup["dossier"])
    assert personas[name].get(url, follow_redirects=False).status_code == concept
    publish(personas["voorzitter"], setup["meeting"])
    response = personas[name].get(url, follow_redirects=False)
    assert response.status_code == published
    if published == 200:
        assert "Geen ontmoetingsplek in Nekkerspoel" in response.text
        assert ("Agenda publiceren" in response.text) is False
        assert ("Voorgestelde dossiers" in response.text) == (name == "voorzitter")


@pytest.mark.parametrize(("name", "status"), [
    ("voorzitter", 200), ("werker", 200), ("coordinator", 200), ("partner", 200), ("werker2", 200),
    ("beheerder", 404), ("anonymous", 303)])
def test_the_list_shows_upcoming_and_past_meetings_a_partner_only_published_ones(personas, setup, name, status):
    voorzitter = personas["voorzitter"]
    past = make_meeting(voorzitter, setup["id"], datum=(TODAY - dt.timedelta(days=30)).isoformat())
    sync(Vergadering.update({Vergadering.status: "gehouden"}).where(Vergadering.id == past))
    response = personas[name].get("/vergaderingen/", follow_redirects=False)
    assert response.status_code == status
    if status != 200:
        return
    text = response.text
    sees_mechelen = name in ("voorzitter", "werker", "coordinator", "partner")
    assert (f'href="/vergaderingen/{past}"' in text) == sees_mechelen
    assert (f'href="/vergaderingen/{setup["meeting"]}"' in text) == (sees_mechelen and name != "partner")
    if sees_mechelen:
        assert text.index("Komende vergaderingen") < text.index("Voorbije vergaderingen") < text.index(
            f'href="/vergaderingen/{past}"')
    assert ("Nieuwe vergadering" in text) == (name == "voorzitter")


@pytest.mark.parametrize("url", ["/vergaderingen/999999", "/vergaderingen/abc", "/vergaderingen/-1",
                                 "/vergaderingen/99999999999999999999999", "/vergaderingen/1e3",
                                 "/vergaderingen/999999/leiden", "/vergaderingen/999999/agenda.pdf",
                                 "/vergaderingen/999999.ics", "/vergaderingen/x.ics"])
def test_unknown_and_malformed_ids_answer_404(voorzitter, setup, url):
    assert voorzitter.get(url).status_code == 404


def test_another_gemeente_gets_404_everywhere(werker2, voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    publish(voorzitter, setup["meeting"])
    base = f"/vergaderingen/{setup['meeting']}"
    for url in (base, f"{base}/leiden", f"{base}/agenda.pdf", f"{base}.ics", f"{base}/leiden?punt={punt}"):
        assert werker2.get(url).status_code == 404, url
    for url, data in ((f"{base}/publiceren", {}), (f"{base}/punten", {"soort": "rondvraag"}),
                      (f"{base}/punten/{punt}/verwijderen", {}), (f"{base}/punten/{punt}/duur", {"duur_minuten": 5}),
                      (f"{base}/punten/{punt}/notities", {"notities": "x", "versie": 1}),
                      (f"{base}/punten/{punt}/functies", {"functies": "actie"}), (f"{base}/afsluiten", {}),
                      (f"{base}/aanwezigheid", {}), (f"{base}/deelnemers", {})):
        assert werker2.post_form(url, data).status_code == 404, url
    assert statuses(setup["dossier"]) == ["geagendeerd"] * 3


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("coordinator", 403), ("partner", 403),
                                              ("beheerder", 404), ("werker2", 404)])
def test_only_the_chair_changes_the_agenda(personas, setup, name, status):
    voorzitter = personas["voorzitter"]
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    publish(voorzitter, setup["meeting"])
    base = f"/vergaderingen/{setup['meeting']}"
    persona = personas[name]
    assert persona.post_form(f"{base}/punten", {"soort": "rondvraag"}).status_code == status
    assert persona.post_form(f"{base}/punten/{punt}/verplaatsen", {"richting": "op"}).status_code == status
    assert persona.post_form(f"{base}/punten/{punt}/verwijderen").status_code == status
    assert persona.get(f"{base}/leiden").status_code == status
    assert persona.post_form(f"{base}/punten/{punt}/notities", {"notities": "x", "versie": 1}).status_code == status
    assert sync(Agendapunt.count()) == 1


def test_a_point_of_another_meeting_answers_404(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    other = make_meeting(voorzitter, setup["id"], datum=(TODAY + dt.timedelta(days=40)).isoformat())
    base = f"/vergaderingen/{other}"
    assert voorzitter.get(f"{base}/leiden?punt={punt}").status_code == 404
    assert voorzitter.post_form(f"{base}/punten/{punt}/verwijderen").status_code == 404
    assert voorzitter.post_form(f"{base}/punten/{punt}/notities", {"notities": "x", "versie": 1}).status_code == 404
    assert voorzitter.post_form(f"{base}/punten/abc/duur", {"duur_minuten": 5}).status_code == 404
    assert sync(Agendapunt.count()) == 1


# ----------------------------------------------------------------------------- building the agenda

def test_the_chair_builds_the_agenda_from_proposals_free_points_order_and_durations(voorzitter, werker, setup):
    base = f"/vergaderingen/{setup['meeting']}"
    page = voorzitter.get(base)
    assert "Voorgestelde dossiers" in page.text
    assert "3 signalen, +3 in de laatste 3 maanden, 18 jongeren, oudste onbehandeld signaal 40 dagen" in page.text
    assert voorzitter.post_form(f"{base}/punten", {"dossier": setup["dossier"]},
                                follow_redirects=False).status_code == 303
    assert voorzitter.post_form(f"{base}/punten", {"soort": "mededelingen"}).status_code == 200
    assert voorzitter.post_form(f"{base}/punten", {"soort": "rondvraag", "titel": ""}).status_code == 200
    punten = sync(Agendapunt.select().where(Agendapunt.vergadering == setup["meeting"]).order_by(Agendapunt.volgorde))
    assert [(p["titel"], p["soort"]) for p in punten] == [
        ("Geen ontmoetingsplek in Nekkerspoel", "dossier"), ("Mededelingen", "mededelingen"),
        ("Rondvraag", "rondvraag")]
    assert punten[0]["reden"].startswith("3 signalen")
    dossier_punt, mededelingen = punten[0]["id"], punten[1]["id"]
    voorzitter.post_form(f"{base}/punten/{mededelingen}/verplaatsen", {"richting": "op"})
    voorzitter.post_form(f"{base}/punten/{dossier_punt}/duur", {"duur_minuten": "45"})
    order = sync(Agendapunt.select(Agendapunt.id).where(Agendapunt.vergadering == setup["meeting"]).order_by(
        Agendapunt.volgorde))
    assert [p["id"] for p in order][:2] == [mededelingen, dossier_punt]
    voorzitter.post_form(f"{base}/punten/{mededelingen}/verplaatsen", {"richting": "op"})  # already first: no-op
    page = voorzitter.get(base).text
    # 19:30 + 10 (mededelingen) + 45 (dossier) + 10 (rondvraag) = 20:35
    assert "Gepland einde: 20:35" in page and "19:40" in page and "20:25" in page
    assert page.index("Mededelingen") < page.index("Geen ontmoetingsplek in Nekkerspoel</a></h3>")
    assert "Geen rijpe dossiers om voor te stellen" in page  # the dossier left the proposals
    assert 'Omhoog<span class="visually-hidden">: Mededelingen</span>' in page


@pytest.mark.parametrize("data", [{"soort": "vrij", "titel": "   "}, {"soort": "onbekend"},
                                  {"soort": "vrij", "titel": "x" * 201}])
def test_a_free_point_needs_a_known_kind_and_a_title(voorzitter, setup, data):
    response = voorzitter.post_form(f"/vergaderingen/{setup['meeting']}/punten", data)
    assert response.status_code == 422 and "error-summary" in response.text
    assert sync(Agendapunt.count()) == 0


@pytest.mark.parametrize("titel", ["'; DROP TABLE agendapunt; --", "<script>alert(1)</script>", "Jeugd 🧒 ‮ RTL",
                                   "  Spaties   rondom  "])
def test_odd_titles_of_free_points_are_kept_as_text_and_escaped(voorzitter, setup, titel):
    base = f"/vergaderingen/{setup['meeting']}"
    assert voorzitter.post_form(f"{base}/punten", {"soort": "vrij", "titel": titel}).status_code == 200
    stored = sync(Agendapunt.select(Agendapunt.titel).first())["titel"]
    assert stored == " ".join(titel.split())
    page = voorzitter.get(base).text
    assert "<script>alert(1)" not in page
    assert sync(Agendapunt.count()) == 1


@pytest.mark.parametrize("duur", ["0", "481", "-5", "tien", "", "1.5", "²"])
def test_a_duration_must_be_1_to_480_minutes(voorzitter, setup, duur):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    response = voorzitter.post_form(f"/vergaderingen/{setup['meeting']}/punten/{punt}/duur", {"duur_minuten": duur})
    assert response.status_code == 422 and "tussen 1 en 480 minuten" in response.text


def test_a_dossier_cannot_go_on_the_same_agenda_twice_nor_a_foreign_one(voorzitter, werker2, setup):
    base = f"/vergaderingen/{setup['meeting']}"
    add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    assert voorzitter.post_form(f"{base}/punten", {"dossier": setup["dossier"]}).status_code == 409
    foreign = make_dossier(werker2, "Hoeilaart", [3], gemeente="hoeilaart")
    assert voorzitter.post_form(f"{base}/punten", {"dossier": foreign}).status_code == 404
    assert sync(Agendapunt.count()) == 1


# ----------------------------------------------------------------------------- publishing

def test_publishing_moves_the_signals_to_geagendeerd_and_shows_the_agenda_to_the_partner(voorzitter, partner,
                                                                                          setup):
    base = f"/vergaderingen/{setup['meeting']}"
    add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    assert partner.get(base).status_code == 404
    response = voorzitter.post_form(f"{base}/publiceren", follow_redirects=False)
    assert response.status_code == 303
    assert statuses(setup["dossier"]) == ["geagendeerd"] * 3
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == setup["dossier"]).first())["status"] == \
        "geagendeerd"
    history = sync(SignaalHistoriek.select().where(SignaalHistoriek.naar == "geagendeerd"))
    assert len(history) == 3 and all(h["van"] == "gebundeld" and h["gebruiker"] == voorzitter.user_id
                                     for h in history)
    assert "Op de agenda van de vergadering" in history[0]["toelichting"]
    assert sync(DossierHistoriek.count().where(DossierHistoriek.dossier == setup["dossier"])) == 1
    page = partner.get(base)
    assert page.status_code == 200 and "Geen ontmoetingsplek in Nekkerspoel" in page.text
    assert "Omhoog" not in page.text and "3 signalen" not in page.text  # no chair tools, no ranking
    assert f'href="/vergaderingen/{setup["meeting"]}"' in partner.get("/vergaderingen/").text


def test_a_dossier_added_to_a_published_agenda_is_geagendeerd_at_once_and_back_when_removed(voorzitter, werker,
                                                                                            setup):
    sync(agenda.add_vrij_punt(current_user(voorzitter), setup["meeting"], "rondvraag"))
    publish(voorzitter, setup["meeting"])
    base = f"/vergaderingen/{setup['meeting']}"
    voorzitter.post_form(f"{base}/punten", {"dossier": setup["dossier"]})
    assert statuses(setup["dossier"]) == ["geagendeerd"] * 3
    punt = sync(Agendapunt.select(Agendapunt.id).where(Agendapunt.dossier == setup["dossier"]).first())["id"]
    voorzitter.post_form(f"{base}/punten/{punt}/verwijderen", {"bevestigd": "1"})
    assert statuses(setup["dossier"]) == ["gebundeld"] * 3
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == setup["dossier"]).first())["status"] == "open"


def test_a_meeting_in_the_past_cannot_be_published(voorzitter, setup):
    past = make_meeting(voorzitter, setup["id"], datum=(TODAY - dt.timedelta(days=1)).isoformat())
    add_dossier(voorzitter, past, setup["dossier"])
    response = voorzitter.post_form(f"/vergaderingen/{past}/publiceren")
    assert response.status_code == 422
    assert "in het verleden" in response.text
    assert sync(Vergadering.select(Vergadering.status).where(Vergadering.id == past).first())["status"] == "concept"
    assert statuses(setup["dossier"]) == ["gebundeld"] * 3


def test_an_empty_agenda_cannot_be_published(voorzitter, setup):
    response = voorzitter.post_form(f"/vergaderingen/{setup['meeting']}/publiceren")
    assert response.status_code == 422 and "minstens één punt" in response.text


def test_a_held_meeting_is_frozen(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    base = f"/vergaderingen/{setup['meeting']}"
    assert voorzitter.post_form(f"{base}/afsluiten", {"bevestigd": "1", "voor_datum": "1"},
                                follow_redirects=False).status_code == 303
    assert voorzitter.post_form(f"{base}/punten", {"soort": "rondvraag"}).status_code == 409
    assert voorzitter.post_form(f"{base}/punten/{punt}/verwijderen", {"bevestigd": "1"}).status_code == 409
    assert voorzitter.post_form(f"{base}/publiceren").status_code == 409
    assert "Voorgestelde dossiers" not in voorzitter.get(base).text


def test_the_chair_changes_the_invitations(voorzitter, setup):
    base = f"/vergaderingen/{setup['meeting']}"
    voorzitter.post_form(f"{base}/deelnemers", {"partners": [setup["clb"]]})
    rows = sync(Deelnemer.select(Deelnemer.partner).where(Deelnemer.vergadering == setup["meeting"]))
    assert [r["partner"] for r in rows] == [setup["clb"]]
    other = make_overleg_partner(setup)
    assert voorzitter.post_form(f"{base}/deelnemers", {"partners": [other]}).status_code == 422


def make_overleg_partner(setup) -> int:
    partner = Partner(overleg=setup["hoeilaart"], naam="CAW Hoeilaart")
    sync(partner.save())
    return partner.id


# ----------------------------------------------------------------------------- running the meeting

def test_the_chair_runs_the_meeting_point_by_point_with_attendance(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    rondvraag = sync(agenda.add_vrij_punt(current_user(voorzitter), setup["meeting"], "rondvraag"))["id"]
    base = f"/vergaderingen/{setup['meeting']}"
    page = voorzitter.get(f"{base}/leiden")
    assert page.status_code == 200
    assert 'src="/static/js/vergadering.js?v=' in page.text and "data-autosave" in page.text
    assert f'href="{base}/leiden?punt={rondvraag}"' in page.text and 'aria-current="step"' in page.text
    deelnemers = sync(Deelnemer.select().where(Deelnemer.vergadering == setup["meeting"]).order_by(Deelnemer.id))
    response = voorzitter.post_form(f"{base}/aanwezigheid", {f"d-{deelnemers[0]['id']}": "aanwezig",
                                                             f"d-{deelnemers[1]['id']}": "verontschuldigd",
                                                             "punt": punt}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"{base}/leiden?punt={punt}")
    answers = [d["aanwezigheid"] for d in sync(aanwezigheid.list_deelnemers(setup["meeting"]))]
    assert answers == ["aanwezig", "verontschuldigd"]
    assert voorzitter.post_form(f"{base}/aanwezigheid", {f"d-{deelnemers[0]['id']}": "misschien"}).status_code == 422
    response = voorzitter.post_form(f"{base}/punten/{punt}/notities", {"notities": "Iedereen **herkent** dit.",
                                                                       "besluit": "Naar het college.", "versie": 1})
    assert response.status_code == 200 and "<strong>herkent</strong>" in response.text
    row = sync(Agendapunt.select().where(Agendapunt.id == punt).first())
    assert (row["notities"], row["besluit"], row["versie"]) == ("Iedereen **herkent** dit.", "Naar het college.", 2)


def test_notes_autosave_with_a_version_and_a_stale_edit_gets_409_with_both_texts(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    url = f"/vergaderingen/{setup['meeting']}/punten/{punt}/notities"
    headers = {"x-csrf-token": voorzitter.csrf(), "accept": "application/json"}
    first = voorzitter.client.post(url, data={"notities": "Tekst van de voorzitter", "versie": "1"}, headers=headers)
    assert first.status_code == 200 and first.json()["versie"] == 2
    assert first.json()["notities_html"] == "<p>Tekst van de voorzitter</p>"
    stale = voorzitter.client.post(url, data={"notities": "Tekst van de co-voorzitter", "versie": "1"},
                                   headers=headers)
    assert stale.status_code == 409
    body = stale.json()
    assert body["huidig"]["notities"] == "Tekst van de voorzitter" and body["huidig"]["versie"] == 2
    assert body["jouw"]["notities"] == "Tekst van de co-voorzitter"
    assert "intussen gewijzigd" in body["detail"]
    assert sync(Agendapunt.select(Agendapunt.notities).where(Agendapunt.id == punt).first())["notities"] == \
        "Tekst van de voorzitter"
    # Without JavaScript: the page comes back with 409, the stored text shown and ours kept in the field.
    page = voorzitter.post_form(url, {"notities": "Mijn versie zonder JS", "versie": "1"})
    assert page.status_code == 409
    assert "Tekst van de voorzitter" in page.text and ">Mijn versie zonder JS</textarea>" in page.text
    assert 'name="versie" value="2"' in page.text
    assert voorzitter.client.post(url, data={"notities": "x", "versie": "twee"}, headers=headers).status_code == 422
    too_long = voorzitter.client.post(url, data={"notities": "x" * 20_001, "versie": "2"}, headers=headers)
    assert too_long.status_code == 422 and "notities" in too_long.json()["fields"]


def test_script_in_notes_is_never_rendered(voorzitter, partner, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    payload = '<script>alert(1)</script> [klik](javascript:alert(2)) <img src=x onerror=alert(3)>'
    url = f"/vergaderingen/{setup['meeting']}/punten/{punt}/notities"
    response = voorzitter.client.post(url, data={"notities": payload, "versie": "1"},
                                      headers={"x-csrf-token": voorzitter.csrf(), "accept": "application/json"})
    html = response.json()["notities_html"]
    assert "<script" not in html and "javascript:" not in html and "<img" not in html and "onerror" not in html.split(
        "&lt;img")[0]
    page = voorzitter.get(f"/vergaderingen/{setup['meeting']}/leiden?punt={punt}").text
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page and "<img src=x" not in page


def test_missing_csrf_is_refused_with_403(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    voorzitter.csrf()
    base = f"/vergaderingen/{setup['meeting']}"
    assert voorzitter.client.post(f"{base}/punten/{punt}/notities", data={"notities": "x", "versie": "1"},
                                  headers={"accept": "application/json"}).status_code == 403
    assert voorzitter.client.post(f"{base}/publiceren").status_code == 403
    assert voorzitter.client.post("/vergaderingen/nieuw", data={"overleg": setup["id"]}).status_code == 403
    assert sync(Agendapunt.select(Agendapunt.versie).where(Agendapunt.id == punt).first())["versie"] == 1
    assert sync(Vergadering.count()) == 1


def test_choosing_the_function_actie_moves_the_signals_to_in_actie(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    publish(voorzitter, setup["meeting"])
    url = f"/vergaderingen/{setup['meeting']}/punten/{punt}/functies"
    response = voorzitter.post_form(url, {"functies": ["forum", "actie"]}, follow_redirects=False)
    assert response.status_code == 303
    assert statuses(setup["dossier"]) == ["in_actie"] * 3
    history = sync(SignaalHistoriek.select().where(SignaalHistoriek.naar == "in_actie"))
    assert len(history) == 3 and {h["van"] for h in history} == {"geagendeerd"}
    assert sync(Agendapunt.select(Agendapunt.functies).where(Agendapunt.id == punt).output(load_json=True).first())[
        "functies"] == ["forum", "actie"]
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == setup["dossier"]).first())["status"] == \
        "in_behandeling"
    assert voorzitter.post_form(url, {"functies": ["toveren"]}).status_code == 422
    voorzitter.post_form(url, {"functies": ["signaal_advies"]})
    assert statuses(setup["dossier"]) == ["in_actie"] * 3


def test_an_action_on_a_point_of_an_unpublished_agenda_also_moves_the_signals(voorzitter, setup):
    punt = add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    url = f"/vergaderingen/{setup['meeting']}/punten/{punt}/acties"
    deadline = (TODAY + dt.timedelta(days=60)).isoformat()
    response = voorzitter.post_form(url, {"wat": "Tienerwerking polst bij de jeugddienst naar een lokaal",
                                          "partner": setup["caw"], "deadline": deadline, "lens": "versterking"},
                                    follow_redirects=False)
    assert response.status_code == 303
    actie = sync(Actie.select().first())
    assert (actie["agendapunt"], actie["dossier"], actie["partner"], actie["lens"]) == (
        punt, setup["dossier"], setup["caw"], "versterking")
    assert statuses(setup["dossier"]) == ["in_actie"] * 3
    page = voorzitter.get(f"/vergaderingen/{setup['meeting']}/leiden?punt={punt}").text
    assert "Tienerwerking polst bij de jeugddienst" in page and "CAW Boven-Schelde" in page
    bad = voorzitter.post_form(url, {"wat": " ", "lens": "vrolijk", "deadline": "morgen"})
    assert bad.status_code == 422 and sync(Actie.count()) == 1


# ----------------------------------------------------------------------------- .ics and PDF

def test_the_ics_is_a_valid_calendar_event(voorzitter, partner, setup):
    add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    assert partner.get(f"/vergaderingen/{setup['meeting']}.ics").status_code == 404
    publish(voorzitter, setup["meeting"])
    response = partner.get(f"/vergaderingen/{setup['meeting']}.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.date().isoformat() == SOON and start.strftime("%H:%M") == "19:30"
    assert str(start.tzinfo) == "Europe/Brussels"
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=20)
    assert str(event["LOCATION"]) == "Jeugdhuis De Pit"
    assert str(event["SUMMARY"]) == "Vergadering Jeugdwelzijnsoverleg Mechelen"
    assert "Geen ontmoetingsplek in Nekkerspoel" in str(event["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE")


def test_the_agenda_pdf_holds_every_point(voorzitter, partner, werker, setup):
    second = make_dossier(werker, "Laatste bus rijdt te vroeg", [8])
    add_dossier(voorzitter, setup["meeting"], setup["dossier"])
    add_dossier(voorzitter, setup["meeting"], second)
    sync(agenda.add_vrij_punt(current_user(voorzitter), setup["meeting"], "rondvraag"))
    sync(agenda.add_vrij_punt(current_user(voorzitter), setup["meeting"], "vrij", "Voorstelling CLB <b>nieuw</b>"))
    publish(voorzitter, setup["meeting"])
    response = partner.get(f"/vergaderingen/{setup['meeting']}/agenda.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    for title in ("Geen ontmoetingsplek in Nekkerspoel", "Laatste bus rijdt te vroeg", "Rondvraag",
                  "Voorstelling CLB <b>nieuw</b>", "Jeugdhuis De Pit", "CAW Boven-Schelde"):
        assert title in text, title
    assert "Gepland einde: 20:35" in text
