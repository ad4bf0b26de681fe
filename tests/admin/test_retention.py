"""Bewaartermijn: closed signals lose their free text after the gemeente's retention period; counts stay right."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

import manage
from admin.tables import Gemeente
from common import dates
from signalen.retention import ANONYMOUS_TITLE, apply_retention, years_before
from signalen.tables import Signaal, SignaalHistoriek
from tests.support import make_signaal, sync

NOW = dates.now()
PRIVATE = {"omschrijving": "Jongeren aan de Vaartkom vertellen over hun thuis.", "plek": "Vaartkom",
           "citaten": ["We kunnen nergens heen."]}


def _closed(persona, *, years_ago: float, status: str = "afgesloten", **overrides) -> dict:
    """A signal that was closed `years_ago` (its history says when), with a reason given at closing."""
    signaal = make_signaal(persona, **{**PRIVATE, **overrides})
    when = NOW - dt.timedelta(days=365.25 * years_ago)
    sync(Signaal.update({Signaal.status: status, Signaal.gewijzigd_op: when}).where(Signaal.id == signaal["id"]))
    sync(SignaalHistoriek.insert(SignaalHistoriek(signaal=signaal["id"], tijdstip=when, gebruiker=persona.user_id,
                                                  soort="status", van="nieuw", naar=status,
                                                  toelichting="Besproken met Sara van de Vaartkom")))
    return signaal


def _row(signaal_id: int) -> dict:
    row = sync(Signaal.select().where(Signaal.id == signaal_id).first())
    for key in ("citaten", "persoonsgegevens"):
        if isinstance(row[key], str):
            row[key] = json.loads(row[key])
    return row


def _retain(**kwargs):
    return sync(apply_retention(**kwargs))


def _by_slug(results) -> dict:
    return {r.slug: r for r in results}


def test_a_signal_closed_more_than_five_years_ago_loses_its_free_text(werker):
    signaal = _closed(werker, years_ago=5.1, confirm=True,
                      omschrijving="Bel Sara op 0470 12 34 56 over de Vaartkom.")
    assert _row(signaal["id"])["persoonsgegevens"]  # the guard's confirmed findings are stored …
    _retain()
    row = _row(signaal["id"])
    assert row["titel"] == ANONYMOUS_TITLE
    assert row["omschrijving"] == "" and row["plek"] == "" and row["zoektekst"] == ""
    assert row["citaten"] == [] and row["persoonsgegevens"] == []  # … and gone with the rest


def test_what_statistics_need_is_kept(werker):
    signaal = _closed(werker, years_ago=6)
    before = _row(signaal["id"])
    _retain()
    after = _row(signaal["id"])
    for key in ("gemeente", "datum", "status", "bron", "levensdomein", "signaaltype", "aantal_jongeren", "leeftijd",
                "dossier", "auteur", "aangemaakt_op"):
        assert after[key] == before[key], key


def test_counts_per_theme_stay_the_same(werker):
    for years in (6, 7, 1):
        _closed(werker, years_ago=years)
    make_signaal(werker, levensdomein="onderwijs", signaaltype="onderwijs")

    def counts():
        rows = sync(Signaal.select(Signaal.levensdomein, Signaal.signaaltype, Signaal.gemeente, Signaal.status))
        return sorted((r["levensdomein"], r["signaaltype"], r["gemeente"], r["status"]) for r in rows)

    before = counts()
    assert _by_slug(_retain())["mechelen"].geanonimiseerd == 2
    assert counts() == before


def test_not_weerhouden_counts_as_closed(werker):
    signaal = _closed(werker, years_ago=5.5, status="niet_weerhouden")
    _retain()
    assert _row(signaal["id"])["titel"] == ANONYMOUS_TITLE


def test_recently_closed_and_open_signals_are_kept(werker):
    recent = _closed(werker, years_ago=4.9)
    open_old = make_signaal(werker, **PRIVATE)
    sync(Signaal.update({Signaal.aangemaakt_op: NOW - dt.timedelta(days=4000),
                         Signaal.gewijzigd_op: NOW - dt.timedelta(days=4000)}).where(Signaal.id == open_old["id"]))
    result = _by_slug(_retain())["mechelen"]
    assert result.geanonimiseerd == 0 and result.nog_bewaard == 1
    assert _row(recent["id"])["omschrijving"] == PRIVATE["omschrijving"]
    assert _row(open_old["id"])["omschrijving"] == PRIVATE["omschrijving"]


def test_the_period_runs_from_closing_not_from_the_last_edit(werker):
    signaal = _closed(werker, years_ago=6)
    sync(Signaal.update({Signaal.gewijzigd_op: NOW}).where(Signaal.id == signaal["id"]))  # touched yesterday
    _retain()
    assert _row(signaal["id"])["titel"] == ANONYMOUS_TITLE


def test_a_signal_reopened_and_closed_again_counts_from_the_last_closing(werker):
    signaal = _closed(werker, years_ago=8)
    sync(SignaalHistoriek.insert(SignaalHistoriek(signaal=signaal["id"], tijdstip=NOW - dt.timedelta(days=30),
                                                  soort="status", van="nieuw", naar="afgesloten")))
    _retain()
    assert _row(signaal["id"])["titel"] != ANONYMOUS_TITLE


def test_each_gemeente_has_its_own_period(werker, werker2):
    sync(Gemeente.update({Gemeente.bewaartermijn_jaren: 1}).where(Gemeente.slug == "hoeilaart"))
    mechelen = _closed(werker, years_ago=2)
    hoeilaart = _closed(werker2, years_ago=2, gemeente="hoeilaart")
    results = _by_slug(_retain())
    assert results["hoeilaart"].geanonimiseerd == 1 and results["mechelen"].geanonimiseerd == 0
    assert _row(hoeilaart["id"])["titel"] == ANONYMOUS_TITLE
    assert _row(mechelen["id"])["titel"] != ANONYMOUS_TITLE


def test_a_new_gemeente_gets_five_years(world):
    assert {r["bewaartermijn_jaren"] for r in sync(Gemeente.select(Gemeente.bewaartermijn_jaren))} == {5}


def test_a_period_of_zero_keeps_signals_forever(werker):
    sync(Gemeente.update({Gemeente.bewaartermijn_jaren: 0}).where(Gemeente.slug == "mechelen"))
    signaal = _closed(werker, years_ago=30)
    assert _by_slug(_retain())["mechelen"].geanonimiseerd == 0
    assert _row(signaal["id"])["titel"] != ANONYMOUS_TITLE


def test_running_twice_changes_nothing_the_second_time(werker):
    signaal = _closed(werker, years_ago=6)
    first = _by_slug(_retain())["mechelen"]
    row, history = _row(signaal["id"]), sync(SignaalHistoriek.count().where(SignaalHistoriek.signaal == signaal["id"]))
    second = _by_slug(_retain())["mechelen"]
    assert (first.geanonimiseerd, second.geanonimiseerd, second.al_geanonimiseerd) == (1, 0, 1)
    assert _row(signaal["id"]) == row
    assert sync(SignaalHistoriek.count().where(SignaalHistoriek.signaal == signaal["id"])) == history


def test_the_history_keeps_transitions_but_loses_reasons_and_says_what_happened(werker):
    signaal = _closed(werker, years_ago=6)
    _retain()
    items = sync(SignaalHistoriek.select().where(SignaalHistoriek.signaal == signaal["id"])
                 .order_by(SignaalHistoriek.id))
    assert [(i["van"], i["naar"]) for i in items if i["soort"] == "status"] == [("", "nieuw"), ("nieuw", "afgesloten")]
    assert not any("Sara" in i["toelichting"] for i in items)
    assert items[-1]["toelichting"] == "Geanonimiseerd na de bewaartermijn van 5 jaar"
    assert items[-1]["gebruiker"] is None


def test_the_version_goes_up_so_an_edit_based_on_the_old_text_is_refused(werker):
    signaal = _closed(werker, years_ago=6)
    _retain()
    assert _row(signaal["id"])["versie"] == signaal["versie"] + 1


def test_an_anonymised_signal_is_not_found_by_its_old_words(werker):
    signaal = _closed(werker, years_ago=6)
    found = werker.get("/api/v1/signalen", params={"q": "Vaartkom"}).json()
    assert [item["id"] for item in found["items"]] == [signaal["id"]]
    _retain()
    assert werker.get("/api/v1/signalen", params={"q": "Vaartkom"}).json()["totaal"] == 0
    detail = werker.get(f"/api/v1/signalen/{signaal['id']}").json()
    assert detail["titel"] == ANONYMOUS_TITLE and detail["status"] == "afgesloten"


def test_a_dry_run_only_counts(werker):
    signaal = _closed(werker, years_ago=6)
    assert _by_slug(_retain(dry_run=True))["mechelen"].geanonimiseerd == 1
    assert _row(signaal["id"])["titel"] != ANONYMOUS_TITLE


def test_the_command_logs_counts_per_gemeente(werker, werker2, capsys, caplog):
    _closed(werker, years_ago=6)
    _closed(werker, years_ago=7)
    caplog.set_level(logging.INFO, logger="signaalwerk.bewaartermijn")
    manage.main(["bewaartermijn"])
    out = capsys.readouterr().out
    assert "mechelen: bewaartermijn 5 jaar; geanonimiseerd: 2;" in out
    assert "hoeilaart: bewaartermijn 5 jaar; geanonimiseerd: 0;" in out
    assert "totaal geanonimiseerd: 2" in out
    assert any("mechelen" in r.getMessage() and "2 geanonimiseerd" in r.getMessage() for r in caplog.records)
    assert "gewijzigde rijen per tabel: signaal 2, signaal_historiek 4" in out  # reasons at creation and closing
    manage.main(["bewaartermijn"])
    assert "totaal geanonimiseerd: 0" in capsys.readouterr().out


@pytest.mark.parametrize("today, years, expected", [
    (dt.datetime(2029, 2, 28, tzinfo=dt.UTC), 5, dt.datetime(2024, 2, 28, tzinfo=dt.UTC)),
    (dt.datetime(2028, 2, 29, tzinfo=dt.UTC), 5, dt.datetime(2023, 2, 28, tzinfo=dt.UTC)),
])
def test_years_before_handles_leap_days(today, years, expected):
    assert years_before(today, years) == expected
