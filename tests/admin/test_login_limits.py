"""The login limits hold under parallel attempts and cannot be used to lock an owner out of their account.

Attempts are counted and recorded in one step under a lock per account (the database's, so it holds across
workers); the per-account limit is a growing delay, the hard limit is per (account, client).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import httpx
from piccolo_api.session_auth.tables import SessionsBase

from admin import sessions
from admin.tables import LoginPoging
from tests.support import PASSWORD, sync


@contextlib.asynccontextmanager
async def _client(app, host: str):
    """A browser at `host`: its own address, its CSRF cookie from the login page."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(host, 4321)),
                                 base_url="http://testserver.local") as client:
        await client.get("/login/")
        yield client


async def _post(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/login/", data={"username": username, "password": password, "next": "/",
                                              "_csrf_token": client.cookies.get("sw_csrftoken") or ""})


def login_from(app, host: str, username: str, password: str) -> httpx.Response:
    async def run() -> httpx.Response:
        async with _client(app, host) as client:
            return await _post(client, username, password)

    return asyncio.run(run())


def burst(app, passwords: list[str], host: str = "10.1.1.1") -> list[int]:
    """Every password at once for one account from one client: the status codes."""

    async def run() -> list[int]:
        async with _client(app, host) as client:
            responses = await asyncio.gather(*(_post(client, "werker", p) for p in passwords))
            return [r.status_code for r in responses]

    return asyncio.run(run())


def rewind(seconds: float) -> None:
    """Every recorded attempt happened `seconds` earlier (the clock moving on, without sleeping)."""
    for row in sync(LoginPoging.select(LoginPoging.id, LoginPoging.tijdstip)):
        sync(LoginPoging.update({LoginPoging.tijdstip: row["tijdstip"] - dt.timedelta(seconds=seconds)})
             .where(LoginPoging.id == row["id"]))


def test_thirty_wrong_passwords_at_once_check_at_most_ten(app, world):
    codes = burst(app, ["fout-wachtwoord"] * 30)
    assert len(codes) == 30 and set(codes) <= {400, 429}
    assert codes.count(400) <= sessions.PAIR_LIMIT, codes
    assert codes.count(429) >= 30 - sessions.PAIR_LIMIT
    assert sync(LoginPoging.count()) <= sessions.PAIR_LIMIT


def test_twenty_nine_wrong_and_one_right_at_once_check_at_most_ten(app, world):
    codes = burst(app, ["fout-wachtwoord"] * 29 + [PASSWORD])
    # at most ten wrong passwords are tried; the right one may be among the first, as when they come one by one
    assert codes.count(400) <= sessions.PAIR_LIMIT, codes
    assert codes.count(303) <= 1 and codes.count(429) >= 30 - sessions.PAIR_LIMIT - 1
    assert sync(SessionsBase.count()) == codes.count(303)
    # and once the ten are spent, the right password is refused too
    assert login_from(app, "10.1.1.1", "werker", PASSWORD).status_code == 429


def test_the_hard_limit_is_per_client_and_says_when_to_retry(app, world):
    for _ in range(sessions.PAIR_LIMIT):
        assert login_from(app, "10.6.6.6", "werker", "fout").status_code == 400
    blocked = login_from(app, "10.6.6.6", "werker", PASSWORD)
    assert blocked.status_code == 429
    assert 240 < int(blocked.headers["retry-after"]) <= 300
    assert "Te veel mislukte pogingen" in blocked.text and "5 minuten" in blocked.text
    # another account from that client is not locked by it
    assert login_from(app, "10.6.6.6", "voorzitter", PASSWORD).status_code == 303


def test_ten_failures_from_rotating_addresses_do_not_lock_the_owner_out(app, world):
    assert login_from(app, "192.0.2.7", "werker", PASSWORD).status_code == 303  # the owner's own client
    for i in range(sessions.ACCOUNT_FREE + 5):
        login_from(app, f"10.2.0.{i}", "werker", "fout")
    assert login_from(app, "192.0.2.7", "werker", PASSWORD).status_code == 303


def test_the_owner_on_a_new_client_waits_seconds_not_minutes(app, world):
    for i in range(sessions.ACCOUNT_FREE):
        assert login_from(app, f"10.3.0.{i}", "werker", "fout").status_code == 400
    blocked = login_from(app, "198.51.100.9", "werker", PASSWORD)
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "1"
    rewind(1.5)
    assert login_from(app, "198.51.100.9", "werker", PASSWORD).status_code == 303


def test_an_attacker_rotating_addresses_meets_a_growing_delay(app, world):
    for i in range(sessions.ACCOUNT_FREE):
        assert login_from(app, f"10.4.0.{i}", "werker", "fout").status_code == 400
    waits = []
    for i in range(6):
        blocked = login_from(app, f"10.5.{i}.1", "werker", "fout")
        assert blocked.status_code == 429
        waits.append(int(blocked.headers["retry-after"]))
        rewind(waits[-1] + 0.5)
        assert login_from(app, f"10.5.{i}.2", "werker", "fout").status_code == 400
    assert waits == [1, 2, 4, 8, 16, 32]
    # refused attempts are not counted: hammering does not lengthen the wait
    for i in range(5):
        login_from(app, f"10.7.0.{i}", "werker", "fout")
    assert int(login_from(app, "10.7.1.1", "werker", "fout").headers["retry-after"]) <= 64


def test_the_account_delay_is_capped():
    assert [sessions.account_delay(n) for n in (0, 9, 10, 11, 12)] == [0, 0, 1, 2, 4]
    assert sessions.account_delay(40) == sessions.ACCOUNT_MAX_DELAY == 300
