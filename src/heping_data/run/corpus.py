"""A corpus run without orchestration: find sources, fetch, extract in batches, assemble a release.

The Prefect flows call these functions from coarse tasks; tests and benchmarks call them
directly. One bad report never stops the others: it is set aside with its reason (unless
the caller asks for fail-fast). Sources are local files or http(s) URLs named in a
``sources.yaml`` manifest; URL sources are snapshotted by :mod:`heping_data.sources.fetch`, and
per-document results are reused from :mod:`heping_data.run.cache` when nothing that decides
them changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heping_data import __version__
from heping_data.errors import HepingError, ValidationFailed
from heping_data.extract.pipeline import extract
from heping_data.release.model import panel_of_parts
from heping_data.release.publish import (
    ReleaseInfo,
    ReleaseParts,
    read_part,
    write_part,
)
from heping_data.run import heap
from heping_data.run.cache import CacheEntry, DocCache, cache_key
from heping_data.run.discover import (  # noqa: F401  (public names of the run, kept here)
    DEFAULT_INPUT,
    MANIFEST_NAMES,
    InputFile,
    discover,
    display_path,
    is_url,
)
from heping_data.sources.digest import file_digest
from heping_data.sources.fetch import FetchPolicy, Snapshot, fetch
from heping_data.sources.ingest import (
    default_max_bytes,
    ingest,
    looks_like_html,
    read_snapshot,
    reader_of,
)
from heping_data.tables.rows import PER_RUN, PackedRows, build_from_rows, rejected_frame, rows_for
from heping_data.tables.schema import tables

STAT_KEYS = ("extracted", "reused", "fetched", "not_modified", "rejected")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """A source whose raw bytes are on local disk and hashed: ready to extract or reuse."""

    path: str  # as the user named it: local path or URL
    local: str  # file holding the raw bytes (the file itself, or the URL's snapshot)
    sha256: str
    reader: str  # "text" or "html"
    meta: dict[str, Any] = field(default_factory=dict)
    snapshot: Snapshot | None = None


@dataclass
class PrepareResult:
    """The prepared sources of a batch and the ones refused (unreachable, unreadable)."""

    prepared: list[Prepared] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))


@dataclass
class BatchResult:
    """Per-document rows and texts of a batch, plus the inputs set aside and run counts."""

    # per document: table -> rows (PackedRows once extracted: compact, read as dicts)
    rows: list[Mapping[str, list[dict[str, Any]]]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_id -> provenance
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))


def _reject(path: str, sha: str | None, reason: str) -> dict[str, Any]:
    return {"source_path": path, "sha256": sha, "reason": reason}


def prepare_batch(
    inputs: list[InputFile],
    *,
    snapshot_dir: str | Path | None = None,
    policy: FetchPolicy | None = None,
    fail_fast: bool = False,
    max_bytes: int | None = None,
) -> PrepareResult:
    """Hash local files and fetch URL sources (conditional GET) into the snapshot store.

    A local file over ``max_bytes`` is refused here, before it is read whole (it is only
    hashed, in 1 MB chunks, so the rejected row names its bytes).
    """
    res = PrepareResult()
    limit = default_max_bytes() if max_bytes is None else max_bytes
    for inp in inputs:
        try:
            if is_url(inp.path):
                if snapshot_dir is None:
                    raise HepingError(f"{inp.path}: URL sources need a snapshot folder")
                snap = fetch(inp.path, snapshot_dir, policy)
                res.stats["fetched" if snap.status == "fetched" else "not_modified"] += 1
                meta = {**inp.meta, "url": inp.path, "retrieved": snap.retrieved}
                res.prepared.append(
                    Prepared(inp.path, snap.raw_path, snap.sha256, reader_of(snap), meta, snap)
                )
            else:
                try:
                    sha, size, head = file_digest(inp.path)
                except OSError as exc:
                    raise HepingError(f"{inp.path}: cannot read: {exc.strerror or exc}") from exc
                if size > limit:
                    raise _Refused(
                        sha,
                        f"{inp.path}: file too large: {size} bytes exceeds the limit of "
                        f"{limit} bytes (raise it with --max-bytes)",
                    )
                reader = "html" if looks_like_html(inp.path, head) else "text"
                res.prepared.append(Prepared(inp.path, inp.path, sha, reader, dict(inp.meta)))
        except HepingError as exc:
            if fail_fast:
                raise
            sha_known = exc.sha256 if isinstance(exc, _Refused) else None
            res.rejected.append(_reject(inp.path, sha_known, str(exc)))
            res.stats["rejected"] += 1
        except Exception as exc:  # e.g. an HTTP client error fetch did not map: one source only
            if fail_fast:
                raise
            log.debug("%s: unexpected error while preparing", inp.path, exc_info=True)
            reason = f"{inp.path}: cannot read: {type(exc).__name__}: {exc}"
            res.rejected.append(_reject(inp.path, None, reason))
            res.stats["rejected"] += 1
    return res


class _Refused(HepingError):
    """A local input refused after hashing (the rejected row keeps its sha256)."""

    def __init__(self, sha256: str, message: str) -> None:
        super().__init__(message)
        self.sha256 = sha256


def _year(p: Prepared, report_year: int | None) -> int | None:
    y = report_year if report_year is not None else p.meta.get("report_year")
    return int(y) if y is not None else None


def key_of(p: Prepared, report_year: int | None = None) -> str:
    """The cache key of a prepared source."""
    return cache_key(
        p.sha256, report_year=_year(p, report_year), reader=p.reader, hints=hint_key(p.meta)
    )


def hint_key(meta: Mapping[str, Any]) -> str:
    """The manifest fields a document's rows depend on (region, publisher), for its cache key."""
    return "|".join(f"{k}={meta[k]}" for k in sorted(HINT_FIELDS) if meta.get(k) is not None)


