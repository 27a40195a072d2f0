"""Cache stage: each document's extraction, kept in SQLite beside the outputs.

A document is extracted again only when its bytes (sha256) or the pipeline
(the fingerprint of the code and every file in ``models/``) changed. The
cache also keeps the rows of the last run, so the next run can say what
changed. Every write is one transaction: a run killed at any moment leaves
the previous cache usable.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.records import DocumentResult
from pipeline.resources import models_fingerprint

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (path TEXT PRIMARY KEY, sha256 TEXT, fingerprint TEXT, result BLOB);
CREATE TABLE IF NOT EXISTS rows (doc_id TEXT, event_id TEXT, row TEXT, PRIMARY KEY (doc_id, event_id));
"""


def pipeline_fingerprint(models_dir: Path | str) -> str:
    """The code of the pipeline and its rules: a change to either invalidates the cache."""
    digest = hashlib.sha256(models_fingerprint(models_dir).encode())
    for source in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Change:
    doc_id: str
    added: int
    changed: int
    removed: int


class Cache:
    def __init__(self, path: Path, fingerprint: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path)
        self.connection.executescript(SCHEMA)
        self.fingerprint = fingerprint

    def close(self) -> None:
        self.connection.close()

    def clear(self) -> None:
        with self.connection:
            self.connection.execute("DELETE FROM results")

    @staticmethod
    def pack(result: DocumentResult) -> bytes:
        """The result without the document's text and blocks, which the outputs do not need."""
        light = replace(result, doc=replace(result.doc, text="", blocks=[])) if result.doc else result
        return pickle.dumps(light, pickle.HIGHEST_PROTOCOL)

    def get(self, path: str, sha256: str) -> DocumentResult | None:
        row = self.connection.execute(
            "SELECT result FROM results WHERE path = ? AND sha256 = ? AND fingerprint = ?",
            (path, sha256, self.fingerprint),
        ).fetchone()
        return pickle.loads(row[0]) if row else None

    def store(self, results: dict[str, tuple[str, bytes]], present: Iterable[str]) -> None:
        """Save new (pickled) results and forget files that are gone, in one transaction."""
        present = set(present)
        with self.connection:
            known = [p for (p,) in self.connection.execute("SELECT path FROM results")]
            self.connection.executemany(
                "DELETE FROM results WHERE path = ?", [(p,) for p in known if p not in present]
            )
            self.connection.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                [(p, sha, self.fingerprint, blob) for p, (sha, blob) in results.items()],
            )

    def changes(self, rows: list[dict], doc_ids: list[str]) -> list[Change]:
        """Events added, changed and removed per document since the rows last remembered."""
        before: dict[str, dict[str, str]] = {}
        for doc_id, event_id, row in self.connection.execute("SELECT doc_id, event_id, row FROM rows"):
            before.setdefault(doc_id, {})[event_id] = row
        now: dict[str, dict[str, str]] = {doc_id: {} for doc_id in doc_ids}
        for row in rows:
            now.setdefault(row["doc_id"], {})[row["event_id"]] = _row_text(row)
        changes = []
        for doc_id in sorted(set(before) | set(now)):
            old, new = before.get(doc_id, {}), now.get(doc_id, {})
            added = len(new.keys() - old.keys())
            removed = len(old.keys() - new.keys())
            changed = sum(1 for key in new.keys() & old.keys() if new[key] != old[key])
            if added or removed or changed:
                changes.append(Change(doc_id, added, changed, removed))
        return changes

    def remember(self, rows: list[dict], changed: set[str]) -> None:
        """The rows of the documents that changed in this run, for the next change report."""
        with self.connection:
            self.connection.executemany("DELETE FROM rows WHERE doc_id = ?", [(doc,) for doc in changed])
            self.connection.executemany(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?)",
                [
                    (row["doc_id"], row["event_id"], _row_text(row))
                    for row in rows
                    if row["doc_id"] in changed
                ],
            )


def _row_text(row: dict) -> str:
    """A row as one string, to tell whether an event changed."""
    return "\x1f".join(f"{key}={row[key]}" for key in sorted(row))
