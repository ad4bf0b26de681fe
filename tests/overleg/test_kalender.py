"""The calendar feed: a secret per-user URL with the meetings one may see; revoked → 404."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from piccolo.apps.user.tables import BaseUser

from common.dates import today
from overleg.tables import Kalenderfeed, Overleg, Vergadering
from tests.support import sync


@pytest.fixture
def meetings(world):
    mechelen = Overleg(gemeente=world.gemeenten["mechelen"], naam="JWO Mechelen")
    sync(mechelen.save())
    hoeilaart = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="JWO Hoeilaart")
    sync(hoeilaart.save())
    sync(Vergadering(overleg=mechelen.id, datum=today() + dt.timedelta(days=7), begin=dt.time(19, 30),
                     plaats="Jeugdhuis", status="gepubliceerd").save())
    sync(Vergadering(overleg=mechelen.id, datum=today() + dt.timedelta(days=30), begin=dt.time(19, 30),
                     plaats="Stadhuis", status="concept").save())
    sync(Vergadering(overleg=hoeilaart.id, datum=today() + dt.timedelta(days=3), begin=dt.time(20, 0),
                     plaats="Gemeentehuis Hoeilaart", status="gepubliceerd").save())


def feed_url(persona) -> str:
    persona.post_form("/kalender/")
    token = sync(Kalenderfeed.select(Kalenderfeed.token).where(
        (Kalenderfeed.user == persona.user_id) & Kalenderfeed.ingetrokken_op.is_null()).first())["token"]
    return f"/kalender/{token}.ics"


def locations(response) -> list[str]:
    calendar = Calendar.from_ical(response.content)
    return sorted(str(event["LOCATION"]) for event in calendar.walk("VEVENT"))


def test_a_partner_subscribes_to_the_published_meetings_only(partner, anonymous, meetings):
    url = feed_url(partner)
    assert url in partner.get("/kalender/").text.replace("http://testserver.local", "")
    response = anonymous.get(url)  # a calendar app has no session
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert locations(response) == ["Jeugdhuis"]


def test_a_worker_sees_the_concept_meetings_of_their_gemeente_but_not_another(werker, anonymous, meetings):
    assert locations(anonymous.get(feed_url(werker))) == ["Jeugdhuis", "Stadhuis"]


def test_a_revoked_or_replaced_url_is_not_found(partner, anonymous, meetings):
    first = feed_url(partner)
    second = feed_url(partner)
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    partner.post_form("/kalender/intrekken")
    assert anonymous.get(second).status_code == 404


@pytest.mark.parametrize("path", ["/kalender/bestaat-niet.ics", "/kalender/x", "/kalender/" + "a" * 300 + ".ics"])
def test_unknown_tokens_are_not_found(anonymous, path):
    assert anonymous.get(path).status_code == 404


def test_the_feed_page_needs_a_login_and_changes_need_csrf(anonymous, werker):
    assert anonymous.get("/kalender/", follow_redirects=False).status_code == 303
    werker.csrf()
    assert werker.client.post("/kalender/").status_code == 403
    assert sync(Kalenderfeed.count()) == 0


def test_werker2_feed_has_no_mechelen_meeting(werker2, anonymous, meetings):
    assert locations(anonymous.get(feed_url(werker2))) == ["Gemeentehuis Hoeilaart"]


# ----------------------------------------------------------------------------- the feed outlives no user


def _live_tokens(user_id: int) -> int:
    return sync(Kalenderfeed.count().where(Kalenderfeed.user == user_id))


def test_deactivation_revokes_the_feed_and_reactivation_does_not_revive_it(partner, anonymous, meetings):
    import manage

    url = feed_url(partner)
    manage.main(["deactiveer", "partner"])
    assert anonymous.get(url).status_code == 404
    assert _live_tokens(partner.user_id) == 0
    sync(BaseUser.update({BaseUser.active: True}).where(BaseUser.id == partner.user_id))
    assert anonymous.get(url).status_code == 404


def test_erasure_revokes_the_feed(partner, anonymous, meetings):
    import manage

    url = feed_url(partner)
    manage.main(["wis-gebruiker", "partner", "--ja"])
    assert anonymous.get(url).status_code == 404
    assert _live_tokens(partner.user_id) == 0


def test_a_feed_answers_only_for_an_active_user(partner, anonymous, meetings):
    url = feed_url(partner)
    sync(BaseUser.update({BaseUser.active: False}).where(BaseUser.id == partner.user_id))  # e.g. straight in SQL
    assert anonymous.get(url).status_code == 404


def test_deactivating_in_the_admin_revokes_the_feed(partner, anonymous, meetings):
    from admin.mount import end_sessions_when_deactivated

    url = feed_url(partner)
    sync(end_sessions_when_deactivated(partner.user_id, {"active": False}))
    assert _live_tokens(partner.user_id) == 0
    assert anonymous.get(url).status_code == 404


def test_the_token_tables_are_found_at_run_time():
    from admin.tokens import token_tables

    assert Kalenderfeed in [table for table, _ in token_tables()]
