"""The offline intake: /offline/nieuw, the page the service worker keeps (static/js/sw.js, web/offline.py).

It holds the form and the taxonomy it needs — levensdomeinen, signaaltypes, bronnen, leeftijden and the worker's
own gemeenten — and nothing of any signal: no places used before (those come from signals), no draft, no list.
A browser may keep it in its cache for as long as the worker stays logged in.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from admin.guards import requires_login
from common.dates import today
from common.ids import new_client_id, not_found
from signalen import services
from signalen.controllers import creatable_gemeenten
from signalen.tables import Bron, Leeftijd


class OfflineIntakeController(Controller):
    path = "/offline"
    guards = [requires_login]
    include_in_schema = False

    @get("/nieuw", name="offline_nieuw")
    async def new(self, request: Request) -> Template:
        user = request.user
        gemeenten = creatable_gemeenten(user)
        if not gemeenten:
            raise not_found()
        data: dict[str, Any] = {"gemeente": gemeenten[0].slug if len(gemeenten) == 1 else "",
                                "datum": today().isoformat(), "citaten": [], "client_id": new_client_id()}
        return Template("signalen/offline.html", context={
            "data": data,
            "gemeenten": gemeenten,
            "taxonomie": await services.taxonomy_lists(),
            "bronnen": Bron.labels(),
            "leeftijden": Leeftijd.labels(),
            "plekken": [],  # places come from signals: never in a page the browser keeps
            "vandaag": today().isoformat(),
            "fields": {},
            "bevindingen": [],
            "kept_by_service_worker": True,  # base.html: no flash message in a page the browser keeps
        })
