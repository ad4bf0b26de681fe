"""Settings, read once from the environment and parsed strictly.

A bad value is an error at start-up, not a surprise in production.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = BASE_DIR / "data" / "signaalwerk.sqlite"

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee", ""}


class SettingsError(ValueError):
    """An environment variable holds a value we refuse to guess about."""


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} must be 0 or 1, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name} must lie between {minimum} and {maximum}, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret: str
    production: bool
    demo: bool
    host: str
    port: int
    db_pool: bool
    pool_min: int
    pool_max: int
    # Addresses (IPs or networks) whose X-Forwarded-For/-Proto are believed; empty: nobody's, not even 127.0.0.1.
    trusted_proxies: tuple[str, ...] = ()
    # The origin in links that leave the app (calendar feed, ICS `URL:`) and the one Host accepted in production.
    base_url: str = "http://127.0.0.1:8000"
    # PDFs (common/pdf_pool.py, common/pdf_cache.py): worker processes, renders that may wait, cache size (0: off).
    pdf_workers: int = 1
    pdf_queue: int = 4
    pdf_cache_mb: int = 200

    @property
    def base_host(self) -> str:
        """The host name of SIGNAALWERK_BASE_URL (no port): what the Host header must name in production."""
        return urlsplit(self.base_url).hostname or ""

    @property
    def engine(self) -> str:
        """'sqlite' or 'postgres'."""
        return "postgres" if self.database_url.startswith(("postgres://", "postgresql://")) else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        if self.engine != "sqlite":
            raise SettingsError("sqlite_path asked for a PostgreSQL database")
        path = self.database_url.removeprefix("sqlite:///").removeprefix("sqlite://")
        return Path(path) if path else DEFAULT_SQLITE_PATH

    @property
    def postgres_config(self) -> dict:
        parts = urlsplit(self.database_url)
        config = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "database": (parts.path or "/").lstrip("/") or "signaalwerk",
            "user": parts.username or "postgres",
        }
        if parts.password:
            config["password"] = parts.password
        return config


def _database_url() -> str:
    raw = os.environ.get("DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if not raw.startswith(("sqlite:///", "postgres://", "postgresql://")):
        raise SettingsError("DATABASE_URL must start with sqlite:///, postgres:// or postgresql://")
    return raw


PRIVATE_UMASK = 0o077  # files the app creates (database, -wal/-shm, backups, uploads): its own user only


def make_private(sqlite_path: Path | None = None) -> None:
    """Data about minors is for the app's own user only: umask 077 for the process, `data/` 0700, and an existing
    SQLite database with its -wal/-shm files 0600 (an install from before this rule is tightened too)."""
    os.umask(PRIVATE_UMASK)
    data = BASE_DIR / "data"
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    data.chmod(0o700)
    if sqlite_path is None:
        return
    if not sqlite_path.parent.exists():
        sqlite_path.parent.mkdir(mode=0o700, parents=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = sqlite_path.with_name(sqlite_path.name + suffix)
        if candidate.exists():
            candidate.chmod(0o600)


def _secret(production: bool) -> str:
    secret = os.environ.get("SIGNAALWERK_SECRET", "")
    if production and len(secret) < 32:
        raise SettingsError("SIGNAALWERK_SECRET must hold at least 32 characters when SIGNAALWERK_PRODUCTION=1")
    if not secret:
        # Development only: a per-checkout secret so restarts keep sessions and CSRF cookies valid.
        path = BASE_DIR / "data" / ".dev-secret"
        make_private()
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, not briefly
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        path.chmod(0o600)
        secret = path.read_text().strip()
    return secret


def _trusted_proxies() -> tuple[str, ...]:
    """SIGNAALWERK_TRUSTED_PROXIES: comma-separated IP addresses or networks (CIDR) of the reverse proxy."""
    raw = os.environ.get("SIGNAALWERK_TRUSTED_PROXIES", "")
    proxies = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            proxies.append(str(ipaddress.ip_network(item, strict=False)) if "/" in item else
                           str(ipaddress.ip_address(item)))
        except ValueError as exc:
            raise SettingsError(
                f"SIGNAALWERK_TRUSTED_PROXIES must list IP addresses or networks (a,b/24), not {item!r}") from exc
    return tuple(proxies)


DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _base_url(production: bool) -> str:
    """SIGNAALWERK_BASE_URL: scheme and host (and port) only; required and https in production."""
    raw = os.environ.get("SIGNAALWERK_BASE_URL", "").strip()
    if not raw:
        if production:
            raise SettingsError("SIGNAALWERK_BASE_URL is required when SIGNAALWERK_PRODUCTION=1 "
                                "(e.g. https://signaalwerk.example.be)")
        return DEFAULT_BASE_URL
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError as exc:
        raise SettingsError(f"SIGNAALWERK_BASE_URL is no URL: {raw!r}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password \
            or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SettingsError(f"SIGNAALWERK_BASE_URL must be an origin like https://signaalwerk.example.be, not {raw!r}")
    if production and parts.scheme != "https":
        raise SettingsError("SIGNAALWERK_BASE_URL must start with https:// when SIGNAALWERK_PRODUCTION=1")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def load_settings() -> Settings:
    production = env_bool("SIGNAALWERK_PRODUCTION")
    return Settings(
        database_url=_database_url(),
        secret=_secret(production),
        production=production,
        demo=env_bool("SIGNAALWERK_DEMO"),
        host=os.environ.get("HOST", "127.0.0.1"),
        port=env_int("PORT", 8000, minimum=1, maximum=65535),
        db_pool=env_bool("SIGNAALWERK_DB_POOL", default=True),
        pool_min=env_int("SIGNAALWERK_DB_POOL_MIN", 1, minimum=1, maximum=100),
        pool_max=env_int("SIGNAALWERK_DB_POOL_MAX", 10, minimum=1, maximum=200),
        trusted_proxies=_trusted_proxies(),
        base_url=_base_url(production),
        pdf_workers=env_int("SIGNAALWERK_PDF_WORKERS", 1, minimum=1, maximum=8),
        pdf_queue=env_int("SIGNAALWERK_PDF_QUEUE", 4, minimum=0, maximum=100),
        pdf_cache_mb=env_int("SIGNAALWERK_PDF_CACHE_MB", 200, minimum=0, maximum=100_000),
    )


@functools.cache
def get_settings() -> Settings:
    return load_settings()
