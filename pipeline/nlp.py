"""The spaCy pipeline: a blank English tokenizer plus our rule components.

``build_nlp`` is the one place that assembles it. Every component is a
registered factory (prefix ``conflict_``) whose only setting is the models
directory, so ``nlp.to_disk`` / ``spacy.load`` round-trips the pipeline.
Extensions hold plain values (strings, numbers, small frozen dataclasses).
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy
import spacy
from spacy.attrs import IDX, NORM, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_prefix_regex, compile_suffix_regex

from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR, load_yaml, section

T = TypeVar("T")
CITATION = r"\[(?:\d+|[a-z]|\*+|citation needed|note \d+)\]"
SUFFIX_REACH = 100  # characters: far more than any suffix a rule strips ("[citation needed]" is 17)
MAX_WORD = 1000  # characters tokenized as one stretch; the longest word of the corpora has 32
KEPT_PIPELINES = 4  # pipeline pickles kept in the cache folder (two checkouts of two versions)
MAX_SENTENCE = 500  # tokens; the longest sentence of the corpora has 140
COMPONENTS = (
    "conflict_sentences",
    "conflict_norms",
    "conflict_factions",
    "conflict_places",
    "conflict_dates",
    "conflict_casualties",
    "conflict_triggers",
    "conflict_cues",
)


SPAN_VALUES = ("faction", "place", "date", "casualty", "trigger", "cue")


def register_extensions() -> None:
    """Custom attributes our components fill; safe to call more than once. A span's value
    (``span._.place``) lives in a per-Doc table keyed by its token bounds, which the taggers
    fill without making an ``Underscore`` object per span (``keep_tagged``)."""
    if not Doc.has_extension("context"):
        Doc.set_extension("context", default=None)
    for name in SPAN_VALUES:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=partial(_span_value, name), setter=partial(_set_span_value, name))


def _span_value(kind: str, span: Span) -> object:
    return span.doc.user_data.get(("values", kind), {}).get((span.start, span.end))


def _set_span_value(kind: str, span: Span, value: object) -> None:
    span.doc.user_data.setdefault(("values", kind), {})[(span.start, span.end)] = value


def customise_tokenizer(nlp: Language, models_dir: Path | str) -> None:
    """Abbreviations stay one token; citation marks and digit ranges split off, and so does a
    small word a lost link space glued to the name after it ("theSyrian Armed Forces")."""
    data = load_yaml(models_dir, "abbreviations.yaml")
    for abbreviation in section(data, "abbreviations", f"{models_dir}/abbreviations.yaml"):
        nlp.tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    prefixes = [CITATION, *nlp.Defaults.prefixes]
    suffixes = [CITATION, *nlp.Defaults.suffixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = TailSearch(compile_suffix_regex(suffixes), SUFFIX_REACH).search
    dashes = [r"(?<=[0-9])[–—](?=[0-9])", r"(?<=[A-Za-z])[–—‐‑](?=[A-Za-z])"]  # ‐‑: U+2010, U+2011
    glued = [
        rf"(?<=^{re.escape(word)})(?=[A-Z0-9])" for word in section(data, "glued_words", "abbreviations.yaml")
    ]
    infixes = [CITATION, *dashes, *glued, *nlp.Defaults.infixes]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


class TailSearch:
    """A suffix regex searched over the end of a word only. spaCy searches the whole word
    each time it strips one suffix, so a word of n closing brackets or citation marks
    took n² steps. Searching from ``reach`` characters before the end finds the same
    suffix, since none is that long (lookbehinds still see the characters before);
    ``pattern`` is what ``Tokenizer.to_disk`` saves of it."""

    def __init__(self, regex: re.Pattern, reach: int) -> None:
        self.regex, self.pattern, self.reach = regex, regex.pattern, reach

    def search(self, word: str) -> re.Match | None:
        return self.regex.search(word, max(0, len(word) - self.reach))


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc`` in time linear in the text, for any length. spaCy hashes and copies
    the rest of a word each time it strips a prefix or suffix, so a word of n brackets costs
    n² steps: a word longer than ``MAX_WORD`` characters is cut into pieces that long,
    tokenized apart and joined into one Doc with the same text. ``nlp.max_length`` guards
    the memory of a parser and an entity recogniser this pipeline has not, so a text over
    it (a title) is read rather than refused; blocks are tagged in pieces under it anyway
    (``tagging.split_block``)."""
    cuts = _long_word_cuts(text)
    if not cuts:
        return nlp.tokenizer(text)
    docs = [nlp.tokenizer(text[start:end]) for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    words = [word for doc in docs for word in texts(doc)]
    spaces = [bool(space) for doc in docs for space in doc.to_array(SPACY).tolist()]
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _long_word_cuts(text: str) -> list[int]:
    """Where the words longer than ``MAX_WORD`` are cut (nowhere, most of the time: the
    quick check splits the text once)."""
    if len(text) <= MAX_WORD or max(map(len, text.split()), default=0) <= MAX_WORD:
        return []
    cuts = []
    for word in re.finditer(r"\S+", text):
        cut = word.start()
        while word.end() - cut > MAX_WORD:
            cut = _cut_near(text, cut + MAX_WORD)
            cuts.append(cut)
    return cuts


def _cut_near(text: str, position: int) -> int:
    """Just after the last closing bracket shortly before ``position``, so that a run of
    citation marks is cut between two of them; else ``position``."""
    floor = position - SUFFIX_REACH
    after = max(text.rfind("]", floor, position), text.rfind(")", floor, position)) + 1
    return after if after > floor else position


def build_nlp(models_dir: Path | str = DEFAULT_MODELS_DIR) -> Language:
    """The whole rule pipeline, configured from ``models_dir``."""
    import pipeline.taggers  # noqa: F401  (registers the factories)

    register_extensions()
    nlp = spacy.blank("en")
    customise_tokenizer(nlp, models_dir)
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"models_dir": str(models_dir)})
    return nlp


