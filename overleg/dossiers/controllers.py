"""Pages for dossiers: the list, a new dossier, the detail with its evidence and the chair's actions, and the
bundling suggestions. Every form POSTs with a CSRF token and works without JavaScript; no state changes on GET.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from admin import tenancy
from admin.guards import requires_login
from admin.sessions import CurrentUser
from admin.tenancy import register_gemeente_ids
from common import confirm
from common.dates import today
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_id, as_version, not_found, path_id
from overleg import guard
from overleg.dossiers import evidence, suggestions, vergelijkbaar
from overleg.dossiers import services as dossiers
from overleg.tables import Agendapunt, DossierActie, DossierStatus, VergaderingStatus
from overleg.vergaderingen import agenda
from overleg.vergaderingen import services as vergaderingen
from signalen import audience
from signalen.tables import Status

_Id = Annotated[str, PathParameter()]
_Query = Annotated[str | None, QueryParameter()]
_SLUG = re.compile(r"[a-z0-9-]{1,80}")


def member_gemeenten(user: CurrentUser) -> list:
    ids = tenancy.member_gemeente_ids(user)
    return sorted((g for g in user.gemeenten.values() if g.id in ids), key=lambda g: g.naam)


def chair_gemeenten(user: CurrentUser) -> list:
    """Gemeenten the user chairs; 404 for someone outside every overleg, 403 for a member who chairs none."""
    chaired = [g for g in member_gemeenten(user) if tenancy.is_chair(user, g.id)]
    if not chaired:
        if not member_gemeenten(user):
            raise not_found()
        raise PermissionDeniedException("Dit kan alleen de voorzitter van het overleg.")
    return chaired


def back(request: Request, dossier_id: int, message: str, category: str = "succes", anchor: str = "") -> Response:
    target = request.app.route_reverse("dossier_detail", dossier_id=str(dossier_id)) + anchor
    return flash(Redirect(target, status_code=303), message, category)


def failure(exc: Exception) -> str:
    if isinstance(exc, FieldErrors):
        return " ".join(exc.fields.values()) or str(exc.detail)
    return str(getattr(exc, "detail", "")) or "Dit kon niet."


def optional_id(raw: Any) -> int | None:
    raw = str(raw or "").strip()
    if not raw:
        return None
    return path_id(raw)


async def _meetings(user: CurrentUser, dossier: dict) -> dict:
    """For the chair's "Op de agenda": the coming meetings of the dossier's overleg (not yet held) it is on, and
    those it could still be put on."""
    coming = [v for v in await vergaderingen.list_vergaderingen(user)
              if v["gemeente"] == dossier["gemeente_id"] and v["status"] != VergaderingStatus.gehouden.value
              and v["datum"] >= today()]
    rows = await Agendapunt.select(Agendapunt.vergadering).where(
        (Agendapunt.dossier == dossier["id"]) & Agendapunt.vergadering.is_in([v["id"] for v in coming] or [0]))
    on = {row["vergadering"] for row in rows}
    return {"op_agenda": [v for v in coming if v["id"] in on], "komende": [v for v in coming if v["id"] not in on]}


class DossierPagesController(Controller):
    path = "/dossiers"
    guards = [requires_login]
    include_in_schema = False

    @get("/", name="dossiers")
    async def lijst(self, request: Request, gemeente: _Query = None, status: _Query = None) -> Template:
        user = request.user
        gemeenten = member_gemeenten(user)
        if not gemeenten:
            raise not_found()
        chosen = next((g for g in gemeenten if g.slug == gemeente), None)
        status = status if status in DossierStatus.values() else None
        gid = chosen.id if chosen else None
        return Template("overleg/dossiers/lijst.html", context={
            "items": await dossiers.list_dossiers(user, gemeente_id=gid, status=status),
            "tellingen": await dossiers.status_counts(user, gid), "statussen": DossierStatus.labels(),
            "gemeenten": gemeenten, "gekozen": chosen, "status": status,
            "voorzitter": any(tenancy.is_chair(user, g.id) for g in gemeenten),
        })

    async def _new_context(self, user: CurrentUser, data: dict, **extra) -> dict:
        gemeenten = chair_gemeenten(user)
        return {"gemeenten": gemeenten, "data": data, "fields": {},
                "kandidaten": {g.id: await dossiers.unbundled(g.id) for g in gemeenten}, **extra}

    @get("/nieuw", name="dossier_nieuw")
    async def nieuw(self, request: Request) -> Template:
        context = await self._new_context(request.user, {"signalen": []})
        return Template("overleg/dossiers/nieuw.html", context=context)

    @post("/nieuw", name="dossier_nieuw_post", status_code=303)
    async def maak(self, request: Request) -> Response:
        user = request.user
        chair_gemeenten(user)
        form = await request.form()
        data = {"gemeente": form.get("gemeente", ""), "titel": form.get("titel", ""),
                "omschrijving": form.get("omschrijving", ""), "signalen": form.getall("signalen", [])}
        try:
            row = await dossiers.create_dossier(user, data["gemeente"], data["titel"], data["omschrijving"],
                                                data["signalen"], bevestig=guard.form_confirmed(form))
        except FieldErrors as exc:
            return form_error_response("overleg/dossiers/nieuw.html", await self._new_context(user, data), exc)
        except Conflict as exc:
            context = await self._new_context(user, data, fields={"signalen": str(exc.detail)})
            return Template("overleg/dossiers/nieuw.html", context=context, status_code=409)
        return back(request, row["id"], "Dossier aangemaakt.")

    async def _detail_context(self, user: CurrentUser, dossier_id: int, **extra: Any) -> dict:
        """Everything the dossier page shows; `extra` carries the comment form's state after a refusal."""
        dossier = await dossiers.get_dossier(user, dossier_id)
        chair: dict[str, Any] = {}
        if dossier["mag_beheren"]:
            others = await dossiers.list_dossiers(user, gemeente_id=dossier["gemeente_id"])
            open_to_more = dossier["status"] != DossierStatus.afgerond.value and not dossier["samengevoegd_in"]
            chair = {**await _meetings(user, dossier),
                     "kandidaten": await dossiers.unbundled(dossier["gemeente_id"], 50),
                     "passend": await vergelijkbaar.fitting(dossier, 5) if open_to_more else [],
                     "doelen": [d for d in others if d["id"] != dossier["id"] and not d["samengevoegd_in"]
                                and d["status"] in dossiers.ACTIVE]}
        redact = audience.for_reader(user, dossier["gemeente_id"])  # partners read the signals' texts redacted
        return {
            "dossier": dossier, "bewijs": evidence.for_audience(await dossiers.evidence(dossier["id"]), redact),
            "signalen": evidence.signals_for_audience(await dossiers.signalen(dossier["id"]), redact),
            "historiek": evidence.history_for_audience(await dossiers.history(dossier["id"]), redact),
            "commentaren": await dossiers.comments(dossier["id"]), "acties": DossierActie.labels(),
            "label": Status.label_for,
            "register": dossier["gemeente_id"] in register_gemeente_ids(user), "fields": {},
            "commentaar": {"tekst": "", "persoonsgegevens": []}, **chair, **extra,
        }

    @get("/{dossier_id:str}", name="dossier_detail")
    async def detail(self, request: Request, dossier_id: _Id) -> Template:
        context = await self._detail_context(request.user, path_id(dossier_id))
        return Template("overleg/dossiers/detail.html", context=context)

    @get("/{dossier_id:str}/bewerken", name="dossier_bewerken")
    async def bewerken(self, request: Request, dossier_id: _Id) -> Template:
        dossier = await dossiers.chair_dossier(request.user, path_id(dossier_id))
        return Template("overleg/dossiers/bewerken.html", context={
            "dossier": dossier, "data": dossier, "fields": {}, "statussen": DossierStatus.labels()})

    @post("/{dossier_id:str}/bewerken", name="dossier_bewerken_post", status_code=303)
    async def bewaar(self, request: Request, dossier_id: _Id) -> Response:
        user = request.user
        dossier = await dossiers.chair_dossier(user, path_id(dossier_id))
        form = await request.form()
        data = {k: form.get(k, "") for k in ("titel", "omschrijving", "status")}
        raw = str(form.get("versie", ""))
        versie = as_version(raw)
        context: dict[str, Any] = {"dossier": dossier, "data": {**data, "versie": versie}, "fields": {},
                   "statussen": DossierStatus.labels()}
        try:
            await dossiers.update_dossier(user, dossier["id"], data, versie, bevestig=guard.form_confirmed(form))
        except FieldErrors as exc:
            return form_error_response("overleg/dossiers/bewerken.html", context, exc)
        except Conflict as exc:
            current = await dossiers.get_dossier(user, dossier["id"])
            context = {**context, "dossier": current, "huidig": current, "fout": str(exc.detail),
                       "data": {**data, "versie": current["versie"]}}
            return form_error_response("overleg/dossiers/bewerken.html", context, exc)
        return back(request, dossier["id"], "Wijzigingen opgeslagen.")

    @post("/{dossier_id:str}/signalen", name="dossier_signalen_post", status_code=303)
    async def signalen_toevoegen(self, request: Request, dossier_id: _Id) -> Response:
        did = path_id(dossier_id)
        form = await request.form()
        try:
            row = await dossiers.add_signalen(request.user, did, form.getall("signalen", []),
                                              move=form.get("verplaats") == "1")
        except (FieldErrors, Conflict) as exc:
            return back(request, did, failure(exc), "fout")
        return back(request, row["id"], "Signalen toegevoegd.", anchor="#signalen")

    @post("/{dossier_id:str}/past-niet", name="dossier_past_niet", status_code=303)
    async def past_niet(self, request: Request, dossier_id: _Id) -> Response:
        """A signal shown as fitting that does not: the suggestions' own rejection (an Afwijzing for the dossier)."""
        dossier = await dossiers.chair_dossier(request.user, path_id(dossier_id))
        form = await request.form()
        try:
            await suggestions.reject(request.user, dossier["gemeente"], [form.get("signaal")], dossier_id=dossier["id"])
        except FieldErrors as exc:
            return back(request, dossier["id"], failure(exc), "fout", anchor="#passend")
        return back(request, dossier["id"], "Onthouden: dit signaal wordt niet meer voorgesteld voor dit dossier.",
                    anchor="#passend")

    @post("/{dossier_id:str}/signalen/{signaal_id:str}/verwijderen", name="dossier_signaal_weg", status_code=303)
    async def signaal_weg(self, request: Request, dossier_id: _Id, signaal_id: _Id) -> Response:
        user, did, sid = request.user, path_id(dossier_id), path_id(signaal_id)
        form = await request.form()
        if not confirm.is_confirmed(form):
            dossier = await dossiers.chair_dossier(user, did)  # 404/403 before any question
            redact = audience.for_reader(user, dossier["gemeente_id"])
            inside = evidence.signals_for_audience(await dossiers.signalen(dossier["id"]), redact)
            signaal = next((s for s in inside if s["id"] == sid), None)
            if signaal is None:
                raise not_found()
            detail = request.app.route_reverse("dossier_detail", dossier_id=str(did))
            return confirm.confirmation_page(
                form, titel="Signaal uit het dossier halen?", actie=request.url.path, terug=f"{detail}#signalen",
                gevolg=f"Het signaal ‘{signaal['titel']}’ gaat uit het dossier ‘{dossier['titel']}’ en staat "
                       "daarna weer op ‘nieuw’.", onomkeerbaar=False)
        try:
            await dossiers.remove_signaal(user, did, sid, form.get("toelichting", ""))
        except Conflict as exc:
            return back(request, did, failure(exc), "fout")
        target = request.app.route_reverse("dossier_detail", dossier_id=str(did)) + "#signalen"
        undo = (request.app.route_reverse("dossier_signalen_post", dossier_id=str(did)), {"signalen": str(sid)})
        return flash(Redirect(target, status_code=303),
                     "Het signaal is uit het dossier gehaald en staat weer op ‘nieuw’.", undo=undo)

    @post("/{dossier_id:str}/agenderen", name="dossier_agenderen", status_code=303)
    async def agenderen(self, request: Request, dossier_id: _Id) -> Response:
        """From the dossier's own page onto the agenda of a coming meeting (overleg/vergaderingen/agenda.py)."""
        user, did = request.user, path_id(dossier_id)
        dossier = await dossiers.chair_dossier(user, did)
        form = await request.form()
        vid = as_id(str(form.get("vergadering", "")))
        if vid is None:
            return back(request, did, "Kies een vergadering.", "fout", anchor="#agenderen")
        try:
            punt = await agenda.add_dossier_punt(user, vid, dossier["id"])
        except (FieldErrors, HTTPException) as exc:
            if exc.status_code not in (409, 422):
                raise
            return back(request, did, failure(exc), "fout", anchor="#agenderen")
        vergadering = request.app.route_reverse("vergadering_detail", vergadering_id=str(vid))
        target = request.app.route_reverse("dossier_detail", dossier_id=str(did)) + "#agenderen"
        return flash(Redirect(target, status_code=303), f"Op de agenda gezet als punt ‘{punt['titel']}’.",
                     link=(f"{vergadering}#agenda", "Naar de agenda"))

    @post("/{dossier_id:str}/samenvoegen", name="dossier_samenvoegen", status_code=303)
    async def samenvoegen(self, request: Request, dossier_id: _Id) -> Response:
        did = path_id(dossier_id)
        form = await request.form()
        raw = str(form.get("doel", ""))
        doel = as_id(raw)
        try:
            row = await dossiers.merge_dossiers(request.user, did, doel)
        except (FieldErrors, Conflict) as exc:
            return back(request, did, failure(exc), "fout")
        return back(request, row["id"], f"Dossier {did} is samengevoegd in dit dossier.")

    @post("/{dossier_id:str}/commentaar", name="dossier_commentaar", status_code=303)
    async def commentaar(self, request: Request, dossier_id: _Id) -> Response:
        did = path_id(dossier_id)
        form = await request.form()
        tekst = str(form.get("tekst", ""))
        try:
            await dossiers.add_comment(request.user, did, tekst, bevestig=guard.form_confirmed(form))
        except FieldErrors as exc:  # empty, too long, or the privacy guard: the typed text stays in the form
            typed = {"tekst": tekst, "persoonsgegevens": exc.extra.get("persoonsgegevens") or []}
            context = await self._detail_context(request.user, did, commentaar=typed)
            return form_error_response("overleg/dossiers/detail.html", context, exc)
        return back(request, did, "Commentaar geplaatst.", anchor="#commentaren")


