"""A corpus run without orchestration: find sources, fetch, extract in batches, assemble a release.

The Prefect flows call these functions from coarse tasks; tests and benchmarks call them
directly. One bad report never stops the others: it is set aside with its reason (unless
the caller asks for fail-fast). Sources are local files or http(s) URLs named in a
``sources.yaml`` manifest; URL sources are snapshotted by :mod:`heping_data.fetch`, and
per-document results are reused from :mod:`heping_data.cache` when nothing that decides
them changed.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import __version__
from .cache import CacheEntry, DocCache, cache_key
from .errors import HepingError
from .fetch import FetchPolicy, Snapshot, fetch, read_snapshot, reader_of
from .ingest import default_max_bytes, default_max_inputs, ingest, is_sidecar, looks_like_html
from .pipeline import extract
from .publish import ReleaseInfo
from .schema import schema_version
from .tables import PackedRows, build_from_rows, rows_for

MANIFEST_NAMES = ("sources.yaml", "sources.yml")
DEFAULT_INPUT = Path(__file__).resolve().parents[2] / "input" / "000_696758e3d0fa223f.txt"
_GLOB_CHARS = frozenset("*?[")
STAT_KEYS = ("extracted", "reused", "fetched", "not_modified", "rejected")
log = logging.getLogger(__name__)


def is_url(path: str) -> bool:
    """An http(s) source rather than a local file."""
    return path.startswith(("http://", "https://"))


@dataclass(frozen=True)
class InputFile:
    """A report to read (local path or URL), with what the sources manifest says about it."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)


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


def _load_manifest(p: Path) -> list[dict[str, Any]]:
    try:
        data = (
            yaml.load(
                p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )
            or {}
        )
    except (OSError, yaml.YAMLError) as exc:
        raise HepingError(f"{p}: not a readable sources manifest: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources") or [], list):
        raise HepingError(f"{p}: a sources manifest needs a list under 'sources:'")
    out = []
    for i, s in enumerate(data.get("sources") or []):
        if not isinstance(s, dict) or not (s.get("path") or s.get("url")):
            raise HepingError(f"{p}: sources[{i}] needs a 'path' or a 'url'")
        if s.get("url"):
            url = str(s["url"])
            if not is_url(url):
                raise HepingError(f"{p}: sources[{i}]: url {url!r} is not http(s)")
        out.append(s)
    return out


def _manifest(folder: Path) -> tuple[dict[str, dict[str, Any]], list[InputFile]]:
    """Metadata by local path, and the URL sources, of a folder's manifest (if any)."""
    for name in MANIFEST_NAMES:
        p = folder / name
        if p.is_file():
            by_path, urls = {}, []
            for s in _load_manifest(p):
                if s.get("url"):
                    urls.append(InputFile(str(s["url"]), {**s, "url": str(s["url"])}))
                else:
                    by_path[os.path.normpath(folder / str(s["path"]))] = s
            return by_path, urls
    return {}, []


def _expand(raw: str | Path) -> list[Path]:
    s = str(raw)
    if not Path(s).exists() and _GLOB_CHARS & set(s):
        hits = sorted(glob.glob(s, recursive=True))
        if not hits:
            raise HepingError(f"{s}: the pattern matches no file")
        return [Path(h) for h in hits]
    p = Path(s)
    if not p.exists():
        raise HepingError(f"{p}: no such file or folder")
    return [p]


