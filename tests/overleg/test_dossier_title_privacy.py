"""Issue 13 item 2: dossier titles and descriptions pass the privacy guard (partners read them), and a nota lists
its dossiers' titles to partners through the nota's redactor, as its PDF does.

Create and edit, HTML and API, and the dossier made from a bundling suggestion: refused with 422 and the text
kept until the chair confirms; the confirmed findings are stored in `Dossier.persoonsgegevens`.
"""

from __future__ import annotations

import json
from html import escape

import pytest

from common.errors import FieldErrors
from overleg.dossiers import services as dossiers
from overleg.tables import Dossier
from tests.overleg.test_notas import new_nota
from tests.support import current_user, make_signaal, publish_dossier, sync

TITLE = "Overlast rond Jan Peeters"
DESCRIPTION = "Zijn moeder belt ons op 0470 12 34 56."
CLEAN = "Te weinig ontmoetingsplekken in Nekkerspoel"
CHECKBOX = 'name="bevestig"'
CONFIRM_LABEL = "Ik bevestig dat deze gegevens nodig zijn"


def titles() -> list[str]:
    return [r["titel"] for r in sync(Dossier.select(Dossier.titel).order_by(Dossier.id))]


def stored_findings(dossier_id: int) -> list[dict]:
    value = sync(Dossier.select(Dossier.persoonsgegevens).where(Dossier.id == dossier_id).first())["persoonsgegevens"]
    return json.loads(value) if isinstance(value, str) else value


