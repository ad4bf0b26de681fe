"""The privacy guard on dossier comments: partners of other organisations read them, so a comment that may identify
a young person is refused (422) until the writer confirms it is needed. The form keeps the typed text and offers
the confirmation; the API answers with `fields` and `persoonsgegevens`. Tenancy comes first (404 before 422).
"""

from __future__ import annotations

from html import escape

import pytest

from common.errors import FieldErrors
from overleg.dossiers import services as dossiers
from overleg.tables import Commentaar
from tests.support import current_user, make_signaal, publish_dossier, sync

API = "/api/v1/dossiers"
CLEAN = "Het CAW neemt contact op met de school over de laatste bus."
PERSONAL = {  # text → what the message must name
    "telefoon": ("Bel haar gerust op 0470 12 34 56 als er iets is.", "telefoonnummer ‘0470 12 34 56’"),
    "email": ("Ze mailt zelf naar noor.peeters@example.be voor een afspraak.",
              "e-mailadres ‘noor.peeters@example.be’"),
    "naam": ("Yasmine (15) komt niet meer naar de jeugdwerking.", "naam van een persoon ‘Yasmine’"),
}
CONFIRM_LABEL = "Ik bevestig dat deze gegevens nodig zijn"
CHECKBOX = 'name="bevestig"'


def create(personas, titel="Laatste bus rijdt te vroeg") -> dict:
    signaal = make_signaal(personas["werker"])
    chair = current_user(personas["voorzitter"])
    return sync(dossiers.create_dossier(chair, "mechelen", titel, "", [signaal["id"]]))


def saved() -> list[str]:
    return [r["tekst"] for r in sync(Commentaar.select(Commentaar.tekst).order_by(Commentaar.id))]


def comment_form(persona, dossier_id: int, tekst: str, **extra):
    return persona.post_form(f"/dossiers/{dossier_id}/commentaar", {"tekst": tekst, **extra},
                             follow_redirects=False)


def comment_api(persona, dossier_id: int, body):
    return persona.api("POST", f"{API}/{dossier_id}/commentaren", json=body)


def textarea(page: str) -> str:
    """The content of the comment textarea, as the browser gets it (still HTML-escaped)."""
    start = page.index('id="veld-tekst"')
    start = page.index(">", start) + 1
    return page[start:page.index("</textarea>", start)]


# ----------------------------------------------------------------------------- the service

def test_the_service_refuses_personal_data_unless_bevestig_is_exactly_true(personas):
    dossier = create(personas)
    werker = current_user(personas["werker"])
    text = PERSONAL["telefoon"][0]
    for bevestig in (False, None, "ja", 1, "true"):
        with pytest.raises(FieldErrors) as refused:
            sync(dossiers.add_comment(werker, dossier["id"], text, bevestig))
        assert refused.value.status_code == 422
        assert refused.value.fields["tekst"].startswith("Mogelijk persoonsgegevens: telefoonnummer ‘0470 12 34 56’.")
        assert "bevestig dat het nodig is" in refused.value.fields["tekst"]
        found = refused.value.extra["persoonsgegevens"]
        assert [(f["soort"], f["veld"], f["tekst"]) for f in found] == [("telefoon", "tekst", "0470 12 34 56")]
    assert saved() == []
    row = sync(dossiers.add_comment(werker, dossier["id"], text, bevestig=True))
    assert row["tekst"] == text and saved() == [text]


def test_the_message_names_every_finding_up_to_a_limit(personas):
    dossier = create(personas)
    text = "Bel 0470 12 34 56 of mail naar noor.peeters@example.be, " + ", ".join(
        f"of bel 04{n}0 12 34 56" for n in range(7, 10)) + ", of 0471 98 76 54 of 0472 11 22 33."
    with pytest.raises(FieldErrors) as refused:
        sync(dossiers.add_comment(current_user(personas["werker"]), dossier["id"], text))
    message, found = refused.value.fields["tekst"], refused.value.extra["persoonsgegevens"]
    assert len(found) > dossiers.MAX_NAMED_FINDINGS
    assert "telefoonnummer ‘0470 12 34 56’" in message and "e-mailadres ‘noor.peeters@example.be’" in message
    assert f"en nog {len(found) - dossiers.MAX_NAMED_FINDINGS} andere" in message


