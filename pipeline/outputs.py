"""The output folder of a run: held by one run at a time, its files replaced together.

Every file of a run (events.csv, documents.csv, changes.csv, errors.log,
events.xlsx and events_acled.csv) is first written under a temporary name; then
a journal naming the renames (and the files to remove: an events.xlsx that this
run was not asked for would be stale) is put in place in one step, the renames
and removals are made, and the journal is removed. A run killed before the
journal leaves the previous files; one killed after it leaves a journal that the
next run completes before it starts. Either way no folder holds a new events.csv beside an old
documents.csv, and temporary files of killed runs are cleaned up.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

JOURNAL = ".commit.json"
LOCK = ".lock"


class RunError(RuntimeError):
    """The run itself cannot complete (the output folder is held, unwritable or not a folder)."""


@contextmanager
def output_folder(out: Path) -> Iterator[Path]:
    """Hold ``out`` for this run: no other run may write there until the block ends. A
    run killed earlier is completed or rolled back first."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = (out / LOCK).open("a")
    except OSError as err:
        raise RunError(f"cannot write to the output folder {out}: {_reason(err)}") from err
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise RunError(
                f"another run is writing to {out}; wait for it to finish or choose another --out"
            ) from err
        recover(out)
        yield out
    finally:
        handle.close()


def recover(out: Path) -> None:
    """Finish the renames of a run killed while making them, then drop temporary files."""
    journal = out / JOURNAL
    if journal.exists():
        try:
            renames = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            renames = []
        for temporary, final in renames:
            if temporary is None or (out / temporary).exists():
                _apply(out, temporary, final)
        journal.unlink()
    for leftover in out.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def _apply(out: Path, temporary: str | None, final: str) -> None:
    """One step of a commit: a staged file put in place, or (``temporary`` None) a file removed."""
    if temporary is None:
        (out / final).unlink(missing_ok=True)
    else:
        os.replace(out / temporary, out / final)


def _reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()


class OutputSet:
    """Files staged under temporary names in ``out`` and put in place together by ``commit``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.token = secrets.token_hex(4)
        self.staged: list[tuple[str | None, str]] = []  # (temporary name or None to remove, name)
        self.mode = 0o666 & ~_umask()

    def text(self, name: str, pieces: str | Iterable[str], encoding: str = "utf-8") -> None:
        """Stage a text file from ``pieces`` written in order."""
        with self._open(name, "w", encoding=encoding, newline="") as handle:
            handle.writelines([pieces] if isinstance(pieces, str) else pieces)

    def binary(self, name: str, write: callable) -> None:
        """Stage a file that ``write(handle)`` fills (a workbook)."""
        with self._open(name, "wb") as handle:
            write(handle)

    def staged_path(self, name: str) -> Path:
        """Where the file staged as ``name`` lies until ``commit``: what was written, to read back."""
        return self.out / next(t for t, final in self.staged if final == name and t is not None)

    def staged_text(self, name: str, encoding: str = "utf-8") -> str:
        """The text of a file staged by this set (to build another file from it)."""
        return self.staged_path(name).read_text(encoding=encoding)

    def remove(self, name: str) -> None:
        """Stage the removal of ``name`` (a file this run does not write), made with the renames."""
        self.staged.append((None, name))

    @contextmanager
    def _open(self, name: str, mode: str, **options) -> Iterator[IO]:
        temporary = f".{name}.{self.token}.tmp"
        with (self.out / temporary).open(mode, **options) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(self.out / temporary, self.mode)
        self.staged.append((temporary, name))

    def commit(self) -> None:
        """Put every staged file in place: the journal first, in one rename, then the files."""
        journal = self.out / f".{JOURNAL}.{self.token}.tmp"
        journal.write_text(json.dumps(self.staged), encoding="utf-8")
        os.replace(journal, self.out / JOURNAL)
        for temporary, name in self.staged:
            _apply(self.out, temporary, name)
        (self.out / JOURNAL).unlink()
        self.staged = []


def _umask() -> int:
    """The process's umask, which can only be read by setting it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
