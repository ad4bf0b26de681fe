"""Privacy in /inzicht and /bovenlokaal (issue #13, items 1 and 4): aggregates, exports and the yearly report pass
the privacy guard for everyone (a signal's confirmation counts for the register only), and a coördinator sees no
words or place names of gemeenten where they are no member — only counts per taxonomy term and period."""

from __future__ import annotations

import csv
import io
import re

import pytest

from common.dates import today
from inzicht import queries
from tests.support import make_signaal, pdf_text

ADDRESS = "Kerkstraat 12"
SECRET_WORD = "quarmby"  # occurs only in Hoeilaart's signals
HOEILAART_PLACE = "Sportpark Den Dries"  # a place name without personal data: item 4, not the guard, hides it


def csv_rows(persona, slug: str, query: str = "") -> dict[str, int]:
    response = persona.get(f"/inzicht/{slug}.csv{query}")
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {label: int(n) for label, n in rows[1:]}


@pytest.fixture
def confirmed_address(werker):
    """A signal whose place is an address, confirmed by its author for the register."""
    return make_signaal(werker, confirm=True, titel=f"Jongeren weggestuurd aan {ADDRESS}", plek=ADDRESS)


@pytest.fixture
def quarmby(werker, werker2):
    """Similar wording in Mechelen (where the coördinator persona is a member) and Hoeilaart (where not)."""
    make_signaal(werker, titel="Sportclub te duur voor jongeren", omschrijving="De sportclub is te duur.",
                 plek="Nekkerspoel")
    for titel, omschrijving in (("Sportclub quarmby weigert jongeren", "Bij sportclub quarmby mogen jongeren "
                                 "niet binnen."),
                                ("Sportclub quarmby te duur", "Sportclub quarmby vraagt te veel lidgeld."),
                                ("Sportclub quarmby sluit de deur", "Quarmby laat niemand binnen.")):
        make_signaal(werker2, gemeente="hoeilaart", titel=titel, omschrijving=omschrijving, plek=HOEILAART_PLACE)


# ----------------------------------------------------------------------------- item 1: aggregates are redacted

@pytest.mark.parametrize("name", ["voorzitter", "partner", "coordinator", "werker"])
def test_the_places_csv_shows_an_address_as_its_placeholder_to_everyone(personas, confirmed_address, name):
    rows = csv_rows(personas[name], "per-plek", "?gemeente=mechelen")
    assert rows == {"[adres]": 1}


def test_the_inzicht_page_shows_no_confirmed_address(partner, voorzitter, confirmed_address):
    for persona in (partner, voorzitter):
        page = persona.get("/inzicht/?gemeente=mechelen")
        assert page.status_code == 200
        assert ADDRESS not in page.text and "[adres]" in page.text


def test_redacted_places_that_become_alike_are_counted_together(werker, confirmed_address):
    make_signaal(werker, confirm=True, plek="Dorpsstraat 14")
    make_signaal(werker, plek="Nekkerspoel")
    assert csv_rows(werker, "per-plek") == {"[adres]": 2, "Nekkerspoel": 1}


def test_the_yearly_report_shows_no_confirmed_address(partner, voorzitter, confirmed_address):
    for persona in (partner, voorzitter):
        response = persona.get(f"/inzicht/jaarrapport?gemeente=mechelen&jaar={today().year}")
        assert response.status_code == 200
        text = pdf_text(response.content)
        assert ADDRESS not in text and "[adres]" in text


# ----------------------------------------------------------------------------- item 4: the coördinator elsewhere

def test_no_place_name_of_a_gemeente_where_the_coordinator_is_no_member(coordinator, quarmby):
    assert csv_rows(coordinator, "per-plek", "?gemeente=hoeilaart") == {queries.UNNAMED: 3}
    mixed = csv_rows(coordinator, "per-plek")
    assert mixed == {queries.UNNAMED: 3, "Nekkerspoel": 1}  # own places are named, the others only counted
    page = coordinator.get("/inzicht/?gemeente=hoeilaart").text
    assert HOEILAART_PLACE not in page


def test_the_worker_of_hoeilaart_still_sees_its_own_places(werker2, quarmby):
    assert csv_rows(werker2, "per-plek") == {HOEILAART_PLACE: 3}


def test_the_yearly_report_of_a_gemeente_where_the_coordinator_is_no_member_holds_counts_only(coordinator, quarmby):
    from overleg.tables import Dossier
    from tests.support import sync

    sync(Dossier(gemeente=coordinator.gemeenten["hoeilaart"], titel=f"Sportclub {SECRET_WORD}").save())
    response = coordinator.get(f"/inzicht/jaarrapport?gemeente=hoeilaart&jaar={today().year}")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert SECRET_WORD not in text.lower() and HOEILAART_PLACE not in text
    assert "Signalen per soort" in text and "Open" in text  # counts per taxonomy term and per status stay


def test_the_bovenlokaal_theme_is_not_named_after_words_of_another_gemeente(coordinator, quarmby):
    page = coordinator.get("/bovenlokaal/")
    assert page.status_code == 200
    assert SECRET_WORD not in page.text.lower()
    assert "Sportclub" in page.text  # the word that occurs in Mechelen names the theme
    assert HOEILAART_PLACE not in page.text


def test_the_nota_form_is_not_prefilled_with_words_of_another_gemeente(coordinator, quarmby):
    page = coordinator.get("/bovenlokaal/").text
    keys = re.findall(r'name="thema" value="([^"]+)"', page)
    assert any(k.startswith("tekst-") for k in keys), "the wording lens should find the theme"
    for key in keys:
        form = coordinator.get(f"/notas/nieuw?adressaat=bovenlokaal&thema={key}&periode=12")
        assert form.status_code == 200
        assert SECRET_WORD not in form.text.lower() and HOEILAART_PLACE not in form.text


def test_a_theme_only_in_gemeenten_where_the_coordinator_is_no_member_is_named_from_the_taxonomy(app, world):
    """A coördinator who is a member in none of the theme's gemeenten (Overijse only) gets its taxonomy name."""
    from admin.demo import create_user
    from admin.tables import Gemeente, Rol
    from tests.support import PASSWORD, login_as, sync

    sync(Gemeente(naam="Overijse", slug="overijse", organisatie=world.organisatie).save())
    user = sync(create_user("coordinator3", PASSWORD, memberships=[("overijse", Rol.coordinator)]))
    world.users["coordinator3"] = user.id
    werker, werker2 = login_as(app, world, "werker"), login_as(app, world, "werker2")
    make_signaal(werker, titel="Sportclub quarmby te duur", omschrijving="Quarmby vraagt te veel.",
                 signaaltype="aanbod-ontoegankelijk", confirm=True)
    make_signaal(werker, titel="Sportclub quarmby weigert ons", omschrijving="Quarmby laat niemand binnen.",
                 signaaltype="aanbod-ontoegankelijk", confirm=True)
    make_signaal(werker2, gemeente="hoeilaart", titel="Sportclub quarmby sluit", omschrijving="Quarmby is dicht.",
                 signaaltype="aanbod-ontoegankelijk", confirm=True)
    page = login_as(app, world, "coordinator3").get("/bovenlokaal/")
    assert page.status_code == 200
    assert SECRET_WORD not in page.text.lower() and "sportclub" not in page.text.lower()
    assert "(gelijkaardige signalen)" in page.text  # the wording theme, named after its signaaltype
