"""Demo signals: a living example of what workers in Mechelen and Hoeilaart hear on the street."""

from __future__ import annotations

import datetime as dt

from piccolo.apps.user.tables import BaseUser

from admin.sessions import resolve_user
from common import dates
from common.dates import today
from signalen.embeddings import embed_missing
from signalen.services import create_signaal
from signalen.tables import Signaal

# (days ago, gemeente, author, titel, omschrijving, plek, bron, levensdomein, signaaltype, aantal, leeftijd, citaten)
SIGNALEN = [
    (3, "mechelen", "werker", "Geen plek om samen te zitten in Nekkerspoel",
     "Een groep van zes tieners hangt rond aan het station van Nekkerspoel. Ze zeggen dat ze overal weggestuurd "
     "worden en dat er geen banken meer staan sinds de heraanleg.", "Nekkerspoel", "straat", "ruimte",
     "te-weinig-ontmoetingsplekken", 6, "12-15", ["Overal worden we weggestuurd.", "Waar moeten we dan zitten?"]),
    (10, "mechelen", "werker", "Banken weggehaald aan het speelpleintje Nekkerspoel",
     "Buurtbewoners klaagden over lawaai, nu zijn de banken weg. De jongeren zitten nu op de trappen van de kerk.",
     "Nekkerspoel", "straat", "ruimte", "publieke-ruimte", 8, "12-15", ["Ze willen ons hier gewoon niet."]),
    (24, "mechelen", "werker", "Ontmoetingsplek gezocht voor meisjes uit de wijk",
     "Meisjes van 13-14 jaar willen een plek om af te spreken die niet het jeugdhuis is. "
     "Het jeugdhuis voelt voor hen als 'van de jongens'.", "Nekkerspoel", "straat", "vrije-tijd",
     "te-weinig-ontmoetingsplekken", 4, "12-15", ["In het jeugdhuis zitten alleen maar jongens."]),
    (40, "mechelen", "voorzitter", "Jongeren voelen zich niet welkom in jeugdhuis",
     "Tijdens het jongerenoverleg zeiden verschillende jongeren dat het jeugdhuis 'niet voor ons' is: "
     "te veel regels, de begeleiding kent hen niet.", "Jeugdhuis Centrum", "jongerenoverleg", "vrije-tijd",
     "aanbod-ontoegankelijk", 12, "16-18", ["Dat is niet voor mensen zoals wij."]),
    (5, "mechelen", "werker", "Sportclub te duur voor grote gezinnen",
     "Een jongen van 15 wil voetballen maar het lidgeld is 350 euro; met vier kinderen lukt dat niet. "
     "De UiTPAS-korting is niet gekend.", "Sportcentrum Tervuursesteenweg", "straat", "vrije-tijd",
     "aanbod-ontoegankelijk", 1, "12-15", ["Mijn mama kan dat niet betalen."]),
    (17, "mechelen", "werker", "Geen verlichting op het fietspad langs de Dijle",
     "Meisjes fietsen 's avonds na de dansles liever om, het pad langs de Dijle is volledig donker.",
     "Dijlepad", "activiteit", "veiligheid", "publieke-ruimte", 5, "16-18", ["Ik rijd daar niet meer alleen."]),
    (31, "mechelen", "werker", "Niemand om mee te praten over stress thuis",
     "Twee jongeren vertellen dat ze thuis niet kunnen praten en niet weten waar ze terechtkunnen. "
     "Het CAW kennen ze niet, het CLB vinden ze 'van school'.", "Vrijbroekpark", "straat", "welzijn",
     "mentaal-welzijn", 2, "16-18", ["Ik wil gewoon met iemand praten die niet van school is."]),
    (52, "mechelen", "werker", "Online afpersing met foto's",
     "Een jongen werd via een fake account gevraagd om foto's en daarna afgeperst. Hij durfde het niet te zeggen "
     "tegen zijn ouders.", "Online", "online", "online", "online-veiligheid", 1, "12-15", []),
    (64, "mechelen", "werker", "Studieplek nodig tijdens de examens",
     "Jongeren uit krappe woningen hebben geen rustige plek om te studeren. De bib sluit om 17u.",
     "Bibliotheek Het Predikheren", "straat", "onderwijs", "onderwijs", 7, "16-18",
     ["Thuis zijn we met zes op een appartement."]),
    (75, "mechelen", "werker", "Politiecontroles op het Zennegat",
     "Groepjes jongeren worden meerdere keren per week gecontroleerd. Ze voelen zich geviseerd.",
     "Zennegat", "straat", "veiligheid", "veiligheid-politie", 9, "16-18",
     ["Elke week opnieuw mijn identiteitskaart."]),
    (90, "mechelen", "werker", "Studentenjob vinden lukt niet",
     "Jongeren met een migratieachtergrond krijgen geen antwoord op hun sollicitaties voor een studentenjob.",
     "Jeugdhuis Centrum", "partner", "werk", "werk", 5, "16-18", []),
    (120, "mechelen", "werker", "Skatepark kapot en niet hersteld",
     "De rampen van het skatepark aan de Vaartkom zijn al maanden kapot. Jongeren wijken uit naar Antwerpen.",
     "Vaartkom", "straat", "ruimte", "publieke-ruimte", 10, "12-15", ["We gaan nu naar Antwerpen, hier is niks."]),
    (150, "mechelen", "werker", "Te weinig ontmoetingsplekken na 20u",
     "Na acht uur 's avonds is er geen enkele overdekte plek waar tieners mogen zijn zonder iets te kopen.",
     "Centrum", "straat", "ruimte", "te-weinig-ontmoetingsplekken", 15, "gemengd", []),
    (7, "hoeilaart", "werker2", "Laatste bus naar Brussel vertrekt te vroeg",
     "Jongeren die in Brussel naar school gaan of werken kunnen 's avonds niet meer terug: de laatste bus vertrekt "
     "om 20u12.", "Station Hoeilaart", "straat", "vrije-tijd", "mobiliteit", 6, "16-18",
     ["Na de training sta ik hier vast."]),
    (21, "hoeilaart", "werker2", "Niets te doen voor tieners in het weekend",
     "Het enige aanbod is de sportclub. Wie niet sport, hangt rond aan het gemeentehuis of gaat naar Brussel.",
     "Gemeenteplein", "straat", "vrije-tijd", "te-weinig-ontmoetingsplekken", 8, "12-15",
     ["Hier is gewoon niks voor ons."]),
    (33, "hoeilaart", "werker2", "Bus naar Overijse rijdt niet in de vakantie",
     "In de schoolvakanties rijdt de schoolbus niet; jongeren zonder brommer zitten vast in Hoeilaart.",
     "Station Hoeilaart", "straat", "vrije-tijd", "mobiliteit", 4, "12-15", []),
    (45, "hoeilaart", "werker2", "Geen ontmoetingsplek aan het Zoniënwoud",
     "Jongeren spreken af in het bos omdat er in het dorp geen plek is. Boswachters sturen hen weg.",
     "Zoniënwoud", "straat", "ruimte", "te-weinig-ontmoetingsplekken", 7, "16-18",
     ["In het dorp mogen we nergens zijn."]),
    (58, "hoeilaart", "werker2", "Jongeren zoeken iemand om mee te praten",
     "Na het overlijden van een klasgenoot hebben verschillende jongeren nood aan een babbel. "
     "Het dichtstbijzijnde JAC is in Brussel.", "Online", "online", "welzijn", "mentaal-welzijn", 5, "16-18", []),
    (80, "hoeilaart", "werker2", "Pesterijen in een groepschat",
     "In een groepschat van het middelbaar worden filmpjes gedeeld van een meisje. De school reageert traag.",
     "Online", "online", "online", "online-veiligheid", 1, "12-15", []),
]


async def load_signalen() -> bool:
    """Load once: True when added, False when demo signals were there already."""
    if await Signaal.exists().where(Signaal.titel == SIGNALEN[0][3]):
        return False
    users = {row["username"]: row["id"] for row in await BaseUser.select(BaseUser.id, BaseUser.username)}
    for days, gemeente, author, titel, omschrijving, plek, bron, domein, soort, aantal, leeftijd, citaten in SIGNALEN:
        user = await resolve_user(users[author])
        signaal = await create_signaal(user, {
            "gemeente": gemeente, "titel": titel, "omschrijving": omschrijving,
            "datum": (today() - dt.timedelta(days=days)).isoformat(), "plek": plek, "bron": bron,
            "levensdomein": domein, "signaaltype": soort, "aantal_jongeren": aantal,
            "leeftijd": leeftijd,
            "citaten": citaten,
        }, confirm=True)
        created = dates.now() - dt.timedelta(days=days)
        await Signaal.update({Signaal.aangemaakt_op: created, Signaal.gewijzigd_op: created}).where(
            Signaal.id == signaal["id"])
    await embed_missing()  # so the demo shows similar signals and "Lijkt op" from the start
    return True
