"""Trigger tagger: words that signal an event and its ACLED type.

Triggers are lemma phrases from ``models/triggers.yaml``, expanded to every
inflection (``pipeline.lexicon``) and matched on folded norms; the longest
match wins, so "joined the fighting" (a clash) beats "joined" (a change of
allegiance). Spans land in
``doc.spans["triggers"]`` with ``span._.trigger`` set.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.lexicon import expand_all
from pipeline.matching import longest_matches
from pipeline.nlp import keep_tagged, lowers, sentence_of, set_norms, texts
from pipeline.normalize import Folder
from pipeline.resources import DEFAULT_MODELS_DIR, check_keys, load_yaml, section

TRIGGER_KEYS = {"id", "type", "sub", "role", "priority", "words", "place_object"}
REQUIRED_KEYS = TRIGGER_KEYS - {"place_object"}
ROLES = {"act", "capture", "lose", "mutual", "change", "suffer"}


@dataclass(frozen=True)
class Trigger:
    rule: str
    event_type: str
    sub_event_type: str
    role: str
    priority: int
    place_object: int = 0  # a trigger only with a place this many words after it at most


@dataclass(frozen=True)
class TollRule:
    """The event a toll with no trigger of its own makes, by who was hit."""

    civilians: Trigger
    others: Trigger
    victims: frozenset[str]  # words for civilian victims, every inflection

    def trigger_for(self, figures: list[list[str]], names_fighters: bool) -> Trigger:
        """Violence against civilians when every figure counts civilians and no armed side
        is among those named, else fighting."""
        hit_civilians = all(self.victims.intersection(words) for words in figures)
        return self.civilians if hit_civilians and not names_fighters else self.others


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
        unnamed = section(data, "unnamed_perpetrator", where, dict)
        self.unnamed_perpetrator = (str(unnamed["event_type"]), str(unnamed["actor"]))
        captive = section(data, "captive_event", where, dict)
        self.captive = Trigger("captive", captive["type"], captive["sub"], "act", 0)
        self.toll = self._toll(section(data, "toll_event", where, dict), f"{where}: toll_event")
        for index, rule in enumerate(section(data, "triggers", where)):
            check_keys(rule, TRIGGER_KEYS, REQUIRED_KEYS, f"{where}: triggers[{index}]")
            if rule["role"] not in ROLES:
                raise ValueError(f"{where}: triggers[{index}]: unknown role {rule['role']!r}")
            self.triggers[rule["id"]] = Trigger(
                rule["id"],
                rule["type"],
                rule["sub"],
                rule["role"],
                int(rule["priority"]),
                int(rule.get("place_object", 0)),
            )
            patterns = [self._pattern(nlp, folder, form) for form in expand_all(rule["words"])]
            self.matcher.add(rule["id"], patterns)
        pseudo = expand_all(section(data, "pseudo_triggers", where))
        self.matcher.add("pseudo", [self._pattern(nlp, folder, form) for form in pseudo])
        self.context_rules: dict[str, list[tuple[set[str], str, int]]] = {}
        for index, rule in enumerate(section(data, "context_rules", where)):
            keys = {"trigger", "words", "becomes", "within"}
            check_keys(rule, keys, keys, f"{where}: context_rules[{index}]")
            self.context_rules.setdefault(rule["trigger"], []).append(
                (set(rule["words"]), rule["becomes"], int(rule["within"]))
            )

    @staticmethod
    def _toll(data: dict, where: str) -> TollRule:
        check_keys(data, {"civilians", "others", "victims"}, {"civilians", "others", "victims"}, where)
        civilians, others = data["civilians"], data["others"]
        return TollRule(
            Trigger("toll", civilians["type"], civilians["sub"], "act", 0),
            Trigger("toll", others["type"], others["sub"], "act", 0),
            frozenset(form for word in data["victims"] for form in expand_all([str(word)])),
        )

    def _reread(self, doc: Doc, label: str, start: int, end: int) -> str:
        """The trigger id after the context rules: "expelled X from its ranks" is a change."""
        rules = self.context_rules.get(label, [])
        clause = self._clause_after(doc, start, end, max((within for _, _, within in rules), default=0))
        for words, becomes, within in rules:
            if words.intersection(clause[:within]):
                return becomes
        return label

    @staticmethod
    def _clause_after(doc: Doc, start: int, end: int, limit: int) -> list[str]:
        """Up to ``limit`` lower-case words after the match, to the end of its clause."""
        words, lower = texts(doc), lowers(doc)
        clause: list[str] = []
        for index in range(end, sentence_of(doc, start)[1]):
            if len(clause) == limit or words[index] in (",", ";", "."):
                break
            clause.append(lower[index])
        return clause

    @staticmethod
    def _pattern(nlp: Language, folder: Folder, phrase: str) -> Doc:
        doc = nlp.make_doc(str(phrase))
        set_norms(doc, folder)
        return doc

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        matches = [(strings[match_id], start, end) for match_id, start, end in self.matcher(doc)]
        tagged = []
        for label, start, end in longest_matches(matches):
            rule = self._reread(doc, label, start, end) if label != "pseudo" else "none"
            if rule != "none":
                tagged.append((start, end, label, self.triggers[rule]))
        keep_tagged(doc, "triggers", "trigger", tagged)
        return doc
