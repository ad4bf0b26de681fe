"""Security headers on every response, the admin's included; in production also HSTS, `Secure` on every cookie
(the admin's `csrftoken` too: Piccolo Admin sets it without) and the API schema and admin meta behind a login."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from litestar.datastructures import MutableScopeHeaders
from litestar.response.base import ASGIResponse
from litestar.types import ASGIApp, Message, Receive, Scope, Send

APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# The admin's single-page app sets inline style attributes; it still runs no inline script.
ADMIN_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


async def add_security_headers(message: Message, scope: Scope) -> None:
    """before_send hook: runs for every response of the app, unmatched paths and the admin mount included."""
    if message["type"] != "http.response.start":
        return
    # raw_path: inside the /admin mount, scope["path"] is relative to the mount.
    path = scope.get("raw_path", b"").decode("latin-1").split("?")[0] or scope.get("path", "")
    headers = MutableScopeHeaders.from_message(message)
    headers["Content-Security-Policy"] = ADMIN_CSP if path.startswith("/admin") else APP_CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if not (path.startswith("/static/") or path.startswith("/admin/assets/") or path == "/sw.js"):
        headers["Cache-Control"] = "no-store"  # /sw.js says no-cache itself (web/offline.py)


HSTS = "max-age=63072000; includeSubDomains"  # two years


def _secure_cookies(headers: MutableScopeHeaders) -> None:
    """Add `Secure` to every Set-Cookie that lacks it (Piccolo Admin's csrftoken has no option for it)."""
    for index, (name, value) in enumerate(headers.headers):
        if name.lower() == b"set-cookie":
            attributes = [part.strip().lower() for part in value.split(b";")[1:]]
            if b"secure" not in attributes:
                headers.headers[index] = (name, value + b"; Secure")


def security_headers(production: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """The before_send hook: the headers above, and in production HSTS and Secure cookies."""

    async def hook(message: Message, scope: Scope) -> None:
        await add_security_headers(message, scope)
        if production and message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            _secure_cookies(headers)
            headers["Strict-Transport-Security"] = HSTS

    return hook


# In production only a logged-in user reads what describes the app itself: the OpenAPI schema and Swagger pages,
# and the admin's meta endpoint (which tells the piccolo_admin version).
LOGIN_ONLY_PREFIXES = ("/schema",)
LOGIN_ONLY_PATHS = ("/admin/public/meta", "/admin/public/meta/")


def login_only(app: ASGIApp, production: bool) -> ASGIApp:
    """ASGI wrapper, inside the session middleware (it reads scope["user"]): anonymous visitors go to the login."""
    if not production:
        return app

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("user") is None and (path in LOGIN_ONLY_PATHS or path == "/schema"
                                          or path.startswith(tuple(p + "/" for p in LOGIN_ONLY_PREFIXES))):
            response = ASGIResponse(status_code=303, headers={
                "location": f"/login/?next={quote(path)}", "cache-control": "no-store",
                "strict-transport-security": HSTS})
            await response(scope, receive, send)
            return
        await app(scope, receive, send)

    return middleware
