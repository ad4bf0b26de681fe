"""The signaalnota as PDF, read back with poppler: every section, the reference, the addressee and the numbers;
privacy at render time; PDF/UA metadata; the frozen PDF and its hash; hostile input that must fetch nothing; the
table of contents; the letterhead; and the checks on uploaded logos and answers."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from overleg.notas import pdf as nota_pdf
from overleg.tables import Huisstijl, Overleg, Signaalnota
from signalen.tables import Signaal
from tests.overleg.test_notas import make_dossier, make_overleg, new_nota
from tests.support import make_signaal, pdf_page_count, sync
from tests.support import pdf_objects as objects

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
                                reason="poppler-utils not installed")
PHONE = "0470 12 34 56"


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"nota-{tool}.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])]
    result = subprocess.run(command, capture_output=True, check=True, timeout=60)  # noqa: S603 (fixed poppler tools)
    return result.stdout.decode("utf-8", "replace")


def text_of(pdf: bytes, tmp_path: Path) -> str:
    return " ".join(poppler("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split())




def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (31, 95, 139)).save(buffer, format="PNG")
    return buffer.getvalue()


SECTIES = {
    "aanleiding": "Tieners in **Nekkerspoel** vinden geen plek om samen te zijn.",
    "onderbouwing": "Zie de cijfers hieronder. ONDERBOUWING-MARKER",
    "analyse": "Het jeugdhuis is alleen in het weekend open. ANALYSE-MARKER",
    "acties": "- Het CAW opende een inloopmoment. ACTIES-MARKER",
    "advies": "Het overleg vraagt een overdekte ontmoetingsplek. ADVIES-MARKER",
    "opvolging": "De jeugddienst trekt dit. OPVOLGING-MARKER",
}


@pytest.fixture
def chair_nota(personas, world):
    make_overleg(world)
    dossier_id, ids = make_dossier(world, personas["werker"])
    nota = new_nota(personas["voorzitter"], [dossier_id], secties=SECTIES, trekker="Jeugddienst Mechelen")
    return {**nota, "dossier": dossier_id, "signalen": ids}


def patch(persona, nota_id: int, **changes) -> dict:
    versie = persona.get(f"/api/v1/notas/{nota_id}").json()["versie"]
    response = persona.api("PATCH", f"/api/v1/notas/{nota_id}", json={"versie": versie, **changes})
    assert response.status_code == 200, response.text
    return response.json()


def sent_pdf(persona, nota_id: int) -> bytes:
    response = persona.api("POST", f"/api/v1/notas/{nota_id}/versturen")
    assert response.status_code == 200, response.text
    pdf = persona.get(f"/api/v1/notas/{nota_id}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    return pdf.content


# ----------------------------------------------------------------------------- content

def test_the_pdf_holds_every_section_the_reference_the_addressee_and_the_numbers(personas, chair_nota, tmp_path):
    chair = personas["voorzitter"]
    patch(chair, chair_nota["id"], citaten=["Overal worden we weggestuurd (2)."])
    text = text_of(sent_pdf(chair, chair_nota["id"]), tmp_path)
    for title in ("1. Aanleiding en omschrijving", "2. Onderbouwing", "3. Analyse", "4. Reeds ondernomen acties",
                  "5. Advies en gevraagde beslissing", "6. Opvolging", "Bijlage: overzicht van de signalen"):
        assert title in text, title
    for marker in ("ONDERBOUWING-MARKER", "ANALYSE-MARKER", "ACTIES-MARKER", "ADVIES-MARKER", "OPVOLGING-MARKER"):
        assert marker in text, marker
    assert chair_nota["referentie"] in text and "College van burgemeester en schepenen" in text
    assert "Jeugdwelzijnsoverleg Mechelen" in text and "Jeugddienst Mechelen" in text
    assert re.search(r"Signalen 3 Betrokken jongeren \(geschat\) 15 Plekken 2", text)  # the key figures
    assert "Signalen per maand" in text and "mrt 2025" in text and "Signalen per plek" in text
    assert "Nergens samen zitten (1)" in text and "03/03/2025" in text  # the annex of signals
    assert "“Overal worden we weggestuurd (2).”" in text
    assert "Overal worden we weggestuurd (1)." not in text  # a quote the chair did not select
    assert re.search(r"pagina 1 van \d", text) and "Concept" not in text
    assert "Inhoud" not in text  # short: no table of contents


def test_planted_personal_data_is_absent_unless_confirmed_for_this_nota(personas, world, tmp_path):
    make_overleg(world)
    dossier_id, _ = make_dossier(world, personas["werker"], n=1)
    quote = f"Bel me gerust op {PHONE}, zei ze."
    extra = make_signaal(personas["werker"], confirm=True, titel="Plek gezocht", citaten=[quote])
    sync(Signaal.update({Signaal.dossier: dossier_id, Signaal.status: "geagendeerd"}).where(Signaal.id == extra["id"]))
    chair = personas["voorzitter"]
    nota = new_nota(chair, [dossier_id], secties={"advies": "Contact: jan.peeters@example.com of 0498 76 54 32."})
    detail = patch(chair, nota["id"], citaten=[quote])
    assert {p["tekst"] for p in detail["persoonsgegevens"]} >= {PHONE, "jan.peeters@example.com", "0498 76 54 32"}
    concept = chair.get(f"/notas/{nota['id']}/pdf").content
    text = text_of(concept, tmp_path)
    assert PHONE not in text and "0498 76 54 32" not in text and "jan.peeters@example.com" not in text
    assert "Bel me gerust op [telefoonnummer], zei ze." in text and "[e-mailadres]" in text
    assert "Concept — nog niet verstuurd" in text
    detail = patch(chair, nota["id"], bevestig_persoonsgegevens=True)
    assert all(p["bevestigd"] for p in detail["persoonsgegevens"])
    assert PHONE in text_of(sent_pdf(chair, nota["id"]), tmp_path)


def test_worker_names_are_left_out_unless_the_overleg_shows_them(personas, world, tmp_path):
    overleg_id = make_overleg(world)
    dossier_id, _ = make_dossier(world, personas["werker"], n=1)
    chair = personas["voorzitter"]
    nota = new_nota(chair, [dossier_id], secties={"analyse": "Werker Test hoorde dit elke week."})
    assert "Werker Test" not in text_of(chair.get(f"/notas/{nota['id']}/pdf").content, tmp_path)
    sync(Overleg.update({Overleg.werkernamen_in_nota: True}).where(Overleg.id == overleg_id))
    shown = new_nota(chair, [dossier_id], secties={"analyse": "Werker Test hoorde dit elke week."})
    text = text_of(chair.get(f"/notas/{shown['id']}/pdf").content, tmp_path)
    assert "Werker Test hoorde dit elke week." in text
    assert "1 jeugdopbouwwerker (Werker Test) registreerde 1 signaal over samen 5 jongeren" in text


def test_the_pdf_is_tagged_pdf_ua_1_in_flemish_dutch_with_metadata(personas, chair_nota, tmp_path):
    pdf = sent_pdf(personas["voorzitter"], chair_nota["id"])
    assert 'pdfuaid:part="1"' in poppler("pdfinfo", pdf, tmp_path, "-meta") or \
        "<pdfuaid:part>1</pdfuaid:part>" in poppler("pdfinfo", pdf, tmp_path, "-meta")
    assert b"/Lang (nl-BE)" in objects(pdf) and b"/StructTreeRoot" in objects(pdf)
    info = poppler("pdfinfo", pdf, tmp_path)
    assert re.search(rf"^Title:\s+Signaalnota {chair_nota['referentie']}: Een plek voor tieners$", info, re.M)
    assert re.search(r"^Author:\s+Jeugdwelzijnsoverleg Mechelen$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^Page size:.*\(A4\)", info, re.M)
    fonts = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts if row.strip())  # every font embedded


def test_a_sent_nota_keeps_its_pdf_and_the_pdf_matches_its_sha256(personas, chair_nota, tmp_path):
    chair = personas["voorzitter"]
    pdf = sent_pdf(chair, chair_nota["id"])
    row = sync(Signaalnota.select(Signaalnota.pdf, Signaalnota.pdf_sha256).where(
        Signaalnota.id == chair_nota["id"]).first())
    assert hashlib.sha256(bytes(row["pdf"])).hexdigest() == row["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert chair.get(f"/api/v1/notas/{chair_nota['id']}").json()["pdf_sha256"] == row["pdf_sha256"]
    # the evidence moves on (a new signal in the dossier), the sent PDF does not
    extra = make_signaal(personas["werker"], titel="Nog een signaal")
    sync(Signaal.update({Signaal.dossier: chair_nota["dossier"]}).where(Signaal.id == extra["id"]))
    assert personas["werker"].get(f"/notas/{chair_nota['id']}/pdf").content == pdf


def test_a_long_nota_gets_a_table_of_contents_with_page_numbers(personas, chair_nota, tmp_path):
    chair = personas["voorzitter"]
    long = "\n\n".join(f"Paragraaf {i}: jongeren vertellen telkens opnieuw dat ze nergens terechtkunnen. " * 6
                       for i in range(40))
    patch(chair, chair_nota["id"], secties={"analyse": long})
    pdf = chair.get(f"/notas/{chair_nota['id']}/pdf").content
    assert pdf_page_count(pdf) == int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", pdf, tmp_path))[1]) > 3
    text = text_of(pdf, tmp_path)
    assert "Inhoud" in text
    assert re.search(r"3\. Analyse[ .]*\d+ 4\. Reeds ondernomen acties[ .]*\d+", text), text[:1500]


# ----------------------------------------------------------------------------- hostile input

class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0


class _Handler(BaseHTTPRequestHandler):
    def setup(self) -> None:
        self.server.connections += 1
        super().setup()

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p::after { content: ' REMOTE-LOADED'; }")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_server():
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_hostile_markdown_runs_nothing_fetches_nothing_and_leaks_no_file(personas, chair_nota, http_server,
                                                                          tmp_path):
    remote = f"http://127.0.0.1:{http_server.server_address[1]}"
    hostile = (f"<script>alert('x')</script> <b onmouseover=alert(1)>vet</b> [klik](javascript:alert(1))\n\n"
               f'<img src="file:///etc/passwd"> ![x](file:///etc/passwd) <img src="{remote}/pixel.png">\n\n'
               f'<link rel=stylesheet href="file:///etc/passwd"> <link rel="stylesheet" href="{remote}/a.css">\n\n'
               f"<style>body {{ background: url(file:///etc/hostname); }} @import url({remote}/b.css);</style>\n\n"
               f'<div style="background:url({remote}/c.png)">stijl</div> ![y]({remote}/d.png) HOSTILE-MARKER')
    chair = personas["voorzitter"]
    patch(chair, chair_nota["id"], secties={"analyse": hostile, "advies": f"[site]({remote}/e)"},
          onderwerp=f"Onderwerp <img src={remote}/f.png>")
    pdf = sent_pdf(chair, chair_nota["id"])
    assert http_server.connections == 0
    text = text_of(pdf, tmp_path)
    assert "HOSTILE-MARKER" in text and "root:" not in text and "REMOTE-LOADED" not in text
    assert b"root:x:0" not in objects(pdf) and b"/JavaScript" not in objects(pdf) and b"/JS " not in objects(pdf)
    page = chair.get(f"/notas/{chair_nota['id']}").text
    assert "<script>alert" not in page and "onmouseover" not in page.replace("onmouseover=alert(1)&gt;", "")


# ----------------------------------------------------------------------------- letterhead and uploads

def test_the_letterhead_shows_the_logo_and_sender_or_a_clean_text_letterhead(personas, chair_nota, world, tmp_path,
                                                                            monkeypatch):
    monkeypatch.setattr(nota_pdf, "MEDIA_DIR", tmp_path / "media")
    (tmp_path / "media" / "huisstijl").mkdir(parents=True)
    (tmp_path / "media" / "huisstijl" / "logo.png").write_bytes(png())
    evil = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="5" height="5"/></svg>'
    (tmp_path / "media" / "huisstijl" / "kwaad.svg").write_bytes(evil)
    chair, url = personas["voorzitter"], f"/notas/{chair_nota['id']}/pdf"
    plain = chair.get(url).content
    assert "Mechelen" in text_of(plain, tmp_path) and len(poppler("pdfimages", plain, tmp_path, "-list")
                                                          .splitlines()) == 2  # no image at all
    sync(Huisstijl(gemeente=world.gemeenten["mechelen"], logo="logo.png",
                   afzender="Stad Mechelen · Jeugddienst · Grote Markt 21, 2800 Mechelen").save())
    with_logo = chair.get(url).content
    assert "Grote Markt 21, 2800 Mechelen" in text_of(with_logo, tmp_path)
    assert len(poppler("pdfimages", with_logo, tmp_path, "-list").splitlines()) == 3  # header lines + the logo
    for bad in ("kwaad.svg", "../../../etc/passwd", "/etc/passwd", "bestaat-niet.png"):
        sync(Huisstijl.update({Huisstijl.logo: bad}, force=True))
        assert len(poppler("pdfimages", chair.get(url).content, tmp_path, "-list").splitlines()) == 2, bad


SVG_OK = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#1f5f8b"/>' \
         b'<use href="#a"/></svg>'


@pytest.mark.parametrize(("data", "name"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="http://h/i.png"/>'
     b'</svg>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://h/x.css);</style></svg>', "a.svg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://h/x)"/></svg>', "a.svg"),
    (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
     "a.svg"),
    (b"<svg", "a.svg"), (b"<html></html>", "a.svg"), (b"GIF89a....", "a.gif"), (b"\x89PNG\r\n\x1a\nkapot", "a.png"),
    (png(), "logo.svg"), (b"%PDF-1.4", "logo.png"), (png() + b"\0" * (1024 * 1024), "groot.png"),
])
def test_an_unsafe_or_wrong_logo_is_refused_in_dutch(data, name):
    with pytest.raises(ValueError, match=r"[a-z]") as refused:
        nota_pdf.sanitise_logo(data, name)
    assert re.search(r"logo|SVG|afbeelding|bestand|MiB", str(refused.value))


def test_a_safe_logo_is_accepted_and_the_admin_storage_keeps_only_safe_ones(tmp_path, monkeypatch):
    assert nota_pdf.sanitise_logo(png(), "logo.png") == png()
    assert nota_pdf.sanitise_logo(SVG_OK, "logo.svg") == SVG_OK
    monkeypatch.setattr(nota_pdf, "MEDIA_DIR", tmp_path)
    storage = nota_pdf.logo_storage()
    key = asyncio.run(storage.store_file("logo.png", io.BytesIO(png())))
    assert (tmp_path / "huisstijl" / key).read_bytes() == png()
    with pytest.raises(ValueError):
        asyncio.run(storage.store_file("kwaad.svg", io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg" '
                                                                b'onload="x()"/>')))
    assert len(list((tmp_path / "huisstijl").iterdir())) == 1


def test_only_a_real_pdf_of_at_most_10_mib_is_an_answer(tmp_path):
    from common.pdf import PdfMeta, render_pdf

    real = sync(render_pdf("<p>Antwoord van het college</p>", PdfMeta(title="Antwoord", author="College")))
    assert nota_pdf.check_answer_pdf(real) is None
    assert "geen PDF" in nota_pdf.check_answer_pdf(b"<html>antwoord</html>")
    assert "beschadigd" in nota_pdf.check_answer_pdf(b"%PDF-1.7\n" + b"x" * 100)
    assert "10 MiB" in nota_pdf.check_answer_pdf(b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert nota_pdf.check_answer_pdf(b"") == "Kies een PDF-bestand."
