"""Concurrency and crash bench: nothing a worker saved may be lost.

N concurrent writers (default 20) create signals (`POST /api/v1/signalen`) and edit their own ones
(`PATCH /api/v1/signalen/{id}` with `versie`) against a running server (uvicorn, 1 worker, like
bench/common.server) for a while (default 60 s). Every acknowledged write (2xx) is recorded as (id, versie, titel).
Afterwards the database is read directly and every acknowledged write must be there: each created signal exists,
each signal is at least at its last acknowledged version with that version's title (or exactly one step further:
a write the server committed but whose answer never arrived), and each acknowledged edit left its history row.
No request may fail with a 500 or "database is locked".

`--mode crash` kills the server with SIGKILL in the middle of the load, restarts it, lets the writers go on, and
then runs `PRAGMA integrity_check` (SQLite) before the same checks.

    .venv/bin/python bench/concurrency.py                      # SQLite and PostgreSQL, load and crash, 60 s each
    .venv/bin/python bench/concurrency.py --engine sqlite --mode crash --duration 20 --writers 20

Results: a Markdown table on stdout and in bench/out/reliability.md (unless --no-write); recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.common import ROOT, env_for, fill, free_port, machine, reset_database  # noqa: E402

RESULTS = ROOT / "bench" / "out" / "reliability.md"
DB_NAME = "bench_concurrency"


# ----------------------------------------------------------------------------- the server

class Server:
    """uvicorn with one worker, as bench/common.server starts it, but killable with SIGKILL and restartable."""

    def __init__(self, url: str, log: Path) -> None:
        self.url = url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log
        self.log = log.open("w")

    def start(self) -> None:
        cmd = [sys.executable, "-m", "uvicorn", "app:create_app", "--factory", "--host", "127.0.0.1", "--port",
               str(self.port), "--workers", "1", "--log-level", "warning"]
        env = env_for(self.url)
        env["SIGNAALWERK_DB_POOL"] = "1"
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become healthy within 60 s")

    def kill(self) -> None:
        assert self.proc
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ----------------------------------------------------------------------------- the writers

@dataclass
class Stats:
    created: list[tuple[int, int, str]] = field(default_factory=list)  # acknowledged (id, versie, titel)
    edited: list[tuple[int, int, str]] = field(default_factory=list)
    # id -> edits sent but never acknowledged (the answer was lost in the crash): {(versie, titel)}
    pending: dict[int, set[tuple[int, str]]] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"POST": [], "PATCH": []})
    status: dict[int, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)  # 5xx, with the first bytes of the body
    locked: list[str] = field(default_factory=list)  # "database is locked" anywhere in an answer
    other: list[str] = field(default_factory=list)  # unexpected 4xx
    disconnects: int = 0  # no answer (the server was killed): not acknowledged, so not required
    conflicts_after_crash: int = 0  # 409 for an edit whose earlier attempt was committed but never answered


def _payload(writer: int, n: int) -> dict:
    return {
        "gemeente": "g0", "titel": f"bank weg aan het station, schrijver {writer} actie {n}",
        "omschrijving": "Jongeren zitten op de grond sinds de heraanleg; ze vragen een plek om samen te zitten.",
        "datum": dt.date.today().isoformat(), "plek": "Station", "bron": "straat", "levensdomein": "ruimte",
        "signaaltype": "publieke-ruimte", "aantal_jongeren": 4, "leeftijd": "12-15",
        "citaten": ["Waar moeten we heen?"],
    }


async def writer(index: int, server: Server, token: str, clock: dict, stats: Stats, rnd: random.Random) -> None:
    own: dict[int, int] = {}  # signal id -> last acknowledged versie
    n = 0
    client: httpx.AsyncClient | None = None

    async def connect() -> httpx.AsyncClient:
        c = httpx.AsyncClient(base_url=server.base, timeout=60, cookies={"id": token})
        await c.get("/health")  # the CSRF cookie
        return c

    while time.monotonic() < clock["stop_at"]:
        try:
            if client is None:
                client = await connect()
            csrf = {"x-csrf-token": client.cookies.get("sw_csrftoken") or ""}
            n += 1
            if not own or rnd.random() < 0.4:
                method, body = "POST", _payload(index, n)
                start = time.perf_counter()
                response = await client.post("/api/v1/signalen", json=body, headers=csrf)
            else:
                sid = rnd.choice(list(own))
                method, body = "PATCH", {"titel": f"bewerkt door schrijver {index} actie {n}", "versie": own[sid]}
                stats.pending.setdefault(sid, set()).add((own[sid] + 1, body["titel"]))
                start = time.perf_counter()
                response = await client.patch(f"/api/v1/signalen/{sid}", json=body, headers=csrf)
        except (httpx.TransportError, OSError):
            stats.disconnects += 1
            if client is not None:
                await client.aclose()
            client = None
            await asyncio.sleep(0.2)
            continue
        elapsed = (time.perf_counter() - start) * 1000
        stats.status[response.status_code] = stats.status.get(response.status_code, 0) + 1
        text = response.text
        if "database is locked" in text.lower():
            stats.locked.append(f"{method} {response.status_code}: {text[:300]}")
        if response.status_code >= 500:
            stats.server_errors.append(f"{method} {response.status_code}: {text[:300]}")
            continue
        if response.status_code == 409 and method == "PATCH" and stats.pending.get(sid):
            # Our earlier attempt went through before the kill; carry on from the stored version.
            stats.conflicts_after_crash += 1
            own[sid] = response.json().get("huidig", {}).get("versie", own[sid])
            continue
        if not 200 <= response.status_code < 300:
            stats.other.append(f"{method} {response.status_code}: {text[:300]}")
            continue
        stats.latencies[method].append(elapsed)
        data = response.json()
        own[data["id"]] = data["versie"]
        record = (data["id"], data["versie"], data["titel"])
        (stats.created if method == "POST" else stats.edited).append(record)
        if method == "PATCH":
            stats.pending.pop(data["id"], None)  # acknowledged: earlier unanswered attempts are superseded
    if client is not None:
        await client.aclose()


async def run_load(server: Server, token: str, writers: int, duration: float, kill_after: float | None,
                   restart_after: float, stats: Stats) -> dict:
    clock = {"stop_at": time.monotonic() + duration}
    tasks = [asyncio.create_task(writer(i, server, token, clock, stats, random.Random(i))) for i in range(writers)]
    crash = {}
    if kill_after is not None:
        await asyncio.sleep(kill_after)
        acked_before = len(stats.created) + len(stats.edited)
        clock["stop_at"] = float("inf")  # the writers keep knocking while the server is down
        killed = time.monotonic()
        server.kill()
        crash["killed_at_s"] = kill_after
        crash["acked_before_kill"] = acked_before
        # Straight after the crash, before the restart: is the database whole, and is every acknowledged write in it?
        crash["integrity_after_kill"] = await asyncio.to_thread(integrity, server.url)
        crash["lost_after_kill"] = len(await asyncio.to_thread(check, server.url, stats))
        await asyncio.sleep(restart_after)
        await asyncio.to_thread(server.start)
        crash["down_s"] = round(time.monotonic() - killed, 1)
        # The load goes on after the restart for as long as it still had to run at the kill.
        clock["stop_at"] = time.monotonic() + max(duration - kill_after, 0)
    await asyncio.gather(*tasks)
    return crash


# ----------------------------------------------------------------------------- the checks

def read_database(url: str, ids: list[int]) -> tuple[dict[int, tuple[int, str]], dict[int, int]]:
    """(id -> (versie, titel)), (id -> number of 'bewerking' history rows), read straight from the database."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            rows = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, versie, titel FROM signaal")}
            hist = dict(conn.execute("SELECT signaal, count(*) FROM signaal_historiek WHERE soort = 'bewerking' "
                                     "GROUP BY signaal").fetchall())
    else:
        import asyncpg

        async def fetch():
            conn = await asyncpg.connect(url)
            try:
                signalen = await conn.fetch("SELECT id, versie, titel FROM signaal")
                history = await conn.fetch("SELECT signaal, count(*) AS n FROM signaal_historiek "
                                           "WHERE soort = 'bewerking' GROUP BY signaal")
            finally:
                await conn.close()
            return {r["id"]: (r["versie"], r["titel"]) for r in signalen}, {r["signaal"]: r["n"] for r in history}

        rows, hist = asyncio.run(fetch())
    return rows, hist


