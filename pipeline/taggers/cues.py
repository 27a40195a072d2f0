"""Cue tagger: attribution ("according to ...", "reportedly") and cues that
make a trigger something that did not happen ("would", "denied").

Like medspaCy's ConText, each cue has a direction and a scope that ends at a
terminator ("but", "however", ";") or the sentence end. Spans land in
``doc.spans["cues"]`` with ``span._.cue`` set; the events stage applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.lexicon import forms
from pipeline.matching import longest_readable
from pipeline.nlp import keep_tagged, lowers, sentence_of, texts, tokens_text
from pipeline.resources import DEFAULT_MODELS_DIR, check_keys, load_yaml, section

CUE_KEYS = {"phrase", "direction", "extend", "scope"}


@dataclass(frozen=True)
class Cue:
    kind: str  # attribution | not_event | not_figure | attempt | realised (a pseudo-cue that masks "to")
    direction: str  # forward | backward | both
    text: str
    scope_start: int
    scope_end: int


@Language.factory("conflict_cues", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_cue_tagger(nlp: Language, name: str, models_dir: str) -> CueTagger:
    return CueTagger(nlp, load_yaml(models_dir, "cues.yaml"), f"{models_dir}/cues.yaml")


class CueTagger:
    def __init__(self, nlp: Language, data: dict, where: str) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.rules: dict[str, tuple[str, dict]] = {}
        for kind in ("attribution", "not_event", "not_figure", "attempt", "realised"):
            for index, rule in enumerate(section(data, kind, where)):
                check_keys(rule, CUE_KEYS, {"phrase", "direction"}, f"{where}: {kind}[{index}]")
                key = f"{kind}:{index}"
                self.rules[key] = (kind, rule)
                self.matcher.add(key, [nlp.make_doc(form) for form in forms(rule["phrase"])])
        self.terminators = set(section(data, "terminators", where))

    def __call__(self, doc: Doc) -> Doc:
        candidates = []
        for match_id, start, end in self.matcher(doc):
            _, rule = self.rules[doc.vocab.strings[match_id]]
            if rule.get("extend") == "to_comma":
                end = self._to_comma(doc, end)
            candidates.append((match_id, start, end))
        tagged = [
            (start, end, cue.kind.upper(), cue)
            for (_, start, end), cue in longest_readable(candidates, partial(self._cue, doc))
        ]
        keep_tagged(doc, "cues", "cue", tagged)
        return doc

    def _cue(self, doc: Doc, match_id: int, start: int, end: int) -> Cue:
        kind, rule = self.rules[doc.vocab.strings[match_id]]
        scope_start, scope_end = self._scope(doc, start, end, rule["direction"], rule.get("scope") == "comma")
        if rule.get("scope") == "next":
            scope_end = min(end + 1, sentence_of(doc, start)[1])
        return Cue(kind, rule["direction"], tokens_text(doc, start, end), scope_start, scope_end)

    @staticmethod
    def _to_comma(doc: Doc, end: int) -> int:
        sent_end = sentence_of(doc, end - 1)[1]
        words = texts(doc)
        for index in range(end, sent_end):
            if words[index] in (",", ";", "."):
                return index
        return sent_end

    def _scope(
        self, doc: Doc, start: int, end: int, direction: str, to_comma: bool = False
    ) -> tuple[int, int]:
        sent_start, sent_end = sentence_of(doc, start)
        lower = lowers(doc)
        stops = self.terminators | {","} if to_comma else self.terminators
        if direction in ("forward", "both"):
            while end < sent_end and lower[end] not in stops:
                end += 1
        if direction in ("backward", "both"):
            while start > sent_start and lower[start - 1] not in self.terminators:
                start -= 1
        return start, end
