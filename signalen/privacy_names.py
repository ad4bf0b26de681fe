"""Person names for the privacy guard (signalen.privacy): word lists and `find_names`.

Exclusions and stopwords are matched case-insensitively, first names with their capitalisation.
"""

import re

# First names common among young people (and their parents) in Flanders,
# incl. Moroccan, Turkish, Congolese/West-African, Eritrean, Eastern European, Syrian, Afghan backgrounds.
FIRST_NAMES = frozenset(
    """
Aaron Adam Adrian Alexander Alexandre Arne Arno Arthur Axel Bart Bas Ben Benjamin Bert Bram Brent Brecht
Cas Cedric Cédric Cyriel Daan Dean Dennis Dieter Dirk Dries Dylan Elias Emiel Ewout Felix Ferre Filip Finn
Fons Frederik Gilles Glenn Gust Hannes Hans Hugo Ibe Jan Jarne Jasper Jef Jelle Jens Jeroen Jitse Joachim
Joppe Jordy Joris Jorre Jonas Jonathan Jules Kasper Kevin Kobe Koen Kris Kristof Lander Lars Lennert Lenn
Leon Leo Liam Louis Lowie Luc Lucas Lukas Luka Luca Maarten Mathias Matthias Mathis Mats Matteo Mauro
Maxim Maxime Michiel Mil Milan Nand Nathan Nick Niels Nils Noah Olivier Oscar Pepijn Pieter Quinten Remi
Rik Robbe Robin Roel Ruben Rune Sam Sander Sem Senne Seppe Siebe Simon Stan Stef Stijn Steven Thibault
Thibaut Thomas Tibo Tijs Tim Tom Tristan Tuur Vic Victor Viktor Vince Wannes Warre Wim Wout Wouter Xander
Yannick Yarne Yorben Zeno Jayden Jaden Joey Jason Kenny Kenzo Tyler Ryan Brandon Mike Michael Patrick
Peter Paul Marc Mark Geert Guy Eddy Danny Gert Johan Erik Eric Frank Kurt Rudy Sven Werner Hendrik Jeffrey
Lotte Noor Saar Hanne Jana Lien Lore Lies Marie Emma Julie Laura Lisa Elise Eline Ellen Eva Femke Fien
Fleur Hanna Helena Ine Jade Jolien Joke Kato Kaat Katrien Kim Lena Liese Lina Lize Luna Marthe Mila Mona
Nina Nore Olivia Paulien Renée Roos Sara Sarah Silke Sofie Sophie Sterre Tess Tessa Tine Tinne Valerie
Wendy Yana Yentl Zoë Zoe Amber Anke Anna Anouk Axelle Bo Charlotte Chloé Chloe Clara Elena Ella Emilie
Estelle Evi Febe Fenna Floor Flore Ilse Iris Isa Jasmijn Jente Joni Juliette Kiana Kirsten Laure Leen Liv
Lola Louise Lucie Manon Margot Marieke Mira Nele Nora Norah Oona Pauline Rosalie Ruth Sien Stien Tara Vera
Annick Ann Anne Christine Els Greet Hilde Ingrid Kathleen Linda Martine Nathalie Patricia Rita Sandra
Sonja Veerle Vicky Inge Karin Griet Kristel Marleen Mieke Nancy Peggy Sabine Tamara Tanja Jessica Melissa
Priscilla Cindy Kelly Shana Shauni Britt Jill Kimberly Samantha Stephanie Ashley Jennifer Mohamed Mohammed
Muhammed Muhammad Mohammad Mo Ahmed Ahmad Ali Omar Oumar Othman Hamza Bilal Ilias Ilyas Ayoub Youssef
Yousef Yusuf Younes Younès Yassine Yassin Zakaria Zakariya Soufiane Sofiane Soufian Anas Amine Mehdi Mahdi
Nassim Nabil Karim Rachid Said Saïd Samir Sami Rayan Rayane Reda Ridouan Redouan Abdel Abdelkader Abdellah
Abdullah Abderrahim Adil Anouar Anwar Badr Brahim Ibrahim Driss Fouad Hicham Hamid Hassan Hussein Houssam
Ismail Ismaël Ismael Jamal Khalid Marouane Marwan Mourad Mustafa Mustapha Nordin Noureddine Othmane
Oussama Osama Salah Tarik Tariq Walid Yahya Yassir Zouhair Idriss Imad Achraf Ashraf Akram Amir Aymen
Ayman Hakim Hatim Ilyes Jawad Kamal Mounir Nizar Oualid Rami Safouane Taha Wassim Yacine Zaid Zayd Ziyad
Yasmina Yasmine Jasmine Amira Amina Aya Fatima Fatma Fatiha Khadija Kaoutar Kawtar Meryem Maryam Mariam
Salma Sana Sanae Soukaina Hajar Hafsa Houda Ikram Imane Iman Inès Ines Dounia Douae Chaima Chaimae Hiba
Hanane Nadia Naima Najat Nawal Nour Nisrine Rania Safae Safa Samira Siham Souad Wafa Widad Yousra Zineb
Zaynab Zainab Zohra Malika Latifa Leila Layla Malak Manal Meriem Nassima Rajae Loubna Asmae Asma Ilham
Hind Ghizlane Ibtissam Anissa Aicha Aïcha Aisha Amal Hanae Wiam Elif Emre Mehmet Murat Ahmet Burak Can Cem
Deniz Ege Emir Enes Eren Furkan Hakan Hasan Hüseyin Kaan Kerem Mert Onur Orhan Ömer Osman Serkan Sinan
Tolga Volkan Yunus Yasin Arda Berkay Batuhan Baran Efe Emirhan Umut Ozan Selim Serhat Oğuz Esra Ayşe Ayse
Büşra Busra Derya Ebru Emine Hatice Merve Melike Özlem Selin Sevgi Sibel Tuğba Zeynep Zehra Yasemin Dilara
Ecrin Eylül Irem Kübra Nisa Sude Defne Ceren Buse Gizem Hande Melek Songül Şeyma Grâce Grace Merveille
Glodi Christelle Divine Gloria Ornella Naomie Naomi Bénédicte Bienvenu Junior Joël Dieumerci Héritier
Trésor Blessing Jordan Aristide Fiston Landry Rodrigue Serge Jospin Emmanuel Samuel Daniel David Moïse
Moise Nathanaël Angelo Ange Josué Mamadou Ibrahima Moussa Oumou Aminata Fatoumata Mariama Aïssatou
Kadiatou Binta Abdoulaye Amadou Ousmane Boubacar Lamine Seydou Sekou Kofi Kwame Abdi Ayaan Hodan Yonas
Dawit Semhar Filmon Merhawi Eyob Meron Winta Selam Robel Amanuel Habtom Aleksandra Alexandra Agnieszka
Kasia Katarzyna Magda Magdalena Natalia Zuzanna Julia Wiktoria Weronika Oliwia Kacper Jakub Kuba Szymon
Mateusz Michał Piotr Paweł Tomasz Krzysztof Wojciech Bartosz Dawid Igor Oskar Dominik Patryk Damian Kamil
Łukasz Marcin Maciej Nikola Nikolai Ivan Ivana Dimitar Dimitri Georgi Stefan Bogdan Andrei Alexandru Mihai
Ionut Florin Gabriel Cristian Vlad Radu Darius Denisa Bianca Andreea Ioana Alina Irina Larisa Roxana Daria
Olena Oksana Yulia Anastasia Sofia Viktoria Milena Marija Jovana Marko Nemanja Aleksandar Dejan Goran
Ardit Arben Besart Blerim Drilon Edona Arta Albana Erion Dritan Leonora Valon Khaled Mahmoud Abdulrahman
Yaman Ammar Bashar Hadi Tamer Yazan Rawan Raghad Reem Lama Hala Alaa Ghaith Wael Dana Layan Lujain Shahd
Farah Reza Sayed Sajad Samiullah Zabihullah Hekmat Naveed Nawid Farid Farhad Jawid Javid Morteza Mojtaba
Habib Rahim Shirin Parisa Zahra Fatemeh Marwa Mahsa Sahar Rojin Rojda Berfin Dilan Zilan Azad Rebin Mateo
Tiago Diego Pablo Carlos Miguel Rafael Ana Maria Beatriz João Joao Pedro Bruno Andrea Alessandro Giulia
Chiara Francesca Marco Giovanni Lorenzo Ilan Eden Ethan Isaac Jacob Joshua Aiden Mason Léo Théo Theo Enzo
Nolan Timéo Sacha Léa Lea Camille Inaya Ayla Alya Maya Mia Amelia Ava Isabella Sienna Kayla Nayla Naya Noé
Rose Esther Nassira Lamia Jihane Ayoube Ilyass Younesse Zyad Imran Yanis Adem Amin Aymane Ismaïl Nabila
Soumaya Sanaa Zakia Kenza Lamya Yara Florian Yorick Sanne Stefanie Yannis Thibo Staf Miel Bent Kian Mattia
Alice Lily Zita Romy Renske Lauren Linde Emily Leonie Billie June Amélie Elisa Aline Kiara Chelsey Valérie
Emilia Feline Margaux Merel Mirthe Pien Esmee Evy Hannelore Joyce Lieze Loes Maaike Yente Caro Lara
Lowiese Wiebe Mathijs Hanne-Lore Momo Yass Zak Ilyo Hamzi Abdou Rayen Chahid Youness Ilyasse Adnane Jaouad
Soulaimane Soulaiman Soufyan Yassmine Yassmina Jasmina Chaïma Sabrina Dina Mouna Hafida Fadoua Nezha
Khaoula Oumaima Oumayma Kostas Nikos Giorgos Dimitris Eleni Arjun Priya Abdirahman Hamdi Hibo Faduma Ayan
Alseny Bohdan Dmytro Mykola Taras Sofiia Polina Vladyslav Artem Maksym Magomed Ramzan Aslan Zelimkhan
Madina Elina Haidar Abbas Narek Arman Tigran Anahit Wahid Noorullah Shafiq Ajmal Zahir Jamila Nadira Roya
Hasti Arezoo Fereshta Salim Yaw Kwabena Ama Akosua Chinedu Chidi Ngozi Emeka Tunde Bola Fatou Awa Adama
Siaka Tenzin Dolma Pema Jigme Pieterjan Jan-Willem Annelies Annelien Anneleen Evelien Liesbeth Leentje
Veronique Kristien Katleen Lieve Nadine Mireille Brenda Sharon Melanie Dorien Ilona Noémie Noemi Océane
Maëlle Ilhame Soumia Rkia Mimoun Mohand Abdelhak Abdeslam Lahcen
""".split()
)


