"""What the overleg app adds to the application: its route handlers and its admin tables.

Each controller module appends its handlers here; keep one import line per module.
"""

from piccolo_admin.endpoints import TableConfig

from overleg import dossier_api, dossier_controllers
from overleg.tables import Overleg, Overleglid, Partner

ROUTE_HANDLERS: list = [*dossier_controllers.CONTROLLERS, *dossier_api.CONTROLLERS]

ADMIN_TABLES = [
    TableConfig(Overleg, menu_group="Overleg"),
    TableConfig(Partner, menu_group="Overleg"),
    TableConfig(Overleglid, menu_group="Overleg"),
]
