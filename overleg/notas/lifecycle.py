"""The way of a signaalnota after composing: ter goedkeuring → verstuurd (PDF frozen with its SHA-256, signals
gesignaleerd) → antwoord (signals beantwoord) → terugkoppeling per dossier (signals teruggekoppeld) → dossier
afgerond (signals afgesloten). Corrections are new versions; "niet bevoegd" leads to a bovenlokale nota.

Signals only move through signalen.services.set_status (history, 409 on an illegal move), inside the same write
transaction as the nota, so a nota and its signals never disagree; sending and answering move every signal that is
still behind (overleg/notas/signaalpad.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from litestar.exceptions import PermissionDeniedException

from berichten.voorkeuren import queue_for_user
from common import dates
from common.dates import today
from common.db import write_transaction
from common.errors import Conflict, FieldErrors
from overleg import guard
from overleg.dossiers.berichten import signaal_opgevolgd
from overleg.notas import berichten as nota_berichten
from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas
from overleg.notas import signaalpad
from overleg.tables import (
    Adressaat,
    Antwoord,
    Beslissing,
    Dossier,
    DossierActie,
    DossierHistoriek,
    DossierStatus,
    NotaCommentaar,
    NotaStatus,
    Signaalnota,
    Terugkoppeling,
)
from signalen.services import set_status
from signalen.tables import Signaal, Status
from signalen.validation import clean_text

SENDABLE = notas.EDITABLE


def _date(raw: Any, name: str, errors: dict, *, earliest: dt.date | None = None) -> dt.date | None:
    value = raw if isinstance(raw, dt.date) else None
    if isinstance(raw, str) and raw.strip():
        try:
            value = dt.date.fromisoformat(raw.strip())
        except ValueError:
            value = None
    if value is None:
        errors[name] = "Geef een geldige datum (jjjj-mm-dd)."
    elif value > today() + dt.timedelta(days=1):
        errors[name] = "De datum mag niet in de toekomst liggen."
    elif earliest and value < earliest:
        errors[name] = f"De datum mag niet voor {dates.short_date(earliest)} liggen."
    return value


async def _move(dossier_ids: list[int], sources: tuple[Status, ...], target: Status, user_id: int | None,
                why: str) -> list[int]:
    """Move the dossiers' signals that are in `sources` to `target`; the ids of those that moved."""
    rows = await Signaal.select(Signaal.id).where(
        Signaal.dossier.is_in(dossier_ids or [0]) & Signaal.status.is_in([s.value for s in sources]))
    ids = [row["id"] for row in rows]
    await set_status(ids, target.value, user_id, why)
    return ids


# ----------------------------------------------------------------------------- approval and comments

async def submit(user, nota_id: Any) -> dict:
    nota = await notas.managed_nota(user, nota_id)
    if nota["status"] != NotaStatus.concept.value:
        raise Conflict("Alleen een concept kan ter goedkeuring gaan.")
    async with write_transaction():
        await Signaalnota.update({Signaalnota.status: NotaStatus.ter_goedkeuring.value,
                                  Signaalnota.versie: nota["versie"] + 1}).where(
            (Signaalnota.id == nota["id"]) & (Signaalnota.status == NotaStatus.concept.value))
        await queue_for_user(**await nota_berichten.ter_goedkeuring_mail(nota, actor_id=user.id))
    return await notas.get_nota(user, nota["id"])


async def comments(nota_id: int) -> list[dict]:
    return await NotaCommentaar.select(
        NotaCommentaar.id, NotaCommentaar.tekst, NotaCommentaar.tijdstip,
        NotaCommentaar.user.first_name.as_alias("voornaam"), NotaCommentaar.user.last_name.as_alias("achternaam"),
    ).where(NotaCommentaar.nota == nota_id).order_by(NotaCommentaar.tijdstip).order_by(NotaCommentaar.id)


async def add_comment(user, nota_id: Any, tekst: Any, bevestig: Any = False) -> dict:
    """Every member who reads the nota comments while it is being prepared. Partners read them: the privacy
    guard refuses (422, `persoonsgegevens`) a text that may identify a young person unless `bevestig` is True."""
    nota = await notas.get_nota(user, nota_id)
    if not nota["bewerkbaar"]:
        raise Conflict("Een verstuurde nota krijgt geen commentaar meer.")
    text = clean_text(tekst).strip()
    if not text or len(text) > 5000:
        raise FieldErrors({"tekst": "Schrijf je commentaar (hoogstens 5000 tekens)."})
    found = guard.check({"tekst": text}, user.id, bevestig, what="Dit commentaar")
    row = NotaCommentaar(nota=nota["id"], user=user.id, tekst=text, tijdstip=dates.now(),
                         persoonsgegevens=guard.dumps(found))
    await row.save()
    return {"id": row.id, "tekst": text, "tijdstip": row.tijdstip, "door": user.naam}


