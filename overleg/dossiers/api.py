"""The dossier JSON API (/api/v1/dossiers): thin handlers over overleg.dossiers and overleg.suggestions.

Foreign, unknown and malformed ids answer 404; errors come from common.errors.handle_exception in Dutch.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType
from litestar.params import JSONBody, PathParameter, QueryParameter

from admin import tenancy
from admin.guards import requires_login
from admin.sessions import CurrentUser
from common.api import query_choice
from common.errors import FieldErrors
from common.ids import not_found, path_id
from common.markdown import render_markdown
from overleg.dossiers import evidence, suggestions, vergelijkbaar
from overleg.dossiers import schemas as s
from overleg.dossiers import services as dossiers
from signalen import audience
from signalen import vergelijkbaar as signalen_vergelijkbaar
from signalen.schemas import Fout, Vergelijkbaar, VergelijkbaarLijst

_DESCRIPTIONS = {
    400: "Ongeldige aanvraag (bv. geen JSON of een verkeerd JSON-type).",
    401: "Niet aangemeld.",
    403: "Geen CSRF-header, of alleen de voorzitter mag dit.",
    404: "Bestaat niet, of je hebt er geen toegang toe.",
    409: "Verouderde versie (met `huidig`), een signaal dat al in een ander dossier zit, of een dossier dat "
         "samengevoegd of afgerond is.",
    422: "Velden niet goed ingevuld (`fields`), bv. een signaal van een andere gemeente, of mogelijke "
         "persoonsgegevens in titel of omschrijving die niemand bevestigde (`persoonsgegevens`; stuur opnieuw met "
         "`bevestig_persoonsgegevens: true` als ze nodig zijn).",
}
_COMMENT_422 = ("Velden niet goed ingevuld (`fields`): een lege of te lange tekst, of mogelijke persoonsgegevens "
                "die niemand bevestigde (`persoonsgegevens`; stuur opnieuw met `bevestig: true` als ze nodig zijn).")


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    return {c: ResponseSpec(Fout, description=_DESCRIPTIONS[c], generate_examples=False) for c in codes}




def _door(row: dict) -> str | None:
    return " ".join(p for p in (row.get("voornaam"), row.get("achternaam")) if p) or None


def kort(row: dict) -> s.DossierKort:
    return s.DossierKort(
        id=row["id"], gemeente=row["gemeente"], gemeente_naam=row["gemeente_naam"], titel=row["titel"],
        status=row["status"], status_label=row["status_label"], samengevoegd_in=row["samengevoegd_in"],
        aantal_signalen=row["aantal_signalen"], laatste_datum=row["laatste_datum"],
        aangemaakt_op=row["aangemaakt_op"], versie=row["versie"],
    )


async def detail(row: dict, user: CurrentUser) -> s.DossierDetail:
    """The dossier as this user may read it: register readers of its gemeente see the signals' texts as stored,
    everyone else through the privacy guard (signalen.audience)."""
    redact = audience.for_reader(user, row["gemeente_id"])
    members = evidence.signals_for_audience(await dossiers.signalen(row["id"]), redact)
    bewijs = evidence.for_audience(await dossiers.evidence(row["id"]), redact)
    history = evidence.history_for_audience(await dossiers.history(row["id"]), redact)
    return s.DossierDetail(
        id=row["id"], gemeente=row["gemeente"], gemeente_naam=row["gemeente_naam"], titel=row["titel"],
        omschrijving=row["omschrijving"] or "", omschrijving_html=str(render_markdown(row["omschrijving"])),
        status=row["status"], status_label=row["status_label"], samengevoegd_in=row["samengevoegd_in"],
        aangemaakt_op=row["aangemaakt_op"], versie=row["versie"], mag_beheren=row["mag_beheren"],
        signalen=[m["id"] for m in members],
        signaaloverzicht=[s.DossierSignaal(id=m["id"], titel=m["titel"], datum=m["datum"], status=m["status"])
                          for m in members],
        bewijs=msgspec.convert(bewijs, s.Bewijs),
        historiek=[s.DossierHistoriekItem(tijdstip=h["tijdstip"], actie=h["actie"], toelichting=h["toelichting"] or "",
                                   door=_door(h)) for h in history],
        commentaren=[_commentaar(c) for c in await dossiers.comments(row["id"])],
    )


def _commentaar(row: dict) -> s.DossierCommentaar:
    return s.DossierCommentaar(id=row["id"], tekst=row["tekst"], tekst_html=str(render_markdown(row["tekst"])),
                        tijdstip=row["tijdstip"], door=row.get("door") or _door(row))


def _gemeente_id(user: CurrentUser, slug: str | None) -> int | None:
    if not slug:
        return None
    members = tenancy.member_gemeente_ids(user)
    for ref in user.gemeenten.values():
        if ref.slug == slug and ref.id in members:
            return ref.id
    raise not_found()


_LIMIT = {"type": OpenAPIType.INTEGER, "minimum": 1, "maximum": 20, "one_of": None}
_Id = Annotated[str, PathParameter(description="Id van het dossier (een onbekend of vreemd id geeft 404).")]
_SignaalId = Annotated[str, PathParameter(description="Id van een signaal in dit dossier.")]
_Gemeente = Annotated[str | None, QueryParameter(description="Slug van een gemeente waar je lid bent (anders 404).")]


class DossierApiController(Controller):
    path = "/api/v1/dossiers"
    guards = [requires_login]
    tags = ["dossiers"]

    @get("/", name="api_dossiers_lijst", summary="De dossiers die je mag lezen", responses=_errors(400, 401, 404))
    async def lijst(self, request: Request, gemeente: _Gemeente = None,
                    status: Annotated[str | None, QueryParameter(description="open, geagendeerd, in_behandeling "
                                                                             "of afgerond.", schema_extra=query_choice(
                                                                                 dossiers.DossierStatus.values()))
                                      ] = None,
                    ) -> s.DossierLijst:
        if status and status not in dossiers.DossierStatus.values():
            raise FieldErrors({"status": "Kies een geldige status."}, status_code=400)
        user: CurrentUser = request.user
        rows = await dossiers.list_dossiers(user, gemeente_id=_gemeente_id(user, gemeente), status=status or None)
        return s.DossierLijst(items=[kort(r) for r in rows], totaal=len(rows))

    @post("/", name="api_dossiers_nieuw", summary="Een dossier aanmaken (voorzitter)",
          responses=_errors(400, 401, 403, 404, 409, 422))
    async def nieuw(self, request: Request, data: JSONBody[s.DossierNieuw]) -> s.DossierDetail:
        row = await dossiers.create_dossier(request.user, data.gemeente, data.titel, data.omschrijving or "",
                                            data.signalen, bevestig=data.bevestig_persoonsgegevens)
        return await detail(row, request.user)

    @get("/suggesties", name="api_dossiers_suggesties", summary="Bundelvoorstellen voor de niet-gebundelde "
         "signalen van een gemeente (voorzitter)", responses=_errors(400, 401, 403, 404))
    async def suggesties(self, request: Request, gemeente: _Gemeente = None) -> s.Suggesties:
        found = await suggestions.suggestions(request.user, gemeente)
        return msgspec.convert({k: found[k] for k in ("gemeente", "bestaande", "nieuw")}, s.Suggesties)

    @post("/suggesties/aanvaarden", name="api_dossiers_suggestie_aanvaarden",
          summary="Een voorstel aanvaarden: bundelen in het bestaande dossier, of een nieuw dossier maken",
          responses=_errors(400, 401, 403, 404, 409, 422))
    async def aanvaarden(self, request: Request, data: JSONBody[s.SuggestieBesluit]) -> s.DossierDetail:
        row = await suggestions.accept(request.user, data.gemeente, data.signalen, dossier_id=data.dossier,
                                       titel=data.titel, bevestig=data.bevestig_persoonsgegevens)
        return await detail(row, request.user)

    @post("/suggesties/afwijzen", name="api_dossiers_suggestie_afwijzen", status_code=200,
          summary="Een voorstel afwijzen: het wordt niet opnieuw voorgesteld",
          responses=_errors(400, 401, 403, 404, 422))
    async def afwijzen(self, request: Request, data: JSONBody[s.SuggestieBesluit]) -> s.SuggestieAfgewezen:
        count = await suggestions.reject(request.user, data.gemeente, data.signalen, dossier_id=data.dossier)
        return s.SuggestieAfgewezen(opgeslagen=count)

    @get("/{id:str}", name="api_dossier", summary="Eén dossier met zijn onderbouwing, signalen en historiek",
         responses=_errors(401, 404))
    async def dossier(self, request: Request, id: _Id) -> s.DossierDetail:
        return await detail(await dossiers.get_dossier(request.user, path_id(id)), request.user)

    @get("/{id:str}/vergelijkbaar", name="api_dossier_vergelijkbaar",
         summary="Niet-gebundelde signalen van de gemeente die bij dit dossier passen",
         description="Nieuwe signalen zonder dossier, zonder de signalen die al eens voor dit dossier afgewezen "
                     "werden. Alleen voor wie het register van de gemeente mag lezen (anders 404).",
         responses=_errors(400, 401, 404))
    async def vergelijkbaar(
        self, request: Request, id: _Id,
        limit: Annotated[str | None, QueryParameter(description="Hoeveel, 1 tot 20 (standaard 3).",
                                                    schema_extra=_LIMIT)] = None,
    ) -> VergelijkbaarLijst:
        dossier_id = path_id(id)
        count = signalen_vergelijkbaar.check_limit(limit)
        items = await vergelijkbaar.for_dossier(request.user, dossier_id, count)
        return VergelijkbaarLijst(items=[Vergelijkbaar(**item) for item in items])

    @patch("/{id:str}", name="api_dossier_wijzigen", summary="Titel, omschrijving of status wijzigen (voorzitter)",
           responses=_errors(400, 401, 403, 404, 409, 422))
    async def wijzigen(self, request: Request, id: _Id, data: JSONBody[s.DossierWijziging]) -> s.DossierDetail:
        changes: dict[str, Any] = {k: v for k, v in msgspec.structs.asdict(data).items()
                                   if v is not msgspec.UNSET and k not in ("versie", "bevestig_persoonsgegevens")}
        versie = None if data.versie is msgspec.UNSET else data.versie
        return await detail(await dossiers.update_dossier(request.user, path_id(id), changes, versie,
                                                          bevestig=data.bevestig_persoonsgegevens), request.user)

    @post("/{id:str}/signalen", name="api_dossier_signalen", status_code=200,
          summary="Signalen bundelen in dit dossier (voorzitter)", responses=_errors(400, 401, 403, 404, 409, 422))
    async def signalen(self, request: Request, id: _Id, data: JSONBody[s.SignalenToevoegen]) -> s.DossierDetail:
        row = await dossiers.add_signalen(request.user, path_id(id), data.signalen, move=data.verplaats)
        return await detail(row, request.user)

    @delete("/{id:str}/signalen/{signaal_id:str}", name="api_dossier_signaal_weg", status_code=200,
            summary="Een signaal uit het dossier halen: het wordt weer nieuw (voorzitter)",
            responses=_errors(401, 403, 404, 409))
    async def signaal_weg(self, request: Request, id: _Id, signaal_id: _SignaalId) -> s.DossierDetail:
        return await detail(await dossiers.remove_signaal(request.user, path_id(id), path_id(signaal_id)), request.user)

    @post("/{id:str}/samenvoegen", name="api_dossier_samenvoegen", status_code=200,
          summary="Dit dossier samenvoegen in een ander (voorzitter); antwoordt met het doeldossier",
          responses=_errors(400, 401, 403, 404, 409, 422))
    async def samenvoegen(self, request: Request, id: _Id, data: JSONBody[s.Samenvoegen]) -> s.DossierDetail:
        return await detail(await dossiers.merge_dossiers(request.user, path_id(id), data.doel), request.user)

    @get("/{id:str}/commentaren", name="api_dossier_commentaren", summary="Commentaren bij een dossier",
         responses=_errors(401, 404))
    async def commentaren(self, request: Request, id: _Id) -> list[s.DossierCommentaar]:
        row = await dossiers.get_dossier(request.user, path_id(id))
        return [_commentaar(c) for c in await dossiers.comments(row["id"])]

    @post("/{id:str}/commentaren", name="api_dossier_commentaar", summary="Commentaar geven (wie het dossier "
          "mag lezen, ook partners)", responses={**_errors(400, 401, 403, 404), 422: ResponseSpec(
              Fout, description=_COMMENT_422, generate_examples=False)})
    async def commentaar(self, request: Request, id: _Id, data: JSONBody[s.CommentaarNieuw]) -> s.DossierCommentaar:
        return _commentaar(await dossiers.add_comment(request.user, path_id(id), data.tekst, bevestig=data.bevestig))


CONTROLLERS = [DossierApiController]
