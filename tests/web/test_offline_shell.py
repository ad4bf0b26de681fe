"""The app shell for offline use: the manifest, the service worker at the root scope, the offline intake page.

The offline intake (/offline/nieuw) is the one page the service worker keeps: it must hold the taxonomy and the
worker's own gemeenten, and nothing of any signal.
"""

from __future__ import annotations

import json
import re
import struct

import pytest

from tests.support import make_signaal

MANIFEST = "/static/manifest.webmanifest"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def sw_config(text: str) -> dict:
    match = re.match(r"self\.SIGNAALWERK_SW = (\{.*?\});\n", text)
    assert match, text[:200]
    return json.loads(match.group(1))


# ----------------------------------------------------------------------------- manifest

def test_the_manifest_describes_an_installable_app(anonymous):
    response = anonymous.get(MANIFEST)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Signaalwerk" and manifest["short_name"]
    assert manifest["start_url"] == "/offline/nieuw" and manifest["scope"] == "/"
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    assert manifest["theme_color"] == "#0b5d4b"  # --brand in static/css/app.css
    assert manifest["lang"] == "nl-BE"


def test_every_manifest_icon_is_a_png_of_the_size_it_claims(anonymous):
    icons = anonymous.get(MANIFEST).json()["icons"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in icons:
        response = anonymous.get(icon["src"])
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        width, height = png_size(response.content)
        assert f"{width}x{height}" == icon["sizes"]


def test_the_theme_colour_is_the_brand_colour_of_the_css(anonymous):
    css = anonymous.get("/static/css/app.css").text
    assert "--brand: #0b5d4b" in css


@pytest.mark.parametrize("name", ["werker", "voorzitter", "partner", "beheerder", "anonymous"])
def test_every_page_links_the_manifest(personas, name):
    page = personas[name].get("/login/" if name == "anonymous" else "/").text
    assert re.search(r'<link rel="manifest" href="/static/manifest\.webmanifest\?v=[0-9a-f]+">', page)
    assert '<meta name="theme-color" content="#0b5d4b">' in page


# ----------------------------------------------------------------------------- the service worker

@pytest.mark.parametrize("name", ["werker", "anonymous"])
def test_the_service_worker_is_served_at_the_root_for_the_root_scope(personas, name):
    response = personas[name].get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_the_service_worker_keeps_only_the_shell(anonymous):
    config = sw_config(anonymous.get("/sw.js").text)
    assert config["shell"] == "/offline/nieuw"
    assert set(config["intake"]) == {"/signalen/nieuw", "/offline/nieuw"}
    for url in config["assets"]:
        assert re.fullmatch(r"/static/(css/[\w.-]+\.css|js/[\w./-]+\.js|icons/[\w-]+\.png|favicon\.svg|"
                            r"manifest\.webmanifest)(\?v=[0-9a-f]{10})?", url), url
        assert anonymous.get(url).status_code == 200, url
    assert not any("/api/" in url or "/signalen" in url for url in config["assets"])
    assert "/static/js/sw.js" not in {url.split("?")[0] for url in config["assets"]}


def test_the_pages_ask_for_the_assets_by_the_urls_the_worker_keeps(werker):
    kept = set(sw_config(werker.get("/sw.js").text)["assets"])
    page = werker.get("/offline/nieuw").text
    asked = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page))
    assert asked and asked <= kept, asked - kept


def test_the_version_is_a_hash_of_what_it_keeps(anonymous, monkeypatch):
    from web import offline

    first = sw_config(offline.script())["version"]
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    offline.script.cache_clear()
    monkeypatch.setattr(offline, "hashes", lambda: {"css/app.css": "0000000000"})
    try:
        assert sw_config(offline.script())["version"] != first
    finally:
        offline.script.cache_clear()


def test_the_service_worker_accepts_no_other_method(werker):
    assert werker.client.post("/sw.js", headers={"x-csrf-token": werker.csrf()}).status_code == 405


# ----------------------------------------------------------------------------- /offline/nieuw

def test_anonymous_is_sent_to_the_login(anonymous):
    response = anonymous.get("/offline/nieuw", follow_redirects=False)
    assert response.status_code in (303, 401)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login")


def test_a_worker_gets_the_intake_with_their_gemeente_and_the_taxonomy(werker):
    response = werker.get("/offline/nieuw")
    assert response.status_code == 200
    page = response.text
    assert 'name="gemeente" value="mechelen"' in page and "Hoeilaart" not in page and "Leuven" not in page
    assert 'value="ruimte"' in page  # a levensdomein
    assert 'value="te-weinig-ontmoetingsplekken"' in page  # a signaaltype
    assert 'value="straat"' in page and 'value="12-15"' in page  # bronnen, leeftijden
    assert 'action="/signalen/nieuw"' in page and 'id="wachtrij"' in page
    assert response.headers["cache-control"] == "no-store"


def test_a_worker_of_another_gemeente_sees_only_theirs(werker2):
    page = werker2.get("/offline/nieuw").text
    assert 'name="gemeente" value="hoeilaart"' in page and "Mechelen" not in page


def test_the_coordinator_chooses_among_their_gemeenten(coordinator):
    page = coordinator.get("/offline/nieuw").text
    assert 'value="mechelen"' in page and 'value="hoeilaart"' not in page


def test_the_offline_intake_holds_no_signal_content(werker, voorzitter):
    make_signaal(werker, titel="Geheime titel XQ", plek="Plek-van-een-signaal-XQ",
                 omschrijving="Een omschrijving XQ die alleen in het register hoort.")
    for persona in (werker, voorzitter):
        page = persona.get("/offline/nieuw").text
        assert "XQ" not in page
        assert "<datalist" not in page or '<datalist id="plekken"></datalist>' in page


def test_every_open_of_the_page_carries_a_valid_client_id(werker):
    pick = re.compile(r'name="client_id" id="veld-client_id" value="([0-9a-f-]{36})"')
    assert pick.search(werker.get("/offline/nieuw").text)


@pytest.mark.parametrize("name", ["partner", "beheerder"])
def test_who_may_not_register_gets_no_offline_intake(personas, name):
    assert personas[name].get("/offline/nieuw").status_code == 404


def test_a_query_string_changes_nothing(werker):
    response = werker.get("/offline/nieuw?gemeente=hoeilaart&titel=<script>alert(1)</script>")
    assert response.status_code == 200 and "<script>alert(1)" not in response.text
    assert "hoeilaart" not in response.text


def test_the_offline_intake_takes_no_post(werker):
    response = werker.post_form("/offline/nieuw", {"titel": "x"})
    assert response.status_code == 405


def test_the_kept_page_neither_shows_nor_takes_a_flash_message(werker):
    signaal = make_signaal(werker, titel="Titel met flash")
    form = {"titel": "Titel met flash QZF", "omschrijving": signaal["omschrijving"],
            "datum": signaal["datum"].isoformat(), "versie": "1"}
    saved = werker.post_form(f"/signalen/{signaal['id']}/bewerken", form, follow_redirects=False)
    assert saved.status_code == 303
    kept = werker.get("/offline/nieuw").text  # the service worker fetching the shell in between
    assert "Wijzigingen opgeslagen" not in kept and "QZF" not in kept
    assert "Wijzigingen opgeslagen" in werker.get(saved.headers["location"]).text
