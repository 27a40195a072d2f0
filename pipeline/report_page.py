"""The report's page, laid out with Bokeh: a timeline, a map, the events table, the documents.

The page is built without a run's data, once per version of this code, of Bokeh and of the
country outlines (``pipeline.report`` keeps it in the cache): Bokeh takes about a second to
build and serialise a page, more than the rest of the report, and serialising 10,000 rows
through its models would take seconds more. Each run's rows arrive as one JSON block that
the page loads into its ColumnDataSource when it opens (``report_js.LOAD``).

One ColumnDataSource holds the events. One BooleanFilter, set by the filter widgets, is
shared by the table's, the timeline's and the map's views, so a filter drives all three.
BokehJS is inlined: the file opens from disk with no server and no network. The map's tile
background stays off until the reader turns it on.
"""

from __future__ import annotations

from bokeh.document import Document
from bokeh.embed import file_html
from bokeh.layouts import column, row
from bokeh.models import (
    BooleanFilter,
    CDSView,
    Checkbox,
    ColumnDataSource,
    CustomJS,
    DataTable,
    DateRangeSlider,
    Div,
    FixedTicker,
    HoverTool,
    IntersectionFilter,
    RadioButtonGroup,
    Range1d,
    Select,
    TableColumn,
    TapTool,
    TextInput,
)
from bokeh.plotting import figure
from bokeh.resources import INLINE
from bokeh.transform import factor_cmap, factor_mark

from pipeline import report_js
from pipeline.report import DOCUMENT_FIELDS, EVENT_FIELDS, MAP_SIZE, REVIEW_FLAGS, SLOT

EVENT_TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]
PALETTE = ["#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#1f77b4"]
PRECISION_MARKS = ["circle", "diamond", "square"]  # geo_precision 1, 2, 3
VISIBLE_LANES = 14
TOOLTIPS = [
    ("date", "@event_date @event_date_end (@date_precision)"),
    ("type", "@event_type / @sub_event_type"),
    ("actors", "@actor1 → @actor2"),
    ("place", "@location, @admin1, @country (precision @geo_precision)"),
    ("fatalities", "@fatalities (wounded @wounded, captured @captured)"),
    ("document", "@title"),
    ("review", "@review"),
]
TABLE_COLUMNS = [
    ("event_date", "date", 85),
    ("event_date_end", "until", 85),
    ("event_type", "type", 150),
    ("actor1", "actor 1", 170),
    ("actor2", "actor 2", 170),
    ("location", "place", 110),
    ("country", "country", 80),
    ("fatalities", "killed", 50),
    ("review", "needs review", 130),
    ("title", "document", 220),
    ("notes", "evidence", 400),
]
DOCUMENT_COLUMNS = [
    ("title", "document", 230),
    ("date_start", "from", 85),
    ("date_end", "to", 85),
    ("place", "place", 170),
    ("belligerents", "belligerents (the article's sides, as one list)", 420),
    ("events", "events", 50),
    ("status", "status", 120),
]
DOCUMENTS_HEADING = (
    "<h2>Documents and their frames (documents.csv)</h2><p>Click a document to see its events.</p>"
)
PRECISION_KEY = (
    "Map: ● a town · ◆ near a town or a small area · □ a province or region only; size grows with the deaths"
)
STYLE = """<style>
body { font-family: system-ui, sans-serif; margin: 12px 18px; }
h1 { font-size: 1.4em; margin: 0 0 4px 0; }
.key span { margin-right: 14px; white-space: nowrap; }
details table { border-collapse: collapse; font-size: 0.85em; }
details td, details th { border: 1px solid #ccc; padding: 1px 6px; }
details { max-height: 220px; overflow: auto; }
</style>"""


