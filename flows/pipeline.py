"""The Prefect flow: a thin wiring of the library's steps into a few dozen coarse tasks.

    discover-sources ─▶ prepare-sources ×B (hash files, fetch URLs; retried with backoff)
        ─▶ cache lookup (flow process: unchanged documents are reused, not re-extracted)
        ─▶ extract-batch ×M (on the run's task runner: threads, or Dask workers)
        ─▶ validate-tables ─▶ publish-release (retried) ─▶ artifacts (summary, table, link)

B and M are batches of ``batch_size`` documents, so a corpus of hundreds of reports is a
few dozen task runs; a run of one batch on threads does prepare, cache lookup and
extraction in a single ``process-batch`` task (each task run is a server round trip).
Extraction tasks are submitted from this flow, not from a subflow: a subflow's
parameters go to the server (512 KB limit) and its return value is walked by Prefect.
Row-heavy objects passed to validate/publish are wrapped in ``quote`` so Prefect does not
walk every row looking for futures (seconds per pass at a thousand reports). Prefect
result persistence and task caching are off (cloudpickle blobs are larger than the
release): the per-document cache of :mod:`heping_data.cache`, keyed on raw sha256 + code
+ schema, does the reuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from flows.params import RunParams, validate_params
from heping_data import corpus, validate
from heping_data.cache import DocCache
from heping_data.datasheet import figures
from heping_data.errors import HepingError, ValidationFailed
from heping_data.fetch import FetchPolicy
from heping_data.publish import publish

#: Set by the CLI on a terminal: called as (stage, done, total) while batches finish.
ProgressHook = Callable[[str, int, int], None]
_progress: ProgressHook | None = None

_TASK_OPTS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


def set_progress(hook: ProgressHook | None) -> None:
    """Install (or remove) the progress callback of runs in this process."""
    global _progress
    _progress = hook


def _tick(stage: str, done: int, total: int) -> None:
    if _progress is not None:
        _progress(stage, done, total)


@task(name="discover-sources", retries=2, retry_delay_seconds=exponential_backoff(2), **_TASK_OPTS)
def discover_sources(
    paths: list[str] | None, max_inputs: int | None = None
) -> tuple[list[corpus.InputFile], list[str]]:
    """Which reports this run reads, and the sidecar/hidden files skipped (I/O: retried)."""
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


@task(name="extract-batch", **_TASK_OPTS)
def extract_batch(
    prepared: list[corpus.Prepared],
    report_year: int | None,
    fail_fast: bool,
    max_bytes: int | None = None,
) -> corpus.BatchResult:
    """ingest → outline → mentions → facts → entities → rows for a batch of reports."""
    res = corpus.extract_batch(prepared, report_year, fail_fast=fail_fast, max_bytes=max_bytes)
    get_run_logger().info("extracted %d report(s), set aside %d", len(res.rows), len(res.rejected))
    return res


@task(name="validate-tables", **_TASK_OPTS)
def validate_tables(merged: corpus.BatchResult, quarantine: bool = False) -> validate.Quarantined:
    """Build the tables and check every schema rule; raises with every failure listed.

    With ``quarantine`` the failing rows (and the rows that depend on them) are set aside
    instead, and the rest is returned to publish.
    """
    frames = corpus.frames_of(merged)
    corpus.release_rows(merged)  # the frames hold every row now
    if quarantine:
        return validate.quarantine(frames, merged.texts)
    validate.check(frames, merged.texts)
    return validate.Quarantined(frames=frames, texts=merged.texts)


@task(name="publish-release", retries=2, retry_delay_seconds=exponential_backoff(2), **_TASK_OPTS)
def publish_release(
    checked: validate.Quarantined,
    merged: corpus.BatchResult,
    output: str,
    version: str | None,
    release_date: str | None,
    wait_for_lock: bool = True,
) -> str:
    """Write the release atomically and point ``latest`` at it (I/O: retried)."""
    info = corpus.release_info(merged, version, release_date)
    return str(
        publish(
            checked.frames,
            checked.texts,
            output,
            info,
            wait_for_lock=wait_for_lock,
            quarantine=checked.rows or None,
        )
    )


def task_runner_for(params: RunParams) -> Any:
    """Threads in the flow process, or Dask: a local cluster, or the one at ``dask_address``."""
    if params.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if params.dask_address:
            return DaskTaskRunner(address=params.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": params.concurrency,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return ThreadPoolTaskRunner(max_workers=params.concurrency)


def extract_batches(
    batches: list[list[corpus.Prepared]],
    report_year: int | None,
    fail_fast: bool,
    max_bytes: int | None = None,
    *,
    task_runner: Any | None = None,
) -> list[corpus.BatchResult]:
    """One extract-batch task per batch on ``task_runner`` (threads or Dask), in batch order.

    Call it inside a flow run. Why not a subflow: a subflow's parameters (every prepared
    source with its manifest metadata) are sent to the server, which refuses more than
    512 KB, and its return value is walked row by row by Prefect.
    """
    runner = task_runner or ThreadPoolTaskRunner(max_workers=4)
    total = sum(len(b) for b in batches)
    results: list[corpus.BatchResult | None] = [None] * len(batches)
    with runner:
        futures = [
            runner.submit(
                extract_batch,
                {
                    "prepared": b,
                    "report_year": report_year,
                    "fail_fast": fail_fast,
                    "max_bytes": max_bytes,
                },
            )
            for b in batches
        ]
        order = {f.task_run_id: i for i, f in enumerate(futures)}
        done = 0
        for fut in as_completed(futures):
            i = order[fut.task_run_id]
            results[i] = fut.result()
            done += len(batches[i])
            _tick("extract", done, total)
    return [r for r in results if r is not None]


@dataclass
class _Processed:
    """What a ``process-batch`` task hands back: the same parts as the multi-batch path."""

    prep: corpus.PrepareResult
    hits: corpus.BatchResult
    fresh: corpus.BatchResult


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
) -> _Processed:
    """prepare → cache lookup → extract → cache store for a run of one batch (one round trip)."""
    prep = corpus.prepare_batch(
        inputs, snapshot_dir=snapshot_dir, policy=policy, fail_fast=fail_fast, max_bytes=max_bytes
    )
    cache = DocCache(cache_dir) if cache_dir is not None else None
    if cache is not None:
        hits, todo = corpus.reuse_cached(prep.prepared, cache, report_year)
    else:
        hits, todo = corpus.BatchResult(), prep.prepared
    fresh = corpus.extract_batch(todo, report_year, fail_fast=fail_fast, max_bytes=max_bytes)
    if cache is not None:
        corpus.store_cached(fresh, todo, cache, report_year)
    get_run_logger().info(
        "prepared %d source(s) (%d fetched, %d unchanged, %d refused); "
        "extracted %d report(s), set aside %d",
        len(prep.prepared),
        prep.stats["fetched"],
        prep.stats["not_modified"],
        len(prep.rejected),
        len(fresh.rows),
        len(fresh.rejected),
    )
    return _Processed(prep=prep, hits=hits, fresh=fresh)


#: With the automatic batch size a run has at most this many batches (a few dozen task runs).
MAX_AUTO_BATCHES = 16
MIN_AUTO_BATCH = 25


def batch_size_for(n: int, requested: int) -> int:
    """``requested`` reports per task, or (0 = auto) enough that a run has ≤ 16 batches."""
    if requested > 0:
        return requested
    return max(MIN_AUTO_BATCH, -(-n // MAX_AUTO_BATCHES))


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
    wait_for_lock: bool = True,
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

    size = batch_size_for(len(inputs), params.batch_size)
    chunks = _chunks(inputs, size)
    stats = dict.fromkeys(corpus.STAT_KEYS, 0)
    refused: list[dict[str, Any]] = []
    fresh: list[corpus.BatchResult] = []
    if len(chunks) <= 1 and params.task_runner == "threads":
        done = process_batch(
            chunks[0] if chunks else [],
            str(params.snapshot_path),
            policy,
            params.fail_fast,
            params.max_bytes,
            params.report_year,
            str(params.cache_path) if params.use_cache else None,
        )
        hits, fresh = done.hits, [done.fresh]
        refused.extend(done.prep.rejected)
        for k, v in done.prep.stats.items():
            stats[k] += v
        _tick("prepare", 1, 1)
        log.info(
            "%d document(s) reused from the cache, %d extracted",
            hits.stats["reused"],
            len(done.fresh.rows),
        )
        _tick("extract", len(inputs), len(inputs))
    else:
        prep_futures = [
            prepare_sources.submit(
                b, str(params.snapshot_path), policy, params.fail_fast, params.max_bytes
            )
            for b in chunks
        ]
        prepared: list[corpus.Prepared] = []
        for i, fut in enumerate(prep_futures):
            res = fut.result()
            prepared.extend(res.prepared)
            refused.extend(res.rejected)
            for k, v in res.stats.items():
                stats[k] += v
            _tick("prepare", i + 1, len(prep_futures))

        cache = DocCache(params.cache_path) if params.use_cache else None
        if cache is not None:
            hits, todo = corpus.reuse_cached(prepared, cache, params.report_year)
        else:
            hits, todo = corpus.BatchResult(), prepared
        log.info(
            "%d document(s) reused from the cache, %d to extract", hits.stats["reused"], len(todo)
        )
        if todo:
            fresh = extract_batches(
                _chunks(todo, size),
                params.report_year,
                params.fail_fast,
                params.max_bytes,
                task_runner=task_runner_for(params),
            )
            if cache is not None:
                for r in fresh:
                    corpus.store_cached(r, todo, cache, params.report_year)
    merged = corpus.merge([hits, *fresh])
    merged.rejected.extend(refused)
    for k in ("fetched", "not_modified", "rejected"):
        merged.stats[k] += stats[k]
    for r in merged.rejected:
        log.warning("rejected %s", r["reason"])
    if not merged.rows and merged.rejected:
        # Never replace a good release with an empty one: nothing readable, nothing published.
        n = len(merged.rejected)
        first = merged.rejected[0]["reason"]
        more = f" (and {n - 1} more)" if n > 1 else ""
        raise HepingError(f"nothing published: every input was rejected: {first}{more}")
    try:
        checked = validate_tables(quote(merged), params.quarantine)
    except ValidationFailed as exc:
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
    frames = checked.frames
    if checked.count:
        log.warning(
            "quarantined %d row(s) that failed validation: %s",
            checked.count,
            ", ".join(f"{k} {len(v)}" for k, v in sorted(checked.rows.items())),
        )
    release = publish_release(
        quote(checked),
        quote(merged),
        params.output,
        params.release_version,
        params.release_date,
        params.wait_for_lock,
    )
    fig = figures(frames)
    st = merged.stats
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
        markdown=_summary_markdown(release, fig, st, checked.count),
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
        "quarantined": checked.count,
        "quarantined_tables": {k: len(v) for k, v in checked.rows.items()},
        "skipped": len(skipped),
    }


def serve(
    name: str = "nightly",
    cron: str = "0 2 * * *",
    parameters: dict[str, Any] | None = None,
    limit: int | None = 1,
) -> None:
    """Run the flow as a served deployment on a cron schedule (needs a Prefect server)."""
    publish_reports.serve(
        name=name,
        cron=cron,
        parameters=parameters or {},
        limit=limit,
        description="Publish a release of the configured reports",
        tags=["heping-data"],
    )
