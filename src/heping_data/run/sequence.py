"""The one sequencing of a run: discover → prepare → plan → stage → collect → check → publish.

Why one function: the Prefect flow, the library's in-process run and the benchmarks must
publish the same release from the same parameters; only *where* each step executes
differs. That is the :class:`Executor`'s business (in this process here; Prefect task
threads or Dask in :mod:`heping_flows.pipeline`), so this module imports no Prefect.

Steps are module-level functions of (parameters, data) so that an executor can ship them
to other processes; an executor maps a step over batches and calls single steps, and may
wrap each step in a task of its own (name, retries) — the sequence does not know.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

from heping_data.errors import HepingError, ValidationFailed
from heping_data.run import corpus
from heping_data.run.cache import DocCache
from heping_data.run.params import RunParams

R = TypeVar("R")

#: Called as (stage, done, total) while a run advances ("prepare", then "extract").
ProgressHook = Callable[[str, int, int], None]


class Executor(Protocol):
    """Where a run's steps execute.

    ``workers`` > 0: one process per worker (Dask); automatic batch sizes then come in
    multiples of it. ``inline``: batches hand their files back (no disk shared with this
    process). ``fuse_single``: a run of one batch is one step (prepare and stage), which
    saves round trips where a step costs one. ``log``: where the run's progress lines go.
    """

    workers: int
    inline: bool
    fuse_single: bool
    log: logging.Logger | logging.LoggerAdapter[Any]

    def map(
        self, step: Callable[..., R], calls: Sequence[Mapping[str, Any]]
    ) -> Iterator[tuple[int, R]]:
        """``step(**call)`` for every call; yields (position in ``calls``, result) as each ends."""
        ...

    def call(self, step: Callable[..., R], **kwargs: Any) -> R:
        """``step(**kwargs)`` once, where the executor runs single steps."""
        ...


class InProcess:
    """Every step in this process, one after the other (tests, benchmarks, no Prefect)."""

    workers = 0
    inline = False
    fuse_single = False

    def __init__(self, log: logging.Logger | None = None) -> None:
        self.log = log or logging.getLogger("heping_data.run")

    def map(
        self, step: Callable[..., R], calls: Sequence[Mapping[str, Any]]
    ) -> Iterator[tuple[int, R]]:
        for i, kw in enumerate(calls):
            yield i, step(**kw)

    def call(self, step: Callable[..., R], **kwargs: Any) -> R:
        return step(**kwargs)


# --- steps: what an executor runs ----------------------------------------------------------


def prepare_step(params: RunParams, inputs: list[corpus.InputFile]) -> corpus.PrepareResult:
    """Hash local files and fetch URL sources with conditional GETs (I/O: retried)."""
    return corpus.prepare_batch(
        inputs,
        snapshot_dir=str(params.snapshot_path),
        policy=params.policy,
        fail_fast=params.fail_fast,
        max_bytes=params.max_bytes,
    )


def stage_step(
    params: RunParams, prepared: list[corpus.Prepared], index: int, work_dir: str | None
) -> corpus.StagedBatch:
    """cache → ingest → outline → mentions → facts → entities → validated parts of a batch."""
    return corpus.stage_prepared(
        prepared,
        index,
        work_dir,
        params.report_year,
        cache=DocCache(params.cache_path) if params.use_cache else None,
        fail_fast=params.fail_fast,
        max_bytes=params.max_bytes,
        quarantine=params.quarantine,
        strict=params.strict,
    )


@dataclass
class Processed:
    """What :func:`single_step` hands back: the refused sources and the one staged batch."""

    prep_rejected: list[dict[str, Any]]
    prep_stats: dict[str, int]
    staged: corpus.StagedBatch
    prepared: int = 0  # sources prepared
    refused: int = 0  # sources refused while preparing (duplicates aside)


def single_step(params: RunParams, inputs: list[corpus.InputFile], work_dir: str) -> Processed:
    """prepare → cache → extract → validated parts for a run of one batch (one round trip)."""
    prep = prepare_step(params, inputs)
    batches, dups = corpus.plan_batches(prep.prepared, max(1, len(prep.prepared)))
    staged = stage_step(params, batches[0] if batches else [], 0, work_dir)
    rejected = [*prep.rejected, *dups]
    return Processed(rejected, dict(prep.stats), staged, len(prep.prepared), len(prep.rejected))


def check_step(run: corpus.StagedRun) -> Any:
    """Every batch's failures plus the checks across batches; raises with every failure listed.

    Each batch was checked (or, with ``quarantine``, cleaned) with its own rows; what is
    left are the primary keys across batches and the ``rejected`` table.
    """
    return corpus.check_run(run)


def publish_step(params: RunParams, parts: Any, sources: dict[str, dict[str, Any]]) -> str:
    """Write the release atomically from the parts and point ``latest`` at it (I/O: retried)."""
    from heping_data.release.publish import publish_parts

    named = corpus.naming_params(params.report_year, params.quarantine, params.strict)
    info = corpus.release_info(sources, params.release_version, params.release_date, named)
    return str(publish_parts(parts, params.output, info, wait_for_lock=params.wait_for_lock))


# --- the sequence ----------------------------------------------------------------------------


#: Largest automatic Dask batch: a batch's rows live in a worker process, not in the flow.
DASK_MAX_BATCH = 250


def batch_size_for(n: int, requested: int, dask_workers: int = 0) -> int:
    """``requested`` reports per task, or (0 = auto) at most 16 batches of 25 to 100 reports.

    On Dask (``dask_workers`` > 0) a task run costs ≈ 0.1-0.2 s of Prefect on its worker
    and its submission ≈ 0.05 s in the flow, so the automatic size makes as few batches as
    the memory cap allows (at most 250 reports: a batch's rows live in the worker), in a
    multiple of the worker count: batches of equal bytes then finish together, round
    after round, and no worker waits for a straggler. The release does not depend on the
    batch size.
    """
    size = corpus.auto_batch_size(n, requested)
    if requested > 0 or dask_workers <= 0 or n <= 0:
        return size
    rounds = max(1, -(-n // (DASK_MAX_BATCH * dask_workers)))
    return max(min(size, n), -(-n // (rounds * dask_workers)))


@dataclass
class RunResult:
    """A published run: the release folder, the run's records and the release's summary."""

    release: str
    run: corpus.StagedRun
    frames: dict[str, Any]  # summary frames (see release.publish.summary_frames)
    skipped: list[str] = field(default_factory=list)

    @cached_property
    def figures(self) -> dict[str, Any]:
        from heping_data.release.datasheet import figures

        return figures(self.frames)

    def summary(self) -> dict[str, Any]:
        """The run's figures as the flow returns them (and the CLI prints them)."""
        quarantined = self.run.quarantined
        return {
            "release": self.release,
            **{k: v for k, v in self.figures.items() if not isinstance(v, dict)},
            **{f"run_{k}": v for k, v in self.run.stats.items()},
            "quarantined": sum(quarantined.values()),
            "quarantined_tables": dict(sorted(quarantined.items())),
            "skipped": len(self.skipped),
        }


def run_release(
    params: RunParams, executor: Executor, progress: ProgressHook | None = None
) -> RunResult:
    """Publish a release of every report ``params`` name, running the steps on ``executor``.

    Memory stays flat as the corpus grows: a batch's rows live in one step at a time and
    wait as Arrow parts in the output's work folder, from which the release is written.
    Raises :class:`ValidationFailed` (the validation report written first) or
    :class:`HepingError` when nothing can be published; the published release is then
    untouched.
    """
    from heping_data.release.publish import summary_frames, work_folder

    log = executor.log
    skipped: list[str] = []
    inputs = corpus.discover(params.paths, skipped=skipped, max_inputs=params.max_inputs)
    log.info("%d source(s) to read", len(inputs))
    for s in skipped:
        log.info("skipped %s", s)
    size = batch_size_for(len(inputs), params.batch_size, executor.workers)
    tick = progress or (lambda stage, done, total: None)
    with work_folder(params.output) as work:
        run = stage_run(params, executor, inputs, size, work, tick)
        parts = check_staged(params, executor, run)
        release = executor.call(publish_step, params=params, parts=parts, sources=run.sources)
        frames = summary_frames(parts)
    result = RunResult(release, run, frames, skipped)
    _log_published(log, result)
    return result


def stage_run(
    params: RunParams,
    executor: Executor,
    inputs: list[corpus.InputFile],
    size: int,
    work: Path,
    tick: ProgressHook,
) -> corpus.StagedRun:
    """Every input prepared, planned and staged into parts under ``work``: the run's records."""
    chunks = [inputs[i : i + size] for i in range(0, len(inputs), size)]
    if len(chunks) <= 1 and executor.fuse_single:
        done = executor.call(
            single_step, params=params, inputs=chunks[0] if chunks else [], work_dir=str(work)
        )
        tick("prepare", 1, 1)
        tick("extract", len(inputs), len(inputs))
        return corpus.collect([done.staged], done.prep_rejected, done.prep_stats)
    prep = prepare_all(params, executor, inputs, chunks)
    tick("prepare", 1, 1)
    # automatic sizes: batches of equal bytes (equal time), not of equal counts
    batches, dups = corpus.plan_batches(prep.prepared, size, by_bytes=not params.batch_size)
    staged = stage_batches(params, executor, batches, work, tick)
    return corpus.collect(staged, [*prep.rejected, *dups], prep.stats)


def prepare_all(
    params: RunParams,
    executor: Executor,
    inputs: list[corpus.InputFile],
    chunks: list[list[corpus.InputFile]],
) -> corpus.PrepareResult:
    """Every input's bytes on local disk and hashed, with the refused ones and the counts.

    URL sources are fetched by one step per chunk (network errors are transient: an
    executor may retry them); local files only are hashed here, which costs less than a
    step per chunk.
    """
    if any(corpus.is_url(i.path) for i in inputs):
        calls = [{"params": params, "inputs": c} for c in chunks]
        results = [r for _, r in sorted(executor.map(prepare_step, calls), key=lambda t: t[0])]
    else:
        results = [
            corpus.prepare_batch(inputs, fail_fast=params.fail_fast, max_bytes=params.max_bytes)
        ]
    out = corpus.PrepareResult()
    for res in results:
        out.prepared.extend(res.prepared)
        out.rejected.extend(res.rejected)
        for k, v in res.stats.items():
            out.stats[k] += v
    return out


def stage_batches(
    params: RunParams,
    executor: Executor,
    batches: list[list[corpus.Prepared]],
    work: str | Path,
    tick: ProgressHook | None = None,
) -> list[corpus.StagedBatch]:
    """One stage step per batch, largest first, landed in ``work`` as each completes.

    Why largest first: no worker should start a long batch when the others are done.
    """
    order = sorted(range(len(batches)), key=lambda i: -corpus.batch_bytes(batches[i]))
    work_dir = None if executor.inline else str(work)
    calls = [
        {"params": params, "prepared": batches[i], "index": i, "work_dir": work_dir} for i in order
    ]
    total = sum(len(b) for b in batches)
    results: list[corpus.StagedBatch | None] = [None] * len(batches)
    done = 0
    for pos, staged in executor.map(stage_step, calls):
        i = order[pos]
        results[i] = corpus.land(staged, work)
        done += len(batches[i])
        if tick is not None:
            tick("extract", done, total)
    return [r for r in results if r is not None]


def check_staged(params: RunParams, executor: Executor, run: corpus.StagedRun) -> Any:
    """The run's parts once every check passed; the validation report written either way."""
    log = executor.log
    st = run.stats
    log.info("%d document(s) reused from the cache, %d extracted", st["reused"], st["extracted"])
    for r in run.rejected:
        log.warning("rejected %s", r["reason"])
    corpus.write_validation_report(params.output, run.report())
    if not run.documents and not params.allow_empty:
        # Never replace a good release with an empty one (an unmounted input disk, every
        # input rejected): nothing readable, nothing published, unless asked for.
        raise HepingError(corpus.nothing_published(run.rejected))
    try:
        # one batch: nothing spans batches, the global checks are the rejected table only
        parts = (
            corpus.check_run(run) if len(run.batches) <= 1 else executor.call(check_step, run=run)
        )
    except ValidationFailed as exc:
        corpus.write_validation_report(
            params.output, [*run.report(), *corpus.stopped(exc.failures)]
        )
        raise
    quarantined = run.quarantined
    n = sum(quarantined.values())
    if n:
        log.warning(
            "quarantined %d row(s) that failed validation: %s",
            n,
            ", ".join(f"{k} {v}" for k, v in sorted(quarantined.items())),
        )
    return parts


def _log_published(log: logging.Logger | logging.LoggerAdapter[Any], result: RunResult) -> None:
    fig, st = result.figures, result.run.stats
    log.info(
        "published %s: %d document(s) (%d extracted, %d reused from cache), %d fact(s), "
        "%d entities, %d rejected",
        result.release,
        fig["documents"],
        st["extracted"],
        st["reused"],
        fig["numeric_facts"],
        fig["entities"],
        fig["rejected"],
    )


def publish_corpus(
    paths: Sequence[str | Path] | None,
    output: str | Path,
    report_year: int | None = None,
    *,
    version: str | None = None,
    cache: DocCache | None = None,
    progress: Callable[[int], None] | None = None,
    **params: Any,
) -> tuple[Path, corpus.StagedRun]:
    """The whole corpus to a release in this process: the flow's sequencing, without Prefect.

    ``params`` are :class:`heping_data.run.params.RunParams` fields; ``cache`` None runs
    without the document cache; ``progress`` is called with the documents of each batch
    as it is staged. Returns the release folder and the run's summary.
    """
    run_params = RunParams(
        paths=[str(p) for p in paths] if paths is not None else None,
        output=str(output),
        report_year=report_year,
        release_version=version,
        use_cache=cache is not None,
        cache_dir=str(cache.root) if cache is not None else None,
        **params,
    )
    seen = {"extract": 0}

    def tick(stage: str, done: int, total: int) -> None:
        if progress is not None and stage in seen:
            progress(done - seen[stage])
            seen[stage] = done

    result = run_release(run_params, InProcess(), tick)
    return Path(result.release), result.run
