"""Trigger tagger: words that signal an event and its ACLED type.

Triggers are phrase patterns from ``models/triggers.yaml`` matched on
folded norms; the longest match wins, so "joined the fighting" (a clash)
beats "joined" (a change of allegiance). Spans land in
``doc.spans["triggers"]`` with ``span._.trigger`` set.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.nlp import set_norms
from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR, check_keys, load_yaml, section

TRIGGER_KEYS = {"id", "type", "sub", "role", "priority", "words"}
ROLES = {"act", "capture", "mutual", "change"}


@dataclass(frozen=True)
class Trigger:
    rule: str
    event_type: str
    sub_event_type: str
    role: str
    priority: int


@Language.factory("conflict_triggers", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_trigger_tagger(nlp: Language, name: str, models_dir: str) -> TriggerTagger:
    return TriggerTagger(
        nlp,
        load_yaml(models_dir, "triggers.yaml"),
        Folder.from_models(models_dir),
        f"{models_dir}/triggers.yaml",
    )


class TriggerTagger:
    def __init__(self, nlp: Language, data: dict, folder: Folder, where: str) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.triggers: dict[str, Trigger] = {}
        self.government_capture_sub = str(data.get("government_capture_sub", ""))
        for index, rule in enumerate(section(data, "triggers", where)):
            check_keys(rule, TRIGGER_KEYS, TRIGGER_KEYS, f"{where}: triggers[{index}]")
            if rule["role"] not in ROLES:
                raise ValueError(f"{where}: triggers[{index}]: unknown role {rule['role']!r}")
            self.triggers[rule["id"]] = Trigger(
                rule["id"], rule["type"], rule["sub"], rule["role"], int(rule["priority"])
            )
            docs = []
            for phrase in rule["words"]:
                doc = nlp.make_doc(str(phrase))
                set_norms(doc, folder)
                docs.append(doc)
            self.matcher.add(rule["id"], docs)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            span = Span(doc, start, end, label="TRIGGER")
            span._.trigger = self.triggers[doc.vocab.strings[match_id]]
            spans.append(span)
        doc.spans["triggers"] = filter_spans(spans)
        return doc
