"""A real Dask cluster on 127.0.0.1 (scheduler + two workers) runs the flow's extraction.

The release built through ``--task-runner dask --dask-address`` must be byte-identical to
the one built by the default thread runner, for a corpus of 20 reports.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPORTS, ROOT
from .procs import free_port, port_open, prefect_server, report_variants, started, tool, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

BASES = ["small_report.txt", "news_summary_digits.txt", "full_report_digits.txt"]


def _run(env: dict[str, str], inp: Path, out: Path, *extra: str) -> str:
    r = subprocess.run(
        [
            *(sys.executable, "-m", "heping_data.cli", "run", str(inp), "--output", str(out)),
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
