"""Tenancy and roles: the one place that decides which gemeenten a user may see, and how.

Every controller and every service query takes its gemeente ids from here.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from admin.sessions import CurrentUser, GemeenteRef
from admin.tables import Rol
from common.ids import not_found

REGISTER_ROLES = frozenset({Rol.jeugdopbouwwerker, Rol.voorzitter, Rol.coordinator})

def current_user(connection: ASGIConnection) -> CurrentUser | None:
    return connection.scope.get("user")


def requires_login(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if current_user(connection) is None:
        raise NotAuthorizedException("Meld je eerst aan.")


def requires_admin(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException("Meld je eerst aan.")
    if not user.admin:
        raise PermissionDeniedException("Dit is alleen voor beheerders.")


def roles_in(user: CurrentUser, gemeente_id: int) -> frozenset[Rol]:
    return user.memberships.get(gemeente_id, frozenset())


def has_role(user: CurrentUser, *roles: Rol) -> bool:
    wanted = set(roles)
    return any(wanted & held for held in user.memberships.values())


def visible_gemeenten(user: CurrentUser) -> list[GemeenteRef]:
    """Gemeenten shown to the user: their own, and for a coördinator every gemeente of the organisation."""
    return sorted(user.gemeenten.values(), key=lambda g: g.naam)


def gemeente_ids_with(user: CurrentUser, roles: frozenset[Rol] | set[Rol]) -> set[int]:
    """Gemeenten where the user holds one of these roles (raw data is only read there)."""
    return {gid for gid, held in user.memberships.items() if held & roles}


def register_gemeente_ids(user: CurrentUser) -> set[int]:
    """Where the user may read the raw register of signals."""
    return gemeente_ids_with(user, REGISTER_ROLES)


def aggregate_gemeente_ids(user: CurrentUser) -> set[int]:
    """Where the user may see counts: their register gemeenten, plus the organisation's for a coördinator."""
    return set(user.gemeenten)


def gemeente_by_slug(user: CurrentUser, slug: str, roles: frozenset[Rol] | None = None) -> GemeenteRef:
    """The visible gemeente with this slug (holding one of `roles` when given), else 404."""
    for gemeente in user.gemeenten.values():
        if gemeente.slug == slug and (roles is None or roles_in(user, gemeente.id) & roles):
            return gemeente
    raise not_found()


def gemeente_by_id(user: CurrentUser, gemeente_id: int, roles: frozenset[Rol] | None = None) -> GemeenteRef:
    gemeente = user.gemeenten.get(gemeente_id)
    if gemeente is None or (roles is not None and not roles_in(user, gemeente_id) & roles):
        raise not_found()
    return gemeente
