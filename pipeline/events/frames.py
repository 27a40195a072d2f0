"""Triggers to frames: a sentence is cut into clauses, each live trigger (or, in a
sentence with none, its toll of people killed or wounded) opens a frame over its clause,
adjacent triggers with no name between them make one frame, and a later frame that only
adds detail is folded into the one before it. A frame is an event when it names a side
or a place.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.filters import in_scope, is_back_reference, is_captive, is_live, is_negated, is_subset
from pipeline.events.model import TERRITORY_ROLES, Frame, Resolvers, RoleWords
from pipeline.events.places import read_places
from pipeline.events.roles import read_roles
from pipeline.tagging import Mention, TaggedSentence

ATTEMPTED_SUB = "Armed clash"
MERGE_GAP = 3  # words between two triggers that still make one frame: "shelled and then stormed"
TOLL_CUES = ("not_event", "not_figure", "attempt")


def frames_of(
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
    breaks = clause_breaks(sentence, lex)
    live = _toll_triggers(sentence, resolvers) if toll else live_triggers(sentence, resolvers, lex, breaks)
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
        read_roles(frame, sentence, resolvers, dates, lex)
        read_places(frame, sentence, lex)
    _share_targets(frames)
    return frames


def clause_breaks(sentence: TaggedSentence, lex: RoleWords) -> list[int]:
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


def live_triggers(
    sentence: TaggedSentence, resolvers: Resolvers, lex: RoleWords, breaks: list[int]
) -> list[Mention]:
    """Triggers that open a frame. A capture of persons opens an arrest frame only
    when nothing else happens in the sentence ("captured a member" alone)."""
    live = [
        _as_attempted(sentence, m, breaks)
        for m in sentence.of("trigger")
        if is_live(sentence, m, lex, breaks)
    ]
    if live:
        return live
    totals = _cumulative_total(sentence, lex)
    if totals:
        return totals
    captives = [m for m in sentence.of("trigger") if is_captive(sentence, m) and not is_negated(sentence, m)]
    return [Mention(m.kind, m.start, m.end, m.text, resolvers.captive) for m in captives[:1]]


def _toll_triggers(sentence: TaggedSentence, resolvers: Resolvers) -> list[Mention]:
    """ "At least 20 soldiers and four civilians were killed in Idlib": people killed or
    wounded, in a sentence with no trigger of its own that names a place or a side (not
    just "civilians"), are an event of who was hit."""
    figures = [
        m
        for m in sentence.of("casualty")
        if m.value.kind != "captured" and not is_subset(sentence, m) and not in_scope(sentence, m, TOLL_CUES)
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
    if trigger.value.role not in TERRITORY_ROLES or not in_scope(sentence, trigger, ("attempt",), breaks):
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
        if is_back_reference(sentence, m, lex) and not is_negated(sentence, m)
    ]
    return [Mention(m.kind, m.start, m.end, m.text, replace(m.value, rule="total")) for m in told[:1]]


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


def consolidate(frames: list[Frame], lex: RoleWords) -> list[Frame]:
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


def is_event(frame: Frame) -> bool:
    """A frame names a side or a place; a capture names where ("captured weapons" is no event)."""
    if frame.trigger.role in TERRITORY_ROLES:
        return bool(frame.places) or frame.anaphoric_place
    return bool(frame.actor1 or frame.actor2 or frame.places or frame.anaphoric_place)
