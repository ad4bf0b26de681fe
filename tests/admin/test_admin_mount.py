"""Piccolo Admin at /admin/: built once, same login, only for the beheerder, readable names."""

from __future__ import annotations

import pytest

from tests.support import PERSONAS


def test_admin_without_slash_redirects_to_admin_with_slash(beheerder):
    response = beheerder.get("/admin", follow_redirects=False)
    assert response.status_code in (301, 308) and response.headers["location"] == "/admin/"


def test_the_beheerder_sees_the_admin_and_its_tables(beheerder):
    assert beheerder.get("/admin/").status_code == 200
    tables = beheerder.get("/admin/api/tables/").json()
    assert {"organisatie", "gemeente", "lidmaatschap", "piccolo_user"} <= set(tables)


def test_memberships_show_readable_names_not_ids(beheerder):
    rows = beheerder.get("/admin/api/tables/lidmaatschap/?__readable=true").json()["rows"]
    readable = {(row["user_readable"], row["gemeente_readable"], row["rol"]) for row in rows}
    assert ("werker", "Mechelen", "jeugdopbouwwerker") in readable
    gemeenten = beheerder.get("/admin/api/tables/gemeente/?__readable=true").json()["rows"]
    assert {row["organisatie_readable"] for row in gemeenten} >= {"Steunpunt Jeugd"}


@pytest.mark.parametrize("name", [p for p in PERSONAS if p not in ("beheerder", "anonymous")])
def test_the_admin_api_refuses_everyone_but_the_beheerder(personas, name):
    persona = personas[name]
    response = persona.get("/admin/api/tables/", follow_redirects=False)
    assert response.status_code == 403
    assert "beheerders" in response.json()["detail"]
    assert persona.get("/admin/api/tables/lidmaatschap/", follow_redirects=False).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_app_login(anonymous):
    response = anonymous.get("/admin/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login/?next=/admin/"
    assert anonymous.get("/admin/api/tables/", follow_redirects=False).status_code in (303, 401)


def test_the_admin_own_login_form_is_not_a_way_around_the_rate_limit(anonymous):
    response = anonymous.client.post("/admin/public/login/", data={"username": "beheerder", "password": "x"},
                                     follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login/")


def test_the_admin_is_built_once_not_per_request(beheerder, monkeypatch):
    import piccolo_admin.endpoints as endpoints

    def forbidden(*args, **kwargs):
        raise AssertionError("create_admin called during a request")

    monkeypatch.setattr(endpoints, "create_admin", forbidden)
    assert beheerder.get("/admin/api/tables/").status_code == 200


def test_the_admin_changes_need_its_csrf_token(beheerder):
    response = beheerder.client.post("/admin/api/tables/organisatie/", json={"naam": "X", "slug": "x"})
    assert response.status_code in (400, 403)
