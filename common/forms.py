"""The one page-form pattern: a refused form is shown again, never lost.

A page controller catches `FieldErrors` or `Conflict` from its service and answers
`form_error_response(template, context, exc)`: the same template re-rendered with the submitted values (in
`context`) and

- for `FieldErrors`: `fields` (the Dutch message per field), `persoonsgegevens` (what the privacy guard found, so
  the page offers its confirmation checkbox: `forms.confirm()`) and status 422;
- for `Conflict`: `huidig` (the stored version) and `jouw` (what was submitted) and status 409, unless the page
  already put them in `context` (a freshly read `huidig`, say).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.response import Template

from common.errors import Conflict, FieldErrors


def form_error_response(template: str, context: Mapping[str, Any], exc: FieldErrors | Conflict) -> Template:
    """The form page again, with the refusal in its context: 422 for field errors, 409 for a conflict."""
    if isinstance(exc, Conflict):
        return Template(template, context={"huidig": exc.huidig, "jouw": exc.jouw, **context}, status_code=409)
    found = exc.extra.get("persoonsgegevens") or []
    return Template(template, context={**context, "fields": exc.fields, "persoonsgegevens": found}, status_code=422)
