"""The app's own access log: method, path, status, duration — no query string, no calendar token."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from overleg.tables import Kalenderfeed
from tests.support import sync
from web.accesslog import redact

ROOT = Path(__file__).resolve().parents[2]


def _access_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "signaalwerk.access"]


def test_the_access_log_has_no_search_terms(werker, caplog):
    with caplog.at_level(logging.INFO, logger="signaalwerk.access"):
        assert werker.get("/signalen/?q=quarmby").status_code == 200
    lines = _access_lines(caplog)
    assert any(re.fullmatch(r"GET /signalen/ 200 \d+\.\dms", line) for line in lines), lines
    assert not any("quarmby" in r.getMessage() for r in caplog.records if r.name != "httpx")  # httpx: the client


def test_the_access_log_hides_the_calendar_token(partner, anonymous, caplog):
    partner.post_form("/kalender/")
    token = sync(Kalenderfeed.select(Kalenderfeed.token).first())["token"]
    with caplog.at_level(logging.INFO, logger="signaalwerk.access"):
        assert anonymous.get(f"/kalender/{token}.ics").status_code == 200
        anonymous.get("/kalender/onbekend.ics")
    lines = _access_lines(caplog)
    assert any(re.fullmatch(r"GET /kalender/\*\*\*\.ics 200 \d+\.\dms", line) for line in lines), lines
    assert any(line.startswith("GET /kalender/***.ics 404 ") for line in lines), lines
    assert not any(token in r.getMessage() for r in caplog.records if r.name != "httpx")


def test_the_admin_and_unknown_paths_are_logged_too(anonymous, caplog):
    with caplog.at_level(logging.INFO, logger="signaalwerk.access"):
        anonymous.get("/bestaat-niet?geheim=1")
        anonymous.get("/admin/")
    lines = _access_lines(caplog)
    assert any(line.startswith("GET /bestaat-niet 404 ") for line in lines), lines
    assert any(line.startswith("GET /admin/ 303 ") for line in lines), lines


def test_redact_keeps_the_ordinary_kalender_paths():
    assert redact("/kalender/") == "/kalender/"
    assert redact("/kalender/intrekken") == "/kalender/intrekken"
    assert redact("/kalender/abc_DEF-1.ics?x=1") == "/kalender/***.ics"


def test_make_run_turns_uvicorns_access_log_off():
    assert "--no-access-log" in (ROOT / "Makefile").read_text()


def test_a_percent_encoded_token_is_hidden_too(partner, anonymous, caplog):
    partner.post_form("/kalender/")
    token = sync(Kalenderfeed.select(Kalenderfeed.token).first())["token"]
    with caplog.at_level(logging.INFO, logger="signaalwerk.access"):
        anonymous.get(f"/kalender/{token}%2Eics")
        anonymous.get(f"/kalender/{token}")
    assert not any(token in line for line in _access_lines(caplog)), _access_lines(caplog)
