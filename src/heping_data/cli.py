"""The ``heping-data`` command: run the publishing flow once, or serve it on a schedule.

``run`` uses the Prefect server named by ``PREFECT_API_URL`` when it is set, and an
embedded (ephemeral) server otherwise, with a start-up timeout raised for fresh machines.
``serve`` keeps a process running that executes the flow on a cron schedule; it needs a
real server (``prefect server start``) for the schedule and the UI to outlive it.
The flow is imported lazily: ``--help`` and usage errors stay instant.

Exit codes: 0 published, every input read; 3 published, but some inputs were rejected
(listed in the release's ``rejected`` table) or rows quarantined; 1 nothing published
(an error, failed validation, every input rejected); 2 usage error; 4 the output folder is
locked by another run and ``--no-wait`` was given; 130 interrupted. Errors are one line
on stderr; the traceback goes to ``<output>/.logs/last-error.log`` (``--debug`` prints it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from .errors import HepingError, ValidationFailed

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_LOCKED = 4
EXIT_INTERRUPTED = 130

#: The embedded Prefect server failed 1 start in 2 on a fresh machine with the 20 s default.
EPHEMERAL_STARTUP_TIMEOUT = "180"
DEFAULT_CRON = "0 2 * * *"


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        help="report files, folders, glob patterns, sources.yaml manifests or http(s) URLs "
        "(default: the seed report)",
    )
    p.add_argument("--output", default="output", help="output folder (default: output/)")
    p.add_argument("--report-year", type=int, default=None, help="the year the reports review")
    p.add_argument(
        "--release-version", default=None, help="release name (default: code version + input hash)"
    )
    p.add_argument(
        "--release-date",
        default=None,
        help="release date YYYY-MM-DD ('now' for the clock; default: from the sources manifest)",
    )
    p.add_argument("--batch-size", type=int, default=25, help="reports per task (default 25)")
    p.add_argument(
        "--task-runner",
        choices=("threads", "dask"),
        default="threads",
        help="threads in this process, or Dask (a local cluster unless --dask-address)",
    )
    p.add_argument("--dask-address", default=None, help="existing Dask scheduler tcp://HOST:PORT")
    p.add_argument("--concurrency", type=int, default=4, help="parallel tasks (default 4)")
    p.add_argument("--cache-dir", default=None, help="per-document cache (default OUTPUT/.cache)")
    p.add_argument("--snapshot-dir", default=None, help="URL snapshots (default OUTPUT/.snapshots)")
    p.add_argument("--no-cache", action="store_true", help="re-extract every document")
    p.add_argument(
        "--fail-fast",
        action="store_true",
        help="stop at the first bad report instead of rejecting it",
    )
    p.add_argument("--fetch-timeout", type=float, default=20.0, help="seconds per connect/read")
    p.add_argument(
        "--fetch-max-bytes", type=int, default=20 * 1024 * 1024, help="size cap of a download"
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=20_000_000,
        help="size limit of one input file in bytes (default 20000000); larger files are rejected",
    )
    p.add_argument(
        "--max-inputs",
        type=int,
        default=100_000,
        help="most inputs (files and URLs) one run accepts (default 100000)",
    )
    p.add_argument(
        "--quarantine",
        action="store_true",
        help="publish without the rows that fail validation, kept in quarantine/<table>.csv",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="fail (exit 4) instead of waiting when another run is publishing to --output",
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="heping-data", description=__doc__)
    ap.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="publish a release of the given reports")
    _run_options(run)
    serve = sub.add_parser("serve", help="serve the flow as a deployment on a cron schedule")
    _run_options(serve)
    serve.add_argument(
        "--cron", default=DEFAULT_CRON, help=f"cron schedule (default '{DEFAULT_CRON}', nightly)"
    )
    serve.add_argument("--name", default="nightly", help="deployment name (default 'nightly')")
    return ap


def _params(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "paths": [str(p) for p in args.paths] or None,
        "output": args.output,
        "report_year": args.report_year,
        "release_version": args.release_version,
        "release_date": args.release_date,
        "batch_size": args.batch_size,
        "task_runner": args.task_runner,
        "dask_address": args.dask_address,
        "concurrency": args.concurrency,
        "cache_dir": args.cache_dir,
        "snapshot_dir": args.snapshot_dir,
        "use_cache": not args.no_cache,
        "fail_fast": args.fail_fast,
        "fetch_timeout": args.fetch_timeout,
        "fetch_max_bytes": args.fetch_max_bytes,
        "max_bytes": args.max_bytes,
        "max_inputs": args.max_inputs,
        "quarantine": args.quarantine,
        "wait_for_lock": not args.no_wait,
    }


def _report_failures(exc: ValidationFailed) -> None:
    print(f"heping-data: {exc}", file=sys.stderr)
    for f in exc.failures[:200]:
        print(
            f"  table {f['table']}, column {f['column']}, row {f['row']}: {f['check']} "
            f"(value {f['value']!r})",
            file=sys.stderr,
        )
    if len(exc.failures) > 200:
        print(f"  … and {len(exc.failures) - 200} more", file=sys.stderr)


def _with_progress(call: Any) -> Any:
    """Run ``call`` under a rich progress bar when stderr is a terminal; quietly otherwise."""
    if not sys.stderr.isatty():
        return call()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from flows.pipeline import set_progress

    labels = {"prepare": "reading sources (batches)", "extract": "extracting reports"}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        ids: dict[str, Any] = {}

        def hook(stage: str, done: int, total: int) -> None:
            if stage not in ids:
                ids[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(ids[stage], completed=done, total=total)

        set_progress(hook)
        try:
            return call()
        finally:
            set_progress(None)


def _summary(result: dict[str, Any]) -> str:
    line = (
        f"published {result['release']}: {result['documents']} document(s), "
        f"{result['numeric_facts']} numeric fact(s), {result['entities']} entity mention(s), "
        f"{result['rejected']} input(s) rejected"
    )
    if result["rejected"]:
        line += " (see rejected.csv)"
    if result.get("quarantined"):
        tabs = ", ".join(f"{k} {v}" for k, v in sorted(result["quarantined_tables"].items()))
        line += f", {result['quarantined']} row(s) quarantined ({tabs}; see quarantine/)"
    if result.get("skipped"):
        line += f", {result['skipped']} sidecar/hidden file(s) skipped"
    return line + f"; {result['run_extracted']} extracted, {result['run_reused']} reused from cache"


def _log_traceback(output: str) -> str | None:
    """Write the current exception's traceback to the output's log folder; returns its path."""
    import traceback

    text = traceback.format_exc()
    for folder in (os.path.join(output, ".logs"), None):
        try:
            if folder is None:
                import tempfile

                folder = tempfile.gettempdir()
                path = os.path.join(folder, f"heping-data-error-{os.getpid()}.log")
            else:
                os.makedirs(folder, exist_ok=True)
                path = os.path.join(folder, "last-error.log")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return path
        except OSError:
            continue
    return None


def _lock_free(output: str) -> bool:
    """False when another run holds the output folder's lock right now (checked, not kept)."""
    import fcntl

    lock = os.path.join(output, ".lock")
    if not os.path.exists(lock):
        return True
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    os.environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP_TIMEOUT
    )
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING)
    try:
        from flows.params import ParameterError, validate_params

        try:
            params = validate_params(**_params(args))
        except ParameterError as exc:
            print(f"heping-data: {exc}", file=sys.stderr)
            return 2
        from heping_data.corpus import discover

        # A missing input or too many inputs is one clear line, before Prefect starts.
        discover(params.paths, max_inputs=params.max_inputs)
        if args.command == "run" and args.no_wait and not _lock_free(params.output):
            from heping_data.publish import PublishLocked

            raise PublishLocked(f"{params.output}: another run is publishing here (lock held)")
        if args.command == "serve":
            from flows.pipeline import serve

            if not os.environ.get("PREFECT_API_URL"):
                print(
                    "heping-data: PREFECT_API_URL is not set; serving against a temporary "
                    "server that stops with this process (start one with `prefect server start`)",
                    file=sys.stderr,
                )
            serve(name=args.name, cron=args.cron, parameters=params.model_dump(exclude_none=True))
            return 0
        from flows.pipeline import publish_reports

        result = _with_progress(lambda: publish_reports(**params.model_dump()))
        print(_summary(result))
        return EXIT_PARTIAL if result["rejected"] or result.get("quarantined") else EXIT_OK
    except ValidationFailed as exc:
        _report_failures(exc)
        print(
            "heping-data: nothing published; fix the rows or rerun with --quarantine",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except HepingError as exc:
        if args.debug:
            raise
        from heping_data.publish import PublishLocked

        print(f"heping-data: {exc}", file=sys.stderr)
        return EXIT_LOCKED if isinstance(exc, PublishLocked) else EXIT_FAILED
    except KeyboardInterrupt:
        print("heping-data: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line on screen, the traceback in the log
        if args.debug:
            raise
        where = _log_traceback(getattr(args, "output", "output"))
        print(
            f"heping-data: internal error {type(exc).__name__}: {exc} "
            f"(traceback in {where or 'the log'}; rerun with --debug to show it)",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
