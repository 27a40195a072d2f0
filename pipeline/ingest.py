"""Ingest: a file on disk -> a ``Document`` with metadata and narrative blocks.

The format is detected from the content, not the file name: Markdown with
YAML front matter, an offline-Wikipedia text dump (title line, infobox lines
with the label glued to the value, narrative, licence footer), or the HTML of
a Wikipedia page. Metadata (front matter, infobox) never becomes narrative.
Block offsets point into the decoded source text. Each format has its reader
(``markdown_reader``, ``text_reader``, ``html_text``); what they share is
``ingest_rules``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.files import DEFAULT_MAX_BYTES, IngestError, decode, doc_id_for, read_bounded
from pipeline.html_text import parse_html
from pipeline.ingest_rules import IngestRules
from pipeline.markdown_reader import parse_markdown
from pipeline.records import Document
from pipeline.text_reader import parse_wikipedia_text

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_FRONT_MATTER_END = re.compile(r"^---\s*$", re.MULTILINE)
_HTML_HEAD = re.compile(r"<(body|div|p)[\s>]")


def read_document(
    path: Path,
    root: Path,
    rules: IngestRules,
    doc_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    raw: bytes | None = None,
) -> Document:
    """Read and parse one file; raises ``IngestError`` with the cause. ``doc_id`` is given
    when the batch had to tell apart two files of the same name; ``raw`` when the file's
    bytes were read elsewhere (a Dask worker gets them from the driver, not from a disk)."""
    own_id, rel = doc_id_for(path, root)
    doc_id = doc_id or own_id
    raw = read_bounded(path, max_bytes) if raw is None else raw
    if not raw.strip():
        raise IngestError("empty file")
    text = decode(raw)
    fmt = detect_format(text)
    if fmt == "markdown":
        metadata, blocks = parse_markdown(text, rules)
    elif fmt == "html":
        metadata, blocks = parse_html(text, rules)
    else:
        metadata, blocks = parse_wikipedia_text(text, rules)
    if not blocks:
        raise IngestError("not an article (no narrative paragraph found)")
    sha = hashlib.sha256(raw).hexdigest()
    return Document(doc_id, rel, fmt, text, sha, metadata, blocks)


def detect_format(text: str) -> str:
    """``markdown``, ``html`` or ``wikipedia-text``, from the content: saved files keep
    misleading names (an HTML page saved as .txt), their first bytes do not lie."""
    head = text.lstrip()[:2000].lower()
    if head.startswith("---") and _FRONT_MATTER_END.search(text[3:]):
        return "markdown"
    if head.startswith(("<!doctype html", "<html")) or _HTML_HEAD.search(head):
        return "html"
    return "wikipedia-text"
