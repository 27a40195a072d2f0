"""`python -m pipeline eval --explain`: why each missed gold event was missed, read from
its sentence in small invented articles."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import Lineage, load_rows, missed_rows
from pipeline.explain import explain_misses
from pipeline.run import RunOptions, run_batch

HEADER = (Path(__file__).resolve().parent / "data" / "eval_gold.csv").read_text().splitlines()[0].split(",")

# doc_id, the article's one sentence, the gold evidence, the reason (None: the pipeline finds it)
CASES = [
    (
        "strolled",
        "On 3 May 2015, rebels strolled through the town of Idlib.",
        "rebels strolled",
        "no trigger",
    ),
    (
        "negated",
        "On 3 May 2015, rebels did not attack the town of Idlib.",
        "rebels did not attack the town",
        'filtered: negation, plan or hedge ("not")',
    ),
    (
        "planned",
        "On 3 May 2015, rebels planned to attack the town of Idlib.",
        "rebels planned to attack the town",
        'filtered: negation, plan or hedge ("planned to")',
    ),
    (
        "nameless",
        "On 3 May 2015, heavy fighting broke out.",
        "heavy fighting broke out",
        "no side and no place",
    ),
    ("found", "On 3 May 2015, rebels attacked the town of Idlib.", "rebels attacked the town of Idlib", None),
]


def gold_row(doc_id: str, evidence: str) -> dict:
    row = dict.fromkeys(HEADER, "")
    row.update(
        gold_id=f"{doc_id}-g01",
        doc_id=doc_id,
        optional="0",
        event_date="2015-05-03",
        event_date_end="2015-05-03",
        date_precision="day",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Syrian opposition",
        location="Idlib",
        attributed="0",
        evidence=evidence,
    )
    return row


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extractor) -> dict[str, Path]:
    """One article per case, the pipeline's events of them, and the gold file."""
    root = tmp_path_factory.mktemp("sample")
    docs = root / "docs"
    docs.mkdir()
    for doc_id, sentence, _, _ in CASES:
        (docs / f"{doc_id}.md").write_text(
            f"---\ntitle: Battle of {doc_id}\n---\n\n{sentence}\n", encoding="utf-8"
        )
    run_batch([docs], root / "out", RunOptions(), extractor=extractor)
    gold = root / "gold.csv"
    with gold.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(gold_row(doc_id, evidence) for doc_id, _, evidence, _ in CASES)
    return {"docs": docs, "gold": gold, "pred": root / "out" / "events.csv"}


@pytest.fixture(scope="module")
def reasons(sample, extractor) -> dict[str, str]:
    missed = missed_rows(load_rows(sample["gold"]), load_rows(sample["pred"]), Lineage.from_models())
    return {e.gold_id: e.reason for e in explain_misses(missed, sample["docs"], extractor)}


@pytest.mark.parametrize(("doc_id", "sentence", "evidence", "reason"), CASES, ids=[c[0] for c in CASES])
def test_the_reason_of_each_miss(reasons, doc_id, sentence, evidence, reason):
    assert reasons.get(f"{doc_id}-g01") == reason


def test_explanations_are_printed_and_written_to_the_json(sample, tmp_path, capsys):
    scores = tmp_path / "scores.json"
    args = ["eval", "--gold", str(sample["gold"]), "--pred", str(sample["pred"]), "--json", str(scores)]
    assert main([*args, "--docs", str(sample["docs"]), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "strolled-g01: no trigger\n  evidence: rebels strolled\n" in out
    assert (
        "  triggers: attack → Armed clash\n  factions: rebels → Unidentified armed group\n  places: Idlib → Idlib\n"
        in out
    )
    explanations = json.loads(scores.read_text())["explanations"]
    assert [e["gold_id"] for e in explanations] == [
        "strolled-g01",
        "negated-g01",
        "planned-g01",
        "nameless-g01",
    ]
    assert explanations[1]["found"]["cues"] == ["not → not_event"]
    assert explanations[1]["sentence"] == "On 3 May 2015, rebels did not attack the town of Idlib."


def test_explain_without_docs_is_a_usage_error(sample, capsys):
    assert main(["eval", "--gold", str(sample["gold"]), "--pred", str(sample["pred"]), "--explain"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
