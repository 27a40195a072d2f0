"""The article frame read from every infobox layout, on invented infoboxes from several wars."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.frame import ArticleFrame, Side, title_place
from pipeline.ingest import read_document

DEV_DOCS = Path(__file__).resolve().parents[2] / "shared" / "dev" / "docs"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PROSE = (
    "The fighting in the town lasted for several weeks and was reported by many observers "
    "on both sides of the front line, who described heavy shelling of its districts."
)

# A Battle of Mosul-like text dump: glued labels, a coordinate Location, a Belligerents block
# with flag captions, supporters and blank lines.
MOSUL_TXT = f"""Battle of Qayyara (2016)

Battle of Qayyara (2016)
Part of the War in Iraq
Date17 October 2016 – 9 July 2017[1]
(8 months, 3 weeks)
Location36°20′N 43°08′E / 36.34°N 43.13°E
Result Iraqi victory
Belligerents

Iraq Republic of Iraq
Supported by:
United States United States

Islamic State
Commanders and leaders
Iraq Gen. Example Person
Casualties and losses
1,200 killed

{PROSE}
"""

# A Chechen-war-like Markdown file: dates and place in front matter, sides as multi-line tags.
CHECHEN_MD = f"""---
subject: "Battle of Argunsk (1995)"
date:
  - "9–12 March 1995 (1995-03-09)"
place:
  - "Argunsk, Chechnya, Russia"
tags:
  - "Battle of Argunsk (1995)"
  - |-
    Russian Armed Forces
    * 101st Brigade
  - |-
    Chechen Republic of Ichkeria
    Supported by:
    Arab Mujahideen
---

{PROSE}
"""

# A Sri Lanka-like HTML infobox table with numbered Combatant rows and an inline "Supported by".
SRI_LANKA_HTML = f"""<!DOCTYPE html><html><head><title>Siege of Kilinagar - Wikipedia</title></head><body>
<h1>Siege of Kilinagar</h1>
<table class="infobox"><tbody>
<tr><th>Date</th><td>2 – 9 April 1998<sup class="reference">[1]</sup> | time-begin =</td></tr>
<tr><th>Place</th><td>Kilinagar, Northern Province, Sri Lanka</td></tr>
<tr><th>Combatant</th><td>1: | Liberation Tigers of Tamil Eelam Supported by:Sea Tigers Unit</td></tr>
<tr><th>Combatant</th><td>2: | Sri Lanka Army</td></tr>
<tr><th>Commander</th><td>1: | Colonel Example</td></tr>
<tr><th>Casualties</th><td>1: | 40 killed</td></tr>
</tbody></table>
<p>{PROSE}</p>
</body></html>
"""

# A Yemen-like dump whose two sides are glued on one line, and a Libya-like one whose
# flat list of sides has lost its Belligerents label.
YEMEN_TXT = f"""Battle of Marib City

Battle of Marib City
Date3–20 May 2020
LocationMarib, Yemen
Belligerents
 Yemen Houthis[2]
Commanders and leaders
Example Commander

{PROSE}
"""

LIBYA_TXT = f"""Fall of Gharyan

Fall of Gharyan
Date26 June 2019
LocationGharyan, Libya
Result GNA victory

  • GNA captures the town[1]

Libya Government of National Accord[3]

Islamic State
Commanders and leaders
Example Commander

{PROSE}
"""

SOMALI_KEY_VALUE = f"""= 2011 Garbaharey massacre =

Infobox
- Title: 2011 Garbaharey massacre
- Location: Garbaharey, Gedo, Somalia
- Date: 3– | time-begin = | time-end =
- Perps: al-Shabaab

