"""X-Forwarded-For is believed only from SIGNAALWERK_TRUSTED_PROXIES (default: nobody, not even 127.0.0.1)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest

import settings as settings_module
from admin.tables import LoginPoging
from settings import SettingsError, get_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _app(monkeypatch, **changes):
    import app as app_module

    changed = dataclasses.replace(get_settings(), **changes)
    monkeypatch.setattr(app_module, "get_settings", lambda: changed)
    return app_module.create_app()


async def _failed_login_from_localhost(application) -> str:
    transport = httpx.ASGITransport(app=application, client=("127.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        await client.get("/login/")
        token = client.cookies.get("sw_csrftoken")
        await client.post("/login/", data={"_csrf_token": token, "username": "werker", "password": "fout"},
                          headers={"X-Forwarded-For": "203.0.113.9"})
    row = await LoginPoging.select(LoginPoging.client).where(LoginPoging.username == "werker").first()
    return row["client"]


def _as_make_run_serves_it(application):
    """The app wrapped as uvicorn wraps it with the flags `make run` passes (uvicorn believes 127.0.0.1 by default)."""
    import uvicorn

    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    command = recipe[recipe.index("uvicorn app:create_app"):].replace("\\\n", " ")
    config = uvicorn.Config(application, proxy_headers="--no-proxy-headers" not in command, lifespan="off")
    config.load()
    return config.loaded_app


@pytest.mark.anyio
async def test_without_trusted_proxies_a_local_client_cannot_choose_its_address(monkeypatch, world):
    assert get_settings().trusted_proxies == ()
    served = _as_make_run_serves_it(_app(monkeypatch))
    assert await _failed_login_from_localhost(served) == "127.0.0.1"


@pytest.mark.anyio
async def test_a_trusted_proxy_passes_the_visitors_address(monkeypatch, world):
    application = _as_make_run_serves_it(_app(monkeypatch, trusted_proxies=("127.0.0.1",)))
    assert await _failed_login_from_localhost(application) == "203.0.113.9"


def test_the_setting_is_parsed_strictly(monkeypatch):
    monkeypatch.setenv("SIGNAALWERK_TRUSTED_PROXIES", " 10.0.0.5, 192.168.1.0/24 ,::1")
    assert settings_module._trusted_proxies() == ("10.0.0.5", "192.168.1.0/24", "::1")
    for bad in ("*", "proxy.local", "10.0.0.999"):
        monkeypatch.setenv("SIGNAALWERK_TRUSTED_PROXIES", bad)
        with pytest.raises(SettingsError):
            settings_module._trusted_proxies()


def test_make_run_leaves_proxy_headers_to_the_app():
    makefile = (ROOT / "Makefile").read_text()
    assert "--no-proxy-headers" in makefile and "--proxy-headers " not in makefile.replace("--no-proxy-headers", "")
