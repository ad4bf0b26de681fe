"""Meetings (Vergadering) of an overleg: create, read, close, and running the meeting point by point (notes with a
version check, the functions of a point, actions). Plain async functions, no HTTP. Invitations and attendance
live in overleg.vergaderingen.aanwezigheid, the stages in .stappen, the calendar event in .ics.

Every read goes through overleg.access.vergadering_scope (tenancy); every change through require_chair.
Decisions write back to the signals through signalen.services.set_status, with history:
a dossier on a published agenda → geagendeerd; the function actie → in_actie.
The agenda itself (ranking, points, publishing and its write-back to geagendeerd) lives in .agenda; every change
of it bumps the meeting's calendar SEQUENCE (bump_sequence).
"""

from __future__ import annotations

import datetime as dt
import json

from litestar.exceptions import HTTPException

from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten, require_chair
from common import dates
from common.db import write_transaction
from common.errors import Conflict, FieldErrors
from common.ids import as_version, not_found
from overleg import guard
from overleg.access import get_overleg, vergadering_scope
from overleg.tables import (
    Agendapunt,
    Deelnemer,
    Dossier,
    DossierHistoriek,
    DossierStatus,
    Functie,
    Partner,
    Vergadering,
    VergaderingStatus,
)
from signalen.services import set_status
from signalen.tables import Signaal, Status
from signalen.validation import EARLIEST, clean_text

MAX_TEKST = 20_000
LATEST = dt.date(2100, 12, 31)


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _as_time(value) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


# ----------------------------------------------------------------------------- reading

def vergadering_columns():
    """The columns of a meeting as every page reads it (with its overleg and gemeente)."""
    return [*Vergadering.all_columns(), Vergadering.overleg.naam.as_alias("overleg_naam"),
            Vergadering.overleg._.gemeente.id.as_alias("gemeente"),
            Vergadering.overleg._.gemeente.slug.as_alias("gemeente_slug"),
            Vergadering.overleg._.gemeente.naam.as_alias("gemeente_naam")]


def shape(row: dict) -> dict:
    row["datum"], row["begin"] = _as_date(row["datum"]), _as_time(row["begin"])
    row["status_label"] = VergaderingStatus.label_for(row["status"])
    row["datum_tekst"] = dates.long_date_with_day(row["datum"])
    return row


async def list_vergaderingen(user: CurrentUser, overleg_id: int | None = None) -> list[dict]:
    """The meetings this user may see (partners: published ones only), earliest first."""
    scope = await vergadering_scope(user)
    if scope is None:
        return []
    if overleg_id is not None:
        scope &= Vergadering.overleg == overleg_id
    rows = await Vergadering.select(*vergadering_columns()).where(scope).order_by(Vergadering.datum, Vergadering.begin,
                                                                        Vergadering.id)
    return [shape(row) for row in rows]


async def get_vergadering(user: CurrentUser, vergadering_id: int) -> dict:
    """One meeting the user may see, else 404 (foreign, unknown and a partner's unpublished alike)."""
    scope = await vergadering_scope(user)
    if scope is None:
        raise not_found()
    row = await Vergadering.select(*vergadering_columns()).where((Vergadering.id == vergadering_id) & scope).first()
    if row is None:
        raise not_found()
    return shape(row)


async def chair_vergadering(user: CurrentUser, vergadering_id: int, *, open_only: bool = True) -> dict:
    """The meeting, for its chair (others who see it: 403); a held meeting is closed for changes (409)."""
    vergadering = await get_vergadering(user, vergadering_id)
    require_chair(user, vergadering["gemeente"])
    if open_only and vergadering["status"] == VergaderingStatus.gehouden.value:
        raise HTTPException(status_code=409, detail="Deze vergadering is al gehouden; ze ligt vast.")
    return vergadering


async def partners_of(overleg_id: int) -> list[dict]:
    return await Partner.select(Partner.id, Partner.naam, Partner.soort).where(
        Partner.overleg == overleg_id).order_by(Partner.naam)


# ----------------------------------------------------------------------------- creating

