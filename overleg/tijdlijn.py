"""What became of a signal (issue 12 item 6): the steps of its way after it was recorded, for its page.

signalen may not import overleg, so app.py hands `steps` to the signal page as the Litestar dependency
`signaal_tijdlijn` (signalen.controllers.Tijdlijn): the page asks, overleg answers. Every step comes from a query that
starts from the reader's scope (overleg.access and overleg.notas.services.scope, both built on admin.tenancy): a
step the reader may not read — an unpublished agenda for a partner, a concept nota — is simply not there.

A step: {"soort", "titel", "datum" (a local date), "tekst", "link", "pdf"} (links as route name and
parameters); in the order of the way, dated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from litestar.exceptions import HTTPException

from admin.sessions import CurrentUser
from common import dates
from overleg import access
from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas
from overleg.tables import (
    Agendapunt,
    Antwoord,
    Beslissing,
    Dossier,
    NotaDossier,
    NotaStatus,
    Terugkoppeling,
    Vergadering,
)
from signalen.tables import SignaalHistoriek, Status

SENT = (NotaStatus.verstuurd.value, NotaStatus.beantwoord.value)


Link = tuple[str, dict[str, str]] | None  # (route name, path parameters) for url_for


def _step(soort: str, titel: str, datum: dt.date | dt.datetime | None, tekst: str = "", link: Link = None,
          pdf: Link = None) -> dict:
    if isinstance(datum, dt.datetime):
        datum = dates.local(datum).date()  # the day as people in Flanders read it
    return {"soort": soort, "titel": titel, "datum": datum, "tekst": tekst, "link": link, "pdf": pdf}


async def _bundled_on(signaal_id: int, dossier: dict) -> dt.datetime:
    row = await SignaalHistoriek.select(SignaalHistoriek.tijdstip).where(
        (SignaalHistoriek.signaal == signaal_id) & (SignaalHistoriek.naar == Status.gebundeld.value)).order_by(
        SignaalHistoriek.id, ascending=False).first()
    return row["tijdstip"] if row else dossier["aangemaakt_op"]


async def steps(user: CurrentUser, signaal: Mapping[str, Any]) -> list[dict]:
    """The timeline of `signaal` (a row the user may read, from signalen.services.get_signaal)."""
    out = [_step("geregistreerd", "Geregistreerd", signaal["aangemaakt_op"],
                 f"door {signaal.get('auteur_naam') or 'een jeugdopbouwwerker'}")]
    scope = await access.dossier_scope(user)
    if not signaal.get("dossier") or scope is None:
        return out
    dossier = await Dossier.select(Dossier.id, Dossier.titel, Dossier.aangemaakt_op).where(
        (Dossier.id == signaal["dossier"]) & scope).first()
    if dossier is None:
        return out
    out.append(_step("gebundeld", f"Gebundeld in dossier ‘{dossier['titel']}’",
                     await _bundled_on(signaal["id"], dossier),
                     link=("dossier_detail", {"dossier_id": str(dossier["id"])})))

    meetings = await access.vergadering_scope(user)
    if meetings is not None:
        ids = Vergadering.select(Vergadering.id).where(meetings)
        punten = await Agendapunt.select(
            Agendapunt.vergadering.id.as_alias("vergadering"), Agendapunt.vergadering.datum.as_alias("datum"),
            Agendapunt.titel,
        ).where((Agendapunt.dossier == dossier["id"]) & Agendapunt.vergadering.is_in(ids)).order_by(
            Agendapunt.vergadering.datum)
        for punt in punten:
            datum = punt["datum"] if isinstance(punt["datum"], dt.date) else dt.date.fromisoformat(str(punt["datum"]))
            out.append(_step("geagendeerd", f"Op de agenda van de vergadering van {dates.long_date_with_day(datum)}",
                             datum, punt["titel"],
                             link=("vergadering_detail", {"vergadering_id": str(punt["vergadering"])})))

    sent = []
    for link in await NotaDossier.select(NotaDossier.nota).where(NotaDossier.dossier == dossier["id"]):
        try:
            nota = await notas.get_nota(user, link["nota"])  # the reader's scope: no concepts, no other gemeente
        except HTTPException:
            continue
        if nota["status"] in SENT:
            sent.append(nota)
    for nota in sorted(sent, key=lambda n: n["verstuurd_op"]):
        nid = {"nota_id": str(nota["id"])}
        out.append(_step("gesignaleerd", f"Gesignaleerd in nota {nota['referentie']}", nota["verstuurd_op"],
                         f"{nota['onderwerp_veilig']} — aan {nota_pdf.adressaat_in_zin(nota)}",
                         link=("nota_detail", nid), pdf=("nota_pdf", nid)))
        answer = await Antwoord.select(Antwoord.datum, Antwoord.beslissing, Antwoord.samenvatting).where(
            Antwoord.nota == nota["id"]).first()
        if answer:
            out.append(_step("beantwoord", f"Antwoord van {nota_pdf.adressaat_in_zin(nota)}: "
                             f"{Beslissing.label_for(answer['beslissing']).lower()}", answer["datum"],
                             answer["samenvatting"], link=("nota_detail", nid)))
    if sent:  # feedback is recorded on a sent nota's page: it is read where that nota is read
        rows = await Terugkoppeling.select(Terugkoppeling.datum, Terugkoppeling.hoe, Terugkoppeling.wat).where(
            Terugkoppeling.dossier == dossier["id"]).order_by(Terugkoppeling.datum)
        out.extend(_step("teruggekoppeld", f"Teruggekoppeld naar de jongeren: {row['hoe']}", row["datum"],
                         row["wat"]) for row in rows)
    return out
