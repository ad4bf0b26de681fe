"""The signal pages in Chromium: a werker records a signal on a phone with the keyboard alone under the real CSP,
the privacy guard and its one-click replacements, the intake draft that survives a closed tab, the version
conflict page, axe-core on every state at 360 and 1280 px, and stored markup that never runs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    PHONE,
    artifact,
    assert_accessible,
    logged_in,
    login,
    open_menu,
    scroll_width,
    tab_to,
)
from tests.support import PASSWORD, sync

DESKTOP = (1280, 800)
DRAFT_KEY = "signaalwerk:concept:signaal-nieuw"
SAVED_URL = re.compile(r"/signalen/(\d+)/opgeslagen$")
XSS_TITEL = "<script>alert(1)</script><img src=x onerror=alert(1)>"
XSS_OMSCHRIJVING = (
    "Jongeren melden: <script>alert(1)</script> en <img src=x onerror=alert(1)>\n\n"
    "<svg onload=alert(1)></svg> [klik hier](javascript:alert(1)) <a href=\"javascript:alert(1)\">link</a>\n\n"
    "<iframe src=\"javascript:alert(1)\"></iframe><details open ontoggle=alert(1)>x</details>"
)


# ---------------------------------------------------------------- helpers

def create_signal(world, username: str = "werker", *, confirm: bool = False, **fields) -> dict:
    """A signal stored through the service as this user (the path the pages take too)."""
    from admin.sessions import resolve_user
    from common.dates import today
    from signalen.services import create_signaal

    data = {
        "gemeente": "mechelen",
        "titel": "Geen plek om samen te zitten aan het station",
        "omschrijving": "Jongeren worden overal weggestuurd en willen een overdekte plek zonder consumptieplicht.",
        "datum": today().isoformat(),
        "plek": "Stationsplein",
        "bron": "straat",
        "levensdomein": "ruimte",
        "signaaltype": "te-weinig-ontmoetingsplekken",
        "aantal_jongeren": 8,
        "leeftijd": "12-15",
        "citaten": ["Overal worden we weggestuurd."],
        **fields,
    }

    async def run() -> dict:
        return await create_signaal(await resolve_user(world.users[username]), data, confirm=confirm)

    return sync(run())


def update_signal(world, username: str, signaal_id: int, versie: int, **changes) -> dict:
    from admin.sessions import resolve_user
    from signalen.services import update_signaal

    async def run() -> dict:
        return await update_signaal(await resolve_user(world.users[username]), signaal_id, changes, versie)

    return sync(run())



def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_until(page, locator, limit: int = 40, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until `locator` has the focus; fails listing where the focus went instead."""
    seen = []
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press(key)
        seen.append(page.evaluate("() => { const e = document.activeElement; "
                                  "return `${e.tagName.toLowerCase()}#${e.id || e.name || ''}`; }"))
    if not is_focused(locator):
        pytest.fail(f"{key} never reached {locator}; focus went through {seen}", pytrace=False)


def watch_csp(page) -> list[str]:
    """Console reports of CSP violations and uncaught page errors, gathered while the test runs."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


FIND_DRAFT = ("(prefix) => { const k = Object.keys(window.localStorage).find(k => k.startsWith(prefix));"
              " return k ? window.localStorage.getItem(k) : null; }")


def draft(page):
    """The intake draft in this browser (keys are per user: signaalwerk:concept:signaal-nieuw-<user id>)."""
    return page.evaluate(FIND_DRAFT, DRAFT_KEY)


def submit(page, name: str = "Signaal opslaan"):
    """Click a submit button; returns the response the form's navigation ended on."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=True).click()
    return navigation.value


# ---------------------------------------------------------------- 1. keyboard-only intake on a phone, real CSP

