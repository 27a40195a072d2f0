"""Isolation of one document: a time limit, and an exception turned into a status.

A batch of a thousand articles must not be lost to one of them. Whatever
goes wrong while one document is extracted becomes that document's status,
one line naming the stage and the cause, and its traceback goes to
``errors.log``; the rest of the batch goes on.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STAGE_PACKAGES = ("events",)  # subpackages whose modules together are one stage
DEFAULT_DOC_TIMEOUT = 120.0
MAX_CAUSE_CHARS = 300


class DocumentTimeout(Exception):
    """The document took longer than its time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``DocumentTimeout`` inside the block once ``seconds`` have passed. In a
    process's main thread (where a batch and its worker processes extract) an alarm signal
    raises it; on another thread (a Dask worker's) a timer does (see ``_thread_limit``)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_limit(seconds):
            yield
        return
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _expired(signum: int, frame: object) -> None:
    raise DocumentTimeout


@contextmanager
def _thread_limit(seconds: float) -> Iterator[None]:
    """No signal reaches a thread other than the main one, so a timer asks the interpreter
    to raise ``DocumentTimeout`` in this thread (``PyThreadState_SetAsyncExc``). Like a
    signal handler, it is raised between two bytecodes, never inside a C call. On the way
    out, one that is asked for but not yet raised is withdrawn, so none escapes the block."""
    thread = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    done = threading.Event()

    def expire() -> None:
        with lock:
            if not done.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            done.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, None)


# Modules that are part of a stage named after another of its modules.
STAGE_OF_MODULE = {
    "date_tagger": "dates",
    "date_patterns": "dates",
    "quantities": "casualties",
    "named_deaths": "casualties",
    "ingest_rules": "ingest",
    "markdown_reader": "ingest",
    "text_reader": "ingest",
    "html_text": "ingest",
}


def failing_stage(error: BaseException) -> str:
    """The stage an exception came from: the innermost module of this package in its
    traceback ("dates" for pipeline/taggers/dates.py; "events" for any module of
    pipeline/events/), or "extract" when none is."""
    stage = "extract"
    for frame, _ in traceback.walk_tb(error.__traceback__):
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(PACKAGE) and path.stem not in ("guard", "__init__"):
            stage = path.parent.name if path.parent.name in STAGE_PACKAGES else path.stem
    return STAGE_OF_MODULE.get(stage, stage)


def internal_error(error: BaseException) -> str:
    """One status line: ``internal error in <stage>: <Type>: <message>``."""
    message = " ".join(str(error).split())[:MAX_CAUSE_CHARS]
    cause = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return f"internal error in {failing_stage(error)}: {cause}"


def error_trace(doc_id: str, error: BaseException) -> str:
    """The traceback of a failed document, headed by its id, for ``errors.log``."""
    lines = traceback.format_exception(error)
    return f"{doc_id}\n{''.join(lines)}\n"
