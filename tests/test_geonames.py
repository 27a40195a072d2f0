"""The place index: built once into the cache folder, saying so first; GeoNames names in
plain letters, and the nearest of a place's names for a misspelling."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import geonames
from pipeline.geonames import BUILDING, GeoPlace, Shard, ascii_name, load_index
from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR


def test_building_the_index_says_so_once(tmp_path, capsys, monkeypatch):
    shard = Shard()
    shard.add("saraqib", ("Saraqib", "SY", "12", 35.86, 36.8, 32000, 163270))
    built = []
    names = {"SY": {163270: ("Saraqib",)}}
    monkeypatch.setattr(
        geonames, "build_shards", lambda folder: built.append(folder) or ({"SY": shard}, names)
    )
    folder = Folder.from_models(DEFAULT_MODELS_DIR)
    first = load_index(folder, tmp_path)
    assert capsys.readouterr().err == BUILDING + "\n"
    second = load_index(folder, tmp_path)
    assert capsys.readouterr().err == ""
    assert len(built) == 1
    assert first.exact("saraqib", ["SY"]) == second.exact("saraqib", ["SY"])
    assert second.exact("saraqib", ["SY"])[0].name == "Saraqib"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ma‘arrat an Nu‘mān", "Maarrat an Numan"),
        ("Ḩamāh", "Hamah"),
        ("Ilovays’k", "Ilovaysk"),
        ("Dar‘ā", "Dara"),
        ("Saraqib", "Saraqib"),
    ],
)
def test_a_geonames_name_in_plain_letters(name, expected):
    assert ascii_name(name) == expected


@given(st.text())
def test_plain_letters_have_no_marks_left(name):
    plain = ascii_name(name)
    assert ascii_name(plain) == plain
    assert not any(unicodedata.combining(ch) for ch in plain)


MAARRAT = ("Ma‘arrat an Nu‘mān", "SY", "12", 35.65, 36.68, 0, 167611)
MAARRAT_NAMES = (
    "Ma`arrat an Nu`man",
    "Maarat al-Numaan",
    "Maarrat al-Nu'man",
    "Maaret el Noman",
    "al-Ma'arra",
)


@pytest.mark.parametrize(
    ("written", "names", "expected"),
    [
        ("Maarat al-Nu'man", MAARRAT_NAMES, "Maarrat al-Nu'man"),
        ("Maaret al-Noman", MAARRAT_NAMES, "Maaret el Noman"),
        ("Maarat al-Nu'man", ("Ma`arrat an Nu`man",), "Ma`arrat an Nu`man"),
        ("Maarat al-Nu'man", (), "Maarrat an Numan"),
    ],
    ids=["nearest", "another-nearest", "only-a-backticked-one", "none-in-plain-letters"],
)
def test_a_misspelt_place_takes_its_nearest_plain_name(tmp_path, monkeypatch, written, names, expected):
    shard = Shard()
    shard.add("maarratnuman", MAARRAT)
    built = ({"SY": shard}, {"SY": {167611: names}})
    monkeypatch.setattr(geonames, "build_shards", lambda folder: built)
    index = load_index(Folder.from_models(DEFAULT_MODELS_DIR), tmp_path)
    assert index.nearest_name(written, GeoPlace(*MAARRAT)) == expected
