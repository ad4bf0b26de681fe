"""Issue 13 item 3: every free text of the overleg that people other than its author read passes the privacy guard
before it is stored — nota comments, minutes (`PUT …/verslag` and the editor, and so their PDF), agenda notes and
decisions (the autosave of "vergadering leiden" too), action texts, feedback (terugkoppeling).

Each is refused (422 with `fields` and `persoonsgegevens`) until its writer confirms — a checkbox on the pages,
`bevestig_persoonsgegevens: true` in the API — and then stored with the confirmed findings.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape

import pytest

from common.dates import today
from overleg.tables import Actie, Agendapunt, NotaCommentaar, Terugkoppeling, Verslag
from tests.overleg import test_acties, test_notas
from tests.overleg.test_vergaderingen import add_dossier, make_dossier, make_meeting, make_overleg, publish
from tests.support import sync

fast_pdf, nota, ov = test_notas.fast_pdf, test_notas.nota, test_acties.ov  # the shared fixtures

PERSONAL = "Jan Peeters, gsm 0470 12 34 56, Kerkstraat 12."
FOUND = {("naam", "Jan Peeters"), ("telefoon", "0470 12 34 56"), ("adres", "Kerkstraat 12")}
CLEAN = "Het CAW neemt contact op met de school over de laatste bus."
CHECKBOX = 'name="bevestig"'
CONFIRM_LABEL = "Ik bevestig dat deze gegevens nodig zijn"
BAD_FLAGS = ["ja", "on", None, [True], {"ja": True}]


def found(answer: dict) -> set[tuple[str, str]]:
    return {(f["soort"], f["tekst"]) for f in answer["persoonsgegevens"]}


def confirmed(value) -> set[tuple[str, str]]:
    rows = json.loads(value) if isinstance(value, str) else value
    assert all(r["bevestigd_door"] and r["bevestigd_op"] for r in rows)
    return {(r["soort"], r["tekst"]) for r in rows}


def textarea(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    start = page.index(">", start) + 1
    return page[start:page.index("</textarea>", start)]


def refused_on_the_api(response, field: str) -> None:
    assert response.status_code == 422, response.text
    answer = response.json()
    assert "persoonsgegevens" in answer["detail"] and set(answer["fields"]) == {field}
    assert answer["fields"][field].startswith("Mogelijk persoonsgegevens: naam van een persoon ‘Jan Peeters’")
    assert found(answer) == FOUND


def refused_on_the_page(response, text: str, element_id: str) -> None:
    assert response.status_code == 422
    assert textarea(response.text, element_id) == escape(text, quote=False)
    assert "Mogelijk persoonsgegevens: naam van een persoon ‘Jan Peeters’" in response.text
    assert CHECKBOX in response.text and CONFIRM_LABEL in response.text


# ============================================================================= nota comments

def nota_comments() -> list[str]:
    return [r["tekst"] for r in sync(NotaCommentaar.select(NotaCommentaar.tekst).order_by(NotaCommentaar.id))]


@pytest.fixture
def nota_open(personas, nota):
    assert personas["voorzitter"].post_form(f"/notas/{nota['id']}/ter-goedkeuring",
                                            follow_redirects=False).status_code == 303
    return nota


def test_a_nota_comment_with_personal_data_is_refused_on_the_page_and_saved_once_confirmed(personas, nota_open):
    partner, nid = personas["partner"], nota_open["id"]
    assert CHECKBOX not in partner.get(f"/notas/{nid}").text
    refused = partner.post_form(f"/notas/{nid}/commentaar", {"tekst": PERSONAL}, follow_redirects=False)
    refused_on_the_page(refused, PERSONAL, "veld-tekst")
    assert nota_comments() == []
    assert partner.post_form(f"/notas/{nid}/commentaar", {"tekst": PERSONAL, "bevestig": "nee"}).status_code == 422
    assert nota_comments() == []
    done = partner.post_form(f"/notas/{nid}/commentaar", {"tekst": PERSONAL, "bevestig": "1"},
                             follow_redirects=False)
    assert done.status_code == 303 and nota_comments() == [PERSONAL]
    row = sync(NotaCommentaar.select(NotaCommentaar.persoonsgegevens).first())
    assert confirmed(row["persoonsgegevens"]) == FOUND


def test_a_clean_nota_comment_needs_no_confirmation(personas, nota_open):
    done = personas["werker"].post_form(f"/notas/{nota_open['id']}/commentaar", {"tekst": CLEAN},
                                        follow_redirects=False)
    assert done.status_code == 303 and nota_comments() == [CLEAN]
    assert sync(NotaCommentaar.select(NotaCommentaar.persoonsgegevens).first())["persoonsgegevens"] in ("[]", [])


def test_a_nota_comment_with_personal_data_is_refused_on_the_api(personas, nota_open):
    url = f"/api/v1/notas/{nota_open['id']}/commentaren"
    partner = personas["partner"]
    for body in ({"tekst": PERSONAL}, {"tekst": PERSONAL, "bevestig_persoonsgegevens": False}):
        refused_on_the_api(partner.api("POST", url, json=body), "tekst")
    assert nota_comments() == []
    done = partner.api("POST", url, json={"tekst": PERSONAL, "bevestig_persoonsgegevens": True})
    assert done.status_code == 201, done.text
    assert done.json()["tekst"] == PERSONAL and done.json()["door"] == "Partner Test"
    assert nota_comments() == [PERSONAL]


@pytest.mark.parametrize("flag", BAD_FLAGS)
def test_a_nota_comment_confirmation_of_the_wrong_type_is_400(personas, nota_open, flag):
    response = personas["partner"].api("POST", f"/api/v1/notas/{nota_open['id']}/commentaren",
                                       json={"tekst": PERSONAL, "bevestig_persoonsgegevens": flag})
    assert response.status_code == 400 and "persoonsgegevens" not in response.json()
    assert nota_comments() == []


@pytest.mark.parametrize("tekst", ["", "   ", None, "a" * 5001])
def test_an_empty_or_too_long_nota_comment_is_422_without_findings(personas, nota_open, tekst):
    response = personas["partner"].api("POST", f"/api/v1/notas/{nota_open['id']}/commentaren",
                                       json={"tekst": tekst, "bevestig_persoonsgegevens": True})
    assert response.status_code == 422 and set(response.json()["fields"]) == {"tekst"}
    assert "persoonsgegevens" not in response.json() and nota_comments() == []


@pytest.mark.parametrize(("name", "status"), [("werker2", 404), ("beheerder", 404), ("anonymous", 401)])
def test_outsiders_get_no_privacy_answer_on_a_nota_comment(personas, nota_open, name, status):
    response = personas[name].api("POST", f"/api/v1/notas/{nota_open['id']}/commentaren",
                                  json={"tekst": PERSONAL, "bevestig_persoonsgegevens": True})
    assert response.status_code == status
    assert "persoonsgegevens" not in response.json() and "0470 12 34 56" not in response.text
    assert nota_comments() == []


def test_a_concept_nota_is_not_commented_by_a_partner(personas, nota):
    response = personas["partner"].api("POST", f"/api/v1/notas/{nota['id']}/commentaren", json={"tekst": PERSONAL})
    assert response.status_code == 404 and "persoonsgegevens" not in response.json()


# ============================================================================= the meeting: notes, decisions, actions

@pytest.fixture
def meeting(world, personas):
    chair = personas["voorzitter"]
    overleg = make_overleg(world)
    dossier = make_dossier(personas["werker"], "Geen ontmoetingsplek in Nekkerspoel", [5, 20])
    vergadering = make_meeting(chair, overleg["id"])
    punt = add_dossier(chair, vergadering, dossier)
    publish(chair, vergadering)
    return {"overleg": overleg, "vergadering": vergadering, "punt": punt, "dossier": dossier}


def notes_url(meeting) -> str:
    return f"/vergaderingen/{meeting['vergadering']}/punten/{meeting['punt']}/notities"


def point(meeting) -> dict:
    return sync(Agendapunt.select().where(Agendapunt.id == meeting["punt"]).first())


def autosave(persona, meeting, **data):
    return persona.client.post(notes_url(meeting), data=data, follow_redirects=False,
                               headers={"x-csrf-token": persona.csrf(), "accept": "application/json"})


def test_a_refused_autosave_answers_422_with_the_findings_and_a_confirmed_one_is_stored(personas, meeting):
    chair = personas["voorzitter"]
    refused = autosave(chair, meeting, notities=PERSONAL, besluit="", versie="1")
    refused_on_the_api(refused, "notities")
    assert point(meeting)["notities"] == "" and point(meeting)["versie"] == 1
    decision = autosave(chair, meeting, notities=CLEAN, besluit=PERSONAL, versie="1")
    refused_on_the_api(decision, "besluit")
    done = autosave(chair, meeting, notities=PERSONAL, besluit="", versie="1", bevestig="1")
    assert done.status_code == 200 and done.json()["versie"] == 2
    row = point(meeting)
    assert row["notities"] == PERSONAL and confirmed(row["persoonsgegevens"]) == FOUND
    # the next autosave of the same, confirmed text asks nothing; a new finding does
    again = autosave(chair, meeting, notities=PERSONAL + " Verder niets.", besluit="", versie="2")
    assert again.status_code == 200
    new = autosave(chair, meeting, notities=PERSONAL + " Mail: noor@example.be", besluit="", versie="3")
    assert new.status_code == 422 and found(new.json()) == {("email", "noor@example.be")}


def test_without_javascript_the_notes_come_back_with_the_confirmation(personas, meeting):
    chair = personas["voorzitter"]
    page = chair.get(f"/vergaderingen/{meeting['vergadering']}/leiden?punt={meeting['punt']}").text
    assert 'class="field confirm autosave-privacy" role="alert" hidden' in page  # the box the script fills
    refused = chair.post_form(notes_url(meeting), {"notities": PERSONAL, "besluit": "Naar het college.",
                                                   "versie": "1"})
    refused_on_the_page(refused, PERSONAL, "veld-notities")
    assert textarea(refused.text, "veld-besluit") == "Naar het college."
    assert 'class="field confirm autosave-privacy" role="alert">' in refused.text  # shown, not hidden
    assert point(meeting)["notities"] == ""
    done = chair.post_form(notes_url(meeting), {"notities": PERSONAL, "besluit": "", "versie": "1", "bevestig": "1"},
                           follow_redirects=False)
    assert done.status_code == 303 and point(meeting)["notities"] == PERSONAL


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("partner", 403), ("werker2", 404),
                                              ("beheerder", 404), ("anonymous", 303)])
def test_who_may_not_write_notes_gets_no_privacy_answer(personas, meeting, name, status):
    response = autosave(personas[name], meeting, notities=PERSONAL, versie="1", bevestig="1")
    assert response.status_code == status
    assert "persoonsgegevens" not in response.text and "0470 12 34 56" not in response.text
    assert point(meeting)["notities"] == ""


def test_an_action_on_the_meeting_page_is_refused_until_confirmed(personas, meeting):
    chair = personas["voorzitter"]
    url = f"/vergaderingen/{meeting['vergadering']}/punten/{meeting['punt']}/acties"
    form = {"wat": PERSONAL, "partner": str(meeting["overleg"]["caw"]), "deadline": "", "lens": "preventie"}
    refused = chair.post_form(url, form)
    refused_on_the_page(refused, PERSONAL, "veld-wat")
    assert sync(Actie.count()) == 0
    done = chair.post_form(url, {**form, "bevestig": "1"}, follow_redirects=False)
    assert done.status_code == 303
    row = sync(Actie.select(Actie.wat, Actie.persoonsgegevens).first())
    assert row["wat"] == PERSONAL and confirmed(row["persoonsgegevens"]) == FOUND


# ============================================================================= the minutes

def verslag_url(meeting) -> str:
    return f"/api/v1/vergaderingen/{meeting['vergadering']}/verslag"


def test_minutes_with_personal_data_are_refused_on_the_api_and_saved_once_confirmed(personas, meeting):
    chair = personas["voorzitter"]
    refused_on_the_api(chair.api("PUT", verslag_url(meeting), json={"inhoud": PERSONAL, "versie": 0}), "inhoud")
    assert sync(Verslag.count()) == 0
    assert "0470 12 34 56" not in chair.get(verslag_url(meeting)).text  # still the generated proposal
    done = chair.api("PUT", verslag_url(meeting), json={"inhoud": PERSONAL, "versie": 0,
                                                        "bevestig_persoonsgegevens": True})
    assert done.status_code == 200, done.text
    assert done.json()["inhoud"] == PERSONAL and done.json()["versie"] == 1
    assert confirmed(sync(Verslag.select(Verslag.persoonsgegevens).first())["persoonsgegevens"]) == FOUND
    again = chair.api("PUT", verslag_url(meeting), json={"inhoud": PERSONAL + "\n\nGoedgekeurd.", "versie": 1})
    assert again.status_code == 200  # confirmed before: not asked again
    assert personas["partner"].get(verslag_url(meeting)).json()["inhoud"].startswith(PERSONAL)


@pytest.mark.parametrize("flag", BAD_FLAGS + ["true", 1])
def test_a_minutes_confirmation_of_the_wrong_type_is_400(personas, meeting, flag):
    response = personas["voorzitter"].api("PUT", verslag_url(meeting), json={
        "inhoud": PERSONAL, "versie": 0, "bevestig_persoonsgegevens": flag})
    assert response.status_code == 400 and response.json()["fields"] == {
        "bevestig_persoonsgegevens": "Geef true of false."}
    assert sync(Verslag.count()) == 0


def test_empty_minutes_are_422_without_findings(personas, meeting):
    response = personas["voorzitter"].api("PUT", verslag_url(meeting), json={
        "inhoud": "  ", "versie": 0, "bevestig_persoonsgegevens": True})
    assert response.status_code == 422 and "persoonsgegevens" not in response.json()


def test_minutes_made_of_confirmed_notes_need_no_second_confirmation(personas, meeting):
    chair = personas["voorzitter"]
    assert autosave(chair, meeting, notities=PERSONAL, besluit="", versie="1", bevestig="1").status_code == 200
    generated = chair.get(verslag_url(meeting)).json()["inhoud"]
    assert PERSONAL in generated
    assert chair.api("PUT", verslag_url(meeting), json={"inhoud": generated, "versie": 0}).status_code == 200


def test_minutes_with_the_confirmed_title_of_a_dossier_on_the_agenda_need_no_second_confirmation(personas, world):
    from overleg.dossiers import services as dossiers
    from tests.support import current_user, make_signaal

    chair = personas["voorzitter"]
    overleg = make_overleg(world)
    signaal = make_signaal(personas["werker"])
    dossier = sync(dossiers.create_dossier(current_user(chair), "mechelen", "Overlast rond Jan Peeters", "",
                                           [signaal["id"]], bevestig=True))
    vergadering = make_meeting(chair, overleg["id"])
    add_dossier(chair, vergadering, dossier["id"])
    url = f"/api/v1/vergaderingen/{vergadering}/verslag"
    generated = chair.get(url).json()["inhoud"]
    assert "Overlast rond Jan Peeters" in generated
    assert chair.api("PUT", url, json={"inhoud": generated, "versie": 0}).status_code == 200
    # a name nobody confirmed, typed into the same minutes, is still asked about
    refused = chair.api("PUT", url, json={"inhoud": generated + "\nBel Yasmine.", "versie": 1})
    assert refused.status_code == 422 and found(refused.json()) == {("naam", "Yasmine")}


def test_the_minutes_editor_keeps_the_text_and_offers_the_confirmation(personas, meeting):
    chair = personas["voorzitter"]
    url = f"/vergaderingen/{meeting['vergadering']}/verslag/bewerken"
    assert CHECKBOX not in chair.get(url).text
    refused = chair.post_form(url, {"inhoud": PERSONAL, "versie": "0"})
    refused_on_the_page(refused, PERSONAL, "veld-inhoud")
    assert sync(Verslag.count()) == 0
    done = chair.post_form(url, {"inhoud": PERSONAL, "versie": "0", "bevestig": "1"}, follow_redirects=False)
    assert done.status_code == 303 and sync(Verslag.select(Verslag.inhoud).first())["inhoud"] == PERSONAL


@pytest.mark.parametrize(("name", "status"), [("partner", 403), ("werker", 403), ("werker2", 404),
                                              ("beheerder", 404), ("anonymous", 401)])
def test_who_may_not_write_minutes_gets_no_privacy_answer(personas, meeting, name, status):
    response = personas[name].api("PUT", verslag_url(meeting), json={"inhoud": PERSONAL, "versie": 0})
    assert response.status_code == status
    assert "persoonsgegevens" not in response.json() and "0470 12 34 56" not in response.text
    assert sync(Verslag.count()) == 0


# ============================================================================= actions

def test_an_action_text_with_personal_data_is_refused_on_the_api(personas, ov):
    chair = personas["voorzitter"]
    body = {"overleg": ov.mechelen, "wat": PERSONAL, "partner": ov.caw, "lens": "preventie"}
    refused_on_the_api(chair.api("POST", "/api/v1/acties", json=body), "wat")
    assert sync(Actie.count()) == 4
    for flag in BAD_FLAGS:
        bad = chair.api("POST", "/api/v1/acties", json={**body, "bevestig_persoonsgegevens": flag})
        assert bad.status_code == 400 and "persoonsgegevens" not in bad.json()
    done = chair.api("POST", "/api/v1/acties", json={**body, "bevestig_persoonsgegevens": True})
    assert done.status_code == 201, done.text
    row = sync(Actie.select(Actie.wat, Actie.persoonsgegevens).where(Actie.id == done.json()["id"]).first())
    assert row["wat"] == PERSONAL and confirmed(row["persoonsgegevens"]) == FOUND


def test_the_action_form_keeps_the_text_and_offers_the_confirmation(personas, ov):
    chair = personas["voorzitter"]
    form = {"overleg": str(ov.mechelen), "wat": PERSONAL, "partner": str(ov.caw), "lens": "preventie"}
    refused = chair.post_form("/acties/", form)
    refused_on_the_page(refused, PERSONAL, "actie-wat")
    assert sync(Actie.count()) == 4
    done = chair.post_form("/acties/", {**form, "bevestig": "1"}, follow_redirects=False)
    assert done.status_code == 303 and sync(Actie.count()) == 5


@pytest.mark.parametrize(("name", "status"), [("partner", 403), ("werker", 403), ("werker2", 404),
                                              ("anonymous", 401)])
def test_who_may_not_create_actions_gets_no_privacy_answer(personas, ov, name, status):
    response = personas[name].api("POST", "/api/v1/acties", json={
        "overleg": ov.mechelen, "wat": PERSONAL, "partner": ov.caw, "lens": "preventie"})
    assert response.status_code == status
    assert "persoonsgegevens" not in response.json() and sync(Actie.count()) == 4


# ============================================================================= terugkoppeling

@pytest.fixture
def answered(personas, nota):
    chair, nid = personas["voorzitter"], nota["id"]
    assert chair.api("POST", f"/api/v1/notas/{nid}/versturen").status_code == 200
    answer = chair.api("POST", f"/api/v1/notas/{nid}/antwoord", json={
        "datum": today().isoformat(), "beslissing": "akkoord", "samenvatting": "Het college zoekt een plek."})
    assert answer.status_code == 201, answer.text
    return nota


def feedback_texts() -> list[str]:
    return [r["wat"] for r in sync(Terugkoppeling.select(Terugkoppeling.wat))]


def test_feedback_with_personal_data_is_refused_on_the_api_and_stored_once_confirmed(personas, answered):
    chair, nid = personas["voorzitter"], answered["id"]
    body = {"dossier": answered["dossier"], "datum": today().isoformat(), "hoe": "Op het jongerenoverleg",
            "wat": PERSONAL}
    refused_on_the_api(chair.api("POST", f"/api/v1/notas/{nid}/terugkoppeling", json=body), "wat")
    assert feedback_texts() == []
    bad = chair.api("POST", f"/api/v1/notas/{nid}/terugkoppeling", json={**body, "bevestig_persoonsgegevens": "ja"})
    assert bad.status_code == 400 and feedback_texts() == []
    done = chair.api("POST", f"/api/v1/notas/{nid}/terugkoppeling", json={**body, "bevestig_persoonsgegevens": True})
    assert done.status_code in (200, 201), done.text
    row = sync(Terugkoppeling.select(Terugkoppeling.wat, Terugkoppeling.persoonsgegevens).first())
    assert row["wat"] == PERSONAL and confirmed(row["persoonsgegevens"]) == FOUND


def test_the_feedback_form_keeps_every_field_and_offers_the_confirmation(personas, answered):
    chair, nid, did = personas["voorzitter"], answered["id"], answered["dossier"]
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    form = {"dossier": str(did), "datum": yesterday, "hoe": "Op straat", "door": "Jeugdopbouwwerk", "wat": PERSONAL}
    refused = chair.post_form(f"/notas/{nid}/terugkoppeling", form)
    refused_on_the_page(refused, PERSONAL, f"tk-wat-{did}")
    assert f'value="{yesterday}"' in refused.text and 'value="Op straat"' in refused.text
    assert feedback_texts() == []
    done = chair.post_form(f"/notas/{nid}/terugkoppeling", {**form, "bevestig": "1"}, follow_redirects=False)
    assert done.status_code == 303 and feedback_texts() == [PERSONAL]


def test_a_partner_cannot_record_feedback_and_learns_nothing(personas, answered):
    response = personas["partner"].api("POST", f"/api/v1/notas/{answered['id']}/terugkoppeling", json={
        "dossier": answered["dossier"], "datum": today().isoformat(), "hoe": "x", "wat": PERSONAL})
    assert response.status_code == 403 and "persoonsgegevens" not in response.json()
    assert feedback_texts() == []


# ============================================================================= shown to another audience

def test_a_confirmed_action_text_reaches_partners_redacted_through_a_nota(personas, world, fast_pdf):
    """Confirmed for the overleg's action list is not confirmed for a nota: the nota's sections, filled in from
    the actions, show partners the placeholders until someone confirms the findings for that nota."""
    from tests.overleg.test_notas import make_dossier as nota_dossier
    from tests.overleg.test_notas import make_overleg as nota_overleg
    from tests.overleg.test_notas import new_nota

    chair, partner = personas["voorzitter"], personas["partner"]
    overleg = nota_overleg(world)
    dossier, _ = nota_dossier(world, personas["werker"])
    done = chair.api("POST", "/api/v1/acties", json={"overleg": overleg, "dossier": dossier, "wat": PERSONAL,
                                                     "lens": "preventie", "bevestig_persoonsgegevens": True})
    assert done.status_code == 201, done.text
    created = new_nota(chair, [dossier])
    assert "Jan Peeters" in chair.get(f"/api/v1/notas/{created['id']}").json()["secties"]["acties"]
    chair.post_form(f"/notas/{created['id']}/ter-goedkeuring")
    shown = partner.get(f"/api/v1/notas/{created['id']}")
    assert shown.status_code == 200
    assert "Jan Peeters" not in shown.text and "0470 12 34 56" not in shown.text
    assert "[naam]" in shown.json()["secties"]["acties"]
