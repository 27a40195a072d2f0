"""The long fuzz run: many generated documents through the extractor, every distinct failure
reported once with a minimal reproduction.

Uses the strategies and checks of ``tests/test_fuzz.py``. Unlike the tests, a failure does
not stop the run: each one is recorded under its signature (exception type and the innermost
pipeline frame, or the property that broke) with the smallest input that showed it, and the
run goes on. The work is split over processes (each builds the pipeline once). At the end
each signature's smallest input is minimised (chunks removed while the same failure shows)
and written to ``--out``.

    python tools/fuzz.py --examples 100000 --workers 2
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import test_fuzz as fz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from pipeline.export import DOCUMENT_COLUMNS, EVENT_COLUMNS  # noqa: E402
from pipeline.extract import Extractor  # noqa: E402
from pipeline.validation import _frame, validate  # noqa: E402

CHUNK = 500  # examples per Hypothesis run: bounds its memory, and progress shows per chunk
BATCH = 64  # documents validated together (pandera has a fixed cost per call)


class Timeout(Exception):
    """One document took longer than the limit (a hang or a quadratic path)."""


@dataclass
class Failure:
    signature: str
    message: str
    trace: str
    count: int
    smallest: fz.Generated


# --- signatures ---------------------------------------------------------------------------


def signature(err: BaseException) -> str:
    """What makes two failures the same bug: the type, and where (the innermost frame in the
    pipeline, else in the checks); for a broken property, its first line without values."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "/pipeline/" in f.filename] or [
        f for f in frames if "test_fuzz" in f.filename
    ]
    where = f"{_short(ours[-1].filename)}:{ours[-1].lineno}" if ours else "?"
    kind = type(err).__name__
    if isinstance(err, AssertionError | Timeout) or kind == "OutputInvalid":
        what = str(err).splitlines()[0] if str(err) else ""
        what = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", what)
        return f"{kind} at {where}: {what}"
    return f"{kind} at {where}"


def _short(filename: str) -> str:
    return filename.split(str(REPO) + "/")[-1]


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise ``Timeout`` in whatever runs longer than ``seconds`` (main thread, POSIX)."""

    def expire(signum: int, frame: object) -> None:
        raise Timeout(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- one worker ---------------------------------------------------------------------------


class Worker:
    """Runs examples with one extractor and records failures by signature."""

    def __init__(self, limit: int) -> None:
        self.extractor = Extractor()
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-"))
        self.limit = limit
        self.failures: dict[str, Failure] = {}
        self.count = 0
        self.pending: list[tuple[fz.Generated, list, list]] = []

    def record(self, err: BaseException, generated: fz.Generated) -> None:
        key = signature(err)
        found = self.failures.get(key)
        if found is None:
            trace = "".join(traceback.format_exception(err)[-6:])
            self.failures[key] = Failure(key, str(err)[:500], trace, 1, generated)
            return
        found.count += 1
        if len(generated.data) < len(found.smallest.data):
            found.smallest = generated

    def run_one(self, generated: fz.Generated) -> None:
        """Every check but validation, which waits for a batch."""
        self.count += 1
        named = fz.Generated(f"d{self.count}{Path(generated.name).suffix}", generated.data)
        try:
            with time_limit(self.limit):
                rows, documents = fz.extract_checked(self.extractor, self.root, named)
            # The rows as typed columns, alone (about 1 ms): a value that cannot be typed
            # fails here, so that a batch rarely fails and needs its documents one by one.
            _frame(rows, EVENT_COLUMNS)
            _frame(documents, DOCUMENT_COLUMNS)
            self.pending.append((generated, rows, documents))
        except Exception as err:  # every failure is a finding
            self.record(err, generated)
        finally:
            (self.root / named.name).unlink(missing_ok=True)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Validate the pending documents together; on a failure, each alone to find which."""
        batch, self.pending = self.pending, []
        try:
            _validate([row for _, rows, _ in batch for row in rows], [d for _, _, ds in batch for d in ds])
            return
        except Exception:
            pass
        for generated, rows, documents in batch:
            try:
                _validate(rows, documents)
            except Exception as err:
                self.record(err, generated)


def _validate(rows: list[dict], documents: list[dict]) -> None:
    validate(rows, documents, all_ids=[row["event_id"] for row in rows])