# ----------------------------------------------------------------------------- the form

def test_a_clean_comment_is_saved_through_the_form(personas):
    dossier = create(personas)
    werker = personas["werker"]
    page = werker.get(f"/dossiers/{dossier['id']}").text
    assert textarea(page) == "" and CHECKBOX not in page and 'aria-invalid="true"' not in page
    response = comment_form(werker, dossier["id"], CLEAN)
    assert response.status_code == 303 and response.headers["location"] == f"/dossiers/{dossier['id']}#commentaren"
    assert saved() == [CLEAN]
    page = werker.get(f"/dossiers/{dossier['id']}").text
    assert "Commentaar geplaatst." in page and CLEAN in page and CHECKBOX not in page


@pytest.mark.parametrize("kind", sorted(PERSONAL))
def test_personal_data_is_refused_on_the_form_with_the_text_kept_and_saved_once_confirmed(personas, kind):
    dossier = create(personas)
    werker = personas["werker"]
    text, named = PERSONAL[kind]
    refused = comment_form(werker, dossier["id"], text)
    assert refused.status_code == 422
    page = refused.text
    assert textarea(page) == escape(text, quote=False)
    assert f"Mogelijk persoonsgegevens: {named}." in page
    assert 'id="fout-tekst"' in page and 'aria-invalid="true"' in page and 'href="#veld-tekst"' in page
    assert CHECKBOX in page and CONFIRM_LABEL in page
    assert dossier["titel"] in page and "Signalen in dit dossier" in page  # the whole dossier page, re-rendered
    assert saved() == []
    # unchecked, or a value a checkbox does not send, is no confirmation
    assert comment_form(werker, dossier["id"], text, bevestig="nee").status_code == 422 and saved() == []
    confirmed = comment_form(werker, dossier["id"], text, bevestig="1")
    assert confirmed.status_code == 303 and saved() == [text]


@pytest.mark.parametrize(("tekst", "message"), [("", "Schrijf eerst je commentaar."),
                                                 (" \n\t ", "Schrijf eerst je commentaar."),
                                                 ("a" * 5001, "Gebruik hoogstens 5000 tekens.")])
def test_bad_input_on_the_form_gives_422_without_the_confirmation(personas, tekst, message):
    dossier = create(personas)
    response = comment_form(personas["werker"], dossier["id"], tekst, bevestig="1")
    assert response.status_code == 422
    assert message in response.text and 'id="fout-tekst"' in response.text
    assert CHECKBOX not in response.text
    if tekst.strip():
        assert textarea(response.text) == tekst  # the typed text is kept here too
    assert saved() == []


def test_a_too_long_comment_with_personal_data_reports_the_length_first(personas):
    dossier = create(personas)
    response = comment_form(personas["werker"], dossier["id"], PERSONAL["telefoon"][0] + "x" * 5000)
    assert response.status_code == 422 and "Gebruik hoogstens 5000 tekens." in response.text
    assert CHECKBOX not in response.text and saved() == []


def test_the_kept_text_is_escaped_in_the_textarea(personas):
    dossier = create(personas)
    text = '</textarea><script>alert("x")</script> Bel 0470 12 34 56'
    response = comment_form(personas["werker"], dossier["id"], text)
    assert response.status_code == 422
    assert "<script>alert" not in response.text
    assert "&lt;/textarea&gt;&lt;script&gt;" in textarea(response.text)
    assert saved() == []


def test_the_form_needs_csrf_even_with_bevestig(personas):
    dossier = create(personas)
    werker = personas["werker"]
    werker.csrf()
    response = werker.client.post(f"/dossiers/{dossier['id']}/commentaar", data={"tekst": CLEAN, "bevestig": "1"})
    assert response.status_code == 403 and saved() == []


