"""A bovenlokale nota from a theme of /bovenlokaal/: aggregates per gemeente, quotes and dossiers only from where
the coördinator is a member; nobody else can start one."""

from __future__ import annotations

import json
import re

import pytest

from tests.support import make_signaal, pdf_text, sync

HOEILAART_TEKST = "De pendelbus van Hoeilaart stopt al om halfnegen."
HOEILAART_CITAAT = "In Hoeilaart wachten we een uur op niets."
MECHELEN_CITAAT = "We lopen elke vrijdag naar huis."


@pytest.fixture
def recurring(werker, werker2):
    for plek in ("Station", "Nekkerspoel", "Centrum"):
        make_signaal(werker, titel=f"Laatste bus vertrekt te vroeg aan {plek}", plek=plek, signaaltype="mobiliteit",
                     omschrijving="Na de training kunnen jongeren niet meer met de bus naar huis.",
                     citaten=[MECHELEN_CITAAT])
    for plek in ("Station Hoeilaart", "Gemeenteplein"):
        make_signaal(werker2, gemeente="hoeilaart", titel=f"Laatste bus te vroeg aan {plek}", plek=plek,
                     signaaltype="mobiliteit", omschrijving=HOEILAART_TEKST, citaten=[HOEILAART_CITAAT])


def type_theme(persona) -> tuple[str, str]:
    """The key and title of the 'same signaaltype' theme for mobiliteit, as /bovenlokaal/ offers it."""
    page = persona.get("/bovenlokaal/").text
    section = page.split("Mobiliteit", 1)[1].split("</section>")[0]
    return re.search(r'name="thema" value="([^"]+)"', section).group(1), "Mobiliteit"


def url(sleutel: str, onderwerp: str = "Laatste bus te vroeg") -> str:
    return f"/notas/nieuw?adressaat=bovenlokaal&onderwerp={onderwerp}&thema={sleutel}&periode=12"


def compose(coordinator, sleutel: str, **extra):
    data = {"adressaat": "bovenlokaal", "onderwerp": "Laatste bus te vroeg", "thema": sleutel, "periode": "12",
            "adressaat_tekst": "Vlaams minister van Mobiliteit", **extra}
    return coordinator.post_form("/notas/nieuw", data, follow_redirects=False)


def nota_id(response) -> int:
    assert response.status_code == 303, response.text[:2000]
    return int(re.search(r"/notas/(\d+)/bewerken", response.headers["location"]).group(1))


def test_the_form_is_prefilled_with_the_aggregates(coordinator, recurring):
    sleutel, _ = type_theme(coordinator)
    page = coordinator.get(url(sleutel))
    assert page.status_code == 200
    assert 'name="thema" value="' + sleutel + '"' in page.text
    assert 'value="bovenlokaal" checked' in page.text and 'value="college"' not in page.text
    assert "Mechelen" in page.text and "Hoeilaart" in page.text
    assert "<td>3</td>" in page.text and "<td>2</td>" in page.text
    assert HOEILAART_TEKST not in page.text and "Station Hoeilaart" not in page.text


