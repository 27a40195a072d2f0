"""The article frame: who fought whom, where and when, as the article says of itself.

Built once per document from its metadata (the infobox or front matter read by
ingest: ``Metadata.sides``, ``supporters``, ``place``, ``date_text``) so that the
events stage can resolve what a sentence leaves generic: "the army" is the state
forces of the side that holds the state, "the militants" the principal non-state
group, the missing opponent of a battle the other side, "the city" the main place.
Names are canonical through the faction gazetteer (codebook section 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.infobox import MAX_VALUE_CHARS, FrameRules
from pipeline.records import DateRange, Document
from pipeline.sides import NameLexicon
from pipeline.taggers.faction_gazetteer import FactionRef
from pipeline.taggers.place_gazetteer import PlaceGazetteer

_PROVINCE_WORDS = re.compile(r"\b(Governorate|Province|District|Oblast|State|Region|Prefecture)\b")


@dataclass(frozen=True)
class Side:
    """One side of the frame: canonical names, members first listed first."""

    names: tuple[str, ...]
    supporters: tuple[str, ...] = ()
    states: tuple[tuple[str, str], ...] = ()  # (canonical, ISO2) of its state forces, supporters too

    def holds(self, name: str) -> bool:
        return name in self.names or name in self.supporters

    def state_of(self, country: str) -> str | None:
        """The name under which this side lists the state forces of ``country``."""
        return next((name for name, code in self.states if code == country and name in self.names), None)


@dataclass(frozen=True)
class FrameKnowledge:
    """What building a frame reads: the frame rules, the known names, the places."""

    rules: FrameRules
    lexicon: NameLexicon
    places: PlaceGazetteer


@dataclass(frozen=True)
class ArticleFrame:
    """Sides, main place, country (ISO2) and date range of one article."""

    sides: tuple[Side, ...] = ()
    place: str = ""
    country: str = ""
    date_range: DateRange | None = None
    state_name: str = ""  # the state's armed forces of ``country`` under their codebook name
    main_side: str = ""  # the non-state side the country's war is mostly fought against

    def side_of(self, name: str) -> int | None:
        """Index of the side that lists ``name`` (canonical) as member or supporter."""
        return next((index for index, side in enumerate(self.sides) if side.holds(name)), None)

    def same_side(self, a: str, b: str) -> bool:
        """Both listed on the same sides, and only there: a name the infobox lists on two
        sides (a group that changed camps) fought on each."""
        sides_of_a = {index for index, side in enumerate(self.sides) if side.holds(a)}
        return bool(sides_of_a) and sides_of_a == {i for i, side in enumerate(self.sides) if side.holds(b)}

    def opponents_of(self, name: str) -> tuple[str, ...]:
        """The members of every other side; none when ``name`` is on no side."""
        own = self.side_of(name)
        if own is None:
            return ()
        return tuple(n for index, side in enumerate(self.sides) if index != own for n in side.names)

    def state_forces(self) -> str | None:
        """What "the army", "government forces", "troops" mean in this article."""
        return self.state_name or None

    def state_side(self) -> int | None:
        """The side that holds the state of the article's country."""
        return next((i for i, side in enumerate(self.sides) if side.state_of(self.country)), None)

    def names_non_state(self) -> bool:
        """Some side lists a group that is no state's forces."""
        return any(not _is_state(side, name) for side in self.sides for name in side.names)

    def principal_non_state(self) -> str | None:
        """What "the rebels", "the militants" mean: the first group listed against the state,
        or the only side's first group; None when several armed groups fight each other."""
        state = self.state_side()
        others = [side for index, side in enumerate(self.sides) if index != state]
        if state is None and len(others) != 1:
            return None
        candidates = [n for side in others[:1] for n in side.names if not _is_state(side, n)]
        return candidates[0] if candidates else None


def _is_state(side: Side, name: str) -> bool:
    return any(state == name for state, _ in side.states)


def build_frame(
    document: Document, knowledge: FrameKnowledge, countries: list[str], date_range: DateRange | None
) -> ArticleFrame:
    """The frame of ``document``; ``countries`` are the article's countries, most named
    first (``PlaceGazetteer.countries_in``), and ``date_range`` its own range."""
    meta = document.metadata
    when = date_range.start if date_range else None
    sides = tuple(
        _side(members, supporters, knowledge.lexicon, countries, when)
        for members, supporters in zip(meta.sides, meta.supporters, strict=False)
    )
    country = _country(meta.place, knowledge, countries) or _sides_country(sides, knowledge.lexicon)
    return _framed(
        sides, main_place(meta.place, meta.title, knowledge), country, date_range, knowledge.lexicon
    )


