"""The input files of a batch: found, named uniquely, checked and hashed before any is read.

Only regular files are read; a link found in an input folder must stay inside
it; the size is checked before reading. A file that fails a check is still a
row of documents.csv, with the cause as its status.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.files import (
    DEFAULT_MAX_BYTES,
    IngestError,
    admission,
    doc_id_for,
    read_bounded,
    safe_id,
    unreadable,
)
from pipeline.ingest import SUFFIXES


@dataclass(frozen=True)
class Source:
    """An input file, the folder it was found in, and its doc_id within the batch."""

    path: Path
    root: Path
    doc_id: str
    in_folder: bool = True


@dataclass(frozen=True)
class Job:
    """A source to extract: its cache key, its hash, and why it is not read, if it is not.
    ``raw`` holds the file's bytes when the job travels to a machine that cannot read it."""

    source: Source
    key: str
    sha256: str
    problem: str = ""
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float | None = None
    raw: bytes | None = None


def find_inputs(inputs: list[Path]) -> list[Source]:
    """Every article file under the inputs, sorted, recursively, each with a doc_id unique in
    the batch. Symlinked folders are not followed, so a symlink loop cannot trap the walk."""
    found: list[tuple[Path, Path, bool]] = []
    for item in inputs:
        if not item.is_dir():
            found.append((item, item.parent, False))
            continue
        files = [
            Path(folder) / name
            for folder, _, names in os.walk(item, followlinks=False)
            for name in names
            if Path(name).suffix.lower() in SUFFIXES
        ]
        ordered = sorted(files, key=lambda p: p.relative_to(item).as_posix())
        found.extend((path, item, True) for path in ordered)
    ids = unique_ids([(path, root) for path, root, _ in found])
    return [
        Source(path, root, doc_id, walked) for (path, root, walked), doc_id in zip(found, ids, strict=True)
    ]


def unique_ids(files: list[tuple[Path, Path]]) -> list[str]:
    """doc_ids as the codebook defines them (the path in its input folder, without
    extension), made unique only where two files would share one: first the extension
    joins the id ("x.md", "x.txt"), then the input folder's name ("A/x", "B/x"), then
    both, and last an ordinal ("x~2")."""
    namers: list[Callable[[Path, Path], str]] = [
        lambda path, root: doc_id_for(path, root)[0],
        lambda path, root: doc_id_for(path, root)[1],
        lambda path, root: f"{_folder_name(root)}/{doc_id_for(path, root)[0]}",
        lambda path, root: f"{_folder_name(root)}/{doc_id_for(path, root)[1]}",
    ]
    levels = [0] * len(files)
    ids = [namers[0](path, root) for path, root in files]
    for _ in namers[1:]:
        counts = Counter(ids)
        for index, (path, root) in enumerate(files):
            if counts[ids[index]] > 1:
                levels[index] += 1
                ids[index] = namers[levels[index]](path, root)
    seen: Counter[str] = Counter()
    counts = Counter(ids)
    for index, doc_id in enumerate(ids):
        seen[doc_id] += 1
        if counts[doc_id] > 1 and seen[doc_id] > 1:
            ids[index] = f"{doc_id}~{seen[doc_id]}"
    return ids


def _folder_name(root: Path) -> str:
    return safe_id(root.name or root.resolve().name or "input")


def make_job(source: Source, max_bytes: int, timeout: float | None) -> Job:
    """The source checked and hashed (the hash keys the cache); a file that fails a check
    gets its cause and no hash."""
    key = str(source.path.absolute())
    problem = admission(source.path, source.root if source.in_folder else None, max_bytes)
    sha256 = ""
    if problem is None:
        try:
            sha256 = hashlib.sha256(read_bounded(source.path, max_bytes)).hexdigest()
        except IngestError as err:
            problem = str(err)
        except OSError as err:
            problem = unreadable(err)
    return Job(source, key, sha256, problem or "", max_bytes, timeout)


class NoDocuments(ValueError):
    """No article file was found in the inputs."""


def require_documents(sources: list[Source], inputs: list[Path]) -> list[Source]:
    """The sources, or ``NoDocuments`` naming where none was found."""
    if not sources:
        where = ", ".join(str(path) for path in inputs)
        kinds = ", ".join(SUFFIXES)
        raise NoDocuments(f"no document found in {where} (looked for {kinds} files, in subfolders too)")
    return sources
