"""A JSON body nested deeper than the decoder recurses is the client's error: 400 in Dutch, no traceback."""

from __future__ import annotations

import logging

import pytest

from common.errors import NOT_JSON

DEEP_BODIES = {
    "lists": "[" * 1000 + "]" * 1000,
    "objects": '{"a":' * 1000 + "1" + "}" * 1000,
}
ROUTES = [
    ("POST", "/api/v1/signalen"),
    ("POST", "/api/v1/dossiers"),
    ("POST", "/api/v1/notas"),
    ("POST", "/api/v1/acties"),
    ("POST", "/api/v1/vergaderingen"),
    ("PATCH", "/api/v1/signalen/1"),
    ("PATCH", "/api/v1/dossiers/1"),
    ("PATCH", "/api/v1/notas/1"),
]


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
def test_a_body_nested_1000_deep_answers_400_without_a_traceback(voorzitter, caplog, shape):
    body = DEEP_BODIES[shape]
    assert len(body) <= 6001  # a few kB
    caplog.set_level(logging.INFO, logger="signaalwerk")
    for method, url in ROUTES:
        response = voorzitter.api(method, url, content=body, headers={"content-type": "application/json"})
        assert response.status_code in (400, 404), (method, url, response.status_code, response.text)
        if response.status_code == 400:
            assert response.json()["detail"] == NOT_JSON
        assert "Traceback" not in response.text and "Recursion" not in response.text
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, [record.getMessage() for record in errors]
    assert not any(record.exc_info for record in caplog.records)


def test_every_post_route_of_the_werker_answers_400_too(werker, caplog):
    caplog.set_level(logging.INFO, logger="signaalwerk")
    for url in ("/api/v1/signalen", "/api/v1/dossiers", "/api/v1/notas", "/api/v1/acties"):
        response = werker.api("POST", url, content=DEEP_BODIES["lists"], headers={"content-type": "application/json"})
        assert response.status_code == 400 and response.json()["detail"] == NOT_JSON
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
