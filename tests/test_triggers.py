"""Trigger tagger (codebook section 4): every word of a family, in any inflection or
tense, must be found with its ACLED sub-event type and role; words that only look like
a trigger must not be. Sentences are invented, from many wars.

A row marked ``missing`` is a word any war reporter uses that its family lacks; a row
marked ``false_trigger`` is a word wrongly matched. Both are strict xfails: they pass
once ``models/triggers.yaml`` has the word (or stops matching it).
"""

from __future__ import annotations

import pytest
from test_events import events_of, row

CLASH = "Armed clash"
TAKEOVER = "Non-state actor overtakes territory"
GOVERNMENT = "Government regains territory"
AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
SUICIDE = "Suicide bomb"
IED = "Remote explosive/landmine/IED"
CHEMICAL = "Chemical weapon"
GRENADE = "Grenade"
KILLING = "Attack"
ABDUCTION = "Abduction/forced disappearance"
SEXUAL = "Sexual violence"
PROTEST = "Peaceful protest"
PROTEST_FORCE = "Excessive force against protesters"
MOB = "Mob violence"
AGREEMENT = "Agreement"
ARREST = "Arrests"
CHANGE = "Change to group/activity"
BASE = "Headquarters or base established"
LOOTING = "Looting/property destruction"
TRANSFER = "Non-violent transfer of territory"
DISRUPTED = "Disrupted weapons use"
OTHER = "Other"


def missing(word: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason=f"missing: {word}", strict=True)


def false_trigger(word: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason=f"false trigger: {word}", strict=True)


def found(tag, text: str, country: str) -> list[tuple[str, str]]:
    """The triggers of ``text`` as written, each with its sub-event type."""
    doc = tag(text, (country,))
    return [(span.text, span._.trigger.sub_event_type) for span in doc.spans["triggers"]]