# Names that are also words, places or brands: need context at a sentence start or after
# a capitalised article ("café De Roos") or a place preposition ("in Sofia").
AMBIGUOUS_NAMES = frozenset(
    """
Ben Roos Bo Job Max Storm Sky Iris Amber Fleur Jade Wil Will Said Jan Mark Hazel Eden Rose Nova Luna Liv
Mats Lou Can Jordan Sofia Milan Gloria Victoria Dana Kim Leen Floor Vera Nora Hind Reem Ange Amal Hope Joy
Stan Wolf Bas Junior Divine Grace Blessing Merveille Trésor Mil Nand Isa Lama Hala Alaa Efe Ege Umut Deniz
Gül Nur Maya Eva Lina Sacha Dean Lieve Bent Staf Zak Emir Joke Lies
""".split()
)


# Places, organisations, apps, brands, months, days, feasts: never a person's name.
EXCLUDED_WORDS = frozenset(
    """
Mechelen Hoeilaart Brussel Antwerpen Gent Leuven Lier Duffel Bonheiden Willebroek Puurs Bornem Boom Rumst
Putte Keerbergen Haacht Zemst Vilvoorde Machelen Kampenhout Tervuren Overijse Halle Dilbeek Zaventem
Kortenberg Kraainem Rixensart Waterloo Linkebeek Beersel Drogenbos Asse Aalst Ninove Denderleeuw
Liedekerke Affligem Ternat Grimbergen Meise Wemmel Londerzeel Steenokkerzeel Walem Heffen Leest Hombeek
Muizen Battel Nekkerspoel Groenendaal Ukkel Elsene Anderlecht Molenbeek Schaarbeek Etterbeek Vorst Jette
Laken Evere Oudergem Bosvoorde Genk Hasselt Brugge Oostende Kortrijk Namen Luik Charleroi Bergen Nijvel
Waver Aarschot Diest Tienen Landen Turnhout Geel Mol Herentals Lokeren Dendermonde Temse Breda Kinshasa
Lubumbashi Casablanca Tanger Nador Rabat Marrakech Istanbul Ankara Damascus Aleppo Kabul Kaboel Polen
Roemenië Bulgarije Marokko Turkije Congo Syrië Afghanistan Eritrea Somalië Nederland Frankrijk Duitsland
België Vlaanderen Wallonië Europa Afrika Nederlands Frans Engels Arabisch Turks Berbers Pools Spaans
Vaartkom Kruidtuin Caputsteenpark Vrijbroekpark Tivolipark Tinelsite Tinelpark Bruul Veemarkt Vismarkt
Ijzerenleen IJzerenleen Lamot Nekkerhal Dijle Dijlepad Planckendael Technopolis Hanswijk Zoniënwoud
Zonienwoud Overkop CAW JES CLB OCMW VDAB NMBS Lijn Awel CGG JAC Jeugdhulp Samenlevingsopbouw Opgroeien
Chiro KSA KLJ Scouts Kazou Joetz Fedasil Caritas Politie Smartschool UiTPAS Uitpas Colruyt Delhaize Aldi
Lidl Carrefour Primark Zara Nike Adidas McDonald Quick KFC Netflix PlayStation Xbox Fortnite Minecraft
Roblox Instagram Insta TikTok Snapchat Snap WhatsApp Telegram Discord Facebook Messenger YouTube Twitch
BeReal Google Apple Samsung iPhone Proximus Telenet Orange Spotify januari februari maart april mei juni
juli augustus september oktober november december maandag dinsdag woensdag donderdag vrijdag zaterdag
zondag Pasen Kerstmis Kerst Nieuwjaar Ramadan Suikerfeest Offerfeest Halloween Sinterklaas Carnaval
Valentijn Allerheiligen Corona Covid Arktos Habbekrats Alba Kras Formaat Ligo Vormingplus Bataljong Tumult
Stad Gemeente God Allah Jezus Mechelaar Mechelaars Vlaams Vlaamse Belg Belgen Hoeilarenaar Sint Sinte Ring
Atheneum Stadhuis Kerk Station Mercierplein Racing KV Standard Club Sporting
""".split()
)


