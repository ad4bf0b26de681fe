"""An action's status history with the progress note of who changed it (issue 12 item 9)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-02T06:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ActieHistoriek: status changes of an action with a progress note"


class Actie(Table, tablename="actie", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


class BaseUser(Table, tablename="piccolo_user", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


def _params(**overrides) -> dict:
    return {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
            "choices": None, "db_column_name": None, "secret": False, **overrides}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="overleg", description=DESCRIPTION)
    manager.add_table(class_name="ActieHistoriek", tablename="actie_historiek", schema=None, columns=None)
    columns = [
        ("actie", ForeignKey, _params(references=Actie, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                                      target_column=None, index=True)),
        ("tijdstip", Timestamptz, _params(default=TimestamptzNow())),
        ("gebruiker", ForeignKey, _params(references=BaseUser, on_delete=OnDelete.set_null,
                                          on_update=OnUpdate.cascade, target_column=None, null=True)),
        ("van", Varchar, _params(default="", length=32)),
        ("naar", Varchar, _params(default="", length=32)),
        ("notitie", Text, _params(default="")),
        ("persoonsgegevens", JSON, _params(default="[]")),
    ]
    for name, column_class, params in columns:
        manager.add_column(table_class_name="ActieHistoriek", tablename="actie_historiek", column_name=name,
                           db_column_name=name, column_class_name=column_class.__name__, column_class=column_class,
                           params=params, schema=None)
    return manager
