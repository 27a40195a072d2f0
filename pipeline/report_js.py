"""The report page's callbacks: the JavaScript that Bokeh leaves to a page's author.

Only what Bokeh's models cannot say: loading a run's rows into the source when the page
opens, the filters' test, the lane switch and writing the chosen row out. Drawing, tables,
widgets, hovering and selecting are Bokeh's (``pipeline.report_page``).
"""

ESCAPE = """
const entities = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => entities[c]);
"""

# Lanes of the timeline: per document or per actor (source._report.lanes holds their labels).
SET_LANES = """
function set_lanes(key, visible) {
  const field = 'lane_' + key, names = source._report.lanes[key];
  if (points.glyph.y.field !== field) {
    points.glyph.y = {field: field};
    spans.glyph.setv({y0: {field: field}, y1: {field: field}});
  }
  axis.ticker.ticks = names.map((_, lane) => lane);
  axis.major_label_overrides = new Map(names.map((name, lane) => [lane, name]));
  range.setv({start: Math.min(names.length, visible) - 0.5, end: -0.5});
}
"""

# The timeline and the map around the events shown (all of them when ``keep`` is null); a reset
# of either plot comes back here.
FIT = """
function fit(keep) {
  const d = source.data;
  let t0 = Infinity, t1 = -Infinity, x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < d.start.length; i++) {
    if (keep && !keep[i]) continue;
    if (!isNaN(d.start[i])) { t0 = Math.min(t0, d.start[i]); t1 = Math.max(t1, d.end[i]); }
    if (!isNaN(d.merc_x[i]) && !isNaN(d.merc_y[i])) {
      x0 = Math.min(x0, d.merc_x[i]); x1 = Math.max(x1, d.merc_x[i]);
      y0 = Math.min(y0, d.merc_y[i]); y1 = Math.max(y1, d.merc_y[i]);
    }
  }
  const set = (range, start, end) => range.setv({start, end, reset_start: start, reset_end: end});
  if (t0 <= t1) {
    const pad = Math.max((t1 - t0) * 0.03, 86400000);
    set(timeline.x_range, t0 - pad, t1 + pad);
  }
  if (x0 <= x1) {  // at least 300 km across, in the map's own proportions
    const [width, height] = source._report.map_size, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    let sx = Math.max(x1 - x0, 3e5) * 1.3, sy = Math.max(y1 - y0, 3e5) * 1.3;
    [sx, sy] = [Math.max(sx, sy * width / height), Math.max(sy, sx * height / width)];
    set(map.x_range, cx - sx / 2, cx + sx / 2);
    set(map.y_range, cy - sy / 2, cy + sy / 2);
  }
}
"""

LANES = SET_LANES + "set_lanes(this.active === 0 ? 'doc' : 'actor', %d);"

# When the page opens: the run's rows (a JSON block written by pipeline.report) into the sources.
LOAD = (
    """
const p = JSON.parse(window.document.getElementById('report-data').textContent);
const cols = p.columns, n = (cols.event_id || []).length;
for (const name of p.numeric) cols[name] = Float64Array.from(cols[name], v => v === null ? NaN : v);
source._report = p;
located.booleans = Array.from({length: n}, (_, i) => !isNaN(cols.merc_x[i]) && !isNaN(cols.merc_y[i]));
dated.booleans = Array.from({length: n}, (_, i) => !isNaN(cols.start[i]));
source.data = cols;  // after the filters, so that the views are computed once
documents.data = p.documents;
document.options = [['', 'All documents'], ...p.choices];
if (p.dates) dates.setv({start: p.dates[0], end: p.dates[1], value: p.dates});
"""
    + SET_LANES
    + FIT
    + """
set_lanes('doc', %d);
fit(null);
counter.text = `${n} of ${n} events shown: ${dated.booleans.filter(x => x).length} on the timeline, ` +
  `${located.booleans.filter(x => x).length} on the map`;
window.report_loaded = performance.now();  // what the tests time the page's opening by
"""
)

