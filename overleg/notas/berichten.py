"""The mails of a signaalnota: put up for approval → the members; sent → the college or the OCMW-raad for real (the
frozen PDF attached, byte for byte, and the secret answer link); answered through that link → the chairs; the
answer overdue → the chairs, once and then weekly (a job of the delivery loop). And the nota page's view of its
delivery: queued, sent (when, to whom, Message-ID) or failed (why), with "opnieuw versturen".

Subjects and texts go through the nota's own redaction (what a person confirmed for this nota stays, the rest of
the guard's findings are replaced); never a quote.
"""

from __future__ import annotations

from typing import Any

from admin.tables import Gemeente
from berichten import herinneringen
from berichten.outbox import Attachment, Recipient, clean_address
from berichten.render import absolute_url
from berichten.tables import Bericht, BerichtStatus
from berichten.voorkeuren import queue_for_user
from common import dates, db
from common.dates import today
from overleg.notas import antwoord_links
from overleg.notas import pdf as nota_pdf
from overleg.overleggen import berichten as ontvangers
from overleg.tables import Adressaat, NotaStatus, Signaalnota

KIND_SENT = "nota_verstuurd"


def _redact(nota: dict, text: str) -> str:
    confirmed = [c for c in nota.get("bevestigde_persoonsgegevens") or [] if isinstance(c, dict)]
    return nota_pdf.Redactor(confirmed, [], True)(text or "")


async def address(nota: dict) -> str:
    """The council's address for this nota ("" for a bovenlokale nota or when the beheerder set none)."""
    column = {Adressaat.college.value: Gemeente.college_email,
              Adressaat.ocmw_raad.value: Gemeente.ocmw_raad_email}.get(nota["adressaat"])
    if column is None:
        return ""
    row = await Gemeente.select(column.as_alias("adres")).where(Gemeente.id == nota["gemeente_id"]).first()
    try:  # a broken address (CR/LF, two @, …) is no address: never "repaired" into another one
        return clean_address((row or {}).get("adres") or "")
    except ValueError:
        return ""


def _context(nota: dict, afzender: str) -> dict[str, Any]:
    return {"afzender": afzender, "referentie": nota["referentie"], "onderwerp": _redact(nota, nota["onderwerp"]),
            "adressaat": nota_pdf.adressaat_label(nota), "gemeente": nota.get("gemeente_naam", ""),
            "link": absolute_url(f"/notas/{nota['id']}"), "antwoord_tegen": nota.get("antwoord_gevraagd_tegen")}


async def nota_verstuurd(nota: dict, pdf: bytes, *, actor_id: int | None) -> list[int]:
    """Inside the transaction that freezes the nota: the mail to the council with the frozen PDF and a new
    answer link. Nothing when there is no address (the nota page says so)."""
    to = await address(nota)
    if not to:
        return []
    token = await antwoord_links.create(nota["id"])
    afzender = nota.get("overleg_naam") or await ontvangers.afzender(nota["gemeente_id"])
    context = {**_context(nota, afzender), "antwoord_link": absolute_url(f"/antwoord/{token}"),
               "geldig_dagen": antwoord_links.LIFETIME.days}
    attachment = Attachment(f"{nota['referentie']}.pdf", "application/pdf", pdf)
    return await queue_for_user(kind=KIND_SENT, to=[Recipient(to, nota_pdf.adressaat_label(nota))],
                                context=context, attachments=[attachment], object_type="signaalnota",
                                object_id=nota["id"], gemeente_id=nota["gemeente_id"], actor_id=actor_id)


async def ter_goedkeuring_mail(nota: dict, *, actor_id: int | None) -> dict:
    """The members who approve a nota (everyone of the overleg but who submitted it): queue_for_user's kwargs."""
    afzender = nota.get("overleg_naam") or await ontvangers.afzender(nota["gemeente_id"])
    to = [r for r in await ontvangers.members(nota["gemeente_id"]) if r.user_id != actor_id]
    return {"kind": "nota_ter_goedkeuring", "to": to, "context": _context(nota, afzender),
            "object_type": "signaalnota", "object_id": nota["id"], "gemeente_id": nota["gemeente_id"],
            "actor_id": actor_id}