{PROSE}
"""

MALI_TABLE = f"""Battle of Tessit | |||||||
---|---|---|---|---|---|---|---|
Part of the Mali War | |||||||
Belligerents | |||||||
Ansar Dine [1] Macina Liberation Front [2] | Mali [3] | ||||||
Commanders and leaders | |||||||
{PROSE}
"""


def _read(tmp_path: Path, name: str, text: str, rules):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, tmp_path, rules)


def _frame(extractor, document) -> ArticleFrame:
    extractor.tag(document)
    return extractor.frame


LAYOUTS = [
    pytest.param(
        "mosul.txt",
        MOSUL_TXT,
        [["Iraqi Armed Forces"], ["Islamic State"]],
        [["United States"], []],
        "Qayyara",
        "IQ",
        id="text dump: flags doubled, supporters, coordinates",
    ),
    pytest.param(
        "chechen.md",
        CHECHEN_MD,
        [["Russian Armed Forces", "101st Brigade"], ["Chechen Republic of Ichkeria"]],
        [[], ["Arab Mujahideen"]],
        "Argunsk",
        "RU",
        id="front matter: a tag per side",
    ),
    pytest.param(
        "sri-lanka.html",
        SRI_LANKA_HTML,
        [["Liberation Tigers of Tamil Eelam"], ["Sri Lanka Army"]],
        [["Sea Tigers Unit"], []],
        "Kilinagar",
        None,  # Sri Lanka is no country of models/countries.yaml
        id="HTML: numbered Combatant rows",
    ),
    pytest.param(
        "yemen.txt",
        YEMEN_TXT,
        [["Yemeni Armed Forces"], ["Houthis"]],
        [[], []],
        "Marib",
        "YE",
        id="two sides glued",
    ),
    pytest.param(
        "libya.txt",
        LIBYA_TXT,
        [["Government of National Accord"], ["Islamic State"]],
        [[], []],
        "Gharyan",
        "LY",
        id="side label lost",
    ),
    pytest.param(
        "somali.txt",
        SOMALI_KEY_VALUE,
        [["al-Shabaab"]],
        [[]],
        "Garbaharey",
        "SO",
        id="key-value lines: perpetrator",
    ),
    pytest.param(
        "mali.txt",
        MALI_TABLE,
        [["Ansar Dine", "Katiba Macina"], ["Malian Armed Forces"]],
        [[], []],
        "Tessit",
        "ML",
        id="table cells are columns",
    ),
]


@pytest.mark.parametrize(("name", "text", "sides", "supporters", "place", "country"), LAYOUTS)
def test_frame_of_each_layout(extractor, rules, tmp_path, name, text, sides, supporters, place, country):
    frame = _frame(extractor, _read(tmp_path, name, text, rules))
    assert [list(side.names) for side in frame.sides] == sides
    assert [list(side.supporters) for side in frame.sides] == supporters
    assert frame.place == place
    assert country is None or frame.country == country


@pytest.mark.parametrize(
    ("name", "text", "date_text", "place"),
    [
        ("mosul.txt", MOSUL_TXT, "17 October 2016 – 9 July 2017", ""),
        ("chechen.md", CHECHEN_MD, "9–12 March 1995", "Argunsk, Chechnya, Russia"),
        ("sri-lanka.html", SRI_LANKA_HTML, "2 – 9 April 1998", "Kilinagar, Northern Province, Sri Lanka"),
        ("somali.txt", SOMALI_KEY_VALUE, "3–", "Garbaharey, Gedo, Somalia"),
    ],
)
def test_metadata_date_and_place_are_clean(rules, tmp_path, name, text, date_text, place):
    meta = _read(tmp_path, name, text, rules).metadata
    assert (meta.date_text, meta.place) == (date_text, place)


def test_frame_date_range_comes_from_the_infobox(extractor, rules, tmp_path):
    frame = _frame(extractor, _read(tmp_path, "mosul.txt", MOSUL_TXT, rules))
    assert (str(frame.date_range.start), str(frame.date_range.end)) == ("2016-10-17", "2017-07-09")


IRAQ = ArticleFrame(
    (
        Side(
            ("Iraqi Armed Forces", "Popular Mobilization Forces"),
            ("United States",),
            (("Iraqi Armed Forces", "IQ"),),
        ),
        Side(("Islamic State",)),
    ),
    "Mosul",
    "IQ",
    None,
    "Iraqi Armed Forces",
)
INTER_REBEL = ArticleFrame(
    (Side(("Ahrar al-Sham",)), Side(("Hay'at Tahrir al-Sham",))), "Idlib", "SY", None, "Syrian Armed Forces"
)


@pytest.mark.parametrize(
    ("frame", "question", "answer"),
    [
        (IRAQ, lambda f: f.side_of("Popular Mobilization Forces"), 0),
        (IRAQ, lambda f: f.side_of("United States"), 0),
        (IRAQ, lambda f: f.side_of("Hezbollah"), None),
        (IRAQ, lambda f: f.same_side("Iraqi Armed Forces", "Popular Mobilization Forces"), True),
        (IRAQ, lambda f: f.same_side("Iraqi Armed Forces", "Islamic State"), False),
        (
            IRAQ,
            lambda f: f.opponents_of("Islamic State"),
            ("Iraqi Armed Forces", "Popular Mobilization Forces"),
        ),
        (IRAQ, lambda f: f.opponents_of("Hezbollah"), ()),
        (IRAQ, lambda f: f.state_forces(), "Iraqi Armed Forces"),
        (IRAQ, lambda f: f.principal_non_state(), "Islamic State"),
        (INTER_REBEL, lambda f: f.principal_non_state(), None),
        (INTER_REBEL, lambda f: f.state_forces(), "Syrian Armed Forces"),
        (
            ArticleFrame(),
            lambda f: (f.state_forces(), f.principal_non_state(), f.side_of("x")),
            (None, None, None),
        ),
    ],
)
def test_frame_questions(frame, question, answer):
    assert question(frame) == answer


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("Battle of Grozny (1994–95)", "Grozny"),
        ("Second Battle of Jaffna", "Jaffna"),
        ("Siege of Sarajevo", "Sarajevo"),
        ("2014 Gamboru massacre", "Gamboru"),
        ("Fall of Kabul", "Kabul"),
        ("Raqqa offensive (2016)", "Raqqa"),
        ("Siege of al-Fu'ah and Kafriya", "al-Fu'ah"),
        ("October 2016 Idlib Governorate clashes", "Idlib Governorate"),
        ("Syrian civil war", ""),
    ],
)
def test_title_place(rules, title, place):
    assert title_place(title, rules.frame) == place


def _articles() -> list[Path]:
    return sorted(p for p in [*DEV_DOCS.glob("*.*"), *SEEDS.glob("*.*")] if p.is_file())


def test_every_article_has_a_sound_frame(extractor, rules):
    """The dev articles and seeds: no side name is a coordinate, a label or a commander list."""
    articles = _articles()
    assert len(articles) >= 2
    for path in articles:
        frame = _frame(extractor, read_document(path, path.parent, rules))
        names = [n for side in frame.sides for n in (*side.names, *side.supporters)]
        for name in names:
            assert "°" not in name and "Commanders" not in name and "|" not in name, (path.name, name)
            assert len(name.split()) <= rules.frame.max_name_words, (path.name, name)
        assert "°" not in frame.place and "|" not in frame.place, path.name
        assert frame.country == "" or len(frame.country) == 2, path.name
        for side in frame.sides:
            assert side.names and not set(side.names) & set(side.supporters), path.name


LEADS = [
    pytest.param(
        "The Zintan clashes were an armed conflict between the Zintan Brigades, supported by the Libya Shield Force, "
        "and the Libyan National Army, that took place near Zintan in 2019.",
        [["Zintan Brigades", "Libya Shield Force"], ["Libyan National Army"]],
        id="comma-and-then-which-clause",
    ),
    pytest.param(
        "The Hodeidah fighting was fought between Ansar Allah and the UAE Armed Forces on one side, and al-Qaeda in "
        "the Arabian Peninsula on the other, which lasted a week.",
        [["Houthis", "United Arab Emirates Armed Forces"], ["Al-Qaeda in the Arabian Peninsula"]],
        id="one-side-and-the-other",
    ),
    pytest.param(
        "The Battle of Damboa was a combined offensive led by the Nigerian Army and their Civilian Joint Task Force "
        "allies against Boko Haram in the town.",
        [["Nigerian Army", "Civilian Joint Task Force"], ["Boko Haram"]],
        id="offensive-led-by-against",
    ),
    pytest.param(
        "The Afrin skirmishes were clashes between the Levant Front and Jaysh al-Islam (JaI), after the Levant Front "
        "raided a checkpoint.",
        [["Levant Front"], ["Jaysh al-Islam"]],
        id="plain-and-before-after-clause",
    ),
]


@pytest.mark.parametrize(("lead", "sides"), LEADS)
def test_a_lead_sentence_gives_the_sides_an_infobox_lacks(extractor, rules, tmp_path, lead, sides):
    document = _read(tmp_path, "lead.md", f"---\ntitle: Some clashes\n---\n\n{lead}\n", rules)
    extractor.extract_document(document)
    assert [list(side.names) for side in extractor.frame.sides] == sides


def test_a_lead_without_two_named_sides_leaves_the_frame(extractor, rules, tmp_path):
    """ "The militants" names no side of its own: the lead gives one side, so none."""
    lead = "The Tal Afar offensive was a battle between government forces and the militants in 2017."
    document = _read(tmp_path, "lead.md", f"---\ntitle: Some offensive\n---\n\n{lead}\n", rules)
    extractor.extract_document(document)
    assert extractor.frame.sides == ()


def test_a_foreign_force_never_holds_the_state_of_the_country_it_fights_in(extractor, rules, tmp_path):
    """The United States fights in Syria; listed on a side, it is still not Syria's state."""
    text = MOSUL_TXT.replace("Iraq Republic of Iraq", "Syrian Democratic Forces").replace(
        "Part of the War in Iraq", "Part of the Syrian civil war"
    )
    text = text.replace("Battle of Qayyara", "Battle of Tabqa")
    frame = _frame(extractor, _read(tmp_path, "tabqa.txt", text, rules))
    assert frame.country == "SY"
    assert frame.state_side() is None
    assert frame.principal_non_state() is None


