"""Ctrl-C during a run: the run ends, leaving the outputs and the cache as they were.

Until a run puts its files in place nothing of the output folder has changed
(files are staged under temporary names, the cache's writes are one open
transaction), so an interrupt then changes nothing. The last step, putting the
files in place and committing the cache, takes well under a second: an
interrupt there is held off, and the run finishes, so that the outputs and the
cache always belong to the same run.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def finishing() -> Iterator[None]:
    """Ctrl-C (SIGINT) is ignored inside the block (only the main thread can say so)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def ignore_in_worker() -> None:
    """A worker process leaves Ctrl-C to the run, which stops it: no worker prints a
    traceback of its own or dies half-way through handing a result back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
