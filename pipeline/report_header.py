"""The report's header: the run in numbers, its failures, its changes since the previous run.

Plain HTML made here with every cell escaped; changes.csv is shown column by column as it
stands, whatever its columns are, so the header follows the change report as it grows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass
class ReportData:
    """The three tables of a run, as the CSV files hold them (every cell a string); the
    events column by column, as the page takes them."""

    events: dict[str, list[str]]
    documents: list[dict[str, str]]
    change_columns: list[str]
    changes: list[dict[str, str]]

    @property
    def event_count(self) -> int:
        return len(next(iter(self.events.values()), []))


def header_html(data: ReportData, review: int, limit: int = 200) -> str:
    """The run in numbers (``review``: the events that need it), its failures and its changes
    since the previous run (changes.csv's own columns, whatever they are)."""
    failed = [d for d in data.documents if d["status"].startswith("error")]
    duplicates = sum(d["status"].startswith("duplicate") for d in data.documents)
    parts = [
        "<h1>Conflict events: run report</h1>",
        f"<p class='summary'><b>{len(data.documents)}</b> documents, <b>{data.event_count}</b> events, "
        f"<b>{len(failed)}</b> failures, {duplicates} duplicates skipped, "
        f"<b>{review}</b> events need review (no date, place, coordinates or side).</p>",
    ]
    if failed:
        items = "".join(f"<li>{_e(d['path'])}: {_e(d['status'])}</li>" for d in failed[:limit])
        parts.append(
            f"<details open><summary>Failures</summary><ul>{items}</ul>{_more(failed, limit)}</details>"
        )
    parts.append(_changes_html(data, limit))
    return "\n".join(parts)


def _changes_html(data: ReportData, limit: int) -> str:
    if not data.changes:
        return "<p class='changes'>No change since the previous run.</p>"
    head = "".join(f"<th>{_e(c)}</th>" for c in data.change_columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(row.get(c) or '')}</td>" for c in data.change_columns) + "</tr>"
        for row in data.changes[:limit]
    )
    return (
        f"<details class='changes'><summary>Changes since the previous run ({len(data.changes)} rows of "
        f"changes.csv)</summary><table><tr>{head}</tr>{body}</table>{_more(data.changes, limit)}</details>"
    )


def _more(items: list, limit: int) -> str:
    return f"<p>… and {len(items) - limit} more.</p>" if len(items) > limit else ""


def _e(text: str) -> str:
    return html.escape(text, quote=True)
