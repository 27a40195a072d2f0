"""Figures, follow-ups and retellings: each casualty figure goes to the frame it stands
in; figures in a sentence with no trigger of its own go to the event before it; a sentence
that tells the event before it again (no date of its own, no new side or place) adds its
detail to that event instead of making a new row, and the event's evidence runs on to it.
"""

from __future__ import annotations

from pipeline.events.filters import in_scope, is_back_reference, is_subset
from pipeline.events.model import Frame, RoleWords, Sentences, State
from pipeline.records import Event
from pipeline.taggers.casualties import Figure
from pipeline.tagging import TaggedSentence


def add_follow_up(sentence: TaggedSentence, state: State, lex: RoleWords) -> bool:
    """Figures in a sentence with no trigger of its own belong to the event before it, in
    its paragraph or told again ("in the clashes"); True when there is such an event."""
    figures = [m for m in sentence.of("casualty") if not is_subset(sentence, m)]
    refers_back = any(is_back_reference(sentence, m, lex) for m in sentence.of("trigger"))
    if not figures or not state.last_events:
        return False
    event = state.last_events[-1]
    if state.last_block != sentence.block and (not refers_back or sentence.heading != event.section):
        return False  # the evidence never runs across a heading, which is no part of it
    added = False
    for figure in figures:
        if getattr(event, figure.value.kind) is None:
            add_figure(event, figure.value)
            added = True
    if added:
        _extend_evidence(event, sentence, state.sentences)
    return True


def merged_into_previous(
    event: Event, state: State, sentence: TaggedSentence, dated: bool, lex: RoleWords
) -> bool:
    """A sentence that tells the event before it again, with no date of its own, no new side
    or place and the same actor ("HTS declared war on Jund al-Aqsa as a result, and the
    clashes resulted in the deaths of almost 70"), adds its detail to that event instead of
    making a new row. Deals, changes of allegiance and arrests are always events of their own."""
    if state.last_block != sentence.block or event.sub_event_type in lex.separate_sub_types:
        return False
    for target in state.last_events:
        if event.actor2 and event.actor2 == target.actor1:
            continue  # the side that acted is now hit: "captured the base ... then lost it"
        if event.event_type != target.event_type and event.event_type in lex.distinct_types:
            continue  # "during this attack, car bombs exploded": remote violence is no detail of a battle
        same_place = not event.location or event.place_key == target.place_key
        same_kind = event.sub_event_type == target.sub_event_type and event.place_key == target.place_key
        if dated and not (same_kind and _overlaps(event, target)):
            continue
        sides, known = _sides(event, state.generic, lex), _sides(target, state.generic, lex)
        same_actor = (
            _side(event.actor1, lex) in ("", _side(target.actor1, lex)) or event.actor1 in state.generic
        )
        joins = same_kind and event.actor2 == target.actor2 and target.actor1 in sides
        if same_place and ((same_actor and sides <= known) or joins):
            _absorb(target, event, sentence, state)
            return True
    return False


def _overlaps(event: Event, target: Event) -> bool:
    if event.event_date is None or target.event_date is None:
        return False
    return event.event_date <= target.event_date_end and target.event_date <= event.event_date_end


def _side(name: str, lex: RoleWords) -> str:
    return "Civilians" if name in lex.crowds else name


def _sides(event: Event, generic: set[str], lex: RoleWords) -> set[str]:
    """The named sides of an event; generic ones ("the rebels") stand for any."""
    names = (event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2)
    return {_side(n, lex) for n in names if n and (n not in generic or n in lex.crowds)}


def _absorb(target: Event, event: Event, sentence: TaggedSentence, state: State) -> None:
    _extend_evidence(target, sentence, state.sentences)
    for kind in ("fatalities", "wounded", "captured"):
        if getattr(target, kind) is None and getattr(event, kind) is not None:
            setattr(target, kind, getattr(event, kind))
            if kind == "fatalities":
                target.fatalities_low, target.fatalities_high = event.fatalities_low, event.fatalities_high
    _add_casualty_texts(target, event.casualty_text, state.casualty_texts)
    if event.priority > target.priority:
        target.event_type, target.sub_event_type, target.priority = (
            event.event_type,
            event.sub_event_type,
            event.priority,
        )
    target.attribution = target.attribution or event.attribution
    for name in (event.actor1, *event.assoc_actor_1):
        if name and name not in (target.actor1, target.actor2, *target.assoc_actor_1, *target.assoc_actor_2):
            target.assoc_actor_1.append(name)


def _add_casualty_texts(target: Event, texts: list[str], known: dict[int, tuple[set[str], int]]) -> None:
    """``texts`` the target does not hold yet, added. What it holds is kept as a set per
    event (with the length of the list it mirrors, rebuilt when a figure was added
    elsewhere): a paragraph retelling one event with a new figure each time made the list
    as long as the paragraph, and reading it for each retelling quadratic."""
    seen, length = known.get(id(target), (set(), -1))
    if length != len(target.casualty_text):
        seen = set(target.casualty_text)
    added = [text for text in texts if text not in seen]
    target.casualty_text += added
    seen.update(added)
    known[id(target)] = (seen, len(target.casualty_text))


def _extend_evidence(event: Event, sentence: TaggedSentence, sentences: Sentences) -> None:
    """The evidence runs on to ``sentence``; the notes hold every sentence in between."""
    if sentence.char_end <= event.char_end:
        return
    event.char_end = sentence.char_end
    sentences.grown[id(event)] = event


def attach_figures(frames: list[Frame], sentence: TaggedSentence) -> None:
    """Each figure goes to the frame it stands in, or the nearest one before it."""
    for figure in sentence.of("casualty"):
        if in_scope(sentence, figure, ("not_event", "not_figure", "attempt")):
            continue
        owner = frames[0]
        for frame in frames:
            if frame.trigger_start <= figure.start or frame.subject_start <= figure.start:
                owner = frame
        owner.figures.append(figure)


def add_figure(event: Event, figure: Figure) -> None:
    kind = figure.kind
    current = getattr(event, kind)
    if kind == "fatalities":
        if current is None:
            event.fatalities, event.fatalities_low, event.fatalities_high = (
                figure.best,
                figure.low,
                figure.high,
            )
        else:
            lows = [
                v for v in (event.fatalities_low, figure.low, figure.best, event.fatalities) if v is not None
            ]
            highs = [v for v in (event.fatalities_high, figure.high) if v is not None]
            event.fatalities = min(event.fatalities, figure.best)
            event.fatalities_low = min(lows)
            event.fatalities_high = max(highs) if highs else None
    else:
        setattr(event, kind, figure.best if current is None else current + figure.best)
    event.casualty_text.append(figure.text)
