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
    if DB.engine_type == "postgres":
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
