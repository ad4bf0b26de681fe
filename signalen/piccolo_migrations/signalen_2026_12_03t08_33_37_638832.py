from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T08:33:37:638832"
VERSION = "1.38.0"
DESCRIPTION = "Signaal.client_id: the id a browser gave a signal queued offline"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="signalen", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Signaal",
        tablename="signaal",
        column_name="client_id",
        db_column_name="client_id",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
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
