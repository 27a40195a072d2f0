"""Dates: what an expression says (``DateExpr``) and the chronology that resolves it.

The tagger (``date_tagger``) reads each expression as written. Years left out
of the text and relative expressions ("two days later") are resolved in
reading order by ``Chronology``, as codebook section 6 says.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language

from pipeline.records import DateRange
from pipeline.tokenizer import make_doc


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
