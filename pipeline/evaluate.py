"""Scoring an events table against a hand-coded gold file.

Implements the matching rules and metrics of the project's shared scorer, so
that users can check the pipeline on a sample they coded themselves:

- a prediction is a candidate for a gold event when one of the gold
  ``evidence`` alternatives (``|`` separated) occurs in its ``notes``; among
  candidates the place decides, then a free gold event, the type, the date,
  shared sides and whether the gold event is required;
- a second prediction for a matched gold event is a duplicate; predictions
  that match an optional gold event are neutral;
- event F1 (found at all), core F1 (date, place and a shared side right),
  strict F1 (date, type, every side, place and every figure right), casualty
  F1 (figures per document, events aside) and per-field accuracy.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from pipeline.resources import DEFAULT_MODELS_DIR, load_yaml, section

STOP_PLACE = re.compile(
    r"\b(governorate|province|region|district|countryside|city|town|village|rural|"
    r"northern|southern|eastern|western|north|south|east|west|the|of|area|border|crossing)\b"
)
FIGURES = ("fatalities", "wounded", "captured")
CORE_FIELDS = ("date", "type", "actors", "location", "fatalities", "captured", "wounded")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\[\d+\]", " ", text)
    text = re.sub(r"['`\u2018\u2019\u02bf\u02be\u2032]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def norm_name(text: str) -> str:
    text = re.sub(r"\b(al|el|ash|as|an|ar|ad|az|at)\b ", "", norm(text))
    return text.replace(" ", "")


def place_key(name: str) -> str:
    return norm_name(STOP_PLACE.sub(" ", norm(name)))


def place_match(pred: str, gold_alternatives: list[str]) -> bool:
    key = place_key(pred)
    if not key:
        return False
    for alternative in gold_alternatives:
        other = place_key(alternative)
        if not other:
            continue
        if key == other or (min(len(key), len(other)) >= 5 and (key in other or other in key)):
            return True
        if SequenceMatcher(None, key, other).ratio() >= 0.85:
            return True
    return False


def split(cell: str, separator: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(separator) if part.strip()]


def to_int(value: object) -> int | None:
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def doc_key(doc_id: str) -> str:
    return (doc_id or "").replace("\\", "/").rsplit("/", 1)[-1]


def date_ok(pred: dict, gold: dict) -> bool:
    start, end = pred.get("event_date", ""), pred.get("event_date_end", "") or pred.get("event_date", "")
    gold_start, gold_end = gold["event_date"], gold["event_date_end"] or gold["event_date"]
    if not start:
        return False
    if gold["date_precision"] == "day":
        return start == gold_start
    return start <= gold_end and end >= gold_start


@dataclass(frozen=True)
class Lineage:
    """Names that denote one organisation, compared after ``norm_name``."""

    canonical: dict[str, str]

    @classmethod
    def from_models(cls, models_dir: Path | str = DEFAULT_MODELS_DIR) -> Lineage:
        groups = section(
            load_yaml(models_dir, "eval_aliases.yaml"), "groups", f"{models_dir}/eval_aliases.yaml"
        )
        return cls({norm_name(name): norm_name(group[0]) for group in groups for name in group})

    def key(self, name: str) -> str:
        key = norm_name(name)
        return self.canonical.get(key, key)

    def sides(self, row: dict) -> set[str]:
        names = split(row.get("actor1", ""), "|") + split(row.get("actor2", ""), "|")
        names += split(row.get("assoc_actor_1", ""), ";") + split(row.get("assoc_actor_2", ""), ";")
        return {self.key(n) for n in names if n}

    def gold_side_sets(self, gold: dict) -> list[set[str]]:
        assoc = {self.key(n) for n in split(gold["assoc_actor_1"], ";") + split(gold["assoc_actor_2"], ";")}
        return [
            ({self.key(a1)} if a1 else set()) | ({self.key(a2)} if a2 else set()) | assoc
            for a1 in (split(gold["actor1"], "|") or [""])
            for a2 in (split(gold["actor2"], "|") or [""])
        ]


def load_rows(path: Path | str) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def score(gold_rows: list[dict], pred_rows: list[dict], lineage: Lineage, show_misses: bool = False) -> dict:
    """The scorer's numbers for ``pred_rows`` against ``gold_rows``."""
    gold_by_doc = _index_gold(gold_rows)
    preds = [p for p in pred_rows if doc_key(p.get("doc_id", "")) in gold_by_doc]
    matched, false_positives, neutral, duplicates = _match(preds, gold_by_doc, lineage)
    required = [g for g in gold_rows if g["optional"] == "0"]
    found = [g for g in required if matched[g["gold_id"]]]
    counted = len(false_positives) + len(found)
    fields, asked, core, strict, misses = _fields(found, matched, lineage, show_misses)
    result = {
        "gold_required": len(required),
        "predicted": len(preds),
        "matched": len(found),
        "false_positives": len(false_positives),
        "duplicates": duplicates,
        "neutral": neutral,
        "event_precision": round(len(found) / counted if counted else 0.0, 3),
        "event_recall": round(len(found) / len(required) if required else 0.0, 3),
        "event_f1": round(_f1(len(found), counted, len(required)), 3),
        "core_f1": round(_f1(core, counted, len(required)), 3),
        "strict_f1": round(_f1(strict, counted, len(required)), 3),
        "casualty_f1": round(_casualty_f1(gold_rows, preds), 3),
        "field_accuracy": {k: round(fields[k] / asked[k], 3) for k in sorted(asked)},
    }
    if show_misses:
        result["missed"] = [(g["gold_id"], g["evidence"][:60]) for g in required if not matched[g["gold_id"]]]
        result["false_positive_notes"] = [p.get("notes", "")[:90] for p in false_positives]
        result["field_errors"] = misses
    return result


