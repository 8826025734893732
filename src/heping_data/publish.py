"""Write a release folder atomically: built aside, checked, then moved into place.

Layout: ``<output>/releases/<version>/`` holding every table as Parquet and CSV, the
decoded texts, ``datapackage.json``, the data dictionary, a dataset README and
``SHA256SUMS``; ``<output>/latest`` is a symlink to the newest release. A failure at any
step leaves the previous release and ``latest`` exactly as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .arrow import write_csv, write_parquet
from .datasheet import dataset_readme
from .dictionary import dictionary_csv, dictionary_markdown
from .errors import HepingError
from .schema import Table, package_meta, schema_version, tables

_VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
#: Document ids name files (texts/<doc_id>.txt): only content-addressed hex ids are written.
_DOC_ID_RE = re.compile(r"^[0-9a-f]{16}$")


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


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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

    from .arrow import _cell

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


def build_release(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    texts: dict[str, str],
    info: ReleaseInfo,
    *,
    quarantine: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write every file of a release into an empty folder."""
    doc_ids = sorted(texts)
    check_doc_ids(doc_ids)
    for name, t in tables().items():
        write_parquet(frames[name], t, folder / f"{name}.parquet", info.version)
        write_csv(frames[name], t, folder / f"{name}.csv")
    if quarantine and any(not df.empty for df in quarantine.values()):
        _write_quarantine(folder, quarantine)
    (folder / "texts").mkdir()
    for d in doc_ids:
        (folder / "texts" / f"{d}.txt").write_bytes(
            texts[d].encode("utf-8", errors="surrogatepass")
        )
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
        from .landing import landing_page
    except ImportError:  # the landing page is optional until it exists
        landing_page = None
    if landing_page is not None:
        (folder / "index.html").write_text(landing_page(frames, info, pkg), encoding="utf-8")
    (folder / "SHA256SUMS").write_bytes(_sha256sums(folder))


def _check_release(folder: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Re-read what was written before it is moved into place."""
    import pyarrow.parquet as pq

    for name in tables():
        n = pq.read_metadata(folder / f"{name}.parquet").num_rows
        if n != len(frames[name]):
            raise HepingError(
                f"{folder / name}.parquet: wrote {n} rows, expected {len(frames[name])}"
            )
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

    ``quarantine`` holds rows set aside by :func:`heping_data.validate.quarantine`; they are
    written to ``quarantine/<table>.csv`` inside the release.
    """
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
            build_release(tmp, frames, texts, info, quarantine=quarantine)
            _check_release(tmp, frames)
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
