"""A document's time limit off the main thread (where a Dask worker extracts): it stops the
document, and nothing of it outlives the block."""

from __future__ import annotations

import threading
import time

import pytest

from pipeline.guard import DocumentTimeout, time_limit


def _busy_in_thread(limit: float, work: float) -> list[str]:
    """What a thread saw: the block's outcome, then whether anything was raised after it."""
    seen: list[str] = []

    def run() -> None:
        try:
            with time_limit(limit):
                end = time.perf_counter() + work
                while time.perf_counter() < end:
                    pass
            seen.append("done")
        except DocumentTimeout:
            seen.append("stopped")
        try:
            time.sleep(limit)
            sum(range(100_000))  # bytecodes, where a timeout that leaked would be raised
            seen.append("clean")
        except DocumentTimeout:
            seen.append("leaked")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)
    return seen


@pytest.mark.parametrize(
    ("limit", "work", "expected"),
    [
        (0.1, 5.0, ["stopped", "clean"]),
        (1.0, 0.05, ["done", "clean"]),
        (0.05, 0.05, None),  # the limit and the work end together: either, but nothing leaks
    ],
    ids=["over", "under", "together"],
)
def test_a_limit_on_another_thread_stops_the_block_and_only_it(limit, work, expected):
    seen = _busy_in_thread(limit, work)
    if expected is None:
        assert seen in (["stopped", "clean"], ["done", "clean"])
    else:
        assert seen == expected
