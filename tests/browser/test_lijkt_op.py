""""Lijkt op" in Chromium at 360 px: as a worker types a new signal, similar recent signals of the gemeente appear
with their dates in a live region, and a suggested type that one button puts in the select; the draft text never
travels in a URL. Under the app's real CSP (lijkt-op.js is a file, no inline script)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.support import assert_accessible, logged_in
from tests.support import sync

BUS = ("De laatste bus rijdt te vroeg", "Geen vervoer terug na de training", "De bus naar huis is al weg",
       "Na de jeugdbeweging rijdt er geen bus meer")


def _stored(world) -> None:
    from admin.sessions import resolve_user
    from common.dates import today
    from signalen.embeddings import embed_missing
    from signalen.services import create_signaal

    async def run() -> None:
        user = await resolve_user(world.users["werker"])
        for titel in BUS:
            await create_signaal(user, {"gemeente": "mechelen", "titel": titel,
                                        "omschrijving": "Ze geraken niet thuis.", "datum": today().isoformat(),
                                        "plek": "Station",
                                        "signaaltype": "mobiliteit", "levensdomein": "vrije-tijd"})
        await embed_missing()

    sync(run())


def test_typing_shows_lijkt_op_with_dates_and_a_suggested_type(world, new_page, live_server):
    _stored(world)
    page = logged_in(new_page, live_server, "werker", bypass_csp=False)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto("/signalen/nieuw")
    page.get_by_label("Titel").press_sequentially("s Avonds geen bus meer", delay=20)
    hint = page.locator("#lijkt-op")
    expect(hint).to_be_visible(timeout=10_000)
    assert hint.get_attribute("aria-live") == "polite"
    expect(hint).to_contain_text("Lijkt op:")
    expect(hint).to_contain_text(re.compile(r"\d\d/\d\d/\d{4}"))
    expect(hint).to_contain_text("Voorstel soort signaal: Mobiliteit")
    page.get_by_role("button", name="Kies Mobiliteit").click()
    expect(page.locator("#veld-signaaltype")).to_have_value("mobiliteit")
    assert not [u for u in urls if "bus" in u.lower()]  # the typed text went in the POST body only
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_fewer_than_three_words_show_nothing(world, new_page, live_server):
    _stored(world)
    page = logged_in(new_page, live_server, "werker", bypass_csp=False)
    page.goto("/signalen/nieuw")
    page.get_by_label("Titel").press_sequentially("Bus weg", delay=20)
    page.wait_for_timeout(1500)
    expect(page.locator("#lijkt-op")).to_be_hidden()


def test_the_intake_with_a_hint_stays_accessible(world, new_page, live_server):
    _stored(world)
    page = logged_in(new_page, live_server, "werker")
    page.goto("/signalen/nieuw")
    page.get_by_label("Titel").press_sequentially("s Avonds geen bus meer", delay=20)
    expect(page.locator("#lijkt-op")).to_be_visible(timeout=10_000)
    assert_accessible(page, "intake met Lijkt op")

