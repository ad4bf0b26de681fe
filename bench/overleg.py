"""Benchmark of the chair's side: the agenda view and the dossier page for an overleg with 10 000 signals in
300 dossiers, on SQLite and PostgreSQL, beside a bare Litestar handler doing the core query (the floor).

    .venv/bin/python bench/overleg.py [--engines sqlite,postgres] [-n 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, ROOT, analyze, env_for, fill, machine, reset_database, server, timed  # noqa: E402

SETUP = """
import asyncio, datetime as dt, json, random
from admin.tables import Lidmaatschap
from overleg.tables import Dossier, Overleg, Vergadering
from signalen.tables import Signaal
async def main():
    rnd = random.Random(3)
    gemeente, user = {gemeente}, {user}
    await Lidmaatschap(user=user, gemeente=gemeente, rol="voorzitter").save()
    overleg = Overleg(gemeente=gemeente, naam="Bench-overleg"); await overleg.save()
    now = dt.datetime.now(dt.UTC)
    dossiers = []
    for i in range(300):
        d = Dossier(gemeente=gemeente, titel=f"Dossier {{i}}", omschrijving="Bench", status="open", aangemaakt_op=now)
        await d.save(); dossiers.append(d.id)
    ids = [r["id"] for r in await Signaal.select(Signaal.id).where(Signaal.gemeente == gemeente)]
    for k, sid in enumerate(ids):
        await Signaal.update({{Signaal.dossier: dossiers[k % 300], Signaal.status: "gebundeld"}}).where(Signaal.id == sid)
    meeting = Vergadering(overleg=overleg.id, datum=dt.date.today() + dt.timedelta(days=14), begin=dt.time(19, 30),
                          plaats="Bench", status="concept")
    await meeting.save()
    print(json.dumps({{"dossiers": dossiers, "vergadering": meeting.id}}))
asyncio.run(main())
"""


QUERY_COUNT = """
import json
from litestar.testing import TestClient
from piccolo.engine.finder import engine_finder
from app import create_app
engine_class = type(engine_finder())  # the engine has __slots__: count on its class
original, count = engine_class.run_querystring, [0]
async def counting(engine, *args, **kwargs):
    count[0] += 1
    return await original(engine, *args, **kwargs)
engine_class.run_querystring = counting
out = {{}}
with TestClient(create_app()) as client:
    client.cookies.set("id", {token!r})
    for name, path in {paths!r}.items():
        client.get(path)  # warm-up: CSRF cookie, session refresh
        before = count[0]
        assert client.get(path).status_code == 200
        out[name] = count[0] - before
print(json.dumps(out))
"""


def query_counts(url: str, token: str, paths: dict[str, str]) -> dict[str, int]:
    """SQL queries per request, counted in-process on the same database (the figure does not depend on timing)."""
    env = {**env_for(url), "SIGNAALWERK_DB_POOL": "0"}
    result = subprocess.run([sys.executable, "-c", QUERY_COUNT.format(token=token, paths=paths)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(engine: str, n: int) -> dict:
    url = reset_database(engine, "bench_overleg")
    data = fill(url, 10_000, n_gemeenten=1)
    result = subprocess.run([sys.executable, "-c", SETUP.format(gemeente=data["gemeente"], user=data["user"])],
                            cwd=ROOT, env=env_for(url), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    extra = json.loads(result.stdout.strip().splitlines()[-1])
    analyze(url)  # the setup moved every signal into a dossier
    rnd = random.Random(5)
    results = {}
    with server(url, "app:create_app", factory=True) as base, httpx.Client(base_url=base, timeout=60) as client:
        client.cookies.set("id", data["token"])
        results["agenda view (300 dossiers)"] = timed(
            lambda: _ok(client.get(f"/vergaderingen/{extra['vergadering']}")), n)
        results["dossier page"] = timed(lambda: _ok(client.get(f"/dossiers/{rnd.choice(extra['dossiers'])}")), n)
    with server(url, "bench.floor_app:app") as base, httpx.Client(base_url=base, timeout=60) as client:
        results["floor: counts per dossier (GROUP BY) → Jinja"] = timed(
            lambda: _ok(client.get(f"/floor/agenda/{data['gemeente']}")), n)
        results["floor: 25 signals of a dossier → Jinja"] = timed(
            lambda: _ok(client.get(f"/floor/dossier/{rnd.choice(extra['dossiers'])}")), n)
    counts = query_counts(url, data["token"], {"agenda view (300 dossiers)": f"/vergaderingen/{extra['vergadering']}",
                                               "dossier page": f"/dossiers/{extra['dossiers'][0]}"})
    for name, queries in counts.items():
        results[name]["queries"] = queries
    return results


def _ok(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url} → {response.status_code}: {response.text[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("-n", type=int, default=300)
    args = parser.parse_args()
    lines = ["| engine | scenario | n | p50 ms | p95 ms | SQL queries per request |", "|---|---|---|---|---|---|"]
    all_results = {}
    for engine in args.engines.split(","):
        print(f"… {engine}", flush=True)
        all_results[engine] = run(engine, args.n)
        for name, r in all_results[engine].items():
            lines.append(f"| {engine} | {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r.get('queries', 1)} |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "overleg.json").write_text(json.dumps(all_results, indent=2))
    print(f"\nMachine: {machine()}\nDate: {dt.date.today()}\nCommand: {' '.join(sys.argv)}\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
