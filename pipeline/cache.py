"""Cache stage: each document's share of the outputs, kept in SQLite beside them.

A document is extracted again only when its bytes (sha256) or the pipeline
(the fingerprint of the code and every file in ``models/``) changed. What is
kept is what the outputs need: the document's row of documents.csv, the CSV
lines of its events, their ids with a digest of each row (for the change
report). A re-run therefore formats and validates only what it extracted. The
rows each document had in the last run's events.csv (corrections applied) are
kept apart, as CSV text, for the next change report. Every write is one
transaction: a run killed at any moment leaves the previous cache usable.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.resources import models_fingerprint

SCHEMA_VERSION = 4  # 4: the previous run's rows themselves, for a change report per event
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    path TEXT PRIMARY KEY, sha256 TEXT, fingerprint TEXT, doc_id TEXT, title TEXT,
    document_row TEXT, events_csv TEXT, digests TEXT);
CREATE TABLE IF NOT EXISTS previous (doc_id TEXT PRIMARY KEY, digests TEXT, events_csv TEXT);
"""


def pipeline_fingerprint(models_dir: Path | str) -> str:
    """The code of the pipeline and its rules: a change to either invalidates the cache."""
    digest = hashlib.sha256(models_fingerprint(models_dir).encode())
    for source in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def warn_on_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def line_digest(line: str) -> str:
    """A short digest of one event's CSV line (every column), to tell whether a document's
    events may have changed; ``pipeline.changes`` reads the rows to tell what did."""
    return hashlib.sha1(line.encode()).hexdigest()[:12]


@dataclass
class Entry:
    """One document's share of the outputs."""

    path: str
    sha256: str
    doc_id: str
    title: str
    document_row: dict
    events_csv: str
    digests: dict[str, str]
    fresh: bool = False
    rows: list[dict] = field(default_factory=list)
    trace: str = ""  # the traceback of an internal error, for errors.log

    def light(self) -> Entry:
        """Without its CSV text and rows: what a run keeps in memory once they are
        validated and staged in the cache."""
        return replace(self, events_csv="", rows=[])


class Cache:
    """Plain data in SQLite (JSON and CSV text, never pickles: a planted file must not run
    code). A cache that cannot be read is set aside and started again, with a warning."""

    def __init__(self, path: Path, fingerprint: str, warn: Callable[[str], None] = warn_on_stderr) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        try:
            self.connection = _open(path)
        except sqlite3.DatabaseError as err:
            warn(f"warning: {path} could not be read ({err}); starting with an empty cache")
            path.unlink(missing_ok=True)
            self.connection = _open(path)

    def close(self) -> None:
        self.connection.close()

    def get(self, path: str, sha256: str, doc_id: str) -> Entry | None:
        """The light part of a cached entry: its CSV text and rows stay on disk
        (``events_csv``, ``rows``). A row that does not decode counts as missing."""
        row = self.connection.execute(
            "SELECT title, document_row, digests FROM entries "
            "WHERE path = ? AND sha256 = ? AND fingerprint = ? AND doc_id = ?",
            (path, sha256, self.fingerprint, doc_id),
        ).fetchone()
        if row is None:
            return None
        title, document_row, digests = row
        try:
            return Entry(path, sha256, doc_id, title, json.loads(document_row), "", json.loads(digests))
        except (TypeError, ValueError):
            return None

    def events_csv(self, entry: Entry) -> str:
        found = self.connection.execute("SELECT events_csv FROM entries WHERE path = ?", (entry.path,))
        return next((text for (text,) in found), "")

    def stage(self, entry: Entry) -> None:
        """Write a fresh entry inside the open transaction: ``store`` commits it, and a run
        that dies first leaves the cache as it was."""
        if not entry.sha256:
            return
        self.connection.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.path,
                entry.sha256,
                self.fingerprint,
                entry.doc_id,
                entry.title,
                json.dumps(entry.document_row, default=str),
                entry.events_csv,
                json.dumps(entry.digests),
            ),
        )

    def store(self, present: Iterable[str]) -> None:
        """Commit the staged entries and forget files that are gone, in one transaction."""
        present = set(present)
        with self.connection:
            known = [p for (p,) in self.connection.execute("SELECT path FROM entries")]
            self.connection.executemany(
                "DELETE FROM entries WHERE path = ?", [(p,) for p in known if p not in present]
            )

    def previous(self) -> dict[str, dict[str, str]]:
        """The event digests per document of the last run's events.csv."""
        found = self.connection.execute("SELECT doc_id, digests FROM previous")
        return {doc_id: json.loads(digests) for doc_id, digests in found}

    def previous_csv(self, doc_id: str) -> str:
        """A document's rows in the last run's events.csv, as CSV text."""
        found = self.connection.execute("SELECT events_csv FROM previous WHERE doc_id = ?", (doc_id,))
        return next((text for (text,) in found), "")

    def remember(self, changed: dict[str, tuple[dict[str, str], str] | None]) -> None:
        """What this run wrote for the documents whose events changed (their digests and CSV
        text; ``None`` for one that has none now), for the next change report."""
        with self.connection:
            for doc_id, written in changed.items():
                self.connection.execute("DELETE FROM previous WHERE doc_id = ?", (doc_id,))
                if written is not None:
                    digests, text = written
                    self.connection.execute(
                        "INSERT INTO previous VALUES (?, ?, ?)", (doc_id, json.dumps(digests), text)
                    )


def _open(path: Path) -> sqlite3.Connection:
    """A connection to a cache of this schema; one of an older schema is emptied."""
    connection = sqlite3.connect(path)
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            connection.executescript("DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS previous;")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.executescript(SCHEMA)
        connection.execute("SELECT count(*) FROM entries").fetchone()
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection
