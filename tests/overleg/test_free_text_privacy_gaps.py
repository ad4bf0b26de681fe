"""Issue 13 item 3, the last two gaps: the title of a free agenda point (members and partners read the agenda, its
mail and .ics) and the summary of the council's answer (recorded by the chair on the page or the API, or by the
council through `/antwoord/{token}`) pass the privacy guard like every other free text of the overleg: refused
(422 with `fields` and `persoonsgegevens`) until confirmed, then stored with the confirmed findings.
"""

from __future__ import annotations

import json
from html import escape

import pytest

from common.dates import today
from overleg.tables import Agendapunt, Antwoord
from tests.overleg import test_notas
from tests.overleg.test_berichten_nota import COLLEGE, addresses, deliver, link_of, send, to  # noqa: F401
from tests.overleg.test_overleg_text_privacy import (
    BAD_FLAGS,
    CHECKBOX,
    CONFIRM_LABEL,
    FOUND,
    confirmed,
    refused_on_the_api,
    refused_on_the_page,
)
from tests.overleg.test_vergaderingen import add_dossier, make_meeting, make_overleg, publish
from tests.overleg.test_vergaderingen import make_dossier as make_meeting_dossier
from tests.support import sync

fast_pdf, nota = test_notas.fast_pdf, test_notas.nota  # the shared fixtures

TITLE = "Jan Peeters, gsm 0470 12 34 56"
TITLE_FOUND = {("naam", "Jan Peeters"), ("telefoon", "0470 12 34 56")}
SUMMARY = "Jan Peeters, gsm 0470 12 34 56, Kerkstraat 12."  # the same findings as FOUND
MESSAGE = "Mogelijk persoonsgegevens: naam van een persoon ‘Jan Peeters’"


def findings(value) -> set[tuple[str, str]]:
    rows = json.loads(value) if isinstance(value, str) else value
    return {(r["soort"], r["tekst"]) for r in rows}


def title_input(page: str) -> str:
    start = page.index('id="veld-titel"')
    tag = page[page.rindex("<", 0, start):page.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0]


# ============================================================================= gap 1: a free agenda point's title

@pytest.fixture
def meeting(world, personas):
    chair = personas["voorzitter"]
    overleg = make_overleg(world)
    dossier = make_meeting_dossier(personas["werker"], "Geen ontmoetingsplek in Nekkerspoel", [5, 20])
    vergadering = make_meeting(chair, overleg["id"])
    add_dossier(chair, vergadering, dossier)
    publish(chair, vergadering)
    return {"overleg": overleg, "vergadering": vergadering}


def free_points() -> list[dict]:
    return sync(Agendapunt.select(Agendapunt.titel, Agendapunt.soort, Agendapunt.persoonsgegevens).where(
        Agendapunt.dossier.is_null()).order_by(Agendapunt.id))


def add_point(persona, meeting, **form):
    return persona.post_form(f"/vergaderingen/{meeting['vergadering']}/punten", {"soort": "vrij", **form},
                             follow_redirects=False)


def test_a_free_point_title_with_personal_data_is_refused_and_added_once_confirmed(personas, meeting):
    chair, partner = personas["voorzitter"], personas["partner"]
    assert CHECKBOX not in chair.get(f"/vergaderingen/{meeting['vergadering']}").text
    refused = add_point(chair, meeting, titel=TITLE)
    assert refused.status_code == 422
    assert title_input(refused.text) == escape(TITLE)  # the typed title is kept
    assert '<option value="vrij" selected>' in refused.text
    assert MESSAGE in refused.text and CHECKBOX in refused.text and CONFIRM_LABEL in refused.text
    assert free_points() == []
    done = add_point(chair, meeting, titel=TITLE, bevestig="1")
    assert done.status_code == 303
    [row] = free_points()
    assert row["titel"] == TITLE and confirmed(row["persoonsgegevens"]) == TITLE_FOUND
    # partners read the confirmed title on the published agenda (page and API)
    assert TITLE in partner.get(f"/vergaderingen/{meeting['vergadering']}").text
    agenda = partner.get(f"/api/v1/vergaderingen/{meeting['vergadering']}/agenda").json()
    assert TITLE in [p["titel"] for p in agenda["punten"]]


