"""Events stage: tagged sentences -> ACLED-style events.

Per clause, each trigger that is not negated, hypothetical or a mere back
reference ("in the clashes", "its attacks") opens a frame. A frame takes its
actors from the words around the trigger (subject before it, objects after
it, read through the prepositions "from", "against", "by", "between",
"with support from"), its date from the chronology, its casualty figures
from the clause, and gives one event per place it names. A sentence with
figures but no trigger of its own adds them to the event before it.

Where each thing is decided:

- ``stage``: the loop over a document's sentences, and an event made of a frame;
- ``model``: the records the modules share (word lists, resolvers, frame, state);
- ``filters``: which triggers are live (negated, hedged, back references ...);
- ``frames``: triggers to frames, clause by clause;
- ``roles``: who did it to whom (the sides of a frame);
- ``places``: where (one event per place, borrowed places, provinces);
- ``dates``: when (the chronology, the date a frame takes);
- ``merging``: figures, follow-ups and retellings added to the event before;
- ``side_completion``: a missing side completed across the document.
"""

from pipeline.events.model import Resolvers, RoleWords
from pipeline.events.stage import extract_events

__all__ = ["Resolvers", "RoleWords", "extract_events"]
