"""Every state column has one LabelledEnum: a Dutch label per value, covering every value the demo stores."""

from __future__ import annotations

import json

import pytest

from admin.demo import load_foundation
from admin.tables import Accounttoken, Lidmaatschap, Rol, TokenSoort
from berichten.tables import Bericht, BerichtStatus
from berichten.voorkeur_tables import Keuze, Meldingvoorkeur
from common.enums import LabelledEnum
from overleg.overleggen.demo import load_overleg
from overleg.tables import (
    Aanwezigheid,
    Actie,
    ActieStatus,
    Adressaat,
    Agendapunt,
    AgendapuntSoort,
    Antwoord,
    Beslissing,
    Deelnemer,
    Dossier,
    DossierActie,
    DossierHistoriek,
    DossierStatus,
    Functie,
    Lens,
    LidRol,
    NotaStatus,
    Overleg,
    Overleglid,
    Partner,
    PartnerSoort,
    Signaalnota,
    Vergadering,
    VergaderingStatus,
    Verslag,
    VerslagStatus,
)
from signalen.demo import load_signalen
from signalen.tables import Bron, HistoriekSoort, Leeftijd, Signaal, SignaalHistoriek, Status
from tests.support import sync

# column → the enum of the values it stores
STATE_COLUMNS = [
    (Lidmaatschap.rol, Rol),
    (Signaal.status, Status),
    (Signaal.bron, Bron),
    (Signaal.leeftijd, Leeftijd),
    (SignaalHistoriek.soort, HistoriekSoort),
    (SignaalHistoriek.van, Status),
    (SignaalHistoriek.naar, Status),
    (Partner.soort, PartnerSoort),
    (Overleglid.rol, LidRol),
    (Dossier.status, DossierStatus),
    (DossierHistoriek.actie, DossierActie),
    (Vergadering.status, VergaderingStatus),
    (Deelnemer.aanwezigheid, Aanwezigheid),
    (Agendapunt.soort, AgendapuntSoort),
    (Actie.status, ActieStatus),
    (Actie.lens, Lens),
    (Verslag.status, VerslagStatus),
    (Signaalnota.status, NotaStatus),
    (Signaalnota.adressaat, Adressaat),
    (Antwoord.beslissing, Beslissing),
    (Bericht.status, BerichtStatus),
    (Accounttoken.soort, TokenSoort),
    (Meldingvoorkeur.keuze, Keuze),
]
# A history line of an edit has no van/naar; bron and leeftijd are optional.
MAY_BE_EMPTY = {SignaalHistoriek.van, SignaalHistoriek.naar, Signaal.bron, Signaal.leeftijd}
ENUMS = sorted({enum for _, enum in STATE_COLUMNS} | {Functie}, key=lambda e: e.__name__)


def _name(column) -> str:
    return f"{column._meta.table._meta.tablename}.{column._meta.name}"


def test_every_state_enum_is_a_labelled_enum():
    assert set(ENUMS) <= set(LabelledEnum.__subclasses__())
    assert set(LabelledEnum.__subclasses__()) <= set(ENUMS), "a new LabelledEnum: add its column above"


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_a_dutch_label(enum):
    for member in enum:
        assert isinstance(member.label, str) and member.label.strip(), member
        assert member.label == member.label.strip()
    assert list(enum.labels()) == [member.value for member in enum]
    assert enum.choices() == list(enum.labels().items())
    assert all(type(value) is str for value in enum.labels())


def test_a_member_is_its_stored_string():
    assert VergaderingStatus.gehouden == "gehouden"
    assert str(VergaderingStatus.gehouden) == f"{VergaderingStatus.gehouden}" == "gehouden"
    assert json.dumps([Adressaat.ocmw_raad]) == '["ocmw-raad"]'
    assert Status("in_actie").label == "In actie"
    assert Status.label_for("in_actie") == "In actie"
    assert Status.label_for("onbekend") == "onbekend"
    assert Status.label_for(None) == ""


@pytest.mark.parametrize("column, enum", [pair for pair in STATE_COLUMNS if pair[0]._meta.choices],
                         ids=lambda x: _name(x) if not isinstance(x, type) else x.__name__)
def test_columns_with_choices_use_the_same_enum(column, enum):
    assert column._meta.choices is enum


def test_the_demo_stores_only_labelled_values():
    assert sync(load_foundation()) is True
    assert sync(load_signalen()) is True
    assert sync(load_overleg()) is True
    for column, enum in STATE_COLUMNS:
        table = column._meta.table
        stored = {row[column._meta.name] for row in sync(table.select(column).distinct())}
        if column in MAY_BE_EMPTY:
            stored -= {"", None}
        assert stored, f"the demo stores no {_name(column)}"
        assert stored <= set(enum.labels()), f"{_name(column)}: {stored - set(enum.labels())}"
    functies = [f for row in sync(Overleg.select(Overleg.functies)) for f in json.loads(row["functies"])]
    functies += [f for row in sync(Agendapunt.select(Agendapunt.functies)) for f in json.loads(row["functies"])]
    assert functies and set(functies) <= set(Functie.labels())
