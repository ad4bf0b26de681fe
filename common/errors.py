"""Errors: Dutch pages for people, {"detail", "fields"} JSON for the API; never a traceback."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

logger = logging.getLogger("signaalwerk")

MESSAGES = {
    400: "Deze aanvraag klopt niet.",
    401: "Meld je eerst aan.",
    403: "Je hebt geen toegang tot deze pagina.",
    404: "Deze pagina bestaat niet, of je hebt er geen toegang toe.",
    405: "Deze actie kan hier niet.",
    409: "Dit is intussen gewijzigd of kan niet in deze toestand.",
    413: "Wat je verstuurt is te groot.",
    415: "Dit soort inhoud wordt hier niet aanvaard.",
    422: "Niet alle velden zijn goed ingevuld.",
    429: "Te veel aanvragen. Wacht even en probeer opnieuw.",
    500: "Er ging iets mis bij ons. Probeer het later opnieuw.",
    503: "De dienst is even niet beschikbaar.",
}


class FieldErrors(HTTPException):
    """A form or API input with Dutch messages per field."""

    status_code = 422

    def __init__(self, fields: dict[str, str], detail: str | None = None, status_code: int = 422,
                 extra: dict | None = None) -> None:
        super().__init__(detail=detail or MESSAGES[422], status_code=status_code)
        self.fields = fields
        self.extra: dict = extra or {}


def jsonable(row: Mapping[str, Any]) -> dict:
    """A stored row as JSON can carry it: dates and times as ISO text."""
    import datetime as dt

    return {k: (v.isoformat() if isinstance(v, dt.date | dt.datetime | dt.time) else v) for k, v in row.items()}


class Conflict(HTTPException):
    """409: an illegal transition, or an edit based on an old version. Nothing is lost: `huidig` is the stored
    version and `jouw` what was submitted but not saved; both travel to the client in the body."""

    status_code = 409

    def __init__(self, detail: str, huidig: Mapping[str, Any] | None = None, jouw: dict | None = None) -> None:
        super().__init__(detail=detail, status_code=409)
        self.huidig, self.jouw = huidig, jouw
        self.extra: dict = {}
        if huidig:
            self.extra["huidig"] = jsonable(huidig)
        if jouw is not None:
            self.extra["jouw"] = jouw

    @property
    def current(self) -> Mapping[str, Any] | None:
        return self.huidig


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.startswith("/schema")


_EXPECTED = re.compile(r"Expected `([^`]*)`")
_TYPE_MESSAGES = {
    "int": "Geef een geheel getal.",
    "bool": "Geef true of false.",
    "array": "Geef een lijst van teksten.",
    "str": "Geef een tekst.",
    "object": "Stuur een JSON-object.",
}
NOT_JSON = "De inhoud is geen geldige JSON."
NOT_AN_OBJECT = "Stuur een JSON-object met de velden."


def _type_message(message: str) -> str:
    expected = _EXPECTED.search(message)
    kinds = [k.strip() for k in expected.group(1).split("|")] if expected else []
    return next((_TYPE_MESSAGES[k] for k in kinds if k in _TYPE_MESSAGES), "Ongeldige waarde.")


def _fields_from_validation(exc: ValidationException) -> dict[str, str]:
    """Litestar's validation errors (a list in `extra`) as Dutch messages per field."""
    fields: dict[str, str] = {}
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        key = str(item.get("key") or "")
        name = re.match(r"[A-Za-z_]*", key).group()  # type: ignore[union-attr]  # `*` matches every string
        if name and name != "data":  # "citaten[1]": an element of a list of texts
            message = _TYPE_MESSAGES["array"] if key != name else _type_message(str(item.get("message") or ""))
            fields.setdefault(name, message)
    return fields


def _is_english_default(detail: str, status: int) -> bool:
    """Litestar's own messages are English; people get Dutch."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return False
    english = {phrase, "Request Entity Too Large", "CSRF token verification failed", "Not Found", "Forbidden"}
    return detail in english or detail.startswith(("No route", "Missing required", "Validation failed"))


def _is_too_deep(exc: BaseException) -> bool:
    """A RecursionError raised while decoding a request body (msgspec's or the json module's message)."""
    return isinstance(exc, RecursionError) and any(
        phrase in str(exc) for phrase in ("while deserializing", "decoding a JSON", "while decoding")
    )


def handle_exception(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        status = exc.status_code
        detail = exc.detail if exc.detail and status not in (500,) else MESSAGES.get(status, "")
        fields = getattr(exc, "fields", None) or {}
        if isinstance(exc, ValidationException):
            fields = _fields_from_validation(exc)
            status, detail = 400, MESSAGES[400] if fields else NOT_AN_OBJECT
        elif isinstance(exc.__cause__, SerializationException) or str(detail).startswith("JSON is malformed"):
            status, detail = 400, NOT_JSON
    elif _is_too_deep(exc):
        # A body nested deeper than the decoder recurses (`[[[[…]]]]`, 2 kB): the client's error, not ours.
        logger.info("JSON too deeply nested on %s %s", request.method, request.url.path.encode("unicode_escape"))
        status, detail, fields = 400, NOT_JSON, {}
    else:
        logger.exception("unhandled error on %s %s", request.method, request.url.path.encode("unicode_escape"))
        status, detail, fields = HTTP_500_INTERNAL_SERVER_ERROR, MESSAGES[500], {}
    if "CSRF" in str(detail):
        detail = "Dit formulier is verlopen of onvolledig. Laad de pagina opnieuw en probeer nog eens."
    elif _is_english_default(detail, status):
        detail = MESSAGES.get(status, MESSAGES[400])
    if status >= 500:
        detail = MESSAGES.get(status, MESSAGES[500])
    if wants_json(request):
        body: dict = {"detail": detail, "status_code": status}
        if fields:
            body["fields"] = fields
        extra = getattr(exc, "extra", None)
        if isinstance(extra, dict):  # FieldErrors and Conflict carry findings / the current version
            body.update(extra)
        headers = getattr(exc, "headers", None) or {}
        return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)
    if status == 401:
        return Redirect(f"/login/?next={quote(request.url.path)}", status_code=303)
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/error.html"
    return Template(
        template,
        context={"status": status, "detail": detail, "fields": fields},
        status_code=status,
        media_type=MediaType.HTML,
    )
