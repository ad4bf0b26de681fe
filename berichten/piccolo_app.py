import os

from piccolo.conf.apps import AppConfig

from berichten.tables import Bericht, BerichtBijlage, Bezorger

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="berichten",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Bericht, BerichtBijlage, Bezorger],
    migration_dependencies=[],
    commands=[],
)
