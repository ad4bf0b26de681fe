"""Who may see and do what in the overleg: built on admin.guards, the one tenancy layer.

- voorzitter: manages the overleg, its dossiers, meetings and notas of their gemeente;
- jeugdopbouwwerker and coördinator (member): read dossiers and meetings of their gemeente;
- partner: reads published agendas and the dossiers on them, comments, updates their own actions;
- nobody sees another gemeente's overleg (404).
"""

from __future__ import annotations

from piccolo.custom_types import Combinable

from admin.guards import gemeente_ids_with, register_gemeente_ids, roles_in
from admin.sessions import CurrentUser
from admin.tables import Rol
from common.ids import not_found
from overleg.tables import Agendapunt, Dossier, Overleg, Overleglid, Vergadering, VergaderingStatus

MEMBER_ROLES = frozenset({Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.partner, Rol.coordinator})
PUBLISHED = (VergaderingStatus.gepubliceerd.value, VergaderingStatus.gehouden.value)


def member_gemeente_ids(user: CurrentUser) -> set[int]:
    """Gemeenten whose overleg the user sits in or works for (any role held there)."""
    return gemeente_ids_with(user, MEMBER_ROLES)


def chair_gemeente_ids(user: CurrentUser) -> set[int]:
    return gemeente_ids_with(user, {Rol.voorzitter})


def is_chair(user: CurrentUser, gemeente_id: int) -> bool:
    return Rol.voorzitter in roles_in(user, gemeente_id)


def require_chair(user: CurrentUser, gemeente_id: int) -> None:
    """Only the chair changes the overleg; others who can see it get 403, strangers 404."""
    from litestar.exceptions import PermissionDeniedException

    if gemeente_id not in member_gemeente_ids(user):
        raise not_found()
    if not is_chair(user, gemeente_id):
        raise PermissionDeniedException("Dit kan alleen de voorzitter van het overleg.")


async def overleggen(user: CurrentUser) -> list[dict]:
    ids = sorted(member_gemeente_ids(user))
    if not ids:
        return []
    return await (
        Overleg.select(*Overleg.all_columns(), Overleg.gemeente.slug.as_alias("gemeente_slug"),
                       Overleg.gemeente.naam.as_alias("gemeente_naam"))
        .where(Overleg.gemeente.is_in(ids))
        .order_by(Overleg.naam)
        .output(load_json=True)
    )


async def get_overleg(user: CurrentUser, overleg_id: int) -> dict:
    ids = sorted(member_gemeente_ids(user))
    row = None
    if ids:
        row = await (
            Overleg.select(*Overleg.all_columns(), Overleg.gemeente.slug.as_alias("gemeente_slug"),
                           Overleg.gemeente.naam.as_alias("gemeente_naam"))
            .where((Overleg.id == overleg_id) & Overleg.gemeente.is_in(ids))
            .first()
            .output(load_json=True)
        )
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
    readers = register_gemeente_ids(user)
    partner_only = gemeente_ids_with(user, {Rol.partner}) - readers
    condition: Combinable | None = None
    if readers:
        condition = Dossier.gemeente.is_in(sorted(readers))
    if partner_only:
        partner_part = Dossier.gemeente.is_in(sorted(partner_only)) & Dossier.id.is_in(published_dossier_ids_query())
        condition = partner_part if condition is None else condition | partner_part
    return condition


async def partner_ids_of(user: CurrentUser) -> set[int]:
    """The partner organisations this user acts for (their own actions)."""
    rows = await Overleglid.select(Overleglid.partner).where(
        (Overleglid.user == user.id) & Overleglid.partner.is_not_null())
    return {row["partner"] for row in rows}


async def vergadering_scope(user: CurrentUser) -> Combinable | None:
    """Meetings the user may read: all of their gemeenten's overleg for register roles; published ones for
    partners."""
    readers = register_gemeente_ids(user)
    partner_only = gemeente_ids_with(user, {Rol.partner}) - readers
    condition: Combinable | None = None
    if readers:
        condition = Vergadering.overleg.gemeente.is_in(sorted(readers))
    if partner_only:
        part = Vergadering.overleg.gemeente.is_in(sorted(partner_only)) & Vergadering.status.is_in(list(PUBLISHED))
        condition = part if condition is None else condition | part
    return condition