#: Manifest fields that reach a document's rows (besides ``report_year``).
HINT_FIELDS = ("district", "region", "county", "city", "province", "publisher")


def extract_batch(
    prepared: list[Prepared],
    report_year: int | None = None,
    *,
    fail_fast: bool = False,
    max_bytes: int | None = None,
) -> BatchResult:
    """Extract every prepared source; a failing one goes to ``rejected`` with its reason."""
    res = BatchResult()
    for p in prepared:
        year = _year(p, report_year)
        try:
            doc = (
                read_snapshot(p.snapshot, report_year=year, hints=p.meta)
                if p.snapshot
                else ingest(
                    p.local,
                    report_year=year,
                    max_bytes=max_bytes,
                    html=p.reader == "html",
                    hints=p.meta,
                )
            )
            rows = PackedRows(rows_for(extract(doc)))
            heap.settle()
        except HepingError as exc:
            if fail_fast:
                raise
            res.rejected.append(_reject(p.path, p.sha256, str(exc)))
            res.stats["rejected"] += 1
            continue
        except Exception as exc:  # a bug on one report must not sink the corpus
            if fail_fast:
                raise
            reason = f"{p.path}: internal error {type(exc).__name__}: {exc}"
            res.rejected.append(_reject(p.path, p.sha256, reason))
            res.stats["rejected"] += 1
            continue
        res.rows.append(rows)
        res.texts[doc.doc_id] = doc.text
        res.sources[doc.doc_id] = {**p.meta, "path": p.path, "sha256": doc.sha256}
        res.stats["extracted"] += 1
    return res


def reuse_cached(
    prepared: list[Prepared], cache: DocCache, report_year: int | None = None
) -> tuple[BatchResult, list[Prepared]]:
    """Results of the sources found in the cache, and the sources still to extract."""
    hits, misses = BatchResult(), []
    for p in prepared:
        entry = cache.get(key_of(p, report_year))
        if entry is None:
            misses.append(p)
            continue
        rows = {name: [dict(r) for r in rs] for name, rs in entry.rows.items()}
        doc = rows["documents"][0]
        # The same bytes may come under another name than when they were cached.
        doc["source_path"] = p.path
        doc["file_name"] = _file_name(p.path)
        hits.rows.append(PackedRows(rows))
        hits.texts[doc["doc_id"]] = entry.text
        hits.sources[doc["doc_id"]] = {**p.meta, "path": p.path, "sha256": p.sha256}
        hits.stats["reused"] += 1
    return hits, misses