def test_a_clean_free_point_or_a_default_title_needs_no_confirmation(personas, meeting):
    chair = personas["voorzitter"]
    assert add_point(chair, meeting, titel="Zomerwerking 2027").status_code == 303
    assert add_point(chair, meeting, soort="rondvraag", titel="").status_code == 303
    assert [(r["titel"], findings(r["persoonsgegevens"])) for r in free_points()] == [
        ("Zomerwerking 2027", set()), ("Rondvraag", set())]


@pytest.mark.parametrize("flag", ["true", "0", "nee", ""])
def test_a_free_point_confirmation_of_another_value_confirms_nothing(personas, meeting, flag):
    refused = add_point(personas["voorzitter"], meeting, titel=TITLE, bevestig=flag)
    assert refused.status_code == 422 and CHECKBOX in refused.text and free_points() == []


def test_a_free_point_title_too_long_or_missing_is_422_without_findings(personas, meeting):
    chair = personas["voorzitter"]
    for titel, message in (("", "Geef het punt een titel."), ("x" * 201, "hoogstens 200 tekens")):
        refused = add_point(chair, meeting, titel=titel, bevestig="1")
        assert refused.status_code == 422 and message in refused.text and CHECKBOX not in refused.text
    assert free_points() == []


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("partner", 403), ("werker2", 404),
                                              ("beheerder", 404), ("anonymous", 303)])
def test_who_may_not_add_points_gets_no_privacy_answer(personas, meeting, name, status):
    response = add_point(personas[name], meeting, titel=TITLE, bevestig="1")
    assert response.status_code == status
    assert "persoonsgegevens" not in response.text and "0470 12 34 56" not in response.text
    assert free_points() == []


def test_saving_notes_keeps_the_title_confirmations(personas, meeting):
    chair, vid = personas["voorzitter"], meeting["vergadering"]
    assert add_point(chair, meeting, titel=TITLE, bevestig="1").status_code == 303
    punt = sync(Agendapunt.select(Agendapunt.id).where(Agendapunt.dossier.is_null()).first())["id"]
    url = f"/vergaderingen/{vid}/punten/{punt}/notities"
    assert chair.post_form(url, {"notities": "Mail: noor@example.be", "besluit": "", "versie": "1",
                                 "bevestig": "1"}, follow_redirects=False).status_code == 303
    [row] = free_points()
    assert findings(row["persoonsgegevens"]) > TITLE_FOUND  # the title's and the note's
    assert ("noor@example.be" in {t for _, t in findings(row["persoonsgegevens"])})
    again = chair.post_form(url, {"notities": "Niets meer.", "besluit": "", "versie": "2"}, follow_redirects=False)
    assert again.status_code == 303
    assert findings(free_points()[0]["persoonsgegevens"]) == TITLE_FOUND


# ============================================================================= gap 2: the answer's summary

def answer_row() -> dict | None:
    return sync(Antwoord.select(Antwoord.samenvatting, Antwoord.persoonsgegevens, Antwoord.geregistreerd_door
                                ).first())


def answer_form(**extra) -> dict:
    return {"datum": today().isoformat(), "beslissing": "deels", "samenvatting": SUMMARY, **extra}


@pytest.fixture
def sent(personas, nota):
    assert personas["voorzitter"].post_form(f"/notas/{nota['id']}/versturen",
                                            follow_redirects=False).status_code == 303
    return nota


def test_the_chair_s_summary_is_refused_on_the_page_and_saved_once_confirmed(personas, sent):
    chair, partner, nid = personas["voorzitter"], personas["partner"], sent["id"]
    refused = chair.post_form(f"/notas/{nid}/antwoord", answer_form())
    refused_on_the_page(refused, SUMMARY, "veld-samenvatting")
    assert 'value="deels" checked' in refused.text and f'value="{today().isoformat()}"' in refused.text
    assert answer_row() is None and test_notas.statuses(sent["signalen"]) == {"gesignaleerd"}
    done = chair.post_form(f"/notas/{nid}/antwoord", answer_form(bevestig="1"), follow_redirects=False)
    assert done.status_code == 303
    row = answer_row()
    assert row["samenvatting"] == SUMMARY and confirmed(row["persoonsgegevens"]) == FOUND
    assert test_notas.statuses(sent["signalen"]) == {"beantwoord"}
    assert escape(SUMMARY, quote=False) in partner.get(f"/notas/{nid}").text  # partners read it


