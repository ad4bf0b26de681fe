"""Issue 12 item 2 in Chromium: the confirmation dialog of static/js/confirm.js under the app's real CSP, by keyboard
only — Tab to "Uit dossier", Enter opens the dialog with focus on its confirming button, Escape cancels (nothing
changes, focus back on the button), Enter twice removes the signal; "Ongedaan maken" puts it back. Closing a meeting
before its date: the dialog insists on its checkbox."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from common.dates import today
from tests.browser import support
from tests.browser.support import assert_accessible
from tests.support import sync

DESKTOP = (1280, 800)
TIMEOUT = 20_000


def dossier_with_signal(world) -> tuple[int, int]:
    from admin.sessions import resolve_user
    from overleg.dossiers import services as dossiers
    from signalen.services import create_signaal

    async def run() -> tuple[int, int]:
        worker = await resolve_user(world.users["werker"])
        chair = await resolve_user(world.users["voorzitter"])
        data = {"gemeente": "mechelen", "titel": "Geen plek aan het station", "omschrijving": "Weggestuurd.",
                "datum": today().isoformat(), "bron": "straat", "levensdomein": "vrije-tijd",
                "signaaltype": "mobiliteit", "aantal_jongeren": 4, "leeftijd": "12-15", "citaten": []}
        signaal = await create_signaal(worker, data)
        dossier = await dossiers.create_dossier(chair, "mechelen", "Ontmoetingsplekken", "", [signaal["id"]])
        return dossier["id"], signaal["id"]

    return sync(run())


def dossier_of(signaal_id: int) -> int | None:
    from signalen.tables import Signaal

    return sync(Signaal.select(Signaal.dossier).where(Signaal.id == signaal_id).first())["dossier"]


def test_the_dialog_by_keyboard_cancels_confirms_and_undoes(new_page, live_server, world):
    dossier_id, signaal_id = dossier_with_signal(world)
    chair = support.logged_in(new_page, live_server, "voorzitter", DESKTOP, timeout=TIMEOUT, bypass_csp=False)
    chair.goto(f"/dossiers/{dossier_id}")
    button = chair.get_by_role("button", name=re.compile("^Uit dossier"))
    chair.get_by_role("link", name="Geen plek aan het station").focus()
    chair.keyboard.press("Tab")
    expect(button).to_be_focused()

    chair.keyboard.press("Enter")
    dialog = chair.get_by_role("dialog", name="Signaal uit het dossier halen?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Het signaal ‘Geen plek aan het station’ gaat uit dit dossier")
    expect(dialog.get_by_role("button", name="Uit dossier")).to_be_focused()
    chair.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    assert dossier_of(signaal_id) == dossier_id and chair.url.endswith(f"/dossiers/{dossier_id}")

    chair.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Annuleren")).to_be_visible()
    with chair.expect_navigation(timeout=TIMEOUT):
        chair.keyboard.press("Enter")
    expect(chair.locator(".flash")).to_contain_text("uit het dossier gehaald", timeout=TIMEOUT)
    assert dossier_of(signaal_id) is None

    with chair.expect_navigation(timeout=TIMEOUT):
        chair.locator(".flash").get_by_role("button", name="Ongedaan maken").click()
    expect(chair.locator(".flash")).to_contain_text("Signalen toegevoegd.", timeout=TIMEOUT)
    assert dossier_of(signaal_id) == dossier_id


def test_the_open_dialog_is_accessible(new_page, live_server, world):
    dossier_id, _ = dossier_with_signal(world)
    chair = support.logged_in(new_page, live_server, "voorzitter", DESKTOP, timeout=TIMEOUT)  # axe needs inline
    chair.goto(f"/dossiers/{dossier_id}")
    chair.get_by_role("button", name=re.compile("^Uit dossier")).click()
    expect(chair.get_by_role("dialog")).to_be_visible()
    assert_accessible(chair, "/dossiers/{id} (bevestiging open)")


def test_closing_early_insists_on_the_checkbox(new_page, live_server, world):
    from overleg.tables import Overleg, Vergadering

    async def run() -> int:
        overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        await overleg.save()
        meeting = Vergadering(overleg=overleg.id, datum=today() + dt.timedelta(days=7), begin=dt.time(19, 30))
        await meeting.save()
        return meeting.id

    vid = sync(run())
    chair = support.logged_in(new_page, live_server, "voorzitter", DESKTOP, timeout=TIMEOUT, bypass_csp=False)
    chair.goto(f"/vergaderingen/{vid}/leiden")
    chair.get_by_role("button", name="Vergadering afsluiten").focus()
    chair.keyboard.press("Enter")
    dialog = chair.get_by_role("dialog", name="Vergadering afsluiten?")
    check = dialog.get_by_role("checkbox", name="ik sluit deze vergadering af vóór haar datum")
    expect(check).to_be_focused()
    dialog.get_by_role("button", name="Afsluiten").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Vink aan")
    expect(check).to_be_focused()
    chair.keyboard.press("Space")
    with chair.expect_navigation(timeout=TIMEOUT):
        dialog.get_by_role("button", name="Afsluiten").click()
    expect(chair.locator(".flash")).to_contain_text("De vergadering is afgesloten.", timeout=TIMEOUT)
    status = sync(Vergadering.select(Vergadering.status).where(Vergadering.id == vid).first())["status"]
    assert status == "gehouden"
