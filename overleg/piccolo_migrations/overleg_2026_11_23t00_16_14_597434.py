from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T00:16:14:597434"
VERSION = "1.38.0"
DESCRIPTION = "One overleg per gemeente"
# Note for later migrations: generated on SQLite, `piccolo migrations new overleg --auto` proposes this alteration
# again (the migration state cannot see the conditional); drop it from the new file, or generate on PostgreSQL.


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="overleg", description=DESCRIPTION)

    # SQLite cannot add a constraint to a column (and Piccolo's alteration fails there): an index does it below.
    if engine_finder().engine_type != "sqlite":
        manager.alter_column(
            table_class_name="Overleg",
            tablename="overleg",
            column_name="gemeente",
            db_column_name="gemeente",
            params={"unique": True, "index": False},
            old_params={"unique": False, "index": True},
            column_class=ForeignKey,
            old_column_class=ForeignKey,
            schema=None,
        )

    async def sqlite_unique():
        engine = engine_finder()
        if engine.engine_type == "sqlite":
            await engine.run_ddl("CREATE UNIQUE INDEX IF NOT EXISTS overleg_gemeente_uniek ON overleg (gemeente)")

    manager.add_raw(sqlite_unique)
    return manager
