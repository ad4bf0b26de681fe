"""The yearly report PDF: every section, with the numbers of the data; tenancy; bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from common.dates import today
from tests.support import make_signaal, pdf_objects, pdf_text, pdf_xmp


def test_the_yearly_report_holds_every_section_with_the_numbers(werker, tmp_path):
    make_signaal(werker, plek="Nekkerspoel", aantal_jongeren=5)
    make_signaal(werker, plek="Nekkerspoel", aantal_jongeren=4)
    make_signaal(werker, plek="Vaartkom", aantal_jongeren=None)
    response = werker.get(f"/inzicht/jaarrapport?gemeente=mechelen&jaar={today().year}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    for heading in ("Jaarrapport signalen", "Kerncijfers", "Signalen per maand", "Signalen per levensdomein",
                    "Signalen per soort", "Signalen per plek", "Dossiers", "Wat het overleg deed",
                    "Acties per invalshoek", "Signaalnota's en antwoorden", "Terugkoppeling aan jongeren"):
        assert heading in text, heading
    assert "Mechelen" in text
    flat = " ".join(text.split())
    assert "Signalen 3" in flat and "Jongeren betrokken 9" in flat
    assert "Nekkerspoel" in text and "Vaartkom" in text


def test_the_report_is_tagged_pdf_ua_in_dutch(werker, tmp_path):
    response = werker.get(f"/inzicht/jaarrapport?jaar={today().year}")
    assert "pdfuaid" in pdf_xmp(response.content)
    assert b"/Lang (nl-BE)" in pdf_objects(response.content)


@pytest.mark.parametrize(("name", "status"), [("werker2", 404), ("coordinator", 200), ("voorzitter", 200)])
def test_another_gemeente_is_not_found_but_the_coordinator_gets_aggregates(personas, name, status):
    assert personas[name].get(f"/inzicht/jaarrapport?gemeente=mechelen&jaar={today().year}").status_code == status


@pytest.mark.parametrize("jaar", ["1999", "3000", "abc", "-1"])
def test_a_bad_year_is_refused_in_dutch(werker, jaar):
    response = werker.get(f"/inzicht/jaarrapport?gemeente=mechelen&jaar={jaar}")
    assert response.status_code == 400 and "Kies een jaar" in response.text


def test_a_year_without_data_still_gives_a_report(werker, tmp_path):
    response = werker.get("/inzicht/jaarrapport?gemeente=mechelen&jaar=2001")
    assert response.status_code == 200
    assert "Geen signalen in 2001." in pdf_text(response.content)


def test_the_yearly_report_of_the_demo_data_holds_its_numbers():
    """The demo a new user sees: the report's key figures are the demo's own counts."""
    from piccolo.apps.user.tables import BaseUser

    import manage
    from admin.sessions import resolve_user
    from admin.tables import Gemeente
    from inzicht import jaarrapport
    from signalen.tables import Signaal
    from tests.support import sync

    sync(manage._load_demo())
    year = today().year
    gemeente_row = sync(Gemeente.select().where(Gemeente.slug == "mechelen").first())
    chair = sync(BaseUser.select(BaseUser.id).where(BaseUser.username == "voorzitter").first())["id"]
    user = sync(resolve_user(chair))
    gemeente = user.gemeenten[gemeente_row["id"]]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)  # dates, not strings: asyncpg binds types
    in_year = (Signaal.gemeente == gemeente.id) & (Signaal.datum >= start) & (Signaal.datum <= end)
    expected_signals = sync(Signaal.count().where(in_year))
    counts = sync(Signaal.select(Signaal.aantal_jongeren).where(in_year))
    expected_young = sum(r["aantal_jongeren"] or 0 for r in counts)
    text = " ".join(pdf_text(sync(jaarrapport.pdf(user, gemeente, year))).split())
    assert expected_signals > 0
    assert f"Signalen {expected_signals}" in text and f"Jongeren betrokken {expected_young}" in text
    from overleg.tables import Vergadering

    meetings = sync(Vergadering.count().where((Vergadering.datum >= start) & (Vergadering.status == "gehouden")
                                              & (Vergadering.overleg.gemeente == gemeente.id)))
    assert f"Vergaderingen {meetings}" in text and "Signaalnota's verstuurd 1" in text
    for heading in ("Signalen per maand", "Dossiers", "Acties per invalshoek", "Signaalnota's en antwoorden",
                    "Terugkoppeling aan jongeren"):
        assert heading in text
