"""The signalen JSON API (/api/v1/signalen, /api/v1/taxonomie): thin handlers over signalen.services.

Tenancy, validation, privacy and the workflow all live in the services; this module only translates between
JSON and those functions. Foreign, unknown and malformed ids all answer 404. Errors are rendered by
common.errors.handle_exception as `{"detail", "status_code", "fields"?, ...}` in Dutch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType
from litestar.params import JSONBody, PathParameter, QueryParameter

from admin.guards import requires_login
from admin.sessions import CurrentUser
from audit.recorder import READ_ONLY_POST
from common.api import QUERY_DATE, query_choice
from common.errors import Conflict, FieldErrors
from common.ids import path_id
from common.markdown import render_markdown
from signalen import embeddings, schemas, services, vergelijkbaar
from signalen import filters as register_filters
from signalen.tables import Bron, Leeftijd, Status

ERRORS = {
    400: ResponseSpec(
        schemas.Fout, description="Ongeldige aanvraag (bv. verkeerd JSON-type of filter).", generate_examples=False
    ),
    401: ResponseSpec(schemas.Fout, description="Niet aangemeld.", generate_examples=False),
    403: ResponseSpec(
        schemas.Fout, description="Geen CSRF-header, of geen recht op deze actie.", generate_examples=False
    ),
    404: ResponseSpec(
        schemas.Fout, description="Bestaat niet, of je hebt er geen toegang toe.", generate_examples=False
    ),
    409: ResponseSpec(
        schemas.Fout,
        description="Verouderde versie (met `huidig`) of niet-toegelaten statuswijziging.",
        generate_examples=False,
    ),
    422: ResponseSpec(
        schemas.Fout,
        description="Velden niet goed ingevuld (`fields`), of mogelijke persoonsgegevens (`persoonsgegevens`).",
        generate_examples=False,
    ),
}


def error_responses(*codes: int) -> dict[int, ResponseSpec]:
    return {code: ERRORS[code] for code in codes}


def _user(request: Request) -> CurrentUser:
    return request.user  # set by admin.middleware; requires_login guarantees it is not None


def _persoonsgegevens(items: Any) -> list[schemas.Persoonsgegeven]:
    return msgspec.convert(
        [item for item in items or [] if isinstance(item, dict) and item.get("soort")],
        list[schemas.Persoonsgegeven],
        strict=False,
    )


def _fields(row: Mapping[str, Any], user: CurrentUser) -> dict[str, Any]:
    return {
        "id": row["id"],
        "gemeente": row["gemeente"],
        "gemeente_naam": row["gemeente_naam"],
        "titel": row["titel"],
        "omschrijving": row["omschrijving"] or "",
        "omschrijving_html": str(render_markdown(row["omschrijving"])),
        "datum": row["datum"],
        "plek": row["plek"] or "",
        "bron": row["bron"] or None,
        "levensdomein": row["levensdomein"],
        "levensdomein_naam": row["levensdomein_naam"],
        "signaaltype": row["signaaltype"],
        "signaaltype_naam": row["signaaltype_naam"],
        "aantal_jongeren": row["aantal_jongeren"],
        "leeftijd": row["leeftijd"] or None,
        "citaten": [c for c in row["citaten"] or [] if isinstance(c, str)],
        "status": row["status"],
        "status_label": Status.label_for(row["status"]),
        "dossier": row["dossier"],
        "versie": row["versie"],
        "persoonsgegevens": _persoonsgegevens(row["persoonsgegevens"]),
        "auteur": row["auteur"],
        "auteur_naam": row["auteur_naam"],
        "client_id": row["client_id"],
        "aangemaakt_op": row["aangemaakt_op"],
        "gewijzigd_op": row["gewijzigd_op"],
        "mag_bewerken": services.can_edit(user, row),
        "mogelijke_statussen": [s.value for s in services.allowed_statuses(user, row)],
    }


def signaal_out(row: Mapping[str, Any], user: CurrentUser) -> schemas.Signaal:
    """A row as shaped by services (get_signaal / list_signalen) → the API's Signaal."""
    return schemas.Signaal(**_fields(row, user))


async def signaal_detail(row: Mapping[str, Any], user: CurrentUser) -> schemas.SignaalDetail:
    historiek = [
        schemas.SignaalHistoriekItem(
            tijdstip=item["tijdstip"],
            soort=item["soort"],
            van=item["van"] or "",
            naar=item["naar"] or "",
            toelichting=item["toelichting"] or "",
            door=" ".join(p for p in (item["voornaam"], item["achternaam"]) if p) or None,
        )
        for item in await services.history(row["id"])
    ]
    return schemas.SignaalDetail(**_fields(row, user), historiek=historiek)


def _similar(items: list[dict]) -> list[schemas.Vergelijkbaar]:
    return [schemas.Vergelijkbaar(**item) for item in items]


