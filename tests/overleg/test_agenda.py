"""The need ranking: which dossiers the chair is offered for the agenda, in which order, and why — computed with SQL
aggregates, so the number of queries does not grow with the number of dossiers."""

from __future__ import annotations

import datetime as dt

import pytest
from piccolo.engine.finder import engine_finder

from common import dates
from common.dates import today
from overleg.tables import Agendapunt, Dossier, Overleg, Overleglid, Partner
from overleg.vergaderingen import agenda
from overleg.vergaderingen import services as V
from signalen.tables import Signaal
from tests.support import current_user, make_signaal, sync

TODAY = today()


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def make_overleg(world) -> int:
    async def build() -> int:
        overleg = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        await overleg.save()
        caw = Partner(overleg=overleg.id, naam="CAW Boven-Schelde", soort="caw")
        await caw.save()
        await Overleglid(overleg=overleg.id, user=world.users["partner"], partner=caw.id, rol="partner").save()
        return overleg.id

    return sync(build())


def make_dossier(persona, titel: str, ages: list[int], jongeren: list[int] | int = 6, *, status: str = "gebundeld",
                 gemeente: str = "mechelen", dossier_status: str = "open") -> int:
    """A dossier with one signal per age (days ago)."""
    gemeente_id = persona.gemeenten[gemeente]
    dossier = Dossier(gemeente=gemeente_id, titel=titel, status=dossier_status,
                      aangemaakt_op=dates.now())
    sync(dossier.save())
    counts = jongeren if isinstance(jongeren, list) else [jongeren] * len(ages)
    for age, aantal in zip(ages, counts, strict=True):
        signaal = make_signaal(persona, gemeente=gemeente, datum=days_ago(age), aantal_jongeren=aantal)
        sync(Signaal.update({Signaal.dossier: dossier.id, Signaal.status: status}).where(Signaal.id == signaal["id"]))
    return dossier.id


def make_meeting(voorzitter, overleg_id: int, days_ahead: int = 14) -> dict:
    data = {"datum": (TODAY + dt.timedelta(days=days_ahead)).isoformat(), "begin": "19:30", "plaats": "De Pit"}
    return sync(V.create_vergadering(current_user(voorzitter), overleg_id, data))


# ----------------------------------------------------------------------------- the reason, in words

def test_the_reason_names_signals_growth_young_people_and_the_oldest_wait(werker, voorzitter, world):
    overleg = make_overleg(world)
    ages = [5, 10, 20, 30, 40, 100, 105, 110, 115, 118, 119, 120]
    dossier = make_dossier(werker, "Geen plek om te sporten", ages, [10, 10, 10, 10] + [0] * 8)
    meeting = make_meeting(voorzitter, overleg)
    [voorstel] = sync(agenda.voorstellen(meeting))
    assert voorstel["dossier"] == dossier
    assert voorstel["reden"] == "12 signalen, +5 in de laatste 3 maanden, 40 jongeren, oudste onbehandeld signaal " \
                                "120 dagen"
    assert (voorstel["aantal"], voorstel["recent"], voorstel["vorige"], voorstel["jongeren"]) == (12, 5, 7, 40)
    assert voorstel["oudste_dagen"] == 120


def test_a_single_signal_is_named_in_the_singular(werker, voorzitter, world):
    overleg = make_overleg(world)
    make_dossier(werker, "Eén signaal", [1], 1)
    [voorstel] = sync(agenda.voorstellen(make_meeting(voorzitter, overleg)))
    assert voorstel["reden"] == "1 signaal, +1 in de laatste 3 maanden, 1 jongere, oudste onbehandeld signaal 1 dag"


def test_treated_signals_do_not_count_as_waiting(werker, voorzitter, world):
    overleg = make_overleg(world)
    make_dossier(werker, "Al in actie", [200, 300], status="in_actie")
    [voorstel] = sync(agenda.voorstellen(make_meeting(voorzitter, overleg)))
    assert voorstel["oudste_dagen"] is None and "oudste" not in voorstel["reden"]
    assert voorstel["reden"] == "2 signalen, 12 jongeren"


# ----------------------------------------------------------------------------- the order

def test_dossiers_are_ranked_by_need(werker, voorzitter, world):
    overleg = make_overleg(world)
    klein = make_dossier(werker, "Eén oud signaal", [400], 2)
    groeiend = make_dossier(werker, "Snel groeiend", [3, 8, 15, 22, 30, 45], 8)
    middel = make_dossier(werker, "Een paar signalen", [100, 130, 160], 4)
    ranked = sync(agenda.voorstellen(make_meeting(voorzitter, overleg)))
    assert [r["dossier"] for r in ranked] == [groeiend, middel, klein]
    assert ranked[0]["score"] > ranked[1]["score"] > ranked[2]["score"]


def test_growth_against_the_three_months_before_weighs(werker, voorzitter, world):
    overleg = make_overleg(world)
    stabiel = make_dossier(werker, "Stabiel", [10, 20, 100, 110], 0)
    groei = make_dossier(werker, "Groeit", [10, 20, 30, 40], 0)
    ranked = sync(agenda.voorstellen(make_meeting(voorzitter, overleg)))
    assert [r["dossier"] for r in ranked] == [groei, stabiel]


