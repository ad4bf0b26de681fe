"""Bundling suggestions: realistic signals are grouped with a Dutch reason, accepted in one click, and a rejected
pairing is never proposed again. API and pages, per persona."""

from __future__ import annotations

import datetime as dt

import pytest

from overleg.tables import Afwijzing, Dossier
from signalen.tables import Signaal
from tests.support import make_signaal, sync

API = "/api/v1/dossiers/suggesties"
DAY = dt.date(2025, 5, 1)

BUS = [
    ("Laatste bus naar huis vertrekt te vroeg", "Na de training in de sporthal is er geen bus meer naar huis. "
                                                "De laatste bus vertrekt al om 21 uur.", "Station"),
    ("Geen bus meer na 21 uur", "Jongeren van de voetbalclub missen de laatste bus en moeten te voet naar huis.",
     "Station"),
    ("Laatste bus te vroeg voor jobstudenten", "Wie tot sluitingstijd werkt, haalt de laatste bus naar huis niet.",
     "Station"),
]
PLEK = [
    ("Geen ontmoetingsplek voor tieners in Nekkerspoel", "Tieners hebben geen ontmoetingsplek om samen te zitten "
                                                         "zonder iets te moeten kopen.", "Nekkerspoel"),
    ("Tieners weggestuurd van het plein", "Op het plein worden tieners weggestuurd; er is geen ontmoetingsplek.",
     "Nekkerspoel"),
    ("Nood aan een overdekte ontmoetingsplek", "Als het regent hebben de tieners geen ontmoetingsplek in de wijk.",
     "Nekkerspoel"),
]

OTHER = [  # what else a gemeente hears: nothing to do with buses or meeting places
    ("Pesten via de groepschat van de klas", "Leerlingen worden uitgesloten in de klasgroep op Snapchat.", "Campus"),
    ("Geen vakantiewerk zonder rijbewijs", "Wie geen rijbewijs heeft, vindt in de regio geen vakantiewerk.", ""),
    ("Zaalhuur te duur voor een straatvoetbalploeg", "Een ploeg zonder vereniging kan de huur van de zaal niet "
                                                     "betalen.", "Sportcentrum"),
    ("Slapeloosheid en stress rond de examens", "Veel leerlingen slapen slecht en zoeken iemand om mee te praten.", ""),
    ("Kapotte verlichting in het park", "Het pad door het park is 's avonds donker en voelt onveilig.", "Park"),
    ("Wachtlijst bij de jeugdhulp", "Een eerste gesprek met een hulpverlener laat maanden op zich wachten.", ""),
]


def realistic(persona, other: bool = True) -> tuple[list[int], list[int]]:
    """Three signals about the last bus, three about a meeting place and (by default) six about other things."""
    for i, (t, o, p) in enumerate(OTHER if other else []):
        make_signaal(persona, titel=t, omschrijving=o, plek=p, signaaltype="mentaal-welzijn", levensdomein="welzijn",
                     datum=(DAY - dt.timedelta(days=20 * i)).isoformat(), citaten=[])
    bus = [make_signaal(persona, titel=t, omschrijving=o, plek=p, signaaltype="mobiliteit", levensdomein="vrije-tijd",
                        datum=(DAY + dt.timedelta(days=i)).isoformat())["id"] for i, (t, o, p) in enumerate(BUS)]
    plek = [make_signaal(persona, titel=t, omschrijving=o, plek=p, datum=(DAY + dt.timedelta(days=i)).isoformat())["id"]
            for i, (t, o, p) in enumerate(PLEK)]
    return bus, plek


def groups(persona) -> list[dict]:
    response = persona.get(f"{API}?gemeente=mechelen")
    assert response.status_code == 200, response.text
    return response.json()["nieuw"]


def test_the_api_proposes_the_two_groups_with_a_dutch_reason(personas):
    bus, plek = realistic(personas["werker"])
    found = personas["voorzitter"].get(f"{API}?gemeente=mechelen").json()
    assert found["bestaande"] == []
    proposed = {frozenset(g["signalen"]) for g in found["nieuw"]}
    assert frozenset(bus) in proposed and frozenset(plek) in proposed
    titles = {t for t, _, _ in BUS + PLEK + OTHER}
    for group in found["nieuw"]:  # the need, in one member's own title, comes first
        assert group["reden"].split(";")[0].removeprefix("Zelfde nood: ") in titles and group["titel_voorstel"]
    bus_group = next(g for g in found["nieuw"] if set(g["signalen"]) == set(bus))
    assert "gedeelde kernwoorden: bus" in bus_group["reden"] and "3 keer Station" in bus_group["reden"]


def test_a_small_gemeente_with_six_signals_gets_both_groups(personas):
    bus, plek = realistic(personas["werker"], other=False)
    proposed = {frozenset(g["signalen"]) for g in groups(personas["voorzitter"])}
    assert frozenset(bus) in proposed and frozenset(plek) in proposed


