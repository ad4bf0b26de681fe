"""The meetings JSON API: /api/v1/vergaderingen, /api/v1/vergaderingen/{id}(/agenda). (/api/v1/overleggen is
served by overleg/overleg_controllers.py.)

Thin handlers over overleg.vergaderingen and overleg.agenda; typed msgspec Structs so /schema/openapi.json documents
every field. Foreign, unknown and malformed ids answer 404; a partner sees published meetings only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import Meta, Struct

from admin.guards import requires_login
from admin.tenancy import is_chair
from common.api import QUERY_ID_GIVEN, schema_requires
from common.errors import FieldErrors
from common.ids import as_id, path_id
from overleg.access import get_overleg
from overleg.tables import VergaderingStatus
from overleg.vergaderingen import aanwezigheid, agenda
from overleg.vergaderingen import services as V
from signalen.api import error_responses as errors


@schema_requires("overleg")
class VergaderingNieuw(Struct, kw_only=True):
    """Een nieuwe vergadering (concept). Alleen de voorzitter van het overleg."""

    overleg: Annotated[int | None, Meta(description="Id van het overleg (verplicht).")] = None
    datum: Annotated[str | None, Meta(description="Datum, jjjj-mm-dd (verplicht).")] = None
    begin: Annotated[str | None, Meta(description="Beginuur, uu:mm (verplicht).")] = None
    plaats: Annotated[str | None, Meta(description="Plaats (verplicht, hoogstens 200 tekens).")] = None
    partners: Annotated[list[int] | None, Meta(description="Uit te nodigen partners (ids); weggelaten: alle "
                                                          "partners van het overleg.")] = None


class VergaderingDeelnemer(Struct, kw_only=True):
    id: int
    partner: Annotated[int | None, Meta(description="Id van de partnerorganisatie.")]
    persoon: Annotated[int | None, Meta(description="Id van de persoon (gebruiker), bij een persoonlijke "
                                                    "uitnodiging.")] = None
    soort: Annotated[str, Meta(description="organisatie of persoon.")] = "organisatie"
    naam: Annotated[str, Meta(description="Naam van de persoon (met organisatie) of van de organisatie.")]
    aanwezigheid: Annotated[str, Meta(description="uitgenodigd, aanwezig, verontschuldigd of afwezig.")]


class Vergadering(Struct, kw_only=True):
    id: int
    overleg: int
    overleg_naam: str
    gemeente: Annotated[str, Meta(description="Slug van de gemeente.")]
    datum: dt.date
    begin: Annotated[str, Meta(description="Beginuur, uu:mm.")]
    plaats: str
    status: Annotated[str, Meta(description="concept, gepubliceerd of gehouden.")]
    gepubliceerd_op: dt.datetime | None
    versie: int


class VergaderingDetail(Vergadering, kw_only=True):
    einde: Annotated[str, Meta(description="Gepland einde (begin + duur van alle punten), uu:mm.")]
    deelnemers: list[VergaderingDeelnemer]


class VergaderingLijst(Struct, kw_only=True):
    items: list[Vergadering]
    totaal: int


class Agendapunt(Struct, kw_only=True):
    id: int
    titel: str
    dossier: Annotated[int | None, Meta(description="Id van het dossier (null bij mededelingen, rondvraag, …).")]
    functies: Annotated[list[str], Meta(description="forum, actie en/of signaal_advies.")]
    duur_minuten: int
    soort: Annotated[str, Meta(description="dossier, mededelingen, rondvraag of vrij.")]
    volgorde: int
    start: Annotated[str, Meta(description="Gepland beginuur van het punt, uu:mm.")]


class AgendaVoorstel(Struct, kw_only=True):
    dossier: int
    titel: str
    score: Annotated[float, Meta(description="Hoe groter, hoe dringender de noden van jongeren.")]
    reden: Annotated[str, Meta(description="Waarom het voorgesteld wordt, in woorden.")]
    signalen: Annotated[int, Meta(description="Aantal signalen in het dossier.")]
    recent: Annotated[int, Meta(description="Signalen in de laatste 3 maanden.")]
    vorige: Annotated[int, Meta(description="Signalen in de 3 maanden daarvoor.")]
    jongeren: Annotated[int, Meta(description="Som van het aantal betrokken jongeren.")]
    oudste_dagen: Annotated[int | None, Meta(description="Leeftijd in dagen van het oudste onbehandelde signaal.")]


class Agenda(Struct, kw_only=True):
    vergadering: int
    status: str
    einde: Annotated[str, Meta(description="Gepland einde, uu:mm.")]
    punten: list[Agendapunt]
    voorstellen: Annotated[list[AgendaVoorstel], Meta(description="Gerangschikte dossiers (alleen voor de voorzitter, "
                                                            "zolang de vergadering niet gehouden is).")]


def _vergadering(row: dict) -> dict:
    return {"id": row["id"], "overleg": row["overleg"], "overleg_naam": row["overleg_naam"],
            "gemeente": row["gemeente_slug"], "datum": row["datum"], "begin": row["begin"].strftime("%H:%M"),
            "plaats": row["plaats"], "status": row["status"], "gepubliceerd_op": row["gepubliceerd_op"],
            "versie": row["versie"]}


async def _detail(row: dict) -> VergaderingDetail:
    punten = await agenda.list_punten(row)
    deelnemers = [VergaderingDeelnemer(id=d["id"], partner=d["partner"], persoon=d["user"], soort=d["soort"],
                                       naam=d["naam"], aanwezigheid=d["aanwezigheid"])
                  for d in await aanwezigheid.list_deelnemers(row["id"])]
    return VergaderingDetail(**_vergadering(row), einde=agenda.planned_end(row, punten).strftime("%H:%M"),
                             deelnemers=deelnemers)


_Id = Annotated[str, PathParameter(description="Id van de vergadering (een onbekend of vreemd id geeft 404).")]


class VergaderingApiController(Controller):
    path = "/api/v1/vergaderingen"
    guards = [requires_login]
    tags = ["vergaderingen"]

    @get("/", name="api_vergaderingen", summary="De vergaderingen die je mag zien", responses=errors(400, 401, 404))
    async def lijst(self, request: Request, overleg: Annotated[str | None, QueryParameter(
            description="Alleen de vergaderingen van dit overleg (id).", schema_extra=QUERY_ID_GIVEN)] = None,
                    ) -> VergaderingLijst:
        overleg_id = None
        if overleg is not None:
            overleg_id = as_id(overleg)
            if overleg_id is None:
                raise FieldErrors({"overleg": "Geef het id van een overleg."}, status_code=400)
            overleg_id = (await get_overleg(request.user, overleg_id))["id"]
        rows = await V.list_vergaderingen(request.user, overleg_id)
        return VergaderingLijst(items=[Vergadering(**_vergadering(r)) for r in rows], totaal=len(rows))

    @post("/", name="api_vergadering_nieuw", summary="Een vergadering aanmaken (voorzitter)",
          responses=errors(400, 401, 403, 404, 422))
    async def nieuw(self, request: Request, data: JSONBody[VergaderingNieuw]) -> VergaderingDetail:
        if data.overleg is None:
            raise FieldErrors({"overleg": "Kies een overleg."})
        overleg_id = path_id(data.overleg)
        values = {"datum": data.datum, "begin": data.begin, "plaats": data.plaats}
        row = await V.create_vergadering(request.user, overleg_id, values, data.partners)
        return await _detail(row)

    @get("/{vergadering_id:str}", name="api_vergadering", summary="Eén vergadering, met de uitgenodigden",
         responses=errors(401, 404))
    async def detail(self, request: Request, vergadering_id: _Id) -> VergaderingDetail:
        return await _detail(await V.get_vergadering(request.user, path_id(vergadering_id)))

    @get("/{vergadering_id:str}/agenda", name="api_vergadering_agenda", summary="De agenda, en voor de voorzitter de "
         "voorgestelde dossiers", responses=errors(401, 404))
    async def agenda_view(self, request: Request, vergadering_id: _Id) -> Agenda:
        row = await V.get_vergadering(request.user, path_id(vergadering_id))
        punten = await agenda.list_punten(row)
        voorstellen = []
        if is_chair(request.user, row["gemeente"]) and row["status"] != VergaderingStatus.gehouden.value:
            voorstellen = [AgendaVoorstel(dossier=d["dossier"], titel=d["titel"], score=d["score"], reden=d["reden"],
                                    signalen=d["aantal"], recent=d["recent"], vorige=d["vorige"],
                                    jongeren=d["jongeren"], oudste_dagen=d["oudste_dagen"])
                           for d in await agenda.voorstellen(row)]
        return Agenda(
            vergadering=row["id"], status=row["status"], einde=agenda.planned_end(row, punten).strftime("%H:%M"),
            punten=[Agendapunt(id=p["id"], titel=p["titel"], dossier=p["dossier"], functies=p["functies"],
                         duur_minuten=p["duur_minuten"], soort=p["soort"], volgorde=p["volgorde"],
                         start=p["start"].strftime("%H:%M")) for p in punten],
            voorstellen=voorstellen)
