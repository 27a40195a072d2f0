"""Shared fixtures: one pipeline for the whole session, built from models/."""

from __future__ import annotations

import pytest

from pipeline.extract import Extractor
from pipeline.ingest_rules import IngestRules
from pipeline.nlp import annotate, build_nlp
from pipeline.resources import DEFAULT_MODELS_DIR


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(DEFAULT_MODELS_DIR)


@pytest.fixture(scope="session")
def nlp(extractor):
    return extractor.nlp


@pytest.fixture(scope="session")
def rules() -> IngestRules:
    return IngestRules.from_models(DEFAULT_MODELS_DIR)


@pytest.fixture(scope="session")
def tag(nlp):
    """Annotate a text as if it came from an article about ``countries``."""

    def run(text: str, countries: tuple[str, ...] = ("SY",), names: tuple = ()):
        return annotate(nlp, text, {"countries": list(countries), "faction_norms": list(names)})

    return run


@pytest.fixture(scope="session")
def fresh_nlp():
    return build_nlp(DEFAULT_MODELS_DIR)
