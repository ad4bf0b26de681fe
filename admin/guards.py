"""Route guards: a handler that needs a logged-in user says so here. Which gemeenten that user may reach is
decided in admin.tenancy."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from admin.sessions import CurrentUser


def current_user(connection: ASGIConnection) -> CurrentUser | None:
    return connection.scope.get("user")


def requires_login(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if current_user(connection) is None:
        raise NotAuthorizedException("Meld je eerst aan.")


def requires_admin(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """The beheer pages: anonymous visitors to the login (401), everyone but a beheerder 403."""
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException("Meld je eerst aan.")
    if not user.admin:
        raise PermissionDeniedException("Het beheer is alleen voor beheerders.")