def test_a_side_named_by_its_allegiance_is_that_side(extractor, rules, tmp_path):
    """ "Security Forces (pro-Saleh)" and "Security Forces (pro-Hadi)" are not one group on two sides."""
    text = (
        "Battle of Taiz (2016)\n\n- Date: 1 May 2016 – 30 June 2016\n- Location: Taiz, Yemen\n"
        "- Combatant1: Houthi fighters, Security Forces (pro-Saleh)\n"
        "- Combatant2: Security Forces (pro-Hadi), Popular Resistance\n\n"
        f"{PROSE}\n"
    )
    frame = _frame(extractor, _read(tmp_path, "taiz.txt", text, rules))
    assert [list(side.names) for side in frame.sides] == [
        ["Houthis", "Saleh loyalists"],
        ["Yemeni Armed Forces", "Popular Resistance"],
    ]


def test_a_lead_paragraph_inside_an_html_infobox_is_narrative(extractor, rules, tmp_path):
    """A saved page whose lead sits in the infobox's last cell: its events and sides count."""
    lead = (
        "The Battle of Baidoa was a combined offensive led by the Somali National Army and their AMISOM allies "
        "against al-Shabaab in the city. It began on 2 February 2012. The militants withdrew on 22 February."
    )
    page = (
        "<html><head><title>Battle of Baidoa (2012) - Wikipedia</title></head><body>"
        '<h1 class="firstHeading">Battle of Baidoa (2012)</h1><table class="infobox">'
        '<tr><th class="infobox-label">Date</th><td>2–22 February 2012</td></tr>'
        '<tr><td colspan="2" class="infobox-full-data">Somalia Somali National Army</td></tr>'
        f'<tr><td colspan="2" class="infobox-full-data">{lead}</td></tr></table>'
        "<p>Baidoa had been held by al-Shabaab since 2009, when its fighters took the town from the government.</p>"
        "</body></html>"
    )
    document = _read(tmp_path, "baidoa.html", page, rules)
    assert document.blocks[0].text.startswith("The Battle of Baidoa was a combined offensive")
    extractor.extract_document(document)
    assert [list(side.names) for side in extractor.frame.sides] == [
        ["Somali Armed Forces", "African Union Mission to Somalia"],
        ["al-Shabaab"],
    ]
