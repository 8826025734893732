"""Every command and query the README gives is run here, as a reader would run it.

Commands are taken from the README itself (fenced blocks, indented blocks and inline code
that starts with a command), so a new or edited command fails this test until it runs. A
few cannot run inside the suite; each is named in ``NOT_RUN`` with the test that covers it
instead, and an entry the README no longer has fails too.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from heping_flows import cli

from .conftest import REPORTS, ROOT, SEED, SHARED
from .procs import prefect_server, tool

README = ROOT / "README.md"
#: First words of a command (an inline code span starting with one is a command too).
_STARTS = (
    "heping-data ",
    ".venv/bin/",
    "prefect ",
    "python",
    "export ",
    "HEPING_DATA_HOME=",
    "PYTHONPATH=",
    "frictionless ",
    "sha256sum ",
    "cd ",
    "pip ",
    "SELECT ",
)
#: Commands the suite does not run as written, and what runs them instead.
NOT_RUN = {
    "python3 scripts/dev.py run": "test_dev_script_dispatches (the venv set-up needs network)",
    "python3 scripts/dev.py test": "test_dev_script_dispatches; it is how CI runs this suite",
    ".venv/bin/python benchmarks/run.py": "5 minutes; benchmarks/README.md has its figures",
    "PYTHONPATH=. python ../shared/peer-specs/run_specs.py tests.spec_adapter:extract --gov": (
        "tests/test_spec_adapter.py runs the same suites in-process"
    ),
    "prefect server start --host 127.0.0.1 --port 4200 &": (
        "tests/procs.prefect_server starts the same server on a free port for this test"
    ),
    "export PREFECT_API_URL=http://127.0.0.1:4200/api": "set by tests/procs.prefect_server",
    "prefect worker start --pool heping-pool": "long-running; its --help is checked here",
    "heping-data run reports/ --task-runner dask --dask-address tcp://scheduler.example.org:8786": (
        "parsed here; tests/test_dask.py runs a real scheduler address"
    ),
}


def _inline(text: str) -> list[str]:
    spans = re.findall(r"`([^`]+?)`", re.sub(r"```.*?```", "", text, flags=re.S))
    return [" ".join(s.split()) for s in spans if s.startswith(_STARTS) and " " in s.strip()]


def _blocks(text: str) -> Iterator[tuple[str, str]]:
    """(language, body) of every fenced block, and ("indented", line) of indented commands."""
    for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M):
        yield m.group(1), m.group(2)
    for line in re.sub(r"^```.*?^```", "", text, flags=re.S | re.M).splitlines():
        if line.startswith("    ") and line.strip().startswith(_STARTS):
            yield "indented", line.strip()


def _strip_comment(line: str) -> str:
    return re.sub(r"\s+#\s.*$", "", line).strip()


def readme_commands() -> dict[str, list[str]]:
    """Shell commands, Python snippets, SQL queries and YAML examples of the README."""
    text = README.read_text(encoding="utf-8")
    out: dict[str, list[str]] = {"sh": [], "python": [], "sql": [], "yaml": []}
    for lang, body in _blocks(text):
        if lang in ("sh", "indented", ""):
            out["sh"] += [_strip_comment(x) for x in body.splitlines() if x.strip()]
        else:
            out[lang].append(body)
    out["sh"] += [c for c in _inline(text) if not c.startswith("SELECT ")]
    out["sql"] += [c for c in _inline(text) if c.startswith("SELECT ")]
    out["sh"] = list(dict.fromkeys(c for c in out["sh"] if c.startswith(_STARTS)))
    return out


def test_the_readme_gives_commands_of_every_kind() -> None:
    cmds = readme_commands()
    assert len(cmds["sh"]) > 15 and cmds["python"] and cmds["sql"] and cmds["yaml"]
    stale = [c for c in NOT_RUN if c not in cmds["sh"]]
    assert not stale, f"NOT_RUN names commands the README no longer has: {stale}"


def test_every_heping_data_command_parses() -> None:
    for c in readme_commands()["sh"]:
        argv = _heping_argv(c)
        if argv is not None and argv:
            with _no_exit(c):
                cli._parser().parse_args(argv)


def test_the_manifest_example_is_a_valid_manifest(tmp_path: Path) -> None:
    from heping_data.run import corpus

    (example,) = readme_commands()["yaml"]
    (tmp_path / "2023_heping.txt").write_bytes((REPORTS / "small_report.txt").read_bytes())
    (tmp_path / "sources.yaml").write_text(example, encoding="utf-8")
    found = corpus.discover([tmp_path / "sources.yaml"])
    local = [i for i in found if not corpus.is_url(i.path)]
    assert [Path(i.path).name for i in local] == ["2023_heping.txt"]
    assert local[0].meta["url"].startswith("https://")  # provenance, not fetched
    assert [i.path for i in found if corpus.is_url(i.path)] == [
        "https://www.example.gov.cn/zwgk/2024/gzbg.html"
    ]
    assert yaml.safe_load(example)["sources"][0]["district"] == "和平区"


def test_dev_script_dispatches(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "scripts" / "dev.py")
    assert spec and spec.loader
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    calls: list[Any] = []
    monkeypatch.setattr(dev, "ensure_env", lambda lock: calls.append(("env", lock)))
    monkeypatch.setattr(dev, "ensure_browser", lambda: calls.append(("browser",)))
    monkeypatch.setattr(dev, "sh", lambda *cmd, **kw: calls.append(tuple(map(str, cmd))))
    monkeypatch.setattr(sys, "argv", ["dev.py", "run"])
    dev.main()
    assert calls == [("env", "requirements.lock"), (str(dev.BIN / "heping-data"), "run")]
    calls.clear()
    monkeypatch.setattr(sys, "argv", ["dev.py", "test", "-q"])
    dev.main()
    assert calls[0] == ("env", "requirements-dev.lock")
    assert calls[-1] == (str(dev.BIN / "python"), "-m", "pytest", "-q")


class _no_exit:
    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: Any, exc: Any, tb: Any) -> bool:
        if isinstance(exc, SystemExit):
            if exc.code:
                raise AssertionError(f"README command does not parse: {self.what}") from exc
            return True  # --version, --help
        return False


def _heping_argv(cmd: str) -> list[str] | None:
    """The arguments of a ``heping-data`` command line (None for other commands)."""
    words = shlex.split(cmd.replace(" &&", " ;"))
    if not words or not words[0].endswith("heping-data"):
        return None
    return words[1:]


# --- running them ---------------------------------------------------------------------------


def _sandbox(tmp: Path) -> Path:
    """A working folder like a user's: reports/, a.txt, b.txt, and the repo's input/."""
    box = tmp / "box"
    reports = box / "reports"
    reports.mkdir(parents=True)
    shutil.copy(SEED, reports / SEED.name)
    shutil.copy(REPORTS / "small_report.txt", reports / "small_report.txt")
    (reports / "sources.yaml").write_text(
        yaml.safe_dump(
            {"sources": [{"path": SEED.name}, {"path": "small_report.txt", "report_year": 2023}]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    names = sorted(p for p in REPORTS.glob("*.txt") if p.name != "small_report.txt")
    shutil.copy(names[0], box / "a.txt")
    shutil.copy(names[1], box / "b.txt")
    (box / ".venv").symlink_to(ROOT / ".venv")
    (box / "input").symlink_to(ROOT / "input")
    return box


def _sh(cmd: str, box: Path, env: dict[str, str], timeout: float = 300) -> str:
    r = subprocess.run(
        ["bash", "-c", cmd], cwd=box, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert r.returncode in (0, 3), f"{cmd}\nexit {r.returncode}\n{r.stderr[-3000:]}"
    return r.stdout


def _serve(cmd: str, box: Path, env: dict[str, str]) -> None:
    """A serve command prints the schedule it stores, then is stopped (SIGINT)."""
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {cmd}"],
        cwd=box,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("serving heping-data-publish/nightly: cron "), line + (
            proc.stderr.read() if proc.poll() is not None and proc.stderr else ""
        )
        assert " in time zone " in line
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _env(server_env: dict[str, str], box: Path) -> dict[str, str]:
    path = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return {
        **server_env,
        "PATH": path,
        "PYTHONPATH": os.pathsep.join(map(str, (ROOT / "src", ROOT / "flows", ROOT))),
    }


def _run_sh(cmd: str, box: Path, env: dict[str, str]) -> None:
    cmd = cmd.replace("/srv/heping/output", str(box / "srv-output"))
    argv = _heping_argv(cmd)
    if argv is not None and argv[:1] == ["serve"]:
        _serve(cmd, box, env)
    elif argv is not None and argv[:1] == ["run"]:
        line = _sh(cmd, box, env)
        assert line.startswith("published ") and len(line.splitlines()) == 1, line
    elif argv is not None:  # --version, --help
        assert _sh(cmd, box, env).startswith("heping-data")
    elif cmd.startswith("prefect worker start"):
        _sh(cmd.replace("prefect worker start", "prefect worker start --help"), box, env)
    elif cmd.startswith(("prefect ", "HEPING_DATA_HOME=")):
        _sh(cmd.replace("$PWD", str(ROOT)), ROOT if "deploy" in cmd else box, env)
    elif cmd.startswith("python ../shared/eval/score.py"):
        _sh(
            cmd.replace("python ", f"{sys.executable} ").replace("../shared", str(SHARED)), box, env
        )
    elif cmd.startswith("sha256sum "):  # as the table says: in a release folder
        _sh(cmd, box / "output" / "latest", env)
    else:
        _sh(cmd, box, env)


def _stage(cmd: str) -> int:
    """Publish first (the checks read output/), then the pool, the deployment, its run."""
    argv = _heping_argv(cmd)
    if argv and argv[0] == "run":
        return 0
    for i, part in enumerate(("prefect work-pool", "prefect deploy", "prefect deployment"), 2):
        if part in cmd:
            return i
    return 1


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_every_readme_command_runs(tmp_path: Path) -> None:
    import duckdb

    cmds = readme_commands()
    box = _sandbox(tmp_path)
    order = sorted((c for c in cmds["sh"] if c not in NOT_RUN), key=_stage)
    with prefect_server(tmp_path) as (_api, server_env):
        env = _env(server_env, box)
        for c in order:
            if c.startswith("python ../shared/eval/score.py") and not SHARED.exists():
                continue
            _run_sh(c, box, env)
    for snippet in cmds["python"]:
        cwd = os.getcwd()
        os.chdir(box)
        try:
            scope: dict[str, Any] = {}
            exec(compile(snippet, "README.md", "exec"), scope)
        finally:
            os.chdir(cwd)
        assert len(scope["facts"]) > 0
    for sql in cmds["sql"]:
        cwd = os.getcwd()
        os.chdir(box)
        try:
            with duckdb.connect() as con:
                rows = con.execute(sql.strip().rstrip(";")).fetchall()
        finally:
            os.chdir(cwd)
        assert rows, sql
    assert tool("frictionless")


def test_the_task_names_in_the_readme_are_the_flows() -> None:
    from heping_flows import pipeline
    from prefect import Task

    real = {t.name for t in vars(pipeline).values() if isinstance(t, Task)}
    text = README.read_text(encoding="utf-8")
    part = text.split("#### What a run does", 1)[1].split("\n- ", 1)[0]
    part = re.sub(r"\[[^\]]*\]", "", part)  # steps in brackets run in the flow, no task
    named = set(re.findall(r"\b[a-z]+-(?:[a-z]+)\b", part)) - {"document-id"}
    assert named == real, (sorted(named), sorted(real))
