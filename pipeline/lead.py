"""The sides an article's lead sentence names, for an article whose infobox gives fewer
than two: "an armed conflict between A and B", "an offensive led by A against B".
``pipeline.frame.with_lead_sides`` puts them in the frame."""

from __future__ import annotations

from pipeline.infobox import FrameRules


def lead_sides(
    words: list[str], names: list[tuple[int, int, str]], rules: FrameRules
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The two sides a lead sentence names: "an armed conflict between A, consisting of B
    and C, and D, that ...", "clashes between A and B (B), after ...", "fought between A and
    B on one side, and C on the other", "an offensive led by A and B against C". ``names``
    are (first token, end token, canonical name) of the sentence's named sides; the list is
    cut at its last "and" outside a name, one after a comma first."""
    lowered = [word.lower() for word in words]
    for at in range(1, len(lowered)):
        if lowered[at] != "between" or lowered[at - 1] not in rules.lead_conflict_words:
            continue
        end = _list_end(lowered, at + 1, rules.lead_list_ends)
        inside = [(start, stop, name) for start, stop, name in names if at < start and stop <= end]
        cut = _last_and(lowered, at + 1, end, inside)
        if cut is None:
            return None
        first = tuple(dict.fromkeys(name for _, stop, name in inside if stop <= cut))
        second = tuple(dict.fromkeys(name for start, _, name in inside if start > cut and name not in first))
        return (first, second) if first and second else None
    return _against_sides(lowered, names, rules)


def _against_sides(
    lowered: list[str], names: list[tuple[int, int, str]], rules: FrameRules
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """ "A combined offensive led by A and their B allies against C in ...": the names
    between the conflict word and "against" fought those after it."""
    if "against" not in lowered:
        return None
    against = lowered.index("against")
    conflict = max((i for i in range(against) if lowered[i] in rules.lead_conflict_words), default=None)
    if conflict is None:
        return None
    end = next(
        (i for i in range(against + 1, len(lowered)) if lowered[i] in (".", ";", *rules.lead_list_ends)),
        len(lowered),
    )
    first = tuple(dict.fromkeys(name for start, _, name in names if conflict < start < against))
    second = tuple(dict.fromkeys(n for start, _, n in names if against < start < end and n not in first))
    return (first, second) if first and second else None


def _list_end(lowered: list[str], start: int, ends: frozenset[str]) -> int:
    """Where the list of sides after "between" ends: a full stop, or a comma before a word
    that opens a new clause ("that", "which", "after", "in")."""
    for index in range(start, len(lowered)):
        word = lowered[index]
        if word in (".", ";") or (word == "," and index + 1 < len(lowered) and lowered[index + 1] in ends):
            return index
    return len(lowered)


def _last_and(lowered: list[str], start: int, end: int, names: list[tuple[int, int, str]]) -> int | None:
    inside_names = {index for first, stop, _ in names for index in range(first, stop)}
    ands = [i for i in range(start, end) if lowered[i] == "and" and i not in inside_names]
    after_comma = [i for i in ands if lowered[i - 1] == ","]
    return (after_comma or ands or [None])[-1]
