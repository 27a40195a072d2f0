"""Events stage: one event per place, roles from the clause, dates carried over,
negated and hypothetical actions left out, attribution, follow-up figures."""

from __future__ import annotations

import random
from collections import Counter
from copy import deepcopy
from dataclasses import replace
from datetime import date, timedelta

import pytest

from pipeline.events.model import Sentences
from pipeline.events.places import fill_admin1, one_spelling
from pipeline.events.side_completion import complete_sides
from pipeline.guard import failing_stage
from pipeline.ingest_rules import any_of
from pipeline.normalize import strip_citations
from pipeline.records import Block, Document, Event, Metadata
from pipeline.taggers.date_patterns import token_test
from pipeline.taggers.place_gazetteer import Place
from pipeline.tagging import Mention, TaggedSentence


def events_of(
    extractor,
    paragraphs: list[str],
    date_text: str = "1 January – 31 December 2017",
    place: str = "Idlib Governorate, Syria",
    sides: list[list[str]] | None = None,
) -> list:
    text, blocks = "", []
    for paragraph in paragraphs:
        blocks.append(Block(paragraph, len(text)))
        text += paragraph + "\n\n"
    metadata = Metadata("T", date_text, place, sides=sides or [], supporters=[[] for _ in sides or []])
    document = Document("doc", "doc.md", "markdown", text, "0" * 64, metadata, blocks)
    return extractor.extract_document(document).events


def row(event) -> tuple:
    return (event.sub_event_type, event.actor1, event.actor2, event.location, str(event.event_date))


CASES = [
    (
        "On 7 February, Jund al-Aqsa captured the town of Kafr Zita and stormed Taybat al-Imam.",
        [
            ("Non-state actor overtakes territory", "Jund al-Aqsa", "", "Kafr Zita", "2017-02-07"),
            ("Armed clash", "Jund al-Aqsa", "", "Taybat al-Imam", "2017-02-07"),
        ],
    ),
    (
        "On 20 January, al-Nusra attacked Ahrar al-Sham outposts in Darkush and Jisr al-Shughur.",
        [
            ("Armed clash", "Jabhat Fateh al-Sham", "Ahrar al-Sham", "Darkush", "2017-01-20"),
            ("Armed clash", "Jabhat Fateh al-Sham", "Ahrar al-Sham", "Jisr al-Shughur", "2017-01-20"),
        ],
    ),
    (
        "On 15 February, Saraqib was captured by Ahrar al-Sham.",
        [("Non-state actor overtakes territory", "Ahrar al-Sham", "", "Saraqib", "2017-02-15")],
    ),
    (
        "On 3 March, clashes erupted between Ahrar al-Sham and Tahrir al-Sham in the city of Salqin.",
        [("Armed clash", "Ahrar al-Sham", "Hay'at Tahrir al-Sham", "Salqin", "2017-03-03")],
    ),
    (
        "On 9 June, government forces recaptured Saraqib from the rebels.",
        [
            (
                "Government regains territory",
                "Syrian Armed Forces",
                "Syrian opposition",
                "Saraqib",
                "2017-06-09",
            )
        ],
    ),
    (
        "On 26 January, HTS seized the village of Heish from Jund al-Aqsa.",
        [
            (
                "Non-state actor overtakes territory",
                "Hay'at Tahrir al-Sham",
                "Jund al-Aqsa",
                "Hish",
                "2017-01-26",
            )
        ],
    ),
    (
        "On 12 May, Jaysh al-Islam raided two shops in Saraqib.",
        [("Looting/property destruction", "Jaysh al-Islam", "", "Saraqib", "2017-05-12")],
    ),
    (
        "On 14 May, Jaysh al-Islam raided the warehouses of Saraqib.",
        [("Looting/property destruction", "Jaysh al-Islam", "", "Saraqib", "2017-05-14")],
    ),
    (
        "On 16 May, Jaysh al-Islam raided Ahrar al-Sham positions in Saraqib.",
        [("Armed clash", "Jaysh al-Islam", "Ahrar al-Sham", "Saraqib", "2017-05-16")],
    ),
    ("On 4 March, the Free Idlib Army denied that it was under attack by Ahrar al-Sham.", []),
    ("On 5 March, 600 militants would be transported to Raqqa to join ISIL.", []),
    ("On 6 March, the two groups were preparing for another round of clashes.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:45] for c in CASES])
def test_events(extractor, text, expected):
    assert [row(e) for e in events_of(extractor, [text])] == expected


def test_date_carries_over_and_pronoun_takes_the_last_actor(extractor):
    found = events_of(
        extractor, ["On 13 February, HTS attacked Jund al-Aqsa in Saraqib. They then captured Salqin."]
    )
    assert [(e.actor1, str(e.event_date), e.date_text) for e in found] == [
        ("Hay'at Tahrir al-Sham", "2017-02-13", "13 February"),
        ("Hay'at Tahrir al-Sham", "2017-02-13", "13 February"),
    ]


def test_attribution_is_the_hedge_as_written(extractor):
    found = events_of(
        extractor,
        [
            "On 2 March, according to pro-government sources, HTS attacked Ahrar al-Sham in Saraqib.",
            "On 3 March, Ahrar al-Sham reportedly executed 6 fighters in Salqin.",
        ],
    )
    assert [e.attribution for e in found] == ["according to pro-government sources", "reportedly"]


def test_follow_up_figures_join_the_event_before(extractor):
    found = events_of(
        extractor,
        [
            "On 5 April, a vehicle came under fire from HTS fighters near Saraqib. "
            "Al-Samahi and another fighter was killed in the shootout, while al-Saud was wounded."
        ],
    )
    assert len(found) == 1
    event = found[0]
    assert (event.fatalities, event.wounded) == (2, 1)
    assert event.notes.endswith("al-Saud was wounded.")


def test_places_that_bound_an_area_do_not_split_the_event(extractor):
    found = events_of(
        extractor,
        [
            "On 26 January, Ahrar al-Sham captured villages in the Jabal Zawiya region, in a "
            "region between Balyin, Kafr Naya, and Maarrat al-Nu'man."
        ],
    )
    assert [e.location for e in found] == ["Jabal Zawiya"]


def test_a_bare_continuation_is_no_event(extractor):
    assert events_of(extractor, ["Clashes then continued."]) == []


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ["On 7 March, three soldiers died when their vehicle hit an IED near Saraqib."],
            [("Remote explosive/landmine/IED", "Unidentified armed group", "")],
        ),
        (
            ["On 8 June, the Sham Legion repelled a JFS attack against an Ahrar al-Sham base in Saraqib."],
            [("Armed clash", "Jabhat Fateh al-Sham", "Sham Legion")],
        ),
        (
            [
                "On 13 February, clashes erupted between HTS and Jund al-Aqsa in Saraqib. HTS declared war on "
                "Jund al-Aqsa as a result, and the clashes resulted in the deaths of almost 70 fighters."
            ],
            [("Armed clash", "Hay'at Tahrir al-Sham", "Jund al-Aqsa")],
        ),
        (
            [
                "On 2 May, HTS attacked Ahrar al-Sham in Saraqib.",
                "On 4 May, HTS captured the town of Binnish.",
            ],
            [
                ("Armed clash", "Hay'at Tahrir al-Sham", "Ahrar al-Sham"),
                ("Non-state actor overtakes territory", "Hay'at Tahrir al-Sham", "Ahrar al-Sham"),
            ],
        ),
    ],
    ids=[
        "unnamed-bomber",
        "repelled-attack",
        "retelling-merges",
        "opponent-from-nearby",
    ],
)
def test_sides_and_retellings(extractor, paragraphs, expected):
    assert [(e.sub_event_type, e.actor1, e.actor2) for e in events_of(extractor, paragraphs)] == expected


