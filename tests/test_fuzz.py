"""Property-based tests: generated documents through the whole extractor, in all three formats.

The documents are built from the language of the real articles (their sentences and words,
the armed groups and places the models know, dates and figures) and from what breaks
parsers (invalid dates, huge numbers, citation runs, unicode, truncations, arbitrary bytes,
odd YAML front matter, HTML tag soup). Whatever the input, the extractor must not raise,
must label a bad file with ``error: <cause>`` (never ``error: internal error``, which the
batch reserves for bugs), must point every event's offsets at its evidence, must give rows
that validate, and must give the same bytes twice.

``HYPOTHESIS_PROFILE`` selects the settings: ``ci`` (default, about a minute) or ``fuzz``
(many more examples). ``tools/fuzz.py`` runs the same strategies and checks 100,000 times.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS, csv_lines, document_rows, event_rows
from pipeline.extract import Extractor
from pipeline.html_text import collect_units
from pipeline.normalize import strip_citations
from pipeline.records import DocumentResult
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.validation import validate

REPO = Path(__file__).resolve().parent.parent
ARTICLE_DIRS = (REPO / "seeds", REPO.parent / "shared" / "dev" / "docs", Path("/work/main/seeds"))

# Generated documents stay under this size: a few known slow paths (long citation runs)
# are quadratic, and the CI profile must finish in about a minute.
MAX_CHARS = 20_000

# ci: derandomized, and no shrinking: each shrink step is an extraction, and while known bugs
# are open shrinking took minutes; tools/fuzz.py minimises its findings instead.
settings.register_profile(
    "ci",
    max_examples=150,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=5_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- material from the real articles and the models ------------------------------------


@lru_cache(maxsize=1)
def article_files() -> tuple[Path, ...]:
    """The real articles: the seeds and the development set, whichever are present."""
    found: dict[str, Path] = {}
    for folder in ARTICLE_DIRS:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in (".md", ".txt", ".html"):
                    found.setdefault(path.name, path)
    return tuple(found.values())


@lru_cache(maxsize=1)
def article_texts() -> tuple[tuple[str, str], ...]:
    """(suffix, decoded text) of each real article."""
    return tuple(
        (path.suffix, path.read_bytes().decode("utf-8", errors="replace")) for path in article_files()
    )


@lru_cache(maxsize=1)
def real_sentences() -> tuple[str, ...]:
    """Sentences of the narrative of the Markdown and text articles (tags left out)."""
    sentences = []
    for suffix, text in article_texts():
        if suffix == ".html":
            continue
        for line in text.splitlines():
            if len(line) > 60 and " " in line and not line.startswith(("---", "#", "|")):
                sentences.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line) if len(s) > 20)
    return tuple(sorted(set(sentences))) or ("Rebels attacked the town of Morek on 1 February 2014.",)


@lru_cache(maxsize=1)
def real_words() -> tuple[str, ...]:
    return tuple(sorted({w for s in real_sentences() for w in s.split()}))


def _yaml(name: str) -> object:
    with open(DEFAULT_MODELS_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def faction_names() -> tuple[str, ...]:
    """Canonical names and aliases of the armed groups the models know."""
    names = set()
    for path in sorted((DEFAULT_MODELS_DIR / "factions").glob("*.yaml")):
        data = _yaml(f"factions/{path.name}") or {}
        for group in data.get("groups", []):
            names.add(str(group.get("canonical", "")))
            names.update(str(alias) for alias in group.get("aliases", []) or [])
    return tuple(sorted(n for n in names if n))


@lru_cache(maxsize=1)
def place_names() -> tuple[str, ...]:
    """Named areas of regions.yaml and towns the articles are about."""
    names = {"Idlib", "Aleppo", "Mosul", "Kunduz", "Sirte", "Konna", "Hama", "Morek", "Palma", "Aden"}
    for region in (_yaml("regions.yaml") or {}).get("regions", []):
        names.add(str(region.get("name", "")))
        names.update(str(alias) for alias in region.get("aliases", []) or [])
    return tuple(sorted(n for n in names if n))


# --- strategies: pieces of prose ---------------------------------------------------------

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ODD_MONTHS = ("Smarch", "Febuary", "Jan.", "Sept.", "march", "MAY")
YEARS = (1, 9999, 1850, 0, 10000, 1899, 1900, 2016, 2099, 2100, 99999)
PEOPLE = ("fighters", "soldiers", "civilians", "militants", "rebels", "policemen", "children")
UNICODE_SPECIALS = (
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte order mark inside the text
    "\u0301",  # combining acute
    "e\u0301\u0308",
    "\U0001f44d\U0001f3fd",  # emoji with a skin tone
    "\U0001f1f8\U0001f1fe",  # flag
    "سوريا",
    "שלום",
    "ﷺ",
    "Ⅻ",
    "①",
    "١٢٣",  # Arabic-Indic digits
    "\u2028",  # line separator
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\r",
    "\t",
    "ǅ",
    "ß",
    "İ",
    "ﬁ",
)
PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’–—-…/\\|*#@=+&%$^~`<>"
CITATION_MARKS = ("[1]", "[12]", "[a]", "[citation needed]", "[note 3]", "[*]", "[ 4 ]", "[", "]", "[[", "]]")
HOSTILE = (
    "{faction} attacked {place} on {date}, killing {n} {people}.",
    "On {date}, {faction} captured {place} from {faction2}.[1]",
    "{n} {people} were killed and {n2} wounded in {place} on {date}.",
    "Between {date} and {date2}, {faction} shelled {place}, killing at least {n} {people}.",
    "According to {faction}, {n} {people} were captured near {place} in {date}.",
    "{faction} and {faction2} clashed in {place}, leaving {n}–{n2} dead.",
    "A suicide bomber from {faction} blew himself up in {place} on {date}, killing {n}.",
    "Airstrikes on {place} killed {n} {people} on {date}.[2][3]",
)


DATE_FORMS = (
    "{d} {m} {y}",
    "{m} {d}, {y}",
    "{m} {y}",
    "{y}",
    "{d}–{d2} {m} {y}",
    "{d} {m} – {d2} {m} {y}",
    "early {m} {y}",
    "mid-{m} {y}",
    "between {d} and {d2} {m}",
    "{d} {m}",
    "{y}-{d:02d}-{d2:02d}",
    "the {d}th",
)
WORD_FIGURES = ("dozens", "hundreds", "one", "twelve", "a thousand", "zero")
APPROXIMATELY = ("at least", "around", "over", "up to")


@cache
def numbers() -> st.SearchStrategy[str]:
    """Figures as articles write them, and the ones parsers choke on (huge, 0, negative).
    Strategies are built once (cached): building them per draw tripled the cost of an example."""
    values = st.one_of(  # huge figures one time in eight: enough to find, not to drown the rest
        *[st.integers(0, 2_000)] * 5,
        st.integers(-1_000, -1),
        st.integers(2**62, 2**70),
        st.sampled_from([0, 2**63 - 1, 2**63, 2**64, 10**20, 10**30]),
    )
    return st.one_of(
        values.map(str),
        values.map("{:,}".format),
        st.sampled_from(WORD_FIGURES),
        st.tuples(st.sampled_from(APPROXIMATELY), values).map(lambda pair: f"{pair[0]} {pair[1]}"),
    )


@cache
def dates() -> st.SearchStrategy[str]:
    """Valid and invalid dates: day 0, 31 February, years 1, 9999 and 1850, odd month names."""
    return st.builds(
        lambda form, d, d2, m, y: form.format(d=d, d2=d2, m=m, y=y),
        st.sampled_from(DATE_FORMS),
        st.one_of(st.integers(0, 32), st.sampled_from([-1, 99, 31, 29])),
        st.integers(0, 40),
        st.one_of(st.sampled_from(MONTHS), st.sampled_from(ODD_MONTHS)),
        st.one_of(st.sampled_from(YEARS), st.integers(1, 9999)),
    )


@cache
def unicode_runs() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(UNICODE_SPECIALS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    )


@cache
def runs_of(alphabet: tuple[str, ...] | str, most: int) -> st.SearchStrategy[str]:
    """A run of marks, as in "[1][2][3]" or "?!...": long runs find quadratic paths."""
    return st.lists(st.sampled_from(list(alphabet)), min_size=1, max_size=most).map("".join)


@cache
def pieces() -> st.SearchStrategy[str]:
    """One word-sized piece of prose."""
    return st.one_of(
        st.sampled_from(real_words()),
        st.sampled_from(real_words()),
        st.sampled_from(faction_names()),
        st.sampled_from(place_names()),
        numbers(),
        dates(),
        st.sampled_from(PEOPLE),
        runs_of(PUNCTUATION, 8),
        runs_of(CITATION_MARKS, 30),
        unicode_runs(),
    )


@cache
def templated() -> st.SearchStrategy[str]:
    """A sentence shaped like an event report, with generated groups, places, dates and figures."""
    return st.builds(
        lambda form, **fields: form.format(**fields),
        st.sampled_from(HOSTILE),
        faction=st.sampled_from(faction_names()),
        faction2=st.sampled_from(faction_names()),
        place=st.sampled_from(place_names()),
        date=dates(),
        date2=dates(),
        n=numbers(),
        n2=numbers(),
        people=st.sampled_from(PEOPLE),
    )


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real sentence with one word replaced by a generated piece."""
    words = draw(st.sampled_from(real_sentences())).split()
    index = draw(st.integers(0, len(words) - 1))
    words[index] = draw(pieces())
    return " ".join(words)


