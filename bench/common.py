"""Shared by the bench scripts: a fresh database filled with realistic signals, servers, and timing."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")

PLACES = ["Nekkerspoel", "Vaartkom", "Station", "Caputsteenpark", "Vrijbroekpark", "Zennegat", "Grote Markt",
          "Jeugdhuis", "Sporthal", "Bibliotheek", "Kerkplein", "Dijlepad", "Speelplein", "Skatepark"]
THEMES = [
    ("Te weinig ontmoetingsplekken in {p}", "Jongeren zoeken een ontmoetingsplek in {p} maar worden weggestuurd.",
     "te-weinig-ontmoetingsplekken", "ruimte"),
    ("Laatste bus vertrekt te vroeg aan {p}", "Na de training kunnen jongeren niet meer naar huis met de bus.",
     "mobiliteit", "vrije-tijd"),
    ("Banken weggehaald in {p}", "Sinds de heraanleg zijn er geen banken en vuilbakken meer in {p}.",
     "publieke-ruimte", "ruimte"),
    ("Sportclub te duur", "Het lidgeld is te hoog voor grote gezinnen; de korting is niet gekend.",
     "aanbod-ontoegankelijk", "vrije-tijd"),
    ("Niemand om mee te praten", "Jongeren in {p} weten niet bij wie ze terechtkunnen met stress.",
     "mentaal-welzijn", "welzijn"),
    ("Pesten in een groepschat", "Filmpjes worden gedeeld; de school reageert traag.", "online-veiligheid", "online"),
    ("Geen studieplek tijdens de examens", "De bibliotheek sluit te vroeg, thuis is het te druk.", "onderwijs",
     "onderwijs"),
    ("Politiecontroles in {p}", "Groepjes jongeren voelen zich geviseerd door controles in {p}.",
     "veiligheid-politie", "veiligheid"),
]
STATUSES = ["nieuw"] * 5 + ["gebundeld", "geagendeerd", "gesignaleerd", "beantwoord", "afgesloten"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> str:
    return f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"


def database_url(engine: str, name: str) -> str:
    if engine == "postgres":
        return f"{PG_SERVER}/{name}"
    OUT.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{OUT / (name + '.sqlite')}"


def env_for(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "SIGNAALWERK_SECRET": "bench-" + "s" * 40, "PYTHONPATH": str(ROOT),
            "SIGNAALWERK_DEMO": "0", "SIGNAALWERK_PRODUCTION": "0"}


def reset_database(engine: str, name: str) -> str:
    url = database_url(engine, name)
    if engine == "postgres":
        import asyncpg

        async def recreate() -> None:
            conn = await asyncpg.connect(PG_SERVER + "/postgres")
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()

        asyncio.run(recreate())
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "piccolo.main", "migrations", "forwards", "all"], cwd=ROOT,
                   env=env_for(url), check=True, capture_output=True)
    return url


def fill(url: str, n_signals: int, n_gemeenten: int = 10, seed: int = 7) -> dict:
    """Organisation, gemeenten, one worker per gemeente, n signals spread over them; returns ids and a token."""
    code = f"""
import asyncio, json, random, datetime as dt
from admin.tables import Organisatie, Gemeente, Lidmaatschap
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase
from signalen.tables import Signaal, Levensdomein, Signaaltype
from signalen.search import document
from bench.common import THEMES, PLACES, STATUSES
BaseUser._pbkdf2_iteration_count = 1000
async def main():
    rnd = random.Random({seed})
    org = Organisatie(naam="Bench", slug="bench"); await org.save()
    gemeenten, users = [], []
    for i in range({n_gemeenten}):
        g = Gemeente(naam=f"Gemeente {{i}}", slug=f"g{{i}}", organisatie=org.id); await g.save(); gemeenten.append(g.id)
        u = BaseUser(username=f"werker{{i}}", email=f"werker{{i}}@bench.test", password="bench-bench", active=True); await u.save(); users.append(u.id)
        await Lidmaatschap(user=u.id, gemeente=g.id, rol="jeugdopbouwwerker").save()
    tax_l = {{r["slug"]: r["id"] for r in await Levensdomein.select()}}
    tax_t = {{r["slug"]: r["id"] for r in await Signaaltype.select()}}
    today = dt.date.today(); now = dt.datetime.now(dt.UTC)
    rows = []
    for k in range({n_signals}):
        gi = k % len(gemeenten)
        titel, oms, soort, domein = THEMES[rnd.randrange(len(THEMES))]
        p = PLACES[rnd.randrange(len(PLACES))]
        t, o = titel.format(p=p), oms.format(p=p) + f" (nr {{k}})"
        rows.append(Signaal(gemeente=gemeenten[gi], auteur=users[gi], titel=t, omschrijving=o, plek=p,
            datum=today - dt.timedelta(days=rnd.randrange(900)), bron="straat", levensdomein=tax_l[domein],
            signaaltype=tax_t[soort], aantal_jongeren=rnd.randrange(1, 20), status=STATUSES[rnd.randrange(len(STATUSES))],
            citaten="[]", persoonsgegevens="[]", aangemaakt_op=now, gewijzigd_op=now,
            zoektekst=document(t, o, p, [])))
        if len(rows) == 1000:  # PostgreSQL binds at most 32 767 parameters per statement
            await Signaal.insert(*rows); rows = []
    if rows:
        await Signaal.insert(*rows)
    session = await SessionsBase.create_session(user_id=users[0], expiry_date=now.replace(tzinfo=None) + dt.timedelta(hours=11),
        max_expiry_date=now.replace(tzinfo=None) + dt.timedelta(hours=12))
    ids = [r["id"] for r in await Signaal.select(Signaal.id).where(Signaal.gemeente == gemeenten[0]).limit(2000)]
    print(json.dumps({{"gemeente": gemeenten[0], "user": users[0], "token": session.token, "ids": ids}}))
asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env_for(url), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
    analyze(url)
    return json.loads(result.stdout.strip().splitlines()[-1])


def analyze(url: str) -> None:
    """After a bulk load, give PostgreSQL's planner statistics, as autovacuum would within a minute in production.
    Without them it estimates one row per table and picks nested bitmap scans: the agenda view took 130 ms
    instead of 9 ms. (Not on SQLite: ANALYZE there made the register's count slower, STACK-NOTES.)"""
    if url.startswith("postgresql"):
        subprocess.run(["psql", url, "-qc", "ANALYZE"], check=True)


@contextmanager
def server(url: str, target: str, factory: bool = False):
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
           "--log-level", "warning"] + (["--factory"] if factory else [])
    env = env_for(url)
    env["SIGNAALWERK_DB_POOL"] = os.environ.get("BENCH_DB_POOL", "1")  # BENCH_DB_POOL=0: Piccolo's way, to compare
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(base + ("/health" if factory else "/floor/signaal/1"), timeout=2).status_code < 500:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def timed(fn, n: int, warmup: int = 20) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"n": n, "p50": statistics.median(samples), "p95": samples[int(0.95 * (n - 1))], "max": samples[-1]}
