"""What the overleg app adds to the application: its route handlers and its admin tables."""

from piccolo_admin.endpoints import TableConfig

from overleg import (
    dossier_api,
    dossier_controllers,
    nota_api,
    nota_controllers,
    nota_pdf,
    vergadering_api,
    vergadering_controllers,
)
from overleg.acties_controllers import ActiesApiController, ActiesPagesController
from overleg.kalender import KalenderController
from overleg.overleg_controllers import OverlegPagesController, api_overleggen
from overleg.tables import Huisstijl, Overleg, Overleglid, Partner
from overleg.verslag_controllers import VerslagApiController, VerslagPagesController

ROUTE_HANDLERS: list = [
    OverlegPagesController, api_overleggen,
    ActiesPagesController, ActiesApiController,
    VerslagPagesController, VerslagApiController,
    *dossier_controllers.CONTROLLERS, *dossier_api.CONTROLLERS,
    vergadering_controllers.VergaderingPagesController, vergadering_api.VergaderingApiController,
    *nota_controllers.CONTROLLERS, *nota_api.CONTROLLERS,
    KalenderController,
]

ADMIN_TABLES = [
    TableConfig(Overleg, menu_group="Overleg"),
    TableConfig(Partner, menu_group="Overleg"),
    TableConfig(Overleglid, menu_group="Overleg"),
    TableConfig(Huisstijl, menu_group="Overleg", media_storage=[nota_pdf.logo_storage()]),
]
