"""Rule components that tag factions, places, dates, casualty figures and cues.

Importing this package registers every ``conflict_*`` factory with spaCy.
"""

from pipeline.taggers import casualties, cues, date_tagger, factions, places, sentences, triggers  # noqa: F401