def test_werker_records_a_signal_on_a_phone_with_the_keyboard_only(new_page, live_server, world):
    page = new_page(*PHONE, bypass_csp=False)
    problems = watch_csp(page)
    keyboard = page.keyboard

    page.goto("/login/")
    tab_until(page, page.get_by_label("Gebruikersnaam"))
    keyboard.type("werker")
    keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    keyboard.type(PASSWORD)
    with page.expect_navigation():
        keyboard.press("Enter")
    assert page.url == f"{live_server}/"

    tab_to(page, "Nieuw signaal")
    with page.expect_navigation():
        keyboard.press("Enter")
    assert page.url == f"{live_server}/signalen/nieuw"
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw signaal")
    today = page.get_by_label("Wanneer?").input_value()
    assert today, "the intake does not prefill today's date"

    tab_until(page, page.get_by_label("Titel"))
    keyboard.type("Laatste bus naar huis vertrekt te vroeg")
    keyboard.press("Tab")
    expect(page.get_by_label("Wat hoorde of zag je?")).to_be_focused()
    keyboard.type("Na de training in de sporthal kunnen ze niet meer naar huis.")
    # Back and forth once: Shift+Tab returns to the title without changing it.
    keyboard.press("Shift+Tab")
    expect(page.get_by_label("Titel")).to_be_focused()
    keyboard.press("Tab")

    more = page.locator("details.more")
    summary = more.locator("summary")
    tab_until(page, summary)  # through the date field, which keeps today's date
    expect(more).not_to_have_attribute("open", "")
    keyboard.press("Space")
    expect(more).to_have_attribute("open", "")
    tab_until(page, page.get_by_label("Waar?"))
    keyboard.type("Sporthal Nekkerspoel")

    save = page.get_by_role("button", name="Signaal opslaan")
    tab_until(page, save)
    with page.expect_navigation() as navigation:
        keyboard.press("Enter")
    assert navigation.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal opgeslagen")
    expect(page.get_by_role("link", name="Nog een signaal registreren")).to_be_visible()
    match = SAVED_URL.search(page.url)
    assert match, page.url
    signaal_id = int(match.group(1))
    assert problems == []

    page.goto("/signalen/")
    entry = page.get_by_role("link", name="Laatste bus naar huis vertrekt te vroeg")
    expect(entry).to_have_attribute("href", f"/signalen/{signaal_id}")
    expect(page.locator(".signal-list")).to_contain_text("Sporthal Nekkerspoel")

    page.goto(f"/signalen/{signaal_id}")
    facts = page.locator("article .meta")
    year, month, day = today.split("-")
    expect(facts).to_contain_text(f"{day}/{month}/{year}")
    expect(facts).to_contain_text("Sporthal Nekkerspoel")
    expect(page.locator(".markdown")).to_have_text("Na de training in de sporthal kunnen ze niet meer naar huis.")
    assert problems == []

    other = logged_in(new_page, live_server, "werker2")
    assert other.goto(f"/signalen/{signaal_id}").status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(other.get_by_text("Laatste bus naar huis")).to_have_count(0)

    partner = logged_in(new_page, live_server, "partner")
    assert partner.goto("/signalen/").status == 404
    assert partner.goto(f"/signalen/{signaal_id}").status == 404


# ---------------------------------------------------------------- 2. privacy guard

