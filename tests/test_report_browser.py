"""The report opened in headless Chromium (Debian's chromium and chromium-driver; `make test`
installs them through tools/install_browser.sh), with no network: what the page shows is
counted in the page itself, from the Bokeh models that draw it, and compared with the CSV
files of the run it was made from."""

from __future__ import annotations

import csv
import html
import shutil
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from pipeline.report import read_data, render
from pipeline.report_header import ReportData
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.run import RunOptions, run_batch

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"seed": ROOT / "seeds", "dev": ROOT.parent / "shared" / "dev" / "docs"}
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--proxy-server=127.0.0.1:9",  # network off: any request that leaves the page fails
    "--proxy-bypass-list=<-loopback>",
]
# A model of the page by its name, and a count of what its views hold.
MODEL = "return Bokeh.documents[0].get_model_by_name(arguments[0])"
COUNTS = """const doc = Bokeh.documents[0], count = name => doc.get_model_by_name(name).view.indices.count;
return {table: count('table'), map: count('map_marks'), timeline: count('timeline_marks'),
        counter: doc.get_model_by_name('counter').text};"""
# Every mark shown lies inside its plot's ranges: the plots are fitted to what the filters show.
INSIDE = """const doc = Bokeh.documents[0], d = doc.get_model_by_name('events').data;
const map = doc.get_model_by_name('map'), timeline = doc.get_model_by_name('timeline');
const within = (range, value) => range.start <= value && value <= range.end;
const marks = name => [...doc.get_model_by_name(name).view.indices];
return marks('map_marks').every(i => within(map.x_range, d.merc_x[i]) && within(map.y_range, d.merc_y[i]))
  && marks('timeline_marks').every(i => within(timeline.x_range, d.start[i]));"""
SHOWN_DOCUMENTS = """const doc = Bokeh.documents[0], source = doc.get_model_by_name('events');
return [...doc.get_model_by_name('table').view.indices].map(i => source.data.doc_id[i]);"""
# A widget's own <select>, found in the shadow roots Bokeh draws widgets in, chosen as a reader would.
CHOOSE = """function all(root, out = []) {
  out.push(...root.querySelectorAll('select'));
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all(el.shadowRoot, out);
  return out;
}
const select = all(document).find(s => [...s.options].some(o => o.text === arguments[0]));
select.value = [...select.options].find(o => o.text === arguments[0]).value;
select.dispatchEvent(new Event('change'));"""


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "run `make browser` (tools/install_browser.sh) first"
    profile = tempfile.mkdtemp(prefix="report-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module", params=sorted(CORPORA))
def run(request, tmp_path_factory, extractor) -> Path:
    out = tmp_path_factory.mktemp(f"report-{request.param}")
    run_batch([CORPORA[request.param]], out, RunOptions(workers=1, report=True), extractor)
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def open_report(driver, page: Path) -> float:
    """Open the page and wait until its rows are loaded and drawn; the milliseconds that took
    from the start of the navigation."""
    driver.get(page.as_uri())
    deadline = time.monotonic() + 30
    while not driver.execute_script("return window.report_loaded"):
        assert time.monotonic() < deadline, "the report did not load its rows"
        time.sleep(0.05)
    painted = "requestAnimationFrame(() => requestAnimationFrame(() => arguments[0](performance.now())))"
    return driver.execute_async_script(painted)


def settle(driver, expected: int) -> dict:
    """The page's counts once the filters' callback has run (Bokeh runs callbacks asynchronously)."""
    deadline = time.monotonic() + 10
    while (counts := driver.execute_script(COUNTS))["table"] != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return counts


def located(events: list[dict]) -> int:
    return sum(bool(e["latitude"] and e["longitude"]) for e in events)


def dated(events: list[dict]) -> int:
    return sum(bool(e["event_date"]) for e in events)


def test_the_page_shows_every_event_once_on_table_map_and_timeline(browser, run):
    events = rows(run / "events.csv")
    open_report(browser, run / "report.html")
    counts = browser.execute_script(COUNTS)
    assert counts["table"] == len(events) > 0
    assert counts["map"] == located(events)
    assert counts["timeline"] == dated(events)
    assert counts["counter"].startswith(f"{len(events)} of {len(events)} events shown")
    assert browser.execute_script(INSIDE)
    errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    addresses = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [a for a in addresses if not a.startswith(("file:", "data:", "blob:"))] == []


def test_choosing_a_document_shows_only_its_events_and_its_frame(browser, run):
    events, documents = rows(run / "events.csv"), rows(run / "documents.csv")
    doc_id, _ = Counter(e["doc_id"] for e in events).most_common()[-1]  # the one with fewest events
    own = [e for e in events if e["doc_id"] == doc_id]
    frame = next(d for d in documents if d["doc_id"] == doc_id)
    open_report(browser, run / "report.html")
    browser.execute_script(CHOOSE, f"{frame['title']} ({doc_id})")
    counts = settle(browser, len(own))
    assert counts == {
        "table": len(own),
        "map": located(own),
        "timeline": dated(own),
        "counter": f"{len(own)} of {len(events)} events shown: {dated(own)} on the timeline, "
        f"{located(own)} on the map",
    }
    assert set(browser.execute_script(SHOWN_DOCUMENTS)) == {doc_id}
    assert browser.execute_script(INSIDE)
    shown_frame = browser.execute_script(MODEL + ".text", "frame")
    assert frame["date_start"] in shown_frame and frame["path"] in shown_frame