# Clauses: where one sentence tells two events and where it tells one, from several wars.
# rows of (paragraph, article date, article place, expected (sub, actor1, actor2, location, date))
CLAUSES = [
    pytest.param(
        "On 19 March 2015 fighting broke out in Aden, and Sanaa was hit by a suicide bombing the following day.",
        "2015",
        "Yemen",
        [
            ("Armed clash", "", "", "Aden", "2015-03-19"),
            ("Suicide bomb", "Unidentified armed group", "", "Sanaa", "2015-03-20"),
        ],
        id="and-a-name-with-its-own-verb",
    ),
    pytest.param(
        "On 3 June 2014, Iraqi soldiers entered Tikrit at dawn, but within hours they were surrounded by "
        "Islamic State fighters.",
        "2014",
        "Saladin Governorate, Iraq",
        [
            ("Armed clash", "Iraqi Armed Forces", "Islamic State", "Tikrit", "2014-06-03"),
            ("Armed clash", "Islamic State", "Iraqi Armed Forces", "Tikrit", "2014-06-03"),
        ],
        id="far-apart-triggers-are-two-frames",
    ),
    pytest.param(
        "In March 2016, the army tried to regain Palmyra after it was lost to Islamic State on 21 May 2015.",
        "2016",
        "Homs Governorate, Syria",
        [
            ("Armed clash", "Syrian Armed Forces", "Islamic State", "Palmyra", "2016-03-01"),
            (
                "Non-state actor overtakes territory",
                "Islamic State",
                "Syrian Armed Forces",
                "Palmyra",
                "2015-05-21",
            ),
        ],
        id="subordinate-clause-leaves-the-attempt",
    ),
    pytest.param(
        "On 12 October 2019, after three days of fighting, the SDF withdrew from Ras al-Ayn.",
        "2019",
        "Al-Hasakah Governorate, Syria",
        [("Non-violent transfer of territory", "Syrian Democratic Forces", "", "Ras al-Ayn", "2019-10-12")],
        id="after-n-days-is-a-duration",
    ),
    pytest.param(
        "On 5 May 2013, rebels seized al-Qusayr and besieged the village of al-Dabaa.",
        "2013",
        "Homs Governorate, Syria",
        [
            ("Non-state actor overtakes territory", "Syrian opposition", "", "al-Qusayr", "2013-05-05"),
            ("Armed clash", "Syrian opposition", "", "al-Dabaa", "2013-05-05"),
        ],
        id="lower-case-article-starts-the-name",
    ),
    pytest.param(
        "On 8 June 2014, Islamic State stormed the Baiji Refinery.",
        "2014",
        "Saladin Governorate, Iraq",
        [("Armed clash", "Islamic State", "", "Baiji Refinery", "2014-06-08")],
        id="a-facility-name-is-a-place",
    ),
    pytest.param(
        "On 1 June 2015, the Front disbanded, merged with two brigades and formed a new alliance, the Army "
        "of Conquest.",
        "2015",
        "Idlib Governorate, Syria",
        [("Change to group/activity", "", "Army of Conquest", "", "2015-06-01")],
        id="one-change-per-actor",
    ),
    pytest.param(
        "On 4 May 2017, residents gathered in the main square of Kafr Nabl and protested against the "
        "occupation.",
        "2017",
        "Idlib Governorate, Syria",
        [("Peaceful protest", "Civilians", "", "Kafr Nabl", "2017-05-04")],
        id="the-weightier-detail-sets-the-type",
    ),
    pytest.param(
        "On 2 February 2012, witnesses said 40 vehicles took part in the assault on Kidal.",
        "2012",
        "Kidal Region, Mali",
        [("Armed clash", "", "", "Kidal", "2012-02-02")],
        id="a-nominal-event-naming-its-place-is-told-here",
    ),
    pytest.param(
        "On 24 March 2021, the insurgents quickly secured the coast and the main roads into Palma.",
        "2021",
        "Cabo Delgado, Mozambique",
        [
            (
                "Non-state actor overtakes territory",
                "Islamic State – Central Africa Province",
                "",
                "Palma",
                "2021-03-24",
            )
        ],
        id="a-place-noun-is-a-light-verb-object",
    ),
]


