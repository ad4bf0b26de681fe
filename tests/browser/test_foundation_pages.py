"""The foundation's pages in Chromium: accessible (axe-core), usable with the keyboard alone on a phone,
no sideways scrolling at 360 px, and Piccolo Admin only for the beheerder."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    PHONE,
    artifact,
    assert_accessible,
    audit,
    focused,
    login,
    open_menu,
    scroll_width,
    tab_to,
)
from tests.support import PASSWORD

DESKTOP = (1280, 800)


# Each scenario brings a page to one state and checks it really is that state before anything is audited.

def login_page(page, base_url):
    response = page.goto("/login/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")


def login_wrong_password(page, base_url):
    response = login(page, base_url, "werker", "fout-wachtwoord")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_have_text("Gebruikersnaam of wachtwoord klopt niet.")
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("werker")


def dashboard_werker(page, base_url):
    response = login(page, base_url, "werker", PASSWORD)
    assert response.status == 200 and page.url == f"{base_url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dag Werker Test")
    expect(page.get_by_role("region", name="Jouw gemeenten")).to_contain_text("Mechelen")


def dashboard_coordinator(page, base_url):
    response = login(page, base_url, "coordinator", PASSWORD)
    assert response.status == 200 and page.url == f"{base_url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dag Coordinator Test")
    expect(page.get_by_role("region", name="Jouw gemeenten")).to_contain_text("Mechelen")


def not_found_anonymous(page, base_url):
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")


def not_found_werker(page, base_url):
    login(page, base_url, "werker", PASSWORD)
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")


def forbidden_werker(page, base_url):
    """The app's HTML 403: a logged-in werker sends a form whose CSRF token is no longer valid."""
    login(page, base_url, "werker", PASSWORD)
    token = page.locator("form.logout input[name='_csrf_token']")
    token.evaluate("input => { input.value = 'x'.repeat(64); }")
    open_menu(page)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Afmelden").click()
    assert navigation.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_role("main")).to_contain_text("Dit formulier is verlopen")


SCENARIOS = {
    "login": login_page,
    "login-fout": login_wrong_password,
    "overzicht-werker": dashboard_werker,
    "overzicht-coordinator": dashboard_coordinator,
    "404-anoniem": not_found_anonymous,
    "404-werker": not_found_werker,
    "403-werker": forbidden_werker,
}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360px", "1280px"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_page_has_no_serious_accessibility_violations(new_page, live_server, world, scenario, size):
    page = new_page(*size)
    SCENARIOS[scenario](page, live_server)
    assert_accessible(page, f"{scenario}@{size[0]}px")


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_horizontal_scrolling_at_360_px(page, live_server, world, scenario):
    SCENARIOS[scenario](page, live_server)
    page.screenshot(path=artifact(f"{scenario}-360.png"), full_page=True)
    width = scroll_width(page)
    assert width <= PHONE[0], f"{scenario} scrolls sideways at 360 px: the document is {width} px wide"


def test_werker_logs_in_and_out_with_the_keyboard_only(new_page, live_server, world):
    page = new_page(*PHONE, bypass_csp=False)  # the app exactly as served, CSP enforced
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/login/")

    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Naar de inhoud", f"the first Tab should land on the skip link, not {skip}"
    assert skip["outline"], "the skip link shows no focus outline"
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_in_viewport()
    page.keyboard.press("Enter")  # follow the skip link: focus moves to <main>
    expect(page.locator("main#inhoud")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()
    assert focused(page)["outline"], "the username field shows no focus outline"
    page.keyboard.type("werker")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url == f"{live_server}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dag Werker Test")
    gemeenten = page.get_by_role("region", name="Jouw gemeenten")
    expect(gemeenten.get_by_role("heading", name="Mechelen")).to_be_visible()

    menu = tab_to(page, "Menu")  # on a phone Afmelden sits in the folded menu
    assert menu["tag"] == "button" and menu["outline"], f"Menu: no visibly focused button: {menu}"
    page.keyboard.press("Enter")
    logout = tab_to(page, "Afmelden")
    assert logout["tag"] == "button" and logout["outline"], f"Afmelden: no visibly focused button: {logout}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server}/login/"
    expect(page.get_by_role("status")).to_have_text("Je bent afgemeld.")
    expect(page.get_by_role("button", name="Afmelden")).to_have_count(0)
    assert csp_errors == []


def admin_table(page, name: str):
    """A table's entry in Piccolo Admin's sidebar."""
    return page.get_by_text(re.compile(rf"^\s*{name}\s*$", re.IGNORECASE)).first


def test_beheerder_gets_piccolo_admin_after_the_app_login(new_page, live_server, world):
    page = new_page(*DESKTOP, bypass_csp=False)  # the admin's single-page app must run under the real CSP
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    login(page, live_server, "beheerder", PASSWORD, next="/admin/")

    assert page.url.startswith(f"{live_server}/admin/")
    expect(admin_table(page, "lidmaatschap")).to_be_visible(timeout=20_000)
    expect(admin_table(page, "gemeente")).to_be_visible()
    assert errors == []


def test_piccolo_admin_gets_its_own_csp_and_violates_none(new_page, live_server, world):
    page = new_page(*DESKTOP, bypass_csp=False)
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    response = login(page, live_server, "beheerder", PASSWORD, next="/admin/")
    expect(admin_table(page, "lidmaatschap")).to_be_visible(timeout=20_000)

    assert "style-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
    assert csp_errors == []


def test_the_404_page_still_shows_a_logged_in_user_their_menu(page, live_server, world):
    login(page, live_server, "werker", PASSWORD)
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    open_menu(page)
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 1
    assert page.get_by_role("button", name="Afmelden").count() == 1


def test_werker_is_refused_the_admin(new_page, live_server, world):
    page = new_page(*PHONE)
    login(page, live_server, "werker", PASSWORD)
    response = page.goto("/admin/")
    assert response.status == 403
    assert "alleen voor beheerders" in page.content()


def test_the_audit_itself_catches_a_broken_page(page, live_server):
    """Guards the guard: axe really runs in these pages and reports what a missing label does."""
    login_page(page, live_server)
    page.locator("label[for='veld-username']").evaluate("label => label.remove()")
    found = {violation["id"]: violation["impact"] for violation in audit(page)}
    assert found.get("label") == "critical", found