def missed_rows(gold_rows: list[dict], pred_rows: list[dict], lineage: Lineage) -> list[dict]:
    """The required gold rows no prediction matched, whole: explaining a miss needs its
    document and its evidence, which ``score`` cuts short."""
    gold_by_doc = _index_gold(gold_rows)
    preds = [p for p in pred_rows if doc_key(p.get("doc_id", "")) in gold_by_doc]
    matched = _match(preds, gold_by_doc, lineage)[0]
    return [g for g in gold_rows if g["optional"] == "0" and not matched[g["gold_id"]]]


def _index_gold(gold_rows: list[dict]) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for gold in gold_rows:
        gold["_ev"] = [norm(e) for e in split(gold["evidence"], "|")]
        gold["_loc"] = split(gold["location"], "|")
        by_doc[doc_key(gold["doc_id"])].append(gold)
    return by_doc


def _match(preds: list[dict], gold_by_doc: dict, lineage: Lineage) -> tuple[dict, list, int, int]:
    matched: dict[str, list[dict]] = defaultdict(list)
    false_positives: list[dict] = []
    neutral = duplicates = 0
    for pred in preds:
        notes = norm(pred.get("notes", ""))
        candidates = [
            g for g in gold_by_doc[doc_key(pred["doc_id"])] if any(e and e in notes for e in g["_ev"])
        ]
        if not candidates:
            false_positives.append(pred)
            continue
        best = max(candidates, key=lambda g: _rank(pred, g, matched, lineage))
        if matched[best["gold_id"]]:
            duplicates += 1
        elif best["optional"] == "1":
            neutral += 1
        matched[best["gold_id"]].append(pred)
    return matched, false_positives, neutral, duplicates


def _rank(pred: dict, gold: dict, matched: dict, lineage: Lineage) -> tuple:
    location = pred.get("location", "")
    if gold["_loc"] and place_match(location, gold["_loc"]):
        place = 2
    else:
        place = 1 if not gold["_loc"] and not location else 0
    free = 1 if not matched[gold["gold_id"]] else 0
    required = 1 if gold["optional"] == "0" else 0
    same_type = 1 if pred.get("sub_event_type", "") in split(gold["sub_event_type"], "|") else 0
    shared = len(lineage.sides(pred) & lineage.sides(gold))
    return (place, free, same_type, date_ok(pred, gold), shared, required)


def _field_checks(pred: dict, gold: dict, lineage: Lineage) -> dict[str, bool]:
    gold_sides, pred_sides = lineage.sides(gold), lineage.sides(pred)
    actor1 = lineage.key(pred.get("actor1", ""))
    checks = {
        "date": date_ok(pred, gold),
        "type": pred.get("event_type", "") in split(gold["event_type"], "|"),
        "sub_type": pred.get("sub_event_type", "") in split(gold["sub_event_type"], "|"),
        "actors": any(sides == pred_sides for sides in lineage.gold_side_sets(gold)),
        "actor1": actor1 in {lineage.key(a) for a in split(gold["actor1"], "|")}
        or (gold["sub_event_type"] == "Armed clash" and actor1 in gold_sides),
        "location": place_match(pred.get("location", ""), gold["_loc"])
        if gold["_loc"]
        else not pred.get("location"),
        "admin1": place_key(pred.get("admin1", "")) == place_key(gold["admin1"]) if gold["admin1"] else True,
        "attribution": bool((pred.get("attribution") or "").strip()) == (gold["attributed"] == "1"),
    }
    for figure in FIGURES:
        checks[figure] = to_int(pred.get(figure)) == to_int(gold[figure])
    return checks


def _fields(found: list[dict], matched: dict, lineage: Lineage, show_misses: bool) -> tuple:
    fields: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    core = strict = 0
    misses = []
    for gold in found:
        best, best_pred, best_count = {}, {}, -1
        for pred in matched[gold["gold_id"]]:
            checks = _field_checks(pred, gold, lineage)
            if sum(checks.values()) > best_count:
                best, best_pred, best_count = checks, pred, sum(checks.values())
        for name, ok in best.items():
            if name in FIGURES and not gold[name] and not best_pred.get(name):
                continue
            fields[name] += int(ok)
            asked[name] += 1
        shared = bool(lineage.sides(gold) & lineage.sides(best_pred)) or not lineage.sides(gold)
        core += int(best["date"] and best["location"] and shared)
        if all(best[k] for k in CORE_FIELDS):
            strict += 1
        elif show_misses:
            misses.append((gold["gold_id"], [k for k in CORE_FIELDS if not best[k]], gold["evidence"][:60]))
    return fields, asked, core, strict, misses


def _f1(hits: int, counted: int, required: int) -> float:
    precision = hits / counted if counted else 0.0
    recall = hits / required if required else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _figures(rows: list[dict], required_only: bool) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if required_only and row.get("optional") == "1":
            continue
        for figure in FIGURES:
            value = to_int(row.get(figure))
            if value is not None:
                counts[(doc_key(row["doc_id"]), figure, value)] += 1
    return counts


def _casualty_f1(gold_rows: list[dict], preds: list[dict]) -> float:
    gold = _figures(gold_rows, True)
    optional = _figures([g for g in gold_rows if g["optional"] == "1"], False)
    predicted = _figures(preds, False)
    hits = sum((gold & predicted).values())
    extra = sum(n for key, n in (predicted - gold).items() if key not in optional)
    precision = hits / (hits + extra) if hits + extra else 0.0
    recall = hits / sum(gold.values()) if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
