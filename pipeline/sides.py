"""Sides: the names an infobox lists, cleaned, split and grouped into sides.

Takes the side items the infobox reader collected (``infobox.SideItem``) and gives
the sides as lists of names plus their supporters. Infobox layouts lose much of
the table: flag captions glue to names ("United States United States"), two
sides share one line ("Ukraine Donetsk People's Republic"), the side columns
become one list. What is knowable restores them: the faction gazetteer and the
country names split glued names and tell state forces from armed groups, and a
list with no columns splits where the alignment of its names changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.normalize import Folder, strip_citations
from pipeline.resources import load_yaml, section
from pipeline.taggers.faction_gazetteer import FactionGazetteer

STATE_KINDS = frozenset({"government", "foreign"})
NON_STATE_KINDS = frozenset({"rebel", "jihadist", "separatist"})
_NOTE = re.compile(r"\([^()]*\)?|\[[^\]]*\]?")
_BULLET = re.compile(r"^[\s•*·\-–]+")


@dataclass(frozen=True)
class SideItem:
    """One name or glued run of names of a side list, as the reader found it."""

    text: str
    column: int | None = None  # the side an explicit layout gave it (Combatant2, a table column)
    supporter: bool = False  # listed after "Supported by:"
    bullet: bool = False  # a unit of the name above it
    new_side: bool = False  # the first name after a run of supporters


@dataclass
class NameLexicon:
    """Names the gazetteers know: faction aliases with their kind, country names."""

    factions: FactionGazetteer
    country_names: dict[str, str]  # folded key -> ISO2
    group_countries: dict[str, tuple[str, ...]]  # canonical -> ISO2 codes

    @classmethod
    def from_models(cls, models_dir: Path | str, factions: FactionGazetteer | None = None) -> NameLexicon:
        factions = factions or FactionGazetteer.from_models(models_dir)
        where = f"{models_dir}/countries.yaml"
        names = {}
        for entry in section(load_yaml(models_dir, "countries.yaml"), "countries", where):
            for name in [entry["name"], *(entry.get("aliases") or [])]:
                names[factions.folder.key(str(name))] = str(entry["code"])
        groups = {}
        for path in sorted((Path(models_dir) / "factions").glob("*.yaml")):
            for group in load_yaml(models_dir, f"factions/{path.name}")["groups"]:
                groups[str(group["canonical"])] = tuple(map(str, group.get("countries") or []))
        return cls(factions, names, groups)

    @property
    def folder(self) -> Folder:
        return self.factions.folder

    def canonical(self, name: str) -> str:
        """The gazetteer's name for ``name``, or "" when it knows none."""
        senses = self.factions.senses.get(self.folder.key(name))
        return senses[0].canonical if senses else ""

    def country(self, name: str) -> str:
        """ISO2 code when ``name`` is a country's name."""
        return self.country_names.get(self.folder.key(name), "")

    def known(self, name: str) -> bool:
        return bool(self.canonical(name) or self.country(name))

    def alignment(self, name: str) -> str:
        """``state``, ``rebel``, ``jihadist``, ``separatist`` or "" (no telling)."""
        kind = self.factions.kinds.get(self.canonical(name), "")
        if kind in STATE_KINDS or (not kind and self.country(name)):
            return "state"
        return kind if kind in NON_STATE_KINDS else ""


def clean_name(text: str, flag_files: tuple[re.Pattern, ...], captions: tuple[str, ...]) -> str:
    """A name without notes, citation marks, bullets, flag files and flag captions."""
    name = _NOTE.sub(" ", strip_citations(text))
    for pattern in flag_files:
        name = pattern.sub(" ", name)
    name = " ".join(_BULLET.sub("", name).split()).strip(" ,;:")
    for caption in captions:
        if name.startswith(caption + " "):
            name = name[len(caption) + 1 :]
    return name


def split_glued(name: str, lexicon: NameLexicon, max_words: int) -> list[str]:
    """Names glued on one line, split where every piece is a known name; a country
    before its own state's name (a flag) or the same name twice is one name."""
    words = name.split()
    pieces, start = [], 0
    while start < len(words):
        end = next(
            (
                e
                for e in range(min(len(words), start + max_words), start, -1)
                if lexicon.known(" ".join(words[start:e]))
            ),
            None,
        )
        if end is None:
            return _flagged(words, lexicon)
        pieces.append(" ".join(words[start:end]))
        start = end
    return _merge_flags(pieces, lexicon)