# ----------------------------------------------------------------------------- sending

async def send(user, nota_id: Any) -> dict:
    """Freeze the nota: render and store the PDF with its SHA-256; the dossiers' signals become gesignaleerd."""
    nota = await notas.managed_nota(user, nota_id)
    if nota["status"] not in SENDABLE:
        raise Conflict("Deze nota is al verstuurd.")
    if nota["adressaat"] == Adressaat.bovenlokaal.value and not nota["adressaat_tekst"]:
        raise FieldErrors({"adressaat_tekst": "Vul in aan wie de bovenlokale nota gaat."})
    now = dates.now()
    frozen = {**nota, "status": NotaStatus.verstuurd.value, "verstuurd_op": now}
    pdf = await nota_pdf.render(await notas.pdf_input(frozen))
    ids = [d["id"] for d in nota["dossiers"]]
    async with write_transaction():
        done = await Signaalnota.update({
            Signaalnota.status: NotaStatus.verstuurd.value, Signaalnota.verstuurd_op: now, Signaalnota.pdf: pdf,
            Signaalnota.pdf_sha256: hashlib.sha256(pdf).hexdigest(), Signaalnota.versie: nota["versie"] + 1,
        }).where((Signaalnota.id == nota["id"]) & (Signaalnota.versie == nota["versie"])
                 & Signaalnota.status.is_in(list(SENDABLE))).returning(Signaalnota.id)
        if not done:
            raise Conflict("Deze nota is intussen gewijzigd of al verstuurd.")
        why = f"Signaalnota {nota['referentie']} verstuurd"
        moved = await signaalpad.follow(ids, Status.gesignaleerd, user.id, why)
        await nota_berichten.nota_verstuurd(frozen, pdf, actor_id=user.id)
        await signaal_opgevolgd(moved, Status.gesignaleerd, actor_id=user.id, why=why)
        await Dossier.update({Dossier.status: DossierStatus.in_behandeling.value}).where(
            Dossier.id.is_in(ids or [0]) & Dossier.status.is_in([DossierStatus.open.value,
                                                                  DossierStatus.geagendeerd.value]))
        for dossier_id in ids:
            await DossierHistoriek(dossier=dossier_id, tijdstip=now, gebruiker=user.id,
                                   actie=DossierActie.nota_verstuurd.value, toelichting=why).save()
    return await notas.get_nota(user, nota["id"])


# ----------------------------------------------------------------------------- the answer

async def answer(nota_id: int) -> dict | None:
    row = await Antwoord.select(*Antwoord.all_columns(exclude=[Antwoord.document])).where(
        Antwoord.nota == nota_id).first()
    if row:
        row["beslissing_label"] = Beslissing.label_for(row["beslissing"])
        row["heeft_document"] = bool(row["document_naam"])
    return row


async def answer_document(nota_id: int) -> tuple[bytes, str] | None:
    row = await Antwoord.select(Antwoord.document, Antwoord.document_naam).where(Antwoord.nota == nota_id).first()
    if not row or row["document"] is None:
        return None
    return bytes(row["document"]), row["document_naam"] or "antwoord.pdf"


async def record_answer(user, nota_id: Any, values: dict, document: bytes | None = None,
                        document_naam: str = "", bevestig: Any = False) -> dict:
    """The council's answer to a sent nota, recorded by the chair; its signals become beantwoord."""
    nota = await notas.managed_nota(user, nota_id)
    await store_answer(nota, values, document, document_naam, user_id=user.id, bevestig=bevestig)
    return await notas.get_nota(user, nota["id"])


