"""The beheerder's own pages: users and invitations (/beheer/gebruikers) and the outbox (/beheer/berichten).

Only for a beheerder (admin.guards.requires_admin: anonymous → login, anyone else 403). In embedded mode (no
SMTP_URL) the outbox page is where invitation links and every other mail can be read.
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from admin import accounts
from admin.account_controller import too_many
from admin.auth_controller import client_address
from admin.guards import requires_admin
from admin.tables import Gemeente, Rol
from berichten import overzicht
from berichten.tables import BerichtStatus
from common.errors import FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_id, not_found, path_id
from common.markdown import sanitized_html
from settings import get_settings

NO_STORE = {"Cache-Control": "no-store"}


async def _gemeenten() -> list[dict]:
    return await Gemeente.select(Gemeente.slug, Gemeente.naam).order_by(Gemeente.naam)


def _status_label(row: dict) -> str:
    if row["status"] == BerichtStatus.wachtrij and not get_settings().smtp_url:
        return "Niet verstuurd: geen SMTP_URL"
    return BerichtStatus.label_for(row["status"])


class BeheerController(Controller):
    path = "/beheer"
    guards = [requires_admin]
    include_in_schema = False

    @get("/gebruikers", name="beheer_gebruikers")
    async def gebruikers(self) -> Response:
        return Template("beheer/gebruikers.html", context={
            "gebruikers": await accounts.users(), "gemeenten": await _gemeenten(), "rollen": Rol.choices(),
            "form": {}, "fields": {}}, headers=NO_STORE)

    @post("/gebruikers", name="beheer_gebruikers_post", status_code=303)
    async def uitnodigen(self, request: Request) -> Response:
        form = await request.form()
        values = {key: str(form.get(key, "")).strip()[:300] for key in ("email", "voornaam", "gemeente", "rol")}
        try:
            invitation = await accounts.invite(values["email"], [(values["gemeente"], values["rol"])],
                                               voornaam=values["voornaam"], actor=request.user,
                                               client=client_address(request))
        except accounts.TooMany as exc:
            return too_many(exc.retry_after)
        except FieldErrors as exc:
            context = {"gebruikers": await accounts.users(), "gemeenten": await _gemeenten(),
                       "rollen": Rol.choices(), "form": values}
            return form_error_response("beheer/gebruikers.html", context, exc)
        target = request.app.route_reverse("beheer_bericht", bericht_id=str(invitation.bericht_ids[0]))
        message = f"{values['email']} is uitgenodigd."
        if invitation.again:
            message = f"{values['email']} is opnieuw uitgenodigd; de vorige link werkt niet meer."
        if not get_settings().smtp_url:
            message += " Er is geen SMTP_URL ingesteld: de uitnodiging staat hieronder, met de link."
        return flash(Redirect(target, status_code=303), message, "succes")

    @get("/berichten", name="beheer_berichten")
    async def berichten(self, status: FromQuery[str] = "", pagina: FromQuery[str] = "1") -> Response:
        rows, total = await overzicht.page(status, as_id(pagina) or 1)
        for row in rows:
            row["status_label"] = _status_label(row)
        return Template("beheer/berichten.html", context={
            "berichten": rows, "totaal": total, "status": status, "statussen": BerichtStatus.choices(),
            "smtp": bool(get_settings().smtp_url)}, headers=NO_STORE)

    @get("/berichten/{bericht_id:str}", name="beheer_bericht")
    async def bericht(self, bericht_id: FromPath[str]) -> Response:
        row = await overzicht.one(path_id(bericht_id))
        if row is None:
            raise not_found()
        row["status_label"] = _status_label(row)
        return Template("beheer/bericht.html", context={
            "bericht": row, "html": sanitized_html(row["html"]) if row["html"] else None,
            "bijlagen": _json_list(row["attachments"]), "headers": _json_dict(row["headers"])}, headers=NO_STORE)

    @post("/berichten/{bericht_id:str}/opnieuw", name="beheer_bericht_opnieuw", status_code=303)
    async def opnieuw(self, request: Request, bericht_id: FromPath[str]) -> Response:
        identifier = path_id(bericht_id)
        if await overzicht.one(identifier) is None:
            raise not_found()
        done = await overzicht.retry(identifier)
        target = request.app.route_reverse("beheer_bericht", bericht_id=str(identifier))
        return flash(Redirect(target, status_code=303),
                     "Het bericht staat opnieuw in de wachtrij." if done else "Alleen een mislukt bericht kan "
                     "opnieuw verstuurd worden.", "succes" if done else "fout")


def _json_list(value) -> list:
    import json

    return json.loads(value) if isinstance(value, str) else list(value or [])


def _json_dict(value) -> dict:
    import json

    return json.loads(value) if isinstance(value, str) else dict(value or {})
