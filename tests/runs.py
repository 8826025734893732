"""Reports through the run's own steps, for tests that look at rows before they are published.

Why here: the library has one path (:func:`heping_data.run.sequence.run_release`: stage
parts per batch, check across batches, publish). Tests that break or inspect tables
before validation stop that path after its extraction step; these helpers are that stop,
so every test reads rows made the way a run makes them.

- :func:`extracted` — per-document rows of ``paths`` (discover → prepare → plan → cache
  lookup and extraction), what a batch's stage step turns into tables.
- :func:`run_frames` — the release's tables of ``paths`` before validation (the
  evaluation tests' entry point).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from heping_data.run import corpus
from heping_data.run.cache import DocCache
from heping_data.sources.fetch import FetchPolicy


def extract_inputs(
    inputs: list[corpus.InputFile],
    report_year: int | None = None,
    *,
    cache: DocCache | None = None,
    snapshot_dir: str | Path | None = None,
    policy: FetchPolicy | None = None,
    fail_fast: bool = False,
    max_bytes: int | None = None,
) -> corpus.BatchResult:
    """Discovered inputs as one batch of the run: prepared, planned, reused or extracted.

    Rows come in source-path order; inputs refused while preparing and duplicates (same
    bytes) are in ``rejected`` as a run lists them; ``stats`` counts like a run's.
    """
    prep = corpus.prepare_batch(
        inputs, snapshot_dir=snapshot_dir, policy=policy, fail_fast=fail_fast, max_bytes=max_bytes
    )
    batches, dups = corpus.plan_batches(prep.prepared, max(1, len(prep.prepared)))
    out = corpus.extract_prepared(
        batches[0] if batches else [],
        report_year,
        cache=cache,
        fail_fast=fail_fast,
        max_bytes=max_bytes,
    )
    out.rejected.extend(dups)
    out.rejected.extend(prep.rejected)
    for k, v in prep.stats.items():
        out.stats[k] = out.stats.get(k, 0) + v
    return out


def extracted(
    paths: Iterable[str | Path] | None,
    report_year: int | None = None,
    *,
    max_inputs: int | None = None,
    **kw: Any,
) -> corpus.BatchResult:
    """Per-document rows of every report ``paths`` name (see :func:`extract_inputs`)."""
    return extract_inputs(corpus.discover(paths, max_inputs=max_inputs), report_year, **kw)


def run_frames(paths: Iterable[str | Path] | None, **kw: Any) -> dict[str, Any]:
    """The release's tables of ``paths`` as the run builds them, before validation."""
    return corpus.frames_of(extracted(paths, **kw))
