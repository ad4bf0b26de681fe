"""Issue 12 item 9 (partners): a "Mijn acties" filter on /acties, and a short progress note with a status change,
kept in the action's history and passed through the privacy guard (overleg/guard.py)."""

from __future__ import annotations

import pytest

from overleg.tables import Actie, ActieHistoriek
from tests.overleg.test_acties import ov  # noqa: F401
from tests.support import sync


def notes() -> list[dict]:
    return sync(ActieHistoriek.select(ActieHistoriek.actie, ActieHistoriek.van, ActieHistoriek.naar,
                                      ActieHistoriek.notitie).order_by(ActieHistoriek.id))


def test_mijn_acties_shows_only_the_partners_own_organisation(partner, ov):  # noqa: F811
    everything = partner.get("/acties/").text
    assert "Mijn acties" in everything and "Infomoment op school" in everything
    mine = partner.get("/acties/?mijn=1").text
    assert "Outreach aan het station van Nekkerspoel" in mine and "Infomoment op school" not in mine
    assert '<input type="checkbox" name="mijn" value="1" checked>' in mine
    assert "1 actie open" in mine


@pytest.mark.parametrize("name", ["werker", "voorzitter", "coordinator"])
def test_who_has_no_organisation_gets_no_filter_and_the_whole_list(personas, ov, name):  # noqa: F811
    page = personas[name].get("/acties/?mijn=1").text
    assert "Mijn acties" not in page and "Infomoment op school" in page


@pytest.mark.parametrize(("name", "status"), [("werker2", 200), ("beheerder", 404)])
def test_others_never_see_mechelens_actions_through_the_filter(personas, ov, name, status):  # noqa: F811
    response = personas[name].get("/acties/?mijn=1")
    assert response.status_code == status and "Outreach aan het station" not in response.text


def test_a_partner_changes_the_status_with_a_progress_note(partner, ov):  # noqa: F811
    response = partner.post_form(f"/acties/{ov.te_laat}/status", {
        "status": "bezig", "versie": "1", "notitie": "  Eerste <b>ronde</b> aan het station gedaan. ", "mijn": "1"})
    assert response.status_code == 200 and "met je notitie" in response.text
    assert notes() == [{"actie": ov.te_laat, "van": "open", "naar": "bezig",
                        "notitie": "Eerste <b>ronde</b> aan het station gedaan."}]
    assert "“Eerste &lt;b&gt;ronde&lt;/b&gt; aan het station gedaan.”" in response.text
    assert "<b>ronde" not in response.text
    assert "Open → Bezig" in response.text
    assert "Infomoment op school" not in response.text  # back on "Mijn acties"


def test_a_note_without_a_status_change_is_kept_too(voorzitter, ov):  # noqa: F811
    assert voorzitter.post_form(f"/acties/{ov.van_clb}/status", {"status": "bezig", "versie": "1",
                                                                  "notitie": "Datum gevonden"}).status_code == 200
    assert notes()[-1]["notitie"] == "Datum gevonden" and notes()[-1]["van"] == notes()[-1]["naar"] == "bezig"
    assert voorzitter.post_form(f"/acties/{ov.van_clb}/status", {"status": "bezig", "versie": "2"}).status_code == 200
    assert len(notes()) == 1  # nothing changed, nothing to record


def test_the_privacy_guard_refuses_a_note_that_may_identify_someone_until_confirmed(partner, ov):  # noqa: F811
    note = "Gebeld met de mama op 0470 12 34 56"
    refused = partner.post_form(f"/acties/{ov.te_laat}/status", {"status": "bezig", "versie": "1", "notitie": note})
    assert refused.status_code == 422 and "persoonsgegevens" in refused.text
    assert f'value="{note}"' in refused.text and 'name="bevestig"' in refused.text
    assert notes() == [] and sync(Actie.select(Actie.status).where(Actie.id == ov.te_laat).first())["status"] == "open"
    confirmed = partner.post_form(f"/acties/{ov.te_laat}/status", {"status": "bezig", "versie": "1", "notitie": note,
                                                                    "bevestig": "1"})
    assert confirmed.status_code == 200 and notes()[0]["notitie"] == note
    stored = sync(ActieHistoriek.select(ActieHistoriek.persoonsgegevens).first())["persoonsgegevens"]
    assert "0470" in str(stored)


@pytest.mark.parametrize("note", ["x" * 501, "é" * 600])
def test_a_long_note_is_refused(partner, ov, note):  # noqa: F811
    response = partner.post_form(f"/acties/{ov.te_laat}/status", {"status": "bezig", "versie": "1", "notitie": note})
    assert response.status_code == 422 and "hoogstens 500 tekens" in response.text and notes() == []


@pytest.mark.parametrize(("name", "code"), [("werker", 403), ("coordinator", 403), ("werker2", 404),
                                            ("beheerder", 404)])
def test_no_note_from_who_may_not_update(personas, ov, name, code):  # noqa: F811
    response = personas[name].post_form(f"/acties/{ov.te_laat}/status", {"status": "klaar", "versie": "1",
                                                                          "notitie": "Klaar"})
    assert response.status_code == code and notes() == []


def test_a_partner_notes_nothing_on_another_partners_action(partner, ov):  # noqa: F811
    assert partner.post_form(f"/acties/{ov.van_clb}/status", {"status": "klaar", "versie": "1",
                                                              "notitie": "x"}).status_code == 403
    assert notes() == []


def test_the_api_takes_the_note_too_and_refuses_a_non_text(partner, ov):  # noqa: F811
    bad = partner.api("POST", f"/api/v1/acties/{ov.te_laat}/status", json={"status": "bezig", "versie": 1,
                                                                           "notitie": ["x"]})
    assert bad.status_code == 422 and bad.json()["fields"]["notitie"] == "Geef de notitie als tekst."
    refused = partner.api("POST", f"/api/v1/acties/{ov.te_laat}/status",
                          json={"status": "bezig", "versie": 1, "notitie": "Mail naar jan.peeters@example.com"})
    assert refused.status_code == 422 and refused.json()["persoonsgegevens"] and notes() == []
    done = partner.api("POST", f"/api/v1/acties/{ov.te_laat}/status",
                       json={"status": "bezig", "versie": 1, "notitie": "Gestart", "bevestig_persoonsgegevens": True})
    assert done.status_code == 200 and notes()[0]["notitie"] == "Gestart"


def test_the_demo_shows_a_progress_note_on_acties(app):
    from piccolo.apps.user.tables import BaseUser

    from admin.demo import load_foundation
    from admin.tables import Gemeente, Organisatie
    from overleg.overleggen.demo import load_overleg
    from signalen.demo import load_signalen
    from tests.support import World, login_as

    assert sync(load_foundation()) and sync(load_signalen()) and sync(load_overleg())
    users = {row["username"]: row["id"] for row in sync(BaseUser.select(BaseUser.id, BaseUser.username))}
    gemeenten = {row["slug"]: row["id"] for row in sync(Gemeente.select(Gemeente.id, Gemeente.slug))}
    world = World(sync(Organisatie.select(Organisatie.id).first())["id"], gemeenten, users)
    page = login_as(app, world, "partner").get("/acties/").text
    assert "Eerste gesprek met het buurthuis gehad: woensdagavond lijkt haalbaar." in page and "Open → Bezig" in page
