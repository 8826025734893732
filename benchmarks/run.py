"""heping-data benchmarks: throughput, orchestration overhead, start-up, memory, scale-out.

    .venv/bin/python benchmarks/run.py [--quick] [--only SECTION ...] [--keep]

Generates deterministic corpora (``benchmarks/corpus.py``), starts a local Prefect server on
127.0.0.1 with its own PREFECT_HOME in a temp folder (stopped at the end, also on failure),
runs every job in a fresh subprocess (``benchmarks/jobs.py``), writes the figures to
``benchmarks/results/latest.json`` and prints them with the issue's target beside each.
Targets are reported, not asserted: the exit code is 0 unless the benchmark itself broke.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
SEED = ROOT / "input" / "000_696758e3d0fa223f.txt"
RESULTS = HERE / "results"
README = HERE / "README.md"
SECTIONS = ("throughput", "pathological", "profile", "startup", "flow", "dask", "memory")
IMPORT_FLOOR = "import prefect, pandas, pyarrow, pandera"
ONE_TASK_NO_HEARTBEAT = """
from prefect import flow, task
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
one = task(lambda: 1, name="one")
with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
    flow(name="bench-one-task")(lambda: one())()
"""


# -- machine and environment ------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0.0
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024**2
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in load],
    }


def base_env(work: Path) -> dict[str, str]:
    """Environment of every job: temp files inside the work folder, no analytics."""
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("PREFECT_"):
            del env[k]
    tmp = work / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "PREFECT_HOME": str(work / "prefect-embedded"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
            "TMPDIR": str(tmp),
            "DASK_TEMPORARY_DIRECTORY": str(tmp),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def prefect_server(work: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """A local ``prefect server start`` with its own PREFECT_HOME; yields its API URL.

    The server runs in its own process group, stopped with SIGTERM (then SIGKILL) on exit,
    whatever happened inside the block.
    """
    port = free_port()
    senv = {**env, "PREFECT_HOME": str(work / "prefect-server")}
    url = f"http://127.0.0.1:{port}/api"
    cmd = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    cmd.append("--analytics-off")
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, env=senv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited with {proc.returncode}; see {log}")
            if _healthy(url):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not ready after 180 s; see {log}")
            time.sleep(0.25)
        print(f"  prefect server ready at {url} in {time.perf_counter() - t0:.1f} s", flush=True)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


class JobFailed(RuntimeError):
    pass


def job(
    args: list[str], env: dict[str, str], logs: Path, name: str, timeout: float = 900
) -> tuple[float, dict[str, Any]]:
    """Run a command in a fresh process; returns its wall time and the JSON on its last line."""
    t0 = time.perf_counter()
    with open(logs / f"{name}.out", "wb") as out, open(logs / f"{name}.err", "wb") as err:
        p = subprocess.run(args, env=env, stdout=out, stderr=err, timeout=timeout, cwd=ROOT)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        tail = (logs / f"{name}.err").read_text(encoding="utf-8", errors="replace")[-1500:]
        raise JobFailed(f"{name}: exit {p.returncode}\n{tail}")
    data: dict[str, Any] = {}
    lines = (logs / f"{name}.out").read_text(encoding="utf-8").strip().splitlines()
    for line in reversed(lines):
        if line.startswith("{"):
            data = json.loads(line)
            break
    return wall, data


def jobs_py(*a: str) -> list[str]:
    return [PY, str(HERE / "jobs.py"), *a]


# -- the benchmark sections ---------------------------------------------------------------------
class Bench:
    """Runs the sections, collecting figures; a failing section is recorded, not fatal."""

    def __init__(self, work: Path, quick: bool) -> None:
        self.work = work
        self.quick = quick
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = base_env(work)
        self.fig: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        n_flow = 200 if quick else 1000
        n_mem = 2000 if quick else 10_000
        self.sizes = {"flow_reports": n_flow, "memory_reports": n_mem}

    def corpora(self) -> None:
        """Realistic sizes (2-200 KB) for throughput; small reports (2-3 KB) for the runs at
        1,000 and 10,000 reports, where the per-report costs are what is measured."""
        t0 = time.perf_counter()
        w = self.work
        self.c_tp = w / "corpus-throughput"
        generate(20 if self.quick else 60, 1, self.c_tp, min_kb=2, max_kb=200)
        # the first reports of corpus-memory, byte for byte, with a sources.yaml (the
        # flow once failed at ~950 reports with one: HTTP 422 on subflow parameters)
        self.c_small = w / "corpus-small"
        generate(self.sizes["flow_reports"], 3, self.c_small, min_kb=2, max_kb=3, manifest=True)
        self.c_mem = w / "corpus-memory"
        generate(self.sizes["memory_reports"], 3, self.c_mem, min_kb=2, max_kb=3)
        self.fig["corpora"] = {
            name: {"reports": len(list(p.glob("*.txt"))), "bytes": _du(p)}
            for name, p in (
                ("throughput", self.c_tp),
                ("small", self.c_small),
                ("memory", self.c_mem),
            )
        }
        self.fig["corpora"]["generate_s"] = round(time.perf_counter() - t0, 1)
        self.lib_small: dict[str, Any] | None = None

    def throughput(self) -> None:
        _, d = job(jobs_py("throughput", str(self.c_tp)), self.env, self.logs, "throughput")
        self.fig["throughput"] = d

    def pathological(self) -> None:
        """One 350 KB sentence of numbers and one 400 KB run of Chinese numerals, all-in,
        against the per-MB time of the throughput corpus (issue 12: each within 2x)."""
        d = self.work / "pathological"
        d.mkdir(exist_ok=True)
        numbers = d / "sentence_of_numbers.txt"
        numbers.write_text(
            "某县政府工作报告\n全年各项指标分别增长" + "5.2%、" * 50_000 + "。\n", "utf-8"
        )
        digits = "一二三四五六七八九十百千万亿"
        run = "".join(digits[(k * 7) % len(digits)] for k in range(400_000 // 3))
        numerals = d / "run_of_numerals.txt"
        numerals.write_text("某县政府工作报告\n全年完成" + run + "个。\n", "utf-8")
        _, fig = job(
            jobs_py("pathological", str(self.c_tp), str(numbers), str(numerals)),
            self.env,
            self.logs,
            "pathological",
        )
        self.fig["pathological"] = fig

    def profile(self) -> None:
        out = RESULTS / "profile.txt"
        _, d = job(
            jobs_py("profile", str(self.c_tp), "--out", str(out)), self.env, self.logs, "profile"
        )
        self.fig["profile"] = d

    def startup(self, api: str | None) -> None:
        """heping-data run on the seed vs a one-task flow vs the import floor, per mode.

        Our modules are byte-compiled first, as an installed package is (``pip install``
        compiles them; the jobs run with PYTHONDONTWRITEBYTECODE, so an edited tree would
        otherwise compile ~12,000 lines from source in every run, ≈ 0.17 s, while the
        import floor's packages come compiled). Against the server, each flow runs once
        untimed first (as the embedded mode warms its PREFECT_HOME), then best of 3.
        """
        mode = "server" if api else "embedded"
        env = dict(self.env)
        if api:
            env["PREFECT_API_URL"] = api
        subprocess.run(
            [PY, "-m", "compileall", "-q", str(ROOT / "src" / "heping_data"), str(ROOT / "flows")],
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        reps = 3 if api else 1  # embedded runs cost 12-30 s each; best of n
        if not api:  # the first embedded run of a PREFECT_HOME creates its database
            job(jobs_py("onetask"), env, self.logs, "startup-embedded-warmup", timeout=400)
        else:  # the first run of each flow on a fresh server creates its rows; not timed
            seed_cmd = [str(BIN / "heping-data"), "run", str(SEED), "--output"]
            job([*seed_cmd, str(self.work / "out-seed-warmup")], env, self.logs, "startup-warmup")
            job(jobs_py("onetask"), env, self.logs, "startup-server-onetask-warmup", timeout=400)
        runs: dict[str, list[float]] = {
            "run_seed": [],
            "one_task_flow": [],
            "import_floor": [],
            "one_task_flow_no_heartbeat": [],
        }
        for i in range(reps):
            out = self.work / f"out-seed-{mode}-{i}"
            w, _ = job(
                [str(BIN / "heping-data"), "run", str(SEED), "--output", str(out)],
                env,
                self.logs,
                f"startup-{mode}-run-{i}",
                timeout=400,
            )
            runs["run_seed"].append(w)
            w, _ = job(jobs_py("onetask"), env, self.logs, f"startup-{mode}-onetask-{i}", 400)
            runs["one_task_flow"].append(w)
            if api:
                w, _ = job([PY, "-c", IMPORT_FLOOR], env, self.logs, f"import-floor-{i}")
                runs["import_floor"].append(w)
                # for reference: `heping-data run` turns Prefect's flow heartbeat off (its
                # thread is joined at the end of every flow, up to 1 s); the same flow without it
                w, _ = job([PY, "-c", ONE_TASK_NO_HEARTBEAT], env, self.logs, f"onetask-nohb-{i}")
                runs["one_task_flow_no_heartbeat"].append(w)
        d: dict[str, Any] = {k: _stats(v) for k, v in runs.items() if v}
        d["run_over_one_task"] = round(min(runs["run_seed"]) / min(runs["one_task_flow"]), 2)
        if runs["import_floor"]:
            d["run_over_import_floor"] = round(min(runs["run_seed"]) / min(runs["import_floor"]), 2)
        if runs["one_task_flow_no_heartbeat"]:
            d["run_over_one_task_no_heartbeat"] = round(
                min(runs["run_seed"]) / min(runs["one_task_flow_no_heartbeat"]), 2
            )
        self.fig.setdefault("startup", {})[mode] = d

    def library_small(self) -> dict[str, Any]:
        """The library corpus path on the small corpus (flow baseline and memory at 1x)."""
        if self.lib_small is None:
            wl, lib = job(
                jobs_py("library", str(self.c_small), str(self.work / "out-lib")),
                self.env,
                self.logs,
                "library-small",
            )
            self.lib_small = {**lib, "process_wall_s": round(wl, 2)}
        return self.lib_small

    def flow(self, api: str) -> None:
        """The flow against the server vs the library alone, same reports, same steps."""
        env = {**self.env, "PREFECT_API_URL": api}
        lib = self.library_small()
        wf, fl = job(
            jobs_py("flow", str(self.c_small), str(self.work / "out-flow")),
            env,
            self.logs,
            "flow-prefect",
        )
        self.fig["flow"] = {
            "reports": self.sizes["flow_reports"],
            "batch_size": "auto (heping_flows.pipeline.batch_size_for)",
            "library": lib,
            "flow": {**fl, "process_wall_s": round(wf, 2)},
            "flow_over_library": round(fl["flow_s"] / lib["work_s"], 2),
            "flow_over_library_process_wall": round(wf / lib["process_wall_s"], 2),
        }

    def dask(self, api: str) -> None:
        """The flow's extract-batch tasks under the Dask task runner on 1, 2 and N local workers."""
        env = {**self.env, "PREFECT_API_URL": api}
        n = os.cpu_count() or 2
        counts = sorted({1, 2, n})
        res: dict[str, Any] = {}
        for k in counts:
            _, d = job(
                jobs_py("dask", str(self.c_small), "--workers", str(k)),
                env,
                self.logs,
                f"dask-{k}",
            )
            res[str(k)] = d
        t1 = res["1"]["flow_s"]
        for k in counts:
            r = res[str(k)]
            r["speedup"] = round(t1 / r["flow_s"], 2)
            r["efficiency"] = round(r["speedup"] / k, 2)
        self.fig["dask"] = {
            "reports": self.sizes["flow_reports"],
            "batch_size": "auto (heping_flows.pipeline.batch_size_for)",
            "workers": res,
            "serial_library_batches_s": _g(self.lib_small or {}, "seconds", "batches"),
            "note": "extract-batch tasks of one flow on the LocalCluster a run starts "
            "(heping_flows.pipeline.local_cluster_kwargs: 1 thread per worker process), started and "
            "warmed before timing, flows run with heping-data run's Prefect settings (flow "
            "heartbeat off); each task extracts, builds, validates and writes its batch's "
            "Arrow parts and returns a small summary; the global checks and the streamed "
            "publish are serial in the flow. empty_tasks_flow_s: the same flow with as many "
            "empty tasks (the orchestration floor, paid whatever the worker count); "
            "no_task_flow_s: a flow run alone; cpu_s: CPU seconds per process during the "
            "timed flow",
        }

    def memory(self) -> None:
        """Peak RSS of the streamed corpus path (batches → parts, checks, publish) at 1x and 10x."""
        s = self.library_small()
        _, lg = job(
            jobs_py("library", str(self.c_mem), str(self.work / "out-mem")),
            self.env,
            self.logs,
            "memory-large",
            timeout=1200,
        )
        self.fig["memory"] = {
            "reports_small": s["docs"],
            "reports_large": lg["docs"],
            "peak_rss_mb_small": s["peak_rss_mb"],
            "peak_rss_mb_large": lg["peak_rss_mb"],
            "growth_ratio": round(lg["peak_rss_mb"] / s["peak_rss_mb"], 2),
            "kb_per_extra_report": round(
                (lg["peak_rss_mb"] - s["peak_rss_mb"]) * 1024 / max(1, lg["docs"] - s["docs"]), 1
            ),
            "small": s,
            "large": lg,
        }

    def section(self, name: str, fn: Any, *a: Any) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name} …", flush=True)
        t0 = time.perf_counter()
        try:
            fn(*a)
        except Exception as exc:
            self.errors[name] = f"{type(exc).__name__}: {exc}"
            print(f"  FAILED: {self.errors[name]}", flush=True)
        print(f"  ({time.perf_counter() - t0:.0f} s)", flush=True)


