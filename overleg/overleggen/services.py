"""Overleg management: the overleg of a gemeente, its partner organisations and its members.

Plain async services over the tables; tenancy comes from overleg.access (404 for strangers, 403 for members who
are not the chair). No HTTP here beyond the exceptions access raises.
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import HTTPException

from admin import tenancy
from admin.sessions import CurrentUser, GemeenteRef
from admin.tables import Lidmaatschap, Rol
from admin.tenancy import in_gemeenten
from common.db import write_transaction
from common.errors import FieldErrors
from common.ids import not_found
from overleg import access
from overleg.tables import Actie, Deelnemer, Functie, LidRol, Overleg, Overleglid, Partner, PartnerSoort
from signalen.validation import clean_text

LID_ROLES = (Rol.partner.value, Rol.voorzitter.value)
LIMITS = {"naam": 200, "omschrijving": 5000, "netwerken": 1000}
TRUE = (True, "1", "on", "ja", "true")


def _text(data: dict, name: str, errors: dict[str, str], *, required: bool = False, label: str = "") -> str:
    raw = data.get(name)
    value = clean_text(raw).strip() if isinstance(raw, str) else ""
    if required and not value:
        errors[name] = f"Geef een {label or name}."
    elif len(value) > LIMITS[name]:
        errors[name] = f"Hou het bij hoogstens {LIMITS[name]} tekens."
    return value



def check_overleg(data: dict) -> dict:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "naam": _text(data, "naam", errors, required=True, label="naam"),
        "omschrijving": _text(data, "omschrijving", errors),
    }
    functies = data.get("functies")
    functies = [functies] if isinstance(functies, str) else functies
    if not isinstance(functies, list | tuple) or not all(isinstance(f, str) for f in functies):
        functies = []
    chosen = [f.value for f in Functie if f.value in functies]
    if not chosen or len(set(functies)) != len(chosen):
        errors["functies"] = "Kies minstens één functie: forum, actie of signaal & advies."
    values["functies"] = chosen
    values["werkernamen_in_nota"] = data.get("werkernamen_in_nota") in TRUE
    if errors:
        raise FieldErrors(errors)
    return values


def check_partner(data: dict) -> dict:
    errors: dict[str, str] = {}
    values = {
        "naam": _text(data, "naam", errors, required=True, label="naam"),
        "netwerken": _text(data, "netwerken", errors),
    }
    soort = data.get("soort") or PartnerSoort.ander.value
    if soort not in PartnerSoort.values():
        errors["soort"] = "Kies een soort uit de lijst."
    values["soort"] = soort
    if errors:
        raise FieldErrors(errors)
    return values


async def chaired_overleg(user: CurrentUser, overleg_id: int) -> dict:
    """The overleg, if the user may see it (else 404) and chairs it (else 403)."""
    overleg = await access.get_overleg(user, overleg_id)
    tenancy.require_chair(user, overleg["gemeente"])
    return overleg


async def creatable_gemeenten(user: CurrentUser) -> list[GemeenteRef]:
    """Gemeenten the user chairs that have no overleg yet."""
    chaired = sorted(tenancy.chair_gemeente_ids(user))
    if not chaired:
        return []
    rows = await Overleg.select(Overleg.gemeente).where(in_gemeenten(Overleg.gemeente, chaired))
    taken = {row["gemeente"] for row in rows}
    return [user.gemeenten[gid] for gid in chaired if gid not in taken and gid in user.gemeenten]


async def create_overleg(user: CurrentUser, gemeente_slug: str, data: dict) -> dict:
    gemeente = next((g for g in user.gemeenten.values() if g.slug == gemeente_slug), None)
    if gemeente is None:
        raise not_found()
    tenancy.require_chair(user, gemeente.id)
    values = check_overleg(data)
    async with write_transaction():
        if await Overleg.exists().where(in_gemeenten(Overleg.gemeente, gemeente.id)):
            raise HTTPException(status_code=409, detail=f"{gemeente.naam} heeft al een overleg.")
        row = Overleg(gemeente=gemeente.id, **values)
        await row.save()
        await Overleglid(overleg=row.id, user=user.id, partner=None, rol=LidRol.voorzitter.value).save()
    return await access.get_overleg(user, row.id)


async def update_overleg(user: CurrentUser, overleg_id: int, data: dict) -> dict:
    await chaired_overleg(user, overleg_id)
    values = check_overleg(data)
    await Overleg.update({getattr(Overleg, k): v for k, v in values.items()}).where(Overleg.id == overleg_id)
    return await access.get_overleg(user, overleg_id)


async def partners(overleg_id: int) -> list[dict]:
    rows = await Partner.select().where(Partner.overleg == overleg_id).order_by(Partner.naam)
    for row in rows:
        row["soort_label"] = PartnerSoort.label_for(row["soort"])
    return rows


async def leden(overleg: dict) -> list[dict]:
    """Users with role partner or voorzitter in the overleg's gemeente, with the partner they sit for."""
    members = await Lidmaatschap.select(
        Lidmaatschap.user, Lidmaatschap.rol, Lidmaatschap.user.username, Lidmaatschap.user.first_name,
        Lidmaatschap.user.last_name,
    ).where(in_gemeenten(Lidmaatschap.gemeente, overleg["gemeente"]) & Lidmaatschap.rol.is_in(list(LID_ROLES)))
    links = {row["user"]: row for row in await Overleglid.select(
        Overleglid.user, Overleglid.partner, Overleglid.partner.naam.as_alias("partner_naam"),
    ).where(Overleglid.overleg == overleg["id"])}
    out: dict[int, dict] = {}
    for row in members:
        naam = " ".join(p for p in (row["user.first_name"], row["user.last_name"]) if p) or row["user.username"]
        entry = out.setdefault(row["user"], {"user": row["user"], "naam": naam, "rollen": set(),
                                             "partner": None, "partner_naam": None})
        entry["rollen"].add(row["rol"])
        link = links.get(row["user"])
        if link:
            entry["partner"], entry["partner_naam"] = link["partner"], link["partner_naam"]
    for entry in out.values():
        entry["rollen"] = sorted(entry["rollen"], reverse=True)  # voorzitter before partner
    return sorted(out.values(), key=lambda e: (Rol.voorzitter.value not in e["rollen"], e["naam"].lower()))


