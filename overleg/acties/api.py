"""The actions API (/api/v1/acties): list, create, read, change status. Services in overleg.acties.services."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter

from admin.guards import requires_login
from common.api import CONFIRM, DATE, ID, QUERY_ID, VERSION, body, choice, nullable, read_json, text
from common.errors import FieldErrors
from common.ids import as_id, path_id
from overleg import guard
from overleg.acties import services as acties
from overleg.tables import ActieStatus, Lens
from signalen.api import error_responses as errors


def _out(row: dict) -> dict:
    keys = ("id", "overleg", "overleg_naam", "agendapunt", "dossier", "dossier_titel", "wat", "partner",
            "partner_naam", "deadline", "status", "status_label", "lens", "lens_label", "achterstallig",
            "mag_wijzigen", "versie", "aangemaakt_op")
    return {key: row[key] for key in keys}


def _filter_id(raw: str | None, name: str) -> int | None:
    if raw in (None, ""):
        return None
    value = as_id(raw)
    if value is None:
        raise FieldErrors({name: "Geef een geldig id."}, detail="Niet alle filters zijn bruikbaar.", status_code=400)
    return value


_NEW = body("Een nieuwe actie.", {"overleg": ID, "wat": text(acties.MAX_WAT, description="Wat er moet gebeuren."),
                                   "lens": choice(Lens.values())},
            {"agendapunt": nullable(ID), "dossier": nullable(ID), "partner": nullable(ID),
             "deadline": nullable(DATE), "bevestig_persoonsgegevens": CONFIRM})
_STATUS = body("Een nieuwe status, met een korte voortgangsnotitie.", {"status": choice(ActieStatus.values())},
               {"versie": nullable(VERSION), "notitie": nullable(text(acties.MAX_NOTITIE, required=False)),
                "bevestig_persoonsgegevens": CONFIRM})

_IdFilter = Annotated[str | None, QueryParameter(description="Id (leeg: geen filter).", schema_extra=QUERY_ID)]


class ActiesApiController(Controller):
    path = "/api/v1/acties"
    guards = [requires_login]
    tags = ["acties"]

    @get("/", name="api_acties", summary="Acties van je overleggen (filters: overleg, partner, dossier, open)",
         responses=errors(400, 401, 404))
    async def lijst(self, request: Request, overleg: _IdFilter = None, partner: _IdFilter = None,
                    dossier: _IdFilter = None,
                    open: FromQuery[str | None] = None) -> dict:
        rows = await acties.list_acties(
            request.user, overleg_id=_filter_id(overleg, "overleg"), partner_id=_filter_id(partner, "partner"),
            dossier_id=_filter_id(dossier, "dossier"), open_only=open in ("1", "true", "ja"))
        return {"items": [_out(r) for r in rows], "totaal": len(rows)}

    @post("/", name="api_actie_nieuw", summary='Een actie aanmaken (voorzitter); mogelijke persoonsgegevens in `wat` '
          'geven 422 met `persoonsgegevens` tot `"bevestig_persoonsgegevens": true`', status_code=201,
          responses=errors(400, 401, 403, 404, 422), operation_class=_NEW)
    async def nieuw(self, request: Request) -> dict:
        body = await read_json(request)
        row = await acties.create_actie(
            request.user, overleg_id=as_id(body.get("overleg")) or 0, agendapunt_id=body.get("agendapunt"),
            dossier_id=body.get("dossier"), wat=body.get("wat"), partner_id=body.get("partner"),
            deadline=body.get("deadline"), lens=body.get("lens"), bevestig=guard.api_confirmed(body))
        return _out(row)

    @get("/{actie_id:str}", name="api_actie", summary="Eén actie", responses=errors(401, 404))
    async def detail(self, request: Request, actie_id: FromPath[str]) -> dict:
        return _out(await acties.get_actie(request.user, path_id(actie_id)))

    @post("/{actie_id:str}/status", name="api_actie_status", status_code=200,
          summary='De status van een actie wijzigen: {"status", "versie", "notitie"?} (een korte voortgangsnotitie; '
                  'persoonsgegevens geven 422 tot `"bevestig_persoonsgegevens": true`)', operation_class=_STATUS,
          responses=errors(400, 401, 403, 404, 409, 422))
    async def status(self, request: Request, actie_id: FromPath[str]) -> dict:
        body = await read_json(request)
        row = await acties.update_actie_status(request.user, path_id(actie_id), body.get("status"),
                                               body.get("versie"), notitie=body.get("notitie", ""),
                                               bevestig=guard.api_confirmed(body))
        return _out(row)