def test_accepting_a_new_group_creates_the_dossier_and_it_is_not_proposed_again(personas):
    bus, plek = realistic(personas["werker"])
    chair = personas["voorzitter"]
    group = next(g for g in groups(chair) if set(g["signalen"]) == set(bus))
    response = chair.api("POST", f"{API}/aanvaarden", json={"gemeente": "mechelen", "signalen": group["signalen"],
                                                             "titel": group["titel_voorstel"]})
    assert response.status_code == 201, response.text
    dossier = response.json()
    assert dossier["titel"] == group["titel_voorstel"] and sorted(dossier["signalen"]) == sorted(bus)
    assert {r["status"] for r in sync(Signaal.select(Signaal.status).where(Signaal.id.is_in(bus)))} == {"gebundeld"}
    assert all(set(g["signalen"]) != set(bus) for g in groups(chair))


def test_a_new_signal_that_fits_an_open_dossier_is_proposed_for_it(personas):
    bus, _ = realistic(personas["werker"])
    chair = personas["voorzitter"]
    dossier = chair.api("POST", "/api/v1/dossiers", json={"gemeente": "mechelen", "titel": "Laatste bus te vroeg",
                                                          "signalen": bus}).json()
    late = make_signaal(personas["werker"], titel="Laatste bus vertrekt te vroeg na de jeugdbeweging",
                        omschrijving="Na de vergadering van de jeugdbeweging rijdt er geen bus meer naar huis.",
                        plek="Station", signaaltype="mobiliteit", datum=DAY.isoformat())
    found = chair.get(f"{API}?gemeente=mechelen").json()
    assert {"dossier": dossier["id"], "signalen": [late["id"]]}.items() <= {
        k: v for k, v in found["bestaande"][0].items() if k in ("dossier", "signalen")}.items()
    reden = found["bestaande"][0]["reden"]
    assert reden.split(";")[0] in {f"Zelfde nood als „{t}” in het dossier" for t, _, _ in BUS}, reden
    assert "gedeelde kernwoorden met het dossier: " in reden and "bus" in reden
    accepted = chair.api("POST", f"{API}/aanvaarden", json={"gemeente": "mechelen", "signalen": [late["id"]],
                                                             "dossier": dossier["id"]})
    assert accepted.status_code == 201 and late["id"] in accepted.json()["signalen"]


def test_a_rejected_group_is_not_proposed_again(personas):
    bus, plek = realistic(personas["werker"])
    chair = personas["voorzitter"]
    rejected = chair.api("POST", f"{API}/afwijzen", json={"gemeente": "mechelen", "signalen": plek})
    assert rejected.status_code == 200 and rejected.json() == {"opgeslagen": 3}
    assert sync(Afwijzing.count()) == 3
    for group in groups(chair):
        assert len(set(group["signalen"]) & set(plek)) <= 1
    assert any(set(g["signalen"]) == set(bus) for g in groups(chair))
    again = chair.api("POST", f"{API}/afwijzen", json={"gemeente": "mechelen", "signalen": plek})
    assert again.json() == {"opgeslagen": 0}


def test_a_rejected_match_with_a_dossier_is_not_proposed_again(personas):
    bus, _ = realistic(personas["werker"])
    chair = personas["voorzitter"]
    dossier = chair.api("POST", "/api/v1/dossiers", json={"gemeente": "mechelen", "titel": "Laatste bus te vroeg",
                                                          "signalen": bus[:2]}).json()
    found = chair.get(f"{API}?gemeente=mechelen").json()["bestaande"]
    assert found and found[0]["signalen"] == [bus[2]]
    assert chair.api("POST", f"{API}/afwijzen", json={"gemeente": "mechelen", "signalen": [bus[2]],
                                                      "dossier": dossier["id"]}).status_code == 200
    assert all(m["dossier"] != dossier["id"] for m in chair.get(f"{API}?gemeente=mechelen").json()["bestaande"])


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 200),
                                              ("partner", 403), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 401)])
def test_only_the_chair_gets_suggestions(personas, name, status):
    realistic(personas["werker"])
    assert personas[name].get(f"{API}?gemeente=mechelen").status_code == status


@pytest.mark.parametrize(("name", "status"), [("werker", 403), ("werker2", 404), ("voorzitter", 303),
                                              ("partner", 403), ("coordinator", 403), ("beheerder", 404),
                                              ("anonymous", 303)])
def test_only_the_chair_opens_and_decides_on_the_suggestion_page(personas, name, status):
    bus, _ = realistic(personas["werker"])
    persona = personas[name]
    page = persona.get("/dossiers/suggesties?gemeente=mechelen", follow_redirects=False)
    assert page.status_code == (200 if status == 303 and name == "voorzitter" else status)
    response = persona.post_form("/dossiers/suggesties/afwijzen", {"gemeente": "mechelen",
                                                                   "signalen": [str(i) for i in bus]},
                                 follow_redirects=False)
    assert response.status_code == status
    assert sync(Afwijzing.count()) == (3 if name == "voorzitter" else 0)