# The article's frame decides what generic sides mean (codebook section 7): rows of
# (paragraph, article date, article place, infobox sides, expected (sub, actor1, actor2, location, date))
FRAME_SIDES = [
    pytest.param(
        "On 3 March 2016, the insurgents shelled Ramadi.",
        "2016",
        "Ramadi, Anbar Governorate, Iraq",
        [["Iraq"], ["Islamic State of Iraq and the Levant"]],
        [
            (
                "Shelling/artillery/missile attack",
                "Islamic State",
                "Iraqi Armed Forces",
                "Ramadi",
                "2016-03-03",
            )
        ],
        id="insurgents-are-the-principal-group",
    ),
    pytest.param(
        "On 26 March 2021, government forces retook Mocimboa da Praia.",
        "2021",
        "Cabo Delgado, Mozambique",
        [["Mozambique"], ["Islamic State – Central Africa Province"]],
        [
            (
                "Government regains territory",
                "Mozambique Defence Armed Forces",
                "Islamic State – Central Africa Province",
                "Mocimboa da Praia",
                "2021-03-26",
            )
        ],
        id="the-state-and-its-opponent",
    ),
    pytest.param(
        "On 9 May 2019, Tahrir al-Sham and the Turkistan Islamic Party clashed with the army near Kafr Nabudah.",
        "2019",
        "Hama Governorate, Syria",
        [["Syrian Arab Republic"], ["Tahrir al-Sham", "Turkistan Islamic Party"]],
        [("Armed clash", "Hay'at Tahrir al-Sham", "Syrian Armed Forces", "Kafr Nabudah", "2019-05-09")],
        id="allies-are-no-opponents",
    ),
    pytest.param(
        "On 13 April 2015, the militants stormed the town.",
        "2015",
        "Damasak, Borno State, Nigeria",
        [["Boko Haram"]],
        [("Armed clash", "Boko Haram", "Civilians", "Damasak", "2015-04-13")],
        id="the-town-is-the-article-s-town",
    ),
    pytest.param(
        "On 2 January 2015, Boko Haram overran the barracks of a force with troops from Chad and Niger.",
        "2015",
        "Baga, Borno State, Nigeria",
        [["Boko Haram"]],
        [("Armed clash", "Boko Haram", "", "Baga", "2015-01-02")],
        id="troops-from-a-country-say-no-place",
    ),
    pytest.param(
        "On 7 January 2015, about 620 structures in Doron Baga were destroyed by fire.",
        "2015",
        "Baga, Borno State, Nigeria",
        [["Boko Haram"]],
        [("Looting/property destruction", "Boko Haram", "Civilians", "Doron Baga", "2015-01-07")],
        id="a-one-sided-article-names-the-perpetrator",
    ),
    pytest.param(
        "On 9 March 2014, at least 60 were killed in the attack on Kawuri.",
        "2014",
        "Kawuri, Borno State, Nigeria",
        [["Boko Haram"]],
        [("Armed clash", "Boko Haram", "Civilians", "Kawuri", "2014-03-09")],
        id="a-one-sided-article-s-attack-hits-civilians",
    ),
    pytest.param(
        "On 28 September 2015, the Taliban overran the city.",
        "2015",
        "Kunduz, Afghanistan",
        [["Afghanistan"], ["Taliban"]],
        [("Armed clash", "Taliban", "Afghan Armed Forces", "Kunduz", "2015-09-28")],
        id="a-town-named-like-its-province-is-the-town",
    ),
    pytest.param(
        "On 12 June 2014, Islamic State fighters executed dozens of captured cadets.",
        "2014",
        "Tikrit, Saladin Governorate, Iraq",
        [["Iraq"], ["Islamic State of Iraq and the Levant"]],
        [("Attack", "Islamic State", "Civilians", "Tikrit", "2014-06-12")],
        id="an-event-naming-no-place-is-in-the-article-s-town",
    ),
    pytest.param(
        "On 5 September 2014, Ukraine and the Donetsk People's Republic signed a ceasefire agreement.",
        "2014",
        "Ilovaisk, Donetsk Oblast, Ukraine",
        [["Ukraine"], ["Donetsk People's Republic"]],
        [("Agreement", "Armed Forces of Ukraine", "", "", "2014-09-05")],
        id="a-deal-has-no-place-of-its-own",
    ),
]


