"""Tenancy: which gemeenten each persona sees, through the one guard module."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException

from admin import tenancy as guards
from admin.sessions import resolve
from admin.tables import Rol
from tests.support import sync


def _user(persona):
    return sync(resolve(persona.client.cookies.get("id")))


def test_a_worker_sees_only_their_own_gemeente(werker):
    user = _user(werker)
    assert [g.slug for g in guards.visible_gemeenten(user)] == ["mechelen"]
    assert guards.roles_in(user, werker.gemeenten["mechelen"]) == {Rol.jeugdopbouwwerker}


def test_a_coordinator_sees_every_gemeente_of_the_organisation_but_no_other(coordinator):
    user = _user(coordinator)
    assert sorted(g.slug for g in guards.visible_gemeenten(user)) == ["hoeilaart", "mechelen"]
    # raw register only where a member; counts for the organisation's others
    assert guards.register_gemeente_ids(user) == {coordinator.gemeenten["mechelen"]}
    assert guards.aggregate_gemeente_ids(user) == {coordinator.gemeenten["mechelen"],
                                                   coordinator.gemeenten["hoeilaart"]}


def test_a_partner_has_no_raw_register(partner):
    assert guards.register_gemeente_ids(_user(partner)) == set()


def test_the_beheerder_without_membership_sees_no_gemeente_in_the_app(beheerder):
    user = _user(beheerder)
    assert user.admin and guards.visible_gemeenten(user) == []


@pytest.mark.parametrize("slug", ["hoeilaart", "leuven", "bestaat-niet", "", "' OR 1=1 --"])
def test_a_foreign_or_unknown_gemeente_is_not_found(werker, slug):
    with pytest.raises(NotFoundException):
        guards.gemeente_by_slug(_user(werker), slug)


def test_a_gemeente_without_the_required_role_is_not_found(coordinator):
    user = _user(coordinator)
    with pytest.raises(NotFoundException):
        guards.gemeente_by_slug(user, "hoeilaart", guards.REGISTER_ROLES)
    assert guards.gemeente_by_slug(user, "hoeilaart").slug == "hoeilaart"


@pytest.mark.parametrize(
    ("name", "shown", "hidden"),
    [
        ("werker", ["Mechelen"], ["Hoeilaart", "Leuven"]),
        ("werker2", ["Hoeilaart"], ["Mechelen", "Leuven"]),
        ("voorzitter", ["Mechelen"], ["Hoeilaart", "Leuven"]),
        ("partner", ["Mechelen"], ["Hoeilaart", "Leuven"]),
        ("coordinator", ["Mechelen", "Hoeilaart"], ["Leuven"]),
        ("beheerder", [], ["Mechelen", "Hoeilaart", "Leuven"]),
    ],
)
def test_the_dashboard_lists_exactly_the_visible_gemeenten(personas, name, shown, hidden):
    page = personas[name].get("/").text
    for naam in shown:
        assert f"<h3>{naam}</h3>" in page
    for naam in hidden:
        assert f"<h3>{naam}</h3>" not in page


def test_the_navigation_follows_the_role(personas):
    assert "Nieuw signaal" in personas["werker"].get("/").text
    assert "Nieuw signaal" not in personas["partner"].get("/").text
    assert "Beheer" in personas["beheerder"].get("/").text
    assert "Beheer" not in personas["voorzitter"].get("/").text
