"""Composite indexes for the register, and full-text search: SQLite FTS5 over Dutch-stemmed words,
PostgreSQL to_tsvector('dutch', …) with a GIN index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-22T23:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Register indexes and full-text search"

COMMON = [
    "CREATE INDEX IF NOT EXISTS signaal_gemeente_datum ON signaal (gemeente, datum DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS signaal_gemeente_status ON signaal (gemeente, status)",
    "CREATE INDEX IF NOT EXISTS signaal_gemeente_auteur ON signaal (gemeente, auteur)",
    "CREATE INDEX IF NOT EXISTS signaal_gemeente_plek ON signaal (gemeente, plek)",
    "CREATE INDEX IF NOT EXISTS signaalhistoriek_signaal_tijdstip ON signaal_historiek (signaal, tijdstip)",
]

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS signaal_fts USING fts5("
    "zoektekst, content='signaal', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS signaal_fts_ai AFTER INSERT ON signaal BEGIN "
    "INSERT INTO signaal_fts(rowid, zoektekst) VALUES (new.id, new.zoektekst); END",
    "CREATE TRIGGER IF NOT EXISTS signaal_fts_ad AFTER DELETE ON signaal BEGIN "
    "INSERT INTO signaal_fts(signaal_fts, rowid, zoektekst) VALUES ('delete', old.id, old.zoektekst); END",
    "CREATE TRIGGER IF NOT EXISTS signaal_fts_au AFTER UPDATE OF zoektekst ON signaal BEGIN "
    "INSERT INTO signaal_fts(signaal_fts, rowid, zoektekst) VALUES ('delete', old.id, old.zoektekst); "
    "INSERT INTO signaal_fts(rowid, zoektekst) VALUES (new.id, new.zoektekst); END",
]

# Keep this expression identical to signalen.search.PG_DOCUMENT, or the index is not used.
POSTGRES = [
    "CREATE INDEX IF NOT EXISTS signaal_fts_nl ON signaal USING GIN (to_tsvector('dutch', "
    "coalesce(titel, '') || ' ' || coalesce(omschrijving, '') || ' ' || coalesce(plek, '') || ' ' || "
    "coalesce(citaten::text, '')))",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="signalen", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        statements = COMMON + (SQLITE if engine.engine_type == "sqlite" else POSTGRES)
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