def store_cached(
    result: BatchResult,
    prepared: list[Prepared],
    cache: DocCache,
    report_year: int | None = None,
) -> int:
    """Put the freshly extracted documents of ``result`` into the cache; returns how many."""
    by_sha = {p.sha256: p for p in prepared}
    n = 0
    for rows in result.rows:
        doc = rows["documents"][0]
        p = by_sha.get(doc["sha256"])
        if p is None:
            continue
        entry = CacheEntry(rows=dict(rows.items()), text=result.texts[doc["doc_id"]])
        cache.put(key_of(p, report_year), entry)
        n += 1
    return n


def _file_name(path: str) -> str:
    if is_url(path):
        from heping_data.sources.fetch import url_file_name

        return url_file_name(path)
    return Path(path).name


def merge(results: Iterable[BatchResult]) -> BatchResult:
    """One result from many batches; a report seen twice (same bytes) is kept once, noted.

    Documents are taken in source-path order whatever batch (or cache) they came from, so
    which copy of a duplicate is kept never depends on scheduling.
    """
    out = BatchResult()
    items = []
    for r in results:
        for rows in r.rows:
            doc = rows["documents"][0]
            d = doc["doc_id"]
            # Two copies in one batch share ``r.sources[d]``: the row knows its own path.
            path = doc.get("source_path") or r.sources[d]["path"]
            items.append((path, rows, r.texts[d], {**r.sources[d], "path": path}))
        out.rejected.extend(r.rejected)
        for k, v in r.stats.items():
            out.stats[k] = out.stats.get(k, 0) + v
    for path, rows, text, source in sorted(items, key=lambda t: t[0]):
        d = rows["documents"][0]["doc_id"]
        if d in out.texts:
            first = out.sources[d]["path"]
            out.sources[d].setdefault("duplicates", []).append(path)
            out.rejected.append(
                _reject(
                    path,
                    rows["documents"][0]["sha256"],
                    f"{path}: same bytes as {first} (one document kept)",
                )
            )
            continue
        out.rows.append(rows)
        out.texts[d] = text
        out.sources[d] = dict(source)
    return out


def _sources_of(merged: BatchResult | Mapping[str, dict[str, Any]]) -> Mapping[str, dict[str, Any]]:
    return merged.sources if isinstance(merged, BatchResult) else merged


def corpus_digest(
    merged: BatchResult | Mapping[str, dict[str, Any]],
    params: Mapping[str, Any] | None = None,
) -> str:
    """A hash of everything that decides a release's bytes: the inputs' bytes and their
    provenance (paths, manifest entries), the run's parameters, the code, the schemas and
    every rule and registry data file.

    Why: it names a release, so the same name must never stand for different rows (a
    ``--report-year`` run, or a run with a manifest, used to replace a plain one under the
    same name); and the same inputs and parameters always give the same name.
    ``merged`` is a merged result or its ``sources`` (doc_id -> provenance with sha256).
    """
    sources = _sources_of(merged)
    h = hashlib.sha256()
    for d in sorted(sources):
        h.update(sources[d]["sha256"].encode())
        h.update(json.dumps(sources[d], sort_keys=True, default=str).encode())
    h.update(json.dumps(dict(params or {}), sort_keys=True, default=str).encode())
    h.update(__version__.encode())
    h.update(release_fingerprint().encode())
    return h.hexdigest()


def release_fingerprint() -> str:
    """A hash of every file of the package (code and ``data/``) and of ``schemas/``.

    Folders, not lists of names: a rule file or schema added later is covered at once.
    """
    from heping_data.tables.schema import _schema_files

    h = hashlib.sha256()
    for base in (Path(__file__).resolve().parents[1], _schema_files()):
        for f in sorted(base.rglob("*")):
            if f.is_file() and f.suffix != ".pyc" and "__pycache__" not in f.parts:
                h.update(f"{base.name}/{f.relative_to(base).as_posix()}".encode() + b"\0")
                h.update(f.read_bytes())
    return h.hexdigest()


