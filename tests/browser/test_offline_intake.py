"""Offline intake in Chromium at 360 px with Playwright's set_offline (issue 15): the shell opens offline after
one online visit, signals wait in IndexedDB through reloads, are sent once and in order when the connection
returns (also when an answer is lost), a planted phone number waits as Nakijken, logging out warns and clears the
device, and the service worker's caches hold the shell alone after a session that opened signal pages."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from signalen.tables import Signaal
from tests.browser.support import assert_accessible, logged_in, open_menu
from tests.support import sync

SAVED_HERE = "Bewaard op dit toestel — wordt verstuurd zodra je weer verbinding hebt."
SHELL_READY = """async () => {
    if (!navigator.serviceWorker.controller) return false;
    for (const name of await caches.keys()) {
        if (await (await caches.open(name)).match('/offline/nieuw')) return true;
    }
    return false;
}"""
CACHED_URLS = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
}"""
IDB_KEYS = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('keyval-store');
    open.onupgradeneeded = () => open.result.createObjectStore('keyval');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const tx = open.result.transaction('keyval', 'readonly');
        const keys = tx.objectStore('keyval').getAllKeys();
        keys.onsuccess = () => resolve(keys.result.map(String));
    };
})"""
SHELL_URL = re.compile(r"^http://127\.0\.0\.1:\d+(/offline/nieuw|/static/(css/[\w.-]+\.css|js/[\w./-]+\.js|"
                       r"icons/[\w-]+\.png|favicon\.svg|manifest\.webmanifest)(\?v=[0-9a-f]{10})?)$")


def stored() -> list[dict]:
    return sync(Signaal.select(Signaal.id, Signaal.titel, Signaal.client_id, Signaal.omschrijving)
                .order_by(Signaal.id))


def wait_for(condition, page, timeout: float = 15.0):
    """Poll `condition`; the page's own wait lets Playwright run route handlers meanwhile (sync API)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        page.wait_for_timeout(200)
    raise AssertionError("timed out")


def online_visit(new_page, live_server, username: str = "werker", *, real_csp: bool = True):
    """Log in and open the intake once online: the service worker installs and keeps the shell. Under the app's
    real CSP, unless axe-core must be injected (real_csp=False)."""
    page = logged_in(new_page, live_server, username, bypass_csp=not real_csp)
    page.goto("/signalen/nieuw")
    wait_for(lambda: page.evaluate(SHELL_READY), page, timeout=20)  # (wait_for_function takes a Promise as truthy)
    return page


def record(page, titel: str, omschrijving: str = "De jongeren hebben geen plek om samen te zijn als het regent."):
    page.get_by_label("Titel").fill(titel)
    page.get_by_label("Wat hoorde of zag je?").fill(omschrijving)
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(page.locator("#wachtrij-melding")).to_have_text(SAVED_HERE)
    expect(page.get_by_label("Titel")).to_have_value("")


def queued(page):
    return page.locator("#wachtrij-lijst > li")


