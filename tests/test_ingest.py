"""Ingest: formats detected from content, metadata apart from narrative, exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.files import IngestError, decode
from pipeline.html_text import Unit, parse_html
from pipeline.infobox import FrameRules
from pipeline.ingest import detect_format, read_document
from pipeline.ingest_rules import Line, any_of, split_lines
from pipeline.resources import ModelError
from pipeline.sides import clean_name, split_glued

MARKDOWN = """---
subject: Battle of Testville (2019)
date:
  - 3 – 9 May 2019
place:
  - Testville, Example Governorate, Syria
tags:
  - Battle of Testville (2019)
  - |-
    Alpha Brigade (until May)
     * Beta Movement
description: The lead repeated. It must not be extracted twice.
---

The Battle of Testville was fought in May 2019 between the Alpha Brigade and the Beta Movement.

## Background
Lt. Col. Adam Smith commanded the brigade.

### May 2019
On 3 May, the Alpha Brigade attacked the Beta Movement in Testville.

## References
## References[object Object]
[object Object]
"""

TEXT_DUMP = """Siege of Exampleton

The Siege of Exampleton was a siege of the town of Exampleton by the Gamma Front during 2018, which ended in a ceasefire.

Siege of Exampleton
Part of the Example War
Date1 March – 4 April 2018
LocationExampleton, Syria
Belligerents

Gamma Front
Delta Legion (until March)

Commanders and leaders
Abu Example
Casualties and losses
12 killed
3 captured

On 2 March, the Gamma Front shelled the town, and on 5 March its fighters stormed the western gate of the town.

This article is issued from Wikipedia. The text is licensed under Creative Commons - Attribution - Sharealike.
"""

KEY_VALUE_DUMP = """= Battle of Sample (2015) =

Infobox
- Conflict: Battle of Sample
- Date: 25 March – 22 July 2015, ()
- Place: Sample, Yemen
- Combatant1: Houthi fighters, Republican Guard
- Casualties1: 380–396 killed

The Battle of Sample was a four-month battle in 2015 for the control of Sample, fought between the sides named above.

==Background==

[20] After fighting over the airport broke out in Sample on 19 March[21] the rebels advanced into the city centre.
"""

HTML = """<!DOCTYPE html><html><head><title>Raid on Samplecity - Wikipedia</title></head><body>
<h1>Raid on Samplecity</h1>
<table class="infobox"><tr><th>Date</th><td>7 June 2016</td></tr>
<tr><th>Location</th><td>Samplecity, Libya</td></tr></table>
<p>The raid on Samplecity took place on 7 June 2016 when the Epsilon Brigade attacked the port.<sup class="reference">[1]</sup></p>
<h2>Aftermath<span class="mw-editsection">[edit]</span></h2>
<p>Three fighters &amp; two civilians were killed.</p>
<h2>References</h2><p>Not narrative.</p>
</body></html>"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MARKDOWN, "markdown"),
        (TEXT_DUMP, "wikipedia-text"),
        (KEY_VALUE_DUMP, "wikipedia-text"),
        (HTML, "html"),
    ],
    ids=["markdown", "text-dump", "key-value-dump", "html"],
)
def test_format_is_detected_from_content(text, expected):
    assert detect_format(text) == expected


def test_markdown_front_matter_is_metadata_and_body_is_narrative(tmp_path, rules):
    doc = read_document(write(tmp_path, "a.txt", MARKDOWN), tmp_path, rules)
    assert doc.format == "markdown"
    assert doc.metadata.title == "Battle of Testville (2019)"
    assert doc.metadata.date_text == "3 – 9 May 2019"
    assert doc.metadata.place.startswith("Testville")
    assert doc.metadata.belligerents == ["Alpha Brigade", "Beta Movement"]
    texts = [b.text for b in doc.blocks]
    assert not any("lead repeated" in t for t in texts)
    assert not any("object Object" in t or "References" in t for t in texts)
    assert [b.heading for b in doc.blocks] == ["", "Background", "Background > May 2019"]


def test_text_dump_infobox_is_metadata(tmp_path, rules):
    doc = read_document(write(tmp_path, "b.txt", TEXT_DUMP), tmp_path, rules)
    assert doc.format == "wikipedia-text"
    assert doc.metadata.title == "Siege of Exampleton"
    assert doc.metadata.date_text == "1 March – 4 April 2018"
    assert doc.metadata.place == "Exampleton, Syria"
    assert doc.metadata.belligerents == ["Gamma Front", "Delta Legion"]
    assert doc.metadata.infobox_casualties == ["12 killed", "3 captured"]
    texts = [b.text for b in doc.blocks]
    assert texts[0].startswith("The Siege of Exampleton was")
    assert texts[1].startswith("On 2 March")
    assert not any("licensed" in t or "Abu Example" in t for t in texts)


