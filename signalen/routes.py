"""What the signalen app adds to the application: its route handlers and its admin tables."""

from piccolo_admin.endpoints import TableConfig

from signalen.api import SignaalApiController, TaxonomieApiController
from signalen.controllers import SignaalPagesController
from signalen.export import SignaalExportController
from signalen.offline import OfflineIntakeController
from signalen.tables import Levensdomein, Signaal, Signaaltype

ROUTE_HANDLERS = [SignaalPagesController, OfflineIntakeController, SignaalExportController, SignaalApiController,
                  TaxonomieApiController]

ADMIN_TABLES = [
    TableConfig(Levensdomein, menu_group="Taxonomie"),
    TableConfig(Signaaltype, menu_group="Taxonomie"),
    TableConfig(Signaal, menu_group="Signalen", exclude_visible_columns=[Signaal.zoektekst, Signaal.betekenis],
                exclude_visible_filters=[Signaal.zoektekst, Signaal.betekenis]),
]
