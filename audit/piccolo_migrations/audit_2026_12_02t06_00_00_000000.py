"""Audit rows no longer carry a username: "who" is the user id, so erasing a user never has to edit the trail.
Existing rows lose the column (a schema change, which the append-only UPDATE trigger does not block)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Audit rows without gebruikersnaam"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    manager.drop_column(table_class_name="Audit", tablename="audit", column_name="gebruikersnaam",
                        db_column_name="gebruikersnaam", schema=None)
    return manager