def _reshape_conflict(exc: Conflict, user: CurrentUser) -> Conflict:
    """A 409's `huidig` in the same shape as every other answer of this API (not the raw row)."""
    if exc.current:
        exc.extra = {**exc.extra, "huidig": msgspec.to_builtins(signaal_out(exc.current, user))}
    return exc


def _changes(data: schemas.SignaalWijziging) -> dict[str, Any]:
    """Only the fields present in the JSON (msgspec leaves absent ones UNSET)."""
    return {
        name: value
        for name, value in msgspec.structs.asdict(data).items()
        if value is not msgspec.UNSET and name in services.EDITABLE
    }


_Q = Annotated[str | None, QueryParameter(description="Zoektekst (Nederlands, vervoegingen tellen mee).")]
_TEXT = "Slug, zie /api/v1/taxonomie."
# What register_filters accepts (a whole number in range), declared as such; the Dutch 400 stays for the rest.
_PAGINA = {"type": OpenAPIType.INTEGER, "minimum": 1, "maximum": 100_000, "one_of": None}
_PER_PAGINA = {"type": OpenAPIType.INTEGER, "minimum": 1, "maximum": register_filters.MAX_PER_PAGE, "one_of": None}
_AUTEUR = {"type": OpenAPIType.STRING, "pattern": r"^(|ik|[1-9][0-9]{0,8})$", "one_of": None}
_LIMIT = {"type": OpenAPIType.INTEGER, "minimum": 1, "maximum": 20, "one_of": None}
_Id = Annotated[str, PathParameter(description="Id van het signaal (een onbekend of vreemd id geeft 404).")]


