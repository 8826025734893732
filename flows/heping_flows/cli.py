"""The heping-data command: run the publishing flow once, or serve it on a schedule.

`run` uses the Prefect server named by PREFECT_API_URL when it is set, and an
embedded (temporary) server otherwise, with a start-up timeout raised for fresh machines
and its telemetry off. `serve` keeps a process running that executes the flow on a cron
schedule (in --timezone, by default this machine's zone); it needs a real server
(`prefect server start`) for the schedule and the UI to outlive it.

Console: the summary is the one line on stdout; stderr carries warnings and errors only
(--verbose adds Prefect's and the flow's progress lines). `run` turns Prefect's flow-run
heartbeat off unless it is configured (--heartbeat or PREFECT_FLOWS_HEARTBEAT_FREQUENCY).

Exit codes: 0 published, every input read; 3 published, but some inputs were rejected
(listed in the release's rejected table; a report with a row that fails validation is
rejected whole, unless --strict) or rows quarantined; 1 nothing published (an error,
failed validation, no readable input); 2 usage error; 4 the output folder is locked by
another run and --no-wait was given; 130 interrupted. Errors are one line on stderr; the
traceback goes to <output>/.logs/run-*.log (--debug prints it).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from heping_data.errors import HepingError, ValidationFailed

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_LOCKED = 4
EXIT_INTERRUPTED = 130

#: The embedded Prefect server failed 1 start in 2 on a fresh machine with the 20 s default.
EPHEMERAL_STARTUP_TIMEOUT = "180"
DEFAULT_CRON = "0 2 * * *"


@dataclass(frozen=True)
class Option:
    """A ``run``/``serve`` option and the :class:`RunParams` field it sets.

    ``kind``: "value" takes the field's type and default from the model; "on" is a switch
    that sets the field True; "off" a switch that sets it False (``--no-cache``).
    """

    flag: str
    field: str
    help: str
    kind: str = "value"
    metavar: str | None = None


#: Every run parameter's option; defaults and types are the model's (one place).
RUN_OPTIONS = (
    Option(
        "paths",
        "paths",
        "report files, folders, glob patterns, sources.yaml manifests or http(s) URLs "
        "(default: the seed report)",
    ),
    Option("--output", "output", "output folder (default: output/)"),
    Option("--report-year", "report_year", "the year the reports review"),
    Option(
        "--release-version", "release_version", "release name (default: code version + input hash)"
    ),
    Option(
        "--release-date",
        "release_date",
        "release date YYYY-MM-DD ('now' for the clock; default: from the sources manifest)",
    ),
    Option(
        "--batch-size",
        "batch_size",
        "reports per task (default 0: automatic, at least 25 and at most 16 batches)",
    ),
    Option(
        "--task-runner",
        "task_runner",
        "threads in this process, or Dask (a local cluster unless --dask-address)",
    ),
    Option("--dask-address", "dask_address", "existing Dask scheduler tcp://HOST:PORT"),
    Option("--concurrency", "concurrency", "parallel tasks (default %(default)s)"),
    Option("--cache-dir", "cache_dir", "per-document cache (default OUTPUT/.cache)"),
    Option("--snapshot-dir", "snapshot_dir", "URL snapshots (default OUTPUT/.snapshots)"),
    Option("--no-cache", "use_cache", "re-extract every document", "off"),
    Option(
        "--fail-fast",
        "fail_fast",
        "stop at the first bad report instead of rejecting it",
        "on",
    ),
    Option("--fetch-timeout", "fetch_timeout", "seconds per connect/read"),
    Option("--fetch-total-timeout", "fetch_total_timeout", "seconds per download"),
    Option("--fetch-max-bytes", "fetch_max_bytes", "size cap of a download"),
    Option("--fetch-retries", "fetch_retries", "retries of a failed download"),
    Option(
        "--max-bytes",
        "max_bytes",
        "size limit of one input file in bytes (default %(default)s); larger files are rejected",
    ),
    Option(
        "--max-inputs",
        "max_inputs",
        "most inputs (files and URLs) one run accepts (default %(default)s)",
    ),
    Option(
        "--quarantine",
        "quarantine",
        "publish without the rows that fail validation, kept in quarantine/<table>.csv",
        "on",
    ),
    Option(
        "--strict",
        "strict",
        "publish nothing when any row fails validation (default: set the report aside "
        "whole into rejected.csv and publish the others)",
        "on",
    ),
    Option(
        "--no-wait",
        "wait_for_lock",
        "fail (exit 4) instead of waiting when another run is publishing to --output",
        "off",
    ),
    Option(
        "--allow-empty",
        "allow_empty",
        "publish a release of 0 documents when no input is readable (default: refuse, "
        "exit 1, the published release untouched)",
        "on",
    ),
)


def _dest(o: Option) -> str:
    return o.flag.lstrip("-").replace("-", "_")


def _add_option(p: argparse.ArgumentParser, o: Option) -> None:
    """One option, its type, choices and default read from the model field."""
    from heping_data.run.params import RunParams, field_default

    if o.kind != "value":
        p.add_argument(o.flag, action="store_true", help=o.help)
        return
    if o.flag == "paths":
        p.add_argument("paths", nargs="*", help=o.help)
        return
    default = field_default(o.field)
    annotation = RunParams.model_fields[o.field].annotation
    choices = get_args(annotation) if get_origin(annotation) is Literal else None
    kind = next((t for t in (bool, int, float) if t in (annotation, *get_args(annotation))), None)
    extra: dict[str, Any] = {"choices": choices} if choices else {}
    if kind is not None:
        extra["type"] = kind
    p.add_argument(o.flag, default=default, help=o.help, **extra)


def _run_options(p: argparse.ArgumentParser) -> None:
    for o in RUN_OPTIONS:
        _add_option(p, o)
    _console_options(p, argparse.SUPPRESS)


def _console_options(p: argparse.ArgumentParser, default: Any) -> None:
    """--debug and --verbose, accepted before and after the command name."""
    p.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    p.add_argument(
        "--verbose",
        action="store_true",
        default=default,
        help="also print progress lines (Prefect's and the flow's) on stderr",
    )


def _parser() -> argparse.ArgumentParser:
    from heping_data import __version__

    ap = argparse.ArgumentParser(
        prog="heping-data",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"heping-data {__version__}")
    _console_options(ap, False)
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="publish a release of the given reports")
    _run_options(run)
    run.add_argument(
        "--heartbeat",
        type=int,
        default=None,
        metavar="SECONDS",
        help="Prefect flow-run heartbeat every SECONDS (>= 30; 0 off). Default: off, unless "
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY is set (each heartbeat costs ~1 s at the end of a run)",
    )
    serve = sub.add_parser("serve", help="serve the flow as a deployment on a cron schedule")
    _run_options(serve)
    serve.add_argument(
        "--cron", default=DEFAULT_CRON, help=f"cron schedule (default '{DEFAULT_CRON}', nightly)"
    )
    serve.add_argument(
        "--timezone",
        default=None,
        help="IANA time zone of the cron schedule, e.g. Asia/Shanghai (default: this "
        "machine's zone); stored with the schedule",
    )
    serve.add_argument("--name", default="nightly", help="deployment name (default 'nightly')")
    return ap


def _params(args: argparse.Namespace) -> dict[str, Any]:
    """The run parameters the options say, by model field."""
    out: dict[str, Any] = {}
    for o in RUN_OPTIONS:
        value = getattr(args, _dest(o))
        if o.kind == "off":
            value = not value
        elif o.flag == "paths":
            value = [str(x) for x in value] or None
        out[o.field] = value
    return out


#: Environment variables with which a user configures Prefect's flow-run heartbeat.
HEARTBEAT_ENV = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")
#: Prefect's lower bound on the heartbeat interval.
MIN_HEARTBEAT = 30
_KEEP = "keep"


def heartbeat_setting(seconds: int | None, environ: Mapping[str, str]) -> int | str | None:
    """The flow-run heartbeat of a ``run``: seconds, None (off) or ``"keep"`` (Prefect's setting).

    Why off by default: Prefect's heartbeat thread sleeps in one-second steps and the flow
    engine joins it when the flow ends, which adds up to a second to every run (a third of
    a one-report run against a server). Heartbeats only serve crash detection of long runs
    by a server automation; a run that fails is reported by the engine itself. A user who
    configured them (flag or environment) keeps them.
    """
    if seconds is not None:
        if seconds == 0:
            return None
        if seconds < MIN_HEARTBEAT:
            raise ValueError(f"--heartbeat must be 0 (off) or at least {MIN_HEARTBEAT} seconds")
        return seconds
    return _KEEP if any(environ.get(k) for k in HEARTBEAT_ENV) else None


def _flow_settings(heartbeat: int | str | None) -> contextlib.AbstractContextManager[Any]:
    """Prefect settings for the flow run: the heartbeat interval, unless kept as configured."""
    if heartbeat == _KEEP:
        return contextlib.nullcontext()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: heartbeat})


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

    from heping_flows.pipeline import set_progress

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


class _OneLine(logging.Formatter):
    """Console format: the first line of a record, never a traceback (those go to the log file)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        return text.split("\n", 1)[0]


#: Run logs kept in <output>/.logs (older ones are removed).
KEEP_LOGS = 20


class _LazyFileHandler(logging.FileHandler):
    """Creates its folder (and prunes old logs) at the first record: a run refused at once
    (bad parameters, missing input) leaves no output folder behind."""

    def _open(self):  # type: ignore[no-untyped-def]
        folder = os.path.dirname(self.baseFilename)
        os.makedirs(folder, exist_ok=True)
        old = sorted(n for n in os.listdir(folder) if n.startswith("run-"))
        for n in old[: max(0, len(old) - KEEP_LOGS + 1)]:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, n))
        return super()._open()

    broken = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        if self.stream is None:
            try:
                self.stream = self._open()
            except OSError:  # an unwritable output folder must not break the run
                self.broken = True
                return
        super().emit(record)