@st.composite
def variant(draw: st.DrawFn, sentence: str) -> str:
    """The same sentence in another case or punctuation: the evidence key must still differ."""
    change = draw(st.sampled_from(["upper", "lower", "comma", "period", "space", "citation"]))
    if change == "upper":
        return sentence.upper()
    if change == "lower":
        return sentence.lower()
    if change == "comma":
        return sentence.replace(" ", ", ", 1)
    if change == "period":
        return sentence.rstrip(".") + "!"
    if change == "space":
        return sentence.replace(" ", "  ", 1)
    return sentence + "[1]"


@st.composite
def sentences(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["real", "mutated", "templated", "templated", "pieces"]))
    if kind == "real":
        return draw(st.sampled_from(real_sentences()))
    if kind == "mutated":
        return draw(mutated())
    if kind == "templated":
        return draw(templated())
    words = draw(st.lists(pieces(), min_size=1, max_size=10))
    return " ".join(words) + draw(st.sampled_from([".", "", "!", "?", ".[1]", "…"]))


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """Prose of one to six sentences, a repeated sentence in another form, or a line that is
    only a place, a group or a date."""
    kind = draw(st.sampled_from(["prose", "prose", "prose", "repeat", "lone"]))
    if kind == "lone":
        return draw(st.one_of(st.sampled_from(place_names()), st.sampled_from(faction_names()), dates()))
    found = draw(st.lists(sentences(), min_size=1, max_size=4))
    if kind == "repeat":
        found.append(draw(variant(found[0])))
    return draw(st.sampled_from([" ", "", "  ", "\u00a0"])).join(found)