# family: rows of (country, invented sentence, the trigger as written, its sub-event type)
FAMILIES: dict[str, list] = {
    "clash": [
        (
            "IQ",
            "Heavy fighting broke out between the Mahdi Army and US troops in Najaf.",
            "Heavy fighting",
            CLASH,
        ),
        ("LK", "The Tigers and the army clashed near Kilinochchi for a third day.", "clashed", CLASH),
        (
            "CO",
            "FARC guerrillas and paramilitaries fought a gun battle outside Medellin.",
            "gun battle",
            CLASH,
        ),
        ("SO", "A firefight erupted between al-Shabaab and AMISOM troops near Kismayo.", "firefight", CLASH),
        (
            "UA",
            "Separatists and Ukrainian troops exchanged fire near Donetsk airport.",
            "exchanged fire",
            CLASH,
        ),
        ("CD", "M23 rebels and FARDC soldiers skirmished north of Goma.", "skirmished", CLASH),
        ("BA", "Serb and Bosniak units were skirmishing in the hills above Sarajevo.", "skirmishing", CLASH),
        ("MM", "The Arakan Army battled junta troops in Paletwa.", "battled", CLASH),
        ("SD", "RSF and army units are battling for control of Khartoum.", "battling", CLASH),
        ("AF", "Insurgents and Afghan commandos fought a two-hour shootout in Kandahar.", "shootout", CLASH),
        ("LY", "Fierce fighting raged in the southern suburbs of Tripoli.", "Fierce fighting", CLASH),
        ("YE", "The Houthis were fighting Saudi-backed forces near Marib.", "fighting", CLASH),
        ("ML", "Rebels fought government troops for control of Kidal.", "fought", CLASH),
        ("SD", "The army and the RSF fought for control of Khartoum.", "fought", CLASH),
    ],
    "under fire": [
        ("AF", "A US patrol came under fire in the Korengal valley.", "came under fire", CLASH),
        ("IQ", "The convoy was ambushed outside Fallujah.", "was ambushed", CLASH),
        ("MM", "Resistance fighters were attacked in their camp.", "were attacked", CLASH),
        ("NG", "Troops repelled a Boko Haram attack on Monguno.", "repelled", CLASH),
        ("ML", "Malian soldiers repulsed an assault on their base in Boulkessi.", "repulsed", CLASH),
        ("RU", "Federal troops fended off a rebel raid on Grozny.", "fended off", CLASH),
        ("SO", "The garrison held off al-Shabaab fighters for several hours.", "held off", CLASH),
        ("LK", "Government troops beat back a Tiger assault on Elephant Pass.", "beat back", CLASH),
        ("UA", "The defenders pushed back Russian forces from Kharkiv.", "pushed back", CLASH),
    ],
    "attack": [
        ("AF", "Taliban fighters overran a police outpost in Helmand.", "overran", CLASH),
        ("PK", "Army commandos cornered the militants in a madrasa in Islamabad.", "cornered", CLASH),
        (
            "NG",
            "A joint operation by Nigerian and Chadian troops began against Boko Haram in Gwoza.",
            "joint operation",
            CLASH,
        ),
        ("IQ", "The army launched an operation to clear Fallujah.", "launched an operation", CLASH),
        ("AF", "The Taliban have overrun several district centres.", "overrun", CLASH),
        ("SO", "Al-Shabaab fighters are overrunning army bases along the Juba.", "overrunning", CLASH),
        ("IQ", "Insurgents attacked a police station in Ramadi.", "attacked", CLASH),
        ("IQ", "Gunmen raided the home of a tribal leader in Baqubah.", "raided", CLASH),
        ("RU", "Chechen fighters stormed the hospital in Budyonnovsk.", "stormed", CLASH),
        ("SO", "Militants launched an assault on the hotel in Mogadishu.", "launched an assault", CLASH),
        ("CO", "The ELN ambushed a military patrol in Arauca.", "ambushed", CLASH),
        ("UA", "Russian troops launched a counteroffensive near Kherson.", "counteroffensive", CLASH),
        ("RU", "Federal troops beat off a rebel counter-attack in Grozny.", "counter-attack", CLASH),
        ("LK", "The LTTE mounted an attack on the airbase at Katunayake.", "mounted an attack", CLASH),
        ("NG", "Boko Haram gunmen opened fire on worshippers in Kano.", "opened fire on", CLASH),
        ("UA", "Ukrainian forces counterattacked near Kupiansk.", "counterattacked", CLASH),
    ],
    "encirclement": [
        ("BA", "Serb forces besieged Sarajevo for almost four years.", "besieged", CLASH),
        ("UA", "Russian troops encircled Mariupol in early March.", "encircled", CLASH),
        ("SY", "Government troops are encircling the rebel-held district.", "encircling", CLASH),
        ("IQ", "Iraqi forces surrounded the old city of Mosul.", "surrounded", CLASH),
        ("LY", "Haftar's forces surround Tripoli.", "surround", CLASH),
        ("BA", "Bosnian Serb forces laid siege to Srebrenica.", "laid siege to", CLASH),
        ("SD", "The RSF has been laying siege to El Fasher since May.", "laying siege to", CLASH),
        ("YE", "The Houthis imposed a siege on Taiz.", "imposed a siege on", CLASH),
        ("UA", "Russian forces besieging Chernihiv pulled back.", "besieging", CLASH),
        ("UA", "The siege of Mariupol lasted eighty-six days.", "siege", CLASH),
        ("LK", "The army cut off the Tigers' supply lines near Mullaitivu.", "cut off", CLASH),
        ("UA", "About 2,000 Ukrainian soldiers were encircled in Debaltseve.", "were encircled", CLASH),
        (
            "UA",
            "Ukrainian troops found themselves encircled near Ilovaisk.",
            "found themselves encircled",
            CLASH,
        ),
        ("YE", "The Houthis have blockaded Taiz since 2015.", "blockaded", CLASH),
    ],
    "entering": [
        ("IQ", "US troops breached the defences of Fallujah.", "breached", CLASH),
        ("IQ", "Islamic State fighters stormed into Ramadi.", "stormed into", CLASH),
        ("SO", "Al-Shabaab militants infiltrated the compound disguised as soldiers.", "infiltrated", CLASH),
        ("UA", "Russia invaded Ukraine on 24 February.", "invaded", CLASH),
        ("RU", "Russian troops invading Chechnya met fierce resistance.", "invading", CLASH),
        ("IQ", "The invasion of Iraq began at dawn.", "invasion", CLASH),
        ("ML", "Jihadists swept into Konna in January 2013.", "swept into", CLASH),
        ("AF", "The Taliban entered Kabul on 15 August.", "entered", CLASH),
        ("UA", "Russian columns pushed into the outskirts of Kyiv.", "pushed into", CLASH),
        ("SY", "Rebels broke into the central prison of Aleppo.", "broke into", CLASH),
        ("IQ", "Kurdish fighters broke through the ISIS lines at Sinjar.", "broke through", CLASH),
        ("YE", "Houthi fighters advanced on Aden in March 2015.", "advanced on", CLASH),
        ("MM", "Resistance forces advanced into Lashio.", "advanced into", CLASH),
        ("UA", "Russian troops are advancing towards Pokrovsk.", "advancing", CLASH),
        ("RU", "Chechen militants poured into Dagestan in August 1999.", "poured into", CLASH),
        ("AF", "Taliban fighters rolled into Kabul without resistance.", "rolled into", CLASH),
        ("AF", "The Taliban marched into Kabul on Sunday.", "marched into", CLASH),
        ("UA", "Russian troops crossed into Ukraine from Belarus.", "crossed into", CLASH),
        ("CD", "Rwandan-backed rebels moved into Goma.", "moved into", CLASH),
    ],
    "capture": [
        ("IQ", "Islamic State captured Mosul in June 2014.", "captured", TAKEOVER),
        ("IQ", "ISIS seized Ramadi in May 2015.", "seized", TAKEOVER),
        ("LY", "Rebels took control of Zawiya.", "took control", TAKEOVER),
        ("AF", "The Taliban took full control of the province.", "took full control", TAKEOVER),
        ("SO", "Al-Shabaab took over the town of Bulo Burde.", "took over", TAKEOVER),
        ("CD", "M23 rebels have seized control of Bunagana.", "seized control", TAKEOVER),
        ("MM", "The Arakan Army took hold of the town of Paletwa.", "took hold of", TAKEOVER),
        ("IQ", "The militia retook the village.", "retook", TAKEOVER),
        ("UA", "Ukrainian troops recaptured Izium in September.", "recaptured", TAKEOVER),
        ("UA", "Ukrainian forces have retaken Kherson.", "retaken", TAKEOVER),
        ("IQ", "The army is fighting to retake Mosul.", "retake", TAKEOVER),
        ("LK", "The army regained control of the Jaffna peninsula.", "regained control", TAKEOVER),
        ("NG", "The army reclaimed Bama from Boko Haram.", "reclaimed", TAKEOVER),
        ("AF", "The Taliban won back the district.", "won back", TAKEOVER),
        ("IQ", "Peshmerga drove ISIS fighters out of Sinjar.", "drove", TAKEOVER),
        ("AF", "Afghan forces ousted the Taliban from Kunduz.", "ousted", TAKEOVER),
        ("RU", "The rebels expelled federal troops from Grozny.", "expelled", TAKEOVER),
        ("SO", "Government troops liberated Kismayo.", "liberated", TAKEOVER),
        (
            "LY",
            "Misrata brigades wrested control of Sirte from the Islamic State.",
            "wrested control",
            TAKEOVER,
        ),
        ("UA", "Separatists gained control of the border crossing.", "gained control", TAKEOVER),
        ("IQ", "ISIS took Ramadi in May 2015.", "took", TAKEOVER),
        ("ML", "Islamists conquered the north of Mali.", "conquered", TAKEOVER),
        pytest.param(
            "YE",
            "The coalition pushed the Houthis out of Aden.",
            "pushed",
            TAKEOVER,
            marks=missing("push X out of (only 'push out' is listed)"),
        ),
    ],
    "lose": [
        ("IQ", "The city fell to the rebels.", "fell to", TAKEOVER),
        ("AF", "Kunduz has fallen to the Taliban.", "fallen to", TAKEOVER),
        ("AF", "Several districts were falling to the Taliban every week.", "falling to", TAKEOVER),
        ("ML", "Timbuktu fell into the hands of Ansar Dine.", "fell into the hands of", TAKEOVER),
        ("SY", "The rebels lost the town to Islamic State.", "lost", TAKEOVER),
        ("UA", "Ukraine lost control of Soledar in January.", "lost control of", TAKEOVER),
        ("LY", "The town was lost to Haftar's forces.", "was lost to", TAKEOVER),
        ("SO", "The town has been lost to al-Shabaab.", "been lost to", TAKEOVER),
        ("IQ", "The fall of Mosul shocked Baghdad.", "The fall of", TAKEOVER),
    ],
    "air": [
        ("IQ", "Coalition jets carried out airstrikes on Raqqa.", "airstrikes", AIR),
        ("IQ", "Coalition jets carried out air-strikes on Raqqa.", "air-strikes", AIR),
        ("IQ", "Coalition jets carried out air strikes on Raqqa.", "air strikes", AIR),
        ("YE", "A Saudi-led airstrike hit a wedding in Sanaa.", "airstrike", AIR),
        ("LY", "NATO air raids struck Gaddafi's compound.", "air raids", AIR),
        ("AF", "A US drone strike killed a Taliban commander in Kunar.", "drone strike", AIR),
        ("SO", "Drone strikes targeted al-Shabaab in Jilib.", "Drone strikes", AIR),
        ("SD", "Army warplanes bombed a market in Nyala.", "warplanes", AIR),
        ("UA", "Russian aircraft bombed the drama theatre in Mariupol.", "bombed", AIR),
        ("MM", "Junta fighter jets struck a village in Sagaing.", "fighter jets", AIR),
        ("YE", "Coalition aircraft flew dozens of sorties over Saada.", "sorties", AIR),
        ("CD", "A helicopter gunship fired on rebel positions.", "helicopter gunship", AIR),
        ("MM", "The military conducted an aerial bombardment of Kanbalu.", "aerial bombardment", AIR),
        ("YE", "Coalition jets struck a funeral hall in Sanaa.", "jets", AIR),
        pytest.param("UA", "Russian drones attacked Odesa overnight.", "drones", AIR, marks=missing("drone")),
        pytest.param("LY", "Turkish drones hit Haftar's convoy.", "drones", AIR, marks=missing("drone")),
        ("SD", "Army helicopters strafed the convoy.", "strafed", AIR),
    ],
    "shelling": [
        ("UA", "Russian forces fired cruise missiles at Kyiv.", "cruise missiles", SHELLING),
        ("UA", "Separatists shelled Mariupol.", "shelled", SHELLING),
        ("BA", "Serb gunners were shelling Sarajevo from the hills.", "shelling", SHELLING),
        ("BA", "The shelling of the marketplace killed 68 people.", "shelling", SHELLING),
        ("UA", "Russian artillery pounded Bakhmut.", "artillery", SHELLING),
        (
            "UA",
            "Ukrainian positions near Avdiivka came under heavy artillery fire.",
            "artillery fire",
            SHELLING,
        ),
        ("UA", "A ballistic missile struck Dnipro.", "ballistic missile", SHELLING),
        ("UA", "Grad rockets hit Kramatorsk.", "Grad", SHELLING),
        ("AF", "Insurgents fired rockets at Bagram airfield.", "rockets", SHELLING),
        ("IQ", "Insurgents fired mortars at the Green Zone.", "mortars", SHELLING),
        ("UA", "Russian forces bombarded Kharkiv.", "bombarded", SHELLING),
        ("SY", "Helicopters dropped barrel bombs on Daraya.", "barrel bombs", SHELLING),
        ("UA", "A Russian missile strike hit a shopping centre in Kremenchuk.", "missile strike", SHELLING),
        ("UA", "Russian forces struck Kharkiv with Iskander missiles.", "missiles", SHELLING),
    ],
    "suicide": [
        ("IQ", "Two attackers blew themselves up at a checkpoint in Baghdad.", "blew themselves up", SUICIDE),
        ("RU", "A female bomber blew herself up at the Moscow metro station.", "blew herself up", SUICIDE),
        ("AF", "A suicide bomber blew himself up outside the ministry in Kabul.", "blew himself up", SUICIDE),
        ("NG", "Two suicide bombers struck a market in Maiduguri.", "suicide bombers", SUICIDE),
        ("SO", "Al-Shabaab claimed the suicide bombing in Mogadishu.", "suicide bombing", SUICIDE),
        ("SO", "A suicide car bomb exploded at the gate of the hotel.", "suicide car bomb", SUICIDE),
        ("IQ", "A car bomb ripped through a market in Sadr City.", "car bomb", SUICIDE),
        ("IQ", "Car bombs exploded across Baghdad.", "Car bombs", SUICIDE),
        ("AF", "A Taliban suicide attacker rammed a truck bomb into the base.", "truck bomb", SUICIDE),
        ("IQ", "Insurgents detonated a VBIED near the police academy.", "VBIED", SUICIDE),
        ("NG", "A bomber wearing an explosive vest struck a mosque in Mubi.", "explosive vest", SUICIDE),
        ("AF", "A suicide attack on the academy killed 40 cadets.", "suicide attack", SUICIDE),
    ],
    "ied": [
        ("AF", "Their Humvee hit a roadside bomb in Kandahar.", "roadside bomb", IED),
        ("SO", "Two roadside bombs went off near Afgoye.", "roadside bombs", IED),
        ("IQ", "An IED struck a US convoy near Tikrit.", "IED", IED),
        ("CO", "Two soldiers stepped on a landmine in Antioquia.", "landmine", IED),
        ("ML", "A peacekeeping vehicle hit a mine near Kidal.", "hit a mine", IED),
        (
            "AF",
            "An improvised explosive device killed three soldiers in Helmand.",
            "improvised explosive device",
            IED,
        ),
        ("CO", "Two children were killed by landmines in Antioquia.", "landmines", IED),
        ("AF", "Insurgents planted IEDs along the road to Kandahar.", "IEDs", IED),
        pytest.param(
            "UA",
            "A tractor hit an anti-tank mine near Kherson.",
            "mine",
            IED,
            marks=missing("mine / anti-tank mine"),
        ),
    ],
    "detonation": [
        ("IQ", "Militants detonated a bomb at the market in Hilla.", "detonated", IED),
        ("NG", "A bomb exploded at a bus station in Nyanya.", "exploded", IED),
        ("AF", "A powerful blast rocked the diplomatic quarter of Kabul.", "blast", IED),
        ("LK", "An explosion ripped through a bus in Colombo.", "explosion", IED),
        pytest.param(
            "IQ", "Insurgents blew up a bridge near Samarra.", "blew up", IED, marks=missing("blow up")
        ),
    ],
    "chemical": [
        ("IQ", "Iraqi aircraft dropped mustard gas on Halabja in 1988.", "mustard gas", CHEMICAL),
        ("SY", "A sarin attack hit Ghouta in August 2013.", "sarin", CHEMICAL),
        ("IQ", "Insurgents used chlorine against the town.", "chlorine", CHEMICAL),
        ("SY", "Witnesses described a chemical attack on Douma.", "chemical attack", CHEMICAL),
    ],
    "grenade": [
        ("BI", "Unknown men threw a grenade into a bar in Bujumbura.", "grenade", GRENADE),
        ("UA", "A drone dropped grenades on a trench near Bakhmut.", "grenades", GRENADE),
        ("AF", "A grenade attack wounded five policemen.", "grenade attack", GRENADE),
    ],
    "mass killings": [
        ("SD", "Janjaweed militiamen committed mass killings in Darfur.", "mass killings", KILLING),
        ("BA", "Bosnian Serb forces massacred some 8,000 men at Srebrenica.", "massacred", KILLING),
        ("SD", "The massacre of Masalit civilians in Geneina.", "massacre", KILLING),
        ("IQ", "Islamic State executed hundreds of prisoners at Camp Speicher.", "executed", KILLING),
        ("SO", "Al-Shabaab beheaded two aid workers.", "beheaded", KILLING),
        ("MM", "Soldiers slaughtered villagers in Inn Din.", "slaughtered", KILLING),
        ("NG", "Gunmen shot dead a village chief in Zamfara.", "shot dead", KILLING),
        ("CO", "Paramilitaries gunned down six peasants in Mapiripan.", "gunned down", KILLING),
        ("AF", "The Taliban assassinated the governor of Kunduz.", "assassinated", KILLING),
        ("UA", "Russian soldiers tortured civilians in Bucha.", "tortured", KILLING),
        ("UA", "Russian soldiers killed civilians in Bucha.", "killed civilians", KILLING),
        ("CD", "Militiamen murdered dozens of villagers in Ituri.", "murdered", KILLING),
        ("CD", "Dozens of villagers were hacked to death in Beni.", "hacked to death", KILLING),
        ("MM", "Dozens of villagers were burned alive in Sagaing.", "burned alive", KILLING),
    ],
    "abduction": [
        ("NG", "Boko Haram abducted 276 schoolgirls from Chibok.", "abducted", ABDUCTION),
        ("LY", "Militiamen are abducting migrants on the coast road.", "abducting", ABDUCTION),
        ("CO", "The FARC kidnapped Ingrid Betancourt in 2002.", "kidnapped", ABDUCTION),
        ("IQ", "The kidnapping of aid workers in Falluja.", "kidnapping", ABDUCTION),
        ("SO", "Four aid workers were taken hostage near Galkayo.", "taken hostage", ABDUCTION),
        ("AF", "Hostage-taking became routine on the Kabul road.", "Hostage-taking", ABDUCTION),
        pytest.param(
            "SO",
            "Pirates took the crew of the tanker hostage.",
            "hostage",
            ABDUCTION,
            marks=missing("take X hostage (only 'take hostage' is listed)"),
        ),
    ],
    "sexual violence": [
        ("CD", "Soldiers raped dozens of women in Minova.", "raped", SEXUAL),
        ("CD", "Soldiers gang-raped women in Minova.", "raped", SEXUAL),
        ("SD", "The RSF committed sexual violence against women in Geneina.", "sexual violence", SEXUAL),
        ("UA", "Soldiers sexually assaulted women in Bucha.", "sexually assaulted", SEXUAL),
    ],
    "protest": [
        ("IQ", "Thousands protested against the occupation in Baghdad.", "protested", PROTEST),
        ("UA", "Students demonstrated on the Maidan in Kyiv.", "demonstrated", PROTEST),
        ("SD", "Protesters rallied outside the army headquarters in Khartoum.", "rallied", PROTEST),
        ("MM", "Crowds marched against the coup in Yangon.", "marched against", PROTEST),
        (
            "IQ",
            "Security forces opened fire on protesters in Nasiriyah.",
            "opened fire on protesters",
            PROTEST_FORCE,
        ),
        ("SD", "Soldiers fired on demonstrators in Omdurman.", "fired on demonstrators", PROTEST_FORCE),
        ("MM", "Police shot protesters in Mandalay.", "shot protesters", PROTEST_FORCE),
    ],
    "riot": [
        ("IQ", "A mob stormed the Swedish embassy in Baghdad.", "mob", MOB),
        ("PS", "Youths threw stones at the soldiers in Hebron.", "threw stones", MOB),
        ("CD", "Rioters torched the UN base in Goma.", "Rioters", MOB),
    ],
    "agreement": [
        ("CO", "The government and the FARC signed a peace deal in Havana.", "peace deal", AGREEMENT),
        ("UA", "Russia and Ukraine agreed a ceasefire in Minsk.", "agreed", AGREEMENT),
        ("SD", "The sides negotiated a truce in Jeddah.", "negotiated", AGREEMENT),
        ("SD", "The army and the RSF signed a cease-fire in Jeddah.", "cease-fire", AGREEMENT),
        ("AF", "The US and the Taliban signed an agreement in Doha.", "agreement", AGREEMENT),
        ("BA", "The Dayton Accords ended the Bosnian war.", "Accords", AGREEMENT),
        ("YE", "Saudi Arabia and the Houthis agreed to a prisoner exchange.", "prisoner exchange", AGREEMENT),
        ("UA", "Russia and Ukraine carried out a prisoner swap.", "prisoner swap", AGREEMENT),
        ("UA", "Kyiv and Moscow swapped prisoners in May.", "swapped prisoners", AGREEMENT),
        ("UA", "Kyiv and Moscow exchanged prisoners in May.", "exchanged prisoners", AGREEMENT),
    ],
    "arrests": [
        ("IQ", "US troops arrested a senior Baathist in Tikrit.", "arrested", ARREST),
        ("TR", "Police have been arresting journalists in Istanbul.", "arresting", ARREST),
        ("AF", "Police detained three suspects in Kabul.", "detained", ARREST),
        ("RU", "Federal troops rounded up hundreds of men in Grozny.", "rounded up", ARREST),
        ("MM", "The junta placed Aung San Suu Kyi under house arrest.", "house arrest", ARREST),
        ("IQ", "Coalition forces apprehended a militant leader in Mosul.", "apprehended", ARREST),
        ("EG", "Dozens of activists were taken into custody in Cairo.", "taken into custody", ARREST),
    ],
    "change": [
        ("IQ", "Al-Qaeda in Iraq merged with other groups.", "merged", CHANGE),
        ("NG", "Boko Haram pledged allegiance to Islamic State in 2015.", "pledged allegiance", CHANGE),
        ("LK", "Karuna defected from the LTTE in 2004.", "defected", CHANGE),
        ("SD", "Several RSF commanders have defected to the army.", "defected", CHANGE),
        ("LY", "The brigade disbanded after the war.", "disbanded", CHANGE),
        ("ML", "Ansar Dine split into two factions.", "split", CHANGE),
        ("CD", "Mai-Mai fighters joined the rebellion.", "joined", CHANGE),
        ("NG", "Shekau had sworn allegiance to al-Baghdadi.", "sworn allegiance", CHANGE),
        ("NG", "Boko Haram swore allegiance to Islamic State.", "swore allegiance", CHANGE),
        ("CO", "The AUC paramilitaries demobilised in 2006.", "demobilised", CHANGE),
        ("CO", "The FARC laid down their arms in 2017.", "laid down their arms", CHANGE),
        ("IQ", "The group rebranded itself as Islamic State.", "rebranded", CHANGE),
    ],
    "base": [
        ("SO", "Al-Shabaab set up a base in the forest near Jilib.", "set up a base", BASE),
        ("ML", "French troops established a base in Gao.", "established a base", BASE),
        (
            "NG",
            "ISWAP has established headquarters on the islands of Lake Chad.",
            "established headquarters",
            BASE,
        ),
        ("LY", "The militia set up its headquarters in a former school.", "set up its headquarters", BASE),
    ],
    "looting": [
        ("SD", "RSF fighters looted the central market of Nyala.", "looted", LOOTING),
        ("IQ", "Islamic State destroyed the shrine of Jonah in Mosul.", "destroyed", LOOTING),
        ("IQ", "Militants razed the ancient city of Nimrud.", "razed", LOOTING),
        ("CD", "Rebels burned down the health centre.", "burned", LOOTING),
        ("SD", "The market was plundered by militiamen.", "plundered", LOOTING),
        ("BA", "Croat forces demolished the Old Bridge in Mostar.", "demolished", LOOTING),
        ("LY", "Militias pillaged the airport.", "pillaged", LOOTING),
        ("CF", "Seleka fighters set fire to houses in Bossangoa.", "set fire to", LOOTING),
        ("SD", "Militiamen torched dozens of homes in Darfur.", "torched", LOOTING),
        ("MM", "Soldiers were torching villages in Sagaing.", "torching", LOOTING),
    ],
    "withdrawal": [
        ("AF", "US forces withdrew from Bagram in July 2021.", "withdrew", TRANSFER),
        ("UA", "Ukraine completed its withdrawal from Soledar.", "withdrawal", TRANSFER),
        ("UA", "Russian forces pulled out of Kherson city.", "pulled out", TRANSFER),
        ("UA", "Russian units were pulling back from Kyiv.", "pulling back", TRANSFER),
        ("IQ", "The army retreated from Mosul without a fight.", "retreated", TRANSFER),
        ("IQ", "Government troops fell back towards Baghdad.", "fell back", TRANSFER),
        ("ML", "Government troops abandoned their base at Aguelhok.", "abandoned", TRANSFER),
        ("LY", "The brigade handed over the airport to the government.", "handed over", TRANSFER),
        ("SY", "Rebels evacuated the last districts of the city.", "evacuated", TRANSFER),
        ("IQ", "Militiamen occupied the empty army posts.", "occupied", TRANSFER),
        ("UA", "Russian troops left their positions on the west bank.", "left their positions", TRANSFER),
        ("ML", "The militants vacated the town.", "vacated", TRANSFER),
    ],
    "disrupted": [
        ("IQ", "Police defused a car bomb in Kirkuk.", "defused", DISRUPTED),
        ("AF", "Security forces foiled a plot against the ministry.", "foiled", DISRUPTED),
        ("NG", "The army thwarted an attack on Maiduguri.", "thwarted", DISRUPTED),
        ("YE", "The navy intercepted an arms shipment bound for the Houthis.", "intercepted", DISRUPTED),
        ("UA", "Ukrainian air defences shot down eleven Shaheds overnight.", "shot down", DISRUPTED),
    ],
    "landings and deployments": [
        ("LY", "Turkish troops landed at Tripoli airport.", "landed", OTHER),
        ("SO", "Ethiopian troops landed in Baidoa by air.", "landed", OTHER),
        ("ML", "French troops were deployed to Mali in January 2013.", "deployed", OTHER),
        ("UA", "Russia deployed thousands of troops near the border.", "deployed", OTHER),
        ("SO", "Kenya sent reinforcements to Kismayo.", "sent reinforcements", OTHER),
        ("SO", "US forces airlifted troops to Mogadishu.", "airlifted", OTHER),
        ("UA", "Russia announced a partial mobilisation.", "mobilisation", OTHER),
        ("UA", "Russia mobilized 300,000 reservists.", "mobilized", OTHER),
        ("YE", "Washington designated the Houthis a terrorist organisation.", "designated", OTHER),
        ("BA", "Investigators found a mass grave near Srebrenica.", "mass grave", OTHER),
        ("IQ", "Iran dispatched troops to Samarra.", "dispatched", OTHER),
        ("UA", "Russia massed troops on the border.", "massed troops", OTHER),
    ],
}


