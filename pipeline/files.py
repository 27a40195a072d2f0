"""Reading input files safely: bounded reads, decoding that never raises, ids a
spreadsheet cannot run.

A file is read only when it is a regular file (a FIFO would block the run, a
device would never end), inside its input folder when found by walking one,
and no larger than the limit, which is checked before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.records import FORMULA_STARTS

DEFAULT_MAX_BYTES = 20_000_000


class IngestError(ValueError):
    """The file cannot be read as an article; the message is the cause."""


def decode(raw: bytes) -> str:
    """Bytes -> text: UTF-16 and UTF-8 with BOM, UTF-8, else Windows-1252. Never raises for
    invalid bytes: they become U+FFFD, as a reader of the file would see them."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if b"\x00" in raw:
        raise IngestError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def doc_id_for(path: Path, root: Path) -> tuple[str, str]:
    """(doc_id, relative path) as the codebook defines them, made safe: see ``safe_id``."""
    relative = path.relative_to(root) if path != root else Path(path.name)
    rel = safe_id(relative.as_posix())
    return rel.rsplit(".", 1)[0] if "." in relative.name else rel, rel


def safe_id(name: str) -> str:
    """A file name as an id cell: control characters (a newline in a file name) are written
    %XX, and a name a spreadsheet would run as a formula ("-x", "=x") starts with "./", the
    same relative path, so that no cell has to be prefixed with a quote."""
    name = "".join(f"%{ord(c):02X}" if ord(c) < 32 or ord(c) == 127 else c for c in name)
    return f"./{name}" if name.startswith(FORMULA_STARTS) else name


def admission(path: Path, root: Path | None, max_bytes: int) -> str | None:
    """Why ``path`` is not read, or None. Only regular files are read (a FIFO would block the
    run, a device would never end), and a link found in an input folder must stay inside it;
    the size is checked before a byte is read."""
    try:
        if root is not None and path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            return "skipped: a link that leads out of the input folder"
        info = path.stat()
    except RuntimeError:
        return "unreadable file (too many levels of symbolic links)"
    except OSError as err:
        return unreadable(err)
    if not stat.S_ISREG(info.st_mode):
        return "skipped: not a regular file"
    if info.st_size > max_bytes:
        return f"file too large ({info.st_size} bytes, the limit is {max_bytes}; see --max-bytes)"
    return None


def unreadable(err: OSError) -> str:
    """The status cause of a file the system would not let us read."""
    return f"unreadable file ({(err.strerror or str(err)).lower()})"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, never more than ``max_bytes`` of them: it is opened only when it is
    a regular file, and a file that grows past the limit while read is refused."""
    with path.open("rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise IngestError("skipped: not a regular file")
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise IngestError(f"file too large (over {max_bytes} bytes; see --max-bytes)")
    return raw
