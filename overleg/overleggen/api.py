"""GET /api/v1/overleggen: the overleggen the user sits in, with their partners."""

from __future__ import annotations

from litestar import Request, get

from admin.guards import requires_login
from overleg import access
from overleg.overleggen import services as beheer


@get("/api/v1/overleggen", name="api_overleggen", guards=[requires_login], tags=["overleg"],
     summary="De overleggen waarin je zit")
async def api_overleggen(request: Request) -> dict:
    items = []
    for overleg in await access.overleggen(request.user):
        items.append({
            "id": overleg["id"], "naam": overleg["naam"], "omschrijving": overleg["omschrijving"],
            "gemeente": overleg["gemeente_slug"], "gemeente_naam": overleg["gemeente_naam"],
            "functies": overleg["functies"], "werkernamen_in_nota": overleg["werkernamen_in_nota"],
            "partners": [{"id": p["id"], "naam": p["naam"], "soort": p["soort"]}
                         for p in await beheer.partners(overleg["id"])],
        })
    return {"items": items, "totaal": len(items)}
