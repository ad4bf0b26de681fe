"""client_id: a signal queued offline is stored once however often it is sent (API and intake form).

The same client_id by the same author answers 200 with the stored signal; by another author 409; two sends at
once store one row. A client_id that is not 8–64 letters, digits, - or _ is refused with a Dutch field message.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from signalen import services
from signalen.tables import Signaal
from tests.signalen.test_api import API, body
from tests.support import current_user, sync


def cid() -> str:
    return str(uuid.uuid4())


def rows_with(client_id: str) -> list[dict]:
    return sync(Signaal.select(Signaal.id, Signaal.auteur, Signaal.titel).where(Signaal.client_id == client_id))


# ----------------------------------------------------------------------------- the API

def test_a_repeated_send_answers_200_with_the_signal_already_stored(werker):
    key = cid()
    first = werker.api("POST", API, json=body(client_id=key))
    assert first.status_code == 201, first.text
    again = werker.api("POST", API, json=body(client_id=key))
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.json()["client_id"] == key
    assert len(rows_with(key)) == 1


def test_a_repeat_with_other_text_still_returns_the_first_signal(werker):
    key = cid()
    first = werker.api("POST", API, json=body(client_id=key, titel="Eerste versie"))
    again = werker.api("POST", API, json=body(client_id=key, titel="Tweede poging"))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert [row["titel"] for row in rows_with(key)] == ["Eerste versie"]


def test_different_client_ids_store_different_signals(werker):
    a, b = (werker.api("POST", API, json=body(client_id=cid())) for _ in range(2))
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


def test_without_a_client_id_every_send_is_a_new_signal_as_before(werker):
    a = werker.api("POST", API, json=body())
    b = werker.api("POST", API, json=body(client_id=None))
    assert a.status_code == b.status_code == 201
    assert a.json()["client_id"] is None and sync(Signaal.count()) == 2


def test_another_persons_client_id_is_a_conflict(werker, coordinator):
    key = cid()
    assert werker.api("POST", API, json=body(client_id=key)).status_code == 201
    answer = coordinator.api("POST", API, json=body(client_id=key))
    assert answer.status_code == 409
    assert "iemand anders" in answer.json()["detail"]
    assert "titel" not in answer.json()  # nothing of the other person's signal
    assert len(rows_with(key)) == 1


def test_a_worker_of_another_gemeente_cannot_reuse_the_id_either(werker, werker2):
    key = cid()
    werker.api("POST", API, json=body(client_id=key))
    answer = werker2.api("POST", API, json=body(gemeente="hoeilaart", client_id=key))
    assert answer.status_code == 409
    assert len(rows_with(key)) == 1


@pytest.mark.parametrize("name", ["voorzitter", "coordinator"])
def test_other_register_roles_send_with_a_client_id_once(personas, name):
    key = cid()
    persona = personas[name]
    assert persona.api("POST", API, json=body(client_id=key)).status_code == 201
    assert persona.api("POST", API, json=body(client_id=key)).status_code == 200
    assert len(rows_with(key)) == 1


@pytest.mark.parametrize(("name", "status"), [("partner", 403), ("beheerder", 404), ("anonymous", 401)])
def test_who_may_not_register_stores_nothing_with_a_client_id(personas, name, status):
    key = cid()
    assert personas[name].api("POST", API, json=body(client_id=key)).status_code == status
    assert rows_with(key) == []


def test_a_known_client_id_tells_nothing_to_who_may_not_register(personas):
    key = cid()
    personas["werker"].api("POST", API, json=body(client_id=key))
    assert personas["anonymous"].api("POST", API, json=body(client_id=key)).status_code == 401


@pytest.mark.parametrize("bad", [
    "x" * 65, "kort", "<script>alert(1)</script>", "abc def ghij", "'; DROP TABLE signaal; --",
    "ééééééééé", "a/b/c/d/e/f", "\u200babcdefghij",
])
def test_a_bad_client_id_is_a_dutch_field_error(werker, bad):
    answer = werker.api("POST", API, json=body(client_id=bad))
    assert answer.status_code == 422
    assert answer.json()["fields"]["client_id"].startswith("Ongeldige client_id")
    assert sync(Signaal.count()) == 0


def test_a_bad_client_id_is_reported_beside_the_other_field_errors(werker):
    answer = werker.api("POST", API, json=body(client_id="!", titel=""))
    assert answer.status_code == 422 and {"client_id", "titel"} <= set(answer.json()["fields"])


def test_a_client_id_that_is_not_text_is_a_400(werker):
    answer = werker.api("POST", API, json=body(client_id=12345678))
    assert answer.status_code == 400
    assert sync(Signaal.count()) == 0


def test_a_whitespace_client_id_counts_as_none(werker):
    answer = werker.api("POST", API, json=body(client_id="   "))
    assert answer.status_code == 201 and answer.json()["client_id"] is None


def test_missing_csrf_stores_nothing(werker):
    key = cid()
    answer = werker.client.post(API, json=body(client_id=key))
    assert answer.status_code == 403 and rows_with(key) == []


def test_a_flagged_text_is_refused_as_online_and_a_resend_after_confirming_stores_it_once(werker):
    key = cid()
    text = "Bel Yasmina op 0470 12 34 56 als het weer misloopt."
    flagged = werker.api("POST", API, json=body(client_id=key, omschrijving=text))
    assert flagged.status_code == 422
    kinds = {f["soort"] for f in flagged.json()["persoonsgegevens"]}
    assert "telefoon" in kinds and rows_with(key) == []
    confirmed = werker.api("POST", API, json=body(client_id=key, omschrijving=text, bevestig_persoonsgegevens=True))
    assert confirmed.status_code == 201
    assert werker.api("POST", API, json=body(client_id=key, omschrijving=text)).status_code == 200
    assert len(rows_with(key)) == 1


def test_a_flagged_text_replaced_is_stored_under_the_same_client_id(werker):
    key = cid()
    werker.api("POST", API, json=body(client_id=key, omschrijving="Bel 0470 12 34 56 als het weer misloopt."))
    replaced = werker.api("POST", API, json=body(client_id=key, omschrijving="Bel [telefoon] als het misloopt."))
    assert replaced.status_code == 201 and len(rows_with(key)) == 1


# ----------------------------------------------------------------------------- races

def test_a_send_that_lost_the_race_returns_the_row_of_the_winner(werker, monkeypatch):
    """The lookup saw nothing, yet the other send stored it first: the unique index refuses, the winner is returned."""
    key = cid()
    first = werker.api("POST", API, json=body(client_id=key)).json()
    real = services._stored_for
    calls = []

    async def blind_once(user, client_id):
        calls.append(client_id)
        return None if len(calls) == 1 else await real(user, client_id)

    monkeypatch.setattr(services, "_stored_for", blind_once)
    again = werker.api("POST", API, json=body(client_id=key))
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert len(calls) == 2 and len(rows_with(key)) == 1


def test_two_concurrent_sends_store_exactly_one_row(app, werker):
    key = cid()
    cookies = {"id": werker.client.cookies.get("id"), "sw_csrftoken": werker.csrf()}
    headers = {"x-csrf-token": cookies["sw_csrftoken"]}

    async def race() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local",
                                     cookies=cookies) as client:
            answers = await asyncio.gather(*(client.post(API, json=body(client_id=key), headers=headers)
                                             for _ in range(4)))
        return sorted(a.status_code for a in answers)

    from tests.support import portal

    codes = portal().call(race)
    assert codes.count(201) == 1 and codes.count(200) == 3, codes
    assert len(rows_with(key)) == 1


def test_the_service_returns_whether_it_stored(werker):
    user = current_user(werker)
    key = cid()
    data = {k: v for k, v in body().items()}
    _, created = sync(services.register_signaal(user, dict(data), client_id=key))
    _, again = sync(services.register_signaal(user, dict(data), client_id=key))
    assert (created, again) == (True, False)


# ----------------------------------------------------------------------------- the intake form

def form(**overrides) -> dict:
    data = body(**overrides)
    data["citaten"] = "\n".join(data["citaten"])
    data["aantal_jongeren"] = str(data["aantal_jongeren"])
    return data


def test_the_intake_form_carries_a_fresh_client_id(werker):
    page = werker.get("/signalen/nieuw").text
    assert 'name="client_id"' in page
    other = werker.get("/signalen/nieuw").text
    pick = lambda html: html.split('name="client_id" id="veld-client_id" value="', 1)[1].split('"', 1)[0]  # noqa: E731
    assert services.parse_client_id(pick(page)) == (pick(page), None) and pick(page) != pick(other)


def test_the_form_sent_twice_stores_one_signal_and_shows_it_both_times(werker):
    key = cid()
    first = werker.post_form("/signalen/nieuw", form(client_id=key), follow_redirects=False)
    again = werker.post_form("/signalen/nieuw", form(client_id=key), follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(rows_with(key)) == 1


def test_the_form_with_another_persons_client_id_keeps_the_text_and_stores_nothing_for_them(werker, coordinator):
    key = cid()
    werker.post_form("/signalen/nieuw", form(client_id=key))
    answer = coordinator.post_form("/signalen/nieuw", form(client_id=key, titel="Mijn eigen titel"))
    assert answer.status_code == 409
    assert "Mijn eigen titel" in answer.text and "iemand anders" in answer.text
    assert len(rows_with(key)) == 1


def test_the_form_refuses_a_bad_client_id_in_dutch(werker):
    answer = werker.post_form("/signalen/nieuw", form(client_id="<b>x</b>"))
    assert answer.status_code == 422 and "Ongeldige client_id" in answer.text
    assert "<b>x</b>" not in answer.text
    assert sync(Signaal.count()) == 0


def test_the_edit_form_has_no_client_id(werker):
    signaal = werker.api("POST", API, json=body(client_id=cid())).json()
    assert 'name="client_id"' not in werker.get(f"/signalen/{signaal['id']}/bewerken").text
