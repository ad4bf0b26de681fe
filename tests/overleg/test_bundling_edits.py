"""Issue 12 item 8: a bundling suggestion is edited before it becomes a dossier (a signal out, one in), the message
links the new dossier, a dossier goes onto the agenda of a coming meeting from its own page, and "Nog te bundelen" on
the chair's dashboard opens the suggestions."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from common.dates import today
from overleg.tables import Agendapunt, Dossier, Vergadering
from signalen.tables import Signaal
from tests.overleg.test_suggestions import realistic
from tests.overleg.test_vergaderingen import make_meeting
from tests.overleg.test_vergaderingen import make_overleg as overleg_with_partners
from tests.support import make_signaal, sync

PAGE = "/dossiers/suggesties/?gemeente=mechelen"
ACCEPT = "/dossiers/suggesties/aanvaarden"


def members(dossier_id: int) -> set[int]:
    return {r["id"] for r in sync(Signaal.select(Signaal.id).where(Signaal.dossier == dossier_id))}


def state(signaal_id: int) -> tuple[int | None, str]:
    row = sync(Signaal.select(Signaal.dossier, Signaal.status).where(Signaal.id == signaal_id).first())
    return row["dossier"], row["status"]


def test_the_proposal_is_shown_as_ticked_checkboxes_with_others_to_add(personas):
    bus, plek = realistic(personas["werker"])
    page = personas["voorzitter"].get(PAGE).text
    for i in bus + plek:
        assert re.search(rf'<input type="checkbox" name="signalen" value="{i}" id="k-n\d+-{i}" checked>', page), i
    assert "Signaal toevoegen" in page and page.count('name="voorstel"') >= 2
    # a signal of the other group is offered, unticked, to add to this one
    assert re.search(rf'<input type="checkbox" name="signalen" value="{plek[0]}" id="k-n\d+-{plek[0]}">', page)


def test_a_signal_taken_out_and_one_added_make_the_dossier_and_the_message_links_it(personas):
    bus, plek = realistic(personas["werker"])
    chair = personas["voorzitter"]
    chosen = [bus[0], bus[1], plek[0]]  # bus[2] taken out, plek[0] added
    response = chair.post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(i) for i in chosen],
                                        "voorstel": ",".join(map(str, bus)), "titel": "Laatste bus"})
    made = sync(Dossier.select(Dossier.id).where(Dossier.titel == "Laatste bus").first())
    assert made and members(made["id"]) == set(chosen)
    assert state(bus[2]) == (None, "nieuw") and state(plek[0]) == (made["id"], "gebundeld")
    assert "Dossier ‘Laatste bus’ gemaakt met 3 signalen." in response.text
    assert f'<a href="/dossiers/{made["id"]}">Naar het dossier</a>' in response.text
    # the one taken out is still there to bundle
    assert f'value="{bus[2]}"' in chair.get(PAGE).text


def test_an_edited_match_joins_the_existing_dossier(personas):
    bus, plek = realistic(personas["werker"], other=False)
    chair = personas["voorzitter"]
    assert chair.post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(i) for i in bus[:2]],
                                    "titel": "Bus"}).status_code == 200
    dossier = sync(Dossier.select(Dossier.id).first())["id"]
    response = chair.post_form(ACCEPT, {"gemeente": "mechelen", "dossier": str(dossier),
                                        "signalen": [str(bus[2]), str(plek[1])]})
    assert "2 signalen toegevoegd aan dossier ‘Bus’." in response.text
    assert members(dossier) == {*bus, plek[1]}


@pytest.mark.parametrize("chosen", [[], ["abc"], ["-1"], ["99999999"], ["1 OR 1=1"]])
def test_an_empty_or_malformed_choice_makes_no_dossier(personas, chosen):
    realistic(personas["werker"], other=False)
    response = personas["voorzitter"].post_form(ACCEPT, {"gemeente": "mechelen", "signalen": chosen, "titel": "X"})
    assert response.status_code == 200 and "flash-fout" in response.text
    assert sync(Dossier.count()) == 0


def test_a_foreign_or_bundled_signal_cannot_be_added(personas):
    bus, plek = realistic(personas["werker"], other=False)
    chair = personas["voorzitter"]
    foreign = make_signaal(personas["werker2"], gemeente="hoeilaart")["id"]
    refused = chair.post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(bus[0]), str(foreign)], "titel": "X"})
    assert "Alleen signalen van Mechelen" in refused.text and sync(Dossier.count()) == 0
    chair.post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(bus[0])], "titel": "Eerste"})
    again = chair.post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(bus[0]), str(bus[1])], "titel": "Twee"})
    assert "flash-fout" in again.text and sync(Dossier.count()) == 1 and state(bus[1]) == (None, "nieuw")


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("partner", 403),
                                              ("coordinator", 403), ("beheerder", 404)])
def test_only_the_chair_accepts_an_edited_proposal(personas, name, status):
    bus, _ = realistic(personas["werker"], other=False)
    response = personas[name].post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(i) for i in bus],
                                                 "titel": "X"})
    assert response.status_code == status and sync(Dossier.count()) == 0


# ----------------------------------------------------------------------------- onto the agenda from the dossier

@pytest.fixture
def dossier_and_meetings(personas, world) -> dict:
    ov = overleg_with_partners(world)
    bus, _ = realistic(personas["werker"], other=False)
    chair = personas["voorzitter"]
    chair.post_form(ACCEPT, {"gemeente": "mechelen", "signalen": [str(i) for i in bus], "titel": "Laatste bus"})
    dossier = sync(Dossier.select(Dossier.id).first())["id"]
    coming = make_meeting(chair, ov["id"])
    held = make_meeting(chair, ov["id"], datum=(today() + dt.timedelta(days=30)).isoformat())
    sync(Vergadering.update({Vergadering.status: "gehouden"}).where(Vergadering.id == held))
    return {"dossier": dossier, "coming": coming, "held": held, "bus": bus, "url": f"/dossiers/{dossier}/agenderen"}


def test_the_chair_puts_the_dossier_on_a_coming_agenda_from_its_page(personas, dossier_and_meetings):
    d, chair = dossier_and_meetings, personas["voorzitter"]
    page = chair.get(f"/dossiers/{d['dossier']}").text
    # the only coming meeting is chosen already; a held one is no choice
    assert f'<option value="{d["coming"]}" selected>' in page and f'<option value="{d["held"]}"' not in page
    done = chair.post_form(d["url"], {"vergadering": str(d["coming"])})
    assert done.status_code == 200 and "Op de agenda gezet als punt ‘Laatste bus’." in done.text
    assert f'href="/vergaderingen/{d["coming"]}#agenda">Naar de agenda</a>' in done.text
    assert sync(Agendapunt.count().where((Agendapunt.dossier == d["dossier"])
                                         & (Agendapunt.vergadering == d["coming"]))) == 1
    assert "Dit dossier staat op de agenda van" in done.text
    again = chair.post_form(d["url"], {"vergadering": str(d["coming"])})
    assert "al op de agenda" in again.text and sync(Agendapunt.count()) == 1


def test_bad_meetings_are_refused(personas, world, dossier_and_meetings):
    d, chair = dossier_and_meetings, personas["voorzitter"]
    for raw in ("", "abc", "-3", "1e3"):
        assert "Kies een vergadering." in chair.post_form(d["url"], {"vergadering": raw}).text, raw
    assert chair.post_form(d["url"], {"vergadering": "999999"}).status_code == 404
    assert chair.post_form(d["url"], {"vergadering": str(d["held"])}).status_code == 200  # 409 shown as a message
    other = Vergadering(overleg=overleg_with_partners_hoeilaart(world), datum=today() + dt.timedelta(days=3),
                        begin=dt.time(19, 0))
    sync(other.save())
    assert chair.post_form(d["url"], {"vergadering": str(other.id)}).status_code == 404
    assert sync(Agendapunt.count()) == 0


def overleg_with_partners_hoeilaart(world) -> int:
    from overleg.tables import Overleg
    return sync(Overleg.select(Overleg.id).where(Overleg.gemeente == world.gemeenten["hoeilaart"]).first())["id"]


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("partner", 404),
                                              ("coordinator", 403), ("beheerder", 404)])
def test_only_the_chair_puts_a_dossier_on_the_agenda(personas, dossier_and_meetings, name, status):
    d = dossier_and_meetings
    response = personas[name].post_form(d["url"], {"vergadering": str(d["coming"])})
    assert response.status_code == status and sync(Agendapunt.count()) == 0
    if status == 403:
        assert "Op de agenda zetten" not in personas[name].get(f"/dossiers/{d['dossier']}").text


# ----------------------------------------------------------------------------- the dashboard

def test_nog_te_bundelen_opens_the_suggestions(personas):
    realistic(personas["werker"], other=False)
    home = personas["voorzitter"].get("/").text
    card = home[home.index("Nog te bundelen"):]
    assert re.search(r'<a href="/dossiers/suggesties/?">Bundelvoorstellen bekijken</a>', card[:600])
