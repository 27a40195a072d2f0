"""Events stage: tagged sentences -> ACLED-style events.

Per clause, each trigger that is not negated, hypothetical or a mere back
reference ("in the clashes", "its attacks") opens a frame. A frame takes its
actors from the words around the trigger (subject before it, objects after
it, read through the prepositions "from", "against", "by", "between",
"with support from"), its date from the chronology, its casualty figures
from the clause, and gives one event per place it names. A sentence with
figures but no trigger of its own adds them to the event before it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from heapq import heappop, heappush
from pathlib import Path

from pipeline.lexicon import noun_forms
from pipeline.normalize import strip_citations
from pipeline.records import Block, DateRange, Document, Event
from pipeline.resources import check_keys, load_yaml
from pipeline.taggers.casualties import Figure
from pipeline.taggers.dates import Chronology, DateExpr
from pipeline.taggers.factions import FactionRef
from pipeline.taggers.places import Place
from pipeline.taggers.triggers import TollRule, Trigger
from pipeline.tagging import Mention, TaggedSentence


@dataclass(frozen=True)
class RoleWords:
    """The word lists of ``models/roles.yaml``."""

    clause_breaks: frozenset[str]
    subordinators: frozenset[str]
    subject_pronouns: frozenset[str]
    clause_auxiliaries: frozenset[str]
    back_reference_prep: frozenset[str]
    pronoun_subjects: frozenset[str]
    support_words: frozenset[str]
    name_adjectives: frozenset[str]
    governing_prepositions: frozenset[str]
    distance_words: frozenset[str]
    direction_words: frozenset[str]
    bounding_nouns: frozenset[str]
    referring_words: frozenset[str]
    event_nouns: frozenset[str]
    fighting_types: frozenset[str]
    crowds: frozenset[str]
    separate_sub_types: frozenset[str]
    distinct_types: frozenset[str]
    group_words: frozenset[str]
    quantifiers: frozenset[str]
    place_nouns: frozenset[str]
    people_words: frozenset[str]

    @classmethod
    def from_models(cls, models_dir: Path | str) -> RoleWords:
        """The lists of nouns are written as lemmas ("fighter") and read with their plurals."""
        data = load_yaml(models_dir, "roles.yaml")
        keys = {f.name for f in fields(cls)}
        check_keys(data, keys, keys, f"{models_dir}/roles.yaml")
        return cls(**{key: _word_set(data[key], key in NOUN_LISTS) for key in keys})


TERRITORY_ROLES = ("capture", "lose")  # ground changes hands: an event only where it names a place
ATTEMPTED_SUB = "Armed clash"
MERGE_GAP = 3  # words between two triggers that still make one frame: "shelled and then stormed"
TOLL_CUES = ("not_event", "not_figure", "attempt")
NOUN_LISTS = {"bounding_nouns", "event_nouns", "group_words", "people_words", "place_nouns"}


def _word_set(words: list, nouns: bool) -> frozenset[str]:
    return frozenset(form for word in words for form in (noun_forms(str(word)) if nouns else [str(word)]))


@dataclass
class Resolvers:
    """What the events stage needs from the gazetteers, as plain callables."""

    actor: Callable[[FactionRef, date | None], str]
    is_state: Callable[[str], bool]
    is_country: Callable[[str], bool]
    generic_names: set[str]
    government_capture_sub: str
    captive: Trigger
    unnamed_perpetrator: tuple[str, str]
    toll: TollRule
    lex: RoleWords


@dataclass
class Frame:
    trigger: Trigger
    trigger_start: int
    trigger_end: int
    clause_start: int
    region_end: int
    subject_start: int
    actor1: str = ""
    assoc1: list[str] = field(default_factory=list)
    actor2: str = ""
    assoc2: list[str] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    figures: list[Mention] = field(default_factory=list)
    pronoun_subject: bool = False
    anaphoric_place: bool = False


@dataclass
class _State:
    chronology: Chronology
    article_range: DateRange | None
    last_date: DateRange | None = None
    last_date_text: str = ""
    last_heading: str | None = None
    last_events: list[Event] = field(default_factory=list)
    last_block: int = -1
    last_place: Mention | None = None
    generic: set[str] = field(default_factory=set)
    sentences: _Sentences = field(default_factory=lambda: _Sentences([]))
    casualty_texts: dict[int, tuple[set[str], int]] = field(default_factory=dict)  # _add_casualty_texts


class _Sentences:
    """A document's sentences by start offset, so that the ones an evidence spans are
    found by bisection rather than by reading all of them; and the events whose evidence
    grew, whose notes are written once at the end rather than each time it grows (a
    paragraph that tells one event a thousand times made a thousand notes)."""

    def __init__(self, sentences: list[TaggedSentence], blocks: list[Block] | None = None) -> None:
        self.sentences = sentences
        self.blocks = blocks or []
        self.order = sorted(range(len(sentences)), key=lambda index: sentences[index].char_start)
        self.starts = [sentences[index].char_start for index in self.order]
        self.grown: dict[int, Event] = {}

    def write_notes(self) -> None:
        """The notes of every event whose evidence grew: the text of its paragraphs from its
        first sentence to its last, as the source has it between them (sentences glued
        with no space, citation marks), without citation marks."""
        for event in self.grown.values():
            by_block: dict[int, list[TaggedSentence]] = {}
            for sentence in self.within(event.char_start, event.char_end):
                by_block.setdefault(sentence.block, []).append(sentence)
            event.notes = " ".join(
                strip_citations(self.blocks[block].text[spanned[0].block_start : spanned[-1].block_end])
                for block, spanned in by_block.items()
            )

    def within(self, start: int, end: int) -> list[TaggedSentence]:
        """The sentences inside ``start:end``, in document order."""
        inside = []
        for position in range(bisect_left(self.starts, start), bisect_left(self.starts, end)):
            index = self.order[position]
            if self.sentences[index].char_end <= end:
                inside.append(index)
        return [self.sentences[index] for index in sorted(inside)]


def extract_events(
    document: Document,
    sentences: list[TaggedSentence],
    resolvers: Resolvers,
    article_range: DateRange | None,
    country: str,
    title_sides: tuple[str, ...] = (),
) -> list[Event]:
    state = _State(Chronology(article_range), article_range)
    lex = resolvers.lex
    events: list[Event] = []
    state.sentences = _Sentences(sentences, document.blocks)
    state.generic = resolvers.generic_names
    for sentence in sentences:
        dates = _resolve_dates(sentence, state)
        carried = (state.last_date, state.last_date_text)
        _remember_date(state, dates)
        frames = _frames(sentence, resolvers, dates, document.metadata.title, lex)
        if not frames and not _add_follow_up(sentence, state, lex):
            frames = _frames(sentence, resolvers, dates, document.metadata.title, lex, toll=True)
        if not frames:
            continue
        _inherit_actors(frames, state, sentence)
        for frame in frames:
            _state_gains(frame, resolvers)
        _name_unknown_perpetrators(frames, resolvers.unnamed_perpetrator)
        frames = _consolidate([f for f in frames if _is_event(f)], lex)
        if not frames:
            continue
        found = _events_of(document, sentence, frames, dates, carried, state, country, lex)
        found = [
            event for event in found if not _merged_into_previous(event, state, sentence, bool(dates), lex)
        ]
        if found:
            state.last_events, state.last_block = found, sentence.block
            events.extend(found)
    state.sentences.write_notes()
    _fill_admin1(events, sentences)
    _complete_sides(events, state.generic, title_sides, lex)
    return events


def _complete_sides(
    events: list[Event], generic: set[str], title_sides: tuple[str, ...], lex: RoleWords
) -> None:
    """Fighting with one side named is against that side's opponent in the nearest fighting
    within a month that names both ("GNA forces captured the air base" where the GNA fights
    ISIL), else in the article's title ("National Front for Liberation–Tahrir al-Sham
    conflict"); fighting with no side named is between the sides of the nearest such event."""
    fighting = [e for e in events if e.event_type in lex.fighting_types]
    pairs = [(i, e) for i, e in enumerate(fighting) if e.actor1 and e.actor2]
    if len(title_sides) == 2:
        title = Event("", "", "", "", "", 0, 0, "", actor1=title_sides[0], actor2=title_sides[1])
        pairs += [(i, replace(title, event_date=e.event_date)) for i, e in enumerate(fighting)]
    nearest = _PairIndex(pairs)
    counts = _SideCounts(events, lex.crowds)
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
        opponent = opponent or counts.usual_opponent({known, *event.assoc_actor_1, *event.assoc_actor_2})
        if opponent and opponent not in (*event.assoc_actor_1, *event.assoc_actor_2):
            if event.actor1:
                event.actor2 = opponent
            else:
                event.actor1 = opponent
            counts.named(event)


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


