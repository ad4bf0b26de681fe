"""Pages for the overleg itself: the user's overleggen, one overleg with its partners and members (chair edits).
The API is in api.py. Every form works without JavaScript; services in overleg.overleg_beheer."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from admin import tenancy
from admin.guards import requires_login
from common.errors import FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_id, not_found, path_id
from overleg import access
from overleg.overleggen import services as beheer
from overleg.tables import Functie, PartnerSoort

OVERLEG_FIELDS = ("naam", "omschrijving", "werkernamen_in_nota", "gemeente")
PARTNER_FIELDS = ("naam", "soort", "netwerken")
LIST, DETAIL = "overleg/beheer/lijst.html", "overleg/beheer/detail.html"


async def _form(request: Request, names: tuple[str, ...]) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {name: str(form.get(name, "")) for name in names}
    data["functies"] = [str(v) for v in form.getall("functies", [])]
    return data


def _labels() -> dict:
    return {"functie_labels": Functie.labels(), "soort_labels": PartnerSoort.labels()}


class OverlegPagesController(Controller):
    path = "/overleg"
    guards = [requires_login]
    include_in_schema = False

    async def _list_context(self, request: Request, **extra) -> dict[str, Any]:
        user = request.user
        if not tenancy.member_gemeente_ids(user):
            raise not_found()
        return {"overleggen": await access.overleggen(user), "nieuw_voor": await beheer.creatable_gemeenten(user),
                "fields": {}, "data": {}, **_labels(), **extra}

    async def _detail_context(self, request: Request, overleg_id: int, **extra) -> dict[str, Any]:
        return {**await beheer.detail(request.user, overleg_id), "fields": {}, "data": {}, "open_form": "",
                **_labels(), **extra}

    async def _detail_page(self, request: Request, overleg_id: int, status_code: int = 200, **extra) -> Template:
        context = await self._detail_context(request, overleg_id, **extra)
        return Template(DETAIL, context=context, status_code=status_code)

    def _detail_url(self, request: Request, overleg_id: int, anchor: str = "") -> str:
        return request.app.route_reverse("overleg_detail", overleg_id=str(overleg_id)) + anchor

    @get("/", name="overleggen")
    async def lijst(self, request: Request) -> Template:
        return Template(LIST, context=await self._list_context(request))

    @post("/", name="overleg_nieuw", status_code=303)
    async def nieuw(self, request: Request) -> Response:
        data = await _form(request, OVERLEG_FIELDS)
        try:
            overleg = await beheer.create_overleg(request.user, data["gemeente"], data)
        except FieldErrors as exc:
            return form_error_response(LIST, await self._list_context(request, data=data), exc)
        return flash(Redirect(self._detail_url(request, overleg["id"]), status_code=303), "Het overleg is aangemaakt.")

    @get("/{overleg_id:str}", name="overleg_detail")
    async def detail(self, request: Request, overleg_id: FromPath[str]) -> Template:
        return await self._detail_page(request, path_id(overleg_id))

    @post("/{overleg_id:str}", name="overleg_bewerken", status_code=303)
    async def bewerken(self, request: Request, overleg_id: FromPath[str]) -> Response:
        oid = path_id(overleg_id)
        data = await _form(request, OVERLEG_FIELDS)
        try:
            await beheer.update_overleg(request.user, oid, data)
        except FieldErrors as exc:
            context = await self._detail_context(request, oid, data=data, open_form="overleg")
            return form_error_response(DETAIL, context, exc)
        return flash(Redirect(self._detail_url(request, oid), status_code=303), "Het overleg is bijgewerkt.")

    @post("/{overleg_id:str}/partners", name="overleg_partner_nieuw", status_code=303)
    async def partner_nieuw(self, request: Request, overleg_id: FromPath[str]) -> Response:
        oid = path_id(overleg_id)
        data = await _form(request, PARTNER_FIELDS)
        try:
            row = await beheer.add_partner(request.user, oid, data)
        except FieldErrors as exc:
            context = await self._detail_context(request, oid, data=data, open_form="partner")
            return form_error_response(DETAIL, context, exc)
        target = self._detail_url(request, oid, "#partners")
        return flash(Redirect(target, status_code=303), f"{row['naam']} is toegevoegd.")

    @post("/{overleg_id:str}/partners/{partner_id:str}", name="overleg_partner_bewerken", status_code=303)
    async def partner_bewerken(self, request: Request, overleg_id: FromPath[str],
                               partner_id: FromPath[str]) -> Response:
        oid, pid = path_id(overleg_id), path_id(partner_id)
        data = await _form(request, PARTNER_FIELDS)
        try:
            row = await beheer.update_partner(request.user, oid, pid, data)
        except FieldErrors as exc:
            context = await self._detail_context(request, oid, data=data, open_form=f"partner-{pid}")
            return form_error_response(DETAIL, context, exc)
        target = self._detail_url(request, oid, "#partners")
        return flash(Redirect(target, status_code=303), f"{row['naam']} is bijgewerkt.")

    @post("/{overleg_id:str}/partners/{partner_id:str}/verwijderen", name="overleg_partner_verwijderen",
          status_code=303)
    async def partner_verwijderen(self, request: Request, overleg_id: FromPath[str],
                                  partner_id: FromPath[str]) -> Response:
        oid, pid = path_id(overleg_id), path_id(partner_id)
        try:
            row = await beheer.remove_partner(request.user, oid, pid)
        except HTTPException as exc:
            if exc.status_code != 409:
                raise
            return await self._detail_page(request, oid, 409, melding=exc.detail)
        target = self._detail_url(request, oid, "#partners")
        return flash(Redirect(target, status_code=303), f"{row['naam']} is verwijderd.")

    @post("/{overleg_id:str}/leden", name="overleg_lid_koppelen", status_code=303)
    async def lid_koppelen(self, request: Request, overleg_id: FromPath[str]) -> Response:
        oid = path_id(overleg_id)
        form = await request.form()
        lid, partner = as_id(form.get("lid")), as_id(form.get("partner"))
        if form.get("partner") and partner is None:
            raise not_found()
        try:
            entry = await beheer.link_lid(request.user, oid, lid, partner)
        except FieldErrors as exc:
            return form_error_response(DETAIL, await self._detail_context(request, oid), exc)
        message = (f"{entry['naam']} zit in het overleg voor {entry['partner_naam']}." if entry["partner"]
                   else f"{entry['naam']} is niet meer aan een partner gekoppeld.")
        return flash(Redirect(self._detail_url(request, oid, "#leden"), status_code=303), message)
