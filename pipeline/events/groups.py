"""Which names stand together in a sentence: a unit and the force it belongs to, the names
listed after an agent, and whoever runs a civilian site a strike hits. Read by ``roles``."""

from __future__ import annotations

from pipeline.events.model import Frame, RoleWords
from pipeline.tagging import Mention

UNIT_CHAIN = 6  # words between a unit and the force it belongs to ("... of the 5th Armoured Division of the")


def unit_of(words: list[str], unit: Mention, owner: Mention) -> bool:
    """ "<unit> of the 5th Armoured Division of the <owner>": one noun phrase, no comma."""
    between = words[unit.end : owner.start]
    return len(between) <= UNIT_CHAIN and "," not in between and between[-2:] in (["of", "the"], ["of"])


def civilian_site(frame: Frame, objects: list, words: list[str], lex: RoleWords) -> None:
    """ "An airstrike hit a hospital run by MSF": a strike on a civilian site with no side
    named as its target hits civilians; the sides named after it (who runs the site) stand
    beside them."""
    if frame.trigger.event_type not in lex.site_strike_types:
        return
    site = next(
        (
            i
            for i in range(frame.trigger_end, frame.region_end)
            if words[i] in lex.civilian_sites and words[i - 1] not in lex.military_site_words
        ),
        None,
    )
    targets = [(mention, name) for mention, name, _ in objects if name != frame.actor1]
    if site is None or any(mention.start < site and name == frame.actor2 for mention, name in targets):
        return  # no site, or a side named as the target before it
    frame.actor2 = lex.one_sided_victims
    frame.assoc2 = list(dict.fromkeys(name for mention, name in targets if mention.start > site))


def listed_after(objects: list, name: str) -> list[str]:
    """The names listed right after ``name`` ("led by A forces and their B and C allies")."""
    listed: list[str] = []
    after = False
    for _, other, preposition in objects:
        if other == name:
            after = True
        elif after and preposition in ("and", ","):
            listed.append(other)
        elif after:
            break
    return listed
