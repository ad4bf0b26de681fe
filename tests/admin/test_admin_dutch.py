"""Piccolo Admin speaks Dutch, a user the beheerder adds can log in, and no password is ever shown."""

from __future__ import annotations

import pytest
from piccolo_admin.translations.data import ENGLISH

from tests.support import PASSWORD, PERSONAS

NEW_PASSWORD = "paarse-olifant-fietst-traag-42"


def test_the_admin_starts_in_dutch_and_offers_english(anonymous):
    # Public on purpose: the admin's login page needs it before anyone is logged in.
    listing = anonymous.get("/admin/public/translations/").json()
    assert listing["default_language_code"] == "nl"
    assert [t["language_code"] for t in listing["translations"]] == ["nl", "en"]


def test_every_interface_text_of_the_admin_has_a_dutch_translation(anonymous):
    dutch = anonymous.get("/admin/public/translations/nl/").json()["translations"]
    assert set(dutch) == set(ENGLISH.translations)
    assert dutch["Log Out"] == "Afmelden" and dutch["Username"] == "Gebruikersnaam"
    untranslated = {key for key, value in dutch.items() if value == key and key not in {"Links", "Filter"}}
    assert untranslated == set()


def test_the_new_user_form_starts_active(beheerder):
    new = beheerder.get("/admin/api/tables/piccolo_user/new/").json()
    assert new["active"] is True
    assert new["admin"] is False and new["superuser"] is False
    assert new.get("password") in (None, "")


def _admin_csrf(persona) -> dict:
    persona.get("/admin/")
    token = persona.client.cookies.get("csrftoken")
    assert token, "Piccolo Admin sets its own CSRF cookie"
    return {"X-CSRFToken": token, "Origin": "http://testserver.local", "Referer": "http://testserver.local/admin/"}


def test_a_user_added_in_the_admin_with_the_form_defaults_can_log_in(beheerder, anonymous):
    row = beheerder.get("/admin/api/tables/piccolo_user/new/").json()
    row.pop("id", None)
    row.pop("last_login", None)
    row.update(username="nieuwe.collega", email="nieuwe.collega@example.org", password=NEW_PASSWORD)
    created = beheerder.client.post("/admin/api/tables/piccolo_user/", json=row, headers=_admin_csrf(beheerder))
    assert created.status_code == 201, created.text

    anonymous.csrf()
    response = anonymous.post_form("/login/", {"username": "nieuwe.collega", "password": NEW_PASSWORD},
                                   follow_redirects=False)
    assert response.status_code == 303, response.text
    assert "klopt niet" not in response.text


def test_a_password_the_admin_refuses_is_not_stored(beheerder):
    row = {"username": "zwak", "email": "zwak@example.org", "password": "kort", "active": True,
           "first_name": "", "last_name": "", "admin": False, "superuser": False}
    created = beheerder.client.post("/admin/api/tables/piccolo_user/", json=row, headers=_admin_csrf(beheerder))
    assert created.status_code >= 400
    users = beheerder.get("/admin/api/tables/piccolo_user/?username=zwak").json()["rows"]
    assert users == []


def test_no_password_leaves_the_admin_api(beheerder, world):
    schema = beheerder.get("/admin/api/tables/piccolo_user/schema/").json()
    assert schema["properties"]["password"]["extra"]["secret"] is True  # the form shows a password field
    assert "password" not in schema["extra"]["visible_column_names"]
    assert "password" not in schema["extra"]["visible_filter_names"]
    urls = ["/admin/api/tables/piccolo_user/", "/admin/api/tables/piccolo_user/?__readable=true",
            f"/admin/api/tables/piccolo_user/{world.users['werker']}/",
            "/admin/api/tables/piccolo_user/?__visible_fields=id,username,password"]
    for url in urls:
        response = beheerder.get(url)
        assert "pbkdf2" not in response.text and PASSWORD not in response.text, url


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "beheerder"])
def test_nobody_else_reads_the_new_user_form(personas, name):
    response = personas[name].get("/admin/api/tables/piccolo_user/new/", follow_redirects=False)
    assert response.status_code in (303, 403)
