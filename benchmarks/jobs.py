"""Benchmark jobs, each run in a fresh subprocess by ``benchmarks/run.py``.

A fresh interpreter per job keeps figures honest: no warm caches or imports carried over
from another job, peak RSS belongs to one job, and a crash or hang is contained. Every job
prints one JSON object on its last stdout line. Times exclude interpreter start-up and
imports unless the name says otherwise (``import_s`` is reported beside them).

    python benchmarks/jobs.py throughput DIR [--passes N]
    python benchmarks/jobs.py profile DIR [--top N] [--out FILE]
    python benchmarks/jobs.py library DIR OUTPUT [--batch-size N] [--no-publish]
    python benchmarks/jobs.py flow DIR OUTPUT [--batch-size N]
    python benchmarks/jobs.py dask DIR [--workers N] [--batch-size N]
    python benchmarks/jobs.py pathological DIR FILE... [--passes N]
    python benchmarks/jobs.py onetask
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

T0 = time.perf_counter()


def _rss_now_mb() -> float:
    """Current resident set size, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _emit(out: dict[str, Any]) -> None:
    out.setdefault("peak_rss_mb", round(_peak_mb(), 1))
    print(json.dumps(out, ensure_ascii=False))


def _docs(folder: str) -> list[Any]:
    from heping_data.run import corpus
    from heping_data.sources.ingest import ingest

    return [
        ingest(i.path, report_year=i.meta.get("report_year")) for i in corpus.discover([folder])
    ]


def throughput(a: argparse.Namespace) -> None:
    """Chars/s of each stage on one core; best of ``passes`` passes over the corpus."""
    from heping_data.extract.entities import extract_entities
    from heping_data.extract.facts import extract_facts
    from heping_data.extract.numbers import find_mentions
    from heping_data.extract.outline import outline, sentences
    from heping_data.extract.pipeline import extract
    from heping_data.records import Extraction
    from heping_data.run import corpus, heap
    from heping_data.sources.ingest import ingest
    from heping_data.tables.rows import rows_for

    import_s = time.perf_counter() - T0
    inputs = corpus.discover([a.dir])
    # warm the rule-data caches (a one-off per process, not per character)
    seed = ingest(inputs[0].path)
    s0 = outline(seed)
    extract_entities(seed, s0)
    extract_facts(seed, s0, sentences(seed, s0), tuple(find_mentions(seed.text, seed.boilerplate)))
    rows_for(extract(seed))
    heap.settle()  # as a corpus worker does after its first document
    stages = ("ingest", "outline", "numbers", "facts", "entities", "tables")
    best: dict[str, float] = {}
    best_cpu = float("inf")
    chars = 0
    pc = time.perf_counter
    for _ in range(a.passes):
        t = dict.fromkeys(stages, 0.0)
        chars = 0
        cpu0 = time.process_time()
        for inp in inputs:
            t0 = pc()
            doc = ingest(inp.path, report_year=inp.meta.get("report_year"))
            t1 = pc()
            secs = outline(doc)
            sents = sentences(doc, secs)
            t2 = pc()
            mentions = tuple(find_mentions(doc.text, doc.boilerplate))
            t3 = pc()
            facts = extract_facts(doc, secs, sents, mentions)
            t4 = pc()
            ents = extract_entities(doc, secs)
            t5 = pc()
            rows_for(Extraction(doc, secs, sents, mentions, facts, ents))
            t6 = pc()
            for k, d in zip(
                stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
            ):
                t[k] += d
            chars += len(doc.text)
        best_cpu = min(best_cpu, time.process_time() - cpu0)
        if not best or sum(t.values()) < sum(best.values()):
            best = t
    total = sum(best.values())
    nf = best["numbers"] + best["facts"]
    _emit(
        {
            "docs": len(inputs),
            "chars": chars,
            "import_s": round(import_s, 3),
            "seconds": {k: round(v, 4) for k, v in best.items()},
            "share": {k: round(v / total, 3) for k, v in best.items()},
            "all_in_chars_per_s": round(chars / total),
            # CPU time of the same passes: the per-core figure when the machine is shared
            "all_in_cpu_chars_per_s": round(chars / best_cpu),
            "numbers_facts_chars_per_s": round(chars / nf),
            "stage_chars_per_s": {k: round(chars / v) for k, v in best.items() if v > 0},
        }
    )


