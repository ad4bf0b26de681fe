"""Per-user secret tokens (capability URLs such as the calendar feed): found at run time, revoked together.

A table holds a per-user secret when it has a foreign key to the user table and a column marked
`secret=True` (e.g. `overleg.tables.Kalenderfeed.token`). Deactivation and erasure delete those rows, so a
reactivated account never gets an old token back. `admin` knows no domain table: the tables are found through
Piccolo's app registry, so a new one is included without registering it here.
"""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import ForeignKey
from piccolo.table import Table


def tables_pointing_at_users() -> list[tuple[type[Table], list[ForeignKey]]]:
    """Every table with a foreign key to the user table (found at run time: new tables are included too)."""
    from piccolo.conf.apps import Finder

    found = []
    for table in Finder().get_table_classes():
        if table is BaseUser:
            continue
        keys = [c for c in table._meta.foreign_key_columns
                if c._foreign_key_meta.resolved_references._meta.tablename == BaseUser._meta.tablename]
        if keys:
            found.append((table, keys))
    return found


def token_tables() -> list[tuple[type[Table], list[ForeignKey]]]:
    """The tables among those that hold a secret column: each row is a token of the user it points at."""
    return [(table, keys) for table, keys in tables_pointing_at_users()
            if any(column._meta.secret for column in table._meta.columns)]


async def revoke_all_tokens(user_id: int) -> None:
    """Delete every per-user secret token of this user (calendar feeds and any later kind)."""
    for table, keys in token_tables():
        for key in keys:
            await table.delete().where(key == user_id)
