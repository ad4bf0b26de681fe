"""Heavy PDFs cannot take the server down (issue 13, item 16): each version is rendered once (content-hash cache),
renders run in a bounded pool of recycled worker processes (503 + Retry-After when full, the event loop free
meanwhile), and what is too long to render is refused with a clear Dutch message. Through the nota's PDF routes,
as the personas use them."""

from __future__ import annotations

import functools
import os
import stat
import threading
import time
from pathlib import Path

import pytest

import common.pdf as pdf_module
from common import pdf_cache, pdf_pool
from overleg.tables import Signaalnota
from tests.overleg.test_notas import make_dossier, make_overleg, new_nota
from tests.support import portal, sync

MEGA = 1024 * 1024


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "pdf-cache"
    monkeypatch.setattr(pdf_cache, "CACHE_DIR", directory)
    return directory


def fresh_pool(monkeypatch: pytest.MonkeyPatch, workers: int = 1, queue: int = 1) -> pdf_pool.RenderPool:
    pool = pdf_pool.RenderPool(workers=workers, queue=queue)
    monkeypatch.setattr(pdf_pool, "_pool", pool)
    return pool


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch, cache_dir: Path):
    pool = fresh_pool(monkeypatch)
    yield pool
    pool.shutdown()


@pytest.fixture
def nota(personas, world) -> dict:
    make_overleg(world)
    dossier_id, _ = make_dossier(world, personas["werker"])
    return new_nota(personas["voorzitter"], [dossier_id])


def pdf_path(nota: dict) -> str:
    return f"/notas/{nota['id']}/pdf"


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# ----------------------------------------------------------------------------- the cache

def test_each_version_of_a_concept_is_rendered_once(personas, nota, pool, cache_dir):
    chair = personas["voorzitter"]
    first = chair.get(pdf_path(nota))
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    renders = pool.started
    assert renders >= 1
    again = chair.get(pdf_path(nota))
    api = chair.get(f"/api/v1/notas/{nota['id']}/pdf")
    assert again.content == first.content == api.content
    assert pool.started == renders  # served from the cache: no second render
    response = chair.post_form(f"/notas/{nota['id']}/bewerken", {
        "versie": "1", "onderwerp": "Een plek voor tieners, herwerkt", "adressaat": "college", "actie": "opslaan"},
        follow_redirects=False)
    assert response.status_code == 303
    changed = chair.get(pdf_path(nota))
    assert changed.status_code == 200 and changed.content != first.content
    assert pool.started > renders  # a new version: a new key, rendered again


def test_the_cache_is_private_and_names_no_content(personas, nota, pool, cache_dir):
    assert personas["voorzitter"].get(pdf_path(nota)).status_code == 200
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    files = list(cache_dir.iterdir())
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert all("tieners" not in f.name for f in files)


def test_parallel_requests_for_the_same_concept_render_it_once(personas, nota, monkeypatch, cache_dir):
    single = fresh_pool(monkeypatch)
    assert personas["voorzitter"].get(pdf_path(nota)).status_code == 200
    expected = single.started
    single.shutdown()
    pdf_cache.clear(cache_dir)
    pool = fresh_pool(monkeypatch, workers=1, queue=4)
    chair = personas["voorzitter"]
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(chair.get(pdf_path(nota)))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert [r.status_code for r in results] == [200, 200, 200]
        assert len({r.content for r in results}) == 1
        assert pool.started == expected  # joined the running render or found it in the cache
    finally:
        pool.shutdown()


