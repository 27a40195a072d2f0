"""Place tagger: towns and villages, provinces, named areas and countries.

Provinces (``models/admin1.yaml``), named areas (``models/regions.yaml``) and
countries (``models/countries.yaml``) are phrase patterns on folded norms.
Town names are runs of capitalised words looked up in the GeoNames index,
exactly and then fuzzily (misspellings) within the article's countries. The
words around a name set the precision: "near X" is 2, "northern Hama" is 3.
A name GeoNames lacks is still a place after "the village of" and kept as
written. Spans land in ``doc.spans["places"]`` with ``span._.place`` set.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.matching import TermTable, longest_values
from pipeline.nlp import keep_tagged, lowers, norms, span_records, texts, tokens_text
from pipeline.resources import DEFAULT_MODELS_DIR
from pipeline.taggers.place_gazetteer import Place, PlaceGazetteer

Found = tuple[int, int, Place]  # (start token, end token, place)


@Language.factory("conflict_places", default_config={"models_dir": str(DEFAULT_MODELS_DIR)})
def make_place_tagger(nlp: Language, name: str, models_dir: str) -> PlaceTagger:
    return PlaceTagger(nlp, PlaceGazetteer.from_models(models_dir))


class PlaceTagger:
    def __init__(self, nlp: Language, gazetteer: PlaceGazetteer) -> None:
        self.gazetteer = gazetteer
        self.rules = gazetteer.rules
        self.phrases = TermTable()
        self.places: dict[str, Place] = {}
        self.phrase_country: dict[str, str] = {}
        self._add_phrases(nlp)
        self.joiners = frozenset(self.rules["run_joiners"])
        self.max_run_words = int(self.rules["max_run_words"])
        self.not_place = set(self.rules["not_place_words"])
        self.name_articles = frozenset(self.rules["name_articles"])

    def _add_phrases(self, nlp: Language) -> None:
        gazetteer = self.gazetteer
        entries: list[tuple[str, str, Place]] = []
        for phrase, options in gazetteer.admin1_phrases.items():
            for code, name in options:
                place = Place(name, name, gazetteer.countries.get(code, code), precision=3, kind="admin1")
                entries.append((phrase, code, place))
        entries += [
            (phrase, code, place) for phrase, options in gazetteer.regions.items() for code, place in options
        ]
        for phrase, code in gazetteer.country_phrases.items():
            name = gazetteer.countries[code]
            entries.append((phrase, "", Place(name, "", name, precision=3, kind="country")))
        for phrase, code, place in entries:
            label = f"{place.kind}:{code}:{phrase}"
            self.places[label] = place
            self.phrase_country[label] = code
            key = tuple(gazetteer.folder.norm(token.text) for token in nlp.make_doc(phrase))
            self.phrases.add(key, [label])

    def __call__(self, doc: Doc) -> Doc:
        """Province, region and country names, then runs of capitals that name a town, as
        (start, end, place) triples: the longest where they overlap, none inside a faction."""
        countries = (doc._.context or {}).get("countries", [])
        factions = span_records(doc, "factions")
        blocked = {i for start, end, *_ in factions for i in range(start, end)}
        named = self._named_areas(doc, countries, blocked)
        taken = blocked | {i for start, end, _ in named for i in range(start, end)}
        towns = self._towns(doc, countries, taken, {end for _, end, _ in named})
        tagged = [
            (start, end, "PLACE", self._with_precision(doc, start, end, place, countries))
            for start, end, place in longest_values(named + towns)
        ]
        keep_tagged(doc, "places", "place", tagged)
        return doc

    def _named_areas(self, doc: Doc, countries: list[str], blocked: set[int]) -> list[Found]:
        """The provinces, regions and countries named outside ``blocked``. Of two areas with
        one name the one read last is kept (``longest_values``), and countries are read last:
        "troops from Chad, Niger and Nigeria" names the country Niger, not Nigeria's Niger State."""
        named: list[Found] = []
        for label, start, end in self.phrases.matches(norms(doc)):
            if self._admin1_elsewhere(label, countries) or not any(
                word[:1].isupper() for word in texts(doc)[start:end]
            ):
                continue
            if not blocked.intersection(range(start, end)):
                named.append(
                    (start, end, self._town_named_like(doc, start, end, self.places[label], countries))
                )
        return named

    def _town_named_like(self, doc: Doc, start: int, end: int, place: Place, countries: list[str]) -> Place:
        """ "Sirte", "Aden", "Idlib" alone are the towns; "Idlib Governorate", "northern Hama"
        and "the Hama countryside" are the provinces."""
        if (
            place.kind != "admin1"
            or tokens_text(doc, start, end) != place.name
            or self._province_context(doc, start, end)
        ):
            return place
        town = self.gazetteer.town(place.name, countries, fuzzy=False)
        return town if town is not None and town.admin1 == place.admin1 else place

    def _province_context(self, doc: Doc, start: int, end: int) -> bool:
        """ "northern Hama", "Idlib Governorate", "Idlib's rural countryside"."""
        modifier = lowers(doc)[start - 1] if start else ""
        after = lowers(doc)[end : end + 3]
        if after[:1] == ["'s"]:
            province = not self.rules["province_words"].isdisjoint(after[1:])
        else:
            province = bool(after) and after[0] in self.rules["province_words"]
        return modifier in self.rules["region_modifiers"] or province

    def _admin1_elsewhere(self, label: str, countries: list[str]) -> bool:
        """A province or area of a country the article is not about (many are common words)."""
        code = self.phrase_country.get(label)
        return bool(code) and code not in countries

    def _towns(self, doc: Doc, countries: list[str], taken: set[int], place_ends: set[int]) -> list[Found]:
        found: list[Found] = []
        words, lowered = texts(doc), lowers(doc)
        for start, end in name_runs(words, self.joiners, self.max_run_words):
            while start < end and self._not_name_start(words[start], lowered[start]):
                start += 1
            if start >= end or taken.intersection(range(start, end)):
                continue
            start = self._with_article(words, start, taken)
            place = self._resolve_run(doc, start, end, countries, place_ends)
            if place is not None:
                found.append((start, end, place))
                taken.update(range(start, end))
                place_ends.add(end)
        return found

    def _with_article(self, words: list[str], start: int, taken: set[int]) -> int:
        """ "al-Mastouma": a lower-case article and hyphen before the run are part of the name."""
        if start >= 2 and words[start - 1] in HYPHENS and words[start - 2] in self.name_articles:
            return start if start - 2 in taken else start - 2
        return start

    def _not_name_start(self, word: str, lowered: str) -> bool:
        """ "Around", "Near", "The", "Western" begin a run of capitals but not a name."""
        return word in self.not_place or lowered in self.rules["locative_words"] or not word[:1].isupper()

    def _resolve_run(
        self, doc: Doc, start: int, end: int, countries: list[str], place_ends: set[int]
    ) -> Place | None:
        text = tokens_text(doc, start, end)
        place = self.gazetteer.town(text, countries, fuzzy=self._cued(doc, start, end))
        if place is None and self._unknown_place(doc, start, end, place_ends):
            country = self.gazetteer.countries.get(countries[0], "") if countries else ""
            place = Place(text, kind="text", country=country)
        return place

    def _unknown_place(self, doc: Doc, start: int, end: int, place_ends: set[int]) -> bool:
        """A name GeoNames lacks is a place by its context: "the village of X", "X village",
        "captured X", "in X", or listed after a place ("A, B and C")."""
        if end - start == 1 and len(texts(doc)[start]) < 4:
            return False
        before = lowers(doc)[start - 1] if start else ""
        two_before = " ".join(lowers(doc)[start - 2 : start]) if start >= 2 else ""
        return (
            self._named_by_noun(doc, start, end)
            or before in self.rules["text_place_cues"]
            or two_before in self.rules["text_place_cues"]
            or self._listed_after_place(doc, start, place_ends)
        )

    def _listed_after_place(self, doc: Doc, start: int, place_ends: set[int]) -> bool:
        """ "A, B and C", "Idlib city and al-Mastouma", "X, the Y crossing": listed after a place."""
        skipped = LIST_WORDS | self.joiners | self.rules["trailing_place_nouns"]
        index = start
        while index > 0 and lowers(doc)[index - 1] in skipped:
            index -= 1
            if index in place_ends:
                return True
        return False

    def _cued(self, doc: Doc, start: int, end: int) -> bool:
        before = lowers(doc)[max(0, start - 3) : start]
        return not self.rules["locative_words"].isdisjoint(before) or self._named_by_noun(doc, start, end)

    def _named_by_noun(self, doc: Doc, start: int, end: int) -> bool:
        """ "the village of X" or "X village"."""
        noun_before = (
            start >= 2
            and lowers(doc)[start - 1] == "of"
            and lowers(doc)[start - 2] in self.rules["place_nouns"]
        )
        trailing = self.rules["trailing_place_nouns"]
        noun_after = end < len(doc) and lowers(doc)[end] in trailing
        noun_last = end - start >= 2 and lowers(doc)[end - 1] in trailing
        return noun_before or noun_after or noun_last

    def _with_precision(self, doc: Doc, start: int, end: int, place: Place, countries: list[str]) -> Place:
        before = lowers(doc)[max(0, start - 3) : start]
        if place.kind in ("town", "admin1") and self._province_context(doc, start, end):
            return self._province_of(place, countries)
        if place.kind != "country" and not self.rules["approximate_words"].isdisjoint(before):
            return replace(place, precision=max(place.precision, 2))
        return place

    def _province_of(self, place: Place, countries: list[str]) -> Place:
        """ "northern Hama", "Idlib Governorate": the province, precision 3."""
        if place.kind == "admin1" or not place.admin1:
            return replace(place, precision=3)
        return Place(place.admin1, place.admin1, place.country, place.latitude, place.longitude, 3, "admin1")


HYPHENS = frozenset({"-", "‐", "‑"})
LIST_WORDS = frozenset({",", "and", "or", "as", "well", "including", "the"})
_NAME_WORD = re.compile(r"^[A-Z][\w'’`ʿ]*$")


def name_runs(words: list[str], joiners: frozenset[str], max_words: int) -> list[tuple[int, int]]:
    """(start, end) of every run of capitalised words (joiners allowed inside), left to right.
    Runs start only at capitalised words, so only those are walked from."""
    runs, end = [], 0
    for index in [i for i, word in enumerate(words) if "A" <= word[:1] <= "Z"]:
        if index < end or not _NAME_WORD.match(words[index]):
            continue
        end, count, cursor = index + 1, 1, index + 1
        while cursor < len(words) and count < max_words:
            if _NAME_WORD.match(words[cursor]):
                count, end = count + 1, cursor + 1
            elif words[cursor] not in joiners:
                break
            cursor += 1
        runs.append((index, end))
    return runs
