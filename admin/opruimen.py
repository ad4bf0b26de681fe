"""Old account traces are forgotten: login attempts (a username and a client address each), one-time account links
and rate-limit marks are needed only for a while — the login rules read 30 days back (sessions.KNOWN_CLIENT), a
rate limit at most an hour — and then deleted. A job of the delivery loop, at most once a local day."""

from __future__ import annotations

import datetime as dt

from admin.sessions import KNOWN_CLIENT
from admin.tables import Aanvraag, Accounttoken, LoginPoging
from berichten import herinneringen
from common import dates, db

KEEP_LOGINS = max(KNOWN_CLIENT, dt.timedelta(days=90))  # also what a beheerder may still want to look into
KEEP_TOKENS = dt.timedelta(days=90)  # after expiry or use: "this link was used/expired" pages need the row a while
KEEP_LIMITS = dt.timedelta(days=1)  # far beyond the longest rate-limit window (an hour)


async def forget_old_traces(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what is past its keeping time; {"pogingen", "tokens", "aanvragen"}."""
    moment = now or dates.now()
    token_limit = moment - KEEP_TOKENS
    async with db.write_transaction():
        logins = await LoginPoging.delete().where(LoginPoging.tijdstip < moment - KEEP_LOGINS).returning(LoginPoging.id)
        tokens = await Accounttoken.delete().where(
            (Accounttoken.verloopt_op < token_limit) | (Accounttoken.gebruikt_op < token_limit)
        ).returning(Accounttoken.id)
        marks = await Aanvraag.delete().where(Aanvraag.tijdstip < moment - KEEP_LIMITS).returning(Aanvraag.id)
    return {"pogingen": len(logins), "tokens": len(tokens), "aanvragen": len(marks)}


async def dagelijks_opruimen() -> dict[str, int] | None:
    """The delivery loop's job: once a local day; None when this day was done already."""
    if not await herinneringen.claim(f"opruimen:accounts:{dates.today().isoformat()}"):
        return None
    return await forget_old_traces()