async def antwoord_geregistreerd(nota: dict, beslissing_label: str) -> list[int]:
    """Tell the chairs that the council answered through the secret link."""
    afzender = nota.get("overleg_naam") or await ontvangers.afzender(nota["gemeente_id"])
    context = {**_context(nota, afzender), "beslissing": beslissing_label}
    return await queue_for_user(kind="antwoord_geregistreerd", to=await ontvangers.chairs(nota["gemeente_id"]),
                                context=context, object_type="signaalnota", object_id=nota["id"],
                                gemeente_id=nota["gemeente_id"])


# ----------------------------------------------------------------------------- delivery state on the nota page

async def bezorging(nota_id: int) -> list[dict]:
    rows = await Bericht.select(Bericht.id, Bericht.to_email, Bericht.to_name, Bericht.status, Bericht.sent_at,
                                Bericht.message_id, Bericht.last_error, Bericht.created_at, Bericht.attempts).where(
        (Bericht.object_type == "signaalnota") & (Bericht.object_id == nota_id) & (Bericht.kind == KIND_SENT)
    ).order_by(Bericht.id)
    for row in rows:
        row["status_label"] = BerichtStatus.label_for(row["status"])
    return rows


async def opnieuw_versturen(nota_id: int) -> int:
    """Failed mails of this nota back in the queue (same Message-ID, the attempts start over); how many. The
    caller checked that the user manages the nota."""
    rows = await Bericht.update({Bericht.status: BerichtStatus.wachtrij.value, Bericht.attempts: 0,
                                 Bericht.next_attempt_at: dates.now(), Bericht.claimed_by: "",
                                 Bericht.claimed_until: None}).where(
        (Bericht.object_type == "signaalnota") & (Bericht.object_id == nota_id) & (Bericht.kind == KIND_SENT)
        & (Bericht.status == BerichtStatus.mislukt.value)).returning(Bericht.id)
    return len(rows)


# ----------------------------------------------------------------------------- the job: answers overdue

async def antwoord_te_laat() -> int:
    """Sent notas whose requested answer date passed: the chairs are told once, then once a week."""
    rows = await Signaalnota.select(
        Signaalnota.id, Signaalnota.referentie, Signaalnota.onderwerp, Signaalnota.adressaat,
        Signaalnota.adressaat_tekst, Signaalnota.antwoord_gevraagd_tegen, Signaalnota.bevestigde_persoonsgegevens,
        Signaalnota.gemeente.as_alias("gemeente_id"), Signaalnota.gemeente.naam.as_alias("gemeente_naam"),
        Signaalnota.overleg.naam.as_alias("overleg_naam"),
    ).where((Signaalnota.status == NotaStatus.verstuurd.value) & (Signaalnota.antwoord_gevraagd_tegen < today()))
    queued = 0
    for nota in rows:
        nota["bevestigde_persoonsgegevens"] = _json_list(nota["bevestigde_persoonsgegevens"])
        days = (today() - nota["antwoord_gevraagd_tegen"]).days
        async with db.write_transaction():
            if not await herinneringen.claim(f"nota:{nota['id']}:te_laat:{nota['antwoord_gevraagd_tegen']}:"
                                             f"week{(days - 1) // 7}"):
                continue
            context = {**_context(nota, nota["overleg_naam"] or "Signaalwerk"), "dagen": days}
            queued += len(await queue_for_user(kind="antwoord_te_laat", to=await ontvangers.chairs(
                nota["gemeente_id"]), context=context, object_type="signaalnota", object_id=nota["id"],
                gemeente_id=nota["gemeente_id"]))
    return queued


def _json_list(value: Any) -> list:
    import json

    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            return []
    return value if isinstance(value, list) else []
