"""Backups and restores while the app keeps running (`make backup`, `make restore FILE=…`).

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot, also while
workers write; a restore uses the same API the other way, into the live file, under SQLite's own locks.
PostgreSQL: `pg_dump -Fc` and `pg_restore --clean --if-exists` in one transaction (Debian's postgresql-client).

Before a restore overwrites anything, the current database is backed up first ("…-voor-herstel"): a restore of
the wrong file can itself be undone. Backups hold data about minors: the folder is 0700, every file 0600.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from common.dates import local_time, now
from settings import BASE_DIR, Settings, get_settings

BACKUP_DIR = BASE_DIR / "data" / "backups"
PREFIX = "signaalwerk"
BUSY_TIMEOUT = 30  # seconds, the same as the app's


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why, in Dutch."""


def _target(directory: Path, extension: str, suffix: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    stamp = local_time(now(), "%Y%m%d-%H%M%S")
    path = directory / f"{PREFIX}-{stamp}{suffix}{extension}"
    n = 2
    while path.exists() or path.with_name(path.name + ".partial").exists():
        path = directory / f"{PREFIX}-{stamp}{suffix}-{n}{extension}"
        n += 1
    return path


def _finish(partial: Path, final: Path) -> Path:
    partial.chmod(0o600)
    os.replace(partial, final)  # atomic: a half-written backup never carries the final name
    return final


# ----------------------------------------------------------------------------- SQLite

def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)


def _integrity(conn: sqlite3.Connection) -> str:
    return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check").fetchall())


def _sqlite_backup(live: Path, target: Path) -> Path:
    if not live.exists():
        raise BackupError(f"De database {live} bestaat niet.")
    partial = target.with_name(target.name + ".partial")
    source, copy = _connect(live), _connect(partial)
    try:
        source.backup(copy)  # one step: a consistent snapshot, writers wait at most the busy timeout
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file, no -wal beside it
        problem = _integrity(copy)
    finally:
        copy.close()
        source.close()
    if problem != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"De kopie is niet in orde (integrity_check: {problem}); er is geen backup gemaakt.")
    return _finish(partial, target)


def _check_sqlite_backup(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problem = _integrity(conn)
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is geen bruikbare SQLite-backup: {exc}") from exc
    if problem != "ok":
        raise BackupError(f"{path} is beschadigd (integrity_check: {problem}); er is niets hersteld.")
    if not {"piccolo_user", "signaal"} <= tables:
        raise BackupError(f"{path} is geen backup van Signaalwerk; er is niets hersteld.")


def _sqlite_restore(backup_file: Path, live: Path) -> None:
    live.parent.mkdir(parents=True, exist_ok=True)
    source, target = _connect(backup_file), _connect(live)
    try:
        wal = target.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        source.backup(target)  # replaces every page of the live database in one step, under its write lock
        if wal:
            target.execute("PRAGMA journal_mode=WAL")
        problem = _integrity(target)
    finally:
        target.close()
        source.close()
    if problem != "ok":
        raise BackupError(f"Na het herstel meldt integrity_check: {problem}")


# ----------------------------------------------------------------------------- PostgreSQL

def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} ontbreekt. Installeer Debians PostgreSQL-client: "
                          f"sudo apt-get install -y postgresql-client")
    return path


def _pg_args(settings: Settings) -> tuple[list[str], dict]:
    config = settings.postgres_config
    env = {**os.environ}
    if config.get("password"):
        env["PGPASSWORD"] = config["password"]
    args = ["-h", str(config["host"]), "-p", str(config["port"]), "-U", config["user"]]
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603 - our own argument list
    if result.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} faalde ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _pg_backup(settings: Settings, target: Path) -> Path:
    args, env = _pg_args(settings)
    partial = target.with_name(target.name + ".partial")
    try:
        _run([_pg_tool("pg_dump"), "-Fc", *args, "-f", str(partial), settings.postgres_config["database"]], env)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    return _finish(partial, target)


def _pg_restore(settings: Settings, dump: Path) -> None:
    args, env = _pg_args(settings)
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          *args, "-d", settings.postgres_config["database"], str(dump)], env)


# ----------------------------------------------------------------------------- the commands

def extension(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return ".dump" if settings.engine == "postgres" else ".sqlite"


def backup(directory: Path | None = None, *, settings: Settings | None = None, suffix: str = "") -> Path:
    """Back up the live database to data/backups/signaalwerk-YYYYmmdd-HHMMSS.(sqlite|dump); returns the path."""
    settings = settings or get_settings()
    target = _target(Path(directory or BACKUP_DIR), extension(settings), suffix)
    if settings.engine == "postgres":
        return _pg_backup(settings, target)
    return _sqlite_backup(settings.sqlite_path, target)


def restore(path: Path | str, *, settings: Settings | None = None, directory: Path | None = None) -> Path | None:
    """Restore a backup into the live database; returns the safety backup taken of what was there before."""
    settings = settings or get_settings()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} bestaat niet.")
    wanted = extension(settings)
    if path.suffix != wanted:
        engine = "PostgreSQL" if settings.engine == "postgres" else "SQLite"
        raise BackupError(f"{path.name} is geen {wanted}-backup; deze installatie draait op {engine}.")
    if settings.engine == "postgres":
        args, env = _pg_args(settings)
        _run([_pg_tool("pg_restore"), "--list", str(path)], env)  # not a pg_dump archive: refused before any change
        safety: Path | None = backup(directory, settings=settings, suffix="-voor-herstel")
        _pg_restore(settings, path)
        return safety
    _check_sqlite_backup(path)
    safety = backup(directory, settings=settings, suffix="-voor-herstel") if settings.sqlite_path.exists() else None
    _sqlite_restore(path, settings.sqlite_path)
    return safety
