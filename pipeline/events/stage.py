"""Events stage, the loop over a document: tagged sentences -> events.

Each sentence is read in order: its dates are resolved against the chronology
(``dates``), its live triggers open frames (``frames``), each frame takes its sides
(``roles``), its figures and one event per place it names (``places``); a sentence
with figures but no trigger of its own adds them to the event before it, and one that
tells that event again adds its detail to it (``merging``). Once every sentence is read,
places take their province and fighting its missing side (``side_completion``).
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.events.dates import date_for, remember_date, resolve_dates, set_date
from pipeline.events.frames import consolidate, frames_of, is_event
from pipeline.events.merging import add_figure, add_follow_up, attach_figures, merged_into_previous
from pipeline.events.model import Frame, Resolvers, RoleWords, Sentences, State
from pipeline.events.places import (
    borrowed_place,
    event_places,
    fill_admin1,
    main_place_for,
    one_spelling,
    set_place,
)
from pipeline.events.roles import inherit_actors, name_unknown_perpetrators, state_gains
from pipeline.events.side_completion import complete_sides
from pipeline.frame import ArticleFrame
from pipeline.normalize import strip_citations
from pipeline.records import DateRange, Document, Event
from pipeline.taggers.dates import Chronology
from pipeline.taggers.place_gazetteer import Place
from pipeline.tagging import Mention, TaggedSentence


def extract_events(
    document: Document,
    sentences: list[TaggedSentence],
    resolvers: Resolvers,
    article_range: DateRange | None,
    country: str,
    title_sides: tuple[str, ...] = (),
    article: ArticleFrame | None = None,
    main_place: Place | None = None,
) -> list[Event]:
    """The events of a document's tagged sentences; ``article`` is its frame and
    ``main_place`` the town it is about, when it is about one."""
    state = State(Chronology(article_range), article_range, main_place=main_place)
    lex = resolvers.lex
    events: list[Event] = []
    state.sentences = Sentences(sentences, document.blocks)
    state.generic = resolvers.generic_names
    for sentence in sentences:
        dates = resolve_dates(sentence, state)
        carried = (state.last_date, state.last_date_text)
        remember_date(state, dates)
        frames = frames_of(sentence, resolvers, dates, document.metadata.title, lex)
        if not frames and not add_follow_up(sentence, state, lex):
            frames = frames_of(sentence, resolvers, dates, document.metadata.title, lex, toll=True)
        if not frames:
            continue
        inherit_actors(frames, state, sentence)
        for frame in frames:
            state_gains(frame, resolvers)
        name_unknown_perpetrators(frames, resolvers.unnamed_perpetrator)
        frames = consolidate([f for f in frames if is_event(f)], lex)
        if not frames:
            continue
        found = _events_of(document, sentence, frames, dates, carried, state, country, lex)
        found = [
            event for event in found if not merged_into_previous(event, state, sentence, bool(dates), lex)
        ]
        if found:
            state.last_events, state.last_block = found, sentence.block
            events.extend(found)
    state.sentences.write_notes()
    fill_admin1(events, sentences)
    one_spelling(events)
    complete_sides(
        events,
        resolvers.non_combatants,
        title_sides,
        lex,
        article,
        resolvers.unnamed_perpetrator[1],
        resolvers.is_state,
    )
    return events


def _events_of(
    document: Document,
    sentence: TaggedSentence,
    frames: list[Frame],
    dates: list,
    carried: tuple[DateRange | None, str],
    state: State,
    country: str,
    lex: RoleWords,
) -> list[Event]:
    attach_figures(frames, sentence)
    attribution = _attribution(sentence)
    events = []
    for index, frame in enumerate(frames):
        when, date_text = date_for(frame, dates, carried, state.article_range)
        places = (
            event_places(frame, sentence, lex, state.main_place)
            or main_place_for(frame, sentence, lex, state.main_place)
            or borrowed_place(frames, index, sentence, state, lex)
        )
        for count, place_mention in enumerate(places):
            event = _event(document, sentence, frame, place_mention, country, with_figures=count == 0)
            set_date(event, when, date_text)
            event.attribution = attribution(frame.trigger_start)
            event.ordinal = len(events)
            events.append(event)
            if place_mention is not None:
                state.last_place = place_mention
    if not dates and state.last_date is None and events and events[0].event_date is not None:
        state.last_date = DateRange(events[0].event_date, events[0].event_date_end, events[0].date_precision)
    return events


def _event(
    document: Document,
    sentence: TaggedSentence,
    frame: Frame,
    place: Mention | None,
    country: str,
    with_figures: bool = True,
) -> Event:
    evidence = strip_citations(sentence.text)
    event = Event(
        doc_id=document.doc_id,
        title=document.metadata.title,
        section=sentence.heading,
        event_type=frame.trigger.event_type,
        sub_event_type=frame.trigger.sub_event_type,
        char_start=sentence.char_start,
        char_end=sentence.char_end,
        notes=evidence,
        evidence_key=evidence,
        priority=frame.trigger.priority,
        actor1=frame.actor1,
        assoc_actor_1=list(frame.assoc1),
        actor2=frame.actor2,
        assoc_actor_2=list(frame.assoc2),
        country=country,
    )
    if place is not None:
        set_place(event, place.value)
    for figure in frame.figures if with_figures else []:
        add_figure(event, figure.value)
    return event


def _attribution(sentence: TaggedSentence) -> Callable[[int], str]:
    cues = [c for c in sentence.of("cue") if c.value.kind == "attribution"]

    def at(position: int) -> str:
        for cue in cues:
            if cue.value.scope_start <= position < cue.value.scope_end:
                return cue.text
        return ""

    return at
