"""Sessions and login: one session table (piccolo_api's) shared by the app and Piccolo Admin.

Everything that must hold across workers (sessions, failed-login counts) lives in the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
from dataclasses import dataclass, field
from typing import Any

import anyio
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from admin.tables import LoginPoging, Rol
from common import dates, db

SESSION_COOKIE = "id"  # the name Piccolo Admin reads, so one login serves both
IDLE = dt.timedelta(minutes=30)
ABSOLUTE = dt.timedelta(hours=12)
SLIDE_AFTER = dt.timedelta(minutes=1)  # refresh the idle deadline at most once a minute
# Login limits (see begin_attempt): per (account, client), per client, and a growing delay per account.
FAIL_WINDOW = dt.timedelta(minutes=5)
PAIR_LIMIT = 10
CLIENT_LIMIT = 30
ACCOUNT_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FREE = 10
ACCOUNT_MAX_DELAY = 300
KNOWN_CLIENT = dt.timedelta(days=30)


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


@dataclass(frozen=True)
class Attempt:
    """The outcome of asking to check a password: `id` of the recorded attempt, or a wait in seconds."""

    id: int | None
    retry_after: int = 0

    @property
    def allowed(self) -> bool:
        return self.id is not None


def _lock_key(kind: str, value: str) -> int:
    """A signed 64-bit key for pg_advisory_xact_lock, one per account and one per client."""
    digest = hashlib.sha256(f"signaalwerk-login:{kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def account_delay(failures: int) -> int:
    """Seconds an attempt on an account must wait after its last failure, from any client not known to it."""
    if failures < ACCOUNT_FREE:
        return 0
    return min(2 ** (failures - ACCOUNT_FREE), ACCOUNT_MAX_DELAY)


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def begin_attempt(username: str, client: str) -> Attempt:
    """Decide whether this attempt may check a password and, if so, record it (as failed until `finish_attempt`)
    BEFORE the password is checked: counting and recording are one step under a lock per account and per client
    (PostgreSQL advisory locks; on SQLite the IMMEDIATE write transaction), so parallel attempts see each other.

    - per (account, client): PAIR_LIMIT failures in FAIL_WINDOW → 429 for that client only;
    - per client over all accounts: CLIENT_LIMIT failures in FAIL_WINDOW (spraying from one address);
    - per account over all clients: after ACCOUNT_FREE failures in ACCOUNT_WINDOW a growing delay
      (1, 2, 4 … s, at most ACCOUNT_MAX_DELAY) since the last failure — skipped for a client that logged in to
      this account before (KNOWN_CLIENT), so rotating addresses slow an attacker but never lock the owner out.
    Refused attempts are not recorded: hammering does not extend anyone's wait.
    """
    name, client = username.lower()[:150], client[:64]
    async with db.write_transaction():
        if db.engine_name() == "postgres":
            for key in sorted((_lock_key("account", name), _lock_key("client", client))):
                await LoginPoging.raw("SELECT pg_advisory_xact_lock({})", key)
        now = dates.now()
        failed = LoginPoging.geslaagd == False  # noqa: E712
        recent = failed & (LoginPoging.tijdstip >= now - FAIL_WINDOW)
        pair = await LoginPoging.select(LoginPoging.tijdstip).where(
            recent & (LoginPoging.username == name) & (LoginPoging.client == client)
        ).order_by(LoginPoging.tijdstip)
        by_client = await LoginPoging.select(LoginPoging.tijdstip).where(
            recent & (LoginPoging.client == client)
        ).order_by(LoginPoging.tijdstip)
        for rows, limit in ((pair, PAIR_LIMIT), (by_client, CLIENT_LIMIT)):
            if len(rows) >= limit:
                # free again when the oldest failure that still counts leaves the window
                oldest = _aware(rows[len(rows) - limit]["tijdstip"])
                return Attempt(None, max(1, math.ceil((oldest + FAIL_WINDOW - now).total_seconds())))
        known = await LoginPoging.exists().where(
            (LoginPoging.geslaagd == True)  # noqa: E712
            & (LoginPoging.username == name) & (LoginPoging.client == client)
            & (LoginPoging.tijdstip >= now - KNOWN_CLIENT)
        )
        if not known:
            account = await LoginPoging.select(LoginPoging.tijdstip).where(
                failed & (LoginPoging.username == name) & (LoginPoging.tijdstip >= now - ACCOUNT_WINDOW)
            ).order_by(LoginPoging.tijdstip, ascending=False)
            delay = account_delay(len(account))
            if delay:
                wait = _aware(account[0]["tijdstip"]) + dt.timedelta(seconds=delay) - now
                if wait > dt.timedelta(0):
                    return Attempt(None, max(1, math.ceil(wait.total_seconds())))
        row = await LoginPoging.insert(
            LoginPoging(username=name, client=client, geslaagd=False, tijdstip=now)
        ).returning(LoginPoging.id)
    return Attempt(row[0]["id"])


async def finish_attempt(attempt: Attempt, succeeded: bool) -> None:
    if succeeded and attempt.id is not None:
        await LoginPoging.update({LoginPoging.geslaagd: True}).where(LoginPoging.id == attempt.id)


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
