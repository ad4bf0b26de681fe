"""Dutch word lists for the bundling suggestions in :mod:`overleg.clustering`.

The general list follows the usual Snowball/NLTK Dutch list, extended with Flemish spoken forms.
``DOMAIN_STOPWORDS`` holds words that occur in almost every street-work note ("jongeren", "gasten",
"zeggen") and therefore say nothing about which need a signal is about.
"""

STOPWORDS = frozenset(
    """
    aan af al alle alleen als altijd ander andere anders ben bij bijna binnen dan dat de der des deze die
    dit doch doen door dus een eens en enkel enkele er ergens fin geen geweest had haar hadden heb hebben
    heeft hem het hier hij hoe hun ieder iemand iets ik in is ja je jij jou jouw jullie kan kon konden
    kunnen maar me meer men met mij mijn moet moeten mocht mochten mogen na naar naartoe nee niet niets
    nog nooit nu of ofwel om omdat ons onze ook op over reeds sinds soms te tegen toch toen tot u uit uw
    van veel voor want waren was wat we wel werd wie wij wil willen worden wordt ze zal zei zelf zich zij
    zijn zo zoals zonder zou zouden zulke

    aant achter allemaal allebei beetje da dees derde dienen doet doe dra echt eerst elk elke ene enen
    even ge gaan gaat gedaan gehad geweest gewoon ging gingen goed gij grote hele helemaal hen hunne
    ieders iedereen int jullie kant keer kleine komen komt kregen krijgen krijgt krijg lang laten liefst
    maakt maken meestal mekaar misschien moest momenteel na nen net nie niemand noch nogal nou omwille
    ondanks onder ongeveer opnieuw overal pas per plots sowieso steeds terwijl toe tussen vaak van verder
    via vooral waar waarom wanneer weer weet weten wiens wordt zeker zelfs zien ziet zonder zoveel zowat
    zulks zeer 't 'k 's 'n daar daarna daarom alles wezen mee ermee tijdens elkaar ermee waarin één twee
    drie vier vijf zes zeven acht negen tien twintig honderd eerste tweede keer nieuwe nieuw oude paar
    heel hele ander
    """.split()
)

DOMAIN_STOPWORDS = frozenset(
    """
    jongere jongeren jong jongen jongens gast gasten tiener tieners kind kinderen zeggen zegt zeiden
    vertellen vertelt vertelde vinden vindt vond vragen vraagt vroegen voelen voelt voelde
    signaal signalen straatwerk straatwerker jeugdwerker
    """.split()
)

ALL_STOPWORDS = STOPWORDS | DOMAIN_STOPWORDS

# Flemish youth slang, abbreviations and spelling variants -> the standard word (applied before stemming).
# Only words that mean the same thing; no grouping of different words into themes.
SYNONYMS = {
    "flik": "politie", "flikken": "politie", "flikke": "politie", "combi": "politiecombi",
    "brossen": "spijbelen", "brost": "spijbelt", "bros": "spijbel",
    "chillen": "rondhangen", "chill": "rondhangen", "chillplek": "hangplek", "chillplekken": "hangplekken",
    "meiden": "meisjes", "meid": "meisje", "meidenavond": "meisjesavond",
    "snap": "snapchat", "insta": "instagram", "ig": "instagram", "nudes": "naaktfoto's", "nude": "naaktfoto",
    "jh": "jeugdhuis", "gsm": "smartphone", "fb": "facebook", "wa": "whatsapp",
    "studentenjob": "studentenjob", "jobstudent": "studentenjob", "jobstudenten": "studentenjob",
    "vuilnisbak": "vuilbak", "vuilnisbakken": "vuilbakken", "vuilbus": "vuilbak", "vuilbussen": "vuilbakken",
    "cyberpesten": "online pesten", "nepaccount": "nep account", "fake": "nep",
}

# Cheap compound splitting: nouns that often end a Dutch compound ("ontmoetings|plek", "jeugd|huis").
COMPOUND_TAILS = """
plek plaats ruimte huis bus halte lijn job werk school club geld kosten prijs park plein veld zaal hal
bank bak licht lamp lantaarn verlichting kamer centrum tunnel straat weg pad fiets kaart abonnement
account groep chat foto filmpje film beurs kantoor brief gesprek avond nacht week kamp ouder leerkracht
agent boete controle toilet water muur afval vuil winkel woning blok deur poort tuin vijver trein
station stage diploma les klas examen toernooi training sport voetbal dans game hulp lijst moment
tarief beurt pak schoen ring omgeving buurt wijk stad jaar""".split()
# Prefixes and particles that are not a compound head ("ver|lichting", "door|gang").
NOT_HEADS = frozenset("ver ont her mis voor aan uit door over onder mee toe weg bij".split())