async def detail(user: CurrentUser, overleg_id: int) -> dict:
    overleg = await access.get_overleg(user, overleg_id)
    return {
        "overleg": overleg,
        "partners": await partners(overleg_id),
        "leden": await leden(overleg),
        "is_chair": tenancy.is_chair(user, overleg["gemeente"]),
    }


async def _own_partner(overleg_id: int, partner_id: int | None) -> dict:
    row = None
    if partner_id is not None:
        row = await Partner.select().where((Partner.id == partner_id) & (Partner.overleg == overleg_id)).first()
    if row is None:
        raise not_found()
    return row


async def add_partner(user: CurrentUser, overleg_id: int, data: dict) -> dict:
    await chaired_overleg(user, overleg_id)
    values = check_partner(data)
    if await Partner.exists().where((Partner.overleg == overleg_id) & (Partner.naam == values["naam"])):
        raise FieldErrors({"naam": "Deze partner zit al in het overleg."})
    row = Partner(overleg=overleg_id, **values)
    await row.save()
    return await _own_partner(overleg_id, row.id)


async def update_partner(user: CurrentUser, overleg_id: int, partner_id: int | None, data: dict) -> dict:
    await chaired_overleg(user, overleg_id)
    await _own_partner(overleg_id, partner_id)
    values = check_partner(data)
    clash = await Partner.exists().where((Partner.overleg == overleg_id) & (Partner.naam == values["naam"])
                                         & (Partner.id != partner_id))
    if clash:
        raise FieldErrors({"naam": "Er is al een partner met deze naam."})
    await Partner.update({getattr(Partner, k): v for k, v in values.items()}).where(Partner.id == partner_id)
    return await _own_partner(overleg_id, partner_id)


async def remove_partner(user: CurrentUser, overleg_id: int, partner_id: int | None) -> dict:
    """Remove a partner that has no history yet; one with actions or attendance stays (409), so minutes keep it."""
    await chaired_overleg(user, overleg_id)
    row = await _own_partner(overleg_id, partner_id)
    in_use = (await Actie.exists().where(Actie.partner == partner_id)
              or await Deelnemer.exists().where(Deelnemer.partner == partner_id))
    if in_use:
        raise HTTPException(status_code=409, detail=f"{row['naam']} heeft acties of staat op een aanwezigheidslijst "
                                                    "en kan daarom niet verwijderd worden.")
    await Partner.delete().where(Partner.id == partner_id)
    return row


async def link_lid(user: CurrentUser, overleg_id: int, lid_id: int | None, partner_id: int | None) -> dict:
    """Link a member (role partner or voorzitter in the gemeente) to a partner organisation, or unlink (None)."""
    overleg = await chaired_overleg(user, overleg_id)
    lid = next((entry for entry in await leden(overleg) if entry["user"] == lid_id), None)
    if lid is None:
        raise FieldErrors({"lid": "Kies iemand met de rol partner of voorzitter in deze gemeente."})
    if partner_id is not None:
        await _own_partner(overleg_id, partner_id)
    rol = LidRol.voorzitter.value if Rol.voorzitter.value in lid["rollen"] else LidRol.partner.value
    async with write_transaction():
        existing = await Overleglid.select(Overleglid.id).where(
            (Overleglid.overleg == overleg_id) & (Overleglid.user == lid_id)).first()
        if existing:
            await Overleglid.update({Overleglid.partner: partner_id, Overleglid.rol: rol}).where(
                Overleglid.id == existing["id"])
        else:
            await Overleglid(overleg=overleg_id, user=lid_id, partner=partner_id, rol=rol).save()
    return next(entry for entry in await leden(overleg) if entry["user"] == lid_id)