def load_nlp(models_dir: Path | str = DEFAULT_MODELS_DIR, cache_dir: Path | None = None) -> Language:
    """``build_nlp``, kept as a pickle in the cache folder: loading it is three times faster
    than building it, which is most of the cost of a re-run that extracts one document.
    The pickle is keyed by the fingerprint of the code and of every file in ``models_dir``."""
    from pipeline.cache import pipeline_fingerprint
    from pipeline.geonames import default_cache_dir

    register_extensions()
    folder = cache_dir or default_cache_dir()
    path = folder / f"nlp-{pipeline_fingerprint(models_dir)[:16]}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                nlp = pickle.load(handle)
            os.utime(path)  # newly used: the last to be pruned
            return nlp
        except Exception as err:
            print(
                f"warning: {path} could not be read ({err!r}); building the pipeline again", file=sys.stderr
            )
    nlp = build_nlp(models_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False, prefix=".nlp-") as handle:
        pickle.dump(nlp, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)
    prune_pipelines(folder, KEPT_PIPELINES)
    return nlp


def prune_pipelines(folder: Path, keep: int) -> None:
    """Keep the ``keep`` newest pipeline pickles of the cache folder: each version of the code
    or of ``models/`` writes its own (2-3 MB), and the folder would grow with every one."""
    pickles = sorted(folder.glob("nlp-*.pickle"), key=_modified, reverse=True)
    for stale in pickles[keep:]:
        stale.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another run
        return 0.0


def annotate(
    nlp: Language, text: str, context: dict, timings: Counter | None = None, last: str | None = None
) -> Doc:
    """Run the pipeline on ``text`` with per-document ``context`` (countries, names), up to
    the component named ``last`` when given; with ``timings``, add the seconds each step
    took to it (for the benchmark)."""
    started = time.perf_counter()
    doc = make_doc(nlp, text)
    doc.user_data["text"] = text  # what ``doc.text`` would join from every token
    doc._.context = context
    if timings is not None:
        timings["tokenizer"] += time.perf_counter() - started
    for name, component in nlp.pipeline:
        started = time.perf_counter()
        doc = component(doc)
        if timings is not None:
            timings[name.removeprefix("conflict_")] += time.perf_counter() - started
        if name == last:
            break
    return doc