async def store_answer(nota: dict, values: dict, document: bytes | None, document_naam: str, *,
                       user_id: int | None, also: Callable[[], Awaitable[object]] | None = None,
                       bevestig: Any = False) -> None:
    """Record the answer to `nota` (as get_nota shows it): by the chair (`user_id`) or through the council's secret
    link (None, `also` marks the link used in the same transaction). 409 before sending or twice. The overleg and
    its partners read the summary: personal data nobody confirmed → 422 (`persoonsgegevens`) unless `bevestig` is
    True; the confirmed findings go into the answer's `persoonsgegevens`."""
    if nota["status"] in SENDABLE:
        raise Conflict("Deze nota is nog niet verstuurd: er kan nog geen antwoord zijn.")
    if nota["status"] != NotaStatus.verstuurd.value:
        raise Conflict("Het antwoord op deze nota is al geregistreerd.")
    errors: dict[str, str] = {}
    sent = nota["verstuurd_op"]
    datum = _date(values.get("datum"), "datum", errors, earliest=dates.local(sent).date() if sent else None)
    beslissing: Any = values.get("beslissing")
    if beslissing not in Beslissing.values():
        errors["beslissing"] = "Kies akkoord, deels, afgewezen of niet bevoegd."
    samenvatting = clean_text(values.get("samenvatting")).strip()
    if len(samenvatting) > 10_000:
        errors["samenvatting"] = "Gebruik hoogstens 10 000 tekens."
    if document is not None:
        problem = await anyio.to_thread.run_sync(nota_pdf.check_answer_pdf, document)
        if problem:
            errors["document"] = problem
    if errors:
        raise FieldErrors(errors)
    found = guard.check({"samenvatting": samenvatting}, user_id, bevestig, what="Deze samenvatting")
    name = re.sub(r"[^\w.() -]", "_", clean_text(document_naam).strip())[:150] or "antwoord.pdf"
    async with write_transaction():
        done = await Signaalnota.update({Signaalnota.status: NotaStatus.beantwoord.value}).where(
            (Signaalnota.id == nota["id"]) & (Signaalnota.status == NotaStatus.verstuurd.value)).returning(
            Signaalnota.id)
        if not done:
            raise Conflict("Het antwoord op deze nota is al geregistreerd.")
        await Antwoord(nota=nota["id"], datum=datum, beslissing=beslissing, samenvatting=samenvatting,
                       document=document, document_naam=name if document else "", geregistreerd_door=user_id,
                       geregistreerd_op=dates.now(), persoonsgegevens=guard.dumps(found)).save()
        why = f"Antwoord op {nota['referentie']}: {Beslissing(beslissing).label.lower()}"
        moved = await signaalpad.follow([d["id"] for d in nota["dossiers"]], Status.beantwoord, user_id, why)
        await signaal_opgevolgd(moved, Status.beantwoord, actor_id=user_id, why=why)
        if also is not None:
            await also()


async def overdue_answers(user) -> list[dict]:
    """Sent notas of the user's overleg whose requested answer date has passed (for the dashboard)."""
    condition = notas.scope(user)
    if condition is None:
        return []
    rows = await Signaalnota.select(
        Signaalnota.id, Signaalnota.referentie, Signaalnota.onderwerp, Signaalnota.adressaat,
        Signaalnota.adressaat_tekst, Signaalnota.antwoord_gevraagd_tegen, Signaalnota.verstuurd_op,
        Signaalnota.gemeente.naam.as_alias("gemeente_naam"), Signaalnota.bevestigde_persoonsgegevens,
    ).where(condition & (Signaalnota.status == NotaStatus.verstuurd.value)
            & (Signaalnota.antwoord_gevraagd_tegen < today())).order_by(Signaalnota.antwoord_gevraagd_tegen)
    for row in rows:
        confirmed = [c for c in notas._json(row.pop("bevestigde_persoonsgegevens"), []) if isinstance(c, dict)]
        row["onderwerp"] = nota_pdf.Redactor(confirmed, [], True)(row["onderwerp"])
        row["dagen_te_laat"] = (today() - row["antwoord_gevraagd_tegen"]).days
        row["adressaat_label"] = nota_pdf.adressaat_label(row)
        row["url"] = f"/notas/{row['id']}"
    return rows


# ----------------------------------------------------------------------------- follow-ups

async def new_version(user, nota_id: Any) -> dict:
    """A correction of a sent nota: a new concept with `vorige` = the old one (one correction per nota)."""
    nota = await notas.managed_nota(user, nota_id)
    if nota["bewerkbaar"]:
        raise Conflict("Een concept pas je gewoon aan; alleen een verstuurde nota krijgt een nieuwe versie.")
    if nota["volgende"]:
        raise Conflict(f"Er bestaat al een nieuwe versie: {nota['volgende']['referentie']}.")
    base, _, number = nota["referentie"].rpartition("-v")
    version = int(number) + 1 if base and number.isdigit() else 2
    root = base if base and number.isdigit() else nota["referentie"]
    data = {k: nota[k] for k in ("onderwerp", "adressaat", "adressaat_tekst", "trekker", "secties", "citaten")}
    data["dossiers"] = [d["id"] for d in nota["dossiers"]]
    vorige = {"id": nota["id"], "referentie_nieuw": f"{root[:34]}-v{version}",
              "bevestigde_persoonsgegevens": nota["bevestigde_persoonsgegevens"]}
    return await notas.create_nota(user, {**data, "antwoord_gevraagd_tegen": None}, vorige=vorige, any_dossier=True)


