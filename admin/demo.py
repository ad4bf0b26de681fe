"""Demo data for the foundation: organisation, gemeenten and the demo accounts (password demo-demo)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.apps.user.tables import BaseUser

from admin.accounts import invite
from admin.tables import Gemeente, Lidmaatschap, Organisatie, Rol
from berichten.voorkeur_tables import Keuze
from berichten.voorkeuren import set_keuze

DEMO_PASSWORD = "demo-demo"  # noqa: S105 - documented demo password, demo mode only
ORGANISATIE: dict[str, Any] = {"naam": "Steunpunt Jeugdopbouwwerk Vlaanderen", "slug": "steunpunt"}
GEMEENTEN: list[dict[str, Any]] = [
    {"naam": "Mechelen", "slug": "mechelen", "college_email": "college@mechelen.example.be",
     "ocmw_raad_email": "ocmw-raad@mechelen.example.be"},
    {"naam": "Hoeilaart", "slug": "hoeilaart", "college_email": "college@hoeilaart.example.be",
     "ocmw_raad_email": "ocmw-raad@hoeilaart.example.be"},
]
# Demo e-mail addresses: "wachtwoord vergeten" works for the demo accounts too (the mail is at /beheer/berichten).
DEMO_MAIL_DOMAIN = "signaalwerk.example"
ACCOUNTS = [
    # username, first name, last name, admin, [(gemeente slug, rol)]; e-mail: username@DEMO_MAIL_DOMAIN
    ("werker", "Sara", "Janssens", False, [("mechelen", Rol.jeugdopbouwwerker)]),
    ("werker2", "Youssef", "El Amrani", False, [("hoeilaart", Rol.jeugdopbouwwerker)]),
    ("voorzitter", "Griet", "Van den Broeck", False, [("mechelen", Rol.voorzitter)]),
    ("partner", "Tom", "Peeters", False, [("mechelen", Rol.partner)]),
    ("coordinator", "Lien", "Claes", False, [("mechelen", Rol.coordinator), ("hoeilaart", Rol.coordinator)]),
    ("beheerder", "Bram", "Wouters", True, []),
]


async def create_user(
    username: str,
    password: str,
    *,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    admin: bool = False,
    memberships: Sequence[tuple[str, Rol]] = (),
) -> BaseUser:
    """A user with memberships (gemeente slug, rol); an unknown gemeente is an error, nothing half-made."""
    address = (email or f"{username}@example.org").strip().lower()
    if await BaseUser.raw("SELECT 1 FROM piccolo_user WHERE lower(email) = {} LIMIT 1", address):
        raise ValueError(f"Er bestaat al een account met het e-mailadres {address}.")
    slugs = {slug for slug, _ in memberships}
    gemeenten = {g["slug"]: g["id"] for g in await Gemeente.select(Gemeente.id, Gemeente.slug)}
    missing = slugs - set(gemeenten)
    if missing:
        raise ValueError(f"Onbekende gemeente: {', '.join(sorted(missing))}")
    user = BaseUser(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=address,
        active=True,
        admin=admin,
        superuser=admin,
    )
    await user.save()
    for slug, rol in memberships:
        await Lidmaatschap(user=user.id, gemeente=gemeenten[slug], rol=Rol(rol).value).save()
    return user


async def load_foundation() -> bool:
    """Load once: True when data was added, False when it was already there."""
    if await Organisatie.exists().where(Organisatie.slug == ORGANISATIE["slug"]):
        return False
    organisatie = Organisatie(**ORGANISATIE)
    await organisatie.save()
    for data in GEMEENTEN:
        await Gemeente(organisatie=organisatie.id, **data).save()
    for username, first, last, admin, memberships in ACCOUNTS:
        if not await BaseUser.exists().where(BaseUser.username == username):
            await create_user(
                username, DEMO_PASSWORD, first_name=first, last_name=last, admin=admin, memberships=memberships,
                email=f"{username}@{DEMO_MAIL_DOMAIN}",
            )
    # The partner reads action reminders once a day (Meldingen shows the choice).
    partner = await BaseUser.select(BaseUser.id).where(BaseUser.username == "partner").first()
    if partner:
        await set_keuze(partner["id"], "actie_herinnering", Keuze.dagelijks.value)
    # One open invitation: its mail, with the link, is at /beheer/berichten (nothing is sent without SMTP_URL).
    await invite(f"an.partner@{DEMO_MAIL_DOMAIN}", [("hoeilaart", Rol.partner.value)], voornaam="An")
    return True