def _all_in_s(path: Path) -> float:
    """CPU seconds of the whole library data flow (ingest to table rows) for one file."""
    from heping_data.extract.pipeline import extract_path
    from heping_data.tables.rows import rows_for

    t0 = time.process_time()  # CPU time: the figure is per core, on a machine maybe shared
    rows_for(extract_path(path))
    return time.process_time() - t0


def pathological(a: argparse.Namespace) -> None:
    """Seconds per MB of hostile files against ordinary reports, all-in on one core.

    Why: quadratic scans hid in per-number rescans of a sentence and in runs of Chinese
    numerals; each hostile file must stay within 2x the per-MB time of ordinary text.
    """
    from heping_data.run import corpus, heap

    ordinary = [i.path for i in corpus.discover([a.dir])]
    _all_in_s(Path(ordinary[0]))  # warm the rule-data caches once
    heap.settle()  # as a corpus worker does after its first document
    best = min(sum(_all_in_s(Path(p)) for p in ordinary) for _ in range(a.passes))
    mb = sum(Path(p).stat().st_size for p in ordinary) / 1e6
    base = best / mb
    cases = {}
    for f in a.files:
        p = Path(f)
        s = min(_all_in_s(p) for _ in range(a.passes))
        per_mb = s / (p.stat().st_size / 1e6)
        cases[p.stem] = {
            "bytes": p.stat().st_size,
            "seconds": round(s, 3),
            "s_per_mb": round(per_mb, 3),
            "over_ordinary": round(per_mb / base, 2),
        }
    _emit({"ordinary_s_per_mb": round(base, 3), "ordinary_mb": round(mb, 2), "cases": cases})


def profile(a: argparse.Namespace) -> None:
    """cProfile of extract + rows_for over the corpus: own time per module, top functions."""
    import cProfile
    import pstats

    from heping_data.extract.pipeline import extract
    from heping_data.tables.rows import rows_for

    docs = _docs(a.dir)
    from heping_data.run import heap

    rows_for(extract(docs[0]))  # warm caches
    heap.settle()  # as a corpus worker does after its first document
    prof = cProfile.Profile()
    prof.enable()
    for d in docs:
        rows_for(extract(d))
    prof.disable()
    st = pstats.Stats(prof)
    raw = st.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    per_mod: dict[str, float] = {}
    funcs = []
    for (fname, line, func), (_cc, _nc, tt, ct, callers) in raw.items():
        mod = _module_of(fname)
        funcs.append((tt, ct, f"{mod}:{func}:{line}"))
        if mod != "builtins":
            per_mod[mod] = per_mod.get(mod, 0.0) + tt
            continue
        # C functions (regex, str, dict methods) count for the module that calls them
        for cfile, *_ in callers:
            cmod = _module_of(cfile) if not cfile.startswith("~") else "builtins"
            share = callers[(cfile, *_)][2]
            per_mod[cmod] = per_mod.get(cmod, 0.0) + share
    funcs.sort(reverse=True)
    # inclusive time of each library step's entry point
    entry = {}
    for (fname, _line, func), (_cc, _nc, _tt, ct, _c) in raw.items():
        mod = _module_of(fname)
        if (mod, func) in _ENTRY:
            entry[_ENTRY[(mod, func)]] = entry.get(_ENTRY[(mod, func)], 0.0) + ct
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            pstats.Stats(prof, stream=f).sort_stats("tottime").print_stats(60)
    _emit(
        {
            "profiled_s": round(total, 3),
            "chars": sum(len(d.text) for d in docs),
            "inclusive_share": {
                k: round(v / total, 3) for k, v in sorted(entry.items(), key=lambda x: -x[1])
            },
            "own_time_share_by_module": {
                k: round(v / total, 3)
                for k, v in sorted(per_mod.items(), key=lambda x: -x[1])
                if v / total >= 0.005
            },
            "top_functions": [
                {
                    "function": n,
                    "own_share": round(tt / total, 3),
                    "cum_share": round(ct / total, 3),
                }
                for tt, ct, n in funcs[: a.top]
            ],
        }
    )