async def to_bovenlokaal(user, nota_id: Any) -> dict:
    """After "niet bevoegd": a new concept for a bovenlokale addressee from the same dossiers."""
    nota = await notas.managed_nota(user, nota_id)
    found = await answer(nota["id"])
    if not found or found["beslissing"] != Beslissing.niet_bevoegd.value:
        raise Conflict("Dit kan alleen wanneer het antwoord ‘niet bevoegd’ was.")
    intro = (f"Op nota {nota['referentie']} antwoordde {nota_pdf.adressaat_in_zin(nota)} op "
             f"{dates.short_date(found['datum'])} dat het hiervoor niet bevoegd is.")
    secties = {**nota["secties"], "aanleiding": intro + "\n\n" + nota["secties"]["aanleiding"]}
    data = {"dossiers": [d["id"] for d in nota["dossiers"]], "adressaat": Adressaat.bovenlokaal.value,
            "onderwerp": nota["onderwerp"], "secties": secties, "citaten": nota["citaten"], "trekker": nota["trekker"]}
    return await notas.create_nota(user, data, any_dossier=True)


async def feedback(dossier_ids: list[int]) -> list[dict]:
    if not dossier_ids:
        return []
    return await Terugkoppeling.select(*Terugkoppeling.all_columns()).where(
        Terugkoppeling.dossier.is_in(dossier_ids)).order_by(Terugkoppeling.datum).order_by(Terugkoppeling.id)


def _in_nota(nota: dict, dossier_id: Any) -> dict:
    for dossier in nota["dossiers"]:
        if dossier["id"] == dossier_id:
            return dossier
    raise FieldErrors({"dossier": "Kies een dossier van deze nota."})


async def record_feedback(user, nota_id: Any, dossier_id: Any, values: dict, bevestig: Any = False) -> dict:
    """How the outcome went back to the young people; the dossier's signals become teruggekoppeld. Partners read
    it on the nota: its texts pass the privacy guard (422 unless `bevestig` is True)."""
    nota = await notas.managed_nota(user, nota_id)
    if nota["status"] != NotaStatus.beantwoord.value:
        raise Conflict("Terugkoppelen kan pas als het antwoord op de nota er is.")
    dossier = _in_nota(nota, dossier_id)
    errors: dict[str, str] = {}
    datum = _date(values.get("datum"), "datum", errors)
    texts: dict[str, Any] = {name: clean_text(values.get(name)).strip() for name in ("hoe", "door", "wat")}
    for name, limit, message in (("hoe", 200, "Hoe bracht je het terug (bv. op het jongerenoverleg)?"),
                                 ("door", 200, ""), ("wat", 5000, "Wat werd er gezegd?")):
        if message and not texts[name]:
            errors[name] = message
        elif len(texts[name]) > limit:
            errors[name] = f"Gebruik hoogstens {limit} tekens."
    if errors:
        raise FieldErrors(errors)
    found = guard.check(texts, user.id, bevestig, what="Deze terugkoppeling")
    async with write_transaction():
        row = Terugkoppeling(dossier=dossier["id"], datum=datum, geregistreerd_door=user.id,
                             geregistreerd_op=dates.now(), persoonsgegevens=guard.dumps(found), **texts)
        await row.save()
        why = f"Teruggekoppeld naar de jongeren ({texts['hoe']})"
        moved = await _move([dossier["id"]], (Status.beantwoord, Status.in_actie), Status.teruggekoppeld, user.id,
                            why)
        await signaal_opgevolgd(moved, Status.teruggekoppeld, actor_id=user.id, why=why)
    return {"id": row.id, "dossier": dossier["id"], "datum": datum, **texts}


async def close_dossier(user, nota_id: Any, dossier_id: Any) -> None:
    """After the feedback: the dossier is afgerond, its signals afgesloten."""
    nota = await notas.managed_nota(user, nota_id)
    dossier = _in_nota(nota, dossier_id)
    if dossier["status"] == DossierStatus.afgerond.value:
        raise Conflict("Dit dossier is al afgerond.")
    if not await Terugkoppeling.exists().where(Terugkoppeling.dossier == dossier["id"]):
        raise Conflict("Registreer eerst hoe de uitkomst naar de jongeren ging.")
    if not notas.can_manage(user, nota["gemeente_id"], False):
        raise PermissionDeniedException("Alleen de voorzitter rondt een dossier af.")
    async with write_transaction():
        await _move([dossier["id"]], (Status.teruggekoppeld,), Status.afgesloten, user.id,
                    f"Dossier afgerond na signaalnota {nota['referentie']}")
        await Dossier.update({Dossier.status: DossierStatus.afgerond.value, Dossier.versie: Dossier.versie + 1}).where(
            Dossier.id == dossier["id"])
        await DossierHistoriek(dossier=dossier["id"], tijdstip=dates.now(), gebruiker=user.id,
                               actie=DossierActie.afgerond.value,
                               toelichting=f"Teruggekoppeld en afgerond (nota {nota['referentie']})").save()
