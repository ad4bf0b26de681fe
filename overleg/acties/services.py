"""Actions (Actie): what partners take on toward young people, with an owner, a deadline, a status and a lens.

Services only. Everyone who sits in (or works for) a gemeente's overleg reads its actions; the chair creates
them and updates all of them; a partner updates the status of the actions of their own organisation (the partner
they are linked to through Overleglid). Foreign ids answer 404, a partner touching someone else's action 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.exceptions import PermissionDeniedException

from admin import tenancy
from admin.sessions import CurrentUser
from admin.tenancy import in_gemeenten
from common import dates
from common.dates import today
from common.db import write_transaction
from common.errors import Conflict, FieldErrors
from common.ids import as_id, not_found
from overleg import access, guard
from overleg.acties import berichten as actie_berichten
from overleg.tables import Actie, ActieHistoriek, ActieStatus, Agendapunt, Dossier, Lens, Partner
from signalen.validation import clean_text

OPEN = (ActieStatus.open.value, ActieStatus.bezig.value)
MAX_WAT = 2000
MAX_NOTITIE = 500
EARLIEST = dt.date(2000, 1, 1)


def _deadline(raw: Any, errors: dict[str, str]) -> dt.date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = None
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, str) and len(raw.strip()) == 10:
        try:
            value = dt.date.fromisoformat(raw.strip())
        except ValueError:
            value = None
    if value is None:
        errors["deadline"] = "Geef een geldige datum (jjjj-mm-dd)."
        return None
    if not EARLIEST <= value <= today() + dt.timedelta(days=3660):
        errors["deadline"] = "Geef een deadline tussen 2000 en de komende tien jaar."
        return None
    return value


def _columns() -> list:
    return [
        *Actie.all_columns(),
        Actie.partner.naam.as_alias("partner_naam"),
        Actie.dossier.titel.as_alias("dossier_titel"),
        Actie.overleg.naam.as_alias("overleg_naam"),
        Actie.overleg.gemeente.as_alias("gemeente_id"),
        Actie.overleg._.gemeente.naam.as_alias("gemeente_naam"),
        Actie.agendapunt.titel.as_alias("agendapunt_titel"),
        Actie.agendapunt.vergadering.as_alias("vergadering_id"),
        Actie.agendapunt._.vergadering.datum.as_alias("vergadering_datum"),
    ]


def _decorate(row: dict, user: CurrentUser, own_partners: set[int], visible_dossiers: set[int] | None) -> dict:
    row["status_label"] = ActieStatus.label_for(row["status"])
    row["lens_label"] = Lens.label_for(row["lens"])
    row["achterstallig"] = bool(row["deadline"] and row["deadline"] < today() and row["status"] in OPEN)
    row["mag_wijzigen"] = tenancy.is_chair(user, row["gemeente_id"]) or (
        row["partner"] is not None and row["partner"] in own_partners)
    if visible_dossiers is not None and row["dossier"] not in visible_dossiers:
        row["dossier_titel"] = None  # a dossier this reader may not open: no title
    return row


async def _visible_dossiers(user: CurrentUser, rows: list[dict]) -> set[int] | None:
    """None when every dossier of these rows may be read; otherwise the ids that may."""
    ids = sorted({row["dossier"] for row in rows if row["dossier"] is not None})
    if not ids:
        return None
    scope = await access.dossier_scope(user)
    if scope is None:
        return set()
    return {row["id"] for row in await Dossier.select(Dossier.id).where(scope & Dossier.id.is_in(ids))}


async def _get(user: CurrentUser, actie_id: int | None) -> dict:
    gemeenten = sorted(tenancy.member_gemeente_ids(user))
    row = None
    if actie_id is not None and gemeenten:
        row = await Actie.select(*_columns()).where(
            (Actie.id == actie_id) & in_gemeenten(Actie.overleg.gemeente, gemeenten)).first()
    if row is None:
        raise not_found()
    return _decorate(row, user, await access.partner_ids_of(user), await _visible_dossiers(user, [row]))


async def get_actie(user: CurrentUser, actie_id: int | None) -> dict:
    return await _get(user, actie_id)


async def create_actie(user, *, overleg_id: int, agendapunt_id: object, dossier_id: object, wat: object,
                       partner_id: object, deadline: object, lens: object, bevestig: object = False) -> dict:
    """Create an action in an overleg (chair only). Bad input → FieldErrors (422) with Dutch messages. Partners
    read the text: personal data nobody confirmed → 422 (`persoonsgegevens`) unless `bevestig` is True."""
    overleg = await access.get_overleg(user, as_id(overleg_id) or 0)
    tenancy.require_chair(user, overleg["gemeente"])
    errors: dict[str, str] = {}
    text = clean_text(wat).strip() if isinstance(wat, str) else ""
    if not text:
        errors["wat"] = "Beschrijf wat er moet gebeuren."
    elif len(text) > MAX_WAT:
        errors["wat"] = f"Hou het bij hoogstens {MAX_WAT} tekens."
    partner = as_id(partner_id)
    if partner_id not in (None, "") and (partner is None or not await Partner.exists().where(
            (Partner.id == partner) & (Partner.overleg == overleg["id"]))):
        errors["partner"] = "Kies een partner van dit overleg."
    punt = as_id(agendapunt_id)
    punt_row = None
    if agendapunt_id not in (None, ""):
        if punt is not None:
            punt_row = await Agendapunt.select(Agendapunt.id, Agendapunt.dossier).where(
                (Agendapunt.id == punt) & (Agendapunt.vergadering.overleg == overleg["id"])).first()
        if punt_row is None:
            errors["agendapunt"] = "Dit agendapunt hoort niet bij dit overleg."
    dossier = as_id(dossier_id)
    if dossier_id not in (None, ""):
        if dossier is None or not await Dossier.exists().where(
                (Dossier.id == dossier) & in_gemeenten(Dossier.gemeente, overleg["gemeente"])):
            errors["dossier"] = "Kies een dossier van deze gemeente."
    elif punt_row is not None:
        dossier = punt_row["dossier"]
    when = _deadline(deadline, errors)
    if lens not in Lens.values():
        errors["lens"] = "Kies een lens: preventie, versterking of bijschakelen."
    if errors:
        raise FieldErrors(errors)
    found = guard.check({"wat": text}, user.id, bevestig, what="Deze actie")
    row = Actie(overleg=overleg["id"], agendapunt=punt, dossier=dossier, wat=text, partner=partner, deadline=when,
                status=ActieStatus.open.value, lens=lens, aangemaakt_op=dates.now(), versie=1,
                persoonsgegevens=guard.dumps(found))
    async with write_transaction():
        await row.save()
        await actie_berichten.toegewezen(row.id, actor_id=user.id)
    return await _get(user, row.id)


async def update_actie_status(user: CurrentUser, actie_id: int, status: object, versie: object,
                              notitie: object = "", bevestig: object = False) -> dict:
    """The chair updates every action of the gemeente; a partner only those of their own organisation (403).
    `notitie`: a short progress note kept with the change in the action's history (ActieHistoriek); everyone in
    the overleg reads it, so it passes the privacy guard (422 with `persoonsgegevens` unless `bevestig`)."""
    current = await _get(user, as_id(actie_id))
    if not current["mag_wijzigen"]:
        raise PermissionDeniedException("Je kan alleen de acties van je eigen organisatie bijwerken.")
    if status not in ActieStatus.values():
        raise FieldErrors({"status": "Kies een status: open, bezig, klaar of geannuleerd."})
    if notitie is not None and not isinstance(notitie, str):
        raise FieldErrors({"notitie": "Geef de notitie als tekst."})
    note = clean_text(notitie).strip() if notitie else ""
    if len(note) > MAX_NOTITIE:
        raise FieldErrors({"notitie": f"Hou de notitie kort: hoogstens {MAX_NOTITIE} tekens."})
    found = guard.check({"notitie": note}, user.id, bevestig, what="Deze voortgangsnotitie") if note else []
    expected = None
    if versie not in (None, ""):
        expected = as_id(versie)
        if expected is None:
            raise FieldErrors({"versie": "Ongeldige versie."})
    async with write_transaction():
        stored = await Actie.select(Actie.versie, Actie.status).where(Actie.id == current["id"]).first()
        if stored is None:
            raise not_found()
        if expected is not None and stored["versie"] != expected:
            raise Conflict("Deze actie is intussen door iemand anders gewijzigd.", {**current, **stored})
        if stored["status"] != status or note:
            await Actie.update({Actie.status: status, Actie.versie: stored["versie"] + 1}).where(
                Actie.id == current["id"])
            await ActieHistoriek(actie=current["id"], tijdstip=dates.now(), gebruiker=user.id, van=stored["status"],
                                 naar=status, notitie=note, persoonsgegevens=guard.dumps(found)).save()
    return await _get(user, current["id"])


async def history(actie_ids: list[int]) -> dict[int, list[dict]]:
    """Per action its status changes and progress notes, oldest first (call after reading the actions)."""
    if not actie_ids:
        return {}
    rows = await ActieHistoriek.select(
        ActieHistoriek.actie, ActieHistoriek.tijdstip, ActieHistoriek.van, ActieHistoriek.naar,
        ActieHistoriek.notitie, ActieHistoriek.gebruiker.first_name.as_alias("voornaam"),
        ActieHistoriek.gebruiker.last_name.as_alias("achternaam"),
    ).where(ActieHistoriek.actie.is_in(actie_ids)).order_by(ActieHistoriek.tijdstip).order_by(ActieHistoriek.id)
    out: dict[int, list[dict]] = {}
    for row in rows:
        row["van_label"], row["naar_label"] = ActieStatus.label_for(row["van"]), ActieStatus.label_for(row["naar"])
        row["door"] = " ".join(p for p in (row.pop("voornaam"), row.pop("achternaam")) if p)
        out.setdefault(row.pop("actie"), []).append(row)
    return out


async def list_acties(user: CurrentUser, *, overleg_id: int | None = None, partner_id: int | None = None,
                      dossier_id: int | None = None, open_only: bool = False, own_only: bool = False) -> list[dict]:
    """The actions of the user's gemeenten, earliest deadline first (none last). A foreign overleg → 404.
    `own_only`: only those of the user's own partner organisations ("Mijn acties")."""
    gemeenten = sorted(tenancy.member_gemeente_ids(user))
    if overleg_id is not None:
        await access.get_overleg(user, overleg_id)
    if not gemeenten:
        return []
    where = in_gemeenten(Actie.overleg.gemeente, gemeenten)
    if overleg_id is not None:
        where &= Actie.overleg == overleg_id
    if partner_id is not None:
        where &= Actie.partner == partner_id
    if dossier_id is not None:
        where &= Actie.dossier == dossier_id
    if open_only:
        where &= Actie.status.is_in(list(OPEN))
    own = await access.partner_ids_of(user)
    if own_only:
        where &= Actie.partner.is_in(sorted(own) or [0])
    rows = await Actie.select(*_columns()).where(where)
    visible = await _visible_dossiers(user, rows)
    rows = [_decorate(row, user, own, visible) for row in rows]
    return sorted(rows, key=lambda r: (r["deadline"] is None, r["deadline"] or dt.date.max, r["id"]))


def group(rows: list[dict], by: str) -> list[dict]:
    """Rows grouped per partner or per dossier, named groups first (alphabetically), then the rest."""
    key, name, rest = (("partner", "partner_naam", "Zonder partner") if by == "partner"
                       else ("dossier", "dossier_titel", "Zonder (zichtbaar) dossier"))
    groups: dict[Any, dict] = {}
    for row in rows:
        label = row[name] if row[key] is not None and row[name] else None
        entry = groups.setdefault(label, {"naam": label or rest, "id": row[key] if label else None, "acties": []})
        entry["acties"].append(row)
    named = sorted((g for k, g in groups.items() if k is not None), key=lambda g: g["naam"].lower())
    return named + ([groups[None]] if None in groups else [])
