"""Benchmark of the street worker's side: create (form, API), register (filter, search), detail — at 1k/10k/100k
signals on SQLite and PostgreSQL, beside a bare Litestar handler on the same database (the floor).

    .venv/bin/python bench/signalen.py [--sizes 1000,10000,100000] [--engines sqlite,postgres] [-n 500]

Writes bench/out/signalen.json and prints a Markdown table to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, fill, machine, reset_database, server, timed  # noqa: E402


def run(engine: str, size: int, n: int) -> dict:
    url = reset_database(engine, f"bench_signalen_{size}")
    data = fill(url, size)
    rnd = random.Random(1)
    results = {}
    today = dt.date.today().isoformat()
    form = {"gemeente": "g0", "titel": "Geen plek om te zitten aan het station",
            "omschrijving": "Jongeren worden weggestuurd van de trappen.", "datum": today, "plek": "Station"}
    with server(url, "app:create_app", factory=True) as base, httpx.Client(base_url=base, timeout=30) as client:
        client.cookies.set("id", data["token"])
        client.get("/signalen/nieuw")
        csrf = client.cookies.get("sw_csrftoken")
        results["create (form POST)"] = timed(lambda: _ok(client.post(
            "/signalen/nieuw", data={**form, "_csrf_token": csrf}, follow_redirects=False), 303), n)
        results["create (API POST)"] = timed(lambda: _ok(client.post(
            "/api/v1/signalen", json=form, headers={"x-csrf-token": csrf}), 201), n)
        results["register, filter status=nieuw"] = timed(lambda: _ok(client.get("/signalen/?status=nieuw"), 200), n)
        results["register, search q=ontmoetingsplek"] = timed(
            lambda: _ok(client.get("/signalen/?q=ontmoetingsplek"), 200), n)
        results["detail page"] = timed(lambda: _ok(client.get(f"/signalen/{rnd.choice(data['ids'])}"), 200), n)
    with server(url, "bench.floor_app:app") as base, httpx.Client(base_url=base, timeout=30) as client:
        results["floor: insert"] = timed(lambda: _ok(client.post(
            f"/floor/signaal/{data['gemeente']}/{data['user']}"), 201), n)
        results["floor: 25 newest of a gemeente → Jinja"] = timed(
            lambda: _ok(client.get(f"/floor/register/{data['gemeente']}"), 200), n)
        results["floor: select by id"] = timed(
            lambda: _ok(client.get(f"/floor/signaal/{rnd.choice(data['ids'])}"), 200), n)
    return results


def _ok(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url} → {response.status_code}: "
                           f"{response.text[:300]}")


def table(all_results: dict) -> str:
    lines = ["| engine | signals | scenario | n | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
    for (engine, size), results in all_results.items():
        for name, r in results.items():
            lines.append(f"| {engine} | {size:,} | {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("-n", type=int, default=500)
    args = parser.parse_args()
    all_results = {}
    for engine in args.engines.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"… {engine} {size}", flush=True)
            all_results[(engine, size)] = run(engine, size, args.n)
            OUT.mkdir(parents=True, exist_ok=True)
            path = OUT / f"signalen-{engine}.json"  # written as we go: a failure later keeps what was measured
            path.write_text(json.dumps({str(s): r for (e, s), r in all_results.items() if e == engine}, indent=2))
            print(table({(engine, size): all_results[(engine, size)]}), flush=True)
    print(f"\nMachine: {machine()}\nCommand: {' '.join(sys.argv)}\n")
    print(table(all_results))


if __name__ == "__main__":
    main()
