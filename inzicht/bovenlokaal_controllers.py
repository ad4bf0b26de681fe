"""/bovenlokaal: the coördinator's view of themes that recur across gemeenten."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get
from litestar.response import Template

from admin.guards import not_found, register_gemeente_ids, requires_login
from inzicht import bovenlokaal
from signalen.validation import today
from web.errors import FieldErrors

PERIODS = {"6": "laatste 6 maanden", "12": "laatste 12 maanden", "24": "laatste 2 jaar"}


class BovenlokaalController(Controller):
    path = "/bovenlokaal"
    guards = [requires_login]
    include_in_schema = False

    @get("/", name="bovenlokaal")
    async def page(self, request: Request) -> Template:
        user = request.user
        ids = bovenlokaal.coordinator_gemeente_ids(user)
        if not ids:
            raise not_found()
        months = request.query_params.get("periode") or "12"
        if months not in PERIODS:
            raise FieldErrors({"periode": "Kies een periode uit de lijst."}, status_code=400)
        since = today() - dt.timedelta(days=int(months) * 30)
        themes = await bovenlokaal.themes(user, since)
        return Template("inzicht/bovenlokaal.html", context={
            "themas": themes, "gemeenten": {i: user.gemeenten[i] for i in ids}, "periodes": PERIODS,
            "periode": months, "sinds": since, "lid": register_gemeente_ids(user),
        })
