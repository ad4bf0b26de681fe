"""The signaalnota as a PDF: privacy at render time, the letterhead, the table of contents, and the checks on the
files that come in (a letterhead logo, the council's answer).

Only common.pdf.render_template_pdf makes the PDF (and counts its pages). Everything user-written goes through the
privacy guard (findings nobody confirmed for this nota are replaced by their placeholder) and then
common.markdown.render_markdown.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import anyio

from common.dates import local, long_date
from common.markdown import render_markdown
from common.pdf import PdfMeta, RenderedPdf, render_html, render_template_pdf
from overleg.notas import evidence
from settings import BASE_DIR
from signalen import audience, privacy

#: Uploaded letterhead logos (Piccolo Admin media); tests may monkeypatch it.
MEDIA_DIR: Path = BASE_DIR / "data" / "media"
LOGO_DIR = "huisstijl"
MAX_LOGO = 1024 * 1024
MAX_ANSWER = 10 * 1024 * 1024
SECTIES = {"aanleiding": "Aanleiding en omschrijving", "onderbouwing": "Onderbouwing", "analyse": "Analyse",
           "acties": "Reeds ondernomen acties", "advies": "Advies en gevraagde beslissing", "opvolging": "Opvolging"}
WORKER = "[jeugdopbouwwerker]"


# ----------------------------------------------------------------------------- privacy

class Redactor(audience.Redactor):
    """The nota's audience: what the guard finds is replaced unless a person confirmed it for this nota; and worker
    names unless the overleg shows them (Overleg.werkernamen_in_nota)."""

    def __init__(self, confirmed: list[dict], workers: list[str], show_workers: bool) -> None:
        super().__init__(confirmed)
        self.workers = [w for w in workers if w.strip()]
        self.show_workers = show_workers
        names = sorted(self.workers, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)", re.IGNORECASE) \
            if names and not show_workers else None

    def confirmed(self, finding: privacy.Finding) -> bool:
        if super().confirmed(finding):
            return True
        return self.show_workers and finding.kind == "naam" and any(finding.text in w for w in self.workers)

    def __call__(self, text: str | None, field: str = "") -> str:
        text = super().__call__(text, field)
        return self.pattern.sub(WORKER, text) if self.pattern else text


def redactor_for(data: dict) -> Redactor:
    nota = data["nota"]
    workers = evidence.worker_names(data["rows"])
    return Redactor(nota["bevestigde_persoonsgegevens"], workers, nota["werkernamen_in_nota"])


def texts(nota: dict, ev: dict, rows: list[dict], dossier_rows: list[dict]) -> list[tuple[str, str]]:
    """Every user-written text the PDF shows, with a field name: what the guard looks at."""
    out = [("onderwerp", nota["onderwerp"]), ("adressaat", nota["adressaat_tekst"]), ("trekker", nota["trekker"])]
    out += [(f"secties.{key}", nota["secties"].get(key, "")) for key in SECTIES]
    out += [("citaat", quote) for quote in nota["citaten"]]
    out += [(f"dossier.{d['id']}", d["titel"]) for d in dossier_rows]
    out += [("plek", item["label"]) for item in ev["plekken"]]
    out += [(f"signaal.{row['id']}", row["titel"]) for row in rows]
    out += [("plek", row["plek"]) for row in rows if row["plek"]]
    return [(field, text) for field, text in out if text]


def findings(data: dict) -> list[dict]:
    """The guard's findings over everything the PDF would show, each marked `bevestigd` or not (for the form)."""
    nota, redactor = data["nota"], redactor_for(data)
    seen: dict[tuple[str, str], dict] = {}
    for field, text in texts(nota, data["evidence"], data["rows"], data["dossiers"]):
        for finding in privacy.scan_text(text, field):
            key = (finding.kind, finding.text)
            if key not in seen:
                seen[key] = {**finding.as_dict(), "bevestigd": redactor.confirmed(finding),
                             "sleutel": f"{finding.kind}:{finding.text}"}
    return list(seen.values())


# ----------------------------------------------------------------------------- the document

def adressaat_label(nota: dict) -> str:
    labels = {"college": "College van burgemeester en schepenen", "ocmw-raad": "OCMW-raad"}
    return labels.get(nota["adressaat"]) or nota["adressaat_tekst"] or "Bovenlokale adressaat"


def adressaat_in_zin(nota: dict) -> str:
    """The addressee inside a sentence: "het college van burgemeester en schepenen", "de OCMW-raad", or the
    bovenlokale addressee as it was typed ("aan de Vlaamse overheid" reads as the chair wrote it)."""
    in_sentence = {"college": "het college van burgemeester en schepenen", "ocmw-raad": "de OCMW-raad"}
    return in_sentence.get(nota["adressaat"]) or nota["adressaat_tekst"] or "de bovenlokale adressaat"


