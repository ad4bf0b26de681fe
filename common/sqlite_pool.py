"""A SQLite engine that keeps its connections open between queries.

Piccolo's SQLiteEngine opens a new connection (and a new aiosqlite thread) for every query outside a transaction,
so SQLite re-reads the schema and starts with a cold page cache each time (STACK-NOTES: that is most of the gap
between SQLite and PostgreSQL here). This engine keeps a small pool of open connections for the life of the server,
started and closed by the app's lifespan exactly like PostgreSQL's pool. Connections are in autocommit mode
(Piccolo's default ``isolation_level=None``), so no statement leaves a transaction open on a pooled connection.

Transactions still take a connection of their own (Piccolo's SQLiteTransaction), and without a started pool (tests,
CLI commands) every query behaves as in Piccolo.

Every connection this engine opens — pooled, Piccolo's own per-query ones, transactions, migrations — is made by
`SecureDeleteConnection`, which turns on `PRAGMA secure_delete`: SQLite overwrites deleted and replaced content
with zeros, so text that retention or erasure removed does not linger in free pages of the file. `forget_freed()`
then empties the WAL (checkpoint, truncate), where the old pages would otherwise survive until the next checkpoint.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

# Per connection: foreign keys on (as Piccolo does per query), and up to 16 MiB of page cache kept warm.
CONNECTION_PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA cache_size = -16384")


class SecureDeleteConnection(sqlite3.Connection):
    """A sqlite3 connection with `secure_delete` on from its first statement (aiosqlite passes `factory` on)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA secure_delete = ON")


class PooledSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        connection_kwargs.setdefault("factory", SecureDeleteConnection)
        super().__init__(path=path, **connection_kwargs)
        self._idle: asyncio.LifoQueue[aiosqlite.Connection] | None = None
        self._all: list[aiosqlite.Connection] = []
        self._max_size = 0
        self._opening = 0

    async def start_connection_pool(self, max_size: int = 4, **_: Any) -> None:
        if self._idle is not None:
            return
        self._idle = asyncio.LifoQueue()
        self._max_size = max_size

    async def close_connection_pool(self) -> None:
        connections, self._all, self._idle = self._all, [], None
        for connection in connections:
            await connection.close()

    async def _open(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # A daemon thread: a process that ends without the lifespan's shutdown (a crash, a script) does not hang on it.
        # Every statement autocommits, so nothing acknowledged is lost with it.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in CONNECTION_PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def _borrow(self, idle: asyncio.LifoQueue) -> aiosqlite.Connection:
        if idle.empty() and self._opening + len(self._all) < self._max_size:
            self._opening += 1  # counted before the await, so concurrent borrowers cannot overshoot max_size
            try:
                connection = await self._open()
            finally:
                self._opening -= 1
            if self._idle is idle:  # not closed meanwhile (else the caller closes it after use)
                self._all.append(connection)
            return connection
        return await idle.get()

    async def _run_in_new_connection(self, query: str, args: list[Any] | None = None,
                                     query_type: str = "generic", table=None):
        idle = self._idle
        if idle is None or (query_type == "insert" and self.get_version_sync() < 3.35):
            # No pool started (tests, CLI), or a SQLite without RETURNING: Piccolo's own way.
            return await super()._run_in_new_connection(query, args, query_type=query_type, table=table)
        connection = await self._borrow(idle)
        try:
            async with connection.execute(query, args or []) as cursor:
                return await cursor.fetchall()
        finally:
            if self._idle is idle:
                idle.put_nowait(connection)
            else:  # the pool was closed while this query ran
                await connection.close()


async def forget_freed(engine: Any, tablenames: list[str]) -> str:
    """After retention or erasure: leave no old copy of a changed row in the database's files.

    SQLite: the WAL still holds the pages as they were before; `wal_checkpoint(TRUNCATE)` copies the new pages into
    the database (where secure_delete zeroed the old content) and empties the WAL file. PostgreSQL keeps old row
    versions until VACUUM; VACUUM of the changed tables removes them. Returns a line for the command's report."""
    if engine.engine_type == "sqlite":
        rows = await engine._run_in_new_connection("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = rows[0].get("busy", 0) if rows else 0
        return "SQLite: WAL leeggemaakt" if not busy else "SQLite: WAL bezet; opnieuw proberen als de app stil is"
    names = sorted(set(tablenames))
    for name in names:
        await engine.run_ddl(f'VACUUM "{name}"')  # noqa: S608 - names of our own tables, not input
    return f"PostgreSQL: VACUUM van {len(names)} tabel(len)"
