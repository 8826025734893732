"""Errors the pipeline raises on purpose, each naming the file and the problem."""

from __future__ import annotations


class HepingError(Exception):
    """Base class: a clear, user-facing failure (printed as one line, exit non-zero)."""


class IngestError(HepingError):
    """A report could not be read or decoded."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FetchError(HepingError):
    """A URL source could not be fetched or read; the message names the URL and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ValidationFailed(HepingError):
    """One or more tables broke their schema; ``failures`` lists every broken rule."""

    def __init__(self, failures: list[dict]) -> None:
        self.failures = failures
        n = len(failures)
        first = failures[0] if failures else {}
        super().__init__(
            f"validation failed with {n} failure(s); first: table {first.get('table')}, "
            f"column {first.get('column')}, row {first.get('row')}: {first.get('check')}"
        )