@pytest.mark.parametrize(
    ("country", "text", "trigger", "sub_type"), [case for cases in FAMILIES.values() for case in cases]
)
def test_a_family_word_is_found_with_its_sub_event_type(tag, country, text, trigger, sub_type) -> None:
    assert (trigger, sub_type) in found(tag, text, country)


ROLES = [
    ("IQ", "The city fell to the rebels.", "fell to", "lose"),
    ("SY", "The rebels lost the town to Islamic State.", "lost", "lose"),
    ("IQ", "The militia retook the village.", "retook", "capture"),
    ("AF", "Taliban fighters overran a police outpost in Helmand.", "overran", "act"),
    ("LK", "The Tigers and the army clashed near Kilinochchi.", "clashed", "mutual"),
    ("UA", "Russia and Ukraine agreed a ceasefire in Minsk.", "ceasefire", "mutual"),
    ("AF", "A US patrol came under fire in the Korengal valley.", "came under fire", "suffer"),
    ("AF", "Their Humvee hit a roadside bomb in Kandahar.", "roadside bomb", "suffer"),
    ("NG", "Boko Haram pledged allegiance to Islamic State.", "pledged allegiance", "change"),
]


@pytest.mark.parametrize(("country", "text", "trigger", "role"), ROLES)
def test_the_trigger_carries_the_role_the_events_stage_reads(tag, country, text, trigger, role) -> None:
    doc = tag(text, (country,))
    roles = {span.text: span._.trigger.role for span in doc.spans["triggers"]}
    assert roles.get(trigger) == role