def display_path(p: str | Path) -> str:
    """The path as published: relative to the working directory when the file lies under it.

    Why: a release must not embed the machine's checkout path (a clone elsewhere rebuilds
    the same bytes); inputs outside the working directory keep the path the user gave.
    """
    s = str(p)
    if is_url(s) or not os.path.isabs(s):
        return s
    try:
        return Path(os.path.normpath(s)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return s


def discover(
    paths: Iterable[str | Path] | None,
    *,
    skipped: list[str] | None = None,
    max_inputs: int | None = None,
) -> list[InputFile]:
    """Sources named by ``paths`` (files, folders, glob patterns or manifests), sorted.

    Folders are walked without following symlinked folders (no loops); hidden files and
    folders, manifests and sidecar files (annotation CSVs, JSON, YAML, Markdown notes,
    code: ``sidecar_extensions`` of the ingest rules) are skipped and logged, and appended
    to ``skipped`` when given. Everything else is kept, binary or not, so that a file that
    is not a report is rejected with a reason rather than silently ignored. A folder's
    ``sources.yaml`` adds metadata to its files and contributes its URL sources. A
    manifest named directly contributes exactly the sources it lists. A path that does
    not exist is an error, not an empty corpus; more than ``max_inputs`` sources too.
    """
    found = _discover(paths, skipped if skipped is not None else [])
    limit = default_max_inputs() if max_inputs is None else max_inputs
    if len(found) > limit:
        raise HepingError(
            f"{len(found)} inputs exceed the limit of {limit} per run (raise it with --max-inputs)"
        )
    return found


def _discover(paths: Iterable[str | Path] | None, skipped: list[str]) -> list[InputFile]:
    paths = list(paths or [])
    if not paths:
        paths = [DEFAULT_INPUT]
    files: list[Path] = []
    urls: list[InputFile] = []
    listed: dict[str, dict[str, Any]] = {}
    walked: set[Path] = set()
    for raw in paths:
        if is_url(str(raw)):
            urls.append(InputFile(str(raw), {"url": str(raw)}))
            continue
        globbed = not Path(str(raw)).exists() and bool(_GLOB_CHARS & set(str(raw)))
        for p in _expand(raw):
            if globbed and p.is_file() and is_sidecar(p):
                _skip(skipped, p, "sidecar file, not a report")
                continue
            if p.is_dir():
                walked.add(p)
                for root, dirs, names in os.walk(p, followlinks=False):
                    keep = []
                    for d in sorted(dirs):
                        sub = Path(root) / d
                        if d.startswith(".") or sub.is_symlink():
                            _skip(
                                skipped,
                                sub,
                                "hidden folder"
                                if d.startswith(".")
                                else "symlinked folder (not followed)",
                            )
                        else:
                            keep.append(d)
                    dirs[:] = keep
                    walked.add(Path(root))
                    for n in sorted(names):
                        f = Path(root) / n
                        if n in MANIFEST_NAMES:
                            continue
                        if n.startswith("."):
                            _skip(skipped, f, "hidden file")
                            continue
                        if is_sidecar(n):
                            _skip(skipped, f, "sidecar file, not a report")
                            continue
                        # Dangling or looping symlinks are kept: reading them fails with
                        # a reason that lands in the rejected table.
                        files.append(f)
            elif p.name in MANIFEST_NAMES:
                for s in _load_manifest(p):
                    if s.get("url"):
                        urls.append(InputFile(str(s["url"]), {**s, "url": str(s["url"])}))
                    else:
                        f = p.parent / str(s["path"])
                        if not f.is_file():
                            raise HepingError(f"{p}: listed file {f} does not exist")
                        listed[os.path.normpath(f)] = s
                        files.append(f)
            else:
                files.append(p)
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    for folder in sorted(walked):
        meta, folder_urls = _manifest(folder)
        manifests[folder] = meta
        urls.extend(folder_urls)
    out: list[InputFile] = []
    seen: set[str] = set()
    for f in files:
        key = os.path.normpath(f)
        where = os.path.abspath(f)
        if where in seen:
            continue
        seen.add(where)
        if f.parent not in manifests:
            manifests[f.parent] = _manifest(f.parent)[0]
        meta = listed.get(key) or manifests[f.parent].get(key, {})
        out.append(InputFile(display_path(f), dict(meta)))
    for u in urls:
        if u.path not in seen:
            seen.add(u.path)
            out.append(u)
    return sorted(out, key=lambda i: i.path)


def _skip(skipped: list[str], path: Path, why: str) -> None:
    entry = f"{display_path(path)}: {why}"
    log.info("skipped %s", entry)
    skipped.append(entry)


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
                    sha, size, head = _sha256_file(inp.path)
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
    return cache_key(p.sha256, report_year=_year(p, report_year), reader=p.reader)


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
                read_snapshot(p.snapshot, report_year=year)
                if p.snapshot
                else ingest(p.local, report_year=year, max_bytes=max_bytes, html=p.reader == "html")
            )
            rows = PackedRows(rows_for(extract(doc)))
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
        from .fetch import url_file_name

        return url_file_name(path)
    return Path(path).name


