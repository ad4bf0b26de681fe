"""Benchmark of /inzicht and /bovenlokaal with 100k signals over 10 gemeenten (SQLite and PostgreSQL).

    .venv/bin/python bench/inzicht.py [--engines sqlite,postgres] [--size 100000] [-n 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, ROOT, env_for, fill, machine, reset_database, server, timed  # noqa: E402

COORDINATOR = """
import asyncio, datetime as dt, json
from admin.tables import Gemeente, Lidmaatschap
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase
BaseUser._pbkdf2_iteration_count = 1000
async def main():
    user = BaseUser(username="coordinator", email="c@bench.test", password="bench-bench", active=True)
    await user.save()
    gemeente = (await Gemeente.select(Gemeente.id).order_by(Gemeente.id).first())["id"]
    await Lidmaatschap(user=user.id, gemeente=gemeente, rol="coordinator").save()
    now = dt.datetime.now()
    session = await SessionsBase.create_session(user_id=user.id, expiry_date=now + dt.timedelta(hours=11),
                                                max_expiry_date=now + dt.timedelta(hours=12))
    print(json.dumps({"token": session.token}))
asyncio.run(main())
"""


def run(engine: str, size: int, n: int) -> dict:
    url = reset_database(engine, f"bench_inzicht_{size}")
    fill(url, size, n_gemeenten=10)
    result = subprocess.run([sys.executable, "-c", COORDINATOR], cwd=ROOT, env=env_for(url), capture_output=True,
                            text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    token = json.loads(result.stdout.strip().splitlines()[-1])["token"]
    results = {}
    with server(url, "app:create_app", factory=True) as base, httpx.Client(base_url=base, timeout=120) as client:
        client.cookies.set("id", token)
        results["/inzicht (10 gemeenten, all periods)"] = timed(lambda: _ok(client.get("/inzicht/")), n, warmup=5)
        results["/inzicht?gemeente=g3&van=…"] = timed(
            lambda: _ok(client.get(f"/inzicht/?gemeente=g3&van={dt.date.today().year - 1}-01-01")), n, warmup=5)
        results["/bovenlokaal (12 months)"] = timed(lambda: _ok(client.get("/bovenlokaal/")), n, warmup=5)
    with server(url, "bench.floor_app:app") as base, httpx.Client(base_url=base, timeout=120) as client:
        results["floor: the same GROUP BYs in sequence → Jinja"] = timed(
            lambda: _ok(client.get("/floor/inzicht")), n, warmup=5)
    return results


def _ok(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url} → {response.status_code}: {response.text[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("-n", type=int, default=300)
    args = parser.parse_args()
    lines = ["| engine | signals | scenario | n | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
    out = {}
    for engine in args.engines.split(","):
        print(f"… {engine}", flush=True)
        out[engine] = run(engine, args.size, args.n)
        for name, r in out[engine].items():
            lines.append(f"| {engine} | {args.size:,} | {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "inzicht.json").write_text(json.dumps(out, indent=2))
    print(f"\nMachine: {machine()}\nDate: {dt.date.today()}\nCommand: {' '.join(sys.argv)}\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