CONTEXT = [
    ("SD", "RSF fighters raided several pharmacies in Omdurman.", "raided", LOOTING),
    ("SO", "Al-Shabaab raided the warehouses of the port.", "raided", LOOTING),
    ("SO", "Al-Shabaab raided the army barracks in Baidoa.", "raided", CLASH),
    ("LY", "The brigade expelled its commander from its ranks.", "expelled", CHANGE),
]


@pytest.mark.parametrize(("country", "text", "trigger", "sub_type"), CONTEXT)
def test_the_words_after_a_trigger_can_change_its_type(tag, country, text, trigger, sub_type) -> None:
    assert (trigger, sub_type) in found(tag, text, country)


# rows of (country, invented sentence, a word that must be in no trigger)
NOT_TRIGGERS = [
    ("IQ", "According to officials, the road to Baghdad was quiet.", "According"),
    ("IQ", "The attacking force numbered about 300 men.", "attacking"),
    ("UA", "Kyiv asked its allies for advanced weaponry.", "advanced"),
    ("LK", "Both sides accused each other of violating the ceasefire line.", "ceasefire"),
    ("IQ", "He was appointed to lead the offensive weapon programme.", "offensive"),
    ("AF", "He left for Paris on Monday.", "left"),
    ("IQ", "The lands of the tribe stretch to the Syrian border.", "lands"),
    ("SO", "Fishermen landing their catch in Kismayo were unharmed.", "landing"),
    ("IQ", "US troops handed out food in Mosul.", "handed"),
    ("UA", "The president visited troops at the front.", "visited"),
    ("UA", "Russia fell short of its goals.", "fell"),
    ("IQ", "After capturing them, the militia released the drivers.", "capturing"),
    ("IQ", "Three soldiers lost their lives in the attack.", "lost"),
    ("CH", "The two sides will continue to hold talks in Geneva.", "continue to hold"),
    pytest.param(
        "LY",
        "The negotiators secured the release of 20 hostages.",
        "secured",
        marks=false_trigger("=secured (the release of)"),
    ),
    ("AF", "The Taliban engaged in talks with US envoys in Doha.", "engaged"),
    ("CO", "The FARC entered into negotiations with the government.", "entered"),
    ("UA", "The ceasefire entered into force at midnight.", "entered"),
    ("IQ", "Ministers met in advance of the vote.", "advance"),
    pytest.param(
        "AF",
        "The aid convoy drove north to Mazar.",
        "drove",
        marks=false_trigger("drive (a vehicle driven somewhere)"),
    ),
    pytest.param(
        "NG",
        "A bomb hidden in a motorcycle killed five people in Maiduguri.",
        "bomb",
        marks=false_trigger("bomb (the noun is read as an Air/drone strike)"),
    ),
    pytest.param(
        "IQ",
        "Coalition forces arrested a bomb maker in Mosul.",
        "bomb",
        marks=false_trigger("bomb (the noun is read as an Air/drone strike)"),
    ),
    ("UA", "The offensive dealt a heavy blow to the Russian army.", "dealt"),
    ("AF", "The general took over as commander of NATO forces.", "took over"),
    pytest.param(
        "ML",
        "The junta expelled the French ambassador.",
        "expelled",
        marks=false_trigger("expel (an ambassador)"),
    ),
    pytest.param(
        "SD",
        "The army and the RSF joined the talks in Jeddah.",
        "joined",
        marks=false_trigger("join (the talks)"),
    ),
    pytest.param(
        "CO", "The government abandoned the talks.", "abandoned", marks=false_trigger("abandon (the talks)")
    ),
    pytest.param(
        "UA",
        "Shells landed on a market in Donetsk.",
        "landed",
        marks=false_trigger("=landed (shells landed)"),
    ),
    pytest.param(
        "NG",
        "The governor was cleared of all charges.",
        "cleared",
        marks=false_trigger("=cleared (of charges)"),
    ),
    ("SO", "Gunmen waited on the corner of the street.", "corner"),
]


