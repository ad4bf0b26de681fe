"""Piccolo configuration: the engine follows DATABASE_URL (SQLite by default, PostgreSQL at scale)."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

from common.sqlite_pool import PooledSQLiteEngine
from settings import get_settings

_settings = get_settings()

if _settings.engine == "postgres":
    DB: PostgresEngine | PooledSQLiteEngine = PostgresEngine(config=_settings.postgres_config)
else:
    _settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
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
    ]
)
