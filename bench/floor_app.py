"""The floor: a bare Litestar handler doing the same query as the app, on the same database.

Run by bench/signalen.py as `uvicorn bench.floor_app:app`; DATABASE_URL picks the engine like the app does.
"""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment
from litestar import Litestar, MediaType, Response, get, post

from piccolo_conf import DB
from signalen.tables import Signaal

TABLE = Environment(autoescape=True).from_string(
    "<table>{% for r in rows %}<tr><td>{{ r.id }}</td><td>{{ r.titel }}</td><td>{{ r.datum }}</td>"
    "<td>{{ r.status }}</td></tr>{% endfor %}</table>"
)


@get("/floor/register/{gemeente:int}", media_type=MediaType.HTML)
async def register(gemeente: int) -> str:
    rows = await (Signaal.select(Signaal.id, Signaal.titel, Signaal.datum, Signaal.status)
                  .where((Signaal.gemeente == gemeente) & (Signaal.status == "nieuw"))
                  .order_by(Signaal.datum, Signaal.id, ascending=False).limit(25))
    return TABLE.render(rows=rows)


@get("/floor/signaal/{signaal_id:int}")
async def detail(signaal_id: int) -> dict:
    row = await Signaal.select(Signaal.id, Signaal.titel, Signaal.omschrijving).where(
        Signaal.id == signaal_id).first()
    return row or {}


@post("/floor/signaal/{gemeente:int}/{auteur:int}")
async def create(gemeente: int, auteur: int) -> Response:
    now = dt.datetime.now(dt.UTC)
    signaal = Signaal(gemeente=gemeente, auteur=auteur, titel="Vloer", omschrijving="Vloer-signaal",
                      datum=dt.date.today(), aangemaakt_op=now, gewijzigd_op=now)
    await signaal.save()
    return Response({"id": signaal.id}, status_code=201)


async def _pool() -> None:
    """The same connection pool as the app (PostgreSQL's, or common.sqlite_pool's), so the floor and the app differ
    only in what they do per request."""
    from settings import get_settings

    if get_settings().db_pool:
        await DB.start_connection_pool(min_size=1, max_size=10)


app = Litestar([register, detail, create], on_startup=[_pool])  # more floors are registered below


@get("/floor/dossier/{dossier_id:int}", media_type=MediaType.HTML)
async def dossier(dossier_id: int) -> str:
    """The floor for the dossier page: the dossier's 25 newest signals → Jinja."""
    rows = await (Signaal.select(Signaal.id, Signaal.titel, Signaal.datum, Signaal.status)
                  .where(Signaal.dossier == dossier_id).order_by(Signaal.datum, ascending=False).limit(25))
    return TABLE.render(rows=rows)


@get("/floor/agenda/{gemeente:int}", media_type=MediaType.HTML)
async def agenda(gemeente: int) -> str:
    """The floor for the agenda view: signal counts per dossier of a gemeente (one GROUP BY) → Jinja."""
    from piccolo.query.functions.aggregate import Count

    rows = await (Signaal.select(Signaal.dossier.as_alias("id"), Count(alias="titel"))
                  .where((Signaal.gemeente == gemeente) & Signaal.dossier.is_not_null())
                  .group_by(Signaal.dossier))
    return TABLE.render(rows=rows)


app.register(dossier)
app.register(agenda)


INZICHT = Environment(autoescape=True).from_string(
    "{% for rows in tables %}<table>{% for r in rows %}<tr><td>{{ r.k }}</td><td>{{ r.n }}</td></tr>{% endfor %}"
    "</table>{% endfor %}"
)


@get("/floor/inzicht", media_type=MediaType.HTML)
async def inzicht() -> str:
    """The floor for /inzicht over every gemeente: the same GROUP BYs (levensdomein, soort, bron, plek, month) and
    the totals, one after the other → Jinja tables. No session, tenancy, labels, charts or layout."""
    from piccolo.query.functions.aggregate import Count, Sum

    from admin.tables import Gemeente

    ids = [row["id"] for row in await Gemeente.select(Gemeente.id)]
    where = Signaal.gemeente.is_in(ids)
    tables = []
    for column in (Signaal.levensdomein, Signaal.signaaltype, Signaal.bron, Signaal.plek):
        tables.append(await Signaal.select(column.as_alias("k"), Count(alias="n")).where(where).group_by(column))
    month = "substr(datum, 1, 7)" if DB.engine_type == "sqlite" else "to_char(datum, 'YYYY-MM')"
    in_ids = ", ".join(str(int(i)) for i in ids)
    tables.append(await Signaal.raw(f"SELECT {month} AS k, COUNT(*) AS n FROM signaal "  # noqa: S608 (int ids)
                                    f"WHERE gemeente IN ({in_ids}) GROUP BY k ORDER BY k"))
    tables.append(await Signaal.select(Count(alias="k"), Sum(Signaal.aantal_jongeren, alias="n")).where(where))
    return INZICHT.render(tables=tables)


app.register(inzicht)
