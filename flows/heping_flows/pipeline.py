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

The sequencing itself is the library's (:func:`heping_data.run.sequence.run_release`);
this module only says where its steps run: :class:`PrefectExecutor` wraps each step in a
task (name, retries) and maps the batch step over a thread pool or Dask.

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

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from heping_data.errors import ValidationFailed
from heping_data.run import corpus, sequence
from heping_data.run.params import RunParams
from heping_data.run.sequence import DASK_MAX_BATCH as DASK_MAX_BATCH
from heping_data.run.sequence import ProgressHook
from heping_data.run.sequence import batch_size_for as batch_size_for

_progress: ProgressHook | None = None

T = TypeVar("T")
R = TypeVar("R")

_TASK_OPTS: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


def set_progress(hook: ProgressHook | None) -> None:
    """Install (or remove) the progress callback of runs in this process (the CLI's bar)."""
    global _progress
    _progress = hook


def _tick(stage: str, done: int, total: int) -> None:
    if _progress is not None:
        _progress(stage, done, total)


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


@task(
    name="prepare-sources",
    retries=3,
    retry_delay_seconds=exponential_backoff(2),
    retry_jitter_factor=0.5,
    **_TASK_OPTS,
)
def prepare_sources(params: RunParams, inputs: list[corpus.InputFile]) -> corpus.PrepareResult:
    """Hash local files and fetch URL sources with conditional GETs (I/O: retried)."""
    res = sequence.prepare_step(params, inputs)
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
    params: RunParams,
    prepared: Opaque[list[corpus.Prepared]] | list[corpus.Prepared],
    index: int,
    work_dir: str | None,
) -> corpus.StagedBatch:
    """cache → ingest → outline → mentions → facts → entities → validated parts of a batch."""
    batch = prepared.value if isinstance(prepared, Opaque) else prepared
    res = sequence.stage_step(params, batch, index, work_dir)
    get_run_logger().info(
        "batch %d: %d report(s) (%d reused from the cache), set aside %d",
        index,
        len(res.sources),
        res.stats.get("reused", 0),
        len(res.rejected),
    )
    return res


@task(
    name="process-batch",
    retries=2,
    retry_delay_seconds=exponential_backoff(2),
    retry_jitter_factor=0.5,
    **_TASK_OPTS,
)
def process_batch(
    params: RunParams, inputs: list[corpus.InputFile], work_dir: str
) -> sequence.Processed:
    """prepare → cache → extract → validated parts for a run of one batch (one round trip)."""
    done = sequence.single_step(params, inputs, work_dir)
    staged = done.staged
    get_run_logger().info(
        "prepared %d source(s) (%d fetched, %d unchanged, %d refused); "
        "%d report(s) (%d reused from the cache), set aside %d",
        done.prepared,
        done.prep_stats["fetched"],
        done.prep_stats["not_modified"],
        done.refused,
        len(staged.sources),
        staged.stats.get("reused", 0),
        len(staged.rejected),
    )
    return done


@task(name="validate-tables", **_TASK_OPTS)
def validate_tables(run: corpus.StagedRun) -> Any:
    """Every batch's failures plus the checks across batches; raises with every failure listed.

    Each batch was checked (or, with ``quarantine``, cleaned) with its own rows; what is
    left are the primary keys across batches and the ``rejected`` table.
    """
    return sequence.check_step(run)


@task(name="publish-release", retries=2, retry_delay_seconds=exponential_backoff(2), **_TASK_OPTS)
def publish_release(params: RunParams, parts: Any, sources: dict[str, dict[str, Any]]) -> str:
    """Write the release atomically from the parts and point ``latest`` at it (I/O: retried)."""
    return sequence.publish_step(params, parts, sources)


#: The task that runs each library step in a flow.
_TASKS: dict[Callable[..., Any], Any] = {
    sequence.prepare_step: prepare_sources,
    sequence.stage_step: extract_batch,
    sequence.single_step: process_batch,
    sequence.check_step: validate_tables,
    sequence.publish_step: publish_release,
}


class PrefectExecutor:
    """The library's steps as Prefect tasks of the current flow run.

    Batches (the stage step) go to ``runner``: threads in the flow process, or Dask
    workers; other mapped steps (fetching URL sources) to the flow's own thread pool.
    Single steps run as task runs in the flow. Create it inside a flow run.
    """

    def __init__(self, params: RunParams, runner: Any | None = None) -> None:
        self.dask = params.task_runner == "dask"
        self.workers = params.concurrency if self.dask else 0
        self.inline = self.dask and bool(params.dask_address)
        self.fuse_single = not self.dask
        self.runner = runner
        self.params = params
        self.log = get_run_logger()

    def map(
        self, step: Callable[..., R], calls: Sequence[Mapping[str, Any]]
    ) -> Iterator[tuple[int, R]]:
        task_ = _TASKS[step]
        if step is not sequence.stage_step:
            futures = [task_.submit(**call) for call in calls]
            for pos, fut in enumerate(futures):
                yield pos, fut.result()
            return
        runner = self.runner or task_runner_for(self.params)
        with runner:
            futures = [
                runner.submit(task_, {**call, "prepared": Opaque(call["prepared"])})
                for call in calls
            ]
            pos_of = {f.task_run_id: pos for pos, f in enumerate(futures)}
            for fut in as_completed(futures):
                yield pos_of[fut.task_run_id], fut.result()

    def call(self, step: Callable[..., R], **kwargs: Any) -> R:
        # quoted: Prefect would walk every row of the run looking for futures
        return _TASKS[step](**{k: quote(v) for k, v in kwargs.items()})


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

    The flow's parallel part on its own (the scale-out benchmark times it); call it inside
    a flow run. With ``inline`` the tasks return their parts' bytes and they are written
    into ``work_dir`` here, one batch at a time, as batches complete.
    """
    params = RunParams(
        report_year=report_year,
        fail_fast=fail_fast,
        **({"max_bytes": max_bytes} if max_bytes is not None else {}),
        cache_dir=cache_dir,
        use_cache=cache_dir is not None,
        quarantine=quarantine,
        strict=strict,
    )
    ex = PrefectExecutor(params, task_runner or ThreadPoolTaskRunner(max_workers=4))
    ex.inline = inline
    return sequence.stage_batches(params, ex, batches, work_dir, _tick)


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
def publish_reports(params: RunParams | None = None) -> dict[str, Any]:
    """Publish a release of every report ``params.paths`` names (default: the seed report)."""
    params = params if params is not None else RunParams()
    try:
        result = sequence.run_release(params, PrefectExecutor(params), _tick)
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
    summary = result.summary()
    _artifacts(result, summary["quarantined"])
    return summary


def _artifacts(result: sequence.RunResult, quarantined: int) -> None:
    """What the Prefect UI shows of a run: a summary, the per-document counts, the link."""
    release = result.release
    create_markdown_artifact(
        key="heping-release-summary",
        markdown=_summary_markdown(release, result.figures, result.run.stats, quarantined),
        description="What this run published",
    )
    docs = result.frames["documents"]
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
