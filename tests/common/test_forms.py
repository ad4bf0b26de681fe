"""The one page-form pattern: a refused form comes back with its errors and the right status."""

from common.errors import Conflict, FieldErrors
from common.forms import form_error_response


def test_field_errors_give_fields_and_422() -> None:
    response = form_error_response("x.html", {"data": {"titel": ""}, "fields": {}},
                                   FieldErrors({"titel": "Geef een titel."}))
    assert response.status_code == 422
    assert response.context == {"data": {"titel": ""}, "fields": {"titel": "Geef een titel."}, "persoonsgegevens": []}


def test_field_errors_carry_the_guards_findings_for_the_confirmation() -> None:
    found = [{"soort": "telefoon", "tekst": "0470 12 34 56", "veld": "tekst"}]
    response = form_error_response("x.html", {}, FieldErrors({"tekst": "Mogelijk persoonsgegevens."},
                                                             extra={"persoonsgegevens": found}))
    assert response.context["persoonsgegevens"] == found


def test_a_field_error_with_another_status_is_still_a_form_refusal() -> None:
    response = form_error_response("x.html", {}, FieldErrors({"gemeente": "Kies de gemeente."}, status_code=400))
    assert response.status_code == 422


def test_conflict_gives_huidig_jouw_and_409() -> None:
    exc = Conflict("Intussen gewijzigd.", huidig={"versie": 3}, jouw={"titel": "mijn"})
    response = form_error_response("x.html", {"data": {}}, exc)
    assert response.status_code == 409
    assert response.context == {"data": {}, "huidig": {"versie": 3}, "jouw": {"titel": "mijn"}}


def test_the_page_may_pass_a_fresher_huidig() -> None:
    exc = Conflict("Intussen gewijzigd.", huidig={"versie": 3})
    response = form_error_response("x.html", {"huidig": {"versie": 4}}, exc)
    assert response.context["huidig"] == {"versie": 4}
