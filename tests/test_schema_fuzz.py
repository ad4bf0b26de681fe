"""API fuzzing with schemathesis: every operation of /schema/openapi.json, called by a logged-in voorzitter with
the CSRF header a browser would send. No answer may be a 500, and every answer must match the schema (status code,
content type and body).

Bounded for CI: at most MAX_EXAMPLES generated cases per operation, derandomized (the same cases every run, so a
failure reproduces), with a per-case deadline.
"""

from __future__ import annotations

import datetime as dt

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from tests.support import login_as, portal  # noqa: E402

MAX_EXAMPLES = 20
DEADLINE = dt.timedelta(seconds=15)  # per case; PDFs on a busy 2-core CI machine take a few seconds

# Operations with a known defect in someone else's code: "METHOD /path" → reason (strict: a fix makes it fail,
# so the mark is removed together with the bug).
KNOWN: dict[str, str] = {
}

# Refusals JSON Schema cannot express: a rule over two fields (a period that ends before it starts). The schema
# allows each value alone, so schemathesis counts the 400 as "valid data rejected"; the answer is still checked
# against the schema, and any other refusal of valid data still fails.
CROSS_FIELD = {("tot", "De einddatum ligt voor de begindatum.")}


def _cross_field_refusal(response) -> bool:
    if response.status_code != 400:
        return False
    try:
        fields = response.json().get("fields") or {}
    except ValueError:
        return False
    return bool(fields) and set(fields.items()) <= CROSS_FIELD


def _app():
    from app import create_app

    return create_app()


schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _app())


@pytest.fixture(scope="module", autouse=True)
def _the_runs_event_loop():
    """schemathesis calls the app in an event loop of its own, where every query opened a connection; it uses the
    run's loop instead (tests/support.py), which has the pool. Its lifespans stop here, while that loop still runs."""
    from schemathesis.python import asgi

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(asgi, "_PORTAL", portal())  # raises if a schemathesis upgrade renames it
        yield
        asgi.shutdown_lifespans()


@pytest.fixture
def logged_in(app, world, request):
    """Cookies and CSRF header of a logged-in voorzitter (of Mechelen)."""
    for operation, reason in KNOWN.items():
        if request.node.name.endswith(f"[{operation}]"):
            request.node.add_marker(pytest.mark.xfail(strict=True, reason=reason))
    persona = login_as(app, world, "voorzitter")
    token = persona.csrf()
    return {"cookies": {"id": persona.client.cookies.get("id"), "sw_csrftoken": token},
            "headers": {"x-csrf-token": token}}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=DEADLINE, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_the_api_keeps_its_schema_and_never_answers_500(case, logged_in):
    # A case that leaves out the session cookie or the CSRF header on purpose (the security schemes) is sent
    # without our credentials: it must be refused (401/403) like any client without them.
    credentials = {} if case.operation.schema.is_security_param_negated(case) else logged_in
    response = case.call(**credentials)
    excluded = [positive_data_acceptance] if _cross_field_refusal(response) else []
    case.validate_response(response, excluded_checks=excluded)


def test_the_schema_describes_the_public_contract():
    paths = schema.raw_schema["paths"]
    assert {"/api/v1/signalen", "/api/v1/signalen/{id}", "/api/v1/taxonomie"} <= set(paths)
    # Only the JSON API: HTML pages and forms (/meldingen, /antwoord/{token}, /notas/…) are not part of it.
    assert all(path.startswith("/api/v1/") for path in paths), sorted(p for p in paths if not p.startswith("/api/"))
    schemes = schema.raw_schema["components"]["securitySchemes"]
    assert schemes["sessie"] == {**schemes["sessie"], "type": "apiKey", "in": "cookie", "name": "id"}
    assert schemes["csrf"] == {**schemes["csrf"], "type": "apiKey", "in": "header", "name": "x-csrf-token"}
    assert schema.raw_schema["security"] == [{"sessie": []}]
    for path, item in paths.items():
        for method, operation in item.items():
            if method in ("post", "put", "patch", "delete"):
                assert operation["security"] == [{"sessie": [], "csrf": []}], (method, path)
                assert "403" in operation["responses"], (method, path)  # no CSRF header: 403
            assert "401" in operation["responses"], (method, path)  # no session: 401
    listing = {p["name"]: p["schema"] for p in paths["/api/v1/signalen"]["get"]["parameters"]}
    assert listing["pagina"] == {**listing["pagina"], "type": "integer", "minimum": 1}
    assert listing["per_pagina"] == {**listing["per_pagina"], "type": "integer", "minimum": 1, "maximum": 100}


