"""Security headers on every response, the admin's included."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

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
    if not (path.startswith("/static/") or path.startswith("/admin/assets/")):
        headers["Cache-Control"] = "no-store"
