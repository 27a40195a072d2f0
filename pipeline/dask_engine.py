"""Extraction on a Dask cluster: the entries ``pipeline.workers`` makes, from many machines.

The driver (this process) keeps what a run owns: the cache, validation, the change
report and the atomic writes (``pipeline.run``). The cluster only extracts. Each
worker process builds the extractor once, from the driver's ``models/`` (shipped with
the worker plugin, so that a worker uses the driver's rules wherever it runs; a worker
whose code differs stops the run), keeps it for the next run of the same pipeline, and
extracts batches of jobs that carry their documents' bytes, so that workers need no
shared file system. A worker runs ``pipeline.workers.extract_batch``, the code of a
local worker, and entries come back in input order: the outputs are the bytes a
local run writes, whatever the number of workers.

A worker that dies has its tasks retried on another (Dask's own retries, up to the
scheduler's ``allowed-failures``); a batch whose workers all died is extracted again
one document at a time, and the document that still kills them is marked
``error: worker died (...)``. Four batches per worker process are submitted and not yet
handed on at most, so the driver's memory does not grow with the corpus. Ctrl-C ends the run as it ends a
local one: a LocalCluster's workers leave it to the driver.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import shutil
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin, get_worker, wait

from pipeline.cache import Entry, pipeline_fingerprint
from pipeline.extract import Extractor, failed
from pipeline.files import IngestError, read_bounded, unreadable
from pipeline.guard import MAX_CAUSE_CHARS
from pipeline.inputs import Job
from pipeline.interrupts import ignore_in_worker
from pipeline.outputs import RunError
from pipeline.workers import MAX_PARALLEL_BATCH, entry_of, extract_batch, freeze_heap

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
LOCAL_CLUSTER = {
    # Its nannies restart a dead worker themselves, so a nanny is never given up for a
    # worker slow to come back: by default one is closed when no worker of its name is back
    # 15 s after a death, and on a busy machine a document that kills workers in turn can
    # take that long, leaving a cluster without workers that waits forever.
    "distributed.deploy.lost-worker-timeout": "1 hour",
    # A worker's sampling profiler (every 10 ms) and event loop tick (every 20 ms) take the
    # GIL from the extraction; with every core busy, each handover waits for the system to
    # run the other thread (two workers on two cores: 13% slower, measured).
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1 s",
}
RUNNING_PER_WORKER = 2  # one extracted, one waiting on the worker: no idle time between two
HELD_PER_WORKER = 4  # submitted and not yet handed on, done or not: the driver's memory bound
MIN_BATCH = 4  # documents: about 80 ms of work, the longest a worker waits for the last one
RESCUE_PRIORITY = 1  # a batch's documents retried one by one go before the batches still queued


# In a worker process: the extractor built last, by pipeline fingerprint, with its models
# folder. It outlives a run, so that the next run of the same pipeline starts at once.
_BUILT: dict[str, tuple[Path, Extractor]] = {}
# An extractor holds the state of the document it reads: a worker process with several
# threads extracts one batch at a time (pure Python gains nothing from threads anyway).
_ONE_AT_A_TIME = threading.Lock()


class ExtractorPlugin(WorkerPlugin):
    """The extractor of one run, in each worker process (built again in a worker that
    replaces a dead one) from the driver's models/, written to a folder of the worker's."""

    def __init__(self, name: str, models: dict[str, bytes], fingerprint: str) -> None:
        self.name = name
        self.models = models
        self.fingerprint = fingerprint
        self.extractor: Extractor | None = None
        self.mismatch = ""

    async def setup(self, worker) -> None:
        """In a thread: building the pipeline takes a second or more, too long to hold the
        worker's event loop (its heartbeats). The models go to the worker's own folder,
        which Dask removes when the worker ends (or, after a crash, when the next starts)."""
        await asyncio.to_thread(self._build, worker.address, worker.local_directory)
        self.models = {}

    def _build(self, address: str, local_directory: str) -> None:
        if self.fingerprint in _BUILT:
            self.extractor = _BUILT[self.fingerprint][1]
            return
        folder = Path(tempfile.mkdtemp(prefix="conflict-events-models-", dir=local_directory))
        for name, data in self.models.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        if pipeline_fingerprint(folder) != self.fingerprint:
            shutil.rmtree(folder)
            self.mismatch = (
                f"the Dask worker {address} runs another version of the pipeline's code than "
                "this process; install the same version on every worker"
            )
            return
        for old, _ in _BUILT.values():
            shutil.rmtree(old, ignore_errors=True)
        _BUILT.clear()
        gc.unfreeze()  # the previous extractor, if any, can be collected
        self.extractor = Extractor(folder)
        _BUILT[self.fingerprint] = (folder, self.extractor)
        freeze_heap()


def extract_on_dask(
    jobs: list[Job],
    models_dir: Path,
    workers: int,
    progress: Callable[[int], None],
    scheduler: str | None = None,
) -> Iterator[Entry]:
    """Entries for the jobs, in input order, from the cluster at ``scheduler`` (or
    ``$DASK_SCHEDULER_ADDRESS``), else from a ``LocalCluster`` of ``workers`` processes."""
    if not jobs:
        return
    with _client(scheduler or os.environ.get(SCHEDULER_VARIABLE), workers) as client:
        plugin = ExtractorPlugin(
            f"conflict-events-{uuid.uuid4().hex}", models_of(models_dir), pipeline_fingerprint(models_dir)
        )
        client.register_plugin(plugin)
        try:
            processes = max(1, len(client.nthreads()))
            for entries in _in_order(client, plugin.name, batches_of(jobs, processes), processes):
                progress(len(entries))
                yield from entries
        finally:
            client.unregister_worker_plugin(plugin.name)


@contextmanager
def _client(address: str | None, workers: int) -> Iterator[Client]:
    if address:
        with Client(address) as client:
            yield client
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client


@contextmanager
def local_cluster(workers: int, **options) -> Iterator[LocalCluster]:
    """A cluster of ``workers`` processes of one thread on this machine, which logs only
    critical errors (a local run's workers print nothing; a document that kills workers is
    in documents.csv). See ``LOCAL_CLUSTER`` for its settings."""
    with (
        dask.config.set(LOCAL_CLUSTER),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
            **options,
        ) as cluster,
    ):
        with Client(cluster) as client:
            client.register_plugin(CtrlCToTheRun())
        yield cluster


class CtrlCToTheRun(WorkerPlugin):
    """A LocalCluster's workers get the terminal's Ctrl-C too: they leave it to the run,
    which closes the cluster, rather than each printing a traceback of its own."""

    name = "conflict-events-ctrl-c"

    def setup(self, worker) -> None:
        ignore_in_worker()


def models_of(models_dir: Path) -> dict[str, bytes]:
    """Every file of the models folder, by its path in it: what a worker needs to build the
    extractor the driver would (about 0.5 MB)."""
    root = Path(models_dir)
    files = [path for path in root.rglob("*") if path.is_file()]
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in files}


def batches_of(jobs: list[Job], workers: int) -> Iterator[list[Job]]:
    """Batches that shrink as the run nears its end: each a quarter of what is left per
    worker, from ``MAX_PARALLEL_BATCH`` down to ``MIN_BATCH`` documents. The first ones
    keep the cost per task small (pandera's is 13 ms); the last ones are short, so that the
    workers finish together."""
    start = 0
    while start < len(jobs):
        size = min(MAX_PARALLEL_BATCH, max(MIN_BATCH, (len(jobs) - start) // (workers * 4)))
        yield jobs[start : start + size]
        start += size


def _in_order(
    client: Client, plugin: str, batches: Iterator[list[Job]], workers: int
) -> Iterator[list[Entry]]:
    """The entries of each batch, in order. Up to ``RUNNING_PER_WORKER`` batches a worker
    are on the cluster, so that none waits for the driver between two; a batch done before
    the ones ahead of it waits in order, up to ``HELD_PER_WORKER`` batches a worker, so that
    one slow batch neither idles the others nor lets the driver's memory grow."""
    pending: deque[tuple[list[Job], Future]] = deque()
    most_running, most_held = RUNNING_PER_WORKER * workers, HELD_PER_WORKER * workers
    batch = next(batches, None)
    while batch is not None or pending:
        running = [future for _, future in pending if not future.done()]
        while batch is not None and len(running) < most_running and len(pending) < most_held:
            pending.append((batch, _submit(client, plugin, batch)))
            running.append(pending[-1][1])
            batch = next(batches, None)
        first, future = pending[0]
        if future.done():
            pending.popleft()
            yield _entries(client, plugin, first, future)
        else:
            wait(running, return_when="FIRST_COMPLETED")


def _submit(client: Client, plugin: str, batch: list[Job], priority: int = 0) -> Future:
    """A task extracting the batch; its documents' bytes are read only now, so that the
    driver holds the bytes of the batches in flight alone."""
    return client.submit(_extract, plugin, [packed(job) for job in batch], pure=False, priority=priority)


def _entries(client: Client, plugin: str, batch: list[Job], future: Future) -> list[Entry]:
    """A batch's entries; when its workers all died, each document is extracted again alone,
    one at a time, so that the one that kills them is known and the others are kept. Even a
    batch of one is tried again: Dask also counts a death against the tasks that only waited
    on the dying worker, and a document is marked only when it was alone on its task."""
    try:
        return _result(future)
    except KilledWorker:
        return [_alone(client, plugin, job) for job in batch]


def _alone(client: Client, plugin: str, job: Job) -> Entry:
    try:
        return _result(_submit(client, plugin, [job], RESCUE_PRIORITY))[0]
    except KilledWorker as err:
        deaths = err.allowed_failures + 1
        cause = f"worker died ({deaths} Dask worker{'s' * (deaths > 1)} died extracting it)"
        source = job.source
        result = failed(source.path, source.root, source.doc_id, cause, job.sha256)
        return entry_of(result, job.key, job.sha256)


def _result(future: Future) -> list[Entry]:
    """A task's entries. A task never fails for a document (its failures are statuses), so
    any error but a worker's death is the cluster's: the run cannot complete."""
    try:
        return future.result()
    except KilledWorker:
        raise
    except WorkerMismatch as err:
        raise RunError(str(err)) from None
    except Exception as err:
        cause = f"{type(err).__name__}: {' '.join(str(err).split())[:MAX_CAUSE_CHARS]}"
        raise RunError(f"the Dask cluster could not run the extraction: {cause}") from err
    finally:
        future.release()


def packed(job: Job) -> Job:
    """The job with its document's bytes, read as a local worker would read them; a file
    that can no longer be read keeps the cause a local worker would give."""
    if job.problem:
        return job
    try:
        return replace(job, raw=read_bounded(job.source.path, job.max_bytes))
    except IngestError as err:
        return replace(job, problem=str(err))
    except OSError as err:
        return replace(job, problem=unreadable(err))


class WorkerMismatch(RuntimeError):
    """A worker whose pipeline differs from the driver's: its outputs would not be the driver's."""


def _extract(plugin: str, jobs: list[Job]) -> list[Entry]:
    """On a worker: the batch through the extractor its plugin built."""
    extractor = get_worker().plugins[plugin]
    if extractor.mismatch:
        raise WorkerMismatch(extractor.mismatch)
    with _ONE_AT_A_TIME:
        return extract_batch(extractor.extractor, jobs)
