"""The pooled SQLite engine: warm connections reused, foreign keys kept, autocommit; Piccolo's way without a pool."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from common.sqlite_pool import PooledSQLiteEngine, SecureDeleteConnection, forget_freed


@pytest.fixture()
def engine(tmp_path):
    engine = PooledSQLiteEngine(path=str(tmp_path / "pool.sqlite"), timeout=30)
    schema = ("CREATE TABLE ouder (id INTEGER PRIMARY KEY)",
              "CREATE TABLE kind (id INTEGER PRIMARY KEY, ouder INTEGER NOT NULL REFERENCES ouder(id))",
              "INSERT INTO ouder (id) VALUES (1)")
    for statement in schema:
        asyncio.run(engine.run_ddl(statement))
    return engine


def test_queries_share_a_few_open_connections(engine):
    async def work():
        await engine.start_connection_pool(max_size=3)
        try:
            results = await asyncio.gather(*(engine._run_in_new_connection("SELECT ? AS n", [i]) for i in range(50)))
            return results, len(engine._all)
        finally:
            await engine.close_connection_pool()

    results, opened = asyncio.run(work())
    assert [r[0]["n"] for r in results] == list(range(50))
    assert 1 <= opened <= 3


def test_a_pooled_connection_enforces_foreign_keys_and_autocommits(engine, tmp_path):
    async def work():
        await engine.start_connection_pool(max_size=2)
        try:
            await engine._run_in_new_connection("INSERT INTO kind (id, ouder) VALUES (1, 1)")
            with pytest.raises(sqlite3.IntegrityError):
                await engine._run_in_new_connection("INSERT INTO kind (id, ouder) VALUES (2, 99)")
            # The failed statement left no transaction open: the next one works on the same connection.
            return await engine._run_in_new_connection("SELECT COUNT(*) AS n FROM kind")
        finally:
            await engine.close_connection_pool()

    assert asyncio.run(work())[0]["n"] == 1
    # Committed for every other connection too (autocommit), read here with plain sqlite3.
    with sqlite3.connect(tmp_path / "pool.sqlite") as other:
        assert other.execute("SELECT COUNT(*) FROM kind").fetchone()[0] == 1


def test_a_write_transaction_beside_pooled_reads(engine):
    from piccolo.engine.sqlite import TransactionType

    async def work():
        await engine.start_connection_pool(max_size=2)
        try:
            async with engine.transaction(transaction_type=TransactionType.immediate):
                await engine.run_ddl("INSERT INTO kind (id, ouder) VALUES (5, 1)")
                inside = await engine.run_ddl("SELECT COUNT(*) AS n FROM kind")
                # A pooled read outside the transaction does not see its uncommitted row.
                outside = await engine._run_in_new_connection("SELECT COUNT(*) AS n FROM kind")
            after = await engine._run_in_new_connection("SELECT COUNT(*) AS n FROM kind")
            return inside[0]["n"], outside[0]["n"], after[0]["n"]
        finally:
            await engine.close_connection_pool()

    assert asyncio.run(work()) == (1, 0, 1)


def test_without_a_started_pool_every_query_opens_its_own_connection(engine):
    rows = asyncio.run(engine._run_in_new_connection("SELECT id FROM ouder"))
    assert rows == [{"id": 1}]
    assert engine._all == []


def test_closing_the_pool_closes_its_connections_and_falls_back(engine):
    async def work():
        await engine.start_connection_pool(max_size=2)
        await engine._run_in_new_connection("SELECT 1")
        opened = list(engine._all)
        await engine.close_connection_pool()
        after = await engine._run_in_new_connection("SELECT 2 AS n")
        return opened, after

    opened, after = asyncio.run(work())
    assert len(opened) == 1 and after == [{"n": 2}] and engine._all == []
    with pytest.raises(ValueError):  # aiosqlite: "no active connection"
        asyncio.run(opened[0].execute("SELECT 1"))


def test_every_connection_overwrites_deleted_content(engine):
    """secure_delete on every path: Piccolo's own connection per query, a pooled one, a transaction's."""
    async def work():
        unpooled = await engine._run_in_new_connection("PRAGMA secure_delete")
        await engine.start_connection_pool(max_size=1)
        try:
            pooled = await engine._run_in_new_connection("PRAGMA secure_delete")
            async with engine.transaction():
                in_transaction = await engine.run_ddl("PRAGMA secure_delete")
        finally:
            await engine.close_connection_pool()
        return [rows[0]["secure_delete"] for rows in (unpooled, pooled, in_transaction)]

    assert engine.connection_kwargs["factory"] is SecureDeleteConnection
    assert asyncio.run(work()) == [1, 1, 1]


def test_forget_freed_empties_the_wal(engine, tmp_path):
    wal = tmp_path / "pool.sqlite-wal"

    async def work():
        await engine.run_ddl("PRAGMA journal_mode=WAL")
        keeper = sqlite3.connect(tmp_path / "pool.sqlite")  # an open connection: SQLite keeps the WAL file
        keeper.execute("SELECT COUNT(*) FROM ouder").fetchall()
        try:
            await engine.run_ddl("INSERT INTO ouder (id) VALUES (2)")
            filled = wal.stat().st_size
            report = await forget_freed(engine, ["ouder"])
            return filled, wal.stat().st_size, report
        finally:
            keeper.close()

    filled, emptied, report = asyncio.run(work())
    assert filled > 0 and emptied == 0 and report == "SQLite: WAL leeggemaakt"
