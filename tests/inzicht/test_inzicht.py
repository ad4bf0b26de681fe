"""/inzicht: charts with their tables and CSVs, per role, with filters and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from common.dates import today
from inzicht import queries
from tests.support import make_signaal


@pytest.fixture
def signalen(werker, werker2):
    day = today()
    make_signaal(werker, plek="Nekkerspoel", bron="straat", levensdomein="ruimte", aantal_jongeren=5,
                 datum=(day - dt.timedelta(days=40)).isoformat())
    make_signaal(werker, plek="Nekkerspoel", bron="online", levensdomein="online", aantal_jongeren=3)
    make_signaal(werker, plek="Vaartkom", bron="straat", levensdomein="ruimte", aantal_jongeren=None)
    make_signaal(werker2, gemeente="hoeilaart", plek="Station", bron="straat", levensdomein="vrije-tijd",
                 aantal_jongeren=7)


def table_rows(html: str, slug: str) -> list[tuple[str, int]]:
    section = html.split(f'id="kop-{slug}"')[1].split("</section>")[0]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    return [(label, int(n)) for label, n in re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td></tr>", body)]


def csv_rows(persona, slug: str, query: str = "") -> list[tuple[str, int]]:
    response = persona.get(f"/inzicht/{slug}.csv{query}")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    next(reader)
    return [(label, int(n)) for label, n in reader]


@pytest.mark.parametrize("slug", ["per-maand", "per-levensdomein", "per-signaaltype", "per-plek", "per-bron"])
def test_chart_table_and_csv_agree(werker, signalen, slug):
    page = werker.get("/inzicht/")
    assert page.status_code == 200
    rows = table_rows(page.text, slug)
    assert rows == csv_rows(werker, slug)
    assert sum(n for _, n in rows) == 3  # Mechelen only, for a Mechelen worker
    import base64

    svg = page.text.split(f'id="kop-{slug}"')[1].split('src="data:image/svg+xml;base64,')[1].split('"')[0]
    drawn = base64.b64decode(svg).decode()
    for label, _ in rows:
        assert label.replace("&amp;", "&") in drawn.replace("&amp;", "&") or len(label) > 30


def test_the_numbers_are_right(werker, signalen):
    page = werker.get("/inzicht/").text
    assert dict(table_rows(page, "per-plek")) == {"Nekkerspoel": 2, "Vaartkom": 1}
    assert dict(table_rows(page, "per-bron")) == {"Op straat": 2, "Online": 1}
    assert '<span class="kpi">8</span> jongeren betrokken' in page


def test_a_period_filter_applies_to_table_and_csv(werker, signalen):
    start = (today() - dt.timedelta(days=10)).isoformat()
    page = werker.get(f"/inzicht/?van={start}").text
    assert sum(n for _, n in table_rows(page, "per-plek")) == 2
    assert sum(n for _, n in csv_rows(werker, "per-plek", f"?van={start}")) == 2


def test_a_period_without_data_shows_an_empty_state(werker, signalen):
    page = werker.get("/inzicht/?van=2001-01-01&tot=2001-12-31")
    assert page.status_code == 200 and "Geen gegevens voor deze periode." in page.text


def test_an_end_before_the_start_is_explained_in_dutch(werker, signalen):
    page = werker.get("/inzicht/?van=2026-05-01&tot=2026-04-01")
    assert "De einddatum ligt voor de begindatum." in page.text
    assert werker.get("/inzicht/per-plek.csv?van=2026-05-01&tot=2026-04-01").status_code == 400


def test_a_coordinator_sees_aggregates_of_every_gemeente_of_the_organisation(coordinator, signalen):
    page = coordinator.get("/inzicht/").text
    assert sum(n for _, n in table_rows(page, "per-plek")) == 4
    hoeilaart = coordinator.get("/inzicht/?gemeente=hoeilaart").text
    assert dict(table_rows(hoeilaart, "per-plek")) == {queries.UNNAMED: 1}  # no member there: no place names


@pytest.mark.parametrize(("name", "status"), [("werker2", 404), ("partner", 200), ("voorzitter", 200)])
def test_a_gemeente_outside_ones_own_is_not_found(personas, signalen, name, status):
    assert personas[name].get("/inzicht/?gemeente=mechelen").status_code == status
    assert personas[name].get("/inzicht/per-plek.csv?gemeente=mechelen").status_code == status


def test_werker2_never_sees_mechelen_numbers(werker2, signalen):
    page = werker2.get("/inzicht/").text
    assert "Nekkerspoel" not in page and dict(table_rows(page, "per-plek")) == {"Station": 1}


def test_people_without_gemeente_and_anonymous(beheerder, anonymous):
    assert beheerder.get("/inzicht/").status_code == 404
    assert anonymous.get("/inzicht/", follow_redirects=False).status_code == 303


def test_an_unknown_chart_csv_is_not_found(werker, signalen):
    assert werker.get("/inzicht/bestaat-niet.csv").status_code == 404


def test_a_place_that_looks_like_a_formula_is_defused_in_the_csv(werker):
    make_signaal(werker, plek="=HYPERLINK(\"http://x\")")
    assert csv_rows(werker, "per-plek")[0][0].startswith("'=")