def check_input(data: dict) -> dict:
    """datum, begin, plaats from a form or JSON → typed values, or FieldErrors (422) in Dutch."""
    errors: dict[str, str] = {}
    values: dict = {}
    try:
        values["datum"] = dt.date.fromisoformat(clean_text(data.get("datum")).strip())
        if not EARLIEST <= values["datum"] <= LATEST:
            errors["datum"] = "Kies een datum tussen 2000 en 2100."
    except ValueError:
        errors["datum"] = "Geef een geldige datum (jjjj-mm-dd)."
    begin = clean_text(data.get("begin")).strip()
    try:
        if len(begin) not in (5, 8):
            raise ValueError(begin)
        values["begin"] = dt.time.fromisoformat(begin).replace(second=0)
    except ValueError:
        errors["begin"] = "Geef een geldig beginuur (uu:mm)."
    plaats = " ".join(clean_text(data.get("plaats")).split())
    if not plaats:
        errors["plaats"] = "Geef de plaats van de vergadering."
    elif len(plaats) > 200:
        errors["plaats"] = "De plaats mag hoogstens 200 tekens lang zijn."
    values["plaats"] = plaats
    if errors:
        raise FieldErrors(errors)
    return values


async def create_vergadering(user: CurrentUser, overleg_id: int, data: dict,
                             partner_ids: list[int] | None = None) -> dict:
    """A new concept meeting; `partner_ids` are invited (None: every partner of the overleg). Chair only."""
    overleg = await get_overleg(user, overleg_id)
    require_chair(user, overleg["gemeente"])
    values = check_input(data)
    known = {p["id"] for p in await partners_of(overleg_id)}
    invited = sorted(known if partner_ids is None else set(partner_ids))
    if not set(invited) <= known:
        raise FieldErrors({"partners": "Kies alleen partners van dit overleg."})
    async with write_transaction():
        vergadering = Vergadering(overleg=overleg_id, status=VergaderingStatus.concept.value, versie=1, **values)
        await vergadering.save()
        if invited:
            await Deelnemer.insert(*[Deelnemer(vergadering=vergadering.id, partner=pid) for pid in invited])
    return await get_vergadering(user, vergadering.id)


# ----------------------------------------------------------------------------- write-back to the signals

async def dossier_status(user: CurrentUser, dossier_ids: list[int], van: list[str], naar: str, why: str) -> None:
    moved = await Dossier.update({Dossier.status: naar, Dossier.versie: Dossier.versie + 1}).where(
        Dossier.id.is_in(dossier_ids) & Dossier.status.is_in(van)).returning(Dossier.id)
    now = dates.now()
    if moved:
        await DossierHistoriek.insert(*[DossierHistoriek(dossier=row["id"], tijdstip=now, gebruiker=user.id,
                                                         actie=naar, toelichting=why) for row in moved])


async def move_signals(user: CurrentUser, gemeente_id: int, dossier_ids: list[int], van: str, naar: str,
                       why: str) -> list[int]:
    """Move the dossiers' signals that are `van` to `naar`; the ids of those that moved."""
    rows = await Signaal.select(Signaal.id).where(
        Signaal.dossier.is_in(dossier_ids) & in_gemeenten(Signaal.gemeente, gemeente_id) & (Signaal.status == van))
    ids = [row["id"] for row in rows]
    await set_status(ids, naar, user.id, why)
    return ids


async def in_actie(user: CurrentUser, vergadering: dict, dossier_id: int) -> None:
    """The function actie: the dossier's signals → in_actie (via geagendeerd), the dossier → in_behandeling."""
    why = f"Actie afgesproken op de vergadering van {dates.short_date(vergadering['datum'])}."
    await move_signals(user, vergadering["gemeente"], [dossier_id], Status.gebundeld.value,
                       Status.geagendeerd.value, why)
    await move_signals(user, vergadering["gemeente"], [dossier_id], Status.geagendeerd.value,
                       Status.in_actie.value, why)
    await dossier_status(user, [dossier_id], [DossierStatus.open.value, DossierStatus.geagendeerd.value],
                         DossierStatus.in_behandeling.value, why)


async def bump_sequence(vergadering_id: int) -> None:
    """Date, time, place or agenda changed: calendars that hold the meeting take the new version (.ics SEQUENCE)."""
    await Vergadering.update({Vergadering.sequence: Vergadering.sequence + 1}).where(Vergadering.id == vergadering_id)


# ----------------------------------------------------------------------------- closing

async def close(user: CurrentUser, vergadering_id: int) -> dict:
    """The meeting was held: it leaves the list of upcoming meetings; the agenda is frozen."""
    await chair_vergadering(user, vergadering_id)
    await Vergadering.update({Vergadering.status: VergaderingStatus.gehouden.value,
                              Vergadering.versie: Vergadering.versie + 1}).where(Vergadering.id == vergadering_id)
    return await get_vergadering(user, vergadering_id)


