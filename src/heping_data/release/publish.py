"""Write a release folder atomically: built aside, checked, then moved into place.

Layout: ``<output>/releases/<version>/`` holding every table as Parquet and CSV, the
decoded texts, ``datapackage.json``, the data dictionary, a dataset README and
``SHA256SUMS``; ``<output>/latest`` is a symlink to the newest release. A failure at any
step leaves the previous release and ``latest`` exactly as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from heping_data import __version__
from heping_data.errors import HepingError
from heping_data.release.datasheet import dataset_readme
from heping_data.release.dictionary import dictionary_csv, dictionary_markdown
from heping_data.sources.digest import sha256_file
from heping_data.tables.arrow import TableWriter, arrow_table, plain_schema
from heping_data.tables.schema import Table, package_meta, schema_version, tables

_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
#: Document ids name files (texts/<doc_id>.txt): only content-addressed hex ids are written.
_DOC_ID_RE = re.compile(r"^[0-9a-f]{16}$")
#: File name ending of a batch's table part.
PART_SUFFIX = ".arrow"


@dataclass(frozen=True)
class ReleaseInfo:
    """What the release says about itself; nothing here comes from the clock."""

    version: str
    created: str | None = None  # ISO date or datetime, from an explicit date or the sources
    sources: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


class PublishLocked(HepingError):
    """Another run holds the output folder's lock."""


@contextlib.contextmanager
def output_lock(output: Path, wait: bool = True) -> Iterator[None]:
    """An exclusive lock on the output folder, so two runs never mix their releases."""
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise PublishLocked(f"{output}: another run is publishing here (lock held)") from exc
        yield
    finally:
        os.close(fd)


#: A run's work folder under the output: per-batch parts wait there until published.
WORK_PREFIX = ".work-"


