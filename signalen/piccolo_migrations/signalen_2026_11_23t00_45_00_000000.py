"""PostgreSQL search: a stored tsvector column with its GIN index, so a search inside one gemeente never recomputes
to_tsvector per row (the planner often starts from the gemeente index). SQLite keeps its FTS5 table."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T00:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Stored Dutch tsvector for PostgreSQL search"

POSTGRES = [
    "ALTER TABLE signaal ADD COLUMN IF NOT EXISTS zoekvector tsvector GENERATED ALWAYS AS (to_tsvector('dutch', "
    "coalesce(titel, '') || ' ' || coalesce(omschrijving, '') || ' ' || coalesce(plek, '') || ' ' || "
    "coalesce(citaten::text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS signaal_zoekvector ON signaal USING GIN (zoekvector)",
    "DROP INDEX IF EXISTS signaal_fts_nl",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="signalen", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if engine.engine_type != "sqlite":
            for statement in POSTGRES:
                await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