class SignaalApiController(Controller):
    path = "/api/v1/signalen"
    guards = [requires_login]
    tags = ["signalen"]

    @get(
        "/",
        name="api_signalen_lijst",
        summary="Het register, gefilterd en per pagina",
        responses=error_responses(400, 401, 404),
    )
    async def lijst(
        self,
        request: Request,
        q: _Q = None,
        gemeente: Annotated[
            str | None, QueryParameter(description="Slug van een gemeente waar je het register mag lezen (anders 404).")
        ] = None,
        levensdomein: Annotated[str | None, QueryParameter(description=_TEXT)] = None,
        signaaltype: Annotated[str | None, QueryParameter(description=_TEXT)] = None,
        status: Annotated[str | None, QueryParameter(description=_TEXT, schema_extra=query_choice(Status.values()))
                          ] = None,
        bron: Annotated[str | None, QueryParameter(description=_TEXT, schema_extra=query_choice(Bron.values()))
                        ] = None,
        plek: Annotated[str | None, QueryParameter(description="Deel van de plek.")] = None,
        auteur: Annotated[str | None, QueryParameter(description="Id van de auteur, of `ik`.", schema_extra=_AUTEUR)
                          ] = None,
        van: Annotated[str | None, QueryParameter(description="Vanaf deze datum (jjjj-mm-dd).", schema_extra=QUERY_DATE)
                       ] = None,
        tot: Annotated[str | None, QueryParameter(description="Tot en met deze datum (jjjj-mm-dd).",
                                                  schema_extra=QUERY_DATE)] = None,
        pagina: Annotated[str | None, QueryParameter(description="Pagina, vanaf 1.", schema_extra=_PAGINA)] = None,
        per_pagina: Annotated[
            str | None,
            QueryParameter(description="Signalen per pagina, 1 tot 100 (standaard 25).", schema_extra=_PER_PAGINA),
        ] = None,
        sorteer: Annotated[str | None, QueryParameter(description="nieuwste (standaard), oudste of titel.",
                                                      schema_extra=query_choice(register_filters.SORTS))] = None,
    ) -> schemas.SignaalLijst:
        raw = {
            "q": q,
            "gemeente": gemeente,
            "levensdomein": levensdomein,
            "signaaltype": signaaltype,
            "status": status,
            "bron": bron,
            "plek": plek,
            "auteur": auteur,
            "van": van,
            "tot": tot,
            "pagina": pagina,
            "per_pagina": per_pagina,
            "sorteer": sorteer,
        }
        parsed, errors = register_filters.parse({k: v for k, v in raw.items() if v is not None})
        if errors:
            raise FieldErrors(errors, detail="Niet alle filters zijn bruikbaar.", status_code=400)
        user = _user(request)
        rows, total = await services.list_signalen(user, parsed)
        return schemas.SignaalLijst(
            items=[signaal_out(row, user) for row in rows],
            totaal=total,
            pagina=parsed.pagina,
            per_pagina=parsed.per_pagina,
        )

    @post("/", name="api_signalen_nieuw", summary="Een signaal registreren",
          responses={200: ResponseSpec(schemas.Signaal, description="Dit client_id stuurde je al: het signaal "
                                                                    "zoals het al bewaard is (geen tweede).",
                                       generate_examples=False),
                     **error_responses(400, 401, 403, 404, 409, 422)})
    async def nieuw(self, request: Request, data: JSONBody[schemas.SignaalNieuw]) -> Response[schemas.Signaal]:
        user = _user(request)
        values = msgspec.structs.asdict(data)
        confirm = bool(values.pop("bevestig_persoonsgegevens"))
        client_id = values.pop("client_id")
        row, created = await services.register_signaal(user, values, confirm=confirm, client_id=client_id)
        return Response(signaal_out(row, user), status_code=201 if created else 200,
                        background=embeddings.after_response(row["id"]) if created else None)

    @post("/vergelijkbaar", name="api_signalen_vergelijkbaar_concept", status_code=200,
          summary="Vergelijkbare signalen en een voorstel voor een signaal dat nog getypt wordt",
          description="Bewaart niets. De tekst gaat in de body (POST), zodat hij nooit in een URL of log staat.",
          responses=error_responses(400, 401, 403, 404, 422), opt={READ_ONLY_POST: True})
    async def concept(self, request: Request, data: JSONBody[schemas.VergelijkbaarConcept]
                      ) -> schemas.VergelijkbaarVoorstel:
        found = await vergelijkbaar.for_draft(_user(request), msgspec.structs.asdict(data))
        return schemas.VergelijkbaarVoorstel(items=_similar(found["items"]),
                                             voorstel=schemas.Voorstel(**found["voorstel"]))

    @get("/{id:str}/vergelijkbaar", name="api_signaal_vergelijkbaar",
         summary="Signalen van dezelfde gemeente die op dit signaal lijken", responses=error_responses(400, 401, 404))
    async def vergelijkbaar(
        self, request: Request, id: _Id,
        limit: Annotated[str | None, QueryParameter(description="Hoeveel, 1 tot 20 (standaard 3).", schema_extra=_LIMIT)
                         ] = None,
    ) -> schemas.VergelijkbaarLijst:
        signaal_id = path_id(id)
        items = await vergelijkbaar.for_signal(_user(request), signaal_id, vergelijkbaar.check_limit(limit))
        return schemas.VergelijkbaarLijst(items=_similar(items))

    @get("/{id:str}", name="api_signaal", summary="Eén signaal, met zijn historiek",
          responses=error_responses(401, 404))
    async def detail(self, request: Request, id: _Id) -> schemas.SignaalDetail:
        user = _user(request)
        return await signaal_detail(await services.get_signaal(user, path_id(id)), user)

    @patch(
        "/{id:str}",
        name="api_signaal_wijzigen",
        summary="Een signaal wijzigen (alleen de meegegeven velden)",
        responses=error_responses(400, 401, 403, 404, 409, 422),
    )
    async def wijzigen(self, request: Request, id: _Id, data: JSONBody[schemas.SignaalWijziging]
                       ) -> Response[schemas.Signaal]:
        user = _user(request)
        signaal_id = path_id(id)
        versie = None if data.versie is msgspec.UNSET else data.versie
        changes = _changes(data)
        try:
            row = await services.update_signaal(
                user, signaal_id, changes, versie, confirm=data.bevestig_persoonsgegevens
            )
        except Conflict as exc:
            raise _reshape_conflict(exc, user) from None
        text_edit = "titel" in changes or "omschrijving" in changes
        return Response(signaal_out(row, user), background=embeddings.after_response(row["id"]) if text_edit else None)

    @post(
        "/{id:str}/status",
        name="api_signaal_status",
        summary="De status van een signaal wijzigen",
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 409, 422),
    )
    async def status(self, request: Request, id: _Id, data: JSONBody[schemas.StatusWijziging]) -> schemas.Signaal:
        user = _user(request)
        signaal_id = path_id(id)
        try:
            row = await services.change_status(user, signaal_id, data.status, data.toelichting)
        except Conflict as exc:
            raise _reshape_conflict(exc, user) from None
        return signaal_out(row, user)


class TaxonomieApiController(Controller):
    path = "/api/v1/taxonomie"
    guards = [requires_login]
    tags = ["signalen"]

    @get("/", name="api_taxonomie", summary="De actieve keuzelijsten voor signalen", responses=error_responses(401))
    async def taxonomie(self) -> schemas.Taxonomie:
        lists = await services.taxonomy_lists()

        def items(rows: list[dict]) -> list[schemas.TaxonomieItem]:
            return [
                schemas.TaxonomieItem(slug=r["slug"], naam=r["naam"], omschrijving=r["omschrijving"] or "")
                for r in rows
            ]

        return schemas.Taxonomie(
            levensdomeinen=items(lists["levensdomeinen"]),
            signaaltypes=items(lists["signaaltypes"]),
            bronnen=[schemas.TaxonomieKeuze(slug=slug, naam=naam) for slug, naam in Bron.choices()],
            statussen=[schemas.TaxonomieKeuze(slug=s.value, naam=s.label) for s in Status],
            leeftijden=[schemas.TaxonomieKeuze(slug=slug, naam=naam) for slug, naam in Leeftijd.choices()],
        )
