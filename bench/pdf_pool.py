"""`/health` while four clients download a 50-page signaalnota at the same time (issue 13, item 16).

    .venv/bin/python bench/pdf_pool.py [--clients 4] [--per-client 3] [--cache both|off|on]

The real app (uvicorn `app:create_app`, one worker, as bench/common.server starts it) runs against a fresh SQLite
database with the demo data (`manage.py demo`). The demo chair logs in and makes one concept nota per client, each
with six long sections (≈ 50 pages). Then every client downloads its own nota's PDF `--per-client` times in a row
(`GET /api/v1/notas/{id}/pdf`; on a 503 it waits the `Retry-After` it was given and asks again), while a prober asks
`GET /health` every 100 ms. Recorded: p50/p95/max of `/health` under that load and without it, the PDFs served,
the 503s, the seconds per PDF and the peak memory of the server and of its PDF worker processes.

`--cache off` sets SIGNAALWERK_PDF_CACHE_MB=0: every download is a render (the pool alone protects the server);
`on` is the default configuration, where each nota is rendered once and then served from the cache.
Floor: the issue's target, `/health` p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import env_for, free_port, machine, reset_database  # noqa: E402

FLOOR_MS = 200.0
PROSE = ("Jongeren uit de wijk vertellen al maanden dat ze na school nergens samen kunnen zitten. "
         "Het jeugdhuis is alleen in het weekend open.\n\n")
SECTIES = ("aanleiding", "onderbouwing", "analyse", "acties", "advies", "opvolging")


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0}
    return {"n": len(ordered), "p50": statistics.median(ordered), "p95": ordered[int(0.95 * (len(ordered) - 1))],
            "max": ordered[-1]}


def pages_of(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout  # noqa: S603,S607
    match = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
    return int(match.group(1)) if match else 0


def login(base: str):
    import httpx

    client = httpx.Client(base_url=base, timeout=600)
    client.get("/login/")
    response = client.post("/login/", data={"username": "voorzitter", "password": "demo-demo", "next": "/",
                                            "_csrf_token": client.cookies.get("sw_csrftoken") or ""})
    assert "id" in client.cookies, f"login failed: {response.status_code}"
    client.get("/")
    return client


def make_notas(client, clients: int) -> list[int]:
    csrf = {"x-csrf-token": client.cookies.get("sw_csrftoken") or ""}
    dossiers = client.get("/api/v1/dossiers", params={"gemeente": "mechelen"}).json()["items"]
    assert dossiers, "the demo data has no dossiers in Mechelen"
    ids = []
    for index in range(clients):
        body = {"dossiers": [dossiers[0]["id"]], "adressaat": "college",
                "onderwerp": f"Ontmoetingsplekken voor tieners ({index + 1})",
                "secties": {key: (PROSE * 200)[:20_000] for key in SECTIES}}
        response = client.post("/api/v1/notas", json=body, headers=csrf)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def run(mode: str, clients: int, per_client: int) -> dict:
    url = reset_database("sqlite", "pdf_pool")
    env = {**env_for(url), "SIGNAALWERK_DEMO": "1", "SIGNAALWERK_DB_POOL": "1",
           "SIGNAALWERK_PDF_CACHE_MB": "0" if mode == "off" else "200"}
    subprocess.run([sys.executable, "manage.py", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", "from common import pdf_cache; pdf_cache.clear()"], cwd=ROOT, env=env,
                   check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "app:create_app", "--factory", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "1", "--log-level", "warning",
                               "--no-access-log"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    import httpx

    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline, "the server did not start"
            time.sleep(0.3)
        idle = [probe(base) for _ in range(50)]
        chair = login(base)
        notas = make_notas(chair, clients)
        # one download first, outside the measurement: worker processes started, fonts loaded, and the page count
        first = chair.get(f"/api/v1/notas/{notas[0]}/pdf")
        assert first.status_code == 200, first.text[:300]
        pages = pages_of(first.content)
        if mode == "off":
            pass  # nothing is cached: every download below renders
        else:
            subprocess.run([sys.executable, "-c", "from common import pdf_cache; pdf_cache.clear()"], cwd=ROOT,
                           env=env, check=True)

        stop = threading.Event()
        health: list[float] = []
        errors: list[str] = []
        peak = {"server": 0, "workers": 0}

        def prober() -> None:
            while not stop.is_set():
                try:
                    health.append(probe(base))
                except Exception as exc:  # noqa: BLE001 - a failed probe is recorded, not fatal
                    errors.append(f"health: {exc!r}")
                children = descendants(server.pid)
                peak["server"] = max(peak["server"], rss_kib(server.pid))
                peak["workers"] = max(peak["workers"], sum(rss_kib(pid) for pid in children))
                time.sleep(0.1)

        served: list[float] = []
        busy = {"503": 0}
        lock = threading.Lock()

        def downloader(nota_id: int) -> None:
            client = httpx.Client(base_url=base, timeout=600, cookies={"id": chair.cookies.get("id")})
            done = 0
            while done < per_client:
                start = time.perf_counter()
                response = client.get(f"/api/v1/notas/{nota_id}/pdf")
                if response.status_code == 503:
                    with lock:
                        busy["503"] += 1
                    time.sleep(min(30, int(response.headers.get("retry-after", "1"))))
                    continue
                if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                    errors.append(f"pdf {nota_id}: {response.status_code}")
                    return
                with lock:
                    served.append(time.perf_counter() - start)
                done += 1

        probe_thread = threading.Thread(target=prober)
        probe_thread.start()
        started = time.perf_counter()
        workers = [threading.Thread(target=downloader, args=(nota_id,)) for nota_id in notas]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        elapsed = time.perf_counter() - started
        stop.set()
        probe_thread.join()
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"mode": mode, "clients": clients, "per_client": per_client, "pages": pages, "seconds": elapsed,
            "idle": percentiles(idle), "health": percentiles(health), "pdfs": len(served),
            "pdf_s": percentiles(served), "503": busy["503"], "errors": errors[:5],
            "peak_server_mib": peak["server"] / 1024, "peak_workers_mib": peak["workers"] / 1024, "load": load}


def probe(base: str) -> float:
    import httpx

    start = time.perf_counter()
    response = httpx.get(base + "/health", timeout=60)
    assert response.status_code == 200
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--per-client", type=int, default=3)
    parser.add_argument("--cache", choices=("both", "off", "on"), default="both")
    args = parser.parse_args()
    print(machine())
    modes = ("off", "on") if args.cache == "both" else (args.cache,)
    print("| cache | clients × PDFs | pages | s | /health idle p95 ms | /health p50 / p95 / max ms under load "
          "| floor p95 | PDFs | s per PDF p50 / max | 503 (then retried) | peak RSS server / PDF workers MiB "
          "| load avg | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mode in modes:
        r = run(mode, args.clients, args.per_client)
        h, i, p = r["health"], r["idle"], r["pdf_s"]
        verdict = "ok" if h["p95"] <= FLOOR_MS else "OVER"
        print(f"| {mode} | {r['clients']} × {r['per_client']} | {r['pages']} | {r['seconds']:.1f} | {i['p95']:.1f} "
              f"| {h['p50']:.1f} / {h['p95']:.1f} / {h['max']:.1f} (n={h['n']}) | ≤ {FLOOR_MS:.0f}: {verdict} "
              f"| {r['pdfs']} | {p['p50']:.1f} / {p['max']:.1f} | {r['503']} "
              f"| {r['peak_server_mib']:.0f} / {r['peak_workers_mib']:.0f} | {r['load']:.1f} "
              f"| {'; '.join(r['errors']) or 'none'} |", flush=True)
        (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
        (ROOT / "bench" / "out" / f"pdf_pool-{mode}.json").write_text(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
