"""Place tagger: GeoNames towns with transliterations and misspellings, provinces and
regions with their precision, places GeoNames lacks, and names inside group names."""

from __future__ import annotations

import pytest

from pipeline.taggers.places import name_runs


def places(tag, text: str, countries=("SY",)) -> list[tuple]:
    doc = tag(text, countries)
    return [(s.text, s._.place.admin1, s._.place.precision, s._.place.kind) for s in doc.spans["places"]]


def names(tag, text: str, countries=("SY",)) -> list[tuple[str, str]]:
    doc = tag(text, countries)
    return [(s._.place.name, s._.place.admin1) for s in doc.spans["places"]]


CASES = [
    # GeoNames towns: a spelling GeoNames knows is kept as the article writes it; a
    # misspelling takes the nearest GeoNames spelling in plain letters
    ("Clashes broke out in Saraqib.", ("SY",), [("Saraqib", "Idlib")]),
    ("JFS attacked outposts in Darkush.", ("SY",), [("Darkush", "Idlib")]),
    ("Fighting erupted in Jisr al-Shughur.", ("SY",), [("Jisr al-Shughur", "Idlib")]),
    ("They left their positions in Khan Skaykhun.", ("SY",), [("Khan Shaykhun", "Idlib")]),
    ("Mass graves were found around Khan Seikhoun.", ("SY",), [("Khan-Sheikhoun", "Idlib")]),
    ("HTS surrounded the group in Khan Sheikhoun.", ("SY",), [("Khan Sheikhoun", "Idlib")]),
    ("The group was besieged in Mourak.", ("SY",), [("Murak", "Hama")]),
    ("Jund al-Aqsa captured the town of Kafr Zita.", ("SY",), [("Kafr Zita", "Hama")]),
    ("Clashes spread to Maarat al-Nu'man.", ("SY",), [("Maarrat al-Nu'man", "Idlib")]),
    ("Clashes spread to Maarrat al-Nu'man.", ("SY",), [("Maarrat al-Nu'man", "Idlib")]),
    ("HTS took Salqin.", ("SY",), [("Salqin", "Idlib")]),
    ("They attacked the Levant Front in Haritan.", ("SY",), [("Haritan", "Aleppo")]),
    ("Government forces entered Hama.", ("SY",), [("Hama", "Hama")]),
    ("Russian forces shelled Ilovaisk.", ("UA",), [("Ilovaisk", "Donetsk Oblast")]),
    (
        "IS captured the cities of Fallujah and Hit.",
        ("IQ",),
        [("Fallujah", "Al Anbar"), ("Hit", "Al Anbar")],
    ),
    ("IS fighters entered Mosul.", ("IQ",), [("Mosul", "Nineveh")]),
    ("Separatists captured Vuhlehirsk.", ("UA",), [("Vuhlehirsk", "Donetsk Oblast")]),
    ("The army withdrew from Debaltseve.", ("UA",), [("Debaltseve", "Donetsk Oblast")]),
    ("The Houthis shelled Aden.", ("YE",), [("Aden", "Aden")]),
    ("The GNA entered Sirte.", ("LY",), [("Sirte", "Sirte")]),
    ("Fighters advanced on Kunduz.", ("AF",), [("Kunduz", "Kunduz")]),
    ("Al-Shabaab attacked Mogadishu.", ("SO",), [("Mogadishu", "Banadir")]),
    ("Boko Haram raided Maiduguri.", ("NG",), [("Maiduguri", "Borno")]),
    ("Jihadists took Timbuktu.", ("ML",), [("Timbuktu", "Tombouctou")]),
    # of two towns that answer to a name, the one named so, not one that once was
    ("Separatists held Sloviansk.", ("UA",), [("Sloviansk", "Donetsk Oblast")]),
]


