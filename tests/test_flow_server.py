"""A real Prefect server on 127.0.0.1: serve the flow, trigger runs through the API, read
the release and the run's artifacts back through the API; the second run reuses the cache.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from .conftest import REPORTS, ROOT, SEED
from .procs import prefect_server, started, wait_for


def test_prefect_yaml_names_the_flow_and_valid_parameters():
    import yaml
    from heping_flows.params import validate_params

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text("utf-8"))
    (dep,) = spec["deployments"]
    path, func = dep["entrypoint"].split(":")
    assert (ROOT / path).is_file()
    assert f"def {func}(" in (ROOT / path).read_text("utf-8")
    assert dep["work_pool"]["name"]
    assert [s["cron"] for s in dep["schedules"]] == ["0 2 * * *"]
    validate_params(**dep["parameters"]["params"])


def test_bad_parameters_are_named_on_one_line(tmp_path):
    r = subprocess.run(
        [
            *(
                sys.executable,
                "-m",
                "heping_flows.cli",
                "run",
                str(SEED),
                "--output",
                str(tmp_path),
            ),
            *("--report-year", "1800", "--release-date", "soon", "--dask-address", "tcp://h:1"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("heping-data: invalid parameters: report_year:")
    assert "release_date: must be YYYY-MM-DD" in line


def _call(method: str, url: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
    """An API call that waits out a busy server (SQLite answers 503 under load)."""
    deadline = time.monotonic() + 60
    while True:
        r = httpx.request(method, url, timeout=30, **kw)
        if r.status_code != 503 or time.monotonic() > deadline:
            r.raise_for_status()
            return r
        time.sleep(1)


def _deployment(api: str, name: str) -> dict | None:
    found = _call(
        "POST", f"{api}/deployments/filter", json={"deployments": {"name": {"any_": [name]}}}
    ).json()
    return found[0] if found else None


def _run_and_wait(api: str, deployment_id: str, timeout: float = 240) -> dict:
    run_id = _call("POST", f"{api}/deployments/{deployment_id}/create_flow_run", json={}).json()[
        "id"
    ]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = _call("GET", f"{api}/flow_runs/{run_id}").json()
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(1)
    raise TimeoutError(f"flow run {run_id} did not finish in {timeout} s")


def _artifacts(api: str, run_id: str) -> dict[str, dict]:
    r = _call(
        "POST", f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}
    )
    return {a["key"]: a for a in r.json() if a.get("key")}


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_served_deployment_runs_through_the_api(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SEED, inp / SEED.name)
    shutil.copy(REPORTS / "small_report.txt", inp / "small_report.txt")
    out = tmp_path / "out"
    with prefect_server(tmp_path) as (api, env):
        cmd = [sys.executable, "-m", "heping_flows.cli", "serve", str(inp), "--output", str(out)]
        cmd += ["--release-version", "served", "--name", "test-nightly", "--cron", "0 3 * * *"]
        with started(cmd, env, tmp_path / "serve.log") as proc:
            wait_for(lambda: _deployment(api, "test-nightly") is not None, 120, "served", proc)
            dep = _deployment(api, "test-nightly")
            assert dep is not None
            crons = [s["schedule"].get("cron") for s in dep.get("schedules", [])]
            assert crons == ["0 3 * * *"]
            # stored with this machine's zone, never read as UTC by default
            from heping_flows.schedule import local_timezone

            zones = [s["schedule"].get("timezone") for s in dep.get("schedules", [])]
            assert zones == [local_timezone()]
            assert dep["parameters"]["params"]["output"] == str(out)  # the flow takes RunParams

            run = _run_and_wait(api, dep["id"])
            assert run["state_type"] == "COMPLETED", (tmp_path / "serve.log").read_text()[-3000:]
            release = out / "releases" / "served"
            assert (out / "latest").resolve() == release.resolve()
            assert (release / "documents.parquet").is_file()
            arts = _artifacts(api, run["id"])
            assert {"heping-release-summary", "heping-documents", "heping-release"} <= set(arts)
            summary = arts["heping-release-summary"]["data"]
            assert "| documents | 2 |" in summary
            assert "| extracted this run | 2 |" in summary
            assert "| reused from cache | 0 |" in summary
            assert "Validation: **passed**" in summary
            assert "masked share" in summary
            table = arts["heping-documents"]["data"]
            rows = table if isinstance(table, list) else json.loads(table)
            assert sorted(r["file"] for r in rows) == sorted([SEED.name, "small_report.txt"])
            assert release.resolve().as_uri() in arts["heping-release"]["data"]

            again = _run_and_wait(api, dep["id"])
            assert again["state_type"] == "COMPLETED"
            summary2 = _artifacts(api, again["id"])["heping-release-summary"]["data"]
            assert "| reused from cache | 2 |" in summary2
            assert "| extracted this run | 0 |" in summary2

            def logged() -> bool:  # run logs reach the server in batches, after the run
                logs = _call(
                    "POST",
                    f"{api}/logs/filter",
                    json={"logs": {"flow_run_id": {"any_": [again["id"]]}}},
                ).json()
                return any("2 document(s) reused from the cache" in x["message"] for x in logs)

            wait_for(logged, 30, "the run log line about reuse")