@dataclass(frozen=True)
class Body:
    """A document's content before it is wrapped in a format."""

    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs); "" for the lead


@st.composite
def bodies(draw: st.DrawFn) -> Body:
    title = draw(
        st.one_of(
            st.sampled_from([f"Battle of {p}" for p in place_names()[:40]]),
            st.sampled_from(faction_names()).map(lambda f: f"{f} insurgency"),
            st.text(max_size=30),
        )
    )
    headings = st.one_of(
        st.just(""), st.sampled_from(["Background", "Battle", "Aftermath", "References", "See also"]), dates()
    )
    sections = draw(
        st.lists(
            st.tuples(headings, st.lists(paragraphs(), min_size=0, max_size=4).map(tuple)),
            min_size=1,
            max_size=3,
        )
    )
    return Body(title, tuple(sections))


# --- strategies: YAML front matter ---------------------------------------------------------

YAML_SCALARS = (
    "null",
    "~",
    "",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "0",
    "-1",
    "1e400",
    "0x1F",
    "0o17",
    "12_345",
    "yes",
    "no",
    "on",
    '""',
    "''",
    "[]",
    "{}",
    "2016-03-01",
    "2016-13-01",
    "2016-02-30",
    "0000-01-01",
    "2016-03-01 12:00:00",
    "2016-03-01T25:61:00Z",
    "!!binary aGVsbG8=",
    "!!str 5",
    "!!int '5'",
    "!!float abc",
    "!!timestamp 2016-99-99",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!python/object/apply:os.getcwd []",
    '"\\u202eevil"',
    "'10–18 January 2013'",
    '"Konna, Mali"',
    "|\n  multi\n  line",
    ">\n  folded\n  text",
)
YAML_KEYS = ("title", "subject", "date", "place", "tags", "description", "author", "pubDate", "<<", "? x")


