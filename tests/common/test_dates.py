"""common.dates: one "now" (UTC) and one "today" (Brussels), and the Dutch names, whatever the hour."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from common import dates


@pytest.mark.parametrize(("instant", "brussels_day"), [
    ("2026-12-01T22:59:00Z", dt.date(2026, 12, 1)),  # winter: UTC+1
    ("2026-12-01T23:30:00Z", dt.date(2026, 12, 2)),  # already tomorrow in Brussels, still today in UTC
    ("2026-07-15T21:59:00Z", dt.date(2026, 7, 15)),  # summer: UTC+2
    ("2026-07-15T22:30:00Z", dt.date(2026, 7, 16)),
    ("2026-12-31T23:30:00Z", dt.date(2027, 1, 1)),  # a new year in Brussels first
])
def test_today_is_the_date_in_brussels_and_now_is_utc(instant, brussels_day):
    with time_machine.travel(instant, tick=False):
        assert dates.today() == brussels_day
        assert dates.now() == dt.datetime.fromisoformat(instant)
        assert dates.now().utcoffset() == dt.timedelta(0)
        assert dates.local(dates.now()).date() == brussels_day


def test_local_reads_naive_timestamps_as_utc():
    naive = dt.datetime(2026, 1, 2, 12, 0)
    assert dates.local(naive) == dt.datetime(2026, 1, 2, 13, 0, tzinfo=dates.BRUSSELS)
    assert dates.local(naive.replace(tzinfo=dt.UTC)) == dates.local(naive)
    assert dates.local_time(dt.datetime(2026, 7, 15, 22, 30, tzinfo=dt.UTC)) == "16/07/2026 00:30"
    assert dates.local_time(None) == ""


def test_start_of_day_is_brussels_midnight():
    assert dates.start_of_day(dt.date(2026, 12, 2)) == dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)
    assert dates.start_of_day(dt.date(2026, 7, 16)) == dt.datetime(2026, 7, 15, 22, 0, tzinfo=dt.UTC)


def test_dutch_formats():
    day = dt.date(2026, 12, 1)
    assert dates.short_date(day) == "01/12/2026"
    assert dates.long_date(day) == "1 december 2026"
    assert dates.long_date(None) == ""
    assert dates.long_date_with_day(day) == "dinsdag 1 december 2026"
    assert dates.month_label("2026-03") == "mrt 2026"
    assert dates.month_label("onbekend") == "onbekend"
    assert len(dates.MAANDEN) == len(dates.MAANDEN_KORT) == 12 and len(dates.DAGEN) == 7