def _flagged(words: list[str], lexicon: NameLexicon) -> list[str]:
    """An unknown name after a country's flag caption ("Syria 155th Brigade") is the name."""
    if len(words) > 1 and lexicon.country(words[0]):
        return [" ".join(words[1:])]
    return [" ".join(words)]


def _merge_flags(pieces: list[str], lexicon: NameLexicon) -> list[str]:
    merged: list[str] = []
    for piece in pieces:
        if merged and _is_flag_of(merged[-1], piece, lexicon):
            merged[-1] = piece
        else:
            merged.append(piece)
    return merged


def _is_flag_of(flag: str, name: str, lexicon: NameLexicon) -> bool:
    """``flag`` is the caption of ``name``: the same name, or a country before a state force
    (of any country: a caption names the flag, the name the force) or before a group
    that is no side of a war on its own."""
    if lexicon.canonical(flag) and lexicon.canonical(flag) == lexicon.canonical(name):
        return True
    same_country = lexicon.country(flag) and lexicon.country(flag) == lexicon.country(name)
    return bool(lexicon.country(flag)) and (same_country or lexicon.alignment(name) not in NON_STATE_KINDS)


def looks_like_name(text: str, particles: frozenset[str], max_words: int, lexicon: NameLexicon) -> bool:
    """A side name: every word capitalised but particles ("Army of Conquest"), or known."""
    words = text.split()
    if not words or len(words) > max_words:
        return False
    if lexicon.known(text):
        return True
    return any(c.isalpha() for c in text) and all(_name_word(w, particles) for w in words)


def _name_word(word: str, particles: frozenset[str]) -> bool:
    head = re.split(r"[-’']", word)[0] if re.match(r"^[a-z]{1,3}[-’']", word) else word
    return word[:1].isupper() or word[:1].isdigit() or head in particles or word in particles


def group(items: list[SideItem], lexicon: NameLexicon) -> tuple[list[list[str]], list[list[str]]]:
    """Sides and their supporters: by explicit column when the layout kept them, else in
    list order, a new side after a run of supporters or where the list's alignment changes."""
    if any(item.column is not None for item in items):
        return _by_column(items)
    sides: list[list[SideItem]] = [[]]
    for item in items:
        if item.new_side and sides[-1]:
            sides.append([])
        sides[-1].append(item)
    cleavage = _cleavage([i.text for i in items if not i.supporter and not i.bullet], lexicon)
    split = [part for side in sides for part in _split_by(side, cleavage, lexicon)]
    return _names(split)


def _by_column(items: list[SideItem]) -> tuple[list[list[str]], list[list[str]]]:
    columns: dict[int, list[SideItem]] = {}
    for item in items:
        columns.setdefault(item.column or 1, []).append(item)
    return _names([columns[column] for column in sorted(columns)])


def _names(sides: list[list[SideItem]]) -> tuple[list[list[str]], list[list[str]]]:
    kept = [side for side in sides if any(not i.supporter for i in side)]
    members = [_unique(i.text for i in side if not i.supporter) for side in kept]
    supporters = [_unique(i.text for i in side if i.supporter) for side in kept]
    return members, supporters


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def _cleavage(names: list[str], lexicon: NameLexicon) -> dict[str, str]:
    """Alignment -> camp: state forces against armed groups when the list holds both,
    else (an inter-rebel war) rebels against jihadists."""
    found = {lexicon.alignment(name) for name in names} - {""}
    if "state" in found and found & NON_STATE_KINDS:
        return {"state": "state", **{kind: "armed" for kind in NON_STATE_KINDS}}
    if {"rebel", "jihadist"} <= found:
        return {"rebel": "rebel", "jihadist": "jihadist"}
    return {}


def _split_by(side: list[SideItem], cleavage: dict[str, str], lexicon: NameLexicon) -> list[list[SideItem]]:
    """A side list cut where a member's camp differs from the camp of the members before."""
    parts: list[list[SideItem]] = [[]]
    camp = ""
    for item in side:
        own = "" if item.supporter or item.bullet else cleavage.get(lexicon.alignment(item.text), "")
        if own and camp and own != camp:
            parts.append([])
        camp = own or camp
        parts[-1].append(item)
    return parts
