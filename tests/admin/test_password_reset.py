"""Wachtwoord vergeten: a one-time link by mail that never tells whether an address exists, and ends every session."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from piccolo_api.session_auth.tables import SessionsBase

from admin.tables import Accounttoken
from berichten.tables import Bericht
from settings import get_settings
from tests.support import PASSWORD, current_user, login_as, sync

NEW_PASSWORD = "oranje-kameel-leest-de-krant-7"


def _ask(persona, email):
    return persona.post_form("/wachtwoord-vergeten/", {"email": email})


def _link() -> str:
    row = sync(Bericht.select(Bericht.text).where(Bericht.kind == "wachtwoord_herstel").order_by(
        Bericht.id, ascending=False).first())
    match = re.search(re.escape(get_settings().base_url) + r"(/wachtwoord-herstellen/[A-Za-z0-9_-]+)", row["text"])
    assert match
    return match.group(1)


def _visible(html: str) -> str:
    return re.sub(r'name="_csrf_token" value="[^"]*"', "", html)


def test_the_login_page_links_to_wachtwoord_vergeten(anonymous):
    page = anonymous.get("/login/")
    assert 'href="/wachtwoord-vergeten/"' in page.text
    assert anonymous.get("/wachtwoord-vergeten/").status_code == 200


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_the_known_one_a_mail(anonymous, world):
    known = _ask(anonymous, "Werker@Example.org")
    unknown = _ask(anonymous, "niemand@example.org")
    assert known.status_code == unknown.status_code == 200
    assert _visible(known.text) == _visible(unknown.text)
    rows = sync(Bericht.select(Bericht.to_email, Bericht.user_id, Bericht.kind))
    assert rows == [{"to_email": "werker@example.org", "user_id": world.users["werker"], "kind": "wachtwoord_herstel"}]


def test_the_link_sets_a_new_password_ends_every_other_session_and_logs_in(app, world, werker, anonymous):
    assert current_user(werker) is not None
    _ask(anonymous, "werker@example.org")
    link = _link()
    assert anonymous.get(link).status_code == 200
    answer = anonymous.post_form(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303
    assert current_user(werker) is None  # the session on the other device has ended
    assert sync(SessionsBase.count().where(SessionsBase.user_id == world.users["werker"])) == 1  # this browser's
    assert current_user(anonymous).username == "werker"
    fresh = login_as(app, None, "anonymous")
    old = fresh.post_form("/login/", {"username": "werker", "password": PASSWORD}, follow_redirects=False)
    assert old.status_code == 400
    new = fresh.post_form("/login/", {"username": "werker", "password": NEW_PASSWORD}, follow_redirects=False)
    assert new.status_code == 303
    assert anonymous.get(link).status_code == 410


def test_a_reset_link_expires_after_an_hour(anonymous, world):
    _ask(anonymous, "werker@example.org")
    link = _link()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61)):
        page = anonymous.get(link)
        assert page.status_code == 410 and "niet meer geldig" in page.text
        assert anonymous.post_form(link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 410


def test_a_newer_reset_makes_nothing_of_the_older_link_once_one_is_used(anonymous, world):
    _ask(anonymous, "werker@example.org")
    first = _link()
    _ask(anonymous, "werker@example.org")
    second = _link()
    assert first != second
    assert anonymous.post_form(second, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
                               follow_redirects=False).status_code == 303
    assert anonymous.get(first).status_code == 410


def test_too_many_requests_for_one_address_get_429(anonymous, world):
    for _ in range(3):
        assert _ask(anonymous, "werker@example.org").status_code == 200
    refused = _ask(anonymous, "WERKER@example.org")
    assert refused.status_code == 429 and "Te veel aanvragen" in refused.text and "Retry-After" in refused.headers
    assert sync(Bericht.count()) == 3


def test_too_many_requests_from_one_client_get_429(anonymous, world):
    for number in range(10):
        assert _ask(anonymous, f"iemand{number}@example.org").status_code == 200
    assert _ask(anonymous, "werker@example.org").status_code == 429
    assert sync(Bericht.count()) == 0


def test_too_many_link_visits_from_one_client_get_429(anonymous):
    statuses = [anonymous.get(f"/wachtwoord-herstellen/gok{number}").status_code for number in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_an_inactive_account_gets_no_mail(anonymous, world):
    from piccolo.apps.user.tables import BaseUser

    sync(BaseUser.update({BaseUser.active: False}).where(BaseUser.id == world.users["werker"]))
    assert _ask(anonymous, "werker@example.org").status_code == 200
    assert sync(Bericht.count()) == 0


def test_deactivation_revokes_the_reset_link(anonymous, world):
    from admin.tokens import revoke_all_tokens

    _ask(anonymous, "werker@example.org")
    link = _link()
    sync(revoke_all_tokens(world.users["werker"]))
    assert sync(Accounttoken.count()) == 0
    assert anonymous.get(link).status_code == 404


@pytest.mark.parametrize("email", ["", "x" * 400, "werker@example.org\r\nBcc: a@b.be", "' OR 1=1 --", "<b>@x"])
def test_odd_input_gets_the_same_calm_answer(anonymous, world, email):
    assert _ask(anonymous, email).status_code == 200
    assert sync(Bericht.count()) == 0


def test_the_reset_link_uses_the_base_url_not_the_host_header(anonymous, world):
    anonymous.client.headers["Host"] = "phish.example"
    _ask(anonymous, "werker@example.org")
    (row,) = sync(Bericht.select(Bericht.text, Bericht.html))
    assert "phish.example" not in row["text"] + row["html"] and get_settings().base_url in row["text"]


def test_the_access_log_hides_the_one_time_links():
    from web.accesslog import redact

    assert redact("/uitnodiging/abcDEF_123") == "/uitnodiging/***"
    assert redact("/wachtwoord-herstellen/abc?x=1") == "/wachtwoord-herstellen/***"
    assert redact("/antwoord/abc/pdf") == "/antwoord/***"
    assert redact("/wachtwoord-vergeten/") == "/wachtwoord-vergeten/"