def test_privacy_findings_are_highlighted_and_replaced_with_the_keyboard(new_page, live_server, world):
    page = logged_in(new_page, live_server, "werker", bypass_csp=False)
    problems = watch_csp(page)
    page.goto("/signalen/nieuw")
    page.get_by_label("Titel").fill("Jongere zoekt hulp na het voetbal")
    page.get_by_label("Wat hoorde of zag je?").press_sequentially("Bel Yasmina op 0470 12 34 56")

    assert submit(page).status == 422
    findings = page.get_by_role("region", name="Mogelijk persoonsgegevens")
    expect(findings).to_be_visible()
    expect(findings.locator("mark")).to_have_text(["Yasmina", "0470 12 34 56"])
    expect(findings.get_by_role("button", name="Vervang door [naam]")).to_be_visible()
    expect(findings.get_by_role("button", name="Vervang door [telefoonnummer]")).to_be_visible()
    expect(page.get_by_label("Ik bevestig dat deze gegevens nodig zijn voor dit signaal.")).not_to_be_checked()
    expect(page.get_by_label("Wat hoorde of zag je?")).to_have_value("Bel Yasmina op 0470 12 34 56")

    tab_to(page, "Vervang alles", limit=40)
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200
    expect(page.get_by_role("status").filter(has_text="Vervangen.")).to_be_visible()
    expect(page.get_by_label("Wat hoorde of zag je?")).to_have_value("Bel [naam] op [telefoonnummer]")
    expect(page.get_by_label("Titel")).to_have_value("Jongere zoekt hulp na het voetbal")
    expect(page.get_by_role("region", name="Mogelijk persoonsgegevens")).to_have_count(0)

    assert submit(page).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal opgeslagen")
    page.get_by_role("link", name="Bekijk het signaal").click()
    expect(page.locator(".markdown")).to_have_text("Bel [naam] op [telefoonnummer]")
    expect(page.get_by_text("Bevestigde persoonsgegevens")).to_have_count(0)
    assert problems == []


def test_one_finding_is_replaced_and_the_other_confirmed(page, live_server, world):
    login(page, live_server, "werker", PASSWORD)
    page.goto("/signalen/nieuw")
    page.get_by_label("Titel").fill("Jongere zoekt hulp na het voetbal")
    page.get_by_label("Wat hoorde of zag je?").fill("Bel Yasmina op 0470 12 34 56")
    assert submit(page).status == 422

    assert submit(page, "Vervang door [telefoonnummer]").status == 200
    expect(page.get_by_label("Wat hoorde of zag je?")).to_have_value("Bel Yasmina op [telefoonnummer]")

    assert submit(page).status == 422  # the name is still there, unconfirmed
    expect(page.get_by_role("region", name="Mogelijk persoonsgegevens").locator("mark")).to_have_text(["Yasmina"])
    page.get_by_label("Ik bevestig dat deze gegevens nodig zijn voor dit signaal.").check()
    assert submit(page).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal opgeslagen")
    page.get_by_role("link", name="Bekijk het signaal").click()
    expect(page.get_by_text("Bevestigde persoonsgegevens: 1")).to_be_visible()


# ---------------------------------------------------------------- 3. draft in localStorage

def test_the_intake_draft_survives_a_closed_tab_and_is_gone_after_saving(new_page, live_server, world):
    first = logged_in(new_page, live_server, "werker", bypass_csp=False)
    context = first.context
    first.goto("/signalen/nieuw")
    expect(first.locator("#draft-note")).to_be_hidden()
    first.get_by_label("Titel").press_sequentially("Geen licht in het skatepark")
    first.get_by_label("Wat hoorde of zag je?").press_sequentially("Na 18 uur is het er pikdonker.")
    assert draft(first) is not None, "typing stored no draft"
    first.close()

    page = context.new_page()
    problems = watch_csp(page)
    page.goto("/signalen/nieuw")
    expect(page.get_by_label("Titel")).to_have_value("Geen licht in het skatepark")
    expect(page.get_by_label("Wat hoorde of zag je?")).to_have_value("Na 18 uur is het er pikdonker.")
    note = page.get_by_role("status").filter(has_text="niet opgeslagen signaal is teruggezet")
    expect(note).to_be_visible()

    assert submit(page).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal opgeslagen")
    page.wait_for_function(f"(prefix) => ({FIND_DRAFT})(prefix) === null", arg=DRAFT_KEY)

    page.get_by_role("link", name="Nog een signaal registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw signaal")
    expect(page.get_by_label("Titel")).to_have_value("")
    expect(page.get_by_label("Wat hoorde of zag je?")).to_have_value("")
    expect(page.locator("#draft-note")).to_be_hidden()
    assert problems == []


