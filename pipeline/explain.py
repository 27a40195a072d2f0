"""Why the pipeline missed a gold event: its sentence, what each tagger found there, a reason.

A user who codes a sample sees which kind of language the rules do not read (no
trigger word, a trigger read as negated or planned, a trigger with no side or place
around it) and writes the next rule for that kind, not for the one sentence. The
source document is read again by the project's own ``Extractor``, and the reason is
given by the events stage's own tests, so that the explanation follows the code it
explains.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate import doc_key, norm, split
from pipeline.events import Resolvers
from pipeline.events.filters import is_back_reference, is_negated
from pipeline.events.frames import clause_breaks, frames_of, is_event, live_triggers
from pipeline.extract import Extractor
from pipeline.files import IngestError
from pipeline.ingest import read_document
from pipeline.inputs import Source, find_inputs
from pipeline.records import Event
from pipeline.tagging import Mention, TaggedSentence

NO_TRIGGER = "no trigger"
NEGATED = 'filtered: negation, plan or hedge ("{}")'
BACK_REFERENCE = 'filtered: refers back to an event told earlier ("{}")'
IN_FIGURE_OR_TITLE = 'filtered: part of a casualty figure or of the article\'s name ("{}")'
NO_SIDE_OR_PLACE = "no side and no place"
MERGED = "merged into the previous event"
NOT_IN_NOTES = "an event was made, but its notes do not hold the evidence"
NO_FILE = "no file of this doc_id in the documents folder"
NOT_IN_TEXT = "the evidence is not in the text the pipeline reads (ingest left it out)"
UNREADABLE = "the document cannot be read ({})"

FOUND_KINDS = {
    "triggers": "trigger",
    "factions": "faction",
    "places": "place",
    "dates": "date",
    "figures": "casualty",
    "cues": "cue",
}


@dataclass(frozen=True)
class Explanation:
    """One missed gold event: the sentence(s) its evidence is in, what each tagger found
    there (``FOUND_KINDS``, each as "text → meaning"), and why no event was made. The
    evidence is the coder's, as the scorer reads it: a sentence often tells several events."""

    gold_id: str
    evidence: str
    sentence: str
    found: dict[str, list[str]]
    reason: str

    def text(self) -> str:
        lines = [f"{self.gold_id}: {self.reason}", f"  evidence: {self.evidence}"]
        lines.append(f"  sentence: {self.sentence or '-'}")
        lines += [f"  {kind}: {'; '.join(items) or '-'}" for kind, items in self.found.items()]
        return "\n".join(lines)


def explain_misses(missed: list[dict], docs: Path, extractor: Extractor) -> list[Explanation]:
    """An explanation of each missed gold row, read from the file of its doc_id in ``docs``.
    Documents are taken one at a time: the extractor's resolvers read the countries of the
    document tagged last."""
    sources = {doc_key(source.doc_id): source for source in find_inputs([docs])}
    by_document: dict[str, list[dict]] = {}
    for row in missed:
        by_document.setdefault(doc_key(row["doc_id"]), []).append(row)
    explanations: list[Explanation] = []
    for key, rows in by_document.items():
        explanations += _explain_document(rows, sources.get(key), extractor)
    return explanations


def report(explanations: list[Explanation]) -> str:
    """Every explanation, then how many misses each kind of reason explains."""
    kinds = Counter(e.reason.split(" (")[0] for e in explanations)
    tally = [f"  {count:4d}  {kind}" for kind, count in kinds.most_common()]
    blocks = [e.text() for e in explanations]
    return "\n\n".join([*blocks, "\n".join([f"{len(explanations)} missed events:", *tally])])


def _explain_document(rows: list[dict], source: Source | None, extractor: Extractor) -> list[Explanation]:
    if source is None:
        return [Explanation(row["gold_id"], row["evidence"], "", {}, NO_FILE) for row in rows]
    try:
        document = read_document(source.path, source.root, extractor.rules, source.doc_id)
    except (IngestError, OSError) as err:
        return [Explanation(row["gold_id"], row["evidence"], "", {}, UNREADABLE.format(err)) for row in rows]
    sentences = extractor.tag(document)
    events = extractor.events_of(document, sentences).events
    title = document.metadata.title
    return [_explain(row, sentences, events, title, extractor.resolvers) for row in rows]


def _explain(
    row: dict, sentences: list[TaggedSentence], events: list[Event], title: str, resolvers: Resolvers
) -> Explanation:
    spanned, evidence = _locate(sentences, [norm(text) for text in split(row["evidence"], "|")])
    if not spanned:
        return Explanation(row["gold_id"], row["evidence"], "", {}, NOT_IN_TEXT)
    return Explanation(
        row["gold_id"],
        row["evidence"],
        " ".join(sentence.text for sentence in spanned),
        _found(spanned, resolvers),
        _reason(spanned, evidence, events, title, resolvers),
    )


