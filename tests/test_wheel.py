"""The built wheel works on its own: rule data and schemas inside, same tables as the repo.

Why: the library finds its rule files and schemas next to its modules; a path that
reaches into the repository (``parents[3] / "input"``, the top-level ``schemas/``) works
in a checkout and breaks in an installed package. This builds a wheel, installs it into
a fresh venv that sees this environment's dependencies but not ``src/`` or ``flows/``,
runs the CLI from a folder outside the repository and compares the tables' bytes with a
run of the repository's code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SEED
from .procs import prefect_env

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "README.md", "src", "flows", "schemas")
RUN_ARGS = ("--release-version", "X", "--release-date", "2026-01-01", "--no-cache")


def _sh(cmd: list[str | Path], **kw: object) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    assert r.returncode == 0, (cmd, r.stdout[-2000:], r.stderr[-4000:])
    return r


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the worktree gets no build/ or egg-info)."""
    tmp = tmp_path_factory.mktemp("wheel")
    copy = tmp / "src_copy"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(src, copy / name)
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ".", "-w", str(tmp / "dist")],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if r.returncode:
        pytest.skip(f"cannot build a wheel here (pip wheel needs setuptools): {r.stderr[-500:]}")
    (found,) = (tmp / "dist").glob("heping_data-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; dependencies seen through a .pth, no network."""
    home = tmp_path_factory.mktemp("venv") / "venv"
    _sh([sys.executable, "-m", "venv", "--without-pip", home], timeout=300)
    py = home / "bin" / "python"
    purelib = _sh([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    # this environment's site-packages only: their own .pth files (the editable install of
    # the checkout) are not read from a .pth-added folder, so src/ and flows/ stay out
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    checkout = [ROOT / "src", ROOT / "flows"]
    assert not [p for p in ours if Path(p).resolve() in {c.resolve() for c in checkout}]
    (Path(purelib.stdout.strip()) / "heping_dependencies.pth").write_text("\n".join(ours) + "\n")
    _sh(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            py,
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--ignore-installed",  # never touch this environment's own heping-data
            wheel,
        ],
        timeout=600,
    )
    return home


def _clean_env(tmp: Path) -> dict[str, str]:
    """The Prefect test settings without PYTHONPATH: nothing of the checkout on sys.path.

    The embedded server migrates a fresh database first: on a loaded machine that takes
    longer than Prefect's default start-up wait.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    env = prefect_env(tmp)
    env.pop("PYTHONPATH", None)
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "600"
    return env


def test_wheel_ships_rule_data_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "src" / "heping_data"
    data = {
        f"heping_data/{p.relative_to(package).as_posix()}"
        for p in (package / "data").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    schemas = {f"heping_data/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.yaml")}
    assert data and schemas
    assert sorted(data - names) == []
    assert sorted(schemas - names) == []
    assert any(n.startswith("heping_flows/") for n in names)


def test_installed_package_is_the_wheel(venv: Path, tmp_path: Path) -> None:
    """The venv imports both packages from its own site-packages, not from the checkout."""
    probe = "import heping_data, heping_flows; print(heping_data.__file__); print(heping_flows.__file__)"
    r = _sh([venv / "bin" / "python", "-c", probe], cwd=tmp_path, env=_clean_env(tmp_path))
    for line in r.stdout.split():
        assert Path(line).resolve().is_relative_to(venv.resolve()), line


def _release(folder: Path) -> dict[str, bytes]:
    """Every file of the published release (tables, dictionary, datapackage, checksums)."""
    latest = (folder / "latest").resolve()
    return {
        p.relative_to(latest).as_posix(): p.read_bytes()
        for p in sorted(latest.rglob("*"))
        if p.is_file()
    }


def test_wheel_run_matches_repo_run(venv: Path, tmp_path: Path) -> None:
    """Same seed, same version and date: the installed CLI writes the same bytes.

    The tables first, then every other file of the release: the code fingerprint in the
    release metadata must not depend on where the package was installed.
    """
    work = tmp_path / "work"
    work.mkdir()
    _sh(
        [venv / "bin" / "heping-data", "run", SEED, "--output", tmp_path / "wheel_out", *RUN_ARGS],
        cwd=work,
        env=_clean_env(tmp_path / "p1"),
        timeout=600,
    )
    repo_env = _clean_env(tmp_path / "p2")
    repo_env["PYTHONPATH"] = os.pathsep.join(str(ROOT / p) for p in ("src", "flows"))
    _sh(
        [
            sys.executable,
            "-m",
            "heping_flows.cli",
            "run",
            SEED,
            "--output",
            tmp_path / "repo_out",
            *RUN_ARGS,
        ],
        cwd=work,
        env=repo_env,
        timeout=600,
    )
    installed, repo = _release(tmp_path / "wheel_out"), _release(tmp_path / "repo_out")
    assert sorted(installed) == sorted(repo)
    tables = [n for n in repo if n.endswith((".csv", ".parquet"))]
    assert "numeric_facts.parquet" in tables
    assert [n for n in tables if installed[n] != repo[n]] == []
    assert [n for n in repo if installed[n] != repo[n]] == []
