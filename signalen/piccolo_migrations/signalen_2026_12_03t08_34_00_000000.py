"""One signal per (client_id, author): a retried or duplicated send of a signal queued offline cannot store a
second one, also when two sends race. NULL client_ids (signals made online without one) never collide, on SQLite
and PostgreSQL alike. A separate migration: Piccolo runs a migration's raw SQL before its added columns. The
client_id leads, so the lookup by client_id alone (another author's id → 409) uses the index too."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-03T08:34:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique index on Signaal (client_id, auteur)"

STATEMENT = "CREATE UNIQUE INDEX IF NOT EXISTS signaal_client_id_auteur ON signaal (client_id, auteur)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="signalen", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(STATEMENT)

    async def undo():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS signaal_client_id_auteur")

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
