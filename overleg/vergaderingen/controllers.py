"""Pages for meetings: the list, a new meeting, the agenda (proposals, chair tools, planned end), running the meeting
on a tablet, the agenda as PDF and as .ics. Every form works without JavaScript; static/js/vergadering.js only adds
autosave of the notes. Services (overleg.vergaderingen, overleg.agenda) decide who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from admin.guards import requires_login
from admin.tenancy import is_chair, member_gemeente_ids
from common import confirm, dates
from common.dates import today
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_ids, not_found, path_id
from common.markdown import render_markdown
from common.pdf import PdfMeta, render_template_pdf
from overleg import guard
from overleg.access import get_overleg, overleggen
from overleg.tables import Aanwezigheid, Actie, ActieStatus, AgendapuntSoort, Functie, Lens, VergaderingStatus
from overleg.vergaderingen import aanwezigheid, agenda, ics, stappen
from overleg.vergaderingen import services as vergaderingen

V = vergaderingen
AANWEZIGHEID_KEUZES = {k: v for k, v in Aanwezigheid.labels().items() if k != Aanwezigheid.uitgenodigd}

EARLY_CLOSE = "ik sluit deze vergadering af vóór haar datum"


def _back(request: Request, vergadering_id: int, message: str, anchor: str = "", page: str = "vergadering_detail",
          query: str = "") -> Response:
    target = request.app.route_reverse(page, vergadering_id=str(vergadering_id)) + query + anchor
    return flash(Redirect(target, status_code=303), message)


async def _acties(vergadering_id: int) -> dict[int, list[dict]]:
    rows = await Actie.select(Actie.id, Actie.agendapunt, Actie.wat, Actie.deadline, Actie.status, Actie.lens,
                              Actie.partner.naam.as_alias("partner_naam")).where(
        Actie.agendapunt.vergadering == vergadering_id).order_by(Actie.id)
    per_punt: dict[int, list[dict]] = {}
    for row in rows:
        row["status_label"] = ActieStatus.labels().get(row["status"])
        row["lens_label"] = Lens.labels().get(row["lens"])
        per_punt.setdefault(row["agendapunt"], []).append(row)
    return per_punt


async def agenda_context(request: Request, vergadering_id: int, **extra: Any) -> dict:
    """What the agenda page shows; the number of queries does not depend on the number of dossiers."""
    user = request.user
    vergadering = await V.get_vergadering(user, vergadering_id)
    chair = is_chair(user, vergadering["gemeente"])
    punten = await agenda.list_punten(vergadering)
    open_for_changes = chair and vergadering["status"] != VergaderingStatus.gehouden.value
    verslag = (await stappen.verslag_standen([vergadering]))[vergadering["id"]]
    return {
        "v": vergadering, "punten": punten, "einde": agenda.planned_end(vergadering, punten), "voorzitter": chair,
        "bewerkbaar": open_for_changes, "deelnemers": await aanwezigheid.list_deelnemers(vergadering_id),
        "voorstellen": await agenda.voorstellen(vergadering) if open_for_changes else [],
        "partners": await V.partners_of(vergadering["overleg"]) if open_for_changes else [],
        "personen": await aanwezigheid.personen_of(vergadering) if open_for_changes else [],
        "keuzes": AANWEZIGHEID_KEUZES, "stappen": stappen.stappen(vergadering, verslag),
        "verslag_stand": stappen.VERSLAG[verslag], "toon_verslag": stappen.verslag_zichtbaar(vergadering, verslag),
        "soorten": {k: v for k, v in AgendapuntSoort.labels().items() if k != AgendapuntSoort.dossier},
        "functie_labels": Functie.labels(),
        "verleden": vergadering["datum"] < today(), "fields": {}, "vrij_punt": {}, "persoonsgegevens": [], **extra,
    }


async def leiden_context(request: Request, vergadering_id: int, punt_id: int | None = None, **extra: Any) -> dict:
    user = request.user
    vergadering = await V.chair_vergadering(user, vergadering_id, open_only=False)
    punten = await agenda.list_punten(vergadering)
    huidig = next((p for p in punten if p["id"] == punt_id), punten[0] if punten else None)
    if punt_id is not None and (huidig is None or huidig["id"] != punt_id):
        raise not_found()
    index = punten.index(huidig) if huidig else 0
    return {
        "v": vergadering, "punten": punten, "punt": huidig, "index": index,
        "vorige": punten[index - 1] if huidig and index > 0 else None,
        "volgende": punten[index + 1] if huidig and index + 1 < len(punten) else None,
        "deelnemers": await aanwezigheid.list_deelnemers(vergadering_id), "keuzes": AANWEZIGHEID_KEUZES,
        "acties": await _acties(vergadering_id), "partners": await V.partners_of(vergadering["overleg"]),
        "lenzen": Lens.labels(), "functie_labels": Functie.labels(), "einde": agenda.planned_end(vergadering, punten),
        "fields": {}, "conflict": None, "voortijdig": vergadering["datum"] > today(), "voortijdig_label": EARLY_CLOSE,
        **extra,
    }


class VergaderingPagesController(Controller):
    path = "/vergaderingen"
    guards = [requires_login]
    include_in_schema = False

    @get("/", name="vergaderingen")
    async def lijst(self, request: Request) -> Template:
        user = request.user
        if not member_gemeente_ids(user):
            raise not_found()
        rows = await V.list_vergaderingen(user)
        standen = await stappen.verslag_standen(rows)
        for row in rows:
            row["verslag"] = stappen.VERSLAG[standen[row["id"]]]
            row["toon_verslag"] = stappen.verslag_zichtbaar(row, standen[row["id"]])
        done = VergaderingStatus.gehouden.value
        komend = [r for r in rows if r["datum"] >= today() and r["status"] != done]
        voorbij = [r for r in reversed(rows) if r not in komend]
        eigen = [o for o in await overleggen(user) if is_chair(user, o["gemeente"])]
        return Template("overleg/vergaderingen/lijst.html", context={
            "komend": komend, "voorbij": voorbij, "overleggen": eigen})

    async def _new_context(self, request: Request, overleg: str | None, data: dict) -> dict[str, Any]:
        user = request.user
        eigen = [o for o in await overleggen(user) if is_chair(user, o["gemeente"])]
        if overleg:
            chosen = next((o for o in eigen if str(o["id"]) == overleg), None)
            if chosen is None:
                await get_overleg(user, path_id(overleg))  # 404 for strangers and impossible ids
                raise PermissionDeniedException("Dit kan alleen de voorzitter van het overleg.")
            eigen = [chosen]
        if not eigen:
            raise PermissionDeniedException("Dit kan alleen de voorzitter.") if member_gemeente_ids(user) \
                else not_found()
        partners = {o["id"]: await V.partners_of(o["id"]) for o in eigen}
        return {"overleggen": eigen, "partners": partners, "data": data, "fields": {}}

    @get("/nieuw", name="vergadering_nieuw")
    async def nieuw(self, request: Request, overleg: FromQuery[str | None] = None) -> Template:
        data = {"datum": (today() + dt.timedelta(days=14)).isoformat(), "begin": "19:30", "plaats": "",
                "partners": None}
        return Template("overleg/vergaderingen/nieuw.html", context=await self._new_context(request, overleg, data))

    @post("/nieuw", name="vergadering_nieuw_post", status_code=303)
    async def create(self, request: Request) -> Response:
        form = await request.form()
        data: dict[str, Any] = {k: str(form.get(k, "")) for k in ("overleg", "datum", "begin", "plaats")}
        raw_partners = form.getall("partners") if "partners" in form else []
        data["partners"] = as_ids(raw_partners)
        try:
            if not data["overleg"]:  # the empty first choice of the select: a message, not a 404
                raise FieldErrors({"overleg": "Kies een overleg."})
            created = await V.create_vergadering(request.user, path_id(data["overleg"]), data, data["partners"])
        except FieldErrors as exc:
            context = await self._new_context(request, data["overleg"] or None, data)
            return form_error_response("overleg/vergaderingen/nieuw.html", context, exc)
        return _back(request, created["id"], "Vergadering aangemaakt. Stel nu de agenda op.")

    @get("/{vergadering_id:str}", name="vergadering_detail")
    async def detail(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        if vergadering_id.endswith(".ics"):
            return await self._ics(request, path_id(vergadering_id[:-4]))
        context = await agenda_context(request, path_id(vergadering_id))
        return Template("overleg/vergaderingen/detail.html", context=context)

    async def _ics(self, request: Request, vergadering_id: int) -> Response:
        vergadering = await V.get_vergadering(request.user, vergadering_id)
        body = ics.vergadering_ics(vergadering, await agenda.list_punten(vergadering))
        return Response(body, media_type=ics.MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="vergadering-{vergadering["datum"].isoformat()}.ics"'})

    @get("/{vergadering_id:str}/agenda.pdf", name="vergadering_pdf")
    async def pdf(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        context = await agenda_context(request, path_id(vergadering_id))
        v = context["v"]
        meta = PdfMeta(title=f"Agenda {v['overleg_naam']} {v['datum']:%d/%m/%Y}", author=v["overleg_naam"],
                       subject="Agenda van de vergadering")
        rendered = await render_template_pdf("pdf/agenda.html", {**context, "VergaderingStatus": VergaderingStatus},
                                             meta)
        return Response(rendered.pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="agenda-{v["datum"].isoformat()}.pdf"'})

    async def _agenda_or_error(self, request: Request, vid: int, work, done: str, anchor: str = "",
                               **typed: Any) -> Response:
        """Run a chair's change; a refusal (409/422) shows the agenda again with the Dutch reason, the `typed`
        values kept and, when the privacy guard refused them, its confirmation box."""
        try:
            await work
        except (FieldErrors, HTTPException) as exc:
            if exc.status_code not in (409, 422):
                raise
            found = exc.extra.get("persoonsgegevens") or [] if isinstance(exc, FieldErrors) else []
            context = await agenda_context(request, vid, fields=getattr(exc, "fields", {}) or {}, fout=exc.detail,
                                           persoonsgegevens=found, **typed)
            return Template("overleg/vergaderingen/detail.html", context=context, status_code=exc.status_code)
        return _back(request, vid, done, anchor)

    @post("/{vergadering_id:str}/publiceren", name="vergadering_publiceren", status_code=303)
    async def publiceren(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        v = path_id(vergadering_id)
        return await self._agenda_or_error(request, v, agenda.publish(request.user, v),
                                           "De agenda is gepubliceerd: de leden en partners zien ze nu.")

    @post("/{vergadering_id:str}/verplaatsen", name="vergadering_verplaatsen", status_code=303)
    async def verplaatsen_vergadering(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        v = path_id(vergadering_id)
        form = await request.form()
        data = {k: form.get(k, "") for k in ("datum", "begin", "plaats")}
        return await self._agenda_or_error(request, v, agenda.reschedule(request.user, v, data),
                                           "De vergadering is verplaatst.")

    @post("/{vergadering_id:str}/annuleren", name="vergadering_annuleren", status_code=303)
    async def annuleren(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        await agenda.cancel(request.user, path_id(vergadering_id))
        return flash(Redirect(request.app.route_reverse("vergaderingen") + "/", status_code=303),
                     "De vergadering is afgelast.")

    @post("/{vergadering_id:str}/afsluiten", name="vergadering_afsluiten", status_code=303)
    async def afsluiten(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        v = path_id(vergadering_id)
        form = await request.form()
        vergadering = await V.chair_vergadering(request.user, v, open_only=False)  # a held one: 409 from close()
        early = vergadering["datum"] > today()  # closing before its date needs a second, explicit confirmation
        controle = {"naam": "voor_datum", "label": EARLY_CLOSE} if early else None
        if not confirm.is_confirmed(form, controle="voor_datum" if early else None):
            leiden = request.app.route_reverse("vergadering_leiden", vergadering_id=str(v))
            return confirm.confirmation_page(
                form, titel="Vergadering afsluiten?", actie=request.url.path, terug=leiden, controle=controle,
                gevolg=f"De vergadering van {vergadering['datum_tekst']} wordt ‘gehouden’: de agenda ligt dan vast"
                       + (" — en die datum is nog niet voorbij." if early else "."))
        return await self._agenda_or_error(request, v, V.close(request.user, v), "De vergadering is afgesloten.")

    @post("/{vergadering_id:str}/deelnemers", name="vergadering_deelnemers", status_code=303)
    async def deelnemers(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        v = path_id(vergadering_id)
        form = await request.form()
        ids = as_ids(form.getall("partners")) if "partners" in form else []
        personen = as_ids(form.getall("personen")) if "personen" in form else []
        work = aanwezigheid.set_uitgenodigden(request.user, v, ids, personen)
        return await self._agenda_or_error(request, v, work, "Uitnodigingen bijgewerkt.", "#deelnemers")

    @post("/{vergadering_id:str}/aanwezigheid", name="vergadering_aanwezigheid", status_code=303)
    async def aanwezigheid_bewaren(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        """From the running meeting (back to its point) or, to correct an answer later, from the meeting page."""
        v = path_id(vergadering_id)
        form = await request.form()
        keuzes = {path_id(k.removeprefix("d-")): str(val) for k, val in form.items() if k.startswith("d-")}
        changed = await aanwezigheid.set_aanwezigheid(request.user, v, keuzes)
        message = "Aanwezigheid bewaard." if changed else "Aanwezigheid ongewijzigd."
        if form.get("terug") == "detail":
            return _back(request, v, message, "#aanwezigheid")
        punt = str(form.get("punt", ""))
        query = f"?punt={path_id(punt)}" if punt else ""
        return _back(request, v, message, "#aanwezigheid", "vergadering_leiden", query)

    @post("/{vergadering_id:str}/punten", name="vergadering_punt_nieuw", status_code=303)
    async def punt_nieuw(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        v = path_id(vergadering_id)
        form = await request.form()
        if form.get("dossier"):
            work = agenda.add_dossier_punt(request.user, v, path_id(form.get("dossier")))
        else:
            typed = {"soort": str(form.get("soort", "")), "titel": str(form.get("titel", ""))}
            work = agenda.add_vrij_punt(request.user, v, typed["soort"], typed["titel"],
                                        bevestig=guard.form_confirmed(form))
            return await self._agenda_or_error(request, v, work, "Punt toegevoegd aan de agenda.", "#agenda",
                                               vrij_punt=typed)
        return await self._agenda_or_error(request, v, work, "Punt toegevoegd aan de agenda.", "#agenda")

    @post("/{vergadering_id:str}/punten/{pid:str}/verwijderen", name="vergadering_punt_weg", status_code=303)
    async def punt_weg(self, request: Request, vergadering_id: FromPath[str], pid: FromPath[str]) -> Response:
        v = path_id(vergadering_id)
        form = await request.form()
        if not confirm.is_confirmed(form):
            punt = await V.get_punt(await V.chair_vergadering(request.user, v), path_id(pid))
            detail = request.app.route_reverse("vergadering_detail", vergadering_id=str(v))
            return confirm.confirmation_page(
                form, titel="Agendapunt verwijderen?", actie=request.url.path, terug=f"{detail}#agenda",
                gevolg=f"Het punt ‘{punt['titel']}’ gaat van de agenda, met wat erbij genoteerd werd.")
        return await self._agenda_or_error(request, v, agenda.remove_punt(request.user, v, path_id(pid)),
                                           "Punt van de agenda gehaald.", "#agenda")

    @post("/{vergadering_id:str}/punten/{pid:str}/verplaatsen", name="vergadering_punt_verplaatsen", status_code=303)
    async def verplaatsen(self, request: Request, vergadering_id: FromPath[str], pid: FromPath[str]) -> Response:
        v, p = path_id(vergadering_id), path_id(pid)
        form = await request.form()
        work = agenda.move_punt(request.user, v, p, str(form.get("richting", "")))
        return await self._agenda_or_error(request, v, work, "Volgorde aangepast.", f"#punt-{p}")

    @post("/{vergadering_id:str}/punten/{pid:str}/duur", name="vergadering_punt_duur", status_code=303)
    async def duur(self, request: Request, vergadering_id: FromPath[str], pid: FromPath[str]) -> Response:
        v, p = path_id(vergadering_id), path_id(pid)
        form = await request.form()
        work = agenda.set_duur(request.user, v, p, str(form.get("duur_minuten", "")))
        return await self._agenda_or_error(request, v, work, "Duur aangepast.", f"#punt-{p}")

    @get("/{vergadering_id:str}/leiden", name="vergadering_leiden")
    async def leiden(self, request: Request, vergadering_id: FromPath[str],
                     punt: FromQuery[str | None] = None) -> Template:
        context = await leiden_context(request, path_id(vergadering_id), path_id(punt) if punt else None)
        return Template("overleg/vergaderingen/leiden.html", context=context)

    async def _leiden_error(self, request: Request, v: int, p: int, exc: FieldErrors | Conflict,
                            **extra) -> Template:
        context = await leiden_context(request, v, p, fout=exc.detail, **extra)
        return form_error_response("overleg/vergaderingen/leiden.html", context, exc)

    @post("/{vergadering_id:str}/punten/{pid:str}/notities", name="vergadering_punt_notities", status_code=303)
    async def notities(self, request: Request, vergadering_id: FromPath[str], pid: FromPath[str]) -> Response:
        v, p = path_id(vergadering_id), path_id(pid)
        form = await request.form()
        as_json = "application/json" in request.headers.get("accept", "")
        try:
            punt = await V.save_notities(request.user, v, p, notities=form.get("notities", ""),
                                         besluit=form.get("besluit"), versie=form.get("versie"),
                                         bevestig=guard.form_confirmed(form))
        except Conflict as exc:
            assert exc.huidig is not None  # save_notities' conflicts carry the stored texts
            if as_json:
                huidig = {**exc.huidig, "notities_html": str(render_markdown(exc.huidig["notities"]))}
                return Response({"detail": exc.detail, "huidig": huidig, "jouw": exc.jouw}, status_code=409,
                                media_type=MediaType.JSON)
            return await self._leiden_error(request, v, p, exc, conflict=exc)
        except FieldErrors as exc:
            if as_json:  # the autosave shows the message (and the privacy guard's confirmation) on the page
                return Response({"detail": exc.detail, "fields": exc.fields, **exc.extra}, status_code=422,
                                media_type=MediaType.JSON)
            typed = {"notities": str(form.get("notities", "")), "besluit": str(form.get("besluit", ""))}
            return await self._leiden_error(request, v, p, exc, notities_data=typed)
        if as_json:
            return Response({"versie": punt["versie"], "notities_html": str(render_markdown(punt["notities"])),
                             "opgeslagen": dates.now().isoformat(timespec="seconds")},
                            status_code=200, media_type=MediaType.JSON)
        return _back(request, v, "Notities opgeslagen.", "#notities", "vergadering_leiden", f"?punt={p}")

    @post("/{vergadering_id:str}/punten/{pid:str}/functies", name="vergadering_punt_functies", status_code=303)
    async def functies(self, request: Request, vergadering_id: FromPath[str], pid: FromPath[str]) -> Response:
        v, p = path_id(vergadering_id), path_id(pid)
        form = await request.form()
        chosen = [str(f) for f in form.getall("functies")] if "functies" in form else []
        try:
            await V.set_functies(request.user, v, p, chosen)
        except FieldErrors as exc:
            return await self._leiden_error(request, v, p, exc)
        return _back(request, v, "Functies van het punt bewaard.", "#functies", "vergadering_leiden", f"?punt={p}")

    @post("/{vergadering_id:str}/punten/{pid:str}/acties", name="vergadering_punt_actie", status_code=303)
    async def actie(self, request: Request, vergadering_id: FromPath[str], pid: FromPath[str]) -> Response:
        v, p = path_id(vergadering_id), path_id(pid)
        form = await request.form()
        values = {k: str(form.get(k, "")) for k in ("wat", "partner", "deadline", "lens")}
        try:
            await V.add_actie(request.user, v, p, wat=values["wat"], partner_id=values["partner"] or None,
                              deadline=values["deadline"] or None, lens=values["lens"],
                              bevestig=guard.form_confirmed(form))
        except FieldErrors as exc:
            return await self._leiden_error(request, v, p, exc, actie_data=values)
        return _back(request, v, "Actie toegevoegd.", "#acties", "vergadering_leiden", f"?punt={p}")
