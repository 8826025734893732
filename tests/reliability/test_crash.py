"""SIGKILL at random points of a publish never leaves a partial release (≥ 20 trials)."""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from heping_data.release import publish as publish_mod
from heping_data.run import corpus
from heping_data.validate import checks as validate

from ..conftest import REPORTS
from ..procs import verify
from ..runs import extracted


def verify_output(out: Path, names: set[str]) -> None:
    """Every release under ``out`` is complete, ``latest`` points at one, nothing half-moved."""
    releases = out / "releases"
    found = {p.name for p in releases.iterdir()}
    assert found <= names, f"unexpected folders {found - names}"
    for p in releases.iterdir():
        verify(p)
    latest = out / "latest"
    assert latest.is_symlink()
    target = latest.resolve()
    assert target.parent == releases.resolve() and target.name in names
    verify(target)


_CHILD = """
import pickle, sys
from pathlib import Path
from heping_data.release.publish import publish
frames, texts, infos, qrows = pickle.loads(Path(sys.argv[1]).read_bytes())
out = Path(sys.argv[2])
print("ready", flush=True)
while True:  # republish over v1 (atomic swap), a new v2 and one with quarantine files
    publish(frames, texts, out, infos[0])
    publish(frames, texts, out, infos[1])
    publish(frames, texts, out, infos[2], quarantine=qrows)
"""


@pytest.fixture(scope="module")
def merged() -> corpus.BatchResult:
    return extracted([REPORTS / "small_report.txt"])


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_sigkill_during_publish_never_leaves_a_partial_release(merged, tmp_path):
    frames = corpus.frames_of(merged)
    broken = {k: v.copy() for k, v in frames.items()}
    broken["numeric_facts"].loc[broken["numeric_facts"].index[0], "char_start"] = -1
    q = validate.quarantine(broken, merged.texts)
    infos = [corpus.release_info(merged, v, "2025-01-01") for v in ("v1", "v2", "v3")]
    out = tmp_path / "out"
    first = publish_mod.publish(frames, merged.texts, out, infos[0])
    reference = (first / "SHA256SUMS").read_bytes()
    state = tmp_path / "state.pickle"
    state.write_bytes(pickle.dumps((frames, merged.texts, infos, q.rows)))
    t0 = time.perf_counter()
    publish_mod.publish(frames, merged.texts, tmp_path / "timing", infos[0])
    one = time.perf_counter() - t0
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for trial in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(state), str(out)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            delay = rng.uniform(0, 4 * one)
            time.sleep(delay)
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            if child.stdout is not None:
                child.stdout.close()
        where = f"seed {seed}, trial {trial}, killed after {delay:.3f}s"
        try:
            verify_output(out, {"v1", "v2", "v3"})
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from exc
        assert (out / "releases" / "v1" / "SHA256SUMS").read_bytes() == reference, where
        # The previous release stays loadable by readers.
        import pandas as pd

        assert len(pd.read_parquet(out / "latest" / "documents.parquet")) == 1, where
    final = publish_mod.publish(frames, merged.texts, out, infos[0])
    verify(final)
    assert not list(out.glob(".building-*"))