@Language.factory("conflict_norms", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_norms(nlp: Language, name: str, models_dir: str) -> TokenNorms:
    return TokenNorms(Folder.from_models(models_dir))


class TokenNorms:
    """Sets ``token.norm_`` to the folded spelling, so matchers on NORM see through
    diacritics, apostrophes and transliteration variants."""

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.hashes: dict[str, int] = {}  # norm -> its hash, once in this vocab's StringStore

    def __call__(self, doc: Doc) -> Doc:
        set_norms(doc, self.folder, self.hashes)
        return doc


def set_norms(doc: Doc, folder: Folder, hashes: dict[str, int] | None = None) -> None:
    """Through one array rather than a Token object per token; ``hashes`` remembers the
    norms already added to the Doc's vocabulary (tokens repeat a lot)."""
    folded = [folder.norm(text) for text in texts(doc)]
    if folded:
        known = {} if hashes is None else hashes
        add = doc.vocab.strings.add
        values = [known.get(norm) or known.setdefault(norm, add(norm)) for norm in folded]
        doc.from_array([NORM], numpy.array(values, dtype=numpy.uint64).reshape(-1, 1))
    doc.user_data["norms"] = folded


def keep_spans(doc: Doc, key: str, kind: str, spans: list[Span]) -> None:
    """``spans`` as ``doc.spans[key]``, and as plain (start, end, start_char, end_char, value)
    records that ``span_records`` reads back: a span group makes new Span objects each time
    it is walked, which is what reading every tagger's spans cost most."""
    doc.spans[key] = spans
    doc.user_data[("records", key)] = _records(spans, kind)


def keep_tagged(doc: Doc, key: str, kind: str, tagged: list[tuple[int, int, str, object]]) -> None:
    """What ``keep_spans`` keeps, from (start, end, label, value) tuples: a tagger that
    works on token indices makes no Span until here, and sets no value through ``span._``."""
    starts, words = token_starts(doc), texts(doc)
    doc.user_data[("values", kind)] = {(start, end): value for start, end, _, value in tagged}
    doc.user_data[("records", key)] = [
        (start, end, starts[start], starts[end - 1] + len(words[end - 1]), value)
        for start, end, _, value in tagged
    ]
    doc.spans[key] = [Span(doc, start, end, label=label) for start, end, label, _ in tagged]


def span_records(doc: Doc, key: str, kind: str) -> list[tuple[int, int, int, int, object]]:
    """The records ``keep_spans`` kept for ``key``, else those of ``doc.spans[key]``."""
    records = doc.user_data.get(("records", key))
    return records if records is not None else _records(doc.spans.get(key, []), kind)


def _records(spans, kind: str) -> list[tuple[int, int, int, int, object]]:
    return [(span.start, span.end, span.start_char, span.end_char, getattr(span._, kind)) for span in spans]


def texts(doc: Doc) -> list[str]:
    """The text of every token, computed once a Doc and shared by the components."""
    if "texts" not in doc.user_data:
        strings = doc.vocab.strings
        doc.user_data["texts"] = [strings[h] for h in doc.to_array(ORTH).tolist()]
    return doc.user_data["texts"]


def norms(doc: Doc) -> list[str]:
    """The folded norm of every token (set by ``conflict_norms``), computed once a Doc."""
    if "norms" not in doc.user_data:
        strings = doc.vocab.strings
        doc.user_data["norms"] = [strings[h] for h in doc.to_array(NORM).tolist()]
    return doc.user_data["norms"]


def lowers(doc: Doc) -> list[str]:
    """The lower-case text of every token, computed once a Doc and shared by the components
    (walking Token objects is what costs most in a rule pipeline)."""
    if "lowers" not in doc.user_data:
        doc.user_data["lowers"] = [text.lower() for text in texts(doc)]  # what LOWER holds
    return doc.user_data["lowers"]


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once (``Doc.text`` and ``Span.text`` join Token objects each time)."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = doc.text
    return doc.user_data["text"]


def tokens_text(doc: Doc, start: int, end: int) -> str:
    """What ``doc[start:end].text`` is, without making the Span."""
    offsets = token_starts(doc)
    return doc_text(doc)[offsets[start] : offsets[end - 1] + len(texts(doc)[end - 1])]


def token_starts(doc: Doc) -> list[int]:
    """The character offset of every token, computed once a Doc."""
    if "token_starts" not in doc.user_data:
        doc.user_data["token_starts"] = doc.to_array(IDX).tolist()
    return doc.user_data["token_starts"]


def sentence_starts(doc: Doc) -> list[int]:
    """The token indices that start a sentence (set by ``conflict_sentences``), read once a
    Doc from the SENT_START array: ``doc.sents`` and ``span.sent`` walk tokens each time."""
    if "sentence_starts" not in doc.user_data:
        doc.user_data["sentence_starts"] = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
    return doc.user_data["sentence_starts"]


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token indices of every sentence."""
    starts = sentence_starts(doc)
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


def sentence_of(doc: Doc, index: int) -> tuple[int, int]:
    """(start, end) of the sentence that holds token ``index``, as ``span.sent`` gives it."""
    starts = sentence_starts(doc)
    position = bisect_right(starts, index)
    start = starts[position - 1] if position else 0
    return start, starts[position] if position < len(starts) else len(doc)


@Language.factory("conflict_sentences", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_sentences(nlp: Language, name: str, models_dir: str) -> SentenceSplitter:
    return SentenceSplitter()


class SentenceSplitter:
    """Sentence starts after ``.``, ``!`` or ``?`` (and any closing quotes or
    citation marks) before a capital, a digit or a quote. Abbreviations are
    single tokens (see ``customise_tokenizer``), so they never end a sentence."""

    TERMINATORS = {".", "!", "?"}
    TRAILERS = {'"', "'", "”", "’", ")", "]"}

    def __call__(self, doc: Doc) -> Doc:
        words = texts(doc)
        starts = numpy.full(len(words), -1, dtype="int64")  # -1: not a sentence start
        if len(words):
            starts[0] = 1
        terminators = self.TERMINATORS
        for index in [i for i, word in enumerate(words) if word in terminators]:
            start = self._start_after(words, index + 1)
            if start is not None:
                starts[start] = 1
        starts[_block_firsts(doc)] = 1
        _cap_sentences(words, starts)
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc

    def _start_after(self, words: list[str], index: int) -> int | None:
        """The token that starts the next sentence, if one does."""
        while index < len(words) and (words[index] in self.TRAILERS or is_citation_text(words[index])):
            index += 1
        while index < len(words) and words[index].isspace():
            index += 1
        if index < len(words):
            first = words[index][0]
            if first.isupper() or first.isdigit() or first in "\"“'[(":
                return index
        return None


def _block_firsts(doc: Doc) -> list[int]:
    """The first token of every block after the first of a Doc that holds several (their
    character offsets are ``block_starts`` in its context), and the whitespace token that
    parts it from the block before: that separator is a sentence of its own, so the last
    sentence of a block ends where it would in a Doc of its own."""
    offsets = (doc._.context or {}).get("block_starts") or []
    if len(offsets) < 2:
        return []
    starts, words = token_starts(doc), texts(doc)
    firsts = []
    for offset in offsets[1:]:
        first = bisect_left(starts, offset)
        if first < len(words):
            firsts.append(first)
        if first > 0 and words[first - 1].isspace():
            firsts.append(first - 1)
    return firsts


def _cap_sentences(words: list[str], starts: numpy.ndarray) -> None:
    """A sentence longer than ``MAX_SENTENCE`` tokens (a list with no full stop, a run of
    brackets) is cut after its last comma or semicolon within that length, else at it: the
    events stage reads a sentence's mentions once per trigger, so a sentence of n tokens
    cost n² steps."""
    bounds = [*numpy.flatnonzero(starts == 1).tolist(), len(words)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        while end - start > MAX_SENTENCE:
            start = _clause_end(words, start)
            starts[start] = 1


def _clause_end(words: list[str], start: int) -> int:
    """The token after the last comma or semicolon in the second half of the longest
    sentence that may start at ``start``, else the token after that sentence."""
    for index in range(start + MAX_SENTENCE, start + MAX_SENTENCE // 2, -1):
        if words[index - 1] in (",", ";"):
            return index
    return start + MAX_SENTENCE


def is_citation_text(word: str) -> bool:
    return word.startswith("[") and word.endswith("]")


@dataclass
class TermTable:
    """Folded word sequences -> codes, indexed by first word so that a text is read once:
    a dictionary where a PhraseMatcher of thousands of place names would rebuild their
    pattern Docs each time the pipeline is loaded."""

    terms: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    widths: dict[str, list[int]] = field(default_factory=dict)

    def add(self, words: tuple[str, ...], codes: list[str]) -> None:
        if not words:
            return
        self.terms.setdefault(words, []).extend(codes)
        widths = self.widths.setdefault(words[0], [])
        if len(words) not in widths:
            widths.append(len(words))
            widths.sort()

    def find(self, words: list[str]) -> list[str]:
        """The codes of every term that occurs in ``words`` (each occurrence counts)."""
        return [code for code, _, _ in self.matches(words)]

    def matches(self, words: list[str]) -> list[tuple[str, int, int]]:
        """(code, start, end) of every term in ``words``, overlaps included, by start and
        then length."""
        found = []
        for start in [index for index, word in enumerate(words) if word in self.widths]:
            room = len(words) - start
            for width in self.widths[words[start]]:
                if width > room:
                    break
                for code in self.terms.get(tuple(words[start : start + width]), ()):
                    found.append((code, start, start + width))
        return found


def longest_readable(matches: list[tuple], read: Callable[..., T | None]) -> list[tuple[tuple, T]]:
    """(match, value) for the matches ``spacy.util.filter_spans`` would keep of those that
    ``read`` gives a value (longest first, the earlier of equals, no token shared), in
    order; a match that overlaps one already kept is never read, so most are not."""
    kept: list[tuple[tuple, T]] = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
        _, start, end = match
        if start in taken or end - 1 in taken:
            continue
        value = read(*match)
        if value is not None:
            kept.append((match, value))
            taken.update(range(start, end))
    return sorted(kept, key=lambda pair: pair[0][1])


def longest_matches(matches: list[tuple]) -> list[tuple]:
    """Longest non-overlapping (match_id, start, end) triples, in order, as
    ``spacy.util.filter_spans`` keeps them."""
    return [match for match, _ in longest_readable(matches, lambda *_: True)]