@cache
def yaml_scalars() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(YAML_SCALARS),
        numbers(),
        dates().map(lambda d: f'"{d}"'),
        st.sampled_from(faction_names()),
        st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    )


@cache
def yaml_values() -> st.SearchStrategy[str]:
    """Flow-style values: scalars, lists and maps nested a few levels."""
    return st.recursive(
        yaml_scalars().filter(lambda s: "\n" not in s),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
            st.lists(st.tuples(st.sampled_from(YAML_KEYS[:6]), inner), max_size=3).map(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
            ),
        ),
        max_leaves=8,
    )


@st.composite
def alias_chains(draw: st.DrawFn) -> str:
    """Anchors and aliases, up to a small "billion laughs" (kept small: known slow path)."""
    depth = draw(st.integers(1, 5))
    fanout = draw(st.integers(1, 4))
    lines = ["a0: &a0 [x, y]"]
    for level in range(1, depth + 1):
        refs = ", ".join([f"*a{level - 1}"] * fanout)
        lines.append(f"a{level}: &a{level} [{refs}]")
    key = draw(st.sampled_from(["tags", "title", "date", "place", "other"]))
    lines.append(f"{key}: *a{depth}")
    return "\n".join(lines)


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    """YAML front matter text: odd types under the keys the ingest reads, block lists, aliases."""
    lines = []
    for key in draw(st.lists(st.sampled_from(YAML_KEYS), max_size=6)):
        form = draw(st.sampled_from(["flow", "flow", "block", "anchor"]))
        if form == "block":
            items = draw(st.lists(yaml_scalars().filter(lambda s: "\n" not in s), max_size=3))
            lines.append(f"{key}:" + "".join(f"\n  - {item}" for item in items))
        elif form == "anchor":
            lines.append(f"{key}: &k{len(lines)} {draw(yaml_values())}")
            lines.append(f"{key}2: *k{len(lines) - 1}")
        else:
            lines.append(f"{key}: {draw(yaml_values())}")
    if draw(st.booleans()):
        lines.append(draw(alias_chains()))
    if draw(st.booleans()):
        lines.append(
            f"tags:\n  - {draw(yaml_scalars())}\n  - |\n    {draw(st.sampled_from(faction_names()))}"
        )
    return "\n".join(lines)


# --- strategies: HTML tag soup -------------------------------------------------------------

TAGS = (
    "<p>",
    "</p>",
    "<p",
    "<div>",
    "</div>",
    "<b>",
    "</b>",
    "</i>",
    "<br>",
    "<br/>",
    "<sup>",
    "</sup>",
    '<sup class="reference"><a href="#cite_note-1">[1]</a></sup>',
    '<span class="mw-editsection">[edit]</span>',
    '<table class="infobox"><tr><th>Date</th><td>',
    "<tr>",
    "<td>",
    "</td>",
    "</table>",
    "<h2>",
    "</h2>",
    "<h1>",
    "<title>",
    "<li>",
    "<a href='x'>",
    "</a>",
    '<p class="noprint">',
    "<script>",
    "</script>",
    "<style>",
    "<!-- comment -->",
    "<!--",
    "<![CDATA[x]]>",
    "<?xml version='1.0'?>",
    "<!DOCTYPE html>",
    "&amp;",
    "&nbsp;",
    "&quot;",
    "&#8212;",
    "&#x1F600;",
    "&#0;",
    "&#99999999;",
    "&#x110000;",
    "&bogus;",
    "&amp",
    "&",
    "<",
    ">",
    "</",
    "<svg><p>",
    "<math>",
    "<p\n>",
)


@cache
def tag_soup() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(TAGS), st.sampled_from(TAGS), pieces()), max_size=20).map(
        "".join
    )


@st.composite
def html_paragraph(draw: st.DrawFn, text: str) -> str:
    """A paragraph with soup and citation superscripts slipped in between its words."""
    words = text.split(" ")
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(words)))
        words.insert(index, draw(st.one_of(tag_soup(), st.sampled_from(TAGS))))
    return " ".join(words)


# --- wrapping a body in each format ----------------------------------------------------------


def as_markdown(body: Body, front: str) -> str:
    parts = [f"---\n{front}\n---\n"]
    for heading, paras in body.sections:
        if heading:
            parts.append(f"## {heading}")
        parts.extend(paras)
    return "\n\n".join(parts) + "\n"


