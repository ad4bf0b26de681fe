"""Who gets the overleg's mails: its members (partners and chairs of its gemeente, with an e-mail address), its
chairs, the people sitting for one partner organisation; and the signature ("afzender") of its mails."""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser

from admin.tables import Lidmaatschap, Rol
from admin.tenancy import in_gemeenten
from berichten.outbox import Recipient
from overleg.tables import Overleg, Overleglid


def _naam(first: str | None, last: str | None, username: str) -> str:
    return " ".join(p for p in (first, last) if p) or username


async def _users(condition, *, roles: tuple[str, ...]) -> list[Recipient]:
    rows = await Lidmaatschap.select(
        Lidmaatschap.user, Lidmaatschap.user.email, Lidmaatschap.user.first_name, Lidmaatschap.user.last_name,
        Lidmaatschap.user.username, Lidmaatschap.user.active,
    ).where(condition & Lidmaatschap.rol.is_in(list(roles))).order_by(Lidmaatschap.user)
    out: dict[int, Recipient] = {}
    for row in rows:
        if row["user.active"] and row["user.email"] and row["user"] not in out:
            out[row["user"]] = Recipient(row["user.email"], _naam(row["user.first_name"], row["user.last_name"],
                                                                  row["user.username"]), row["user"])
    return list(out.values())


async def overleg_of(overleg_id: int) -> dict:
    row = await Overleg.select(Overleg.id, Overleg.naam, Overleg.gemeente,
                               Overleg.gemeente.naam.as_alias("gemeente_naam")).where(Overleg.id == overleg_id).first()
    if row is None:
        raise LookupError(f"no overleg {overleg_id}")
    return row


async def overleg_of_gemeente(gemeente_id: int) -> dict | None:
    return await Overleg.select(Overleg.id, Overleg.naam, Overleg.gemeente).where(
        in_gemeenten(Overleg.gemeente, gemeente_id)).first()


async def afzender(gemeente_id: int) -> str:
    """The signature of a mail about this gemeente's overleg: the overleg's name, else "Signaalwerk"."""
    row = await overleg_of_gemeente(gemeente_id)
    return row["naam"] if row else "Signaalwerk"


async def members(gemeente_id: int) -> list[Recipient]:
    """Every partner and chair of the overleg's gemeente with an address (the agenda, the minutes, …)."""
    return await _users(in_gemeenten(Lidmaatschap.gemeente, gemeente_id),
                        roles=(Rol.partner.value, Rol.voorzitter.value))


async def chairs(gemeente_id: int) -> list[Recipient]:
    return await _users(in_gemeenten(Lidmaatschap.gemeente, gemeente_id), roles=(Rol.voorzitter.value,))


async def for_partner(partner_id: int | None) -> list[Recipient]:
    """The people who sit in the overleg for this partner organisation (the owners of its actions)."""
    if partner_id is None:
        return []
    rows = await Overleglid.select(Overleglid.user, Overleglid.user.email, Overleglid.user.first_name,
                                   Overleglid.user.last_name, Overleglid.user.username, Overleglid.user.active).where(
        Overleglid.partner == partner_id).order_by(Overleglid.user)
    return [Recipient(r["user.email"], _naam(r["user.first_name"], r["user.last_name"], r["user.username"]),
                      r["user"]) for r in rows if r["user.active"] and r["user.email"]]


async def user(user_id: int) -> Recipient | None:
    row = await BaseUser.select(BaseUser.email, BaseUser.first_name, BaseUser.last_name, BaseUser.username,
                                BaseUser.active).where(BaseUser.id == user_id).first()
    if not row or not row["active"] or not row["email"]:
        return None
    return Recipient(row["email"], _naam(row["first_name"], row["last_name"], row["username"]), user_id)