def integrity(url: str) -> str:
    if not url.startswith("sqlite"):
        return "n.v.t. (PostgreSQL)"
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())


def check(url: str, stats: Stats) -> list[str]:
    """Every acknowledged write must be in the database. Returns the problems (empty: nothing lost)."""
    last: dict[int, tuple[int, str]] = {}
    edits: dict[int, int] = {}
    for sid, versie, titel in stats.created + stats.edited:
        if sid not in last or versie > last[sid][0]:
            last[sid] = (versie, titel)
    for sid, _, _ in stats.edited:
        edits[sid] = edits.get(sid, 0) + 1
    rows, history = read_database(url, list(last))
    problems = []
    for sid, (versie, titel) in sorted(last.items()):
        stored = rows.get(sid)
        if stored is None:
            problems.append(f"signal {sid} (acknowledged versie {versie}) is missing")
        elif stored == (versie, titel):
            pass
        elif stored in stats.pending.get(sid, set()) and stored[0] == versie + 1:
            pass  # committed, answer lost in the crash: allowed (it was never acknowledged, but it is not lost)
        else:
            problems.append(f"signal {sid}: acknowledged (versie {versie}, {titel!r}), stored {stored!r}")
        if history.get(sid, 0) < edits.get(sid, 0):
            problems.append(f"signal {sid}: {edits[sid]} acknowledged edits, {history.get(sid, 0)} history rows")
    return problems


