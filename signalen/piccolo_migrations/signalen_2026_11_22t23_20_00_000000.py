"""Default taxonomy drawn from practice; editable afterwards in the admin (a deactivated type stays on old signals)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-22T23:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Default levensdomeinen and signaaltypes"

LEVENSDOMEINEN = [
    ("vrije-tijd", "Vrije tijd", "Hobby's, sport, jeugdwerk, uitgaan, ergens kunnen zijn."),
    ("ruimte", "Ruimte", "Publieke ruimte, pleinen, parken, ontmoetingsplekken."),
    ("onderwijs", "Onderwijs", "School, spijbelen, vroegtijdig schoolverlaten, studeren."),
    ("werk", "Werk", "Studentenjobs, werk zoeken, stages, VDAB."),
    ("thuis", "Thuis", "Gezin, wonen, plaats om te studeren of tot rust te komen."),
    ("welzijn", "Welzijn", "Mentaal welzijn, gezondheid, iemand om mee te praten."),
    ("online", "Online", "Sociale media, online pesten, sextortion, gaming."),
    ("veiligheid", "Veiligheid", "Zich veilig voelen, politie, conflicten op straat."),
]
SIGNAALTYPES = [
    ("aanbod-ontoegankelijk", "Aanbod ontoegankelijk of te duur", "Het aanbod bestaat, maar is niet voor hen: te duur, te ver, niet welkom."),
    ("te-weinig-ontmoetingsplekken", "Te weinig ontmoetingsplekken", "Geen plek om samen te zijn zonder te consumeren."),
    ("publieke-ruimte", "Publieke ruimte (banken, vuilbakken, verlichting)", "Inrichting en onderhoud van de publieke ruimte."),
    ("mobiliteit", "Mobiliteit / uitwijken naar centrumsteden", "Openbaar vervoer, laatste bus, uitwijken naar de stad."),
    ("mentaal-welzijn", "Mentaal welzijn", "Stress, eenzaamheid, niemand om mee te praten."),
    ("online-veiligheid", "Online veiligheid", "Pesten, sextortion, oplichting en druk online."),
    ("onderwijs", "School en onderwijs", "Spijbelen, uitval, studeerplek, begeleiding."),
    ("werk", "Werk en studentenjob", "Job zoeken, discriminatie bij aanwerving, stages."),
    ("wonen-thuis", "Wonen en thuis", "Conflicten thuis, krap wonen, dakloosheid."),
    ("veiligheid-politie", "Veiligheid en politie", "Controles, zich (on)veilig voelen, conflicten."),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="signalen", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for table, rows in (("levensdomein", LEVENSDOMEINEN), ("signaaltype", SIGNAALTYPES)):
            for order, (slug, naam, omschrijving) in enumerate(rows):
                await table_insert(engine, table, slug, naam, omschrijving, order)

    manager.add_raw(run)
    return manager


async def table_insert(engine, table, slug, naam, omschrijving, order):
    from piccolo.querystring import QueryString

    query = QueryString(
        f"INSERT INTO {table} (naam, slug, omschrijving, actief, volgorde) "
        "SELECT {}, {}, {}, TRUE, {} WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE slug = {})",
        naam, slug, omschrijving, order, slug,
    )
    await engine.run_querystring(query)