def test_needs_review_finds_the_rows_without_coordinates(browser, run):
    events = rows(run / "events.csv")
    open_report(browser, run / "report.html")
    browser.execute_script(CHOOSE, "no coordinates")
    assert settle(browser, len(events) - located(events))["map"] == 0


# A text box found by its placeholder and typed into, as a reader would.
TYPE = """function all(root, out = []) {
  out.push(...root.querySelectorAll('input'));
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all(el.shadowRoot, out);
  return out;
}
const input = all(document).find(i => i.placeholder === arguments[0]);
input.value = arguments[1];
input.dispatchEvent(new Event('input'));"""
SEARCHED = ("title", "section", "date_text", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
            "assoc_actor_2", "location", "admin1", "country", "casualty_text", "attribution", "notes")  # fmt: skip
SIDES = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


def day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("how", "what", "expected"),
    [
        (CHOOSE, ["Battles"], lambda e: e["event_type"] == "Battles"),
        (TYPE, ["e.g. Islamic State", "islamic STATE"], lambda e: any("islamic state" in e[f].lower() for f in SIDES)),
        (TYPE, ["words in any column", "killed  the"],
         lambda e: all(w in " | ".join(e[f] for f in SEARCHED).lower() for w in ("killed", "the"))),
        ("Bokeh.documents[0].get_model_by_name('dates').value = [Date.UTC(2016, 0, 1), Date.UTC(2016, 11, 31)]", [],
         lambda e: bool(e["event_date"]) and day(e["event_date"]) <= date(2016, 12, 31)
         and day(e["event_date_end"] or e["event_date"]) >= date(2016, 1, 1)),
    ],
    ids=["type", "actor", "text", "dates"],
)  # fmt: skip
def test_each_filter_shows_the_rows_it_names(browser, run, how, what, expected):
    events = rows(run / "events.csv")
    wanted = [e for e in events if expected(e)]
    open_report(browser, run / "report.html")
    browser.execute_script(how, *what)
    assert settle(browser, len(wanted))["table"] == len(wanted) < len(events)


def test_a_chosen_row_shows_its_evidence_sentence(browser, run):
    events = rows(run / "events.csv")
    open_report(browser, run / "report.html")
    browser.execute_script(MODEL + ".selected.indices = [arguments[1]]", "events", len(events) - 1)
    deadline = time.monotonic() + 10
    while "Evidence" not in (text := browser.execute_script(MODEL + ".text", "evidence")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert events[-1]["event_id"] in text
    assert events[-1]["notes"] in html.unescape(text)


def test_lanes_switch_between_documents_and_actors(browser, run):
    events = rows(run / "events.csv")
    open_report(browser, run / "report.html")
    axis = "return Bokeh.documents[0].get_model_by_name('timeline').left[0].ticker.ticks.length"
    assert browser.execute_script(axis) == len({e["title"] or e["doc_id"] for e in events})
    browser.execute_script(MODEL + ".active = 1", "lanes")
    deadline = time.monotonic() + 10
    while browser.execute_script(axis) != len({e["actor1"] for e in events}):
        assert time.monotonic() < deadline, "the lanes did not switch to actors"
        time.sleep(0.05)
    assert browser.execute_script(COUNTS)["timeline"] == dated(events)


def ten_thousand(source: ReportData) -> ReportData:
    """10,000 events: the development run's rows again and again, each copy its own document."""
    rows = [
        dict(zip(source.events, cells, strict=True)) for cells in zip(*source.events.values(), strict=True)
    ]
    events, documents, copy = [], [], 0
    while len(events) < 10_000:
        for document in source.documents:
            doc_id = f"{document['doc_id']}-{copy}"
            documents.append({**document, "doc_id": doc_id, "title": f"{document['title']} ({copy})"})
            own = [row for row in rows if row["doc_id"] == document["doc_id"]]
            events += [
                {**e, "doc_id": doc_id, "event_id": f"{doc_id}:{len(events) + i:010x}"}
                for i, e in enumerate(own)
            ]
        copy += 1
    columns = {name: [e[name] for e in events[:10_000]] for name in source.events}
    return ReportData(columns, documents, source.change_columns, source.changes)


def test_ten_thousand_events_open_in_under_three_seconds(browser, tmp_path, run):
    if run.name.startswith("report-seed"):
        return  # measured once, on the development run's rows
    tables = ten_thousand(read_data(run / "events.csv", run / "documents.csv", run / "changes.csv"))
    page = tmp_path / "report.html"
    page.write_text(render(tables, DEFAULT_MODELS_DIR), encoding="utf-8")
    best = min(open_report(browser, page) for _ in range(3))  # the machine's other load is noise
    assert browser.execute_script(COUNTS)["table"] == 10_000
    assert best < 3000
