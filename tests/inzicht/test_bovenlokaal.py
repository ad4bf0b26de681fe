"""/bovenlokaal: themes recurring in two or more gemeenten, counts only from where one is not a member."""

from __future__ import annotations

import pytest

from tests.support import make_signaal


@pytest.fixture
def recurring(werker, werker2):
    for plek in ("Station", "Nekkerspoel", "Centrum"):
        make_signaal(werker, titel=f"Laatste bus vertrekt te vroeg aan {plek}", plek=plek, signaaltype="mobiliteit",
                     omschrijving="Na de training kunnen jongeren niet meer met de bus naar huis.")
    for plek in ("Station Hoeilaart", "Gemeenteplein"):
        make_signaal(werker2, gemeente="hoeilaart", titel=f"Laatste bus te vroeg aan {plek}", plek=plek,
                     signaaltype="mobiliteit", omschrijving="De laatste bus naar huis rijdt te vroeg voor jongeren.")
    make_signaal(werker, titel="Geheime Mechelse tekst over het skatepark", signaaltype="publieke-ruimte")


def test_the_coordinator_sees_a_theme_recurring_in_mechelen_and_hoeilaart(coordinator, recurring):
    page = coordinator.get("/bovenlokaal/")
    assert page.status_code == 200
    section = page.text.split("Mobiliteit / uitwijken naar centrumsteden", 1)[1].split("</section>")[0]
    assert "Mechelen" in section and "Hoeilaart" in section
    assert "<td>3</td>" in section and "<td>2</td>" in section
    assert "Hoeilaart <span class=\"muted\">(cijfers)</span>" in section
    assert "Bovenlokale nota opstellen" in section


def test_similar_wording_is_found_across_gemeenten(coordinator, recurring):
    text = coordinator.get("/bovenlokaal/").text
    assert "Gedeelde kernwoorden" in text or "kernwoorden" in text.lower()


def test_no_signal_text_of_another_gemeente_is_shown(coordinator, recurring):
    text = coordinator.get("/bovenlokaal/").text
    assert "De laatste bus naar huis rijdt te vroeg voor jongeren." not in text
    assert "Station Hoeilaart" not in text


@pytest.mark.parametrize("name", ["werker", "werker2", "voorzitter", "partner", "beheerder"])
def test_only_a_coordinator_has_the_view(personas, recurring, name):
    assert personas[name].get("/bovenlokaal/").status_code == 404


def test_anonymous_goes_to_login(anonymous):
    assert anonymous.get("/bovenlokaal/", follow_redirects=False).status_code == 303


def test_a_bad_period_is_refused_in_dutch(coordinator):
    response = coordinator.get("/bovenlokaal/?periode=999")
    assert response.status_code == 400 and "Kies een periode" in response.text


def test_an_empty_period_shows_an_empty_state(coordinator):
    assert "Geen thema's" in coordinator.get("/bovenlokaal/").text