def _merged_into_previous(
    event: Event, state: _State, sentence: TaggedSentence, dated: bool, lex: RoleWords
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
        same_place = not event.location or event.location == target.location
        same_kind = event.sub_event_type == target.sub_event_type and event.location == target.location
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


def _absorb(target: Event, event: Event, sentence: TaggedSentence, state: _State) -> None:
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


def _extend_evidence(event: Event, sentence: TaggedSentence, sentences: _Sentences) -> None:
    """The evidence runs on to ``sentence``; the notes hold every sentence in between."""
    if sentence.char_end <= event.char_end:
        return
    event.char_end = sentence.char_end
    sentences.grown[id(event)] = event


def _fill_admin1(events: list[Event], sentences: list[TaggedSentence]) -> None:
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


def _remember_date(state: _State, dates: list[tuple[Mention, DateRange]]) -> None:
    """The date later sentences of the section carry over."""
    if dates:
        state.last_date, state.last_date_text = dates[-1][1], dates[-1][0].text


# --- dates ------------------------------------------------------------------------------


def _resolve_dates(sentence: TaggedSentence, state: _State) -> list[tuple[Mention, DateRange]]:
    if sentence.heading != state.last_heading:
        state.last_heading, state.last_date, state.last_date_text = sentence.heading, None, ""
    resolved = []
    for mention in sentence.of("date"):
        expr: DateExpr = mention.value
        found = state.chronology.resolve(expr)
        if found is not None:
            resolved.append((mention, found))
    return resolved


def _date_for(
    frame: Frame,
    dates: list[tuple[Mention, DateRange]],
    carried: tuple[DateRange | None, str],
    article_range: DateRange | None,
) -> tuple[DateRange | None, str]:
    """The date written in the trigger's own clause after it ("gained control of X on 4 February"),
    else the last one before it, else the sentence's first, else the one carried over from the
    section, else the article's range."""
    inside = [(m, d) for m, d in dates if frame.trigger_end <= m.start < frame.region_end]
    before = [(m, d) for m, d in dates if m.start < frame.trigger_start]
    written = [(m, d) for m, d in before if m.value.kind != "relative"]
    if written and before[-1][0].value.kind == "relative" and before[-1][0].value.offset[0] > 0:
        before = written  # "On 28 March, after four days of fighting, ...": a duration, not a later day
    chosen = (inside or before[-1:] or dates[:1] or [None])[0]
    if chosen is not None:
        return chosen[1], chosen[0].text
    if carried[0] is not None:
        return carried
    return article_range, ""


# --- frames -----------------------------------------------------------------------------


def _frames(
    sentence: TaggedSentence,
    resolvers: Resolvers,
    dates: list,
    title: str,
    lex: RoleWords,
    toll: bool = False,
) -> list[Frame]:
    """The frames of a sentence's live triggers; with ``toll``, of its toll when it has none."""
    if not sentence.of("casualty" if toll else "trigger"):
        return []
    breaks = _clause_breaks(sentence, lex)
    live = _toll_triggers(sentence, resolvers) if toll else _live_triggers(sentence, resolvers, lex, breaks)
    triggers = [t for t in live if not _in_title(sentence, t, title)]
    frames: list[Frame] = []
    for index, mention in enumerate(triggers):
        clause_start = max([b + 1 for b in breaks if b < mention.start], default=0)
        clause_end = min(b for b in breaks if b >= mention.end)
        following = [t.start for t in triggers[index + 1 :] if t.start < clause_end]
        region_end = min(following, default=clause_end)
        subject_start = max(clause_start, frames[-1].trigger_end if frames else 0)
        if frames and frames[-1].region_end > mention.start:
            frames[-1].region_end = mention.start
        frames.append(
            Frame(mention.value, mention.start, mention.end, clause_start, region_end, subject_start)
        )
    frames = _merge_same(frames, sentence)
    for frame in frames:
        _read_roles(frame, sentence, resolvers, dates, lex)
    _share_targets(frames)
    return frames


def _clause_breaks(sentence: TaggedSentence, lex: RoleWords) -> list[int]:
    """Where clauses part: a break word ("but", "while"), a subordinator before a subject
    pronoun ("after it was lost"), or "and" before a name with its own verb ("and Sana'a was
    hit"); the sentence's end last."""
    words = sentence.words
    breaks = {i for i, w in enumerate(words) if w in lex.clause_breaks}
    breaks.update(
        i for i, w in enumerate(words[:-1]) if w in lex.subordinators and words[i + 1] in lex.subject_pronouns
    )
    for mention in sentence.mentions:
        if mention.kind not in ("faction", "place") or mention.end >= len(words):
            continue
        start = mention.start - (words[mention.start - 1 : mention.start] == ["the"])
        if start > 0 and words[start - 1] in ("and", ",") and words[mention.end] in lex.clause_auxiliaries:
            breaks.add(start - 1)
    return [*sorted(breaks), len(words)]


def _share_targets(frames: list[Frame]) -> None:
    """ "X captured A and stormed B ... from Z": frames of one actor share the target named last."""
    for index, frame in enumerate(frames):
        if frame.actor2 or not frame.actor1:
            continue
        later = [f.actor2 for f in frames[index + 1 :] if f.actor1 in (frame.actor1, "") and f.actor2]
        if later:
            frame.actor2 = later[0]


def _in_title(sentence: TaggedSentence, trigger: Mention, title: str) -> bool:
    """ "The Idlib Governorate clashes (January–March 2017) were ...": the article's own name."""
    name = [w for w in title.lower().replace("(", " ").split() if w.isalpha()]
    head = trigger.text.lower().split()[0]
    if head not in name or name.index(head) == 0:
        return False
    before = name[: name.index(head)]
    return sentence.words[max(0, trigger.start - len(before)) : trigger.start] == before


def _live_triggers(
    sentence: TaggedSentence, resolvers: Resolvers, lex: RoleWords, breaks: list[int]
) -> list[Mention]:
    """Triggers that open a frame. A capture of persons opens an arrest frame only
    when nothing else happens in the sentence ("captured a member" alone)."""
    live = [
        _as_attempted(sentence, m, breaks)
        for m in sentence.of("trigger")
        if _is_live(sentence, m, lex, breaks)
    ]
    if live:
        return live
    totals = _cumulative_total(sentence, lex)
    if totals:
        return totals
    captives = [
        m for m in sentence.of("trigger") if _is_captive(sentence, m) and not _is_negated(sentence, m)
    ]
    return [Mention(m.kind, m.start, m.end, m.text, resolvers.captive) for m in captives[:1]]


def _toll_triggers(sentence: TaggedSentence, resolvers: Resolvers) -> list[Mention]:
    """ "At least 20 soldiers and four civilians were killed in Idlib": people killed or
    wounded, in a sentence with no trigger of its own that names a place or a side (not
    just "civilians"), are an event of who was hit."""
    figures = [
        m
        for m in sentence.of("casualty")
        if m.value.kind != "captured"
        and not _is_subset(sentence, m)
        and not _in_scope(sentence, m, TOLL_CUES)
    ]
    named = sentence.of("place") or [m for m in sentence.of("faction") if m.value.source != "generic"]
    if not figures or not named:
        return []
    sides = {resolvers.actor(m.value, None) for m in sentence.of("faction")}
    trigger = resolvers.toll.trigger_for(
        [sentence.words[m.start : m.end] for m in figures], bool(sides - resolvers.lex.crowds - {""})
    )
    return [Mention("trigger", figures[0].start, figures[0].start, figures[0].text, trigger)]


def _as_attempted(sentence: TaggedSentence, trigger: Mention, breaks: list[int]) -> Mention:
    """ "tried to capture the hill but were repelled": an attempted capture is an armed clash."""
    if trigger.value.role not in TERRITORY_ROLES or not _in_scope(sentence, trigger, ("attempt",), breaks):
        return trigger
    clash = replace(trigger.value, sub_event_type=ATTEMPTED_SUB, role="act", rule="attempt")
    return replace(trigger, value=clash)


def _cumulative_total(sentence: TaggedSentence, lex: RoleWords) -> list[Mention]:
    """ "By 27 January, JFS had lost over 35 fighters in the clashes": a dated toll of
    fighting already told is coded as an event of that type, dated at the statement."""
    if not sentence.of("date") or not sentence.of("casualty"):
        return []
    told = [
        m
        for m in sentence.of("trigger")
        if _is_back_reference(sentence, m, lex) and not _is_negated(sentence, m)
    ]
    return [Mention(m.kind, m.start, m.end, m.text, replace(m.value, rule="total")) for m in told[:1]]


def _loses_people(sentence: TaggedSentence, trigger: Mention) -> bool:
    """ "had lost over 35 fighters": a toll, not ground lost."""
    return trigger.value.role == "lose" and any(
        trigger.start <= m.start <= trigger.end + 2 for m in sentence.of("casualty")
    )


def _is_captive(sentence: TaggedSentence, trigger: Mention) -> bool:
    figures = [m for m in sentence.of("casualty") if m.start <= trigger.start < m.end]
    return bool(figures) and trigger.value.role == "capture" and figures[0].value.kind == "captured"


def _in_scope(
    sentence: TaggedSentence, mention: Mention, kinds: tuple[str, ...], breaks: list[int] = ()
) -> bool:
    """In the scope of a cue of ``kinds``; a forward scope ends at the next clause break."""
    return any(
        cue.value.kind in kinds
        and cue.value.scope_start <= mention.start < cue.value.scope_end
        and cue.end <= mention.start
        and not any(cue.end <= b < mention.start for b in breaks)
        for cue in sentence.of("cue")
    )


def _is_negated(sentence: TaggedSentence, trigger: Mention) -> bool:
    return _in_scope(sentence, trigger, ("not_event",))


def _is_live(sentence: TaggedSentence, trigger: Mention, lex: RoleWords, breaks: list[int]) -> bool:
    """Not negated, not hypothetical, not a back reference, not a captured person."""
    inside_figure = any(m.start < trigger.start < m.end for m in sentence.of("casualty"))
    return not (
        inside_figure
        or _is_negated(sentence, trigger)
        or _is_back_reference(sentence, trigger, lex)
        or _is_captive(sentence, trigger)
        or _loses_people(sentence, trigger)
        or (
            _in_scope(sentence, trigger, ("attempt",), breaks)
            and trigger.value.event_type not in lex.fighting_types
        )
        or not _has_object(sentence, trigger, lex)
    )


def _has_object(sentence: TaggedSentence, trigger: Mention, lex: RoleWords) -> bool:
    """A light verb ("took", "held") is a trigger only with a place as its object
    ("took the al-Harsh checkpoint", "held the town", not "took part")."""
    reach = trigger.value.place_object
    if not reach:
        return True
    following = sentence.words[trigger.end : trigger.end + reach + 1]
    named = any(trigger.end <= m.start <= trigger.end + reach for m in sentence.of("place"))
    return named or bool(lex.place_nouns.intersection(following))


def _is_back_reference(sentence: TaggedSentence, trigger: Mention, lex: RoleWords) -> bool:
    """ "in the clashes", "its attacks", "the recent attacks", "after the inter-rebel clashes":
    an event already told."""
    words = sentence.words
    start = trigger.start
    while start >= 3 and words[start - 2] == "-":  # a hyphenated modifier: "inter-rebel"
        start -= 3
    before = words[max(0, start - 2) : start]
    if not before or trigger.end - trigger.start > 1 and trigger.value.role != "mutual":
        return False
    if _names_its_target(sentence, trigger):
        return False
    if before[-1] in ("its", "their", "his", "these", "those", "such", "recent", "'s"):
        return True
    if before[-1] == "the" and trigger.start == 1:
        return True
    return before[-1] == "the" and len(before) == 2 and before[0] in lex.back_reference_prep


def _names_its_target(sentence: TaggedSentence, trigger: Mention) -> bool:
    """ "in the assault on Konna", "the siege of Kobani": a nominal event that names its
    own place is told here, not referred back to."""
    words = sentence.words
    if words[trigger.end : trigger.end + 1] not in (["on"], ["of"], ["against"]):
        return False
    return any(trigger.end + 1 <= m.start <= trigger.end + 2 for m in sentence.of("place"))


def _merge_same(frames: list[Frame], sentence: TaggedSentence) -> list[Frame]:
    """Adjacent triggers with no name between them are one frame ("threw stones and
    attacked", "airstrikes and shelling"); the trigger of higher priority sets the type.
    Triggers further apart are two ("entered the city on 18 August, they were encircled")."""
    merged: list[Frame] = []
    for frame in frames:
        previous = merged[-1] if merged else None
        same_clause = previous is not None and previous.clause_start == frame.clause_start
        near = previous is not None and frame.trigger_start - previous.trigger_end <= MERGE_GAP
        if same_clause and near and not _names_between(sentence, previous.trigger_end, frame.trigger_start):
            previous.region_end = frame.region_end
            if frame.trigger.priority > previous.trigger.priority:
                previous.trigger = frame.trigger
            continue
        merged.append(frame)
    return merged


def _names_between(sentence: TaggedSentence, start: int, end: int) -> bool:
    """Names between two triggers, except one that qualifies the second ("repelled a JFS attack");
    after a comma a name is the second's subject ("following airstrikes, the army advanced")."""
    comma = "," in sentence.words[start:end]
    return any(
        m.kind in ("faction", "place") and start <= m.start < end and (m.end != end or comma)
        for m in sentence.mentions
    )


def _read_roles(
    frame: Frame, sentence: TaggedSentence, resolvers: Resolvers, dates: list, lex: RoleWords
) -> None:
    when = dates[0][1].start if dates else None
    words = sentence.words
    subjects, objects = [], []
    owners: list[str] = []
    for mention in sentence.of("faction"):
        name = resolvers.actor(mention.value, when)
        if not name:
            continue
        if _names_the_side_after(sentence, mention):
            continue
        preposition = _preposition_before(words, mention.start, lex)
        possessive = _possessive(sentence, mention, lex)
        if possessive == "owner":
            owners.append(name)
            continue
        if possessive == "people":
            preposition = ""
        if frame.subject_start <= mention.start < frame.trigger_start:
            subjects.append((mention, name, preposition))
        elif frame.trigger_end <= mention.start < frame.region_end and not (
            resolvers.is_country(mention.text) and preposition not in ("by", "against", "on")
        ):
            if preposition not in lex.governing_prepositions and _subject_of_next(sentence, mention, frame):
                continue
            objects.append((mention, name, preposition))
    frame.pronoun_subject = bool(
        lex.pronoun_subjects.intersection(words[frame.subject_start : frame.trigger_start])
    )
    if _elided_subject(words, frame):
        frame.pronoun_subject, subjects = True, []
    if subjects and _is_anaphoric(words, subjects[-1][0]):
        frame.pronoun_subject = True
        subjects = subjects[:-1]
    _assign(frame, subjects, objects, words, lex)
    _add_owners(frame, owners)
    if not frame.actor2 and _refers_to_a_group(words[frame.trigger_end : frame.region_end], lex):
        earlier = [
            resolvers.actor(m.value, when) for m in sentence.of("faction") if m.start < frame.trigger_start
        ]
        frame.actor2 = next((n for n in reversed(earlier) if n and n != frame.actor1), "")
    _state_gains(frame, resolvers)
    frame.places = [m for m in sentence.of("place") if frame.trigger_end <= m.start < frame.region_end]
    if not frame.places and frame.subject_start == frame.clause_start:
        frame.places = [
            m for m in sentence.of("place") if frame.subject_start <= m.start < frame.trigger_start
        ]
    references = lex.place_nouns if _placeless(frame.trigger) else lex.place_nouns | lex.event_nouns
    frame.anaphoric_place = _names_a_place_before(
        words[frame.subject_start : frame.region_end], references, lex
    ) or _elided_place(words, frame)


def _state_gains(frame: Frame, resolvers: Resolvers) -> None:
    """Ground taken by state forces is the government regaining territory (codebook section 4)."""
    if frame.trigger.role in TERRITORY_ROLES and resolvers.is_state(frame.actor1):
        frame.trigger = replace(frame.trigger, sub_event_type=resolvers.government_capture_sub)


def _elided_place(words: list[str], frame: Frame) -> bool:
    """ "but retook it overnight", "after it was lost to the rebels", "before the army regained
    control days later": ground changing hands with the place left to the sentence before."""
    if frame.trigger.role not in TERRITORY_ROLES:
        return False
    following = words[frame.trigger_end : frame.trigger_end + 1]
    subject = words[frame.trigger_start - 1 : frame.trigger_start]
    regained_control = words[frame.trigger_end - 1] == "control" and following != ["of"]
    return "it" in (*following, *subject) or regained_control


def _elided_subject(words: list[str], frame: Frame) -> bool:
    """ "X attacked A in B, and captured C": the second verb's subject is left out."""
    before = [
        w for w in words[max(0, frame.trigger_start - 3) : frame.trigger_start] if w not in ("then", "also")
    ]
    return frame.subject_start > frame.clause_start and bool(before) and before[-1] in ("and", ",")


def _refers_to_a_group(words: list[str], lex: RoleWords) -> bool:
    """ "launched an attack against the group": a group named earlier in the sentence."""
    return any(a == "the" and b in lex.group_words for a, b in zip(words, words[1:], strict=False))


def _names_the_side_after(sentence: TaggedSentence, mention: Mention) -> bool:
    """ "Islamist rebels of Ahrar al-Sham": the named group is the side, not the generic words."""
    if mention.value.source != "generic" or sentence.words[mention.end : mention.end + 1] != ["of"]:
        return False
    return any(
        m.kind == "faction" and m.start in (mention.end + 1, mention.end + 2) for m in sentence.mentions
    )


def _subject_of_next(sentence: TaggedSentence, mention: Mention, frame: Frame) -> bool:
    """ "following airstrikes, the Syrian Army advanced": a name right before the next
    trigger is that trigger's subject, not this one's target."""
    following = [m.start for m in sentence.of("trigger") if m.start >= mention.end]
    return bool(following) and following[0] - mention.end <= 2 and following[0] >= frame.region_end - 1


def _placeless(trigger: Trigger) -> bool:
    """Deals, changes of allegiance and tolls happen where the text says, not where the fighting was."""
    return trigger.role == "change" or trigger.sub_event_type == "Agreement" or trigger.rule == "total"


def _names_a_place_before(words: list[str], references: set[str], lex: RoleWords) -> bool:
    """ "the town", "the same area", "during their withdrawal", "joined the fighting":
    a place or an event told earlier in the paragraph, so its place."""
    for index, word in enumerate(words[:-1]):
        if word in lex.referring_words:
            following = [w for w in words[index + 1 : index + 3] if w != "same"]
            if references.intersection(following):
                return True
    return False


def _possessive(sentence: TaggedSentence, mention: Mention, lex: RoleWords) -> str:
    """ "X's 13th Division" makes X the owner of the next name; "X's fighters" makes X the side."""
    words = sentence.words
    if mention.end + 1 >= len(words) or words[mention.end] != "'s":
        return ""
    if any(m.kind == "faction" and m.start in (mention.end + 1, mention.end + 2) for m in sentence.mentions):
        return "owner"
    following = [w for w in words[mention.end + 1 : mention.end + 3] if not w.replace(",", "").isdigit()]
    return "people" if following and following[0] in lex.people_words else ""


def _add_owners(frame: Frame, owners: list[str]) -> None:
    for owner in owners:
        if owner in (frame.actor1, frame.actor2) or owner in frame.assoc1 or owner in frame.assoc2:
            continue
        (frame.assoc1 if frame.actor1 else frame.assoc2).append(owner)


def _is_anaphoric(words: list[str], mention: Mention) -> bool:
    """ "the rebels", "the militants" as subject mean the side named before."""
    return mention.value.source == "generic" and mention.start > 0 and words[mention.start - 1] == "the"


def _preposition_before(words: list[str], start: int, lex: RoleWords) -> str:
    """The word that governs a name: "from", "against", "by", "between", "of", "and", ","...
    Articles and adjectives are skipped; "loyal to X", "belonging to X" govern nothing."""
    for index in range(start - 1, max(-1, start - 5), -1):
        if words[index] in lex.name_adjectives:
            continue
        if words[index] == "to" and index > 0 and words[index - 1] in ("loyal", "belonging", "affiliated"):
            return ""
        people = lex.people_words | lex.quantifiers
        if words[index] in ("of", "from") and index > 0 and words[index - 1] in people:
            return ""
        return words[index]
    return ""


def _assign(frame: Frame, subjects: list, objects: list, words: list[str], lex: RoleWords) -> None:
    """Sides from the names around the trigger, read through their prepositions."""
    agents = [name for _, name, p in objects if p in ("by", "from") and frame.trigger.role == "suffer"]
    agents = agents or [name for _, name, p in objects if p == "by"]
    free_subjects = _nearest_chain(
        [(name, p) for _, name, p in subjects if p not in lex.governing_prepositions]
    )
    listed = _after_between(words, frame)  # once: the region can be as long as the sentence
    between = [name for _, name, p in objects if p in ("between", "and", ",") and listed]
    against = [name for _, name, p in objects if p == "against"]
    if frame.trigger.role == "mutual":
        against += [name for _, name, p in objects if p == "with" and not _is_support(words, _.start, lex)]
    if frame.trigger.role == "lose":
        gainers = [name for _, name, p in objects if p == "to"]
        frame.actor1 = gainers[0] if gainers else ""
        frame.actor2 = free_subjects[0] if free_subjects else ""
    elif between and frame.trigger.role == "mutual" and not free_subjects:
        frame.actor1 = between[0]
        frame.assoc1 = between[1:] if against else []
        frame.actor2 = against[0] if against else (between[1] if len(between) > 1 else "")
    elif frame.trigger.role == "suffer" or (agents and _is_passive(words, frame.trigger_start)):
        attackers = (
            agents or [n for _, n, p in objects if p not in lex.governing_prepositions]
            if free_subjects
            else agents
        )
        frame.actor1 = attackers[0] if attackers else ""
        frame.actor2 = free_subjects[0] if free_subjects else _first_object(objects, exclude={"by", "from"})
        frame.assoc2 = [n for n in free_subjects[1:] if n != frame.actor2] or [
            n for _, n, p in objects if p == "against" and n not in (frame.actor1, frame.actor2)
        ]
    elif agents and not free_subjects:
        frame.actor1 = agents[0]
        frame.actor2 = _first_object(objects, exclude={"by"})
    else:
        frame.actor1 = free_subjects[0] if free_subjects else ""
        frame.assoc1 = [n for n in free_subjects[1:] if n != frame.actor1]
        frame.actor2 = _target(frame, objects, lex) or (against[0] if against else "")
    supporters = [name for m, name, _ in objects + subjects if _is_support(words, m.start, lex)]
    frame.assoc1 += [n for n in supporters if n not in (frame.actor1, frame.actor2, *frame.assoc1)]
    if frame.actor2 == frame.actor1:
        frame.actor2 = ""
    frame.assoc2 = frame.assoc2 or _partners(frame, objects)


def _nearest_chain(subjects: list[tuple[str, str]]) -> list[str]:
    """The subject closest to the trigger with the names coordinated before it ("A and B
    attacked"), not a name from an earlier clause ("clashes between A and B, after C attacked")."""
    chain: list[str] = []
    for name, preposition in reversed(subjects):
        chain.insert(0, name)
        if preposition not in ("and", ","):
            break
    return chain


def _partners(frame: Frame, objects: list) -> list[str]:
    """Names listed with the target ("Ajnad al-Sham, Saraya al-Ghuraba and ...") or owning it
    ("the Mountain Hawks Brigade of the Free Idlib Army") stand on its side."""
    names = [name for _, name, _ in objects]
    if not frame.actor2 or frame.actor2 not in names:
        return []
    partners = []
    previous_end = objects[names.index(frame.actor2)][0].end
    for mention, name, preposition in objects[names.index(frame.actor2) + 1 :]:
        listed = preposition in (",", "and", "of") and mention.start - previous_end <= 4
        if not listed or name in (frame.actor1, frame.actor2, *frame.assoc1):
            break
        previous_end = mention.end
        if mention.value.source != "generic":
            partners.append(name)
    return partners


def _is_passive(words: list[str], trigger_start: int) -> bool:
    return any(
        w in ("was", "were", "been", "being", "be", "is", "are")
        for w in words[max(0, trigger_start - 3) : trigger_start]
    )


def _after_between(words: list[str], frame: Frame) -> bool:
    return "between" in words[frame.trigger_end : frame.region_end]


def _is_support(words: list[str], start: int, lex: RoleWords) -> bool:
    return bool(lex.support_words.intersection(words[max(0, start - 4) : start]))


def _first_object(objects: list, exclude: set[str]) -> str:
    return next((name for _, name, p in objects if p not in exclude), "")


def _target(frame: Frame, objects: list, lex: RoleWords) -> str:
    """The side acted upon: "from X" for captures, else the first object not a supporter."""
    if frame.trigger.role == "capture":
        lost = [name for _, name, p in objects if p == "from"]
        if lost:
            return lost[0]
    for _, name, preposition in objects:
        if preposition in ("with", "by") or preposition in lex.support_words:
            continue
        return name
    return ""


# --- events -----------------------------------------------------------------------------


def _events_of(
    document: Document,
    sentence: TaggedSentence,
    frames: list[Frame],
    dates: list,
    carried: tuple[DateRange | None, str],
    state: _State,
    country: str,
    lex: RoleWords,
) -> list[Event]:
    _attach_figures(frames, sentence)
    attribution = _attribution(sentence)
    events = []
    for index, frame in enumerate(frames):
        when, date_text = _date_for(frame, dates, carried, state.article_range)
        places = _event_places(frame, sentence, lex) or _borrowed_place(frames, index, sentence, state, lex)
        for count, place_mention in enumerate(places):
            event = _event(document, sentence, frame, place_mention, country, with_figures=count == 0)
            _set_date(event, when, date_text)
            event.attribution = attribution(frame.trigger_start)
            event.ordinal = len(events)
            events.append(event)
            if place_mention is not None:
                state.last_place = place_mention
    if not dates and state.last_date is None and events and events[0].event_date is not None:
        state.last_date = DateRange(events[0].event_date, events[0].event_date_end, events[0].date_precision)
    return events


def _borrowed_place(
    frames: list[Frame], index: int, sentence: TaggedSentence, state: _State, lex: RoleWords
) -> list:
    """A frame that names no place takes one from an earlier frame of its sentence ("occupied a
    bakery in Atarib, but withdrew"), or from "the town" / "the same area" / "the fighting": the
    place of the section's last event. Changes of allegiance have no place of their own."""
    frame = frames[index]
    if frame.trigger.role not in (*TERRITORY_ROLES, "change"):
        for other in reversed(frames[:index]):
            if other.places:
                return _event_places(other, sentence, lex)[:1]
        earlier = [m for m in sentence.of("place") if m.end <= frame.subject_start]
        if earlier and not _placeless(frame.trigger):
            return earlier[:1]
    if frame.anaphoric_place and state.last_place is not None and state.last_heading == sentence.heading:
        return [state.last_place]
    return [None]


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
        _set_place(event, place.value)
    for figure in frame.figures if with_figures else []:
        _add_figure(event, figure.value)
    return event


def _set_place(event: Event, place: Place) -> None:
    event.location = place.name
    event.admin1 = place.admin1
    event.country = place.country or event.country
    event.latitude, event.longitude = place.latitude, place.longitude
    event.geo_precision = place.precision


def _set_date(event: Event, when: DateRange | None, text: str) -> None:
    if when is None:
        return
    event.event_date, event.event_date_end = when.start, when.end
    event.date_precision, event.date_text = when.precision, text


def _event_places(frame: Frame, sentence: TaggedSentence, lex: RoleWords) -> list[Mention]:
    """One event per place; bounding lists, containers and countries do not split it."""
    places = [m for m in frame.places if not _bounds_area(sentence.words, m.start, lex)]
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
        if mention.value.name not in seen:
            seen.add(mention.value.name)
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


def _attach_figures(frames: list[Frame], sentence: TaggedSentence) -> None:
    """Each figure goes to the frame it stands in, or the nearest one before it."""
    for figure in sentence.of("casualty"):
        if _in_scope(sentence, figure, ("not_event", "not_figure", "attempt")):
            continue
        owner = frames[0]
        for frame in frames:
            if frame.trigger_start <= figure.start or frame.subject_start <= figure.start:
                owner = frame
        owner.figures.append(figure)


def _add_figure(event: Event, figure: Figure) -> None:
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


def _attribution(sentence: TaggedSentence) -> Callable[[int], str]:
    cues = [c for c in sentence.of("cue") if c.value.kind == "attribution"]

    def at(position: int) -> str:
        for cue in cues:
            if cue.value.scope_start <= position < cue.value.scope_end:
                return cue.text
        return ""

    return at


def _name_unknown_perpetrators(frames: list[Frame], unnamed: tuple[str, str]) -> None:
    """ "three fighters died when their vehicle hit an IED": remote violence by nobody named."""
    event_type, actor = unnamed
    for frame in frames:
        if frame.trigger.event_type == event_type and not frame.actor1:
            frame.actor1 = actor


def _consolidate(frames: list[Frame], lex: RoleWords) -> list[Frame]:
    """A later frame of a sentence that names no place of its own and whose actor already
    acts in the sentence only adds detail ("stormed X ... and captured heavy weapons"); when
    it weighs more, it sets the type ("gathered near the town and protested"). A change of
    allegiance is an event of its own all the same ("after absorbing X"), once per actor
    ("disbanded and merged with ... and formed Y")."""
    kept: list[Frame] = []
    for frame in frames:
        acting = {f.actor1 for f in kept if f.actor1}
        changing = {f.actor1 for f in kept if f.trigger.role == "change"}
        separate = frame.trigger.role == "change" and frame.actor1 not in changing
        if kept and not separate and not frame.places and (frame.actor1 in acting or not frame.actor1):
            detailed = next((f for f in reversed(kept) if f.actor1 in ("", frame.actor1)), kept[-1])
            weighs_more = frame.trigger.priority > detailed.trigger.priority
            if weighs_more and frame.trigger.role not in (*TERRITORY_ROLES, "change"):
                detailed.trigger = frame.trigger
            continue
        kept.append(frame)
    return kept


def _is_event(frame: Frame) -> bool:
    """A frame names a side or a place; a capture names where ("captured weapons" is no event)."""
    if frame.trigger.role in TERRITORY_ROLES:
        return bool(frame.places) or frame.anaphoric_place
    return bool(frame.actor1 or frame.actor2 or frame.places or frame.anaphoric_place)


def _inherit_actors(frames: list[Frame], state: _State, sentence: TaggedSentence) -> None:
    """A subject left out ("... and stormed Y") or a pronoun ("they", "the group",
    "the rebels") takes the actor before it: in the sentence, or the paragraph's last event."""
    previous, partners = "", []
    if state.last_events and state.last_block == sentence.block:
        previous, partners = state.last_events[-1].actor1, list(state.last_events[-1].assoc_actor_1)
    for index, frame in enumerate(frames):
        pronoun = index > 0 or frame.pronoun_subject
        if frame.trigger.role == "suffer" and frame.pronoun_subject and not frame.actor2:
            frame.actor2 = previous if previous != frame.actor1 else ""
        elif not frame.actor1 and previous and frame.trigger.role != "suffer" and pronoun:
            frame.actor1 = previous
            frame.assoc1 = frame.assoc1 or [p for p in partners if p != frame.actor2]
            if frame.actor2 == frame.actor1:
                frame.actor2 = ""
        previous, partners = (frame.actor1, frame.assoc1) if frame.actor1 else (previous, partners)


def _add_follow_up(sentence: TaggedSentence, state: _State, lex: RoleWords) -> bool:
    """Figures in a sentence with no trigger of its own belong to the event before it, in
    its paragraph or told again ("in the clashes"); True when there is such an event."""
    figures = [m for m in sentence.of("casualty") if not _is_subset(sentence, m)]
    refers_back = any(_is_back_reference(sentence, m, lex) for m in sentence.of("trigger"))
    if not figures or not state.last_events:
        return False
    event = state.last_events[-1]
    if state.last_block != sentence.block and (not refers_back or sentence.heading != event.section):
        return False  # the evidence never runs across a heading, which is no part of it
    added = False
    for figure in figures:
        if getattr(event, figure.value.kind) is None:
            _add_figure(event, figure.value)
            added = True
    if added:
        _extend_evidence(event, sentence, state.sentences)
    return True


def _is_subset(sentence: TaggedSentence, figure: Mention) -> bool:
    """ "17 of those killed": part of a toll already counted."""
    return "of those" in " ".join(sentence.words[figure.start : figure.end + 3])
