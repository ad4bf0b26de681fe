"""Bovenlokaal in Chromium, end to end: the coördinator sees a theme that recurs in Mechelen and Hoeilaart, composes a
bovenlokale nota from it and downloads its PDF (both gemeenten's counts, no Hoeilaart signal text); werker2 of
Hoeilaart sees Mechelen at most as numbers and never its signals; axe-core finds no serious or critical violation on
the dashboards, /inzicht/ and /bovenlokaal/."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.support import assert_accessible, click_and_wait, logged_in
from tests.support import pdf_text, sync

DESKTOP = (1280, 900)
ADRESSAAT = "Vlaams minister van Mobiliteit"

MECHELEN = [
    ("Laatste bus te vroeg na de training", "Na de training in de sporthal rijdt er geen bus meer naar Walem.",
     "Sporthal Nekkerspoel", "Om negen uur staan we alleen aan de halte."),
    ("Laatste bus te vroeg voor jobstudenten", "Wie tot sluitingstijd in de winkelstraat werkt, mist de bus.",
     "Bruul", "Mijn baas laat me vroeger gaan voor de bus."),
    ("Laatste bus te vroeg na het jeugdhuis", "Na de fuif in het jeugdhuis is er geen vervoer naar Heffen.",
     "Jeugdhuis Rzoom", "We bellen elke keer onze ouders."),
]
HOEILAART = [
    ("Laatste bus te vroeg naar Overijse", "De belbus in de Druivenstreek stopt al om acht uur.",
     "Druivenstreek", "In Hoeilaart wachten we een uur op niets."),
    ("Laatste bus te vroeg na de muziekschool", "Na de les in de muziekschool van Hoeilaart rijdt er niets meer.",
     "Muziekschool Hoeilaart", "Mijn cello is te zwaar om te voet mee te nemen."),
    ("Laatste bus te vroeg voor de scouts", "De scouts van Groenendaal raken niet thuis na de vergadering.",
     "Groenendaal", "Zondagavond is er gewoon geen bus."),
]
# What a stranger to the gemeente must never read: descriptions, places and quotes of its signals.
MECHELEN_TEXT = [s[1] for s in MECHELEN] + [s[3] for s in MECHELEN] + ["Sporthal Nekkerspoel", "Jeugdhuis Rzoom"]
HOEILAART_TEXT = [s[1] for s in HOEILAART] + [s[3] for s in HOEILAART] + ["Muziekschool Hoeilaart", "Druivenstreek"]
ID_IN_URL = re.compile(r"/notas/(\d+)")


def create_signals(world) -> None:
    """Three signals about the last bus in each gemeente, same signaaltype, recorded by each gemeente's worker."""
    from admin.sessions import resolve_user
    from common.dates import today
    from signalen.services import create_signaal

    async def run() -> None:
        for worker, gemeente, signals in (("werker", "mechelen", MECHELEN), ("werker2", "hoeilaart", HOEILAART)):
            user = await resolve_user(world.users[worker])
            for number, (titel, omschrijving, plek, citaat) in enumerate(signals):
                await create_signaal(user, {
                    "gemeente": gemeente, "titel": titel, "omschrijving": omschrijving, "plek": plek,
                    "datum": (today() - dt.timedelta(days=20 - number)).isoformat(), "bron": "straat",
                    "levensdomein": "vrije-tijd", "signaaltype": "mobiliteit", "aantal_jongeren": 4,
                    "leeftijd": "16-18", "citaten": [citaat],
                })

    sync(run())




def assert_hidden(page, texts: list[str], where: str) -> None:
    body = page.locator("body").inner_text()
    leaked = [t for t in texts if t in body]
    assert not leaked, f"{where} shows another gemeente's signal text: {leaked}"