#: A record attribute: the record goes to the log file only (its one-line form is printed).
FILE_ONLY = "heping_file_only"
#: One format for our records and Prefect's, in this process and in its embedded server.
LOG_FORMAT = "%(levelname)s:%(name)s:%(message)s"


def quiet_prefect(environ: dict[str, str] | Any, verbose: bool = False) -> None:
    """Prefect settings of a CLI run, unless the user set them: set in the environment so
    that the embedded server (a subprocess) inherits them.

    Why: the embedded server's telemetry job fails without network ("Failed to send
    telemetry") and, on a fresh machine, races the database migration ("database is
    locked", a 90-line traceback) although the run succeeds; the server's own log lines
    use Prefect's format, ours another, so they are given ours; and the processes Prefect
    configures itself (the server, Dask workers) print warnings only, unless ``verbose``.
    """
    environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP_TIMEOUT
    )
    environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    for key in ("FORMAT", "FLOW_RUN_FMT", "TASK_RUN_FMT"):
        environ.setdefault(f"PREFECT_LOGGING_FORMATTERS_STANDARD_{key}", LOG_FORMAT)
    if not verbose:
        environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


def _setup_logging(debug: bool, output: str, verbose: bool = False) -> str | None:
    """Console: warnings and errors, one line each (--verbose: progress too; --debug:
    everything, with tracebacks); full records to a log file.

    Returns the log file's path (None when the output folder cannot hold one).
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING)
    fmt = LOG_FORMAT
    console.setFormatter(logging.Formatter(fmt) if debug else _OneLine(fmt))
    console.addFilter(lambda record: not getattr(record, FILE_ONLY, False))
    root.addHandler(console)
    for noisy in ("httpx", "httpcore"):  # one line per API call of the embedded server
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.WARNING)
    import datetime as dt

    folder = os.path.join(output, ".logs")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(folder, f"run-{stamp}-{os.getpid()}.log")
    handler = _LazyFileHandler(path, encoding="utf-8", delay=True)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s " + fmt))
    root.addHandler(handler)
    return path


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


def _checked(args: argparse.Namespace) -> tuple[Any, Any, list[Any]]:
    """Parameters, heartbeat and inputs, every one checked before Prefect starts.

    Raises UsageError (exit 2) for a bad parameter and HepingError (exit 1) for inputs
    that cannot make a release: a missing path, too many inputs, nothing to read.
    """
    from heping_data.run.params import ParameterError, output_problem, validate_params

    try:
        params = validate_params(**_params(args))
    except ParameterError as exc:
        raise UsageError(str(exc)) from None
    try:
        heartbeat = heartbeat_setting(getattr(args, "heartbeat", None), os.environ)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    problem = output_problem(params.output)
    if problem:
        raise UsageError(f"invalid parameters: output: {problem} (got {params.output!r})")
    if getattr(args, "timezone", None) is not None:
        from heping_flows.schedule import check_timezone

        try:
            check_timezone(args.timezone)
        except ValueError as exc:
            raise UsageError(f"invalid parameters: timezone: {exc}") from None
    from heping_data.run.discover import discover

    inputs = discover(params.paths, max_inputs=params.max_inputs)
    if not inputs and not params.allow_empty and args.command == "run":
        from heping_data.run.corpus import nothing_published

        raise HepingError(nothing_published([]))
    return params, heartbeat, inputs


class UsageError(ValueError):
    """A bad option or parameter: one line, exit code 2."""


def _serve(args: argparse.Namespace, params: Any) -> int:
    from heping_flows.pipeline import serve
    from heping_flows.schedule import local_timezone

    if not os.environ.get("PREFECT_API_URL"):
        print(
            "heping-data: PREFECT_API_URL is not set; serving against a temporary "
            "server that stops with this process (start one with `prefect server start`)",
            file=sys.stderr,
        )
    tz = args.timezone or local_timezone()
    print(
        f"serving heping-data-publish/{args.name}: cron '{args.cron}' in time zone {tz}",
        flush=True,
    )
    serve(
        name=args.name,
        cron=args.cron,
        timezone=tz,
        parameters={"params": params.model_dump(mode="json", exclude_none=True)},
    )
    return EXIT_OK


def _run(args: argparse.Namespace, params: Any, heartbeat: Any) -> int:
    if args.no_wait and not _lock_free(params.output):
        from heping_data.release.publish import PublishLocked

        raise PublishLocked(f"{params.output}: another run is publishing here (lock held)")
    from heping_flows.pipeline import publish_reports

    with _flow_settings(heartbeat):
        result = _with_progress(lambda: publish_reports(params=params))
    line = _summary(result)
    if params.report_year is not None:
        line += (
            f"; report year {params.report_year} set by --report-year for every document "
            "(overrides the year detected in each report)"
        )
    print(line)
    return EXIT_PARTIAL if result["rejected"] or result.get("quarantined") else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    quiet_prefect(os.environ, args.verbose or args.debug)
    log_path = _setup_logging(args.debug, args.output, args.verbose)
    try:
        params, heartbeat, _inputs = _checked(args)
        if args.command == "serve":
            return _serve(args, params)
        return _run(args, params, heartbeat)
    except UsageError as exc:
        print(f"heping-data: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationFailed as exc:
        _report_failures(exc)
        from heping_data.run.corpus import validation_report_path

        report = validation_report_path(getattr(args, "output", "output"))
        print(
            "heping-data: nothing published; fix the rows or rerun with --quarantine "
            f"(every failure is listed in {report})",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except HepingError as exc:
        if args.debug:
            raise
        from heping_data.release.publish import PublishLocked

        print(f"heping-data: {exc}", file=sys.stderr)
        return EXIT_LOCKED if isinstance(exc, PublishLocked) else EXIT_FAILED
    except KeyboardInterrupt:
        print("heping-data: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line on screen, the traceback in the log file
        if args.debug:
            raise
        return _internal_error(exc, log_path)


def _internal_error(exc: Exception, log_path: str | None) -> int:
    """One line on stderr; the traceback in the log file, named only when it was written."""
    logging.getLogger("heping_flows.cli").error(
        "internal error", exc_info=True, extra={FILE_ONLY: True}
    )
    for h in logging.getLogger().handlers:
        if isinstance(h, logging.FileHandler):
            h.flush()
    where = (
        f"traceback in {log_path}"
        if log_path and os.path.isfile(log_path)
        else "no log file could be written"
    )
    first = str(exc).split("\n", 1)[0]
    print(
        f"heping-data: internal error {type(exc).__name__}: {first} "
        f"({where}; rerun with --debug to show it)",
        file=sys.stderr,
    )
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