@pytest.mark.parametrize(("text", "date_text", "place", "sides", "expected"), FRAME_SIDES)
def test_generic_sides_resolve_through_the_frame(extractor, text, date_text, place, sides, expected):
    assert [row(event) for event in events_of(extractor, [text], date_text, place, sides)] == expected


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("The insurgency in Cabo Delgado began in 2017.", ("2021-03-24", "2021-04-05")),
        ("On 26 March 2021 the insurgents cut the roads to Palma.", ("2021-03-26", "2021-03-26")),
    ],
    ids=["a-year-outside-the-article-dates-nothing", "a-day-carries-over"],
)
def test_an_undated_sentence_takes_the_date_before_it_inside_the_article_range(extractor, first, expected):
    found = events_of(
        extractor, [f"{first} The insurgents then stormed Palma."], "24 March – 5 April 2021", "Mozambique"
    )
    assert (str(found[-1].event_date), str(found[-1].event_date_end)) == expected


def test_an_explosion_is_no_detail_of_the_battle_before(extractor):
    found = events_of(
        extractor,
        [
            "On 14 May 2015, Islamic State fighters attacked Ramadi. During this attack, car bombs exploded at "
            "three army checkpoints in the city."
        ],
        "2015",
        "Anbar Governorate, Iraq",
    )
    assert [e.event_type for e in found] == ["Battles", "Explosions/Remote violence"]


@pytest.mark.parametrize(("text", "date_text", "place", "expected"), CLAUSES)
def test_clauses_one_event_or_two(extractor, text, date_text, place, expected):
    assert [row(event) for event in events_of(extractor, [text], date_text, place)] == expected


def test_a_purpose_is_no_event(extractor):
    found = events_of(
        extractor, ["On 19 February, 600 militants left their positions in Salqin to join ISIL."]
    )
    assert [e.sub_event_type for e in found] == ["Non-violent transfer of territory"]


def test_retelling_adds_its_figures_and_evidence(extractor):
    found = events_of(
        extractor,
        [
            "On 13 February, clashes erupted between HTS and Jund al-Aqsa in Saraqib. HTS "
            "declared war on Jund al-Aqsa as a result, and the clashes resulted in the "
            "deaths of almost 70 fighters."
        ],
    )
    assert (found[0].fatalities, found[0].fatalities_high) == (70, 70)
    assert found[0].notes.endswith("almost 70 fighters.")


def test_the_article_title_is_no_event(extractor):
    text, title = (
        "The Saraqib clashes (May 2017) were fought between HTS and Ahrar al-Sham.",
        "Saraqib clashes (May 2017)",
    )
    document = Document(
        "doc", "doc.md", "markdown", text, "0" * 64, Metadata(title, "May 2017"), [Block(text, 0)]
    )
    assert extractor.extract_document(document).events == []


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        (
            "On 3 March, the last rebels left their remaining positions in Salqin.",
            "Non-violent transfer of territory",
        ),
        ("On 3 March, the militia left their last positions in Ariha.", "Non-violent transfer of territory"),
        ("On 3 March, Ahrar al-Sham expelled Jund al-Aqsa from its ranks.", "Change to group/activity"),
        (
            "On 3 March, Ahrar al-Sham announced it had expelled from its ranks a brigade in Binnish.",
            "Change to group/activity",
        ),
        (
            "On 3 March, the Levant Front declared the dissolution of its Aleppo wing.",
            "Change to group/activity",
        ),
        (
            "On 3 March, Jaysh al-Izza announced the disbanding of a battalion in Hama.",
            "Change to group/activity",
        ),
    ],
    ids=[
        "remaining-positions",
        "last-positions",
        "expelled-x-from-ranks",
        "expelled-from-ranks",
        "declared-dissolution",
        "announced-disbanding",
    ],
)
def test_withdrawals_expulsions_and_dissolutions_phrased_several_ways(extractor, text, sub_type):
    assert [e.sub_event_type for e in events_of(extractor, [text])] == [sub_type]


