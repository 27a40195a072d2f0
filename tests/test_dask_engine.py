"""`--engine dask`: a LocalCluster of two worker processes writes the local engine's bytes,
through workers' deaths, and isolates a document that kills its workers or hangs."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from distributed import Client, WorkerPlugin
from test_hostile import _acting_on_marker, _die, article, one_file, read_csv, statuses

from pipeline import dask_engine
from pipeline.cli import main
from pipeline.dask_engine import local_cluster
from pipeline.outputs import RunError
from pipeline.run import RunOptions, run_batch
from pipeline.taggers import triggers

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DEV_DOCS = Path(__file__).resolve().parents[2] / "shared" / "dev" / "docs"
OUTPUTS = ["events.csv", "documents.csv", "changes.csv", "errors.log"]
MARKER = "Zorblax"
# Enough documents for batches of two (a batch holds a sixteenth of them on two workers):
# the document sharing a batch with one that kills workers is extracted again, alone.
TOWNS = 40


@pytest.fixture(scope="module")
def cluster():
    """One cluster for the module; a task is given up after two workers died running it
    (Dask's default is four), which keeps the deaths, and their restarts, few."""
    with local_cluster(2, scheduler_kwargs={"allowed_failures": 1}) as local:
        yield local


class Planted(WorkerPlugin):
    """``action`` planted in the trigger tagger of every worker, and of every worker that
    replaces a dead one, for documents holding ``marker`` (test_hostile's mechanism)."""

    name = "planted"

    def __init__(self, marker: str, action) -> None:
        self.marker = marker
        self.action = action
        self.original = None

    def setup(self, worker) -> None:
        self.original = triggers.keep_tagged
        triggers.keep_tagged = _acting_on_marker(self.marker, self.action)

    def teardown(self, worker) -> None:
        triggers.keep_tagged = self.original


@contextmanager
def _planted(cluster, action) -> Iterator[None]:
    """``action`` planted in the cluster's workers until the block ends."""
    with Client(cluster) as client:
        client.register_plugin(Planted(MARKER, action))
        try:
            yield
        finally:
            client.unregister_worker_plugin(Planted.name)


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _dask(cluster, **options) -> RunOptions:
    return RunOptions(engine="dask", scheduler=cluster.scheduler_address, **options)


@pytest.mark.parametrize(
    ("folder", "by_variable"), [(SEEDS, False), (DEV_DOCS, True)], ids=["seeds", "dev-by-variable"]
)
def test_outputs_equal_the_local_engines_byte_for_byte(
    tmp_path, extractor, cluster, monkeypatch, folder, by_variable
):
    run_batch([folder], tmp_path / "local", RunOptions(), extractor=extractor)
    address = ["--scheduler", cluster.scheduler_address]
    if by_variable:
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
        address = []
    assert main(["run", str(folder), "--out", str(tmp_path / "dask"), "--engine", "dask", *address]) == 0
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")


def test_without_dask_the_engine_is_a_usage_error(tmp_path, monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "distributed" else real(name)
    )
    assert main(["run", str(SEEDS), "--out", str(tmp_path), "--engine", "dask"]) == 2
    assert "pip install 'conflict-events[dask]'" in capsys.readouterr().err


def _batch(tmp_path: Path) -> Path:
    for index in range(TOWNS):
        one_file(tmp_path, f"doc{index:02}.txt", article(f"Town{index}"))
    one_file(
        tmp_path, "doc07bad.txt", article("Badtown", f"On 3 March 2017, HTS attacked {MARKER} in Ariha.")
    )
    return tmp_path / "in"


def _die_once(flag: Path):
    """Kill the first worker that extracts the document only: a worker lost mid-run."""

    def action() -> None:
        if not flag.exists():
            flag.touch()
            _die()

    return action


def _spin() -> None:
    """A document that never ends, in pure Python (a time limit cannot stop a C call)."""
    while True:
        time.sleep(0)


def test_a_worker_killed_mid_run_changes_nothing(tmp_path, extractor, cluster):
    folder = _batch(tmp_path)
    run_batch([folder], tmp_path / "local", RunOptions(), extractor=extractor)
    flag = tmp_path / "killed"
    with _planted(cluster, _die_once(flag)):
        run_batch([folder], tmp_path / "dask", _dask(cluster))
    assert flag.exists()
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")


@pytest.mark.parametrize(
    ("action", "options", "status"),
    [
        (_die, {}, "error: worker died (2 Dask workers died extracting it"),
        (_spin, {"doc_timeout": 1.0}, "error: time limit exceeded (1 s"),
    ],
    ids=["kills-workers", "hangs"],
)
def test_a_bad_document_fails_alone(tmp_path, extractor, cluster, action, options, status):
    folder = _batch(tmp_path)
    run_batch([folder], tmp_path / "clean", RunOptions(), extractor=extractor)
    with _planted(cluster, action):
        summary = run_batch([folder], tmp_path / "out", _dask(cluster, **options))
    found = statuses(tmp_path / "out")
    assert found.pop("doc07bad").startswith(status)
    assert set(found.values()) == {"ok"} and len(found) == TOWNS and len(summary.failures) == 1
    good = [row for row in read_csv(tmp_path / "clean" / "events.csv") if row["doc_id"] != "doc07bad"]
    assert read_csv(tmp_path / "out" / "events.csv") == good


def test_a_worker_with_other_code_stops_the_run(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(dask_engine, "pipeline_fingerprint", lambda models_dir: "another version")
    with pytest.raises(RunError, match="runs another version of the pipeline's code"):
        run_batch([SEEDS], tmp_path / "out", _dask(cluster))
    assert not (tmp_path / "out" / "events.csv").exists()


@pytest.mark.parametrize(
    ("documents", "workers", "first", "count"),
    [(1000, 2, 64, 38), (1000, 1, 64, 26), (41, 2, 5, 10), (5, 2, 4, 2), (3, 4, 3, 1)],
)
def test_batches_shrink_towards_the_end_and_keep_the_order(documents, workers, first, count):
    batches = list(dask_engine.batches_of(list(range(documents)), workers))
    sizes = [len(batch) for batch in batches]
    assert [job for batch in batches for job in batch] == list(range(documents))
    assert sizes[0] == first and len(sizes) == count
    assert sizes == sorted(sizes, reverse=True)
    assert all(dask_engine.MIN_BATCH <= size <= 64 for size in sizes[:-1])
