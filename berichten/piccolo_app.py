import os

from piccolo.conf.apps import AppConfig

from berichten.tables import Bericht, BerichtBijlage, Bezorger
from berichten.voorkeur_tables import Herinnering, Meldingvoorkeur, Uitgesteld

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="berichten",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Bericht, BerichtBijlage, Bezorger, Meldingvoorkeur, Uitgesteld, Herinnering],
    migration_dependencies=[],
    commands=[],
)
