"""`python -m pipeline eval`: the shared scorer's matching rules and metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import Lineage, load_rows, norm_name, place_match, score

DATA = Path(__file__).resolve().parent / "data"

# Computed with the shared scorer (../shared/eval/score.py) on the same two files.
EXPECTED = {
    "gold_required": 4,
    "predicted": 6,
    "matched": 3,
    "false_positives": 1,
    "duplicates": 1,
    "neutral": 1,
    "event_precision": 0.75,
    "event_recall": 0.75,
    "event_f1": 0.75,
    "core_f1": 0.5,
    "strict_f1": 0.5,
    "casualty_f1": 0.857,
    "field_accuracy": {
        "actor1": 1.0,
        "actors": 1.0,
        "admin1": 1.0,
        "attribution": 1.0,
        "captured": 1.0,
        "date": 0.667,
        "fatalities": 1.0,
        "location": 1.0,
        "sub_type": 1.0,
        "type": 1.0,
    },
}


def test_scores_equal_the_shared_scorer():
    result = score(
        load_rows(DATA / "eval_gold.csv"), load_rows(DATA / "eval_pred.csv"), Lineage.from_models()
    )
    assert result == EXPECTED


def test_command_prints_and_writes_the_scores(tmp_path, capsys):
    out = tmp_path / "scores.json"
    code = main(
        [
            "eval",
            "--gold",
            str(DATA / "eval_gold.csv"),
            "--pred",
            str(DATA / "eval_pred.csv"),
            "--json",
            str(out),
        ]
    )
    assert code == 0
    assert json.loads(out.read_text()) == EXPECTED
    assert (
        capsys.readouterr().out.strip().endswith("event_f1=0.75 core_f1=0.5 strict_f1=0.5 casualty_f1=0.857")
    )


def test_missing_prediction_file_is_a_usage_error(tmp_path):
    assert main(["eval", "--gold", str(DATA / "eval_gold.csv"), "--pred", str(tmp_path / "none.csv")]) == 2


@pytest.mark.parametrize(
    ("pred", "gold", "same"),
    [
        ("Khān Shaykhūn", ["Khan Shaykhun"], True),
        ("Ma‘arrat an Nu‘mān", ["Maarrat al-Nu'man"], True),
        ("Hama", ["northern Hama"], True),
        ("Saraqib", ["Salqin"], False),
    ],
    ids=["diacritics", "ayn-and-article", "region-words", "other-town"],
)
def test_place_match(pred, gold, same):
    assert place_match(pred, gold) is same


def test_lineage_treats_rebrands_as_one_side():
    lineage = Lineage.from_models()
    assert lineage.key("al-Nusra Front") == lineage.key("JFS") == norm_name("Jabhat Fateh al-Sham")
