"""The benchmark's corpus: every copy differs, keeps its format, and is an article of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.bench import _dask_speeds, ceiling, make_corpus
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


@pytest.mark.parametrize(
    ("dasks", "expected"),
    [
        (
            {1: (3.0, 10.0), 2: (4.0, 5.0)},
            {
                "1_worker": {"start_seconds": 3.0, "seconds": 10.0, "times_local_one_worker": 0.9},
                "2_workers": {"start_seconds": 4.0, "seconds": 5.0, "times_local_one_worker": 1.8},
                "speedup_largest_over_one": 2.0,
            },
        ),
        (
            {2: (4.0, 6.0)},
            {"2_workers": {"start_seconds": 4.0, "seconds": 6.0, "times_local_one_worker": 1.5}},
        ),
    ],
    ids=["one-and-two", "two-only"],
)
def test_dask_speeds_beside_the_local_engine(dasks, expected):
    found = _dask_speeds(dasks, words=1000, count=100, one=9.0)
    assert set(found) == set(expected)
    for key, value in expected.items():
        if isinstance(value, dict):
            assert {k: found[key][k] for k in value} == value
            assert found[key]["documents_per_second"] == round(100 / value["seconds"], 1)
        else:
            assert found[key] == value
