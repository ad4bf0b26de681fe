"""Phone layout (WCAG 1.4.10 reflow) and the keyboard after a refused form, in Chromium.

Every page of ours that a persona reaches by following links from the dashboard (the demo data: an overleg with
dossiers, meetings, minutes and notas) is opened at 320 px: nothing may scroll sideways, and axe-core finds no
serious or critical violation. Then the compact menu, the sticky save button of the intake, the agenda times,
the focus on the error summary and the restored draft.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from tests.support import PASSWORD, sync

NARROW = (320, 740)
PHONE = (360, 740)
DESKTOP = (1280, 800)

DEMO_PERSONAS = ("werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder")
# Not pages of ours (the admin's single-page app, the API, files) or not a page at all.
NOT_A_PAGE = re.compile(r"^/(admin|api|schema|static|logout)(/|$)|\.(pdf|ics|csv|xlsx)$|/(pdf|export)$|jaarrapport|"
                        r"/kalender/")
MAX_PAGES = 60
LONG_TITLE = "Ontmoetingsplekken voor tieners in Nekkerspoel en de wijk rond het station van Mechelen-Nekkerspoel"

OVERFLOW_JS = """() => {
    const doc = document.scrollingElement, width = doc.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll'))
        .slice(0, 3).map(e => `${e.tagName}.${e.className}: ${(e.textContent || '').trim().slice(0, 50)}`);
    return {scroll: doc.scrollWidth, client: width, wide};
}"""


@pytest.fixture
def demo(world):
    """The demo data on top of the test personas' gemeenten; returns the held meeting with a very long point."""
    import manage
    from overleg.tables import Agendapunt, Vergadering

    sync(manage._load_demo())

    async def long_point() -> int:
        meeting = await Vergadering.select(Vergadering.id).order_by(Vergadering.datum, ascending=False).first()
        await Agendapunt(vergadering=meeting["id"], volgorde=99, titel=LONG_TITLE, duur_minuten=20).save()
        return meeting["id"]

    return sync(long_point())


def demo_page(new_page, base_url: str, username: str, size=NARROW):
    page = new_page(*size)
    response = login(page, base_url, username, PASSWORD)
    assert response.status == 200 and page.url == f"{base_url}/", f"{username} could not log in: {page.url}"
    return page


# Column headings of a table that scrolls whose longest word does not fit (the word is broken: "Ge/me/en/te").
BROKEN_HEADING_JS = """() => [...document.querySelectorAll('.table-scroll thead th')].filter(th => {
    const longest = (th.innerText || '').split(/\\s+/).reduce((a, w) => w.length > a.length ? w : a, '');
    if (!longest) return false;
    const probe = document.createElement('span'), style = getComputedStyle(th);
    Object.assign(probe.style, {whiteSpace: 'nowrap', font: style.font, position: 'absolute'});
    probe.textContent = longest;
    document.body.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    return needed > th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + 1;
}).slice(0, 3).map(th => th.innerText)"""


def assert_no_sideways_scrolling(page, where: str) -> None:
    found = page.evaluate(OVERFLOW_JS)
    assert found["scroll"] <= found["client"], f"{where} scrolls sideways at {found['client']} px: {found}"
    broken = page.evaluate(BROKEN_HEADING_JS)
    assert not broken, f"{where}: table headings broken inside a word at {found['client']} px: {broken}"