def build_template(outlines: tuple[list, list]) -> str:
    """The whole page with an empty events source; ``SLOT`` marks where a run's header
    and data go."""
    source = ColumnDataSource({name: [] for name in EVENT_FIELDS}, name="events")
    chosen = BooleanFilter(name="chosen")
    located, dated = BooleanFilter(name="located"), BooleanFilter(name="dated")
    timeline, lanes, lane_parts = _timeline(
        source, CDSView(filter=IntersectionFilter(operands=[chosen, dated]))
    )
    chart_map, background = _map(
        source, CDSView(filter=IntersectionFilter(operands=[chosen, located])), outlines
    )
    evidence = Div(text="<i>Click a mark or a row to read its evidence.</i>", name="evidence", width=560)
    frame = Div(text="", name="frame", width=560)
    widgets, counter, documents = _filters(source, chosen, frame, {"timeline": timeline, "map": chart_map})
    source.selected.js_on_change(
        "indices", CustomJS(args={"source": source, "div": evidence}, code=report_js.SHOW_ROW)
    )
    page = column(
        row(*widgets[:5]),
        row(widgets[5], lanes, background),
        counter,
        timeline,
        row(chart_map, column(evidence, frame)),
        _events_table(source, chosen),
        Div(text=DOCUMENTS_HEADING),
        documents,
        sizing_mode="stretch_width",
    )
    load = {
        "source": source, "documents": documents.source, "chosen": chosen, "located": located,
        "dated": dated, "document": widgets[0], "dates": widgets[5], "timeline": timeline,
        "map": chart_map, "counter": counter, **lane_parts,
    }  # fmt: skip
    doc = Document()
    doc.add_root(page)
    doc.js_on_event("document_ready", CustomJS(args=load, code=report_js.LOAD % VISIBLE_LANES))
    return _html(doc)


def _html(doc: Document) -> str:
    """The page with BokehJS inlined, its style, and the run's slot above the key and the plots."""
    around = (
        f"{{% block postamble %}}{STYLE}{{% endblock %}}\n"
        f"{{% block inner_body %}}{SLOT}{_key()}{{{{ super() }}}}{{% endblock %}}"
    )
    return file_html(doc, INLINE, title="Conflict events report", template=around)


def _events_table(source: ColumnDataSource, chosen: BooleanFilter) -> DataTable:
    return DataTable(
        source=source,
        view=CDSView(filter=chosen),
        columns=[TableColumn(field=f, title=t, width=w) for f, t, w in TABLE_COLUMNS],
        sizing_mode="stretch_width",
        height=320,
        index_position=None,
        reorderable=False,
        sortable=False,  # sorting reads every row of the source on each filter: 0.2 s at 10,000 events
        name="table",
    )


def _key() -> str:
    """The colours of the event types and the marks of the places' precision, once for both plots."""
    colours = "".join(
        f"<span><b style='color:{colour}'>●</b> {name}</span>"
        for name, colour in zip(EVENT_TYPES, PALETTE, strict=True)
    )
    return f"<p class='key'>{colours}<br><span>{PRECISION_KEY}</span></p>"


def _timeline(source: ColumnDataSource, view: CDSView) -> tuple[figure, RadioButtonGroup, dict]:
    plot = figure(
        x_axis_type="datetime",
        x_range=Range1d(0, 1),
        y_range=Range1d(VISIBLE_LANES - 0.5, -0.5),
        height=100 + 24 * VISIBLE_LANES,
        sizing_mode="stretch_width",
        tools="xpan,xwheel_zoom,ypan,box_zoom,reset,tap",
        active_scroll="xwheel_zoom",
        title="Timeline: a mark per dated event on its first day, a bar over its range "
        "(drag up or down for more lanes)",
        name="timeline",
    )
    colours = factor_cmap("event_type", PALETTE, EVENT_TYPES)
    spans = plot.segment(
        x0="start", x1="end", y0="lane_doc", y1="lane_doc", source=source, view=view,
        line_color=colours, line_width=5, line_alpha=0.35, name="timeline_spans",
    )  # fmt: skip
    points = plot.scatter(
        x="start", y="lane_doc", size="size", source=source, view=view, fill_color=colours,
        line_color="black", line_width=0.5, fill_alpha=0.75, name="timeline_marks",
    )  # fmt: skip
    plot.add_tools(HoverTool(renderers=[points], tooltips=TOOLTIPS))
    plot.select_one(TapTool).renderers = [points]
    plot.yaxis.ticker = FixedTicker(ticks=[])
    switch = RadioButtonGroup(labels=["Lanes per document", "Lanes per actor"], active=0, name="lanes")
    parts = {"points": points, "spans": spans, "axis": plot.yaxis[0], "range": plot.y_range}
    switch.js_on_change(
        "active", CustomJS(args={**parts, "source": source}, code=report_js.LANES % VISIBLE_LANES)
    )
    return plot, switch, parts


