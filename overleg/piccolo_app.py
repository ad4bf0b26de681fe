import os

from piccolo.conf.apps import AppConfig

from overleg.tables import (
    AanwezigheidHistoriek,
    Actie,
    ActieHistoriek,
    Afwijzing,
    Agendapunt,
    Antwoord,
    AntwoordLink,
    Commentaar,
    Deelnemer,
    Dossier,
    DossierHistoriek,
    Huisstijl,
    Kalenderfeed,
    NotaCommentaar,
    NotaDossier,
    Overleg,
    Overleglid,
    Partner,
    Signaalnota,
    Terugkoppeling,
    Vergadering,
    Verslag,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="overleg",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Overleg, Partner, Overleglid, Dossier, DossierHistoriek, Afwijzing, Vergadering, Deelnemer,
                   Agendapunt, Actie, Verslag, Commentaar, Signaalnota, NotaDossier, NotaCommentaar, Antwoord,
                   Terugkoppeling, Huisstijl, Kalenderfeed, AntwoordLink, AanwezigheidHistoriek, ActieHistoriek],
    migration_dependencies=["signalen.piccolo_app", "admin.piccolo_app", "piccolo.apps.user.piccolo_app"],
    commands=[],
)