@pytest.mark.parametrize(("name", "status"), [("werker", 303), ("werker2", 404), ("voorzitter", 303),
                                              ("partner", 404), ("coordinator", 303), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_who_may_comment_through_the_form(personas, name, status):
    dossier = create(personas)
    response = comment_form(personas[name], dossier["id"], CLEAN)
    assert response.status_code == status
    if name == "anonymous":
        assert response.headers["location"].startswith("/login/")
    assert saved() == ([CLEAN] if status == 303 and name != "anonymous" else [])


@pytest.mark.parametrize("name", ["werker2", "beheerder", "anonymous"])
def test_outsiders_get_no_privacy_answer_on_the_form(personas, name):
    """Tenancy first: someone who may not read the dossier learns nothing, not even what the guard found."""
    dossier = create(personas)
    text = PERSONAL["telefoon"][0]
    response = comment_form(personas[name], dossier["id"], text, bevestig="1")
    assert response.status_code in (303, 404)
    assert "0470 12 34 56" not in response.text and "Mogelijk persoonsgegevens" not in response.text
    assert saved() == []


def test_a_partner_of_the_overleg_comments_and_the_guard_applies(personas, world):
    dossier = create(personas)
    partner = personas["partner"]
    text = PERSONAL["naam"][0]
    assert comment_form(partner, dossier["id"], CLEAN).status_code == 404  # not yet on a published agenda
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])
    assert comment_form(partner, dossier["id"], CLEAN).status_code == 303
    refused = comment_form(partner, dossier["id"], text)
    assert refused.status_code == 422 and CHECKBOX in refused.text
    assert textarea(refused.text) == escape(text, quote=False)
    assert "Uit dossier" not in refused.text and "/bewerken" not in refused.text  # still no chair actions
    assert saved() == [CLEAN]
    assert comment_form(partner, dossier["id"], text, bevestig="1").status_code == 303
    assert saved() == [CLEAN, text]


def test_unknown_dossier_ids_on_the_form_are_not_found(personas):
    for raw in ("999999", "abc", "-1", "0"):
        assert comment_form(personas["voorzitter"], raw, PERSONAL["telefoon"][0]).status_code == 404, raw
    assert saved() == []


# ----------------------------------------------------------------------------- the API

def test_a_clean_comment_is_saved_through_the_api(personas):
    dossier = create(personas)
    response = comment_api(personas["werker"], dossier["id"], {"tekst": CLEAN})
    assert response.status_code == 201, response.text
    assert response.json()["tekst"] == CLEAN and response.json()["door"] == "Werker Test"
    assert saved() == [CLEAN]
    listed = personas["werker"].get(f"{API}/{dossier['id']}/commentaren").json()
    assert [c["tekst"] for c in listed] == [CLEAN]


@pytest.mark.parametrize("kind", sorted(PERSONAL))
def test_personal_data_is_refused_on_the_api_and_saved_once_confirmed(personas, kind):
    dossier = create(personas)
    werker = personas["werker"]
    text, named = PERSONAL[kind]
    # the app decodes JSON leniently ("false" and 0 are read as false): none of these confirms anything
    for body in ({"tekst": text}, {"tekst": text, "bevestig": False}, {"tekst": text, "bevestig": "false"},
                 {"tekst": text, "bevestig": 0}):
        refused = comment_api(werker, dossier["id"], body)
        assert refused.status_code == 422, refused.text
        answer = refused.json()
        assert answer["status_code"] == 422 and "persoonsgegevens" in answer["detail"]
        assert set(answer["fields"]) == {"tekst"} and answer["fields"]["tekst"].startswith(
            f"Mogelijk persoonsgegevens: {named}.")
        found = answer["persoonsgegevens"]
        assert found and {f["soort"] for f in found} == {kind} and {f["veld"] for f in found} == {"tekst"}
        assert all(text[f["start"]:f["einde"]] == f["tekst"] for f in found)
    assert saved() == []
    confirmed = comment_api(werker, dossier["id"], {"tekst": text, "bevestig": True})
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["tekst"] == text and saved() == [text]


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"tekst": ""}, 422, "tekst"),
    ({"tekst": "   \n "}, 422, "tekst"),
    ({"tekst": None}, 422, "tekst"),
    ({}, 422, "tekst"),
    ({"tekst": "a" * 5001}, 422, "tekst"),
    ({"tekst": "", "bevestig": True}, 422, "tekst"),
    ({"tekst": CLEAN, "bevestig": "ja"}, 400, "bevestig"),
    ({"tekst": CLEAN, "bevestig": "on"}, 400, "bevestig"),
    ({"tekst": CLEAN, "bevestig": None}, 400, "bevestig"),
    ({"tekst": CLEAN, "bevestig": [True]}, 400, "bevestig"),
    ({"tekst": CLEAN, "bevestig": {"ja": True}}, 400, "bevestig"),
    ({"tekst": 5}, 400, "tekst"),
    ([CLEAN], 400, None),
])
def test_bad_input_on_the_api(personas, body, status, field):
    dossier = create(personas)
    response = comment_api(personas["werker"], dossier["id"], body)
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["status_code"] == status and answer["detail"]
    if field:
        assert set(answer["fields"]) == {field}
    if field == "bevestig":
        assert answer["fields"]["bevestig"] == "Geef true of false."
    assert "persoonsgegevens" not in answer
    assert saved() == []


