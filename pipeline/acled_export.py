"""events_acled.csv: ACLED rows checked against their own declared schema (pandera,
like events.csv), then written as CSV text the way events.csv is.

ACLED's conventions differ from the codebook's where ACLED's do: ``fatalities`` is 0
when unknown, ``inter2`` is 0 when there is no second actor; UCDP's ``best``,
``low`` and ``high`` are always filled. An inter code is empty only for an actor the
gazetteer does not know (and then so is ``interaction``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.acled import COLUMNS, AcledRules, acled_rows
from pipeline.export import rows_from_csv, to_csv
from pipeline.outputs import OutputSet
from pipeline.validation import EVENT_TYPES, ISO_DATE, check_rows

FILE_NAME = "events_acled.csv"
INTEGER_COLUMNS = {
    "year",
    "time_precision",
    "inter1",
    "inter2",
    "interaction",
    "iso",
    "geo_precision",
    "fatalities",
    "timestamp",
    "type_of_violence",
    "best",
    "low",
    "high",
    "date_prec",
    "where_prec",
}
DISORDER_TYPES = [
    "Political violence",
    "Demonstrations",
    "Political violence; Demonstrations",
    "Strategic developments",
]
INTERACTIONS = [10 * a for a in range(1, 9)] + [10 * a + b for a in range(1, 9) for b in range(a, 9)]


def _codes(values: list[int], nullable: bool = True) -> pa.Column:
    return pa.Column("Int64", checks=pa.Check.isin(values), nullable=nullable)


def _count() -> pa.Column:
    return pa.Column("Int64", checks=pa.Check.ge(0))


def _sub_type_matches(frame: pd.DataFrame) -> pd.Series:
    pairs = zip(frame["event_type"], frame["sub_event_type"], strict=True)
    return pd.Series([sub in EVENT_TYPES.get(typ, set()) for typ, sub in pairs], index=frame.index)


ACLED_SCHEMA = pa.DataFrameSchema(
    {
        "event_id_cnty": pa.Column(str, checks=pa.Check.str_matches(r"^.+:[0-9a-f]{10}$"), unique=True),
        "event_date": pa.Column(str, checks=pa.Check.str_matches(ISO_DATE), nullable=True),
        "year": pa.Column("Int64", checks=pa.Check.in_range(1000, 9999), nullable=True),
        "time_precision": _codes([1, 2, 3]),
        "disorder_type": pa.Column(str, checks=pa.Check.isin(DISORDER_TYPES)),
        "event_type": pa.Column(str, checks=pa.Check.isin(list(EVENT_TYPES))),
        "sub_event_type": pa.Column(str),
        "actor1": pa.Column(str, nullable=True),
        "assoc_actor_1": pa.Column(str, nullable=True),
        "inter1": _codes(list(range(1, 9))),
        "actor2": pa.Column(str, nullable=True),
        "assoc_actor_2": pa.Column(str, nullable=True),
        "inter2": _codes(list(range(0, 9))),
        "interaction": _codes(INTERACTIONS),
        "civilian_targeting": pa.Column(str, checks=pa.Check.isin(["Civilian targeting"]), nullable=True),
        "iso": pa.Column("Int64", checks=pa.Check.in_range(0, 999), nullable=True),
        "region": pa.Column(str, nullable=True),
        "country": pa.Column(str, nullable=True),
        "admin1": pa.Column(str, nullable=True),
        "location": pa.Column(str, nullable=True),
        "latitude": pa.Column(float, checks=pa.Check.in_range(-90, 90), nullable=True),
        "longitude": pa.Column(float, checks=pa.Check.in_range(-180, 180), nullable=True),
        "geo_precision": _codes([1, 2, 3]),
        "source": pa.Column(str),
        "notes": pa.Column(str),
        "fatalities": _count(),
        "tags": pa.Column(str, nullable=True),
        "timestamp": pa.Column("Int64", checks=pa.Check.gt(0)),
        "type_of_violence": _codes([1, 2, 3]),
        "best": _count(),
        "low": _count(),
        "high": _count(),
        "date_prec": _codes([1, 2, 3, 4, 5]),
        "where_prec": _codes([1, 2, 3, 4, 5, 6, 7]),
    },
    checks=[
        pa.Check(_sub_type_matches, error="sub_event_type does not belong to event_type"),
        pa.Check(
            lambda f: (f["low"] <= f["best"]) & (f["best"] <= f["high"]), error="not low <= best <= high"
        ),
        pa.Check(lambda f: f["fatalities"] == f["best"], error="fatalities is not best"),
        pa.Check(lambda f: f["actor2"].notna() | (f["inter2"] == 0), error="inter2 without actor2"),
    ],
    strict=True,
    ordered=True,
)


def validate_acled(rows: list[dict]) -> None:
    """Raise ``OutputInvalid`` naming the first ACLED row that breaks the schema."""
    check_rows(ACLED_SCHEMA, COLUMNS, rows, FILE_NAME, INTEGER_COLUMNS)


def acled_csv(events_csv: str, rules: AcledRules, timestamp: int, bom: bool = False) -> str:
    """events_acled.csv's text for events.csv's (header first), validated first."""
    header, _, body = events_csv.removeprefix("\ufeff").partition("\n")
    rows = acled_rows(rows_from_csv(body, header.split(",")), rules, timestamp)
    validate_acled(rows)
    return to_csv(rows, COLUMNS, bom=bom)


def stage_acled(files: OutputSet, wanted: bool, models_dir: Path | str, bom: bool = False) -> None:
    """Stage events_acled.csv, made from the events.csv staged, timed now; or, when it is not
    wanted, the removal of one an earlier run left (it would be stale)."""
    if wanted:
        rules = AcledRules.from_models(models_dir)
        text = acled_csv(files.staged_text("events.csv"), rules, int(time.time()), bom)
        files.text(FILE_NAME, text)
    else:
        files.remove(FILE_NAME)
