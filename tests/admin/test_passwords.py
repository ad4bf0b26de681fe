"""One password policy for the admin, `manage.py createuser` and (later) invitations and resets."""

from __future__ import annotations

import pytest
from piccolo.apps.user.tables import BaseUser

import manage
from admin import passwords
from admin.demo import DEMO_PASSWORD
from tests.support import PASSWORD, sync

GOOD = "oranje fiets onder de brug"


@pytest.mark.parametrize("weak", ["12345678", "demo-demo", "kort-12", "password1234", "Password123!",
                                  "qwertyuiop12", "aaaaaaaaaaaa", "123456789012", "nieuwegebruiker2026"])
def test_short_common_and_guessable_passwords_are_refused_in_dutch(weak):
    problem = passwords.check_password(weak, username="nieuwegebruiker")
    assert problem and problem.endswith(".")
    assert "password" not in problem.lower()


def test_a_long_uncommon_passphrase_is_accepted():
    assert passwords.check_password(GOOD, username="nieuw") is None
    assert passwords.check_password(PASSWORD) is None


def test_the_username_may_not_be_the_password():
    assert passwords.check_password("sara.peeters-1", username="sara.peeters") == passwords.IS_USERNAME


def _user(username: str):
    return sync(BaseUser.select(BaseUser.password).where(BaseUser.username == username).first())


def test_manage_createuser_refuses_12345678_with_exit_code_2(world, capsys):
    with pytest.raises(SystemExit) as exc:
        manage.main(["createuser", "nieuw", "--password", "12345678"])
    assert exc.value.code == 2
    assert passwords.TOO_SHORT in capsys.readouterr().err
    assert _user("nieuw") is None


def test_manage_createuser_refuses_a_common_long_password(world, capsys):
    with pytest.raises(SystemExit) as exc:
        manage.main(["createuser", "nieuw", "--password", "password1234"])
    assert exc.value.code == 2 and _user("nieuw") is None


def test_manage_createuser_accepts_a_good_password(world):
    manage.main(["createuser", "nieuw", "--password", GOOD])
    assert _user("nieuw") is not None


def _admin_csrf(beheerder) -> str:
    beheerder.get("/admin/api/tables/")
    return beheerder.client.cookies.get("csrftoken")


def _new_user(beheerder, username: str, password: str):
    """A new user through Piccolo Admin's form, every field as the form sends it."""
    return beheerder.client.post("/admin/api/tables/piccolo_user/",
                                 json={"username": username, "password": password, "email": "n@example.org",
                                       "active": True, "admin": False, "superuser": False,
                                       "first_name": "Nieuw", "last_name": "Test"},
                                 headers={"X-CSRFToken": _admin_csrf(beheerder)})


def test_the_admin_refuses_a_short_password_for_a_new_user(beheerder):
    response = _new_user(beheerder, "nieuw", "kort12")
    assert response.status_code == 400, response.text
    assert passwords.TOO_SHORT in response.text
    assert _user("nieuw") is None


def test_the_admin_refuses_the_username_as_password_for_a_new_user(beheerder):
    response = _new_user(beheerder, "jonas.devos", "jonas.devos-2026")
    assert response.status_code == 400 and passwords.IS_USERNAME in response.text


def test_the_admin_accepts_a_good_password_for_a_new_user(beheerder):
    response = _new_user(beheerder, "nieuw", GOOD)
    assert response.status_code == 201, response.text


def test_the_admin_refuses_a_weak_password_when_editing_a_user(beheerder, werker):
    before = _user("werker")["password"]
    for weak in ("123456", "password1234"):
        response = beheerder.client.patch(f"/admin/api/tables/piccolo_user/{werker.user_id}/",
                                          json={"password": weak}, headers={"X-CSRFToken": _admin_csrf(beheerder)})
        assert response.status_code == 400, response.text
    assert _user("werker")["password"] == before


def test_the_admin_password_change_form_refuses_a_short_password(beheerder):
    response = beheerder.client.post(
        "/admin/api/change-password/",
        json={"current_password": PASSWORD, "new_password": "demo-demo1", "confirm_new_password": "demo-demo1"},
        headers={"X-CSRFToken": _admin_csrf(beheerder)},
    )
    assert response.status_code in (400, 422), response.text
    assert sync(BaseUser.login(username="beheerder", password=PASSWORD)) is not None


def test_update_password_applies_the_policy():
    with pytest.raises(ValueError, match="minstens 12"):
        sync(BaseUser.update_password("werker", "12345678"))


def test_the_demo_accounts_keep_demo_demo_in_demo_mode(app):
    from admin.demo import create_user

    user = sync(create_user("demo-test", DEMO_PASSWORD))
    assert sync(BaseUser.login(username="demo-test", password=DEMO_PASSWORD)) == user.id
