"""The benchmark's corpus: every copy differs, keeps its format, and is an article of its own."""

from __future__ import annotations

from pathlib import Path

from pipeline.bench import ceiling, make_corpus
from pipeline.ingest import read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_copies_are_distinct_articles(tmp_path, rules):
    files = make_corpus([SEEDS], 6, tmp_path)
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert len(set(texts)) == 6
    titles = [read_document(p, tmp_path, rules).metadata.title for p in files]
    assert len(set(titles)) == 6 and all("(copy " in t for t in titles)


def test_ceiling_is_words_per_second(tmp_path):
    assert ceiling(make_corpus([SEEDS], 2, tmp_path)) > 1000
