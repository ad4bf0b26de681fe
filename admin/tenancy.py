"""Tenancy: the one place that decides which gemeenten a user may reach, for what, and that turns it into a
query condition.

A gemeente is the unit of tenancy: every signal, overleg, dossier, meeting, action and nota belongs to exactly
one, reached through its path to the gemeente column (``Signaal.gemeente``, ``Dossier.gemeente``,
``Vergadering.overleg.gemeente``, ``Agendapunt.vergadering.overleg.gemeente`` …). This module knows roles and
gemeenten only, never the domain tables, so it sits below them; the domains hand it that path:

    condition = tenancy.where(user, Toegang.REGISTER, Signaal.gemeente)
    rows = [] if condition is None else await Signaal.select().where(condition & …)

For partners, who read only what was published to them, the domain adds what "published" means for its table
(``partner=Dossier.id.is_in(published_dossiers)``). A gemeente the caller already resolved (the gemeente of a
row the user may see) is narrowed with ``in_gemeenten(column, ids)``: no module but this one compares a
gemeente column itself (tests/admin/test_tenancy_module.py checks the source).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from piccolo.columns import Column
from piccolo.custom_types import Combinable

from admin.sessions import CurrentUser, GemeenteRef
from admin.tables import Rol
from common.ids import not_found


class Toegang(enum.Enum):
    """What the user wants to do in a gemeente; each names the roles that may."""

    REGISTER = "register"  # the raw register of signals
    MEMBER = "member"  # sits in or works for the gemeente's overleg (any role)
    CHAIR = "chair"  # runs the overleg: dossiers, meetings, notas
    PARTNER = "partner"  # a partner organisation's person: only what was published to them
    COORDINATOR = "coordinator"  # the supporting organisation's coördinator, where a member
    AGGREGATE = "aggregate"  # counts only: register gemeenten, and the organisation's for a coördinator
    READ = "read"  # register roles everything of the overleg; partners what was published (see `where`)


REGISTER_ROLES = frozenset({Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.coordinator})
MEMBER_ROLES = frozenset({Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.partner, Rol.coordinator})
_ROLES = {
    Toegang.REGISTER: REGISTER_ROLES,
    Toegang.MEMBER: MEMBER_ROLES,
    Toegang.CHAIR: frozenset({Rol.voorzitter}),
    Toegang.PARTNER: frozenset({Rol.partner}),
    Toegang.COORDINATOR: frozenset({Rol.coordinator}),
}


def roles_in(user: CurrentUser, gemeente_id: int) -> frozenset[Rol]:
    return user.memberships.get(gemeente_id, frozenset())


def has_role(user: CurrentUser, *roles: Rol) -> bool:
    wanted = set(roles)
    return any(wanted & held for held in user.memberships.values())


def gemeente_ids_with(user: CurrentUser, roles: Iterable[Rol]) -> set[int]:
    """Gemeenten where the user holds one of these roles."""
    wanted = frozenset(roles)
    return {gid for gid, held in user.memberships.items() if held & wanted}


def gemeente_ids(user: CurrentUser, toegang: Toegang) -> set[int]:
    """The gemeenten where the user may do this."""
    if toegang is Toegang.AGGREGATE:
        return set(user.gemeenten)
    if toegang is Toegang.READ:
        return gemeente_ids_with(user, MEMBER_ROLES)
    return gemeente_ids_with(user, _ROLES[toegang])


def register_gemeente_ids(user: CurrentUser) -> set[int]:
    """Where the user may read the raw register of signals."""
    return gemeente_ids(user, Toegang.REGISTER)


def aggregate_gemeente_ids(user: CurrentUser) -> set[int]:
    """Where the user may see counts: their register gemeenten, plus the organisation's for a coördinator."""
    return gemeente_ids(user, Toegang.AGGREGATE)


def member_gemeente_ids(user: CurrentUser) -> set[int]:
    """Gemeenten whose overleg the user sits in or works for (any role held there)."""
    return gemeente_ids(user, Toegang.MEMBER)


def chair_gemeente_ids(user: CurrentUser) -> set[int]:
    return gemeente_ids(user, Toegang.CHAIR)


def is_chair(user: CurrentUser, gemeente_id: int) -> bool:
    return Rol.voorzitter in roles_in(user, gemeente_id)


def require_chair(user: CurrentUser, gemeente_id: int) -> None:
    """Only the chair changes the overleg; others who can see it get 403, strangers 404."""
    from litestar.exceptions import PermissionDeniedException

    if gemeente_id not in member_gemeente_ids(user):
        raise not_found()
    if not is_chair(user, gemeente_id):
        raise PermissionDeniedException("Dit kan alleen de voorzitter van het overleg.")


def visible_gemeenten(user: CurrentUser) -> list[GemeenteRef]:
    """Gemeenten shown to the user: their own, and for a coördinator every gemeente of the organisation."""
    return sorted(user.gemeenten.values(), key=lambda g: g.naam)


def gemeente_by_slug(user: CurrentUser, slug: str, roles: frozenset[Rol] | None = None) -> GemeenteRef:
    """The visible gemeente with this slug (holding one of `roles` when given), else 404."""
    for gemeente in user.gemeenten.values():
        if gemeente.slug == slug and (roles is None or roles_in(user, gemeente.id) & roles):
            return gemeente
    raise not_found()


def in_gemeenten(gemeente: Column, ids: int | Iterable[int]) -> Combinable:
    """The condition "this row's gemeente is one of `ids`", on the query's path to its gemeente column. The ids
    must come from this module or from a row the user was already allowed to read."""
    wanted = [ids] if isinstance(ids, int) else sorted(set(ids))
    return gemeente.is_in(wanted or [0])  # no gemeente: a condition no row meets (ids start at 1)


def where(user: CurrentUser, toegang: Toegang, gemeente: Column, *,
          partner: Combinable | None = None) -> Combinable | None:
    """The condition on rows this user may reach for `toegang`, given the query's path to its gemeente;
    None when they may reach none (callers answer an empty list or 404 without querying).

    With Toegang.READ, register roles read everything of their gemeenten, and where the user is only a
    partner the rows must also meet `partner` (what the domain publishes to partners); without `partner`
    partners read nothing.
    """
    if toegang is not Toegang.READ:
        ids = gemeente_ids(user, toegang)
        return in_gemeenten(gemeente, ids) if ids else None
    readers = register_gemeente_ids(user)
    partner_only = gemeente_ids_with(user, {Rol.partner}) - readers
    condition: Combinable | None = in_gemeenten(gemeente, readers) if readers else None
    if partner_only and partner is not None:
        part = in_gemeenten(gemeente, partner_only) & partner
        condition = part if condition is None else condition | part
    return condition