def test_coordinator_composes_a_bovenlokale_nota_and_others_see_only_numbers(new_page, live_server, world):
    create_signals(world)

    # -- 1. the coördinator sees the theme recurring in Mechelen and Hoeilaart
    coordinator = logged_in(new_page, live_server, "coordinator", DESKTOP)
    assert_accessible(coordinator, "dashboard (coordinator)")
    response = coordinator.goto("/bovenlokaal/")
    assert response.status == 200
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Bovenlokale thema's")
    assert_accessible(coordinator, "/bovenlokaal/")
    theme = coordinator.locator("section.thema").filter(
        has=coordinator.get_by_role("heading", level=2, name=re.compile("Mobiliteit")))
    expect(theme).to_have_count(1)
    expect(theme.get_by_role("row", name=re.compile(r"^Mechelen"))).to_contain_text("3")
    hoeilaart_row = theme.get_by_role("row", name=re.compile(r"^Hoeilaart"))
    expect(hoeilaart_row).to_contain_text("(cijfers)")
    expect(hoeilaart_row).to_contain_text("3")
    assert_hidden(coordinator, HOEILAART_TEXT, "/bovenlokaal/")

    # -- 2. composes a bovenlokale nota from it: the form holds the aggregates and only the bovenlokale adressaat
    response = click_and_wait(coordinator, theme.get_by_role("button", name="Bovenlokale nota opstellen"))
    assert response.status == 200 and "/notas/nieuw?" in coordinator.url and "thema=type-" in coordinator.url
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Nieuwe signaalnota")
    expect(coordinator.get_by_role("radio", name="Bovenlokaal")).to_be_checked()
    expect(coordinator.get_by_role("radio", name="College van burgemeester en schepenen")).to_have_count(0)
    expect(coordinator.get_by_label("Onderwerp (verplicht)")).to_have_value(re.compile("Mobiliteit"))
    preview = coordinator.locator("section.card", has=coordinator.get_by_role("heading", name=re.compile(
        "Bovenlokaal thema")))
    expect(preview.get_by_role("row", name=re.compile(r"^Hoeilaart"))).to_contain_text("3")
    assert_accessible(coordinator, "/notas/nieuw (bovenlokaal thema)")
    assert_hidden(coordinator, HOEILAART_TEXT, "/notas/nieuw")

    coordinator.get_by_label("Onderwerp (verplicht)").fill("Laatste bus te vroeg in de regio")
    coordinator.get_by_label("Bovenlokale adressaat").fill(ADRESSAAT)
    response = click_and_wait(coordinator, coordinator.get_by_role("button", name="Concept aanmaken"))
    assert response.status == 200 and re.search(r"/notas/\d+/bewerken$", coordinator.url), coordinator.url
    nota_id = int(ID_IN_URL.search(coordinator.url).group(1))
    expect(coordinator.locator("body")).to_contain_text("Bovenlokaal concept aangemaakt")
    onderbouwing = coordinator.locator("textarea[name=sectie_onderbouwing]")
    expect(onderbouwing).to_have_value(re.compile(r"\| Hoeilaart \| 3 \|"))
    assert_hidden(coordinator, HOEILAART_TEXT, "/notas/bewerken")
    advies = coordinator.locator("textarea[name=sectie_advies]")
    advies.fill("Vraag De Lijn om de laatste bus in beide gemeenten een uur later te laten rijden.")
    response = click_and_wait(coordinator, coordinator.get_by_role("button", name="Opslaan", exact=True))
    assert response.status == 200 and coordinator.url.endswith(f"/notas/{nota_id}"), coordinator.url
    expect(coordinator.locator("body")).to_contain_text("Nota opgeslagen.")

    # -- 3. and downloads its PDF: both gemeenten's counts, no Hoeilaart signal text
    pdf = coordinator.context.request.get(f"/notas/{nota_id}/pdf")
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf")
    text = " ".join(pdf_text(pdf.body()).split())
    assert re.search(r"Mechelen 3 0", text) and re.search(r"Hoeilaart 3 0", text), text[:3000]
    assert ADRESSAAT in text and "een uur later" in text
    leaked = [t for t in HOEILAART_TEXT if t in text]
    assert not leaked, f"the PDF quotes Hoeilaart: {leaked}"

    # -- 4. werker2 (Hoeilaart) sees Mechelen only as numbers at most, never its signals
    outsider = logged_in(new_page, live_server, "werker2")
    assert outsider.goto("/inzicht/?gemeente=mechelen").status == 404
    assert outsider.goto("/bovenlokaal/").status == 404
    assert outsider.goto(f"/notas/{nota_id}/pdf").status == 404
    assert outsider.context.request.get(f"/notas/{nota_id}/pdf").status == 404
    for url in ("/", "/signalen/", "/inzicht/"):
        assert outsider.goto(url).status == 200, url
        assert_hidden(outsider, MECHELEN_TEXT, f"{url} (werker2)")
    expect(outsider.locator("body")).not_to_contain_text("Nekkerspoel")


def test_dashboards_and_inzicht_have_no_serious_axe_violations(new_page, live_server, world):
    create_signals(world)
    for username in ("werker", "voorzitter", "partner", "coordinator"):
        page = logged_in(new_page, live_server, username, DESKTOP)
        assert_accessible(page, f"dashboard ({username})")
        if username in ("werker", "coordinator"):
            assert page.goto("/inzicht/").status == 200
            assert_accessible(page, f"/inzicht/ ({username})")
        if username == "coordinator":
            assert page.goto("/bovenlokaal/").status == 200
            assert_accessible(page, "/bovenlokaal/ (coordinator)")
        page.context.close()
