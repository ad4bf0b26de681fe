"""Benchmark of the offline queue (issue 15): the time from "online again" to all of 20 queued signals stored,
measured in Debian's Chromium (the page's own clock, from the `online` event to the queue being empty: every
signal answered 201), beside a floor of 20 plain API posts one after another from Python on the same server.

    .venv/bin/python bench/offline.py [--rounds 20] [--engines sqlite,postgres] [--queued 20]

Writes bench/out/offline.json and prints a Markdown table to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import OUT, fill, machine, reset_database, server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SHELL_READY = """async () => {
    if (!navigator.serviceWorker.controller || !window.SignaalwerkWachtrij) return false;
    for (const name of await caches.keys()) {
        if (await (await caches.open(name)).match('/offline/nieuw')) return true;
    }
    return false;
}"""
QUEUE = """async (n) => {
    const W = window.SignaalwerkWachtrij, today = new Date().toISOString().slice(0, 10);
    for (let i = 0; i < n; i++) {
        await W.add({client_id: crypto.randomUUID(), status: 'wacht', aangemaakt: new Date(Date.now() + i).toISOString(),
                     velden: {gemeente: 'g0', titel: 'Offline signaal ' + i, datum: today, plek: 'Station',
                              omschrijving: 'Jongeren worden weggestuurd van de trappen aan het station.'}});
    }
    return (await W.all()).length;
}"""
ARM = """() => {
    window.__bench = undefined;
    let start;
    window.addEventListener('online', () => { start = performance.now(); }, {once: true});
    window.SignaalwerkWachtrij.onChange(async () => {
        if (start !== undefined && window.__bench === undefined
            && (await window.SignaalwerkWachtrij.all()).length === 0) window.__bench = performance.now() - start;
    });
}"""


def stats(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"n": len(samples), "p50": statistics.median(samples), "p95": samples[int(0.95 * (len(samples) - 1))],
            "max": samples[-1]}


def wait(page, script: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value:
            return value
        page.wait_for_timeout(50)
    raise RuntimeError(f"timed out waiting for {script[:60]}")


def run(engine: str, rounds: int, queued: int) -> dict:
    from playwright.sync_api import sync_playwright

    url = reset_database(engine, "bench_offline")
    data = fill(url, 1000)
    sync_ms, floor_ms = [], []
    with server(url, "app:create_app", factory=True) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=base)
        context.add_cookies([{"name": "id", "value": data["token"], "url": base}])
        page = context.new_page()
        page.goto("/signalen/nieuw")
        wait(page, SHELL_READY)
        with httpx.Client(base_url=base, timeout=30, cookies={"id": data["token"]}) as client:
            client.get("/signalen/nieuw")
            csrf = client.cookies.get("sw_csrftoken")
            for _ in range(rounds):
                context.set_offline(True)
                page.goto("/offline/nieuw")
                assert page.evaluate(QUEUE, queued) == queued
                page.evaluate(ARM)
                context.set_offline(False)
                sync_ms.append(wait(page, "() => window.__bench"))
                # the floor: the same number of plain API posts, one after another
                start = time.perf_counter()
                for i in range(queued):
                    response = client.post("/api/v1/signalen", headers={"x-csrf-token": csrf}, json={
                        "gemeente": "g0", "titel": f"Floor {i}", "datum": dt.date.today().isoformat(),
                        "omschrijving": "Jongeren worden weggestuurd van de trappen aan het station.",
                        "plek": "Station", "client_id": str(uuid.uuid4())})
                    if response.status_code != 201:
                        raise RuntimeError(f"floor post → {response.status_code}: {response.text[:200]}")
                floor_ms.append((time.perf_counter() - start) * 1000)
            total = client.get("/api/v1/signalen", params={"gemeente": "g0", "per_pagina": 1}).json()["totaal"]
        browser.close()
    expected = 100 + 2 * rounds * queued  # fill() gives gemeente g0 100 of its 1000
    if total != expected:
        raise RuntimeError(f"{total} signals in g0, expected {expected}: a signal was lost or stored twice")
    return {f"{queued} queued, online → all stored": stats(sync_ms), f"floor: {queued} API posts": stats(floor_ms)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--queued", type=int, default=20)
    args = parser.parse_args()
    results = {engine: run(engine, args.rounds, args.queued) for engine in args.engines.split(",")}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "offline.json").write_text(json.dumps({"machine": machine(), "results": results}, indent=2))
    print(f"machine: {machine()}")
    print("| engine | scenario | rounds | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|---|")
    for engine, scenarios in results.items():
        for name, r in scenarios.items():
            print(f"| {engine} | {name} | {r['n']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} |")


if __name__ == "__main__":
    main()
