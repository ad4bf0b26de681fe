"""A sent nota past the retention period keeps its number, dates, addressee and SHA-256, and says when its text
was anonymised (overleg/retention.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Signaalnota.geanonimiseerd_op"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="overleg", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Signaalnota",
        tablename="signaalnota",
        column_name="geanonimiseerd_op",
        db_column_name="geanonimiseerd_op",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
