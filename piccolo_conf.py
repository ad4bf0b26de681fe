"""Piccolo configuration: the engine follows DATABASE_URL (SQLite by default, PostgreSQL at scale)."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

from common.sqlite_pool import PooledSQLiteEngine
from settings import get_settings, make_private

_settings = get_settings()

if _settings.engine == "postgres":
    make_private()  # backups and uploads in data/ still hold data about minors
    DB: PostgresEngine | PooledSQLiteEngine = PostgresEngine(config=_settings.postgres_config)
else:
    # umask 077: the database and the -wal/-shm files SQLite creates later are 0600, a new folder 0700.
    make_private(_settings.sqlite_path)
    # timeout = SQLite's busy timeout: writers wait for the lock instead of failing with "database is locked".
    # Its pool only lives while the server runs (the app's lifespan starts it when SIGNAALWERK_DB_POOL is on);
    # CLI commands and tests without it get Piccolo's own SQLiteEngine behaviour.
    DB = PooledSQLiteEngine(path=str(_settings.sqlite_path), timeout=30)

APP_REGISTRY = AppRegistry(
    apps=[
        "piccolo.apps.user.piccolo_app",
        "piccolo_api.session_auth.piccolo_app",
        "admin.piccolo_app",
        "signalen.piccolo_app",
        "overleg.piccolo_app",
        "audit.piccolo_app",
        "berichten.piccolo_app",
    ]
)
