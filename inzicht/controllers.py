"""/inzicht: charts per month, domain, type, place and source; dossiers; notas and their answers."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import cast

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from admin.guards import requires_login
from admin.tenancy import aggregate_gemeente_ids, gemeente_by_slug, visible_gemeenten
from common.dates import today
from common.errors import FieldErrors
from common.ids import not_found
from inzicht import queries
from inzicht.charts import Chart

CHARTS = {
    "per-maand": ("Signalen per maand", "Maand", queries.per_month),
    "per-levensdomein": ("Signalen per levensdomein", "Levensdomein", queries.per_levensdomein),
    "per-signaaltype": ("Signalen per soort", "Soort signaal", queries.per_signaaltype),
    "per-plek": ("Signalen per plek (top 15)", "Plek", queries.per_plek),
    "per-bron": ("Signalen per bron", "Bron", queries.per_bron),
    "dossiers": ("Dossiers per status", "Status", queries.dossiers_per_status),
}


def parse_scope(request: Request) -> tuple[queries.Scope, dict, dict]:
    """Gemeente and period from the query string; a gemeente the user may not see aggregates of → 404."""
    user = request.user
    allowed = aggregate_gemeente_ids(user)
    if not allowed:
        raise not_found()
    params = request.query_params
    errors: dict[str, str] = {}
    slug = (params.get("gemeente") or "").strip()
    gemeente_ids = tuple(sorted(allowed))
    if slug:
        gemeente_ids = (gemeente_by_slug(user, slug).id,)
    dates: dict[str, dt.date | None] = {}
    for name in ("van", "tot"):
        raw = (params.get(name) or "").strip()
        dates[name] = None
        if raw:
            try:
                dates[name] = dt.date.fromisoformat(raw)
            except ValueError:
                errors[name] = "Geef een geldige datum (jjjj-mm-dd)."
    if dates["van"] and dates["tot"] and dates["tot"] < dates["van"]:
        errors["tot"] = "De einddatum ligt voor de begindatum."
        dates["tot"] = None
    chosen = {"gemeente": slug, "van": dates["van"], "tot": dates["tot"]}
    return queries.scope_for(user, gemeente_ids, dates["van"], dates["tot"]), chosen, errors


def query_string(chosen: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in chosen.items() if v})


class InzichtController(Controller):
    path = "/inzicht"
    guards = [requires_login]
    include_in_schema = False

    @get("/", name="inzicht")
    async def page(self, request: Request) -> Template:
        scope, chosen, errors = parse_scope(request)
        # The aggregates are independent: run them side by side (each on its own pooled connection).
        *data, totalen, notas = await asyncio.gather(*(fetch(scope) for _, _, fetch in CHARTS.values()),
                                                     queries.totals(scope), queries.nota_answers(scope))
        charts = [Chart(slug, titel, kolom, cast(list[tuple[str, int]], rows))
                  for (slug, (titel, kolom, _)), rows in zip(CHARTS.items(), data, strict=True)]
        user = request.user
        gemeenten = [g for g in visible_gemeenten(user) if g.id in aggregate_gemeente_ids(user)]
        return Template("inzicht/inzicht.html", context={
            "charts": charts, "totalen": totalen, "notas": notas,
            "gemeenten": gemeenten, "gekozen": chosen, "fields": errors, "qs": query_string(chosen),
            "jaar": today().year,
            "qs_rapport": query_string({"gemeente": chosen["gemeente"] or ("alle" if len(gemeenten) > 1 else
                                                                           gemeenten[0].slug if gemeenten else ""),
                                        "jaar": str(today().year)}),
        })

    @get("/jaarrapport", name="jaarrapport")
    async def jaarrapport(self, request: Request) -> Response:
        """?gemeente=slug&jaar=2026 → the yearly report as PDF (members of the gemeente and the coördinator)."""
        from inzicht import jaarrapport

        user = request.user
        slug = (request.query_params.get("gemeente") or "").strip()
        raw_year = (request.query_params.get("jaar") or str(today().year)).strip()
        if not raw_year.isdigit() or not 2000 <= int(raw_year) <= today().year:
            raise FieldErrors({"jaar": "Kies een jaar tussen 2000 en dit jaar."}, status_code=400)
        mine = [g for g in visible_gemeenten(user) if g.id in aggregate_gemeente_ids(user)]
        if slug == "alle":  # every gemeente this user may see, together (a coördinator's "alle gemeenten")
            if not mine:
                raise not_found()
            chosen = mine
        elif not slug:
            if len(mine) != 1:
                raise FieldErrors({"gemeente": "Kies een gemeente, of ‘alle’."}, status_code=400)
            chosen = mine
        else:
            chosen = [gemeente_by_slug(user, slug)]
        pdf = await jaarrapport.pdf(user, chosen, int(raw_year))
        name = f"jaarrapport-{jaarrapport.area(chosen).slug}-{raw_year}.pdf"
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @get("/{bestand:str}", name="inzicht_csv")
    async def csv(self, request: Request, bestand: FromPath[str]) -> Response:
        """/inzicht/<chart>.csv: the numbers of one chart, with the same filters."""
        slug = bestand.removesuffix(".csv")
        if not bestand.endswith(".csv") or slug not in CHARTS:
            raise not_found()
        scope, chosen, errors = parse_scope(request)
        if errors:
            raise FieldErrors(errors, status_code=400)
        titel, kolom, fetch = CHARTS[slug]
        chart = Chart(slug, titel, kolom, await fetch(scope))
        name = f"inzicht-{slug}-{chosen['gemeente'] or 'alle'}.csv"
        return Response(chart.csv(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