def as_text_dump(body: Body) -> str:
    parts = [body.title, ""]
    for heading, paras in body.sections:
        if heading:
            parts.append(heading)
        parts.extend(paras)
    return "\n".join(parts) + "\n"


@st.composite
def as_html(draw: st.DrawFn, body: Body) -> str:
    parts = [
        "<!DOCTYPE html>\n<html><head><title>",
        f"{body.title} - Wikipedia</title></head><body>\n<h1>{body.title}</h1>\n",
    ]
    if draw(st.booleans()):
        parts.append(draw(tag_soup()))
    for heading, paras in body.sections:
        if heading:
            parts.append(f"<h2>{heading}</h2>\n")
        parts.extend(f"<p>{draw(html_paragraph(p))}</p>\n" for p in paras)
    parts.append("</body></html>\n")
    return "".join(parts)


ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252")
SUFFIXES = {"markdown": ".md", "text": ".txt", "html": ".html"}


@dataclass(frozen=True)
class Generated:
    """A file to extract: its name (the suffix says little, the content decides) and bytes."""

    name: str
    data: bytes


@st.composite
def encoded(draw: st.DrawFn, text: str, suffix: str) -> Generated:
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text[:MAX_CHARS].encode(encoding, errors="replace")
    return Generated(f"doc{suffix}", data)


@st.composite
def formatted(draw: st.DrawFn, fmt: str) -> Generated:
    """A generated body wrapped in one format, encoded."""
    body = draw(bodies())
    if fmt == "markdown":
        text = as_markdown(body, draw(st.one_of(front_matters(), st.just(f'title: "{body.title}"'))))
    elif fmt == "text":
        text = as_text_dump(body)
    else:
        text = draw(as_html(body))
    return draw(encoded(text, SUFFIXES[fmt]))


@st.composite
def front_matter_documents(draw: st.DrawFn) -> Generated:
    """Arbitrary front matter over a small body of real sentences."""
    prose = "\n\n".join(draw(st.lists(st.sampled_from(real_sentences()), min_size=1, max_size=3)))
    text = f"---\n{draw(front_matters())}\n---\n\n{prose}\n"
    return Generated("doc.md", text.encode("utf-8"))


@st.composite
def truncated_articles(draw: st.DrawFn) -> Generated:
    """A real article cut at a random character or right after a sentence end."""
    suffix, text = draw(st.sampled_from(article_texts()))
    ends = [m.end() for m in re.finditer(r"[.!?](\[\d+\])*\s", text)] or [len(text)]
    cut = draw(st.one_of(st.integers(0, len(text)), st.sampled_from(ends)))
    start = draw(st.sampled_from([0, 0, 0, max(0, cut - MAX_CHARS)]))
    return draw(encoded(text[start:cut], suffix))


@st.composite
def byte_documents(draw: st.DrawFn) -> Generated:
    """Arbitrary bytes, behind byte order marks, or spliced into a real article."""
    noise = draw(st.binary(max_size=3_000))
    kind = draw(st.sampled_from(["raw", "bom8", "bom16", "bom16be", "spliced"]))
    if kind == "spliced":
        suffix, text = draw(st.sampled_from(article_texts()))
        raw = text.encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        return Generated(f"doc{suffix}", raw[:at] + noise + raw[at:])
    prefix = {"raw": b"", "bom8": b"\xef\xbb\xbf", "bom16": b"\xff\xfe", "bom16be": b"\xfe\xff"}[kind]
    return Generated(draw(st.sampled_from(["doc.md", "doc.txt", "doc.html"])), prefix + noise)


@cache
def any_document() -> st.SearchStrategy[Generated]:
    """Every kind of generated document, for the long fuzz run."""
    return st.one_of(
        formatted("markdown"),
        formatted("text"),
        formatted("html"),
        front_matter_documents(),
        truncated_articles(),
        byte_documents(),
    )


# --- the properties --------------------------------------------------------------------------

_REFERENCE_OR_TAG = re.compile(r"&#?[A-Za-z0-9]+;|<[^<>]*>")


def check_document(extractor: Extractor, root: Path, generated: Generated) -> None:
    """Every property of one file; raises on the first that fails."""
    rows, documents = extract_checked(extractor, root, generated)
    validate(rows, documents, all_ids=[row["event_id"] for row in rows])


