"""The jeugdwelzijnsoverleg in Chromium, end to end: the chair starts the overleg of Mechelen, adds CAW Mechelen and
links the partner user to it, bundles three signals from a suggestion into a dossier, builds and publishes the agenda,
runs the meeting on a tablet (notes, functions, attendance, an action for the partner) and downloads the minutes as
PDF; the partner sees the published agenda and updates their action; a werker of another gemeente gets 404s; axe-core
finds no serious or critical violation on any of the overleg pages."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from common.dates import today
from tests.browser.support import assert_accessible, click_and_wait, logged_in
from tests.support import pdf_text, sync

TABLET = (1024, 768)
PARTNER_NAAM = "CAW Mechelen"
ACTIE = "CAW bekijkt met De Lijn een latere bus op vrijdag"
NOTITIE_DOSSIER = "De partners herkennen het probleem: na 21 uur rijdt er geen bus meer naar de deelgemeenten."
NOTITIE_RONDVRAAG = "Het jeugdhuis vraagt om de volgende vergadering daar te houden."

BUS = [
    ("Laatste bus naar huis vertrekt te vroeg", "Na de training in de sporthal is er geen bus meer naar huis. "
                                                "De laatste bus vertrekt al om 21 uur.", "Station"),
    ("Geen bus meer na 21 uur", "Jongeren van de voetbalclub missen de laatste bus en moeten te voet naar huis.",
     "Station"),
    ("Laatste bus te vroeg voor jobstudenten", "Wie tot sluitingstijd werkt, haalt de laatste bus naar huis niet.",
     "Station"),
]
PLEK = [
    ("Geen ontmoetingsplek voor tieners in Nekkerspoel", "Tieners hebben geen ontmoetingsplek om samen te zitten "
                                                         "zonder iets te moeten kopen.", "Nekkerspoel"),
    ("Tieners weggestuurd van het plein", "Op het plein worden tieners weggestuurd; er is geen ontmoetingsplek.",
     "Nekkerspoel"),
    ("Nood aan een overdekte ontmoetingsplek", "Als het regent hebben de tieners geen ontmoetingsplek in de wijk.",
     "Nekkerspoel"),
]
ID_IN_URL = re.compile(r"/(\d+)(?:[/?#].*)?$")


# ---------------------------------------------------------------- helpers

def create_signals(world) -> list[int]:
    """Three signals about the last bus and three about a meeting place, recorded by `werker` through the service."""
    from admin.sessions import resolve_user
    from signalen.services import create_signaal

    async def run() -> list[int]:
        user = await resolve_user(world.users["werker"])
        ids = []
        for number, (titel, omschrijving, plek, extra) in enumerate(
                [(*s, {"signaaltype": "mobiliteit", "levensdomein": "vrije-tijd"}) for s in BUS]
                + [(*s, {}) for s in PLEK]):
            data = {
                "gemeente": "mechelen", "titel": titel, "omschrijving": omschrijving, "plek": plek,
                "datum": (today() - dt.timedelta(days=10 - number)).isoformat(), "bron": "straat",
                "levensdomein": "ruimte", "signaaltype": "te-weinig-ontmoetingsplekken", "aantal_jongeren": 5,
                "leeftijd": "12-15", "citaten": [], **extra,
            }
            ids.append((await create_signaal(user, data))["id"])
        return ids

    return sync(run())


def statuses(signaal_ids: list[int]) -> set[str]:
    from signalen.tables import Signaal

    return {row["status"] for row in sync(Signaal.select(Signaal.status).where(Signaal.id.is_in(signaal_ids)))}




def id_from(url: str) -> int:
    match = ID_IN_URL.search(url)
    assert match, f"no id in {url}"
    return int(match.group(1))


def flash(page, text: str):
    expect(page.locator("body")).to_contain_text(text)


# ---------------------------------------------------------------- the flow

def test_chair_runs_an_overleg_from_suggestion_to_minutes_and_partner_follows_up(new_page, live_server, world):
    bus_ids = create_signals(world)[:3]

    # -- 1. the chair starts the overleg of Mechelen on a phone, adds CAW Mechelen and links the partner user
    chair = logged_in(new_page, live_server, "voorzitter")
    chair.goto("/overleg/")
    expect(chair.get_by_role("heading", name="Een overleg opstarten")).to_be_visible()
    expect(chair.get_by_label("Naam (verplicht)")).to_have_value("Jeugdwelzijnsoverleg Mechelen")
    response = click_and_wait(chair, chair.get_by_role("button", name="Overleg aanmaken"))
    assert response.status == 200 and re.search(r"/overleg/\d+$", chair.url), chair.url
    overleg_id = id_from(chair.url)
    flash(chair, "Het overleg is aangemaakt.")
    expect(chair.get_by_role("heading", level=1)).to_have_text("Jeugdwelzijnsoverleg Mechelen")

    chair.locator("#partners summary", has_text="Partner toevoegen").click()
    chair.get_by_label("Naam van de organisatie (verplicht)").fill(PARTNER_NAAM)
    chair.get_by_label("Soort").select_option(label="CAW")
    chair.get_by_label("Andere lokale netwerken waarin de partner zit").fill("Lokaal overleg kinderarmoede")
    click_and_wait(chair, chair.get_by_role("button", name="Partner toevoegen", exact=True))
    flash(chair, f"{PARTNER_NAAM} is toegevoegd.")
    partners = chair.locator("#partners")
    expect(partners).to_contain_text(PARTNER_NAAM)
    expect(partners).to_contain_text("Zit ook in: Lokaal overleg kinderarmoede")

    leden = chair.locator("#leden")
    partner_row = leden.get_by_role("row").filter(has=chair.get_by_role("rowheader", name=re.compile("^Partner")))
    partner_row.get_by_label(re.compile("^Organisatie van Partner")).select_option(label=PARTNER_NAAM)
    click_and_wait(chair, partner_row.get_by_role("button", name="Koppelen"))
    flash(chair, f"zit in het overleg voor {PARTNER_NAAM}.")
    selected = chair.locator("#leden").get_by_role("row").filter(
        has=chair.get_by_role("rowheader", name=re.compile("^Partner"))).get_by_role("combobox")
    expect(selected).to_have_value(re.compile(r"^\d+$"))
    assert selected.evaluate("el => el.options[el.selectedIndex].text") == PARTNER_NAAM
    assert_accessible(chair, "/overleg/{id}")

    # -- 2. bundle the three bus signals from a suggestion, in one click
    chair.goto("/dossiers/suggesties?gemeente=mechelen")
    expect(chair.get_by_role("heading", level=1)).to_have_text("Bundelvoorstellen voor Mechelen")
    assert_accessible(chair, "/dossiers/suggesties")
    bus_card = chair.locator("article.dossier-voorstel").filter(
        has=chair.locator(f'a[href="/signalen/{bus_ids[0]}"]'))
    expect(bus_card).to_have_count(1)
    for signaal_id in bus_ids:
        expect(bus_card.locator(f'a[href="/signalen/{signaal_id}"]')).to_have_count(1)
    expect(bus_card.locator(".dossier-reden")).to_contain_text("bus")
    bus_card.get_by_label("Titel van het nieuwe dossier").fill("Laatste bus te vroeg")
    click_and_wait(chair, bus_card.get_by_role("button", name=re.compile("^Maak dossier")))
    flash(chair, f"Dossier ‘Laatste bus te vroeg’ gemaakt met {len(bus_ids)} signalen.")
    link = chair.locator(".flash").get_by_role("link", name="Naar het dossier")
    dossier_id = int(re.search(r"/dossiers/(\d+)$", link.get_attribute("href")).group(1))
    expect(chair.locator(f'a[href="/signalen/{bus_ids[0]}"]')).to_have_count(0)  # no longer proposed

    chair.goto(f"/dossiers/{dossier_id}")
    expect(chair.get_by_role("heading", level=1)).to_contain_text("Laatste bus te vroeg")
    for signaal_id in bus_ids:
        expect(chair.locator(f'a[href="/signalen/{signaal_id}"]').first).to_be_visible()
    assert_accessible(chair, "/dossiers/{id}")

    # -- 3. a meeting a week ahead, its agenda built from the proposals plus a free point, then published
    chair.goto(f"/vergaderingen/nieuw?overleg={overleg_id}")
    datum = today() + dt.timedelta(days=7)
    chair.get_by_label("Datum").fill(datum.isoformat())
    chair.get_by_label("Beginuur").fill("19:30")
    chair.get_by_label("Plaats").fill("Jeugdhuis De Pit")
    expect(chair.get_by_role("checkbox", name=PARTNER_NAAM)).to_be_checked()
    click_and_wait(chair, chair.get_by_role("button", name="Vergadering aanmaken"))
    assert re.search(r"/vergaderingen/\d+$", chair.url), chair.url
    vergadering_id = id_from(chair.url)
    flash(chair, "Vergadering aangemaakt.")
    expect(chair.locator(".note")).to_contain_text("nog een concept")

    voorstellen = chair.locator("#voorstellen")
    expect(voorstellen.get_by_role("link", name="Laatste bus te vroeg")).to_be_visible()
    click_and_wait(chair, voorstellen.get_by_role("button", name=re.compile("^Op de agenda.*Laatste bus te vroeg")))
    flash(chair, "Punt toegevoegd aan de agenda.")
    chair.get_by_label("Soort").select_option(label="Rondvraag")
    click_and_wait(chair, chair.get_by_role("button", name="Punt toevoegen"))
    agenda = chair.locator("#agenda ol.agenda > li")
    expect(agenda).to_have_count(2)
    expect(agenda.nth(0).get_by_role("heading")).to_have_text("Laatste bus te vroeg")
    expect(agenda.nth(1).get_by_role("heading")).to_have_text("Rondvraag")

    # order: the rondvraag up, then back down; duration of the dossier point 30 minutes
    click_and_wait(chair, chair.get_by_role("button", name=re.compile("Omhoog.*Rondvraag")))
    expect(agenda.nth(0).get_by_role("heading")).to_have_text("Rondvraag")
    click_and_wait(chair, chair.get_by_role("button", name=re.compile("Omlaag.*Rondvraag")))
    expect(agenda.nth(0).get_by_role("heading")).to_have_text("Laatste bus te vroeg")
    duur = chair.get_by_label(re.compile(r"Duur \(min\.\).*van Laatste bus te vroeg"))
    duur.fill("30")
    click_and_wait(chair, chair.get_by_role("button", name=re.compile("Bewaar.*de duur van Laatste bus te vroeg")))
    flash(chair, "Duur aangepast.")
    expect(chair.locator("p.einde")).to_contain_text("Gepland einde: 20:10")  # 19:30 + 30 + 10

    partner = logged_in(new_page, live_server, "partner")
    assert partner.goto(f"/vergaderingen/{vergadering_id}").status == 404  # a concept agenda stays hidden
    partner.goto("/")
    expect(partner.get_by_role("region", name="Voor partners")).to_contain_text("Geen gepubliceerde agenda's.")

    click_and_wait(chair, chair.get_by_role("button", name="Agenda publiceren"))
    flash(chair, "De agenda is gepubliceerd")
    expect(chair.get_by_role("heading", name="Gepubliceerd")).to_be_visible()
    assert statuses(bus_ids) == {"geagendeerd"}
    assert_accessible(chair, "/vergaderingen/{id}")

    # -- 4. running the meeting on a tablet
    tablet = logged_in(new_page, live_server, "voorzitter", TABLET)
    tablet.goto(f"/vergaderingen/{vergadering_id}")
    click_and_wait(tablet, tablet.get_by_role("link", name="Vergadering leiden"))
    assert tablet.url.endswith(f"/vergaderingen/{vergadering_id}/leiden"), tablet.url
    expect(tablet.locator("#kop-punt")).to_have_text("Laatste bus te vroeg")
    assert_accessible(tablet, "/vergaderingen/{id}/leiden")

    aanwezig = tablet.get_by_role("group", name=PARTNER_NAAM)
    aanwezig.get_by_label("Aanwezig", exact=True).check()
    click_and_wait(tablet, tablet.get_by_role("button", name="Aanwezigheid bewaren"))
    flash(tablet, "Aanwezigheid bewaard.")
    expect(tablet.get_by_role("group", name=PARTNER_NAAM).get_by_label("Aanwezig", exact=True)).to_be_checked()

    # the dossier point: notes (saved by the button through the autosave script), signaal & advies, an action
    tablet.get_by_label("Notities (forum: wat werd uitgewisseld)").fill(NOTITIE_DOSSIER)
    tablet.get_by_label("Besluit", exact=True).fill("We vragen een latere bus aan De Lijn.")
    tablet.get_by_role("button", name="Notities bewaren").click()
    expect(tablet.locator(".autosave-status")).to_contain_text("Bewaard om")

    tablet.get_by_role("checkbox", name=re.compile("^Actie —")).check()
    tablet.get_by_role("checkbox", name=re.compile("^Signaal & advies")).check()
    click_and_wait(tablet, tablet.get_by_role("button", name="Functies bewaren"))
    flash(tablet, "Functies van het punt bewaard.")
    expect(tablet.get_by_role("checkbox", name=re.compile("^Signaal & advies"))).to_be_checked()
    assert statuses(bus_ids) == {"in_actie"}
    expect(tablet.get_by_label("Notities (forum: wat werd uitgewisseld)")).to_have_value(NOTITIE_DOSSIER)

    tablet.get_by_label("Wat", exact=True).fill(ACTIE)
    tablet.get_by_label("Trekker (partner)").select_option(label=PARTNER_NAAM)
    deadline = today() + dt.timedelta(days=30)
    tablet.get_by_label("Deadline").fill(deadline.isoformat())
    tablet.get_by_role("radio", name="Bijschakelen").check()
    click_and_wait(tablet, tablet.get_by_role("button", name="Actie toevoegen"))
    flash(tablet, "Actie toegevoegd.")
    acties = tablet.locator("#acties ul.acties")
    expect(acties).to_contain_text(ACTIE)
    expect(acties).to_contain_text(PARTNER_NAAM)
    expect(acties).to_contain_text(deadline.strftime("%d/%m/%Y"))

    # the rondvraag: a forum point with notes
    click_and_wait(tablet, tablet.get_by_role("link", name="Rondvraag →"))
    expect(tablet.locator("#kop-punt")).to_have_text("Rondvraag")
    tablet.get_by_label("Notities (forum: wat werd uitgewisseld)").fill(NOTITIE_RONDVRAAG)
    tablet.get_by_role("button", name="Notities bewaren").click()
    expect(tablet.locator(".autosave-status")).to_contain_text("Bewaard om")
    tablet.get_by_role("checkbox", name=re.compile("^Forum —")).check()
    click_and_wait(tablet, tablet.get_by_role("button", name="Functies bewaren"))
    flash(tablet, "Functies van het punt bewaard.")
    expect(tablet.get_by_role("checkbox", name=re.compile("^Forum —"))).to_be_checked()
    expect(tablet.get_by_label("Notities (forum: wat werd uitgewisseld)")).to_have_value(NOTITIE_RONDVRAAG)
    assert_accessible(tablet, "/vergaderingen/{id}/leiden (met acties)")
    tablet.get_by_role("button", name="Vergadering afsluiten").click()  # the confirmation dialog (confirm.js)
    dialog = tablet.get_by_role("dialog", name="Vergadering afsluiten?")
    dialog.get_by_label("ik sluit deze vergadering af vóór haar datum").check()  # the meeting is next week
    click_and_wait(tablet, dialog.get_by_role("button", name="Afsluiten"))
    flash(tablet, "De vergadering is afgesloten.")
    expect(tablet.get_by_role("button", name="Agenda publiceren")).to_have_count(0)

    # -- 5. the minutes: page and PDF
    tablet.goto(f"/vergaderingen/{vergadering_id}/verslag")
    verslag = tablet.locator(".verslag-tekst")
    for text in ("Laatste bus te vroeg", "Rondvraag", NOTITIE_DOSSIER, NOTITIE_RONDVRAAG, ACTIE, PARTNER_NAAM,
                 "Aanwezig", "Signaal & advies", "Forum"):
        expect(verslag).to_contain_text(text)
    assert_accessible(tablet, "/vergaderingen/{id}/verslag")
    pdf_link = tablet.get_by_role("link", name="Download als PDF")
    assert pdf_link.get_attribute("href") == f"/vergaderingen/{vergadering_id}/verslag.pdf"
    pdf = tablet.context.request.get(f"/vergaderingen/{vergadering_id}/verslag.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf")
    text = " ".join(pdf_text(pdf.body()).split())
    for expected in ("Laatste bus te vroeg", "Rondvraag", "Aanwezig", PARTNER_NAAM, ACTIE,
                     "na 21 uur rijdt er geen bus meer", "volgende vergadering daar te houden",
                     "Signaal & advies", deadline.strftime("%d/%m/%Y")):
        assert expected in text, f"{expected!r} missing from the minutes PDF:\n{text}"
    assert re.search(rf"Aanwezig: [^;]*{PARTNER_NAAM}", text), f"attendance missing from the minutes PDF:\n{text}"

    # -- 6. the partner sees the published agenda and updates their action
    partner.goto("/")
    agendas = partner.get_by_role("region", name="Voor partners")
    expect(agendas).to_contain_text(ACTIE)  # "Jouw acties" on the dashboard
    link = agendas.get_by_role("link", name=f"Jeugdwelzijnsoverleg Mechelen, {datum:%d/%m/%Y} om 19:30")
    expect(link).to_be_visible()
    click_and_wait(partner, link)
    assert partner.url.endswith(f"/vergaderingen/{vergadering_id}"), partner.url
    expect(partner.locator("#agenda ol.agenda > li")).to_have_count(2)
    expect(partner.get_by_role("button", name="Agenda publiceren")).to_have_count(0)
    expect(partner.get_by_role("link", name="Vergadering leiden")).to_have_count(0)

    partner.goto("/acties/")
    item = partner.locator("li.actie").filter(has_text=ACTIE)
    expect(item).to_have_count(1)
    expect(item.locator(".status")).to_have_text("Open")
    item.get_by_label("Status van deze actie").select_option(label="Bezig")
    click_and_wait(partner, item.get_by_role("button", name="Status bewaren"))
    flash(partner, "Status gewijzigd naar 'Bezig'.")
    expect(partner.locator("li.actie").filter(has_text=ACTIE).locator(".status")).to_have_text("Bezig")
    assert_accessible(partner, "/acties/")

    # -- 7. a werker of another gemeente sees none of it
    outsider = logged_in(new_page, live_server, "werker2")
    for url in (f"/vergaderingen/{vergadering_id}", f"/dossiers/{dossier_id}",
                f"/vergaderingen/{vergadering_id}/verslag"):
        response = outsider.goto(url)
        assert response.status == 404, f"werker2 got {response.status} on {url}"
