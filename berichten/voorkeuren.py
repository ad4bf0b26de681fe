"""What each person chooses to receive: per kind of mail "direct", "dagelijks" (held for the daily digest) or
"nooit". Mandatory kinds (an invitation, a password reset, the overleg's meeting invitation, what goes to the
council) are always sent and cannot be switched off.

`queue_for_user()` is the one way an optional mail to a person enters the outbox: it applies the choice, renders
the mail (berichten/render.py) with the recipient's own unsubscribe link and adds the List-Unsubscribe headers.
The unsubscribe link works without logging in: `/meldingen/afmelden/{token}`, the token being the user id and the
kind signed with SIGNAALWERK_SECRET (HMAC-SHA256).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from berichten import outbox, render
from berichten.outbox import Attachment, Recipient
from berichten.voorkeur_tables import Keuze, Meldingvoorkeur, Uitgesteld
from common import dates
from settings import get_settings


@dataclass(frozen=True)
class Soort:
    kind: str
    label: str
    verplicht: bool = False


# The kinds a person sees on the "Meldingen" page, in that order.
SOORTEN: tuple[Soort, ...] = (
    Soort("uitnodiging", "Uitnodiging voor een account", verplicht=True),
    Soort("wachtwoord_herstel", "Link om je wachtwoord te herstellen", verplicht=True),
    Soort("agenda_gepubliceerd", "Agenda en uitnodiging voor een vergadering van je overleg", verplicht=True),
    Soort("verslag_ter_goedkeuring", "Een verslag ligt ter goedkeuring"),
    Soort("verslag_goedgekeurd", "Een verslag is goedgekeurd"),
    Soort("actie_toegewezen", "Een actie voor jouw organisatie"),
    Soort("actie_herinnering", "Herinnering: de deadline van een actie nadert of is voorbij"),
    Soort("nota_ter_goedkeuring", "Een signaalnota ligt ter goedkeuring"),
    Soort("antwoord_geregistreerd", "Het college of de OCMW-raad antwoordde op een signaalnota"),
    Soort("antwoord_te_laat", "Het antwoord op een signaalnota is te laat"),
    Soort("signaal_opgevolgd", "Wat er gebeurt met een signaal dat jij registreerde"),
)
BY_KIND = {soort.kind: soort for soort in SOORTEN}
# Mails to people without an account (the council) or that bundle others: never switchable.
ALWAYS = {"nota_verstuurd", "dagelijks_overzicht"}


def verplicht(kind: str) -> bool:
    soort = BY_KIND.get(kind)
    return kind in ALWAYS or soort is None or soort.verplicht


def _sleutel(user_id: int, kind: str) -> str:
    return f"{user_id}:{kind}"


async def keuze(user_id: int, kind: str) -> str:
    """"direct", "dagelijks" or "nooit" for this person and kind (mandatory kinds: always "direct")."""
    if verplicht(kind):
        return Keuze.direct.value
    row = await Meldingvoorkeur.select(Meldingvoorkeur.keuze).where(
        Meldingvoorkeur.sleutel == _sleutel(user_id, kind)).first()
    return row["keuze"] if row else Keuze.direct.value


async def keuzes(user_id: int) -> dict[str, str]:
    """Every kind of SOORTEN with this person's choice."""
    rows = await Meldingvoorkeur.select(Meldingvoorkeur.kind, Meldingvoorkeur.keuze).where(
        Meldingvoorkeur.user_id == user_id)
    stored = {row["kind"]: row["keuze"] for row in rows}
    return {s.kind: Keuze.direct.value if s.verplicht else stored.get(s.kind, Keuze.direct.value) for s in SOORTEN}


async def set_keuze(user_id: int, kind: str, value: str) -> None:
    """Store a choice; ValueError for an unknown or mandatory kind or an unknown value."""
    if kind not in BY_KIND or verplicht(kind):
        raise ValueError(f"Deze melding kan je niet aanpassen: {kind!r}")
    if value not in Keuze.values():
        raise ValueError(f"Onbekende keuze: {value!r}")
    sleutel = _sleutel(user_id, kind)
    updated = await Meldingvoorkeur.update({Meldingvoorkeur.keuze: value}).where(
        Meldingvoorkeur.sleutel == sleutel).returning(Meldingvoorkeur.id)
    if not updated:
        await Meldingvoorkeur.insert(Meldingvoorkeur(sleutel=sleutel, user_id=user_id, kind=kind, keuze=value)
                                     ).on_conflict(action="DO NOTHING")
        await Meldingvoorkeur.update({Meldingvoorkeur.keuze: value}).where(Meldingvoorkeur.sleutel == sleutel)


