"""Validation stage: every column of both output files checked against the
codebook by a declared pandera schema, before anything is written.

A failure raises ``OutputInvalid`` naming the document and row; the caller
then writes nothing.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS, NUMERIC_COLUMNS

EVENT_TYPES = {
    "Battles": {"Armed clash", "Non-state actor overtakes territory", "Government regains territory"},
    "Explosions/Remote violence": {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Chemical weapon",
        "Grenade",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Mob violence", "Violent demonstration"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Disrupted weapons use",
        "Other",
    },
}
PRECISIONS = ["day", "range", "month", "year"]
FORMATS = ["markdown", "wikipedia-text", "html", "unknown"]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# The columns an analyst's correction may set (pipeline.overrides): not the event's identity
# (event_id, doc_id), nor where its evidence is in the source, nor the record of corrections.
FIXED_COLUMNS = ("event_id", "doc_id", "char_start", "char_end", "overridden")
CORRECTABLE = [column for column in EVENT_COLUMNS if column not in FIXED_COLUMNS]


class OutputInvalid(ValueError):
    """An output row breaks the codebook; the message names the document and row, and
    ``detail`` the column, the check and the value (for a message of the caller's own)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message


def _count(nullable: bool = True) -> pa.Column:
    return pa.Column("Int64", checks=pa.Check.ge(0), nullable=nullable)


def _iso(nullable: bool = True) -> pa.Column:
    return pa.Column(str, checks=pa.Check.str_matches(ISO_DATE), nullable=nullable)


def _sub_type_matches(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            sub in EVENT_TYPES.get(typ, set())
            for typ, sub in zip(frame["event_type"], frame["sub_event_type"], strict=True)
        ],
        index=frame.index,
    )


def _names_columns(value: str) -> bool:
    """An ``overridden`` cell names corrected columns of events.csv, ``; `` separated."""
    return all(name in CORRECTABLE for name in value.split("; "))


def _dates_ordered(frame: pd.DataFrame) -> pd.Series:
    start, end = frame["event_date"], frame["event_date_end"]
    return start.isna() | end.isna() | (start.fillna("") <= end.fillna(""))


EVENT_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, checks=pa.Check.str_matches(r"^.+:[0-9a-f]{10}$"), unique=True),
        "doc_id": pa.Column(str),
        "title": pa.Column(str, nullable=True),
        "section": pa.Column(str, nullable=True),
        "event_date": _iso(),
        "event_date_end": _iso(),
        "date_precision": pa.Column(str, checks=pa.Check.isin(PRECISIONS), nullable=True),
        "date_text": pa.Column(str, nullable=True),
        "event_type": pa.Column(str, checks=pa.Check.isin(list(EVENT_TYPES))),
        "sub_event_type": pa.Column(str),
        "actor1": pa.Column(str, nullable=True),
        "assoc_actor_1": pa.Column(str, nullable=True),
        "actor2": pa.Column(str, nullable=True),
        "assoc_actor_2": pa.Column(str, nullable=True),
        "location": pa.Column(str, nullable=True),
        "admin1": pa.Column(str, nullable=True),
        "country": pa.Column(str, nullable=True),
        "latitude": pa.Column(float, checks=pa.Check.in_range(-90, 90), nullable=True),
        "longitude": pa.Column(float, checks=pa.Check.in_range(-180, 180), nullable=True),
        "geo_precision": pa.Column("Int64", checks=pa.Check.isin([1, 2, 3]), nullable=True),
        "geonameid": pa.Column("Int64", checks=pa.Check.gt(0), nullable=True),
        "fatalities": _count(),
        "fatalities_low": _count(),
        "fatalities_high": _count(),
        "wounded": _count(),
        "captured": _count(),
        "casualty_text": pa.Column(str, nullable=True),
        "attribution": pa.Column(str, nullable=True),
        "notes": pa.Column(str),
        "char_start": _count(nullable=False),
        "char_end": _count(nullable=False),
        "overridden": pa.Column(
            str,
            checks=pa.Check(
                _names_columns, element_wise=True, error="names a column that cannot be corrected"
            ),
            nullable=True,
        ),
    },
    checks=[
        pa.Check(_sub_type_matches, error="sub_event_type does not belong to event_type"),
        pa.Check(_dates_ordered, error="event_date after event_date_end"),
        pa.Check(lambda f: f["char_start"] < f["char_end"], error="char_start not before char_end"),
    ],
    strict=True,
    ordered=True,
)