_ENTRY = {
    ("heping_data.extract.outline.sections", "outline"): "outline",
    ("heping_data.extract.outline.sections", "sentences"): "outline.sentences",
    ("heping_data.extract.numbers.mentions", "find_mentions"): "numbers",
    ("heping_data.extract.facts.extract", "extract_facts"): "facts",
    ("heping_data.extract.entities.extract", "extract_entities"): "entities",
    ("heping_data.tables.rows", "rows_for"): "tables",
}


def _module_of(fname: str) -> str:
    """A readable module name for a profiled file: heping_data.x, a package, or a builtin."""
    if fname.startswith("~") or fname.startswith("<"):
        return "builtins"
    p = Path(fname)
    parts = p.with_suffix("").parts
    if "heping_data" in parts:
        return "heping_data." + ".".join(parts[parts.index("heping_data") + 1 :])
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    return "stdlib." + (p.parent.name if p.stem == "__init__" else p.stem)


def library(a: argparse.Namespace) -> None:
    """The library's corpus path without Prefect, as the flow runs it (streamed).

    discover → prepare → plan → per batch: extract, tables, validation, Arrow parts
    (``corpus.stage_prepared``) → global checks (``corpus.check_run``) → ``publish_parts``;
    the steps of ``corpus.publish_corpus``, timed one by one.
    """
    from heping_data.release.publish import publish_parts, work_folder
    from heping_data.run import corpus

    import_s = time.perf_counter() - T0
    t: dict[str, float] = {}
    rss: dict[str, float] = {}
    peak: dict[str, float] = {}  # peak RSS so far at the end of each stage
    t0 = time.perf_counter()
    with work_folder(a.output) as work:
        inputs = corpus.discover([a.dir])
        prep = corpus.prepare_batch(inputs)
        size = corpus.auto_batch_size(len(inputs), a.batch_size)
        batches, dups = corpus.plan_batches(prep.prepared, size)
        staged = [corpus.stage_prepared(b, i, work) for i, b in enumerate(batches)]
        run = corpus.collect(staged, [*prep.rejected, *dups], prep.stats)
        t["batches"] = time.perf_counter() - t0
        rss["after_batches"] = _rss_now_mb()
        peak["batches"] = _peak_mb()
        t1 = time.perf_counter()
        parts = corpus.check_run(run)
        t["check"] = time.perf_counter() - t1
        rss["after_check"] = _rss_now_mb()
        peak["check"] = _peak_mb()
        if not a.no_publish:
            t2 = time.perf_counter()
            info = corpus.release_info(run.sources, "bench", "2024-01-01")
            publish_parts(parts, a.output, info)
            t["publish"] = time.perf_counter() - t2
            rss["after_publish"] = _rss_now_mb()
            peak["publish"] = _peak_mb()
    _emit(
        {
            "docs": run.documents,
            "rejected": len(run.rejected),
            "batches": len(batches),
            "chars": sum(b.chars for b in run.batches),
            "import_s": round(import_s, 3),
            "seconds": {k: round(v, 3) for k, v in t.items()},
            "work_s": round(sum(t.values()), 3),
            "rss_mb": {k: round(v, 1) for k, v in rss.items()},
            "peak_rss_mb_by_stage": {k: round(v, 1) for k, v in peak.items()},
        }
    )