@contextlib.contextmanager
def work_folder(output: str | Path) -> Iterator[Path]:
    """A fresh ``<output>/.work-*`` folder for a run's parts, removed when the run ends.

    The run holds a lock on it, so a later run can tell a crashed run's folder (lock free:
    removed) from a live one's. It lies under the output so that publishing links the
    texts instead of copying them (same file system).
    """
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_work(out)
    tmp = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out))
    fd = os.open(tmp / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
    finally:
        os.close(fd)
        shutil.rmtree(tmp, ignore_errors=True)


def remove_stale_work(out: Path, min_age_s: float = 3600.0) -> None:
    """Remove the work folders of runs that died (nobody holds their lock)."""
    import time

    for w in out.glob(f"{WORK_PREFIX}*"):
        try:
            fd = os.open(w / ".lock", os.O_RDWR)
        except OSError:
            # No lock yet: a run is creating it right now, unless it is old.
            with contextlib.suppress(OSError):
                if time.time() - w.stat().st_mtime > min_age_s:
                    shutil.rmtree(w, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live run
        finally:
            os.close(fd)
        shutil.rmtree(w, ignore_errors=True)


def _table_schema(t: Table) -> dict[str, Any]:
    fields = []
    for c in t.columns:
        f: dict[str, Any] = {
            "name": c.name,
            "type": c.type,
            "title": c.title_en,
            "description": c.description_en,
            "x-title-zh": c.title_zh,
            "x-description-zh": c.description_zh,
        }
        if c.unit:
            f["unit"] = c.unit
        cons: dict[str, Any] = {}
        if not c.nullable:
            cons["required"] = True
        if c.unique and tuple(t.primary_key) != (c.name,):
            cons["unique"] = True
        if c.enum is not None:
            cons["enum"] = list(c.enum)
        if c.pattern:
            cons["pattern"] = c.pattern
        if c.minimum is not None:
            cons["minimum"] = c.minimum
        if c.maximum is not None:
            cons["maximum"] = c.maximum
        if cons:
            f["constraints"] = cons
        if c.type == "boolean":
            f["trueValues"] = ["true"]
            f["falseValues"] = ["false"]
        fields.append(f)
    schema: dict[str, Any] = {
        "fields": fields,
        "primaryKey": list(t.primary_key),
        "missingValues": [""],
    }
    fks = []
    for fk in t.foreign_keys:
        ref = {"fields": list(fk.ref_fields)}
        if fk.resource != t.name:
            ref["resource"] = fk.resource
        fks.append({"fields": list(fk.fields), "reference": ref})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _file_resource(folder: Path, rel: str, **kw: Any) -> dict[str, Any]:
    p = folder / rel
    return {"path": rel, "bytes": p.stat().st_size, "hash": f"sha256:{sha256_file(p)}", **kw}


def datapackage(
    folder: Path, frames: dict[str, pd.DataFrame], info: ReleaseInfo, doc_ids: list[str]
) -> dict[str, Any]:
    """The Frictionless Data Package v2 descriptor of a built release folder."""
    meta = package_meta()
    resources = []
    for t in tables().values():
        resources.append(
            _file_resource(
                folder,
                f"{t.name}.csv",
                name=t.name,
                type="table",
                title=t.title_en,
                description=t.description_en,
                **{"x-title-zh": t.title_zh, "x-description-zh": t.description_zh},
                format="csv",
                mediatype="text/csv",
                encoding="utf-8",
                dialect={"delimiter": ",", "header": True, "lineTerminator": "\n"},
                schema=_table_schema(t),
            )
        )
        # The same table as Parquet: its own resource so portals list it and frictionless
        # checks its bytes and hash; typed "file" because its schema lives in the file itself.
        resources.append(
            _file_resource(
                folder,
                f"{t.name}.parquet",
                name=f"{t.name}-parquet",
                type="file",
                title=f"{t.title_en} (Parquet)",
                description=(
                    f"The {t.name} table as zstd Parquet with nullable types, dictionary-encoded "
                    "allowed-value columns and column descriptions in the field metadata; same "
                    f"schema as the {t.name} resource."
                ),
                **{"x-title-zh": f"{t.title_zh}（Parquet）", "x-table": t.name},
                format="parquet",
                mediatype="application/vnd.apache.parquet",
            )
        )
    for d in doc_ids:
        resources.append(
            _file_resource(
                folder,
                f"texts/{d}.txt",
                name=f"text-{d}",
                title=f"Decoded text of document {d}",
                description="The report's text exactly as decoded; every offset in the tables points into it.",
                format="txt",
                mediatype="text/plain",
                encoding="utf-8",
            )
        )
    qdir = folder / "quarantine"
    if qdir.is_dir():
        for q in sorted(qdir.glob("*.csv")):
            resources.append(
                _file_resource(
                    folder,
                    f"quarantine/{q.name}",
                    name=f"quarantine-{q.stem.replace('_', '-')}",
                    title=f"Rows of {q.stem} that failed validation",
                    description=(
                        f"Rows of the {q.stem} table set aside because they broke a schema "
                        "rule (or pointed at a row that did); the failed checks are in the "
                        "failed_check column. Not part of the published table."
                    ),
                    format="csv",
                    mediatype="text/csv",
                    encoding="utf-8",
                )
            )
    for rel, mt in (
        ("DATA_DICTIONARY.md", "text/markdown"),
        ("README.md", "text/markdown"),
        ("data_dictionary.csv", "text/csv"),
    ):
        if (folder / rel).exists():
            name = rel.lower().replace(".", "-").replace("_", "-")
            resources.append(
                _file_resource(
                    folder,
                    rel,
                    name=name,
                    format=rel.rsplit(".", 1)[1],
                    mediatype=mt,
                    encoding="utf-8",
                )
            )
    pkg: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"],
        "title": meta["title"]["en"],
        "x-title-zh": meta["title"]["zh"],
        "description": meta["description"]["en"],
        "x-description-zh": meta["description"]["zh"],
        "version": info.version,
        "keywords": meta.get("keywords", []),
        "licenses": meta["licenses"],
        "x-source-licence-note": meta["source_licence_note"]["en"],
        "contributors": meta["contributors"],
        "sources": [
            {
                k: v
                for k, v in s.items()
                if v is not None and k in ("title", "path", "email", "version")
            }
            | {
                "x-" + k: v
                for k, v in s.items()
                if v is not None and k not in ("title", "path", "email", "version")
            }
            for s in info.sources
        ],
        "x-schema-version": schema_version(),
        "x-code-version": __version__,
        "resources": resources,
    }
    if info.created:
        pkg["created"] = info.created if "T" in info.created else f"{info.created}T00:00:00Z"
    pkg.update({f"x-{k}": v for k, v in info.extra.items()})
    return pkg


def _sha256sums(folder: Path) -> bytes:
    lines = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "SHA256SUMS":
            lines.append(f"{sha256_file(p)}  {p.relative_to(folder).as_posix()}\n")
    return "".join(lines).encode()


def check_doc_ids(doc_ids: list[str]) -> None:
    """Refuse a document id that is not a content hash: it becomes a file name."""
    bad = [d for d in doc_ids if not isinstance(d, str) or not _DOC_ID_RE.match(d)]
    if bad:
        raise HepingError(
            f"document id {bad[0]!r} is not 16 lowercase hex digits; refusing to write it as a file"
        )


def _write_quarantine(folder: Path, rows: dict[str, pd.DataFrame]) -> None:
    """quarantine/<table>.csv: the table's columns plus failed_check, cells made inert like the tables."""
    import csv
    import io

    from heping_data.tables.arrow import _cell

    qdir = folder / "quarantine"
    qdir.mkdir()
    known = tables()
    for name, df in sorted(rows.items()):
        if name not in known or df.empty:
            continue
        t = known[name]
        cols = [(c.name, c.type) for c in t.columns] + [("failed_check", "string")]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow([c for c, _ in cols])
        values = [(df[c].tolist() if c in df else [None] * len(df), typ) for c, typ in cols]
        for i in range(len(df)):
            w.writerow([_cell(vals[i], typ) for vals, typ in values])
        (qdir / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_part(folder: Path, name: str, tbl: pa.Table) -> None:
    """One table's rows of a batch as an Arrow IPC file (uncompressed: read back memory-mapped).

    Written aside and renamed into place: a reader still mapping the old file keeps it.
    """
    path = folder / f"{name}{PART_SUFFIX}"
    tmp = folder / f".{name}{PART_SUFFIX}.tmp"
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, tbl.schema) as w:
        w.write_table(tbl)
    os.replace(tmp, path)


def read_part(folder: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """A batch's rows of one table (memory-mapped: only the columns read are paged in)."""
    with pa.memory_map(str(folder / f"{name}{PART_SUFFIX}")) as src:
        tbl = pa.ipc.open_file(src).read_all()
    return tbl.select(columns) if columns is not None else tbl


@dataclass
class ReleaseParts:
    """A release whose rows wait in per-batch parts on disk, in release order.

    Each folder holds ``<table>.arrow`` (plain-typed Arrow IPC, rows of the batch's
    documents sorted by doc_id) and ``texts/<doc_id>.txt``; the batches themselves are in
    doc_id order, so reading the folders in order gives the release's row order.
    """

    folders: list[Path]
    doc_ids: list[str]
    counts: dict[str, int]
    rejected: pd.DataFrame
    quarantine: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: :func:`summary_frames` of these parts, once built (publishing and the flow's
    #: figures both read them).
    summary: dict[str, pd.DataFrame] | None = None
    #: The run's ``indicator_panel`` (built across batches from indicator_values).
    panel: pd.DataFrame | None = None


#: Columns the release's README, landing page and data dictionary read beyond row counts
#: and each column's first value; every other column of a summary frame only carries that
#: first value (see :func:`summary_frames`). A byte-comparison test of the in-memory and
#: the streamed release guards this list.
SUMMARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "numeric_facts": ("section_id", "unit", "is_masked", "kind"),
    "sections": ("doc_id", "section_id", "heading", "numbering"),
    "number_mentions": ("class",),
    "entity_summary": ("entity_key",),
}
#: Tables kept whole in the summary frames (one row per document or per rejected input).
SUMMARY_WHOLE = frozenset({"documents", "rejected", "indicator_panel"})


#: Arrow type -> the pandas dtype the frames use (no Python object per value on the way).
_PANDAS_OF: dict[pa.DataType, Any] = {
    pa.string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def _pandas_column(arr: pa.ChunkedArray, dtype: str) -> Any:
    col = arr.to_pandas(types_mapper=_PANDAS_OF.get)
    return col.array if str(col.dtype) == dtype else pd.array(arr.to_pylist(), dtype=dtype)


def _example_column(n: int, value: Any) -> Any:
    """``n`` rows holding ``value`` in the first and missing values after it, stored sparse.

    Why: the dictionary only shows a column's first value; a dense column of missing
    values would cost a byte or more a row for every column of every table.
    """
    values = np.array([] if value is None or n == 0 else [value], dtype=object)
    return pd.arrays.SparseArray.from_indices(
        values, np.arange(len(values), dtype=np.int32), n, fill_value=np.nan, dtype=object
    )


def summary_frames(parts: ReleaseParts) -> dict[str, pd.DataFrame]:
    """Frames that answer what the release's documents read, without every row in memory.

    Each has the table's row count and columns; ``documents`` and ``rejected`` are whole,
    the :data:`SUMMARY_COLUMNS` are whole, and every other column holds only its first
    non-missing value (what the data dictionary shows as the example).
    """
    if parts.summary is not None:
        return parts.summary
    out: dict[str, pd.DataFrame] = {}
    for name, t in tables().items():
        if name == "rejected":
            out[name] = parts.rejected
            continue
        if name == "indicator_panel":
            out[name] = _panel(parts)
            continue
        whole = t.column_names if name in SUMMARY_WHOLE else list(SUMMARY_COLUMNS.get(name, ()))
        n = parts.counts.get(name, 0)
        pieces: dict[str, list[pa.Array]] = {c: [] for c in whole}
        first: dict[str, Any] = {}
        for f in parts.folders:
            tbl = read_part(f, name)
            for c in whole:
                # copied out: a slice of the mapped part would keep all of it mapped
                chunks = tbl.column(c).chunks
                if chunks:
                    pieces[c].append(pa.concat_arrays(chunks))
            for c in t.column_names:
                if c not in first and c not in whole and tbl.column(c).null_count < tbl.num_rows:
                    first[c] = tbl.column(c).drop_null()[0].as_py()
            del tbl
        data: dict[str, Any] = {}
        for c in t.columns:
            if c.name in pieces:
                arr = pa.chunked_array(pieces.pop(c.name), type=_plain_type(t, c.name))
                data[c.name] = _pandas_column(arr, c.pandas_dtype)
                del arr
            else:
                data[c.name] = _example_column(n, first.get(c.name))
        out[name] = pd.DataFrame(data, columns=t.column_names, index=pd.RangeIndex(n))
    parts.summary = out
    return out


def _panel(parts: ReleaseParts) -> pd.DataFrame:
    """The parts' panel (an empty one for parts made without it)."""
    if parts.panel is None:
        from heping_data.run.corpus import panel_of_parts

        parts.panel = panel_of_parts(parts.folders)
    return parts.panel


def _plain_type(t: Table, col: str) -> pa.DataType:
    return plain_schema(t).field(col).type


def _write_tables(folder: Path, version: str, parts_of: Any) -> dict[str, int]:
    """Every table through a :class:`TableWriter`; ``parts_of(name)`` yields its parts in order."""
    counts = {}
    for name, t in tables().items():
        w = TableWriter(t, folder, version)
        try:
            for part in parts_of(name):
                w.write(part)
        except BaseException:
            w.abort()
            raise
        w.close()
        counts[name] = w.rows
    return counts


def release_memory() -> None:
    """Give freed memory back to the system (Arrow's pool, then glibc's free pages).

    Why: streaming a table frees its buffers, but the allocators keep them for reuse;
    the next step then adds its own on top and the peak grows by what was kept.
    """
    pa.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _write_texts(folder: Path, doc_ids: list[str], texts: dict[str, str]) -> None:
    (folder / "texts").mkdir()
    for d in doc_ids:
        (folder / "texts" / f"{d}.txt").write_bytes(
            texts[d].encode("utf-8", errors="surrogatepass")
        )


def _write_docs(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    info: ReleaseInfo,
    doc_ids: list[str],
    quarantine: dict[str, pd.DataFrame] | None,
) -> None:
    """Quarantine files, dictionary, README, datapackage, landing page and SHA256SUMS."""
    if quarantine and any(not df.empty for df in quarantine.values()):
        _write_quarantine(folder, quarantine)
    (folder / "DATA_DICTIONARY.md").write_text(
        dictionary_markdown(frames, info.version), encoding="utf-8"
    )
    (folder / "data_dictionary.csv").write_bytes(dictionary_csv(frames))
    (folder / "README.md").write_text(dataset_readme(frames, info), encoding="utf-8")
    pkg = datapackage(folder, frames, info, doc_ids)
    (folder / "datapackage.json").write_text(
        json.dumps(pkg, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    try:
        from heping_data.release.landing import landing_page
    except ImportError:  # the landing page is optional until it exists
        landing_page = None
    if landing_page is not None:
        (folder / "index.html").write_text(landing_page(frames, info, pkg), encoding="utf-8")
    (folder / "SHA256SUMS").write_bytes(_sha256sums(folder))


def build_release(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str],
    info: ReleaseInfo,
    *,
    quarantine: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write every file of a release into an empty folder, from frames held in memory."""
    doc_ids = sorted(texts)
    check_doc_ids(doc_ids)
    ts = tables()
    _write_tables(folder, info.version, lambda name: [arrow_table(frames[name], ts[name])])
    _write_texts(folder, doc_ids, texts)
    _write_docs(folder, frames, info, doc_ids, quarantine)


def _link_or_copy(src: Path, dst: Path) -> None:
    """A hard link when the part lies on the same file system (no copy), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def build_release_from_parts(folder: Path, parts: ReleaseParts, info: ReleaseInfo) -> None:
    """Write every file of a release into an empty folder, streaming the parts batch by batch."""
    check_doc_ids(parts.doc_ids)
    ts = tables()

    def parts_of(name: str) -> Iterator[pa.Table]:
        if name == "rejected":
            yield arrow_table(parts.rejected, ts[name])
            return
        if name == "indicator_panel":
            yield arrow_table(_panel(parts), ts[name])
            return
        for f in parts.folders:
            yield read_part(f, name)

    written = _write_tables(folder, info.version, parts_of)
    release_memory()  # the row groups' buffers, before the summary frames are built
    for name, n in parts.counts.items():
        if written.get(name) != n:
            raise HepingError(f"{name}: the parts hold {written.get(name)} rows, expected {n}")
    (folder / "texts").mkdir()
    want = set(parts.doc_ids)
    for f in parts.folders:
        tdir = f / "texts"
        for p in sorted(tdir.iterdir()) if tdir.is_dir() else []:
            if p.stem in want:
                _link_or_copy(p, folder / "texts" / p.name)
                want.discard(p.stem)
    if want:
        raise HepingError(f"no text for document(s) {sorted(want)[:3]} in the parts")
    _write_docs(folder, summary_frames(parts), info, parts.doc_ids, parts.quarantine)


def _check_release(folder: Path, counts: dict[str, int]) -> None:
    """Re-read what was written before it is moved into place."""
    import pyarrow.parquet as pq

    for name in tables():
        n = pq.read_metadata(folder / f"{name}.parquet").num_rows
        if n != counts[name]:
            raise HepingError(f"{folder / name}.parquet: wrote {n} rows, expected {counts[name]}")
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split("  ", 1)
        if sha256_file(folder / rel) != digest:
            raise HepingError(f"{folder / rel}: checksum mismatch after writing")


def _fsync_tree(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            with p.open("rb") as f:
                os.fsync(f.fileno())
    for d in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if fn is None or fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        err = ctypes.get_errno() if fn is not None else 0
        raise HepingError(f"{b}: cannot replace the existing release atomically (errno {err})")


def _link_top_level(out: Path, release: Path) -> None:
    """Make ``<output>/<name>`` a symlink to ``latest/<name>`` for every file of a release.

    Tools that take "the output folder" (``frictionless validate output/datapackage.json``,
    scorers, ``pd.read_parquet("output/numeric_facts.parquet")``) then always read the
    newest release. The links go through ``latest``, so they never change after creation;
    a stale link (a file the newest release no longer has) is removed. Regular files that
    a user put there are never touched.
    """
    names = {p.name for p in release.iterdir()}
    for entry in out.iterdir():
        if entry.name.startswith(".") or entry.name in ("latest", "releases"):
            continue
        target = os.readlink(entry) if entry.is_symlink() else None
        if target is not None and target.startswith("latest/") and entry.name not in names:
            entry.unlink()
    for name in sorted(names):
        link = out / name
        want = f"latest/{name}"
        if link.is_symlink():
            if os.readlink(link) == want:
                continue
            link.unlink()
        elif link.exists():
            continue
        tmp = out / f".link-{name}-{os.getpid()}"
        if tmp.is_symlink():
            tmp.unlink()
        os.symlink(want, tmp)
        os.replace(tmp, link)


def publish(
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str],
    output: str | Path,
    info: ReleaseInfo,
    *,
    wait_for_lock: bool = True,
    quarantine: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Build the release aside, check it, move it into ``releases/<version>`` and point ``latest`` at it.

    ``quarantine`` holds rows set aside by :func:`heping_data.validate.checks.checks.quarantine`; they are
    written to ``quarantine/<table>.csv`` inside the release.
    """
    counts = {name: len(frames[name]) for name in tables()}
    return _publish(
        output,
        info,
        lambda tmp: build_release(tmp, frames, texts, info, quarantine=quarantine),
        counts,
        wait_for_lock,
    )


def publish_parts(
    parts: ReleaseParts, output: str | Path, info: ReleaseInfo, *, wait_for_lock: bool = True
) -> Path:
    """Like :func:`publish`, from per-batch parts: the rows are streamed, never all in memory."""
    counts = {name: parts.counts.get(name, 0) for name in tables()}
    counts["rejected"] = len(parts.rejected)
    counts["indicator_panel"] = len(_panel(parts))
    return _publish(
        output, info, lambda tmp: build_release_from_parts(tmp, parts, info), counts, wait_for_lock
    )


def _publish(
    output: str | Path,
    info: ReleaseInfo,
    build: Callable[[Path], None],
    counts: dict[str, int],
    wait_for_lock: bool,
) -> Path:
    if not _VERSION_RE.match(info.version):
        raise HepingError(
            f"release version {info.version!r}: use letters, digits, '.', '_', '+', '-' only"
        )
    out = Path(output)
    releases = out / "releases"
    with output_lock(out, wait=wait_for_lock):
        releases.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(".building-*"):
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".building-{info.version}-", dir=out))
        try:
            build(tmp)
            _check_release(tmp, counts)
            os.chmod(tmp, 0o755)
            _fsync_tree(tmp)
            final = releases / info.version
            old = None
            if final.exists():
                # Swap atomically: at every instant releases/<version> is a complete release.
                _exchange(tmp, final)
                old = tmp
            else:
                os.rename(tmp, final)
            link_tmp = out / f".latest-{os.getpid()}"
            if link_tmp.is_symlink() or link_tmp.exists():
                link_tmp.unlink()
            os.symlink(Path("releases") / info.version, link_tmp)
            os.replace(link_tmp, out / "latest")
            _link_top_level(out, final)
            dfd = os.open(out, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return final
