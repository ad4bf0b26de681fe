"""The yearly report of a gemeente: signals, dossiers, what the overleg did, notas and answers, feedback.

Aggregated in SQL, printed through common.pdf.render_template_pdf (tagged PDF/UA-1, charts as SVG with their tables).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from admin.sessions import CurrentUser, GemeenteRef
from admin.tenancy import in_gemeenten
from common.dates import start_of_day, today
from common.pdf import PRINT_CSS, PdfMeta, render_template_pdf
from inzicht import queries
from inzicht.charts import Chart
from overleg.tables import Actie, Beslissing, Dossier, Lens, Overleg, Terugkoppeling, Vergadering, VergaderingStatus
from signalen import audience

TEMPLATE = "pdf/jaarrapport.html"


@dataclass(frozen=True)
class Gebied:
    """What one report covers: one gemeente, or "alle gemeenten" the reader may see (a coördinator)."""

    naam: str
    slug: str
    ids: tuple[int, ...]


def area(gemeenten: Sequence[GemeenteRef]) -> Gebied:
    if len(gemeenten) == 1:
        return Gebied(gemeenten[0].naam, gemeenten[0].slug, (gemeenten[0].id,))
    names = ", ".join(sorted(g.naam for g in gemeenten))
    return Gebied(f"Alle gemeenten ({names})", "alle", tuple(sorted(g.id for g in gemeenten)))


async def gather(user: CurrentUser, gemeenten: GemeenteRef | Sequence[GemeenteRef], jaar: int) -> dict:
    """Every number of the report for one gemeente (a GemeenteRef) — or for several together, "alle gemeenten"
    the user may see — and calendar year, as this user may read it.

    A PDF: every text from the register passes the privacy guard (signalen.audience.for_document). Where the user
    is no member (a coördinator's aggregate-only gemeente) it holds counts only: no place names, no dossier titles."""
    chosen = [gemeenten] if isinstance(gemeenten, GemeenteRef) else list(gemeenten)
    gemeente = area(chosen)
    start, end = dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)
    scope = queries.scope_for(user, gemeente.ids, start, end)
    member = set(gemeente.ids) <= set(scope.named)
    charts = [
        Chart("per-maand", "Signalen per maand", "Maand", await queries.per_month(scope)),
        Chart("per-levensdomein", "Signalen per levensdomein", "Levensdomein", await queries.per_levensdomein(scope)),
        Chart("per-signaaltype", "Signalen per soort", "Soort signaal", await queries.per_signaaltype(scope)),
        Chart("per-plek", "Signalen per plek (top 15)", "Plek", await queries.per_plek(scope)),
    ]
    in_year = in_gemeenten(Dossier.gemeente, list(gemeente.ids)) & Dossier.samengevoegd_in.is_null()
    dossiers = await Dossier.select(Dossier.titel, Dossier.status, Dossier.gemeente).where(in_year).order_by(
        Dossier.titel)
    redact = audience.for_document()
    dossiers = [{**d, "titel": redact(d["titel"]) if d["gemeente"] in scope.named else "Dossier"} for d in dossiers]
    overleg_ids = [o["id"] for o in await Overleg.select(Overleg.id).where(
        in_gemeenten(Overleg.gemeente, list(gemeente.ids)))]
    overleg_ids = overleg_ids or [0]
    meetings = await Vergadering.count().where(
        Vergadering.overleg.is_in(overleg_ids) & (Vergadering.datum >= start) & (Vergadering.datum <= end)
        & (Vergadering.status == VergaderingStatus.gehouden.value))
    start_ts = start_of_day(start)
    end_ts = start_of_day(end + dt.timedelta(days=1))
    lenses = await (Actie.select(Actie.lens, Count(alias="aantal"))
                    .where(Actie.overleg.is_in(overleg_ids) & (Actie.aangemaakt_op >= start_ts)
                           & (Actie.aangemaakt_op < end_ts))
                    .group_by(Actie.lens))
    feedback = await Terugkoppeling.count().where(
        (Terugkoppeling.datum >= start) & (Terugkoppeling.datum <= end)
        & in_gemeenten(Terugkoppeling.dossier.gemeente, list(gemeente.ids)))
    per_gemeente = [] if len(chosen) == 1 else [
        (g.naam, (await queries.totals(queries.scope_for(user, (g.id,), start, end)))["signalen"])
        for g in sorted(chosen, key=lambda g: g.naam)]
    return {
        "per_gemeente": per_gemeente,
        "gemeente": gemeente, "jaar": jaar, "totalen": await queries.totals(scope), "charts": charts,
        "dossiers": dossiers, "dossiers_per_status": await queries.dossiers_per_status(scope), "lid": member,
        "vergaderingen": meetings,
        "acties": [(Lens.label_for(r["lens"]), r["aantal"]) for r in lenses],
        "notas": await queries.nota_answers(scope), "beslissingen": Beslissing.labels(),
        "terugkoppelingen": feedback, "gemaakt_op": today(),
    }


async def pdf(user: CurrentUser, gemeenten: GemeenteRef | Sequence[GemeenteRef], jaar: int) -> bytes:
    data = await gather(user, gemeenten, jaar)
    gemeente = data["gemeente"]
    meta = PdfMeta(title=f"Jaarrapport signalen {gemeente.naam} {jaar}", author=f"Signaalwerk — {gemeente.naam}",
                   subject="Jaarrapport van het jeugdwelzijnsoverleg")
    context = {"print_css": PRINT_CSS, **data}
    rendered = await render_template_pdf(TEMPLATE, context, meta)
    return rendered.pdf