def test_the_cache_stays_within_its_size_and_age(tmp_path):
    for index in range(5):
        pdf_cache.put(f"{index:064x}", b"%PDF" + bytes(400_000), 1, tmp_path, max_bytes=MEGA)
        os.utime(tmp_path / f"{index:064x}.1.pdf", (time.time() - 100 + index, time.time() - 100 + index))
    pdf_cache.put("f" * 64, b"%PDF" + bytes(400_000), 3, tmp_path, max_bytes=MEGA)
    assert sum(f.stat().st_size for f in tmp_path.glob("*.pdf")) <= MEGA
    assert pdf_cache.get("f" * 64, tmp_path) == (b"%PDF" + bytes(400_000), 3)  # the newest stays
    assert pdf_cache.get(f"{0:064x}", tmp_path) is None  # the least recently used went first
    old = tmp_path / ("e" * 64 + ".2.pdf")
    old.write_bytes(b"%PDF")
    os.utime(old, (time.time() - 25 * 3600,) * 2)
    assert pdf_cache.get("e" * 64, tmp_path) is None and not old.exists()
    assert pdf_cache.clear(tmp_path) >= 1 and list(tmp_path.glob("*.pdf")) == []
    pdf_cache.put("d" * 64, b"%PDF", 1, tmp_path, max_bytes=0)  # SIGNAALWERK_PDF_CACHE_MB=0: off
    assert pdf_cache.get("d" * 64, tmp_path) is None


def test_the_key_is_the_content(tmp_path):
    assert pdf_cache.key("<p>a</p>", "meta") == pdf_cache.key("<p>a</p>", "meta")
    assert pdf_cache.key("<p>a</p>", "meta") != pdf_cache.key("<p>a</p>", "meta2")
    assert pdf_cache.key("ab", "c") != pdf_cache.key("a", "bc")  # parts are length-prefixed


# ----------------------------------------------------------------------------- the pool

def test_a_full_pool_answers_503_with_retry_after_in_dutch(personas, nota, monkeypatch, cache_dir):
    pool = fresh_pool(monkeypatch, workers=1, queue=0)
    try:
        holding = portal().start_task_soon(pool.run, "bezet", time.sleep, 3)  # another heavy render
        wait_until(lambda: pool.busy == 1)
        page = personas["voorzitter"].get(pdf_path(nota))
        assert page.status_code == 503
        assert int(page.headers["retry-after"]) >= 1
        assert "Even geduld" in page.text and "probeer het over" in page.text
        assert page.headers["content-type"].startswith("text/html")
        api = personas["voorzitter"].get(f"/api/v1/notas/{nota['id']}/pdf")
        assert api.status_code == 503 and int(api.headers["retry-after"]) >= 1
        assert api.json()["detail"].startswith("Er worden nu veel documenten tegelijk gemaakt")
        assert pool.started == 1  # the refused requests started nothing
        holding.result(timeout=60)
        assert personas["voorzitter"].get(pdf_path(nota)).status_code == 200  # the slot is free again
    finally:
        pool.shutdown()


def _held_render(gate: str, *args):
    """A render that waits until the test opens the gate (runs in the worker process)."""
    while not os.path.exists(gate):
        time.sleep(0.02)
    return pdf_module.render_job(*args)


