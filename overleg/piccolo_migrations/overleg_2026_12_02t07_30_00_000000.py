from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T07:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The privacy guard's confirmed findings on the summary of the council's answer (partners read it)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="overleg", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Antwoord",
        tablename="antwoord",
        column_name="persoonsgegevens",
        db_column_name="persoonsgegevens",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "[]",
            "null": False,
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
