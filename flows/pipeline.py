"""The Prefect flow: a thin wiring of the library's steps into coarse tasks.

ingest → outline → mentions → facts → entities run per document inside ``extract_batch``
(one task per batch, so a run has a few dozen task runs, not one per document); the
release is assembled, validated and published by the tasks after it.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from heping_data import corpus, validate
from heping_data.datasheet import figures
from heping_data.publish import publish


@task(name="discover-inputs", retries=2, retry_delay_seconds=[1, 5])
def discover_inputs(paths: list[str] | None) -> list[corpus.InputFile]:
    """Which report files this run reads (I/O: retried)."""
    return corpus.discover(paths)


@task(name="extract-batch", retries=1, retry_delay_seconds=[2])
def extract_batch(inputs: list[corpus.InputFile], report_year: int | None) -> corpus.BatchResult:
    """ingest → outline → mentions → facts → entities → rows for a batch of reports."""
    res = corpus.process_batch(inputs, report_year)
    get_run_logger().info("extracted %d report(s), set aside %d", len(res.rows), len(res.rejected))
    return res


@task(name="validate-tables")
def validate_tables(merged: corpus.BatchResult) -> dict[str, Any]:
    """Build the tables and check every schema rule; raises with every failure listed."""
    frames = corpus.frames_of(merged)
    validate.check(frames, merged.texts)
    return frames


@task(name="publish-release", retries=1, retry_delay_seconds=[2])
def publish_release(
    frames: dict[str, Any],
    merged: corpus.BatchResult,
    output: str,
    version: str | None,
    release_date: str | None,
) -> str:
    """Write the release atomically and point ``latest`` at it."""
    info = corpus.release_info(merged, version, release_date)
    return str(publish(frames, merged.texts, output, info))


@flow(name="heping-data-publish", log_prints=True)
def publish_reports(
    paths: list[str] | None = None,
    output: str = "output",
    report_year: int | None = None,
    release_version: str | None = None,
    release_date: str | None = None,
    batch_size: int = 25,
) -> dict[str, Any]:
    """Publish a release of every report under ``paths`` (default: the seed report)."""
    log = get_run_logger()
    inputs = discover_inputs(paths)
    batches = [inputs[i : i + batch_size] for i in range(0, len(inputs), batch_size)] or [[]]
    futures = [extract_batch.submit(b, report_year) for b in batches]
    merged = corpus.merge([f.result() for f in futures])
    frames = validate_tables(merged)
    release = publish_release(frames, merged, output, release_version, release_date)
    fig = figures(frames)
    log.info(
        "published %s: %d document(s), %d fact(s), %d rejected",
        release,
        fig["documents"],
        fig["numeric_facts"],
        fig["rejected"],
    )
    create_markdown_artifact(
        key="heping-release-summary",
        markdown="\n".join(
            [
                f"# Release `{release}`",
                "",
                f"- documents: {fig['documents']}",
                f"- numeric facts: {fig['numeric_facts']} (masked share {fig['masked_share']:.1%})",
                f"- entities: {fig['entities']}",
                f"- rejected: {fig['rejected']}",
                "- validation: passed",
            ]
        ),
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
    return {"release": release, **{k: v for k, v in fig.items() if not isinstance(v, dict)}}