def crawl(page, base_url: str) -> list[str]:
    """Every page reachable from the dashboard by links, one per path pattern (ids folded), as visited."""
    host = urlparse(base_url).netloc
    todo, seen, patterns = ["/"], [], set()
    while todo and len(seen) < MAX_PAGES:
        path = todo.pop(0)
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        seen.append(path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        _check(page, path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlparse(urljoin(base_url + path, href))
            if url.netloc != host or NOT_A_PAGE.search(url.path):
                continue
            pattern = re.sub(r"\d+", "N", url.path) + ("?" + re.sub(r"=[^&]*", "=", url.query) if url.query else "")
            if pattern not in patterns:
                patterns.add(pattern)
                todo.append(url.path + (f"?{url.query}" if url.query else ""))
    return seen


def _check(page, path: str) -> None:
    assert_no_sideways_scrolling(page, path)
    assert_accessible(page, f"{path} at {NARROW[0]} px")


@pytest.mark.parametrize("username", DEMO_PERSONAS)
def test_every_page_reflows_at_320_px_and_passes_axe(new_page, live_server, demo, username):
    page = demo_page(new_page, live_server, username)
    visited = crawl(page, live_server)
    assert len(visited) >= (2 if username == "beheerder" else 8), visited


def test_the_pages_of_an_anonymous_visitor_reflow_at_320_px(new_page, live_server, world):
    page = new_page(*NARROW)
    for path in ("/login/", "/bestaat-niet"):
        page.goto(path)
        _check(page, path)


def test_the_dossier_and_the_new_meeting_form_fit_a_320_px_phone(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "voorzitter")
    page.goto("/dossiers/")
    links = page.eval_on_selector_all("main a[href]", "ls => ls.map(a => a.getAttribute('href'))")
    dossier = next(href for href in links if re.fullmatch(r"/dossiers/\d+", href))
    for path in (dossier, "/vergaderingen/nieuw"):
        page.goto(path)
        assert_no_sideways_scrolling(page, path)
    # the scrolling table keeps its visually hidden texts inside
    page.goto(dossier)
    hidden = page.locator(".table-scroll .visually-hidden").first
    expect(hidden).to_be_attached()


def test_an_agenda_time_stays_on_one_line_beside_a_long_title(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "voorzitter")
    # the agenda on the meeting page, and the list of points beside the meeting being run
    for path, row in ((f"/vergaderingen/{demo}", ".agendapunt"), (f"/vergaderingen/{demo}/leiden", ".punten-nav li")):
        response = page.goto(path)
        assert response.status == 200, path
        point = page.locator(row).filter(has_text=LONG_TITLE)
        expect(point).to_be_visible()
        time = point.locator(".tijd")
        assert re.fullmatch(r"\d{2}:\d{2}", time.inner_text()), path
        lines = time.evaluate("t => t.getClientRects().length")
        box = time.bounding_box()
        line_height = time.evaluate("t => parseFloat(getComputedStyle(t).fontSize) * 1.6")
        assert lines == 1 and box and box["height"] <= line_height, (path, lines, box)
        assert_no_sideways_scrolling(page, path)


# ----------------------------------------------------------------------------- the compact menu

def test_on_a_phone_the_menu_folds_behind_one_button(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "voorzitter", PHONE)
    header = page.locator(".site-header")
    toggle = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert header.bounding_box()["height"] < 90, "the header alone used 262 of 740 px"
    content_top = page.get_by_role("heading", level=1).bounding_box()["y"]
    assert content_top < 140

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Overzicht")).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name="Dossiers").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-menu-toggle')")

    # the keyboard opens it too, and a section page marks its entry
    toggle.focus()
    page.keyboard.press("Enter")
    with page.expect_navigation():
        nav.get_by_role("link", name="Vergaderingen").click()
    toggle = page.get_by_role("button", name="Menu")
    toggle.click()
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Vergaderingen")
           ).to_have_attribute("aria-current", "page")
    assert_accessible(page, "menu open at 360 px")


def test_on_a_desktop_the_menu_is_always_open(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "voorzitter", DESKTOP)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dossiers")).to_be_visible()
    page.set_viewport_size({"width": 360, "height": 740})
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()


def test_without_javascript_the_menu_stays_open_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                  base_url=live_server, locale="nl-BE")
    try:
        page = context.new_page()
        login(page, live_server, "werker", PASSWORD)
        expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen",
                                                                              exact=True)).to_be_visible()
        expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    finally:
        context.close()


# ----------------------------------------------------------------------------- the intake on a phone

def test_the_save_button_of_the_intake_stays_within_reach(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "werker", PHONE)
    page.goto("/signalen/nieuw")
    page.get_by_text("Meer details (niet verplicht)").click()
    save = page.get_by_role("button", name="Signaal opslaan")
    for top in (0, 400, 900):
        page.evaluate(f"window.scrollTo(0, {top})")
        box = save.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 740, (top, box)
    # a field focused near the bottom is not hidden behind the sticky bar
    quotes = page.get_by_label("Wat zeiden ze letterlijk?")
    quotes.focus()
    field, bar = quotes.bounding_box(), page.locator(".signaal-form > .actions").bounding_box()
    assert field and bar and field["y"] < bar["y"], (field, bar)


def test_after_a_refused_submit_the_focus_is_on_the_error_summary(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "werker", PHONE)
    page.goto("/signalen/nieuw")
    page.get_by_label(re.compile("^Titel")).fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Signaal opslaan").click()
    summary = page.locator("#fouten")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")  # from the summary the keyboard goes to its first link
    assert page.evaluate("() => document.activeElement.closest('#fouten') !== null")


def test_a_restored_draft_opens_meer_details_when_it_holds_details(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "werker", PHONE)
    page.goto("/signalen/nieuw")
    details = page.locator("details.more")
    page.get_by_label(re.compile("^Titel")).fill("Geen plek om samen te zitten")
    details.locator("summary").click()
    page.get_by_label("Waar?").fill("Vrijbroekpark")
    page.goto("/signalen/nieuw")  # a new visit: no form state kept by the browser
    expect(page.locator("#draft-note")).to_be_visible()
    expect(details).to_have_attribute("open", "")
    expect(page.get_by_label("Waar?")).to_have_value("Vrijbroekpark")


def test_a_restored_draft_without_details_keeps_them_folded(new_page, live_server, demo):
    page = demo_page(new_page, live_server, "werker", PHONE)
    page.goto("/signalen/nieuw")
    page.get_by_label(re.compile("^Titel")).fill("Geen plek om samen te zitten")
    page.goto("/signalen/nieuw")  # a new visit: no form state kept by the browser
    expect(page.locator("#draft-note")).to_be_visible()
    assert page.locator("details.more").get_attribute("open") is None
