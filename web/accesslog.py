"""The app's own access log (logger `signaalwerk.access`): method, path, status and duration — never a query
string (search terms) and never a secret path segment (the calendar token). `make run` turns uvicorn's access log
off (`--no-access-log`): it logs the full URL."""

from __future__ import annotations

import logging
import re
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("signaalwerk.access")

# Capability URLs: the path itself is the secret (overleg/vergaderingen/kalender.py).
SECRET_PATHS = [
    (re.compile(r"^/kalender/[^/]+\.ics$"), "/kalender/***.ics"),
    (re.compile(r"^/kalender/(?!intrekken$)[^/]+"), "/kalender/***"),  # any other token-shaped segment
    # One-time links of admin/accounts.py and the council's answer link: the token is the path.
    (re.compile(r"^/uitnodiging/[^/]+"), "/uitnodiging/***"),
    (re.compile(r"^/wachtwoord-herstellen/[^/]+"), "/wachtwoord-herstellen/***"),
    (re.compile(r"^/antwoord/[^/]+"), "/antwoord/***"),
]


def redact(path: str) -> str:
    """The path as it may be logged: no query string, secret segments replaced by ***."""
    path = path.split("?", 1)[0]
    for pattern, replacement in SECRET_PATHS:
        if pattern.match(path):
            return replacement
    return path


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        # Read before the app runs: Litestar rewrites scope["path"] (trailing slash, mounts) on the way in.
        # The decoded path: a token sent percent-encoded is redacted as well.
        path = redact(scope.get("path", ""))
        method = scope.get("method", "-")
        start = time.perf_counter()
        status = 500  # an exception before any response: the server answers 500

        async def logging_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, logging_send)
        finally:
            duration = (time.perf_counter() - start) * 1000
            logger.info("%s %s %d %.1fms", method, path, status, duration)

    return middleware