# Multi-word names of places and organisations; tokens inside them are never names.
EXCLUDED_PHRASES = (
    "Huis van het Kind",
    "Kind en Gezin",
    "De Lijn",
    "Child Focus",
    "Mechelen Feest",
    "Sociaal Huis",
    "Rode Kruis",
    "Grote Markt",
    "KV Mechelen",
    "Racing Mechelen",
    "Racing Genk",
    "Club Brugge",
    "Uit De Marge",
    "Burger King",
    "Kazerne Dossin",
    "Ter Kameren",
    "Jezus-Eik",
    "Rode Duivels",
    "Sint-Romboutskathedraal",
    "Sint-Rombouts",
    "Onze-Lieve-Vrouw",
    "Vluchtelingenwerk Vlaanderen",
)


# Common Dutch words that may be capitalised at a sentence start.
STOPWORDS = frozenset(
    """
de het een en of maar want dus toen dan als ik jij je hij zij ze we wij jullie hun hen haar zijn mijn ons
onze die dat deze dit er hier daar wie wat waar waarom hoe wanneer welke op in aan bij met van voor na
naar om over onder tussen tijdens sinds vanaf tot door zonder volgens via ook nog al niet geen niemand
iedereen iemand veel weinig sommige alle elke enkele drie twee vandaag gisteren morgen vanavond daarna
eerst later nu soms vaak altijd nooit misschien ja nee hallo contact adres mail nummer gsm tel mama papa
moeder vader broer zus oma opa tante oom neef nicht jongen meisje jongeren zoon dochter heer mevrouw
meneer juf meester hoeveel amper bus lijn woonachtig volg verder achteraf intussen ondertussen thuis
buiten binnen nadien vervolgens trouwens eigenlijk plots opeens uiteindelijk zo men sommigen velen allen
beiden anderen hierop daarop zelf opnieuw ineens vorige volgende nogmaals daarom bovendien wel gewoon echt
iets alles niets gesprek samen afspraak opening kostprijs wachtlijst dossiernummer geboren geboortedatum
rijksregisternummer insz rrn
""".split()
)


