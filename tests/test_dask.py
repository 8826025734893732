"""Dask runs: batches planned for parallel workers, and a real cluster on 127.0.0.1.

The release built through ``--task-runner dask --dask-address`` (scheduler + two workers)
must be byte-identical to the one built by the default thread runner, for a corpus of 20
reports; batches cut by bytes publish the same release as batches cut by count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPORTS, ROOT
from .procs import free_port, port_open, prefect_server, report_variants, started, tool, wait_for

BASES = ["small_report.txt", "news_summary_digits.txt", "full_report_digits.txt"]


def _run(env: dict[str, str], inp: Path, out: Path, *extra: str) -> str:
    r = subprocess.run(
        [
            *(sys.executable, "-m", "heping_flows.cli", "run", str(inp), "--output", str(out)),
            *("--release-version", "same", "--release-date", "2024-03-01", "--batch-size", "5"),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout


def _files(release: Path) -> dict[str, bytes]:
    return {
        p.relative_to(release).as_posix(): p.read_bytes() for p in release.rglob("*") if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_dask_cluster_gives_the_same_release_bytes(tmp_path):
    inp = tmp_path / "corpus"
    made = report_variants([REPORTS / n for n in BASES], 20, inp)
    assert len({p.read_bytes() for p in made}) == 20
    port = free_port()
    addr = f"tcp://127.0.0.1:{port}"
    with prefect_server(tmp_path) as (_api, env):
        sched_cmd = [tool("dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port)]
        sched_cmd += ["--dashboard-address", ":0", "--no-show"]
        with started(sched_cmd, env, tmp_path / "scheduler.log") as sched:
            wait_for(lambda: port_open(port), 60, "dask scheduler", sched)
            workers = []
            try:
                for i in range(2):
                    cmd = [tool("dask"), "worker", addr, "--nthreads", "1", "--nworkers", "1"]
                    cmd += ["--host", "127.0.0.1", "--dashboard-address", ":0", "--name", f"w{i}"]
                    cmd += ["--local-directory", str(tmp_path / f"w{i}")]
                    ctx = started(cmd, env, tmp_path / f"worker{i}.log")
                    workers.append(ctx)
                    ctx.__enter__()
                wait_for(
                    lambda: (tmp_path / "scheduler.log").read_text().count("Register worker") >= 2,
                    90,
                    "two dask workers",
                    sched,
                )
                out_dask = _run(
                    env, inp, tmp_path / "out-dask", "--task-runner", "dask", "--dask-address", addr
                )
            finally:
                for ctx in reversed(workers):
                    ctx.__exit__(None, None, None)
        assert "20 document(s)" in out_dask and "20 extracted" in out_dask
        out_threads = _run(env, inp, tmp_path / "out-threads")
        assert "20 extracted" in out_threads
    a = _files(tmp_path / "out-dask" / "releases" / "same")
    b = _files(tmp_path / "out-threads" / "releases" / "same")
    assert sorted(a) == sorted(b)
    assert a == b
    log = (tmp_path / "worker0.log").read_text() + (tmp_path / "worker1.log").read_text()
    assert "extract-batch" in log or "Starting worker" in log


def _sized_corpus(tmp_path: Path) -> Path:
    """Reports of very different sizes: a news piece, a small and a full report, variants."""
    folder = tmp_path / "corpus"
    report_variants([REPORTS / n for n in BASES], 12, folder)
    return folder


def test_batches_cut_by_bytes_keep_document_order_and_balance_bytes(tmp_path):
    from heping_data.run import corpus

    prep = corpus.prepare_batch(corpus.discover([_sized_corpus(tmp_path)])).prepared
    by_count, _ = corpus.plan_batches(prep, 3)
    by_bytes, dups = corpus.plan_batches(prep, 3, by_bytes=True)
    assert not dups and len(by_bytes) == len(by_count) == 4
    # the same documents in the same (document-id) order, only the cuts move
    assert [p.sha256 for b in by_bytes for p in b] == [p.sha256 for b in by_count for p in b]
    assert all(by_bytes)
    spread = [corpus.batch_bytes(b) for b in by_bytes]
    assert max(spread) - min(spread) <= max(map(corpus.source_bytes, prep))
    counted = [corpus.batch_bytes(b) for b in by_count]
    assert max(spread) - min(spread) <= max(counted) - min(counted)
    # one batch when the size holds them all; an explicit count keeps its meaning
    assert corpus.plan_batches(prep, 100, by_bytes=True)[0] == [
        sorted(prep, key=lambda p: p.sha256)
    ]
    assert [len(b) for b in by_count] == [3, 3, 3, 3]


def test_releases_from_byte_and_count_batches_are_identical(tmp_path):
    from heping_data.release.publish import publish_parts, work_folder
    from heping_data.run import corpus

    prep = corpus.prepare_batch(corpus.discover([_sized_corpus(tmp_path)])).prepared
    out = {}
    for name, by_bytes in (("count", False), ("bytes", True)):
        batches, _ = corpus.plan_batches(prep, 5, by_bytes=by_bytes)
        target = tmp_path / name
        with work_folder(target) as work:
            staged = [corpus.stage_prepared(b, i, work) for i, b in enumerate(batches)]
            run = corpus.collect(staged)
            info = corpus.release_info(run.sources, "same", "2024-03-01")
            out[name] = _files(publish_parts(corpus.check_run(run), target, info))
    assert out["count"] and out["count"] == out["bytes"]


def test_dask_batches_come_in_whole_rounds_under_the_memory_cap():
    from heping_flows.pipeline import DASK_MAX_BATCH, batch_size_for

    for n in (30, 100, 300, 1000, 2500, 10_000):
        for workers in (1, 2, 3, 4):
            size = batch_size_for(n, 0, workers)
            batches = -(-n // size)
            assert size <= DASK_MAX_BATCH
            if n >= 25 * workers:  # enough reports for every worker
                assert batches % workers == 0, (n, workers, size)
    assert batch_size_for(1000, 0, 2) == 250  # 4 batches: two rounds of two
    assert batch_size_for(1000, 7, 2) == 7  # an explicit size is kept


def test_opaque_arguments_cross_a_dask_cluster_intact():
    # quote() is a NamedTuple, which Dask's argument parsing rebuilds wrongly; Opaque is not
    from distributed import Client, LocalCluster
    from heping_flows.pipeline import Opaque

    from heping_data.run.corpus import Prepared

    p = Prepared("a.txt", "a.txt", "00ff", "text", {"report_year": 2024})
    with (
        LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        got = client.submit(lambda x: x, x=Opaque([p, p])).result()
        assert isinstance(got, Opaque) and got.value == [p, p]
