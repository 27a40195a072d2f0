"""Date tagger: finds date expressions and reads what each one says.

The slot patterns of ``models/dates.yaml`` (``date_patterns``) find explicit
expressions, a lookup of its fixed words the relative ones ("two days later");
dateparser reads the day and month of each explicit one (never whole
sentences). Years left out and relative expressions are resolved later, in
reading order, by ``dates.Chronology``. Spans land in ``doc.spans["dates"]``
with ``span._.date`` set to a ``DateExpr``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache, partial

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.matching import indices_of, longest_readable
from pipeline.nlp import keep_tagged, lowers, texts, tokens_text
from pipeline.resources import DEFAULT_MODELS_DIR, check_keys, load_yaml, section
from pipeline.taggers.date_patterns import AttributeTest, DatePatterns, token_test
from pipeline.taggers.dates import DateExpr, DatePoint

_PARSER_SETTINGS = {"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
_PLACEHOLDER_YEAR = 2000  # a leap year, so "29 February" parses before its real year is known


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
        self.classes = {name: re.compile(spec["check"]) for name, spec in classes.items()}
        self.months = {m: m for m in section(data, "months", where)}
        self.months.update(section(data, "month_abbreviations", where, dict))
        self.month_numbers: dict[str, int] = {}
        for index, month in enumerate(self.months.values()):
            self.month_numbers.setdefault(month, index % 12 + 1)
        self.parts = {k: tuple(v) for k, v in section(data, "month_parts", where, dict).items()}
        self.night_words = [str(phrase).split() for phrase in section(data, "night_of", where)]
        self.calendar = day_month_table(self.months)
        patterns = [(p["id"], [str(s) for s in p["slots"]]) for p in section(data, "patterns", where)]
        self.patterns = DatePatterns(patterns, self._slot_tests(classes, where))
        self.anchored = all({"MONTH", "YEAR"} & set(slots) for _, slots in patterns)
        self.reach = max(len(slots) for _, slots in patterns) - 1
        self.relative: dict[str, dict] = {}
        self.relative_by_end: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # last word -> words, id
        for index, rule in enumerate(section(data, "relative", where)):
            key = f"relative_{index}"
            self.relative[key] = rule
            words = tuple(lowers(nlp.make_doc(" ".join(map(str, rule["words"])))))
            self.relative_by_end.setdefault(words[-1], []).append((words, key))
        self.relative_ends = frozenset(self.relative_by_end)

    def _slot_tests(self, classes: dict, where: str) -> dict:
        """The test of every slot that is not a literal word: the classes, MONTH and PART."""
        tests = {
            "MONTH": AttributeTest("TEXT", "IN", frozenset(self.months)),
            "PART": AttributeTest("LOWER", "IN", frozenset(self.parts)),
        }
        tests.update(
            {name: token_test(spec["token"], f"{where}: classes.{name}") for name, spec in classes.items()}
        )
        return tests

    def __call__(self, doc: Doc) -> Doc:
        words, lower = texts(doc), lowers(doc)
        matches = [
            match
            for start, stop in self.windows(words)
            for match in self.patterns.matches(words, lower, start, stop)
        ]
        matches += self._relative_matches(lower)
        tagged = [
            (start, end, "DATE", self._one_night(doc, start, value))
            for (_, start, end), value in longest_readable(matches, partial(self._read_match, doc))
        ]
        keep_tagged(doc, "dates", "date", tagged)
        return doc

    def _relative_matches(self, lower: list[str]) -> list[tuple[str, int, int]]:
        """(id, start, end) of the relative expressions ("two days later"), found from their
        last word: "later", "day" or "week" occur in few paragraphs, "the" in all."""
        found = []
        for end in indices_of(lower, self.relative_ends):
            for words, key in self.relative_by_end[lower[end]]:
                start = end + 1 - len(words)
                if start >= 0 and tuple(lower[start : end + 1]) == words:
                    found.append((key, start, end + 1))
        return found

    def _one_night(self, doc: Doc, start: int, value: DateExpr) -> DateExpr:
        """ "on the night of 5–6 June" is the day it began (codebook section 6)."""
        if value.kind != "day_range" or lowers(doc)[max(0, start - 2) : start] not in self.night_words:
            return value
        return replace(value, kind="day", last=value.first, precision="day")

    def _read_match(self, doc: Doc, kind: str, start: int, end: int) -> DateExpr | None:
        return self.read(kind, tokens_text(doc, start, end), texts(doc)[start:end])

    def windows(self, words: list[str]) -> list[tuple[int, int]]:
        """The stretches of tokens the patterns are matched in. When every pattern needs a
        month or a year, a match lies within one pattern's length of one, so only those
        stretches are read (overlapping ones merged, so that the longest match still
        wins) and the rest, most of an article's background, is skipped."""
        if not self.anchored:
            return [(0, len(words))]
        months = self.months
        anchors = [i for i, word in enumerate(words) if word in months or (len(word) == 4 and word.isdigit())]
        stretches: list[tuple[int, int]] = []
        for index in anchors:
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
        number = self.month_numbers[month]
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