class SuggestiePagesController(Controller):
    path = "/dossiers/suggesties"
    guards = [requires_login]
    include_in_schema = False

    @get("/", name="dossier_suggesties")
    async def suggesties(self, request: Request, gemeente: _Query = None) -> Template:
        user = request.user
        if not gemeente:
            gemeenten = chair_gemeenten(user)
            if len(gemeenten) > 1:
                return Template("overleg/dossiers/suggesties.html", context={"kies": gemeenten})
            gemeente = gemeenten[0].slug
        found = await suggestions.suggestions(user, gemeente)
        return Template("overleg/dossiers/suggesties.html", context={"s": found, "kies": None})

    async def _decide(self, request: Request, accept: bool) -> Response:
        form = await request.form()
        gemeente = str(form.get("gemeente", ""))
        slug = gemeente if _SLUG.fullmatch(gemeente) else ""
        suggesties = request.app.route_reverse("dossier_suggesties")
        target = Redirect(f"{suggesties}?gemeente={slug}" if slug else suggesties, status_code=303)
        # the chair may have edited the proposal: `signalen` is the list as chosen (checkboxes), not as proposed
        ids, dossier_id = form.getall("signalen", []), optional_id(form.get("dossier"))
        try:
            if accept:
                row = await suggestions.accept(request.user, gemeente, ids, dossier_id=dossier_id,
                                               titel=form.get("titel"), bevestig=guard.form_confirmed(form))
            else:
                await suggestions.reject(request.user, gemeente, ids, dossier_id=dossier_id)
        except FieldErrors as exc:
            if not exc.extra.get("persoonsgegevens"):
                return flash(target, failure(exc), "fout")
            # the privacy guard refused the title: the page again, the typed title kept, with the confirmation
            found = await suggestions.suggestions(request.user, gemeente)
            typed = {"signalen": [as_id(i) for i in ids], "titel": str(form.get("titel", "")),
                     "voorstel": str(form.get("voorstel", ""))}
            return form_error_response("overleg/dossiers/suggesties.html",
                                       {"s": found, "kies": None, "geweigerd": typed}, exc)
        except Conflict as exc:
            return flash(target, failure(exc), "fout")
        if not accept:
            return flash(target, "Voorstel afgewezen. Het wordt niet meer voorgesteld.")
        count = len(dossiers.signal_ids(ids))
        signalen = f"{count} signa{'al' if count == 1 else 'len'}"
        message = (f"{signalen} toegevoegd aan dossier ‘{row['titel']}’." if dossier_id is not None
                   else f"Dossier ‘{row['titel']}’ gemaakt met {signalen}.")
        link = (request.app.route_reverse("dossier_detail", dossier_id=str(row["id"])), "Naar het dossier")
        return flash(target, message, link=link)

    @post("/aanvaarden", name="dossier_suggestie_aanvaarden", status_code=303)
    async def aanvaarden(self, request: Request) -> Response:
        return await self._decide(request, accept=True)

    @post("/afwijzen", name="dossier_suggestie_afwijzen", status_code=303)
    async def afwijzen(self, request: Request) -> Response:
        return await self._decide(request, accept=False)


CONTROLLERS = [DossierPagesController, SuggestiePagesController]
