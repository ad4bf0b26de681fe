"""Settings, read once from the environment and parsed strictly.

A bad value is an error at start-up, not a surprise in production.

Mail (berichten/): `SMTP_URL` — `smtp://user:pass@host:587` (STARTTLS), `smtps://user:pass@host:465` (TLS from
the start) or `smtp://host:25` (plain, e.g. a local relay); unset: nothing is sent and the beheerder reads the
outbox at /beheer/berichten. `SIGNAALWERK_MAIL_FROM` — the From of every mail (default
"Signaalwerk <signaalwerk@localhost>"). `SIGNAALWERK_BASE_URL` — the origin of every link in a mail.
`SIGNAALWERK_BERICHTEN_LOOP` — 0 when `manage.py berichten` (cron, systemd) delivers instead of the app (default 1).
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
    # SMTP_URL ("" = embedded mode: the outbox is only shown, never sent) and the From of every mail.
    smtp_url: str = ""
    mail_from: str = "Signaalwerk <signaalwerk@localhost>"
    # The app's lifespan runs the delivery loop (off when manage.py berichten runs from cron or systemd).
    berichten_loop: bool = True

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


SMTP_SCHEMES = {"smtp": 587, "smtps": 465}
DEFAULT_MAIL_FROM = "Signaalwerk <signaalwerk@localhost>"


def _smtp_url() -> str:
    """SMTP_URL: smtp://[user:pass@]host[:port] (STARTTLS when the server offers it; port 587 by default) or
    smtps://[user:pass@]host[:port] (TLS, 465 by default). Empty: embedded mode."""
    raw = os.environ.get("SMTP_URL", "").strip()
    if not raw:
        return ""
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError as exc:
        raise SettingsError("SMTP_URL is no URL (smtp://user:pass@host:587 or smtps://user:pass@host:465)") from exc
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname or parts.path not in ("", "/") or parts.fragment:
        raise SettingsError("SMTP_URL must look like smtp://user:pass@host:587, smtps://user:pass@host:465 or "
                            "smtp://host:25 (the password is never shown here)")
    if parts.query and parts.query not in ("starttls=0", "starttls=1"):
        raise SettingsError("SMTP_URL takes only ?starttls=0 or ?starttls=1 as options")
    return raw


def _mail_from() -> str:
    """SIGNAALWERK_MAIL_FROM: "Naam <adres@domein>" or a bare address."""
    from email.utils import parseaddr

    raw = os.environ.get("SIGNAALWERK_MAIL_FROM", "").strip()
    if not raw:
        return DEFAULT_MAIL_FROM
    _name, address = parseaddr(raw)
    if "\r" in raw or "\n" in raw or "@" not in address or any(ch.isspace() for ch in address):
        raise SettingsError(f"SIGNAALWERK_MAIL_FROM must be an address like 'Signaalwerk <noreply@example.be>', "
                            f"not {raw!r}")
    return raw


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
        smtp_url=_smtp_url(),
        mail_from=_mail_from(),
        berichten_loop=env_bool("SIGNAALWERK_BERICHTEN_LOOP", default=True),
    )


@functools.cache
def get_settings() -> Settings:
    return load_settings()
