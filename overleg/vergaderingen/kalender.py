"""The calendar feed: one secret URL per user with the meetings they may see; revoking makes it 404 at once."""

from __future__ import annotations

import secrets

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from admin.guards import requires_login
from admin.sessions import resolve_user
from common import dates
from common.flash import flash
from common.ids import not_found
from overleg.access import vergadering_scope
from overleg.tables import Kalenderfeed, Vergadering, VergaderingStatus
from overleg.vergaderingen import ics
from overleg.vergaderingen.agenda import punten_per_vergadering
from settings import get_settings


async def active_feed(user_id: int) -> dict | None:
    return await Kalenderfeed.select().where(
        (Kalenderfeed.user == user_id) & Kalenderfeed.ingetrokken_op.is_null()).first()


async def new_feed(user_id: int) -> str:
    """A fresh secret; any earlier feed of this user stops working."""
    await revoke(user_id)
    token = secrets.token_urlsafe(32)
    await Kalenderfeed(user=user_id, token=token, aangemaakt_op=dates.now()).save()
    return token


async def revoke(user_id: int) -> None:
    await Kalenderfeed.update({Kalenderfeed.ingetrokken_op: dates.now()}).where(
        (Kalenderfeed.user == user_id) & Kalenderfeed.ingetrokken_op.is_null())


async def feed(token: str) -> bytes:
    """The .ics for a live token of an active user, else 404 (unknown, revoked and deactivated look the same)."""
    if not token or len(token) > 64:
        raise not_found()
    row = await Kalenderfeed.select(Kalenderfeed.user).where(
        (Kalenderfeed.token == token) & Kalenderfeed.ingetrokken_op.is_null()
        & (Kalenderfeed.user.active == True)).first()  # noqa: E712  (a Piccolo condition, not a comparison)
    if row is None:
        raise not_found()
    user = await resolve_user(row["user"])
    scope = await vergadering_scope(user)
    rows = []
    if scope is not None:
        rows = await (Vergadering.select(Vergadering.id, Vergadering.datum, Vergadering.begin, Vergadering.plaats,
                                         Vergadering.status, Vergadering.sequence,
                                         Vergadering.overleg.naam.as_alias("overleg_naam"))
                      .where(scope).order_by(Vergadering.datum, Vergadering.id))
    for r in rows:
        r["status_label"] = VergaderingStatus.label_for(r["status"])
    punten = await punten_per_vergadering(rows)  # the same VEVENT as the meeting's own .ics
    return ics.feed_ics([(r, punten[r["id"]]) for r in rows], f"Signaalwerk — {user.naam}")


def _page_url(request: Request) -> str:
    return request.app.route_reverse("kalender") + "/"  # the page's public path ends in a slash


class KalenderController(Controller):
    path = "/kalender"
    include_in_schema = False

    @get("/", name="kalender", guards=[requires_login])
    async def page(self, request: Request) -> Template:
        current = await active_feed(request.user.id)
        # SIGNAALWERK_BASE_URL, never the request's Host: a forged Host must not end up in a link people subscribe to.
        url = f"{get_settings().base_url}/kalender/{current['token']}.ics" if current else ""
        return Template("overleg/kalender.html", context={"url": url})

    @post("/", name="kalender_nieuw", guards=[requires_login], status_code=303)
    async def create(self, request: Request) -> Response:
        await new_feed(request.user.id)
        return flash(Redirect(_page_url(request), status_code=303),
                     "Nieuwe agenda-link gemaakt; de vorige werkt niet meer.")

    @post("/intrekken", name="kalender_intrekken", guards=[requires_login], status_code=303)
    async def revoke_feed(self, request: Request) -> Response:
        await revoke(request.user.id)
        return flash(Redirect(_page_url(request), status_code=303), "De agenda-link is ingetrokken.", "info")

    @get("/{bestand:str}", name="kalender_feed")
    async def ics(self, bestand: FromPath[str]) -> Response:
        if not bestand.endswith(".ics"):
            raise not_found()
        body = await feed(bestand.removesuffix(".ics"))
        return Response(body, media_type=ics.MEDIA_TYPE,
                        headers={"Content-Disposition": 'inline; filename="signaalwerk.ics"'})