def _complete_sides_by_sorting(events, title_sides, lex):
    """The reading ``complete_sides`` gives, as it was written before its index: every
    pair sorted by distance and every side counted again for each event (quadratic)."""
    fighting = [e for e in events if e.event_type in lex.fighting_types]
    pairs = [(i, e) for i, e in enumerate(fighting) if e.actor1 and e.actor2]
    if len(title_sides) == 2:
        title = Event("", "", "", "", "", 0, 0, "", actor1=title_sides[0], actor2=title_sides[1])
        pairs += [(i, replace(title, event_date=e.event_date)) for i, e in enumerate(fighting)]

    def within_month(e, other):
        both = e.event_date is not None and other.event_date is not None
        return both and abs((e.event_date - other.event_date).days) <= 31

    def usual(known, event):
        partners = {known, *event.assoc_actor_1, *event.assoc_actor_2}
        counts = Counter(
            n for e in events for n in (e.actor1, e.actor2) if n and n not in partners and n not in lex.crowds
        )
        best = counts.most_common(1)
        return best[0][0] if best and best[0][1] >= 2 else ""

    for index, event in enumerate(fighting):
        known = event.actor1 or event.actor2
        if event.actor1 and event.actor2:
            continue
        ordered = sorted(pairs, key=lambda p: (abs(p[0] - index), p[0] > index))
        nearby = [e for _, e in ordered if within_month(e, event)]
        if not known and nearby:
            event.actor1, event.actor2 = nearby[0].actor1, nearby[0].actor2
            continue
        opponent = next(
            (b if a == known else a for a, b in ((e.actor1, e.actor2) for e in nearby) if known in (a, b)), ""
        ) or usual(known, event)
        if opponent and opponent not in (*event.assoc_actor_1, *event.assoc_actor_2):
            if event.actor1:
                event.actor2 = opponent
            else:
                event.actor1 = opponent
            if not known:
                event.actor2 = usual(opponent, event)


def _random_events(seed: int, count: int) -> list[Event]:
    rng = random.Random(seed)
    names = ["", "", "", "A", "B", "C", "D", "Civilians"]
    events = []
    for index in range(count):
        day = rng.choice([None, *range(0, 120, 7)])
        event = Event("d", "t", "", rng.choice(["Battles", "Battles", "Riots"]), "", index, index + 1, "")
        event.actor1, event.actor2 = rng.choice(names), rng.choice(names)
        event.actor2 = "" if event.actor2 == event.actor1 else event.actor2
        event.assoc_actor_1 = rng.choice([[], [], ["C"], ["D"]])
        event.event_date = None if day is None else date(2017, 1, 1) + timedelta(days=day)
        events.append(event)
    return events


@pytest.mark.parametrize("seed", range(40))
def test_sides_are_completed_as_by_sorting_every_pair(extractor, seed):
    """The pair index and running counts give what sorting every pair and counting every
    side for each event gave, on random articles (sides, dates, types, ties)."""
    lex = extractor.resolvers.lex
    events = _random_events(seed, 5 + seed * 3)
    title_sides = ("A", "D") if seed % 3 == 0 else ()
    expected = deepcopy(events)
    _complete_sides_by_sorting(expected, title_sides, lex)
    complete_sides(events, frozenset(), title_sides, lex)
    assert [(e.actor1, e.actor2) for e in events] == [(e.actor1, e.actor2) for e in expected]