# ----------------------------------------------------------------------------------------------- unsubscribing

def _mac(payload: bytes) -> str:
    key = hashlib.sha256(b"berichten-afmelden:" + get_settings().secret.encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(user_id: int, kind: str) -> str:
    payload = f"{user_id}:{kind}".encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _mac(payload)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a genuine token for an optional kind, else None."""
    encoded, _, mac = token.partition(".")
    if not encoded or len(encoded) > 200 or not mac:
        return None
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        return None
    if not hmac.compare_digest(_mac(payload), mac):
        return None
    user, _, kind = payload.decode(errors="replace").partition(":")
    if not user.isdigit() or kind not in BY_KIND or verplicht(kind):
        return None
    return int(user), kind


def unsubscribe_url(user_id: int, kind: str) -> str:
    return render.absolute_url(f"/meldingen/afmelden/{unsubscribe_token(user_id, kind)}")


# ----------------------------------------------------------------------------------------------- queueing

def _inhoud(kind: str, context: Mapping[str, Any], text: str) -> str:
    """The body of a text mail without greeting and footer (its `inhoud` block): what a digest bundles."""
    template = render._template(f"berichten/{kind}.txt")
    block = template.blocks.get("inhoud") if template is not None else None
    if template is None or block is None:
        return text
    values = {"afzender": render.DEFAULT_SIGNATURE, "base_url": get_settings().base_url, **context, "afmelden": ""}
    return "".join(block(template.new_context(values))).strip() + "\n"


async def queue_for_user(*, kind: str, to: Sequence[Recipient], context: Mapping[str, Any],
                         attachments: Sequence[Attachment] = (), object_type: str = "",
                         object_id: int | None = None, gemeente_id: int | None = None,
                         actor_id: int | None = None) -> list[int]:
    """Render `kind` with `context` and queue it for every recipient as they chose: direct → the outbox (with
    their unsubscribe link when the kind is optional), dagelijks → held for the digest, nooit → nothing.
    Joins the caller's transaction; the outbox ids of the mails queued now."""
    seen: set[str] = set()
    plain: list[Recipient] = []  # mandatory or without an account: one rendering for all
    ids: list[int] = []
    common: dict[str, Any] = {"object_type": object_type, "object_id": object_id, "gemeente_id": gemeente_id,
                              "actor_id": actor_id}
    for recipient in to:
        address = recipient.email.strip().lower()
        if not address or address in seen:
            continue
        seen.add(address)
        if recipient.user_id is None or verplicht(kind):
            plain.append(recipient)
            continue
        choice = await keuze(recipient.user_id, kind)
        if choice == Keuze.nooit.value:
            continue
        afmelden = unsubscribe_url(recipient.user_id, kind)
        subject, text, html = render.render(kind, **context, afmelden=afmelden)
        if choice == Keuze.dagelijks.value:
            await Uitgesteld(user_id=recipient.user_id, email=address, naam=outbox.one_line(recipient.name, 200),
                             kind=kind, subject=outbox.one_line(subject, 300), text=_inhoud(kind, context, text),
                             gemeente=gemeente_id,
                             aangemaakt_op=dates.now(), gebundeld_op=None).save()
            continue
        headers = {"List-Unsubscribe": f"<{afmelden}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        ids += await outbox.queue(kind=kind, to=[recipient], subject=subject, text=text, html=html,
                                  attachments=attachments, headers=headers, **common)
    if plain:
        subject, text, html = render.render(kind, **context, afmelden="")
        ids += await outbox.queue(kind=kind, to=plain, subject=subject, text=text, html=html,
                                  attachments=attachments, **common)
    return ids


async def forget_user(user_id: int) -> None:
    """Erasure of a user: their choices and the mails held for their digest go."""
    await Uitgesteld.delete().where(Uitgesteld.user_id == user_id)
    await Meldingvoorkeur.delete().where(Meldingvoorkeur.user_id == user_id)
