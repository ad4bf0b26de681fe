"""The "Meldingen" page: per kind of mail, meteen / in een dagelijks overzicht / niet (mandatory kinds shown, not
switchable); and the unsubscribe link of every optional mail, which works without logging in (a signed token of
user id and kind, berichten.voorkeuren) — a GET shows the question, the POST (also RFC 8058's one-click POST)
switches that kind off."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from admin.guards import requires_login
from berichten import voorkeuren
from berichten.voorkeur_tables import Keuze
from common.flash import flash


class MeldingenController(Controller):
    path = "/meldingen"
    include_in_schema = False

    @get("/", name="meldingen", guards=[requires_login])
    async def toon(self, request: Request) -> Template:
        return await self._page(request)

    async def _page(self, request: Request, status_code: int = 200, fout: str = "") -> Template:
        gekozen = await voorkeuren.keuzes(request.user.id)
        return Template("web/meldingen.html", status_code=status_code, context={
            "soorten": voorkeuren.SOORTEN, "gekozen": gekozen, "keuzes": Keuze.labels(), "fout": fout})

    @post("/", name="meldingen_post", status_code=303, guards=[requires_login])
    async def bewaar(self, request: Request) -> Response:
        form = await request.form()
        changes = {}
        for soort in voorkeuren.SOORTEN:
            if soort.verplicht:
                continue
            value = form.get(soort.kind)
            if value is None:
                continue
            if value not in Keuze.values():
                return await self._page(request, 422, f"Kies meteen, dagelijks of niet voor ‘{soort.label}’.")
            changes[soort.kind] = value
        for kind, value in changes.items():
            await voorkeuren.set_keuze(request.user.id, kind, value)
        return flash(Redirect(request.app.route_reverse("meldingen") + "/", status_code=303),
                     "Je keuzes zijn bewaard.")

    @get("/afmelden/{token:str}", name="meldingen_afmelden")
    async def afmelden(self, token: FromPath[str]) -> Template:
        found = voorkeuren.read_unsubscribe_token(token)
        if found is None:
            raise NotFoundException("Deze afmeldlink bestaat niet.")
        return Template("web/afmelden.html", context={"soort": voorkeuren.BY_KIND[found[1]], "token": token,
                                                      "klaar": False})

    @post("/afmelden/{token:str}", name="meldingen_afmelden_post", status_code=200)
    async def afmelden_post(self, token: FromPath[str]) -> Template:
        found = voorkeuren.read_unsubscribe_token(token)
        if found is None:
            raise NotFoundException("Deze afmeldlink bestaat niet.")
        await voorkeuren.set_keuze(found[0], found[1], Keuze.nooit.value)
        return Template("web/afmelden.html", context={"soort": voorkeuren.BY_KIND[found[1]], "token": token,
                                                      "klaar": True})
