"""Fixtures shared by every test module: the app, a clean database per test, and the personas."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from litestar.testing import TestClient
from piccolo.apps.user.tables import BaseUser
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from common.sqlite_pool import PooledSQLiteEngine

# Test passwords need no brute-force resistance; production keeps Piccolo's 600k iterations.
BaseUser._pbkdf2_iteration_count = 1_000

PASSWORD = "geheim-wachtwoord"


# ----------------------------------------------------------------------------- one event loop, one pool

# Every request of every TestClient and every sync() runs in this one event loop (an anyio blocking portal in its own
# thread), with a connection pool in it as the app's lifespan would start one. Without it each request started a
# thread and an event loop, and each query opened a database connection (SIGNAALWERK_DB_POOL=0): most of a test's time.
_portal: BlockingPortal | None = None
_portal_stack = ExitStack()


_PG_POOL_SLOT = PostgresEngine.pool  # where PostgresEngine keeps its pool; the property below wraps it


class _OneLoopPostgres(PostgresEngine):
    """An asyncpg pool only works in the event loop that made it. From any other loop (manage.py's asyncio.run,
    schemathesis' own portal) Piccolo sees no pool here and opens a connection per query, as it does without one."""

    __slots__ = ()

    @property
    def pool(self):
        pool = _PG_POOL_SLOT.__get__(self)
        loop = asyncio._get_running_loop()
        return None if pool is not None and loop is not None and pool._loop is not loop else pool

    @pool.setter
    def pool(self, value) -> None:
        current = _PG_POOL_SLOT.__get__(self)
        if value is not None and current is not None and not current._closed:
            raise RuntimeError("the test run's pool is still open: suspend it first (without_session_pool)")
        _PG_POOL_SLOT.__set__(self, value)


class _OneLoopSQLite(PooledSQLiteEngine):
    """common.sqlite_pool's pool, used only from the loop that started it; other loops get Piccolo's own way."""

    _pool_loop: asyncio.AbstractEventLoop | None = None

    async def start_connection_pool(self, **kwargs) -> None:
        if self._idle is not None and self._pool_loop is not asyncio.get_running_loop():
            raise RuntimeError("the test run's pool is still open: suspend it first (without_session_pool)")
        self._pool_loop = asyncio.get_running_loop()
        await super().start_connection_pool(**kwargs)

    async def _run_in_new_connection(self, *args, **kwargs):
        if self._idle is not None and asyncio.get_running_loop() is not self._pool_loop:
            return await SQLiteEngine._run_in_new_connection(self, *args, **kwargs)
        return await super()._run_in_new_connection(*args, **kwargs)


def _db():
    from piccolo_conf import DB

    return DB


async def _start_pool() -> None:
    from settings import get_settings

    settings = get_settings()
    await _db().start_connection_pool(min_size=settings.pool_min, max_size=settings.pool_max)


async def _close_pool() -> None:
    db = _db()
    if (db.pool if isinstance(db, PostgresEngine) else db._idle) is not None:
        await db.close_connection_pool()


def portal() -> BlockingPortal:
    """The run's event loop, started on first use (after the migrations) together with the pool."""
    global _portal
    if _portal is None:
        db = _db()
        # Same memory layout (no new slots), so the engine Piccolo's tables hold can change class in place.
        db.__class__ = _OneLoopPostgres if isinstance(db, PostgresEngine) else _OneLoopSQLite
        _portal = _portal_stack.enter_context(start_blocking_portal("asyncio"))
        _portal.call(_start_pool)
    return _portal


def stop_portal() -> None:
    """Close the pool and the loop (before the PostgreSQL test database is dropped)."""
    global _portal
    if _portal is not None:
        _portal.call(_close_pool)
        _portal_stack.close()
        _portal = None


@pytest.fixture
def without_session_pool():
    """For a test of the pool's own start and stop (the lifespan): the run's pool is closed meanwhile."""
    portal().call(_close_pool)
    yield
    portal().call(_start_pool)


def sync(work):
    """Run a Piccolo query or a coroutine from a plain test, in the run's event loop."""
    if hasattr(work, "run_sync"):
        return portal().call(work.run)
    return portal().call(lambda: work)


def all_tables():
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    return sort_table_classes(Finder().get_table_classes())


SEEDED = {"levensdomein", "signaaltype"}  # filled by migrations; kept, and put back to active


def _wipe_script() -> str:
    """Children before parents (foreign keys are on), in one transaction: one round trip, one commit."""
    statements = [
        f'UPDATE "{name}" SET "actief" = TRUE' if name in SEEDED else f'DELETE FROM "{name}"'  # noqa: S608 (our own table names)
        for name in (table._meta.tablename for table in reversed(all_tables()))
    ]
    return "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;"


async def _wipe_postgres(script: str) -> None:
    # asyncpg's execute() without arguments takes several statements at once (simple query protocol).
    async with _db().pool.acquire() as connection:
        await connection.execute(script)


def wipe_database() -> None:
    script = _wipe_script()
    db = _db()
    if isinstance(db, PostgresEngine):
        portal().call(_wipe_postgres, script)
    else:
        # A plain sqlite3 connection (the same busy timeout as the app's engine): executescript runs it all at once.
        connection = sqlite3.connect(db.path, timeout=30, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = 1")
            connection.executescript(script)
        finally:
            connection.close()


@pytest.fixture(scope="session")
def app():
    from app import create_app

    return create_app()


@pytest.fixture(autouse=True)
def clean_database():
    wipe_database()
    yield


@dataclass
class Persona:
    """A person using the app through a test client: logged in (or not), with CSRF handled like a browser."""

    name: str
    client: TestClient
    user_id: int | None = None
    gemeenten: dict[str, int] = field(default_factory=dict)

    def csrf(self) -> str:
        token = self.client.cookies.get("sw_csrftoken")
        if not token:
            self.client.get("/health")
            self.client.get("/login/")
            token = self.client.cookies.get("sw_csrftoken")
        return token or ""

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        body = {"_csrf_token": self.csrf(), **(data or {})}
        return self.client.post(url, data=body, **kwargs)

    def api(self, method: str, url: str, json=None, **kwargs):
        headers = {"x-csrf-token": self.csrf(), **kwargs.pop("headers", {})}
        return self.client.request(method, url, json=json, headers=headers, **kwargs)


@dataclass
class World:
    organisatie: int
    gemeenten: dict[str, int]
    users: dict[str, int]


def _build_world() -> World:
    from admin.demo import create_user
    from admin.tables import Gemeente, Organisatie, Rol

    async def build() -> World:
        org = Organisatie(naam="Steunpunt Jeugd", slug="steunpunt")
        await org.save()
        other = Organisatie(naam="Andere Organisatie", slug="andere")
        await other.save()
        gemeenten = {}
        for naam, slug, owner in (("Mechelen", "mechelen", org), ("Hoeilaart", "hoeilaart", org),
                                  ("Leuven", "leuven", other)):
            gemeente = Gemeente(naam=naam, slug=slug, organisatie=owner.id)
            await gemeente.save()
            gemeenten[slug] = gemeente.id
        specs = {
            "werker": [("mechelen", Rol.jeugdopbouwwerker)],
            "werker2": [("hoeilaart", Rol.jeugdopbouwwerker)],
            "voorzitter": [("mechelen", Rol.voorzitter)],
            "partner": [("mechelen", Rol.partner)],
            "coordinator": [("mechelen", Rol.coordinator)],
            "beheerder": [],
        }
        users = {}
        for name, memberships in specs.items():
            user = await create_user(name, PASSWORD, first_name=name.capitalize(), last_name="Test",
                                     admin=name == "beheerder", memberships=memberships)
            users[name] = user.id
        return World(org.id, gemeenten, users)

    return sync(build())


@pytest.fixture
def world() -> World:
    return _build_world()


def login_as(app, world: World | None, name: str) -> Persona:
    from piccolo_api.session_auth.tables import SessionsBase

    client = TestClient(app, raise_server_exceptions=False)
    client.blocking_portal = portal()  # Litestar's TestClient reuses this portal instead of starting one per request
    if name == "anonymous" or world is None:
        return Persona(name, client)
    user_id = world.users[name]
    now = dt.datetime.now()
    session = sync(SessionsBase.create_session(
        user_id=user_id, expiry_date=now + dt.timedelta(minutes=30), max_expiry_date=now + dt.timedelta(hours=12)
    ))
    client.cookies.set("id", session.token, domain="testserver.local")
    return Persona(name, client, user_id, dict(world.gemeenten))


PERSONAS = ("werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder", "anonymous")


@pytest.fixture
def werker(app, world):
    return login_as(app, world, "werker")


@pytest.fixture
def werker2(app, world):
    return login_as(app, world, "werker2")


@pytest.fixture
def voorzitter(app, world):
    return login_as(app, world, "voorzitter")


@pytest.fixture
def partner(app, world):
    return login_as(app, world, "partner")


@pytest.fixture
def coordinator(app, world):
    return login_as(app, world, "coordinator")


@pytest.fixture
def beheerder(app, world):
    return login_as(app, world, "beheerder")


@pytest.fixture
def anonymous(app, world):
    return login_as(app, world, "anonymous")


@pytest.fixture
def personas(app, world) -> dict[str, Persona]:
    return {name: login_as(app, world, name) for name in PERSONAS}


def current_user(persona: Persona):
    """The CurrentUser behind a persona's session (as the app sees it)."""
    from admin.sessions import resolve

    return sync(resolve(persona.client.cookies.get("id")))


def make_signaal(persona: Persona, confirm: bool = False, **overrides) -> dict:
    """A signal recorded by this persona through the service (the same path the pages and API take)."""
    from common.dates import today
    from signalen.services import create_signaal

    data = {
        "gemeente": "mechelen",
        "titel": "Te weinig ontmoetingsplekken in Nekkerspoel",
        "omschrijving": "Jongeren vertellen dat ze nergens samen kunnen zitten zonder iets te moeten kopen.",
        "datum": today().isoformat(),
        "plek": "Nekkerspoel",
        "bron": "straat",
        "levensdomein": "ruimte",
        "signaaltype": "te-weinig-ontmoetingsplekken",
        "aantal_jongeren": 6,
        "leeftijd": "12-15",
        "citaten": ["Overal worden we weggestuurd."],
        **overrides,
    }
    return sync(create_signaal(current_user(persona), data, confirm=confirm))


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (what a screen reader or a search would get)."""
    import subprocess

    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_objects(pdf: bytes) -> bytes:
    """The raw bytes plus every Flate stream decompressed (object streams hold the catalog: /Lang, /MarkInfo)."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def pdf_page_count(pdf: bytes) -> int:
    """Page objects in a PDF, read from its (decompressed) objects: a reader independent of WeasyPrint's count."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf_objects(pdf)))


def pdf_xmp(pdf: bytes) -> str:
    """The XMP metadata (pdfinfo -meta): where PDF/UA identifies itself (pdfuaid:part)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(["pdfinfo", "-meta", handle.name], capture_output=True, text=True).stdout


def publish_dossier(dossier_id: int, gemeente_id: int, punt: str = "Laatste bus") -> None:
    """Put the dossier on a published agenda of a new overleg of the gemeente: from then on its partners read it."""
    from common.dates import today
    from overleg.tables import Agendapunt, Overleg, Vergadering

    overleg = Overleg(gemeente=gemeente_id, naam="Jeugdwelzijnsoverleg")
    sync(overleg.save())
    vergadering = Vergadering(overleg=overleg.id, datum=today(), begin=dt.time(19, 0), status="gepubliceerd")
    sync(vergadering.save())
    sync(Agendapunt(vergadering=vergadering.id, titel=punt, dossier=dossier_id).save())
