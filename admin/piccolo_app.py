import os

from piccolo.conf.apps import AppConfig

from admin.tables import Aanvraag, Accounttoken, Gemeente, Lidmaatschap, LoginPoging, Organisatie, Teller

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="tenancy",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Organisatie, Gemeente, Lidmaatschap, LoginPoging, Teller, Accounttoken, Aanvraag],
    migration_dependencies=["piccolo.apps.user.piccolo_app"],
    commands=[],
)
