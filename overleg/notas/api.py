"""The signaalnota JSON API (/api/v1/notas): typed msgspec shapes (documented in /schema/openapi.json) over the
services in overleg.notas and overleg.nota_lifecycle. Foreign, unknown and malformed ids answer 404; a step at the
wrong moment 409; bad input 422 with Dutch messages per field. Readers who do not manage a nota get its texts
through the privacy guard, as in the PDF."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIFormat
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import UNSET, Meta, Struct, UnsetType

from admin.guards import requires_login
from common.api import ID_ITEMS, query_choice, schema_requires
from common.errors import FieldErrors
from common.ids import path_id
from overleg.notas import documents, lifecycle
from overleg.notas import pdf as nota_pdf
from overleg.notas import services as notas
from overleg.tables import NotaStatus
from signalen.schemas import Fout

_DESCRIPTIONS = {400: "Ongeldige aanvraag (geen JSON of een verkeerd JSON-type).", 401: "Niet aangemeld.",
                 403: "Geen CSRF-header, of alleen de voorzitter (of coördinator, bovenlokaal) mag dit.",
                 404: "Bestaat niet, of je hebt er geen toegang toe.",
                 409: "Niet in deze toestand: een verstuurde nota wijzigt niet meer, een antwoord kan pas na het "
                      "versturen, een verouderde versie.",
                 422: "Velden niet goed ingevuld (`fields`), of mogelijke persoonsgegevens die niemand bevestigde "
                      "(`persoonsgegevens`; stuur opnieuw met `bevestig_persoonsgegevens: true` als ze nodig zijn)."}
_SECTIE = "Markdown (hoogstens 20 000 tekens)."


@schema_requires(closed=True)
class NotaSecties(Struct, kw_only=True, forbid_unknown_fields=True):
    aanleiding: Annotated[str | None, Meta(description="Aanleiding en omschrijving: wat, waar, sinds wanneer, welke "
                                                       "jongeren. " + _SECTIE)] = None
    onderbouwing: Annotated[str | None, Meta(description="Onderbouwing; standaard ingevuld uit de signalen. "
                                                         + _SECTIE)] = None
    analyse: Annotated[str | None, Meta(description="Analyse. " + _SECTIE)] = None
    acties: Annotated[str | None, Meta(description="Reeds ondernomen acties; standaard uit de acties van het "
                                                   "overleg. " + _SECTIE)] = None
    advies: Annotated[str | None, Meta(description="Advies en gevraagde beslissing. " + _SECTIE)] = None
    opvolging: Annotated[str | None, Meta(description="Opvolging. " + _SECTIE)] = None


@schema_requires("dossiers", "adressaat", "onderwerp", dossiers={"min_items": 1, "items": ID_ITEMS},
                 adressaat={"enum": ["college", "ocmw-raad", "bovenlokaal"], "pattern": None},
                 antwoord_gevraagd_tegen={"format": OpenAPIFormat.DATE})
class NotaNieuw(Struct, kw_only=True):
    """Een nieuwe signaalnota (concept) uit één of meer dossiers van één gemeente."""

    dossiers: Annotated[list[int] | None, Meta(description="Ids van dossiers (zelfde gemeente).")] = None
    adressaat: Annotated[str | None, Meta(description="college, ocmw-raad of bovenlokaal.")] = None
    adressaat_tekst: Annotated[str | None, Meta(description="De bovenlokale adressaat (vrije tekst).")] = None
    onderwerp: Annotated[str | None, Meta(description="Onderwerp (verplicht, hoogstens 300 tekens).")] = None
    secties: Annotated[NotaSecties | None, Meta(description="Secties die niet gegeven zijn, worden ingevuld uit "
                                                            "de dossiers.")] = None
    trekker: Annotated[str | None, Meta(description="Trekker van de opvolging.")] = None
    antwoord_gevraagd_tegen: Annotated[str | None, Meta(description="ISO-datum (standaard over 60 dagen).")] = None


class NotaWijziging(Struct, kw_only=True):
    """Alleen de meegegeven velden wijzigen; alleen een concept of een nota ter goedkeuring (anders 409)."""

    versie: Annotated[int | None | UnsetType, Meta(description="De versie waarop je wijziging steunt (verplicht); "
                                                                "een oudere geeft 409.")] = UNSET
    onderwerp: str | None | UnsetType = UNSET
    adressaat: str | None | UnsetType = UNSET
    adressaat_tekst: str | None | UnsetType = UNSET
    trekker: str | None | UnsetType = UNSET
    antwoord_gevraagd_tegen: Annotated[str | None | UnsetType, Meta(description="ISO-datum.")] = UNSET
    secties: NotaSecties | None | UnsetType = UNSET
    citaten: Annotated[list[str] | None | UnsetType, Meta(description="De gekozen citaten van jongeren.")] = UNSET
    bevestig_persoonsgegevens: Annotated[bool | UnsetType, Meta(
        description="true: alle huidige vondsten van de privacytoets zijn nodig voor deze nota.")] = UNSET


class AntwoordNieuw(Struct, kw_only=True):
    datum: Annotated[str | None, Meta(description="ISO-datum van het antwoord.")] = None
    beslissing: Annotated[str | None, Meta(description="akkoord, deels, afgewezen of niet_bevoegd.")] = None
    samenvatting: Annotated[str | None, Meta(description="Samenvatting van het antwoord.")] = None
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=(
        "true: de gevonden persoonsgegevens in de samenvatting zijn nodig (het overleg en de partners lezen ze); "
        "zonder bevestiging weigert de API zo'n tekst (422 met `persoonsgegevens`)."))] = False


class TerugkoppelingNieuw(Struct, kw_only=True):
    dossier: Annotated[int | None, Meta(description="Id van een dossier van deze nota.")] = None
    datum: Annotated[str | None, Meta(description="ISO-datum.")] = None
    hoe: Annotated[str | None, Meta(description="Hoe het terugging naar de jongeren.")] = None
    door: str | None = None
    wat: Annotated[str | None, Meta(description="Wat er gezegd werd.")] = None
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=(
        "true: de gevonden persoonsgegevens zijn nodig (partners lezen de terugkoppeling); zonder bevestiging "
        "weigert de API zo'n tekst (422 met `persoonsgegevens`)."))] = False


class NotaDossier(Struct, kw_only=True):
    id: int
    titel: str
    status: str


class Persoonsgegeven(Struct, kw_only=True):
    soort: str
    label: str
    tekst: str
    vervanging: str
    bevestigd: bool


class AntwoordUit(Struct, kw_only=True):
    datum: dt.date
    beslissing: str
    beslissing_label: str
    samenvatting: str
    document: Annotated[bool, Meta(description="Is het antwoord als PDF opgeladen?")]
    geregistreerd_op: dt.datetime


class NotaCommentaarNieuw(Struct, kw_only=True):
    """Een commentaar bij een nota in voorbereiding. Partners lezen het: de privacybewaker weigert mogelijke
    persoonsgegevens (422 met `persoonsgegevens`), tenzij `bevestig_persoonsgegevens` true is."""

    tekst: Annotated[str | None, Meta(description="Commentaar in Markdown (hoogstens 5000 tekens).")] = None
    bevestig_persoonsgegevens: Annotated[bool, Meta(description=(
        "true: de gevonden persoonsgegevens zijn nodig; zonder bevestiging weigert de API zo'n tekst (422 met "
        "`persoonsgegevens`)."))] = False


class NotaCommentaarUit(Struct, kw_only=True):
    id: int
    tekst: str
    tijdstip: dt.datetime
    door: str | None


class NotaKort(Struct, kw_only=True):
    id: int
    referentie: Annotated[str, Meta(description="Per gemeente en jaar, bv. SN-2026-004-MECHELEN.")]
    status: Annotated[str, Meta(description="concept, ter_goedkeuring, verstuurd of beantwoord.")]
    status_label: str
    gemeente: str
    onderwerp: str
    adressaat: str
    adressaat_label: str
    aangemaakt_op: dt.datetime
    verstuurd_op: dt.datetime | None
    antwoord_gevraagd_tegen: dt.date | None
    pdf_url: str


class NotaDetail(NotaKort, kw_only=True):
    adressaat_tekst: str
    secties: NotaSecties
    citaten: list[str]
    trekker: str
    versie: int
    vorige: Annotated[int | None, Meta(description="De verstuurde nota die deze versie corrigeert.")]
    bovenlokaal: bool
    dossiers: list[NotaDossier]
    pdf_sha256: Annotated[str, Meta(description="SHA-256 van de bewaarde PDF (na versturen).")]
    mag_beheren: bool
    persoonsgegevens: Annotated[list[Persoonsgegeven], Meta(
        description="Vondsten van de privacytoets (alleen voor wie de nota beheert).")]
    antwoord: AntwoordUit | None


class NotaLijst(Struct, kw_only=True):
    items: list[NotaKort]
    totaal: int


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    return {c: ResponseSpec(Fout, description=_DESCRIPTIONS[c], generate_examples=False) for c in codes}


def kort(row: dict) -> NotaKort:
    return NotaKort(id=row["id"], referentie=row["referentie"], status=row["status"], status_label=row["status_label"],
                    gemeente=row["gemeente"], onderwerp=row["onderwerp_veilig"], adressaat=row["adressaat"],
                    adressaat_label=row["adressaat_label"], aangemaakt_op=row["aangemaakt_op"],
                    verstuurd_op=row["verstuurd_op"], antwoord_gevraagd_tegen=row["antwoord_gevraagd_tegen"],
                    pdf_url=f"/api/v1/notas/{row['id']}/pdf")


async def detail(nota: dict) -> NotaDetail:
    data = await notas.pdf_input(nota)
    manager = nota["mag_beheren"]
    redact = nota_pdf.redactor_for(data)
    secties = nota["secties"] if manager else {k: redact(v, f"secties.{k}") for k, v in nota["secties"].items()}
    found = nota_pdf.findings(data) if manager else []
    answer = await lifecycle.answer(nota["id"])
    base = msgspec.structs.asdict(kort(nota))
    return NotaDetail(
        **{**base, "onderwerp": nota["onderwerp"] if manager else redact(nota["onderwerp"], "onderwerp")},
        adressaat_tekst=nota["adressaat_tekst"], secties=NotaSecties(**secties),
        citaten=nota["citaten"] if manager else [redact(q, "citaat") for q in nota["citaten"]],
        trekker=nota["trekker"] if manager else redact(nota["trekker"], "trekker"), versie=nota["versie"],
        vorige=nota["vorige"], bovenlokaal=nota["bovenlokaal"], pdf_sha256=nota["pdf_sha256"], mag_beheren=manager,
        dossiers=[NotaDossier(**{**d, "titel": d["titel"] if manager else redact(d["titel"], f"dossier.{d['id']}")})
                  for d in nota["dossiers"]],
        persoonsgegevens=[Persoonsgegeven(**{k: f[k] for k in ("soort", "label", "tekst", "vervanging", "bevestigd")})
                          for f in found],
        antwoord=AntwoordUit(datum=answer["datum"], beslissing=answer["beslissing"],
                             beslissing_label=answer["beslissing_label"], samenvatting=answer["samenvatting"],
                             document=answer["heeft_document"], geregistreerd_op=answer["geregistreerd_op"])
        if answer else None,
    )


def _present(struct: Any) -> dict:
    return {k: v for k, v in msgspec.structs.asdict(struct).items() if v is not UNSET}


_Id = Annotated[str, PathParameter(description="Id van de nota (een onbekend of vreemd id geeft 404).")]


class NotaApiController(Controller):
    path = "/api/v1/notas"
    guards = [requires_login]
    tags = ["notas"]

    @get("/", name="api_notas_lijst", summary="De signaalnota's die je mag lezen", responses=_errors(400, 401))
    async def lijst(self, request: Request, status: Annotated[str | None, QueryParameter(
            description="concept, ter_goedkeuring, verstuurd of beantwoord.",
            schema_extra=query_choice(NotaStatus.values()))] = None) -> NotaLijst:
        if status and status not in NotaStatus.values():
            raise FieldErrors({"status": "Kies een geldige status."}, status_code=400)
        rows = await notas.list_notas(request.user, status=status or None)
        return NotaLijst(items=[kort(r) for r in rows], totaal=len(rows))

    @post("/", name="api_notas_nieuw", summary="Een signaalnota (concept) maken uit dossiers",
          responses=_errors(400, 401, 403, 404, 422))
    async def nieuw(self, request: Request, data: JSONBody[NotaNieuw]) -> NotaDetail:
        values = msgspec.structs.asdict(data)
        if data.secties is not None:
            values["secties"] = {k: v for k, v in msgspec.structs.asdict(data.secties).items() if v is not None}
        values = {k: v for k, v in values.items() if v is not None or k in ("dossiers", "onderwerp", "adressaat")}
        return await detail(await notas.create_nota(request.user, values))

    @get("/{id:str}", name="api_nota", summary="Eén signaalnota", responses=_errors(401, 404))
    async def nota(self, request: Request, id: _Id) -> NotaDetail:
        return await detail(await notas.get_nota(request.user, path_id(id)))

    @patch("/{id:str}", name="api_nota_wijzigen", summary="Een concept wijzigen (voorzitter)",
           responses=_errors(400, 401, 403, 404, 409, 422))
    async def wijzigen(self, request: Request, id: _Id, data: JSONBody[NotaWijziging]) -> NotaDetail:
        values = _present(data)
        versie = values.pop("versie", None)
        confirm = True if values.pop("bevestig_persoonsgegevens", False) else None
        if isinstance(data.secties, NotaSecties):
            values["secties"] = {k: v for k, v in msgspec.structs.asdict(data.secties).items() if v is not None}
        values = {k: ("" if v is None and k not in ("antwoord_gevraagd_tegen", "secties", "citaten") else v)
                  for k, v in values.items()}
        return await detail(await notas.update_nota(request.user, path_id(id), values, versie, confirm=confirm))

    @get("/{id:str}/pdf", name="api_nota_pdf", summary="De nota als PDF (na versturen: de bewaarde, onveranderlijke "
         "PDF)", media_type="application/pdf", responses=_errors(401, 404))
    async def pdf(self, request: Request, id: _Id) -> Response[bytes]:
        nota = await notas.get_nota(request.user, path_id(id))
        return documents.pdf_response(await documents.live_pdf(nota), nota)

    @post("/{id:str}/versturen", name="api_nota_versturen", status_code=200, summary="De nota versturen: de PDF "
          "wordt bewaard met zijn SHA-256, de signalen worden gesignaleerd", responses=_errors(401, 403, 404, 409, 422))
    async def versturen(self, request: Request, id: _Id) -> NotaDetail:
        return await detail(await lifecycle.send(request.user, path_id(id)))

    @post("/{id:str}/antwoord", name="api_nota_antwoord", status_code=201, summary="Het antwoord registreren; de "
          "signalen worden beantwoord", responses=_errors(400, 401, 403, 404, 409, 422))
    async def antwoord(self, request: Request, id: _Id, data: JSONBody[AntwoordNieuw]) -> NotaDetail:
        return await detail(await lifecycle.record_answer(request.user, path_id(id), msgspec.structs.asdict(data),
                                                          bevestig=data.bevestig_persoonsgegevens))

    @post("/{id:str}/nieuwe-versie", name="api_nota_nieuwe_versie", summary="Een verstuurde nota corrigeren: een "
          "nieuw concept met `vorige`", responses=_errors(401, 403, 404, 409))
    async def nieuwe_versie(self, request: Request, id: _Id) -> NotaDetail:
        return await detail(await lifecycle.new_version(request.user, path_id(id)))

    @post("/{id:str}/bovenlokaal", name="api_nota_bovenlokaal", summary="Na ‘niet bevoegd’: een bovenlokale nota "
          "uit dezelfde dossiers", responses=_errors(401, 403, 404, 409))
    async def bovenlokaal(self, request: Request, id: _Id) -> NotaDetail:
        return await detail(await lifecycle.to_bovenlokaal(request.user, path_id(id)))

    @post("/{id:str}/commentaren", name="api_nota_commentaar", status_code=201, summary="Commentaar geven bij een "
          "nota in voorbereiding (wie ze mag lezen, ook partners)", responses=_errors(400, 401, 403, 404, 409, 422))
    async def commentaar(self, request: Request, id: _Id, data: JSONBody[NotaCommentaarNieuw]) -> NotaCommentaarUit:
        row = await lifecycle.add_comment(request.user, path_id(id), data.tekst,
                                          bevestig=data.bevestig_persoonsgegevens)
        return NotaCommentaarUit(id=row["id"], tekst=row["tekst"], tijdstip=row["tijdstip"], door=row["door"])

    @post("/{id:str}/terugkoppeling", name="api_nota_terugkoppeling", summary="Terugkoppeling naar de jongeren "
          "registreren voor één dossier", responses=_errors(400, 401, 403, 404, 409, 422))
    async def terugkoppeling(self, request: Request, id: _Id, data: JSONBody[TerugkoppelingNieuw]) -> NotaDetail:
        nota_id = path_id(id)
        await lifecycle.record_feedback(request.user, nota_id, data.dossier, msgspec.structs.asdict(data),
                                        bevestig=data.bevestig_persoonsgegevens)
        return await detail(await notas.get_nota(request.user, nota_id))


CONTROLLERS = [NotaApiController]
