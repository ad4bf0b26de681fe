"""The overleg pages: the user's overleggen, one overleg with its partners and members; the chair manages them.
Per persona, with bad input."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from overleg.tables import Actie, Overleg, Overleglid, Partner
from tests.support import sync


@pytest.fixture
def ov(world):
    async def build():
        mechelen = Overleg(gemeente=world.gemeenten["mechelen"], naam="Jeugdwelzijnsoverleg Mechelen",
                           omschrijving="Wij **versterken** elkaar.")
        hoeilaart = Overleg(gemeente=world.gemeenten["hoeilaart"], naam="Jeugdwelzijnsoverleg Hoeilaart")
        for row in (mechelen, hoeilaart):
            await row.save()
        caw = Partner(overleg=mechelen.id, naam="CAW Boom Mechelen Lier", soort="caw", netwerken="Kinderarmoede")
        clb = Partner(overleg=mechelen.id, naam="CLB Mechelen", soort="clb")
        vreemd = Partner(overleg=hoeilaart.id, naam="OCMW Hoeilaart", soort="ocmw")
        for row in (caw, clb, vreemd):
            await row.save()
        await Overleglid(overleg=mechelen.id, user=world.users["partner"], partner=caw.id, rol="partner").save()
        return SimpleNamespace(mechelen=mechelen.id, hoeilaart=hoeilaart.id, caw=caw.id, clb=clb.id,
                               vreemd=vreemd.id)

    return sync(build())


def _overleg(overleg_id: int) -> dict:
    return sync(Overleg.select().where(Overleg.id == overleg_id).first().output(load_json=True))


EDIT = {"naam": "Jeugdwelzijnsoverleg Mechelen-Noord", "omschrijving": "Nieuw", "functies": ["forum", "actie"],
        "werkernamen_in_nota": "1"}


# ---------------------------------------------------------------- the pages per persona

@pytest.mark.parametrize(("name", "code"), [("werker", 200), ("werker2", 200), ("voorzitter", 200),
                                            ("partner", 200), ("coordinator", 200), ("beheerder", 404)])
def test_the_list_shows_only_the_users_overleggen(personas, ov, name, code):
    page = personas[name].get("/overleg/")
    assert page.status_code == code
    if code == 200:
        assert ("Jeugdwelzijnsoverleg Mechelen" in page.text) == (name != "werker2")
        assert ("Jeugdwelzijnsoverleg Hoeilaart" in page.text) == (name == "werker2")


@pytest.mark.parametrize(("name", "code"), [("werker", 200), ("werker2", 404), ("voorzitter", 200),
                                            ("partner", 200), ("coordinator", 200), ("beheerder", 404)])
def test_the_detail_page_per_persona(personas, ov, name, code):
    page = personas[name].get(f"/overleg/{ov.mechelen}")
    assert page.status_code == code
    if code == 200:
        assert "CAW Boom Mechelen Lier" in page.text and "CLB Mechelen" in page.text
        assert "<strong>versterken</strong>" in page.text
        assert "Partner Test" in page.text  # the member, linked to CAW
        assert ("Partner toevoegen" in page.text) == (name == "voorzitter")
        assert (f'action="/overleg/{ov.mechelen}/leden"' in page.text) == (name == "voorzitter")


def test_anonymous_is_sent_to_login(anonymous, ov):
    for url in ("/overleg/", f"/overleg/{ov.mechelen}"):
        response = anonymous.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login/")


@pytest.mark.parametrize("bad_id", ["abc", "0", "99999999", "99999999999", "1;DROP TABLE overleg"])
def test_unknown_ids_are_not_found(voorzitter, ov, bad_id):
    assert voorzitter.get(f"/overleg/{bad_id}").status_code == 404


def test_a_foreign_overleg_is_not_found(voorzitter, ov):
    assert voorzitter.get(f"/overleg/{ov.hoeilaart}").status_code == 404
    assert voorzitter.post_form(f"/overleg/{ov.hoeilaart}", EDIT).status_code == 404


# ---------------------------------------------------------------- the chair edits

def test_the_chair_edits_the_overleg(voorzitter, ov):
    response = voorzitter.post_form(f"/overleg/{ov.mechelen}", EDIT)
    assert response.status_code == 200 and "Het overleg is bijgewerkt." in response.text
    row = _overleg(ov.mechelen)
    assert row["naam"] == EDIT["naam"] and row["functies"] == ["forum", "actie"]
    assert row["werkernamen_in_nota"] is True
    voorzitter.post_form(f"/overleg/{ov.mechelen}", {**EDIT, "werkernamen_in_nota": ""})
    assert _overleg(ov.mechelen)["werkernamen_in_nota"] is False


def test_worker_names_stay_out_of_notas_by_default(ov):
    assert _overleg(ov.mechelen)["werkernamen_in_nota"] is False


@pytest.mark.parametrize(("overrides", "message"), [
    ({"naam": "   "}, "Geef een naam."),
    ({"naam": "x" * 201}, "hoogstens 200 tekens"),
    ({"functies": []}, "Kies minstens één functie"),
    ({"functies": ["forum", "lobby"]}, "Kies minstens één functie"),
    ({"omschrijving": "y" * 5001}, "hoogstens 5000 tekens"),
])
def test_bad_overleg_input_is_refused_in_dutch(voorzitter, ov, overrides, message):
    response = voorzitter.post_form(f"/overleg/{ov.mechelen}", {**EDIT, **overrides})
    assert response.status_code == 422 and message in response.text
    assert _overleg(ov.mechelen)["naam"] == "Jeugdwelzijnsoverleg Mechelen"


@pytest.mark.parametrize(("name", "code"), [("partner", 403), ("werker", 403), ("coordinator", 403),
                                            ("werker2", 404), ("beheerder", 404)])
def test_only_the_chair_edits(personas, ov, name, code):
    assert personas[name].post_form(f"/overleg/{ov.mechelen}", EDIT).status_code == code
    assert personas[name].post_form(f"/overleg/{ov.mechelen}/partners", {"naam": "VDAB"}).status_code == code
    assert _overleg(ov.mechelen)["naam"] == "Jeugdwelzijnsoverleg Mechelen"
    assert sync(Partner.count().where(Partner.overleg == ov.mechelen)) == 2


def test_the_chair_adds_a_partner(voorzitter, partner, ov):
    response = voorzitter.post_form(f"/overleg/{ov.mechelen}/partners", {
        "naam": "Jeugddienst Mechelen", "soort": "jeugddienst", "netwerken": "Jeugdraad"})
    assert response.status_code == 200 and "Jeugddienst Mechelen is toegevoegd." in response.text
    row = sync(Partner.select().where(Partner.naam == "Jeugddienst Mechelen").first())
    assert row["overleg"] == ov.mechelen and row["soort"] == "jeugddienst" and row["netwerken"] == "Jeugdraad"
    assert "Jeugddienst Mechelen" in partner.get(f"/overleg/{ov.mechelen}").text


@pytest.mark.parametrize(("data", "message"), [
    ({"naam": ""}, "Geef een naam."),
    ({"naam": "VDAB", "soort": "bank"}, "Kies een soort uit de lijst."),
    ({"naam": "CLB Mechelen", "soort": "clb"}, "zit al in het overleg"),
])
def test_bad_partner_input_is_refused(voorzitter, ov, data, message):
    response = voorzitter.post_form(f"/overleg/{ov.mechelen}/partners", data)
    assert response.status_code == 422 and message in response.text
    assert sync(Partner.count().where(Partner.overleg == ov.mechelen)) == 2


def test_the_chair_renames_and_removes_a_partner(voorzitter, ov):
    url = f"/overleg/{ov.mechelen}/partners/{ov.clb}"
    assert voorzitter.post_form(url, {"naam": "CLB Mechelen-Noord", "soort": "clb"}).status_code == 200
    assert sync(Partner.select(Partner.naam).where(Partner.id == ov.clb).first())["naam"] == "CLB Mechelen-Noord"
    response = voorzitter.post_form(url + "/verwijderen")
    assert response.status_code == 200 and "is verwijderd" in response.text
    assert not sync(Partner.exists().where(Partner.id == ov.clb))


def test_a_partner_with_actions_is_kept(voorzitter, ov):
    sync(Actie(overleg=ov.mechelen, partner=ov.caw, wat="Outreach", lens="preventie").save())
    response = voorzitter.post_form(f"/overleg/{ov.mechelen}/partners/{ov.caw}/verwijderen")
    assert response.status_code == 409 and "kan daarom niet verwijderd worden" in response.text
    assert sync(Partner.exists().where(Partner.id == ov.caw))


def test_a_partner_of_another_overleg_is_not_found(voorzitter, ov):
    url = f"/overleg/{ov.mechelen}/partners/{ov.vreemd}"
    assert voorzitter.post_form(url, {"naam": "Gekaapt"}).status_code == 404
    assert voorzitter.post_form(url + "/verwijderen").status_code == 404
    assert sync(Partner.exists().where(Partner.id == ov.vreemd))


def test_the_chair_links_members_to_partners(voorzitter, world, ov):
    url = f"/overleg/{ov.mechelen}/leden"
    response = voorzitter.post_form(url, {"lid": str(world.users["partner"]), "partner": str(ov.clb)})
    assert response.status_code == 200 and "zit in het overleg voor CLB Mechelen" in response.text
    rows = sync(Overleglid.select().where(Overleglid.user == world.users["partner"]))
    assert [(r["partner"], r["rol"]) for r in rows] == [(ov.clb, "partner")]
    voorzitter.post_form(url, {"lid": str(world.users["voorzitter"]), "partner": str(ov.caw)})
    chair = sync(Overleglid.select().where(Overleglid.user == world.users["voorzitter"]).first())
    assert chair["partner"] == ov.caw and chair["rol"] == "voorzitter"
    voorzitter.post_form(url, {"lid": str(world.users["partner"]), "partner": ""})
    assert sync(Overleglid.select().where(Overleglid.user == world.users["partner"]).first())["partner"] is None


def test_only_partners_and_chairs_of_the_gemeente_can_be_linked(voorzitter, world, ov):
    url = f"/overleg/{ov.mechelen}/leden"
    for name in ("werker", "werker2", "beheerder"):
        response = voorzitter.post_form(url, {"lid": str(world.users[name]), "partner": str(ov.caw)})
        assert response.status_code == 422 and "rol partner of voorzitter" in response.text
    assert voorzitter.post_form(url, {"lid": str(world.users["partner"]), "partner": str(ov.vreemd)}).status_code == 404
    assert sync(Overleglid.count()) == 1


def test_a_partner_cannot_link_members(partner, world, ov):
    response = partner.post_form(f"/overleg/{ov.mechelen}/leden", {"lid": str(world.users["partner"]),
                                                                   "partner": str(ov.clb)})
    assert response.status_code == 403


def test_forms_without_csrf_change_nothing(voorzitter, ov):
    voorzitter.csrf()
    assert voorzitter.client.post(f"/overleg/{ov.mechelen}", data=EDIT).status_code == 403
    assert voorzitter.client.post(f"/overleg/{ov.mechelen}/partners", data={"naam": "VDAB"}).status_code == 403
    assert _overleg(ov.mechelen)["naam"] == "Jeugdwelzijnsoverleg Mechelen"


def test_markup_in_the_description_and_names_is_sanitised(voorzitter, werker, ov):
    voorzitter.post_form(f"/overleg/{ov.mechelen}", {
        **EDIT, "naam": "<b>Overleg</b>", "omschrijving": "<script>alert(1)</script> [klik](javascript:alert(1))"})
    voorzitter.post_form(f"/overleg/{ov.mechelen}/partners", {"naam": "<img src=x onerror=alert(1)>"})
    page = werker.get(f"/overleg/{ov.mechelen}").text
    assert "<script>alert" not in page and "javascript:" not in page and "<img src=x" not in page
    assert "&lt;b&gt;Overleg&lt;/b&gt;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ---------------------------------------------------------------- creating an overleg

def test_the_chair_starts_an_overleg_where_none_exists(world, voorzitter, ov):
    sync(Overleg.delete().where(Overleg.id == ov.mechelen))
    page = voorzitter.get("/overleg/")
    assert "Een overleg opstarten" in page.text
    response = voorzitter.post_form("/overleg/", {**EDIT, "gemeente": "mechelen"})
    assert response.status_code == 200 and "Het overleg is aangemaakt." in response.text
    rows = sync(Overleg.select().where(Overleg.gemeente == world.gemeenten["mechelen"]))
    assert len(rows) == 1 and rows[0]["naam"] == EDIT["naam"]
    assert sync(Overleglid.exists().where((Overleglid.overleg == rows[0]["id"])
                                          & (Overleglid.user == world.users["voorzitter"])))
    assert "Een overleg opstarten" not in voorzitter.get("/overleg/").text
    again = voorzitter.post_form("/overleg/", {**EDIT, "gemeente": "mechelen"})
    assert again.status_code == 409 and "heeft al een overleg" in again.text


def test_creating_an_overleg_needs_the_chair(personas, ov):
    sync(Overleg.delete().where(Overleg.id == ov.mechelen))
    assert "Een overleg opstarten" not in personas["partner"].get("/overleg/").text
    assert personas["partner"].post_form("/overleg/", {**EDIT, "gemeente": "mechelen"}).status_code == 403
    assert personas["werker2"].post_form("/overleg/", {**EDIT, "gemeente": "mechelen"}).status_code == 404
    assert personas["voorzitter"].post_form("/overleg/", {**EDIT, "gemeente": "leuven"}).status_code == 404
    bad = personas["voorzitter"].post_form("/overleg/", {**EDIT, "gemeente": "mechelen", "naam": ""})
    assert bad.status_code == 422 and "Geef een naam." in bad.text
    assert sync(Overleg.count()) == 1


# ---------------------------------------------------------------- the API

@pytest.mark.parametrize(("name", "names"), [
    ("werker", ["Jeugdwelzijnsoverleg Mechelen"]), ("werker2", ["Jeugdwelzijnsoverleg Hoeilaart"]),
    ("voorzitter", ["Jeugdwelzijnsoverleg Mechelen"]), ("partner", ["Jeugdwelzijnsoverleg Mechelen"]),
    ("coordinator", ["Jeugdwelzijnsoverleg Mechelen"]), ("beheerder", []),
])
def test_the_api_lists_the_users_overleggen(personas, ov, name, names):
    body = personas[name].get("/api/v1/overleggen").json()
    assert [item["naam"] for item in body["items"]] == names and body["totaal"] == len(names)
    if name == "partner":
        assert {p["naam"] for p in body["items"][0]["partners"]} == {"CAW Boom Mechelen Lier", "CLB Mechelen"}


def test_the_api_needs_a_login(anonymous, ov):
    assert anonymous.get("/api/v1/overleggen").status_code == 401
