"""Pages for signaalnota's: the list, a new nota from dossiers, the nota with its lifecycle forms, the compose form
with a server-rendered preview, and the PDF. Every form POSTs with a CSRF token and works without JavaScript
(static/js/nota.js only refreshes the preview while typing). A refused step shows the page again with the Dutch
reason and its status (409 for the wrong moment, 422 for bad input)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Template

from admin import tenancy
from admin.guards import requires_login
from admin.sessions import CurrentUser
from admin.tables import Rol
from admin.tenancy import in_gemeenten
from common import confirm
from common.dates import today
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import as_id, as_ids, as_version, not_found, path_id
from overleg import access, guard
from overleg.notas import antwoord_links, documents, evidence, lifecycle
from overleg.notas import berichten as nota_berichten
from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas
from overleg.tables import Adressaat, Beslissing, Dossier, DossierStatus, NotaStatus

_Id = Annotated[str, PathParameter()]
UPLOAD_LIMIT = 10 * 1024 * 1024 + 65536


def composable_gemeenten(user: CurrentUser) -> list:
    """Gemeenten where the user may start a nota (chair; coördinator for a bovenlokale one); 404 for strangers,
    403 for members who may not."""
    members = tenancy.member_gemeente_ids(user)
    allowed = [g for g in user.gemeenten.values() if g.id in members and user.memberships.get(g.id, frozenset())
               & {Rol.voorzitter, Rol.coordinator}]
    if not allowed:
        if not members:
            raise not_found()
        raise PermissionDeniedException("Alleen de voorzitter (of de coördinator) maakt een signaalnota.")
    return sorted(allowed, key=lambda g: g.naam)


def form_values(form: Any) -> dict:
    data: dict[str, Any] = {name: str(form.get(name, "")) for name in (
        "onderwerp", "adressaat", "adressaat_tekst", "trekker", "antwoord_gevraagd_tegen")}
    data["secties"] = {key: str(form.get(f"sectie_{key}", "")) for key in notas.SECTIES}
    data["citaten"] = [str(q) for q in form.getall("citaten", [])]
    return data


def preview_nota(nota: dict, values: dict) -> dict:
    """The nota as it would be with these (unsaved) form values; invalid values keep the stored ones."""
    cleaned = notas.clean(values, {}, partial=True) if values else {}
    if "secties" in cleaned:
        cleaned["secties"] = {**nota["secties"], **cleaned["secties"]}
    return {**nota, **cleaned}


NotaThema = Callable[[CurrentUser, str, str], Awaitable[tuple[str, dict]]]
"""(user, sleutel, periode) → (title, proposal) of a bovenlokaal theme. inzicht computes themes and sits above
overleg, so app.py provides it as the dependency `nota_thema` instead of overleg importing inzicht."""


class NotaPagesController(Controller):
    path = "/notas"
    guards = [requires_login]
    include_in_schema = False

    @get("/", name="notas")
    async def lijst(self, request: Request, status: Annotated[str | None, QueryParameter()] = None) -> Template:
        user = request.user
        if not tenancy.member_gemeente_ids(user):
            raise not_found()
        status = status if status in NotaStatus.values() else None
        return Template("overleg/notas/lijst.html", context={
            "items": await notas.list_notas(user, status=status), "statussen": NotaStatus.labels(), "status": status,
            "te_laat": await lifecycle.overdue_answers(user),
            "mag_maken": bool(tenancy.chair_gemeente_ids(user) or any(
                Rol.coordinator in roles for roles in user.memberships.values()))})

    async def _new_context(self, user: CurrentUser, data: dict, **extra: Any) -> dict:
        gemeenten = composable_gemeenten(user)
        condition = await access.dossier_scope(user)
        rows = [] if condition is None else await Dossier.select(
            Dossier.id, Dossier.titel, Dossier.gemeente, Dossier.status).where(
            condition & in_gemeenten(Dossier.gemeente, [g.id for g in gemeenten]) & Dossier.samengevoegd_in.is_null()
            & (Dossier.status != DossierStatus.afgerond.value)).order_by(Dossier.titel)
        chairs = tenancy.chair_gemeente_ids(user)
        return {"gemeenten": gemeenten, "dossiers": rows, "data": data, "fields": {}, "adressaten": Adressaat.labels(),
                "alleen_bovenlokaal": not any(g.id in chairs for g in gemeenten), **extra}

    async def _thema_context(self, user: CurrentUser, nota_thema: NotaThema, thema: str, periode: str, data: dict,
                             **extra: Any) -> dict:
        """The new-nota form for a bovenlokaal theme: its aggregates per gemeente, its dossiers where the
        coördinator is a member (pre-checked on the first view), adressaat bovenlokaal."""
        titel, voorstel = await nota_thema(user, thema, periode)
        context = await self._new_context(user, data, **extra)
        open_ids = {row["id"] for row in context["dossiers"]}
        data.setdefault("dossiers", [i for i in voorstel["dossiers"] if i in open_ids])
        data.setdefault("onderwerp", titel)
        data["adressaat"] = Adressaat.bovenlokaal.value
        context.update(alleen_bovenlokaal=True, thema={"sleutel": thema, "periode": periode, "titel": titel,
                                                      "tabel": voorstel["onderbouwing"]})
        return context

    @get("/nieuw", name="nota_nieuw")
    async def nieuw(self, request: Request, dossier: Annotated[list[str] | None, QueryParameter()] = None,
                    thema: Annotated[str | None, QueryParameter()] = None,
                    periode: Annotated[str | None, QueryParameter()] = None,
                    onderwerp: Annotated[str | None, QueryParameter()] = None, *,
                    nota_thema: NamedDependency[NotaThema]) -> Template:
        user = request.user
        if thema is not None:
            data: dict[str, Any] = {"onderwerp": onderwerp.strip()[:300]} if onderwerp and onderwerp.strip() else {}
            context = await self._thema_context(user, nota_thema, thema, periode or "12", data)
            return Template("overleg/notas/nieuw.html", context=context)
        chosen = [path_id(raw) for raw in dossier or []]
        condition = await access.dossier_scope(user)
        if chosen and (condition is None or await Dossier.count().where(Dossier.id.is_in(chosen) & condition)
                       != len(set(chosen))):
            raise not_found()  # a foreign or unknown dossier, before any question of rights
        data = {"dossiers": chosen, "adressaat": "college", "onderwerp": ""}
        context = await self._new_context(user, data)
        if chosen:
            titles = {row["id"]: row["titel"] for row in context["dossiers"]}
            if any(i not in titles for i in chosen):
                raise FieldErrors({"dossiers": "Dit dossier is afgerond of samengevoegd."})
            data["onderwerp"] = titles[chosen[0]]
        if context["alleen_bovenlokaal"]:
            data["adressaat"] = "bovenlokaal"
        return Template("overleg/notas/nieuw.html", context=context)

    @post("/nieuw", name="nota_nieuw_post", status_code=303)
    async def maak(self, request: Request, nota_thema: NamedDependency[NotaThema]) -> Response:
        user = request.user
        composable_gemeenten(user)
        form = await request.form()
        data: dict[str, Any]  # the form is refilled with whatever was sent
        data = {"dossiers": [str(d) for d in form.getall("dossiers", [])], "adressaat": str(form.get("adressaat", "")),
                "adressaat_tekst": str(form.get("adressaat_tekst", "")), "onderwerp": str(form.get("onderwerp", ""))}
        thema, periode = form.get("thema"), str(form.get("periode", "12"))
        inleiding = None
        if thema is not None:
            _, voorstel = await nota_thema(user, str(thema), periode)
            data.update(adressaat=Adressaat.bovenlokaal.value, gemeente=voorstel["gemeente"])
            inleiding = {"aanleiding": voorstel["aanleiding"], "onderbouwing": voorstel["onderbouwing"]}
        try:
            nota = await notas.create_nota(user, data, inleiding=inleiding)
        except FieldErrors as exc:
            data["dossiers"] = as_ids(data["dossiers"])
            if thema is not None:
                context = await self._thema_context(user, nota_thema, str(thema), periode, data)
            else:
                context = await self._new_context(user, data)
            return form_error_response("overleg/notas/nieuw.html", context, exc)
        bewerken = request.app.route_reverse("nota_bewerken", nota_id=str(nota["id"]))
        if thema is not None:
            return flash(Redirect(bewerken, status_code=303),
                         "Bovenlokaal concept aangemaakt met de cijfers per gemeente.")
        return flash(Redirect(bewerken, status_code=303),
                     "Concept aangemaakt. De aanleiding, onderbouwing en acties zijn ingevuld uit de dossiers.")

    async def _detail(self, request: Request, nota_id: int, status_code: int = 200, **extra: Any) -> Template:
        user = request.user
        nota = await notas.get_nota(user, nota_id)
        ids = [d["id"] for d in nota["dossiers"]]
        data = await notas.pdf_input(nota)
        if not nota["mag_beheren"]:  # dossier titles as in the PDF: through the nota's privacy redactor
            redact = nota_pdf.redactor_for(data)
            nota["dossiers"] = [{**d, "titel": redact(d["titel"], f"dossier.{d['id']}")} for d in nota["dossiers"]]
        feedback = await lifecycle.feedback(ids)
        return Template("overleg/notas/detail.html", status_code=status_code, context={
            "nota": nota, "voorbeeld": nota_pdf.context(data, charts=False), "commentaren": await lifecycle.comments(
                nota_id), "antwoord": await lifecycle.answer(nota_id), "beslissingen": Beslissing.labels(),
            "terugkoppelingen": {i: [f for f in feedback if f["dossier"] == i] for i in ids},
            "bezorging": await nota_berichten.bezorging(nota_id), "antwoordlink": await antwoord_links.state(nota_id),
            "open_bevindingen": [f for f in nota_pdf.findings(data) if not f["bevestigd"]] if nota["bewerkbaar"]
            else [], "vandaag": today().isoformat(), "fields": {}, "fout": "", "ingevuld": {}, **extra})

    @get("/{nota_id:str}", name="nota_detail")
    async def detail(self, request: Request, nota_id: _Id) -> Template:
        return await self._detail(request, path_id(nota_id))

    async def _edit_context(self, user: CurrentUser, nota: dict, values: dict | None = None, **extra: Any) -> dict:
        data = await notas.pdf_input(preview_nota(nota, values or {}))
        shown = {**nota, **(values or {})}
        raw = shown["antwoord_gevraagd_tegen"]
        shown["antwoord_datum"] = raw.isoformat() if hasattr(raw, "isoformat") else (raw or "")
        return {"nota": nota, "data": shown, "pdf_data": data, "bevindingen": nota_pdf.findings(data), "fields": {},
                "alle_citaten": evidence.quotes(data["rows"]), "adressaten": Adressaat.labels(),
                "secties": notas.SECTIES, "bewijs": data["evidence"], "grafieken": evidence.charts(data["evidence"]),
                **extra}

    async def _editable(self, request: Request, nota_id: str) -> dict:
        nota = await notas.managed_nota(request.user, path_id(nota_id))
        if not nota["bewerkbaar"]:
            raise HTTPException(status_code=409, detail=notas.SENT)
        return nota

    @get("/{nota_id:str}/bewerken", name="nota_bewerken")
    async def bewerken(self, request: Request, nota_id: _Id) -> Template:
        nota = await self._editable(request, nota_id)
        return Template("overleg/notas/bewerken.html", context=await self._edit_context(request.user, nota))

    @post("/{nota_id:str}/bewerken", name="nota_bewerken_post", status_code=303)
    async def bewaar(self, request: Request, nota_id: _Id) -> Response:
        user = request.user
        nota = await self._editable(request, nota_id)
        form = await request.form()
        values = form_values(form)
        confirm = {str(k) for k in form.getall("bevestig", [])} if form.get("bevindingen_getoond") else None
        if form.get("actie") == "voorbeeld":
            context = await self._edit_context(user, nota, values, toon_voorbeeld=True)
            context["voorbeeld"] = nota_pdf.context(context["pdf_data"], charts=False)
            return Template("overleg/notas/bewerken.html", context=context, status_code=200)
        raw = str(form.get("versie", ""))
        try:
            await notas.update_nota(user, nota["id"], values, as_version(raw),
                                    confirm=confirm)
        except FieldErrors as exc:
            context = await self._edit_context(user, nota, values)
            return form_error_response("overleg/notas/bewerken.html", context, exc)
        except Conflict as exc:
            current = await notas.get_nota(user, nota["id"])
            context = await self._edit_context(user, current, values, fout=str(exc.detail))
            return form_error_response("overleg/notas/bewerken.html", context, exc)
        if form.get("actie") == "versturen":  # saved, then the confirmation page of "Versturen"
            confirm_page = request.app.route_reverse("nota_versturen_bevestigen", nota_id=str(nota["id"]))
            return flash(Redirect(confirm_page, status_code=303), "Nota opgeslagen.")
        detail = request.app.route_reverse("nota_detail", nota_id=str(nota["id"]))
        return flash(Redirect(detail, status_code=303), "Nota opgeslagen.")

    @post("/{nota_id:str}/voorbeeld", name="nota_voorbeeld", status_code=200)
    async def voorbeeld(self, request: Request, nota_id: _Id) -> Template:
        """The preview fragment for nota.js: exactly what the PDF will show of the sections."""
        nota = await self._editable(request, nota_id)
        data = await notas.pdf_input(preview_nota(nota, form_values(await request.form())))
        return Template("overleg/notas/_voorbeeld.html", context={"voorbeeld": nota_pdf.context(data, charts=False)})

    @get("/{nota_id:str}/pdf", name="nota_pdf")
    async def pdf(self, request: Request, nota_id: _Id) -> Response:
        nota = await notas.get_nota(request.user, path_id(nota_id))
        return documents.pdf_response(await documents.live_pdf(nota), nota)

    async def _step(self, request: Request, nota_id: str, work, done: str, anchor: str = "",
                    typed: dict | None = None) -> Response:
        """Run one lifecycle step; a refusal shows the nota again with the reason (409 or 422), the typed texts
        (`ingevuld`) kept and, when the privacy guard refused them, its confirmation box."""
        nid = path_id(nota_id)
        try:
            result = await work(nid)
        except (Conflict, FieldErrors) as exc:
            fields = getattr(exc, "fields", {}) or {}
            message = " ".join(fields.values()) or str(exc.detail)
            found = exc.extra.get("persoonsgegevens") or [] if isinstance(exc, FieldErrors) else []
            return await self._detail(request, nid, exc.status_code, fout=message, fields=fields,
                                      ingevuld=typed or {}, persoonsgegevens=found)
        target = result["id"] if isinstance(result, dict) and "referentie" in result else nid
        page = "nota_bewerken" if target != nid else "nota_detail"
        return flash(Redirect(request.app.route_reverse(page, nota_id=str(target)) + anchor, status_code=303), done)

    @post("/{nota_id:str}/ter-goedkeuring", name="nota_ter_goedkeuring", status_code=303)
    async def ter_goedkeuring(self, request: Request, nota_id: _Id) -> Response:
        done = "De nota ligt ter goedkeuring: de leden van het overleg kunnen ze lezen en becommentariëren."
        return await self._step(request, nota_id, lambda nid: lifecycle.submit(request.user, nid), done)

    @post("/{nota_id:str}/commentaar", name="nota_commentaar", status_code=303)
    async def commentaar(self, request: Request, nota_id: _Id) -> Response:
        form = await request.form()
        tekst = str(form.get("tekst", ""))
        return await self._step(request, nota_id, lambda nid: lifecycle.add_comment(
            request.user, nid, tekst, bevestig=guard.form_confirmed(form)), "Commentaar geplaatst.", "#commentaren",
            typed={"soort": "commentaar", "tekst": tekst})

    @get("/{nota_id:str}/versturen", name="nota_versturen_bevestigen")
    async def versturen_bevestigen(self, request: Request, nota_id: _Id) -> Response:
        """"Versturen" asks first: to whom the PDF goes (the gemeente's address), that it freezes the nota."""
        nota = await notas.managed_nota(request.user, path_id(nota_id))
        if not nota["bewerkbaar"]:
            return flash(Redirect(request.app.route_reverse("nota_detail", nota_id=str(nota["id"])), status_code=303),
                         "Deze nota is al verstuurd.")
        return Template("overleg/notas/versturen.html", context={"nota": nota,
                                                                 "adres": await nota_berichten.address(nota)})

    @post("/{nota_id:str}/versturen", name="nota_versturen", status_code=303)
    async def versturen(self, request: Request, nota_id: _Id) -> Response:
        # The nota page links to the confirmation page (GET …/versturen, overleg/notas/antwoord_controllers.py),
        # whose form posts here.
        return await self._step(request, nota_id, lambda nid: lifecycle.send(request.user, nid),
                                "De nota is vastgelegd (de PDF kan niet meer wijzigen) en staat in de wachtrij om "
                                "verstuurd te worden. Hieronder zie je of de mail vertrok.", "#bezorging")

    @post("/{nota_id:str}/antwoord", name="nota_antwoord", status_code=303, request_max_body_size=UPLOAD_LIMIT)
    async def antwoord(self, request: Request, nota_id: _Id) -> Response:
        form = await request.form()
        upload = form.get("document")
        document, name = None, ""
        if upload is not None and hasattr(upload, "read"):
            document, name = await upload.read(), upload.filename or ""
            document = document or None
        values = {k: str(form.get(k, "")) for k in ("datum", "beslissing", "samenvatting")}
        return await self._step(request, nota_id, lambda nid: lifecycle.record_answer(
            request.user, nid, values, document, name, bevestig=guard.form_confirmed(form)),
            "Het antwoord is geregistreerd.", "#antwoord", typed={"soort": "antwoord", **values})

    @get("/{nota_id:str}/antwoord.pdf", name="nota_antwoord_pdf")
    async def antwoord_pdf(self, request: Request, nota_id: _Id) -> Response:
        nota = await notas.get_nota(request.user, path_id(nota_id))
        found = await lifecycle.answer_document(nota["id"])
        if found is None:
            raise not_found()
        return Response(found[0], media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="antwoord-{nota["referentie"]}.pdf"'})

    @post("/{nota_id:str}/nieuwe-versie", name="nota_nieuwe_versie", status_code=303)
    async def nieuwe_versie(self, request: Request, nota_id: _Id) -> Response:
        return await self._step(request, nota_id, lambda nid: lifecycle.new_version(request.user, nid),
                                "Nieuwe versie aangemaakt als concept. Pas aan wat gecorrigeerd moet worden.")

    @post("/{nota_id:str}/bovenlokaal", name="nota_bovenlokaal", status_code=303)
    async def bovenlokaal(self, request: Request, nota_id: _Id) -> Response:
        return await self._step(request, nota_id, lambda nid: lifecycle.to_bovenlokaal(request.user, nid),
                                "Bovenlokale nota aangemaakt als concept. Vul de adressaat in.")

    @post("/{nota_id:str}/terugkoppeling", name="nota_terugkoppeling", status_code=303)
    async def terugkoppeling(self, request: Request, nota_id: _Id) -> Response:
        form = await request.form()
        raw = str(form.get("dossier", ""))
        dossier_id = as_id(raw)
        values = {k: str(form.get(k, "")) for k in ("datum", "hoe", "door", "wat")}
        return await self._step(request, nota_id, lambda nid: lifecycle.record_feedback(
            request.user, nid, dossier_id, values, bevestig=guard.form_confirmed(form)),
            "De terugkoppeling is geregistreerd.", "#terugkoppeling",
            typed={"soort": "terugkoppeling", "dossier": dossier_id, **values})

    @post("/{nota_id:str}/dossiers/{dossier_id:str}/afsluiten", name="nota_dossier_afsluiten", status_code=303)
    async def afsluiten(self, request: Request, nota_id: _Id, dossier_id: _Id) -> Response:
        did = path_id(dossier_id)
        form = await request.form()
        if not confirm.is_confirmed(form):
            nota = await notas.managed_nota(request.user, path_id(nota_id))
            dossier = next((d for d in nota["dossiers"] if d["id"] == did), None)
            if dossier is None:
                raise not_found()
            detail = request.app.route_reverse("nota_detail", nota_id=str(nota["id"]))
            return confirm.confirmation_page(
                form, titel="Dossier afronden?", actie=request.url.path, terug=f"{detail}#terugkoppeling",
                gevolg=f"Het dossier ‘{dossier['titel']}’ wordt afgerond en al zijn signalen worden afgesloten.")
        return await self._step(request, nota_id, lambda nid: lifecycle.close_dossier(request.user, nid, did),
                                "Het dossier is afgerond; de signalen zijn afgesloten.", "#terugkoppeling")


CONTROLLERS = [NotaPagesController]
