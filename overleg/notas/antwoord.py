"""The council answers without an account: through the secret link of the nota mail (overleg.notas.antwoord_links)
the secretary records the decision, a summary and optionally the decision as PDF. It then works exactly as the
chair's "antwoord registreren" (lifecycle.store_answer: signals → beantwoord, their authors told) and the chairs
get a mail. The page shows only that nota, redacted for an outside audience."""

from __future__ import annotations

from typing import Any

from overleg.notas import antwoord_links, lifecycle
from overleg.notas import berichten as nota_berichten
from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas
from overleg.tables import Beslissing, NotaDossier, NotaStatus, Signaalnota


async def nota_for_token(token: str) -> tuple[dict, dict]:
    """(link, nota) for a working token; 404 unknown, 410 used/revoked/expired (or already answered)."""
    link = await antwoord_links.find(token)
    row = await Signaalnota.select(*notas._columns()).where(Signaalnota.id == link["nota"]).first()
    if row is None:
        raise antwoord_links.NotFoundException("Deze link bestaat niet.")
    if row["status"] != NotaStatus.verstuurd.value:
        raise antwoord_links.HTTPException(status_code=410, detail=antwoord_links.GONE)
    row["bevestigde_persoonsgegevens"] = [c for c in notas._json(row["bevestigde_persoonsgegevens"], [])
                                          if isinstance(c, dict)]
    row["secties"] = {key: str(notas._json(row["secties"], {}).get(key) or "") for key in notas.SECTIES}
    row["adressaat_label"] = nota_pdf.adressaat_label(row)
    row["bewerkbaar"] = False
    row["overleg_naam"] = row["overleg_naam"] or f"Jeugdwelzijnsoverleg {row['gemeente_naam']}"
    row["dossiers"] = await NotaDossier.select(NotaDossier.dossier.id.as_alias("id")).where(
        NotaDossier.nota == row["id"])
    return link, row


def outside_view(nota: dict) -> dict:
    """What the answer page shows of the nota: reference, subject and advice, through the nota's redaction."""
    redactor = nota_pdf.Redactor(nota["bevestigde_persoonsgegevens"], [], True)
    return {"referentie": nota["referentie"], "onderwerp": redactor(nota["onderwerp"]),
            "advies": redactor(nota["secties"].get("advies", "")), "adressaat": nota["adressaat_label"],
            "overleg": nota["overleg_naam"], "gemeente": nota["gemeente_naam"], "verstuurd_op": nota["verstuurd_op"],
            "antwoord_gevraagd_tegen": nota["antwoord_gevraagd_tegen"]}


async def record_by_token(token: str, values: dict, document: bytes | None, document_naam: str,
                          bevestig: Any = False) -> dict:
    """Record the council's answer through the link; counts towards the link's rate limit. 422 bad input, or
    personal data in the summary that nobody confirmed (`bevestig`, as for the chair)."""
    link, nota = await nota_for_token(token)
    await antwoord_links.count_attempt(link)

    async def also() -> Any:
        await antwoord_links.mark_used(link["id"])
        label = Beslissing.label_for(values.get("beslissing")) or ""
        await nota_berichten.antwoord_geregistreerd(nota, label)

    await lifecycle.store_answer(nota, values, document, document_naam, user_id=None, also=also, bevestig=bevestig)
    return outside_view(nota)