def _du(p: Path) -> int:
    return sum(f.stat().st_size for f in p.glob("*.txt"))


def _stats(v: list[float]) -> dict[str, float]:
    return {"min_s": round(min(v), 2), "median_s": round(statistics.median(v), 2), "n": len(v)}


# -- the table ------------------------------------------------------------------------------------
def _g(d: dict[str, Any], *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def rows(fig: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, measured, target, verdict) for every figure the issue names."""
    out: list[tuple[str, str, str, str]] = []

    def add(label: str, v: Any, fmt: str, target: str, ok: bool | None) -> None:
        shown = "—" if v is None else format(v, fmt)
        verdict = "n/a" if v is None or ok is None else ("ok" if ok else "MISS")
        out.append((label, shown, target, verdict))

    tp = fig.get("throughput") or {}
    v = tp.get("all_in_chars_per_s")
    add("library all-in, chars/s/core", v, ",", "≥ 450,000", v and v >= 450_000)
    v = tp.get("all_in_cpu_chars_per_s")
    add("  the same on CPU time (a shared machine)", v, ",", "≥ 450,000", v and v >= 450_000)
    v = tp.get("numbers_facts_chars_per_s")
    add("numbers + facts, chars/s/core", v, ",", "≥ 1,000,000", v and v >= 1_000_000)
    for name, c in (_g(fig, "pathological", "cases") or {}).items():
        v = c.get("over_ordinary")
        add(f"{name} ({c['bytes'] // 1000} KB), s/MB over ordinary", v, ".2f", "≤ 2.0", v <= 2.0)
    fl = fig.get("flow") or {}
    v = fl.get("flow_over_library")
    n = fl.get("reports", "")
    add(f"flow / library, {n} reports, server", v, ".2f", "≤ 1.5", v and v <= 1.5)
    for mode in ("embedded", "server"):
        v = _g(fig, "startup", mode, "run_over_one_task")
        add(f"run on seed / one-task flow ({mode})", v, ".2f", "≤ 1.2", v and v <= 1.2)
    v = _g(fig, "startup", "server", "run_over_import_floor")
    add("run on seed / import floor (server)", v, ".2f", "≤ 2.0", v and v <= 2.0)
    for mode in ("embedded", "server"):
        v = _g(fig, "startup", mode, "run_seed", "min_s")
        add(f"  run on seed, s ({mode})", v, ".2f", "", None)
        v = _g(fig, "startup", mode, "one_task_flow", "min_s")
        add(f"  one-task flow, s ({mode})", v, ".2f", "", None)
    v = _g(fig, "startup", "server", "import_floor", "min_s")
    add("  import floor, s", v, ".2f", "", None)
    v = _g(fig, "startup", "server", "one_task_flow_no_heartbeat", "min_s")
    add("  one-task flow without heartbeat, s (server)", v, ".2f", "", None)
    v = _g(fig, "startup", "server", "run_over_one_task_no_heartbeat")
    add("  run on seed / one-task flow without heartbeat (server)", v, ".2f", "", None)
    mem = fig.get("memory") or {}
    v = mem.get("peak_rss_mb_large")
    add(
        f"peak RSS, MB, {mem.get('reports_large', '')} reports",
        v,
        ",.0f",
        "≤ 1,024",
        v and v <= 1024,
    )
    v = mem.get("growth_ratio")
    add(
        f"peak RSS {mem.get('reports_large', '')} / {mem.get('reports_small', '')} reports",
        v,
        ".2f",
        "flat (≤ 1.5)",
        v and v <= 1.5,
    )
    dk = _g(fig, "dask", "workers") or {}
    for k, r in dk.items():
        ok = None if k == "1" else r["efficiency"] >= 0.8
        out.append(
            (
                f"dask, {k} worker(s): extract tasks / speed-up",
                f"{r['flow_s']:.2f} s / {r['speedup']:.2f}x",
                "" if k == "1" else f"near-linear (≥ {0.8 * int(k):.1f}x)",
                "n/a" if ok is None else ("ok" if ok else "MISS"),
            )
        )
    for k, r in dk.items():
        if "empty_tasks_flow_s" in r:
            out.append(
                (
                    f"dask, {k} worker(s): same flow, empty tasks (floor), s",
                    f"{r['empty_tasks_flow_s']:.2f}",
                    "",
                    "n/a",
                )
            )
    return out


def table(fig: dict[str, Any]) -> str:
    r = [("figure", "measured", "target", ""), *rows(fig)]
    w = [max(len(x[i]) for x in r) for i in range(4)]
    lines = ["  ".join(c.ljust(w[i]) for i, c in enumerate(x)).rstrip() for x in r]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


def markdown(fig: dict[str, Any]) -> str:
    m = fig["machine"]
    out = [
        f"Measured {fig['finished']} on {m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM, "
        f"Python {m['python']} (load average at start {m['load_avg_at_start']}); "
        f"whole run {fig['total_s']:.0f} s.",
        "",
        "| figure | measured | target | |",
        "|---|---|---|---|",
    ]
    out += [f"| {a.strip()} | {b} | {c} | {d} |" for a, b, c, d in rows(fig)]
    return "\n".join(out)


def update_readme(fig: dict[str, Any]) -> None:
    """Replace the figures block (between its markers) of benchmarks/README.md and of the
    project README, so both always show the latest full run."""
    a, b = "<!-- figures:start -->", "<!-- figures:end -->"
    for readme in (README, ROOT / "README.md"):
        if not readme.exists():
            continue
        text = readme.read_text(encoding="utf-8")
        if a in text and b in text:
            head, rest = text.split(a, 1)
            _, tail = rest.split(b, 1)
            readme.write_text(f"{head}{a}\n{markdown(fig)}\n{b}{tail}", encoding="utf-8")


# -- main -------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller corpora (a smoke test)")
    ap.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these sections")
    ap.add_argument("--keep", action="store_true", help="keep the temp work folder")
    ap.add_argument("--no-readme", action="store_true", help="do not update benchmarks/README.md")
    a = ap.parse_args(argv)
    want = set(a.only or SECTIONS)
    RESULTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="heping-bench-"))

    def _term(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _term)
    t0 = time.perf_counter()
    b = Bench(work, a.quick)
    b.fig["machine"] = machine()
    b.fig["quick"] = a.quick
    print(f"heping-data benchmarks in {work}", flush=True)
    try:
        b.section("corpora", b.corpora)
        if "throughput" in want:
            b.section("throughput", b.throughput)
        if "pathological" in want:
            b.section("pathological", b.pathological)
        if "profile" in want:
            b.section("profile", b.profile)
        if "startup" in want:
            b.section("startup (embedded)", b.startup, None)
        if want & {"startup", "flow", "dask"}:
            with prefect_server(work, b.env, b.logs / "prefect-server.log") as api:
                if "startup" in want:
                    b.section("startup (server)", b.startup, api)
                if "flow" in want:
                    b.section("flow overhead", b.flow, api)
                if "dask" in want:
                    b.section("dask scale-out", b.dask, api)
        if "memory" in want:
            b.section("memory", b.memory)
    finally:
        b.fig["errors"] = b.errors
        b.fig["total_s"] = round(time.perf_counter() - t0, 1)
        b.fig["finished"] = time.strftime("%Y-%m-%d %H:%M")
        name = "latest.json" if not (a.quick or a.only) else "partial.json"
        (RESULTS / name).write_text(
            json.dumps(b.fig, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if a.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(b.fig))
    print(f"\nwhole benchmark: {b.fig['total_s']:.0f} s; figures in {RESULTS / name}")
    if b.errors:
        print("sections that failed: " + ", ".join(b.errors))
    if not (a.quick or a.only or a.no_readme):
        update_readme(b.fig)
    return 1 if b.errors else 0


if __name__ == "__main__":
    sys.exit(main())
