"""Benchmark of similar signals (issue 14): signal create with its embedding right after the response vs. the same
create without it (today's create), and the similar-signals lists, at 100k signals on SQLite, beside the floor (a
bare Litestar + Piccolo handler on the same database, bench/floor_app.py).

    .venv/bin/python bench/similar.py [--size 100000] [-n 300] [--texts 3000] [--lists-only]

The database is filled in bulk (bench/common.fill); then a few thousand real Dutch signal texts are embedded with
the real model and every signal gets the vector of a text of its own theme and place, with a little noise (so the
vectors are real, not all equal). Prints a Markdown table for bench/RESULTS.md and writes bench/out/similar.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, PLACES, THEMES, fill, machine, reset_database, server, timed  # noqa: E402

OPENINGS = ["", "Jongeren vertellen: ", "Op straat gehoord: ", "Tijdens de activiteit: ", "Via een partner: "]
ENDINGS = ["", " Ze voelen zich niet gehoord.", " Dit gebeurt elke week.", " Vooral bij de oudere tieners.",
           " De ouders weten het niet.", " Het wordt erger sinds de zomer."]


def app_without_embedding():
    """The app as it was before issue 14: a create schedules no embedding (the factory for the comparison)."""
    from signalen import embeddings

    embeddings.after_response = lambda signaal_id: None  # type: ignore[assignment,return-value]
    from app import create_app

    return create_app()


def texts(count: int, rnd: random.Random) -> list[tuple[int, str, str]]:
    """(theme index, place, text): real Dutch signal texts in the bench's themes, varied in opening and ending."""
    out = []
    for _ in range(count):
        theme = rnd.randrange(len(THEMES))
        place = PLACES[rnd.randrange(len(PLACES))]
        titel, oms, _soort, _domein = THEMES[theme]
        out.append((theme, place, rnd.choice(OPENINGS) + titel.format(p=place) + ". " + oms.format(p=place)
                    + rnd.choice(ENDINGS)))
    return out


def attach_vectors(url: str, count: int) -> None:
    from signalen import meaning

    rnd = random.Random(3)
    sample = texts(count, rnd)
    vectors = meaning.embed([text for _t, _p, text in sample])
    by_key: dict[tuple[str, str], list[np.ndarray]] = {}
    titles = {}
    for (theme, place, _text), vector in zip(sample, vectors, strict=True):
        key = (THEMES[theme][0].format(p=place), place)
        by_key.setdefault(key, []).append(vector)
        titles[key] = theme
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, titel, plek FROM signaal").fetchall()
        updates = []
        fallback = list(by_key.values())
        for signaal_id, titel, plek in rows:
            pool = by_key.get((titel, plek)) or rnd.choice(fallback)
            vector = pool[rnd.randrange(len(pool))] + rng.normal(0, 0.01, meaning.DIMENSIONS).astype(np.float32)
            vector /= np.linalg.norm(vector)
            updates.append((meaning.to_bytes(vector), signaal_id))
        conn.executemany("UPDATE signaal SET betekenis = ? WHERE id = ?", updates)


rng = np.random.default_rng(5)