def test_the_schema_declares_the_fields_a_body_needs():
    components = schema.raw_schema["components"]["schemas"]
    new_signal = components["SignaalNieuw"]
    assert {"gemeente", "titel", "omschrijving", "datum"} <= set(new_signal["required"])
    assert new_signal["properties"]["titel"]["type"] == "string" and "oneOf" not in new_signal["properties"]["titel"]
    assert new_signal["properties"]["datum"]["format"] == "date"
    decision = components["SuggestieBesluit"]["properties"]["signalen"]
    id_items = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    assert (decision["minItems"], decision["maxItems"], decision["items"]) == (1, 100, id_items)
    assert components["NotaNieuw"]["properties"]["adressaat"]["enum"] == ["college", "ocmw-raad", "bovenlokaal"]
    assert components["NotaSecties"]["additionalProperties"] is False
    assert components["NotaNieuw"]["properties"]["antwoord_gevraagd_tegen"]["oneOf"][0]["format"] == "date"


@pytest.mark.parametrize(("method", "path", "required"), [
    ("post", "/api/v1/acties", {"overleg", "wat", "lens"}),
    ("post", "/api/v1/acties/{actie_id}/status", {"status"}),
    ("put", "/api/v1/vergaderingen/{vergadering_id}/verslag", {"inhoud", "versie"}),
    ("post", "/api/v1/vergaderingen/{vergadering_id}/verslag/goedkeuren", {"goedgekeurd_in"}),
])
def test_a_handler_that_reads_its_own_json_still_documents_its_body(method, path, required):
    operation = schema.raw_schema["paths"][path][method]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["type"] == "object" and set(body["required"]) == required and body["additionalProperties"] is False
    assert {"400", "404", "422"} <= set(operation["responses"])


def test_a_handler_that_reads_its_own_json_answers_what_the_schema_refuses_in_dutch(voorzitter, world):
    from tests.overleg.test_agenda import make_overleg

    overleg = make_overleg(world)
    # The document is strict, the handler lenient: a string id or an unknown key still gets a Dutch answer per field.
    response = voorzitter.api("POST", "/api/v1/acties", json={"overleg": str(overleg), "wat": "", "lens": "x",
                                                              "deadline": "morgen", "extra": 1})
    assert response.status_code == 422
    assert response.json()["fields"] == {"wat": "Beschrijf wat er moet gebeuren.",
                                         "deadline": "Geef een geldige datum (jjjj-mm-dd).",
                                         "lens": "Kies een lens: preventie, versterking of bijschakelen."}
    assert voorzitter.api("POST", "/api/v1/acties", content=b"[1]",
                          headers={"content-type": "application/json"}).status_code == 400


def test_a_body_without_its_required_fields_still_gets_a_dutch_answer_per_field(voorzitter):
    response = voorzitter.api("POST", "/api/v1/dossiers", json={"gemeente": None, "titel": None})
    assert response.status_code == 422
    assert set(response.json()["fields"]) >= {"gemeente", "titel"}


class _Answer:
    def __init__(self, status: int, body: object) -> None:
        self.status_code, self._body = status, body

    def json(self) -> object:
        if isinstance(self._body, Exception):
            raise self._body
        return self._body


@pytest.mark.parametrize(("status", "body", "excused"), [
    (400, {"fields": {"tot": "De einddatum ligt voor de begindatum."}}, True),
    (400, {"fields": {"tot": "De einddatum ligt voor de begindatum.", "van": "Geen datum."}}, False),
    (400, {"fields": {}}, False),
    (422, {"fields": {"tot": "De einddatum ligt voor de begindatum."}}, False),
    (400, ValueError("no JSON"), False),
])
def test_only_a_rule_over_two_fields_excuses_refusing_valid_data(status, body, excused):
    assert _cross_field_refusal(_Answer(status, body)) is excused