@pytest.mark.parametrize(("text", "countries", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_towns_resolve(tag, text, countries, expected):
    assert names(tag, text, countries) == expected


SAME_PLACE = [
    (("Khan Shaykhun", "Khan Sheikhoun", "Khan Skaykhun", "Khān Shaykhūn"), ("SY",)),
    (("Maarat al-Nu'man", "Maarrat al-Nu'man", "Ma'arrat al-Nu'man"), ("SY",)),
    (("Ilovaisk", "Ilovays'k", "Ilovaysk"), ("UA",)),
]


@pytest.mark.parametrize(("spellings", "countries"), SAME_PLACE, ids=[s[0][0] for s in SAME_PLACE])
def test_spellings_of_one_place_share_its_geonameid(tag, spellings, countries):
    docs = [tag(f"Clashes broke out in {name}.", countries) for name in spellings]
    ids = {doc.spans["places"][0]._.place.geonameid for doc in docs}
    assert len(ids) == 1 and None not in ids


def test_places_not_from_geonames_have_no_geonameid(tag):
    doc = tag("Clashes broke out in northern Hama and in the village of Zurqatayn al-Sharqi.")
    assert [(s.text, s._.place.geonameid) for s in doc.spans["places"]] == [
        ("Hama", None),
        ("Zurqatayn al-Sharqi", None),
    ]


COUNTRY_OR_PROVINCE = [
    # a name that is both a country and a province of the article's country is the country
    ("Troops from Chad, Niger and Nigeria held the base.", ("NG",), ("Niger", "country")),
    ("Soldiers from Georgia joined the coalition in Kabul.", ("AF", "US"), ("Georgia", "country")),
    # the province stays a province when no country shares its name
    ("Boko Haram fighters raided villages in Borno.", ("NG",), ("Borno", "admin1")),
]


@pytest.mark.parametrize(
    ("text", "countries", "expected"), COUNTRY_OR_PROVINCE, ids=[c[0][:40] for c in COUNTRY_OR_PROVINCE]
)
def test_a_country_wins_over_a_province_of_its_name(tag, text, countries, expected):
    doc = tag(text, countries)
    found = {s.text: (s._.place.name, s._.place.kind) for s in doc.spans["places"]}
    assert found[expected[0]] == expected


PRECISION_CASES = [
    ("Clashes erupted in northern Hama.", [("Hama", "Hama", 3, "admin1")]),
    ("Fighting spread across rural Idlib.", [("Idlib", "Idlib", 3, "admin1")]),
    ("JFS captured a base in western Aleppo.", [("Aleppo", "Aleppo", 3, "admin1")]),
    ("Clashes broke out in the Idlib Governorate.", [("Idlib Governorate", "Idlib", 3, "admin1")]),
    ("The IED hit them in the eastern Hama province.", [("Hama province", "Hama", 3, "admin1")]),
    ("HTS captured Idlib city.", [("Idlib", "Idlib", 1, "town")]),
    ("The group attacked positions near Murak.", [("Murak", "Hama", 2, "town")]),
    ("Clashes took place on the outskirts of Saraqib.", [("Saraqib", "Idlib", 2, "town")]),
    ("Clashes broke out in the Jabal Zawiya region.", [("Jabal Zawiya", "Idlib", 2, "region")]),
    (
        "HTS mobilised at the Bab al-Hawa Border Crossing.",
        [("Bab al-Hawa Border Crossing", "Idlib", 2, "region")],
    ),
    ("The residents of Eastern Ghouta demonstrated.", [("Eastern Ghouta", "Rif Dimashq", 3, "region")]),
]


@pytest.mark.parametrize(("text", "expected"), PRECISION_CASES, ids=[c[0][:40] for c in PRECISION_CASES])
def test_precision_follows_the_words_around(tag, text, expected):
    assert places(tag, text) == expected


UNKNOWN_CASES = [
    ("HTS captured the village of Heish.", [("Heish", 1, "town")]),
    ("The rebels captured the village of Zurqatayn al-Sharqi.", [("Zurqatayn al-Sharqi", 1, "text")]),
    ("A Sharia Court was stormed in Moqa village.", [("Moqa", 1, "text")]),
    ("During the fighting, Kafers Jonah village was captured.", [("Kafers Jonah", 1, "text")]),
    (
        "HTS fully captured Darat Izza, as well as Kafr Tin and Maklabis.",
        [("Darat Izza", 1, "town"), ("Kafr Tin", 1, "text"), ("Maklabis", 1, "text")],
    ),
    ("The NFL captured Tell Mansour checkpoint.", [("Tell Mansour", 1, "text")]),
    ("They raided warehouses in the village of Aqrab, Idlib.", [("Aqrab", 1, "text"), ("Idlib", 1, "town")]),
]


@pytest.mark.parametrize(("text", "expected"), UNKNOWN_CASES, ids=[c[0][:40] for c in UNKNOWN_CASES])
def test_places_geonames_lacks_are_kept_as_written(tag, text, expected):
    assert [(t, p, k) for t, _, p, k in places(tag, text)] == expected


NOT_PLACES = [
    ("The Free Idlib Army denied the attack.", []),
    ("Abu Bakr Tamanna was killed by Liwa al-Aqsa.", []),
    ("On 13 February, HTS declared war.", []),
    ("The Sham Legion split into three groups.", []),
    ("Lt. Col. Ahmed al-Saud was wounded.", []),
]


@pytest.mark.parametrize(("text", "expected"), NOT_PLACES, ids=[c[0][:40] for c in NOT_PLACES])
def test_names_that_are_not_places(tag, text, expected):
    assert places(tag, text) == expected


def test_place_inside_group_name_is_not_a_place_but_a_prison_is(tag):
    assert places(tag, "The Free Idlib Army lost the Idlib central prison.") == [
        ("Idlib", "Idlib", 1, "town")
    ]


def test_province_of_another_country_is_not_tagged(tag):
    assert places(tag, "The clashes spread to Centre.", ("SY",)) == []


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        (("US", "LY"), [("Washington", "Washington")]),  # an old name of Aberdeen, WA ("district": its state)
        (("LY", "US"), [("Wishkah", "")]),  # in a Libyan article that names the US, it is no US town
    ],
)
def test_a_place_s_other_names_count_in_the_article_s_first_country_only(tag, countries, expected):
    assert names(tag, "The GNA took the Wishkah district.", countries) == expected


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("rebels entered Kafr Nabl and Maarat al Numan at dawn", ["Kafr Nabl", "Maarat al Numan"]),
        (
            "the Free Syrian Army Northern Division Brigade Alpha Bravo advanced",
            ["Free Syrian Army Northern Division", "Brigade Alpha Bravo"],
        ),
        ("fighting in al Bab", ["Bab"]),
        ("Aleppo", ["Aleppo"]),
        ("no names here at all", []),
        ("Dar'a and 'Ayn Issa", ["Dar'a", "Issa"]),
    ],
    ids=["two-runs", "longest-five-words", "joiner-not-first", "one-word", "none", "apostrophes"],
)
def test_runs_of_capitalised_words(text, runs):
    words = text.split()
    found = name_runs(words, frozenset({"al"}), 5)
    assert [" ".join(words[start:end]) for start, end in found] == runs
