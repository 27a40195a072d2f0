"""The faction gazetteer: armed groups with their aliases and dated rebrands
(``models/factions/*.yaml``), state forces by country, and generic sides
("rebels", "government forces", ``models/generic_actors.yaml``), some by country.
It resolves a mention (``FactionRef``) to the canonical name it means on a date
in an article about given countries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.normalize import Folder
from pipeline.resources import ModelError, check_keys, load_yaml, section

GROUP_KEYS = {"canonical", "kind", "actor_type", "countries", "aliases", "dated_aliases", "case_sensitive"}
KINDS = {
    "rebel",
    "jihadist",
    "government",
    "militia",
    "foreign",
    "coalition",
    "separatist",
    "kurdish",
    "other",
}
# ACLED's types of actor (its inter codes 1-8, models/acled.yaml).
ACTOR_TYPES = {
    "state forces",
    "rebel group",
    "political militia",
    "identity militia",
    "rioters",
    "protesters",
    "civilians",
    "external forces",
}


@dataclass(frozen=True)
class FactionRef:
    """What a faction mention refers to. ``key`` selects a dated sense later."""

    canonical: str
    key: str
    source: str  # gazetteer | metadata | pattern | generic | state


@dataclass(frozen=True)
class Sense:
    canonical: str
    start: date | None = None
    end: date | None = None

    def covers(self, when: date) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass
class FactionGazetteer:
    """Aliases -> senses; generic phrases -> canonical names, some by country."""

    folder: Folder
    senses: dict[str, list[Sense]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    countries: dict[str, frozenset[str]] = field(default_factory=dict)  # canonical -> where it fights
    actor_types: dict[str, str] = field(default_factory=dict)  # ACLED's, where an entry gives one
    homes: dict[str, str] = field(default_factory=dict)  # the first country of an entry
    aliases: dict[str, list[str]] = field(default_factory=dict)
    case_sensitive: set[str] = field(default_factory=set)
    generic: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    side_phrases: set[str] = field(default_factory=set)  # generic phrases that stand for a side
    main_sides: dict[str, str] = field(default_factory=dict)  # ISO2 -> its war's main non-state side
    state_phrases: list[str] = field(default_factory=list)
    state_by_country: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_models(cls, models_dir: Path | str) -> FactionGazetteer:
        gazetteer = cls(Folder.from_models(models_dir))
        files = sorted((Path(models_dir) / "factions").glob("*.yaml"))
        if not files:
            raise ModelError(f"{models_dir}/factions: no gazetteer files")
        for path in files:
            name = f"factions/{path.name}"
            for index, group in enumerate(section(load_yaml(models_dir, name), "groups", name)):
                gazetteer._add_group(group, f"{models_dir}/{name}: groups[{index}]")
        gazetteer._add_generic(
            load_yaml(models_dir, "generic_actors.yaml"), f"{models_dir}/generic_actors.yaml"
        )
        return gazetteer

    def _add_group(self, group: dict, where: str) -> None:
        check_keys(group, GROUP_KEYS, {"canonical", "kind", "countries"}, where)
        canonical = str(group["canonical"])
        if group["kind"] not in KINDS:
            raise ModelError(f"{where}: unknown kind {group['kind']!r}")
        self.kinds[canonical] = group["kind"]
        self.countries[canonical] = frozenset(map(str, group.get("countries") or []))
        self.homes[canonical] = str(next(iter(group["countries"] or []), ""))
        self._add_actor_type(canonical, group, where)
        names = [canonical, *map(str, group.get("aliases") or [])]
        self.aliases[canonical] = names
        self.case_sensitive.update(map(str, group.get("case_sensitive") or []))
        for name in names:
            self.senses.setdefault(self.folder.key(name), []).insert(0, Sense(canonical))
        for dated in group.get("dated_aliases") or []:
            check_keys(dated, {"name", "from", "to"}, {"name"}, f"{where}: dated_aliases")
            sense = Sense(canonical, _as_date(dated.get("from"), where), _as_date(dated.get("to"), where))
            self.senses.setdefault(self.folder.key(str(dated["name"])), []).append(sense)
            self.aliases[canonical].append(str(dated["name"]))

    def _add_actor_type(self, canonical: str, entry: dict, where: str) -> None:
        if "actor_type" not in entry:
            return
        if entry["actor_type"] not in ACTOR_TYPES:
            raise ModelError(f"{where}: unknown actor_type {entry['actor_type']!r}")
        self.actor_types[canonical] = entry["actor_type"]

    def _add_generic(self, data: dict, where: str) -> None:
        for index, entry in enumerate(section(data, "generic", where)):
            keys = {"canonical", "phrases", "countries", "names_a_side", "main_side", "actor_type"}
            check_keys(entry, keys, {"canonical", "phrases"}, f"{where}[{index}]")
            self._add_actor_type(str(entry["canonical"]), entry, f"{where}[{index}]")
            countries = frozenset(entry.get("countries") or [])
            if entry.get("main_side"):
                self.main_sides.update(dict.fromkeys(countries, str(entry["canonical"])))
            for phrase in entry["phrases"]:
                for form in _with_and_without_article(str(phrase)):
                    self.generic.setdefault(form, []).append((str(entry["canonical"]), countries))
                    if countries or entry.get("names_a_side"):
                        self.side_phrases.add(form)
        state = section(data, "state_forces", where, dict)
        check_keys(state, {"phrases", "by_country"}, {"phrases", "by_country"}, f"{where}: state_forces")
        self.state_phrases = [str(p) for p in state["phrases"]]
        self.state_by_country = {str(k): str(v) for k, v in state["by_country"].items()}

    def resolve(self, ref: FactionRef, when: date | None, countries: list[str]) -> str:
        """The canonical name a mention means on ``when`` in an article about ``countries``."""
        if ref.source == "state":
            return next((self.state_by_country[c] for c in countries if c in self.state_by_country), "")
        if ref.source == "generic":
            return self._generic(ref.canonical, countries)
        senses = self.senses.get(ref.key)
        if not senses:
            return ref.canonical
        if when is not None:
            dated = [s for s in senses if (s.start or s.end) and s.covers(when)]
            if dated:
                return dated[0].canonical
        undated = [s for s in senses if not (s.start or s.end)] or senses
        local = [s for s in undated if self.countries.get(s.canonical, frozenset()) & set(countries)]
        return (local or undated)[0].canonical  # "Republican Guard" in Yemen is Yemen's

    def _generic(self, phrase: str, countries: list[str]) -> str:
        options = self.generic.get(phrase, [])
        for canonical, where in options:
            if where and any(c in where for c in countries):
                return canonical
        return next((canonical for canonical, where in options if not where), "")

    def names_a_side(self, phrase: str) -> bool:
        """ "the rebels", "the insurgents": a generic phrase that stands for a conflict's
        non-state side (it names one by country), unlike "civilians" or "gunmen"."""
        return phrase in self.side_phrases

    def only_unnamed_side(self, phrase: str, countries: list[str]) -> bool:
        """ "the jihadists" where no entry of the article's countries lists the phrase: it
        stands for a non-state side, but the knowledge names none."""
        options = self.generic.get(phrase, [])
        return phrase in self.side_phrases and not any(where & set(countries) for _, where in options)

    def non_combatants(self) -> frozenset[str]:
        """The UN, aid agencies (gazetteer kind ``other``): present in a war, no side of it."""
        return frozenset(name for name, kind in self.kinds.items() if kind == "other")

    def generic_names(self) -> set[str]:
        """The codebook's names for unnamed sides ("Syrian opposition", "Civilians")."""
        return {canonical for options in self.generic.values() for canonical, _ in options}

    def is_state(self, canonical: str) -> bool:
        return self.kinds.get(canonical) == "government" or canonical in self.state_by_country.values()


def _with_and_without_article(phrase: str) -> tuple[str, str]:
    """ "insurgents" and "the insurgents" mean the same side: an entry listing one form
    serves the other, so that no country's "the insurgents" hides another's "insurgents"."""
    bare = phrase.removeprefix("the ")
    return bare, f"the {bare}"


def _as_date(value: object, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise ModelError(f"{where}: bad date {value!r}") from err