def test_the_page_shows_reasons_and_one_click_forms_that_work_without_js(personas):
    bus, plek = realistic(personas["werker"])
    chair = personas["voorzitter"]
    page = chair.get("/dossiers/suggesties").text  # the chair of one gemeente needs no parameter
    assert "Bundelvoorstellen voor Mechelen" in page and "Waarom:" in page and "Zelfde nood: " in page
    assert page.count('action="/dossiers/suggesties/aanvaarden"') >= 2 and 'name="_csrf_token"' in page
    assert all(f'href="/signalen/{i}"' in page for i in bus + plek)
    accepted = chair.post_form("/dossiers/suggesties/aanvaarden", {
        "gemeente": "mechelen", "signalen": [str(i) for i in plek], "titel": "Ontmoetingsplekken voor tieners"})
    made = sync(Dossier.select(Dossier.id, Dossier.titel).first())
    assert made["titel"] == "Ontmoetingsplekken voor tieners"
    assert accepted.status_code == 200
    assert f"Dossier ‘Ontmoetingsplekken voor tieners’ gemaakt met {len(plek)} signalen." in accepted.text
    assert f'<a href="/dossiers/{made["id"]}">Naar het dossier</a>' in accepted.text
    rejected = chair.post_form("/dossiers/suggesties/afwijzen", {"gemeente": "mechelen",
                                                                 "signalen": [str(i) for i in bus]})
    assert "niet meer voorgesteld" in rejected.text
    assert all(len(set(g["signalen"]) & set(bus)) <= 1 for g in groups(chair))


def test_bad_decisions_are_refused(personas):
    bus, _ = realistic(personas["werker"])
    foreign = make_signaal(personas["werker2"], gemeente="hoeilaart")["id"]
    chair = personas["voorzitter"]
    mixed = chair.api("POST", f"{API}/aanvaarden", json={"gemeente": "mechelen", "signalen": [bus[0], foreign]})
    assert mixed.status_code == 422 and sync(Dossier.count()) == 0
    single = chair.api("POST", f"{API}/afwijzen", json={"gemeente": "mechelen", "signalen": [bus[0]]})
    assert single.status_code == 422
    assert chair.api("POST", f"{API}/afwijzen", json={"gemeente": "hoeilaart", "signalen": bus}).status_code == 404
    assert chair.api("POST", f"{API}/afwijzen", json={"gemeente": "mechelen", "signalen": bus,
                                                      "dossier": 999999}).status_code == 404
    chair.csrf()
    assert chair.client.post(f"{API}/afwijzen", json={"gemeente": "mechelen", "signalen": bus}).status_code == 403
    assert chair.client.post("/dossiers/suggesties/aanvaarden", data={"gemeente": "mechelen",
                                                                     "signalen": [str(i) for i in bus]}
                             ).status_code == 403
    assert sync(Afwijzing.count()) == 0 and sync(Dossier.count()) == 0


def test_markup_in_signals_is_shown_as_text_on_the_suggestion_page(personas):
    for i in range(2):
        make_signaal(personas["werker"], titel=f"<script>alert({i})</script> laatste bus te vroeg",
                     omschrijving="De laatste bus naar huis vertrekt te vroeg.", plek="<b>Station</b>")
    page = personas["voorzitter"].get("/dossiers/suggesties?gemeente=mechelen").text
    assert "<script>alert" not in page and "<b>Station" not in page and "&lt;script&gt;" in page


def test_a_signal_taken_out_of_a_dossier_is_not_proposed_for_it_again(personas):
    bus, _ = realistic(personas["werker"])
    chair = personas["voorzitter"]
    dossier = chair.api("POST", "/api/v1/dossiers", json={"gemeente": "mechelen", "titel": "Laatste bus te vroeg",
                                                          "signalen": bus}).json()
    found = chair.get(f"{API}?gemeente=mechelen").json()
    assert all(m["dossier"] != dossier["id"] for m in found["bestaande"])  # nothing left to propose yet
    response = chair.api("DELETE", f"/api/v1/dossiers/{dossier['id']}/signalen/{bus[0]}")
    assert response.status_code == 200, response.text
    found = chair.get(f"{API}?gemeente=mechelen").json()
    # It fits the dossier by its words and meaning, but a person took it out: not proposed there again.
    assert all(bus[0] not in m["signalen"] for m in found["bestaande"] if m["dossier"] == dossier["id"])
    assert sync(Signaal.select(Signaal.status, Signaal.dossier).where(Signaal.id == bus[0])) == [
        {"status": "nieuw", "dossier": None}]  # unbundled again: it could be proposed, just not there


def test_suggestions_use_and_keep_the_signals_meaning(personas):
    bus, plek = realistic(personas["werker"])
    sync(Signaal.update({Signaal.betekenis: None}).where(Signaal.id.is_in(bus + plek)))
    assert groups(personas["voorzitter"])
    stored = sync(Signaal.select(Signaal.betekenis).where(Signaal.id.is_in(bus + plek)))
    assert all(row["betekenis"] for row in stored)  # embedded once by the first run, then read back

