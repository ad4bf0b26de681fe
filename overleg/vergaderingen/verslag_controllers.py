"""Minutes of a meeting: the page, the chair's editor, approval, the tagged PDF, and a small JSON API.

Services in overleg.verslag. The text is always shown through render_markdown (the `markdown` filter).
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post, put
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from admin import tenancy
from admin.guards import requires_login
from common.api import CONFIRM, ID, VERSION, body, nullable, read_json, text
from common.dates import long_date
from common.errors import Conflict, FieldErrors
from common.flash import flash
from common.forms import form_error_response
from common.ids import path_id
from common.markdown import render_markdown
from common.pdf import PRINT_CSS, PdfMeta, render_template_pdf
from overleg import guard
from overleg.tables import VerslagStatus
from overleg.vergaderingen import verslag as service
from signalen.api import error_responses as errors


def _verslag_url(request: Request, vergadering_id: int) -> str:
    return request.app.route_reverse("verslag_detail", vergadering_id=str(vergadering_id))


def _context(verslag: dict, **extra) -> dict:
    vergadering = verslag["vergadering"]
    return {
        "verslag": verslag, "vergadering": vergadering, "datum": long_date(vergadering["datum"]),
        "goedgekeurd_in_datum": long_date(verslag["goedgekeurd_in_datum"]),
        "fields": {}, **extra,
    }


async def verslag_pdf(verslag: dict) -> bytes:
    vergadering = verslag["vergadering"]
    context = {**_context(verslag), "print_css": PRINT_CSS}
    meta = PdfMeta(
        title=f"Verslag {vergadering['overleg_naam']} — {long_date(vergadering['datum'])}",
        author=vergadering["overleg_naam"], lang="nl-BE",
        subject=f"Verslag van de vergadering van {long_date(vergadering['datum'])}",
        keywords=("verslag", "jeugdwelzijnsoverleg", vergadering["gemeente_naam"]),
    )
    rendered = await render_template_pdf("pdf/verslag.html", {**context, "VerslagStatus": VerslagStatus}, meta)
    return rendered.pdf


class VerslagPagesController(Controller):
    path = "/vergaderingen"
    guards = [requires_login]
    include_in_schema = False

    @get("/{vergadering_id:str}/verslag", name="verslag_detail")
    async def page(self, request: Request, vergadering_id: FromPath[str]) -> Template:
        verslag = await service.get_verslag(request.user, path_id(vergadering_id))
        later = await service.later_meetings(verslag["vergadering"]) if verslag["mag_bewerken"] else []
        chair = tenancy.is_chair(request.user, verslag["vergadering"]["gemeente_id"])
        advies = await service.advice_dossiers(verslag["vergadering"]["id"]) if chair else []
        return Template("overleg/verslag/verslag.html", context=_context(
            verslag, later=[{**m, "label": long_date(m["datum"])} for m in later], advies=advies))

    @get("/{vergadering_id:str}/verslag.pdf", name="verslag_pdf")
    async def pdf(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        verslag = await service.get_verslag(request.user, path_id(vergadering_id))
        body = await verslag_pdf(verslag)
        name = f"verslag-{verslag['vergadering']['datum'].isoformat()}.pdf"
        return Response(body, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})

    @get("/{vergadering_id:str}/verslag/bewerken", name="verslag_bewerken")
    async def edit(self, request: Request, vergadering_id: FromPath[str]) -> Template:
        verslag = await service.get_verslag(request.user, path_id(vergadering_id))
        tenancy.require_chair(request.user, verslag["vergadering"]["gemeente_id"])
        if verslag["status"] == service.GOEDGEKEURD:
            raise HTTPException(status_code=409, detail=service.FROZEN)
        return Template("overleg/verslag/bewerken.html", context=_context(
            verslag, tekst=verslag["inhoud"], versie=verslag["versie"]))

    @post("/{vergadering_id:str}/verslag/bewerken", name="verslag_bewerken_post", status_code=303)
    async def save(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        vid = path_id(vergadering_id)
        form = await request.form()
        tekst = str(form.get("inhoud", ""))
        try:
            await service.save_verslag(request.user, vid, tekst, str(form.get("versie", "")),
                                       bevestig=guard.form_confirmed(form))
        except Conflict as exc:
            assert exc.huidig is not None  # _store's conflicts carry the stored text
            verslag = await service.get_verslag(request.user, vid)
            context = _context(verslag, tekst=tekst, versie=exc.huidig["versie"], conflict=exc.huidig)
            return form_error_response("overleg/verslag/bewerken.html", context, exc)
        except FieldErrors as exc:
            verslag = await service.get_verslag(request.user, vid)
            context = _context(verslag, tekst=tekst, versie=str(form.get("versie", "")))
            return form_error_response("overleg/verslag/bewerken.html", context, exc)
        return flash(Redirect(_verslag_url(request, vid), status_code=303), "Het verslag is opgeslagen.")

    @post("/{vergadering_id:str}/verslag/opnieuw", name="verslag_opnieuw", status_code=303)
    async def regenerate(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        vid = path_id(vergadering_id)
        form = await request.form()
        try:
            await service.regenerate(request.user, vid, str(form.get("versie", "")))
        except FieldErrors as exc:  # unconfirmed personal data in the notes: confirm it in the editor
            return flash(Redirect(_verslag_url(request, vid), status_code=303),
                         next(iter(exc.fields.values()), str(exc.detail)), "fout")
        return flash(Redirect(_verslag_url(request, vid), status_code=303),
                     "Het verslag is opnieuw opgesteld uit de vergadering.")

    @post("/{vergadering_id:str}/verslag/goedkeuren", name="verslag_goedkeuren", status_code=303)
    async def approve(self, request: Request, vergadering_id: FromPath[str]) -> Response:
        vid = path_id(vergadering_id)
        form = await request.form()
        try:
            await service.approve(request.user, vid, form.get("goedgekeurd_in"), str(form.get("versie", "")),
                                  pdf=verslag_pdf)
        except FieldErrors as exc:
            response = Redirect(_verslag_url(request, vid), status_code=303)
            return flash(response, next(iter(exc.fields.values()), str(exc.detail)), "fout")
        return flash(Redirect(_verslag_url(request, vid), status_code=303), "Het verslag is goedgekeurd.")


def _out(verslag: dict) -> dict:
    vergadering = verslag["vergadering"]
    return {
        "vergadering": vergadering["id"], "overleg": vergadering["overleg"], "datum": vergadering["datum"],
        "inhoud": verslag["inhoud"], "html": str(render_markdown(verslag["inhoud"])), "status": verslag["status"],
        "versie": verslag["versie"], "opgeslagen": verslag["opgeslagen"], "goedgekeurd_op": verslag["goedgekeurd_op"],
        "goedgekeurd_in": verslag["goedgekeurd_in"], "mag_bewerken": verslag["mag_bewerken"],
    }


_SAVE = body("De tekst van het verslag.", {"inhoud": text(service.MAX_TEXT, description="Markdown."),
                                           "versie": VERSION}, {"bevestig_persoonsgegevens": CONFIRM})
_APPROVE = body("Goedkeuren in een latere vergadering.",
                {"goedgekeurd_in": ID}, {"versie": nullable(VERSION)})


class VerslagApiController(Controller):
    path = "/api/v1/vergaderingen"
    guards = [requires_login]
    tags = ["verslagen"]

    @get("/{vergadering_id:str}/verslag", name="api_verslag", summary="Het verslag van een vergadering",
         responses=errors(401, 404))
    async def detail(self, request: Request, vergadering_id: FromPath[str]) -> dict:
        return _out(await service.get_verslag(request.user, path_id(vergadering_id)))

    @put("/{vergadering_id:str}/verslag", name="api_verslag_opslaan",
         summary='Het verslag opslaan (voorzitter): {"inhoud", "versie", "bevestig_persoonsgegevens"?}; 409 met '
                 'beide teksten bij een oude versie, 422 met `persoonsgegevens` zolang niemand ze bevestigde',
         operation_class=_SAVE, responses=errors(400, 401, 403, 404, 409, 422))
    async def save(self, request: Request, vergadering_id: FromPath[str]) -> dict:
        body = await read_json(request)
        return _out(await service.save_verslag(request.user, path_id(vergadering_id), body.get("inhoud"),
                                               body.get("versie"), bevestig=guard.api_confirmed(body)))

    @post("/{vergadering_id:str}/verslag/goedkeuren", name="api_verslag_goedkeuren", status_code=200,
          summary='Het verslag goedkeuren in een latere vergadering: {"goedgekeurd_in", "versie"?}',
          operation_class=_APPROVE, responses=errors(400, 401, 403, 404, 409, 422))
    async def approve(self, request: Request, vergadering_id: FromPath[str]) -> dict:
        body = await read_json(request)
        return _out(await service.approve(request.user, path_id(vergadering_id), body.get("goedgekeurd_in"),
                                          body.get("versie"), pdf=verslag_pdf))
