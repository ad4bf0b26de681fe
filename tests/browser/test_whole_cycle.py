"""One whole cycle in Chromium, as people would run it (issue 12, acceptance): a worker records a signal on a phone
(360 px); the chair, at a desk (1280 px), edits a bundling suggestion into a dossier, puts it on the agenda of the
coming meeting, publishes the agenda, runs the meeting with notes typed fast, closes it, approves the minutes in the
next meeting, confirms and sends the nota, records the college's answer and the feedback to the young people; the
worker then sees the whole path on the signal's page.

The chair's interactions from opening the dossier to a sent nota are counted (every click, fill, check, choice and
typed-in address) and must stay within 15.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from common.dates import today
from tests.browser.support import PHONE, assert_accessible, click_and_wait, logged_in
from tests.support import sync

DESK = (1280, 900)
NOTITIE = "De partners herkennen het: na 21 uur rijdt er geen bus meer naar de deelgemeenten."
SAMENVATTING = "Het college bespreekt met De Lijn een latere bus vanaf het voorjaar."
TERUG_WAT = "We vertelden op het plein dat het college met De Lijn praat over een latere bus."
MAX_CHAIR_INTERACTIONS = 15


class Counter:
    """Counts what the chair does: each call is one interaction (a click, a fill, a check, an address typed in)."""

    def __init__(self, page) -> None:
        self.page, self.done = page, []

    def __call__(self, what: str):
        self.done.append(what)

    def click(self, locator, what: str, *, wait: bool = True):
        self(what)
        return click_and_wait(self.page, locator) if wait else locator.click()


def setup(world) -> dict:
    """The overleg of Mechelen with CAW as partner, two earlier bus signals of `werker` and one about something else."""
    from admin.sessions import resolve_user
    from overleg.tables import Overleg, Overleglid, Partner
    from signalen.services import create_signaal

    async def run() -> dict:
        overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        await overleg.save()
        caw = Partner(overleg=overleg.id, naam="CAW Mechelen", soort="caw")
        await caw.save()
        await Overleglid(overleg=overleg.id, user=world.users["partner"], partner=caw.id, rol="partner").save()
        user = await resolve_user(world.users["werker"])
        ids = []
        for days, (titel, omschrijving) in enumerate((
                ("Geen bus meer na 21 uur", "Jongeren van de voetbalclub missen de laatste bus naar huis."),
                ("Laatste bus te vroeg voor jobstudenten", "Wie tot sluitingstijd werkt, haalt de laatste bus niet."),
                ("Skatepark zonder verlichting", "Na 18 uur is het donker in het skatepark; de tieners gaan weg."),
        ), start=3):
            data = {"gemeente": "mechelen", "titel": titel, "omschrijving": omschrijving, "plek": "Station",
                    "datum": (today() - dt.timedelta(days=days)).isoformat(), "bron": "straat",
                    "levensdomein": "vrije-tijd", "signaaltype": "mobiliteit", "aantal_jongeren": 4,
                    "leeftijd": "16-18", "citaten": []}
            ids.append((await create_signaal(user, data))["id"])
        return {"overleg": overleg.id, "signalen": ids}

    return sync(run())


def plan_meeting(world, overleg_id: int, datum: dt.date, begin: str = "19:30") -> int:
    """A meeting planned earlier (the chair did that when the year's calendar was made), every partner invited."""
    from admin.sessions import resolve_user
    from overleg.vergaderingen.services import create_vergadering

    async def run() -> int:
        chair = await resolve_user(world.users["voorzitter"])
        data = {"datum": datum.isoformat(), "begin": begin, "plaats": "Jeugdhuis De Pit"}
        return (await create_vergadering(chair, overleg_id, data))["id"]

    return sync(run())


def four_weeks_pass(vergadering_id: int) -> None:
    """The meeting was four weeks ago: the next one, where its minutes are approved, is today."""
    from overleg.tables import Vergadering

    sync(Vergadering.update({Vergadering.datum: today() - dt.timedelta(days=28)}).where(
        Vergadering.id == vergadering_id))


def statuses(ids: list[int]) -> set[str]:
    from signalen.tables import Signaal

    return {row["status"] for row in sync(Signaal.select(Signaal.status).where(Signaal.id.is_in(ids)))}


def flash(page, text: str) -> None:
    expect(page.locator(".flash")).to_contain_text(text)


def test_a_whole_cycle_from_the_street_to_the_college_and_back(new_page, live_server, world):
    known = setup(world)
    bus, other = known["signalen"][:2], known["signalen"][2]

    # -- the worker, on a phone in the street
    worker = logged_in(new_page, live_server, "werker", PHONE)
    worker.goto("/signalen/nieuw")
    worker.get_by_label("Titel").fill("Laatste bus naar huis vertrekt te vroeg")
    worker.get_by_label("Wat hoorde of zag je?").fill("Na de training in de sporthal is er geen bus meer naar huis.")
    click_and_wait(worker, worker.get_by_role("button", name="Signaal opslaan", exact=True))
    recorded = int(re.search(r"/signalen/(\d+)/opgeslagen", worker.url).group(1))
    assert statuses([recorded]) == {"nieuw"}
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE[0]

    # -- the chair at a desk: the suggestion, edited (the skatepark signal out), becomes a dossier
    chair = logged_in(new_page, live_server, "voorzitter", DESK)
    coming = plan_meeting(world, known["overleg"], today())
    chair.goto("/dossiers/suggesties?gemeente=mechelen")
    card = chair.locator("article.dossier-voorstel").filter(has=chair.locator(f'input[value="{recorded}"]'))
    expect(card).to_have_count(1)
    for signaal in (*bus, recorded):
        expect(card.locator(f'input[type="checkbox"][value="{signaal}"]')).to_be_checked()
    skatepark = card.locator(f'input[type="checkbox"][value="{other}"]')  # proposed or offered: it goes out
    if skatepark.count() and skatepark.is_checked():
        skatepark.uncheck()
    card.get_by_label("Titel van het nieuwe dossier").fill("Laatste bus te vroeg")
    click_and_wait(chair, card.get_by_role("button", name=re.compile("^Maak dossier")))
    flash(chair, "Dossier ‘Laatste bus te vroeg’ gemaakt met 3 signalen.")
    assert statuses([*bus, recorded]) == {"gebundeld"} and statuses([other]) == {"nieuw"}

    # -- from here on every interaction of the chair counts, up to the sent nota
    act = Counter(chair)
    act.click(chair.locator(".flash").get_by_role("link", name="Naar het dossier"), "open the dossier")
    dossier_id = int(re.search(r"/dossiers/(\d+)$", chair.url).group(1))
    act.click(chair.get_by_role("button", name="Op de agenda zetten"), "put it on the coming meeting")
    assert statuses(bus) == {"gebundeld"}  # on a concept agenda, not yet geagendeerd
    flash(chair, "Op de agenda gezet als punt ‘Laatste bus te vroeg’.")
    act.click(chair.locator(".flash").get_by_role("link", name="Naar de agenda"), "go to the meeting")
    assert chair.url.endswith(f"/vergaderingen/{coming}#agenda"), chair.url
    act.click(chair.get_by_role("button", name="Agenda publiceren"), "publish the agenda")
    flash(chair, "De agenda is gepubliceerd")
    assert statuses([*bus, recorded]) == {"geagendeerd"}

    act.click(chair.get_by_role("link", name="Vergadering leiden").first, "run the meeting")
    notes = chair.get_by_label("Notities (forum: wat werd uitgewisseld)")
    act("type the notes")
    notes.press_sequentially(NOTITIE, delay=5)  # fast typing, then at once on to the next action
    act.click(chair.get_by_role("checkbox", name=re.compile("^Signaal & advies")), "tick signaal & advies",
              wait=False)
    act.click(chair.get_by_role("button", name="Functies bewaren"), "save the functions")
    flash(chair, "Functies van het punt bewaard.")
    expect(chair.get_by_label("Notities (forum: wat werd uitgewisseld)")).to_have_value(NOTITIE)
    act.click(chair.get_by_role("button", name="Vergadering afsluiten"), "close the meeting", wait=False)
    act.click(chair.get_by_role("dialog", name="Vergadering afsluiten?").get_by_role("button", name="Afsluiten"),
              "confirm closing")
    flash(chair, "De vergadering is afgesloten.")

    # four weeks later, in the next meeting: the minutes are approved
    four_weeks_pass(coming)
    plan_meeting(world, known["overleg"], today(), "20:00")
    act.click(chair.get_by_role("link", name=re.compile("^Verslag")).first, "open the minutes")
    expect(chair.locator(".verslag-tekst")).to_contain_text(NOTITIE)
    act.click(chair.get_by_role("button", name="Verslag goedkeuren"), "approve the minutes")
    expect(chair.locator("body")).to_contain_text("goedgekeurd")

    # the nota: from the minutes' "signaal & advies", confirmed and sent
    advies = chair.get_by_role("region", name="Signaal & advies uit deze vergadering")
    expect(advies.get_by_role("link", name="Laatste bus te vroeg")).to_have_attribute("href", f"/dossiers/{dossier_id}")
    assert_accessible(chair, "/vergaderingen/{id}/verslag (signaal & advies)")  # not an interaction: axe-core
    act.click(advies.get_by_role("button", name=re.compile("^Signaalnota opstellen")), "start the nota")
    assert re.search(r"/notas/\d+/bewerken$", chair.url), chair.url
    nota_id = int(re.search(r"/notas/(\d+)", chair.url).group(1))
    expect(chair.get_by_label("Onderwerp")).to_have_value("Laatste bus te vroeg")
    act.click(chair.get_by_role("button", name="Opslaan en versturen…"), "save and send…")
    expect(chair.get_by_role("heading", level=1)).to_contain_text("versturen?")
    act.click(chair.get_by_role("button", name="Ja, versturen"), "yes, send")
    expect(chair.locator(".meta .status")).to_have_text("Verstuurd", ignore_case=True)
    assert statuses([*bus, recorded]) == {"gesignaleerd"}
    assert len(act.done) <= MAX_CHAIR_INTERACTIONS, f"{len(act.done)} interactions: {act.done}"

    # -- the college answers; the feedback to the young people is recorded
    antwoord = chair.locator("#antwoord")
    antwoord.get_by_label("Datum van het antwoord").fill(today().isoformat())
    antwoord.get_by_role("radio", name="Akkoord", exact=True).check()
    antwoord.get_by_label("Samenvatting").fill(SAMENVATTING)
    click_and_wait(chair, antwoord.get_by_role("button", name="Antwoord registreren"))
    flash(chair, "Het antwoord is geregistreerd.")
    terug = chair.locator("#terugkoppeling")
    terug.get_by_text("Terugkoppeling registreren").click()
    terug.get_by_label("Hoe?").fill("op het plein")
    terug.get_by_label("Door wie?").fill("Jeugdopbouwwerker Mechelen")
    terug.get_by_label("Wat werd er gezegd?").fill(TERUG_WAT)
    click_and_wait(chair, terug.get_by_role("button", name="Terugkoppeling bewaren"))
    flash(chair, "De terugkoppeling is geregistreerd.")
    assert statuses([*bus, recorded]) == {"teruggekoppeld"}

    # -- the worker sees the whole path on the signal's page, on the phone
    worker.goto(f"/signalen/{recorded}")
    timeline = worker.get_by_role("region", name="Wat werd er van dit signaal?")
    steps = timeline.locator("ol.tijdlijn > li")
    expect(steps).to_have_count(6)
    for number, text in enumerate(("Geregistreerd", "Gebundeld in dossier ‘Laatste bus te vroeg’",
                                   "Op de agenda van de vergadering van", "Gesignaleerd in nota SN-",
                                   "Antwoord van het college van burgemeester en schepenen: akkoord",
                                   "Teruggekoppeld naar de jongeren: op het plein")):
        expect(steps.nth(number)).to_contain_text(text)
    expect(timeline).to_contain_text(SAMENVATTING)
    expect(timeline).to_contain_text(TERUG_WAT)
    pdf = timeline.get_by_role("link", name="PDF")
    assert worker.context.request.get(live_server + pdf.get_attribute("href")).body().startswith(b"%PDF")
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    assert f"/notas/{nota_id}" in timeline.get_by_role("link", name=re.compile("^Gesignaleerd")).get_attribute("href")