def work(task: tuple[int, int, int, int]) -> tuple[int, dict[str, Failure]]:
    """``count`` examples from seeds ``first_seed``, ``first_seed + 1``... (one per chunk)."""
    index, count, first_seed, limit = task
    worker = Worker(limit)
    started = time.perf_counter()
    for chunk, start in enumerate(range(0, count, CHUNK)):
        size = min(CHUNK, count - start)
        run_chunk(worker, size, first_seed + chunk)
        worker.flush()
        rate = worker.count / (time.perf_counter() - started)
        print(
            f"[worker {index}] {worker.count}/{count} documents, {rate:.0f}/s, "
            f"{len(worker.failures)} distinct failures",
            file=sys.stderr,
            flush=True,
        )
    return worker.count, worker.failures


def run_chunk(worker: Worker, size: int, chunk_seed: int) -> None:
    @seed(chunk_seed)
    @settings(
        max_examples=size,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(fz.any_document())
    def run(generated: fz.Generated) -> None:
        worker.run_one(generated)

    run()


# --- minimising and reporting ---------------------------------------------------------------


def minimise(data: bytes, still_fails: Callable[[bytes], bool], seconds: float, floor: int = 1) -> bytes:
    """Remove chunks (halves, quarters... down to ``floor`` bytes) while the failure shows,
    within ``seconds``: a greedy, time-bounded delta debugging."""
    deadline = time.monotonic() + seconds
    size = max(floor, len(data) // 2)
    while size >= floor and time.monotonic() < deadline:
        at, shrunk = 0, False
        while at < len(data) and time.monotonic() < deadline:
            candidate = data[:at] + data[at + size :]
            if candidate and still_fails(candidate):
                data, shrunk = candidate, True
            else:
                at += size
        if not shrunk:
            size //= 2
    return data


def reproduces(worker: Worker, name: str, key: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        generated = fz.Generated(name, data)
        try:
            with time_limit(worker.limit):
                fz.check_document(worker.extractor, worker.root, generated)
        except Exception as err:
            return signature(err) == key
        return False

    return check


def report(failures: dict[str, Failure], count: int, seconds: float, out: Path, shrink: float) -> None:
    print(f"\n{count} documents in {seconds:.0f} s ({count / max(seconds, 1e-9):.0f}/s)")
    print(f"{len(failures)} distinct failures")
    if not failures:
        return
    out.mkdir(parents=True, exist_ok=True)
    worker = Worker(limit=60)
    for number, failure in enumerate(sorted(failures.values(), key=lambda f: -f.count), 1):
        name = failure.smallest.name
        data = minimise(failure.smallest.data, reproduces(worker, name, failure.signature), shrink)
        path = out / f"failure-{number:02d}{Path(name).suffix}"
        path.write_bytes(data)
        print(f"\n#{number} {failure.signature} ({failure.count} documents)")
        print(f"   {failure.message.splitlines()[0][:300] if failure.message else ''}")
        print(f"   minimal input ({len(data)} bytes, {path}): {data[:600]!r}")
        print("   " + failure.trace.replace("\n", "\n   ").rstrip())


def merge(found: list[dict[str, Failure]]) -> dict[str, Failure]:
    merged: dict[str, Failure] = {}
    for failures in found:
        for key, failure in failures.items():
            if key not in merged:
                merged[key] = failure
                continue
            merged[key].count += failure.count
            if len(failure.smallest.data) < len(merged[key].smallest.data):
                merged[key].smallest = failure.smallest
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000, help="documents in all")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="first Hypothesis seed")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one document may take")
    parser.add_argument("--shrink-seconds", type=float, default=30.0, help="per distinct failure")
    parser.add_argument("--out", type=Path, default=REPO / "outputs" / "fuzz")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    shares = [args.examples // args.workers + (i < args.examples % args.workers) for i in range(args.workers)]
    spacing = 1 + max(shares) // CHUNK
    tasks = [(i, share, args.seed + i * spacing, args.timeout) for i, share in enumerate(shares)]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(work, tasks))
    count = sum(done for done, _ in results)
    failures = merge([found for _, found in results])
    report(failures, count, time.perf_counter() - started, args.out, args.shrink_seconds)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
