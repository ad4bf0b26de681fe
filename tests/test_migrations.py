"""The same migrations build the same schema on SQLite and on PostgreSQL (make test runs both)."""

from __future__ import annotations

import pytest
from piccolo.conf.apps import Finder

from settings import get_settings
from tests.support import sync

TABLES = Finder().get_table_classes()


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t._meta.tablename)
def test_every_table_exists_after_migrating(table):
    assert sync(table.table_exists())


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t._meta.tablename)
def test_every_column_exists_after_migrating(table):
    name = table._meta.tablename
    if get_settings().engine == "postgres":
        rows = sync(table.raw("SELECT column_name FROM information_schema.columns WHERE table_name = {}", name))
        columns = {row["column_name"] for row in rows}
    else:
        columns = {row["name"] for row in sync(table.raw(f"PRAGMA table_info({name})"))}
    assert {c._meta.db_column_name for c in table._meta.columns} <= columns