def input_value(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    start = page.index('value="', start) + len('value="')
    return page[start:page.index('"', start)]


def textarea(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    start = page.index(">", start) + 1
    return page[start:page.index("</textarea>", start)]


def chair_dossier(personas, titel=CLEAN, omschrijving="", bevestig=False) -> dict:
    signaal = make_signaal(personas["werker"])
    return sync(dossiers.create_dossier(current_user(personas["voorzitter"]), "mechelen", titel, omschrijving,
                                        [signaal["id"]], bevestig=bevestig))


# ----------------------------------------------------------------------------- the service

def test_the_service_refuses_a_personal_title_unless_bevestig_is_exactly_true(personas):
    chair = current_user(personas["voorzitter"])
    for bevestig in (False, None, "ja", 1, "true"):
        with pytest.raises(FieldErrors) as refused:
            sync(dossiers.create_dossier(chair, "mechelen", TITLE, DESCRIPTION, [], bevestig=bevestig))
        assert refused.value.status_code == 422
        assert set(refused.value.fields) == {"titel", "omschrijving"}
        assert refused.value.fields["titel"].startswith(
            "Mogelijk persoonsgegevens: naam van een persoon ‘Jan Peeters’.")
        assert "telefoonnummer ‘0470 12 34 56’" in refused.value.fields["omschrijving"]
        found = refused.value.extra["persoonsgegevens"]
        assert [(f["soort"], f["veld"], f["tekst"]) for f in found] == [
            ("naam", "titel", "Jan Peeters"), ("telefoon", "omschrijving", "0470 12 34 56")]
    assert titles() == []
    row = sync(dossiers.create_dossier(chair, "mechelen", TITLE, DESCRIPTION, [], bevestig=True))
    assert row["titel"] == TITLE and titles() == [TITLE]
    confirmed = stored_findings(row["id"])
    assert [(c["soort"], c["veld"], c["tekst"]) for c in confirmed] == [
        ("naam", "titel", "Jan Peeters"), ("telefoon", "omschrijving", "0470 12 34 56")]
    assert all(c["bevestigd_door"] == chair.id and c["bevestigd_op"] for c in confirmed)


def test_a_clean_dossier_stores_no_findings(personas):
    row = chair_dossier(personas)
    assert row["titel"] == CLEAN and stored_findings(row["id"]) == []


def test_an_edit_asks_again_only_for_new_findings(personas):
    row = chair_dossier(personas, TITLE, bevestig=True)
    chair = current_user(personas["voorzitter"])
    # the confirmed title again, with a clean description: no question
    row = sync(dossiers.update_dossier(chair, row["id"], {"titel": TITLE, "omschrijving": "Nu ook 's avonds."},
                                       row["versie"]))
    with pytest.raises(FieldErrors) as refused:
        sync(dossiers.update_dossier(chair, row["id"], {"omschrijving": DESCRIPTION}, row["versie"]))
    assert set(refused.value.fields) == {"omschrijving"}
    assert [f["tekst"] for f in refused.value.extra["persoonsgegevens"]] == ["0470 12 34 56"]
    row = sync(dossiers.update_dossier(chair, row["id"], {"omschrijving": DESCRIPTION}, row["versie"], bevestig=True))
    assert row["omschrijving"] == DESCRIPTION
    assert {c["tekst"] for c in stored_findings(row["id"])} == {"Jan Peeters", "0470 12 34 56"}
    # a clean title drops that finding from what is stored
    row = sync(dossiers.update_dossier(chair, row["id"], {"titel": CLEAN}, row["versie"]))
    assert {c["tekst"] for c in stored_findings(row["id"])} == {"0470 12 34 56"}


# ----------------------------------------------------------------------------- the pages

def test_a_personal_title_is_refused_on_the_new_form_with_the_text_kept(personas):
    chair = personas["voorzitter"]
    assert CHECKBOX not in chair.get("/dossiers/nieuw").text
    form = {"gemeente": "mechelen", "titel": TITLE, "omschrijving": DESCRIPTION}
    refused = chair.post_form("/dossiers/nieuw", form, follow_redirects=False)
    assert refused.status_code == 422
    assert input_value(refused.text, "titel") == TITLE
    assert textarea(refused.text, "veld-omschrijving") == escape(DESCRIPTION, quote=False)
    assert "Mogelijk persoonsgegevens: naam van een persoon ‘Jan Peeters’." in refused.text
    assert 'id="fout-titel"' in refused.text and CHECKBOX in refused.text and CONFIRM_LABEL in refused.text
    assert titles() == []
    assert chair.post_form("/dossiers/nieuw", {**form, "bevestig": "nee"}).status_code == 422 and titles() == []
    confirmed = chair.post_form("/dossiers/nieuw", {**form, "bevestig": "1"}, follow_redirects=False)
    assert confirmed.status_code == 303 and titles() == [TITLE]


def test_bad_input_on_the_new_form_gives_no_confirmation(personas):
    chair = personas["voorzitter"]
    for titel in ("", "   "):
        response = chair.post_form("/dossiers/nieuw", {"gemeente": "mechelen", "titel": titel,
                                                        "omschrijving": DESCRIPTION, "bevestig": "1"})
        assert response.status_code == 422 and "Geef het dossier een korte titel." in response.text
        assert CHECKBOX not in response.text
    assert titles() == []


def test_a_personal_description_is_refused_on_the_edit_form(personas):
    row = chair_dossier(personas)
    chair = personas["voorzitter"]
    form = {"titel": CLEAN, "omschrijving": DESCRIPTION, "status": "open", "versie": str(row["versie"])}
    refused = chair.post_form(f"/dossiers/{row['id']}/bewerken", form, follow_redirects=False)
    assert refused.status_code == 422 and CHECKBOX in refused.text
    assert textarea(refused.text, "veld-omschrijving") == escape(DESCRIPTION, quote=False)
    assert "telefoonnummer ‘0470 12 34 56’" in refused.text
    assert sync(dossiers.get_dossier(current_user(chair), row["id"]))["omschrijving"] == ""
    done = chair.post_form(f"/dossiers/{row['id']}/bewerken", {**form, "bevestig": "1"}, follow_redirects=False)
    assert done.status_code == 303
    assert sync(dossiers.get_dossier(current_user(chair), row["id"]))["omschrijving"] == DESCRIPTION


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 403), ("partner", 403),
                                              ("coordinator", 403), ("beheerder", 404), ("anonymous", 303)])
