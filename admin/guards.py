"""Route guards: a handler that needs a logged-in user says so here. Which gemeenten that user may reach is
decided in admin.tenancy."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from admin.sessions import CurrentUser


def current_user(connection: ASGIConnection) -> CurrentUser | None:
    return connection.scope.get("user")


def requires_login(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if current_user(connection) is None:
        raise NotAuthorizedException("Meld je eerst aan.")