def naming_params(
    report_year: int | None = None, quarantine: bool = False, strict: bool = False
) -> dict[str, Any]:
    """The run parameters that change rows, as the default version name hashes them.

    Why one function: the CLI, the flow and the seed-release test must name the same run
    the same way.
    """
    return {"report_year": report_year, "quarantine": quarantine, "strict": strict}


def release_info(
    merged: BatchResult | Mapping[str, dict[str, Any]],
    version: str | None = None,
    release_date: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> ReleaseInfo:
    """Release metadata; the date comes from the caller or the sources, never from the clock.

    ``params``: the run parameters that change rows (report year, quarantine); with the
    date they are part of the default version name.
    """
    sources_of = _sources_of(merged)
    if release_date == "now":
        import datetime as dt

        release_date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if release_date is None:
        dates = sorted(str(s["retrieved"]) for s in sources_of.values() if s.get("retrieved"))
        release_date = dates[-1] if dates else None
    sources = []
    for d in sorted(sources_of):
        s = sources_of[d]
        src = {"title": s.get("title") or Path(s["path"]).name, "path": s.get("url") or None}
        for k in (
            "district",
            "province",
            "publisher",
            "report_year",
            "licence",
            "retrieved",
            "sha256",
        ):
            if s.get(k) is not None:
                src[k] = s[k]
        src["doc_id"] = d
        sources.append(src)
    named = {**(params or {}), "created": release_date}
    return ReleaseInfo(
        version=version or f"{__version__}-{corpus_digest(merged, named)[:8]}",
        created=release_date,
        sources=tuple(sources),
    )


def frames_of(merged: BatchResult, *, consume: bool = False) -> dict[str, Any]:
    """The release's tables from a merged result.

    With ``consume`` the per-document rows are given up table by table as the frames are
    built (only the ``documents`` rows stay), so a corpus run never holds a table twice;
    ``merged.rows`` then cannot build frames again.
    """
    return build_from_rows(merged.rows, merged.rejected, consume=consume)


# --- The streamed corpus path: each batch becomes validated parts on disk ----------------


@dataclass
class StagedBatch:
    """What a batch task hands back: small records and counts; its rows wait in parts on disk.

    ``folder`` holds ``<table>.arrow`` parts and ``texts/``; when the workers share no disk
    with the flow (a remote Dask cluster) the files travel back in ``inline`` instead and
    :func:`land` writes them into the run's work folder.
    """

    index: int
    folder: str | None
    doc_ids: list[str] = field(default_factory=list)  # published documents, sorted
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_id -> provenance
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))
    counts: dict[str, int] = field(default_factory=dict)  # rows per table in the parts
    failures: list[dict[str, Any]] = field(default_factory=list)  # rows numbered in the batch
    quarantined: dict[str, int] = field(default_factory=dict)
    # failures that set a document aside or a row into quarantine (validation_report.csv)
    report: list[dict[str, Any]] = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0  # wall time of the batch's work (cache, extraction, staging)
    inline: dict[str, bytes] | None = None


#: Name of the quarantined rows' part of a table (the table's columns plus failed_check).
QUARANTINE_PREFIX = "quarantine-"


