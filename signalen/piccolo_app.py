import os

from piccolo.conf.apps import AppConfig

from signalen.tables import Levensdomein, Signaal, SignaalHistoriek, Signaaltype

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="signalen",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Levensdomein, Signaaltype, Signaal, SignaalHistoriek],
    migration_dependencies=["admin.piccolo_app", "piccolo.apps.user.piccolo_app"],
    commands=[],
)
