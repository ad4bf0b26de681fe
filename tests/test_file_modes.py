"""Data about minors stays with the app's own user: data/ is 0700, the database, its WAL files and the dev secret
0600 — whatever the umask of the shell that started the app."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import settings as settings_module

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import asyncio, sqlite3
from piccolo_conf import DB
from settings import get_settings

async def main():
    await DB.run_ddl("PRAGMA journal_mode=WAL")
    await DB.run_ddl("CREATE TABLE t (x integer)")
    await DB.run_ddl("INSERT INTO t VALUES (1)")

asyncio.run(main())
connection = sqlite3.connect(get_settings().sqlite_path)  # keep the -wal and -shm files while we look
connection.execute("SELECT * FROM t").fetchall()
import os, sys
sys.stdout.write("ok")
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(database: Path, script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{database}",
           "SIGNAALWERK_SECRET": "s" * 40}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          umask=0o022, timeout=60)


def test_a_new_database_its_folder_and_wal_files_are_private(tmp_path):
    database = tmp_path / "nieuw" / "signaalwerk.sqlite"
    script = SCRIPT.replace('sys.stdout.write("ok")', """
for suffix in ("", "-wal", "-shm"):
    sys.stdout.write(oct(os.stat(str(get_settings().sqlite_path) + suffix).st_mode & 0o777) + " ")
""")
    result = _run(database, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o600", "0o600", "0o600"]
    assert mode(database.parent) == 0o700
    assert mode(ROOT / "data") == 0o700


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    database = tmp_path / "signaalwerk.sqlite"
    database.touch(mode=0o644)
    database.chmod(0o644)
    result = _run(database, "import piccolo_conf")
    assert result.returncode == 0, result.stderr
    assert mode(database) == 0o600


def test_the_dev_secret_is_private(tmp_path, monkeypatch):
    monkeypatch.setattr(settings_module, "BASE_DIR", tmp_path)
    monkeypatch.delenv("SIGNAALWERK_SECRET", raising=False)
    old = os.umask(0o022)
    try:
        secret = settings_module._secret(production=False)
    finally:
        os.umask(old)
    assert len(secret) > 32
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / ".dev-secret") == 0o600