def stage_batch(
    result: BatchResult,
    index: int,
    work_dir: str | Path | None,
    *,
    quarantine: bool = False,
    strict: bool = False,
) -> StagedBatch:
    """Tables of one batch, validated, as Arrow parts plus texts in ``work_dir/<index>``.

    The batch's documents are checked on their own (pandera per table, foreign keys,
    offsets, text at offsets, tiling): every such rule is within one document, so a batch
    sees all it needs; what spans batches (key uniqueness) is :func:`check_run`'s. A
    document with a failing row is set aside whole into ``rejected``; with ``quarantine``
    only the failing rows are, into quarantine parts; with ``strict`` a failing batch
    writes nothing and reports its failures (the run then publishes nothing).
    ``work_dir`` None keeps the files in ``inline`` (no shared disk).
    """
    out = StagedBatch(
        index=index,
        folder=None,
        sources=dict(result.sources),
        rejected=list(result.rejected),
        stats=dict(result.stats),
    )
    if not result.rows:
        return out
    out.chars = sum(len(t) for t in result.texts.values())
    frames = frames_of(result)
    result.rows = []  # the frames hold every row now (a batch's rows, never the corpus')
    # the panel spans batches: built once from every part (StagedRun.parts), not here
    frames["indicator_panel"] = frames["indicator_panel"].iloc[0:0]
    frames, texts, qrows = _checked(out, frames, result.texts, quarantine, strict)
    out.counts = {name: len(frames[name]) for name in tables() if name not in PER_RUN}
    out.doc_ids = sorted(texts)
    if out.failures:
        return out
    _write_parts(out, frames, texts, qrows, work_dir)
    return out


