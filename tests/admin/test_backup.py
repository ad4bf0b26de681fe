"""Backups: back up, change, restore, and find every row exactly as it was (on the engine under test)."""

from __future__ import annotations

import os
import re
import shutil
import stat

import pytest
from piccolo.apps.user.tables import BaseUser
from piccolo.conf.apps import Finder
from piccolo_api.session_auth.tables import SessionsBase

import manage
from admin import backup
from settings import get_settings
from signalen.tables import Signaal
from tests.support import make_signaal, sync

ENGINE = get_settings().engine
NAME = re.compile(r"signaalwerk-\d{8}-\d{6}(-\d+)?\.(sqlite|dump)")

if ENGINE == "postgres" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
    if os.environ.get("CI") == "true":
        pytest.fail("pg_dump/pg_restore are missing (install postgresql-client); CI=true needs them",
                    pytrace=False)
    pytest.skip("pg_dump/pg_restore are missing: sudo apt-get install -y postgresql-client", allow_module_level=True)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order, plus the migrations that were applied."""
    data = {}
    for table in Finder().get_table_classes():
        data[table._meta.tablename] = sync(table.select().order_by(table._meta.primary_key))
    data["migration"] = sync(BaseUser.raw("SELECT name, app_name FROM migration ORDER BY id"))
    return data


def _fill(werker, voorzitter) -> list[dict]:
    signalen = [make_signaal(werker, titel=f"Signaal {n} – té duur 🙂", citaten=[f"citaat {n}"]) for n in range(3)]
    voorzitter.api("POST", f"/api/v1/signalen/{signalen[0]['id']}/status",
                   json={"status": "niet_weerhouden", "toelichting": "dubbel"})
    return signalen


def test_a_backup_is_a_private_file_with_a_dated_name(werker, tmp_path):
    path = backup.backup(tmp_path / "backups")
    assert path.parent == tmp_path / "backups" and NAME.fullmatch(path.name)
    assert path.suffix == (".dump" if ENGINE == "postgres" else ".sqlite")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not list(path.parent.glob("*.partial"))


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(world, tmp_path):
    first, second = backup.backup(tmp_path), backup.backup(tmp_path)
    assert first != second and first.exists() and second.exists()


def test_backup_change_restore_gives_back_exactly_what_was_there(werker, voorzitter, tmp_path):
    signalen = _fill(werker, voorzitter)
    before = snapshot()
    path = backup.backup(tmp_path)

    # Change a lot: a new signal, an edit, a deleted session, a renamed user, a deactivated one.
    make_signaal(werker, titel="Na de backup")
    werker.api("PATCH", f"/api/v1/signalen/{signalen[1]['id']}", json={"titel": "Gewijzigd", "versie": 1})
    sync(SessionsBase.delete().where(SessionsBase.user_id == voorzitter.user_id))
    sync(BaseUser.update({BaseUser.first_name: "Iemand"}).where(BaseUser.username == "werker"))
    assert snapshot() != before

    safety = backup.restore(path, directory=tmp_path)
    assert snapshot() == before
    assert safety is not None and safety.name.startswith("signaalwerk-") and "-voor-herstel" in safety.name

    # The app reads the restored data, and its ids go on where they were (no duplicate keys afterwards).
    assert werker.get(f"/api/v1/signalen/{signalen[1]['id']}").json()["titel"] == signalen[1]["titel"]
    newer = make_signaal(werker, titel="Na het herstel")
    assert newer["id"] > max(s["id"] for s in signalen)


def test_the_safety_copy_holds_what_the_restore_replaced(werker, voorzitter, tmp_path):
    _fill(werker, voorzitter)
    old = backup.backup(tmp_path)
    make_signaal(werker, titel="Alleen in de veiligheidskopie")
    changed = snapshot()
    safety = backup.restore(old, directory=tmp_path)
    assert snapshot() != changed
    backup.restore(safety, directory=tmp_path)
    assert snapshot() == changed


def test_restore_refuses_a_missing_file(world, tmp_path):
    with pytest.raises(backup.BackupError, match="bestaat niet"):
        backup.restore(tmp_path / ("signaalwerk-20260101-000000" + backup.extension()))


def test_restore_refuses_a_backup_of_the_other_engine(world, tmp_path):
    other = ".sqlite" if ENGINE == "postgres" else ".dump"
    wrong = tmp_path / f"signaalwerk-20260101-000000{other}"
    wrong.write_bytes(b"x")
    with pytest.raises(backup.BackupError, match="geen"):
        backup.restore(wrong, directory=tmp_path)


def test_restore_refuses_garbage_and_changes_nothing(werker, tmp_path):
    make_signaal(werker)
    before = snapshot()
    garbage = tmp_path / f"signaalwerk-20260101-000000{backup.extension()}"
    garbage.write_bytes(b"dit is geen backup\n" * 100)
    with pytest.raises(backup.BackupError):
        backup.restore(garbage, directory=tmp_path)
    assert snapshot() == before
    assert not list(tmp_path.glob("*voor-herstel*"))  # refused before anything was done


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite only: another SQLite database is not a Signaalwerk backup")
def test_restore_refuses_a_sqlite_file_that_is_not_signaalwerk(werker, tmp_path):
    import sqlite3

    other = tmp_path / "signaalwerk-20260101-000000.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE iets (x)")
    with pytest.raises(backup.BackupError, match="geen backup van Signaalwerk"):
        backup.restore(other, directory=tmp_path)


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite only")
def test_the_live_sqlite_database_stays_in_wal_mode_after_a_restore(werker, tmp_path):
    import sqlite3

    live = get_settings().sqlite_path
    with sqlite3.connect(live) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    path = backup.backup(tmp_path)
    with sqlite3.connect(path) as conn:  # the backup itself is one self-contained file
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    backup.restore(path, directory=tmp_path)
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_commands_back_up_and_restore(werker, tmp_path, capsys):
    signaal = make_signaal(werker)
    manage.main(["backup", "--map", str(tmp_path)])
    out = capsys.readouterr().out
    path = tmp_path / re.search(r"signaalwerk-\S+", out).group()
    assert path.exists()
    sync(Signaal.delete().where(Signaal.id == signaal["id"]))
    manage.main(["restore", str(path), "--map", str(tmp_path)])
    out = capsys.readouterr().out
    assert "Hersteld uit" in out and "voor-herstel" in out
    assert sync(Signaal.exists().where(Signaal.id == signaal["id"]))


def test_a_failing_restore_command_says_why_in_dutch(world, tmp_path):
    with pytest.raises(SystemExit) as exc:
        manage.main(["restore", str(tmp_path / "weg.sqlite")])
    assert "bestaat niet" in str(exc.value)
