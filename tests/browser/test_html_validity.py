"""The Nu Html Checker (vnu.jar, vendored by scripts/fetch-vnu) finds no error on the pages of ours.

Every page a persona reaches by links from the dashboard over the demo data (one page per path pattern), plus the
anonymous pages, is fetched with the test client and checked in one run of the checker with the machine's Java.
It sits with the browser tests: it needs a tool from outside Python, like Chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.browser.test_layout_phone import DEMO_PERSONAS, MAX_PAGES, NOT_A_PAGE
from tests.support import login_as, sync

VNU = Path(__file__).resolve().parents[2] / ".tools" / "vnu" / "vnu.jar"
HREF = re.compile(r"""<a\b[^>]*\bhref="([^"]+)\"""")


def _checker() -> list[str]:
    java = shutil.which("java")
    if not VNU.exists() or java is None:
        if os.environ.get("CI"):
            pytest.fail("the Nu Html Checker needs scripts/fetch-vnu and Java (openjdk-17-jre-headless)")
        pytest.skip("no vnu.jar or Java: run scripts/fetch-vnu")
    return [java, "-Xss8m", "-jar", str(VNU), "--format", "json", "--exit-zero-always"]


def crawl(client) -> dict[str, str]:
    """Every HTML page reachable from the dashboard, one per path pattern (ids folded): path → HTML."""
    todo, pages, patterns = ["/"], {}, set()
    while todo and len(pages) < MAX_PAGES:
        path = todo.pop(0)
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages[path] = response.text
        for href in HREF.findall(response.text):
            url = urlparse(urljoin("http://testserver.local" + path, unescape(href)))
            if url.netloc not in ("", "testserver.local") or NOT_A_PAGE.search(url.path):
                continue
            pattern = re.sub(r"\d+", "N", url.path) + ("?" + re.sub(r"=[^&]*", "=", url.query) if url.query else "")
            if pattern not in patterns:
                patterns.add(pattern)
                todo.append(url.path + (f"?{url.query}" if url.query else ""))
    return pages


def validate(pages: dict[str, str], folder: Path) -> list[str]:
    files = {}
    for i, (where, html) in enumerate(pages.items()):
        file = folder / f"page{i}.html"
        file.write_text(html, encoding="utf-8")
        files[file.resolve().as_uri()] = where
    run = subprocess.run([*_checker(), *(str(folder / Path(u).name) for u in files)], capture_output=True,
                         text=True, timeout=600, check=True)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    found = []
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            where = next((w for uri, w in files.items() if message.get("url", "").endswith(uri.rsplit("/", 1)[1])),
                         message.get("url"))
            text, extract = message.get("message"), message.get("extract", "")
            found.append(f"{where}:{message.get('lastLine')}: {text} — {extract!r}")
    return found


@pytest.fixture
def demo(world):
    import manage

    sync(manage._load_demo())


def test_the_pages_of_every_persona_have_no_html_errors(app, world, demo, tmp_path):
    pages: dict[str, str] = {}
    for name in DEMO_PERSONAS:
        persona = login_as(app, world, name)
        pages |= {f"{name} {path}": html for path, html in crawl(persona.client).items()}
    # The offline intake is linked from nowhere (the service worker and the manifest's start_url open it).
    pages["werker /offline/nieuw"] = login_as(app, world, "werker").client.get("/offline/nieuw").text
    anonymous = login_as(app, world, "anonymous")
    for path in ("/login/", "/wachtwoord-vergeten", "/bestaat-niet"):
        response = anonymous.client.get(path)
        pages[f"anonymous {path}"] = response.text
    assert len(pages) >= 40, sorted(pages)
    assert validate(pages, tmp_path) == []


def test_the_checker_reports_an_error_in_broken_html(tmp_path):
    broken = "<!doctype html><html lang=nl><title>x</title><p><time datetime='2026-01-15T10:00:00.123456'>x</time>"
    found = validate({"kapot": broken}, tmp_path)
    assert found and all(line.startswith("kapot:") for line in found), found
