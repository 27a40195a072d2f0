"""Sides completed across the document, once every sentence is read: fighting with one side
named is against that side's opponent in the nearest fighting within a month that names
both, else in the article's title, else the side the article names most; fighting with no
side named is between the sides of the nearest such event.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from heapq import heappop, heappush

from pipeline.events.model import RoleWords
from pipeline.frame import ArticleFrame
from pipeline.records import Event


def complete_sides(
    events: list[Event],
    non_combatants: frozenset[str],
    title_sides: tuple[str, ...],
    lex: RoleWords,
    frame: ArticleFrame | None = None,
    unnamed: str = "",
    is_state: Callable[[str], bool] = lambda name: False,
) -> None:
    """Fighting with one side named is against that side's opponent in the article's frame
    when its infobox lists two sides, else in the nearest fighting within a month that
    names both ("GNA forces captured the air base" where the GNA fights ISIL), else in the
    article's title ("National Front for Liberation–Tahrir al-Sham conflict"), else, for
    the state's forces in an article with no sides, the country's main non-state side; fighting
    with no side named is between the sides of the nearest such event. Two names the frame
    lists on one side are never each other's opponents; violence against civilians with no
    target named hits civilians; in an article whose frame lists one side only, an event
    with no actor is that side's, and its harm with no target named hits civilians.
    ``unnamed`` (an unidentified armed group) and ``non_combatants`` (the UN, aid agencies)
    are never the side an article usually names."""
    frame = frame or ArticleFrame()
    only_side = frame.sides[0].names[0] if len(frame.sides) == 1 and frame.sides[0].names else ""
    for event in events:
        _sides_from_frame(event, frame, only_side, lex)
    fighting = [e for e in events if e.event_type in lex.fighting_types]
    if len(frame.sides) == 2:
        for event in fighting:
            _opponent_from_frame(event, frame, is_state)
    pairs = [
        (i, e)
        for i, e in enumerate(fighting)
        if e.actor1 and e.actor2 and not {e.actor1, e.actor2} & non_combatants
    ]
    if len(title_sides) == 2:
        title = Event("", "", "", "", "", 0, 0, "", actor1=title_sides[0], actor2=title_sides[1])
        pairs += [(i, replace(title, event_date=e.event_date)) for i, e in enumerate(fighting)]
    nearest = _PairIndex(pairs)
    by_sentence: dict[int, list[Event]] = {}
    for event in fighting:
        by_sentence.setdefault(event.char_start, []).append(event)
    counts = _SideCounts(events, lex.crowds | {unnamed} | non_combatants)
    for index, event in enumerate(fighting):
        known = event.actor1 or event.actor2
        if event.actor1 and event.actor2:
            continue
        pair = nearest.find(index, event.event_date, known or None)
        if not known and pair is not None:
            event.actor1, event.actor2 = pair.actor1, pair.actor2
            counts.named(event)
            continue
        opponent = (pair.actor2 if pair.actor1 == known else pair.actor1) if pair else ""
        opponent = opponent or _other_side_in_sentence(event, by_sentence, counts.crowds)
        partners = {known, *event.assoc_actor_1, *event.assoc_actor_2}
        if known and not is_state(known):
            partners.add(frame.main_side)  # "the rebels" are no armed group's usual enemy
        opponent = opponent or counts.usual_opponent(partners)
        opponent = opponent or _main_side_against(known, frame)
        if opponent and opponent not in (*event.assoc_actor_1, *event.assoc_actor_2):
            if event.actor1:
                event.actor2 = opponent
            else:
                event.actor1 = opponent
            if not known:  # no side named: the usual side against its usual opponent
                event.actor2 = counts.usual_opponent({opponent, *event.assoc_actor_1, *event.assoc_actor_2})
            counts.named(event)


def _sides_from_frame(event: Event, frame: ArticleFrame, only_side: str, lex: RoleWords) -> None:
    """What the frame alone says of an event's sides, before any pair of sides is read;
    ``only_side`` is the group of a frame that lists one side only."""
    if only_side and not event.actor1 and event.actor2 != only_side:
        event.actor1 = only_side  # a massacre's article lists its perpetrator alone
    if only_side and event.actor1 == only_side and not event.actor2 and _harms_civilians(event, lex):
        event.actor2 = lex.one_sided_victims  # ... and its victims are civilians
    if event.event_type in lex.fighting_types and frame.same_side(event.actor1, event.actor2):
        event.actor2 = ""
    if not event.actor2 and event.actor1 and event.event_type in lex.victims_by_type:
        event.actor2 = lex.victims_by_type[event.event_type]


def _harms_civilians(event: Event, lex: RoleWords) -> bool:
    """Harm, or an attack whose sentence names no military target ("At least 100 were killed
    in the initial attack", not "overran the barracks")."""
    if event.event_type in lex.harm_types:
        return True
    return event.event_type in lex.attack_types and lex.military_targets.isdisjoint(
        event.notes.lower().split()
    )


def _other_side_in_sentence(event: Event, by_sentence: dict[int, list[Event]], crowds: frozenset[str]) -> str:
    """ "The army tried to regain Palmyra after it was lost to Islamic State": the side the
    sentence's other fighting names, when it is not the event's own."""
    own = {event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2, ""}
    for other in by_sentence.get(event.char_start, []):
        for name in (other.actor1, other.actor2):
            if other is not event and name not in own and name not in crowds:
                return name
    return ""


def _main_side_against(known: str, frame: ArticleFrame) -> str:
    """The state's forces, in an article whose frame lists no sides, fight the main
    non-state side of the country's war ("government forces advanced into the valley")."""
    return frame.main_side if known and known == frame.state_name and not frame.sides else ""


def _opponent_from_frame(event: Event, frame: ArticleFrame, is_state: Callable[[str], bool]) -> None:
    """The other side's first name, for fighting that names one side the frame lists; for an
    armed group the frame does not list, in a war of the state against armed groups, the
    state's side ("two fighters from Jund al-Aqsa blew themselves up" in an article whose
    infobox lists the Army of Conquest against the army)."""
    known = event.actor1 or event.actor2
    if not known or (event.actor1 and event.actor2):
        return
    opponents = frame.opponents_of(known)
    state = frame.state_side()
    if frame.side_of(known) is None and state is not None and not is_state(known):
        opponents = frame.sides[state].names
    opponent = opponents[0] if opponents else ""
    if not opponent or opponent in (*event.assoc_actor_1, *event.assoc_actor_2):
        return
    if event.actor1:
        event.actor2 = opponent
    else:
        event.actor1 = opponent


class _PairIndex:
    """The pairs of sides (fighting that names both, the title's at each fighting's date) by
    name and day, so that the nearest one within a month of an event is found among that
    month's days rather than by sorting every pair for every event. "Nearest" is by distance
    in the list of fighting, the earlier of two as far, a real pair before the title's."""

    def __init__(self, pairs: list[tuple[int, Event]]) -> None:
        self.pairs: dict[tuple[str | None, int, int], Event] = {}
        for index, pair in pairs:
            if pair.event_date is not None:
                day = pair.event_date.toordinal()
                for name in dict.fromkeys((None, pair.actor1, pair.actor2)):
                    self.pairs.setdefault((name, day, index), pair)
        self.indices: dict[tuple[str | None, int], list[int]] = {}
        for name, day, index in self.pairs:
            self.indices.setdefault((name, day), []).append(index)
        self.days: dict[str | None, list[int]] = {}
        for (name, day), indices in self.indices.items():
            indices.sort()
            self.days.setdefault(name, []).append(day)
        for days in self.days.values():
            days.sort()

    def find(self, index: int, when: date | None, name: str | None) -> Event | None:
        """The nearest pair within 31 days of ``when`` that names ``name`` (any, for None)."""
        if when is None:
            return None
        day, days = when.toordinal(), self.days.get(name, [])
        best: tuple[tuple[int, bool], Event] | None = None
        for other in days[bisect_left(days, day - 31) : bisect_right(days, day + 31)]:
            indices = self.indices[(name, other)]
            position = bisect_right(indices, index)
            for found in indices[max(0, position - 1) : position + 1]:
                key = (abs(found - index), found > index)
                if best is None or key < best[0]:
                    best = (key, self.pairs[(name, other, found)])
        return best[1] if best else None


class _SideCounts:
    """How often the article names each side (as actor1 or actor2, crowds left out), kept up
    to date as sides are completed, and where each is first named: the usual opponent is
    the most named, the first named of equals (``Counter.most_common``), read off a heap
    rather than by counting every event again for every event completed."""

    def __init__(self, events: list[Event], crowds: frozenset[str]) -> None:
        self.crowds = crowds
        self.position = {id(event): index for index, event in enumerate(events)}
        self.counted: set[tuple[int, int]] = set()
        self.count: dict[str, int] = {}
        self.first: dict[str, int] = {}
        self.heap: list[tuple[int, int, str]] = []
        for event in events:
            self.named(event)

    def named(self, event: Event) -> None:
        """Count the sides ``event`` names that were not counted yet."""
        for slot, name in enumerate((event.actor1, event.actor2)):
            seen = (id(event), slot)
            if name and name not in self.crowds and seen not in self.counted:
                self.counted.add(seen)
                place = 2 * self.position[id(event)] + slot
                self.count[name] = self.count.get(name, 0) + 1
                self.first[name] = min(self.first.get(name, place), place)
                heappush(self.heap, (-self.count[name], self.first[name], name))

    def usual_opponent(self, partners: set[str]) -> str:
        """The most named side but ``partners``, if named twice at least. Entries of a
        side's earlier counts are dropped as they surface; entries of partners go back."""
        skipped, found = [], ""
        while self.heap:
            entry = heappop(self.heap)
            negative, first, name = entry
            if (-negative, first) != (self.count[name], self.first[name]):
                continue
            skipped.append(entry)
            if name not in partners:
                found = name if -negative >= 2 else ""
                break
        for entry in skipped:
            heappush(self.heap, entry)
        return found
