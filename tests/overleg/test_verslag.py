"""Minutes: generated from the meeting, edited with a version check, approved and then frozen, as HTML and as a
tagged PDF (PDF/UA-1) — per persona, with markup payloads and foreign ids."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from common.dates import today
from overleg.tables import (
    Actie,
    Agendapunt,
    Deelnemer,
    Overleg,
    Overleglid,
    Partner,
    Vergadering,
    Verslag,
)
from overleg.vergaderingen.verslag import generate_text
from tests.support import pdf_objects as _objects
from tests.support import sync

POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")
XSS_NOTE = '<script>alert("notes")</script> [klik](javascript:alert(1)) <img src=x onerror=alert(2)>'


@pytest.fixture
def ov(world):
    """A held meeting in Mechelen with attendance, three points (notes, decisions, actions), a later held meeting,
    a future one, and a meeting in Hoeilaart."""

    async def build():
        mechelen = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        hoeilaart = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="Jeugdwelzijnsoverleg Hoeilaart")
        for row in (mechelen, hoeilaart):
            await row.save()
        caw = Partner(overleg=mechelen.id, naam="CAW Boom Mechelen Lier", soort="caw")
        clb = Partner(overleg=mechelen.id, naam="CLB Mechelen", soort="clb")
        ocmw = Partner(overleg=mechelen.id, naam="OCMW Mechelen", soort="ocmw")
        for row in (caw, clb, ocmw):
            await row.save()
        await Overleglid(overleg=mechelen.id, user=world.users["partner"], partner=caw.id, rol="partner").save()

        def meeting(overleg, days, status="gehouden"):
            return Vergadering(overleg=overleg, datum=today() + dt.timedelta(days=days), begin=dt.time(19, 30),
                               plaats="Stadhuis, Schepenzaal", status=status)

        held, later, future = meeting(mechelen.id, -28), meeting(mechelen.id, -1), meeting(mechelen.id, 14, "concept")
        earlier, concept = meeting(mechelen.id, -60), meeting(mechelen.id, -3, "concept")
        foreign = meeting(hoeilaart.id, -10)
        for row in (held, later, future, earlier, concept, foreign):
            await row.save()
        for partner, user, aanwezigheid in ((caw.id, world.users["partner"], "aanwezig"),
                                            (clb.id, None, "verontschuldigd"), (ocmw.id, None, "afwezig"),
                                            (None, world.users["voorzitter"], "aanwezig")):
            await Deelnemer(vergadering=held.id, partner=partner, user=user, aanwezigheid=aanwezigheid).save()
        points = [
            Agendapunt(vergadering=held.id, volgorde=2, titel="Ontmoetingsplekken in Nekkerspoel",
                       functies='["forum", "actie"]', notities="Vier signalen over *banken* die verdwenen.",
                       besluit="We zoeken een tijdelijke ontmoetingsplek."),
            Agendapunt(vergadering=held.id, volgorde=1, titel="Mededelingen", soort="mededelingen",
                       notities="De jeugdraad start opnieuw."),
            Agendapunt(vergadering=held.id, volgorde=3, titel="Weg naar hulp", functies='["signaal_advies"]',
                       notities="Jongeren kennen het CAW niet.", besluit="Signaalnota voorbereiden."),
        ]
        for row in points:
            await row.save()
        await Actie(overleg=mechelen.id, agendapunt=points[0].id, partner=caw.id, lens="bijschakelen",
                    wat="Outreach aan het station", deadline=today() + dt.timedelta(days=20)).save()
        await Actie(overleg=mechelen.id, agendapunt=points[2].id, partner=clb.id, lens="preventie",
                    wat="Infomoment over het CLB op school", status="bezig").save()
        return SimpleNamespace(held=held.id, later=later.id, future=future.id, earlier=earlier.id,
                               concept=concept.id, foreign=foreign.id, points=[p.id for p in points])

    return sync(build())


def _verslag(vergadering_id: int) -> dict | None:
    return sync(Verslag.select().where(Verslag.vergadering == vergadering_id).first())


def _save(persona, ov, text: str, versie: str):
    return persona.post_form(f"/vergaderingen/{ov.held}/verslag/bewerken", {"inhoud": text, "versie": versie})


# ---------------------------------------------------------------- generation

def test_the_verslag_is_generated_from_the_meeting(ov):
    text = sync(generate_text(ov.held))
    assert "**Aanwezig:** Partner Test (CAW Boom Mechelen Lier); Voorzitter Test" in text
    assert "**Verontschuldigd:** CLB Mechelen" in text and "**Afwezig:** OCMW Mechelen" in text
    order = [text.index(t) for t in ("1. Mededelingen", "2. Ontmoetingsplekken in Nekkerspoel", "3. Weg naar hulp")]
    assert order == sorted(order)
    for fragment in ("De jeugdraad start opnieuw.", "Vier signalen over *banken* die verdwenen.",
                     "We zoeken een tijdelijke ontmoetingsplek.", "Signaalnota voorbereiden.",
                     "**CAW Boom Mechelen Lier**: Outreach aan het station", "bijschakelen, open",
                     "**CLB Mechelen**: Infomoment over het CLB op school", "preventie, bezig"):
        assert fragment in text
    outreach = text.index("Outreach aan het station")
    assert text.index("2. Ontmoetingsplekken") < outreach < text.index("3. Weg naar hulp")


# ---------------------------------------------------------------- the page, per persona

@pytest.mark.parametrize(("name", "code"), [("werker", 200), ("werker2", 404), ("voorzitter", 200),
                                            ("partner", 200), ("coordinator", 200), ("beheerder", 404)])
def test_the_verslag_page_per_persona(personas, ov, name, code):
    page = personas[name].get(f"/vergaderingen/{ov.held}/verslag")
    assert page.status_code == code
    if code == 200:
        for fragment in ("Aanwezigheid", "Partner Test (CAW Boom Mechelen Lier)", "Mededelingen",
                         "We zoeken een tijdelijke ontmoetingsplek.", "Outreach aan het station", "Concept",
                         "<em>banken</em>"):
            assert fragment in page.text
        assert ("Verslag bewerken" in page.text) == (name == "voorzitter")
        assert ("Verslag goedkeuren" in page.text) == (name == "voorzitter")
    assert _verslag(ov.held) is None  # a GET stores nothing


def test_anonymous_is_sent_to_login(anonymous, ov):
    for url in (f"/vergaderingen/{ov.held}/verslag", f"/vergaderingen/{ov.held}/verslag.pdf"):
        response = anonymous.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login/")


def test_a_partner_does_not_see_the_verslag_of_an_unpublished_meeting(partner, voorzitter, ov):
    assert partner.get(f"/vergaderingen/{ov.concept}/verslag").status_code == 404
    assert voorzitter.get(f"/vergaderingen/{ov.concept}/verslag").status_code == 200


@pytest.mark.parametrize("bad_id", ["abc", "0", "987654321", "2147483648", "1%20OR%201=1", "foreign"])
def test_unknown_and_foreign_meetings_are_not_found(voorzitter, ov, bad_id):
    vid = ov.foreign if bad_id == "foreign" else bad_id
    for suffix in ("verslag", "verslag.pdf", "verslag/bewerken"):
        assert voorzitter.get(f"/vergaderingen/{vid}/{suffix}").status_code == 404
    assert voorzitter.post_form(f"/vergaderingen/{vid}/verslag/bewerken", {"inhoud": "x", "versie": "0"}
                                ).status_code == 404
    assert voorzitter.get(f"/api/v1/vergaderingen/{vid}/verslag").status_code == 404


# ---------------------------------------------------------------- editing

def test_the_chair_edits_the_verslag(voorzitter, ov):
    form = voorzitter.get(f"/vergaderingen/{ov.held}/verslag/bewerken")
    assert form.status_code == 200 and 'name="versie" value="0"' in form.text
    assert "Outreach aan het station" in form.text
    response = _save(voorzitter, ov, "# Aanwezigheid\n\nIedereen was er.", "0")
    assert response.status_code == 200 and "Het verslag is opgeslagen." in response.text
    assert "Iedereen was er." in response.text
    row = _verslag(ov.held)
    assert row["versie"] == 1 and row["status"] == "concept" and row["inhoud"].endswith("Iedereen was er.")
    assert _save(voorzitter, ov, "Tweede versie", "1").status_code == 200
    assert _verslag(ov.held)["versie"] == 2


def test_a_stale_version_answers_409_with_both_texts(voorzitter, ov):
    _save(voorzitter, ov, "Tekst van de voorzitter", "0")
    response = _save(voorzitter, ov, "Mijn late wijziging", "0")
    assert response.status_code == 409
    assert "Tekst van de voorzitter" in response.text and "Mijn late wijziging" in response.text
    assert 'name="versie" value="1"' in response.text  # saving again deliberately is possible
    assert _verslag(ov.held)["inhoud"] == "Tekst van de voorzitter"
    api = voorzitter.api("PUT", f"/api/v1/vergaderingen/{ov.held}/verslag", json={"inhoud": "Via API", "versie": 0})
    assert api.status_code == 409
    body = api.json()
    assert body["huidig"] == {"inhoud": "Tekst van de voorzitter", "versie": 1}
    assert body["jouw"] == {"inhoud": "Via API"} and "intussen" in body["detail"]


@pytest.mark.parametrize(("data", "message"), [
    ({"inhoud": "   ", "versie": "0"}, "mag niet leeg zijn"),
    ({"inhoud": "x" * 100_001, "versie": "0"}, "hoogstens 100000 tekens"),
    ({"inhoud": "Tekst", "versie": "nul"}, "Ongeldige of ontbrekende versie."),
    ({"inhoud": "Tekst"}, "Ongeldige of ontbrekende versie."),
])
def test_bad_edits_are_refused(voorzitter, ov, data, message):
    response = voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/bewerken", data)
    assert response.status_code == 422 and message in response.text
    assert _verslag(ov.held) is None


@pytest.mark.parametrize(("name", "code"), [("partner", 403), ("werker", 403), ("coordinator", 403),
                                            ("werker2", 404), ("beheerder", 404)])
def test_only_the_chair_edits_and_approves(personas, ov, name, code):
    persona = personas[name]
    assert _save(persona, ov, "Gekaapt", "0").status_code == code
    assert persona.get(f"/vergaderingen/{ov.held}/verslag/bewerken").status_code == code
    assert persona.post_form(f"/vergaderingen/{ov.held}/verslag/goedkeuren",
                             {"goedgekeurd_in": str(ov.later)}).status_code == code
    assert persona.post_form(f"/vergaderingen/{ov.held}/verslag/opnieuw", {"versie": "0"}).status_code == code
    assert _verslag(ov.held) is None


def test_forms_without_csrf_change_nothing(voorzitter, ov):
    voorzitter.csrf()
    url = f"/vergaderingen/{ov.held}/verslag"
    assert voorzitter.client.post(url + "/bewerken", data={"inhoud": "x", "versie": "0"}).status_code == 403
    assert voorzitter.client.post(url + "/goedkeuren", data={"goedgekeurd_in": str(ov.later)}).status_code == 403
    assert voorzitter.client.put(f"/api/v1/vergaderingen/{ov.held}/verslag",
                                 json={"inhoud": "x", "versie": 0}).status_code == 403
    assert _verslag(ov.held) is None


def test_regenerating_takes_the_meeting_as_it_is_now(voorzitter, ov):
    _save(voorzitter, ov, "Eigen tekst", "0")
    sync(Agendapunt.update({Agendapunt.besluit: "Nieuw besluit."}).where(Agendapunt.id == ov.points[1]))
    response = voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/opnieuw", {"versie": "1"})
    assert response.status_code == 200 and "Nieuw besluit." in response.text
    assert _verslag(ov.held)["versie"] == 2 and "Eigen tekst" not in _verslag(ov.held)["inhoud"]
    assert voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/opnieuw", {"versie": "1"}).status_code == 409


# ---------------------------------------------------------------- approval

def test_approval_freezes_the_verslag(voorzitter, partner, ov):
    page = voorzitter.get(f"/vergaderingen/{ov.held}/verslag").text
    assert f'<option value="{ov.later}">' in page
    assert f'<option value="{ov.future}">' not in page and f'<option value="{ov.earlier}">' not in page
    response = voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/goedkeuren",
                                    {"goedgekeurd_in": str(ov.later), "versie": "0"})
    assert response.status_code == 200 and "Het verslag is goedgekeurd." in response.text
    row = _verslag(ov.held)
    assert row["status"] == "goedgekeurd" and row["goedgekeurd_in"] == ov.later and row["goedgekeurd_op"]
    assert "Outreach aan het station" in row["inhoud"]  # the generated text was stored
    assert "Goedgekeurd" in partner.get(f"/vergaderingen/{ov.held}/verslag").text
    assert "Verslag bewerken" not in response.text

    assert _save(voorzitter, ov, "Toch nog iets", str(row["versie"])).status_code == 409
    assert voorzitter.get(f"/vergaderingen/{ov.held}/verslag/bewerken").status_code == 409
    assert voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/opnieuw",
                                {"versie": str(row["versie"])}).status_code == 409
    api = voorzitter.api("PUT", f"/api/v1/vergaderingen/{ov.held}/verslag",
                         json={"inhoud": "x", "versie": row["versie"]})
    assert api.status_code == 409 and "goedgekeurd" in api.json()["detail"]
    again = voorzitter.api("POST", f"/api/v1/vergaderingen/{ov.held}/verslag/goedkeuren",
                           json={"goedgekeurd_in": ov.later})
    assert again.status_code == 409
    assert _verslag(ov.held) == row


@pytest.mark.parametrize("which", ["earlier", "future", "held", "foreign", "nonsense"])
def test_approval_needs_a_later_meeting_of_the_same_overleg_that_took_place(voorzitter, ov, which):
    value = getattr(ov, which, "abc")
    response = voorzitter.api("POST", f"/api/v1/vergaderingen/{ov.held}/verslag/goedkeuren",
                              json={"goedgekeurd_in": value})
    assert response.status_code == 422 and "latere vergadering" in response.json()["fields"]["goedgekeurd_in"]
    page = voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/goedkeuren", {"goedgekeurd_in": str(value)})
    assert page.status_code == 200 and "Kies een latere vergadering" in page.text
    assert _verslag(ov.held) is None


def test_the_api_reads_and_saves(voorzitter, partner, ov):
    body = partner.get(f"/api/v1/vergaderingen/{ov.held}/verslag").json()
    assert body["status"] == "concept" and body["versie"] == 0 and body["opgeslagen"] is False
    assert "Outreach aan het station" in body["inhoud"] and "<h2>Aanwezigheid</h2>" in body["html"]
    saved = voorzitter.api("PUT", f"/api/v1/vergaderingen/{ov.held}/verslag", json={"inhoud": "Kort", "versie": 0})
    assert saved.status_code == 200 and saved.json()["versie"] == 1
    assert partner.api("PUT", f"/api/v1/vergaderingen/{ov.held}/verslag",
                       json={"inhoud": "x", "versie": 1}).status_code == 403
    assert voorzitter.api("PUT", f"/api/v1/vergaderingen/{ov.held}/verslag", json="x").status_code == 400


# ---------------------------------------------------------------- markup payloads

def test_markup_in_notes_and_in_the_verslag_is_sanitised(voorzitter, werker, ov):
    sync(Agendapunt.update({Agendapunt.notities: XSS_NOTE, Agendapunt.titel: "<b>Titel</b>"}).where(
        Agendapunt.id == ov.points[1]))
    page = werker.get(f"/vergaderingen/{ov.held}/verslag").text
    assert "<script>alert" not in page and "javascript:" not in page and "<img src=x" not in page
    assert "<b>Titel</b>" not in page and "1. &lt;b&gt;Titel&lt;/b&gt;" in page
    assert "&lt;script&gt;alert" in page
    _save(voorzitter, ov, "<iframe src=//evil></iframe>\n\n[x](javascript:alert(3)) <svg onload=alert(4)>", "0")
    page = werker.get(f"/vergaderingen/{ov.held}/verslag").text
    assert "<iframe" not in page and "javascript:" not in page and "<svg" not in page and "&lt;iframe" in page


# ---------------------------------------------------------------- the PDF

def _pdf_tool(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "verslag.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])]
    return subprocess.run(command, capture_output=True, check=True, timeout=60).stdout.decode()  # noqa: S603




@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_pdf_holds_the_minutes_and_is_tagged_pdf_ua(partner, ov, tmp_path):
    sync(Agendapunt.update({Agendapunt.notities: XSS_NOTE}).where(Agendapunt.id == ov.points[2]))
    response = partner.get(f"/vergaderingen/{ov.held}/verslag.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    pdf = response.content
    text = " ".join(_pdf_tool("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split())
    for fragment in ("Verslag van de vergadering van", "Concept", "Aanwezig: Partner Test (CAW Boom Mechelen Lier)",
                     "Verontschuldigd: CLB Mechelen", "Afwezig: OCMW Mechelen", "1. Mededelingen",
                     "2. Ontmoetingsplekken in Nekkerspoel", "3. Weg naar hulp", "De jeugdraad start opnieuw.",
                     "We zoeken een tijdelijke ontmoetingsplek.", "Signaalnota voorbereiden.",
                     "Outreach aan het station", "Infomoment over het CLB op school"):
        assert fragment in text, fragment
    assert '<script>alert("notes")</script>' in text  # shown as text, never run as markup
    meta = _pdf_tool("pdfinfo", pdf, tmp_path, "-meta")
    assert "pdfuaid" in meta and re.search(r"pdfuaid:part(>|=\")1", meta)
    info = _pdf_tool("pdfinfo", pdf, tmp_path)
    assert "Tagged:          yes" in info and "Verslag Jeugdwelzijnsoverleg Mechelen" in info
    objects = _objects(pdf)
    assert b"/Lang (nl-BE)" in objects
    assert b"javascript" not in objects.lower() and b"/JavaScript" not in objects and b"/Subtype /Image" not in objects


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_an_approved_verslag_pdf_says_so(voorzitter, ov, tmp_path):
    voorzitter.post_form(f"/vergaderingen/{ov.held}/verslag/goedkeuren", {"goedgekeurd_in": str(ov.later)})
    pdf = voorzitter.get(f"/vergaderingen/{ov.held}/verslag.pdf").content
    text = " ".join(_pdf_tool("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split())
    assert "Goedgekeurd in de vergadering van" in text and "Concept" not in text
