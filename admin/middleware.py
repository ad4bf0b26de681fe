"""Puts the logged-in user (or None) in the ASGI scope for every request."""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie

from litestar.types import ASGIApp, Receive, Scope, Send

from admin.sessions import SESSION_COOKIE, resolve

logger = logging.getLogger("signaalwerk.sessions")


def _token(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is an anonymous visitor
                return ""
            morsel = cookie.get(SESSION_COOKIE)
            return morsel.value if morsel else ""
    return ""


def session_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/static/"):
            token = _token(scope)
            try:
                scope["user"] = await resolve(token) if token else None
            except Exception:  # noqa: BLE001 - no database: an anonymous visitor; /health reports the outage
                logger.exception("session lookup failed")
                scope["user"] = None
        await app(scope, receive, send)

    return middleware
