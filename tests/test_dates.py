"""Date tagger and chronology (codebook section 6)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.records import DateRange
from pipeline.taggers.date_tagger import DateTagger
from pipeline.taggers.dates import Chronology, article_range, range_from_text

D = date.fromisoformat
ARTICLE = DateRange(D("2017-01-20"), D("2017-03-09"), "range")


def resolve(tag, text: str, article: DateRange | None = ARTICLE, anchor: DateRange | None = None):
    chronology = Chronology(article)
    chronology.anchor = anchor
    doc = tag(text)
    found = [chronology.resolve(span._.date) for span in doc.spans["dates"]]
    return [(f.start.isoformat(), f.end.isoformat(), f.precision) for f in found if f]


CASES = [
    ("On the night of 5–6 June, rebels attacked.", None, [("2017-06-05", "2017-06-05", "day")]),
    ("LTTE cadres struck on the night of 11–12 March 2008.", None, [("2008-03-11", "2008-03-11", "day")]),
    ("On the morning of 29 August 2014, troops began to leave.", None, [("2014-08-29", "2014-08-29", "day")]),
    ("On 20 January 2017, fighting began.", None, [("2017-01-20", "2017-01-20", "day")]),
    ("On 13 February, HTS attacked.", None, [("2017-02-13", "2017-02-13", "day")]),
    ("By 24 January the group had joined.", None, [("2017-01-24", "2017-01-24", "day")]),
    ("Fighting resumed on March 3, 2016 in the north.", None, [("2016-03-03", "2016-03-03", "day")]),
    ("From 6 to 8 June, clashes broke out.", None, [("2017-06-06", "2017-06-08", "range")]),
    ("Between 22 and 23 February, graves were found.", None, [("2017-02-22", "2017-02-23", "range")]),
    ("From 14–23 July, clashes erupted.", None, [("2017-07-14", "2017-07-23", "range")]),
    ("The war lasted 20 January – 9 March 2017.", None, [("2017-01-20", "2017-03-09", "range")]),
    ("The siege ran 28 December 2016 – 2 February 2017.", None, [("2016-12-28", "2017-02-02", "range")]),
    ("In October 2016, clashes erupted.", None, [("2016-10-01", "2016-10-31", "month")]),
    ("Airstrikes earlier in January killed 100.", None, [("2017-01-01", "2017-01-31", "month")]),
    ("In early January 2014, IS captured Fallujah.", None, [("2014-01-01", "2014-01-10", "range")]),
    ("In late May, the eastern front saw action.", None, [("2017-05-21", "2017-05-31", "range")]),
    ("From mid-January 2015 the separatists advanced.", None, [("2015-01-11", "2015-01-20", "range")]),
    ("The rebels had taken the town in 2012.", None, [("2012-01-01", "2012-12-31", "year")]),
    ("The clashes (January–March 2017) ended.", None, [("2017-01-01", "2017-03-31", "range")]),
    (
        "The next day, the town fell.",
        DateRange(D("2017-01-26"), D("2017-01-26"), "day"),
        [("2017-01-27", "2017-01-27", "day")],
    ),
    (
        "Two days later, clashes resumed.",
        DateRange(D("2017-03-07"), D("2017-03-07"), "day"),
        [("2017-03-09", "2017-03-09", "day")],
    ),
    (
        "Three days later, HTS attacked.",
        DateRange(D("2017-02-25"), D("2017-02-25"), "day"),
        [("2017-02-28", "2017-02-28", "day")],
    ),
    (
        "Several days later, a brigade pledged allegiance.",
        DateRange(D("2017-02-02"), D("2017-02-02"), "day"),
        [("2017-02-04", "2017-02-09", "range")],
    ),
    (
        "This added to the bodies found the previous week.",
        DateRange(D("2017-02-22"), D("2017-02-23"), "range"),
        [("2017-02-15", "2017-02-21", "range")],
    ),
    (
        "Later that day, a deal was signed.",
        DateRange(D("2017-03-07"), D("2017-03-07"), "day"),
        [("2017-03-07", "2017-03-07", "day")],
    ),
    (
        "Meanwhile, the rebels withdrew.",
        DateRange(D("2017-01-20"), D("2017-01-20"), "day"),
        [("2017-01-20", "2017-01-20", "day")],
    ),
    (
        "On the same day, militants captured Halfaya.",
        DateRange(D("2017-01-26"), D("2017-01-26"), "day"),
        [("2017-01-26", "2017-01-26", "day")],
    ),
    (
        "ISIL had captured Sirte one year earlier.",
        DateRange(D("2016-05-12"), D("2016-12-06"), "range"),
        [("2015-01-01", "2015-12-31", "year")],
    ),
    ("By the evening of 8 June, HTS captured the town.", None, [("2017-06-08", "2017-06-08", "day")]),
    (
        "From 12 to 15 August 2019, the army shelled Khan Shaykhun.",
        None,
        [("2019-08-12", "2019-08-15", "range")],
    ),
    (
        "Between March and May 2016, the Taliban besieged Kunduz.",
        None,
        [("2016-03-01", "2016-05-31", "range")],
    ),
    ("In late July, an offensive drove the Houthis out.", None, [("2017-07-21", "2017-07-31", "range")]),
    (
        "After six days of combat, the soldiers retreated.",
        DateRange(D("2014-06-04"), D("2014-06-04"), "day"),
        [("2014-06-10", "2014-06-10", "day")],
    ),
    (
        "The following week, AMISOM retook the town.",
        DateRange(D("2011-08-06"), D("2011-08-06"), "day"),
        [("2011-08-07", "2011-08-13", "range")],
    ),
    ("The separatists attacked on 1 February 2015 at dawn.", None, [("2015-02-01", "2015-02-01", "day")]),
    ("The street fighting lasted 72 hours and involved 13 brigades.", None, []),
    ("It was the 3rd attack in 2 weeks.", None, []),
]


@pytest.mark.parametrize(("text", "anchor", "expected"), CASES, ids=[c[0][:30] for c in CASES])
def test_expressions_resolve(tag, text, anchor, expected):
    assert resolve(tag, text, anchor=anchor) == expected


@pytest.mark.parametrize(
    ("article", "text", "expected"),
    [
        (
            DateRange(D("2016-12-23"), D("2017-01-29"), "range"),
            "On 26 December, the army advanced.",
            "2016-12-26",
        ),
        (DateRange(D("2016-12-23"), D("2017-01-29"), "range"), "On 4 January, talks began.", "2017-01-04"),
        (None, "On 2 January Tahrir al-Sham captured the town.", None),
    ],
    ids=["range-picks-december-year", "range-picks-january-year", "no-year-at-all"],
)
def test_year_comes_from_the_article_range(tag, article, text, expected):
    found = resolve(tag, text, article=article)
    assert (found[0][0] if found else None) == expected


def test_year_carries_from_the_last_explicit_date(tag):
    chronology = Chronology(None)
    doc = tag("On 1 January 2019 HTS attacked. On 2 January HTS captured the town.")
    first, second = (chronology.resolve(span._.date) for span in doc.spans["dates"])
    assert second.start == D("2019-01-02")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kobani fell on 6 October 2014; the siege ended in January 2015. On 6 October, IS entered.",
            "2014-10-06",
        ),
        (
            "Sirte was taken on 9 June 2016, as was told in 2017. On 9 June, GNA forces took the port.",
            "2016-06-09",
        ),
        ("Fighting began on 2 May 2013 and ended in 2014. On 5 May, the army shelled Qusayr.", "2014-05-05"),
        (
            "Goma fell on 20 November 2012, as recalled in 2013. On 20 November, M23 entered. On 22 November, "
            "the army left.",
            "2012-11-22",
        ),
    ],
    ids=[
        "same-day-told-before",
        "same-day-after-a-later-year",
        "another-day-takes-the-last-year",
        "an-inferred-year-runs-on",
    ],
)
def test_a_day_told_before_with_its_year_keeps_that_year(tag, text, expected):
    chronology, doc = Chronology(None), tag(text)
    found = [chronology.resolve(span._.date) for span in doc.spans["dates"]]
    assert found[-1].start.isoformat() == expected


@pytest.mark.parametrize(
    ("date_text", "title", "expected"),
    [
        ("20 January – 9 March 2017", "", ("2017-01-20", "2017-03-09")),
        ("4–10 June 2014", "", ("2014-06-04", "2014-06-10")),
        ("25 March – 22 July 2015, ()", "", ("2015-03-25", "2015-07-22")),
        ("", "Wadi Barada offensive (2016–2017)", ("2016-01-01", "2017-12-31")),
        ("", "Battle of Nowhere", None),
    ],
    ids=["full-range", "day-range", "trailing-junk", "title-years", "nothing"],
)
def test_article_range(nlp, date_text, title, expected):
    found = article_range(range_from_text(nlp, date_text), title)
    assert (None if found is None else (found.start.isoformat(), found.end.isoformat())) == expected


@pytest.mark.parametrize(
    ("slots", "words", "windows"),
    [
        ([["DAY", "MONTH", "(YEAR)"], ["in", "YEAR"]], ["Fighting", "on", "the", "12"], []),
        ([["DAY", "MONTH", "(YEAR)"], ["in", "YEAR"]], ["on", "12", "March", "."], [(0, 4)]),
        ([["DAY", "MONTH", "(YEAR)"]], ["a", "b", "c", "d", "2016", "e", "f", "g", "h"], [(2, 7)]),
        ([["DAY", "MONTH", "(YEAR)"]], ["March", "a", "b", "c", "d", "e", "f", "March"], [(0, 3), (5, 8)]),
        ([["DAY", "MONTH", "(YEAR)"]], ["March", "a", "b", "c", "March"], [(0, 5)]),
        ([["DAY", "MONTH"], ["the", "DAY", "(YEAR)"]], ["Fighting", "on", "the", "12"], [(0, 4)]),
    ],
    ids=[
        "no-month-or-year",
        "short-text",
        "around-a-year",
        "two-stretches",
        "overlapping-merged",
        "unanchored",
    ],
)
def test_the_matcher_reads_only_within_a_pattern_length_of_a_month_or_year(nlp, slots, words, windows):
    data = {
        "classes": {
            "DAY": {"token": {"IS_DIGIT": True, "LENGTH": {"<=": 2}}, "check": "^[0-9]{1,2}$"},
            "YEAR": {"token": {"IS_DIGIT": True, "LENGTH": 4}, "check": "^(19|20)[0-9]{2}$"},
        },
        "months": ["March"],
        "month_abbreviations": {},
        "month_parts": {},
        "patterns": [{"id": "day", "slots": pattern} for pattern in slots],
        "relative": [],
        "night_of": [],
    }
    assert DateTagger(nlp, data, "test").windows(words) == windows


def test_dates_far_apart_in_one_text_are_all_found(tag):
    filler = " ".join(["the column waited near the river while the convoy was refuelled"] * 4)
    text = f"Shelling began on 3 March 2015 and {filler} until fighting ended between 5 and 7 April 2015."
    doc = tag(text)
    assert [span.text for span in doc.spans["dates"]] == ["3 March 2015", "between 5 and 7 April 2015"]


OUT_OF_RANGE = [
    ("The town was founded in 1850.", []),
    ("The colony was planned in 2199.", []),
    ("On 0 March 2016 rebels attacked.", [("2016-03-01", "2016-03-31", "month")]),
    ("On 32 March 2016 rebels attacked.", [("2016-03-01", "2016-03-31", "month")]),
    ("Rebels attacked on 31 February 2016.", [("2016-02-01", "2016-02-29", "month")]),
    ("Rebels attacked on January 0.", []),
    ("Rebels attacked on March 00, 2016.", []),
    ("Between 1850 and 2016 the town grew.", [("2016-01-01", "2016-12-31", "year")]),
]


@pytest.mark.parametrize(("text", "expected"), OUT_OF_RANGE, ids=[c[0][:30] for c in OUT_OF_RANGE])
def test_years_and_days_out_of_range_are_no_dates(tag, text, expected):
    """A year outside the YEAR class or a day that no month has is ignored (the valid part,
    such as the month, is read instead), never an error."""
    assert resolve(tag, text) == expected


@pytest.mark.parametrize(
    ("date_text", "expected"),
    [
        ("20 January – 9 March 2017", ("2017-01-20", "2017-03-09")),
        ("May 2016" + " ()" * 50, ("2016-05-01", "2016-05-31")),
    ],
    ids=["range", "long-tail"],
)
def test_a_metadata_date_over_max_length_is_read(nlp, monkeypatch, date_text, expected):
    """A metadata string longer than spaCy's max_length is read, not refused (E088)."""
    monkeypatch.setattr(nlp, "max_length", 8)
    found = range_from_text(nlp, date_text)
    assert (found.start.isoformat(), found.end.isoformat()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Between 30 December and 2 January, the town was shelled.",
        "From 28 November to 3 February the siege held.",
    ],
)
def test_a_range_across_a_year_end_with_no_year_to_infer_is_no_date(tag, text):
    """No year written, no article range and no year before: nothing to resolve, no error."""
    assert resolve(tag, text, article=None) == []
