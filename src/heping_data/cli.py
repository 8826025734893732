"""The ``heping-data`` command: run the Prefect flow in embedded mode, or check a release."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .errors import HepingError, ValidationFailed

#: The embedded Prefect server failed 1 start in 2 on a fresh machine with the 20 s default.
EPHEMERAL_STARTUP_TIMEOUT = "180"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="heping-data", description=__doc__)
    ap.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="publish a release of the given reports")
    run.add_argument("paths", nargs="*", help="report files or folders (default: the seed report)")
    run.add_argument("--output", default="output", help="output folder (default: output/)")
    run.add_argument("--report-year", type=int, default=None, help="the year the reports review")
    run.add_argument(
        "--release-version", default=None, help="release name (default: code version + input hash)"
    )
    run.add_argument(
        "--release-date",
        default=None,
        help="release date YYYY-MM-DD ('now' for the clock; default: from the sources manifest)",
    )
    run.add_argument("--batch-size", type=int, default=25, help="reports per task")
    return ap


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


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 success, 1 failure, 2 usage)."""
    args = _parser().parse_args(argv)
    os.environ.setdefault(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", EPHEMERAL_STARTUP_TIMEOUT
    )
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING)
    try:
        if args.command == "run":
            for p in args.paths:
                if not Path(p).exists():
                    raise HepingError(f"{p}: no such file or folder")
            from flows.pipeline import publish_reports

            result = publish_reports(
                paths=args.paths or None,
                output=args.output,
                report_year=args.report_year,
                release_version=args.release_version,
                release_date=args.release_date,
                batch_size=args.batch_size,
            )
            print(
                f"published {result['release']}: {result['documents']} document(s), "
                f"{result['numeric_facts']} numeric fact(s), {result['entities']} entity mention(s), "
                f"{result['rejected']} rejected"
            )
            return 0
    except ValidationFailed as exc:
        _report_failures(exc)
        return 1
    except HepingError as exc:
        if args.debug:
            raise
        print(f"heping-data: {exc}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
