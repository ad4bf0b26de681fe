"""What of the overleg a user may reach, in terms of admin.tenancy (the one tenancy module):

- voorzitter: manages the overleg, its dossiers, meetings and notas of their gemeente;
- jeugdopbouwwerker and coördinator (member): read dossiers and meetings of their gemeente;
- partner: reads published agendas and the dossiers on them, comments, updates their own actions;
- nobody sees another gemeente's overleg (404).

This module only says what "published to a partner" means for the overleg's tables; which gemeenten is
tenancy's decision.
"""

from __future__ import annotations

from piccolo.custom_types import Combinable

from admin import tenancy
from admin.sessions import CurrentUser
from admin.tenancy import Toegang
from common.ids import not_found
from overleg.tables import Agendapunt, Dossier, Overleg, Overleglid, Vergadering, VergaderingStatus

PUBLISHED = (VergaderingStatus.gepubliceerd.value, VergaderingStatus.gehouden.value)


def _overleg_query():
    return Overleg.select(*Overleg.all_columns(), Overleg.gemeente.slug.as_alias("gemeente_slug"),
                          Overleg.gemeente.naam.as_alias("gemeente_naam")).output(load_json=True)


async def overleggen(user: CurrentUser) -> list[dict]:
    condition = tenancy.where(user, Toegang.MEMBER, Overleg.gemeente)
    if condition is None:
        return []
    return await _overleg_query().where(condition).order_by(Overleg.naam)


async def get_overleg(user: CurrentUser, overleg_id: int) -> dict:
    condition = tenancy.where(user, Toegang.MEMBER, Overleg.gemeente)
    row = None
    if condition is not None:
        row = await _overleg_query().where((Overleg.id == overleg_id) & condition).first()
    if row is None:
        raise not_found()
    return row


def published_dossier_ids_query():
    """Dossiers on an agenda that was published (or held): the only ones a partner may read."""
    return (
        Agendapunt.select(Agendapunt.dossier)
        .where(Agendapunt.dossier.is_not_null() & Agendapunt.vergadering.status.is_in(list(PUBLISHED)))
    )


async def dossier_scope(user: CurrentUser) -> Combinable | None:
    """The condition on Dossier rows this user may read; None when none at all."""
    return tenancy.where(user, Toegang.READ, Dossier.gemeente, partner=Dossier.id.is_in(published_dossier_ids_query()))


async def partner_ids_of(user: CurrentUser) -> set[int]:
    """The partner organisations this user acts for (their own actions)."""
    rows = await Overleglid.select(Overleglid.partner).where(
        (Overleglid.user == user.id) & Overleglid.partner.is_not_null())
    return {row["partner"] for row in rows}


async def vergadering_scope(user: CurrentUser) -> Combinable | None:
    """Meetings the user may read: all of their gemeenten's overleg for register roles; published ones for
    partners."""
    return tenancy.where(user, Toegang.READ, Vergadering.overleg.gemeente,
                         partner=Vergadering.status.is_in(list(PUBLISHED)))
