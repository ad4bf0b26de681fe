"""Login and logout: one Dutch login for the app and the admin, sessions that expire, a rate limit."""

from __future__ import annotations

import datetime as dt

from piccolo_api.session_auth.tables import SessionsBase

from common import dates
from tests.support import PASSWORD, sync


def _login(persona, username, password, next_="/"):
    return persona.post_form("/login/", {"username": username, "password": password, "next": next_},
                             follow_redirects=False)


def test_the_login_page_is_dutch_and_has_no_external_assets(anonymous):
    response = anonymous.get("/login/")
    assert response.status_code == 200
    assert "Aanmelden" in response.text and "Gebruikersnaam" in response.text
    assert 'lang="nl-BE"' in response.text
    assert "http://" not in response.text and "https://" not in response.text


def test_werker_logs_in_and_sees_the_dashboard_with_their_gemeente(anonymous):
    response = _login(anonymous, "werker", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    page = anonymous.get("/")
    assert page.status_code == 200
    assert "Dag Werker Test" in page.text and "Mechelen" in page.text and "Hoeilaart" not in page.text


def test_a_wrong_password_is_refused_in_dutch_and_changes_nothing(anonymous):
    response = _login(anonymous, "werker", "fout-wachtwoord")
    assert response.status_code == 400
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.text
    assert "id" not in anonymous.client.cookies
    assert sync(SessionsBase.count()) == 0


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(anonymous):
    unknown = _login(anonymous, "niemand", "fout-wachtwoord")
    wrong = _login(anonymous, "werker", "fout-wachtwoord")
    assert unknown.status_code == wrong.status_code == 400
    assert "Gebruikersnaam of wachtwoord klopt niet." in unknown.text


def test_an_unknown_user_costs_the_same_hashing_work_as_a_known_one(anonymous, monkeypatch):
    from piccolo.apps.user.tables import BaseUser

    calls = []
    original = BaseUser.hash_password.__func__

    def counting(cls, password, salt="", iterations=None):
        calls.append(iterations or cls._pbkdf2_iteration_count)
        return original(cls, password, salt, iterations)

    _login(anonymous, "niemand", "fout-wachtwoord")  # the reference hash is made once per process
    monkeypatch.setattr(BaseUser, "hash_password", classmethod(counting))
    _login(anonymous, "niemand", "fout-wachtwoord")
    unknown_work = sum(calls)
    calls.clear()
    _login(anonymous, "werker", "fout-wachtwoord")
    assert unknown_work == sum(calls) > 0


def test_an_inactive_user_cannot_log_in(anonymous, world):
    from piccolo.apps.user.tables import BaseUser

    sync(BaseUser.update({BaseUser.active: False}).where(BaseUser.username == "werker"))
    assert _login(anonymous, "werker", PASSWORD).status_code == 400


def test_login_without_csrf_token_is_refused(anonymous):
    anonymous.csrf()
    response = anonymous.client.post("/login/", data={"username": "werker", "password": PASSWORD})
    assert response.status_code == 403
    assert sync(SessionsBase.count()) == 0


def test_login_with_a_wrong_csrf_token_is_refused(anonymous):
    anonymous.csrf()
    response = anonymous.client.post("/login/", data={"username": "werker", "password": PASSWORD,
                                                      "_csrf_token": "x" * 64})
    assert response.status_code == 403


def test_every_login_gets_a_fresh_session_id(anonymous):
    anonymous.client.cookies.set("id", "attacker-chosen-token", domain="testserver.local")
    _login(anonymous, "werker", PASSWORD)
    first = anonymous.client.cookies.get("id")
    assert first and first != "attacker-chosen-token"
    _login(anonymous, "werker", PASSWORD)
    second = anonymous.client.cookies.get("id")
    assert second != first
    # the earlier session is gone, not merely replaced in the browser
    assert not sync(SessionsBase.exists().where(SessionsBase.token == first))


def test_logout_destroys_the_session(werker):
    token = werker.client.cookies.get("id")
    response = werker.post_form("/logout/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login/"
    assert not sync(SessionsBase.exists().where(SessionsBase.token == token))
    werker.client.cookies.set("id", token)
    assert werker.get("/", follow_redirects=False).status_code == 303


def test_logout_by_get_is_not_possible(werker):
    assert werker.get("/logout/").status_code == 405
    assert werker.get("/").status_code == 200


def test_logout_shows_a_dutch_message_once(werker):
    page = werker.post_form("/logout/")
    assert "Je bent afgemeld." in page.text
    assert "Je bent afgemeld." not in werker.get("/login/").text


def test_an_idle_session_expires_after_30_minutes(werker):
    sync(SessionsBase.update({SessionsBase.expiry_date: dt.datetime.now() - dt.timedelta(seconds=1)}).where(
        SessionsBase.user_id == werker.user_id))
    response = werker.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login/")


def test_a_session_ends_after_12_hours_whatever_the_activity(werker):
    sync(SessionsBase.update({SessionsBase.max_expiry_date: dt.datetime.now() - dt.timedelta(seconds=1)}).where(
        SessionsBase.user_id == werker.user_id))
    assert werker.get("/", follow_redirects=False).status_code == 303


def test_activity_slides_the_idle_deadline_but_never_past_the_absolute_one(werker):
    soon = dt.datetime.now() + dt.timedelta(minutes=5)
    hard = dt.datetime.now() + dt.timedelta(minutes=10)
    sync(SessionsBase.update({SessionsBase.expiry_date: soon, SessionsBase.max_expiry_date: hard}).where(
        SessionsBase.user_id == werker.user_id))
    assert werker.get("/").status_code == 200
    row = sync(SessionsBase.select().where(SessionsBase.user_id == werker.user_id).first())
    assert row["expiry_date"] > soon
    assert row["expiry_date"] <= hard


def test_a_tampered_session_cookie_is_an_anonymous_visitor(werker):
    werker.client.cookies.set("id", werker.client.cookies.get("id") + "x")
    response = werker.get("/", follow_redirects=False)
    assert response.status_code == 303


def test_a_malformed_cookie_header_is_an_anonymous_visitor(anonymous):
    response = anonymous.get("/", headers={"cookie": 'id="\\x00;;;=='}, follow_redirects=False)
    assert response.status_code == 303


def test_more_than_ten_failures_for_an_account_answer_429_in_dutch(anonymous):
    for _ in range(10):
        assert _login(anonymous, "werker", "fout").status_code == 400
    response = _login(anonymous, "werker", PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.text
    assert sync(SessionsBase.count()) == 0


def test_more_than_thirty_failures_from_one_client_block_other_accounts_too(anonymous):
    for i in range(30):
        _login(anonymous, f"gok{i}", "fout")
    assert _login(anonymous, "voorzitter", PASSWORD).status_code == 429


def test_old_failures_no_longer_count(anonymous):
    from admin.tables import LoginPoging

    for _ in range(10):
        _login(anonymous, "werker", "fout")
    sync(LoginPoging.update({LoginPoging.tijdstip: dates.now() - dt.timedelta(minutes=6)},
                                force=True))
    assert _login(anonymous, "werker", PASSWORD).status_code == 303


def test_login_redirects_only_to_local_paths(anonymous):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = _login(anonymous, "werker", PASSWORD, next_=target)
        assert response.headers["location"] == "/"


def test_an_over_long_username_or_password_is_just_wrong(anonymous):
    assert _login(anonymous, "w" * 5000, PASSWORD).status_code == 400
    assert _login(anonymous, "werker", "p" * 5000).status_code == 400


def test_the_admin_account_logs_in_to_the_admin_with_the_same_session(anonymous):
    response = _login(anonymous, "beheerder", PASSWORD, next_="/admin/")
    assert response.headers["location"] == "/admin/"
    assert anonymous.get("/admin/api/user/").json()["username"] == "beheerder"