def _locate(sentences: list[TaggedSentence], evidences: list[str]) -> tuple[list[TaggedSentence], str]:
    """The first evidence alternative found in the text, and the sentences it runs over:
    one, or several when the coder's evidence crosses a sentence end. Sentences are
    normalised as the scorer normalises notes, and joined by a space."""
    kept = [(sentence, norm(sentence.text)) for sentence in sentences]
    kept = [(sentence, text) for sentence, text in kept if text]
    starts, length = [], 0
    for _, text in kept:
        starts.append(length)
        length += len(text) + 1
    joined = " ".join(text for _, text in kept)
    for evidence in evidences:
        at = joined.find(evidence) if evidence else -1
        if at >= 0:
            first, last = bisect_right(starts, at), bisect_right(starts, at + len(evidence) - 1)
            return [sentence for sentence, _ in kept[first - 1 : last]], evidence
    return [], ""


def _found(sentences: list[TaggedSentence], resolvers: Resolvers) -> dict[str, list[str]]:
    mentions = [mention for sentence in sentences for mention in sentence.mentions]
    return {
        label: [_describe(m, resolvers) for m in mentions if m.kind == kind]
        for label, kind in FOUND_KINDS.items()
    }


def _describe(mention: Mention, resolvers: Resolvers) -> str:
    """ "text → what the tagger read": the sub-event type of a trigger, the canonical name
    of a faction, the gazetteer's name of a place, the kind of a figure or cue."""
    value = mention.value
    match mention.kind:
        case "trigger":
            meaning = value.sub_event_type
        case "faction":
            meaning = resolvers.actor(value, None) or "(no name)"
        case "place":
            meaning = value.name
        case "casualty" | "cue":
            meaning = value.kind
        case _:
            return mention.text
    return f"{mention.text} → {meaning}"


def _reason(
    sentences: list[TaggedSentence], evidence: str, events: list[Event], title: str, resolvers: Resolvers
) -> str:
    """The first step of the events stage the evidence did not pass. Only the triggers inside
    the evidence count: the trigger of another event of the sentence says nothing of this
    one. Frames are read with no dates: a date picks which name a faction had then, never
    whether it is named. A merge is an event told before that took the sentence in, or an
    event of the sentence that holds the evidence but went to another gold event of it
    (one row where the coder made two)."""
    triggers = _evidence_triggers(sentences, evidence, lambda sentence: sentence.of("trigger"))
    if not triggers:
        return NO_TRIGGER
    live = _evidence_triggers(
        sentences,
        evidence,
        lambda s: live_triggers(s, resolvers, resolvers.lex, clause_breaks(s, resolvers.lex)),
    )
    frames = [
        frame
        for sentence in sentences
        for frame in frames_of(sentence, resolvers, [], title, resolvers.lex)
        if any(s is sentence and frame.trigger_start <= m.start < frame.region_end for s, m in live)
    ]
    if not frames:
        return _filtered(triggers, resolvers)
    start, end = sentences[0].char_start, sentences[-1].char_end
    if any(event.char_start < start < event.char_end for event in events):
        return MERGED
    made = [event for event in events if start <= event.char_start < end]
    if made:
        return MERGED if any(evidence in norm(event.notes) for event in made) else NOT_IN_NOTES
    return MERGED if any(is_event(frame) for frame in frames) else NO_SIDE_OR_PLACE


def _evidence_triggers(
    sentences: list[TaggedSentence], evidence: str, triggers: Callable[[TaggedSentence], list[Mention]]
) -> list[tuple[TaggedSentence, Mention]]:
    """The ``triggers`` of each sentence whose words are words of the evidence. A frame holds
    the triggers from its own to the end of its region ("an offensive launched by X drove")."""
    return [
        (sentence, mention)
        for sentence in sentences
        for mention in triggers(sentence)
        if _in_evidence(sentence, mention.start, mention.end, evidence)
    ]


def _in_evidence(sentence: TaggedSentence, start: int, end: int, evidence: str) -> bool:
    """Whether the words ``start:end`` of ``sentence`` are words of the evidence."""
    said = norm(" ".join(sentence.words[start:end]))
    return bool(said) and f" {said} " in f" {evidence} "


def _filtered(triggers: list[tuple[TaggedSentence, Mention]], resolvers: Resolvers) -> str:
    """Why no trigger opened a frame: a negation, plan or hedge cue before it, else a
    reference back to an event already told, else a trigger inside a figure ("4 captured
    fighters") or the article's own name ("the Idlib clashes were")."""
    for sentence, trigger in triggers:
        if is_negated(sentence, trigger):
            return NEGATED.format(_negating_cue(sentence, trigger).text)
    for sentence, trigger in triggers:
        if is_back_reference(sentence, trigger, resolvers.lex):
            return BACK_REFERENCE.format(trigger.text)
    return IN_FIGURE_OR_TITLE.format(triggers[0][1].text)


def _negating_cue(sentence: TaggedSentence, trigger: Mention) -> Mention:
    """The not_event cue that ``is_negated`` found before ``trigger``, in whose scope it is."""
    return next(
        cue
        for cue in sentence.of("cue")
        if cue.value.kind == "not_event"
        and cue.end <= trigger.start
        and cue.value.scope_start <= trigger.start < cue.value.scope_end
    )
