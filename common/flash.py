"""Flash messages in a signed cookie: shown once on the next page, stateless across workers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from settings import get_settings

COOKIE = "sw_flash"
CATEGORIES = {"succes", "info", "fout"}


def _sign(payload: bytes) -> str:
    return hmac.new(get_settings().secret.encode(), payload, hashlib.sha256).hexdigest()[:32]


def flash(response: Response, message: str, category: str = "succes", *, link: tuple[str, str] | None = None,
          undo: tuple[str, dict[str, str]] | None = None) -> Response:
    """`link` = (href, text): a link after the message (the dossier just made); `undo` = (action, fields): an
    "Ongedaan maken" button that POSTs `fields` to `action` (with the CSRF token). Both ride in the signed cookie."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown flash category {category!r}")
    extra: dict = {}
    if link:
        extra["link"] = {"href": link[0], "tekst": link[1][:200]}
    if undo:
        extra["undo"] = {"actie": undo[0], "velden": {str(k): str(v) for k, v in undo[1].items()}}
    payload = base64.urlsafe_b64encode(json.dumps([category, message[:500], *([extra] if extra else [])]).encode())
    response.set_cookie(
        COOKIE,
        f"{payload.decode()}.{_sign(payload)}",
        max_age=120,
        httponly=True,
        samesite="lax",
        secure=get_settings().production,
        path="/",
    )
    return response


def read_flash(request: Request) -> dict | None:
    """The pending message, if its signature holds: {"category", "message"}."""
    raw = request.cookies.get(COOKIE, "")
    payload, _, signature = raw.rpartition(".")
    if not payload or not hmac.compare_digest(_sign(payload.encode()), signature):
        return None
    try:
        category, message, *rest = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return None
    if category not in CATEGORIES or not isinstance(message, str):
        return None
    extra = rest[0] if rest and isinstance(rest[0], dict) else {}
    return {"category": category, "message": message, "link": extra.get("link"), "undo": extra.get("undo")}


def take_flash(request: Request) -> dict | None:
    """For templates: the pending message, marked as shown so the response deletes the cookie."""
    message = read_flash(request)
    if message is not None:
        request.state.flash_shown = True
    return message


async def delete_shown_flash(message: Message, scope: Scope) -> None:
    """before_send hook: once a page showed the message, the cookie goes."""
    if message["type"] == "http.response.start" and scope.get("state", {}).get("flash_shown"):
        headers = MutableScopeHeaders.from_message(message)
        headers.add("set-cookie", f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax")
