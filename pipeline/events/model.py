"""What the events stage's modules share: the word lists of ``models/roles.yaml``
(``RoleWords``), what the stage needs from the gazetteers (``Resolvers``), a frame (a
trigger with the sides, places and figures read around it) and a document's state as its
sentences are read (``State``, ``Sentences``). Plain records, so that every module can
import them and none imports another's logic to get them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from pipeline.lexicon import noun_forms
from pipeline.normalize import strip_citations
from pipeline.records import Block, DateRange, Event
from pipeline.resources import check_keys, load_yaml, section
from pipeline.taggers.dates import Chronology
from pipeline.taggers.faction_gazetteer import FactionRef
from pipeline.taggers.place_gazetteer import Place
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
    subject_adverbs: frozenset[str]
    leader_words: frozenset[str]
    passive_auxiliaries: frozenset[str]
    civilian_sites: frozenset[str]
    site_strike_types: frozenset[str]
    military_site_words: frozenset[str]
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
    settlement_nouns: frozenset[str]
    harm_types: frozenset[str]
    attack_types: frozenset[str]
    military_targets: frozenset[str]
    victims_by_type: dict[str, str]
    one_sided_victims: str

    @classmethod
    def from_models(cls, models_dir: Path | str) -> RoleWords:
        """The lists of nouns are written as lemmas ("fighter") and read with their plurals."""
        where = f"{models_dir}/roles.yaml"
        data = load_yaml(models_dir, "roles.yaml")
        keys = {f.name for f in fields(cls)}
        check_keys(data, keys, keys, where)
        lists = {key: _word_set(data[key], key in NOUN_LISTS) for key in keys - MAPPINGS - NAMES}
        mappings = {key: _mapping(section(data, key, where, dict)) for key in MAPPINGS}
        names = {key: str(data[key]) for key in NAMES}
        return cls(**lists, **mappings, **names)


TERRITORY_ROLES = ("capture", "lose")  # ground changes hands: an event only where it names a place
NOUN_LISTS = {
    "bounding_nouns",
    "civilian_sites",
    "event_nouns",
    "group_words",
    "people_words",
    "place_nouns",
    "settlement_nouns",
}
MAPPINGS = {"victims_by_type"}
NAMES = {"one_sided_victims"}


def _mapping(data: dict) -> dict[str, str]:
    return {str(key): str(value) for key, value in data.items()}


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
    country_forces: Callable[[str], str] = lambda country: ""  # "Mozambique" -> its armed forces
    non_combatants: frozenset[str] = frozenset()  # the UN, aid agencies: no side of a war


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
class State:
    chronology: Chronology
    article_range: DateRange | None
    last_date: DateRange | None = None
    last_date_text: str = ""
    last_heading: str | None = None
    last_events: list[Event] = field(default_factory=list)
    last_block: int = -1
    last_place: Mention | None = None
    main_place: Place | None = None  # the town the article is about (its frame's place)
    generic: set[str] = field(default_factory=set)
    sentences: Sentences = field(default_factory=lambda: Sentences([]))
    casualty_texts: dict[int, tuple[set[str], int]] = field(default_factory=dict)  # _add_casualty_texts


class Sentences:
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
