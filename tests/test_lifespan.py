"""The app's lifespan opens the connection pool and closes it (PostgreSQL's, or common.sqlite_pool's); on SQLite it
also turns on WAL."""

from __future__ import annotations

import httpx
import pytest

from settings import get_settings

# The lifespan starts and closes the pool itself, in this test's own event loop: the test run's pool steps aside.
pytestmark = pytest.mark.usefixtures("without_session_pool")


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_the_lifespan_prepares_the_database_and_health_answers(monkeypatch):
    import dataclasses

    import app as app_module
    from piccolo_conf import DB

    settings = dataclasses.replace(get_settings(), db_pool=True, berichten_loop=False)
    monkeypatch.setattr(app_module, "get_settings", lambda: settings)
    application = app_module.create_app()
    async with application.lifespan():
        if settings.engine == "postgres":
            assert DB.pool is not None
        else:
            from admin.tables import Gemeente

            assert DB._idle is not None
            mode = (await Gemeente.raw("PRAGMA journal_mode"))[0]["journal_mode"]
            assert mode == "wal" and len(DB._all) == 1  # the query ran on a pooled connection
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/health")
        assert response.json() == {"status": "ok", "database": settings.engine}
    if settings.engine == "postgres":
        assert DB.pool is None or DB.pool._closed
    else:
        assert DB._idle is None and DB._all == []


@pytest.mark.anyio
async def test_the_lifespan_runs_the_delivery_loop_and_stops_it(monkeypatch, smtp_server):
    import asyncio
    import dataclasses

    import app as app_module
    from berichten.outbox import Recipient, queue
    from berichten.tables import Bericht, Bezorger

    settings = dataclasses.replace(get_settings(), db_pool=False, berichten_loop=True)
    monkeypatch.setattr(app_module, "get_settings", lambda: settings)
    await queue(kind="uitnodiging", to=[Recipient("nieuw@example.org")], subject="Welkom", text="Dag")
    application = app_module.create_app()
    async with application.lifespan():
        for _ in range(100):
            if smtp_server.messages:
                break
            await asyncio.sleep(0.1)
        assert [m["Subject"] for m in smtp_server.messages] == ["Welkom"]
    assert (await Bericht.select(Bericht.status).first())["status"] == "verstuurd"
    assert (await Bezorger.select(Bezorger.holder).first())["holder"] == ""  # the lease is given back at shutdown
