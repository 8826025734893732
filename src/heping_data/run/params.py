"""Run parameters, validated with pydantic before anything runs: every default and limit once.

Why a model of its own: the same checks guard the library's run, the CLI (whose ``run``
options are made from these fields), ``heping-data serve`` and runs triggered from the
Prefect UI or API, and each broken parameter is reported by name in one line instead of
a traceback from deep inside a task. Size limits whose defaults are rule data
(``data/ingest/ingest.yaml``) or fetch policy (:class:`FetchPolicy`) are read from there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from heping_data.sources.fetch import FetchPolicy
from heping_data.sources.ingest import default_max_bytes, default_max_inputs

_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?$")
_DASK_RE = re.compile(r"^(tcp|tls|ucx|inproc)://[^\s/:]+(:\d{1,5})?$")


class RunParams(BaseModel):
    """Everything a run needs; the CLI's defaults are these."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paths: list[str] | None = Field(
        None, description="report files, folders, glob patterns, sources.yaml manifests or URLs"
    )
    output: str = Field("output", min_length=1, description="output folder")
    report_year: int | None = Field(None, ge=1949, le=2100, description="year the reports review")
    release_version: str | None = Field(None, description="release name")
    release_date: str | None = Field(None, description="YYYY-MM-DD, ISO time or 'now'")
    batch_size: int = Field(
        0, ge=0, le=10_000, description="reports per task (0: automatic, at most 16 batches)"
    )
    task_runner: Literal["threads", "dask"] = "threads"
    dask_address: str | None = Field(None, description="tcp://HOST:PORT of a Dask scheduler")
    concurrency: int = Field(4, ge=1, le=256, description="parallel tasks (threads or workers)")
    cache_dir: str | None = Field(None, description="per-document cache (default <output>/.cache)")
    snapshot_dir: str | None = Field(
        None, description="raw snapshots of URL sources (default <output>/.snapshots)"
    )
    use_cache: bool = True
    fail_fast: bool = False
    fetch_timeout: float = Field(
        FetchPolicy.timeout, gt=0, le=600, description="seconds per connect/read"
    )
    fetch_total_timeout: float = Field(
        FetchPolicy.total_timeout, gt=0, le=3600, description="seconds per download"
    )
    fetch_max_bytes: int = Field(FetchPolicy.max_bytes, ge=1, description="size cap of a download")
    fetch_retries: int = Field(FetchPolicy.retries, ge=0, le=10)
    max_bytes: int = Field(
        default_factory=default_max_bytes,
        ge=1,
        description="size limit of one input file in bytes (default 20 MB)",
    )
    max_inputs: int = Field(
        default_factory=default_max_inputs, ge=1, description="most inputs (files and URLs) per run"
    )
    quarantine: bool = Field(
        False, description="publish without the rows that fail validation (kept in quarantine/)"
    )
    strict: bool = Field(
        False,
        description="publish nothing when any row fails validation (default: a document with "
        "a failing row is set aside whole into rejected)",
    )
    wait_for_lock: bool = Field(
        True, description="wait for another run publishing to the same output (else fail)"
    )
    allow_empty: bool = Field(
        False, description="publish a release of 0 documents when no input is readable"
    )

    @field_validator("paths")
    @classmethod
    def _paths(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and any(not str(p).strip() for p in v):
            raise ValueError("an input path is empty")
        return v or None

    @field_validator("release_version")
    @classmethod
    def _version(cls, v: str | None) -> str | None:
        if v is not None and not _VERSION_RE.match(v):
            raise ValueError(
                "must be 1-64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit"
            )
        return v

    @field_validator("release_date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and v != "now" and not (_DATE_RE.match(v) and _real_date(v)):
            raise ValueError("must be YYYY-MM-DD (a real date), an ISO date-time, or 'now'")
        return v

    @field_validator("dask_address")
    @classmethod
    def _address(cls, v: str | None) -> str | None:
        if v is not None and not _DASK_RE.match(v):
            raise ValueError("must look like tcp://HOST:PORT")
        return v

    @model_validator(mode="after")
    def _runner(self) -> RunParams:
        if self.dask_address and self.task_runner != "dask":
            raise ValueError("dask_address is only used with task_runner 'dask'")
        if self.strict and self.quarantine:
            raise ValueError("strict and quarantine exclude each other")
        return self

    @property
    def cache_path(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else Path(self.output) / ".cache"

    @property
    def snapshot_path(self) -> Path:
        return Path(self.snapshot_dir) if self.snapshot_dir else Path(self.output) / ".snapshots"

    @property
    def policy(self) -> FetchPolicy:
        """The fetch limits of URL sources."""
        return FetchPolicy(
            timeout=self.fetch_timeout,
            total_timeout=self.fetch_total_timeout,
            max_bytes=self.fetch_max_bytes,
            retries=self.fetch_retries,
        )

    @property
    def naming(self) -> dict[str, Any]:
        """The parameters that change rows, hashed into the default release name."""
        return {
            "report_year": self.report_year,
            "quarantine": self.quarantine,
            "strict": self.strict,
        }


def field_default(name: str) -> Any:
    """A field's default value (calling its factory): what the CLI shows and uses."""
    return RunParams.model_fields[name].get_default(call_default_factory=True)


def _real_date(v: str) -> bool:
    """A calendar date and time that exist (no month 13, no 31 February, no hour 25)."""
    import datetime as dt

    try:
        dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def output_problem(output: str) -> str | None:
    """Why the output folder cannot take a release (None when it can), checked by writing.

    Why by writing: permission bits do not tell about read-only mounts, and root passes
    every access() check; a run refused here has started nothing.
    """
    import tempfile

    p = Path(output)
    if p.exists() and not p.is_dir():
        return "exists and is not a folder"
    probe = p
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        return f"cannot be created: {probe} is not a folder"
    try:
        fd, name = tempfile.mkstemp(prefix=".heping-probe-", dir=probe)
    except OSError as exc:
        return f"is not writable ({exc.strerror or exc} in {probe})"
    os.close(fd)
    os.unlink(name)
    return None


class ParameterError(ValueError):
    """Invalid run parameters; the message lists each one as 'name: problem'."""


def validate_params(**kwargs: Any) -> RunParams:
    """RunParams from keyword arguments, or a ParameterError naming every bad one."""
    try:
        return RunParams(**kwargs)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = ".".join(str(x) for x in err["loc"]) or "parameters"
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {msg} (got {err.get('input')!r})")
        raise ParameterError("invalid parameters: " + "; ".join(lines)) from None
