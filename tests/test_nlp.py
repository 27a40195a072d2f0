"""The pipeline is built by one function and survives a save-and-reload round trip."""

from __future__ import annotations

import pytest
import spacy

from pipeline.nlp import COMPONENTS, annotate

TEXT = "On 7 February 2017, Jund al-Aqsa attacked Jaysh al-Nasr near Murak, killing 5 fighters."


def spans(doc) -> dict[str, list[str]]:
    return {key: [s.text for s in group] for key, group in doc.spans.items()}


def test_pipeline_has_every_component(fresh_nlp):
    assert fresh_nlp.pipe_names == list(COMPONENTS)


def test_round_trip_gives_same_annotations(fresh_nlp, tmp_path):
    fresh_nlp.to_disk(tmp_path / "nlp")
    reloaded = spacy.load(tmp_path / "nlp")
    context = {"countries": ["SY"], "faction_norms": []}
    assert spans(annotate(reloaded, TEXT, context)) == spans(annotate(fresh_nlp, TEXT, context))


@pytest.mark.parametrize(
    ("last", "groups"),
    [
        ("conflict_factions", {"factions"}),
        ("conflict_dates", {"factions", "places", "dates"}),
        (None, {"factions", "places", "dates", "casualties", "triggers", "cues"}),
    ],
    ids=["to-factions", "to-dates", "whole"],
)
def test_annotate_stops_after_the_last_component_asked_for(nlp, last, groups):
    doc = annotate(
        nlp, "On 3 May 2016 the Free Syrian Army shelled Aleppo, killing 4.", {"countries": ["SY"]}, last=last
    )
    assert set(doc.spans) == groups
