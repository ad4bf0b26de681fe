"""Row ids from paths, forms, query strings and JSON: the one parser, with the int4 bound.

Ids are SERIAL (int4 on PostgreSQL): anything above 2 147 483 647 can never be a row, and asyncpg refuses to send
it, so it must never reach a query. A malformed or impossible id in a path is a 404 (unknown, foreign and impossible
ids all look the same); in a filter or a body the caller turns ``None`` into its own 400/422.
"""

from __future__ import annotations

from collections.abc import Iterable

from litestar.exceptions import NotFoundException

MAX_ID = 2**31 - 1
NOT_FOUND = "Dit bestaat niet, of je hebt er geen toegang toe."


def not_found() -> NotFoundException:
    return NotFoundException(NOT_FOUND)


def _int4(raw: object) -> int | None:
    """A non-negative int4 from an int, an integral float (JSON Schema counts 7.0 as an integer) or a string of
    ASCII digits; None for anything else (bools included)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        raw = raw.strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            return None
        raw = int(raw)
    return raw if isinstance(raw, int) and 0 <= raw <= MAX_ID else None


def as_id(raw: object) -> int | None:
    """A positive row id from a path, form or JSON value; None for anything else ("²", "1.5", 1.5, 2**40, True)."""
    value = _int4(raw)
    return value if value else None


def path_id(raw: object) -> int:
    """The id in a path, or 404."""
    value = as_id(raw) if not isinstance(raw, str) or raw == raw.strip() else None
    if value is None:
        raise not_found()
    return value


def as_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among form or JSON values, in order, without repeats; anything else is dropped."""
    ids = (as_id(value) for value in values)
    return list(dict.fromkeys(i for i in ids if i is not None))


def as_version(raw: object) -> int | None:
    """A row version (`versie`) from a form or JSON: a non-negative int4, else None (the caller refuses it)."""
    return _int4(raw)


def new_client_id() -> str:
    """A fresh client id for a signal form (a UUID, what a browser's crypto.randomUUID() gives too)."""
    import uuid

    return str(uuid.uuid4())