def test_non_json_and_missing_csrf_on_the_api(personas):
    dossier = create(personas)
    werker = personas["werker"]
    url = f"{API}/{dossier['id']}/commentaren"
    response = werker.client.post(url, content=b"{niet json", headers={"x-csrf-token": werker.csrf(),
                                                                       "content-type": "application/json"})
    assert response.status_code == 400 and response.json()["detail"] == "De inhoud is geen geldige JSON."
    assert werker.client.post(url, json={"tekst": CLEAN, "bevestig": True}).status_code == 403
    assert saved() == []


@pytest.mark.parametrize(("name", "status"), [("werker", 201), ("werker2", 404), ("voorzitter", 201),
                                              ("partner", 404), ("coordinator", 201), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_who_may_comment_through_the_api(personas, name, status):
    dossier = create(personas)
    response = comment_api(personas[name], dossier["id"], {"tekst": CLEAN})
    assert response.status_code == status, response.text
    assert saved() == ([CLEAN] if status == 201 else [])


@pytest.mark.parametrize("name", ["werker2", "beheerder", "anonymous"])
def test_outsiders_get_no_privacy_answer_on_the_api(personas, name):
    dossier = create(personas)
    for body in ({"tekst": PERSONAL["email"][0]}, {"tekst": PERSONAL["email"][0], "bevestig": True}):
        response = comment_api(personas[name], dossier["id"], body)
        assert response.status_code in (401, 404)
        assert "persoonsgegevens" not in response.json() and "noor.peeters" not in response.text
    assert saved() == []


def test_a_partner_of_the_overleg_comments_through_the_api_and_the_guard_applies(personas, world):
    dossier = create(personas)
    partner = personas["partner"]
    publish_dossier(dossier["id"], world.gemeenten["mechelen"])
    text = PERSONAL["telefoon"][0]
    refused = comment_api(partner, dossier["id"], {"tekst": text})
    assert refused.status_code == 422 and refused.json()["persoonsgegevens"][0]["soort"] == "telefoon"
    assert saved() == []
    confirmed = comment_api(partner, dossier["id"], {"tekst": text, "bevestig": True})
    assert confirmed.status_code == 201 and confirmed.json()["door"] == "Partner Test" and saved() == [text]


def test_the_openapi_schema_documents_bevestig_and_the_422(personas):
    schema = personas["werker"].get("/schema/openapi.json").json()
    properties = schema["components"]["schemas"]["CommentaarNieuw"]["properties"]
    assert properties["bevestig"]["type"] == "boolean" and properties["bevestig"]["default"] is False
    assert "persoonsgegevens" in properties["bevestig"]["description"]
    responses = schema["paths"]["/api/v1/dossiers/{id}/commentaren"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "422"} <= set(responses)
    assert "persoonsgegevens" in responses["422"]["description"]
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/Fout")
    fout = schema["components"]["schemas"]["Fout"]["properties"]
    assert {"fields", "persoonsgegevens"} <= set(fout)
