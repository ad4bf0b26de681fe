"""Security headers, error pages, CSRF and body limits on the pages of the foundation."""

from __future__ import annotations

import pytest

PAGES = ["/login/", "/", "/health", "/bestaat-niet", "/static/css/app.css"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_a_csp_without_inline_script(werker, path):
    csp = werker.get(path).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("path", PAGES)
def test_every_response_says_nosniff(werker, path):
    assert werker.get(path).headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_referrer_policy_same_origin(werker, path):
    assert werker.get(path).headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/login/", "/bestaat-niet"])
def test_pages_are_not_cached(werker, path):
    assert werker.get(path).headers["cache-control"] == "no-store"


def test_the_admin_has_the_same_headers(beheerder):
    headers = beheerder.get("/admin/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_an_unknown_path_gets_a_dutch_404_page(werker):
    response = werker.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text and 'lang="nl-BE"' in response.text


def test_an_unknown_api_path_gets_dutch_json(werker):
    response = werker.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Deze pagina bestaat niet")


def test_a_crash_shows_a_dutch_500_page_without_traceback(werker, monkeypatch):
    import web.home

    def explode(user):
        raise RuntimeError("geheime interne fout /work/main/secret.py")

    monkeypatch.setattr(web.home, "visible_gemeenten", explode)
    response = werker.get("/")
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in response.text
    assert "Traceback" not in response.text and "secret.py" not in response.text and "RuntimeError" not in response.text


def test_an_oversized_body_is_refused_with_413(anonymous):
    anonymous.csrf()
    response = anonymous.post_form("/login/", {"username": "werker", "password": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "te groot" in response.text


def test_the_logout_form_has_a_csrf_field(werker):
    assert 'name="_csrf_token"' in werker.get("/").text


def test_the_dashboard_needs_a_login(anonymous):
    response = anonymous.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login/?next=/"


def test_no_page_refers_to_an_external_host(werker):
    for path in ("/", "/login/", "/bestaat-niet"):
        text = werker.get(path).text
        assert "://" not in text.replace("http://testserver.local", "")
