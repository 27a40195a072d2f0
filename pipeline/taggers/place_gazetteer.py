"""The place gazetteer: provinces (``models/admin1.yaml``), named areas
(``models/regions.yaml``), countries (``models/countries.yaml``) and the GeoNames
towns of the place index, with the rules of ``models/places.yaml``. It names the
town a text means in an article about given countries, and the countries an
article is about.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.geonames import GeoPlace, PlaceIndex, load_index
from pipeline.lexicon import expand_all
from pipeline.matching import TermTable
from pipeline.normalize import Folder
from pipeline.resources import check_keys, load_yaml, section

REGION_KEYS = {"name", "aliases", "country", "admin1", "lat", "lon", "kind"}
PRECISION_BY_KIND = {"district": 1, "area": 3, "pocket": 3, "plain": 3}


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    precision: int = 1
    kind: str = "town"  # town | admin1 | region | country | text
    geonameid: int | None = None  # of a town from GeoNames: one place whatever its spelling


VERB_CUES = ("text_place_cues", "locative_words")  # lemmas, read with every inflection


def _with_inflections(rules: dict) -> dict:
    """The rules with every word list as a set, and the verbs of the cue lists ("capture") in
    every inflection ("captured")."""
    return {
        key: frozenset(expand_all(value) if key in VERB_CUES else value) if isinstance(value, list) else value
        for key, value in rules.items()
    }


@dataclass
class PlaceGazetteer:
    folder: Folder
    rules: dict
    admin1: dict[tuple[str, str], str] = field(default_factory=dict)
    admin1_phrases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    regions: dict[str, list[tuple[str, Place]]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    country_phrases: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    towns: dict[tuple, Place | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_models(cls, models_dir: Path | str) -> PlaceGazetteer:
        rules = _with_inflections(load_yaml(models_dir, "places.yaml"))
        gazetteer = cls(Folder.from_models(models_dir), rules)
        gazetteer._load_countries(load_yaml(models_dir, "countries.yaml"), f"{models_dir}/countries.yaml")
        gazetteer._load_admin1(load_yaml(models_dir, "admin1.yaml"), f"{models_dir}/admin1.yaml")
        gazetteer._load_regions(load_yaml(models_dir, "regions.yaml"), f"{models_dir}/regions.yaml")
        return gazetteer

    def _load_countries(self, data: dict, where: str) -> None:
        for index, entry in enumerate(section(data, "countries", where)):
            check_keys(entry, {"code", "name", "aliases", "demonyms"}, {"code", "name"}, f"{where}[{index}]")
            self.countries[entry["code"]] = entry["name"]
            for phrase in [entry["name"], *(entry.get("aliases") or [])]:
                self.country_phrases[phrase] = entry["code"]
            for demonym in entry.get("demonyms") or []:
                self.demonyms[demonym] = entry["code"]

    def _load_admin1(self, data: dict, where: str) -> None:
        for country, divisions in data.items():
            for code, entry in (divisions or {}).items():
                check_keys(entry, {"name", "aliases"}, {"name"}, f"{where}: {country}.{code}")
                self.admin1[(str(country), str(code))] = entry["name"]
                for phrase in [entry["name"], *(entry.get("aliases") or [])]:
                    self.admin1_phrases.setdefault(phrase, []).append((str(country), entry["name"]))

    def _load_regions(self, data: dict, where: str) -> None:
        for index, entry in enumerate(section(data, "regions", where)):
            check_keys(entry, REGION_KEYS, {"name", "country"}, f"{where}[{index}]")
            place = Place(
                entry["name"],
                entry.get("admin1", ""),
                self.countries.get(entry["country"], ""),
                entry.get("lat"),
                entry.get("lon"),
                PRECISION_BY_KIND.get(entry.get("kind"), 2),
                "region",
            )
            for phrase in [entry["name"], *(entry.get("aliases") or [])]:
                self.regions.setdefault(phrase, []).append((entry["country"], place))

    @cached_property
    def index(self) -> PlaceIndex:
        return load_index(self.folder)

    def town(self, text: str, countries: list[str], fuzzy: bool) -> Place | None:
        """The GeoNames place ``text`` names, preferring the article's countries (remembered:
        the same names recur across a folder, and a fuzzy search is costly)."""
        memo = (text, tuple(countries), fuzzy)
        if memo not in self.towns:
            self.towns[memo] = self._town(text, countries, fuzzy)
        return self.towns[memo]

    def _town(self, text: str, countries: list[str], fuzzy: bool) -> Place | None:
        """Named as the article writes it when that is one of the place's GeoNames names;
        found by a misspelling, named by the GeoNames spelling it resembles, in ASCII."""
        key = self.folder.key(text)
        if len(key) < 3:
            return None
        candidates = self.index.exact(key, countries)
        if candidates or not fuzzy or not countries or len(key) < self.rules["fuzzy_min_chars"]:
            best = self._choose(candidates, countries, key)
            return self._place(best, " ".join(text.split())) if best else None
        primary = countries[:1]  # a misspelling is read in the article's own country only
        candidates = self.index.sounds_like(key, primary, self.rules["sounds_like_cutoff"])
        candidates = candidates or self.index.fuzzy(key, primary, self.rules["fuzzy_cutoff"])
        best = self._choose(candidates, countries, key)
        return self._place(best, self.index.nearest_name(text, best)) if best else None

    def _choose(self, candidates: list[GeoPlace], countries: list[str], key: str) -> GeoPlace | None:
        """The article's first country by any of a place's names; another of its countries
        by the place's own name only ("Wishkah" is an old name of a town in Washington
        State, not a district of Sirte); elsewhere, only a large place."""
        first = countries[:1]
        local = [
            p
            for p in candidates
            if p.country in first or (p.country in countries and self.folder.key(p.name) == key)
        ]
        if local:
            rank = {c: i for i, c in enumerate(countries)}
            return min(local, key=lambda p: (rank[p.country], -self._likeness(p, key), -p.population))
        if countries:  # an article placed in its countries names no namesake abroad ("Palma")
            return None
        large = [p for p in candidates if p.population >= self.rules["foreign_min_population"]]
        return max(large, key=lambda p: p.population) if large else None

    def _likeness(self, place: GeoPlace, key: str) -> int:
        """How close the place's own name is to the text, in steps of ten: of two namesakes,
        the one named so ("Slovyansk" for "Sloviansk") wins over one with it among its old
        names (Nikopol), and population decides between equals."""
        return int(fuzz.ratio(self.folder.key(place.name), key)) // 10

    def _place(self, geo: GeoPlace, name: str) -> Place:
        admin1 = self.admin1.get((geo.country, geo.admin1_code), "")
        country = self.countries.get(geo.country, geo.country)
        return Place(name, admin1, country, geo.latitude, geo.longitude, geonameid=geo.geonameid)

    @cached_property
    def _country_keys(self) -> frozenset[str]:
        return frozenset(self.folder.key(p) for p in self.country_phrases)

    def is_country_name(self, text: str) -> bool:
        return self.folder.key(text) in self._country_keys

    def country_code(self, name: str) -> str:
        return next((code for code, country in self.countries.items() if country == name), "")

    @cached_property
    def _country_terms(self) -> TermTable:
        """Folded country names and demonyms -> country codes."""
        table = TermTable()
        for phrase, code in (*self.country_phrases.items(), *self.demonyms.items()):
            table.add(tuple(self.folder.words(phrase)), [code])
        return table

    @cached_property
    def _province_terms(self) -> TermTable:
        """Folded province names longer than four letters -> country codes."""
        table = TermTable()
        for phrase, options in self.admin1_phrases.items():
            if len(phrase) > 4:
                table.add(tuple(self.folder.words(phrase)), [code for code, _ in options])
        return table

    def countries_in(self, metadata: list[str], narrative: list[str], town: str = "") -> list[str]:
        """Country codes an article is about: those its title or place names (or whose
        large town the title names) first, then the most named; country names and demonyms
        anywhere, province names only in its metadata (many are common words). Countries
        named far less often than the most named (a foreign backer) are left out. ``town`` is
        the place the title names: when the metadata names no country, the country of the
        large town of that name ("Battle of Palma" in Mozambique is no town in Spain)."""
        counts: Counter[str] = Counter()
        for text in metadata + narrative:
            counts.update(self._country_terms.find(self.folder.words(text)))
        own: set[str] = set()  # countries the title or the place names
        for text in metadata:
            words = self.folder.words(text)
            own.update(self._country_terms.find(words))
            counts.update(set(self._province_terms.find(words)))
        known = self.town(town, [], fuzzy=False) if town and not own else None  # "Hama offensive"
        if known is not None:
            own.add(self.country_code(known.country))
        ranked = sorted(counts.items(), key=lambda item: (item[0] not in own, -item[1]))
        if not ranked or ranked[0][1] == 0:
            return []
        top = max(n for _, n in ranked)
        return [code for code, n in ranked if code in own or n >= top * self.rules["country_share"]]