def _map(source: ColumnDataSource, view: CDSView, outlines: tuple[list, list]) -> tuple[figure, Checkbox]:
    plot = figure(
        x_axis_type="mercator",
        y_axis_type="mercator",
        x_range=Range1d(-2.0e7, 2.0e7),  # the world, until the page fits the events
        y_range=Range1d(-1.2e7, 1.94e7),
        frame_width=MAP_SIZE[0],
        frame_height=MAP_SIZE[1],
        tools="pan,wheel_zoom,box_zoom,reset,tap",
        active_scroll="wheel_zoom",
        title="Map: one mark per located event",
        toolbar_location="above",
        name="map",
    )
    tiles = plot.add_tile("OpenStreetMap.Mapnik", retina=False)
    plot.renderers.remove(tiles)  # drawn only when asked for: an idle page asks the network for nothing
    plot.multi_line(xs=outlines[0], ys=outlines[1], line_color="#999999", line_width=0.8)
    colours = factor_cmap("event_type", PALETTE, EVENT_TYPES)
    points = plot.scatter(
        x="merc_x", y="merc_y", size="size", source=source, view=view, fill_color=colours,
        line_color=colours, line_width=1.5, fill_alpha="fill", name="map_marks",
        marker=factor_mark("precision", PRECISION_MARKS, ["1", "2", "3"]),
    )  # fmt: skip
    plot.add_tools(HoverTool(renderers=[points], tooltips=TOOLTIPS))
    plot.select_one(TapTool).renderers = [points]
    background = Checkbox(label="Map background (OpenStreetMap tiles: needs a network)", active=False)
    toggle = (
        "plot.renderers = this.active ? [tiles, ...plot.renderers] : plot.renderers.filter(r => r !== tiles);"
    )
    background.js_on_change("active", CustomJS(args={"tiles": tiles, "plot": plot}, code=toggle))
    return plot, background


def _filters(
    source: ColumnDataSource, chosen: BooleanFilter, frame: Div, plots: dict[str, figure]
) -> tuple[list, Div, DataTable]:
    document = Select(title="Document", value="", options=[("", "All documents")], name="document", width=360)
    types = [("", "All types"), *[(t, t) for t in EVENT_TYPES]]
    kind = Select(title="Event type", value="", options=types, name="type", width=200)
    actor = TextInput(title="Actor (any side)", placeholder="e.g. Islamic State", name="actor", width=200)
    text = TextInput(title="Search text", placeholder="words in any column", name="search", width=220)
    gaps = [("", "All rows"), ("any", "Any gap"), *[(flag, flag) for flag in REVIEW_FLAGS]]
    review = Select(title="Needs review", value="", options=gaps, name="review", width=160)
    dates = DateRangeSlider(title="Dates", start=0, end=1, value=(0, 1), step=1, name="dates", width=420)
    counter = Div(text="", name="counter")
    widgets = [document, kind, actor, text, review, dates]
    callback = CustomJS(
        args={
            "source": source, "chosen": chosen, "document": document, "kind": kind, "actor": actor,
            "text": text, "review": review, "dates": dates, "counter": counter, "frame": frame,
            **plots,
        },
        code=report_js.FILTER,
    )  # fmt: skip
    for widget in widgets:
        widget.js_on_change("value_input" if isinstance(widget, TextInput) else "value", callback)
    return widgets, counter, _documents_table(document)


def _documents_table(document: Select) -> DataTable:
    source = ColumnDataSource({name: [] for name in DOCUMENT_FIELDS}, name="documents")
    pick = (
        "const i = source.selected.indices[0]; if (i !== undefined) document.value = source.data.doc_id[i];"
    )
    source.selected.js_on_change(
        "indices", CustomJS(args={"source": source, "document": document}, code=pick)
    )
    return DataTable(
        source=source,
        columns=[TableColumn(field=f, title=t, width=w) for f, t, w in DOCUMENT_COLUMNS],
        sizing_mode="stretch_width",
        height=300,
        index_position=None,
        reorderable=False,
        name="documents_table",
    )