def _redacted_evidence(ev: dict, redact: Redactor) -> dict:
    return {**ev, "plekken": [{**item, "label": redact(item["label"], "plek")} for item in ev["plekken"]]}


def context(data: dict, *, charts: bool = True) -> dict:
    """Everything the template shows, after the privacy guard. `data` comes from notas.pdf_input()."""
    nota, rows, redact = data["nota"], data["rows"], redactor_for(data)
    ev = _redacted_evidence(data["evidence"], redact)
    secties = [{"id": f"sectie-{key}", "nummer": i, "titel": title, "sleutel": key,
                "html": render_markdown(redact(nota["secties"].get(key, ""), f"secties.{key}"))}
               for i, (key, title) in enumerate(SECTIES.items(), start=1)]
    if not data["concept"]:  # a sent nota leaves out empty sections (the evidence always stays)
        secties = [s for s in secties if str(s["html"]).strip() or s["sleutel"] == "onderbouwing"]
        for number, sectie in enumerate(secties, start=1):
            sectie["nummer"] = number
    huisstijl = data.get("huisstijl") or {}
    datum = data["datum"]
    return {
        "ref": nota["referentie"], "onderwerp": redact(nota["onderwerp"], "onderwerp"),
        "datum": datum, "datum_tekst": long_date(datum), "concept": data["concept"],
        "geanonimiseerd": long_date(local(nota["geanonimiseerd_op"]).date()) if nota.get("geanonimiseerd_op") else "",
        "adressaat": redact(adressaat_label(nota), "adressaat"), "overleg": nota["overleg_naam"],
        "gemeente": nota["gemeente_naam"], "trekker": redact(nota["trekker"], "trekker"),
        "antwoord_tegen": long_date(nota["antwoord_gevraagd_tegen"]), "vorige": data.get("vorige") or "",
        "logo": logo_data_uri(huisstijl.get("logo") or ""), "afzender": huisstijl.get("afzender") or "",
        "dossiers": [redact(d["titel"], f"dossier.{d['id']}") for d in data["dossiers"]],
        "secties": secties, "bewijs": ev, "grafieken": evidence.charts(ev) if charts else [],
        "citaten": [redact(q, "citaat") for q in nota["citaten"]],
        "signalen": [{**row, "titel": redact(row["titel"], f"signaal.{row['id']}"), "plek": redact(row["plek"], "plek")}
                     for row in rows],
    }


TEMPLATE = "pdf/nota.html"


def html(ctx: dict, *, toc: bool) -> str:
    return render_html(TEMPLATE, {**ctx, "toc": toc})


def estimated_pages(ctx: dict) -> float:
    """A rough page count without the ToC (fitted on rendered notas), to decide on the ToC before the render."""
    chars = sum(len(str(s["html"])) for s in ctx["secties"])
    months = len(ctx["bewijs"]["per_maand"])
    return (1.6 + chars / 4500 + len(ctx["signalen"]) / 45 + 0.45 * len(ctx["grafieken"]) + max(0, months - 8) / 30
            + 0.04 * len(ctx["citaten"]))


def meta(ctx: dict) -> PdfMeta:
    return PdfMeta(title=f"Signaalnota {ctx['ref']}: {ctx['onderwerp']}", author=ctx["overleg"], lang="nl-BE",
                   subject=f"Aan: {ctx['adressaat']}", keywords=("signaalnota", ctx["gemeente"], ctx["ref"]))


async def render_nota(data: dict) -> tuple[RenderedPdf, dict, bool]:
    """The nota as tagged PDF/UA-1 (bytes and pages), its template context and whether it has a table of contents
    (the context is built in a worker thread, the PDF in common.pdf's pool).

    A table of contents when the nota runs over three pages. Whether it will is predicted before the one render;
    the result is kept when it agrees (with a ToC and more than three pages, or without one and at most three) and
    rendered again the other way only when the guess was wrong. The pages are WeasyPrint's own count."""
    ctx = await anyio.to_thread.run_sync(context, data)
    document_meta = meta(ctx)
    toc = estimated_pages(ctx) > 3.5
    rendered = await render_template_pdf(TEMPLATE, {**ctx, "toc": toc}, document_meta)
    if (rendered.pages > 3) != toc:
        toc = not toc
        rendered = await render_template_pdf(TEMPLATE, {**ctx, "toc": toc}, document_meta)
    return rendered, ctx, toc


async def render_document(data: dict) -> tuple[bytes, str]:
    """The nota's PDF and the final HTML it came from."""
    rendered, ctx, toc = await render_nota(data)
    return rendered.pdf, html(ctx, toc=toc)


async def render(data: dict) -> bytes:
    return (await render_nota(data))[0].pdf


# ----------------------------------------------------------------------------- files that come in