# Surname particles (lower-cased), e.g. van der, De, El, Ben, Aït.
PARTICLES = frozenset(
    """
van de der den ver ten ter te le la du d' el ben bin al ait aït abou abu bou oulad ould da dos di mac mc
o'
""".split()
)


# Street-name endings for addresses ("Bruulstraat 12", "Grote Markt 5"); lower-case notes only with the
# unambiguous ones; streets without a usual ending.
STREET_SUFFIXES = (
    "straat steenweg laan lei plein markt dreef weg baan kaai vest singel hof wijk berg dijk pad leen veld"
    " gracht vaart dam kouter meers beemd hoek dal heide kant ring steeg gang poort brug plaats dries"
    " boulevard rei wal warande werf"
).split()
LOWER_STREET_SUFFIXES = tuple("straat steenweg laan lei plein dreef kaai singel vest baan".split())
KNOWN_STREETS = frozenset({"bruul"})

# A number followed by one of these is a count, not a house number ("op de Grote Markt 2 meisjes").
COUNT_WORDS = frozenset(
    "jaar jarige jaren u uur uren min minuten sec euro eur € % km m meter keer x maal jongeren jongens"
    " meisjes kinderen tieners personen mensen deelnemers leerlingen man vrouwen groepen dagen weken maanden"
    " nachten plaatsen tickets stuks op tot à a en of procent gasten kids vrienden agenten auto's fietsen"
    " flessen boetes klachten meldingen".split()
)


