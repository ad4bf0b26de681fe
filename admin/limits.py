"""Rate limits that hold across workers: counted in the database (Aanvraag), atomically.

`hit(rules)` counts and records in one write transaction, under a PostgreSQL advisory lock per key (on SQLite the
IMMEDIATE transaction serialises writers), so requests sent in parallel see each other — as the login limits do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from admin.tables import Aanvraag
from common import dates, db


@dataclass(frozen=True)
class Rule:
    key: str  # "adres:<hash>", "client:<ip>", …
    limit: int
    window: dt.timedelta


def address_key(kind: str, email: str) -> str:
    """The key of an e-mail address: its SHA-256 (the limit table never holds the address)."""
    return f"{kind}:adres:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def client_key(kind: str, client: str) -> str:
    return f"{kind}:client:{client[:64]}"


def _lock_key(key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"signaalwerk-limit:{key}".encode()).digest()[:8], "big", signed=True)


def _aware(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def hit(rules: Sequence[Rule]) -> int:
    """0 when every rule allows one more (and it is recorded for each); else the seconds until it would."""
    now = dates.now()
    async with db.write_transaction():
        if db.engine_name() == "postgres":
            for lock in sorted({_lock_key(rule.key) for rule in rules}):
                await Aanvraag.raw("SELECT pg_advisory_xact_lock({})", lock)
        for rule in rules:
            rows = await Aanvraag.select(Aanvraag.tijdstip).where(
                (Aanvraag.sleutel == rule.key) & (Aanvraag.tijdstip >= now - rule.window)
            ).order_by(Aanvraag.tijdstip)
            if len(rows) >= rule.limit:
                oldest = _aware(rows[len(rows) - rule.limit]["tijdstip"])
                return max(1, math.ceil((oldest + rule.window - now).total_seconds()))
        await Aanvraag.insert(*[Aanvraag(sleutel=rule.key, tijdstip=now) for rule in rules])
    return 0


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return "1 seconde" if seconds == 1 else f"{seconds} seconden"
    minutes = -(-seconds // 60)
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"