def process_batch(
    inputs: list[InputFile],
    report_year: int | None = None,
    *,
    cache: DocCache | None = None,
    snapshot_dir: str | Path | None = None,
    policy: FetchPolicy | None = None,
    fail_fast: bool = False,
    max_bytes: int | None = None,
) -> BatchResult:
    """Prepare, reuse what the cache holds, extract the rest, and cache it: one batch."""
    prep = prepare_batch(
        inputs, snapshot_dir=snapshot_dir, policy=policy, fail_fast=fail_fast, max_bytes=max_bytes
    )
    if cache is not None:
        hits, todo = reuse_cached(prep.prepared, cache, report_year)
    else:
        hits, todo = BatchResult(), prep.prepared
    fresh = extract_batch(todo, report_year, fail_fast=fail_fast, max_bytes=max_bytes)
    if cache is not None:
        store_cached(fresh, todo, cache, report_year)
    out = merge([hits, fresh])
    out.rejected.extend(prep.rejected)
    for k, v in prep.stats.items():
        out.stats[k] += v
    return out


def run_corpus(
    paths: Iterable[str | Path] | None,
    report_year: int | None = None,
    *,
    batch_size: int = 25,
    cache: DocCache | None = None,
    snapshot_dir: str | Path | None = None,
    policy: FetchPolicy | None = None,
    fail_fast: bool = False,
    progress: Callable[[int], None] | None = None,
    max_bytes: int | None = None,
    max_inputs: int | None = None,
) -> BatchResult:
    """The whole corpus in one process (what the flow does, without Prefect)."""
    inputs = discover(paths, max_inputs=max_inputs)
    results = []
    for i in range(0, len(inputs), batch_size):
        batch = inputs[i : i + batch_size]
        results.append(
            process_batch(
                batch,
                report_year,
                cache=cache,
                snapshot_dir=snapshot_dir,
                policy=policy,
                fail_fast=fail_fast,
                max_bytes=max_bytes,
            )
        )
        if progress is not None:
            progress(len(batch))
    return merge(results)


def _sha256_file(path: str) -> tuple[str, int, bytes]:
    """sha256, size and first 512 bytes of a file, read in 1 MB chunks (bounded memory)."""
    h = hashlib.sha256()
    size, head = 0, b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            if not size:
                head = chunk[:512]
            size += len(chunk)
            h.update(chunk)
    return h.hexdigest(), size, head


def merge(results: Iterable[BatchResult]) -> BatchResult:
    """One result from many batches; a report seen twice (same bytes) is kept once, noted.

    Documents are taken in source-path order whatever batch (or cache) they came from, so
    which copy of a duplicate is kept never depends on scheduling.
    """
    out = BatchResult()
    items = []
    for r in results:
        for rows in r.rows:
            d = rows["documents"][0]["doc_id"]
            items.append((r.sources[d]["path"], rows, r.texts[d], r.sources[d]))
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


def corpus_digest(merged: BatchResult) -> str:
    """A hash of the inputs' bytes, the code and the schemas: names a release deterministically."""
    h = hashlib.sha256()
    for d in sorted(merged.texts):
        h.update(merged.sources[d]["sha256"].encode())
    h.update(__version__.encode())
    h.update(schema_version().encode())
    return h.hexdigest()


def release_info(
    merged: BatchResult, version: str | None = None, release_date: str | None = None
) -> ReleaseInfo:
    """Release metadata; the date comes from the caller or the sources, never from the clock."""
    if release_date == "now":
        import datetime as dt

        release_date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if release_date is None:
        dates = sorted(str(s["retrieved"]) for s in merged.sources.values() if s.get("retrieved"))
        release_date = dates[-1] if dates else None
    sources = []
    for d in sorted(merged.sources):
        s = merged.sources[d]
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
    return ReleaseInfo(
        version=version or f"{__version__}-{corpus_digest(merged)[:8]}",
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


def release_rows(merged: BatchResult) -> None:
    """Drop every per-document table but ``documents`` once the frames are built.

    Why: the rows cost about as much as the frames; a run that keeps both through
    validation and publishing needs twice the memory.
    """
    for rows in merged.rows:
        if isinstance(rows, PackedRows):
            for name in [n for n in rows._data if n != "documents"]:
                del rows._data[name]
