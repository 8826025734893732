"""Helpers of the integration tests: start real servers, wait for them, always stop them."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from .conftest import ROOT

BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str:
    """A console script of the project's environment (falls back to PATH)."""
    p = BIN / name
    return str(p) if p.exists() else name


def wait_for(check: Callable[[], bool], timeout: float, what: str, proc=None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: process exited with {proc.returncode}")
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.3)
    raise TimeoutError(f"{what}: not ready after {timeout:g} s")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as r:
        return r.status == 200


def port_open(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def stop(proc: subprocess.Popen, first: int = signal.SIGINT, grace: float = 15) -> None:
    """SIGINT (Prefect workers ignore SIGTERM for a while), then SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    for sig, wait in ((first, grace), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def started(
    cmd: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT
) -> Iterator[subprocess.Popen]:
    """A process in its own process group, logged to ``log``, stopped on exit whatever happens."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield proc
        finally:
            stop(proc)


def prefect_env(tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp / "prefect"),
        "TMPDIR": str(tmp),
        "DASK_TEMPORARY_DIRECTORY": str(tmp),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PREFECT_API_URL", None)
    return env


@contextlib.contextmanager
def prefect_server(tmp: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A real ``prefect server start`` on 127.0.0.1 with its own PREFECT_HOME.

    Yields the API URL and an environment pointing at it.
    """
    port = free_port()
    env = prefect_env(tmp)
    cmd = [tool("prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with started(cmd, env, tmp / "prefect-server.log") as proc:
        api = f"http://127.0.0.1:{port}/api"
        wait_for(lambda: http_ok(f"{api}/health"), 120, "prefect server", proc)
        yield api, {**env, "PREFECT_API_URL": api}


def report_variants(sources: list[Path], n: int, out: Path) -> list[Path]:
    """``n`` distinct reports made from ``sources`` by adding k to every short integer.

    Adding keeps the order of the two ends of a range; four-digit runs (years) and decimal
    parts are left alone, so every variant stays a plausible report.
    """
    import re

    short = re.compile(r"(?<![0-9.])([0-9]{1,3})(?![0-9])")
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        src = sources[i % len(sources)]
        k = 1 + i // len(sources)
        raw = src.read_bytes()
        enc = "utf-8"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            enc, text = "gb18030", raw.decode("gb18030")
        text = short.sub(lambda m, k=k: str(int(m.group(1)) + k), text)
        p = out / f"r{i:02d}_{src.name}"
        p.write_bytes(text.encode(enc))
        made.append(p)
    return made


def verify(folder: Path) -> None:
    """A complete release: SHA256SUMS lists exactly its files and every digest matches."""
    listed = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split("  ", 1)
        listed[rel] = digest
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }
    assert set(listed) == present, f"{folder}: SHA256SUMS and files differ"
    for rel, digest in listed.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest, rel
