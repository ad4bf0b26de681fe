"""One path through a meeting: the stages agenda (concept, gepubliceerd), vergadering, verslag (nog niet
opgesteld, concept, ter goedkeuring, goedgekeurd) on the meeting page with the current one marked, the minutes
linked from the meeting page, the list and the chair's dashboard — which never shows a held meeting as the next."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from common.dates import today
from overleg.tables import Vergadering
from overleg.vergaderingen import agenda, verslag
from tests.overleg.test_vergaderingen import add_dossier, make_dossier, make_meeting, make_overleg
from tests.support import current_user, sync

PAST = (today() - dt.timedelta(days=20)).isoformat()


@pytest.fixture
def setup(world, werker, voorzitter):
    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Geen ontmoetingsplek in Nekkerspoel", [5, 20, 40])
    meeting = make_meeting(voorzitter, overleg["id"])
    add_dossier(voorzitter, meeting, dossier)
    return {**overleg, "dossier": dossier, "meeting": meeting}


def stepper(html: str) -> list[tuple[str, str, bool]]:
    """(stage, state, current) per stage of the stepper on a page."""
    nav = re.search(r'<nav class="stappen".*?</nav>', html, re.S)
    assert nav, "no stepper on the page"
    out = []
    for item in re.findall(r"<li class=\"stap[^\"]*\"[^>]*>.*?</li>", nav.group(0), re.S):
        name = re.sub(r"<[^>]+>", "", re.search(r">\s*(?:<a[^>]*>|<span>)(.*?)<", item, re.S).group(1)).strip()
        state = re.search(r'<span class="stap-toestand">(.*?)</span>', item).group(1)
        out.append((name, state, 'aria-current="step"' in item))
    return out


def hold(voorzitter, meeting: int) -> None:
    closed = voorzitter.post_form(f"/vergaderingen/{meeting}/afsluiten", {"bevestigd": "1", "voor_datum": "1"},
                                  follow_redirects=False)
    assert closed.status_code == 303


def test_a_concept_agenda_is_the_current_stage_and_no_minutes_are_linked(voorzitter, setup):
    page = voorzitter.get(f"/vergaderingen/{setup['meeting']}").text
    assert stepper(page) == [("Agenda", "Concept", True), ("Vergadering", "Gepland", False),
                             ("Verslag", "Nog niet opgesteld", False)]
    assert f"/vergaderingen/{setup['meeting']}/verslag" not in page
    assert page.count('aria-current="step"') == 1


def test_a_published_agenda_is_shown_as_such_to_the_chair_and_the_partner(voorzitter, partner, setup):
    sync(agenda.publish(current_user(voorzitter), setup["meeting"]))
    for persona in (voorzitter, partner):
        page = persona.get(f"/vergaderingen/{setup['meeting']}").text
        assert stepper(page)[0] == ("Agenda", "Gepubliceerd", True)
    partner_page = partner.get(f"/vergaderingen/{setup['meeting']}").text
    assert f"/vergaderingen/{setup['meeting']}/leiden" not in partner_page  # only the chair runs the meeting


def test_on_the_day_the_meeting_is_the_current_stage(voorzitter, setup):
    sync(Vergadering.update({Vergadering.datum: today()}).where(Vergadering.id == setup["meeting"]))
    page = voorzitter.get(f"/vergaderingen/{setup['meeting']}").text
    assert stepper(page)[1] == ("Vergadering", "Bezig", True)
    assert f'href="/vergaderingen/{setup["meeting"]}/verslag"' in page


def test_the_minutes_follow_the_meeting_to_approval(voorzitter, partner, setup):
    meeting = setup["meeting"]
    sync(agenda.publish(current_user(voorzitter), meeting))
    sync(Vergadering.update({Vergadering.datum: dt.date.fromisoformat(PAST)}).where(Vergadering.id == meeting))
    hold(voorzitter, meeting)
    page = voorzitter.get(f"/vergaderingen/{meeting}").text
    assert stepper(page) == [("Agenda", "Gepubliceerd", False), ("Vergadering", "Gehouden", False),
                             ("Verslag", "Nog niet opgesteld", True)]
    assert f'href="/vergaderingen/{meeting}/verslag"' in page
    chair = current_user(voorzitter)
    sync(verslag.save_verslag(chair, meeting, "# Aanwezigheid\n\nIedereen.", 0))
    assert stepper(voorzitter.get(f"/vergaderingen/{meeting}").text)[2] == ("Verslag", "Concept", True)
    later = make_meeting(voorzitter, setup["id"], datum=today().isoformat())  # the next meeting approves it
    assert stepper(voorzitter.get(f"/vergaderingen/{meeting}").text)[2] == ("Verslag", "Ter goedkeuring", True)
    sync(verslag.approve(chair, meeting, later))
    for persona in (voorzitter, partner):
        page = persona.get(f"/vergaderingen/{meeting}").text
        assert stepper(page)[2] == ("Verslag", "Goedgekeurd", True)
        assert "stap stap-klaar\" aria-current" in page  # the last stage is done too
    listing = voorzitter.get("/vergaderingen/").text
    assert f'href="/vergaderingen/{meeting}/verslag"' in listing and ": goedgekeurd" in listing


def test_the_list_links_the_minutes_of_held_meetings_only(voorzitter, partner, setup):
    past = make_meeting(voorzitter, setup["id"], datum=PAST)
    hold(voorzitter, past)
    for persona in (voorzitter,):
        listing = persona.get("/vergaderingen/").text
        assert f'href="/vergaderingen/{past}/verslag"' in listing
        assert f'href="/vergaderingen/{setup["meeting"]}/verslag"' not in listing


def test_strangers_see_no_stages(werker2, anonymous, setup):
    assert werker2.get(f"/vergaderingen/{setup['meeting']}").status_code == 404
    assert anonymous.get(f"/vergaderingen/{setup['meeting']}", follow_redirects=False).status_code == 303


# ----------------------------------------------------------------------------- the chair's dashboard

def next_meeting_card(html: str) -> str:
    return re.search(r"<h3>Volgende vergadering</h3>(.*?)</div>", html, re.S).group(1)


def test_the_dashboard_never_shows_a_held_meeting_as_the_next_one(voorzitter, setup):
    today_meeting = make_meeting(voorzitter, setup["id"], datum=today().isoformat())
    sync(Vergadering.update({Vergadering.datum: dt.date.fromisoformat(PAST)}).where(
        Vergadering.id == setup["meeting"]))
    hold(voorzitter, today_meeting)  # held today: its date is still "today or later"
    card = next_meeting_card(voorzitter.get("/").text)
    assert f"/vergaderingen/{today_meeting}" not in card and "Geen vergadering gepland." in card
    coming = make_meeting(voorzitter, setup["id"], datum=(today() + dt.timedelta(days=30)).isoformat())
    page = voorzitter.get("/").text
    assert f'href="/vergaderingen/{coming}"' in next_meeting_card(page)
    assert "Agenda nog niet gepubliceerd" in next_meeting_card(page)
    previous = re.search(r"<h3>Vorige vergadering</h3>(.*?)</div>", page, re.S).group(1)
    assert f'href="/vergaderingen/{today_meeting}/verslag"' in previous and "nog niet opgesteld" in previous


@pytest.mark.parametrize("name", ["werker", "partner", "coordinator"])
def test_only_the_chair_gets_the_meeting_cards(personas, setup, name):
    page = personas[name].get("/").text
    assert "<h3>Volgende vergadering</h3>" not in page and "<h3>Vorige vergadering</h3>" not in page
