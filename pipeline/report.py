"""The run's report: ``report.html``, one self-contained page beside the tables it shows.

Built from the CSV files a run writes (events.csv, documents.csv, changes.csv), read back
from disk, never from the pipeline's internal objects: the report shows exactly what an
analyst would open in a spreadsheet. This module reads those files and prepares the columns
the page draws (dates as milliseconds, Web Mercator coordinates, marker sizes, lanes, what a
row lacks); ``pipeline.report_page`` lays them out with Bokeh. changes.csv is shown
column by column as it stands, whatever its columns are.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS
from pipeline.geonames import default_cache_dir
from pipeline.outputs import OutputSet
from pipeline.report_header import ReportData, header_html
from pipeline.resources import ModelError, check_keys

OUTLINES = "country_outlines.json"
EARTH_RADIUS = 6378137.0  # metres, the Web Mercator sphere
MAX_LATITUDE = 85.0  # Web Mercator's edge
DAY_MS = 86_400_000
REVIEW_FLAGS = ("no date", "no place", "no coordinates", "no side")
REVIEW_FIELDS = (
    "event_date",
    "location",
    "country",
    "latitude",
    "longitude",
    "actor1",
    "actor2",
    "event_type",
)
LANE_LABEL = 48  # characters of a lane's name on the timeline's axis
MAP_SIZE = (560, 440)  # the map's frame in pixels
SLOT = "<!-- the run's header and rows -->"
PRECISION_FILL = {"1": 0.75, "2": 0.55, "3": 0.0}  # geo_precision 3, a province or region only: hollow


def read_columns(path: Path) -> dict[str, list[str]]:
    """A CSV file the run wrote, column by column (a byte order mark, from --excel-csv, is
    dropped): the csv module's reader and zip do the work in C, 10,000 rows in 0.1 s."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = [*csv.reader(handle)] or [[]]
    return (
        {name: list(cells) for name, cells in zip(header, zip(*rows, strict=True), strict=True)}
        if rows
        else {name: [] for name in header}
    )


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    columns = read_columns(path)
    return list(columns), [
        dict(zip(columns, cells, strict=True)) for cells in zip(*columns.values(), strict=True)
    ]


def read_data(events: Path, documents: Path, changes: Path) -> ReportData:
    return ReportData(read_columns(events), read_rows(documents)[1], *read_rows(changes))


def review_flags(row: dict[str, str]) -> list[str]:
    """What a row lacks that an analyst should look at: a date, a place, coordinates for the
    map, a side (no acting side, or a battle with one side only)."""
    flags = []
    if not row["event_date"]:
        flags.append("no date")
    if not row["location"] and not row["country"]:
        flags.append("no place")
    if not row["latitude"] or not row["longitude"]:
        flags.append("no coordinates")
    if not row["actor1"] or (row["event_type"] == "Battles" and not row["actor2"]):
        flags.append("no side")
    return flags


def days_ms(values: list[str]) -> np.ndarray:
    """ISO days as milliseconds since 1970 (NaN when empty), as Bokeh's datetime axes want."""
    days = np.array([value or "NaT" for value in values], dtype="datetime64[D]")
    millis = days.astype("datetime64[ms]").astype("int64").astype(float)
    millis[np.isnat(days)] = np.nan
    return millis


def numbers(values: list[str]) -> np.ndarray:
    return np.array([float(value) if value else np.nan for value in values], dtype=float)


