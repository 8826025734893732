"""What a newcomer meets (issue 16): schema texts, a self-contained suite, the CLI's
options and messages, version names, the manifest's provenance, safe defaults."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from heping_flows import cli

from .conftest import ROOT, SEED

#: How a sentence ends, in English or Chinese.
SENTENCE_END = (".", "。", "!", "?", "！", "？")


def _descriptions(node: Any, where: str) -> list[tuple[str, Any]]:
    """Every ``description`` in a schema file, with where it sits."""
    out: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "description":
                out.append((where, v))
            else:
                name = node.get("name", "") if isinstance(node.get("name"), str) else ""
                out.extend(_descriptions(v, f"{where}/{name or k}"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_descriptions(v, f"{where}[{i}]"))
    return out


def test_every_schema_description_is_a_whole_sentence_in_both_languages() -> None:
    bad = []
    files = sorted((ROOT / "schemas").glob("*.yaml"))
    assert files
    for f in files:
        for where, desc in _descriptions(yaml.safe_load(f.read_text(encoding="utf-8")), f.name):
            # an unquoted comma in a YAML flow mapping cuts the text and adds a stray key
            if not isinstance(desc, dict) or set(desc) != {"zh", "en"}:
                bad.append((where, desc))
                continue
            for lang, text in desc.items():
                if not isinstance(text, str) or not text.rstrip().endswith(SENTENCE_END):
                    bad.append((where, lang, text))
    assert not bad, bad


def test_the_suite_reads_the_seed_from_the_repository() -> None:
    # A clone without ../shared must test the product: the seed lives in input/, and the
    # outside folder is only ever named through conftest.SHARED (HEPING_SHARED overrides it).
    offenders = [
        f.relative_to(ROOT).as_posix()
        for f in sorted((ROOT / "tests").rglob("*.py"))
        if f.name != "conftest.py"
        and re.search(r"""/\s*["']shared["']""", f.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
    assert (ROOT / "input" / "000_696758e3d0fa223f.txt").is_file()


def test_shared_folder_can_be_switched_off(tmp_path: Path) -> None:
    env = {**os.environ, "HEPING_SHARED": str(tmp_path / "absent")}
    code = "from tests.conftest import SHARED; print(SHARED)"
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert r.stdout.strip() == str(tmp_path / "absent"), r.stderr


def test_help_has_no_raw_markup_and_names_the_real_log_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "``" not in out
    assert "last-error.log" not in out
    assert "run-*.log" in out


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    from heping_data import __version__

    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"heping-data {__version__}"


# --- safe defaults: no empty release over a good one --------------------------------------


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_an_empty_input_folder_is_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    (out / "releases" / "good").mkdir(parents=True)
    (out / "latest").symlink_to("releases/good")
    assert cli.main(["run", str(empty), "--output", str(out)]) == cli.EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nothing published: no input to read" in _one_line(captured.err)
    assert "--allow-empty" in captured.err
    assert os.readlink(out / "latest") == "releases/good"
    assert sorted(p.name for p in (out / "releases").iterdir()) == ["good"]


def test_the_library_refuses_an_empty_corpus_unless_allowed(tmp_path: Path) -> None:
    from heping_data.errors import HepingError
    from heping_data.run import sequence

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(HepingError, match="no input to read"):
        sequence.publish_corpus([empty], tmp_path / "out", version="v")
    assert not (tmp_path / "out" / "latest").exists()
    _rel, run = sequence.publish_corpus([empty], tmp_path / "out", version="v", allow_empty=True)
    assert run.documents == 0 and (tmp_path / "out" / "latest").exists()


# --- parameters checked up front ----------------------------------------------------------


@pytest.mark.parametrize("date", ["2024-13-01", "2024-02-30", "2024-03-01T25:00"])
def test_an_impossible_release_date_is_a_usage_error(
    date: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["run", "--output", str(tmp_path / "o"), "--release-date", date])
    assert code == cli.EXIT_USAGE
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(
        "heping-data: invalid parameters: release_date: must be YYYY-MM-DD (a real date)"
    )
    assert not (tmp_path / "o").exists()


def test_real_dates_pass() -> None:
    from heping_flows.params import validate_params

    for d in ("2024-02-29", "2024-03-01T08:30:00Z", "2024-03-01T08:30+08:00", "now"):
        assert validate_params(release_date=d).release_date == d


def test_an_output_that_cannot_be_written_is_a_usage_error_before_prefect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = cli.main(["run", "--output", str(blocker / "out")])
    assert code == cli.EXIT_USAGE
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("heping-data: invalid parameters: output: cannot be created")
    assert "internal error" not in line


def test_a_bad_output_is_refused_before_the_flow_is_imported(tmp_path: Path) -> None:
    """In a fresh interpreter: the check runs before Prefect's flow module is loaded."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    probe = (
        "import sys\n"
        "from heping_flows import cli\n"
        f"code = cli.main(['run', '--output', {str(blocker / 'out')!r}])\n"
        "print(code, 'heping_flows.pipeline' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert r.stdout.split() == [str(cli.EXIT_USAGE), "False"], (r.stdout, r.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_named(tmp_path: Path) -> None:
    from heping_flows.params import output_problem

    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert "is not writable" in (output_problem(str(ro / "out")) or "")
    finally:
        ro.chmod(0o755)


def test_output_problem_accepts_a_new_folder(tmp_path: Path) -> None:
    from heping_flows.params import output_problem

    assert output_problem(str(tmp_path / "a" / "b")) is None
    assert not (tmp_path / "a").exists()


def _fake_flow(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace the Prefect flow by a recorder returning a plain result."""
    from heping_flows import pipeline

    seen: dict[str, Any] = {}

    def fake(**params: Any) -> dict[str, Any]:
        seen.update(params)
        return {
            "release": "out/releases/x",
            "documents": 1,
            "numeric_facts": 2,
            "entities": 3,
            "rejected": 0,
            "run_extracted": 1,
            "run_reused": 0,
        }

    monkeypatch.setattr(pipeline, "publish_reports", fake)
    return seen


def test_a_report_year_override_is_said_in_the_summary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_flow(monkeypatch)
    assert cli.main(["run", "--output", str(tmp_path / "o"), "--report-year", "2031"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    assert "report year 2031 set by --report-year" in out
    assert "overrides the year detected" in out
    assert cli.main(["run", "--output", str(tmp_path / "o")]) == 0
    assert "report year" not in capsys.readouterr().out


def test_internal_error_names_no_log_file_that_was_not_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from heping_flows import pipeline

    def boom(**_: Any) -> dict[str, Any]:
        raise OSError("disk gone")

    monkeypatch.setattr(pipeline, "publish_reports", boom)
    monkeypatch.setattr(cli, "_setup_logging", lambda *a, **k: str(tmp_path / "never.log"))
    assert cli.main(["run", "--output", str(tmp_path / "o")]) == cli.EXIT_FAILED
    line = _one_line(capsys.readouterr().err)
    assert "never.log" not in line and "no log file could be written" in line


# --- schedules name their time zone --------------------------------------------------------


def test_local_timezone_reads_tz_then_localtime(tmp_path: Path) -> None:
    from heping_flows.schedule import local_timezone

    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Asia/Shanghai")
    assert local_timezone({}, str(link)) == "Asia/Shanghai"
    assert local_timezone({"TZ": "Europe/Berlin"}, str(link)) == "Europe/Berlin"
    assert local_timezone({}, str(tmp_path / "none")) == "UTC"


def test_serve_stores_the_schedule_with_its_time_zone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from heping_flows import pipeline

    seen: dict[str, Any] = {}
    monkeypatch.setattr(pipeline.publish_reports, "serve", lambda **kw: seen.update(kw))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    args = ["serve", "--output", str(tmp_path / "o"), "--cron", "0 2 * * *"]
    assert cli.main([*args, "--timezone", "Asia/Shanghai"]) == 0
    (sched,) = seen["schedules"]
    assert (sched.cron, sched.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert "in time zone Asia/Shanghai" in capsys.readouterr().out
    monkeypatch.setattr("heping_flows.schedule.local_timezone", lambda: "Europe/Berlin")
    assert cli.main(args) == 0
    assert seen["schedules"][0].timezone == "Europe/Berlin"
    assert cli.main([*args, "--timezone", "Mars/Olympus"]) == cli.EXIT_USAGE
    assert "unknown time zone" in capsys.readouterr().err


# --- one release name for one set of rows ---------------------------------------------------


def _seed_sources(tmp_path: Path, manifest: bool) -> dict[str, dict[str, Any]]:
    from heping_data.run import corpus

    folder = tmp_path / ("with" if manifest else "without")
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    if manifest:
        (folder / "sources.yaml").write_bytes((ROOT / "input" / "sources.yaml").read_bytes())
    prep = corpus.prepare_batch(corpus.discover([folder]))
    return {p.sha256[:16]: {**p.meta, "path": SEED.name, "sha256": p.sha256} for p in prep.prepared}


def test_version_names_differ_with_parameters_and_manifest(tmp_path: Path) -> None:
    from heping_data.run.corpus import release_info

    plain = _seed_sources(tmp_path, manifest=False)
    listed = _seed_sources(tmp_path, manifest=True)

    def name(sources: dict[str, dict[str, Any]], **params: Any) -> str:
        return release_info(sources, None, None, params).version

    base = name(plain, report_year=None, quarantine=False)
    assert name(plain, report_year=None, quarantine=False) == base  # same in, same name
    assert name(plain, report_year=2031, quarantine=False) != base
    assert name(plain, report_year=None, quarantine=True) != base
    assert name(listed, report_year=None, quarantine=False) != base
    assert release_info(plain, None, "2024-03-01").version != release_info(plain).version


def test_version_names_cover_every_schema_and_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from heping_data.run import corpus

    before = corpus.release_fingerprint()
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    monkeypatch.setenv("HEPING_SCHEMAS", str(schemas))
    assert corpus.release_fingerprint() == before
    (schemas / "indicators.yaml").write_text("indicators: []\n", encoding="utf-8")
    assert corpus.release_fingerprint() != before
    data = Path(corpus.__file__).parents[1] / "data"
    assert data.is_dir() and any(data.rglob("*.yaml"))  # hashed as a folder, new files too


# --- a manifest entry with a local copy and its URL -----------------------------------------


def test_a_manifest_path_is_read_and_its_url_kept_as_provenance() -> None:
    from heping_data.run import corpus

    for named in (ROOT / "input" / "sources.yaml", ROOT / "input", SEED):
        (inp,) = corpus.discover([named])
        assert not corpus.is_url(inp.path), named
        assert Path(inp.path).name == SEED.name
        assert inp.meta["url"].startswith("http://")
        assert inp.meta["district"] == "沈阳市和平区"
    prep = corpus.prepare_batch(corpus.discover([ROOT / "input" / "sources.yaml"]))
    assert not prep.rejected and prep.stats["fetched"] == 0
    (p,) = prep.prepared
    info = corpus.release_info({p.sha256[:16]: {**p.meta, "path": p.path, "sha256": p.sha256}})
    (src,) = info.sources
    assert src["path"] == inp.meta["url"]
    assert (src["district"], src["publisher"], src["report_year"]) == (
        "沈阳市和平区",
        "沈阳日报、沈报全媒体",
        2020,
    )
    assert src["licence"].startswith("All rights reserved")


# --- what the README tells a user to run is installed by `dev.py run` -----------------------


def _pins(lock: Path) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    return {
        canonicalize_name(line.split("==")[0]): line.split("==")[1].strip()
        for line in lock.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    }


def test_the_runtime_lock_has_dask_and_frictionless_with_their_dependencies() -> None:
    import importlib.metadata as md

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")
    for name in ("prefect-dask", "distributed", "dask", "frictionless"):
        assert name in runtime, f"{name} missing from requirements.lock"
    # the same pins as the dev lock, and closed: every dependency of a pinned package is pinned
    assert {k: v for k, v in runtime.items() if dev.get(k) != v} == {}
    missing = set()
    for name in ("prefect-dask", "distributed", "frictionless"):
        todo, seen = [name], set()
        while todo:
            n = canonicalize_name(todo.pop())
            if n in seen:
                continue
            seen.add(n)
            for r in md.requires(n) or []:
                req = Requirement(r)
                if req.marker is None or req.marker.evaluate({"extra": ""}):
                    todo.append(req.name)
        missing |= {n for n in seen if n not in runtime}
    assert not missing, sorted(missing)


# --- a quiet console on a fresh machine ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_a_first_run_prints_one_line_and_nothing_on_stderr(tmp_path: Path) -> None:
    # A fresh PREFECT_HOME (a new machine: the embedded server migrates its database), no
    # Prefect settings of ours: the CLI must silence telemetry and progress lines itself.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "HEPING_")) and k != "DO_NOT_TRACK"
    }
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PYTHONPATH=os.pathsep.join(map(str, (ROOT / "src", ROOT / "flows", ROOT))),
        TMPDIR=str(tmp_path),
    )
    cmd = [sys.executable, "-m", "heping_flows.cli", "run", "--output", str(tmp_path / "out")]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=380)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stderr == ""
    (line,) = r.stdout.splitlines()
    assert line.startswith("published ") and "1 document(s)" in line
    # --verbose brings the progress lines back, in our format (the server's too)
    r = subprocess.run(
        [*cmd, "--verbose"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=380
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "INFO:prefect.flow_runs:" in r.stderr
    assert not [x for x in r.stderr.splitlines() if " | " in x], r.stderr[-3000:]
