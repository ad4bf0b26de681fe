"""Rights of data subjects and deactivation: export, erasure (pseudonym), and sessions that end at once."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

import manage
from admin.tables import LoginPoging
from audit.tables import Audit
from common.dates import today
from signalen import rights
from signalen.tables import Signaal
from tests.support import PASSWORD, login_as, make_signaal, sync

PSEUDONYM = re.compile(r"verwijderd-[0-9a-f]{4,}")


def _login(persona, username, password):
    return persona.post_form("/login/", {"username": username, "password": password, "next": "/"},
                             follow_redirects=False)


def _user(username: str) -> dict | None:
    return sync(BaseUser.select().where(BaseUser.username == username).first())


def _sessions(user_id: int) -> int:
    return sync(SessionsBase.count().where(SessionsBase.user_id == user_id))


def _logged_in(persona) -> bool:
    return persona.get("/", follow_redirects=False).status_code == 200


def _export(capsys, username: str) -> dict:
    manage.main(["gegevens-export", username])
    return json.loads(capsys.readouterr().out)


# ----------------------------------------------------------------------------- export

def test_the_export_holds_the_account_without_its_password(werker, capsys):
    data = _export(capsys, "werker")
    account = data["account"]
    assert account["username"] == "werker" and account["first_name"] == "Werker"
    assert account["email"] == "werker@example.org" and account["active"] is True
    text = json.dumps(data)
    assert "password" not in text and "pbkdf2" not in text


def test_the_export_holds_memberships_and_login_attempts(anonymous, capsys):
    _login(anonymous, "werker", "fout-wachtwoord")
    _login(anonymous, "werker", PASSWORD)
    _login(anonymous, "voorzitter", "fout-wachtwoord")
    data = _export(capsys, "werker")
    assert [(m["gemeente"], m["rol"]) for m in data["lidmaatschappen"]] == [("mechelen", "jeugdopbouwwerker")]
    assert [a["geslaagd"] for a in data["aanmeldpogingen"]] == [False, True]  # not the voorzitter's attempt
    assert len(data["sessies"]) == 1 and "token" not in json.dumps(data["sessies"])


def test_the_export_lists_own_signals_by_id_date_and_status_only(werker, voorzitter, capsys):
    own = make_signaal(werker, titel="Geheime titel van de werker")
    other = make_signaal(voorzitter, titel="Signaal van de voorzitter")
    data = _export(capsys, "werker")
    assert [s["id"] for s in data["signalen"]] == [own["id"]]
    assert set(data["signalen"][0]) == {"id", "gemeente", "datum", "status", "aangemaakt_op", "gewijzigd_op"}
    assert data["signalen"][0]["status"] == "nieuw" and data["signalen"][0]["datum"] == own["datum"].isoformat()
    text = json.dumps(data)
    assert "Geheime titel" not in text and "voorzitter" not in text and str(other["id"]) not in [
        str(s["id"]) for s in data["signalen"]]


def test_the_export_lists_every_other_row_that_points_at_the_user(werker, capsys):
    make_signaal(werker)
    data = _export(capsys, "werker")
    history = data["andere_verwijzingen"]["signaal_historiek"]
    assert history == [{"veld": "gebruiker", "id": history[0]["id"], "tijdstip": history[0]["tijdstip"]}]
    assert "toelichting" not in json.dumps(data["andere_verwijzingen"])  # ids and dates, never text


def test_exporting_an_unknown_user_is_a_clear_error(world, capsys):
    with pytest.raises(SystemExit) as exc:
        manage.main(["gegevens-export", "niemand"])
    assert "Onbekende gebruiker: niemand" in str(exc.value)


# ----------------------------------------------------------------------------- erasure

def test_erasure_replaces_every_name_by_a_pseudonym(werker, capsys):
    user_id = werker.user_id
    manage.main(["wis-gebruiker", "werker", "--ja"])
    assert "is gewist" in capsys.readouterr().out
    row = sync(BaseUser.select().where(BaseUser.id == user_id).first())
    assert PSEUDONYM.fullmatch(row["username"])
    assert row["first_name"] == row["username"] and row["last_name"] == ""
    assert row["email"] == f"{row['username']}@verwijderd.invalid"
    assert not row["active"] and not row["admin"] and not row["superuser"]
    assert _user("werker") is None


def test_erasure_keeps_the_signals_linked_to_the_pseudonymised_account(werker, voorzitter):
    signaal = make_signaal(werker)
    pseudonym = sync(rights.erase_user("werker"))
    assert sync(Signaal.select(Signaal.auteur).where(Signaal.id == signaal["id"]).first())["auteur"] == werker.user_id
    shown = voorzitter.get(f"/api/v1/signalen/{signaal['id']}").json()
    assert shown["auteur"] == werker.user_id and shown["auteur_naam"] == pseudonym
    assert shown["titel"] == signaal["titel"]


def test_erasure_ends_the_sessions_and_no_password_works_any_more(app, world, werker, anonymous):
    assert _logged_in(werker)
    pseudonym = sync(rights.erase_user("werker"))
    assert _sessions(werker.user_id) == 0 and not _logged_in(werker)
    assert _login(anonymous, "werker", PASSWORD).status_code == 400
    assert _login(login_as(app, world, "anonymous"), pseudonym, PASSWORD).status_code == 400


def test_erasure_renames_the_login_attempts(anonymous, world):
    _login(anonymous, "werker", "fout-wachtwoord")
    pseudonym = sync(rights.erase_user("werker"))
    names = {row["username"] for row in sync(LoginPoging.select(LoginPoging.username))}
    assert names == {pseudonym}


def test_erasure_removes_a_copied_name_next_to_a_link(werker):
    from admin.tables import Gemeente
    from overleg.tables import Deelnemer, Overleg, Vergadering

    gemeente = sync(Gemeente.select(Gemeente.id).where(Gemeente.slug == "mechelen").first())["id"]
    overleg = Overleg(gemeente=gemeente, naam="JWO Mechelen")
    sync(overleg.save())
    vergadering = Vergadering(overleg=overleg.id, datum=today(), begin=dt.time(19, 0))
    sync(vergadering.save())
    sync(Deelnemer(vergadering=vergadering.id, user=werker.user_id, naam="Werker Test").save())
    sync(Deelnemer(vergadering=vergadering.id, user=None, naam="Iemand anders").save())
    pseudonym = sync(rights.erase_user("werker"))
    assert sorted(r["naam"] for r in sync(Deelnemer.select(Deelnemer.naam))) == ["Iemand anders", pseudonym]


def test_erasing_twice_changes_nothing_more(werker):
    pseudonym = sync(rights.erase_user("werker"))
    row = _user(pseudonym)
    assert sync(rights.erase_user(pseudonym)) == pseudonym
    assert _user(pseudonym) == row


def test_two_erased_users_never_collide(world):
    first, second = sync(rights.erase_user("werker")), sync(rights.erase_user("werker2"))
    assert first != second
    assert _user(first)["email"] != _user(second)["email"]


def test_the_export_after_erasure_shows_only_the_pseudonym(werker, capsys):
    make_signaal(werker)
    pseudonym = sync(rights.erase_user("werker"))
    data = _export(capsys, pseudonym)
    assert "Werker" not in json.dumps(data) and len(data["signalen"]) == 1


def test_the_export_holds_the_audit_trail_about_the_user(werker, capsys):
    signaal = make_signaal(werker)
    werker.get(f"/signalen/{signaal['id']}")
    trail = _export(capsys, "werker")["auditspoor"]
    assert [(r["actie"], r["object_id"], r["gebruiker_naam"]) for r in trail] == [
        ("bekijken", str(signaal["id"]), "werker")]


def test_erasure_leaves_the_audit_trail_untouched_and_it_then_names_nobody(werker, capsys):
    werker.get("/signalen")
    werker.post_form("/logout/")
    before = sync(Audit.select().where(Audit.gebruiker == werker.user_id).order_by(Audit.id))
    assert before
    manage.main(["wis-gebruiker", "werker", "--ja"])  # the append-only trigger would refuse any edit
    out = capsys.readouterr().out
    assert "werker" not in out.replace("verwijderd-", "")  # the command's output may end up in a log
    assert sync(Audit.select().where(Audit.gebruiker == werker.user_id).order_by(Audit.id)) == before
    pseudonym = sync(BaseUser.select(BaseUser.username).where(BaseUser.id == werker.user_id).first())["username"]
    assert {r["gebruiker_naam"] for r in _export(capsys, pseudonym)["auditspoor"]} == {"gewiste gebruiker"}


# ----------------------------------------------------------------------------- deactivation

def test_deactivating_by_command_ends_all_sessions_at_once(app, world, werker, voorzitter, capsys):
    second_device = login_as(app, world, "werker")
    assert _logged_in(werker) and _logged_in(second_device)
    manage.main(["deactiveer", "werker"])
    assert "gedeactiveerd" in capsys.readouterr().out
    assert _sessions(werker.user_id) == 0
    assert not _logged_in(werker) and not _logged_in(second_device)
    assert not _user("werker")["active"]
    assert _logged_in(voorzitter)  # nobody else is touched


def test_deactivating_an_unknown_user_is_a_clear_error(world):
    with pytest.raises(SystemExit) as exc:
        manage.main(["deactiveer", "niemand"])
    assert "Onbekende gebruiker" in str(exc.value)


def _admin_csrf(beheerder) -> str:
    beheerder.get("/admin/api/tables/")
    return beheerder.client.cookies.get("csrftoken")


def test_deactivating_in_the_admin_ends_all_sessions_at_once(beheerder, werker, voorzitter):
    assert _logged_in(werker)
    response = beheerder.client.patch(f"/admin/api/tables/piccolo_user/{werker.user_id}/", json={"active": False},
                                      headers={"X-CSRFToken": _admin_csrf(beheerder)})
    assert response.status_code == 200, response.text
    assert not _user("werker")["active"]
    assert _sessions(werker.user_id) == 0 and not _logged_in(werker)
    assert _logged_in(voorzitter)


def test_other_changes_in_the_admin_keep_the_sessions(beheerder, werker):
    response = beheerder.client.patch(f"/admin/api/tables/piccolo_user/{werker.user_id}/",
                                      json={"first_name": "Sara"}, headers={"X-CSRFToken": _admin_csrf(beheerder)})
    assert response.status_code == 200, response.text
    assert _logged_in(werker)


def test_deleting_a_user_in_the_admin_leaves_no_session(beheerder, werker2):
    assert _logged_in(werker2)
    response = beheerder.client.delete(f"/admin/api/tables/piccolo_user/{werker2.user_id}/",
                                       headers={"X-CSRFToken": _admin_csrf(beheerder)})
    assert response.status_code == 204, response.text
    assert _sessions(werker2.user_id) == 0


def test_the_session_middleware_refuses_an_inactive_user_even_with_a_live_session(werker):
    sync(BaseUser.update({BaseUser.active: False}).where(BaseUser.id == werker.user_id))  # behind the hooks' back
    assert _sessions(werker.user_id) == 1
    assert not _logged_in(werker)
    assert werker.get("/api/v1/signalen").status_code == 401
    assert _sessions(werker.user_id) == 0  # and the session is thrown away
