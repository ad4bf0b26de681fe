"""The CSRF token is bound to the session (admin/csrf.py): a token of one session is refused in another one, also
when cookie and field agree (the double-submit cookie alone accepted any token the app ever signed)."""

from __future__ import annotations

from litestar.middleware.csrf import generate_csrf_token

from admin.csrf import CSRF_COOKIE, PRESESSION_COOKIE
from tests.support import PASSWORD, login_as

DOMAIN = "testserver.local"


def plant(persona, token: str) -> None:
    """What an attacker who can set a cookie does: the victim's CSRF cookie becomes the attacker's token."""
    persona.client.cookies.delete(CSRF_COOKIE)
    persona.client.cookies.set(CSRF_COOKIE, token, domain=DOMAIN)


def still_logged_in(persona) -> bool:
    return persona.get("/").status_code == 200 and 'action="/logout/"' in persona.get("/").text


def test_a_form_post_with_the_token_of_another_session_is_refused(werker, voorzitter):
    foreign = voorzitter.csrf()
    assert foreign and foreign != werker.csrf()
    plant(werker, foreign)
    response = werker.client.post("/logout/", data={"_csrf_token": foreign}, follow_redirects=False)
    assert response.status_code == 403
    assert "Laad de pagina opnieuw" in response.text
    assert still_logged_in(werker)


def test_an_api_call_with_the_token_of_another_session_is_refused(werker, voorzitter, world):
    foreign = voorzitter.csrf()
    plant(werker, foreign)
    body = {"gemeente": "mechelen", "titel": "Geen plek om te voetballen", "omschrijving": "Jongeren vragen een veld."}
    response = werker.client.post("/api/v1/signalen", json=body, headers={"x-csrf-token": foreign})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Dit formulier is verlopen")
    assert werker.api("GET", "/api/v1/signalen").json()["totaal"] == 0


def test_two_sessions_of_the_same_user_have_different_tokens(app, world):
    first, second = login_as(app, world, "werker"), login_as(app, world, "werker")
    assert first.csrf() != second.csrf()
    plant(second, first.csrf())
    assert second.client.post("/logout/", data={"_csrf_token": first.csrf()}).status_code == 403
    assert still_logged_in(second)


def test_the_own_token_works_for_forms_and_fetch_and_stays_the_same(werker):
    token = werker.csrf()
    werker.get("/signalen/")
    assert werker.client.cookies.get(CSRF_COOKIE) == token  # what static/js reads from the cookie
    assert werker.api("GET", "/api/v1/signalen").status_code == 200
    assert werker.post_form("/logout/", follow_redirects=False).status_code == 303


def test_a_signed_token_without_a_session_or_pre_session_is_refused(anonymous):
    token = generate_csrf_token("test-secret-" + "x" * 40)  # a token Litestar itself would accept
    anonymous.client.cookies.set(CSRF_COOKIE, token, domain=DOMAIN)
    response = anonymous.client.post("/login/", data={"username": "werker", "password": PASSWORD,
                                                      "_csrf_token": token})
    assert response.status_code == 403


def test_the_login_page_token_is_bound_to_the_pre_session_cookie(app, world):
    first, second = login_as(app, world, "anonymous"), login_as(app, world, "anonymous")
    first_token, second_token = first.csrf(), second.csrf()
    assert first.client.cookies.get(PRESESSION_COOKIE) != second.client.cookies.get(PRESESSION_COOKIE)
    assert first_token != second_token
    plant(second, first_token)
    response = second.client.post("/login/", data={"username": "werker", "password": PASSWORD,
                                                   "_csrf_token": first_token}, follow_redirects=False)
    assert response.status_code == 403
    assert "id" not in second.client.cookies


def test_login_works_and_gives_a_new_token_at_once(anonymous, world):
    before = anonymous.csrf()
    response = anonymous.post_form("/login/", {"username": "werker", "password": PASSWORD, "next": "/"},
                                   follow_redirects=False)
    assert response.status_code == 303
    after = anonymous.client.cookies.get(CSRF_COOKIE)
    assert after and after != before  # set by the login response itself: no page load needed before a POST
    assert anonymous.post_form("/logout/", follow_redirects=False).status_code == 303


def test_the_token_of_a_session_is_refused_after_logout(werker):
    token = werker.csrf()
    assert werker.post_form("/logout/", follow_redirects=False).status_code == 303
    plant(werker, token)
    response = werker.client.post("/login/", data={"username": "werker", "password": PASSWORD,
                                                   "_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 403


def test_partner_and_chair_pages_still_post_with_their_own_token(partner, voorzitter):
    for persona in (partner, voorzitter):
        assert persona.post_form("/logout/", follow_redirects=False).status_code == 303


def test_a_garbage_token_and_cookie_are_refused(werker):
    plant(werker, "x" * 128)
    assert werker.client.post("/logout/", data={"_csrf_token": "x" * 128}).status_code == 403
