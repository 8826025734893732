"""The Prefect flow itself, end to end: the CLI in embedded mode, and the flow in a test harness."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from .conftest import REPORTS, ROOT, SEED
from .procs import prefect_env

pytestmark = pytest.mark.slow


def test_cli_runs_flow_on_seed_and_own_report(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SEED, inp / SEED.name)
    shutil.copy(REPORTS / "small_report.txt", inp / "small_report.txt")
    out = tmp_path / "out"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "heping_flows.cli",
            "run",
            str(inp),
            "--output",
            str(out),
            "--release-version",
            "e2e",
        ],
        cwd=ROOT,
        env=prefect_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert r.returncode == 0, r.stderr[-4000:]
    assert "published" in r.stdout
    rel = out / "latest"
    docs = pd.read_parquet(rel / "documents.parquet")
    assert len(docs) == 2
    facts = pd.read_parquet(rel / "numeric_facts.parquet")
    small = docs[docs.file_name == "small_report.txt"].doc_id.iloc[0]
    own = facts[facts.doc_id == small]
    gdp = own[own.mention == "412.6亿元"]
    assert len(gdp) == 1
    assert gdp.value.iloc[0] == pytest.approx(4.126e10)
    assert gdp.unit.iloc[0] == "元"
    assert set(own.kind) == {"actual", "target"}
    secs = pd.read_parquet(rel / "sections.parquet")
    assert (secs[secs.doc_id == small].heading.dropna().str.contains("工作回顾")).any()
    seed_facts = facts[facts.doc_id != small]
    assert seed_facts.is_masked.sum() > 50


def test_missing_input_is_one_clear_line(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "heping_flows.cli",
            "run",
            str(tmp_path / "nope.txt"),
            "--output",
            str(tmp_path / "o"),
        ],
        cwd=ROOT,
        env=prefect_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"heping-data: {tmp_path / 'nope.txt'}: no such file or folder"
    ]
    assert not (tmp_path / "o").exists()


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_validation_failure_stops_publish_and_keeps_previous(harness, tmp_path, monkeypatch):
    from heping_flows import pipeline as fp

    from heping_data.errors import ValidationFailed
    from heping_data.run import corpus
    from heping_data.run.params import RunParams

    out = tmp_path / "out"
    fp.publish_reports(RunParams(paths=[str(SEED)], output=str(out), release_version="good"))
    before = {p: p.read_bytes() for p in (out / "releases" / "good").rglob("*") if p.is_file()}

    real = corpus.frames_of

    def corrupt(merged, **kw):
        frames = real(merged, **kw)
        frames["numeric_facts"].loc[0, "kind"] = "wishful"
        frames["sections"].loc[0, "level"] = 9
        return frames

    monkeypatch.setattr(corpus, "frames_of", corrupt)
    with pytest.raises(ValidationFailed) as exc:
        fp.publish_reports(
            RunParams(paths=[str(SEED)], output=str(out), release_version="bad", strict=True)
        )
    tables_hit = {f["table"] for f in exc.value.failures}
    assert {"numeric_facts", "sections"} <= tables_hit
    assert not (out / "releases" / "bad").exists()
    assert os.readlink(out / "latest") == "releases/good"
    assert {
        p: p.read_bytes() for p in (out / "releases" / "good").rglob("*") if p.is_file()
    } == before
