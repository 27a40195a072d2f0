"""Which triggers are live: a trigger opens a frame unless it is negated, planned or
hedged (in the scope of a cue), a back reference to an event told earlier ("in the
clashes", "its attacks"), a captured person inside a figure, people lost rather than
ground, or a light verb with no place as its object; and which figures are part of a toll
already counted ("17 of those killed").
"""

from __future__ import annotations

from pipeline.events.model import RoleWords
from pipeline.tagging import Mention, TaggedSentence


def is_live(sentence: TaggedSentence, trigger: Mention, lex: RoleWords, breaks: list[int]) -> bool:
    """Not negated, not hypothetical, not a back reference, not a captured person."""
    inside_figure = any(m.start < trigger.start < m.end for m in sentence.of("casualty"))
    return not (
        inside_figure
        or is_negated(sentence, trigger)
        or is_back_reference(sentence, trigger, lex)
        or is_captive(sentence, trigger)
        or _loses_people(sentence, trigger)
        or (
            in_scope(sentence, trigger, ("attempt",), breaks)
            and trigger.value.event_type not in lex.fighting_types
        )
        or not _has_object(sentence, trigger, lex)
    )


def in_scope(
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


def is_negated(sentence: TaggedSentence, trigger: Mention) -> bool:
    return in_scope(sentence, trigger, ("not_event",))


def is_back_reference(sentence: TaggedSentence, trigger: Mention, lex: RoleWords) -> bool:
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


def _has_object(sentence: TaggedSentence, trigger: Mention, lex: RoleWords) -> bool:
    """A light verb ("took", "held") is a trigger only with a place as its object
    ("took the al-Harsh checkpoint", "held the town", not "took part")."""
    reach = trigger.value.place_object
    if not reach:
        return True
    following = sentence.words[trigger.end : trigger.end + reach + 1]
    named = any(trigger.end <= m.start <= trigger.end + reach for m in sentence.of("place"))
    return named or bool(lex.place_nouns.intersection(following))


def is_captive(sentence: TaggedSentence, trigger: Mention) -> bool:
    figures = [m for m in sentence.of("casualty") if m.start <= trigger.start < m.end]
    return bool(figures) and trigger.value.role == "capture" and figures[0].value.kind == "captured"


def _loses_people(sentence: TaggedSentence, trigger: Mention) -> bool:
    """ "had lost over 35 fighters": a toll, not ground lost."""
    return trigger.value.role == "lose" and any(
        trigger.start <= m.start <= trigger.end + 2 for m in sentence.of("casualty")
    )


def is_subset(sentence: TaggedSentence, figure: Mention) -> bool:
    """ "17 of those killed": part of a toll already counted."""
    return "of those" in " ".join(sentence.words[figure.start : figure.end + 3])
