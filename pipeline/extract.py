"""One document through every stage: ingest -> tagging -> events.

``Extractor`` owns the built spaCy pipeline and the gazetteers; ``extract``
turns one file into a ``DocumentResult`` and never raises for a bad file:
the cause goes into the result's status.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from pipeline.events import Resolvers, RoleWords, extract_events
from pipeline.files import DEFAULT_MAX_BYTES, IngestError, doc_id_for, unreadable
from pipeline.frame import (
    ArticleFrame,
    FrameKnowledge,
    build_frame,
    names_no_town,
    title_place,
    with_lead_sides,
)
from pipeline.guard import DocumentTimeout, error_trace, internal_error, time_limit
from pipeline.ingest import read_document
from pipeline.ingest_rules import IngestRules
from pipeline.lead import lead_sides
from pipeline.nlp import annotate, load_nlp, set_norms
from pipeline.records import DateRange, Document, DocumentResult
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.sides import NameLexicon
from pipeline.taggers.dates import article_range, range_from_text
from pipeline.taggers.faction_gazetteer import FactionRef
from pipeline.taggers.place_gazetteer import Place
from pipeline.tagging import TaggedSentence, tag_blocks
from pipeline.tokenizer import make_doc

LEAD_SENTENCES = 3  # the lead sentence, after a title line or two that a text dump keeps


class Extractor:
    """Builds the pipeline once and extracts documents with it."""

    def __init__(self, models_dir: Path | str = DEFAULT_MODELS_DIR, timings: Counter | None = None) -> None:
        self.models_dir = Path(models_dir)
        self.timings = timings  # seconds per stage, when the benchmark asks
        self.nlp = load_nlp(self.models_dir)
        self.factions = self.nlp.get_pipe("conflict_factions").gazetteer
        self.places = self.nlp.get_pipe("conflict_places").gazetteer
        lexicon = NameLexicon.from_models(self.models_dir, self.factions)
        self.rules = IngestRules.from_models(self.models_dir, lexicon)
        self.knowledge = FrameKnowledge(self.rules.frame, lexicon, self.places)
        triggers = self.nlp.get_pipe("conflict_triggers")
        self.resolvers = Resolvers(
            self._actor,
            self.factions.is_state,
            self.places.is_country_name,
            self.factions.generic_names(),
            triggers.government_capture_sub,
            triggers.captive,
            triggers.unnamed_perpetrator,
            triggers.toll,
            RoleWords.from_models(self.models_dir),
            self._country_forces,
            self.factions.non_combatants(),
        )
        self._countries: list[str] = []
        self.frame = ArticleFrame()  # of the document tagged last
        self._metadata_range: DateRange | None = None

    def _actor(self, ref: FactionRef, when) -> str:
        """A name as the gazetteer resolves it; a generic one through the article's frame
        (codebook section 7): "the army" is the state forces its sides list, "the rebels"
        the principal group listed against them, else the country's generic side, else an
        unidentified armed group when the frame lists no armed group at all."""
        if ref.source == "state" and self.frame.state_forces():
            return self.frame.state_forces()
        if ref.source == "generic" and self.factions.names_a_side(ref.canonical):
            principal = self.frame.principal_non_state()
            if principal:
                return principal
            if self.frame.names_non_state() and self.factions.only_unnamed_side(
                ref.canonical, self._countries
            ):
                return ""  # one of the groups the frame lists: the sentence's context tells which
        return self.factions.resolve(ref, when, self._countries)

    def extract(
        self,
        path: Path,
        root: Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        doc_id: str | None = None,
        timeout: float | None = None,
        raw: bytes | None = None,
    ) -> DocumentResult:
        """One file to events. Never raises: a file that cannot be read, one that takes
        longer than ``timeout`` seconds, and any error inside a stage become its status
        (with the traceback in ``trace``). ``raw``, when given, are the file's bytes, read
        elsewhere: ``path`` and ``root`` then only name the document."""
        try:
            with time_limit(timeout):
                return self._extract(path, root, max_bytes, doc_id, raw)
        except (IngestError, OSError) as err:
            return failed(path, root, doc_id, _cause(err))
        except DocumentTimeout:
            return failed(path, root, doc_id, f"time limit exceeded ({timeout:g} s; see --doc-timeout)")
        except Exception as err:
            result = failed(path, root, doc_id, internal_error(err))
            result.trace = error_trace(result.doc_id, err)
            return result

    def _extract(
        self, path: Path, root: Path, max_bytes: int, doc_id: str | None, raw: bytes | None
    ) -> DocumentResult:
        started = time.perf_counter()
        document = read_document(path, root, self.rules, doc_id, max_bytes, raw)
        self._took("ingest", started)
        return self.extract_document(document)

    def extract_document(self, document: Document) -> DocumentResult:
        return self.events_of(document, self.tag(document))

    def tag(self, document: Document) -> list[TaggedSentence]:
        """The document's sentences with what each tagger found in them. It also sets the
        article's countries, which the resolvers read, and its frame (``self.frame``): tag a
        document before reading its sentences' roles or events (``events_of``)."""
        meta = document.metadata
        started = time.perf_counter()
        countries = self.places.countries_in(
            [meta.place] * 3 + [meta.title] * 2,
            [b.text for b in document.blocks],
            title_place(meta.title, self.rules.frame),
        )
        self._countries = countries
        self._metadata_range = range_from_text(self.nlp, meta.date_text)
        span = article_range(self._metadata_range, meta.title)
        self.frame = build_frame(document, self.knowledge, countries, span)
        context = {"countries": countries, "faction_norms": self._metadata_names(meta.belligerents)}
        self._took("context", started)
        return tag_blocks(self.nlp, document.blocks, context, self.timings)

    def events_of(self, document: Document, sentences: list[TaggedSentence]) -> DocumentResult:
        """The events of ``sentences``, which ``tag(document)`` gave last."""
        meta = document.metadata
        started = time.perf_counter()
        if len(self.frame.sides) < 2:
            self.frame = self._lead_frame(sentences)
        metadata_range, span = self._metadata_range, self.frame.date_range
        countries = self._countries
        country = self.places.countries.get(countries[0], "") if countries else ""
        events = extract_events(
            document,
            sentences,
            self.resolvers,
            span,
            country,
            self._title_sides(meta.title),
            self.frame,
            self._main_place(country),
        )
        self._took("events", started)
        return DocumentResult(
            doc=document,
            path=document.path,
            doc_id=document.doc_id,
            sha256=document.sha256,
            events=events,
            date_range=metadata_range,
            belligerents=self._canonical_belligerents(meta.belligerents),
            frame=self.frame,
        )

    def _country_forces(self, country: str) -> str:
        """A country as the subject of an act ("Mozambique regained control"): its forces."""
        return self.factions.state_by_country.get(self.places.country_code(country), "")

    def _lead_frame(self, sentences: list[TaggedSentence]) -> ArticleFrame:
        """The frame with the sides its lead names, when the infobox gave fewer than two."""
        for sentence in sentences[:LEAD_SENTENCES]:
            names = [
                (m.start, m.end, self._actor(m.value, None))
                for m in sentence.of("faction")
                if m.value.source != "generic"
            ]
            sides = lead_sides(sentence.words, [n for n in names if n[2]], self.rules.frame)
            if sides:
                return with_lead_sides(self.frame, sides, self.knowledge, self._countries)
        return self.frame

    def _main_place(self, country: str) -> Place | None:
        """The town the article is about (its frame's place), when that is no province or country."""
        name = self.frame.place
        if not name or names_no_town(name, self.knowledge):
            return None
        return self.places.town(name, self._countries, fuzzy=True) or Place(
            name, kind="text", country=country
        )

    def _took(self, stage: str, started: float) -> None:
        if self.timings is not None:
            self.timings[stage] += time.perf_counter() - started

    def _title_sides(self, title: str) -> tuple[str, ...]:
        """The sides a title names ("National Front for Liberation–Tahrir al-Sham conflict")."""
        context = {"countries": self._countries, "faction_norms": []}
        doc = annotate(self.nlp, title, context, last="conflict_factions")
        sides = [
            self.factions.resolve(span._.faction, None, self._countries) for span in doc.spans["factions"]
        ]
        return tuple(dict.fromkeys(side for side in sides if side))

    def _metadata_names(self, names: list[str]) -> list[tuple[str, ...]]:
        """Token norms of metadata names the gazetteer does not know."""
        found = []
        for name in names:
            if self.factions.folder.key(name) in self.factions.senses or not _looks_like_name(name):
                continue
            doc = make_doc(self.nlp, name)
            set_norms(doc, self.factions.folder)
            found.append(tuple(t.norm_ for t in doc))
        return found

    def _canonical_belligerents(self, names: list[str]) -> list[str]:
        canonical: list[str] = []
        for name in names:
            key = self.factions.folder.key(name)
            resolved = self.factions.resolve(FactionRef(name, key, "gazetteer"), None, self._countries)
            if (key in self.factions.senses or _looks_like_name(name)) and resolved not in canonical:
                canonical.append(resolved)
        return canonical


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 8 and words[0][:1].isupper() and len(name) >= 4


def _cause(err: Exception) -> str:
    return unreadable(err) if isinstance(err, OSError) else str(err)


def failed(path: Path, root: Path, doc_id: str | None, cause: str, sha256: str = "") -> DocumentResult:
    """The result of a document that gave no events, with ``error: <cause>`` as status."""
    own_id, relative = doc_id_for(path, root)
    return DocumentResult(
        doc=None, path=relative, doc_id=doc_id or own_id, sha256=sha256, status=f"error: {cause}"
    )
