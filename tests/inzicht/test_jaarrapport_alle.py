"""Issue 12 item 9 (coördinator): the yearly report for "alle gemeenten" covers every gemeente the reader may see —
places only where they are a member — bovenlokaal is in the coördinator's menu, and decimals are Dutch."""

from __future__ import annotations

import re

import pytest

from common.dates import today
from common.templating import dutch_number
from tests.support import make_signaal, pdf_text

YEAR = today().year


@pytest.fixture
def spread(personas):
    for _ in range(2):
        make_signaal(personas["werker"], plek="Nekkerspoel", aantal_jongeren=2)
    for _ in range(3):
        make_signaal(personas["werker2"], gemeente="hoeilaart", plek="Sloeberplein", aantal_jongeren=1)


def report(persona, gemeente: str = "alle"):
    return persona.get(f"/inzicht/jaarrapport?gemeente={gemeente}&jaar={YEAR}")


def test_the_coordinator_gets_every_gemeente_in_one_report(personas, spread):
    response = report(personas["coordinator"])
    assert response.status_code == 200 and "jaarrapport-alle-" in response.headers["content-disposition"]
    flat = " ".join(pdf_text(response.content).split())
    assert "Alle gemeenten (Hoeilaart, Mechelen)" in flat
    assert "Signalen 5" in flat and "Jongeren betrokken 7" in flat
    assert "Signalen per gemeente" in flat and "Hoeilaart 3" in flat and "Mechelen 2" in flat
    assert "Nekkerspoel" in flat and "Sloeberplein" not in flat  # no places where the coördinator is no member


def test_the_inzicht_page_links_the_report_of_all_gemeenten(personas, spread):
    page = personas["coordinator"].get("/inzicht/").text
    assert re.search(r'href="/inzicht/jaarrapport\?gemeente=alle&amp;jaar=\d{4}"', page)
    assert 'href="/inzicht/jaarrapport?gemeente=mechelen&amp;jaar=' in personas["werker"].get("/inzicht/").text


@pytest.mark.parametrize(("name", "naam", "signalen"), [("werker", "Mechelen", 2), ("voorzitter", "Mechelen", 2),
                                                        ("werker2", "Hoeilaart", 3)])
def test_alle_for_a_one_gemeente_reader_is_their_own_gemeente(personas, spread, name, naam, signalen):
    response = report(personas[name])
    assert response.status_code == 200
    flat = " ".join(pdf_text(response.content).split())
    assert f"{naam} — jeugdwelzijnsoverleg" in flat and f"Signalen {signalen}" in flat
    assert "Alle gemeenten" not in flat and "Signalen per gemeente" not in flat


@pytest.mark.parametrize(("name", "status"), [("beheerder", 404), ("anonymous", 302)])
def test_who_sees_no_gemeente_gets_no_report(personas, spread, name, status):
    response = personas[name].get(f"/inzicht/jaarrapport?gemeente=alle&jaar={YEAR}", follow_redirects=False)
    assert response.status_code in ((302, 303, 401) if status == 302 else (status,))


@pytest.mark.parametrize("gemeente", ["ALLE", "alle'--", "<script>", "hoeilaart,mechelen"])
def test_odd_gemeente_values_are_404(personas, gemeente):
    assert report(personas["coordinator"], gemeente).status_code == 404


def test_a_bad_year_for_alle_is_refused_in_dutch(personas):
    response = personas["coordinator"].get("/inzicht/jaarrapport?gemeente=alle&jaar=1999")
    assert response.status_code == 400 and "Kies een jaar" in response.text


# ----------------------------------------------------------------------------- the menu

@pytest.mark.parametrize(("name", "shown"), [("coordinator", True), ("werker", False), ("werker2", False),
                                             ("voorzitter", False), ("partner", False), ("beheerder", False)])
def test_bovenlokaal_is_in_the_coordinators_menu(personas, name, shown):
    page = personas[name].get("/").text
    nav = page[page.index('aria-label="Hoofdmenu"'):page.index("</nav>")]
    assert ('href="/bovenlokaal/"' in nav) is shown
    if shown:
        assert personas[name].get("/bovenlokaal/").status_code == 200


# ----------------------------------------------------------------------------- Dutch numbers

@pytest.mark.parametrize(("value", "text"), [(0.5, "0,5"), (0.0, "0"), (3.0, "3"), (2.75, "2,8"), (1234, "1.234"),
                                             (12345.5, "12.345,5"), (None, "—"), (float("nan"), "—"), ("7.5", "7,5"),
                                             ("geen getal", "geen getal"), (True, "—"), (-1.5, "-1,5")])
def test_the_getal_filter_writes_numbers_as_flemish_readers_do(value, text):
    assert dutch_number(value) == text


def test_the_median_days_are_printed_with_a_decimal_comma(personas, monkeypatch):
    from inzicht import queries

    real = queries.nota_answers

    async def half_a_day(scope):
        return {**await real(scope), "mediaan_dagen": 0.5}

    monkeypatch.setattr(queries, "nota_answers", half_a_day)
    page = personas["werker"].get("/inzicht/").text
    assert '<span class="kpi">0,5</span> dagen tot antwoord' in page and "0.5" not in page
    flat = " ".join(pdf_text(report(personas["werker"], "mechelen").content).split())
    assert "mediaan 0,5 dagen tot een antwoord" in flat
