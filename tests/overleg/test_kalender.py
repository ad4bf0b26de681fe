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


# ----------------------------------------------------------------------------- one VEVENT for feed and single file

def _event(content: bytes, uid: str):
    [event] = [e for e in Calendar.from_ical(content).walk("VEVENT") if str(e["UID"]) == uid]
    return event


@pytest.fixture
def agenda_meeting(world, voorzitter, werker):
    """A published Mechelen meeting with two points (15 + 45 min), built through the services."""
    from overleg.tables import Partner
    from overleg.vergaderingen import agenda
    from overleg.vergaderingen import services as V
    from tests.support import current_user

    overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="JWO Mechelen")
    sync(overleg.save())
    sync(Partner(overleg=overleg.id, naam="CAW Boven-Schelde", soort="caw").save())
    chair = current_user(voorzitter)
    meeting = sync(V.create_vergadering(chair, overleg.id, {"datum": (today() + dt.timedelta(days=10)).isoformat(),
                                                            "begin": "19:30", "plaats": "Jeugdhuis De Pit"}))
    eerste = sync(agenda.add_vrij_punt(chair, meeting["id"], "mededelingen"))
    sync(agenda.set_duur(chair, meeting["id"], eerste["id"], "15"))
    punt = sync(agenda.add_vrij_punt(chair, meeting["id"], "vrij", "Laatste bus rijdt te vroeg"))
    sync(agenda.set_duur(chair, meeting["id"], punt["id"], "45"))
    sync(agenda.publish(chair, meeting["id"]))
    return {"id": meeting["id"], "punt": punt["id"], "uid": f"vergadering-{meeting['id']}@signaalwerk"}


def test_the_feed_and_the_meeting_file_carry_the_same_event(partner, werker, anonymous, agenda_meeting):
    single = partner.get(f"/vergaderingen/{agenda_meeting['id']}.ics")
    assert single.status_code == 200
    for persona in (partner, werker):
        feed = anonymous.get(feed_url(persona))
        assert feed.status_code == 200
        a, b = _event(single.content, agenda_meeting["uid"]), _event(feed.content, agenda_meeting["uid"])
        for key in ("DESCRIPTION", "DTSTART", "DTEND", "SEQUENCE", "LOCATION", "SUMMARY", "URL", "STATUS"):
            assert a.decoded(key) == b.decoded(key), key
        assert "Laatste bus rijdt te vroeg (45 min.)" in str(b["DESCRIPTION"])
        assert "De agenda volgt." not in str(b["DESCRIPTION"])
        assert b.decoded("DTEND") - b.decoded("DTSTART") == dt.timedelta(minutes=15 + 45)


def test_sequence_grows_with_every_change_of_the_agenda(voorzitter, anonymous, agenda_meeting):
    from overleg.vergaderingen import agenda
    from tests.support import current_user

    url, base = feed_url(voorzitter), f"/vergaderingen/{agenda_meeting['id']}"

    def sequences() -> tuple[int, int]:
        feed = _event(anonymous.get(url).content, agenda_meeting["uid"])
        single = _event(voorzitter.get(f"{base}.ics").content, agenda_meeting["uid"])
        return int(feed["SEQUENCE"]), int(single["SEQUENCE"])

    first, same = sequences()
    assert first == same and first >= 1  # publishing (and building the agenda) already counted
    assert voorzitter.post_form(f"{base}/punten/{agenda_meeting['punt']}/duur", {"duur_minuten": "30"},
                                follow_redirects=False).status_code == 303
    second, _ = sequences()
    assert second > first
    voorzitter.post_form(f"{base}/punten", {"soort": "rondvraag"})
    third, _ = sequences()
    assert third > second
    sync(agenda.move_punt(current_user(voorzitter), agenda_meeting["id"], agenda_meeting["punt"], "op"))
    fourth, _ = sequences()
    assert fourth > third
    # A refused change (a bad duration) is no change.
    assert voorzitter.post_form(f"{base}/punten/{agenda_meeting['punt']}/duur",
                                {"duur_minuten": "0"}).status_code == 422
    assert sequences()[0] == fourth


def test_one_content_type_without_a_duplicated_charset(partner, anonymous, agenda_meeting):
    for response in (partner.get(f"/vergaderingen/{agenda_meeting['id']}.ics"), anonymous.get(feed_url(partner))):
        assert response.status_code == 200
        assert response.headers.get_list("content-type") == ["text/calendar; charset=utf-8"]


def test_the_meeting_file_stays_closed_to_strangers(werker2, anonymous, voorzitter, agenda_meeting):
    assert werker2.get(f"/vergaderingen/{agenda_meeting['id']}.ics").status_code == 404
    assert agenda_meeting["uid"] not in anonymous.get(feed_url(werker2)).text
    assert anonymous.get(f"/vergaderingen/{agenda_meeting['id']}.ics", follow_redirects=False).status_code in (
        302, 303, 401)
    assert voorzitter.get("/vergaderingen/999999.ics").status_code == 404
    assert voorzitter.get("/vergaderingen/abc.ics").status_code == 404
