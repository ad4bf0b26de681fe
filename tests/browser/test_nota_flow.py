"""The signaalnota in Chromium, end to end: the chair of Mechelen composes a nota from a dossier of three agenda'd
signals (subject, advice, the server-rendered preview), saves and sends it, downloads the frozen PDF, records the
college's answer with its PDF, records the feedback to the young people and closes the dossier. After every step the
dossier's signals follow in the database (gesignaleerd → beantwoord → teruggekoppeld → afgesloten); axe-core finds no
serious or critical violation on the compose pages or on the nota in any state; a werker of another gemeente gets 404.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from common import dates
from common.dates import today
from tests.browser import support
from tests.browser.support import assert_accessible
from tests.support import pdf_text, sync

TABLET = (1024, 768)
TIMEOUT = 20_000
ONDERWERP = "Een latere laatste bus voor jongeren"
ADVIES = "Het overleg vraagt het college om met De Lijn een bus na 22 uur te bekijken."
SAMENVATTING = "Het college bespreekt een latere bus met De Lijn in het voorjaar."
TERUG_HOE = "op het jongerenoverleg"
TERUG_DOOR = "Jeugdopbouwwerker Mechelen"
TERUG_WAT = "We vertelden dat het college akkoord gaat en met De Lijn praat."
ADRESSAAT = "College van burgemeester en schepenen"

BUS = [
    ("Laatste bus naar huis vertrekt te vroeg", "Na de training is er geen bus meer naar huis.", "Station"),
    ("Geen bus meer na 21 uur", "Jongeren van de voetbalclub missen de laatste bus.", "Station"),
    ("Laatste bus te vroeg voor jobstudenten", "Wie tot sluitingstijd werkt, haalt de laatste bus niet.", "Station"),
]


# ---------------------------------------------------------------- helpers

def agenda_dossier(world) -> tuple[int, list[int]]:
    """The overleg of Mechelen and a dossier with three signals of `werker`, moved to 'geagendeerd'."""
    from admin.sessions import resolve_user
    from overleg.tables import Dossier, Overleg
    from signalen.services import create_signaal, set_status
    from signalen.tables import Signaal

    async def run() -> tuple[int, list[int]]:
        await Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen").save()
        dossier = Dossier(gemeente=world.gemeenten["mechelen"], titel="Laatste bus te vroeg",
                          omschrijving="Jongeren missen de laatste bus.", status="geagendeerd",
                          aangemaakt_op=dates.now())
        await dossier.save()
        user = await resolve_user(world.users["werker"])
        ids = []
        for number, (titel, omschrijving, plek) in enumerate(BUS):
            data = {
                "gemeente": "mechelen", "titel": titel, "omschrijving": omschrijving, "plek": plek,
                "datum": (today() - dt.timedelta(days=10 - number)).isoformat(), "bron": "straat",
                "levensdomein": "vrije-tijd", "signaaltype": "mobiliteit", "aantal_jongeren": 4,
                "leeftijd": "12-15", "citaten": [],
            }
            ids.append((await create_signaal(user, data))["id"])
        await Signaal.update({Signaal.dossier: dossier.id}).where(Signaal.id.is_in(ids))
        await set_status(ids, "gebundeld", None, "x")
        await set_status(ids, "geagendeerd", None, "x")
        return dossier.id, ids

    return sync(run())


def statuses(signaal_ids: list[int]) -> set[str]:
    from signalen.tables import Signaal

    return {row["status"] for row in sync(Signaal.select(Signaal.status).where(Signaal.id.is_in(signaal_ids)))}


def dossier_status(dossier_id: int) -> str:
    from overleg.tables import Dossier

    return sync(Dossier.select(Dossier.status).where(Dossier.id == dossier_id).first())["status"]




def logged_in(new_page, live_server, username: str):
    return support.logged_in(new_page, live_server, username, TABLET, timeout=TIMEOUT)


def click_and_wait(page, locator):
    return support.click_and_wait(page, locator, timeout=TIMEOUT)


def flash(page, text: str):
    expect(page.locator("body")).to_contain_text(text, timeout=TIMEOUT)


def compose(chair, dossier_id: int) -> int:
    """/notas/nieuw for the dossier: the subject, "Concept aanmaken", the advice, "Voorbeeld"; returns the nota id."""
    response = chair.goto(f"/notas/nieuw?dossier={dossier_id}")
    assert response.status == 200
    expect(chair.get_by_role("heading", level=1)).to_have_text("Nieuwe signaalnota", timeout=TIMEOUT)
    expect(chair.get_by_role("checkbox", name="Laatste bus te vroeg")).to_be_checked()
    expect(chair.get_by_role("radio", name=ADRESSAAT)).to_be_checked()
    expect(chair.get_by_label("Onderwerp")).to_have_value("Laatste bus te vroeg")
    assert_accessible(chair, "/notas/nieuw")
    chair.get_by_label("Onderwerp").fill(ONDERWERP)
    response = click_and_wait(chair, chair.get_by_role("button", name="Concept aanmaken"))
    assert response.status == 200 and re.search(r"/notas/\d+/bewerken$", chair.url), chair.url
    nota_id = int(re.search(r"/notas/(\d+)/bewerken$", chair.url).group(1))
    flash(chair, "Concept aangemaakt.")
    expect(chair.get_by_label("Onderwerp")).to_have_value(ONDERWERP)
    assert_accessible(chair, "/notas/{id}/bewerken")

    chair.locator("#veld-advies").fill(ADVIES)
    response = click_and_wait(chair, chair.get_by_role("button", name="Voorbeeld", exact=True))
    assert response.status == 200
    preview = chair.locator("#voorbeeld")
    expect(preview.locator(".nota-onderwerp")).to_contain_text(ONDERWERP, timeout=TIMEOUT)
    expect(preview.locator(".nota-onderwerp")).to_contain_text(ADRESSAAT)
    expect(preview).to_contain_text(ADVIES)
    expect(chair.locator("#veld-advies")).to_have_value(ADVIES)  # the form keeps the unsaved text
    return nota_id


def answer_pdf(tmp_path):
    from common.pdf import PdfMeta, render_pdf

    path = tmp_path / "antwoord-college.pdf"
    path.write_bytes(sync(render_pdf("<p>Antwoord</p>", PdfMeta("Antwoord", "College"))))
    return path


# ---------------------------------------------------------------- the flow

def test_chair_composes_sends_and_follows_up_a_signaalnota(new_page, live_server, world, tmp_path):
    dossier_id, signaal_ids = agenda_dossier(world)
    assert statuses(signaal_ids) == {"geagendeerd"}
    chair = logged_in(new_page, live_server, "voorzitter")
    chair.on("dialog", lambda dialog: dialog.accept())  # "Versturen" may ask for a confirmation

    # -- 1. compose: the dossier is chosen, the subject and the advice filled in, the preview shown, then saved
    nota_id = compose(chair, dossier_id)
    assert_accessible(chair)
    response = click_and_wait(chair, chair.get_by_role("button", name="Opslaan", exact=True))
    assert response.status == 200 and chair.url == f"{live_server}/notas/{nota_id}", chair.url
    flash(chair, "Nota opgeslagen.")
    expect(chair.get_by_role("heading", level=1)).to_have_text(ONDERWERP)
    expect(chair.locator(".nota-inhoud")).to_contain_text(ADVIES)
    shown = chair.locator(".nota-soort").text_content()  # text_content: the CSS shows it in capitals
    assert (found := re.fullmatch(r"\s*Signaalnota (SN-\S+)\s*", shown)), shown
    referentie = found.group(1)
    assert statuses(signaal_ids) == {"geagendeerd"}
    assert_accessible(chair, "/notas/{id} (concept)")

    # -- 2. sending freezes the nota; the signals become gesignaleerd
    click_and_wait(chair, chair.get_by_role("link", name="Versturen…"))  # a confirmation page first
    expect(chair.get_by_role("heading", level=1)).to_contain_text("versturen?", timeout=TIMEOUT)
    click_and_wait(chair, chair.get_by_role("button", name="Ja, versturen"))
    flash(chair, "De nota is vastgelegd")
    assert chair.url.split("#")[0] == f"{live_server}/notas/{nota_id}", chair.url  # at its delivery state
    expect(chair.locator(".meta .status")).to_have_text("Verstuurd", ignore_case=True)
    expect(chair.get_by_role("link", name="Bewerken")).to_have_count(0)
    assert statuses(signaal_ids) == {"gesignaleerd"}
    assert_accessible(chair, "/notas/{id} (verstuurd)")

    # -- 3. the PDF, fetched with the browser's own session
    pdf = chair.context.request.get(f"{live_server}/notas/{nota_id}/pdf", timeout=60_000)
    assert pdf.status == 200, pdf.status
    assert pdf.headers["content-type"].startswith("application/pdf"), pdf.headers
    body = pdf.body()
    assert body.startswith(b"%PDF")
    text = " ".join(pdf_text(body).split())
    for expected in (ONDERWERP, referentie, ADRESSAAT, "Onderbouwing"):
        assert expected in text, f"{expected!r} missing from the PDF: {text[:2000]}"
    assert re.search(r"\b3 signalen\b", text), f"the number of signals is missing from the PDF: {text[:2000]}"

    # -- 4. the answer of the college, with its PDF; the signals become beantwoord
    antwoord = chair.locator("#antwoord")
    antwoord.get_by_label("Datum van het antwoord").fill(today().isoformat())
    antwoord.get_by_role("radio", name="Akkoord", exact=True).check()
    antwoord.get_by_label("Samenvatting").fill(SAMENVATTING)
    antwoord.get_by_label("Antwoord als PDF").set_input_files(answer_pdf(tmp_path))
    response = click_and_wait(chair, antwoord.get_by_role("button", name="Antwoord registreren"))
    assert response.status == 200, response.status
    flash(chair, "Het antwoord is geregistreerd.")
    antwoord = chair.locator("#antwoord")
    expect(antwoord).to_contain_text("Akkoord")
    expect(antwoord).to_contain_text(SAMENVATTING)
    expect(antwoord.get_by_role("link", name="Antwoord als PDF")).to_be_visible()
    stored = chair.context.request.get(f"{live_server}/notas/{nota_id}/antwoord.pdf")
    assert stored.status == 200 and stored.body().startswith(b"%PDF")
    assert statuses(signaal_ids) == {"beantwoord"}
    assert_accessible(chair, "/notas/{id} (beantwoord)")

    # -- 5. the feedback to the young people; the signals become teruggekoppeld
    terug = chair.locator("#terugkoppeling")
    terug.get_by_text("Terugkoppeling registreren").click()
    expect(terug.get_by_label("Datum")).to_have_value(today().isoformat())
    terug.get_by_label("Hoe?").fill(TERUG_HOE)
    terug.get_by_label("Door wie?").fill(TERUG_DOOR)
    terug.get_by_label("Wat werd er gezegd?").fill(TERUG_WAT)
    click_and_wait(chair, terug.get_by_role("button", name="Terugkoppeling bewaren"))
    flash(chair, "De terugkoppeling is geregistreerd.")
    terug = chair.locator("#terugkoppeling")
    expect(terug).to_contain_text(f"{TERUG_HOE}, door {TERUG_DOOR}")
    expect(terug).to_contain_text(TERUG_WAT)
    assert statuses(signaal_ids) == {"teruggekoppeld"}
    assert_accessible(chair, "/notas/{id} (teruggekoppeld)")

    # -- 6. closing the dossier; the signals become afgesloten
    terug.get_by_role("button", name=re.compile("^Dossier afronden")).click()  # the confirmation dialog
    click_and_wait(chair, chair.get_by_role("dialog", name="Dossier afronden?").get_by_role("button", name="Afronden"))
    flash(chair, "Het dossier is afgerond; de signalen zijn afgesloten.")
    expect(chair.locator("#terugkoppeling .status", has_text="Afgerond")).to_be_visible()
    expect(chair.get_by_role("button", name=re.compile("^Dossier afronden"))).to_have_count(0)
    assert statuses(signaal_ids) == {"afgesloten"}
    assert dossier_status(dossier_id) == "afgerond"
    assert_accessible(chair, "/notas/{id} (afgerond)")

    # -- 7. a werker of another gemeente does not even learn the nota exists
    stranger = logged_in(new_page, live_server, "werker2")
    assert stranger.goto(f"/notas/{nota_id}").status == 404
    assert stranger.context.request.get(f"{live_server}/notas/{nota_id}/pdf").status == 404


def test_preview_region_is_keyboard_accessible(new_page, live_server, world):
    dossier_id, _ = agenda_dossier(world)
    chair = logged_in(new_page, live_server, "voorzitter")
    compose(chair, dossier_id)
    assert_accessible(chair, "/notas/{id}/bewerken (voorbeeld)")