def run(size: int, n: int, count: int, lists_only: bool = False) -> dict:
    if lists_only:  # the database of an earlier run: only the similar-signal lists again
        return run_lists(size, n)
    url = reset_database("sqlite", f"bench_similar_{size}")
    data = fill(url, size)
    attach_vectors(url, count)
    rnd = random.Random(1)
    form = {"gemeente": "g0", "titel": "Geen plek om te zitten aan het station",
            "omschrijving": "Jongeren worden weggestuurd van de trappen.", "datum": "2026-12-01", "plek": "Station"}
    draft = {"gemeente": "g0", "titel": "De laatste bus aan het station is al weg",
             "omschrijving": "Na de training geraken ze niet thuis."}
    results: dict[str, dict] = {}

    def creates(client: httpx.Client, label: str) -> None:
        # A new connection per create, as a phone sends one signal: on a kept-alive connection uvicorn reads the
        # next request only after the previous one's background task, which a real second sender never waits for.
        client.cookies.set("id", data["token"])
        client.get("/signalen/nieuw")
        csrf = client.cookies.get("sw_csrftoken")
        results[f"create (API POST), {label}, back to back"] = timed(lambda: _ok(client.post(
            "/api/v1/signalen", json=form, headers={"x-csrf-token": csrf}), 201), n)
        results[f"create (API POST), {label}, {GAP * 1000:.0f} ms apart"] = timed_apart(lambda: _ok(client.post(
            "/api/v1/signalen", json=form, headers={"x-csrf-token": csrf}), 201), n)
        results[f"create (form POST), {label}"] = timed(lambda: _ok(client.post(
            "/signalen/nieuw", data={**form, "_csrf_token": csrf}, follow_redirects=False), 303), n)

    fresh = httpx.Limits(max_keepalive_connections=0)
    with server(url, "bench.similar:app_without_embedding", factory=True) as base, \
            httpx.Client(base_url=base, timeout=30, limits=fresh) as client:
        creates(client, "today: no embedding")
    with server(url, "app:create_app", factory=True) as base:
        with httpx.Client(base_url=base, timeout=30, limits=fresh) as client:
            creates(client, "embedding after the response")
        client = httpx.Client(base_url=base, timeout=30)
        client.cookies.set("id", data["token"])
        client.get("/signalen/nieuw")
        csrf = client.cookies.get("sw_csrftoken")
        results["similar list GET /api/v1/signalen/{id}/vergelijkbaar"] = timed(lambda: _ok(client.get(
            f"/api/v1/signalen/{rnd.choice(data['ids'])}/vergelijkbaar"), 200), n)
        results["intake hint POST /api/v1/signalen/vergelijkbaar"] = timed(lambda: _ok(client.post(
            "/api/v1/signalen/vergelijkbaar", json=draft, headers={"x-csrf-token": csrf}), 200), n)
        results["detail page (for scale)"] = timed(lambda: _ok(client.get(
            f"/signalen/{rnd.choice(data['ids'])}"), 200), n)
        client.close()
    with server(url, "bench.floor_app:app") as base, httpx.Client(base_url=base, timeout=30) as client:
        results["floor: insert"] = timed(lambda: _ok(client.post(
            f"/floor/signaal/{data['gemeente']}/{data['user']}"), 201), n)
        results["floor: select by id"] = timed(
            lambda: _ok(client.get(f"/floor/signaal/{rnd.choice(data['ids'])}"), 200), n)
        results["floor: 25 newest of a gemeente → Jinja"] = timed(
            lambda: _ok(client.get(f"/floor/register/{data['gemeente']}"), 200), n)
    return results


GAP = 0.15  # longer than one embedding here: each create meets an idle server, as one worker's phone would


def timed_apart(fn, n: int) -> dict:
    """Like bench.common.timed, with a pause of GAP between requests that is not timed."""
    samples = []
    for index in range(n + 5):
        time.sleep(GAP)
        start = time.perf_counter()
        fn()
        if index >= 5:
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"n": n, "p50": statistics.median(samples), "p95": samples[int(0.95 * (n - 1))], "max": samples[-1]}


def run_lists(size: int, n: int) -> dict:
    from bench.common import database_url

    url = database_url("sqlite", f"bench_similar_{size}")
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        user, gemeente = conn.execute(
            "SELECT u.id, m.gemeente FROM piccolo_user u JOIN lidmaatschap m ON m.\"user\" = u.id "
            "WHERE u.username = 'werker0'").fetchone()
        ids = [r[0] for r in conn.execute("SELECT id FROM signaal WHERE gemeente = ? LIMIT 2000", (gemeente,))]
        token = conn.execute("SELECT token FROM sessions WHERE user_id = ? ORDER BY id LIMIT 1", (user,)).fetchone()[0]
    rnd = random.Random(1)
    draft = {"gemeente": "g0", "titel": "De laatste bus aan het station is al weg",
             "omschrijving": "Na de training geraken ze niet thuis."}
    results: dict[str, dict] = {}
    with server(url, "app:create_app", factory=True) as base, httpx.Client(base_url=base, timeout=30) as client:
        client.cookies.set("id", token)
        client.get("/signalen/nieuw")
        csrf = client.cookies.get("sw_csrftoken")
        results["similar list GET /api/v1/signalen/{id}/vergelijkbaar"] = timed(lambda: _ok(client.get(
            f"/api/v1/signalen/{rnd.choice(ids)}/vergelijkbaar"), 200), n)
        results["intake hint POST /api/v1/signalen/vergelijkbaar"] = timed(lambda: _ok(client.post(
            "/api/v1/signalen/vergelijkbaar", json=draft, headers={"x-csrf-token": csrf}), 200), n)
        results["detail page (for scale)"] = timed(lambda: _ok(client.get(f"/signalen/{rnd.choice(ids)}"), 200), n)
    return results


def _ok(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url} → {response.status_code}: "
                           f"{response.text[:300]}")


def table(size: int, results: dict) -> str:
    lines = ["| signals | scenario | n | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {size:,} | {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--lists-only", action="store_true", help="reuse the database of an earlier run")
    args = parser.parse_args()
    results = run(args.size, args.n, args.texts, args.lists_only)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "similar.json").write_text(json.dumps({"machine": machine(), "size": args.size, "results": results},
                                                 indent=2))
    print(machine())
    print(table(args.size, results))


if __name__ == "__main__":
    main()
