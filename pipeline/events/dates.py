"""When an event happened: a sentence's date expressions resolved against the article's
chronology, the one a frame takes (its own clause's, else the last before it, else the
sentence's first, else the one carried over from the section, else the article's range),
and the date later sentences of the section carry over.
"""

from __future__ import annotations

from pipeline.events.model import Frame, State
from pipeline.records import DateRange, Event
from pipeline.taggers.dates import DateExpr
from pipeline.tagging import Mention, TaggedSentence


def resolve_dates(sentence: TaggedSentence, state: State) -> list[tuple[Mention, DateRange]]:
    if sentence.heading != state.last_heading:
        state.last_heading, state.last_date, state.last_date_text = sentence.heading, None, ""
    resolved = []
    for mention in sentence.of("date"):
        expr: DateExpr = mention.value
        found = state.chronology.resolve(expr)
        if found is not None:
            resolved.append((mention, found))
    return resolved


def remember_date(state: State, dates: list[tuple[Mention, DateRange]]) -> None:
    """The date later sentences of the section carry over."""
    if dates:
        state.last_date, state.last_date_text = dates[-1][1], dates[-1][0].text


def date_for(
    frame: Frame,
    dates: list[tuple[Mention, DateRange]],
    carried: tuple[DateRange | None, str],
    article_range: DateRange | None,
) -> tuple[DateRange | None, str]:
    """The date written in the trigger's own clause after it ("gained control of X on 4 February"),
    else the last one before it, else the sentence's first (unless it is relative: "the Islamists
    invaded the city before the army regained it days later"), else the one carried over from the
    section (a year only when it falls in the article's range), else the article's range."""
    inside = [(m, d) for m, d in dates if frame.trigger_end <= m.start < frame.region_end]
    before = [(m, d) for m, d in dates if m.start < frame.trigger_start]
    written = [(m, d) for m, d in before if m.value.kind != "relative"]
    if written and before[-1][0].value.kind == "relative" and before[-1][0].value.offset[0] > 0:
        before = written  # "On 28 March, after four days of fighting, ...": a duration, not a later day
    later = [(m, d) for m, d in dates[:1] if m.value.kind != "relative"]  # not another clause's "days later"
    chosen = (inside or before[-1:] or later or [None])[0]
    if chosen is not None:
        return chosen[1], chosen[0].text
    if carried[0] is not None and (carried[0].precision != "year" or _overlaps(carried[0], article_range)):
        return carried
    return article_range, ""


def _overlaps(when: DateRange, article_range: DateRange | None) -> bool:
    """A year carried over from the sentence before only stands for an undated sentence
    inside the article's own dates ("the insurgency, which started in 2017" does not date
    the battle's events in 2021); a day or a month does (a background section's)."""
    return article_range is None or (when.start <= article_range.end and article_range.start <= when.end)


def set_date(event: Event, when: DateRange | None, text: str) -> None:
    if when is None:
        return
    event.event_date, event.event_date_end = when.start, when.end
    event.date_precision, event.date_text = when.precision, text