PNG, JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
_SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video", "handler", "listener"}
_BAD_STYLE = re.compile(r"@import|url\s*\(\s*['\"]?(?!#)|expression\s*\(|javascript:", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _check_svg(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("Dit SVG-bestand is geen geldige UTF-8-tekst.") from exc
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise ValueError("Een SVG-logo met een DOCTYPE of entiteiten wordt geweigerd.")
    try:
        root = ET.fromstring(text)  # noqa: S314 (DOCTYPE and entities refused above; expat fetches nothing)
    except ET.ParseError as exc:
        raise ValueError("Dit SVG-bestand kan niet gelezen worden.") from exc
    if _local(root.tag) != "svg":
        raise ValueError("Dit is geen SVG-afbeelding.")
    for element in root.iter():
        tag = _local(str(element.tag))
        if tag in _SVG_FORBIDDEN:
            raise ValueError("Een SVG-logo met scripts of ingesloten inhoud wordt geweigerd.")
        if tag == "style" and _BAD_STYLE.search(element.text or ""):
            raise ValueError("Een SVG-logo dat externe bestanden laadt, wordt geweigerd.")
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                raise ValueError("Een SVG-logo met scripts (on…-attributen) wordt geweigerd.")
            if attribute in ("href", "src") and not value.strip().startswith("#"):
                raise ValueError("Een SVG-logo met externe verwijzingen wordt geweigerd.")
            if (attribute == "style" and _BAD_STYLE.search(value)) or "javascript:" in value.lower():
                raise ValueError("Een SVG-logo dat externe bestanden laadt, wordt geweigerd.")


def sanitise_logo(data: bytes, filename: str) -> bytes:
    """A letterhead logo: PNG or JPEG (by magic bytes, decodable) or an SVG without script, on*-attributes,
    external references or foreignObject; at most 1 MiB. Raises ValueError with a Dutch message."""
    if len(data) > MAX_LOGO:
        raise ValueError("Het logo mag hoogstens 1 MiB groot zijn.")
    suffix = Path(filename or "").suffix.lower()
    if data.startswith(PNG) or data.startswith(JPEG):
        if suffix not in (".png", ".jpg", ".jpeg"):
            raise ValueError("De bestandsnaam past niet bij het soort afbeelding.")
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception as exc:  # noqa: BLE001 (any decoding error means: not a usable image)
            raise ValueError("Deze afbeelding is beschadigd of onleesbaar.") from exc
        return data
    if suffix == ".svg":
        _check_svg(data)
        return data
    raise ValueError("Kies een PNG-, JPEG- of SVG-bestand als logo.")


def logo_data_uri(file_key: str) -> str:
    """The uploaded logo as a data: URI (checked again on every use), or '' when absent or refused."""
    import base64

    if not file_key or "/" in file_key or "\\" in file_key or file_key.startswith("."):
        return ""
    root = (MEDIA_DIR / LOGO_DIR).resolve()
    path = (root / file_key).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return ""
    try:
        data = sanitise_logo(path.read_bytes()[:MAX_LOGO + 1], file_key)
    except (OSError, ValueError):
        return ""
    kind = "image/png" if data.startswith(PNG) else "image/jpeg" if data.startswith(JPEG) else "image/svg+xml"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def logo_storage():
    """Piccolo Admin media storage for Huisstijl.logo that stores only what sanitise_logo accepts."""
    from piccolo_api.media.local import LocalMediaStorage

    from overleg.tables import Huisstijl

    class LogoStorage(LocalMediaStorage):
        async def store_file(self, file_name: str, file, user=None) -> str:
            data = sanitise_logo(file.read(MAX_LOGO + 1), file_name)
            return await super().store_file(file_name, io.BytesIO(data), user)

    (MEDIA_DIR / LOGO_DIR).mkdir(parents=True, exist_ok=True)
    return LogoStorage(column=Huisstijl.logo, media_path=str(MEDIA_DIR / LOGO_DIR),
                       allowed_extensions=["png", "jpg", "jpeg", "svg"])


def check_answer_pdf(data: bytes) -> str | None:
    """None for a real PDF of at most 10 MiB, else the Dutch reason it is refused."""
    if not data:
        return "Kies een PDF-bestand."
    if len(data) > MAX_ANSWER:
        return "Het antwoord mag hoogstens 10 MiB groot zijn."
    if not data.startswith(b"%PDF-"):
        return "Dit bestand is geen PDF. Laad het antwoord als PDF op."
    if not shutil.which("pdfinfo"):
        return None if b"%%EOF" in data[-4096:] else "Deze PDF is onvolledig of beschadigd."
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        try:
            result = subprocess.run(["pdfinfo", handle.name], capture_output=True, timeout=20)  # noqa: S603,S607
        except subprocess.TimeoutExpired:
            return "Deze PDF kan niet gelezen worden."
    return None if result.returncode == 0 else "Deze PDF is beschadigd of kan niet gelezen worden."
