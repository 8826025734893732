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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from heping_data.errors import HepingError
from heping_data.release.datapackage import datapackage
from heping_data.release.datasheet import dataset_readme
from heping_data.release.dictionary import dictionary_csv, dictionary_markdown
from heping_data.release.landing import landing_page
from heping_data.release.model import (
    PART_SUFFIX,
    ReleaseInfo,
    ReleaseParts,
    panel_of_parts,
    read_part,
    write_part,
)
from heping_data.sources.digest import sha256_file
from heping_data.tables.arrow import TableWriter, arrow_table, plain_schema
from heping_data.tables.schema import Table, tables

__all__ = [
    "PART_SUFFIX",
    "PublishLocked",
    "ReleaseInfo",
    "ReleaseParts",
    "build_release",
    "build_release_from_parts",
    "datapackage",
    "output_lock",
    "publish",
    "publish_parts",
    "read_part",
    "remove_stale_work",
    "sha256_file",
    "summary_frames",
    "work_folder",
    "write_part",
]

_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
#: Document ids name files (texts/<doc_id>.txt): only content-addressed hex ids are written.
_DOC_ID_RE = re.compile(r"^[0-9a-f]{16}$")


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


def __getattr__(name: str) -> Any:
    """``SUMMARY_COLUMNS`` and ``SUMMARY_WHOLE``, as the schemas declare them.

    ``SUMMARY_COLUMNS``: per table, the columns the release's README, landing page and
    data dictionary read beyond row counts and each column's first value (``summary:
    true`` in the schema); ``SUMMARY_WHOLE``: tables kept whole (``summary: whole``, or of
    the whole run). A byte-comparison test of the in-memory and the streamed release
    guards these declarations.
    """
    if name == "SUMMARY_COLUMNS":
        return {
            t.name: t.summary_columns
            for t in tables().values()
            if t.summary_columns and not t.summary_whole
        }
    if name == "SUMMARY_WHOLE":
        return frozenset(t.name for t in tables().values() if t.summary_whole or t.scope == "run")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        if t.scope == "run":
            out[name] = _run_frame(parts, t)
            continue
        whole = list(t.summary_columns)
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


def _run_frame(parts: ReleaseParts, t: Table) -> pd.DataFrame:
    """The rows of a table of the whole run (``scope: run``)."""
    if t.role == "rejected":
        return parts.rejected
    if t.role == "panel":
        return _panel(parts)
    raise HepingError(f"{t.name}: no rows for a run-wide table of role {t.role!r}")


def _panel(parts: ReleaseParts) -> pd.DataFrame:
    """The parts' panel (an empty one for parts made without it)."""
    if parts.panel is None:
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
        if ts[name].scope == "run":
            yield arrow_table(_run_frame(parts, ts[name]), ts[name])
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
    counts = {
        name: len(_run_frame(parts, t)) if t.scope == "run" else parts.counts.get(name, 0)
        for name, t in tables().items()
    }
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
