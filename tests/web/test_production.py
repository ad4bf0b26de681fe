"""Production mode (SIGNAALWERK_PRODUCTION=1): HSTS, Secure cookies (the admin's csrftoken too), the Host checked
against SIGNAALWERK_BASE_URL, links built from it, and the API schema and admin meta behind a login."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from litestar.testing import TestClient
from piccolo_api.session_auth.tables import SessionsBase

import settings as settings_module
from common.dates import today
from overleg.tables import Kalenderfeed, Overleg, Vergadering
from settings import SettingsError, get_settings
from tests.support import sync

BASE = "https://signaalwerk.example.be"


_built: list = []  # one production app for the module (building one takes seconds); settings are per test


@pytest.fixture
def production_app(monkeypatch):
    monkeypatch.setenv("SIGNAALWERK_PRODUCTION", "1")
    monkeypatch.setenv("SIGNAALWERK_BASE_URL", BASE)
    get_settings.cache_clear()
    from app import create_app

    assert get_settings().production
    if not _built:
        _built.append(create_app())
    yield _built[0]
    monkeypatch.undo()
    get_settings.cache_clear()


def _client(application, world=None, name: str | None = None, base_url: str = BASE) -> TestClient:
    client = TestClient(application, base_url=base_url, raise_server_exceptions=False)
    if name:
        now = dt.datetime.now()
        session = sync(SessionsBase.create_session(
            user_id=world.users[name], expiry_date=now + dt.timedelta(minutes=30),
            max_expiry_date=now + dt.timedelta(hours=12)))
        client.cookies.set("id", session.token, domain="signaalwerk.example.be")
    return client


@pytest.mark.parametrize("path", ["/login/", "/health", "/bestaat-niet", "/static/css/app.css", "/admin/"])
def test_every_response_has_hsts(production_app, path):
    response = _client(production_app).get(path, follow_redirects=False)
    assert response.headers["strict-transport-security"].startswith("max-age=63072000")


def test_no_hsts_in_development(app, anonymous):
    assert "strict-transport-security" not in anonymous.get("/login/").headers


def test_every_cookie_is_secure_the_admins_csrftoken_included(production_app, world):
    client = _client(production_app, world, "beheerder")
    cookies = client.get("/login/").headers.get_list("set-cookie")
    admin = client.get("/admin/").headers.get_list("set-cookie")
    csrftoken = [c for c in admin if c.startswith("csrftoken=")]
    assert csrftoken, admin
    for cookie in [*cookies, *admin]:
        assert "secure" in [part.strip().lower() for part in cookie.split(";")], cookie


def test_a_forged_host_is_refused(production_app):
    response = _client(production_app, base_url="https://evil.example").get("/login/")
    assert response.status_code == 400
    assert _client(production_app).get("/login/").status_code == 200


@pytest.mark.parametrize("path", ["/schema", "/schema/openapi.json", "/schema/swagger", "/admin/public/meta/"])
def test_the_schema_and_admin_meta_need_a_login(production_app, world, path):
    response = _client(production_app).get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login/")
    assert "piccolo" not in response.text.lower()


def test_a_logged_in_user_reads_the_schema_and_a_beheerder_the_meta(production_app, world):
    assert _client(production_app, world, "werker").get("/schema/openapi.json").status_code == 200
    assert _client(production_app, world, "beheerder").get("/admin/public/meta/").status_code == 200


def test_the_schema_stays_public_in_development(anonymous):
    assert anonymous.get("/schema/openapi.json").status_code == 200


def test_links_use_the_base_url_never_the_host(production_app, world):
    overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="JWO Mechelen")
    sync(overleg.save())
    vergadering = Vergadering(overleg=overleg.id, datum=today() + dt.timedelta(days=7), begin=dt.time(19, 30),
                              plaats="Jeugdhuis", status="gepubliceerd")
    sync(vergadering.save())
    client = _client(production_app, world, "voorzitter")
    client.get("/login/")
    client.post("/kalender/", data={"_csrf_token": client.cookies.get("sw_csrftoken")})
    token = sync(Kalenderfeed.select(Kalenderfeed.token).first())["token"]
    page = client.get("/kalender/").text
    assert f"{BASE}/kalender/{token}.ics" in page
    ics = client.get(f"/vergaderingen/{vergadering.id}.ics").content.decode()
    assert re.search(r"^URL[:;].*" + re.escape(f"{BASE}/vergaderingen/{vergadering.id}"), ics, re.M), ics


def test_in_development_a_forged_host_does_not_reach_the_links(voorzitter, world):
    voorzitter.client.headers["host"] = "evil.example"
    voorzitter.post_form("/kalender/")
    page = voorzitter.get("/kalender/").text
    assert "evil.example" not in page and "http://127.0.0.1:8000/kalender/" in page


def test_the_base_url_is_parsed_strictly(monkeypatch):
    monkeypatch.delenv("SIGNAALWERK_BASE_URL", raising=False)
    assert settings_module._base_url(production=False) == "http://127.0.0.1:8000"
    with pytest.raises(SettingsError):
        settings_module._base_url(production=True)
    monkeypatch.setenv("SIGNAALWERK_BASE_URL", "https://Signaalwerk.example.be/")
    assert settings_module._base_url(production=True) == "https://signaalwerk.example.be"
    for bad, production in (("http://signaalwerk.example.be", True), ("ftp://x", False), ("https://x/pad", False),
                            ("signaalwerk.example.be", False), ("https://x:99999", False), ("https://x?a=1", False)):
        monkeypatch.setenv("SIGNAALWERK_BASE_URL", bad)
        with pytest.raises(SettingsError):
            settings_module._base_url(production=production)
