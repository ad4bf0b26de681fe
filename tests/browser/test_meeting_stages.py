"""The meeting's stages in Chromium: the stepper on the meeting page (current stage announced as the step), the
minutes linked once the meeting was held, the attendance correction with its history — accessible (axe) and without
horizontal scrolling at 360 px."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from common.dates import today
from overleg.tables import Vergadering
from tests.browser.support import assert_accessible, click_and_wait, logged_in, scroll_width
from tests.overleg.test_vergaderingen import add_dossier, make_dossier, make_meeting, make_overleg
from tests.support import sync


def test_the_chair_follows_the_stages_to_the_minutes_on_a_phone(new_page, live_server, world, werker, voorzitter):
    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Laatste bus te vroeg", [5, 20, 40])
    meeting = make_meeting(voorzitter, overleg["id"])
    add_dossier(voorzitter, meeting, dossier)
    sync(Vergadering.update({Vergadering.datum: today() - dt.timedelta(days=1)}).where(Vergadering.id == meeting))
    phone = logged_in(new_page, live_server, "voorzitter")
    phone.goto(f"/vergaderingen/{meeting}")
    current = phone.locator('.stappen [aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Vergadering")
    assert scroll_width(phone) <= 360
    assert_accessible(phone, "/vergaderingen/{id} (stappen)")

    group = phone.locator("#aanwezigheid").get_by_role("group", name="CAW Boven-Schelde")
    group.get_by_label("Aanwezig", exact=True).check()
    click_and_wait(phone, phone.locator("#aanwezigheid").get_by_role("button", name="Aanwezigheid bewaren"))
    phone.locator("#aanwezigheid").get_by_role("group", name="CAW Boven-Schelde").get_by_label(
        "Afwezig", exact=True).check()
    click_and_wait(phone, phone.locator("#aanwezigheid").get_by_role("button", name="Aanwezigheid bewaren"))
    expect(phone.locator("#deelnemers")).to_contain_text("Aanwezig → Afwezig, door Voorzitter Test")
    phone.goto(f"/vergaderingen/{meeting}/leiden")  # closing is done where the meeting is run
    phone.get_by_role("button", name="Vergadering afsluiten").click()  # the confirmation dialog (confirm.js)
    dialog = phone.get_by_role("dialog", name="Vergadering afsluiten?")
    early = dialog.get_by_label("ik sluit deze vergadering af vóór haar datum")
    if early.count():
        early.check()
    click_and_wait(phone, dialog.get_by_role("button", name="Afsluiten"))
    phone.goto(f"/vergaderingen/{meeting}")
    expect(phone.locator('.stappen [aria-current="step"]')).to_contain_text("Nog niet opgesteld")
    click_and_wait(phone, phone.get_by_role("link", name="Verslag (nog niet opgesteld)"))
    assert phone.url.endswith(f"/vergaderingen/{meeting}/verslag")
    phone.goto("/")
    expect(phone.locator(".card", has_text="Vorige vergadering")).to_contain_text("nog niet opgesteld")
    assert scroll_width(phone) <= 360
    assert_accessible(phone, "/ (voorzitter, vorige vergadering)")
