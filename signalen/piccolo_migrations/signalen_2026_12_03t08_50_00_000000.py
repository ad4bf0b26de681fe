"""Signaal.betekenis: the sentence meaning of a signal's text (signalen.meaning), kept with the signal so a page view
never embeds; NULL until the signal is embedded (at create/edit, or by `manage.py embed-signalen`)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Bytea

ID = "2026-12-03T08:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Signaal.betekenis (sentence meaning vector)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="signalen", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Signaal",
        tablename="signaal",
        column_name="betekenis",
        db_column_name="betekenis",
        column_class_name="Bytea",
        column_class=Bytea,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": None,
            "choices": None,
            "db_column_name": None,
            "secondary_key": None,
        },
        schema=None,
    )
    return manager
