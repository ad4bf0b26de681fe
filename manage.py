"""Signaalwerk's commands: `python manage.py --help`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import subprocess
import sys
from pathlib import Path

from settings import BASE_DIR, get_settings

DEMO_LOADERS = ["admin.demo:load_foundation", "signalen.demo:load_signalen", "overleg.overleggen.demo:load_overleg"]


def migrate() -> None:
    """Apply every migration of every app (the same on SQLite and PostgreSQL)."""
    subprocess.run(
        [sys.executable, "-m", "piccolo.main", "migrations", "forwards", "all"], cwd=BASE_DIR, check=True
    )


async def _load_demo() -> list[str]:
    import importlib

    loaded = []
    for ref in DEMO_LOADERS:
        module, _, name = ref.partition(":")
        if await getattr(importlib.import_module(module), name)():
            loaded.append(ref)
    return loaded


async def _reset_demo() -> None:
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    # Children before parents: reverse dependency order.
    for table in reversed(sort_table_classes(Finder().get_table_classes())):
        if table._meta.tablename not in ("levensdomein", "signaaltype"):  # the taxonomy comes with migrations
            await table.delete(force=True)


def demo(reset: bool) -> None:
    if not get_settings().demo:
        sys.exit("Demo-gegevens worden alleen geladen met SIGNAALWERK_DEMO=1.")
    if reset:
        asyncio.run(_reset_demo())
    loaded = asyncio.run(_load_demo())
    print("Demo-gegevens geladen." if loaded else "Demo-gegevens waren er al; niets gewijzigd.")


def create_user(args: argparse.Namespace) -> None:
    from admin.demo import create_user as create
    from admin.passwords import check_password
    from admin.tables import Rol

    password = args.password or getpass.getpass("Wachtwoord: ")
    problem = check_password(password, username=args.username)
    if problem:
        print(problem, file=sys.stderr)
        sys.exit(2)
    memberships = []
    for item in args.lid or []:
        slug, _, rol = item.partition(":")
        if rol not in {r.value for r in Rol}:
            sys.exit(f"Onbekende rol {rol!r}; kies uit {', '.join(r.value for r in Rol)}.")
        memberships.append((slug, Rol(rol)))
    try:
        asyncio.run(create(args.username, password, admin=args.beheerder, memberships=memberships,
                           first_name=args.voornaam or "", last_name=args.achternaam or "", email=args.email or ""))
    except ValueError as exc:
        sys.exit(str(exc))
    print(f"Gebruiker {args.username} aangemaakt.")


def run_backup(args: argparse.Namespace) -> None:
    from admin.backup import BackupError, backup

    try:
        path = backup(args.map)
    except BackupError as exc:
        sys.exit(str(exc))
    print(f"Backup gemaakt: {path}")


def run_restore(args: argparse.Namespace) -> None:
    from admin.backup import BackupError, restore

    try:
        safety = restore(args.file, directory=args.map)
    except BackupError as exc:
        sys.exit(str(exc))
    if safety:
        print(f"De database van vóór het herstel staat in {safety}.")
    print(f"Hersteld uit {args.file}.")


def retention(args: argparse.Namespace) -> None:
    import logging

    from overleg.retention import anonymise_copies
    from signalen.retention import apply_retention, report

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The top level wires the overleg's copies into the register's retention (signalen may not import overleg).
    results = asyncio.run(apply_retention(dry_run=args.proef, copies=anonymise_copies))
    print(report(results, dry_run=args.proef))


def embed_signals() -> None:
    from signalen.embeddings import embed_missing

    done = asyncio.run(embed_missing())
    print(f"Betekenis berekend voor {done} signa{'al' if done == 1 else 'len'} zonder (bruikbare) vector.")


def _confirm(question: str, yes: bool) -> None:
    if yes or not sys.stdin.isatty():
        return
    if input(f"{question} [ja/nee] ").strip().lower() not in ("ja", "j", "yes", "y"):
        sys.exit("Afgebroken; er is niets gewijzigd.")


def deactivate(args: argparse.Namespace) -> None:
    from signalen.rights import UnknownUser, deactivate_user

    try:
        asyncio.run(deactivate_user(args.username))
    except UnknownUser as exc:
        sys.exit(str(exc))
    print(f"Gebruiker {args.username} is gedeactiveerd; al zijn sessies zijn beëindigd.")


def data_export(args: argparse.Namespace) -> None:
    import json

    from signalen.rights import UnknownUser, export_user

    try:
        data = asyncio.run(export_user(args.username))
    except UnknownUser as exc:
        sys.exit(str(exc))
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def erase(args: argparse.Namespace) -> None:
    from signalen.rights import UnknownUser, erase_user

    _confirm(f"Naam, e-mail en gebruikersnaam van {args.username} definitief vervangen door een pseudoniem?",
             args.ja)
    try:
        pseudonym = asyncio.run(erase_user(args.username))
    except UnknownUser as exc:
        sys.exit(str(exc))
    # The name is not repeated: this output may end up in a log.
    print(f"De gebruiker is gewist: nu {pseudonym}, gedeactiveerd, zonder sessies; de signalen blijven bewaard.")


def invite(args: argparse.Namespace) -> None:
    """Invite a person by e-mail: an inactive account with memberships, and the mail with its one-time link."""
    from admin.accounts import TooMany, invite
    from common.errors import FieldErrors

    memberships = []
    for item in args.lid:
        slug, _, rol = item.partition(":")
        memberships.append((slug.strip().lower(), rol.strip().lower()))
    try:
        invitation = asyncio.run(invite(args.email, memberships, voornaam=args.voornaam or "", client="manage.py"))
    except FieldErrors as exc:
        sys.exit(" ".join(exc.fields.values()))
    except TooMany:
        sys.exit("Dit adres werd het voorbije uur te vaak uitgenodigd; probeer later opnieuw.")
    where = ("Het bericht wordt verstuurd via SMTP_URL." if get_settings().smtp_url else
             "Er is geen SMTP_URL: lees de uitnodiging (met de link) op "
             f"{get_settings().base_url}/beheer/berichten/{invitation.bericht_ids[0]}")
    print(f"{args.email} is {'opnieuw ' if invitation.again else ''}uitgenodigd. {where}")


def berichten(args: argparse.Namespace) -> None:
    """Deliver the outbox: once (cron, a systemd timer) or until SIGTERM/SIGINT."""
    import logging
    import signal

    from app import mail_jobs, mail_renderers
    from berichten import delivery

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not get_settings().smtp_url:
        print("SMTP_URL is niet ingesteld: er wordt niets verstuurd (de berichten staan op /beheer/berichten).",
              file=sys.stderr)
    if args.once:
        sent = asyncio.run(delivery.run_once(mail_jobs(), renderers=mail_renderers()))
        if sent is None:
            print("Een andere bezorger is bezig; niets gedaan.")
        else:
            print(f"{sent} bericht(en) verstuurd.")
        return

    async def forever() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await delivery.run_loop(mail_jobs(), stop, renderers=mail_renderers())

    asyncio.run(forever())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="manage.py", description="Signaalwerk beheren")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="alle migraties toepassen")
    demo_parser = sub.add_parser("demo", help="demo-gegevens laden (eenmalig; alleen met SIGNAALWERK_DEMO=1)")
    demo_parser.add_argument("--reset", action="store_true", help="eerst alle gegevens wissen")
    user = sub.add_parser("createuser", help="een gebruiker met lidmaatschap maken")
    user.add_argument("username")
    user.add_argument("--password", help="anders wordt erom gevraagd")
    user.add_argument("--lid", action="append", metavar="GEMEENTE:ROL", help="bv. mechelen:jeugdopbouwwerker")
    user.add_argument("--beheerder", action="store_true", help="toegang tot /admin/")
    user.add_argument("--voornaam")
    user.add_argument("--achternaam")
    user.add_argument("--email")
    backup_parser = sub.add_parser("backup", help="online backup naar data/backups/ (make backup)")
    backup_parser.add_argument("--map", type=Path, help="andere map dan data/backups/")
    restore_parser = sub.add_parser("restore", help="een backup terugzetten, eerst een veiligheidskopie")
    restore_parser.add_argument("file", help="pad naar signaalwerk-….sqlite of ….dump")
    restore_parser.add_argument("--map", type=Path, help="map voor de veiligheidskopie (standaard data/backups/)")
    retention_parser = sub.add_parser("bewaartermijn", help="afgesloten signalen na de bewaartermijn anonimiseren")
    retention_parser.add_argument("--proef", action="store_true", help="alleen tellen, niets wijzigen")
    deactivate_parser = sub.add_parser("deactiveer", help="een gebruiker deactiveren en al zijn sessies beëindigen")
    deactivate_parser.add_argument("username")
    export_parser = sub.add_parser("gegevens-export", help="alles wat over een gebruiker bewaard is, als JSON")
    export_parser.add_argument("username")
    erase_parser = sub.add_parser("wis-gebruiker", help="een gebruiker pseudonimiseren; signalen blijven")
    erase_parser.add_argument("username")
    erase_parser.add_argument("--ja", action="store_true", help="niet om bevestiging vragen")
    invite_parser = sub.add_parser("uitnodigen", help="iemand uitnodigen per e-mail (kiest zelf een wachtwoord)")
    invite_parser.add_argument("email")
    invite_parser.add_argument("--lid", action="append", required=True, metavar="GEMEENTE:ROL",
                               help="bv. mechelen:partner (meermaals mogelijk)")
    invite_parser.add_argument("--voornaam")
    sub.add_parser("embed-signalen", help="de betekenis berekenen van signalen zonder (bruikbare) vector")
    mail_parser = sub.add_parser("berichten", help="de wachtrij met berichten versturen (SMTP_URL)")
    mail_parser.add_argument("--once", action="store_true", help="één keer versturen wat klaarstaat en stoppen")
    args = parser.parse_args(argv)
    commands = {
        "migrate": lambda: migrate(),
        "demo": lambda: demo(args.reset),
        "createuser": lambda: create_user(args),
        "backup": lambda: run_backup(args),
        "restore": lambda: run_restore(args),
        "bewaartermijn": lambda: retention(args),
        "deactiveer": lambda: deactivate(args),
        "gegevens-export": lambda: data_export(args),
        "wis-gebruiker": lambda: erase(args),
        "berichten": lambda: berichten(args),
        "uitnodigen": lambda: invite(args),
        "embed-signalen": lambda: embed_signals(),
    }
    commands[args.command]()


if __name__ == "__main__":
    main()