DOCUMENT_SCHEMA = pa.DataFrameSchema(
    {
        "doc_id": pa.Column(str, unique=True),
        "path": pa.Column(str),
        "format": pa.Column(str, checks=pa.Check.isin(FORMATS)),
        "title": pa.Column(str, nullable=True),
        "date_start": _iso(),
        "date_end": _iso(),
        "place": pa.Column(str, nullable=True),
        "belligerents": pa.Column(str, nullable=True),
        "infobox_casualties": pa.Column(str, nullable=True),
        "sha256": pa.Column(str, checks=pa.Check.str_matches(r"^([0-9a-f]{64})?$"), nullable=True),
        "events": _count(nullable=False),
        "status": pa.Column(str, checks=pa.Check.str_matches(r"^(ok|duplicate of .+|error: .+)$")),
    },
    strict=True,
    ordered=True,
)


PLAIN_CELLS = frozenset({str, type(None)})


def _frame(rows: list[dict], columns: list[str], numeric: set[str] = NUMERIC_COLUMNS) -> pd.DataFrame:
    """The rows as typed columns: text as pandas strings (missing for empty, so that the
    schema checks the dtype once rather than every value), nullable integers, floats."""
    data = {}
    by_row = [list(map(row.get, columns)) for row in rows]
    by_column = [list(cells) for cells in zip(*by_row, strict=True)] if rows else [[] for _ in columns]
    for column, values in zip(columns, by_column, strict=True):
        if column in ("latitude", "longitude"):
            data[column] = pd.to_numeric(pd.Series(values, dtype=object)).astype(float)
        elif column in numeric:
            data[column] = pd.Series(pd.array(values, dtype="Int64"))
        else:
            data[column] = pd.Series(_texts(values), dtype="str")
    return pd.DataFrame(data, columns=columns)


def _texts(values: list) -> list[str | None]:
    """``_text`` of every value; a column of text and empty cells only (nearly all are) is
    read in one pass, with no call per cell."""
    if PLAIN_CELLS.issuperset(map(type, values)):
        return [value or None for value in values]
    return [_text(value) for value in values]


def _text(value: object) -> str | None:
    if value is None or value != value:  # None or NaN: unknown
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text or None


def validate(event_rows: list[dict], document_rows: list[dict], all_ids: list[str] | None = None) -> None:
    """Raise ``OutputInvalid`` naming the first bad row of either file. ``event_rows`` go
    through the schema; ids are checked unique across ``all_ids`` (default: those rows'),
    so a re-run need only check the rows of the documents it extracted."""
    check_rows(EVENT_SCHEMA, EVENT_COLUMNS, event_rows, "events.csv")
    check_rows(DOCUMENT_SCHEMA, DOCUMENT_COLUMNS, document_rows, "documents.csv")
    seen: set[str] = set()
    for index, event_id in enumerate(all_ids if all_ids is not None else [r["event_id"] for r in event_rows]):
        if event_id in seen:
            raise OutputInvalid(
                f"events.csv: row {index}: column 'event_id' is not unique (value {event_id!r})"
            )
        seen.add(event_id)


def check_rows(
    schema: pa.DataFrameSchema,
    columns: list[str],
    rows: list[dict],
    name: str,
    numeric: set[str] = NUMERIC_COLUMNS,
) -> None:
    """Raise ``OutputInvalid`` naming the first row of file ``name`` that ``schema`` refuses;
    ``numeric`` names its integer columns."""
    if not rows:
        return
    try:
        schema.validate(_frame(rows, columns, numeric), lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        by_column = cases[cases["schema_context"] == "Column"]  # before checks across columns
        failure = (by_column if len(by_column) else cases).iloc[0]
        index = failure.get("index")
        row = rows[int(index)] if index is not None and str(index).isdigit() else {}
        detail = (
            f"column {failure.get('column')!r} fails {failure.get('check')} "
            f"(value {failure.get('failure_case')!r})"
            if failure.get("schema_context") == "Column"
            else str(failure.get("check"))
        )
        raise OutputInvalid(
            f"{name}: document {row.get('doc_id', '?')!r}, row {index}: {detail}", detail
        ) from err