def extract_checked(extractor: Extractor, root: Path, generated: Generated) -> tuple[list, list]:
    """Every property but validation (which the long run does for many documents at once, as a
    batch does: pandera costs more than an extraction); returns the event and document rows."""
    path = root / generated.name
    path.write_bytes(generated.data)
    first = extractor.extract(path, root)
    check_status(first)
    if first.doc is not None:
        check_offsets(first)
    rows = event_rows([first])
    documents = document_rows([first])
    second = extractor.extract(path, root)
    assert csv_lines(rows, EVENT_COLUMNS) == csv_lines(event_rows([second]), EVENT_COLUMNS), (
        "nondeterministic: events.csv lines differ between two extractions"
    )
    assert csv_lines(documents, DOCUMENT_COLUMNS) == csv_lines(document_rows([second]), DOCUMENT_COLUMNS), (
        "nondeterministic: documents.csv lines differ between two extractions"
    )
    return rows, documents


def check_status(result: DocumentResult) -> None:
    status = result.status
    assert status == "ok" or status.startswith("error: "), f"status is neither ok nor an error\n{status!r}"
    assert not status.startswith("error: internal error"), f"internal error\n{status!r}"
    assert (result.doc is None) == (status != "ok"), f"a document with status {status!r}"


def check_offsets(result: DocumentResult) -> None:
    """``notes`` is the source span with citation marks removed and whitespace collapsed;
    for HTML, the span's text as the page shows it (tags and skipped elements out,
    character references decoded), and the span cuts no tag or character reference."""
    document = result.doc
    assert document is not None
    source = document.text
    units = collect_units(source) if document.format == "html" and result.events else []
    # source offsets the parser read as text, one character each (a reference takes more)
    visible = {at for unit in units for at, end in zip(unit.offsets, unit.ends, strict=True) if end == at + 1}
    for event in result.events:
        start, end = event.char_start, event.char_end
        assert 0 <= start < end <= len(source), f"offsets out of the source\n{start}:{end} of {len(source)}"
        span = source[start:end]
        if document.format == "html":
            for at in (start, end):
                near = source[max(0, at - 50) : at + 50]
                for match in _REFERENCE_OR_TAG.finditer(near):
                    offset = max(0, at - 50)
                    cut = offset + match.start() < at < offset + match.end()
                    markup = offset + match.start() not in visible  # the parser may read "<!T>" as text
                    assert not (cut and markup), f"html span cuts a tag or character reference\n{span!r}"
            span = html_evidence(units, start, end)
        assert strip_citations(span) == event.notes, (
            f"notes are not the source span ({document.format})\nspan:  {span!r}\nnotes: {event.notes!r}"
        )


def html_evidence(units: list, start: int, end: int) -> str:
    """The text of the page units whose characters come from ``source[start:end]``."""
    pieces = []
    for unit in units:
        chars = [c for c, at in zip(unit.chars, unit.offsets, strict=True) if start <= at < end]
        if chars:
            pieces.append("".join(chars))
    return " ".join(pieces)


# --- the tests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the module: every example overwrites the same file."""
    return tmp_path_factory.mktemp("fuzz")


CASES = {
    "markdown": formatted("markdown"),
    "text": formatted("text"),
    "html": formatted("html"),
    "front_matter": front_matter_documents(),
    "truncated": truncated_articles(),
    "bytes": byte_documents(),
}


@pytest.mark.parametrize("case", list(CASES))
def test_generated_documents(case: str, extractor: Extractor, fuzz_root: Path) -> None:
    """No exception escapes; status, offsets, validation and determinism hold."""

    @given(CASES[case])
    def run(generated: Generated) -> None:
        check_document(extractor, fuzz_root, generated)

    run()


def test_real_articles_hold_the_offset_invariant(extractor: Extractor, tmp_path: Path) -> None:
    """The invariant the fuzz asserts is the one the real articles satisfy, in all formats."""
    formats = set()
    for path in article_files():
        result = extractor.extract(path, path.parent)
        assert result.status == "ok", path
        check_offsets(result)
        formats.add(result.doc.format)
    assert formats == {"markdown", "wikipedia-text", "html"} or not (REPO.parent / "shared").is_dir()


def test_strategies_are_not_trivial() -> None:
    """The material the strategies draw from was found (the fuzz would be blind without it)."""
    assert len(real_sentences()) > 50 and len(faction_names()) > 100 and len(place_names()) > 50