# ---------------------------------------------------------------- 4. version conflict

def test_a_version_conflict_shows_both_versions_and_keeps_the_typed_text(new_page, live_server, world):
    signaal = create_signal(world, titel="Basketbalveld is al weken kapot")
    edit = f"/signalen/{signaal['id']}/bewerken"
    werker = logged_in(new_page, live_server, "werker")
    voorzitter = logged_in(new_page, live_server, "voorzitter")
    werker.goto(edit)
    voorzitter.goto(edit)

    werker.get_by_label("Titel").fill("Basketbalveld aan de Kruidtuin is kapot")
    assert submit(werker, "Wijzigingen opslaan").status == 200
    expect(werker.get_by_role("status")).to_have_text("Wijzigingen opgeslagen.")

    typed = "De voorzitter vult aan: de stad plant herstel pas volgend jaar."
    voorzitter.get_by_label("Wat hoorde of zag je?").fill(typed)
    assert submit(voorzitter, "Wijzigingen opslaan").status == 409

    conflict = voorzitter.get_by_role("alert")
    expect(conflict.get_by_role("heading", level=2)).to_have_text("Iemand anders heeft dit signaal intussen gewijzigd")
    current = conflict.locator(".card").filter(has=voorzitter.get_by_role("heading", name="Huidige versie (versie 2)"))
    mine = conflict.locator(".card").filter(has=voorzitter.get_by_role("heading", name="Jouw versie"))
    expect(current).to_contain_text("Basketbalveld aan de Kruidtuin is kapot")
    expect(current).to_contain_text(signaal["omschrijving"])
    expect(mine).to_contain_text("Basketbalveld is al weken kapot")
    expect(mine).to_contain_text(typed)
    expect(voorzitter.get_by_label("Wat hoorde of zag je?")).to_have_value(typed)
    expect(voorzitter.locator("input[name='versie']")).to_have_value("2")

    # Saving again deliberately keeps the voorzitter's version on top of version 2.
    assert submit(voorzitter, "Wijzigingen opslaan").status == 200
    expect(voorzitter.locator(".markdown")).to_have_text(typed)
    expect(voorzitter.locator(".facts")).to_contain_text("3")


# ---------------------------------------------------------------- 5. axe-core and 360 px

# Each scenario brings a page to one state and checks it really is that state before anything is audited.

def intake_empty(page, base_url, world):
    login(page, base_url, "werker", PASSWORD)
    assert page.goto("/signalen/nieuw").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw signaal")


def intake_errors(page, base_url, world):
    intake_empty(page, base_url, world)
    assert submit(page).status == 422
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("Controleer deze velden")
    expect(page.get_by_label("Titel")).to_have_attribute("aria-invalid", "true")


def intake_privacy(page, base_url, world):
    intake_empty(page, base_url, world)
    page.get_by_label("Titel").fill("Jongere zoekt hulp na het voetbal")
    page.get_by_label("Wat hoorde of zag je?").fill("Bel Yasmina op 0470 12 34 56")
    assert submit(page).status == 422
    expect(page.get_by_role("region", name="Mogelijk persoonsgegevens").locator("mark")).to_have_count(2)


def confirmation(page, base_url, world):
    intake_empty(page, base_url, world)
    page.get_by_label("Titel").fill("Laatste bus naar huis vertrekt te vroeg")
    page.get_by_label("Wat hoorde of zag je?").fill("Na de training kunnen ze niet meer naar huis.")
    assert submit(page).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal opgeslagen")


def register_empty(page, base_url, world):
    login(page, base_url, "werker", PASSWORD)
    assert page.goto("/signalen/").status == 200
    expect(page.locator(".empty")).to_contain_text("Nog geen signalen.")


