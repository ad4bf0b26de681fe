"""The dashboard at / by role: what each persona sees first, and never another gemeente's data."""

from __future__ import annotations

import datetime as dt

import pytest

from common import dates
from common.dates import today
from overleg.tables import Actie, Dossier, Overleg, Overleglid, Partner, Signaalnota, Vergadering
from signalen.services import set_status
from signalen.tables import Signaal
from tests.support import make_signaal, sync


@pytest.fixture
def overleg(world):
    now = dates.now()
    mechelen = Overleg(gemeente=world.gemeenten["mechelen"], naam="JWO Mechelen")
    sync(mechelen.save())
    caw = Partner(overleg=mechelen.id, naam="CAW Mechelen", soort="caw")
    sync(caw.save())
    sync(Overleglid(overleg=mechelen.id, user=world.users["partner"], partner=caw.id).save())
    sync(Vergadering(overleg=mechelen.id, datum=today() + dt.timedelta(days=7), begin=dt.time(19, 30),
                     plaats="Jeugdhuis", status="gepubliceerd").save())
    sync(Actie(overleg=mechelen.id, wat="Bank terugplaatsen bespreken", partner=caw.id,
               deadline=today() - dt.timedelta(days=3), status="open", lens="preventie", aangemaakt_op=now).save())
    sync(Signaalnota(gemeente=world.gemeenten["mechelen"], overleg=mechelen.id, referentie="SN-2026-001",
                     onderwerp="Ontmoetingsplekken", status="verstuurd", verstuurd_op=now,
                     antwoord_gevraagd_tegen=today() - dt.timedelta(days=1), aangemaakt_op=now).save())
    hoeilaart = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="JWO Hoeilaart")
    sync(hoeilaart.save())
    sync(Vergadering(overleg=hoeilaart.id, datum=today() + dt.timedelta(days=3), begin=dt.time(20, 0),
                     plaats="Gemeentehuis Hoeilaart", status="gepubliceerd").save())
    return mechelen


def test_the_chair_sees_the_next_meeting_what_waits_and_what_is_late(voorzitter, werker, overleg):
    signals = [make_signaal(werker, titel=f"Bank weg {i}") for i in range(4)]
    dossier = Dossier(gemeente=voorzitter.gemeenten["mechelen"], titel="Geen banken in Nekkerspoel",
                      aangemaakt_op=dates.now())
    sync(dossier.save())
    ids = [s["id"] for s in signals[:3]]
    sync(Signaal.update({Signaal.dossier: dossier.id}).where(Signaal.id.is_in(ids)))
    sync(set_status(ids, "gebundeld", None, "gebundeld"))
    page = voorzitter.get("/").text
    assert "JWO Mechelen" in page and "Gemeentehuis Hoeilaart" not in page
    assert "Geen banken in Nekkerspoel" in page and "3 signalen" in page
    assert "<strong>1</strong> signaal zonder dossier" in page
    assert "Bank terugplaatsen bespreken" in page and "SN-2026-001" in page


def test_the_worker_sees_their_signals_and_what_happened_to_them(werker, voorzitter, overleg):
    signaal = make_signaal(werker, titel="Skatepark kapot")
    voorzitter.post_form(f"/signalen/{signaal['id']}/status", {"status": "niet_weerhouden", "toelichting": "dubbel"})
    page = werker.get("/").text
    assert "Skatepark kapot" in page and "Niet weerhouden" in page
    assert "Bank terugplaatsen" not in page


def test_the_partner_sees_published_agendas_and_their_own_late_actions(partner, overleg):
    page = partner.get("/").text
    assert "Gepubliceerde agenda" in page and "JWO Mechelen" in page
    assert "Bank terugplaatsen bespreken" in page and "(over tijd)" in page
    assert "JWO Hoeilaart" not in page


def test_the_coordinator_sees_every_gemeente_side_by_side(coordinator, werker, werker2, overleg):
    make_signaal(werker)
    make_signaal(werker2, gemeente="hoeilaart")
    make_signaal(werker2, gemeente="hoeilaart")
    page = coordinator.get("/").text
    assert "Alle gemeenten" in page
    table = page.split("Alle gemeenten")[1].split("</table>")[0]
    assert "Mechelen" in table and "Hoeilaart" in table and "Leuven" not in table
    assert "Hoeilaart <span class=\"muted\">(cijfers)</span></th><td>2</td>" in table


@pytest.mark.parametrize("name", ["werker2", "beheerder"])
def test_others_see_nothing_of_mechelen(personas, overleg, name):
    page = personas[name].get("/").text
    assert "JWO Mechelen" not in page and "Bank terugplaatsen" not in page and "SN-2026-001" not in page


def test_anonymous_goes_to_login(anonymous):
    assert anonymous.get("/", follow_redirects=False).status_code == 303
