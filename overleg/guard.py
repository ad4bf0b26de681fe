"""The privacy guard for every free text of the overleg that people other than its author read: dossier titles
and descriptions, comments, minutes, agenda notes and decisions, free agenda point titles, actions, feedback and the
summary of the council's answer.

One mechanism, as for signals: `check` scans the fields (signalen.privacy) and refuses (422, `fields` per field
naming what it found and `persoonsgegevens` with every open finding) unless the writer confirmed with
`bevestig is True` — exactly True: "ja", 1 or "true" confirm nothing. A finding confirmed before (same field, kind
and text) stays confirmed, so saving a confirmed text again asks nothing. It returns the findings to store in the
row's `persoonsgegevens`, each with who confirmed it and when.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from common.errors import FieldErrors
from signalen import privacy

MAX_NAMED_FINDINGS = 5  # a message names at most this many findings
CONFIRMED = ("1", "on", "ja")  # what a checked `bevestig` box sends in a form


def message(findings: list[privacy.Finding]) -> str:
    named = [f"{privacy.KINDS[f.kind]} ‘{f.text}’" for f in findings[:MAX_NAMED_FINDINGS]]
    if len(findings) > MAX_NAMED_FINDINGS:
        named.append(f"en nog {len(findings) - MAX_NAMED_FINDINGS} andere")
    return (f"Mogelijk persoonsgegevens: {', '.join(named)}. Schrijf het zonder, zodat geen jongere herkenbaar "
            "is, of bevestig dat het nodig is.")


def stored(value: Any) -> list[dict]:
    """A row's `persoonsgegevens` as a list of findings (SQLite hands JSON back as text)."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            return []
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list | tuple) else []


def check(fields: Mapping[str, Any], user_id: int | None, bevestig: Any, *, what: str = "Deze tekst",
          previous: Any = ()) -> list[dict]:
    """The confirmed findings to store; FieldErrors (422) while a finding is neither confirmed now nor before.
    `previous` is what the row stored (a list, or its JSON text)."""
    previous = stored(previous)
    findings = privacy.scan_fields(fields)
    open_findings = privacy.unconfirmed(findings, previous)
    if open_findings and bevestig is not True:
        per_field: dict[str, list[privacy.Finding]] = {}
        for finding in open_findings:
            per_field.setdefault(finding.field.split(".")[0], []).append(finding)
        raise FieldErrors({name: message(found) for name, found in per_field.items()},
                          detail=f"{what} bevat mogelijk persoonsgegevens. Vervang ze, of bevestig dat ze nodig zijn.",
                          extra={"persoonsgegevens": [f.as_dict() for f in open_findings]})
    return privacy.confirmations(findings, user_id, previous)


def form_confirmed(form: Any) -> bool:
    """Whether a page form's `bevestig` checkbox was checked."""
    return form.get("bevestig") in CONFIRMED


def dumps(findings: list[dict]) -> str:
    return json.dumps(findings, ensure_ascii=False)


def api_confirmed(body: Mapping[str, Any], name: str = "bevestig_persoonsgegevens") -> bool:
    """The confirmation in a JSON body read as a dict: absent is False; anything but true or false is 400."""
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise FieldErrors({name: "Geef true of false."}, status_code=400)
    return value
