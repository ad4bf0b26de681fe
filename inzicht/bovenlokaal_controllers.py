"""/bovenlokaal: the coördinator's view of themes that recur across gemeenten."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from admin.guards import requires_login
from admin.sessions import CurrentUser
from admin.tenancy import register_gemeente_ids
from common.dates import today
from common.errors import FieldErrors
from common.ids import not_found
from inzicht import bovenlokaal

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


async def nota_thema(user: CurrentUser, sleutel: str, periode: str) -> tuple[str, dict]:
    """A theme of /bovenlokaal/ recomputed for this coördinator, and what a nota on it starts from; 404 for
    anyone who is not coördinator, and for a theme that is not (or no longer) there."""
    if not bovenlokaal.coordinator_gemeente_ids(user):
        raise not_found()
    if periode not in PERIODS:
        raise FieldErrors({"periode": "Kies een periode uit de lijst."}, status_code=400)
    theme = await bovenlokaal.find_theme(user, today() - dt.timedelta(days=int(periode) * 30), sleutel)
    if theme is None:
        raise NotFoundException("Dit thema komt niet (meer) terug in meerdere gemeenten. Kies een thema op de "
                                "pagina met bovenlokale thema's.")
    return theme.titel, bovenlokaal.nota_voorstel(user, theme)
