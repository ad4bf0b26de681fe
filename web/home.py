"""The dashboard at / and the health check."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Response, Template
from piccolo.apps.user.tables import BaseUser

from admin.guards import requires_login
from admin.tables import Rol
from admin.tenancy import has_role, roles_in, visible_gemeenten
from settings import get_settings
from web import dashboard


class HomeController(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="home", guards=[requires_login])
    async def dashboard(self, request: Request) -> Template:
        user = request.user
        gemeenten = [
            {
                "gemeente": gemeente,
                "rollen": sorted(Rol(r).label for r in roles_in(user, gemeente.id)) or ["overzicht"],
            }
            for gemeente in visible_gemeenten(user)
        ]
        context: dict = {"gemeenten": gemeenten}
        if has_role(user, Rol.jeugdopbouwwerker):
            context["werker"] = await dashboard.worker(user)
        if has_role(user, Rol.voorzitter):
            context["voorzitter"] = await dashboard.chair(user)
        if has_role(user, Rol.partner):
            context["partner"] = await dashboard.partner(user)
        if has_role(user, Rol.coordinator):
            context["coordinator"] = await dashboard.coordinator(user)
        return Template("home.html", context=context)


@get("/health", name="health", include_in_schema=False)
async def health() -> Response:
    engine = get_settings().engine
    try:
        await BaseUser.raw("SELECT 1 AS ok")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return Response({"status": "unavailable", "database": engine}, status_code=503)
    return Response({"status": "ok", "database": engine})
