"""Date tagger and the chronology that resolves what it finds.

The Matcher finds date expressions with the slot patterns of
``models/dates.yaml``; dateparser reads the day and month of each explicit
one (never whole sentences). Years left out of the text and relative
expressions ("two days later") are resolved in reading order by
``Chronology``, as codebook section 6 says. Spans land in
``doc.spans["dates"]`` with ``span._.date`` set to a ``DateExpr``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache, partial

import dateparser
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.nlp import keep_spans, longest_readable, lowers, make_doc, texts, tokens_text
from pipeline.records import DateRange
from pipeline.resources import DEFAULT_MODELS_DIR, check_keys, load_yaml, section

_PARSER_SETTINGS = {"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
_PLACEHOLDER_YEAR = 2000  # a leap year, so "29 February" parses before its real year is known


@dataclass(frozen=True)
class DatePoint:
    """A day, month or year as written: missing parts are None."""

    year: int | None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class DateExpr:
    text: str
    kind: str  # day | day_range | full_range | month | month_part | year | relative
    first: DatePoint | None = None
    last: DatePoint | None = None
    offset: tuple[int, int] = (0, 0)
    precision: str = "day"
    unit: str = "day"


def day_month_table(months: dict[str, str]) -> dict[tuple[int, str], tuple[int, int]]:
    """What dateparser reads for every "<day> <month>" the patterns can match, asked once
    when the tagger is built (dateparser's first call costs a third of a second)."""
    table = {}
    for month in set(months.values()):
        for day in range(1, 32):
            parsed = parse_day_month(day, month)
            if parsed is not None:
                table[(day, month)] = parsed
    return table


@lru_cache(maxsize=4096)
def parse_day_month(day: int, month_name: str) -> tuple[int, int] | None:
    """(month, day) as dateparser reads "<day> <month>"; None if no such day."""
    parsed = dateparser.parse(
        f"{day} {month_name} {_PLACEHOLDER_YEAR}", languages=["en"], settings=_PARSER_SETTINGS
    )
    return (parsed.month, parsed.day) if parsed else None


@Language.factory("conflict_dates", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_date_tagger(nlp: Language, name: str, models_dir: str) -> DateTagger:
    return DateTagger(nlp, load_yaml(models_dir, "dates.yaml"), f"{models_dir}/dates.yaml")


class DateTagger:
    def __init__(self, nlp: Language, data: dict, where: str) -> None:
        classes = section(data, "classes", where, dict)
        for name, spec in classes.items():
            check_keys(spec, {"token", "check"}, {"token", "check"}, f"{where}: classes.{name}")
        self.class_tokens = {name: dict(spec["token"]) for name, spec in classes.items()}
        self.classes = {name: re.compile(spec["check"]) for name, spec in classes.items()}
        self.months = {m: m for m in section(data, "months", where)}
        self.months.update(section(data, "month_abbreviations", where, dict))
        self.parts = {k: tuple(v) for k, v in section(data, "month_parts", where, dict).items()}
        self.relative: dict[str, dict] = {}
        self.night_words = [str(phrase).split() for phrase in section(data, "night_of", where)]
        self.calendar = day_month_table(self.months)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")  # relative expressions: fixed words
        patterns = section(data, "patterns", where)
        for pattern in patterns:
            self.matcher.add(pattern["id"], [[self._slot(s) for s in pattern["slots"]]], greedy="LONGEST")
        self.anchored = all({"MONTH", "YEAR"} & set(pattern["slots"]) for pattern in patterns)
        self.reach = max(len(pattern["slots"]) for pattern in patterns) - 1
        for index, rule in enumerate(section(data, "relative", where)):
            key = f"relative_{index}"
            self.relative[key] = rule
            self.phrases.add(key, [nlp.make_doc(" ".join(map(str, rule["words"])))])

    def _slot(self, slot: str) -> dict:
        optional = slot.startswith("(") and slot.endswith(")")
        name = slot.strip("()")
        if name in self.class_tokens:
            spec: dict = dict(self.class_tokens[name])
        elif name == "MONTH":
            spec = {"TEXT": {"IN": list(self.months)}}
        elif name == "PART":
            spec = {"LOWER": {"IN": list(self.parts)}}
        else:
            spec = {"LOWER": name}
        return {**spec, "OP": "?"} if optional else spec

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        matches = [
            (match_id, start + offset, end + offset)
            for offset, stop in self.windows(texts(doc))
            for match_id, start, end in self.matcher(doc[offset:stop])
        ]
        candidates = [*matches, *self.phrases(doc)]
        for (_, start, end), value in longest_readable(candidates, partial(self._read_match, doc)):
            span = Span(doc, start, end, label="DATE")
            span._.date = self._one_night(doc, start, value)
            spans.append(span)
        keep_spans(doc, "dates", "date", spans)
        return doc

    def _one_night(self, doc: Doc, start: int, value: DateExpr) -> DateExpr:
        """ "on the night of 5–6 June" is the day it began (codebook section 6)."""
        if value.kind != "day_range" or lowers(doc)[max(0, start - 2) : start] not in self.night_words:
            return value
        return replace(value, kind="day", last=value.first, precision="day")

    def _read_match(self, doc: Doc, match_id: int, start: int, end: int) -> DateExpr | None:
        return self.read(doc.vocab.strings[match_id], tokens_text(doc, start, end), texts(doc)[start:end])

    def windows(self, words: list[str]) -> list[tuple[int, int]]:
        """The stretches of tokens the Matcher reads. When every pattern needs a month or a
        year, a match lies within one pattern's length of one, so the Matcher reads only
        those stretches (overlapping ones merged, so that the longest match still wins)
        and skips the rest, most of an article's background."""
        if not self.anchored:
            return [(0, len(words))]
        stretches: list[tuple[int, int]] = []
        for index, word in enumerate(words):
            if word in self.months or (len(word) == 4 and word.isdigit()):
                start, stop = max(0, index - self.reach), min(len(words), index + self.reach + 1)
                if stretches and start <= stretches[-1][1]:
                    start = stretches.pop()[0]
                stretches.append((start, stop))
        return stretches

    def read(self, kind: str, text: str, words: list[str]) -> DateExpr | None:
        """What one matched expression (its text and token texts) says, before year inference."""
        if kind in self.relative:
            rule = self.relative[kind]
            return DateExpr(
                text,
                "relative",
                offset=tuple(rule["offset"]),
                precision=rule["precision"],
                unit=rule.get("unit", "day"),
            )
        years = [int(w) for w in words if len(w) == 4 and self.classes["YEAR"].match(w)]
        months = [self.months[w] for w in words if w in self.months]
        days = [int(w) for w in words if self.classes["DAY"].match(w)]
        if kind == "year":
            return self._year(text, years)
        if kind in ("month", "month_part"):
            return self._month(text, kind, months[0], years, words)
        if kind == "month_range":
            first = self._month(text, kind, months[0], years, words)
            last = self._month(text, kind, months[-1], years, words)
            return DateExpr(text, kind, first.first, last.last, precision="range")
        return self._days(text, kind, days, months, years)

    @staticmethod
    def _year(text: str, years: list[int]) -> DateExpr | None:
        """A year outside the span the YEAR class checks ("founded in 1850") is no date."""
        if not years:
            return None
        return DateExpr(text, "year", DatePoint(years[0]), DatePoint(years[-1]), precision="year")

    def _month(self, text: str, kind: str, month: str, years: list[int], words: list[str]) -> DateExpr:
        number = list(self.months.values()).index(month) % 12 + 1
        year = years[0] if years else None
        part = next((self.parts[w.lower()] for w in words if w.lower() in self.parts), None)
        if part is None:
            return DateExpr(
                text, "month", DatePoint(year, number), DatePoint(year, number), precision="month"
            )
        return DateExpr(
            text,
            "month_part",
            DatePoint(year, number, part[0]),
            DatePoint(year, number, part[1]),
            precision="range",
        )

    def _days(
        self, text: str, kind: str, days: list[int], months: list[str], years: list[int]
    ) -> DateExpr | None:
        """The days of the expression; one whose days are all out of range ("0 March", "March
        32") is not a day, and a shorter match (the month) may be read instead."""
        if not days:
            return None
        first = self.calendar.get((days[0], months[0]))
        last = self.calendar.get((days[-1], months[-1]))
        if first is None or last is None:
            return None
        last_year = years[-1] if years else None
        first_year = years[0] if len(years) > 1 else last_year
        precision = "day" if kind == "day" else "range"
        return DateExpr(
            text, kind, DatePoint(first_year, *first), DatePoint(last_year, *last), precision=precision
        )


class Chronology:
    """Resolves expressions in reading order against the article's date range."""

    def __init__(self, article_range: DateRange | None) -> None:
        self.article_range = article_range
        self.anchor: DateRange | None = None
        self.last_year: int | None = None
        self.written: dict[tuple[int, int], int] = {}  # (month, day) -> the year written with it

    def resolve(self, expr: DateExpr) -> DateRange | None:
        result = self._relative(expr) if expr.kind == "relative" else self._absolute(expr)
        if result is not None:
            self.anchor = result
            if expr.kind != "relative":
                self.last_year = result.end.year  # a year inferred runs on like one written
                self._remember(expr)
        return result

    def _remember(self, expr: DateExpr) -> None:
        for point in (expr.first, expr.last):
            if point is not None and point.year and point.month and point.day:
                self.written.setdefault((point.month, point.day), point.year)

    def _relative(self, expr: DateExpr) -> DateRange | None:
        if self.anchor is None:
            return None
        if expr.unit == "year":
            year = self.anchor.start.year + expr.offset[0]
            return DateRange(date(year, 1, 1), date(year, 12, 31), "year")
        base = self.anchor.start if expr.offset[0] <= 0 else self.anchor.end
        start, end = base + timedelta(days=expr.offset[0]), base + timedelta(days=expr.offset[1])
        precision = expr.precision if start != end else "day"
        return DateRange(start, end, precision)

    def _absolute(self, expr: DateExpr) -> DateRange | None:
        first, last = expr.first, expr.last or expr.first
        last_year = last.year or self.infer_year(last)
        if last_year is None:
            return None  # no year written and none to infer ("1 June and 9 February" alone)
        first_year = first.year or (last_year if (first.month or 1) <= (last.month or 12) else last_year - 1)
        start = date(first_year, first.month or 1, _clamp(first_year, first.month or 1, first.day or 1))
        end_month = last.month or 12
        end_day = last.day or calendar.monthrange(last_year, end_month)[1]
        end = date(last_year, end_month, _clamp(last_year, end_month, end_day))
        return DateRange(start, max(start, end), expr.precision)

    def infer_year(self, point: DatePoint) -> int | None:
        """The year for a date written without one (codebook section 6): the one year of the
        article's range it fits, else the year the same day was written with earlier, else
        the last year written."""
        span = self.article_range
        if span is not None:
            fits = [y for y in range(span.start.year, span.end.year + 1) if self._inside(y, point, span)]
            if len(fits) == 1:
                return fits[0]
        if (point.month, point.day) in self.written:
            return self.written[(point.month, point.day)]  # "On 1 February", told as "1 February 2014"
        if self.last_year is not None:
            return self.last_year
        if span is not None:
            return span.start.year
        return None

    @staticmethod
    def _inside(year: int, point: DatePoint, span: DateRange) -> bool:
        month = point.month or 1
        first = date(year, month, _clamp(year, month, point.day or 1))
        last = date(year, month, _clamp(year, month, point.day or 31))
        return first <= span.end and last >= span.start


def _clamp(year: int, month: int, day: int) -> int:
    return min(day, calendar.monthrange(year, month)[1])


def range_from_text(nlp: Language, text: str) -> DateRange | None:
    """The first date expression of a metadata string, resolved without context."""
    if not text.strip():
        return None
    doc = nlp.get_pipe("conflict_dates")(make_doc(nlp, text))
    for span in doc.spans["dates"]:
        resolved = Chronology(None).resolve(span._.date)
        if resolved is not None:
            return resolved
    return None


def article_range(metadata_range: DateRange | None, title: str) -> DateRange | None:
    """The article's own range: its metadata date (``range_from_text``), else a year span
    in its title."""
    if metadata_range is not None:
        return metadata_range
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", title)]
    if years:
        return DateRange(
            date(min(years), 1, 1), date(max(years), 12, 31), "year" if len(set(years)) == 1 else "range"
        )
    return None
