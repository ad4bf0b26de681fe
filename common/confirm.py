"""The one confirmation before what cannot be undone (issue 12 item 2).

A form that does something irreversible carries the data attributes of `templates/_partials/confirm.html`
(`confirm.attrs(...)`). With JavaScript, static/js/confirm.js opens an accessible <dialog> from them and, on
"Bevestigen", posts the form with `bevestigd=1`. Without JavaScript the form posts as it is; the handler sees no
`bevestigd=1` and answers `confirmation_page(...)`: a Dutch page saying what will happen, whose "Bevestigen" posts
the same fields again with `bevestigd=1` and whose "Annuleren" goes back. Only then does the handler act:

    form = await request.form()
    ...authorise first (404/403 as for the action itself)...
    if not confirm.is_confirmed(form):
        return confirm.confirmation_page(form, titel=..., gevolg=..., actie=<this URL>, terug=<page URL>)

An optional `controle` asks for a second, explicit confirmation (a required checkbox, e.g. closing a meeting before
its date): `is_confirmed(form, controle="voor_datum")` holds only when that box was ticked too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.response import Template

__all__ = ["CONFIRMED", "confirmation_page", "is_confirmed"]

CONFIRMED = "bevestigd"
_NOT_CARRIED = {CONFIRMED, "_csrf_token"}


def is_confirmed(form: Any, controle: str | None = None) -> bool:
    """True when the form says `bevestigd=1` (and, with `controle`, that checkbox is ticked: `controle=1`)."""
    if str(form.get(CONFIRMED, "")) != "1":
        return False
    return controle is None or str(form.get(controle, "")) == "1"


def confirmation_page(form: Any, *, titel: str, gevolg: str, actie: str, terug: str, knop: str = "Bevestigen",
                      controle: Mapping[str, str] | None = None, onomkeerbaar: bool = True,
                      status_code: int = 200) -> Template:
    """The no-JavaScript confirmation: what will happen (`gevolg`), "Bevestigen" (posts the form's own fields to
    `actie` with bevestigd=1) and "Annuleren" (a link to `terug`). `controle` = {"naam", "label"} adds the required
    second checkbox; when the form was confirmed without it, the page says so (422). `onomkeerbaar=False` for what
can be undone afterwards (the page then does not say it cannot)."""
    velden = [(str(k), str(v)) for k, v in (form.multi_items() if hasattr(form, "multi_items") else form.items())
              if k not in _NOT_CARRIED and (controle is None or k != controle["naam"])]
    fout = ""
    if controle is not None and str(form.get(CONFIRMED, "")) == "1":
        fout, status_code = f"Vink aan: {controle['label']}.", 422
    return Template("bevestigen.html", status_code=status_code, context={
        "bevestiging": {"titel": titel, "gevolg": gevolg, "actie": actie, "terug": terug, "knop": knop,
                        "velden": velden, "controle": controle, "fout": fout, "onomkeerbaar": onomkeerbaar}})
