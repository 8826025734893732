"""The Prefect flow: a thin wiring of the library's steps into a few dozen coarse tasks.

    discover (in the flow) ─▶ prepare-sources ×B (fetch URLs, hash; retried with backoff;
        a corpus of local files only is hashed in the flow, no task runs)
        ─▶ plan (flow process: duplicates set aside, batches in document-id order)
        ─▶ extract-batch ×M (threads or Dask workers: cache lookup, extraction, tables,
           per-batch validation, Arrow parts + texts into the run's work folder)
        ─▶ validate-tables (global checks on key columns) ─▶ publish-release (streams the
           parts into Parquet/CSV; retried) ─▶ artifacts (summary, table, link)

B and M are batches of ``batch_size`` documents, so a corpus of hundreds of reports is a
few dozen task runs (with the automatic size, M batches of equal bytes rather than equal
counts, submitted largest first; on Dask, whole rounds of one batch per worker); a run of one batch on threads does all of a batch's work in a single
``process-batch`` task and its global checks in the flow, so it is two task runs
(process-batch, publish-release): each task run is a server round trip.

Memory: a batch task hands back only a small :class:`heping_data.run.corpus.StagedBatch`
(document ids, counts, sources, rejected inputs, failures); its rows wait as Arrow IPC
parts in ``<output>/.work-*/<batch>/``, and publishing streams them in batch order, so the
flow process never holds more than a batch's rows per worker thread. Tasks write the parts
themselves when they share the output's disk (threads, a local Dask cluster); with a Dask
cluster at ``dask_address`` (other machines, no shared disk assumed) a task returns its
parts' bytes instead and the flow writes them as each batch completes. Extraction tasks
are submitted from this flow, not from a subflow: a subflow's parameters go to the server
(512 KB limit) and its return value is walked by Prefect. Prefect result persistence and
task caching are off (cloudpickle blobs are larger than the release): the per-document
cache of :mod:`heping_data.run.cache`, keyed on raw sha256 + code + schema, does the reuse
(inside the batch tasks, so a worker reads and writes it directly).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from heping_data.errors import HepingError, ValidationFailed
from heping_data.release.datasheet import figures
from heping_data.release.publish import ReleaseParts, publish_parts, summary_frames, work_folder
from heping_data.run import corpus
from heping_data.run.cache import DocCache
from heping_data.sources.fetch import FetchPolicy
from heping_flows.params import RunParams, validate_params

#: Set by the CLI on a terminal: called as (stage, done, total) while batches finish.
ProgressHook = Callable[[str, int, int], None]
_progress: ProgressHook | None = None

T = TypeVar("T")

_TASK_OPTS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


def set_progress(hook: ProgressHook | None) -> None:
    """Install (or remove) the progress callback of runs in this process."""
    global _progress
    _progress = hook


def _tick(stage: str, done: int, total: int) -> None:
    if _progress is not None:
        _progress(stage, done, total)


def discover_sources(
    paths: list[str] | None, max_inputs: int | None = None
) -> tuple[list[corpus.InputFile], list[str]]:
    """Which reports this run reads, and the sidecar/hidden files skipped.

    Run in the flow, not as a task: a local walk (URLs are fetched later, by the retried
    prepare-sources tasks), and a task run would cost a server round trip.
    """
    skipped: list[str] = []
    inputs = corpus.discover(paths, skipped=skipped, max_inputs=max_inputs)
    return inputs, skipped


@task(
    name="prepare-sources",
    retries=3,
    retry_delay_seconds=exponential_backoff(2),
    retry_jitter_factor=0.5,
    **_TASK_OPTS,
)
def prepare_sources(
    inputs: list[corpus.InputFile],
    snapshot_dir: str,
    policy: FetchPolicy,
    fail_fast: bool,
    max_bytes: int | None = None,
) -> corpus.PrepareResult:
    """Hash local files and fetch URL sources with conditional GETs (I/O: retried)."""
    res = corpus.prepare_batch(
        inputs, snapshot_dir=snapshot_dir, policy=policy, fail_fast=fail_fast, max_bytes=max_bytes
    )
    get_run_logger().info(
        "prepared %d source(s): %d fetched, %d unchanged (304), %d refused",
        len(res.prepared),
        res.stats["fetched"],
        res.stats["not_modified"],
        len(res.rejected),
    )
    return res


class Opaque(Generic[T]):
    """A task argument that Prefect and Dask hand over without walking into it.

    Why: Prefect visits every item of a task's arguments looking for futures, once when
    submitting (in the flow) and twice in the worker (≈ 0.1 s a batch of 250 sources with
    their manifest metadata, where nothing can be found), and Dask parses them too.
    ``quote`` would stop Prefect, but it is a NamedTuple, which Dask's argument parsing
    rebuilds wrongly (the task receives ``quote(((value,),))``).
    """

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Any, tuple[T]]:
        return (Opaque, (self.value,))


@task(name="extract-batch", **_TASK_OPTS)
def extract_batch(
    prepared: Opaque[list[corpus.Prepared]] | list[corpus.Prepared],
    index: int,
    work_dir: str | None,
    report_year: int | None,
    fail_fast: bool,
    max_bytes: int | None = None,
    cache_dir: str | None = None,
    quarantine: bool = False,
    strict: bool = False,
) -> corpus.StagedBatch:
    """cache → ingest → outline → mentions → facts → entities → validated parts of a batch."""
    cache = DocCache(cache_dir) if cache_dir is not None else None
    res = corpus.stage_prepared(
        prepared.value if isinstance(prepared, Opaque) else prepared,
        index,
        work_dir,
        report_year,
        cache=cache,
        fail_fast=fail_fast,
        max_bytes=max_bytes,
        quarantine=quarantine,
        strict=strict,
    )
    get_run_logger().info(
        "batch %d: %d report(s) (%d reused from the cache), set aside %d",
        index,
        len(res.sources),
        res.stats.get("reused", 0),
        len(res.rejected),
    )
    return res


@task(name="validate-tables", **_TASK_OPTS)
def validate_tables(run: corpus.StagedRun) -> ReleaseParts:
    """Every batch's failures plus the checks across batches; raises with every failure listed.

    Each batch was checked (or, with ``quarantine``, cleaned) with its own rows; what is
    left are the primary keys across batches and the ``rejected`` table.
    """
    return corpus.check_run(run)


@task(name="publish-release", retries=2, retry_delay_seconds=exponential_backoff(2), **_TASK_OPTS)
def publish_release(
    parts: ReleaseParts,
    sources: dict[str, dict[str, Any]],
    output: str,
    version: str | None,
    release_date: str | None,
    wait_for_lock: bool = True,
    params: dict[str, Any] | None = None,
) -> str:
    """Write the release atomically from the parts and point ``latest`` at it (I/O: retried).

    ``params``: the run parameters that change rows, part of the default version name.
    """
    info = corpus.release_info(sources, version, release_date, params)
    return str(publish_parts(parts, output, info, wait_for_lock=wait_for_lock))


def task_runner_for(params: RunParams) -> Any:
    """Threads in the flow process, or Dask: a local cluster, or the one at ``dask_address``."""
    if params.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if params.dask_address:
            return DaskTaskRunner(address=params.dask_address)
        return DaskTaskRunner(cluster_kwargs=local_cluster_kwargs(params.concurrency))
    return ThreadPoolTaskRunner(max_workers=params.concurrency)


def local_cluster_kwargs(workers: int) -> dict[str, Any]:
    """The local Dask cluster a run starts (the benchmark starts the same one).

    One single-threaded process per worker: extraction is pure Python (the GIL), so a
    process per core is what scales; no dashboard; listening on the loopback only.
    """
    return {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        "host": "127.0.0.1",
    }


def extract_batches(
    batches: list[list[corpus.Prepared]],
    report_year: int | None,
    fail_fast: bool,
    max_bytes: int | None = None,
    *,
    work_dir: str | Path,
    inline: bool = False,
    cache_dir: str | None = None,
    quarantine: bool = False,
    strict: bool = False,
    task_runner: Any | None = None,
) -> list[corpus.StagedBatch]:
    """One extract-batch task per batch on ``task_runner`` (threads or Dask), in batch order.

    Call it inside a flow run. With ``inline`` the tasks return their parts' bytes and
    they are written into ``work_dir`` here, one batch at a time, as batches complete.
    Why not a subflow: a subflow's parameters (every prepared source with its manifest
    metadata) are sent to the server, which refuses more than 512 KB.
    """
    runner = task_runner or ThreadPoolTaskRunner(max_workers=4)
    # largest batches first, so that no worker starts a long batch when the others are done
    submit_order = sorted(range(len(batches)), key=lambda i: -corpus.batch_bytes(batches[i]))
    total = sum(len(b) for b in batches)
    results: list[corpus.StagedBatch | None] = [None] * len(batches)
    with runner:
        futures = [
            runner.submit(
                extract_batch,
                {
                    "prepared": Opaque(batches[i]),
                    "index": i,
                    "work_dir": None if inline else str(work_dir),
                    "report_year": report_year,
                    "fail_fast": fail_fast,
                    "max_bytes": max_bytes,
                    "cache_dir": cache_dir,
                    "quarantine": quarantine,
                    "strict": strict,
                },
            )
            for i in submit_order
        ]
        order = {f.task_run_id: i for f, i in zip(futures, submit_order, strict=True)}
        done = 0
        for fut in as_completed(futures):
            i = order[fut.task_run_id]
            results[i] = corpus.land(fut.result(), work_dir)
            done += len(batches[i])
            _tick("extract", done, total)
    return [r for r in results if r is not None]


@dataclass
class _Processed:
    """What a ``process-batch`` task hands back: the refused sources and the staged batch."""

    prep_rejected: list[dict[str, Any]]
    prep_stats: dict[str, int]
    staged: corpus.StagedBatch


@task(
    name="process-batch",
    retries=2,
    retry_delay_seconds=exponential_backoff(2),
    retry_jitter_factor=0.5,
    **_TASK_OPTS,
)
def process_batch(
    inputs: list[corpus.InputFile],
    snapshot_dir: str,
    policy: FetchPolicy,
    fail_fast: bool,
    max_bytes: int | None,
    report_year: int | None,
    cache_dir: str | None,
    work_dir: str,
    quarantine: bool = False,
    strict: bool = False,
) -> _Processed:
    """prepare → cache → extract → validated parts for a run of one batch (one round trip)."""
    prep = corpus.prepare_batch(
        inputs, snapshot_dir=snapshot_dir, policy=policy, fail_fast=fail_fast, max_bytes=max_bytes
    )
    batches, dups = corpus.plan_batches(prep.prepared, max(1, len(prep.prepared)))
    batch = batches[0] if batches else []
    cache = DocCache(cache_dir) if cache_dir is not None else None
    staged = corpus.stage_prepared(
        batch,
        0,
        work_dir,
        report_year,
        cache=cache,
        fail_fast=fail_fast,
        max_bytes=max_bytes,
        quarantine=quarantine,
        strict=strict,
    )
    get_run_logger().info(
        "prepared %d source(s) (%d fetched, %d unchanged, %d refused); "
        "%d report(s) (%d reused from the cache), set aside %d",
        len(prep.prepared),
        prep.stats["fetched"],
        prep.stats["not_modified"],
        len(prep.rejected),
        len(staged.sources),
        staged.stats.get("reused", 0),
        len(staged.rejected),
    )
    return _Processed([*prep.rejected, *dups], dict(prep.stats), staged)


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


#: Largest automatic Dask batch: a batch's rows live in a worker process, not in the flow.
DASK_MAX_BATCH = 250


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _summary_markdown(
    release: str, fig: dict[str, Any], stats: dict[str, int], quarantined: int = 0
) -> str:
    return "\n".join(
        [
            f"# Release `{Path(release).name}`",
            "",
            f"Folder: `{release}`",
            "",
            "| what | count |",
            "|---|---:|",
            f"| documents | {fig['documents']} |",
            f"| numeric facts | {fig['numeric_facts']} |",
            f"| masked share of facts | {fig['masked_share']:.1%} |",
            f"| entities | {fig['entities']} |",
            f"| rejected | {fig['rejected']} |",
            f"| extracted this run | {stats.get('extracted', 0)} |",
            f"| reused from cache | {stats.get('reused', 0)} |",
            f"| URL sources fetched | {stats.get('fetched', 0)} |",
            f"| URL sources unchanged (304) | {stats.get('not_modified', 0)} |",
            "",
            "Validation: **passed** (every schema and cross-table check)."
            if not quarantined
            else f"Validation: **{quarantined} row(s) quarantined** (see `quarantine/`); "
            "the published rows pass every check.",
        ]
    )


@flow(name="heping-data-publish", log_prints=True)
def publish_reports(
    paths: list[str] | None = None,
    output: str = "output",
    report_year: int | None = None,
    release_version: str | None = None,
    release_date: str | None = None,
    batch_size: int = 0,
    task_runner: str = "threads",
    dask_address: str | None = None,
    concurrency: int = 4,
    cache_dir: str | None = None,
    snapshot_dir: str | None = None,
    use_cache: bool = True,
    fail_fast: bool = False,
    fetch_timeout: float = 20.0,
    fetch_total_timeout: float = 60.0,
    fetch_max_bytes: int = 20 * 1024 * 1024,
    fetch_retries: int = 2,
    max_bytes: int = 20_000_000,
    max_inputs: int = 100_000,
    quarantine: bool = False,
    strict: bool = False,
    wait_for_lock: bool = True,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Publish a release of every report under ``paths`` (default: the seed report)."""
    params = validate_params(**{k: v for k, v in locals().items()})
    log = get_run_logger()
    policy = FetchPolicy(
        timeout=params.fetch_timeout,
        total_timeout=params.fetch_total_timeout,
        max_bytes=params.fetch_max_bytes,
        retries=params.fetch_retries,
    )
    inputs, skipped = discover_sources(params.paths, params.max_inputs)
    log.info("%d source(s) to read", len(inputs))
    for s in skipped:
        log.info("skipped %s", s)

    workers = params.concurrency if params.task_runner == "dask" else 0
    size = batch_size_for(len(inputs), params.batch_size, workers)
    chunks = _chunks(inputs, size)
    cache_dir = str(params.cache_path) if params.use_cache else None
    with work_folder(params.output) as work:
        if len(chunks) <= 1 and params.task_runner == "threads":
            done = process_batch(
                chunks[0] if chunks else [],
                str(params.snapshot_path),
                policy,
                params.fail_fast,
                params.max_bytes,
                params.report_year,
                cache_dir,
                str(work),
                params.quarantine,
                params.strict,
            )
            _tick("prepare", 1, 1)
            _tick("extract", len(inputs), len(inputs))
            run = corpus.collect([done.staged], done.prep_rejected, done.prep_stats)
        else:
            prepared: list[corpus.Prepared] = []
            refused: list[dict[str, Any]] = []
            stats = dict.fromkeys(corpus.STAT_KEYS, 0)
            if any(corpus.is_url(i.path) for i in inputs):
                # URL sources: fetched by retried tasks (network errors are transient)
                results = [
                    f.result()
                    for f in [
                        prepare_sources.submit(
                            b, str(params.snapshot_path), policy, params.fail_fast, params.max_bytes
                        )
                        for b in chunks
                    ]
                ]
            else:
                # local files only: hashing them here costs less than a task run per chunk
                results = [
                    corpus.prepare_batch(
                        inputs, fail_fast=params.fail_fast, max_bytes=params.max_bytes
                    )
                ]
            for res in results:
                prepared.extend(res.prepared)
                refused.extend(res.rejected)
                for k, v in res.stats.items():
                    stats[k] += v
            _tick("prepare", 1, 1)
            # automatic sizes: batches of equal bytes (equal time), not of equal counts
            batches, dups = corpus.plan_batches(prepared, size, by_bytes=not params.batch_size)
            staged = extract_batches(
                batches,
                params.report_year,
                params.fail_fast,
                params.max_bytes,
                work_dir=work,
                inline=params.task_runner == "dask" and bool(params.dask_address),
                cache_dir=cache_dir,
                quarantine=params.quarantine,
                strict=params.strict,
                task_runner=task_runner_for(params),
            )
            run = corpus.collect(staged, [*refused, *dups], stats)
        st = run.stats
        log.info(
            "%d document(s) reused from the cache, %d extracted", st["reused"], st["extracted"]
        )
        for r in run.rejected:
            log.warning("rejected %s", r["reason"])
        corpus.write_validation_report(params.output, run.report())
        if not run.documents and not params.allow_empty:
            # Never replace a good release with an empty one (an unmounted input disk, every
            # input rejected): nothing readable, nothing published, unless asked for.
            raise HepingError(corpus.nothing_published(run.rejected))
        try:
            # one batch: nothing spans batches, the global checks are the rejected table only
            one = len(run.batches) <= 1
            parts = corpus.check_run(run) if one else validate_tables(quote(run))
        except ValidationFailed as exc:
            corpus.write_validation_report(
                params.output, [*run.report(), *corpus.stopped(exc.failures)]
            )
            create_markdown_artifact(
                key="heping-release-summary",
                markdown="# Release not published\n\nValidation: **failed**\n\n"
                + "\n".join(
                    f"- table {f['table']}, column {f['column']}, row {f['row']}: {f['check']}"
                    for f in exc.failures[:50]
                ),
                description="Validation failed; the previous release is untouched",
            )
            raise
        quarantined = run.quarantined
        n_quarantined = sum(quarantined.values())
        if n_quarantined:
            log.warning(
                "quarantined %d row(s) that failed validation: %s",
                n_quarantined,
                ", ".join(f"{k} {v}" for k, v in sorted(quarantined.items())),
            )
        release = publish_release(
            quote(parts),
            quote(run.sources),
            params.output,
            params.release_version,
            params.release_date,
            params.wait_for_lock,
            corpus.naming_params(params.report_year, params.quarantine, params.strict),
        )
        frames = summary_frames(parts)
    fig = figures(frames)
    log.info(
        "published %s: %d document(s) (%d extracted, %d reused from cache), %d fact(s), "
        "%d entities, %d rejected",
        release,
        fig["documents"],
        st["extracted"],
        st["reused"],
        fig["numeric_facts"],
        fig["entities"],
        fig["rejected"],
    )
    create_markdown_artifact(
        key="heping-release-summary",
        markdown=_summary_markdown(release, fig, st, n_quarantined),
        description="What this run published",
    )
    docs = frames["documents"]
    create_table_artifact(
        key="heping-documents",
        table=[
            {
                "doc_id": r.doc_id,
                "file": r.file_name,
                "sections": int(r.n_sections),
                "facts": int(r.n_facts),
                "entities": int(r.n_entities),
            }
            for r in docs.itertuples()
        ],
        description="Per-document counts",
    )
    create_link_artifact(
        key="heping-release",
        link=Path(release).resolve().as_uri(),
        link_text=f"release {Path(release).name}",
        description="The published release folder",
    )
    return {
        "release": release,
        **{k: v for k, v in fig.items() if not isinstance(v, dict)},
        **{f"run_{k}": v for k, v in st.items()},
        "quarantined": n_quarantined,
        "quarantined_tables": dict(sorted(quarantined.items())),
        "skipped": len(skipped),
    }


def serve(
    name: str = "nightly",
    cron: str = "0 2 * * *",
    parameters: dict[str, Any] | None = None,
    limit: int | None = 1,
    timezone: str = "UTC",
) -> None:
    """Run the flow as a served deployment on a cron schedule (needs a Prefect server).

    The schedule is stored with its time zone: without one Prefect reads the cron as UTC.
    """
    from prefect.schedules import Cron

    publish_reports.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters=parameters or {},
        limit=limit,
        description="Publish a release of the configured reports",
        tags=["heping-data"],
    )