def _checked(
    out: StagedBatch, frames: dict[str, Any], texts: dict[str, str], quarantine: bool, strict: bool
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """A batch's frames and texts once checked, and its quarantined rows by table.

    Failures are recorded in ``out``: with ``strict`` they stop the run; by default the
    documents with a failing row are set aside; with ``quarantine`` only those rows.
    """
    from heping_data.validate import checks as validate

    if quarantine:
        return _quarantined(out, frames, texts)
    if strict:
        out.failures = validate.validate(frames, texts)
        return frames, texts, {}
    frames, texts = _set_aside(out, frames, texts)
    return frames, texts, {}


def _quarantined(
    out: StagedBatch, frames: dict[str, Any], texts: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """The failing rows moved out of the frames, into quarantine (recorded in ``out``)."""
    from heping_data.errors import ValidationFailed
    from heping_data.validate import checks as validate

    try:
        q = validate.quarantine(frames, texts)
    except ValidationFailed as exc:  # not tied to a row: reported with the others
        out.failures = list(exc.failures)
        return frames, texts, {}
    out.quarantined = {k: len(v) for k, v in q.rows.items() if len(v)}
    out.report = [{**f, "outcome": "row quarantined"} for f in q.failures]
    return q.frames, q.texts, q.rows


def _write_parts(
    out: StagedBatch,
    frames: dict[str, Any],
    texts: dict[str, str],
    qrows: dict[str, Any],
    work_dir: str | Path | None,
) -> None:
    """Arrow parts and texts into ``work_dir/<index>``, or into ``out.inline`` (no work_dir)."""
    import shutil
    import tempfile

    from heping_data.tables.arrow import arrow_table

    inline = work_dir is None
    folder = (
        Path(tempfile.mkdtemp(prefix="heping-batch-"))
        if inline
        else Path(work_dir) / f"{out.index:06d}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    ts = tables()
    try:
        for name, t in ts.items():
            if name not in PER_RUN:
                write_part(folder, name, arrow_table(frames.pop(name), t))
        for name, df in sorted(qrows.items()):
            if len(df):
                write_part(folder, QUARANTINE_PREFIX + name, _quarantine_table(df, ts[name]))
        (folder / "texts").mkdir(exist_ok=True)
        for d in out.doc_ids:
            (folder / "texts" / f"{d}.txt").write_bytes(
                texts[d].encode("utf-8", errors="surrogatepass")
            )
        if inline:
            out.inline = {
                p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*"))
                if p.is_file()
            }
        else:
            out.folder = str(folder)
    finally:
        if inline:
            shutil.rmtree(folder, ignore_errors=True)


def _set_aside(
    out: StagedBatch, frames: dict[str, Any], texts: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Documents with a failing row go to ``out.rejected`` whole, their failures to the report."""
    from heping_data.validate import checks as validate

    sa = validate.set_aside_documents(frames, texts)
    out.failures = sa.failures
    for d, fails in sorted(sa.documents.items()):
        src = out.sources.pop(d, {})
        path = str(src.get("path") or d)
        n = len(fails)
        more = f"; and {n - 1} more failure(s)" if n > 1 else ""
        reason = (
            f"{path}: set aside, {n} validation failure(s): {validate.describe(fails[0])}{more}"
            " (all listed in .logs/validation_report.csv)"
        )
        out.rejected.append(_reject(path, src.get("sha256"), reason))
        out.stats["rejected"] = out.stats.get("rejected", 0) + 1
        out.report.extend({**f, "source_path": path, "outcome": "document rejected"} for f in fails)
    return sa.frames, sa.texts


def _quarantine_table(df: Any, table: Any) -> Any:
    import pyarrow as pa

    from heping_data.tables.arrow import arrow_table

    tbl = arrow_table(df, table)
    from heping_data.validate.checks import FAILED_CHECK

    return tbl.append_column(FAILED_CHECK, pa.array(df[FAILED_CHECK].tolist(), type=pa.string()))


def land(staged: StagedBatch, work_dir: str | Path) -> StagedBatch:
    """Write a batch's inline files into the run's work folder (flow side, one batch at a time)."""
    if staged.inline is None:
        return staged
    folder = Path(work_dir) / f"{staged.index:06d}"
    for rel, data in staged.inline.items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    staged.inline = None
    staged.folder = str(folder)
    return staged


def stage_prepared(
    prepared: list[Prepared],
    index: int,
    work_dir: str | Path | None,
    report_year: int | None = None,
    *,
    cache: DocCache | None = None,
    fail_fast: bool = False,
    max_bytes: int | None = None,
    quarantine: bool = False,
    strict: bool = False,
) -> StagedBatch:
    """Cache lookup, extraction, cache store, then :func:`stage_batch`: one batch task's work."""
    import time

    t0 = time.perf_counter()
    extracted = extract_prepared(
        prepared, report_year, cache=cache, fail_fast=fail_fast, max_bytes=max_bytes
    )
    out = stage_batch(extracted, index, work_dir, quarantine=quarantine, strict=strict)
    out.seconds = round(time.perf_counter() - t0, 4)
    return out


def extract_prepared(
    prepared: list[Prepared],
    report_year: int | None = None,
    *,
    cache: DocCache | None = None,
    fail_fast: bool = False,
    max_bytes: int | None = None,
) -> BatchResult:
    """A batch's per-document rows: reused from the cache, or extracted (and then cached)."""
    if cache is not None:
        hits, todo = reuse_cached(prepared, cache, report_year)
    else:
        hits, todo = BatchResult(), prepared
    fresh = extract_batch(todo, report_year, fail_fast=fail_fast, max_bytes=max_bytes)
    if cache is not None:
        store_cached(fresh, todo, cache, report_year)
    return merge([hits, fresh])


#: Automatic batch size: a run has at most this many batches (a few dozen task runs) …
MAX_AUTO_BATCHES = 16
#: … of at least this many documents (a task run costs ~14 ms in the flow, ~0.2 s on Dask) …
MIN_AUTO_BATCH = 25
#: … and at most this many, so that a batch's rows (alive in one worker) stay small
#: whatever the corpus size: memory flat as the corpus grows (a worker's RSS keeps the
#: high-water mark of its largest batch: ≈ 60 MB more at 250 small reports than at 63).
MAX_AUTO_BATCH = 100


def auto_batch_size(n: int, requested: int = 0) -> int:
    """``requested`` documents per batch, or (0 = auto) a size from the corpus size ``n``."""
    if requested > 0:
        return requested
    return min(MAX_AUTO_BATCH, max(MIN_AUTO_BATCH, -(-n // MAX_AUTO_BATCHES)))


def plan_batches(
    prepared: list[Prepared], size: int, *, by_bytes: bool = False
) -> tuple[list[list[Prepared]], list[dict[str, Any]]]:
    """Batches in document-id order, and the duplicates (same bytes) set aside.

    Why this order: a document's id is the head of its sha256, and the release lists rows
    by document id, so batches cut from the sources sorted by sha256 can be published one
    after the other. Of several files with the same bytes the first by path is kept, as
    :func:`merge` does. ``size`` documents a batch; with ``by_bytes`` the same number of
    batches is cut where the raw bytes add up to equal shares instead, so that parallel
    batches take about the same time when report sizes vary (2 KB news to 200 KB reports).
    """
    first: dict[str, Prepared] = {}
    dups = []
    for p in sorted(prepared, key=lambda p: p.path):
        key = p.sha256[:16]
        if key in first:
            dups.append(
                _reject(
                    p.path,
                    p.sha256,
                    f"{p.path}: same bytes as {first[key].path} (one document kept)",
                )
            )
            continue
        first[key] = p
    ordered = [first[k] for k in sorted(first)]
    size = max(1, size)
    if not by_bytes or len(ordered) <= size:
        return [ordered[i : i + size] for i in range(0, len(ordered), size)], dups
    return _cut_by_bytes(ordered, -(-len(ordered) // size)), dups


def source_bytes(p: Prepared) -> int:
    """Size of a source's raw bytes on local disk (1 when unknown: counts as a document)."""
    try:
        return max(1, os.stat(p.local).st_size)
    except OSError:
        return 1


def batch_bytes(batch: list[Prepared]) -> int:
    """Raw bytes of a batch: what its extraction time follows, more than its count."""
    return sum(source_bytes(p) for p in batch)


def _cut_by_bytes(ordered: list[Prepared], k: int) -> list[list[Prepared]]:
    """``k`` non-empty runs of ``ordered`` whose byte totals are as equal as cuts allow."""
    from itertools import pairwise

    sizes = [source_bytes(p) for p in ordered]
    total = sum(sizes)
    n = len(ordered)
    cuts = [0]
    acc = 0
    j = 1  # next cut to place, at j / k of the bytes
    for i, b in enumerate(sizes):
        if j >= k:
            break
        # a document goes to the batch holding most of it (its middle byte)
        if acc + b / 2 > j * total / k and i > cuts[-1]:
            cuts.append(i)
            j += 1
        acc += b
        # never leave fewer documents than batches still to fill
        while j < k and cuts[-1] <= i and n - (i + 1) <= k - j:
            cuts.append(i + 1)
            j += 1
    cuts.append(n)
    return [ordered[a:b] for a, b in pairwise(cuts) if b > a]


@dataclass
class StagedRun:
    """Every batch of a run in release order, with what publishing needs beside the parts."""

    batches: list[StagedBatch]
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def doc_ids(self) -> list[str]:
        return sorted(d for b in self.batches for d in b.doc_ids)

    @property
    def documents(self) -> int:
        return sum(len(b.doc_ids) for b in self.batches)

    @property
    def quarantined(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for b in self.batches:
            for k, v in b.quarantined.items():
                out[k] = out.get(k, 0) + v
        return out

    def report(self) -> list[dict[str, Any]]:
        """The failures that set documents or rows aside, batch by batch."""
        return [f for b in self.batches for f in b.report]

    def failures(self) -> list[dict[str, Any]]:
        """Every batch's failures, rows numbered as in the whole table (release order)."""
        out = []
        offset: dict[str, int] = {}
        for b in self.batches:
            for f in b.failures:
                g = dict(f)
                if g.get("row") is not None:
                    g["row"] = g["row"] + offset.get(g["table"], 0)
                out.append(g)
            for k, n in b.counts.items():
                offset[k] = offset.get(k, 0) + n
        return out

    def parts(self) -> ReleaseParts:
        """The run as parts for :func:`heping_data.release.publish.publish_parts`."""
        import pandas as pd

        # Every written batch, even one whose documents were all quarantined (its
        # quarantine parts are there; its table parts are empty).
        folders = [Path(b.folder) for b in self.batches if b.folder is not None]
        counts: dict[str, int] = {}
        for b in self.batches:
            if b.folder is None:
                continue
            for k, n in b.counts.items():
                counts[k] = counts.get(k, 0) + n
        quarantine: dict[str, Any] = {}
        ts = tables()
        for name in ts:
            pieces = [
                read_part(f, QUARANTINE_PREFIX + name).to_pandas()
                for f in folders
                if (f / f"{QUARANTINE_PREFIX}{name}.arrow").exists()
            ]
            if pieces:
                quarantine[name] = pd.concat(pieces, ignore_index=True)
        return ReleaseParts(
            folders=folders,
            doc_ids=self.doc_ids,
            counts=counts,
            rejected=rejected_frame(self.rejected),
            quarantine=quarantine,
            panel=panel_of_parts(folders),
        )


def collect(
    batches: Iterable[StagedBatch],
    rejected: Iterable[dict[str, Any]] = (),
    stats: Mapping[str, int] | None = None,
) -> StagedRun:
    """One run from its staged batches (any completion order), plus inputs refused earlier."""
    run = StagedRun(batches=sorted(batches, key=lambda b: b.index))
    run.rejected.extend(rejected)
    for k, v in (stats or {}).items():
        run.stats[k] = run.stats.get(k, 0) + v
    for b in run.batches:
        run.rejected.extend(b.rejected)
        for k, v in b.stats.items():
            run.stats[k] = run.stats.get(k, 0) + v
        run.sources.update(b.sources)
    return run


def check_run(run: StagedRun, parts: ReleaseParts | None = None) -> ReleaseParts:
    """Raise :class:`ValidationFailed` with every failure of every batch and the global checks.

    Global checks (what no batch can see): the ``rejected`` table, and primary keys unique
    across batches, read from the parts' key columns only. A key shared by two batches is
    not a row to set aside, so it raises even with quarantine. Returns the run's parts.
    """
    from heping_data.validate.checks import global_failures

    failures = run.failures()
    if failures:
        raise ValidationFailed(failures)
    parts = parts if parts is not None else run.parts()
    failures = global_failures(parts)
    if failures:
        raise ValidationFailed(failures)
    return parts


#: Columns of ``<output>/.logs/validation_report.csv``.
REPORT_COLUMNS = (
    "outcome",
    "source_path",
    "doc_id",
    "table",
    "row",
    "key",
    "column",
    "check",
    "value",
)


def stopped(failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Failures that stopped the run, marked so in the validation report."""
    return [{**f, "outcome": "run stopped"} for f in failures]


def validation_report_path(output: str | Path) -> Path:
    """Where a run writes its validation report: the output's log folder."""
    return Path(output) / ".logs" / "validation_report.csv"


def write_validation_report(output: str | Path, failures: list[dict[str, Any]]) -> Path | None:
    """Every validation failure of the run, one CSV row each (an older report is removed).

    Why a file: the console and the ``rejected`` reason show the first failure only; a
    maintainer fixing the rules needs all of them, by document, row and rule.
    """
    import csv
    import io

    from heping_data.files import write_atomic

    path = validation_report_path(output)
    if not failures:
        path.unlink(missing_ok=True)
        return None
    fh = io.StringIO(newline="")
    w = csv.DictWriter(fh, fieldnames=REPORT_COLUMNS, extrasaction="ignore")
    w.writeheader()
    for f in failures:
        w.writerow({k: "" if f.get(k) is None else f[k] for k in REPORT_COLUMNS})
    write_atomic(path, fh.getvalue(), suffix=".csv.tmp")
    # one record: the console prints its first line, the run log keeps the whole list
    lines = "\n".join(f"  {f.get('outcome')}: {_describe(f)}" for f in failures)
    log.info("%d validation failure(s), listed in %s:\n%s", len(failures), path, lines)
    return path


def _describe(f: dict[str, Any]) -> str:
    from heping_data.validate.checks import describe

    return describe(f)


def nothing_published(rejected: list[dict[str, Any]]) -> str:
    """The error of a run whose every input was rejected (no empty release replaces a good one)."""
    n = len(rejected)
    if not n:
        return (
            "nothing published: no input to read (an empty folder or an unmounted disk?); "
            "the published release is untouched (--allow-empty publishes an empty one)"
        )
    more = f" (and {n - 1} more)" if n > 1 else ""
    return f"nothing published: every input was rejected: {rejected[0]['reason']}{more}"