@pytest.mark.parametrize(("country", "text", "word"), NOT_TRIGGERS)
def test_a_look_alike_is_no_trigger(tag, country, text, word) -> None:
    assert not any(word in span for span, _ in found(tag, text, country))


# rows of (invented paragraph, article date, article place, expected (sub, actor1, actor2, location, date))
END_TO_END = [
    (
        # no frame lists a group and no Iraqi entry names "the rebels": an unidentified group
        "On 3 May 2016, the rebels lost the town of Hit to Islamic State.",
        "2016",
        "Anbar Governorate, Iraq",
        [(TAKEOVER, "Islamic State", "Unidentified armed group", "Hit", "2016-05-03")],
    ),
    (
        "On 17 May 2015, Ramadi fell to Islamic State.",
        "2015",
        "Anbar Governorate, Iraq",
        [(TAKEOVER, "Islamic State", "", "Ramadi", "2015-05-17")],
    ),
    (
        "On 31 March 2015, Iraqi forces retook Tikrit from Islamic State.",
        "2015",
        "Saladin Governorate, Iraq",
        [(GOVERNMENT, "Iraqi Armed Forces", "Islamic State", "Tikrit", "2015-03-31")],
    ),
    (
        "On 28 September 2015, Taliban fighters overran Kunduz.",
        "2015",
        "Kunduz Province, Afghanistan",
        [(CLASH, "Taliban", "", "Kunduz", "2015-09-28")],
    ),
    (
        "On 5 April 2019, Haftar's forces laid siege to Gharyan.",
        "2019",
        "Libya",
        [(CLASH, "Libyan National Army", "", "Gharyan", "2019-04-05")],
    ),
    (
        "On 20 November 2012, M23 rebels entered Goma.",
        "2012",
        "North Kivu, Democratic Republic of the Congo",
        [(CLASH, "March 23 Movement", "", "Goma", "2012-11-20")],
    ),
    (
        "On 11 November 2022, Russian forces withdrew from Kherson.",
        "2022",
        "Kherson Oblast, Ukraine",
        [(TRANSFER, "Russian Armed Forces", "", "Kherson", "2022-11-11")],
    ),
    (
        "On 16 March 2022, Russian warplanes bombed the theatre in Mariupol.",
        "2022",
        "Donetsk Oblast, Ukraine",
        [(AIR, "Russian Armed Forces", "", "Mariupol", "2022-03-16")],
    ),
    (
        "On 26 March 2015, Saudi-led coalition jets carried out airstrikes on Sanaa.",
        "2015",
        "Yemen",
        [(AIR, "Saudi-led coalition", "", "Sanaa", "2015-03-26")],
    ),
    (
        # a bombing at a market hits civilians (roles.yaml civilian_sites)
        "On 2 February 2015, two suicide bombers blew themselves up at a market in Maiduguri.",
        "2015",
        "Borno State, Nigeria",
        [(SUICIDE, "Unidentified armed group", "Civilians", "Maiduguri", "2015-02-02")],
    ),
    (
        "On 14 April 2014, Boko Haram abducted 276 schoolgirls in Chibok.",
        "2014",
        "Borno State, Nigeria",
        [(ABDUCTION, "Boko Haram", "Civilians", "Chibok", "2014-04-14")],
    ),
    pytest.param(
        "On 4 March 2008, police defused a car bomb in Kirkuk.",
        "2008",
        "Kirkuk Governorate, Iraq",
        [(DISRUPTED, "", "", "Kirkuk", "2008-03-04")],
        marks=false_trigger(
            "car bomb (priority 8) outranks defused (4): a defused bomb codes as a Suicide bomb"
        ),
    ),
    (
        "On 12 August 2014, Peshmerga fighters drove to the front line near Sinjar.",
        "2014",
        "Nineveh Governorate, Iraq",
        [],
    ),
]


@pytest.mark.parametrize(("text", "date_text", "place", "expected"), END_TO_END)
def test_invented_paragraphs_through_the_events_stage(extractor, text, date_text, place, expected) -> None:
    assert [row(event) for event in events_of(extractor, [text], date_text, place)] == expected
