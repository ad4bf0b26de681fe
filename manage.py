"""Signaalwerk's commands: `python manage.py --help`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import subprocess
import sys

from settings import BASE_DIR, get_settings

DEMO_LOADERS = ["admin.demo:load_foundation", "signalen.demo:load_signalen"]


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
    from admin.tables import Rol

    password = args.password or getpass.getpass("Wachtwoord: ")
    if len(password) < 8:
        sys.exit("Het wachtwoord moet minstens 8 tekens lang zijn.")
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
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
    elif args.command == "demo":
        demo(args.reset)
    else:
        create_user(args)


if __name__ == "__main__":
    main()
