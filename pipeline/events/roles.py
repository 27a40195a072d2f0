"""Who did it to whom: a frame's sides from the names around its trigger (subject before
it, objects after it, read through the prepositions "from", "against", "by", "between",
"with support from"), possessives and owners, passives; a side left out or a pronoun
takes the actor before it; state forces taking ground regain it; remote violence with no
side named is by an unnamed perpetrator.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.groups import civilian_site, listed_after, unit_of
from pipeline.events.model import TERRITORY_ROLES, Frame, Resolvers, RoleWords, State
from pipeline.tagging import Mention, TaggedSentence

LED_BY = "led by"  # a name after "led by", "headed by": the leader, a side of the act


def read_roles(
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
        if mention.end == frame.trigger_start and preposition not in ("and", ","):
            preposition = ""  # "by US airstrikes", "of Houthi shelling": the name is its actor
        possessive = _possessive(sentence, mention, lex)
        if possessive == "owner":
            owners.append(name)
            continue
        if possessive == "people":
            preposition = ""
        if frame.subject_start <= mention.start < frame.trigger_start:
            if preposition == "of" and subjects and unit_of(words, subjects[-1][0], mention):
                owners.append(subjects.pop()[1])  # "the 15th Brigade of the Syrian Army": the army acts
                preposition = ""
            subjects.append((mention, name, "" if preposition == LED_BY else preposition))
        elif frame.trigger_end <= mention.start < frame.region_end and not (
            resolvers.is_country(mention.text) and preposition not in ("by", "against", "on")
        ):
            if preposition not in lex.governing_prepositions and _subject_of_next(sentence, mention, frame):
                continue
            objects.append((mention, name, "by" if preposition == LED_BY else preposition))
    subjects += _country_subject(frame, sentence, resolvers)
    frame.pronoun_subject = bool(
        lex.pronoun_subjects.intersection(words[frame.subject_start : frame.trigger_start])
    )
    if _elided_subject(words, frame):
        frame.pronoun_subject, subjects = True, []
    if subjects and _is_anaphoric(words, subjects[-1][0]):
        frame.pronoun_subject = True
        subjects = subjects[:-1]
    _assign(frame, subjects, objects, words, lex)
    civilian_site(frame, objects, words, lex)
    _add_owners(frame, owners)
    if not frame.actor2 and _refers_to_a_group(words[frame.trigger_end : frame.region_end], lex):
        earlier = [
            resolvers.actor(m.value, when) for m in sentence.of("faction") if m.start < frame.trigger_start
        ]
        frame.actor2 = next((n for n in reversed(earlier) if n and n != frame.actor1), "")
    state_gains(frame, resolvers)


def state_gains(frame: Frame, resolvers: Resolvers) -> None:
    """Ground taken by state forces is the government regaining territory (codebook section 4)."""
    if frame.trigger.role in TERRITORY_ROLES and resolvers.is_state(frame.actor1):
        frame.trigger = replace(frame.trigger, sub_event_type=resolvers.government_capture_sub)


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


def _country_subject(frame: Frame, sentence: TaggedSentence, resolvers: Resolvers) -> list:
    """ "Mozambique regained control", "Turkey then launched strikes": a country just before
    the trigger, as its subject, is its state's forces."""
    words, lex = sentence.words, resolvers.lex
    for mention in reversed(sentence.of("place")):
        if not frame.subject_start <= mention.start < frame.trigger_start or mention.value.kind != "country":
            continue
        between = words[mention.end : frame.trigger_start]
        governed = _preposition_before(words, mention.start, lex) not in ("", ",", "and", *lex.subordinators)
        if governed or not set(between) <= lex.subject_adverbs:  # "in Mozambique", not "before Mozambique"
            return []
        name = resolvers.country_forces(mention.value.country)
        return [(mention, name, "")] if name else []
    return []


def _is_anaphoric(words: list[str], mention: Mention) -> bool:
    """ "the rebels", "the militants" as subject mean the side named before."""
    generic = getattr(mention.value, "source", "") == "generic"  # a country subject is a Place
    return generic and mention.start > 0 and words[mention.start - 1] == "the"


def _preposition_before(words: list[str], start: int, lex: RoleWords) -> str:
    """The word that governs a name: "from", "against", "by", "between", "of", "and", ","...
    Articles and adjectives are skipped; "loyal to X", "belonging to X", "led by X" govern
    nothing."""
    for index in range(start - 1, max(-1, start - 5), -1):
        if words[index] in lex.name_adjectives:
            continue
        if words[index] == "to" and index > 0 and words[index - 1] in ("loyal", "belonging", "affiliated"):
            return ""
        if words[index] == "by" and index > 0 and words[index - 1] in lex.leader_words:
            return LED_BY  # "rebel forces led by Tahrir al-Sham": the leader acts
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
    elif frame.trigger.role == "suffer" or (agents and _is_passive(words, frame.trigger_start, lex)):
        attackers = (
            agents or [n for _, n, p in objects if p not in lex.governing_prepositions]
            if free_subjects
            else agents
        )
        frame.actor1 = attackers[0] if attackers else ""
        # "troops were encircled by A and B": B stands with A (with no subject, "mobilizations by
        # A and B" may set them against each other)
        frame.assoc1 = listed_after(objects, frame.actor1) if agents and free_subjects else []
        others = [(m, n, p) for m, n, p in objects if n not in frame.assoc1]
        frame.actor2 = free_subjects[0] if free_subjects else _first_object(others, exclude={"by", "from"})
        frame.assoc2 = [n for n in free_subjects[1:] if n != frame.actor2] or [
            n for _, n, p in objects if p == "against" and n not in (frame.actor1, frame.actor2)
        ]
    elif agents and not free_subjects:
        frame.actor1 = agents[0]
        frame.assoc1 = listed_after(objects, agents[0])
        others = [(m, n, p) for m, n, p in objects if n not in frame.assoc1]
        frame.actor2 = against[0] if against else _first_object(others, exclude={"by"})
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


def _is_passive(words: list[str], trigger_start: int, lex: RoleWords) -> bool:
    return not lex.passive_auxiliaries.isdisjoint(words[max(0, trigger_start - 3) : trigger_start])


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


def inherit_actors(frames: list[Frame], state: State, sentence: TaggedSentence) -> None:
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


def name_unknown_perpetrators(frames: list[Frame], unnamed: tuple[str, str]) -> None:
    """ "three fighters died when their vehicle hit an IED": remote violence by nobody named."""
    event_type, actor = unnamed
    for frame in frames:
        if frame.trigger.event_type == event_type and not frame.actor1:
            frame.actor1 = actor
