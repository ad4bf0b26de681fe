"""Issue 12 item 2: confirm before what cannot be undone — without JavaScript a Dutch confirmation page (what will
happen, "Bevestigen" / "Annuleren") unless the form carries bevestigd=1; "Uit dossier" can be undone from its
message; closing a meeting before its date needs the explicit second checkbox. (The dialog: tests/browser.)"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from overleg.tables import Agendapunt, Dossier, Vergadering
from signalen.tables import Signaal
from tests.overleg.test_notas import fast_pdf, make_dossier, make_overleg, new_nota  # noqa: F401
from tests.overleg.test_vergaderingen import add_dossier, make_meeting
from tests.overleg.test_vergaderingen import make_dossier as gebundeld_dossier
from tests.overleg.test_vergaderingen import make_overleg as overleg_with_partners
from tests.support import make_signaal, sync

OTHERS = [("werker", 403), ("werker2", 404), ("partner", 404), ("coordinator", 403), ("beheerder", 404)]
EARLY = "ik sluit deze vergadering af vóór haar datum"


def confirmation(response, action: str) -> str:
    """The confirmation page: 200, a form back to `action` with bevestigd=1, Bevestigen and Annuleren."""
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert f'action="{action}"' in page and '<input type="hidden" name="bevestigd" value="1">' in page
    assert ">Bevestigen</button>" in page and re.search(r'<a class="button[^"]*" href="[^"]+">Annuleren</a>', page)
    return page


def status_of(signaal_id: int) -> tuple[int | None, str]:
    row = sync(Signaal.select(Signaal.dossier, Signaal.status).where(Signaal.id == signaal_id).first())
    return row["dossier"], row["status"]


# ----------------------------------------------------------------------------- "Uit dossier", and undo

@pytest.fixture
def bundel(personas, world) -> dict:
    signaal = make_signaal(personas["werker"], titel="Geen plek <b>aan</b> het station")
    other = make_signaal(personas["werker"], titel="Tweede signaal")
    from overleg.dossiers import services as dossiers
    from tests.support import current_user
    dossier = sync(dossiers.create_dossier(current_user(personas["voorzitter"]), "mechelen", "Ontmoeten", "",
                                           [signaal["id"], other["id"]]))
    return {"dossier": dossier["id"], "signaal": signaal["id"],
            "url": f"/dossiers/{dossier['id']}/signalen/{signaal['id']}/verwijderen"}


def test_uit_dossier_asks_first_then_removes_and_can_be_undone(personas, bundel):
    chair = personas["voorzitter"]
    page = confirmation(chair.post_form(bundel["url"], {"toelichting": "Hoort elders"}), bundel["url"])
    assert "Geen plek &lt;b&gt;aan&lt;/b&gt; het station" in page and "<b>aan</b>" not in page
    assert '<input type="hidden" name="toelichting" value="Hoort elders">' in page  # carried to the real post
    assert "niet ongedaan maken" not in page  # this one can be undone
    assert status_of(bundel["signaal"]) == (bundel["dossier"], "gebundeld")

    for almost in ("0", "ja", "true", "", "1 1"):
        assert chair.post_form(bundel["url"], {"bevestigd": almost}).status_code == 200
        assert status_of(bundel["signaal"]) == (bundel["dossier"], "gebundeld"), almost

    done = chair.post_form(bundel["url"], {"bevestigd": "1", "toelichting": "Hoort elders"})
    assert done.status_code == 200 and "weer op ‘nieuw’" in done.text
    assert status_of(bundel["signaal"]) == (None, "nieuw")
    undo = re.search(r'<form method="post" action="([^"]+)" class="inline flash-undo">(.*?)</form>', done.text, re.S)
    assert undo and "Ongedaan maken" in undo.group(2)
    assert undo.group(1) == f"/dossiers/{bundel['dossier']}/signalen"
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', undo.group(2)))
    assert fields["signalen"] == str(bundel["signaal"])
    restored = chair.post_form(html.unescape(undo.group(1)), {"signalen": fields["signalen"]})
    assert restored.status_code == 200 and status_of(bundel["signaal"]) == (bundel["dossier"], "gebundeld")


@pytest.mark.parametrize(("name", "status"), OTHERS)
def test_only_the_chair_gets_the_question_and_nothing_changes(personas, bundel, name, status):
    for data in ({}, {"bevestigd": "1"}):
        response = personas[name].post_form(bundel["url"], data)
        assert response.status_code == status and "Bevestigen" not in response.text
    assert status_of(bundel["signaal"]) == (bundel["dossier"], "gebundeld")


def test_anonymous_and_unknown_signals_get_no_question(personas, bundel):
    assert personas["anonymous"].post_form(bundel["url"], follow_redirects=False).status_code in (302, 303, 401)
    chair = personas["voorzitter"]
    for url in (f"/dossiers/{bundel['dossier']}/signalen/999999/verwijderen",
                f"/dossiers/{bundel['dossier']}/signalen/abc/verwijderen", "/dossiers/999999/signalen/1/verwijderen"):
        assert chair.post_form(url).status_code == 404, url


def test_the_question_and_the_action_need_the_csrf_token(personas, bundel):
    chair = personas["voorzitter"]
    chair.csrf()
    assert chair.client.post(bundel["url"], data={"bevestigd": "1"}).status_code == 403
    assert status_of(bundel["signaal"]) == (bundel["dossier"], "gebundeld")


# ----------------------------------------------------------------------------- the agenda point and the meeting

@pytest.fixture
def meeting(personas, world) -> dict:
    ov = overleg_with_partners(world)
    dossier = gebundeld_dossier(personas["werker"], "Laatste <bus>", [3, 5])
    vid = make_meeting(personas["voorzitter"], ov["id"])
    punt = add_dossier(personas["voorzitter"], vid, dossier)
    return {"id": vid, "punt": punt, "base": f"/vergaderingen/{vid}"}


def test_removing_an_agenda_point_asks_first(personas, meeting):
    chair, url = personas["voorzitter"], f"{meeting['base']}/punten/{meeting['punt']}/verwijderen"
    page = confirmation(chair.post_form(url), url)
    assert "Laatste &lt;bus&gt;" in page and "niet ongedaan maken" in page
    assert sync(Agendapunt.count()) == 1
    assert chair.post_form(url, {"bevestigd": "1"}).status_code == 200 and sync(Agendapunt.count()) == 0


@pytest.mark.parametrize(("name", "status"), OTHERS)
def test_only_the_chair_is_asked_to_remove_or_close(personas, meeting, name, status):
    for url in (f"{meeting['base']}/punten/{meeting['punt']}/verwijderen", f"{meeting['base']}/afsluiten"):
        response = personas[name].post_form(url)
        assert response.status_code == status and "Bevestigen" not in response.text, url
    assert sync(Agendapunt.count()) == 1
    assert sync(Vergadering.select(Vergadering.status).where(Vergadering.id == meeting["id"]).first())["status"] \
        == "concept"


def meeting_status(vid: int) -> str:
    return sync(Vergadering.select(Vergadering.status).where(Vergadering.id == vid).first())["status"]


def test_closing_before_the_date_needs_the_second_confirmation(personas, meeting):
    chair, url = personas["voorzitter"], f"{meeting['base']}/afsluiten"
    page = confirmation(chair.post_form(url), url)
    assert EARLY in page and 'type="checkbox" name="voor_datum" value="1" required' in page
    refused = chair.post_form(url, {"bevestigd": "1"})
    assert refused.status_code == 422 and f"Vink aan: {EARLY}." in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert chair.post_form(url, {"bevestigd": "1", "voor_datum": "ja"}).status_code == 422
    assert meeting_status(meeting["id"]) == "concept"
    assert chair.post_form(url, {"bevestigd": "1", "voor_datum": "1"}, follow_redirects=False).status_code == 303
    assert meeting_status(meeting["id"]) == "gehouden"
    again = chair.post_form(url, {"bevestigd": "1", "voor_datum": "1"})
    assert again.status_code == 409


def test_closing_on_or_after_the_date_needs_one_confirmation(personas, meeting):
    sync(Vergadering.update({Vergadering.datum: dt.date.today() - dt.timedelta(days=1)}).where(
        Vergadering.id == meeting["id"]))
    chair, url = personas["voorzitter"], f"{meeting['base']}/afsluiten"
    page = confirmation(chair.post_form(url), url)
    assert EARLY not in page and "voor_datum" not in page
    assert chair.post_form(url, {"bevestigd": "1"}, follow_redirects=False).status_code == 303
    assert meeting_status(meeting["id"]) == "gehouden"


def test_the_buttons_carry_the_dialog_attributes(personas, meeting):
    chair = personas["voorzitter"]
    agenda = chair.get(meeting["base"]).text
    assert 'data-confirm="Agendapunt verwijderen?"' in agenda and 'data-confirm-knop="Verwijderen"' in agenda
    leiden = chair.get(f"{meeting['base']}/leiden").text
    assert 'data-confirm="Vergadering afsluiten?"' in leiden and f'data-confirm-controle="{EARLY}"' in leiden
    assert re.search(r'<script src="/static/js/confirm\.js\?v=[0-9a-f]+" defer></script>', leiden)
    assert personas["voorzitter"].get("/static/js/confirm.js").status_code == 200


# ----------------------------------------------------------------------------- "Dossier afronden"

def test_dossier_afronden_asks_first(personas, world, fast_pdf):  # noqa: F811
    from common.dates import today
    make_overleg(world)
    dossier_id, ids = make_dossier(world, personas["werker"], n=1)
    chair = personas["voorzitter"]
    nid = new_nota(chair, [dossier_id])["id"]
    assert chair.post_form(f"/notas/{nid}/versturen", follow_redirects=False).status_code == 303
    assert chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(), "beslissing": "akkoord"},
                           follow_redirects=False).status_code == 303
    assert chair.post_form(f"/notas/{nid}/terugkoppeling", {"dossier": str(dossier_id), "datum": today().isoformat(),
                                                            "hoe": "Jongerenoverleg", "wat": "Uitleg"},
                           follow_redirects=False).status_code == 303
    url = f"/notas/{nid}/dossiers/{dossier_id}/afsluiten"
    assert 'data-confirm="Dossier afronden?"' in chair.get(f"/notas/{nid}").text
    page = confirmation(chair.post_form(url), url)
    assert "Geen ontmoetingsplek" in page and "afgesloten" in page
    for name in ("werker", "werker2", "partner"):
        assert personas[name].post_form(url).status_code in (403, 404)
    assert chair.post_form(f"/notas/{nid}/dossiers/999999/afsluiten").status_code == 404
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == dossier_id).first())["status"] != "afgerond"
    assert chair.post_form(url, {"bevestigd": "1"}, follow_redirects=False).status_code == 303
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == dossier_id).first())["status"] == "afgerond"
