"""The CSRF token bound to the session.

Litestar's CSRFConfig (app.py) checks a double-submit cookie: the token in the form field ``_csrf_token`` or the
``x-csrf-token`` header must equal the ``sw_csrftoken`` cookie, and both must carry Litestar's HMAC. That alone
accepts *any* token the app ever signed, as long as cookie and field agree: a token taken from one session (or
planted as a cookie) works in every other one.

This middleware binds the token to the session. For every request it derives the one valid token from the session
key — the session cookie of a logged-in user, or, for an anonymous visitor (the login page), a random pre-session
cookie ``sw_presessie`` — as ``HMAC(SIGNAALWERK_SECRET, key)``, written in Litestar's token format, and puts it in
the request as the ``sw_csrftoken`` cookie Litestar reads (for an unsafe request only when the browser sent that
cookie at all: the double submit stays). So Litestar accepts a submitted token only when it is the one of *this*
session; any other answers 403. When the browser's cookie differs (new visitor, after login or
logout) the response sets the bound value, so forms (``csrf_input``) and ``fetch()`` in static/js (which read the
cookie) keep working unchanged. A new session id at login means a new token.

Not here: ``/admin`` (Piccolo Admin checks its own ``csrftoken``, excluded in app.py as well) and ``/static/``.
It runs inside ``admin.middleware.session_middleware``: it needs ``scope["user"]``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie
from typing import cast

from litestar.datastructures.cookie import Cookie
from litestar.middleware.csrf import generate_csrf_hash
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from admin.sessions import SESSION_COOKIE

CSRF_COOKIE = "sw_csrftoken"  # the cookie_name of app.py's CSRFConfig
PRESESSION_COOKIE = "sw_presessie"
_SKIPPED = ("/admin", "/static/")


def session_token(secret: str, key: str) -> str:
    """The one CSRF token of the session with this key, in Litestar's format (64 hex digits and their HMAC)."""
    bound = hmac.new(secret.encode(), b"signaalwerk-csrf:" + key.encode(), hashlib.sha256).hexdigest()
    return bound + generate_csrf_hash(token=bound, secret=secret)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header counts as no cookies
                return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _with_csrf_cookie(scope: Scope, token: str | None) -> list[tuple[bytes, bytes]]:
    """The request headers with every ``sw_csrftoken`` cookie replaced by ``token`` (or removed for None)."""
    pairs: list[str] = []
    headers = []
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            pairs += [p.strip() for p in value.decode("latin-1").split(";")
                      if p.strip() and p.split("=", 1)[0].strip() != CSRF_COOKIE]
        else:
            headers.append((name, value))
    if token is not None:
        pairs.append(f"{CSRF_COOKIE}={token}")
    if pairs:
        headers.append((b"cookie", "; ".join(pairs).encode("latin-1")))
    return headers


def _new_session_cookie(message: Message) -> str | None:
    """The session token a response sets (login), '' when it deletes the session cookie (logout), else None."""
    headers: list[tuple[bytes, bytes]] = message.get("headers") or []  # type: ignore[assignment]
    for name, value in headers:
        if name.lower() != b"set-cookie":
            continue
        text = value.decode("latin-1")
        head, _, attributes = text.partition(";")
        cookie_name, _, cookie_value = head.partition("=")
        if cookie_name.strip() == SESSION_COOKIE:
            deleted = "max-age=0" in attributes.lower().replace(" ", "") or not cookie_value.strip().strip('"')
            return "" if deleted else cookie_value.strip().strip('"')
    return None


def csrf_binding(app: ASGIApp, secret: str, secure: bool) -> ASGIApp:
    def set_cookie(name: str, value: str, httponly: bool) -> tuple[bytes, bytes]:
        cookie = Cookie(key=name, value=value, path="/", secure=secure, httponly=httponly, samesite="lax")
        return b"set-cookie", cookie.to_header(header="").encode("latin-1")

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_SKIPPED):
            await app(scope, receive, send)
            return
        cookies = _cookies(scope)
        safe = cast("HTTPScope", scope)["method"] in ("GET", "HEAD", "OPTIONS")
        presession = cookies.get(PRESESSION_COOKIE, "")
        new_presession = ""
        if scope.get("user") is not None:
            key = "session:" + cookies.get(SESSION_COOKIE, "")
        elif presession:
            key = "presession:" + presession
        elif safe:
            new_presession = presession = secrets.token_urlsafe(32)
            key = "presession:" + presession
        else:
            key = ""  # an unsafe request with neither session nor pre-session: no token is valid
        token = session_token(secret, key) if key else None
        browser_token = cookies.get(CSRF_COOKIE)
        # An unsafe request still needs the cookie too (the double submit stays): without it, no token is valid.
        checked = token if safe or browser_token is not None else None
        scope["headers"] = _with_csrf_cookie(scope, checked)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = []
                if new_presession:
                    extra.append(set_cookie(PRESESSION_COOKIE, new_presession, httponly=True))
                session = _new_session_cookie(message)
                if session is not None:  # login or logout: the token of the session that starts now
                    if session:
                        wanted: str | None = session_token(secret, "session:" + session)
                    else:
                        wanted = session_token(secret, "presession:" + presession) if presession else None
                else:
                    wanted = token
                if wanted and wanted != browser_token:
                    extra.append(set_cookie(CSRF_COOKIE, wanted, httponly=False))
                if extra:
                    message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await app(scope, receive, send_wrapper)

    return middleware
