"""Test set-up: a fresh database per run (SQLite file, or a new PostgreSQL database), migrations applied,
and the personas every view is tested with.

SIGNAALWERK_TEST_ENGINE=postgres runs the same suite on PostgreSQL (TEST_DATABASE_URL names the server).
The environment is set before the app is imported: settings are read once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = os.environ.get("SIGNAALWERK_TEST_ENGINE", "sqlite")
# The SQLite test database lives in memory (tmpfs) where there is one: it is thrown away after the run, and every
# commit's fsync on a busy disk was a large part of each test's setup. Removed at the end of the run.
_shm = Path("/dev/shm")  # noqa: S108 - a private mkdtemp below it, removed after the run
_tmp = Path(tempfile.mkdtemp(prefix="signaalwerk-test-", dir=_shm if os.access(_shm, os.W_OK) else None))
_pg_server = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_pg_name = f"signaalwerk_test_{uuid.uuid4().hex[:10]}"

if ENGINE == "postgres":
    os.environ["DATABASE_URL"] = _pg_server.rsplit("/", 1)[0] + "/" + _pg_name
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp / 'test.sqlite'}"
os.environ["SIGNAALWERK_SECRET"] = "test-secret-" + "x" * 40
os.environ["SIGNAALWERK_DEMO"] = "1"
os.environ["SIGNAALWERK_PRODUCTION"] = "0"
# The app under test starts no pool of its own: tests/support.py runs every request and query in one event loop and
# starts the pool there itself; code that runs in another loop (manage.py's asyncio.run) gets a connection per query.
os.environ["SIGNAALWERK_DB_POOL"] = "0"
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")

# SIGNAALWERK_TEST_CLOCK=2026-12-01T23:30:00Z runs the whole session from that instant, the clock ticking on
# (time-machine): the suite must pass at any hour, also when the date in Brussels is not the date in UTC.
if os.environ.get("SIGNAALWERK_TEST_CLOCK"):
    import time_machine

    time_machine.travel(os.environ["SIGNAALWERK_TEST_CLOCK"], tick=True).start()


def _pg_admin(sql: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(_pg_server)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def pytest_sessionstart(session: pytest.Session) -> None:
    from common import pdf_cache

    pdf_cache.CACHE_DIR = _tmp / "pdf-cache"  # the run's own cache, removed with the run (not the checkout's data/)
    if ENGINE == "postgres":
        try:
            _pg_admin(f'CREATE DATABASE "{_pg_name}"')
        except Exception as exc:  # noqa: BLE001
            message = f"PostgreSQL is not reachable at {_pg_server}: {exc}"
            if os.environ.get("CI") == "true":
                pytest.exit(message, returncode=3)
            pytest.exit(message + " (skipped)", returncode=0)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "piccolo.main", "migrations", "forwards", "all"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0 or "Error" in result.stdout:
        pytest.exit(f"migrations failed:\n{result.stdout}\n{result.stderr}", returncode=3)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests.support import stop_portal

    stop_portal()  # the pool's connections are closed before their database is dropped
    shutil.rmtree(_tmp, ignore_errors=True)
    if ENGINE == "postgres":
        try:
            _pg_admin(f'DROP DATABASE IF EXISTS "{_pg_name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001
            pass


def pytest_report_header(config: pytest.Config) -> str:
    return f"signaalwerk database engine: {ENGINE} ({os.environ['DATABASE_URL']})"


from tests.smtp_support import smtp_server  # noqa: E402,F401  (the test SMTP server, tests/smtp_support.py)
from tests.support import *  # noqa: E402,F401,F403  (fixtures: app, personas, db cleaning)
