"""Faction tagger: gazetteer names with transliterations and rebrands, metadata names,
names built like armed-group names, and generic sides (codebook section 7)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.nlp import set_norms
from pipeline.taggers.factions import NameShapes, built_name_spans


def sides(tag, extractor, text: str, countries=("SY",), when: date | None = None, names=()) -> list[str]:
    norms = []
    for name in names:
        doc = extractor.nlp.make_doc(name)
        set_norms(doc, extractor.factions.folder)
        norms.append(tuple(t.norm_ for t in doc))
    doc = tag(text, countries, tuple(norms))
    return [extractor.factions.resolve(s._.faction, when, list(countries)) for s in doc.spans["factions"]]


CASES = [
    # gazetteer names and transliterations, Syria
    ("Ahrar ash-Sham fighters entered the town.", ("SY",), None, ["Ahrar al-Sham"]),
    ("AAS and HTS clashed.", ("SY",), None, ["Ahrar al-Sham", "Hay'at Tahrir al-Sham"]),
    ("Hayat Tahrir al-Sham seized the road.", ("SY",), None, ["Hay'at Tahrir al-Sham"]),
    ("Tahir al-Sham stormed the positions.", ("SY",), None, ["Hay'at Tahrir al-Sham"]),
    ("The Levant Liberation Body was formed.", ("SY",), None, ["Hay'at Tahrir al-Sham"]),
    ("Jabhat Fatah al-Sham attacked.", ("SY",), None, ["Jabhat Fateh al-Sham"]),
    ("Jabhet Fateh al-Sham attacked.", ("SY",), None, ["Jabhat Fateh al-Sham"]),
    ("Liwa al-Aqsa withdrew to Raqqa.", ("SY",), None, ["Jund al-Aqsa"]),
    ("The Nour al-Din al-Zenki Movement joined.", ("SY",), None, ["Nour al-Din al-Zenki Movement"]),
    ("Faylaq al-Sham repelled the attack.", ("SY",), None, ["Sham Legion"]),
    ("The Mujahideen Army was defeated.", ("SY",), None, ["Army of Mujahideen"]),
    ("The Army of Victory lost the town.", ("SY",), None, ["Jaysh al-Nasr"]),
    ("Jaish al-Islam shelled the district.", ("SY",), None, ["Jaysh al-Islam"]),
    ("The Turkistan Islamic Party surrounded the town.", ("SY",), None, ["Turkistan Islamic Party in Syria"]),
    (
        "The YPG and the SDF advanced.",
        ("SY",),
        None,
        ["People's Protection Units", "Syrian Democratic Forces"],
    ),
    ("Hizbullah fighters crossed the border.", ("SY",), None, ["Hezbollah"]),
    ("The National Defence Forces ambushed the convoy.", ("SY",), None, ["National Defence Forces"]),
    # rebrands resolve by the event date
    ("al-Nusra attacked the brigade.", ("SY",), date(2017, 1, 20), ["Jabhat Fateh al-Sham"]),
    ("al-Nusra attacked the brigade.", ("SY",), date(2014, 5, 1), ["al-Nusra Front"]),
    ("ISIL captured the city.", ("IQ",), date(2014, 6, 10), ["Islamic State"]),
    # other conflicts
    ("Daesh militants attacked Kirkuk.", ("IQ",), None, ["Islamic State"]),
    ("The Iraqi Army withdrew from the city.", ("IQ",), None, ["Iraqi Armed Forces"]),
    ("Peshmerga forces retook the village.", ("IQ",), None, ["Peshmerga"]),
    ("Kata'ib Hezbollah fired rockets.", ("IQ",), None, ["Kata'ib Hezbollah"]),
    ("GNA forces recaptured Abu Grein.", ("LY",), None, ["Government of National Accord"]),
    ("The Libyan National Army advanced on Tripoli.", ("LY",), None, ["Libyan National Army"]),
    ("Ansar Allah fighters seized the port.", ("YE",), None, ["Houthis"]),
    ("The Houthi movement shelled Taiz.", ("YE",), None, ["Houthis"]),
    ("AQAP claimed the bombing.", ("YE",), None, ["Al-Qaeda in the Arabian Peninsula"]),
    ("Al-Shabab fighters attacked the base.", ("SO",), None, ["al-Shabaab"]),
    ("AMISOM troops entered the town.", ("SO",), None, ["African Union Mission to Somalia"]),
    ("Boko Haram abducted the girls.", ("NG",), None, ["Boko Haram"]),
    ("The Taliban captured Kunduz.", ("AF",), None, ["Taliban"]),
    (
        "The DPR and the LPR signed.",
        ("UA",),
        None,
        ["Donetsk People's Republic", "Luhansk People's Republic"],
    ),
    ("The Azov Battalion held the port.", ("UA",), None, ["Azov Battalion"]),
    ("The Wagner Group deployed.", ("LY",), None, ["Wagner Group"]),
    # generic sides, mapped by the article's country
    ("Government forces shelled the village.", ("SY",), None, ["Syrian Armed Forces"]),
    ("Government forces shelled the village.", ("IQ",), None, ["Iraqi Armed Forces"]),
    ("The rebels withdrew.", ("SY",), None, ["Syrian opposition"]),
    ("Local civilians expelled the fighters.", ("SY",), None, ["Civilians"]),
    ("Protesters gathered in the square.", ("SY",), None, ["Protesters"]),
    # names built like group names
    (
        "The Mountain Hawks Brigade of the Free Idlib Army was attacked.",
        ("SY",),
        None,
        ["Mountain Hawks Brigade", "Free Idlib Army"],
    ),
    ("Katibat al-Tawhid wal-Jihad pledged allegiance.", ("SY",), None, ["Katibat al-Tawhid wal-Jihad"]),
    ("Liwa al-Maghawir fighters withdrew.", ("SY",), None, ["Liwa al-Maghawir"]),
    ("The Free Idlib Army's 13th Division joined.", ("SY",), None, ["Free Idlib Army", "13th Division"]),
    ("The Seventh Lions Brigade entered the town.", ("SY",), None, ["Seventh Lions Brigade"]),
    # names that qualify something else are no side
    ("The al-Qaeda-aligned group attacked.", ("SY",), None, []),
    ("the Jaysh al-Islam-held village of Misraba", ("SY",), None, []),
    (
        "The US-led coalition struck the town.",
        ("SY",),
        date(2016, 3, 1),
        ["Combined Joint Task Force – Operation Inherent Resolve"],
    ),
    ("The US-led coalition struck the town.", ("IQ",), date(2004, 4, 1), ["United States"]),
    # one alias, two armies: the article's country decides
    ("The Republican Guard shelled the suburb.", ("SY",), None, ["Republican Guard (Syria)"]),
    ("The Republican Guard shelled the suburb.", ("YE",), None, ["Republican Guard (Yemen)"]),
    # a generic noun right after a name is its head, no second side
    ("Jund al-Aqsa militants kidnapped a commander.", ("SY",), None, ["Jund al-Aqsa"]),
    ("Taliban insurgents overran the post.", ("AF",), None, ["Taliban"]),
    # a nationality before a force or weapon noun is that country's forces
    ("Russian reinforcements reached the town.", ("UA",), None, ["Russian Armed Forces"]),
    ("French helicopters stopped the column.", ("ML",), None, ["French Armed Forces"]),
    ("Chadian soldiers entered Gao.", ("ML",), None, ["Chadian Armed Forces"]),
    # a group's alias in lower case (a common phrase) names it only in its own wars
    ("Members of the people's committees joined the fighting.", ("YE",), None, ["Popular Resistance"]),
    ("Members of the people's committees joined the fighting.", ("SY",), None, []),
    # an abbreviation in brackets after a name is the same mention
    ("Médecins Sans Frontières (MSF) ran the clinic.", ("YE",), None, ["Médecins Sans Frontières"]),
    (
        "the Red Cross (ICRC [International Committee]) left.",
        ("SY",),
        None,
        ["International Committee of the Red Cross"],
    ),
]


@pytest.mark.parametrize(("text", "countries", "when", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sides(tag, extractor, text, countries, when, expected):
    assert sides(tag, extractor, text, countries, when) == expected


def test_metadata_names_join_the_gazetteer(tag, extractor):
    text = "Saraya al-Ghuraba and the Unknown Martyrs Group clashed near the town."
    found = sides(tag, extractor, text, names=("Unknown Martyrs Group",))
    assert "Unknown Martyrs Group" in found


SHAPES = NameShapes(
    heads=frozenset({"Brigade", "Front", "Battalion"}),
    prefixes=frozenset({"Liwa", "Jaysh"}),
    of_prefixes=(("Army", "of"),),
    particles=frozenset({"al", "ash", "-", "of", "the"}),
    articles=frozenset({"al", "wal"}),
)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("units of the Desert Falcons Brigade moved north", ["Desert Falcons Brigade"]),
        ("the Northern Storm Brigade and the Sham Front clashed", ["Northern Storm Brigade", "Sham Front"]),
        ("Ahrar al - Din Battalion fighters", ["Ahrar al - Din Battalion"]),
        ("a brigade of the army attacked", []),
        (
            "Liwa al - Tawhid and Jaysh al - Izza wal - Nasr advanced",
            ["Liwa al - Tawhid", "Jaysh al - Izza wal - Nasr"],
        ),
        ("the Army of Conquest entered", ["Army of Conquest"]),
        ("Saqr Brigade Brigade", ["Saqr Brigade Brigade"]),
        ("Brigade", []),
    ],
    ids=[
        "head",
        "two-heads",
        "particle-hyphen",
        "lower-case",
        "prefixed",
        "of-prefix",
        "repeated-head",
        "head-alone",
    ],
)
def test_names_built_like_group_names(text, names):
    words = text.split()
    found = built_name_spans(words, [w.lower() for w in words], SHAPES)
    assert [" ".join(words[start:end]) for start, end in found] == names
