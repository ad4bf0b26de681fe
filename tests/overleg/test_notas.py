"""Signaalnota's: composing from dossiers, the pages per persona, the preview, privacy confirmations, and the
lifecycle (ter goedkeuring → verstuurd → antwoord → terugkoppeling → afgerond) with the signals following.

The PDF itself is tested in test_nota_pdf.py, the JSON API in test_nota_api.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from common import dates
from common.dates import today
from overleg.notas import pdf as nota_pdf
from overleg.tables import Antwoord, Dossier, NotaCommentaar, Overleg, Signaalnota, Terugkoppeling
from signalen.tables import Signaal, SignaalHistoriek
from tests.support import current_user, make_signaal, sync

PERSONAS = ("werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder", "anonymous")
DAY = dt.date(2025, 3, 3)
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R/Size 4>>\n%%EOF\n")


# ----------------------------------------------------------------------------- building blocks (also used by the
# PDF and API tests): dossiers straight through Piccolo, as the brief asks

def make_overleg(world, gemeente: str = "mechelen", **kw) -> int:
    row = Overleg(gemeente=world.gemeenten[gemeente], naam=kw.pop("naam", f"Jeugdwelzijnsoverleg {gemeente.title()}"),
                  **kw)
    sync(row.save())
    return row.id


def make_dossier(world, persona, n: int = 3, gemeente: str = "mechelen", titel: str = "Geen ontmoetingsplek",
                 status: str = "geagendeerd", **overrides) -> tuple[int, list[int]]:
    """A dossier with `n` signals of `persona`, the signals set to `status` (as the agenda would)."""
    ids = []
    for i in range(n):
        values = {"titel": f"Nergens samen zitten ({i + 1})", "datum": (DAY + dt.timedelta(days=20 * i)).isoformat(),
                  "plek": ("Nekkerspoel", "Station")[i % 2], "aantal_jongeren": 5, "gemeente": gemeente,
                  "citaten": [f"Overal worden we weggestuurd ({i + 1})."], **overrides}
        ids.append(make_signaal(persona, **values)["id"])
    dossier = Dossier(gemeente=world.gemeenten[gemeente], titel=titel, omschrijving="Tieners missen een plek.",
                      status="geagendeerd", aangemaakt_op=dates.now())
    sync(dossier.save())
    sync(Signaal.update({Signaal.dossier: dossier.id, Signaal.status: status}).where(Signaal.id.is_in(ids)))
    return dossier.id, ids


def new_nota(persona, dossier_ids: list[int], **body) -> dict:
    payload = {"dossiers": dossier_ids, "adressaat": "college", "onderwerp": "Een plek voor tieners", **body}
    response = persona.api("POST", "/api/v1/notas", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def statuses(ids: list[int]) -> set[str]:
    return {r["status"] for r in sync(Signaal.select(Signaal.status).where(Signaal.id.is_in(ids)))}


def stored(nota_id: int) -> dict:
    return sync(Signaalnota.select().where(Signaalnota.id == nota_id).first())


@pytest.fixture
def fast_pdf(monkeypatch):
    """Tests about rights and states need a PDF, not a beautiful one."""
    async def render(data):
        return TINY_PDF

    monkeypatch.setattr(nota_pdf, "render", render)


@pytest.fixture
def nota(personas, world, fast_pdf) -> dict:
    make_overleg(world)
    dossier_id, ids = make_dossier(world, personas["werker"])
    created = new_nota(personas["voorzitter"], [dossier_id])
    return {**created, "dossier": dossier_id, "signalen": ids}


# ----------------------------------------------------------------------------- composing

def test_the_chair_composes_a_nota_from_a_dossier_page_with_the_evidence_filled_in(personas, world):
    make_overleg(world)
    dossier_id, ids = make_dossier(world, personas["werker"])
    chair = personas["voorzitter"]
    page = chair.get(f"/notas/nieuw?dossier={dossier_id}")
    assert page.status_code == 200 and "Geen ontmoetingsplek" in page.text
    response = chair.post_form("/notas/nieuw", {"dossiers": str(dossier_id), "adressaat": "college",
                                                "onderwerp": "Een plek voor tieners"}, follow_redirects=False)
    assert response.status_code == 303 and re.fullmatch(r"/notas/\d+/bewerken", response.headers["location"])
    row = stored(int(response.headers["location"].split("/")[2]))
    year = today().year
    assert row["referentie"] == f"SN-{year}-001-MECHELEN" and row["status"] == "concept"
    secties = json.loads(row["secties"])
    assert "3 signalen over samen 15 jongeren" in secties["onderbouwing"]
    assert "Nekkerspoel: 2" in secties["onderbouwing"] and "Station: 1" in secties["onderbouwing"]
    assert "[naam]" not in secties["onderbouwing"]  # "Nekkerspoel (2)" read as a name with an age: redacted
    assert "Geen ontmoetingsplek" in secties["aanleiding"] and "sinds 3 maart 2025" in secties["aanleiding"]
    assert "nog geen acties" in secties["acties"]
    edit = chair.get(response.headers["location"])
    assert edit.status_code == 200
    assert "Overal worden we weggestuurd (1)." in edit.text  # the quotes to choose from
    assert "data:image/svg+xml;base64," in edit.text  # the charts of the evidence
    assert statuses(ids) == {"geagendeerd"}


def test_the_actions_of_the_overleg_on_the_dossiers_are_filled_in(personas, world):
    from overleg.tables import Actie, Partner

    overleg_id = make_overleg(world)
    dossier_id, _ = make_dossier(world, personas["werker"], n=1)
    other_id, _ = make_dossier(world, personas["werker"], n=1, titel="Ander dossier")
    caw = Partner(overleg=overleg_id, naam="CAW Boom Mechelen Lier", soort="caw")
    sync(caw.save())
    now = dates.now()
    sync(Actie(overleg=overleg_id, dossier=dossier_id, partner=caw.id, wat="Inloopmoment op woensdag openen",
               status="bezig", deadline=dt.date(2026, 6, 30), aangemaakt_op=now).save())
    sync(Actie(overleg=overleg_id, dossier=other_id, wat="Iets anders", aangemaakt_op=now).save())
    nota = new_nota(personas["voorzitter"], [dossier_id])
    assert nota["secties"]["acties"] == \
        "- Inloopmoment op woensdag openen (CAW Boom Mechelen Lier, bezig, tegen 30 juni 2026)"


def test_reference_numbers_count_per_gemeente_and_year(personas, world):
    from admin.tables import Lidmaatschap

    sync(Lidmaatschap(user=world.users["voorzitter"], gemeente=world.gemeenten["hoeilaart"], rol="voorzitter").save())
    mechelen = make_dossier(world, personas["werker"], n=1)[0]
    hoeilaart = make_dossier(world, personas["werker2"], n=1, gemeente="hoeilaart")[0]
    chair, year = personas["voorzitter"], today().year
    refs = [new_nota(chair, [d])["referentie"] for d in (mechelen, mechelen, hoeilaart, mechelen)]
    assert refs == [f"SN-{year}-001-MECHELEN", f"SN-{year}-002-MECHELEN", f"SN-{year}-001-HOEILAART",
                    f"SN-{year}-003-MECHELEN"]


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 404), ("coordinator", 200), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_who_may_start_a_nota(personas, world, name, status):
    dossier_id = make_dossier(world, personas["werker"], n=1)[0]
    response = personas[name].get(f"/notas/nieuw?dossier={dossier_id}", follow_redirects=False)
    assert response.status_code == status  # a partner does not see an unpublished dossier: 404
    if name == "coordinator":  # a coördinator writes only bovenlokale notas
        assert 'value="college"' not in response.text and 'value="bovenlokaal" checked' in response.text


def test_a_coordinator_makes_only_a_bovenlokale_nota(personas, world):
    dossier_id = make_dossier(world, personas["werker"], n=1)[0]
    coordinator = personas["coordinator"]
    refused = coordinator.api("POST", "/api/v1/notas", json={"dossiers": [dossier_id], "adressaat": "college",
                                                             "onderwerp": "x"})
    assert refused.status_code == 403
    made = new_nota(coordinator, [dossier_id], adressaat="bovenlokaal", adressaat_tekst="Vlaams minister van Jeugd")
    assert made["bovenlokaal"] is True and made["mag_beheren"] is True
    assert personas["voorzitter"].get(f"/notas/{made['id']}").status_code == 200


def test_bad_compose_input_is_refused_in_dutch(personas, world):
    dossier_id = make_dossier(world, personas["werker"], n=1)[0]
    foreign = make_dossier(world, personas["werker2"], n=1, gemeente="hoeilaart")[0]
    chair = personas["voorzitter"]
    response = chair.post_form("/notas/nieuw", {"adressaat": "paus", "onderwerp": "   "})
    assert response.status_code == 422
    assert "Kies één of meer dossiers." in response.text and "Geef de nota een onderwerp." in response.text
    assert chair.get(f"/notas/nieuw?dossier={foreign}").status_code == 404
    assert chair.get("/notas/nieuw?dossier=abc").status_code == 404
    assert chair.post_form("/notas/nieuw", {"dossiers": str(foreign), "adressaat": "college",
                                            "onderwerp": "x"}).status_code == 404
    assert sync(Signaalnota.count()) == 0
    ok = chair.post_form("/notas/nieuw", {"dossiers": str(dossier_id), "adressaat": "college",
                                          "onderwerp": "<script>alert(1)</script>"})
    assert ok.status_code == 200 and "<script>alert(1)" not in ok.text and "&lt;script&gt;" in ok.text


# ----------------------------------------------------------------------------- pages per persona

@pytest.mark.parametrize(("name", "concept", "ter_goedkeuring"), [
    ("werker", 404, 200), ("werker2", 404, 404), ("voorzitter", 200, 200), ("partner", 404, 200),
    ("coordinator", 404, 200), ("beheerder", 404, 404), ("anonymous", 303, 303)])
def test_who_reads_a_nota_and_when(personas, nota, name, concept, ter_goedkeuring):
    persona = personas[name]
    for path in (f"/notas/{nota['id']}", f"/notas/{nota['id']}/pdf"):
        assert persona.get(path, follow_redirects=False).status_code == concept, path
    personas["voorzitter"].post_form(f"/notas/{nota['id']}/ter-goedkeuring")
    for path in (f"/notas/{nota['id']}", f"/notas/{nota['id']}/pdf"):
        assert persona.get(path, follow_redirects=False).status_code == ter_goedkeuring, path
    listing = persona.get("/notas/", follow_redirects=False)
    if name in ("werker", "voorzitter", "partner", "coordinator"):
        assert listing.status_code == 200 and "Een plek voor tieners" in listing.text
    elif name == "werker2":
        assert listing.status_code == 200 and "Een plek voor tieners" not in listing.text
    else:
        assert listing.status_code == (404 if name == "beheerder" else 303)


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 403), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_only_the_chair_edits(personas, nota, name, status):
    personas["voorzitter"].post_form(f"/notas/{nota['id']}/ter-goedkeuring")
    assert personas[name].get(f"/notas/{nota['id']}/bewerken", follow_redirects=False).status_code == status
    response = personas[name].post_form(f"/notas/{nota['id']}/bewerken", {
        "versie": "2", "onderwerp": "Gewijzigd", "adressaat": "college", "actie": "opslaan"}, follow_redirects=False)
    assert response.status_code == (303 if status == 200 else status)
    assert (stored(nota["id"])["onderwerp"] == "Gewijzigd") is (status == 200)


@pytest.mark.parametrize("path", ["/notas/abc", "/notas/0", "/notas/-1", "/notas/1.5", "/notas/99999999999999999999",
                                  "/notas/%20", "/notas/999999/bewerken", "/notas/999999/pdf"])
def test_malformed_and_unknown_ids_are_404(personas, path):
    assert personas["voorzitter"].get(path).status_code == 404


def test_a_nota_of_another_gemeente_is_404_everywhere(personas, world, fast_pdf):
    from admin.tables import Lidmaatschap

    sync(Lidmaatschap(user=world.users["werker2"], gemeente=world.gemeenten["hoeilaart"], rol="voorzitter").save())
    dossier_id = make_dossier(world, personas["werker2"], n=1, gemeente="hoeilaart")[0]
    foreign = new_nota(personas["werker2"], [dossier_id])
    chair = personas["voorzitter"]
    for path in ("", "/bewerken", "/pdf", "/antwoord.pdf"):
        assert chair.get(f"/notas/{foreign['id']}{path}").status_code == 404
    for path in ("/ter-goedkeuring", "/versturen", "/commentaar", "/antwoord", "/nieuwe-versie", "/bovenlokaal",
                 "/terugkoppeling", f"/dossiers/{dossier_id}/afsluiten", "/voorbeeld"):
        assert chair.post_form(f"/notas/{foreign['id']}{path}", {"tekst": "x"}).status_code == 404, path
    assert stored(foreign["id"])["status"] == "concept"
    assert sync(NotaCommentaar.count()) == 0


# ----------------------------------------------------------------------------- compose form: preview and privacy

def test_the_preview_renders_markdown_through_the_sanitiser_without_saving(personas, nota):
    chair = personas["voorzitter"]
    hostile = ("**Vet** en [klik](javascript:alert(1)) <script>alert('x')</script> <img src=x onerror=alert(1)>\n\n"
               "[mail](mailto:a@b.be) <a href=\"http://evil\" onclick=\"steal()\">a</a>")
    response = chair.post_form(f"/notas/{nota['id']}/bewerken", {
        "versie": "1", "onderwerp": "Een plek voor tieners", "adressaat": "college", "sectie_analyse": hostile,
        "actie": "voorbeeld"})
    assert response.status_code == 200
    preview = response.text.split('id="voorbeeld"', 1)[1].split("</section>", 1)[0]
    assert "<strong>Vet</strong>" in preview
    assert "<script>alert" not in response.text and "&lt;script&gt;" in preview  # shown as text, never run
    assert not re.search(r"<(a|img)\b[^>]*\bon\w+=", preview) and "<img" not in preview
    assert 'href="javascript:' not in response.text and '<a href="http://evil"' not in preview
    assert stored(nota["id"])["versie"] == 1  # a preview saves nothing
    fragment = chair.post_form(f"/notas/{nota['id']}/voorbeeld", {"sectie_advies": "- een *plek*"})
    assert fragment.status_code == 200 and "<em>plek</em>" in fragment.text and "<html" not in fragment.text


def test_personal_data_is_shown_and_only_confirmed_for_this_nota_when_ticked(personas, nota):
    chair = personas["voorzitter"]
    form = {"versie": "1", "onderwerp": "Een plek voor tieners", "adressaat": "college", "actie": "opslaan",
            "sectie_advies": "Bel de jeugddienst op 0470 12 34 56 of mail jan.peeters@example.com."}
    assert chair.post_form(f"/notas/{nota['id']}/bewerken", form).status_code == 200
    edit = chair.get(f"/notas/{nota['id']}/bewerken").text
    assert "telefoonnummer" in edit and "0470 12 34 56" in edit and 'name="bevestig"' in edit
    detail = chair.get(f"/notas/{nota['id']}").text
    assert "[telefoonnummer]" in detail and "[e-mailadres]" in detail  # the preview on the nota page
    confirm = {**form, "versie": "2", "bevindingen_getoond": "1", "bevestig": "telefoon:0470 12 34 56"}
    assert chair.post_form(f"/notas/{nota['id']}/bewerken", confirm).status_code == 200
    confirmed = json.loads(stored(nota["id"])["bevestigde_persoonsgegevens"])
    assert [(c["soort"], c["tekst"]) for c in confirmed] == [("telefoon", "0470 12 34 56")]
    assert confirmed[0]["bevestigd_door"] == nota_owner(personas)
    detail = chair.get(f"/notas/{nota['id']}").text
    assert "0470 12 34 56" in detail and "jan.peeters@example.com" not in detail.split('id="kop-inhoud"')[1]
    # another member reading the nota sees the guarded text too
    chair.post_form(f"/notas/{nota['id']}/ter-goedkeuring")
    assert "jan.peeters@example.com" not in personas["partner"].get(f"/notas/{nota['id']}").text


def nota_owner(personas) -> int:
    return current_user(personas["voorzitter"]).id


def test_an_edit_on_an_old_version_is_refused_with_409(personas, nota):
    chair = personas["voorzitter"]
    form = {"versie": "1", "onderwerp": "Eerste", "adressaat": "college", "actie": "opslaan"}
    assert chair.post_form(f"/notas/{nota['id']}/bewerken", form, follow_redirects=False).status_code == 303
    stale = chair.post_form(f"/notas/{nota['id']}/bewerken", {**form, "onderwerp": "Tweede"})
    assert stale.status_code == 409 and "intussen gewijzigd" in stale.text and "Tweede" in stale.text
    assert stored(nota["id"])["onderwerp"] == "Eerste"


# ----------------------------------------------------------------------------- lifecycle

def history(ids: list[int]) -> list[tuple[str, str]]:
    rows = sync(SignaalHistoriek.select(SignaalHistoriek.van, SignaalHistoriek.naar).where(
        SignaalHistoriek.signaal == ids[0]).order_by(SignaalHistoriek.id))
    return [(r["van"], r["naar"]) for r in rows if r["van"]]


def test_the_whole_way_of_a_nota_and_its_signals(personas, nota):
    chair, werker, nid, ids = personas["voorzitter"], personas["werker"], nota["id"], nota["signalen"]
    assert werker.post_form(f"/notas/{nid}/commentaar", {"tekst": "x"}).status_code == 404  # a concept is hidden
    assert chair.post_form(f"/notas/{nid}/ter-goedkeuring", follow_redirects=False).status_code == 303
    assert werker.post_form(f"/notas/{nid}/commentaar", {"tekst": "Ook de **bus** speelt mee"},
                            follow_redirects=False).status_code == 303
    assert "<strong>bus</strong>" in chair.get(f"/notas/{nid}").text
    assert werker.post_form(f"/notas/{nid}/versturen").status_code == 403
    answer_early = chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(),
                                                               "beslissing": "akkoord"})
    assert answer_early.status_code == 409 and "nog niet verstuurd" in answer_early.text

    assert chair.post_form(f"/notas/{nid}/versturen", follow_redirects=False).status_code == 303
    row = stored(nid)
    assert row["status"] == "verstuurd" and bytes(row["pdf"]) == TINY_PDF and row["verstuurd_op"]
    assert statuses(ids) == {"gesignaleerd"}
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == nota["dossier"]).first())["status"] == \
        "in_behandeling"
    again = chair.post_form(f"/notas/{nid}/versturen")
    assert again.status_code == 409 and "al verstuurd" in again.text
    assert chair.get(f"/notas/{nid}/bewerken").status_code == 409
    edit = chair.post_form(f"/notas/{nid}/bewerken", {"versie": str(row["versie"]), "onderwerp": "x",
                                                       "adressaat": "college", "actie": "opslaan"})
    assert edit.status_code == 409 and stored(nid)["onderwerp"] == "Een plek voor tieners"
    assert chair.post_form(f"/notas/{nid}/commentaar", {"tekst": "te laat"}).status_code == 409

    not_pdf = chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(),
                                                          "beslissing": "akkoord"},
                              files={"document": ("antwoord.pdf", b"<html>geen pdf</html>", "application/pdf")})
    assert not_pdf.status_code == 422 and "geen PDF" in not_pdf.text
    fake = chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(), "beslissing": "akkoord"},
                           files={"document": ("a.pdf", b"%PDF-1.4\nkapot", "application/pdf")})
    assert fake.status_code == 422 and "beschadigd" in fake.text
    bad = chair.post_form(f"/notas/{nid}/antwoord", {"datum": "gisteren", "beslissing": "misschien"})
    assert bad.status_code == 422 and "geldige datum" in bad.text and "Kies akkoord" in bad.text
    assert sync(Antwoord.count()) == 0 and statuses(ids) == {"gesignaleerd"}
    answered = chair.post_form(f"/notas/{nid}/antwoord", {
        "datum": today().isoformat(), "beslissing": "deels", "samenvatting": "Het college bekijkt de plek."},
        files={"document": ("antwoord college.pdf", TINY_PDF, "application/pdf")}, follow_redirects=False)
    assert answered.status_code == 303
    assert stored(nid)["status"] == "beantwoord" and statuses(ids) == {"beantwoord"}
    document = werker.get(f"/notas/{nid}/antwoord.pdf")
    assert document.status_code == 200 and document.content == TINY_PDF
    assert personas["werker2"].get(f"/notas/{nid}/antwoord.pdf").status_code == 404
    assert chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(),
                                                       "beslissing": "akkoord"}).status_code == 409

    early_close = chair.post_form(f"/notas/{nid}/dossiers/{nota['dossier']}/afsluiten", {"bevestigd": "1"})
    assert early_close.status_code == 409 and "Registreer eerst" in early_close.text
    assert werker.post_form(f"/notas/{nid}/terugkoppeling", {"dossier": str(nota["dossier"]), "hoe": "x",
                                                             "wat": "y"}).status_code == 403
    missing = chair.post_form(f"/notas/{nid}/terugkoppeling", {"dossier": str(nota["dossier"]), "datum": "",
                                                               "hoe": " ", "wat": ""})
    assert missing.status_code == 422
    fed_back = chair.post_form(f"/notas/{nid}/terugkoppeling", {
        "dossier": str(nota["dossier"]), "datum": today().isoformat(), "hoe": "Op het jongerenoverleg",
        "door": "Jeugdopbouwwerk", "wat": "Het college zoekt een plek; we houden jullie op de hoogte."},
        follow_redirects=False)
    assert fed_back.status_code == 303 and sync(Terugkoppeling.count()) == 1
    assert statuses(ids) == {"teruggekoppeld"}
    assert "Op het jongerenoverleg" in chair.get(f"/notas/{nid}").text
    closed = chair.post_form(f"/notas/{nid}/dossiers/{nota['dossier']}/afsluiten", {"bevestigd": "1"},
                             follow_redirects=False)
    assert closed.status_code == 303 and statuses(ids) == {"afgesloten"}
    assert sync(Dossier.select(Dossier.status).where(Dossier.id == nota["dossier"]).first())["status"] == "afgerond"
    assert history(ids) == [("geagendeerd", "gesignaleerd"), ("gesignaleerd", "beantwoord"),
                            ("beantwoord", "teruggekoppeld"), ("teruggekoppeld", "afgesloten")]
    assert chair.post_form(f"/notas/{nid}/dossiers/{nota['dossier']}/afsluiten",
                           {"bevestigd": "1"}).status_code == 409


def test_the_answer_upload_has_its_own_10_mib_limit(personas, nota):
    chair, nid = personas["voorzitter"], nota["id"]
    chair.post_form(f"/notas/{nid}/versturen")
    form = {"datum": today().isoformat(), "beslissing": "akkoord"}
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)  # just over 10 MiB: the route accepts the body, we refuse it
    response = chair.post_form(f"/notas/{nid}/antwoord", form,
                               files={"document": ("groot.pdf", big, "application/pdf")})
    assert response.status_code == 422 and "hoogstens 10 MiB" in response.text
    huge = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    assert chair.post_form(f"/notas/{nid}/antwoord", form, files={"document": ("a.pdf", huge, "application/pdf")}
                           ).status_code == 413
    assert sync(Antwoord.count()) == 0


def test_a_correction_is_a_new_version_pointing_to_the_sent_one(personas, nota):
    chair, nid = personas["voorzitter"], nota["id"]
    assert chair.post_form(f"/notas/{nid}/nieuwe-versie").status_code == 409  # a concept is simply edited
    chair.post_form(f"/notas/{nid}/versturen")
    response = chair.post_form(f"/notas/{nid}/nieuwe-versie", follow_redirects=False)
    assert response.status_code == 303
    new_id = int(response.headers["location"].split("/")[2])
    row = stored(new_id)
    assert row["vorige"] == nid and row["status"] == "concept" and row["referentie"] == nota["referentie"] + "-v2"
    assert "Vervangt" in chair.get(f"/notas/{new_id}").text
    assert chair.post_form(f"/notas/{nid}/nieuwe-versie").status_code == 409  # one correction per nota
    assert stored(nid)["status"] == "verstuurd"


def test_niet_bevoegd_offers_a_bovenlokale_nota_from_the_same_dossiers(personas, nota):
    chair, nid = personas["voorzitter"], nota["id"]
    chair.post_form(f"/notas/{nid}/versturen")
    assert chair.post_form(f"/notas/{nid}/bovenlokaal").status_code == 409
    chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(), "beslissing": "niet_bevoegd"})
    page = chair.get(f"/notas/{nid}").text
    assert "Bovenlokale nota maken" in page
    response = chair.post_form(f"/notas/{nid}/bovenlokaal", follow_redirects=False)
    assert response.status_code == 303
    new = stored(int(response.headers["location"].split("/")[2]))
    assert new["adressaat"] == "bovenlokaal" and new["bovenlokaal"] and new["status"] == "concept"
    assert "niet bevoegd" in json.loads(new["secties"])["aanleiding"]
    bovenlokaal_id = new["id"]
    sent = chair.post_form(f"/notas/{bovenlokaal_id}/versturen")
    assert sent.status_code == 422 and "bovenlokale nota" in sent.text  # the addressee must be named first


def test_overdue_answers_are_listed_for_the_overleg(personas, nota):
    from overleg.notas.lifecycle import overdue_answers

    chair, nid = personas["voorzitter"], nota["id"]
    chair.post_form(f"/notas/{nid}/versturen")
    assert sync(overdue_answers(current_user(chair))) == []
    sync(Signaalnota.update({Signaalnota.antwoord_gevraagd_tegen: today() - dt.timedelta(days=3)}).where(
        Signaalnota.id == nid))
    late = sync(overdue_answers(current_user(personas["werker"])))
    assert [(n["id"], n["dagen_te_laat"]) for n in late] == [(nid, 3)]
    assert sync(overdue_answers(current_user(personas["werker2"]))) == []
    assert "Antwoord laat op zich wachten" in chair.get("/notas/").text
    chair.post_form(f"/notas/{nid}/antwoord", {"datum": today().isoformat(), "beslissing": "akkoord"})
    assert sync(overdue_answers(current_user(chair))) == []
