"""Database helpers shared by every app."""

from __future__ import annotations

from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import TransactionType


def engine_name() -> str:
    engine = engine_finder()
    assert engine is not None  # piccolo_conf.py always defines DB
    return "postgres" if engine.engine_type == "postgres" else "sqlite"


def write_transaction():
    """A transaction for read-then-write work. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so two
    writers queue on the busy timeout instead of one failing with "database is locked" halfway."""
    engine = engine_finder()
    assert engine is not None  # piccolo_conf.py always defines DB
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def is_unique_violation(exc: BaseException) -> bool:
    """A unique index refused the row (SQLite's IntegrityError: UNIQUE, asyncpg's UniqueViolationError)."""
    import sqlite3

    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc).upper()
    try:
        from asyncpg.exceptions import UniqueViolationError  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, UniqueViolationError)
