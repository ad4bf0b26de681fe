"""Who is invited to a meeting and who came: per partner organisation and per person (a member of the overleg,
with or without an organisation). A recorded answer can be corrected; every change keeps its history (who, when,
from, to). Plain async functions, no HTTP; tenancy and rights through services.chair_vergadering."""

from __future__ import annotations

from admin.sessions import CurrentUser
from common import dates
from common.db import write_transaction
from common.errors import FieldErrors
from common.ids import not_found
from overleg.overleggen.services import leden
from overleg.tables import Aanwezigheid, AanwezigheidHistoriek, Deelnemer
from overleg.vergaderingen import services as V


def deelnemer_naam(row: dict) -> str:
    """A person's name, with their organisation in brackets; an organisation alone by its name."""
    person = " ".join(p for p in (row.get("voornaam"), row.get("achternaam")) if p) or row.get("username") or ""
    label = row.get("naam") or person
    partner = row.get("partner_naam")
    if label and partner:
        return f"{label} ({partner})"
    return label or partner or "Onbekend"


def _columns():
    return [*Deelnemer.all_columns(), Deelnemer.partner.naam.as_alias("partner_naam"),
            Deelnemer.partner.soort.as_alias("partner_soort"), Deelnemer.user.first_name.as_alias("voornaam"),
            Deelnemer.user.last_name.as_alias("achternaam"), Deelnemer.user.username.as_alias("username")]


async def list_deelnemers(vergadering_id: int) -> list[dict]:
    """Invited organisations and persons with their attendance, by name; call after get_vergadering (no tenancy
    here). Each row has `naam` (the name to show), `soort` ("persoon" or "organisatie") and its history."""
    rows = await Deelnemer.select(*_columns()).where(Deelnemer.vergadering == vergadering_id).order_by(Deelnemer.id)
    history = await historiek([row["id"] for row in rows])
    for row in rows:
        row["naam"] = deelnemer_naam(row)
        row["soort"] = "persoon" if row["user"] else "organisatie"
        row["aanwezigheid_label"] = Aanwezigheid.label_for(row["aanwezigheid"])
        row["historiek"] = history.get(row["id"], [])
    return sorted(rows, key=lambda r: (r["soort"] != "organisatie", r["naam"].lower()))


async def historiek(deelnemer_ids: list[int]) -> dict[int, list[dict]]:
    """Every change of these answers, oldest first, with the name of who made it."""
    rows = await AanwezigheidHistoriek.select(
        *AanwezigheidHistoriek.all_columns(), AanwezigheidHistoriek.gebruiker.first_name.as_alias("voornaam"),
        AanwezigheidHistoriek.gebruiker.last_name.as_alias("achternaam"),
        AanwezigheidHistoriek.gebruiker.username.as_alias("username"),
    ).where(AanwezigheidHistoriek.deelnemer.is_in(deelnemer_ids or [0])).order_by(
        AanwezigheidHistoriek.tijdstip, AanwezigheidHistoriek.id)
    per: dict[int, list[dict]] = {}
    for row in rows:
        row["door"] = " ".join(p for p in (row["voornaam"], row["achternaam"]) if p) or row["username"] or "Onbekend"
        row["van_label"], row["naar_label"] = Aanwezigheid.label_for(row["van"]), Aanwezigheid.label_for(row["naar"])
        per.setdefault(row["deelnemer"], []).append(row)
    return per


async def personen_of(vergadering: dict) -> list[dict]:
    """The members of the meeting's overleg who can be invited in person: {user, naam, partner, partner_naam}."""
    return await leden({"id": vergadering["overleg"], "gemeente": vergadering["gemeente"]})


async def set_uitgenodigden(user: CurrentUser, vergadering_id: int, partner_ids: list[int],
                            persoon_ids: list[int] | None = None) -> None:
    """Invite exactly these organisations (and, when given, these persons: user ids of members of the overleg);
    the attendance (and its history) of whoever stays invited is kept."""
    vergadering = await V.chair_vergadering(user, vergadering_id)
    known = {p["id"] for p in await V.partners_of(vergadering["overleg"])}
    if not set(partner_ids) <= known:
        raise FieldErrors({"partners": "Kies alleen partners van dit overleg."})
    members = {m["user"]: m for m in await personen_of(vergadering)}
    if persoon_ids is not None and not set(persoon_ids) <= set(members):
        raise FieldErrors({"personen": "Kies alleen leden van dit overleg."})
    async with write_transaction():
        await _sync(vergadering_id, Deelnemer.partner, set(partner_ids),
                    lambda pid: Deelnemer(vergadering=vergadering_id, partner=pid))
        if persoon_ids is not None:
            await _sync(vergadering_id, Deelnemer.user, set(persoon_ids),
                        lambda uid: Deelnemer(vergadering=vergadering_id, user=uid,
                                              partner=members[uid]["partner"]))


async def _sync(vergadering_id: int, column, wanted: set[int], make) -> None:
    """Rows keyed by `column` (an organisation: no person; a person: their user) become exactly `wanted`."""
    kind = Deelnemer.user.is_null() if column is Deelnemer.partner else Deelnemer.user.is_not_null()
    rows = await Deelnemer.select(Deelnemer.id, column).where((Deelnemer.vergadering == vergadering_id) & kind)
    key = column._meta.name
    present = {row[key] for row in rows}
    gone = [row["id"] for row in rows if row[key] not in wanted]
    if gone:
        await Deelnemer.delete().where(Deelnemer.id.is_in(gone))
    new = sorted(wanted - present)
    if new:
        await Deelnemer.insert(*[make(i) for i in new])


async def set_aanwezigheid(user: CurrentUser, vergadering_id: int, keuzes: dict[int, str]) -> int:
    """Attendance per deelnemer id: aanwezig, verontschuldigd, afwezig (or back to uitgenodigd). Also after the
    meeting: a correction is stored with its history. Returns how many answers changed."""
    await V.chair_vergadering(user, vergadering_id, open_only=False)
    if any(value not in Aanwezigheid.values() for value in keuzes.values()):
        raise FieldErrors({"aanwezigheid": "Kies aanwezig, verontschuldigd of afwezig."})
    current = {row["id"]: row["aanwezigheid"] for row in await Deelnemer.select(
        Deelnemer.id, Deelnemer.aanwezigheid).where(Deelnemer.vergadering == vergadering_id)}
    if not set(keuzes) <= set(current):
        raise not_found()
    changed = {i: value for i, value in keuzes.items() if current[i] != value}
    if not changed:
        return 0
    now = dates.now()
    async with write_transaction():
        for deelnemer_id, value in changed.items():
            await Deelnemer.update({Deelnemer.aanwezigheid: value}).where(Deelnemer.id == deelnemer_id)
        await AanwezigheidHistoriek.insert(*[
            AanwezigheidHistoriek(deelnemer=i, tijdstip=now, gebruiker=user.id, van=current[i], naar=value)
            for i, value in sorted(changed.items())])
    return len(changed)