def test_only_ripe_dossiers_of_the_own_gemeente_are_proposed(werker, werker2, voorzitter, world):
    overleg = make_overleg(world)
    rijp = make_dossier(werker, "Rijp", [10])
    geagendeerd = make_dossier(werker, "Al geagendeerd", [12], status="geagendeerd", dossier_status="geagendeerd")
    make_dossier(werker, "Afgerond", [10], dossier_status="afgerond")
    make_dossier(werker, "In behandeling", [10], dossier_status="in_behandeling")
    make_dossier(werker, "Alleen niet weerhouden", [10], status="niet_weerhouden")
    make_dossier(werker2, "Hoeilaart", [10], gemeente="hoeilaart")
    sync(Dossier(gemeente=world.gemeenten["mechelen"], titel="Leeg", aangemaakt_op=dates.now()).save())
    samengevoegd = make_dossier(werker, "Samengevoegd", [10])
    sync(Dossier.update({Dossier.samengevoegd_in: rijp}).where(Dossier.id == samengevoegd))
    ranked = sync(agenda.voorstellen(make_meeting(voorzitter, overleg)))
    assert sorted(r["dossier"] for r in ranked) == sorted([rijp, geagendeerd])


def test_dropped_signals_are_not_counted(werker, voorzitter, world):
    overleg = make_overleg(world)
    dossier = make_dossier(werker, "Half weerhouden", [10, 20])
    make_signaal(werker, datum=days_ago(5))
    sync(Signaal.update({Signaal.dossier: dossier, Signaal.status: "niet_weerhouden"}).where(
        Signaal.dossier.is_null()))
    [voorstel] = sync(agenda.voorstellen(make_meeting(voorzitter, overleg)))
    assert voorstel["aantal"] == 2


def test_a_dossier_already_on_the_agenda_is_no_longer_proposed(werker, voorzitter, world):
    overleg = make_overleg(world)
    eerste = make_dossier(werker, "Eerste", [10])
    tweede = make_dossier(werker, "Tweede", [10])
    meeting = make_meeting(voorzitter, overleg)
    sync(agenda.add_dossier_punt(current_user(voorzitter), meeting["id"], eerste))
    assert [r["dossier"] for r in sync(agenda.voorstellen(meeting))] == [tweede]
    other = make_meeting(voorzitter, overleg, days_ahead=40)
    assert sorted(r["dossier"] for r in sync(agenda.voorstellen(other))) == sorted([eerste, tweede])


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),
    (dt.date(2024, 5, 31), 3, dt.date(2024, 2, 29)),
    (dt.date(2026, 1, 15), 3, dt.date(2025, 10, 15)),
    (dt.date(2026, 8, 31), 6, dt.date(2026, 2, 28)),
])
def test_months_back_stays_inside_short_months(day, months, expected):
    assert agenda.months_back(day, months) == expected


# ----------------------------------------------------------------------------- queries do not grow with dossiers

class QueryCounter:
    def __init__(self, monkeypatch) -> None:
        self.count = 0
        engine_class = type(engine_finder())  # the engine has __slots__: wrap the method on its class
        original = engine_class.run_querystring
        counter = self

        async def counting(engine, *args, **kwargs):
            counter.count += 1
            return await original(engine, *args, **kwargs)

        monkeypatch.setattr(engine_class, "run_querystring", counting)

    def measure(self, call) -> int:
        before = self.count
        response = call()
        assert response.status_code == 200, response.text
        return self.count - before


def _bulk_dossiers(world, n: int, start: int = 0) -> None:
    """n dossiers with two signals each, inserted directly (fast)."""
    async def build() -> None:
        gemeente = world.gemeenten["mechelen"]
        now = dates.now()
        for i in range(start, start + n):
            dossier = Dossier(gemeente=gemeente, titel=f"Dossier {i}", aangemaakt_op=now)
            await dossier.save()
            await Signaal.insert(*[
                Signaal(gemeente=gemeente, titel=f"Signaal {i}.{j}", datum=TODAY - dt.timedelta(days=10 * j + i),
                        auteur=world.users["werker"], status="gebundeld", dossier=dossier.id, aantal_jongeren=j + 1,
                        aangemaakt_op=now, gewijzigd_op=now)
                for j in range(2)])

    sync(build())


def test_the_agenda_view_needs_the_same_number_of_queries_for_3_and_30_dossiers(voorzitter, world, monkeypatch):
    overleg = make_overleg(world)
    meeting = make_meeting(voorzitter, overleg)
    _bulk_dossiers(world, 3)
    first = sync(agenda.voorstellen(meeting))[0]["dossier"]
    sync(agenda.add_dossier_punt(current_user(voorzitter), meeting["id"], first))
    sync(agenda.add_vrij_punt(current_user(voorzitter), meeting["id"], "rondvraag"))
    counter = QueryCounter(monkeypatch)
    page = f"/vergaderingen/{meeting['id']}"
    api = f"/api/v1/vergaderingen/{meeting['id']}/agenda"
    voorzitter.get(page)  # warm-up: CSRF cookie, session refresh
    small_page, small_api = counter.measure(lambda: voorzitter.get(page)), counter.measure(lambda: voorzitter.get(api))
    assert "Dossier 2" in voorzitter.get(page).text

    _bulk_dossiers(world, 27, start=3)
    for row in sync(Dossier.select(Dossier.id).where(Dossier.titel.like("Dossier 1%")))[:5]:
        if row["id"] != first:
            sync(agenda.add_dossier_punt(current_user(voorzitter), meeting["id"], row["id"]))
    large_page, large_api = counter.measure(lambda: voorzitter.get(page)), counter.measure(lambda: voorzitter.get(api))
    assert len(sync(agenda.voorstellen(meeting))) > 20
    assert sync(Agendapunt.count().where(Agendapunt.vergadering == meeting["id"])) >= 6
    assert (large_page, large_api) == (small_page, small_api)
    assert small_page < 15