FILTER = (
    ESCAPE
    + FIT
    + """
const d = source.data, n = d.event_id.length;
if (!source._haystack) {
  const fields = ['title', 'section', 'date_text', 'event_type', 'sub_event_type', 'actor1',
    'assoc_actor_1', 'actor2', 'assoc_actor_2', 'location', 'admin1', 'country', 'casualty_text',
    'attribution', 'notes', 'review'];
  const sides = ['actor1', 'assoc_actor_1', 'actor2', 'assoc_actor_2'];
  source._haystack = Array.from({length: n}, (_, i) => fields.map(f => d[f][i]).join(' | ').toLowerCase());
  source._sides = Array.from({length: n}, (_, i) => sides.map(f => d[f][i]).join(' | ').toLowerCase());
}
const doc = document.value, type = kind.value, gap = review.value;
const who = (actor.value_input || '').trim().toLowerCase();
const words = (text.value_input || '').trim().toLowerCase().split(/\\s+/).filter(w => w);
const [lo, hi] = dates.value, whole = lo <= dates.start && hi >= dates.end;
const keep = new Array(n);
let shown = 0, mapped = 0, timed = 0;
for (let i = 0; i < n; i++) {
  keep[i] = (!doc || d.doc_id[i] === doc) && (!type || d.event_type[i] === type)
    && (!gap || (gap === 'any' ? d.review[i] !== '' : d.review[i].includes(gap)))
    && (!who || source._sides[i].includes(who))
    && (whole || (d.start[i] <= hi && d.end[i] > lo))
    && words.every(w => source._haystack[i].includes(w));
  if (keep[i]) {
    shown++;
    if (!isNaN(d.merc_x[i]) && !isNaN(d.merc_y[i])) mapped++;
    if (!isNaN(d.start[i])) timed++;
  }
}
chosen.booleans = keep;
fit(keep);
counter.text = `${shown} of ${n} events shown: ${timed} on the timeline, ${mapped} on the map`;
const docs = source._report.documents, at = doc ? docs.doc_id.indexOf(doc) : -1;
const f = name => esc((docs[name] || [])[at]);
frame.text = at < 0 ? '' : `<h3>${f('title') || f('doc_id')}</h3><p><b>Frame</b> (documents.csv): ` +
  `${f('date_start') || '?'} to ${f('date_end') || '?'} · place: ${f('place') || '<i>none</i>'}<br>` +
  `<b>Belligerents:</b> ${f('belligerents') || '<i>none</i>'}<br>` +
  `<b>Infobox casualties:</b> ${f('infobox_casualties') || '<i>none</i>'}<br>` +
  `${f('path')} (${f('format')}), ${f('events')} events, status: ${f('status')}</p>`;
"""
)

SHOW_ROW = (
    ESCAPE
    + """
const i = source.selected.indices[0];
if (i === undefined) return;
const d = source.data;
const line = (label, value) => value ? `<b>${label}:</b> ${esc(value)}<br>` : '';
const when = [d.event_date[i], d.event_date_end[i]].filter(x => x).join(' to ');
div.text = `<h3>${esc(d.event_type[i])} / ${esc(d.sub_event_type[i])}</h3>` +
  line('date', when ? `${when} (${d.date_precision[i]})` : 'none') + line('date as written', d.date_text[i]) +
  line('actor 1', d.actor1[i]) + line('with', d.assoc_actor_1[i]) +
  line('actor 2', d.actor2[i]) + line('with', d.assoc_actor_2[i]) +
  line('place', [d.location[i], d.admin1[i], d.country[i]].filter(x => x).join(', ')) +
  line('geo precision', d.geo_precision[i]) + line('fatalities', d.fatalities[i]) +
  line('casualties as written', d.casualty_text[i]) + line('attribution', d.attribution[i]) +
  line('needs review', d.review[i]) +
  line('document', d.title[i] + (d.section[i] ? ' > ' + d.section[i] : '')) +
  `<p class="evidence-sentence" style="background:#fff8dc;padding:6px"><b>Evidence</b> ` +
  `(characters ${esc(d.char_start[i])}–${esc(d.char_end[i])}): ${esc(d.notes[i])}</p>` +
  `<small>${esc(d.event_id[i])}</small>`;
"""
)
