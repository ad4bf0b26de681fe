"""The audit trail: every login, logout, view, change, export and PDF — never a signal's text."""

from __future__ import annotations

import logging

import pytest

from audit.recorder import classify, safe
from audit.tables import Audit
from settings import get_settings
from tests.support import PASSWORD, make_signaal, sync


def rows(**where):
    query = Audit.select().order_by(Audit.id)
    for name, value in where.items():
        query = query.where(getattr(Audit, name) == value)
    return sync(query)


def test_a_successful_and_a_failed_login_are_recorded_with_the_client(anonymous, world):
    anonymous.post_form("/login/", {"username": "werker", "password": "fout"})
    anonymous.post_form("/login/", {"username": "werker", "password": PASSWORD})
    actions = [(r["actie"], r["gebruiker"], r["uitkomst"]) for r in rows()]
    assert ("login_mislukt", world.users["werker"], "geweigerd") in actions
    assert ("login", world.users["werker"], "ok") in actions
    assert all(r["client"] for r in rows())


def test_audit_rows_and_log_lines_hold_the_user_id_never_a_name(anonymous, world, caplog):
    caplog.set_level(logging.INFO, logger="signaalwerk.audit")
    anonymous.post_form("/login/", {"username": "werker", "password": PASSWORD})
    anonymous.post_form("/login/", {"username": "niemand-bekend", "password": "fout"})
    if get_settings().engine == "postgres":
        stored = {r["column_name"] for r in sync(Audit.raw(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'audit'"))}
    else:
        stored = {r["name"] for r in sync(Audit.raw("PRAGMA table_info(audit)"))}
    assert "gebruiker" in stored and "gebruikersnaam" not in stored  # the migration dropped the old names
    assert "werker" not in str(rows()) and "niemand-bekend" not in str(rows())
    assert rows(actie="login_mislukt")[-1]["gebruiker"] is None  # an unknown name: no id, and no name either
    lines = [r.getMessage() for r in caplog.records if r.name == "signaalwerk.audit"]
    assert any(f"gebruiker={world.users['werker']} " in line for line in lines)
    assert not any("werker" in line or "niemand-bekend" in line for line in lines)


def test_the_trail_resolves_names_when_read(werker, world):
    from audit.recorder import ERASED_LABEL, trail, user_names
    from signalen.rights import erase_user

    werker.post_form("/logout/")
    assert sync(user_names([world.users["werker"], None])) == {world.users["werker"]: "werker"}
    sync(erase_user("werker"))
    assert sync(user_names([world.users["werker"], 999_999])) == {world.users["werker"]: ERASED_LABEL,
                                                                  999_999: ERASED_LABEL}
    assert [r["gebruiker_naam"] for r in sync(trail(world.users["werker"]))] == [ERASED_LABEL]


def test_logout_is_recorded(werker):
    werker.post_form("/logout/")
    assert rows(actie="logout")[0]["gebruiker"] == werker.user_id


def test_viewing_a_signal_is_recorded_without_its_text(werker):
    signaal = make_signaal(werker, titel="Geheime titel", omschrijving="Geheime omschrijving")
    werker.get(f"/signalen/{signaal['id']}")
    row = rows(actie="bekijken")[-1]
    assert (row["object_type"], row["object_id"], row["uitkomst"]) == ("signaal", str(signaal["id"]), "200")
    assert "Geheim" not in str(rows())


def test_a_refused_view_is_recorded_as_such(werker, werker2):
    signaal = make_signaal(werker)
    werker2.get(f"/signalen/{signaal['id']}")
    row = rows(actie="bekijken")[-1]
    assert row["gebruiker"] == werker2.user_id and row["uitkomst"] == "404"


def test_changes_and_exports_are_recorded(werker):
    signaal = make_signaal(werker)
    werker.post_form(f"/signalen/{signaal['id']}/status", {"status": "niet_weerhouden", "toelichting": "dubbel"})
    werker.get("/signalen/export.csv")
    assert rows(actie="wijzigen")[-1]["object_id"] == str(signaal["id"])
    assert rows(actie="export")[-1]["route"] == "GET /signalen/export.csv"


def test_the_database_refuses_to_update_an_audit_row(werker):
    werker.post_form("/logout/")
    with pytest.raises(Exception, match="append-only"):
        sync(Audit.update({Audit.actie: "niets"}, force=True))


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_the_admin_cannot_edit_or_delete_audit_rows(beheerder, method):
    beheerder.post_form("/logout/")  # makes a row
    from tests.support import login_as

    admin = login_as(beheerder.client.app, None, "anonymous")
    admin.post_form("/login/", {"username": "beheerder", "password": PASSWORD})
    admin.get("/admin/")
    token = admin.client.cookies.get("csrftoken") or ""
    row_id = rows()[0]["id"]
    url = "/admin/api/tables/audit/" + ("" if method == "POST" else f"{row_id}/")
    response = admin.client.request(method, url, json={"actie": "x"}, headers={"X-CSRFToken": token})
    assert response.status_code == 405, response.text
    assert sync(Audit.select(Audit.actie).where(Audit.id == row_id).first())["actie"] == "logout"


def test_log_values_encode_control_characters():
    assert safe("werker\nFAKE audit line\r\x1b[31m") == "werker\\nFAKE audit line\\r\\x1b[31m"


@pytest.mark.parametrize(
    ("method", "template", "params", "expected"),
    [
        ("GET", "/signalen/{signaal_id:str}", {"signaal_id": "7"}, ("bekijken", "signaal", "7")),
        ("GET", "/signalen/", {}, None),
        ("PATCH", "/api/v1/signalen/{signaal_id:str}", {"signaal_id": "7"}, ("wijzigen", "signaal", "7")),
        ("GET", "/signalen/export.csv", {}, ("export", "", "")),
        ("GET", "/api/v1/notas/{nota_id:str}/pdf", {"nota_id": "3"}, ("pdf", "nota", "3")),
        ("GET", "/api/v1/notas/{id:str}", {"id": "3"}, ("bekijken", "nota", "3")),
        ("POST", "/api/v1/dossiers/{id:str}/signalen", {"id": "4"}, ("wijzigen", "dossier", "4")),
    ],
)
def test_routes_are_classified_from_the_route_table(method, template, params, expected):
    assert classify(method, template, params) == expected
