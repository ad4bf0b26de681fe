"""Static files carry a content hash in their URL and are cached for a year; pages travel compressed."""

from __future__ import annotations

import gzip
import hashlib
import re

import pytest

from settings import BASE_DIR
from tests.support import PERSONAS

IMMUTABLE = "public, max-age=31536000, immutable"
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _assets(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in ASSET.findall(html)]


def _hash(name: str) -> str:
    return hashlib.sha256((BASE_DIR / "static" / name).read_bytes()).hexdigest()[:10]


@pytest.mark.parametrize("name", PERSONAS)
def test_every_static_link_of_a_page_carries_the_files_content_hash(personas, name):
    persona = personas[name]
    page = persona.get("/" if name != "anonymous" else "/login/")
    assert page.status_code == 200
    links = _assets(page.text)
    assert any(link.startswith("/static/css/app.css?v=") for link in links)
    for link in links:
        path, _, version = link.partition("?v=")
        assert version == _hash(path.removeprefix("/static/")), link


@pytest.mark.parametrize("name", ["werker", "anonymous"])
def test_a_static_file_asked_for_with_its_hash_is_cached_for_a_year(personas, name):
    url = f"/static/css/app.css?v={_hash('css/app.css')}"
    response = personas[name].get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("query", ["", "?v=", "?v=0123456789", "?v=%00%ff", "?v=abc&v=def"])
def test_without_the_current_hash_a_static_file_must_be_revalidated(werker, query):
    response = werker.get(f"/static/css/app.css{query}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_a_missing_static_file_is_never_cached_for_a_year(werker):
    response = werker.get(f"/static/css/bestaat-niet.css?v={_hash('css/app.css')}")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


def test_a_traversal_outside_static_is_refused(werker):
    response = werker.get("/static/../settings.py")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


def test_static_url_refuses_a_file_that_does_not_exist():
    from web.assets import static_url

    assert static_url("css/app.css") == f"/static/css/app.css?v={_hash('css/app.css')}"
    with pytest.raises(ValueError):
        static_url("css/bestaat-niet.css")


def test_pages_stay_uncached(werker):
    assert werker.get("/").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("name", ["werker", "voorzitter", "coordinator"])
def test_pages_are_served_gzip_compressed_to_a_browser_that_asks(personas, name):
    response = personas[name].get("/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers.get("vary", "").lower()
    assert "<html" in response.text  # the client decoded it: the body really is gzip


def test_brotli_is_preferred_when_the_browser_takes_it(werker):
    pytest.importorskip("brotli")
    response = werker.get("/static/css/app.css", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["content-encoding"] == "br"


def test_nothing_is_compressed_for_a_client_that_does_not_ask(werker):
    response = werker.get("/", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


def test_a_compressed_page_is_much_smaller(werker):
    raw = werker.get("/", headers={"Accept-Encoding": "identity"}).content
    assert len(gzip.compress(raw)) < len(raw)
    stream = werker.client.stream("GET", "/", headers={"Accept-Encoding": "gzip"})
    with stream as response:
        wire = b"".join(response.iter_raw())
    assert len(wire) < len(raw) / 2