def test_who_may_not_create_learns_nothing_about_the_text(personas, name, status):
    response = personas[name].post_form("/dossiers/nieuw", {"gemeente": "mechelen", "titel": TITLE},
                                        follow_redirects=False)
    assert response.status_code == status
    assert "Jan Peeters" not in response.text and "Mogelijk persoonsgegevens" not in response.text
    assert titles() == []


# ----------------------------------------------------------------------------- the API

def test_a_personal_title_is_refused_on_the_api_and_created_once_confirmed(personas):
    chair = personas["voorzitter"]
    body = {"gemeente": "mechelen", "titel": TITLE, "omschrijving": DESCRIPTION}
    for extra in ({}, {"bevestig_persoonsgegevens": False}):
        refused = chair.api("POST", "/api/v1/dossiers", json={**body, **extra})
        assert refused.status_code == 422, refused.text
        answer = refused.json()
        assert set(answer["fields"]) == {"titel", "omschrijving"} and "persoonsgegevens" in answer["detail"]
        assert [(f["soort"], f["veld"]) for f in answer["persoonsgegevens"]] == [("naam", "titel"),
                                                                                 ("telefoon", "omschrijving")]
    assert titles() == []
    created = chair.api("POST", "/api/v1/dossiers", json={**body, "bevestig_persoonsgegevens": True})
    assert created.status_code == 201, created.text
    assert created.json()["titel"] == TITLE and titles() == [TITLE]


@pytest.mark.parametrize("flag", ["ja", "on", None, [True], {"ja": True}])
def test_a_confirmation_of_the_wrong_type_is_400(personas, flag):
    response = personas["voorzitter"].api("POST", "/api/v1/dossiers", json={
        "gemeente": "mechelen", "titel": TITLE, "bevestig_persoonsgegevens": flag})
    assert response.status_code == 400, response.text
    assert "persoonsgegevens" not in response.json() and titles() == []


def test_an_empty_title_is_422_without_findings(personas):
    response = personas["voorzitter"].api("POST", "/api/v1/dossiers", json={
        "gemeente": "mechelen", "titel": "", "omschrijving": DESCRIPTION, "bevestig_persoonsgegevens": True})
    assert response.status_code == 422 and set(response.json()["fields"]) == {"titel"}
    assert "persoonsgegevens" not in response.json() and titles() == []


def test_the_patch_api_guards_title_and_description(personas):
    row = chair_dossier(personas)
    chair = personas["voorzitter"]
    refused = chair.api("PATCH", f"/api/v1/dossiers/{row['id']}", json={"titel": TITLE, "versie": row["versie"]})
    assert refused.status_code == 422 and refused.json()["persoonsgegevens"][0]["tekst"] == "Jan Peeters"
    assert titles() == [CLEAN]
    done = chair.api("PATCH", f"/api/v1/dossiers/{row['id']}", json={
        "titel": TITLE, "versie": row["versie"], "bevestig_persoonsgegevens": True})
    assert done.status_code == 200, done.text
    assert done.json()["titel"] == TITLE and done.json()["versie"] == row["versie"] + 1


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("partner", 403),
                                              ("coordinator", 403), ("beheerder", 404), ("anonymous", 401)])
def test_who_may_not_create_on_the_api_gets_no_privacy_answer(personas, name, status):
    response = personas[name].api("POST", "/api/v1/dossiers", json={"gemeente": "mechelen", "titel": TITLE})
    assert response.status_code == status, response.text
    assert "persoonsgegevens" not in response.json() and "Jan Peeters" not in response.text
    assert titles() == []


# ----------------------------------------------------------------------------- a bundling suggestion

