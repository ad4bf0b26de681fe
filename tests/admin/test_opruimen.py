"""Old account traces go: login attempts after KEEP_LOGINS, used or expired one-time links after KEEP_TOKENS,
rate-limit marks after a day; what the login and rate-limit rules still read stays."""

from __future__ import annotations

import datetime as dt

import app
from admin import opruimen
from admin.tables import Aanvraag, Accounttoken, LoginPoging
from common import dates
from tests.support import sync


def _user_id(world) -> int:
    from piccolo.apps.user.tables import BaseUser

    return sync(BaseUser.select(BaseUser.id).where(BaseUser.username == "werker").first())["id"]


def test_old_login_attempts_and_rate_limit_marks_go_recent_ones_stay(world):
    now = dates.now()
    sync(LoginPoging.insert(*[LoginPoging(username="werker", client="192.0.2.1", geslaagd=True, tijdstip=now - age)
                              for age in (dt.timedelta(days=91), dt.timedelta(days=29))]))
    sync(Aanvraag.insert(*[Aanvraag(sleutel="client:herstel:192.0.2.1", tijdstip=now - age)
                           for age in (dt.timedelta(days=2), dt.timedelta(minutes=30))]))
    before = sync(LoginPoging.count())

    result = sync(opruimen.forget_old_traces())

    assert result["pogingen"] == 1 and result["aanvragen"] == 1
    assert sync(LoginPoging.count()) == before - 1
    assert sync(LoginPoging.exists().where(LoginPoging.tijdstip > now - dt.timedelta(days=30)))
    assert sync(Aanvraag.count()) == 1


def test_used_or_long_expired_links_go_a_live_link_stays(world):
    now = dates.now()
    user = _user_id(world)
    tokens = [
        Accounttoken(user=user, soort="herstel", token_hash="a" * 64, verloopt_op=now - dt.timedelta(days=100),
                     aangemaakt_op=now - dt.timedelta(days=100)),
        Accounttoken(user=user, soort="herstel", token_hash="b" * 64, verloopt_op=now + dt.timedelta(hours=1),
                     gebruikt_op=now - dt.timedelta(days=95), aangemaakt_op=now - dt.timedelta(days=95)),
        Accounttoken(user=user, soort="uitnodiging", token_hash="c" * 64, verloopt_op=now + dt.timedelta(days=7),
                     aangemaakt_op=now),
        Accounttoken(user=user, soort="herstel", token_hash="d" * 64, verloopt_op=now - dt.timedelta(days=2),
                     aangemaakt_op=now - dt.timedelta(days=2)),  # expired lately: its "verlopen" page still shows
    ]
    sync(Accounttoken.insert(*tokens))
    assert sync(opruimen.forget_old_traces())["tokens"] == 2
    left = {row["token_hash"][0] for row in sync(Accounttoken.select(Accounttoken.token_hash))}
    assert left == {"c", "d"}


def test_the_job_runs_once_a_day_and_is_in_the_loop(world):
    assert sync(opruimen.dagelijks_opruimen()) is not None
    assert sync(opruimen.dagelijks_opruimen()) is None
    assert opruimen.dagelijks_opruimen in app.mail_jobs()
