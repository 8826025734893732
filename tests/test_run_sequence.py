"""The one sequencing of a run: its parameters (model = CLI), its executors, no Prefect inside."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from heping_data.run.params import RunParams, field_default
from heping_data.run.sequence import InProcess, run_release

from .conftest import REPORTS, ROOT, SEED

_CONSOLE = {"help", "debug", "verbose", "heartbeat"}


def test_every_run_parameter_is_a_cli_option_with_the_model_default() -> None:
    from heping_flows import cli

    ap = cli._parser()
    for command in ("run", "serve"):
        got = cli._params(ap.parse_args([command]))
        assert got == {name: field_default(name) for name in RunParams.model_fields}, command
    sub = next(a for a in ap._actions if a.dest == "command")
    dests = {a.dest for a in sub.choices["run"]._actions} - _CONSOLE
    assert dests == {cli._dest(o) for o in cli.RUN_OPTIONS}
    assert [o.field for o in cli.RUN_OPTIONS] == list(RunParams.model_fields)


def test_switches_set_their_field_and_values_keep_their_type() -> None:
    from heping_flows import cli

    switches = ["--no-cache", "--no-wait", "--strict"]
    values = ["--batch-size", "7", "--fetch-timeout", "1.5", "--report-year", "2023"]
    args = cli._parser().parse_args(["run", "a.txt", *switches, *values, "--task-runner", "dask"])
    p = cli._params(args)
    assert (p["use_cache"], p["wait_for_lock"], p["strict"], p["paths"]) == (
        False,
        False,
        True,
        ["a.txt"],
    )
    assert (p["batch_size"], p["fetch_timeout"], p["report_year"]) == (7, 1.5, 2023)
    assert p["task_runner"] == "dask"


def test_limits_that_are_rule_data_default_from_the_rule_file() -> None:
    from heping_data.sources.fetch import FetchPolicy
    from heping_data.sources.ingest import default_max_bytes, default_max_inputs

    p = RunParams()
    assert (p.max_bytes, p.max_inputs) == (default_max_bytes(), default_max_inputs())
    assert p.policy == FetchPolicy()


def test_the_library_sequencing_imports_no_prefect() -> None:
    code = (
        "import sys\n"
        "import heping_data.run.sequence, heping_data.run.corpus, heping_data.run.params\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'heping_flows')))"
    )
    env_path = f"{ROOT / 'src'}"
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    assert r.stdout.strip() == "[]"


class _Backwards(InProcess):
    """Batches complete in the reverse of their submission: the release must not care."""

    def map(
        self, step: Callable[..., Any], calls: Sequence[Mapping[str, Any]]
    ) -> Iterator[tuple[int, Any]]:
        done = [(i, step(**kw)) for i, kw in enumerate(calls)]
        yield from reversed(done)


def _files(release: str) -> dict[str, bytes]:
    root = Path(release)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_one_release_whatever_the_executor_and_batch_size(tmp_path: Path) -> None:
    paths = [str(SEED), str(REPORTS / "small_report.txt"), str(REPORTS / "news_summary_digits.txt")]
    common = {"paths": paths, "release_version": "same", "release_date": "2024-03-01"}
    one = run_release(RunParams(output=str(tmp_path / "a"), use_cache=False, **common), InProcess())
    many = run_release(
        RunParams(output=str(tmp_path / "b"), batch_size=1, use_cache=False, **common),
        _Backwards(),
    )
    assert len(many.run.batches) == 3 and len(one.run.batches) == 1
    assert _files(one.release) == _files(many.release)
    assert one.summary()["documents"] == 3 and one.summary()["run_extracted"] == 3