def test_the_chair_s_summary_is_refused_on_the_api_and_saved_once_confirmed(personas, sent):
    chair, url = personas["voorzitter"], f"/api/v1/notas/{sent['id']}/antwoord"
    refused_on_the_api(chair.api("POST", url, json=answer_form()), "samenvatting")
    assert answer_row() is None
    done = chair.api("POST", url, json=answer_form(bevestig_persoonsgegevens=True))
    assert done.status_code == 201, done.text
    assert done.json()["antwoord"]["samenvatting"] == SUMMARY
    assert confirmed(answer_row()["persoonsgegevens"]) == FOUND


def test_a_clean_summary_needs_no_confirmation(personas, sent):
    done = personas["voorzitter"].api("POST", f"/api/v1/notas/{sent['id']}/antwoord",
                                      json=answer_form(samenvatting="Het college zoekt een plek."))
    assert done.status_code == 201 and findings(answer_row()["persoonsgegevens"]) == set()


@pytest.mark.parametrize("flag", BAD_FLAGS)
def test_a_summary_confirmation_of_the_wrong_type_is_400(personas, sent, flag):
    response = personas["voorzitter"].api("POST", f"/api/v1/notas/{sent['id']}/antwoord",
                                          json=answer_form(bevestig_persoonsgegevens=flag))
    assert response.status_code == 400 and answer_row() is None


@pytest.mark.parametrize("flag", ["true", "0", ""])
def test_a_summary_confirmation_of_another_value_on_the_page_confirms_nothing(personas, sent, flag):
    refused = personas["voorzitter"].post_form(f"/notas/{sent['id']}/antwoord", answer_form(bevestig=flag))
    assert refused.status_code == 422 and CHECKBOX in refused.text and answer_row() is None


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("partner", 403), ("werker2", 404),
                                              ("beheerder", 404), ("anonymous", 401)])
def test_who_may_not_record_the_answer_gets_no_privacy_answer(personas, sent, name, status):
    response = personas[name].api("POST", f"/api/v1/notas/{sent['id']}/antwoord",
                                  json=answer_form(bevestig_persoonsgegevens=True))
    assert response.status_code == status
    assert "persoonsgegevens" not in response.text and "0470 12 34 56" not in response.text
    assert answer_row() is None


def test_the_council_s_summary_comes_back_with_the_text_and_the_confirmation(smtp_server, personas, nota,
                                                                              addresses):  # noqa: F811
    chair, anonymous = personas["voorzitter"], personas["anonymous"]
    send(chair, nota["id"])
    token = link_of(to(deliver(smtp_server, 2), COLLEGE)[0])
    assert CHECKBOX not in anonymous.get(f"/antwoord/{token}").text
    refused = anonymous.client.post(f"/antwoord/{token}", data=answer_form())
    refused_on_the_page(refused, SUMMARY, "veld-samenvatting")
    assert answer_row() is None
    other = anonymous.client.post(f"/antwoord/{token}", data=answer_form(bevestig="true"))
    assert other.status_code == 422 and answer_row() is None  # only the checked box confirms
    done = anonymous.client.post(f"/antwoord/{token}", data=answer_form(bevestig="1"))
    assert done.status_code == 200 and "geregistreerd" in done.text
    row = answer_row()
    assert row["samenvatting"] == SUMMARY and row["geregistreerd_door"] is None
    stored = json.loads(row["persoonsgegevens"]) if isinstance(row["persoonsgegevens"], str) else \
        row["persoonsgegevens"]
    assert findings(stored) == FOUND  # confirmed through the link: by nobody with an account
    assert all(r["bevestigd_door"] is None and r["bevestigd_op"] for r in stored)
    assert test_notas.statuses(nota["signalen"]) == {"beantwoord"}
