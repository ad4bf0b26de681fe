"""Who reads a text decides what of the personal data in it they see: the one audience-aware redaction helper.

A confirmation is per audience. What a worker confirmed when storing a signal (`Signaal.persoonsgegevens`)
counts for the register readers of its gemeente only (tenancy's `Toegang.REGISTER`): they read the text as
stored. Everyone else (a partner, a worker of another gemeente, a coördinator where not a member) and every
aggregate, export and PDF gets the text through the privacy guard: what it finds is replaced by its placeholder,
unless a person confirmed that finding for that very audience (a nota's `bevestigde_persoonsgegevens`).

    redact = audience.for_reader(user, gemeente_id)   # a page or API answer for this user
    redact = audience.for_document()                  # an aggregate, export or PDF (confirmed: nothing)
    redact(text) / redact.all(texts)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from admin.sessions import CurrentUser
from admin.tenancy import register_gemeente_ids
from signalen import privacy


@lru_cache(maxsize=8192)
def _findings(text: str) -> tuple[privacy.Finding, ...]:
    """The guard's findings in a text (pure: cached, since the same titles and places come back on every page)."""
    return tuple(privacy.scan_text(text))


class Redactor:
    """Replaces what the guard finds in a text, except the findings confirmed for this audience
    (`confirmed`: the guard's findings as dicts with `soort` and `tekst`, as stored)."""

    def __init__(self, confirmed: Iterable[Mapping] = ()) -> None:
        self.keys = {(c.get("soort"), c.get("tekst")) for c in confirmed or () if isinstance(c, Mapping)}

    def confirmed(self, finding: privacy.Finding) -> bool:
        return (finding.kind, finding.text) in self.keys

    def __call__(self, text: str | None, field: str = "") -> str:
        text = text or ""
        if not text.strip():
            return text
        return privacy.redact(text, [f for f in _findings(text) if not self.confirmed(f)])

    def all(self, texts: Iterable[str | None]) -> list[str]:
        return [self(text) for text in texts]


class FullText(Redactor):
    """A register reader: the text as its author stored (and confirmed) it."""

    def confirmed(self, finding: privacy.Finding) -> bool:
        return True

    def __call__(self, text: str | None, field: str = "") -> str:
        return text or ""


FULL_TEXT = FullText()


def is_register_reader(user: CurrentUser, gemeente_id: int) -> bool:
    return gemeente_id in register_gemeente_ids(user)


def for_reader(user: CurrentUser, gemeente_id: int) -> Redactor:
    """What this user may read of texts from the register of this gemeente."""
    return FULL_TEXT if is_register_reader(user, gemeente_id) else Redactor()


def for_document(confirmed: Iterable[Mapping] = ()) -> Redactor:
    """An aggregate, export, PDF or mail: redacted, but for what a person confirmed for this document."""
    return Redactor(confirmed)