def test_a_dossier_from_a_suggestion_passes_the_guard(personas):
    ids = [make_signaal(personas["werker"], titel=f"Geen plek aan het station ({i})")["id"] for i in (1, 2)]
    chair = personas["voorzitter"]
    body = {"gemeente": "mechelen", "signalen": ids, "titel": TITLE}
    refused = chair.api("POST", "/api/v1/dossiers/suggesties/aanvaarden", json=body)
    assert refused.status_code == 422 and refused.json()["fields"]["titel"].startswith("Mogelijk persoonsgegevens")
    assert titles() == []
    page = chair.post_form("/dossiers/suggesties/aanvaarden", {**body, "signalen": [str(i) for i in ids],
                                                               "voorstel": ",".join(str(i) for i in ids)},
                           follow_redirects=False)  # the page's form names the proposal it edits
    assert page.status_code == 422 and CHECKBOX in page.text and "naam van een persoon ‘Jan Peeters’" in page.text
    assert f'value="{TITLE}"' in page.text and titles() == []
    done = chair.api("POST", "/api/v1/dossiers/suggesties/aanvaarden", json={**body, "bevestig_persoonsgegevens": True})
    assert done.status_code == 201, done.text
    assert titles() == [TITLE] and sorted(done.json()["signalen"]) == sorted(ids)


def test_a_suggestion_confirmed_on_the_page_makes_the_dossier(personas):
    ids = [make_signaal(personas["werker"])["id"] for _ in (1, 2)]
    form = {"gemeente": "mechelen", "signalen": [str(i) for i in ids], "titel": TITLE, "bevestig": "1"}
    response = personas["voorzitter"].post_form("/dossiers/suggesties/aanvaarden", form, follow_redirects=False)
    assert response.status_code == 303 and titles() == [TITLE]


# ----------------------------------------------------------------------------- the nota lists the title redacted

@pytest.fixture
def nota_about_jan(personas, world, monkeypatch):  # publish_dossier makes the overleg
    from overleg.notas import pdf as nota_pdf
    from tests.overleg.test_notas import TINY_PDF

    monkeypatch.setattr(nota_pdf, "render", lambda data: TINY_PDF)
    dossier = chair_dossier(personas, TITLE, bevestig=True)  # confirmed for the dossier, not for the nota
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])
    nota = new_nota(personas["voorzitter"], [dossier["id"]])
    assert personas["voorzitter"].post_form(f"/notas/{nota['id']}/ter-goedkeuring",
                                            follow_redirects=False).status_code == 303
    return nota


def test_partners_read_the_dossier_title_of_a_nota_redacted_on_the_page_and_the_api(personas, nota_about_jan):
    nid = nota_about_jan["id"]
    partner, chair = personas["partner"], personas["voorzitter"]
    page = partner.get(f"/notas/{nid}")
    assert page.status_code == 200
    assert "Jan Peeters" not in page.text and "Overlast rond [naam]" in page.text
    api = partner.get(f"/api/v1/notas/{nid}")
    assert api.status_code == 200
    assert [d["titel"] for d in api.json()["dossiers"]] == ["Overlast rond [naam]"]
    assert "Jan Peeters" not in api.text
    # the chair manages the nota and sees what they confirm
    assert TITLE in chair.get(f"/notas/{nid}").text
    assert [d["titel"] for d in chair.get(f"/api/v1/notas/{nid}").json()["dossiers"]] == [TITLE]


@pytest.mark.parametrize("name", ["werker", "coordinator"])
def test_other_readers_of_the_nota_see_the_redacted_title_too(personas, nota_about_jan, name):
    page = personas[name].get(f"/notas/{nota_about_jan['id']}")
    assert page.status_code == 200 and "Jan Peeters" not in page.text


@pytest.mark.parametrize("name", ["werker2", "beheerder", "anonymous"])
def test_outsiders_do_not_reach_the_nota(personas, nota_about_jan, name):
    response = personas[name].get(f"/api/v1/notas/{nota_about_jan['id']}")
    assert response.status_code in (401, 404) and "Jan Peeters" not in response.text
