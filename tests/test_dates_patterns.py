"""The slot patterns of the date tagger, matched without spaCy's Matcher."""

from __future__ import annotations

import pickle

import pytest

from pipeline.taggers.date_patterns import AttributeTest, DatePatterns, token_test

DAY = {"IS_DIGIT": True, "LENGTH": {"<=": 2}}
YEAR = {"IS_DIGIT": True, "LENGTH": 4}


def patterns(*specs: tuple[str, list[str]]) -> DatePatterns:
    tests = {
        "DAY": token_test(DAY, "test"),
        "YEAR": token_test(YEAR, "test"),
        "MONTH": AttributeTest("TEXT", "IN", frozenset({"March", "June"})),
    }
    return DatePatterns(list(specs), tests)


def matches(found: DatePatterns, text: str, start: int = 0, stop: int | None = None) -> list[tuple]:
    words = text.split()
    return sorted(
        found.matches(words, [w.lower() for w in words], start, len(words) if stop is None else stop)
    )


@pytest.mark.parametrize(
    ("spec", "word", "expected"),
    [
        (DAY, "12", True),
        (DAY, "123", False),
        (DAY, "ab", False),
        (YEAR, "2016", True),
        (YEAR, "20166", False),
        ({"LOWER": {"IN": ["to", "–"]}}, "To", True),
        ({"LOWER": "and"}, "And", True),
        ({"TEXT": "March"}, "march", False),
        ({"LENGTH": {">": 1, "<": 3}}, "ab", True),
        ({"LENGTH": {"!=": 2}}, "ab", False),
    ],
    ids=[
        "day",
        "day-too-long",
        "day-letters",
        "year",
        "year-too-long",
        "in",
        "lower",
        "text",
        "between",
        "not",
    ],
)
def test_token_test(spec, word, expected):
    assert token_test(spec, "test")(word, word.lower()) is expected


@pytest.mark.parametrize(
    "spec",
    [{"POS": "NOUN"}, {"LENGTH": {"NOT_IN": [1]}}],
    ids=["unknown-attribute", "unknown-comparison"],
)
def test_a_token_spec_it_cannot_read_is_refused(spec):
    with pytest.raises(ValueError, match="test"):
        token_test(spec, "test")


@pytest.mark.parametrize(
    ("specs", "text", "expected"),
    [
        ([("day", ["DAY", "MONTH", "(YEAR)"])], "on 5 June 2014 .", [("day", 1, 3), ("day", 1, 4)]),
        (
            [("day", ["MONTH", "DAY", "(,)", "(YEAR)"])],
            "June 5 , 2014",
            [("day", 0, 2), ("day", 0, 3), ("day", 0, 4)],
        ),
        ([("year", ["in", "YEAR"])], "In 2014 and in 1850", [("year", 0, 2), ("year", 3, 5)]),
        ([("range", ["(from)", "DAY", "DASH", "DAY", "MONTH"])], "from 5 to 6 June", []),
        (
            [("month", ["MONTH", "YEAR"]), ("month", ["in", "MONTH", "(YEAR)"])],
            "in March 2016",
            [
                ("month", 0, 2),
                ("month", 0, 3),
                ("month", 1, 3),
            ],
        ),
        ([("day", ["DAY", "MONTH"])], "5 march", []),
    ],
    ids=[
        "optional-year",
        "two-optionals",
        "literal-then-class",
        "unknown-slot-is-a-word",
        "overlapping",
        "case",
    ],
)
def test_every_match_is_found(specs, text, expected):
    assert matches(patterns(*specs), text) == expected


def test_matches_lie_within_the_stretch_read():
    found = patterns(("day", ["DAY", "MONTH"]))
    assert matches(found, "5 June and 6 June", 0, 3) == [("day", 0, 2)]
    assert matches(found, "5 June and 6 June", 1, 5) == [("day", 3, 5)]


def test_the_patterns_survive_pickling_and_a_full_memo():
    found = patterns(("day", ["DAY", "MONTH"]))
    found.MEMO_SIZE = 1
    assert matches(found, "5 June 6 June") == [("day", 0, 2), ("day", 2, 4)]
    assert matches(pickle.loads(pickle.dumps(found)), "on 7 June") == [("day", 1, 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On the same day, militants attacked.", ["On the same day"]),
        ("The same day, and a few days later, they left.", ["The same day", "a few days later"]),
        ("Days later the day came.", ["Days later"]),
        ("Later, the town fell.", []),
    ],
    ids=["longest", "two", "at-the-start", "none"],
)
def test_relative_expressions_are_found_from_their_last_word(tag, text, expected):
    doc = tag(text)
    assert [span.text for span in doc.spans["dates"]] == expected
