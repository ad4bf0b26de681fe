"""OPTIONS answers list every method of the path in ``Allow`` (issue 12 item 15; web/allow.py).

Litestar's own OPTIONS handler listed only the first method registered for a path (``GET, OPTIONS`` on a path that
also takes PATCH); schemathesis reported it as "Allow header mismatch".
"""

from __future__ import annotations

import pytest

from tests.support import make_signaal

CASES = {
    "/api/v1/signalen": {"GET", "POST", "OPTIONS"},
    "/api/v1/signalen/{id}": {"GET", "PATCH", "OPTIONS"},
    "/api/v1/signalen/{id}/status": {"POST", "OPTIONS"},
    "/api/v1/dossiers/1/commentaren": {"GET", "POST", "OPTIONS"},
}


def allow(response) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


@pytest.mark.parametrize("name", ["werker", "werker2", "voorzitter", "partner", "coordinator", "beheerder"])
def test_options_lists_every_method_of_the_path(personas, name):
    signaal = make_signaal(personas["werker"])
    for path, methods in CASES.items():
        response = personas[name].client.options(path.format(id=signaal["id"]))
        assert response.status_code == 204, (name, path, response.status_code)
        assert allow(response) == methods, (name, path)


def test_options_of_an_unknown_id_lists_the_methods_of_the_route(voorzitter):
    # Bad input: an id that does not exist (or is not a number) still names the same route.
    for raw in ("999999", "x"):
        assert allow(voorzitter.client.options(f"/api/v1/signalen/{raw}")) == {"GET", "PATCH", "OPTIONS"}


def test_a_method_the_path_does_not_take_answers_405_with_the_same_allow(voorzitter, anonymous):
    response = voorzitter.client.request("TRACE", "/api/v1/signalen/1")
    assert response.status_code == 405 and allow(response) == {"GET", "PATCH", "OPTIONS"}
    assert anonymous.client.options("/api/v1/signalen/1").status_code == 401
    assert voorzitter.client.options("/api/v1/bestaat-niet").status_code == 404