def test_the_coordinator_gets_a_nota_with_both_gemeenten_counts_and_no_hoeilaart_text(coordinator, recurring, world):
    from overleg.tables import NotaDossier, Signaalnota

    sleutel, _ = type_theme(coordinator)
    nid = nota_id(compose(coordinator, sleutel))
    row = sync(Signaalnota.select().where(Signaalnota.id == nid).first())
    assert row["bovenlokaal"] and row["adressaat"] == "bovenlokaal" and row["status"] == "concept"
    assert row["gemeente"] == world.gemeenten["mechelen"]
    assert sync(NotaDossier.count().where(NotaDossier.nota == nid)) == 0  # no dossiers: aggregates only
    onderbouwing = json.loads(row["secties"])["onderbouwing"]
    assert "| Gemeente | Signalen | Dossiers | Periode |" in onderbouwing
    assert re.search(r"\| Mechelen \| 3 \| 0 \|", onderbouwing)
    assert re.search(r"\| Hoeilaart \| 2 \| 0 \|", onderbouwing)

    edit = coordinator.get(f"/notas/{nid}/bewerken")
    assert edit.status_code == 200
    assert HOEILAART_TEKST not in edit.text and HOEILAART_CITAAT not in edit.text

    pdf = coordinator.get(f"/notas/{nid}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.content).split())
    assert "Mechelen" in text and "Hoeilaart" in text and "Vlaams minister van Mobiliteit" in text
    assert HOEILAART_TEKST not in text and HOEILAART_CITAAT not in text and "Station Hoeilaart" not in text


def test_dossiers_and_quotes_come_only_from_the_member_gemeente(coordinator, voorzitter, werker2, recurring, world):
    """A wording theme with a dossier in each gemeente: only Mechelen's dossier (and so its quotes) is attached."""
    from overleg.tables import Dossier, NotaDossier, Signaalnota
    from signalen.tables import Signaal

    for slug in ("mechelen", "hoeilaart"):
        gid = world.gemeenten[slug]
        dossier = Dossier(gemeente=gid, titel="Laatste bus vertrekt te vroeg naar huis",
                          omschrijving="De laatste bus naar huis vertrekt te vroeg voor jongeren na de training.",
                          status="open")
        sync(dossier.save())
        sync(Signaal.update({Signaal.dossier: dossier.id}).where(Signaal.gemeente == gid))
    mechelen_dossier = sync(Dossier.select(Dossier.id).where(Dossier.gemeente == world.gemeenten["mechelen"])
                            .first())["id"]
    page = coordinator.get("/bovenlokaal/").text
    keys = re.findall(r'name="thema" value="(tekst-\d+)"', page)
    assert keys, "no wording theme found"
    sleutel = keys[0]
    form = coordinator.get(url(sleutel))
    assert form.status_code == 200
    assert re.search(rf'value="{mechelen_dossier}" checked', form.text)
    nid = nota_id(compose(coordinator, sleutel, dossiers=str(mechelen_dossier)))
    assert [r["dossier"] for r in sync(NotaDossier.select(NotaDossier.dossier).where(NotaDossier.nota == nid))] \
        == [mechelen_dossier]
    row = sync(Signaalnota.select().where(Signaalnota.id == nid).first())
    assert "| Hoeilaart |" in row["secties"] and HOEILAART_TEKST not in row["secties"]
    edit = coordinator.get(f"/notas/{nid}/bewerken").text
    assert MECHELEN_CITAAT in edit and HOEILAART_CITAAT not in edit and HOEILAART_TEKST not in edit


def test_a_dossier_of_another_gemeente_cannot_be_attached(coordinator, werker2, recurring, world):
    from overleg.tables import Dossier

    foreign = Dossier(gemeente=world.gemeenten["hoeilaart"], titel="Bus", omschrijving="", status="open")
    sync(foreign.save())
    sleutel, _ = type_theme(coordinator)
    assert compose(coordinator, sleutel, dossiers=str(foreign.id)).status_code == 404


@pytest.mark.parametrize("name", ["werker", "werker2", "voorzitter", "partner", "beheerder"])
def test_nobody_else_can_start_one(personas, coordinator, recurring, name):
    from overleg.tables import Signaalnota

    sleutel, _ = type_theme(coordinator)
    persona = personas[name]
    assert persona.get(url(sleutel)).status_code == 404
    response = compose(persona, sleutel)
    assert response.status_code in (403, 404)
    assert HOEILAART_TEKST not in response.text
    assert sync(Signaalnota.count()) == 0


def test_a_bad_theme_is_a_dutch_404(coordinator, recurring):
    response = coordinator.get(url("type-999999"))
    assert response.status_code == 404 and "Dit thema komt niet (meer) terug" in response.text
    assert compose(coordinator, "bestaat-niet").status_code == 404


def test_a_bad_period_is_refused_in_dutch(coordinator, recurring):
    sleutel, _ = type_theme(coordinator)
    response = coordinator.get(url(sleutel).replace("periode=12", "periode=7"))
    assert response.status_code == 400 and "Kies een periode" in response.text


def test_a_nota_without_dossiers_still_needs_a_subject(coordinator, recurring):
    sleutel, _ = type_theme(coordinator)
    response = compose(coordinator, sleutel, onderwerp="  ")
    assert response.status_code == 422 and "Geef de nota een onderwerp." in response.text
    assert 'name="thema" value="' + sleutel + '"' in response.text


def test_without_a_theme_a_nota_still_needs_dossiers(coordinator, world):
    response = coordinator.post_form("/notas/nieuw", {"adressaat": "bovenlokaal", "onderwerp": "x",
                                                      "gemeente": str(world.gemeenten["mechelen"])})
    assert response.status_code == 422 and "Kies één of meer dossiers." in response.text
