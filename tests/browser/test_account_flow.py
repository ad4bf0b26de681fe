"""Accounts without typed passwords, in Chromium: invite → the link from the outbox → choose a password → logged
in; and "wachtwoord vergeten" the same way. Without SMTP_URL the link is read where the beheerder reads it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from berichten.tables import Bericht
from settings import get_settings
from tests.browser.support import assert_accessible, click_and_wait, logged_in
from tests.support import sync

NEW_PASSWORD = "groene-tram-naar-de-vismarkt-19"


def _path_of(link: str) -> str:
    assert link.startswith(get_settings().base_url + "/"), link
    return link.removeprefix(get_settings().base_url)


def test_an_invited_partner_chooses_a_password_and_is_logged_in(new_page, live_server, world):
    admin = logged_in(new_page, live_server, "beheerder", size=(1280, 800))
    admin.goto("/beheer/gebruikers")
    assert_accessible(admin, "beheer/gebruikers")
    admin.get_by_label("E-mailadres").fill("nadia@caw.example")
    admin.get_by_label("Voornaam").fill("Nadia")
    admin.get_by_label("Gemeente").select_option("mechelen")
    admin.get_by_label("Rol").select_option("partner")
    response = click_and_wait(admin, admin.get_by_role("button", name="Uitnodiging versturen"))
    assert response.status == 200 and "/beheer/berichten/" in admin.url
    expect(admin.get_by_role("heading", level=1)).to_have_text("Je bent uitgenodigd voor Signaalwerk")
    assert_accessible(admin, "beheer/bericht")
    text = admin.locator("#bericht-tekst").inner_text()
    link = re.search(r"https?://\S+/uitnodiging/[A-Za-z0-9_-]+", text).group(0)

    person = new_page()
    page = person.goto(_path_of(link))
    assert page.status == 200
    expect(person.get_by_role("heading", level=1)).to_have_text("Welkom bij Signaalwerk")
    assert_accessible(person, "uitnodiging")
    person.get_by_label("Nieuw wachtwoord").fill("te-kort")
    person.get_by_label("Herhaal het wachtwoord").fill("te-kort")
    refused = click_and_wait(person, person.get_by_role("button", name="Wachtwoord instellen"))
    assert refused.status == 422
    expect(person.get_by_role("alert")).to_contain_text("minstens 12 tekens")
    person.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    person.get_by_label("Herhaal het wachtwoord").fill(NEW_PASSWORD)
    done = click_and_wait(person, person.get_by_role("button", name="Wachtwoord instellen"))
    assert done.status == 200 and person.url == f"{live_server}/"
    expect(person.get_by_role("heading", level=1)).to_have_text("Dag Nadia")
    again = person.goto(_path_of(link))
    assert again.status == 410


def test_wachtwoord_vergeten_from_the_login_page_to_a_new_password(new_page, live_server, world):
    page = new_page()
    page.goto("/login/")
    click_and_wait(page, page.get_by_role("link", name="Wachtwoord vergeten?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord vergeten")
    assert_accessible(page, "wachtwoord-vergeten")
    page.get_by_label("E-mailadres").fill("werker@example.org")
    answer = click_and_wait(page, page.get_by_role("button", name="Link versturen"))
    assert answer.status == 200
    expect(page.get_by_role("status")).to_contain_text("Als er een account bestaat")
    row = sync(Bericht.select(Bericht.text).where(Bericht.kind == "wachtwoord_herstel").first())
    link = re.search(r"https?://\S+/wachtwoord-herstellen/[A-Za-z0-9_-]+", row["text"]).group(0)

    page.goto(_path_of(link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kies een nieuw wachtwoord")
    assert_accessible(page, "wachtwoord-herstellen")
    page.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(NEW_PASSWORD)
    done = click_and_wait(page, page.get_by_role("button", name="Wachtwoord instellen"))
    assert done.status == 200 and page.url == f"{live_server}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dag Werker Test")
