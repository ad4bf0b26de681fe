"""Invitations: the beheerder invites by e-mail, the person chooses a password through a one-time link and is in."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from piccolo.apps.user.tables import BaseUser

from admin.tables import Accounttoken, Lidmaatschap
from berichten.tables import Bericht
from settings import get_settings
from tests.support import login_as, sync

ROOT = Path(__file__).resolve().parents[2]
GOOD_PASSWORD = "paars-fietsrek-onder-de-brug-42"


def _invite(beheerder, email="nieuwe.partner@caw.example", **extra):
    data = {"email": email, "voornaam": "Nadia", "gemeente": "mechelen", "rol": "partner", **extra}
    return beheerder.post_form("/beheer/gebruikers", data, follow_redirects=False)


def _link(kind: str = "uitnodiging") -> str:
    row = sync(Bericht.select(Bericht.text).where(Bericht.kind == kind).order_by(Bericht.id, ascending=False).first())
    base = re.escape(get_settings().base_url)
    match = re.search(base + r"(/(?:uitnodiging|wachtwoord-herstellen)/[A-Za-z0-9_-]+)", row["text"])
    assert match, row["text"]
    return match.group(1)


def test_the_beheerder_invites_and_the_mail_holds_a_one_time_link(beheerder, world):
    response = _invite(beheerder, email="Nieuwe.Partner@CAW.example")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/beheer/berichten/")
    user = sync(BaseUser.select().where(BaseUser.email == "nieuwe.partner@caw.example").first())
    assert user is not None and user["active"] is False and user["first_name"] == "Nadia"
    members = sync(Lidmaatschap.select(Lidmaatschap.gemeente, Lidmaatschap.rol).where(Lidmaatschap.user == user["id"]))
    assert members == [{"gemeente": world.gemeenten["mechelen"], "rol": "partner"}]
    (mail,) = sync(Bericht.select().where(Bericht.kind == "uitnodiging"))
    assert mail["to_email"] == "nieuwe.partner@caw.example" and mail["user_id"] == user["id"]
    token = _link().rsplit("/", 1)[1]
    (stored,) = sync(Accounttoken.select(Accounttoken.token_hash, Accounttoken.verloopt_op))
    assert token not in str(stored) and len(token) >= 40  # only the hash is stored
    page = beheerder.get(response.headers["location"])
    assert page.status_code == 200 and _link() in page.text  # embedded mode: the link is readable in the app


def test_following_the_link_sets_the_password_and_logs_in(app, beheerder, anonymous):
    _invite(beheerder)
    link = _link()
    page = anonymous.get(link)
    assert page.status_code == 200 and "nieuwe.partner@caw.example" in page.text
    answer = anonymous.post_form(link, {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
                                 follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert anonymous.get("/").status_code == 200
    from tests.support import current_user

    me = current_user(anonymous)
    assert me is not None and me.username == "nieuwe.partner@caw.example"
    # the password works at the login too, and the link is spent
    fresh = login_as(app, None, "anonymous")
    login = fresh.post_form("/login/", {"username": "nieuwe.partner@caw.example", "password": GOOD_PASSWORD},
                            follow_redirects=False)
    assert login.status_code == 303
    again = fresh.get(link)
    assert again.status_code == 410 and "niet meer geldig" in again.text


def test_a_weak_or_mismatched_password_is_refused_and_the_link_stays_valid(beheerder, anonymous):
    _invite(beheerder)
    link = _link()
    weak = anonymous.post_form(link, {"password": "wachtwoord123", "password2": "wachtwoord123"})
    assert weak.status_code == 422 and "aria-invalid" in weak.text
    other = anonymous.post_form(link, {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert other.status_code == 422 and "niet gelijk" in other.text
    assert anonymous.get(link).status_code == 200


def test_an_existing_address_gets_a_clear_message(beheerder):
    response = _invite(beheerder, email="WERKER@example.org")
    assert response.status_code == 422 and "Er bestaat al een account met dit e-mailadres." in response.text
    assert sync(Bericht.count()) == 0


@pytest.mark.parametrize("email", ["", "   ", "geen-adres", "a@b@c.be", "x@example.org\r\nBcc: y@example.org",
                                   "<script>alert(1)</script>@x.be", "a" * 300 + "@example.org"])
def test_a_bad_address_is_refused(beheerder, email):
    response = _invite(beheerder, email=email)
    assert response.status_code == 422 and "geldig e-mailadres" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert sync(Bericht.count()) == 0


@pytest.mark.parametrize("field, value", [("gemeente", "atlantis"), ("rol", "koning")])
def test_an_unknown_gemeente_or_rol_is_refused(beheerder, field, value):
    assert _invite(beheerder, **{field: value}).status_code == 422
    assert sync(BaseUser.count().where(BaseUser.email == "nieuwe.partner@caw.example")) == 0


@pytest.mark.parametrize("name", ["werker", "werker2", "voorzitter", "partner", "coordinator"])
def test_only_the_beheerder_reaches_the_beheer_pages(personas, name):
    persona = personas[name]
    for path in ("/beheer/gebruikers", "/beheer/berichten"):
        assert persona.get(path).status_code == 403
    assert _invite(persona).status_code == 403
    assert sync(Bericht.count()) == 0


def test_anonymous_is_sent_to_the_login(anonymous):
    for path in ("/beheer/gebruikers", "/beheer/berichten", "/beheer/berichten/1"):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login/")
    assert _invite(anonymous).status_code in (303, 401, 403)
    assert sync(Bericht.count()) == 0


@pytest.mark.parametrize("token", ["onbekend", "x" * 43, "%00", "a" * 200])
def test_an_unknown_link_is_404(anonymous, token):
    response = anonymous.get(f"/uitnodiging/{token}")
    assert response.status_code == 404 and "Link niet gevonden" in response.text
    assert anonymous.post_form(f"/uitnodiging/{token}", {"password": GOOD_PASSWORD,
                                                          "password2": GOOD_PASSWORD}).status_code == 404


def test_an_invitation_expires_after_seven_days(beheerder, anonymous):
    _invite(beheerder)
    link = _link()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=7, minutes=1)):
        assert anonymous.get(link).status_code == 410
        answer = anonymous.post_form(link, {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
        assert answer.status_code == 410
    assert sync(BaseUser.select(BaseUser.active).where(BaseUser.email == "nieuwe.partner@caw.example").first()) == {
        "active": False}
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=6, hours=23)):
        assert anonymous.get(link).status_code == 200


def test_a_reset_link_is_no_invitation_and_the_other_way_round(beheerder, anonymous):
    _invite(beheerder)
    token = _link().rsplit("/", 1)[1]
    assert anonymous.get(f"/wachtwoord-herstellen/{token}").status_code == 404


def test_links_use_the_base_url_never_the_host_header(beheerder):
    beheerder.client.headers["Host"] = "evil.example"
    response = _invite(beheerder)
    assert response.status_code == 303
    (mail,) = sync(Bericht.select(Bericht.text, Bericht.html))
    assert "evil.example" not in mail["text"] + mail["html"]
    assert get_settings().base_url + "/uitnodiging/" in mail["text"]


def test_manage_py_uitnodigen_invites_from_the_command_line(world):
    import os

    result = subprocess.run([sys.executable, "manage.py", "uitnodigen", "Lien@OCMW.example", "--lid",
                             "hoeilaart:voorzitter", "--voornaam", "Lien"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert "/beheer/berichten/" in result.stdout
    user = sync(BaseUser.select(BaseUser.id, BaseUser.first_name).where(BaseUser.email == "lien@ocmw.example").first())
    assert user["first_name"] == "Lien"
    assert sync(Lidmaatschap.select(Lidmaatschap.rol).where(Lidmaatschap.user == user["id"])) == [
        {"rol": "voorzitter"}]
    again = subprocess.run([sys.executable, "manage.py", "uitnodigen", "lien@ocmw.example", "--lid",
                            "hoeilaart:partner"], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert again.returncode == 0 and "opnieuw uitgenodigd" in again.stdout  # the first link was never used
    taken = subprocess.run([sys.executable, "manage.py", "uitnodigen", "Werker@example.org", "--lid",
                            "hoeilaart:partner"], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert taken.returncode != 0 and "Er bestaat al een account" in taken.stderr
    bad = subprocess.run([sys.executable, "manage.py", "uitnodigen", "x@y.example", "--lid", "nergens:partner"],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert bad.returncode != 0 and "gemeente" in bad.stderr


def test_the_invitation_mail_arrives_over_smtp(beheerder, smtp_server):
    from berichten.delivery import deliver_due

    _invite(beheerder)
    sync(deliver_due())
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "Nadia <nieuwe.partner@caw.example>"
    assert message["Subject"] == "Je bent uitgenodigd voor Signaalwerk"
    assert _link() in message.get_body(("plain",)).get_content()
    assert _link() in message.get_body(("html",)).get_content()


def test_an_unused_invitation_can_be_sent_again_and_the_old_link_ends(beheerder, anonymous):
    _invite(beheerder)
    old = _link()
    expired = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    sync(Accounttoken.update({Accounttoken.verloopt_op: expired}).where(Accounttoken.gebruikt_op.is_null()))
    assert anonymous.get(old).status_code == 410
    again = _invite(beheerder, rol="voorzitter")
    assert again.status_code == 303
    new = _link()
    assert new != old and anonymous.get(new).status_code == 200 and anonymous.get(old).status_code == 410
    users = sync(BaseUser.select(BaseUser.id).where(BaseUser.email == "nieuwe.partner@caw.example"))
    assert len(users) == 1
    roles = sync(Lidmaatschap.select(Lidmaatschap.rol).where(Lidmaatschap.user == users[0]["id"]))
    assert sorted(row["rol"] for row in roles) == ["partner", "voorzitter"]


def test_an_accepted_invitation_is_an_existing_account(beheerder, anonymous):
    _invite(beheerder)
    anonymous.post_form(_link(), {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    again = _invite(beheerder)
    assert again.status_code == 422 and "Er bestaat al een account met dit e-mailadres." in again.text