def _some_signals(world):
    create_signal(world)
    create_signal(world, titel="Laatste bus naar huis vertrekt te vroeg", plek="Sporthal Nekkerspoel",
                  levensdomein="", signaaltype="")
    # A long title with a long Dutch compound word: it must wrap, not widen the page, on a phone.
    create_signal(world, "voorzitter", titel="Te weinig sportaanbod voor meisjes in Battel volgens het "
                  "jeugdwerkinfrastructuurvernieuwingsplan", plek="Battel")


def register_items(page, base_url, world):
    _some_signals(world)
    login(page, base_url, "werker", PASSWORD)
    assert page.goto("/signalen/").status == 200
    expect(page.locator(".signal-item")).to_have_count(3)


def register_filters(page, base_url, world):
    register_items(page, base_url, world)
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Status").select_option("nieuw")
    page.get_by_label("Zoeken").fill("bus")
    with page.expect_navigation():
        page.get_by_role("button", name="Toon").click()
    expect(page.locator("form.filters details")).to_have_attribute("open", "")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"1 signaal gevonden"))
    expect(page.get_by_role("link", name="Wis filters")).to_be_visible()


def detail(page, base_url, world):
    signaal = create_signal(world, omschrijving="Jongeren vertellen:\n\n- geen bank\n- geen dak\n\n**Dringend**")
    login(page, base_url, "werker", PASSWORD)
    assert page.goto(f"/signalen/{signaal['id']}").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(signaal["titel"])
    expect(page.get_by_role("heading", name="Status wijzigen")).to_be_visible()


def edit(page, base_url, world):
    signaal = create_signal(world)
    login(page, base_url, "werker", PASSWORD)
    assert page.goto(f"/signalen/{signaal['id']}/bewerken").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal bewerken")
    expect(page.get_by_label("Titel")).to_have_value(signaal["titel"])


def conflict(page, base_url, world):
    signaal = create_signal(world)
    login(page, base_url, "werker", PASSWORD)
    page.goto(f"/signalen/{signaal['id']}/bewerken")
    update_signal(world, "voorzitter", signaal["id"], 1, titel="De voorzitter was sneller")
    page.get_by_label("Wat hoorde of zag je?").fill("Mijn aanvulling die niet verloren mag gaan.")
    assert submit(page, "Wijzigingen opslaan").status == 409
    expect(page.get_by_role("heading", name="Huidige versie (versie 2)")).to_be_visible()


SCENARIOS = {
    "intake-leeg": intake_empty,
    "intake-fouten": intake_errors,
    "intake-privacy": intake_privacy,
    "opgeslagen": confirmation,
    "register-leeg": register_empty,
    "register-signalen": register_items,
    "register-filters": register_filters,
    "detail": detail,
    "bewerken": edit,
    "conflict": conflict,
}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360px", "1280px"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_signal_page_has_no_serious_accessibility_violations(new_page, live_server, world, scenario, size):
    page = new_page(*size)
    SCENARIOS[scenario](page, live_server, world)
    assert_accessible(page, f"{scenario}@{size[0]}px")


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_signal_page_does_not_scroll_sideways_at_360_px(page, live_server, world, scenario):
    SCENARIOS[scenario](page, live_server, world)
    page.screenshot(path=artifact(f"signalen-{scenario}-360.png"), full_page=True)
    width = scroll_width(page)
    assert width <= PHONE[0], f"{scenario} scrolls sideways at 360 px: the document is {width} px wide"


# ---------------------------------------------------------------- 6. stored markup never runs

