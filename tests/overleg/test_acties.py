"""Actions: the overview per partner and per dossier, overdue ones marked, status updates by the owning partner
and the chair, and create_actie's validation — per persona, with bad input."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from common.dates import today
from overleg.acties.services import create_actie, list_acties, update_actie_status
from overleg.tables import Actie, Agendapunt, Dossier, Overleg, Overleglid, Partner, Vergadering
from tests.support import current_user, sync

YESTERDAY = today() - dt.timedelta(days=1)
NEXT_MONTH = today() + dt.timedelta(days=30)


@pytest.fixture
def ov(world):
    """Mechelen's overleg (CAW with the partner persona, CLB), Hoeilaart's, a held meeting with a point, actions."""

    async def build():
        mechelen = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen")
        hoeilaart = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="Jeugdwelzijnsoverleg Hoeilaart")
        for row in (mechelen, hoeilaart):
            await row.save()
        caw = Partner(overleg=mechelen.id, naam="CAW Boom Mechelen Lier", soort="caw")
        clb = Partner(overleg=mechelen.id, naam="CLB Mechelen", soort="clb")
        ocmw_h = Partner(overleg=hoeilaart.id, naam="OCMW Hoeilaart", soort="ocmw")
        for row in (caw, clb, ocmw_h):
            await row.save()
        await Overleglid(overleg=mechelen.id, user=world.users["partner"], partner=caw.id, rol="partner").save()
        dossier = Dossier(gemeente=world.gemeenten["mechelen"], titel="Ontmoetingsplekken Nekkerspoel")
        dossier_h = Dossier(gemeente=world.gemeenten["hoeilaart"], titel="Bus naar Brussel")
        for row in (dossier, dossier_h):
            await row.save()
        meeting = Vergadering(overleg=mechelen.id, datum=today() - dt.timedelta(days=14), begin=dt.time(19, 30),
                              status="gehouden")
        meeting_h = Vergadering(overleg=hoeilaart.id, datum=today() - dt.timedelta(days=7), begin=dt.time(20),
                                status="gehouden")
        for row in (meeting, meeting_h):
            await row.save()
        punt = Agendapunt(vergadering=meeting.id, titel=dossier.titel, dossier=dossier.id, volgorde=1)
        punt_h = Agendapunt(vergadering=meeting_h.id, titel="Mobiliteit", volgorde=1)
        for row in (punt, punt_h):
            await row.save()
        te_laat = Actie(overleg=mechelen.id, agendapunt=punt.id, dossier=dossier.id, partner=caw.id,
                        wat="Outreach aan het station van Nekkerspoel", deadline=YESTERDAY, status="open",
                        lens="bijschakelen")
        van_clb = Actie(overleg=mechelen.id, dossier=dossier.id, partner=clb.id, wat="Infomoment op school",
                        deadline=NEXT_MONTH, status="bezig", lens="preventie")
        klaar = Actie(overleg=mechelen.id, partner=clb.id, wat="Folder verspreid", deadline=YESTERDAY,
                      status="klaar", lens="versterking")
        in_hoeilaart = Actie(overleg=hoeilaart.id, partner=ocmw_h.id, wat="Belbus aanvragen", status="open",
                             lens="preventie")
        for row in (te_laat, van_clb, klaar, in_hoeilaart):
            await row.save()
        return SimpleNamespace(mechelen=mechelen.id, hoeilaart=hoeilaart.id, caw=caw.id, clb=clb.id,
                               ocmw_h=ocmw_h.id, dossier=dossier.id, dossier_h=dossier_h.id, punt=punt.id,
                               punt_h=punt_h.id, te_laat=te_laat.id, van_clb=van_clb.id, klaar=klaar.id,
                               in_hoeilaart=in_hoeilaart.id)

    return sync(build())


def _status(actie_id: int) -> dict:
    return sync(Actie.select(Actie.status, Actie.versie).where(Actie.id == actie_id).first())


# ---------------------------------------------------------------- the overview, per persona

@pytest.mark.parametrize(("name", "code"), [("werker", 200), ("werker2", 200), ("voorzitter", 200),
                                            ("partner", 200), ("coordinator", 200), ("beheerder", 404)])
def test_the_overview_answers_every_persona(personas, ov, name, code):
    page = personas[name].get("/acties/")
    assert page.status_code == code
    if code == 200 and name != "werker2":
        assert "Outreach aan het station van Nekkerspoel" in page.text
        assert "Belbus aanvragen" not in page.text
    if name == "werker2":
        assert "Belbus aanvragen" in page.text and "Nekkerspoel" not in page.text


def test_anonymous_is_sent_to_login(anonymous, ov):
    response = anonymous.get("/acties/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login/")


def test_overdue_open_actions_are_marked_and_finished_ones_are_not(werker, ov):
    page = werker.get("/acties/").text
    item = page[page.index(f'id="actie-{ov.te_laat}"'):]
    item = item[:item.index("</li>")]
    assert "Te laat" in item and "actie-achterstallig" in page
    other = page[page.index(f'id="actie-{ov.van_clb}"'):]
    assert "Te laat" not in other[:other.index("</li>")]
    assert "Folder verspreid" not in page  # klaar: not open
    assert "1 te laat" in page
    everything = werker.get("/acties/?alles=1").text
    done = everything[everything.index(f'id="actie-{ov.klaar}"'):]
    assert "Te laat" not in done[:done.index("</li>")]


def test_the_overview_groups_per_partner_and_per_dossier(werker, ov):
    per_partner = werker.get("/acties/").text
    assert per_partner.index("CAW Boom Mechelen Lier") < per_partner.index("Outreach aan het station")
    assert ">CLB Mechelen <" in per_partner
    per_dossier = werker.get("/acties/?per=dossier").text
    assert "Ontmoetingsplekken Nekkerspoel <span" in per_dossier
    assert per_dossier.count(f'id="actie-{ov.te_laat}"') == 1


def test_only_the_owner_and_the_chair_get_a_status_form(personas, ov):
    form = f'action="/acties/{ov.te_laat}/status"'
    assert form in personas["partner"].get("/acties/").text
    assert f'action="/acties/{ov.van_clb}/status"' not in personas["partner"].get("/acties/").text
    assert form in personas["voorzitter"].get("/acties/").text
    assert form not in personas["werker"].get("/acties/").text


def test_a_foreign_overleg_filter_is_not_found(voorzitter, ov):
    assert voorzitter.get(f"/acties/?overleg={ov.hoeilaart}").status_code == 404


# ---------------------------------------------------------------- status updates

def test_a_partner_updates_the_status_of_their_own_action(partner, ov):
    response = partner.post_form(f"/acties/{ov.te_laat}/status", {"status": "bezig", "versie": "1"})
    assert response.status_code == 200 and "Status gewijzigd naar" in response.text
    assert _status(ov.te_laat) == {"status": "bezig", "versie": 2}


def test_a_partner_cannot_update_another_partners_action(partner, ov):
    response = partner.post_form(f"/acties/{ov.van_clb}/status", {"status": "klaar", "versie": "1"})
    assert response.status_code == 403
    assert _status(ov.van_clb)["status"] == "bezig"


@pytest.mark.parametrize(("name", "code"), [("werker", 403), ("coordinator", 403), ("werker2", 404),
                                            ("beheerder", 404)])
def test_readers_and_strangers_cannot_update(personas, ov, name, code):
    response = personas[name].post_form(f"/acties/{ov.te_laat}/status", {"status": "klaar", "versie": "1"})
    assert response.status_code == code
    assert _status(ov.te_laat)["status"] == "open"


def test_the_chair_updates_any_action_of_the_gemeente(voorzitter, ov):
    assert voorzitter.post_form(f"/acties/{ov.van_clb}/status", {"status": "klaar", "versie": "1"}).status_code == 200
    assert _status(ov.van_clb)["status"] == "klaar"
    assert voorzitter.post_form(f"/acties/{ov.in_hoeilaart}/status", {"status": "klaar"}).status_code == 404


def test_a_stale_version_is_refused_with_409(partner, ov):
    sync(Actie.update({Actie.versie: 5}).where(Actie.id == ov.te_laat))
    response = partner.post_form(f"/acties/{ov.te_laat}/status", {"status": "klaar", "versie": "1"})
    assert response.status_code == 409 and "intussen" in response.text
    assert _status(ov.te_laat) == {"status": "open", "versie": 5}


@pytest.mark.parametrize("bad", ["afgerond", "", "<script>", "klaar' OR 1=1 --"])
def test_an_unknown_status_is_refused(partner, ov, bad):
    response = partner.post_form(f"/acties/{ov.te_laat}/status", {"status": bad, "versie": "1"})
    assert response.status_code == 422 and "Kies een status" in response.text
    assert _status(ov.te_laat)["status"] == "open"


@pytest.mark.parametrize("bad_id", ["abc", "999999", "-1", "1e3", "99999999999", "٣"])
def test_unknown_action_ids_are_not_found(voorzitter, ov, bad_id):
    assert voorzitter.post_form(f"/acties/{bad_id}/status", {"status": "klaar"}).status_code == 404


def test_a_status_form_without_csrf_changes_nothing(partner, ov):
    partner.csrf()
    response = partner.client.post(f"/acties/{ov.te_laat}/status", data={"status": "klaar", "versie": "1"})
    assert response.status_code == 403
    assert _status(ov.te_laat)["status"] == "open"


def test_the_service_refuses_another_partners_action(partner, ov):
    from litestar.exceptions import PermissionDeniedException

    with pytest.raises(PermissionDeniedException):
        sync(update_actie_status(current_user(partner), ov.van_clb, "klaar", 1))


# ---------------------------------------------------------------- create_actie

def _create(persona, ov, **overrides):
    values = {"overleg_id": ov.mechelen, "agendapunt_id": ov.punt, "dossier_id": None,
              "wat": "Jongeren uitnodigen op de jeugdraad", "partner_id": ov.clb,
              "deadline": NEXT_MONTH.isoformat(), "lens": "versterking", **overrides}
    return sync(create_actie(current_user(persona), **values))


def test_the_chair_creates_an_action_and_gets_it_back(voorzitter, ov):
    row = _create(voorzitter, ov)
    assert row["wat"] == "Jongeren uitnodigen op de jeugdraad" and row["partner"] == ov.clb
    assert row["status"] == "open" and row["deadline"] == NEXT_MONTH and row["lens"] == "versterking"
    assert row["dossier"] == ov.dossier  # from the agenda point
    assert row["partner_naam"] == "CLB Mechelen" and row["versie"] == 1


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"partner_id": "foreign"}, "partner", "Kies een partner van dit overleg."),
    ({"partner_id": 10**12}, "partner", "Kies een partner van dit overleg."),
    ({"lens": "repressie"}, "lens", "Kies een lens"),
    ({"lens": None}, "lens", "Kies een lens"),
    ({"wat": "   "}, "wat", "Beschrijf wat er moet gebeuren."),
    ({"wat": "x" * 2001}, "wat", "hoogstens 2000 tekens"),
    ({"wat": None}, "wat", "Beschrijf wat er moet gebeuren."),
    ({"deadline": "volgende week"}, "deadline", "geldige datum"),
    ({"deadline": "2026-02-30"}, "deadline", "geldige datum"),
    ({"deadline": "1999-12-31"}, "deadline", "tussen 2000"),
    ({"agendapunt_id": "foreign"}, "agendapunt", "hoort niet bij dit overleg"),
    ({"dossier_id": "foreign"}, "dossier", "Kies een dossier van deze gemeente."),
])
def test_create_actie_refuses_bad_input_with_dutch_messages(voorzitter, ov, overrides, field, message):
    from common.errors import FieldErrors

    foreign = {"partner_id": ov.ocmw_h, "agendapunt_id": ov.punt_h, "dossier_id": ov.dossier_h}
    overrides = {k: (foreign[k] if v == "foreign" else v) for k, v in overrides.items()}
    with pytest.raises(FieldErrors) as caught:
        _create(voorzitter, ov, **overrides)
    assert caught.value.status_code == 422 and message in caught.value.fields[field]
    assert sync(Actie.count()) == 4


@pytest.mark.parametrize(("name", "code"), [("partner", 403), ("werker", 403), ("coordinator", 403),
                                            ("werker2", 404), ("beheerder", 404)])
def test_only_the_chair_creates_actions(personas, ov, name, code):
    from litestar.exceptions import HTTPException

    with pytest.raises(HTTPException) as caught:
        _create(personas[name], ov)
    assert caught.value.status_code == code
    assert sync(Actie.count()) == 4


def test_the_chair_cannot_create_in_a_foreign_overleg(voorzitter, ov):
    from litestar.exceptions import NotFoundException

    with pytest.raises(NotFoundException):
        _create(voorzitter, ov, overleg_id=ov.hoeilaart, agendapunt_id=None, partner_id=ov.ocmw_h)


def test_the_chair_creates_an_action_from_the_overview_form(voorzitter, ov):
    page = voorzitter.get("/acties/")
    assert "Nieuwe actie" in page.text
    response = voorzitter.post_form("/acties/", {"overleg": str(ov.mechelen), "wat": "Buurthuis openen",
                                                 "partner": str(ov.caw), "deadline": NEXT_MONTH.isoformat(),
                                                 "lens": "preventie", "dossier": str(ov.dossier)})
    assert response.status_code == 200 and "Buurthuis openen" in response.text
    bad = voorzitter.post_form("/acties/", {"overleg": str(ov.mechelen), "wat": "", "lens": "x"})
    assert bad.status_code == 422 and "Beschrijf wat er moet gebeuren." in bad.text


def test_markup_in_an_action_is_shown_as_text(voorzitter, werker, ov):
    _create(voorzitter, ov, wat='<script>alert("x")</script> <img src=x onerror=alert(1)>')
    page = werker.get("/acties/").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


# ---------------------------------------------------------------- list_acties and the API

def test_list_acties_filters_and_sorts(voorzitter, partner, ov):
    user = current_user(voorzitter)
    assert [r["id"] for r in sync(list_acties(user, open_only=True))] == [ov.te_laat, ov.van_clb]
    assert {r["id"] for r in sync(list_acties(user, partner_id=ov.clb))} == {ov.van_clb, ov.klaar}
    assert {r["id"] for r in sync(list_acties(user, dossier_id=ov.dossier))} == {ov.te_laat, ov.van_clb}
    rows = sync(list_acties(current_user(partner)))
    assert {r["id"]: r["mag_wijzigen"] for r in rows} == {ov.te_laat: True, ov.van_clb: False, ov.klaar: False}


def test_the_api_lists_creates_and_updates(voorzitter, partner, ov):
    listing = partner.get("/api/v1/acties?open=1").json()
    assert listing["totaal"] == 2 and listing["items"][0]["achterstallig"] is True
    created = voorzitter.api("POST", "/api/v1/acties", json={
        "overleg": ov.mechelen, "wat": "Jongerenraad uitnodigen", "partner": ov.caw, "lens": "versterking",
        "deadline": NEXT_MONTH.isoformat()})
    assert created.status_code == 201 and created.json()["partner_naam"] == "CAW Boom Mechelen Lier"
    own = partner.api("POST", f"/api/v1/acties/{created.json()['id']}/status", json={"status": "klaar", "versie": 1})
    assert own.status_code == 200 and own.json()["status"] == "klaar"
    other = partner.api("POST", f"/api/v1/acties/{ov.van_clb}/status", json={"status": "klaar", "versie": 1})
    assert other.status_code == 403 and "eigen organisatie" in other.json()["detail"]
    stale = partner.api("POST", f"/api/v1/acties/{ov.te_laat}/status", json={"status": "klaar", "versie": 7})
    assert stale.status_code == 409 and stale.json()["huidig"]["versie"] == 1


def test_the_api_refuses_bad_input(voorzitter, partner, werker2, ov):
    bad = voorzitter.api("POST", "/api/v1/acties", json={"overleg": ov.mechelen, "wat": "x", "partner": ov.ocmw_h,
                                                          "lens": "x"})
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"partner", "lens"}
    assert voorzitter.api("POST", "/api/v1/acties", json=["x"]).status_code == 400
    assert voorzitter.client.post("/api/v1/acties", content=b"{", headers={
        "x-csrf-token": voorzitter.csrf(), "content-type": "application/json"}).status_code == 400
    assert partner.api("POST", "/api/v1/acties", json={"overleg": ov.mechelen, "wat": "x",
                                                       "lens": "preventie"}).status_code == 403
    assert werker2.get(f"/api/v1/acties/{ov.te_laat}").status_code == 404
    assert werker2.get(f"/api/v1/acties?overleg={ov.mechelen}").status_code == 404
    assert voorzitter.get("/api/v1/acties?partner=abc").status_code == 400
    no_csrf = partner.client.post(f"/api/v1/acties/{ov.te_laat}/status", json={"status": "klaar"})
    assert no_csrf.status_code == 403 and _status(ov.te_laat)["status"] == "open"
