"""The council's secret answer link `/antwoord/{token}`: random, only its SHA-256 stored, good for one answer,
expiring when the answer is recorded or after LIFETIME, revocable by the chair and rate-limited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from litestar.exceptions import HTTPException, NotFoundException

from common import dates
from overleg.tables import AntwoordLink

LIFETIME = dt.timedelta(days=90)
WINDOW = dt.timedelta(hours=1)
MAX_POSTS = 10  # form submissions per link and WINDOW
GONE = "Deze link werkt niet meer: het antwoord is al geregistreerd, de link werd ingetrokken of is verlopen."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def create(nota_id: int) -> str:
    """A new link for this nota (inside the caller's transaction); the token, shown only in the mail."""
    token = secrets.token_urlsafe(32)
    now = dates.now()
    await AntwoordLink(nota=nota_id, token_hash=_hash(token), aangemaakt_op=now, verloopt_op=now + LIFETIME,
                       pogingen=0).save()
    return token


async def find(token: str) -> dict:
    """The link row of a token that still works; 404 for an unknown token, 410 for a used, revoked or expired one."""
    if not token or len(token) > 100:
        raise NotFoundException("Deze link bestaat niet.")
    row = await AntwoordLink.select().where(AntwoordLink.token_hash == _hash(token)).first()
    if row is None:
        raise NotFoundException("Deze link bestaat niet.")
    expires = _aware(row["verloopt_op"])
    if row["gebruikt_op"] or row["ingetrokken_op"] or (expires is not None and expires <= dates.now()):
        raise HTTPException(status_code=410, detail=GONE)
    return row


async def count_attempt(link: dict) -> None:
    """One more submission through this link; 429 when there were MAX_POSTS in the current window."""
    now = dates.now()
    start = _aware(link["venster_start"])
    if start is None or now - start > WINDOW:
        await AntwoordLink.update({AntwoordLink.pogingen: 1, AntwoordLink.venster_start: now}).where(
            AntwoordLink.id == link["id"])
        return
    if link["pogingen"] >= MAX_POSTS:
        raise HTTPException(status_code=429, detail="Te veel pogingen via deze link. Probeer het over een uur "
                                                    "opnieuw.")
    await AntwoordLink.update({AntwoordLink.pogingen: AntwoordLink.pogingen + 1}).where(
        AntwoordLink.id == link["id"])


async def mark_used(link_id: int) -> None:
    """Inside the answer's transaction: the link has done its work (a second answer through it gets 410)."""
    done = await AntwoordLink.update({AntwoordLink.gebruikt_op: dates.now()}).where(
        (AntwoordLink.id == link_id) & AntwoordLink.gebruikt_op.is_null()).returning(AntwoordLink.id)
    if not done:
        raise HTTPException(status_code=410, detail=GONE)


async def revoke(nota_id: int) -> int:
    """Revoke every working link of this nota (the caller checked the chair's right); how many."""
    rows = await AntwoordLink.update({AntwoordLink.ingetrokken_op: dates.now()}).where(
        (AntwoordLink.nota == nota_id) & AntwoordLink.gebruikt_op.is_null()
        & AntwoordLink.ingetrokken_op.is_null()).returning(AntwoordLink.id)
    return len(rows)


async def state(nota_id: int) -> dict | None:
    """The newest link of a nota for its page: when made, until when, used, revoked (never the token)."""
    row = await AntwoordLink.select(AntwoordLink.aangemaakt_op, AntwoordLink.verloopt_op, AntwoordLink.gebruikt_op,
                                    AntwoordLink.ingetrokken_op).where(AntwoordLink.nota == nota_id).order_by(
        AntwoordLink.id, ascending=False).first()
    if row:
        expires = _aware(row["verloopt_op"])
        row["werkt"] = not row["gebruikt_op"] and not row["ingetrokken_op"] and bool(expires and expires > dates.now())
    return row