def mercator(longitude: np.ndarray, latitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator metres, so that a tile background can lie under the points."""
    x = np.radians(longitude) * EARTH_RADIUS
    y = np.log(np.tan(np.pi / 4 + np.radians(np.clip(latitude, -MAX_LATITUDE, MAX_LATITUDE)) / 2))
    return x, y * EARTH_RADIUS


def marker_sizes(fatalities: np.ndarray) -> np.ndarray:
    """Screen size of a mark: the area grows with the deaths, unknown or none the smallest."""
    return np.minimum(7 + 2.5 * np.sqrt(np.nan_to_num(fatalities)), 40)


def lanes(names: list[str]) -> tuple[list[int], list[str]]:
    """Each row's lane (0 at the top: the name with the most rows) and each lane's label."""
    order = [name for name, _ in sorted(Counter(names).items(), key=lambda item: (-item[1], item[0]))]
    index = {name: lane for lane, name in enumerate(order)}
    return [index[name] for name in names], [_short(name) for name in order]


def _short(name: str) -> str:
    return name if len(name) <= LANE_LABEL else name[: LANE_LABEL - 1] + "…"


def event_columns(events: dict[str, list[str]]) -> dict[str, list]:
    """The columns the page's table, timeline and map share: every CSV column as text, and
    what the drawings need, computed once here (numbers with None for unknown)."""
    columns: dict[str, list] = dict(events)
    start, end = days_ms(columns["event_date"]), days_ms(columns["event_date_end"])
    end = np.where(np.isnan(end), start, end) + DAY_MS  # a span covers its last day
    x, y = mercator(numbers(columns["longitude"]), numbers(columns["latitude"]))
    computed = {
        "start": start,
        "end": end,
        "merc_x": np.round(x),
        "merc_y": np.round(y),
        "size": np.round(marker_sizes(numbers(columns["fatalities"])), 1),
        "fill": np.array([PRECISION_FILL.get(p, PRECISION_FILL["1"]) for p in columns["geo_precision"]]),
        "lane_doc": np.array(lanes(document_names(columns))[0], dtype=float),
        "lane_actor": np.array(lanes(actor_names(columns))[0], dtype=float),
    }
    columns.update({name: _json_numbers(values) for name, values in computed.items()})
    cells = zip(*(columns[name] for name in REVIEW_FIELDS), strict=True)
    columns["review"] = ["; ".join(review_flags(dict(zip(REVIEW_FIELDS, row, strict=True)))) for row in cells]
    columns["precision"] = [precision or "1" for precision in columns["geo_precision"]]
    return columns


NUMERIC = ("start", "end", "merc_x", "merc_y", "size", "fill", "lane_doc", "lane_actor")
EVENT_FIELDS = [*EVENT_COLUMNS, *NUMERIC, "review", "precision"]
DOCUMENT_FIELDS = DOCUMENT_COLUMNS


def _json_numbers(values: np.ndarray) -> list:
    return [None if math.isnan(value) else value for value in values.tolist()]


def document_names(events: dict[str, list[str]]) -> list[str]:
    return [title or doc_id for title, doc_id in zip(events["title"], events["doc_id"], strict=True)]


def actor_names(events: dict[str, list[str]]) -> list[str]:
    return [actor or "(no side)" for actor in events["actor1"]]


def date_bounds(columns: dict[str, list]) -> list[float] | None:
    """First and last day of the dated events (milliseconds), or None when none is dated."""
    starts = [value for value in columns["start"] if value is not None]
    if not starts:
        return None
    return [min(starts), max(value for value in columns["end"] if value is not None)]


def payload(data: ReportData, columns: dict[str, list], map_size: tuple[int, int]) -> dict:
    """What the page loads when it opens: the events' columns, the documents' rows and
    what sets up the widgets (document choices, lanes, date bounds, the map's shape)."""
    document_columns = list(data.documents[0]) if data.documents else []
    return {
        "columns": columns,
        "numeric": NUMERIC,
        "documents": {name: [row[name] for row in data.documents] for name in document_columns},
        "choices": [[d["doc_id"], f"{d['title'] or d['doc_id']} ({d['doc_id']})"] for d in data.documents],
        "lanes": {"doc": lanes(document_names(columns))[1], "actor": lanes(actor_names(columns))[1]},
        "dates": date_bounds(columns),
        "map_size": map_size,
    }


def load_outlines(models_dir: Path) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Country borders (tools/build_outlines.py) in Web Mercator, one array pair per line."""
    path = Path(models_dir) / OUTLINES
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"{path}: cannot be read ({err})") from err
    check_keys(data, {"source", "lines"}, {"source", "lines"}, str(path))
    xs, ys = [], []
    for line in data["lines"]:
        points = np.asarray(line, dtype=float).reshape(-1, 2)
        x, y = mercator(points[:, 0], points[:, 1])
        xs.append(x)
        ys.append(y)
    return xs, ys


def render(data: ReportData, models_dir: Path, cache_dir: Path | None = None) -> str:
    """The report page of a run's tables: the page's template with the run's header and rows."""
    columns = event_columns(data.events)
    rows = json.dumps(payload(data, columns, MAP_SIZE), ensure_ascii=False, separators=(",", ":"))
    rows = rows.replace("<", "\\u003c")  # no text in a cell can close the script block
    block = f'<script type="application/json" id="report-data">{rows}</script>'
    header = header_html(data, sum(bool(flags) for flags in columns["review"]))
    return template(models_dir, cache_dir).replace(SLOT, header + block, 1)


def template(models_dir: Path, cache_dir: Path | None = None) -> str:
    """The page without a run's data, from the cache when this code, Bokeh and the outlines
    made it before (building it costs about a second); a cache that cannot be written only
    costs that second."""
    import importlib.metadata

    outlines = Path(models_dir) / OUTLINES
    code = sorted(Path(__file__).parent.glob("report*.py"))
    try:
        parts = [importlib.metadata.version("bokeh").encode(), *(p.read_bytes() for p in [*code, outlines])]
    except OSError as err:
        raise ModelError(f"{outlines}: cannot be read ({err.strerror})") from err
    stamp = hashlib.sha256(b"\x1f".join(parts)).hexdigest()[:16]
    cached = (cache_dir or default_cache_dir()) / f"report-{stamp}.html"
    try:
        page = cached.read_text(encoding="utf-8")
        if SLOT in page:
            return page
    except (OSError, UnicodeDecodeError):
        pass  # built again below
    from pipeline.report_page import build_template  # Bokeh loads only when the page is built

    page = build_template(load_outlines(models_dir))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=cached.parent, prefix=".report-", delete=False
        ) as handle:
            handle.write(page)
        os.replace(handle.name, cached)
    except OSError:
        pass  # no cache: the next run builds the page again
    return page


def stage_report(files: OutputSet, models_dir: Path) -> None:
    """Stage report.html beside the tables ``files`` holds, read back as they were written,
    so that the report is put in place with them, or not at all."""
    paths = [files.staged_path(name) for name in ("events.csv", "documents.csv", "changes.csv")]
    files.text("report.html", render(read_data(*paths), models_dir))