def flow(a: argparse.Namespace) -> None:
    """The whole Prefect flow on the corpus (threads task runner, no document cache)."""
    from heping_flows.pipeline import publish_reports

    from heping_data.run.params import RunParams

    import_s = time.perf_counter() - T0
    t0 = time.perf_counter()
    res = publish_reports(
        RunParams(
            paths=[a.dir],
            output=a.output,
            release_version="bench",
            release_date="2024-01-01",
            batch_size=a.batch_size,
            use_cache=False,
        )
    )
    _emit(
        {
            "docs": res.get("documents"),
            "import_s": round(import_s, 3),
            "flow_s": round(time.perf_counter() - t0, 3),
            "api": os.environ.get("PREFECT_API_URL") or "embedded",
        }
    )


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far, from /proc (Linux; NaN elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy_s() -> float:
    """Non-idle CPU seconds of the whole machine so far, all cores (Linux /proc/stat)."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _server_pid(api_url: str) -> int:
    """The process listening on the API's port (the local Prefect server), or 0."""
    from urllib.parse import urlparse

    import psutil

    port = urlparse(api_url).port
    if not port:
        return 0
    try:
        for c in psutil.net_connections(kind="tcp"):
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid:
                return c.pid
    except (psutil.Error, OSError):
        pass
    return 0


def dask(a: argparse.Namespace) -> None:
    """The flow's parallel part (its extract-batch tasks) on a local Dask cluster.

    Each task does what a batch costs in the flow: cache-less extraction, tables, per-batch
    validation and Arrow parts written to a work folder; it returns a small summary. The
    cluster is the one a run starts (``heping_flows.pipeline.local_cluster_kwargs``), batches are
    planned as a run plans them (automatic size, equal bytes), and the flows run with the
    Prefect settings of ``heping-data run`` (flow heartbeat off unless configured). The
    cluster is started and its workers import the library, load the rule data and run one
    Prefect task before the clock starts, as a long-lived cluster would have; the global
    checks and publishing run in the flow process whatever the task runner, so they are
    measured by the ``flow`` job, not here. CPU seconds of the flow process (flow engine,
    Dask scheduler and client), the workers and the Prefect server (the process listening
    on ``PREFECT_API_URL``'s port) are read around the timed flow: on 2 cores, what is not
    the workers' competes with them (``other_processes``: the rest of the machine).
    """
    import tempfile

    from distributed import Client, LocalCluster
    from heping_flows.cli import _flow_settings, heartbeat_setting
    from heping_flows.pipeline import (
        _TASK_OPTS,
        batch_size_for,
        extract_batches,
        local_cluster_kwargs,
    )
    from prefect import flow
    from prefect import task as ptask
    from prefect_dask import DaskTaskRunner

    from heping_data.release.publish import work_folder
    from heping_data.run import corpus

    import_s = time.perf_counter() - T0
    inputs = corpus.discover([a.dir])
    prepared = corpus.prepare_batch(inputs).prepared
    size = batch_size_for(len(prepared), a.batch_size, a.workers)
    batches, _ = corpus.plan_batches(prepared, size, by_bytes=not a.batch_size)
    server_pid = _server_pid(os.environ.get("PREFECT_API_URL", ""))
    tc = time.perf_counter()
    cluster = LocalCluster(**local_cluster_kwargs(a.workers))
    try:
        with Client(cluster.scheduler_address) as c:
            c.run(_warm_worker)
            worker_pids = list(c.run(os.getpid).values())
        address = cluster.scheduler_address

        @ptask(name="warm-up", **_TASK_OPTS)
        def warm_up(i: int) -> int:
            return i

        @flow(name="bench-warm-up")
        def warm_on_dask(n: int) -> None:
            # each worker runs a Prefect task once (engine, API client) before the clock
            runner = DaskTaskRunner(address=address)
            with runner:
                futures = [runner.submit(warm_up, {"i": i}) for i in range(n)]
                [f.result() for f in futures]

        @flow(name="bench-no-task")
        def no_task() -> None:
            pass

        results: list[corpus.StagedBatch] = []
        with (
            _flow_settings(heartbeat_setting(None, os.environ)),
            tempfile.TemporaryDirectory() as out,
            work_folder(out) as work,
        ):
            warm_on_dask(4 * a.workers)
            start_s = time.perf_counter() - tc
            # the orchestration floor: a flow run alone, and with as many empty tasks as batches
            tf = time.perf_counter()
            no_task()
            no_task_s = time.perf_counter() - tf
            tf = time.perf_counter()
            warm_on_dask(len(batches))
            floor_s = time.perf_counter() - tf

            @flow(name="bench-extract")
            def extract_on_dask() -> None:
                # the flow's parallel part: one extract-batch task per batch on Dask workers;
                # results leave through a closure (a flow's return value is walked by Prefect)
                runner = DaskTaskRunner(address=address)
                results.extend(
                    extract_batches(batches, None, False, work_dir=work, task_runner=runner)
                )

            pids = {"flow_process": os.getpid(), "server": server_pid}
            pids.update({f"worker_{i}": p for i, p in enumerate(worker_pids)})
            cpu0 = {k: _cpu_s(p) for k, p in pids.items() if p}
            busy0 = _machine_busy_s()
            t0 = time.perf_counter()
            extract_on_dask()
            flow_s = time.perf_counter() - t0
            cpu = {k: round(_cpu_s(pids[k]) - v, 2) for k, v in cpu0.items()}
            # what other jobs on the machine took meanwhile (a shared machine is noisy)
            cpu["other_processes"] = round(_machine_busy_s() - busy0 - sum(cpu.values()), 2)
    finally:
        cluster.close()
    _emit(
        {
            "docs": sum(len(r.doc_ids) for r in results),
            "batches": len(batches),
            "batch_docs": [len(b) for b in batches],
            "workers": a.workers,
            "import_s": round(import_s, 3),
            "cluster_start_s": round(start_s, 3),
            "flow_s": round(flow_s, 3),
            "no_task_flow_s": round(no_task_s, 3),
            "empty_tasks_flow_s": round(floor_s, 3),
            # the batches' own work as timed inside the tasks, and the slowest batch
            "task_work_s": round(sum(r.seconds for r in results), 3),
            "max_task_s": round(max((r.seconds for r in results), default=0.0), 3),
            # CPU seconds during the timed flow, per process
            "cpu_s": cpu,
        }
    )


def _warm_worker() -> bool:
    """Imports and schema builds a long-lived worker has done before its first batch."""
    import heping_flows.pipeline  # noqa: F401

    from heping_data.extract.pipeline import extract
    from heping_data.tables.schema import tables
    from heping_data.validate.checks import pandera_schema

    for name in tables():
        pandera_schema(name)
    # rule data, jieba tables and compiled patterns, loaded at a worker's first report
    from heping_data.run import corpus
    from heping_data.sources.ingest import ingest
    from heping_data.tables.rows import rows_for

    rows_for(extract(ingest(corpus.DEFAULT_INPUT)))
    return True


def onetask(a: argparse.Namespace) -> None:
    """A one-task Prefect flow: the floor under any ``heping-data run`` in the same mode."""
    from prefect import flow as pflow
    from prefect import task

    @task
    def one() -> int:
        return 1

    @pflow(name="bench-one-task")
    def one_flow() -> int:
        return one()

    import_s = time.perf_counter() - T0
    t0 = time.perf_counter()
    one_flow()
    _emit({"import_s": round(import_s, 3), "flow_s": round(time.perf_counter() - t0, 3)})


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="job", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("dir")
    p.add_argument("--passes", type=int, default=2)
    p = sub.add_parser("profile")
    p.add_argument("dir")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--out", default=None)
    p = sub.add_parser("library")
    p.add_argument("dir")
    p.add_argument("output")
    p.add_argument("--batch-size", type=int, default=0, help="0: the flow's automatic size")
    p.add_argument("--no-publish", action="store_true")
    p = sub.add_parser("flow")
    p.add_argument("dir")
    p.add_argument("output")
    p.add_argument("--batch-size", type=int, default=0, help="0: the flow's automatic size")
    p = sub.add_parser("dask")
    p.add_argument("dir")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=0, help="0: the flow's automatic size")
    p = sub.add_parser("pathological")
    p.add_argument("dir")
    p.add_argument("files", nargs="+")
    p.add_argument("--passes", type=int, default=2)
    sub.add_parser("onetask")
    a = ap.parse_args()
    {
        "throughput": throughput,
        "profile": profile,
        "library": library,
        "flow": flow,
        "dask": dask,
        "onetask": onetask,
        "pathological": pathological,
    }[a.job](a)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