def test_a_pdf_being_rendered_does_not_block_health_or_pages(personas, nota, pool, monkeypatch, tmp_path):
    gate = tmp_path / "open"
    monkeypatch.setattr(pdf_module, "render_job", functools.partial(_held_render, str(gate)))
    results: list = []
    download = threading.Thread(target=lambda: results.append(personas["partner"].get(f"/api/v1/notas/{nota['id']}"
                                                                                         "/pdf")))
    personas["voorzitter"].post_form(f"/notas/{nota['id']}/ter-goedkeuring")
    download.start()
    try:
        wait_until(lambda: pool.busy == 1)
        health = personas["anonymous"].get("/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert personas["werker"].get("/signalen/").status_code == 200
        assert download.is_alive() and results == []  # the PDF is still being made meanwhile
    finally:
        gate.touch()
        download.join(120)
    assert results[0].status_code == 200 and results[0].content.startswith(b"%PDF")


def test_renders_run_in_worker_processes_that_are_recycled(monkeypatch):
    pool = fresh_pool(monkeypatch, workers=1, queue=0)
    pool.tasks_per_child = 2

    async def pids() -> list[int]:
        return [await pool.run(f"pid-{i}", os.getpid) for i in range(4)]

    try:
        seen = sync(pids())
    finally:
        pool.shutdown()
    assert os.getpid() not in seen
    assert seen[0] == seen[1] and seen[2] == seen[3] and seen[1] != seen[2]  # a new process after two renders


# ----------------------------------------------------------------------------- the size cap

def test_a_nota_too_long_to_render_is_refused_with_a_clear_message(personas, world, pool):
    make_overleg(world)
    dossier_id, _ = make_dossier(world, personas["werker"])
    lines = "- Jongeren vragen een plek.\n" * 700  # 19 600 characters, 700 list items: ± 16 pages per section
    heavy = new_nota(personas["voorzitter"], [dossier_id], secties={
        key: lines for key in ("aanleiding", "onderbouwing", "analyse", "acties", "advies", "opvolging")})
    chair = personas["voorzitter"]
    page = chair.get(pdf_path(heavy))
    assert page.status_code == 422
    assert "te lang om als PDF te maken" in page.text and "Maak de tekst korter" in page.text
    api = chair.get(f"/api/v1/notas/{heavy['id']}/pdf")
    assert api.status_code == 422 and "pagina's" in api.json()["detail"]
    sent = chair.api("POST", f"/api/v1/notas/{heavy['id']}/versturen")
    assert sent.status_code == 422 and "te lang" in sent.json()["detail"]
    assert sync(Signaalnota.select(Signaalnota.status).where(Signaalnota.id == heavy["id"]).first())["status"] \
        != "verstuurd"
    assert pool.started == 0  # refused before any render


def test_the_page_estimate_counts_text_and_blocks():
    prose = "<p>" + "woord " * 15 + "</p>"
    assert pdf_module.estimated_pages("<html><body>" + prose + "</body></html>") == 1
    assert pdf_module.estimated_pages("<ul>" + "<li>a</li>" * 9000 + "</ul>") > pdf_module.MAX_PAGES
    assert pdf_module.estimated_pages("<p>" + "x " * 600_000 + "</p>") > pdf_module.MAX_PAGES
    style = "<style>" + "p { color: red; } " * 100_000 + "</style>"
    assert pdf_module.estimated_pages(style + prose) == 1  # CSS is not text on a page


# ----------------------------------------------------------------------------- personas and the frozen PDF

@pytest.mark.parametrize(("name", "status"), [
    ("voorzitter", 200), ("partner", 200), ("coordinator", 200), ("werker", 200), ("werker2", 404),
    ("beheerder", 404), ("anonymous", 303)])
def test_who_gets_the_pdf_through_the_pool(personas, nota, pool, name, status):
    personas["voorzitter"].post_form(f"/notas/{nota['id']}/ter-goedkeuring")
    response = personas[name].get(pdf_path(nota), follow_redirects=False)
    assert response.status_code == status
    if status == 200:
        assert response.content.startswith(b"%PDF") and response.headers["content-type"] == "application/pdf"
    assert personas[name].get("/notas/abc/pdf", follow_redirects=False).status_code in (404, 303)


def test_a_sent_nota_is_the_same_bytes_at_every_download(personas, nota, pool, cache_dir):
    chair = personas["voorzitter"]
    assert chair.api("POST", f"/api/v1/notas/{nota['id']}/versturen").status_code == 200
    stored = sync(Signaalnota.select(Signaalnota.pdf, Signaalnota.pdf_sha256)
                  .where(Signaalnota.id == nota["id"]).first())
    renders = pool.started
    pdf_cache.clear(cache_dir)
    downloads = [chair.get(pdf_path(nota)).content, personas["partner"].get(pdf_path(nota)).content,
                 chair.get(f"/api/v1/notas/{nota['id']}/pdf").content]
    assert all(d == bytes(stored["pdf"]) for d in downloads)
    import hashlib

    assert hashlib.sha256(downloads[0]).hexdigest() == stored["pdf_sha256"]
    assert pool.started == renders  # the stored file, never rendered again