@pytest.mark.usefixtures("world")
def test_record_offline_reload_and_sync_exactly_once_in_order(new_page, live_server):
    page = online_visit(new_page, live_server)
    context = page.context
    context.set_offline(True)
    page.goto("/signalen/nieuw")  # the kept shell, from the service worker
    expect(page.get_by_role("heading", name="Nieuw signaal")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Offline")).to_be_visible()  # text, not colour alone
    record(page, "Eerste signaal offline")
    record(page, "Tweede signaal offline")
    expect(queued(page)).to_have_count(2)
    expect(page.locator("[data-net-status]")).to_contain_text("2 signalen wachten")
    expect(page.locator("[data-net-status]")).to_be_visible()

    page.reload()  # still offline: both still queued
    expect(queued(page)).to_have_count(2)
    expect(queued(page).first).to_contain_text("Eerste signaal offline")
    assert stored() == []

    context.set_offline(False)
    rows = wait_for(lambda: len(stored()) == 2 and stored(), page)
    assert [r["titel"] for r in rows] == ["Eerste signaal offline", "Tweede signaal offline"]
    assert all(r["client_id"] for r in rows) and rows[0]["client_id"] != rows[1]["client_id"]
    api = page.evaluate("async () => (await (await fetch('/api/v1/signalen?auteur=ik&sorteer=oudste')).json())")
    assert api["totaal"] == 2  # the API's count, as the worker sees it
    assert [(i["titel"], i["client_id"]) for i in api["items"]] == [(r["titel"], r["client_id"]) for r in rows]
    expect(queued(page)).to_have_count(0)
    expect(page.locator("[data-net-status]")).not_to_contain_text("wachten")

    # Again online, again offline: nothing is sent twice.
    page.reload()
    context.set_offline(True)
    context.set_offline(False)
    page.reload()
    page.wait_for_timeout(1000)
    assert len(stored()) == 2


@pytest.mark.usefixtures("world")
def test_the_caches_hold_the_shell_alone_after_a_session_on_signal_pages(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.get_by_label("Titel").fill("Signaal met inhoud ZQX")
    page.get_by_label("Wat hoorde of zag je?").fill("Inhoud ZQX die nooit in een cache mag staan.")
    page.get_by_role("button", name="Signaal opslaan").click()
    page.wait_for_url(re.compile(r"/signalen/\d+/opgeslagen$"))
    signal_id = stored()[0]["id"]
    for url in (f"/signalen/{signal_id}", "/signalen/", f"/signalen/{signal_id}/bewerken", "/offline/nieuw",
                f"/api/v1/signalen/{signal_id}", "/api/v1/signalen", "/"):
        page.goto(url)
    page.goto("/signalen/nieuw")
    urls = page.evaluate(CACHED_URLS)
    assert urls, "the service worker keeps nothing"
    assert [u for u in urls if not SHELL_URL.match(u)] == []
    for name in page.evaluate("async () => await caches.keys()"):
        assert name.startswith("signaalwerk-shell-")
    shell = page.evaluate("""async () => {
        for (const n of await caches.keys()) { const r = await (await caches.open(n)).match('/offline/nieuw');
            if (r) return await r.text(); } return ''; }""")
    assert "ZQX" not in shell and "Nieuw signaal" in shell


@pytest.mark.usefixtures("world")
def test_a_lost_answer_does_not_store_a_second_signal(new_page, live_server):
    page = online_visit(new_page, live_server)
    context = page.context
    context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Antwoord gaat verloren")
    lost = []

    def lose_first_answer(route):
        if route.request.method == "POST" and not lost:
            route.fetch()  # the server stores it ...
            lost.append(True)
            route.abort("connectionreset")  # ... and the answer never arrives
        else:
            route.continue_()

    context.route("**/api/v1/signalen", lose_first_answer)
    context.set_offline(False)
    wait_for(lambda: lost and len(stored()) == 1, page)
    expect(queued(page)).to_have_count(1)  # not sure it arrived: it still waits
    page.reload()  # the next page load sends it again
    expect(queued(page)).to_have_count(0)
    page.wait_for_timeout(500)
    assert len(stored()) == 1


@pytest.mark.usefixtures("world")
def test_a_planted_phone_number_waits_as_nakijken_until_the_worker_decides(new_page, live_server):
    page = online_visit(new_page, live_server, real_csp=False)
    context = page.context
    context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Signaal met telefoon", "Bel de jongeren op 0470 12 34 56 als het weer misloopt.")
    context.set_offline(False)
    item = queued(page).first
    expect(item).to_contain_text("Nakijken")
    expect(item.locator("mark")).to_contain_text("0470 12 34 56")
    page.wait_for_timeout(500)
    assert stored() == []
    page.reload()  # a reload sends nothing: the worker decides
    expect(queued(page).first).to_contain_text("Nakijken")
    assert stored() == []
    page.context.set_offline(True)  # axe on the Nakijken state (assets from the service worker)
    page.reload()
    assert_accessible(page, "offline intake, Nakijken")
    page.context.set_offline(False)
    queued(page).first.get_by_role("button", name="Vervangen").click()
    rows = wait_for(lambda: stored(), page)
    assert "0470" not in rows[0]["omschrijving"]
    expect(queued(page)).to_have_count(0)


@pytest.mark.usefixtures("world")
def test_toch_bewaren_stores_it_with_the_finding_confirmed(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Signaal met telefoon", "Bel de jongeren op 0470 12 34 56 als het weer misloopt.")
    page.context.set_offline(False)
    expect(queued(page).first).to_contain_text("Nakijken")
    queued(page).first.get_by_role("button", name="Toch bewaren").click()
    rows = wait_for(lambda: stored(), page)
    assert "0470 12 34 56" in rows[0]["omschrijving"]


@pytest.mark.usefixtures("world")
def test_logging_out_with_a_waiting_signal_warns_and_clears_the_device(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Wacht nog")
    page.get_by_label("Titel").fill("Een concept dat blijft staan")  # a draft
    assert any(k.startswith("wachtrij:") for k in page.evaluate(IDB_KEYS))
    # Back online, but the sending is held back so the warning has something to warn about.
    page.context.route("**/api/v1/signalen", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    open_menu(page)
    page.get_by_role("button", name="Afmelden").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 signaal is nog niet verstuurd")
    dialog.get_by_role("button", name="Toch afmelden en wissen").click()
    page.wait_for_url(re.compile(r"/login/"))
    assert [k for k in page.evaluate(IDB_KEYS) if k.startswith("wachtrij:")] == []
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('signaalwerk:concept:'))") == []
    assert stored() == []


@pytest.mark.usefixtures("world")
def test_send_first_from_the_logout_warning(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Eerst versturen")
    blocked = {"on": True}
    page.context.route("**/api/v1/signalen",
                       lambda route: route.abort("internetdisconnected") if blocked["on"] else route.continue_())
    page.context.set_offline(False)
    open_menu(page)
    page.get_by_role("button", name="Afmelden").click()
    blocked["on"] = False
    page.get_by_role("dialog").get_by_role("button", name="Eerst versturen").click()
    page.wait_for_url(re.compile(r"/login/"))
    assert [r["titel"] for r in stored()] == ["Eerst versturen"]


@pytest.mark.usefixtures("world")
def test_another_user_never_sees_the_previous_users_queue(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Van werker")
    page.get_by_label("Titel").fill("Concept van werker")  # a draft, kept in localStorage
    page.context.route("**/api/v1/signalen", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    # werker's session ends without the logout form (the cookie is gone); voorzitter logs in on this browser
    page.context.clear_cookies()
    from tests.browser.support import login
    from tests.support import PASSWORD

    page.goto("/login/")  # the next person is told, before logging in, that someone's signals wait here
    expect(page.locator("#wachtrij-vorige")).to_contain_text("Op dit toestel wacht nog 1 signaal")
    login(page, live_server, "voorzitter", PASSWORD)
    page.goto("/signalen/nieuw")
    expect(page.locator("#wachtrij")).to_be_hidden()
    mine = "wachtrij:" + page.evaluate("document.body.dataset.gebruiker")
    wait_for(lambda: [k for k in page.evaluate(IDB_KEYS) if k.startswith("wachtrij:") and k != mine] == [], page)
    drafts = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('signaalwerk:concept:'))")
    assert [k for k in drafts if not k.endswith("-" + mine.split(":")[1])] == []
    expect(page.get_by_label("Titel")).to_have_value("")


@pytest.mark.usefixtures("world")
def test_an_expired_session_keeps_the_queue_and_sends_after_logging_in(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Na opnieuw aanmelden")
    # the session expires meanwhile: the API answers 401
    page.context.route("**/api/v1/signalen", lambda route: route.fulfill(
        status=401, content_type="application/json", body='{"detail": "Meld je eerst aan.", "status_code": 401}'))
    page.context.set_offline(False)
    expect(page.locator("#wachtrij-aanmelden")).to_be_visible()
    link = page.get_by_role("link", name="Meld je opnieuw aan")
    assert "next=/offline/nieuw" in (link.get_attribute("href") or "").replace("%2F", "/")
    assert stored() == []
    page.context.unroute("**/api/v1/signalen")
    page.reload()
    wait_for(lambda: stored(), page)
    expect(queued(page)).to_have_count(0)


@pytest.mark.usefixtures("world")
def test_edit_and_delete_in_the_wachtrij(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Eerst fout getypt")
    record(page, "Weg ermee")
    page.once("dialog", lambda d: d.accept())
    queued(page).nth(1).get_by_role("button", name="Verwijderen").click()
    expect(queued(page)).to_have_count(1)
    queued(page).first.get_by_role("button", name="Bewerken").click()
    expect(page.get_by_label("Titel")).to_have_value("Eerst fout getypt")
    page.get_by_label("Titel").fill("Nu juist getypt")
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(queued(page)).to_have_count(1)
    expect(queued(page).first).to_contain_text("Nu juist getypt")
    # The next signal's text is not wiped when the queue is sent later.
    page.get_by_label("Titel").fill("Volgend signaal, half getypt")
    page.context.set_offline(False)
    wait_for(lambda: [r["titel"] for r in stored()] == ["Nu juist getypt"], page)
    expect(queued(page)).to_have_count(0)
    expect(page.get_by_label("Titel")).to_have_value("Volgend signaal, half getypt")


@pytest.mark.usefixtures("world")
def test_wis_dit_toestel_clears_after_a_confirmation(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    record(page, "Te wissen")
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Wis dit toestel").click()
    expect(queued(page)).to_have_count(1)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Wis dit toestel").click()
    expect(queued(page)).to_have_count(0)
    assert [k for k in page.evaluate(IDB_KEYS) if k.startswith("wachtrij:")] == []


@pytest.mark.usefixtures("world")
def test_the_restored_draft_opens_the_details_that_hold_data(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.get_by_label("Titel").fill("Concept")
    page.locator("summary", has_text="Meer details").click()
    page.get_by_label("Waar?").fill("Vrijbroekpark")
    page.context.set_offline(True)
    page.goto("/offline/nieuw")
    expect(page.get_by_label("Waar?")).to_have_value("Vrijbroekpark")
    expect(page.get_by_label("Waar?")).to_be_visible()


@pytest.mark.usefixtures("world")
def test_installability_manifest_icons_and_a_controlling_worker(new_page, live_server):
    page = online_visit(new_page, live_server)
    page.reload()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope") == live_server + "/"
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.evaluate("async (u) => await (await fetch(u)).json()", href)
    assert manifest["name"] == "Signaalwerk" and manifest["short_name"]
    assert manifest["start_url"] == "/offline/nieuw" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        size = page.evaluate("""async (src) => { const img = new Image(); img.src = src; await img.decode();
                                return img.naturalWidth + 'x' + img.naturalHeight; }""", icon["src"])
        assert size == icon["sizes"]
    # the start_url opens offline
    page.context.set_offline(True)
    page.goto(manifest["start_url"])
    expect(page.get_by_role("heading", name="Nieuw signaal")).to_be_visible()


@pytest.mark.usefixtures("world")
def test_without_service_workers_the_intake_works_as_before(browser, live_server):
    from tests.browser.support import login
    from tests.support import PASSWORD

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-BE", base_url=live_server,
                                  service_workers="block")
    try:
        page = context.new_page()
        login(page, live_server, "werker", PASSWORD)
        page.goto("/signalen/nieuw")
        page.get_by_label("Titel").fill("Zonder service worker")
        page.get_by_label("Wat hoorde of zag je?").fill("Het formulier werkt zoals vroeger, online.")
        page.get_by_role("button", name="Signaal opslaan").click()
        page.wait_for_url(re.compile(r"/signalen/\d+/opgeslagen$"))
        assert page.evaluate("() => navigator.serviceWorker.controller") is None
        assert [r["titel"] for r in stored()] == ["Zonder service worker"]
        page.goto("/signalen/nieuw")
        expect(queued(page)).to_have_count(0)  # the kept copy of the post is gone once the page showed it
    finally:
        context.close()


@pytest.mark.usefixtures("world")
def test_an_online_form_post_that_cannot_leave_is_kept_and_sent_once(new_page, live_server):
    """navigator.onLine says online, yet the post fails: the service worker shows the kept intake, the signal waits
    in the queue (marked before the post left) and is sent once by the queue."""
    page = online_visit(new_page, live_server)
    blocked = {"on": True}

    def drop_form_post(route):
        if route.request.method == "POST" and blocked["on"]:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.context.route("**/signalen/nieuw", drop_form_post)
    page.context.route("**/api/v1/signalen", lambda route: route.abort("internetdisconnected")
                       if blocked["on"] else route.continue_())
    page.get_by_label("Titel").fill("Post die niet vertrekt")
    page.get_by_label("Wat hoorde of zag je?").fill("De verbinding viel weg net op het moment van opslaan.")
    page.get_by_role("button", name="Signaal opslaan").click()
    expect(page.locator("#wachtrij-melding")).to_have_text(SAVED_HERE)
    expect(queued(page)).to_have_count(1)
    assert stored() == []
    blocked["on"] = False
    page.reload()
    wait_for(lambda: stored(), page)
    expect(queued(page)).to_have_count(0)
    page.wait_for_timeout(500)
    assert [r["titel"] for r in stored()] == ["Post die niet vertrekt"]


@pytest.mark.usefixtures("world")
def test_a_flapping_connection_loses_nothing_and_stores_nothing_twice(new_page, live_server):
    """Five signals wait; the connection drops and returns again and again while every other answer is lost."""
    page = online_visit(new_page, live_server)
    context = page.context
    context.set_offline(True)
    page.goto("/offline/nieuw")
    for n in range(5):
        record(page, f"Wankel signaal {n}")
    answers = {"n": 0}

    def lose_every_other_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        answers["n"] += 1
        if answers["n"] % 2:
            route.fetch()  # stored, answer lost
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/api/v1/signalen", lose_every_other_answer)
    for _ in range(6):
        context.set_offline(False)
        page.wait_for_timeout(150)
        context.set_offline(True)
        page.wait_for_timeout(100)
    context.set_offline(False)
    for _ in range(8):  # each page load sends what still waits
        if queued(page).count() == 0 and len(stored()) == 5:
            break
        page.reload()
        page.wait_for_timeout(300)
    expect(queued(page)).to_have_count(0)
    rows = stored()
    assert sorted(r["titel"] for r in rows) == [f"Wankel signaal {n}" for n in range(5)]
    assert len({r["client_id"] for r in rows}) == 5


@pytest.mark.usefixtures("world")
def test_two_tabs_coming_online_together_send_each_signal_once(new_page, live_server):
    page = online_visit(new_page, live_server)
    context = page.context
    second = context.new_page()
    second.goto("/signalen/nieuw")
    context.set_offline(True)
    page.goto("/offline/nieuw")
    for n in range(6):
        record(page, f"Twee tabs {n}")
    second.reload()
    expect(queued(second)).to_have_count(6)
    context.set_offline(False)  # both tabs hear 'online'; the Web Lock lets one send
    wait_for(lambda: len(stored()) >= 6, page)
    expect(queued(page)).to_have_count(0)
    expect(queued(second)).to_have_count(0)
    page.wait_for_timeout(500)
    assert [r["titel"] for r in stored()] == [f"Twee tabs {n}" for n in range(6)]


@pytest.mark.usefixtures("world")
def test_a_new_service_worker_deletes_the_older_caches_on_activate(new_page, live_server):
    page = online_visit(new_page, live_server)
    current = page.evaluate("async () => await caches.keys()")
    assert len(current) == 1 and re.fullmatch(r"signaalwerk-shell-[0-9a-f]{12}", current[0])
    page.evaluate("""async () => {
        await (await caches.open('signaalwerk-shell-000000000000')).put('/static/oud.css', new Response('oud'));
        await (await navigator.serviceWorker.getRegistration()).unregister();
    }""")
    assert len(page.evaluate("async () => await caches.keys()")) == 2
    page.reload()  # offline.js registers the worker again: install, then activate
    wait_for(lambda: page.evaluate("async () => await caches.keys()") == current, page)
