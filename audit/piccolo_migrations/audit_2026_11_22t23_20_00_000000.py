"""The audit table (append-only: see the next migration)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-22T23:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Audit trail"

async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    manager.add_table(class_name="Audit", tablename="audit", schema=None, columns=None)
    common = {"null": False, "primary_key": False, "unique": False, "index": False,
              "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False}
    columns = [
        ("tijdstip", Timestamptz, {"default": TimestamptzNow(), "index": True}),
        ("gebruiker", Integer, {"default": None, "null": True, "index": True}),
        ("gebruikersnaam", Varchar, {"default": "", "length": 150}),
        ("actie", Varchar, {"default": "", "length": 32, "index": True}),
        ("object_type", Varchar, {"default": "", "length": 32}),
        ("object_id", Varchar, {"default": "", "length": 40}),
        ("uitkomst", Varchar, {"default": "", "length": 32}),
        ("client", Varchar, {"default": "", "length": 64}),
        ("route", Varchar, {"default": "", "length": 200}),
    ]
    for name, column_class, params in columns:
        manager.add_column(table_class_name="Audit", tablename="audit", column_name=name, db_column_name=name,
                           column_class_name=column_class.__name__, column_class=column_class,
                           params={**common, **params}, schema=None)
    return manager
