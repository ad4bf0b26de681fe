"""The actions overview (/acties/): per partner or per dossier, create and change status. API in api.py."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from admin import tenancy
from admin.guards import requires_login
from admin.tenancy import in_gemeenten
from common.dates import today
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_id, not_found, path_id
from overleg import access, guard
from overleg.acties import services as acties
from overleg.overleggen.services import partners
from overleg.tables import ActieStatus, Dossier, Lens

VIEWS = {"partner": "Per partner", "dossier": "Per dossier"}
CREATE_FIELDS = ("overleg", "agendapunt", "dossier", "wat", "partner", "deadline", "lens")
LIST = "overleg/acties/lijst.html"


def _query(request: Request) -> dict[str, Any]:
    params = request.query_params
    overleg = as_id(params.get("overleg"))
    if params.get("overleg") and overleg is None:
        raise not_found()  # an impossible id ("abc", 2147483648) names no overleg, like an unknown one
    per = params.get("per") if params.get("per") in VIEWS else "partner"
    return {"overleg": overleg, "per": per, "alles": params.get("alles") == "1", "mijn": params.get("mijn") == "1"}


def _back(request: Request, overleg: Any, per: Any, mijn: Any = "") -> str:
    parts = [f"overleg={as_id(overleg)}" if as_id(overleg) else "", f"per={per}" if per in VIEWS else "",
             "mijn=1" if mijn == "1" else ""]
    query = "&".join(p for p in parts if p)
    return request.app.route_reverse("acties") + "/" + (f"?{query}" if query else "")


async def _create_form(user, overleg: dict | None) -> dict | None:
    """Choices for the chair's 'new action' form: only on the page of one overleg the user chairs."""
    if overleg is None or not tenancy.is_chair(user, overleg["gemeente"]):
        return None
    dossiers = await Dossier.select(Dossier.id, Dossier.titel).where(
        in_gemeenten(Dossier.gemeente, overleg["gemeente"]) & Dossier.samengevoegd_in.is_null()).order_by(Dossier.titel)
    return {"partners": await partners(overleg["id"]), "dossiers": dossiers, "lenzen": Lens.labels()}


class ActiesPagesController(Controller):
    path = "/acties"
    guards = [requires_login]
    include_in_schema = False

    async def _page(self, request: Request, status_code: int = 200, **extra) -> Template:
        return Template(LIST, context=await self._context(request, **extra), status_code=status_code)

    async def _context(self, request: Request, **extra) -> dict[str, Any]:
        user = request.user
        if not tenancy.member_gemeente_ids(user):
            raise not_found()
        query = _query(request)
        overleggen = await access.overleggen(user)
        overleg = next((o for o in overleggen if o["id"] == query["overleg"]), None)
        if query["overleg"] is not None and overleg is None:
            raise not_found()
        if overleg is None and len(overleggen) == 1:
            overleg = overleggen[0]
        own = await access.partner_ids_of(user)
        rows = await acties.list_acties(user, overleg_id=overleg["id"] if overleg else None,
                                        open_only=not query["alles"], own_only=query["mijn"] and bool(own))
        return {
            "mag_mijn": bool(own), "historiek": await acties.history([r["id"] for r in rows]),
            "query": query, "views": VIEWS, "overleggen": overleggen, "overleg": overleg,
            "groepen": acties.group(rows, query["per"]), "totaal": len(rows),
            "achterstallig": sum(1 for r in rows if r["achterstallig"]), "statussen": ActieStatus.labels(),
            "nieuw": await _create_form(user, overleg), "vandaag": today(), "fields": {}, "data": {},
            "terug": _back(request, overleg["id"] if overleg else None, query["per"], "1" if query["mijn"] else ""),
            "notitie_fout": None, **extra,
        }

    @get("/", name="acties")
    async def lijst(self, request: Request) -> Template:
        return await self._page(request)

    @post("/", name="actie_nieuw", status_code=303)
    async def nieuw(self, request: Request) -> Response:
        form = await request.form()
        data = {name: str(form.get(name, "")) for name in CREATE_FIELDS}
        try:
            await acties.create_actie(
                request.user, overleg_id=as_id(data["overleg"]) or 0, agendapunt_id=data["agendapunt"] or None,
                dossier_id=data["dossier"] or None, wat=data["wat"], partner_id=data["partner"] or None,
                deadline=data["deadline"] or None, lens=data["lens"], bevestig=guard.form_confirmed(form))
        except FieldErrors as exc:
            return form_error_response(LIST, await self._context(request, data=data), exc)
        back = _back(request, data["overleg"], form.get("per"))
        return flash(Redirect(back, status_code=303), "De actie is toegevoegd.")

    @post("/{actie_id:str}/status", name="actie_status", status_code=303)
    async def status(self, request: Request, actie_id: FromPath[str]) -> Response:
        form = await request.form()
        back = _back(request, form.get("overleg"), form.get("per"), form.get("mijn"))
        aid, notitie = path_id(actie_id), str(form.get("notitie", ""))
        try:
            row = await acties.update_actie_status(request.user, aid, str(form.get("status", "")),
                                                   str(form.get("versie", "")), notitie=notitie,
                                                   bevestig=guard.form_confirmed(form))
        except Conflict as exc:
            return await self._page(request, 409, melding=exc.detail)
        except FieldErrors as exc:  # the typed note stays, with the guard's confirmation box when it refused
            typed = {"actie": aid, "tekst": notitie, "persoonsgegevens": exc.extra.get("persoonsgegevens") or []}
            return await self._page(request, 422, melding=next(iter(exc.fields.values()), exc.detail),
                                    notitie_fout=typed)
        done = f"Status gewijzigd naar '{row['status_label']}'" + (" met je notitie." if notitie.strip() else ".")
        return flash(Redirect(back, status_code=303), done)