# ---------------------------------------------------------------- name detection
_EXCLUDED = frozenset(w.lower() for w in EXCLUDED_WORDS)
_KNOWN = FIRST_NAMES | AMBIGUOUS_NAMES
_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in EXCLUDED_PHRASES) + r")\b", re.IGNORECASE)
_ARTICLES = frozenset({"De", "Het", "Den", "'t", "’t"})
_VENUES = frozenset(
    "jeugdhuis jh café cafe frituur bar restaurant snackbar nachtwinkel kapsalon vzw project school club"
    " jeugdbeweging sportclub voetbalclub fitness hotel taverne brasserie winkel zaal".split()
)
_PLACE_PREPOSITIONS = frozenset({"in", "naar", "uit", "te", "richting", "nabij"})
_NOT_A_NAME_ENDINGS = tuple(
    "straat laan park plein markt kerk school college atheneum instituut huis hal zaal station bos woud dreef"
    " wijk kom tuin poel site centrum stad dorp veld kaai vaart berg dijk gem zele kerke rode dael daal waver"
    " heide donk feest fest festival feesten club team bank winkel shop bar app net punt plan raad dienst"
    " werking werk project pas se sche isch ees aans".split()
)
_NAMING_VERBS = frozenset(
    "heet heette heten genaamd genoemd noemt noemde noemen bijnaam roepnaam alias naam".split()
)
_PRONOUNS = frozenset("hij zij ze hem haar zich is eigenlijk officieel echt".split())
_RELATIONS = frozenset(
    "jongste oudste zus zusje broer broertje vriend vriendin vriendje vriendinnetje lief liefje neef"
    " nicht nichtje oom tante mama papa moeder vader stiefvader stiefmoeder stiefbroer stiefzus oma opa"
    " zoon dochter jongen meisje jongeman gast kameraad klasgenoot klasgenote buurjongen buurmeisje juf"
    " meester meneer mevrouw dhr mevr leerkracht begeleider voogd pleegzoon pleegdochter kleinzoon"
    " kleindochter met zei zegt vertelde vertelt vroeg vraagt antwoordde riep".split()
)
_CUE_AFTER = re.compile(
    r"\s*(?:\(\s*(?:\d{1,2}\s*(?:j(?:aar)?\.?)?\s*\)|°|geb\.?|geboren)|,\s*\d{1,2}\s+jaar\b|\s+heet\b)",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(
    r",?\s+(?:zei|zegt|vertelde|vertelt|vroeg|vraagt|antwoordde|riep|lachte|huilde|appte|belde|stuurde"
    r"|schreef)\b",
    re.IGNORECASE,
)


def _is_initial(text: str, start: int) -> bool:
    k = start
    while k > 0 and text[k - 1] in " \t\"'“‘«([*•–-":
        k -= 1
    return k == 0 or text[k - 1] in ".!?:;…\n\r"


def find_names(text: str, words: list[re.Match]) -> list[tuple[str, int, int]]:
    """Spans ("naam", start, end) of person names: known first names, context cues, surnames."""
    n = len(words)
    mask = bytearray(len(text))
    for m in _PHRASES.finditer(text):
        mask[m.start() : m.end()] = b"\1" * (m.end() - m.start())
    toks, lows, ends, cap, bad = [], [], [], [], []
    for w in words:
        tok = w.group()
        if tok[-2:] in ("'s", "’s"):
            tok = tok[:-2]
        low = tok.lower()
        is_cap = tok[0].isupper() and not (len(tok) > 1 and tok.isupper())
        toks.append(tok)
        lows.append(low)
        ends.append(w.start() + len(tok))
        cap.append(is_cap)
        excluded = low in _EXCLUDED or low.split("-")[0] in _EXCLUDED  # "Mechelen-Zuid"
        bad.append(not is_cap or mask[w.start()] == 1 or excluded or low in STOPWORDS)

    def gap(i: int, j: int) -> str:  # the text between words i and j ("\n" when out of range)
        return text[ends[i] : words[j].start()] if 0 <= i < j < n else "\n"

    def cue_before(i: int) -> bool:  # "heet (hij) X", "zus (van) X", "een meisje, X", "met X"
        g1, w1 = gap(i - 1, i), lows[i - 1] if i else ""
        if g1.strip(" ," + ("." if w1 in ("dhr", "mevr") else "")) or not g1:
            return False
        if w1 in _NAMING_VERBS or w1 in _RELATIONS:
            return True
        w2 = lows[i - 2] if i > 1 and not gap(i - 2, i - 1).strip(" ") else ""
        return (w1 in _PRONOUNS and w2 in _NAMING_VERBS) or (w1 == "van" and w2 in _RELATIONS)

    def surname_end(i: int) -> int:  # index of the last surname word after first name i (or i)
        last, k, particles = i, i + 1, 0
        while k < n and not gap(k - 1, k).strip(" ") and particles <= 3 and k - i <= 4:
            if lows[k] in PARTICLES or lows[k].rstrip("'’") in PARTICLES:
                particles += 1
            elif cap[k] and not bad[k]:
                last, particles = k, 0
            else:
                break
            k += 1
        return last

    is_name = [False] * n
    for i, w in enumerate(words):
        if bad[i]:
            continue
        tok, start = toks[i], w.start()
        prev = toks[i - 1] if i and not gap(i - 1, i).strip(" ") else ""
        if prev in _ARTICLES and not _is_initial(text, words[i - 1].start()) or prev.lower() in _VENUES:
            continue  # "café De Roos", "frituur De Hoop", "jeugdhuis Tonka"
        after = text[ends[i] : ends[i] + 30]
        initial = _is_initial(text, start)
        cue = cue_before(i) or bool(_CUE_AFTER.match(after))
        if tok in _KNOWN or ("-" in tok and all(p in _KNOWN for p in tok.split("-"))):
            risky = tok in AMBIGUOUS_NAMES and (initial or prev.lower() in _PLACE_PREPOSITIONS)
            is_name[i] = not risky or cue or bool(_SPEECH_AFTER.match(after)) or surname_end(i) > i
        elif not lows[i].endswith(_NOT_A_NAME_ENDINGS):
            is_name[i] = cue or bool(_SPEECH_AFTER.match(after))

    def ranges() -> list[tuple[int, int]]:  # (first word, last surname word) of every name
        out, i = [], 0
        while i < n:
            if is_name[i]:
                out.append((i, surname_end(i)))
                i = out[-1][1] + 1
            else:
                i += 1
        return out

    plausible = [not b and not low.endswith(_NOT_A_NAME_ENDINGS) for b, low in zip(bad, lows, strict=True)]
    for _ in range(2):  # "Esra en Dounia", "Jens & Emre", "Nathan Claes en Yorick Wouters"
        for first, last in ranges():
            for i, lo, hi in ((last + 2, last, last + 2), (first - 2, first - 2, first)):
                if 0 <= lo and hi < n and plausible[i] and lows[lo + 1] in ("en", "of"):
                    is_name[i] = is_name[i] or not (gap(lo, lo + 1) + gap(lo + 1, hi)).strip(" ")
            for i, lo, hi in ((last + 1, last, last + 1), (first - 1, first - 1, first)):
                if 0 <= lo and hi < n and plausible[i] and gap(lo, hi).strip() == "&":
                    is_name[i] = True
    return [("naam", words[first].start(), ends[last]) for first, last in ranges()]