# ----------------------------------------------------------------------------- running the meeting, per point

async def get_punt(vergadering: dict, punt_id: int) -> dict:
    """A point of this (already authorised) meeting, else 404."""
    row = await Agendapunt.select().where((Agendapunt.id == punt_id)
                                          & (Agendapunt.vergadering == vergadering["id"])).first()
    if row is None:
        raise not_found()
    row["functies"] = functies_of(row)
    return row


def functies_of(row: dict) -> list[str]:
    raw = row.get("functies")
    value = json.loads(raw or "[]") if isinstance(raw, str) else raw
    return [f for f in value or [] if f in {x.value for x in Functie}]


async def save_notities(user: CurrentUser, vergadering_id: int, punt_id: int, *, notities: object,
                        besluit: object = None, versie: object, bevestig: object = False) -> dict:
    """Notes (Markdown) and decision of a point, if nobody changed them since `versie`; else Conflict (409)
    carrying the stored texts (`huidig`) and the ones sent (`jouw`). Partners read them (and the minutes made
    of them): personal data nobody confirmed → 422 (`persoonsgegevens`) unless `bevestig` is True."""
    vergadering = await chair_vergadering(user, vergadering_id, open_only=False)
    punt = await get_punt(vergadering, punt_id)
    texts = {"notities": clean_text(notities), "besluit": clean_text(punt["besluit"] if besluit is None else besluit)}
    errors = {k: "Hoogstens 20 000 tekens." for k, v in texts.items() if len(v) > MAX_TEKST}
    versie = as_version(versie)
    if versie is None:
        errors["versie"] = "Geef de versie waarop je wijziging steunt."
    if errors:
        raise FieldErrors(errors)
    found = guard.check(texts, user.id, bevestig, what="Deze notities", previous=punt["persoonsgegevens"])
    titel = [c for c in guard.stored(punt["persoonsgegevens"]) if c.get("veld") == "titel"]  # add_vrij_punt's
    updated = await Agendapunt.update({Agendapunt.notities: texts["notities"], Agendapunt.besluit: texts["besluit"],
                                       Agendapunt.persoonsgegevens: guard.dumps(titel + found),
                                       Agendapunt.versie: Agendapunt.versie + 1}).where(
        (Agendapunt.id == punt_id) & (Agendapunt.versie == versie)).returning(Agendapunt.versie)
    if not updated:
        current = await get_punt(vergadering, punt_id)
        raise Conflict("Iemand anders heeft dit punt intussen gewijzigd. Vergelijk beide teksten.",
                       {"notities": current["notities"], "besluit": current["besluit"], "versie": current["versie"]},
                       texts)
    return {**punt, **texts, "versie": updated[0]["versie"]}


async def set_functies(user: CurrentUser, vergadering_id: int, punt_id: int, functies: list[str]) -> dict:
    """The functions of the point (forum, actie, signaal_advies). Choosing actie moves its dossier to in_actie."""
    vergadering = await chair_vergadering(user, vergadering_id, open_only=False)
    punt = await get_punt(vergadering, punt_id)
    allowed = [f.value for f in Functie]
    if any(f not in allowed for f in functies):
        raise FieldErrors({"functies": "Kies forum, actie of signaal & advies."})
    chosen = [f for f in allowed if f in functies]
    async with write_transaction():
        await Agendapunt.update({Agendapunt.functies: json.dumps(chosen)}).where(Agendapunt.id == punt_id)
        if Functie.actie.value in chosen and Functie.actie.value not in punt["functies"] and punt["dossier"]:
            await in_actie(user, vergadering, punt["dossier"])
    return {**punt, "functies": chosen}


async def add_actie(user: CurrentUser, vergadering_id: int, punt_id: int, *, wat: object, partner_id: object,
                    deadline: object, lens: object, bevestig: object = False) -> dict:
    """An Actie on this point (through overleg.acties.create_actie); the point gets the function actie."""
    from overleg.acties.services import create_actie

    vergadering = await chair_vergadering(user, vergadering_id, open_only=False)
    punt = await get_punt(vergadering, punt_id)
    async with write_transaction():
        actie = await create_actie(user, overleg_id=vergadering["overleg"], agendapunt_id=punt_id,
                                   dossier_id=punt["dossier"], wat=wat, partner_id=partner_id, deadline=deadline,
                                   lens=lens, bevestig=bevestig)
        if Functie.actie.value not in punt["functies"]:
            await set_functies(user, vergadering_id, punt_id, [*punt["functies"], Functie.actie.value])
    return actie
