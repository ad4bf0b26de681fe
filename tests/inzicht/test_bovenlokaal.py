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


# --------------------------------------------------------------- issue 14, item 5: themes by sentence meaning

HOEILAART_ONLY = ("jeugdhuis", "somberheid", "psycholoog", "Smartschool")


@pytest.fixture
def by_meaning(werker, werker2):
    """Two needs in Mechelen and Hoeilaart, worded differently; a Hoeilaart signal about wifi that shares words
    ('thuis', 'uur') with the bus signals but not their meaning."""
    make_signaal(werker, titel="Laatste bus rijdt te vroeg", omschrijving="Na de training geraken de jongeren "
                 "niet meer thuis: de laatste bus vertrekt om negen uur.", signaaltype="mobiliteit")
    make_signaal(werker, titel="Wachtlijst bij het CAW", omschrijving="Een meisje wacht al vier maanden op een "
                 "gesprek met een hulpverlener.", signaaltype="mentaal-welzijn")
    make_signaal(werker2, gemeente="hoeilaart", titel="Laatste bus vertrekt te vroeg", signaaltype="mobiliteit",
                 omschrijving="Wie na het jeugdhuis naar huis wil, mist de laatste bus van negen uur.")
    make_signaal(werker2, gemeente="hoeilaart", titel="Maanden wachten op hulp", signaaltype="mentaal-welzijn",
                 omschrijving="Een jongen met zware somberheid kan pas in maart terecht bij de psycholoog.")
    make_signaal(werker2, gemeente="hoeilaart", titel="Geen wifi voor huiswerk", signaaltype="onderwijs",
                 omschrijving="Thuis is er geen internet, dus het huiswerk op Smartschool lukt niet om negen uur.")


def theme_sections(page: str) -> dict[str, str]:
    sections = page.split('<section class="card thema"')[1:]
    return {s.split(">", 2)[2].split("</h2>")[0]: s.split("</section>")[0] for s in sections}


def test_a_need_worded_differently_is_one_theme_named_after_an_own_signal(coordinator, by_meaning):
    themes = theme_sections(coordinator.get("/bovenlokaal/").text)
    assert "Laatste bus rijdt te vroeg" in themes, themes.keys()  # the Mechelen title: the coördinator reads it
    assert "Wachtlijst bij het CAW" in themes, themes.keys()
    bus = themes["Laatste bus rijdt te vroeg"]
    assert "2 signalen" in bus and "Mechelen" in bus and "Hoeilaart" in bus, bus  # the wifi signal stays out


def test_a_theme_by_meaning_shows_no_word_of_the_other_gemeente(coordinator, by_meaning):
    page = coordinator.get("/bovenlokaal/").text
    for word in HOEILAART_ONLY:
        assert word.lower() not in page.lower()
    for key in re_keys(page):
        form = coordinator.get(f"/notas/nieuw?adressaat=bovenlokaal&thema={key}&periode=12").text
        assert not [w for w in HOEILAART_ONLY if w.lower() in form.lower()]


def test_a_worker_of_hoeilaart_reads_no_mechelen_theme(werker2, by_meaning):
    assert werker2.get("/bovenlokaal/").status_code == 404


def re_keys(page: str) -> list[str]:
    import re

    return re.findall(r'name="thema" value="([^"]+)"', page)


def test_the_reason_keeps_only_own_words_type_and_period():
    from inzicht.bovenlokaal import own_reason

    reason = ("Zelfde nood: Maanden wachten op hulp; gedeelde kernwoorden: wacht, psycholoog; 3 keer Den Dries; "
              "zelfde type: mentaal welzijn; periode: maart–mei 2026")
    assert own_reason(reason, {"wacht", "caw"}, "Wachtlijst bij het CAW") == (
        "Zelfde nood als ‘Wachtlijst bij het CAW’; gedeelde kernwoorden: wacht; zelfde type: mentaal welzijn; "
        "periode: maart–mei 2026")
    assert own_reason(reason, set()) == "Zelfde type: mentaal welzijn; periode: maart–mei 2026"
    assert own_reason("Gedeelde kernwoorden: quarmby; zelfde plek: Den Dries", set()) == "Gelijkaardige signalen"
    assert own_reason("", set()) == "Gelijkaardige signalen"