# ----------------------------------------------------------------------------- one run

def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))]


def run(engine: str, mode: str, writers: int, duration: float, kill_after: float | None) -> dict:
    url = reset_database(engine, DB_NAME)
    info = fill(url, n_signals=1000, n_gemeenten=2)
    server = Server(url, ROOT / "bench" / "out" / f"concurrency-{engine}-{mode}.log")
    server.start()
    stats = Stats()
    crash: dict = {}
    started = time.monotonic()
    try:
        crash = asyncio.run(run_load(server, info["token"], writers, duration,
                                     (kill_after if kill_after is not None else duration / 2) if mode == "crash"
                                     else None, 1.0, stats))
    finally:
        elapsed = time.monotonic() - started
        server.stop()
    problems = check(url, stats)
    log = server.log_path.read_text(errors="replace")
    load_s = elapsed - crash.get("down_s", 0)
    all_latencies = stats.latencies["POST"] + stats.latencies["PATCH"]
    acked = len(stats.created) + len(stats.edited)
    return {
        "engine": engine, "mode": mode, "writers": writers, "duration_s": round(elapsed, 1),
        "created": len(stats.created), "edited": len(stats.edited), "acknowledged": acked,
        "writes_per_s": round(acked / load_s, 1), "load_average": os.getloadavg()[0],
        "p50_ms": round(statistics.median(all_latencies), 1) if all_latencies else None,
        "p95_ms": round(percentile(all_latencies, 0.95), 1),
        "p95_post_ms": round(percentile(stats.latencies["POST"], 0.95), 1),
        "p95_patch_ms": round(percentile(stats.latencies["PATCH"], 0.95), 1),
        "status": dict(sorted(stats.status.items())), "server_errors": stats.server_errors[:5],
        "n_server_errors": len(stats.server_errors), "locked": len(stats.locked), "other": stats.other[:5],
        "n_other": len(stats.other), "disconnects": stats.disconnects,
        "conflicts_after_crash": stats.conflicts_after_crash,
        "log_locked": log.lower().count("database is locked"), "log_errors": log.count("Traceback"),
        "log": str(server.log_path.relative_to(ROOT)), "lost": problems[:20],
        "n_lost": len(problems), "integrity": integrity(url), **crash,
    }