@pytest.mark.parametrize("seed", range(20))
def test_admin1_and_evidence_come_from_the_nearest_sentences(seed):
    """The nearest province of a paragraph and the sentences an evidence spans, found by
    bisection, are those that reading every sentence finds."""
    rng = random.Random(seed)
    sentences, start = [], 0
    for index in range(30):
        length = rng.randint(5, 40)
        places = [
            Mention("place", 0, 1, "x", Place("x", rng.choice(["P", "Q", "R"])))
            for _ in range(rng.randint(0, 2))
        ]
        sentences.append(TaggedSentence(index // 6, "", start, start + length, "s", ["s"], places))
        start += length + rng.randint(1, 3)
    events = []
    for sentence in rng.sample(sentences, 10):
        event = Event("d", "t", "", "Battles", "", sentence.char_start, sentence.char_end, "", location="L")
        events.append(event)
    expected = deepcopy(events)
    provinces = [(s.block, s.char_start, m.value.admin1) for s in sentences for m in s.of("place")]
    for event in expected:
        block = next(s.block for s in sentences if s.char_start == event.char_start)
        near = [(abs(st - event.char_start), a) for b, st, a in provinces if b == block]
        event.admin1 = min(near)[1] if near else Counter(a for _, _, a in provinces).most_common(1)[0][0]
    fill_admin1(events, sentences)
    assert [e.admin1 for e in events] == [e.admin1 for e in expected]
    index = Sentences(sentences)
    for event in events:
        end = event.char_end + rng.randint(0, 200)
        spanned = [s for s in sentences if event.char_start <= s.char_start and s.char_end <= end]
        assert index.within(event.char_start, end) == spanned


@pytest.mark.parametrize("retellings", [0, 1, 3, 400])
def test_a_paragraph_retelling_one_event_gives_one_event_with_every_sentence(extractor, retellings):
    """Each retelling adds its sentence to the evidence (notes written once, at the end)."""
    first = "On 3 March rebels attacked the town of Saraqib, killing 5 soldiers."
    paragraph = " ".join([first] + ["The rebels attacked the town."] * retellings)
    found = events_of(extractor, [paragraph])
    assert len(found) == 1
    assert found[0].notes == paragraph
    assert (found[0].char_start, found[0].char_end) == (0, len(paragraph))


RETOLD = "The rebels attacked the town, {}."
RETELLINGS = [
    (["killing 6 soldiers"], ["killing 5 soldiers", "killing 6 soldiers"]),
    (["killing 6 soldiers"] * 3, ["killing 5 soldiers", "killing 6 soldiers"]),
    (["killing 5 soldiers", "wounding 4 soldiers"], ["killing 5 soldiers", "wounding 4 soldiers"]),
    ([f"killing {n} soldiers" for n in range(6, 306)], [f"killing {n} soldiers" for n in range(5, 306)]),
]


@pytest.mark.parametrize(("figures", "expected"), RETELLINGS, ids=["one", "same-thrice", "kinds", "300-new"])
def test_retellings_add_each_figure_phrase_once(extractor, figures, expected):
    first = "On 3 March rebels attacked the town of Saraqib, killing 5 soldiers."
    found = events_of(extractor, [" ".join([first] + [RETOLD.format(f) for f in figures])])
    assert [event.casualty_text for event in found] == [expected]


def test_a_follow_up_figure_between_retellings_is_not_added_twice(extractor):
    """A figure a follow-up sentence adds is seen by the next retelling."""
    paragraph = (
        "On 3 March rebels attacked the town of Saraqib, killing 5 soldiers. "
        "The rebels attacked the town, killing 6 soldiers. 4 soldiers were wounded. "
        "The rebels attacked the town, killing 6 soldiers, and 4 soldiers were wounded."
    )
    found = events_of(extractor, [paragraph])
    assert [event.casualty_text for event in found] == [
        ["killing 5 soldiers", "killing 6 soldiers", "4 soldiers were wounded"]
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("On 5 April, ISWAP fighters ambushed an army convoy near Monguno.", "Nine soldiers were killed."),
        ("On 9 May, al-Shabaab attacked a base outside Kismayo.", "Four attackers were killed in the raid."),
    ],
)
def test_notes_join_sentences_as_the_source_does(extractor, first, second):
    """Sentences glued in a paragraph ("Monguno.Nine"), or with citation marks between them,
    are joined in the notes as the source joins them, so the notes are always the evidence
    span of the source without its citation marks."""
    for separator in (" ", "", "[3]", " [3]", "[3] [4]", " [3][citation needed] "):
        found = events_of(extractor, [first + separator + second])
        assert [e.notes for e in found] == [strip_citations(first + separator + second)]


def test_a_follow_up_figure_never_crosses_a_heading(extractor):
    first = "On 5 April, ISWAP fighters ambushed an army convoy near Monguno."
    text = f"{first}\n\nAftermath\n\nAt least nine soldiers were killed in the ambush.\n"
    blocks = [Block(first, 0), Block(text.split("\n\n")[2].strip(), text.index("At least"), "Aftermath")]
    document = Document("doc", "doc.txt", "wikipedia-text", text, "0" * 64, Metadata("T", "2017"), blocks)
    found = extractor.extract_document(document).events
    assert found and all("Aftermath" not in text[e.char_start : e.char_end] for e in found)
    assert found[0].notes == first


def test_an_error_in_any_module_of_the_events_stage_is_named_events():
    """The status line names the stage, not the module of the events package it came from."""
    with pytest.raises(TypeError) as caught:
        fill_admin1([], None)
    assert failing_stage(caught.value) == "events"


# Sides the frame and the country resolve (codebook section 7), in articles from several wars.
COUNTRY_SIDES = [
    pytest.param(
        "On 3 March 2019, jihadists attacked an army post in Dioura.",
        "2019",
        "Mopti Region, Mali",
        None,
        [("Armed clash", "Unidentified armed group", "", "Dioura", "2019-03-03")],
        id="no-frame-no-country-side-unidentified",
    ),
    pytest.param(
        "On 8 August 2019, the rebels overran a checkpoint in Bunia.",
        "2019",
        "Ituri Province, Democratic Republic of the Congo",
        [["Allied Democratic Forces"], ["Armed Forces of the Democratic Republic of the Congo"]],
        [
            (
                "Armed clash",
                "Allied Democratic Forces",
                "Armed Forces of the Democratic Republic of the Congo",
                "Bunia",
                "2019-08-08",
            )
        ],
        id="the-frame-principal-group",
    ),
    pytest.param(
        "On 17 May 2016, Iraq recaptured Rutba from the Islamic State.",
        "2016",
        "Anbar Governorate, Iraq",
        None,
        [("Government regains territory", "Iraqi Armed Forces", "Islamic State", "Rutba", "2016-05-17")],
        id="a-country-as-subject-is-its-forces",
    ),
    pytest.param(
        "On 21 January 2018, Turkey launched airstrikes on Afrin.",
        "2018",
        "Aleppo Governorate, Syria",
        None,
        [("Air/drone strike", "Turkish Armed Forces", "", "Afrin", "2018-01-21")],
        id="a-foreign-country-as-subject",
    ),
    pytest.param(
        "On 4 June 2015, Taliban insurgents attacked a police post in Kunduz.",
        "2015",
        "Kunduz Province, Afghanistan",
        None,
        [("Armed clash", "Taliban", "", "Kunduz", "2015-06-04")],
        id="a-generic-noun-after-a-name-is-its-head",
    ),
    pytest.param(
        "On 5 May 2014, government forces stormed Sloviansk.",
        "2014",
        "Donetsk Oblast, Ukraine",
        None,
        [("Armed clash", "Armed Forces of Ukraine", "Donetsk People's Republic", "Sloviansk", "2014-05-05")],
        id="no-sides-the-state-fights-its-wars-main-side",
    ),
    pytest.param(
        "On 20 August 2016, government troops advanced into Darayya.",
        "2016",
        "Rif Dimashq Governorate, Syria",
        [["Syrian Armed Forces"], ["Ajnad al-Sham"]],
        [("Armed clash", "Syrian Armed Forces", "Ajnad al-Sham Islamic Union", "Darayya", "2016-08-20")],
        id="sides-listed-the-frame-not-the-main-side",
    ),
    pytest.param(
        "On 3 June 2014, Ansar al-Islam fighters stormed a checkpoint in Kirkuk.",
        "2014",
        "Kirkuk Governorate, Iraq",
        [["Iraqi Armed Forces"], ["Islamic State"]],
        [("Armed clash", "Ansar al-Islam", "Iraqi Armed Forces", "Kirkuk", "2014-06-03")],
        id="a-group-the-frame-does-not-list-fights-the-state",
    ),
    pytest.param(
        "On 2 May 2016, fighters led by Boko Haram attacked Gamboru.",
        "2016",
        "Borno State, Nigeria",
        None,
        [("Armed clash", "Boko Haram", "", "Gamboru", "2016-05-02")],
        id="led-by-the-leader-acts",
    ),
]


# A strike on a civilian site hits civilians; who runs the site stands beside them.
CIVILIAN_SITES = [
    pytest.param(
        "On 3 October 2015, a US airstrike hit a hospital run by MSF in Kunduz.",
        "2015",
        "Kunduz Province, Afghanistan",
        [("Air/drone strike", "United States", "Civilians", ["Médecins Sans Frontières"])],
        id="hospital-run-by-an-agency",
    ),
    pytest.param(
        "On 9 August 2018, eleven pupils were killed by Saudi-led coalition airstrikes on a school in Dahyan.",
        "2018",
        "Saada Governorate, Yemen",
        [("Air/drone strike", "Saudi-led coalition", "Civilians", [])],
        id="the-name-before-a-strike-noun-is-its-actor",
    ),
    pytest.param(
        "On 2 June 2016, three ISIL suicide bombers targeted a field hospital in Sirte.",
        "2016",
        "Sirte District, Libya",
        [("Suicide bomb", "Islamic State", "", [])],
        id="a-field-hospital-is-no-civilian-site",
    ),
]


@pytest.mark.parametrize(("text", "date_text", "place", "expected"), CIVILIAN_SITES)
def test_a_strike_on_a_civilian_site_hits_civilians(extractor, text, date_text, place, expected):
    events = events_of(extractor, [text], date_text, place)
    assert [(e.sub_event_type, e.actor1, e.actor2, e.assoc_actor_2) for e in events] == expected


@pytest.mark.parametrize(("text", "date_text", "place", "sides", "expected"), COUNTRY_SIDES)
def test_sides_through_the_frame_and_the_country(extractor, text, date_text, place, sides, expected):
    assert [row(event) for event in events_of(extractor, [text], date_text, place, sides)] == expected


def test_a_large_namesake_abroad_is_not_the_town_an_article_names(extractor):
    """Palma in Mozambique is missing from the gazetteer; Palma de Mallorca is no substitute."""
    events = events_of(
        extractor,
        ["On 24 March 2021, insurgents attacked the town of Palma."],
        "2021",
        "Cabo Delgado, Mozambique",
    )
    assert [(e.location, e.country, e.latitude) for e in events] == [("Palma", "Mozambique", None)]


SPELLING_CASES = [
    # (locations and geonameids of a document's events, the locations written)
    (
        [("Maarat al-Nu'man", 1), ("Maarrat al-Nu'man", 1), ("Maarrat al-Nu'man", 1)],
        ["Maarrat al-Nu'man"] * 3,
    ),
    ([("Hama", 2), ("Ḩamāh", 2)], ["Hama", "Hama"]),
    ([("Saraqib", 3), ("Atarib", 4)], ["Saraqib", "Atarib"]),
    ([("Moqa", None), ("Moqa village", None)], ["Moqa", "Moqa village"]),
]


@pytest.mark.parametrize(("places", "expected"), SPELLING_CASES, ids=[c[1][0] for c in SPELLING_CASES])
def test_one_place_is_written_one_way_in_a_document(places, expected):
    events = [
        Event("d", "t", "", "Battles", "", 0, 1, "", location=name, geonameid=geonameid)
        for name, geonameid in places
    ]
    one_spelling(events)
    assert [e.location for e in events] == expected


def test_two_spellings_of_a_town_are_one_place_and_one_name(extractor):
    found = events_of(
        extractor,
        [
            "On 3 March, clashes erupted between Ahrar al-Sham and HTS in Maarrat al-Nu'man.",
            "On 5 March, HTS captured Maarat al-Nu'man.",
        ],
    )
    assert [(e.location, e.geonameid) for e in found] == [("Maarrat al-Nu'man", 167611)] * 2


def test_an_offensive_led_by_a_side_against_another(extractor):
    """ "an offensive led by A and their B allies against C": A acts with B beside it, on C."""
    text = (
        "On 4 March 2016, an offensive led by the Iraqi Army and their Popular Mobilization Forces allies "
        "against the Islamic State began near Samarra."
    )
    first = events_of(extractor, [text], "2016", "Saladin Governorate, Iraq")[0]
    assert (first.actor1, first.assoc_actor_1, first.actor2) == (
        "Iraqi Armed Forces",
        ["Popular Mobilization Forces"],
        "Islamic State",
    )


def test_another_clause_s_relative_date_does_not_date_the_event_before_it(extractor):
    """ "X stormed the town before the army retook it days later": the storming keeps the
    section's date; only the retaking is days later."""
    paragraphs = [
        "On 3 May 2016, heavy fighting began in Anbar.",
        "Islamic State stormed Rutba before the army retook the town days later.",
    ]
    events = events_of(extractor, paragraphs, "2016", "Anbar Governorate, Iraq")
    dated = [(e.actor1, str(e.event_date), str(e.event_date_end)) for e in events if "Rutba" in e.notes]
    assert dated == [
        ("Islamic State", "2016-05-03", "2016-05-03"),
        ("Iraqi Armed Forces", "2016-05-05", "2016-05-10"),
    ]


def test_encircled_by_two_sides_is_their_act(extractor):
    """ "became encircled by A and B": a passive with "became"; B stands with A."""
    text = (
        "On 5 March 2016, government troops became encircled by Islamic State fighters and Ansar al-Islam "
        "militants near Hawija."
    )
    events = events_of(extractor, [text], "2016", "Kirkuk Governorate, Iraq")
    assert [(e.actor1, e.assoc_actor_1, e.actor2) for e in events] == [
        ("Islamic State", ["Ansar al-Islam"], "Iraqi Armed Forces")
    ]


def test_a_unit_of_a_named_force_acts_for_it(extractor):
    """ "the 4th Brigade of the 2nd Division of the Iraqi Army attacked": the army acts, its unit beside it."""
    text = "On 6 June 2016, the 4th Brigade of the 2nd Division of the Iraqi Army attacked Islamic State in Fallujah."
    events = events_of(extractor, [text], "2016", "Anbar Governorate, Iraq")
    assert [(e.actor1, e.actor2) for e in events] == [("Iraqi Armed Forces", "Islamic State")]


@pytest.mark.parametrize(
    ("failing", "stage"),
    [
        (lambda: token_test({"BOGUS": 1}, "dates.yaml"), "dates"),
        (lambda: any_of(["(unclosed"]), "ingest"),
    ],
    ids=["date-patterns", "ingest-rules"],
)
def test_an_error_in_a_module_split_from_a_stage_is_named_after_the_stage(failing, stage):
    with pytest.raises(Exception) as caught:
        failing()
    assert failing_stage(caught.value) == stage