@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "zonder-csp"])
def test_stored_markup_in_a_signal_never_runs(new_page, live_server, world, bypass_csp):
    """With the CSP bypassed only the escaping and sanitising protect the page: no dialog may open either way."""
    signaal = create_signal(world, confirm=True, titel=XSS_TITEL, omschrijving=XSS_OMSCHRIJVING,
                            plek="<img src=x onerror=alert(1)>", citaten=["<script>alert(1)</script>"])
    page = logged_in(new_page, live_server, "werker", bypass_csp=bypass_csp)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def settle():
        page.wait_for_load_state("load")  # failed images have fired their error events by now
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")

    page.goto(f"/signalen/{signaal['id']}")
    settle()
    expect(page.get_by_role("heading", level=1)).to_have_text(XSS_TITEL)
    expect(page.locator(".meta")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("blockquote.citaat")).to_have_text("<script>alert(1)</script>")
    assert page.locator("main script, main img, main svg, main iframe, main [onerror], main [onload]").count() == 0
    assert page.locator("main a[href^='javascript:' i]").count() == 0
    assert "<script>alert(1)</script>" in page.title()

    for url in ("/signalen/", "/signalen/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                f"/signalen/{signaal['id']}/bewerken", "/signalen/nieuw"):
        page.goto(url)
        settle()
        assert page.locator("main script, main img, main [onerror]").count() == 0, url
    page.goto("/signalen/")
    expect(page.get_by_role("link", name=XSS_TITEL)).to_be_visible()

    assert dialogs == []
    # Guards the guard: a dialog that does open is seen.
    page.evaluate("() => alert('probe')")
    assert dialogs == ["probe"]



# ---------------------------------------------------------------- regressions of bugs found here

def log_out(page, live_server):
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Afmelden").click()
    assert page.url == f"{live_server}/login/"


def test_a_draft_is_not_shown_to_the_next_user_of_the_same_browser(new_page, live_server, world):
    """A shared phone: werker (Mechelen) leaves an unsaved draft and logs out; werker2 (Hoeilaart) logs in next."""
    page = logged_in(new_page, live_server, "werker")
    page.goto("/signalen/nieuw")
    page.get_by_label("Titel").fill("Yasmina wordt gepest op school")
    page.get_by_label("Wat hoorde of zag je?").fill("Bel Yasmina op 0470 12 34 56")
    assert draft(page) is not None
    log_out(page, live_server)

    login(page, live_server, "werker2", PASSWORD)
    page.goto("/signalen/nieuw")
    expect(page.get_by_text("Gemeente:")).to_contain_text("Hoeilaart")
    expect(page.get_by_label("Titel")).to_have_value("")
    expect(page.get_by_label("Wat hoorde of zag je?")).to_have_value("")
    expect(page.locator("#draft-note")).to_be_hidden()


def test_a_stale_draft_cannot_point_the_intake_at_another_gemeente(new_page, live_server, world):
    """werker2 (only Hoeilaart) has a draft in this browser that names Mechelen, e.g. from before a move."""
    page = logged_in(new_page, live_server, "werker2")
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)",
                  [f"{DRAFT_KEY}-{world.users['werker2']}",
                   '{"titel": "Geen fietsenstalling aan de jeugdlokalen", "gemeente": "mechelen"}'])
    page.goto("/signalen/nieuw")
    expect(page.get_by_label("Titel")).to_have_value("Geen fietsenstalling aan de jeugdlokalen")
    page.get_by_label("Wat hoorde of zag je?").fill("De fietsen van de jongeren worden er gestolen.")
    response = submit(page)
    if response.status == 422:
        submit(page)  # a second try, as a person would
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal opgeslagen")
    expect(page.get_by_text("staat in het register van Hoeilaart")).to_be_visible()


def test_invalid_fields_are_drawn_with_the_error_border(page, live_server, world):
    login(page, live_server, "werker", PASSWORD)
    page.goto("/signalen/nieuw")
    assert submit(page).status == 422
    error_ink = page.locator("#fout-titel").evaluate("el => getComputedStyle(el).color")
    borders = {
        name: page.locator(f"#veld-{name}").evaluate("el => getComputedStyle(el).borderTopColor")
        for name in ("titel", "omschrijving")
    }
    for name in borders:
        expect(page.locator(f"#veld-{name}")).to_have_attribute("aria-invalid", "true")
    assert borders == {"titel": error_ink, "omschrijving": error_ink}