def with_lead_sides(
    frame: ArticleFrame,
    lead: tuple[tuple[str, ...], tuple[str, ...]],
    knowledge: FrameKnowledge,
    countries: list[str],
) -> ArticleFrame:
    """``frame`` with the two sides its article's lead sentence names (``lead_sides``); the
    one side an infobox lists joins the lead's side it shares a name with."""
    when = frame.date_range.start if frame.date_range else None
    listed = frame.sides[0].names if len(frame.sides) == 1 else ()
    lead = tuple(
        tuple(dict.fromkeys((*names, *listed))) if set(names) & set(listed) else names for names in lead
    )
    sides = tuple(_side(list(names), [], knowledge.lexicon, countries, when) for names in lead)
    country = frame.country or _sides_country(sides, knowledge.lexicon)
    return _framed(sides, frame.place, country, frame.date_range, knowledge.lexicon)


def _framed(
    sides: tuple[Side, ...], place: str, country: str, date_range: DateRange | None, lexicon: NameLexicon
) -> ArticleFrame:
    """The frame with its state's forces named: as the side holding the state lists them,
    else under the codebook's name for the country's armed forces."""
    state = ArticleFrame(sides, place, country, date_range).state_side()
    own = sides[state].state_of(country) if state is not None else None
    fallback = lexicon.factions.state_by_country.get(country, "")
    main_side = lexicon.factions.main_sides.get(country, "")
    return ArticleFrame(sides, place, country, date_range, own or fallback, main_side)


def _side(
    members: list[str], supporters: list[str], lexicon: NameLexicon, countries: list[str], when
) -> Side:
    names = _canonical_names(members, lexicon, countries, when)
    backers = _canonical_names(supporters, lexicon, countries, when)
    states = tuple((n, code) for n in (*names, *backers) if (code := _state_country(n, lexicon)))
    return Side(names, tuple(b for b in backers if b not in names), states)


def _canonical_names(names: list[str], lexicon: NameLexicon, countries: list[str], when) -> tuple[str, ...]:
    return tuple(dict.fromkeys(canonical_name(name, lexicon, countries, when) for name in names))


def canonical_name(name: str, lexicon: NameLexicon, countries: list[str], when=None) -> str:
    """The gazetteer's name (dated senses read at ``when``); a country's name is its state's
    armed forces; an unknown name stays as written."""
    factions = lexicon.factions
    if lexicon.canonical(name):
        return factions.resolve(FactionRef(name, factions.folder.key(name), "gazetteer"), when, countries)
    code = lexicon.country(name)
    return factions.state_by_country.get(code, name) if code else name


def _state_country(canonical: str, lexicon: NameLexicon) -> str:
    """ISO2 of the state whose forces ``canonical`` is, "" for a non-state group."""
    factions = lexicon.factions
    by_name = {name: code for code, name in factions.state_by_country.items()}
    if canonical in by_name:
        return by_name[canonical]
    kind = factions.kinds.get(canonical)
    if kind == "foreign":  # its gazetteer countries are where it fights, not its own
        return lexicon.country(canonical)
    if kind != "government":
        return ""
    listed = lexicon.group_countries.get(canonical, ())
    return listed[0] if listed else lexicon.country(canonical)


def _country(location: str, knowledge: FrameKnowledge, countries: list[str]) -> str:
    """The Location's last part when it names a country, else the article's first country."""
    last = location.rsplit(",", 1)[-1].strip()
    return (
        knowledge.lexicon.country(last)
        if last and knowledge.lexicon.country(last)
        else (countries or [""])[0]
    )


def _sides_country(sides: tuple[Side, ...], lexicon: NameLexicon) -> str:
    """The country most of the sides' known groups fight in, for an article that names none."""
    counts: dict[str, int] = {}
    for name in (n for side in sides for n in side.names):
        for code in lexicon.group_countries.get(name, ())[:1]:
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""


def main_place(location: str, title: str, knowledge: FrameKnowledge) -> str:
    """The Location's first place; the place the title names when the Location gives none
    or only a province or country."""
    first = re.split(r",|\s+and\s+", location, maxsplit=1)[0].strip() if location else ""
    first = re.sub(r"^(?:the|near|outside)\s+", "", first)
    named = title_place(title, knowledge.rules)
    broad = not first or (_is_broad(first, knowledge) and first not in named)  # "Marib" in "Marib City"
    return named if broad and named else first


def _is_broad(place: str, knowledge: FrameKnowledge) -> bool:
    """A province, a region named like one, or a country: no town."""
    places = knowledge.places
    return bool(
        _PROVINCE_WORDS.search(place) or place in places.admin1_phrases or knowledge.lexicon.country(place)
    )


def names_no_town(place: str, knowledge: FrameKnowledge) -> bool:
    """A province by its own word ("Idlib Governorate") or a country; a bare name that is a
    province and its capital ("Kunduz", "Idlib") is the town."""
    return bool(_PROVINCE_WORDS.search(place) or knowledge.lexicon.country(place))


def title_place(title: str, rules: FrameRules) -> str:
    """The place a title names ("Battle of X", "Siege of X", "X massacre", "Fall of X")."""
    for pattern in rules.title_places:
        match = pattern.fullmatch(
            title.split("|")[0].strip()[:MAX_VALUE_CHARS]
        )  # a table title keeps its cells
        if match:
            place = re.split(r"\s+and\s+", match.group("place").strip(), maxsplit=1)[0]
            return place.strip(" ,")
    return ""
