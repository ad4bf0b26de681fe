"""Text for a mail, without personal data of young people: the privacy guard's redaction applied.

berichten/ (the outbox) sits below signalen and cannot redact; whoever composes a mail from domain text (titles,
descriptions, notes) runs it through `redacted()` first, unless a person confirmed that data for the mail's
audience. Quotes (`citaten`) never go into a mail at all.

    subject, text, html = render("agenda_gepubliceerd", titel=redacted(dossier.titel), …)
"""

from __future__ import annotations

from signalen.privacy import redact, scan_text


def redacted(text: str | None) -> str:
    """`text` with every finding of the privacy guard (names, phone numbers, addresses, …) replaced by its
    placeholder ("[naam]", …); "" for None."""
    if not text:
        return ""
    return redact(text, scan_text(text))
