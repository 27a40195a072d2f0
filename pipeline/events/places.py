"""Where an event happened: the places of a frame's clause (one event per place; bounding
lists, reference points, containers and countries do not split it), else a place borrowed
from an earlier frame of the sentence or, for "the town", "the same area", the place of the
section's last event; else the town the article is about (its frame's place); and, once
the document is read, the province of a place GeoNames lacks, from the text around it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from pipeline.events.model import TERRITORY_ROLES, Frame, RoleWords, State
from pipeline.records import Event
from pipeline.taggers.place_gazetteer import Place
from pipeline.taggers.triggers import Trigger
from pipeline.tagging import Mention, TaggedSentence


def read_places(frame: Frame, sentence: TaggedSentence, lex: RoleWords) -> None:
    """The places named in the frame's region, else (when its subject opens the clause)
    before its trigger; and whether it refers to a place told before ("the town", "retook it")."""
    words = sentence.words
    frame.places = [m for m in sentence.of("place") if frame.trigger_end <= m.start < frame.region_end]
    if not frame.places and frame.subject_start == frame.clause_start:
        frame.places = [
            m for m in sentence.of("place") if frame.subject_start <= m.start < frame.trigger_start
        ]
    references = lex.place_nouns if _placeless(frame.trigger) else lex.place_nouns | lex.event_nouns
    frame.anaphoric_place = _names_a_place_before(
        words[frame.subject_start : frame.region_end], references, lex
    ) or _elided_place(words, frame)


def event_places(
    frame: Frame, sentence: TaggedSentence, lex: RoleWords, main_place: Place | None = None
) -> list[Mention]:
    """One event per place; bounding lists, containers and countries do not split it. A
    country that only says where troops come from ("troops from Chad") or that acts
    ("Mozambique regained control") is no place; a country alone, in an article about one
    of its towns, is that town."""
    words = sentence.words
    places = [
        m
        for m in frame.places
        if not _bounds_area(words, m.start, lex) and not _country_as_side(words, m, frame, lex)
    ]
    found = _most_specific(places, sentence, lex)
    countries = {m.value.name for m in found if m.value.kind == "country"}
    if main_place is not None and found and len(countries) == len(found) and main_place.country in countries:
        return _at_main_place(frame, main_place)
    return found


def main_place_for(frame: Frame, sentence: TaggedSentence, lex: RoleWords, main_place: Place | None) -> list:
    """ "stormed the city", "infiltrated the town": the town the article is about."""
    words = sentence.words[frame.subject_start : frame.region_end]
    named = any(
        word in lex.referring_words and lex.settlement_nouns.intersection(words[index + 1 : index + 4])
        for index, word in enumerate(words)
    )  # "the city", "the DPR-controlled city"
    return _at_main_place(frame, main_place) if main_place is not None and named else []


def _at_main_place(frame: Frame, main_place: Place) -> list[Mention]:
    return [Mention("place", frame.trigger_start, frame.trigger_start, main_place.name, main_place)]


def _country_as_side(words: list[str], mention: Mention, frame: Frame, lex: RoleWords) -> bool:
    """ "troops from Chad and Niger" (where they come from), "Mozambique regained" (who acts)."""
    if mention.value.kind != "country":
        return False  # "expelled the fighters from Maarat al-Nu'man" is where it happened
    start, listed = mention.start, {i for m in frame.places for i in range(m.start, m.end)}
    while start > 1 and (words[start - 1] in ("and", ",") or start - 1 in listed):
        start -= 1  # "troops from Chad and Niger": back over the list
    troops_from = words[start - 1 : start] == ["from"] and bool(
        lex.people_words.intersection(words[max(0, start - 3) : start - 1])
    )
    return troops_from or mention.end == frame.trigger_start


def _most_specific(places: list[Mention], sentence: TaggedSentence, lex: RoleWords) -> list[Mention]:
    located = [m for m in places if not _reference_point(sentence.words, m.start, lex)]
    places = located or places
    ends = {m.end for m in places}
    places = [m for m in places if not (m.start - 1 in ends and _is_container(sentence.words, m))]
    specific = [m for m in places if m.value.kind not in ("admin1", "country")]
    if specific:
        return _dedupe(specific)
    provinces = [m for m in places if m.value.kind == "admin1"]
    return _dedupe(provinces or places)


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen, unique = set(), []
    for mention in mentions:
        key = mention.value.geonameid or mention.value.name
        if key not in seen:
            seen.add(key)
            unique.append(mention)
    return unique


def _is_container(words: list[str], mention: Mention) -> bool:
    """ "the village of Aqrab, Idlib": a province (or its capital's name) after a comma."""
    place = mention.value
    return words[mention.start - 1] == "," and (place.kind == "admin1" or place.name == place.admin1)


def _reference_point(words: list[str], start: int, lex: RoleWords) -> bool:
    """ "25 km from Abu Grein", "to the south of Idlib": a place that only measures or points."""
    before = words[max(0, start - 4) : start]
    pointing = before[-4:-2] == ["to", "the"] and before[-2] in lex.direction_words and before[-1] == "of"
    return bool(lex.distance_words.intersection(before[-3:])) or pointing


def _bounds_area(words: list[str], start: int, lex: RoleWords) -> bool:
    """A place in "a region between A, B and C" only bounds the area."""
    window = words[max(0, start - 12) : start]
    if "between" not in window:
        return False
    head = window[: len(window) - window[::-1].index("between") - 1]
    return bool(head) and head[-1] in lex.bounding_nouns


def borrowed_place(
    frames: list[Frame], index: int, sentence: TaggedSentence, state: State, lex: RoleWords
) -> list:
    """A frame that names no place takes one from an earlier frame of its sentence ("occupied a
    bakery in Atarib, but withdrew"), or from "the town" / "the same area" / "the fighting": the
    place of the section's last event; else the town the article is about (codebook section
    3: the place may come from the article itself). Deals and changes of allegiance have no
    place of their own."""
    frame = frames[index]
    if frame.trigger.role not in (*TERRITORY_ROLES, "change"):
        for other in reversed(frames[:index]):
            if other.places:
                return event_places(other, sentence, lex)[:1]
        earlier = [m for m in sentence.of("place") if m.end <= frame.subject_start]
        if earlier and not _placeless(frame.trigger):
            return earlier[:1]
    if frame.anaphoric_place and state.last_place is not None and state.last_heading == sentence.heading:
        return [state.last_place]
    if state.main_place is not None and not _placeless(frame.trigger):
        return _at_main_place(frame, state.main_place)  # where the article's events happen
    return [None]


def _placeless(trigger: Trigger) -> bool:
    """Deals, changes of allegiance and tolls happen where the text says, not where the fighting was."""
    return trigger.role == "change" or trigger.sub_event_type == "Agreement" or trigger.rule == "total"


def _elided_place(words: list[str], frame: Frame) -> bool:
    """ "but retook it overnight", "after it was lost to the rebels", "before the army regained
    control days later": ground changing hands with the place left to the sentence before."""
    if frame.trigger.role not in TERRITORY_ROLES:
        return False
    following = words[frame.trigger_end : frame.trigger_end + 1]
    subject = words[frame.trigger_start - 1 : frame.trigger_start]
    regained_control = words[frame.trigger_end - 1] == "control" and following != ["of"]
    return "it" in (*following, *subject) or regained_control


def _names_a_place_before(words: list[str], references: set[str], lex: RoleWords) -> bool:
    """ "the town", "the same area", "during their withdrawal", "joined the fighting":
    a place or an event told earlier in the paragraph, so its place."""
    for index, word in enumerate(words[:-1]):
        if word in lex.referring_words:
            following = [w for w in words[index + 1 : index + 3] if w != "same"]
            if references.intersection(following):
                return True
    return False


def set_place(event: Event, place: Place) -> None:
    event.location = place.name
    event.admin1 = place.admin1
    event.country = place.country or event.country
    event.latitude, event.longitude = place.latitude, place.longitude
    event.geo_precision = place.precision
    event.geonameid = place.geonameid


def one_spelling(events: list[Event]) -> None:
    """A place the article spells two ways ("Maarat al-Numan", "Maarrat al-Nu'man") is
    written one way in all its events: the spelling most of them have, the first on a tie."""
    spellings: dict[int, Counter[str]] = {}
    for event in events:
        if event.geonameid:
            spellings.setdefault(event.geonameid, Counter())[event.location] += 1
    chosen = {geonameid: counts.most_common(1)[0][0] for geonameid, counts in spellings.items()}
    for event in events:
        if event.geonameid:
            event.location = chosen[event.geonameid]


def fill_admin1(events: list[Event], sentences: list[TaggedSentence]) -> None:
    """A place GeoNames lacks takes its province from the text around it: the nearest
    province in its paragraph ("the village of Aqrab, Idlib"), else the article's usual one."""
    provinces: list[tuple[int, int, str]] = [
        (s.block, s.char_start, m.value.admin1) for s in sentences for m in s.of("place") if m.value.admin1
    ]
    if not provinces:
        return
    usual = Counter(admin1 for _, _, admin1 in provinces).most_common(1)[0][0]
    block_of = {s.char_start: s.block for s in sentences}
    by_block = _provinces_by_block(provinces)
    for event in events:
        if not event.location or event.admin1:
            continue
        near = by_block.get(block_of.get(event.char_start))
        event.admin1 = _nearest_province(*near, event.char_start) if near else usual


def _provinces_by_block(
    provinces: list[tuple[int, int, str]],
) -> dict[int, tuple[list[int], dict[int, str]]]:
    """Per block, the sentence starts that name a province, in order, and the first in
    alphabetical order of those each names: the nearest is then found by bisection, not by
    reading every province of the paragraph for every event."""
    first: dict[int, dict[int, str]] = {}
    for block, start, admin1 in provinces:
        names = first.setdefault(block, {})
        names[start] = min(names.get(start, admin1), admin1)
    return {block: (sorted(names), names) for block, names in first.items()}


def _nearest_province(starts: list[int], names: dict[int, str], start: int) -> str:
    """The province named nearest ``start``, the first alphabetically of equally near ones."""
    position = bisect_left(starts, start)
    near = [(abs(s - start), names[s]) for s in starts[max(0, position - 1) : position + 1]]
    return min(near)[1]
