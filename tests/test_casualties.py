"""Casualty tagger (codebook section 5): phrasings from many conflicts."""

from __future__ import annotations

import pytest


def figures(tag, text: str) -> list[tuple]:
    doc = tag(text)
    return [
        (s._.casualty.kind, s._.casualty.best, s._.casualty.low, s._.casualty.high)
        for s in doc.spans["casualties"]
    ]


CASES = [
    # a figure quoted from a source
    ('The car bombs killed "dozens" of soldiers.', [("fatalities", 12, 12, None)]),
    ('Shelling killed "at least 20" civilians in Donetsk.', [("fatalities", 20, 20, None)]),
    # groups listed before one verb are one toll, their sum
    ("In Mogadishu, 12 soldiers and eight militants were killed.", [("fatalities", 20, 20, 20)]),
    (
        "At least 30 Tatmadaw troops, 12 KIA fighters and two villagers were killed near Laiza.",
        [("fatalities", 44, 44, None)],
    ),
    (
        "Two Marines and 40 insurgents were wounded in Fallujah.",
        [("wounded", 42, 42, 42)],
    ),
    # a group described at length, and a subset between commas counted once, in the whole
    (
        "Nine aid workers of the Norwegian Refugee Council (NRC) and 14 patients were killed in Saada.",
        [("fatalities", 23, 23, 23)],
    ),
    ("Forty villagers, including six women, were killed in the raid.", [("fatalities", 40, 40, 40)]),
    (
        "The strike killed 6 soldiers, and 4 soldiers were wounded.",
        [("fatalities", 6, 6, 6), ("wounded", 4, 4, 4)],
    ),
    (
        "Protesters attacked the convoy, killing 3 and injuring 20 of the fighters.",
        [("fatalities", 3, 3, 3), ("wounded", 20, 20, 20)],
    ),
    ("The airstrikes killed more than 100 jihadists.", [("fatalities", 100, 100, None)]),
    ("The clashes resulted in the deaths of almost 70 fighters.", [("fatalities", 70, None, 70)]),
    ("Jund al-Aqsa announced the execution of 150–200 prisoners.", [("fatalities", 150, 150, 200)]),
    ("The militants stormed the base, capturing more than 250 fighters.", [("captured", 250, 250, None)]),
    (
        "5 fighters of the Sham Legion were killed and 2 wounded.",
        [("fatalities", 5, 5, 5), ("wounded", 2, 2, 2)],
    ),
    ("Three Tahrir al-Sham fighters died when their vehicle hit an IED.", [("fatalities", 3, 3, 3)]),
    (
        "A suicide bomber attacked the checkpoint, killing 30 soldiers and wounding 50.",
        [("fatalities", 30, 30, 30), ("wounded", 50, 50, 50)],
    ),
    ("The bombing killed 10 soldiers and wounded 7.", [("fatalities", 10, 10, 10), ("wounded", 7, 7, 7)]),
    ("A double bomb attack in which eighteen people died.", [("fatalities", 18, 18, 18)]),
    (
        "Two mass graves containing the bodies of at least 131 executed rebels were found.",
        [("fatalities", 131, 131, None)],
    ),
    ("It was reported that JFS had lost over 35 fighters in the clashes.", [("fatalities", 35, 35, None)]),
    ("The ambush resulted in several deaths.", [("fatalities", 3, 3, None)]),
    ("Dozens of soldiers were killed in the assault.", [("fatalities", 12, 12, None)]),
    ("Hundreds of civilians were killed.", [("fatalities", 100, 100, None)]),
    ("About 40 militants were killed near Kunduz.", [("fatalities", 40, None, None)]),
    ("Up to 12 policemen were wounded.", [("wounded", 12, None, 12)]),
    ("Between 20 and 30 Houthi fighters were killed.", [("fatalities", 20, 20, 30)]),
    ("Some 2,100 soldiers were captured by the separatists.", [("captured", 2100, None, None)]),
    ("Forty-one insurgents were killed in the raid.", [("fatalities", 41, 41, 41)]),
    (
        "The army arrested 14 suspects and detained another five.",
        [("captured", 14, 14, 14), ("captured", 5, 5, 5)],
    ),
    ("Al-Shabaab militants abducted 12 teachers.", [("captured", 12, 12, 12)]),
    ("Boko Haram kidnapped 276 schoolgirls in Chibok.", [("captured", 276, 276, 276)]),
    ("al-Nusra attacked the brigade and captured a commander and his equipment.", [("captured", 1, 1, 1)]),
    ("Militants kidnapped an Ahrar al-Sham member.", [("captured", 1, 1, 1)]),
    ("Abu Rihana was killed by Tahrir al-Sham.", [("fatalities", 1, 1, 1)]),
    ("Al-Samahi and another FSA fighter was killed in the shootout.", [("fatalities", 2, 2, 2)]),
    ("The town was retaken without casualties.", [("fatalities", 0, 0, 0)]),
    (
        "Ahrar al-Sham reportedly executed at least 6 fighters of Tahrir al-Sham.",
        [("fatalities", 6, 6, None)],
    ),
    ("The last of the group's 2,100 militants left their final positions.", []),
    ("Jund al-Aqsa had taken full control of 17 towns and villages.", []),
    ("The remaining forces would join within 72 hours.", []),
    ("Fighting continued 13 kilometres west of the city.", []),
    ("One of the fighters was as young as 14 years old.", []),
    ("HTS captured both the 13th Division and the Sham Legion's headquarters.", []),
    ("The Iraqi army had 30,000 soldiers stationed in the city.", []),
    ("Jund al-Aqsa raided a prison and freed 13 of their prisoners.", []),
    ("Casualties were heavy on both sides.", []),
    ("The rebels captured 17 villages in the offensive.", []),
    ("The offensive on Sirte launched on 12 May 2016.", []),
    ("The strikes killed 37 civilians[29] in the city.", [("fatalities", 37, 37, 37)]),
    (
        "Over 250 Free Syrian Army and Tahrir al-Sham fighters had been killed in clashes.",
        [("fatalities", 250, 250, None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_figures(tag, text, expected):
    assert figures(tag, text) == expected


HUGE = [
    ("9223372036854775808 people were killed.", []),
    ("The attack killed 99,999,999,999 civilians.", []),
    (f"{'9' * 5000} people were killed.", []),
    ("Between 20 and 99999999999 fighters were killed.", []),
    ("The famine killed 10,000,000,000 people.", [("fatalities", 10**10, 10**10, 10**10)]),
    ("The shelling killed 00012 people.", [("fatalities", 12, 12, 12)]),
]


@pytest.mark.parametrize(("text", "expected"), HUGE, ids=[c[0][:30] for c in HUGE])
def test_numbers_above_any_population_are_no_figures(tag, text, expected):
    """More than ten billion counts no people: such a number is ignored, so no count
    overflows the 64-bit integers of the validated table."""
    assert figures(tag, text) == expected