CASUALTY_FIELD = """Battle of Grozny (1994–95)

Battle of Grozny
Part of the First Chechen War
Date31 December 1994 – 8 March 1995
LocationGrozny, Chechnya
Belligerents
Russia Chechen Republic of Ichkeria
Strength
38,000 9,000
Casualties and losses
1,500–2,000 killed, 182 captured (acc. Russian sources)[4]
4,000+ killed (acc. Memorial)[5]

The Battle of Grozny began on 31 December 1994, when Russian armoured columns entered the city from three \
directions and were ambushed by Chechen fighters in the streets around the presidential palace.
"""


def test_an_infobox_casualty_field_is_no_narrative(tmp_path, rules):
    doc = read_document(write(tmp_path, "g.txt", CASUALTY_FIELD), tmp_path, rules)
    assert doc.metadata.infobox_casualties == [
        "1,500–2,000 killed, 182 captured (acc. Russian sources)[4]",
        "4,000+ killed (acc. Memorial)[5]",
    ]
    assert [b.text[:26] for b in doc.blocks] == ["The Battle of Grozny began"]


def test_key_value_infobox_and_wiki_headings(tmp_path, rules):
    doc = read_document(write(tmp_path, "c.txt", KEY_VALUE_DUMP), tmp_path, rules)
    assert doc.metadata.title == "Battle of Sample (2015)"
    assert doc.metadata.place == "Sample, Yemen"
    assert doc.metadata.belligerents == ["Houthi fighters", "Republican Guard"]
    assert doc.metadata.infobox_casualties == ["380–396 killed"]
    assert [b.heading for b in doc.blocks] == ["", "Background"]


def test_html_text_keeps_source_offsets(tmp_path, rules):
    doc = read_document(write(tmp_path, "d.html", HTML), tmp_path, rules)
    assert doc.format == "html"
    assert doc.metadata.title == "Raid on Samplecity"
    assert doc.metadata.date_text == "7 June 2016"
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "The raid on Samplecity took place on 7 June 2016 when the Epsilon Brigade attacked the port.",
        "Three fighters & two civilians were killed.",
    ]
    second = doc.blocks[1]
    assert second.heading == "Aftermath"
    assert (
        doc.text[second.source_offset(0) : second.source_offset(len(second.text))]
        == "Three fighters &amp; two civilians were killed."
    )


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Kafr Zita – Ḩalfāyā".encode("utf-16"), "Kafr Zita – Ḩalfāyā"),
        (b"\xef\xbb\xbfMa\xe2\x80\x98arrat", "Ma‘arrat"),
        ("Café – 1".encode("cp1252"), "Café – 1"),
    ],
    ids=["utf16-bom", "utf8-bom", "cp1252"],
)
def test_encodings_are_decoded(raw, text):
    assert decode(raw) == text


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        ("---\nsubject: [unclosed\n---\nBody text here.\n", "malformed YAML front matter"),
        ("short\n", "not an article"),
    ],
    ids=["empty", "binary", "bad-yaml", "not-article"],
)
def test_bad_input_names_the_cause(tmp_path, rules, content, cause):
    path = write(tmp_path, "bad.md", content)
    with pytest.raises(IngestError, match=cause):
        read_document(path, tmp_path, rules)


def test_doc_id_is_relative_path_without_extension(tmp_path, rules):
    (tmp_path / "sub").mkdir()
    doc = read_document(write(tmp_path, "sub/x.y.md", MARKDOWN), tmp_path, rules)
    assert doc.doc_id == "sub/x.y"
    assert doc.path == "sub/x.y.md"


@pytest.mark.parametrize(
    ("reference", "character"),
    [("&amp;", "&"), ("&amp", "&"), ("&#233;", "é"), ("&#x27;", "'"), ("&quot;", '"')],
)
def test_an_html_block_ends_past_its_last_character_reference(rules, reference, character):
    """A span that ends in a character written as a reference ends after the whole reference."""
    source = f"<html><body><p>Rebels shelled the town of Tel Abyad {reference}</p></body></html>"
    _, blocks = parse_html(source, rules)
    block = blocks[0]
    assert block.text.endswith(character)
    assert block.source_end(len(block.text)) == source.index(reference) + len(reference)
    assert block.source_end(len(block.text) - 2) == source.index(reference) - 1


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Ukraine Donetsk People's Republic", ["Ukraine", "Donetsk People's Republic"]),
        ("Afghanistan Islamic Republic of Afghanistan", ["Islamic Republic of Afghanistan"]),
        ("United States United States", ["United States"]),
        ("NATO NATO", ["NATO"]),
        ("Libya Government of National Accord", ["Government of National Accord"]),
        ("Iraq Islamic State", ["Iraq", "Islamic State"]),
        ("al-Nusra Front Jund al-Aqsa", ["al-Nusra Front", "Jund al-Aqsa"]),
        ("Syria 155th Brigade", ["155th Brigade"]),
        ("Liwa Aqab al-Islami", ["Liwa Aqab al-Islami"]),
    ],
)
def test_glued_side_names_split(rules, line, names):
    assert split_glued(line, rules.lexicon, rules.frame.max_name_words) == names


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Flag of Turkey.svg  Turkey [13] [14]", "Turkey"),
        ("InfoboxHTS.svg Tahrir al-Sham", "Tahrir al-Sham"),
        ("Syrian opposition Free Syrian Army[1]", "Free Syrian Army"),
        ("  • Air Defense Brigade[4]", "Air Defense Brigade"),
        ("Jund al-Aqsa (Until 7 February)", "Jund al-Aqsa"),
    ],
)
def test_side_names_cleaned(rules, raw, name):
    assert clean_name(raw, rules.frame.flag_files, rules.frame.flag_captions) == name