def _both(result: dict, after_kill: str, at_end: str) -> str:
    if after_kill in result:
        return f"{result[after_kill]} right after the kill, {result[at_end]} at the end"
    return str(result[at_end])


def table(results: list[dict]) -> str:
    head = ("| engine | mode | writers | s | acknowledged (new + edits) | writes/s | p50 ms | p95 ms "
            "| p95 POST / PATCH ms | 5xx | other 4xx | database is locked (answers / server log) | no answer (killed) "
            "| lost writes | integrity_check | load avg |")
    rows = [head, "|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|"]
    for r in results:
        crash = f" (SIGKILL at {r['killed_at_s']} s, down {r['down_s']} s)" if "killed_at_s" in r else ""
        rows.append(
            f"| {r['engine']} | {r['mode']}{crash} "
            f"| {r['writers']} | {r['duration_s']} | {r['acknowledged']} ({r['created']} + {r['edited']}) "
            f"| {r['writes_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p95_post_ms']} / {r['p95_patch_ms']} "
            f"| {r['n_server_errors']} | {r['n_other']} | {r['locked']} / {r['log_locked']} | {r['disconnects']} "
            f"| {_both(r, 'lost_after_kill', 'n_lost')} "
            f"| {_both(r, 'integrity_after_kill', 'integrity')} "
            f"| {r['load_average']:.1f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--mode", choices=["load", "crash", "both"], default="both")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per run")
    parser.add_argument("--kill-after", type=float, default=None, help="crash mode: seconds before SIGKILL "
                                                                        "(default: half the duration)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    modes = ["load", "crash"] if args.mode == "both" else [args.mode]
    command = "bench/concurrency.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results = []
    for engine in engines:
        for mode in modes:
            print(f"… {engine}, {mode}, {args.writers} writers, {args.duration:g} s", file=sys.stderr, flush=True)
            result = run(engine, mode, args.writers, args.duration, args.kill_after)
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), file=sys.stderr, flush=True)
    report = "\n".join([
        "# Reliability: concurrent writers and a crash",
        "",
        f"- machine: {machine()}",
        f"- command: `.venv/bin/python {command.strip()}`",
        f"- date: {dt.datetime.now().isoformat(timespec='seconds')}",
        "- server: uvicorn `app:create_app`, 1 worker, started as in bench/common.server; 1000 signals beforehand",
        "- each writer: 40 % new signals (`POST /api/v1/signalen`), 60 % edits of its own signals "
        "(`PATCH /api/v1/signalen/{id}` with `versie`); one shared session, CSRF header as a browser sends it",
        "- writes/s: acknowledged writes per second of load while the server was up; load avg: the machine's "
        "1-minute load average at the end of the run (other processes included)",
        "- *lost writes*: acknowledged (2xx) writes not found in the database afterwards (row, last version and "
        "title, one history row per acknowledged edit); *no answer*: requests cut off by the SIGKILL "
        "(never acknowledged, so not required)",
        "",
        table(results),
        "",
    ])
    details = [r for r in results if r["server_errors"] or r["lost"] or r["other"] or r["log_errors"]]
    if details:
        report += "\n## Problems\n\n"
        for r in details:
            report += f"### {r['engine']} / {r['mode']}\n\n"
            for item in r["server_errors"] + r["other"] + r["lost"]:
                report += f"- `{item}`\n"
            if r["log_errors"]:
                report += f"- {r['log_errors']} tracebacks in the server log ({r['log']})\n"
            if r["n_other"]:
                report += f"- {r['n_other']} unexpected 4xx answers in all\n"
    print(report)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report)
    fine = ("ok", "n.v.t. (PostgreSQL)")
    bad = any(r["n_server_errors"] or r["locked"] or r["log_locked"] or r["n_lost"] or r.get("lost_after_kill")
              or r["integrity"] not in fine or r.get("integrity_after_kill", "ok") not in fine for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
