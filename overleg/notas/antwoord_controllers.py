"""Pages around sending a nota for real: the confirmation before "Versturen", "opnieuw versturen" after a failed
mail, revoking the council's answer link — and `/antwoord/{token}`, where the council's secretary records the answer
without an account (the link is the capability: no login, no session, CSRF not needed; see app.py)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from admin.guards import requires_login
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.ids import path_id
from overleg import guard
from overleg.notas import antwoord, antwoord_links, documents
from overleg.notas import berichten as nota_berichten
from overleg.notas import services as notas
from overleg.notas.controllers import UPLOAD_LIMIT
from overleg.tables import Beslissing

_Id = Annotated[str, PathParameter()]
_Token = Annotated[str, PathParameter()]


class NotaVersturenController(Controller):
    path = "/notas"
    include_in_schema = False
    guards = [requires_login]
    include_in_schema = False

    def _back(self, request: Request, nota_id: int, message: str) -> Response:
        target = request.app.route_reverse("nota_detail", nota_id=str(nota_id)) + "#bezorging"
        return flash(Redirect(target, status_code=303), message)

    @post("/{nota_id:str}/opnieuw-versturen", name="nota_opnieuw_versturen", status_code=303)
    async def opnieuw(self, request: Request, nota_id: _Id) -> Response:
        nota = await notas.managed_nota(request.user, path_id(nota_id))
        count = await nota_berichten.opnieuw_versturen(nota["id"])
        return self._back(request, nota["id"], "De mail staat opnieuw in de wachtrij." if count else
                          "Er was geen mislukte mail om opnieuw te versturen.")

    @post("/{nota_id:str}/antwoordlink/intrekken", name="nota_antwoordlink_intrekken", status_code=303)
    async def intrekken(self, request: Request, nota_id: _Id) -> Response:
        nota = await notas.managed_nota(request.user, path_id(nota_id))
        count = await antwoord_links.revoke(nota["id"])
        return self._back(request, nota["id"], "De antwoordlink is ingetrokken: ze werkt niet meer." if count else
                          "Er was geen werkende antwoordlink.")


class AntwoordLinkController(Controller):
    """No guard: whoever holds the link may answer for the council, and only for that nota."""

    path = "/antwoord"
    include_in_schema = False

    async def _page(self, token: str, status_code: int = 200, **extra) -> Template:
        _, nota = await antwoord.nota_for_token(token)
        return Template("overleg/notas/antwoord_link.html", status_code=status_code, context={
            "nota": antwoord.outside_view(nota), "token": token, "beslissingen": Beslissing.labels(),
            "fields": {}, "waarden": {}, "persoonsgegevens": [], **extra})

    @get("/{token:str}", name="antwoord_link")
    async def toon(self, token: _Token) -> Template:
        return await self._page(token)

    @get("/{token:str}/nota.pdf", name="antwoord_link_pdf")
    async def nota_pdf(self, token: _Token) -> Response:
        _, nota = await antwoord.nota_for_token(token)
        return documents.pdf_response(await documents.live_pdf(nota), nota)

    @post("/{token:str}", name="antwoord_link_post", status_code=200, request_max_body_size=UPLOAD_LIMIT)
    async def registreer(self, request: Request, token: _Token) -> Template:
        form = await request.form()
        upload = form.get("document")
        document, name = None, ""
        if upload is not None and hasattr(upload, "read"):
            document, name = await upload.read() or None, upload.filename or ""
        values = {k: str(form.get(k, "")) for k in ("datum", "beslissing", "samenvatting")}
        try:
            shown = await antwoord.record_by_token(token, values, document, name, bevestig=guard.form_confirmed(form))
        except (FieldErrors, Conflict) as exc:
            fields = getattr(exc, "fields", {}) or {}
            found = exc.extra.get("persoonsgegevens") or [] if isinstance(exc, FieldErrors) else []
            return await self._page(token, exc.status_code, fields=fields, waarden=values, persoonsgegevens=found,
                                    fout=" ".join(fields.values()) or str(exc.detail))
        return Template("overleg/notas/antwoord_link_klaar.html", context={"nota": shown})