@pytest.mark.parametrize(
    ("lines", "sides", "supporters"),
    [
        (
            ["Belligerents", "", "Ahrar al-Sham", "Supported by:", "Turkey", "", "Tahrir al-Sham"],
            [["Ahrar al-Sham"], ["Tahrir al-Sham"]],
            [["Turkey"], []],
        ),
        (
            ["Belligerents", "Free Syrian Army", "Al-Nusra Front", "Syrian Arab Republic", "Hezbollah"],
            [["Free Syrian Army", "Al-Nusra Front"], ["Syrian Arab Republic", "Hezbollah"]],
            [[], []],
        ),
        (
            [
                "- Combatant1: Houthis, Republican Guard",
                "- Combatant2: Southern Movement",
                "- Commander1: A. Person",
            ],
            [["Houthis", "Republican Guard"], ["Southern Movement"]],
            [[], []],
        ),
        (
            [
                "Result Ceasefire",
                "",
                "Al-Shabaab",
                "",
                "Somali National Army",
                "Commanders and leaders",
                "Some One",
            ],
            [["Al-Shabaab"], ["Somali National Army"]],
            [[], []],
        ),
        (["Belligerents", "Unknown", "Commanders and leaders", "Abu Example"], [], []),
    ],
    ids=["supporters end at a blank line", "state and armed groups", "numbered", "label lost", "nobody"],
)
def test_side_reader_groups(rules, lines, sides, supporters):
    reader = rules.side_reader()
    for line in lines:
        reader.feed(line)
    assert reader.sides() == (sides, supporters)


def test_frame_rules_reject_unknown_keys(tmp_path):
    models = Path(__file__).resolve().parent.parent / "models"
    text = (models / "frame.yaml").read_text(encoding="utf-8") + "\nsupporter_wrods: [Backed by]\n"
    (tmp_path / "frame.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ModelError, match="supporter_wrods"):
        FrameRules.from_models(tmp_path)


@pytest.mark.parametrize(
    ("patterns", "text", "found"),
    [
        (["^a", "b$"], "abc", True),
        (["^a", "b$"], "cab", True),
        (["^a", "b$"], "cba", False),
        (["x|y"], "zy", True),  # an alternation stays inside its own pattern
        (["^(x|y)z"], "yz", True),
        ([], "anything", False),
    ],
    ids=["first", "second", "neither", "alternation", "group", "no-patterns"],
)
def test_any_of_finds_what_any_pattern_finds(patterns, text, found):
    assert (any_of(patterns).search(text) is not None) is found


@pytest.mark.parametrize(
    ("line", "junk"),
    [
        ("This article is issued from Wikipedia. The text is licensed", True),
        ("  Main article: Battle of Aleppo", True),
        ("[object Object]Belligerents", True),
        ("The main article of the treaty was signed.", False),
        ("", False),
    ],
    ids=["licence", "main-article-indented", "object-object", "prose", "blank"],
)
def test_junk_lines(rules, line, junk):
    assert rules.is_junk(line) is junk


@pytest.mark.parametrize(
    ("text", "start", "end", "lines"),
    [
        ("a\nbc\n", 0, None, [Line("a", 0), Line("bc", 2)]),
        ("a\r\nbc", 0, None, [Line("a", 0), Line("bc", 3)]),
        ("a\rb\u2028c", 0, None, [Line("a", 0), Line("b\u2028", 2), Line("c", 4)]),
        ("head\n\nx\ny\n", 5, None, [Line("", 5), Line("x", 6), Line("y", 8)]),
        ("x\ny\nz", 0, 3, [Line("x", 0), Line("y", 2)]),
        ("", 0, None, []),
    ],
    ids=["newlines", "crlf", "other-breaks", "from-offset", "up-to-end", "empty"],
)
def test_split_lines_keeps_source_offsets(text, start, end, lines):
    assert split_lines(text, start, end) == lines


@pytest.mark.parametrize(
    ("runs", "text", "offsets", "ends"),
    [
        ([("ab", 10, None)], "ab", [10, 11], [11, 12]),
        ([("a", 0, None), ("–", 1, 7)], "a–", [0, 1], [1, 8]),  # "&ndash;" is 7 source characters
        ([("x", 5, None), ("\n", 9, None), ("y", 12, None)], "x\ny", [5, 9, 12], [6, 10, 13]),
        ([("", 3, None)], "", [], []),
    ],
    ids=["run", "reference", "line-break", "empty"],
)
def test_unit_characters_keep_their_source_span(runs, text, offsets, ends):
    unit = Unit("p")
    for run, start, width in runs:
        unit.add(run, start, width)
    assert (unit.text, unit.offsets, unit.ends) == (text, offsets, ends)
