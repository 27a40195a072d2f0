"""The spaCy pipeline: a blank English tokenizer plus our rule components.

``build_nlp`` is the one place that assembles it. Every component is a
registered factory (prefix ``conflict_``) whose only setting is the models
directory, so ``nlp.to_disk`` / ``spacy.load`` round-trips the pipeline.
Extensions hold plain values (strings, numbers, small frozen dataclasses).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
from bisect import bisect_right
from collections import Counter
from functools import partial
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.tokenizer import customise_tokenizer, make_doc

KEPT_PIPELINES = 4  # pipeline pickles kept in the cache folder (two checkouts of two versions)
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


def keep_tagged(doc: Doc, key: str, kind: str, tagged: list[tuple[int, int, str, object]]) -> None:
    """A tagger's (start, end, label, value) tuples as ``doc.spans[key]`` (values read by
    ``span._.<kind>``), and as plain (start, end, start_char, end_char, value) records that
    ``span_records`` reads back: a span group makes new Span objects each time it is
    walked, and a value set through ``span._`` makes an ``Underscore`` object."""
    starts, words = token_starts(doc), texts(doc)
    doc.user_data[("values", kind)] = {(start, end): value for start, end, _, value in tagged}
    doc.user_data[("records", key)] = [
        (start, end, starts[start], starts[end - 1] + len(words[end - 1]), value)
        for start, end, _, value in tagged
    ]
    doc.spans[key] = [Span(doc, start, end, label=label) for start, end, label, _ in tagged]


def span_records(doc: Doc, key: str) -> list[tuple[int, int, int, int, object]]:
    """The records ``keep_tagged`` kept for ``key`` (none when its tagger has not run)."""
    return doc.user_data.get(("records", key), [])


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
