"""What the overleg app adds to the application: its route handlers and its admin tables."""

from piccolo_admin.endpoints import TableConfig

from overleg.acties.api import ActiesApiController
from overleg.acties.controllers import ActiesPagesController
from overleg.dossiers import api as dossier_api
from overleg.dossiers import controllers as dossier_controllers
from overleg.notas import antwoord_controllers
from overleg.notas import api as nota_api
from overleg.notas import controllers as nota_controllers
from overleg.notas import pdf as nota_pdf
from overleg.overleggen.api import api_overleggen
from overleg.overleggen.controllers import OverlegPagesController
from overleg.tables import Huisstijl, Overleg, Overleglid, Partner
from overleg.vergaderingen import api as vergadering_api
from overleg.vergaderingen import controllers as vergadering_controllers
from overleg.vergaderingen.kalender import KalenderController
from overleg.vergaderingen.verslag_controllers import VerslagApiController, VerslagPagesController

ROUTE_HANDLERS: list = [
    OverlegPagesController, api_overleggen,
    ActiesPagesController, ActiesApiController,
    VerslagPagesController, VerslagApiController,
    *dossier_controllers.CONTROLLERS, *dossier_api.CONTROLLERS,
    vergadering_controllers.VergaderingPagesController, vergadering_api.VergaderingApiController,
    *nota_controllers.CONTROLLERS, *nota_api.CONTROLLERS,
    antwoord_controllers.NotaVersturenController, antwoord_controllers.AntwoordLinkController,
    KalenderController,
]

ADMIN_TABLES = [
    TableConfig(Overleg, menu_group="Overleg"),
    TableConfig(Partner, menu_group="Overleg"),
    TableConfig(Overleglid, menu_group="Overleg"),
    TableConfig(Huisstijl, menu_group="Overleg", media_storage=[nota_pdf.logo_storage()]),
]
