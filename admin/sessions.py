"""Sessions and login: one session table (piccolo_api's) shared by the app and Piccolo Admin.

Everything that must hold across workers (sessions, failed-login counts) lives in the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
from dataclasses import dataclass, field

import anyio
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from admin.tables import LoginPoging, Rol
from common import dates

SESSION_COOKIE = "id"  # the name Piccolo Admin reads, so one login serves both
IDLE = dt.timedelta(minutes=30)
ABSOLUTE = dt.timedelta(hours=12)
SLIDE_AFTER = dt.timedelta(minutes=1)  # refresh the idle deadline at most once a minute
FAIL_WINDOW = dt.timedelta(minutes=5)
MAX_FAILURES = 10


@dataclass(frozen=True)
class GemeenteRef:
    id: int
    slug: str
    naam: str
    organisatie: int


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    naam: str
    email: str
    admin: bool
    session_id: int
    memberships: dict[int, frozenset[Rol]] = field(default_factory=dict)  # gemeente id -> roles there
    gemeenten: dict[int, GemeenteRef] = field(default_factory=dict)  # every gemeente they may see


def _now() -> dt.datetime:
    # piccolo_api compares naive local timestamps; stay consistent with it (and with the admin).
    return dt.datetime.now()


@functools.cache
def _dummy_hash(iterations: int) -> str:
    return BaseUser.hash_password("not-a-real-password", salt="0" * 32, iterations=iterations)


async def _verify(password: str, stored: str | None) -> bool:
    """PBKDF2 in a worker thread so a login does not stall every other request."""

    def check() -> bool:
        # An unknown user costs the same PBKDF2 work as a known one: no user enumeration by timing.
        reference = stored or _dummy_hash(BaseUser._pbkdf2_iteration_count)
        try:
            _algorithm, iterations, salt, _hashed = BaseUser.split_stored_password(reference)
            candidate = BaseUser.hash_password(password, salt, int(iterations))
        except ValueError:
            return False
        return hmac.compare_digest(candidate, reference) and stored is not None

    return await anyio.to_thread.run_sync(check)


async def too_many_failures(username: str, client: str) -> bool:
    since = dates.now() - FAIL_WINDOW
    failed = (LoginPoging.geslaagd == False) & (LoginPoging.tijdstip >= since)  # noqa: E712
    by_user = await LoginPoging.count().where(failed & (LoginPoging.username == username.lower()))
    if by_user >= MAX_FAILURES:
        return True
    by_client = await LoginPoging.count().where(failed & (LoginPoging.client == client))
    return by_client >= MAX_FAILURES


async def record_attempt(username: str, client: str, succeeded: bool) -> None:
    await LoginPoging.insert(
        LoginPoging(
            username=username.lower()[:150],
            client=client[:64],
            geslaagd=succeeded,
            tijdstip=dates.now(),
        )
    )


async def authenticate(username: str, password: str) -> int | None:
    """The user's id when the credentials are right and the account active; else None, in equal time."""
    if len(username) > 100 or len(password) > BaseUser._max_password_length:
        await _verify(password[:64], None)
        return None
    row = (
        await BaseUser.select(BaseUser.id, BaseUser.password, BaseUser.active)
        .where(BaseUser.username == username)
        .first()
    )
    ok = await _verify(password, row["password"] if row else None)
    if not (ok and row and row["active"]):
        return None
    await BaseUser.update({BaseUser.last_login: dt.datetime.now()}).where(BaseUser.id == row["id"])
    return row["id"]


async def start_session(user_id: int) -> str:
    """A brand-new session (new token at every login: no fixation)."""
    now = _now()
    session = await SessionsBase.create_session(
        user_id=user_id, expiry_date=now + IDLE, max_expiry_date=now + ABSOLUTE
    )
    return session.token


async def end_session(token: str) -> None:
    await SessionsBase.delete().where(SessionsBase.token == token)


async def end_all_sessions(user_id: int) -> None:
    await SessionsBase.delete().where(SessionsBase.user_id == user_id)


_USER_SQL = """
SELECT s.id AS sid, s.expiry_date, s.max_expiry_date,
       u.id, u.username, u.first_name, u.last_name, u.email, u.admin, u.active
FROM sessions s JOIN piccolo_user u ON u.id = s.user_id
WHERE s.token = {}
"""

_GEMEENTEN_SQL = """
SELECT g.id, g.slug, g.naam, g.organisatie, l.rol
FROM gemeente g
LEFT JOIN lidmaatschap l ON l.gemeente = g.id AND l."user" = {}
WHERE l.id IS NOT NULL
   OR g.organisatie IN (
        SELECT g2.organisatie FROM lidmaatschap l2 JOIN gemeente g2 ON g2.id = l2.gemeente
        WHERE l2."user" = {} AND l2.rol = 'coordinator')
ORDER BY g.naam
"""


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=None) if value.tzinfo else value


async def resolve_user(user_id: int, session_id: int = 0) -> CurrentUser:
    """The CurrentUser for a user id (commands, demo data and tests act as a user without a browser)."""
    row = await BaseUser.select(BaseUser.id, BaseUser.username, BaseUser.first_name, BaseUser.last_name,
                                BaseUser.email, BaseUser.admin).where(BaseUser.id == user_id).first()
    if row is None:
        raise LookupError(f"no user {user_id}")
    return await _build_user(row, session_id)


async def _build_user(row: dict, session_id: int) -> CurrentUser:
    memberships: dict[int, set[Rol]] = {}
    gemeenten: dict[int, GemeenteRef] = {}
    for g in await SessionsBase.raw(_GEMEENTEN_SQL, row["id"], row["id"]):
        gemeenten[g["id"]] = GemeenteRef(g["id"], g["slug"], g["naam"], g["organisatie"])
        if g["rol"]:
            memberships.setdefault(g["id"], set()).add(Rol(g["rol"]))
    naam = " ".join(part for part in (row["first_name"], row["last_name"]) if part) or row["username"]
    return CurrentUser(
        id=row["id"],
        username=row["username"],
        naam=naam,
        email=row["email"] or "",
        admin=bool(row["admin"]),
        session_id=session_id,
        memberships={k: frozenset(v) for k, v in memberships.items()},
        gemeenten=gemeenten,
    )


async def resolve(token: str) -> CurrentUser | None:
    """The user behind a session cookie, sliding the idle deadline; None when absent, expired or inactive."""
    if not token or len(token) > 100:
        return None
    rows = await SessionsBase.raw(_USER_SQL, token)
    if not rows:
        return None
    row = rows[0]
    now = _now()
    expiry, hard = _as_datetime(row["expiry_date"]), _as_datetime(row["max_expiry_date"])
    if expiry <= now or hard <= now or not row["active"]:
        await SessionsBase.delete().where(SessionsBase.id == row["sid"])
        return None
    if expiry - now < IDLE - SLIDE_AFTER:
        await SessionsBase.update({SessionsBase.expiry_date: min(now + IDLE, hard)}).where(
            SessionsBase.id == row["sid"]
        )
    return await _build_user(row, row["sid"])
