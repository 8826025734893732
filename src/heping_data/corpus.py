"""A corpus run without orchestration: find inputs, extract them in batches, assemble a release.

The Prefect flows call these functions from coarse tasks; tests and benchmarks call them
directly. One bad report never stops the others: it is set aside with its reason.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import __version__
from .errors import HepingError
from .ingest import ingest
from .pipeline import extract
from .publish import ReleaseInfo
from .schema import schema_version
from .tables import build_from_rows, rows_for

MANIFEST_NAMES = ("sources.yaml", "sources.yml")
DEFAULT_INPUT = Path(__file__).resolve().parents[2] / "input" / "000_696758e3d0fa223f.txt"


@dataclass(frozen=True)
class InputFile:
    """A report to read, with what its folder's sources manifest says about it."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchResult:
    """Per-document rows and texts of a batch, plus the inputs set aside."""

    rows: list[dict[str, list[dict[str, Any]]]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_id -> provenance


def _manifest(folder: Path) -> dict[str, dict[str, Any]]:
    for name in MANIFEST_NAMES:
        p = folder / name
        if p.is_file():
            try:
                data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise HepingError(f"{p}: not a readable sources manifest: {exc}") from exc
            out = {}
            for s in data.get("sources") or []:
                if isinstance(s, dict) and s.get("path"):
                    out[os.path.normpath(folder / str(s["path"]))] = s
            return out
    return {}


def discover(paths: list[str | Path] | None) -> list[InputFile]:
    """Report files named by ``paths`` (files or folders), sorted, with manifest metadata.

    Folders are walked without following symlinked folders (no loops); hidden files and
    manifests are skipped. A path that does not exist is an error, not an empty corpus.
    """
    if not paths:
        paths = [DEFAULT_INPUT]
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise HepingError(f"{p}: no such file or folder")
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for n in sorted(names):
                    f = Path(root) / n
                    if (
                        n.startswith(".")
                        or n in MANIFEST_NAMES
                        or (f.is_symlink() and not f.exists())
                    ):
                        continue
                    files.append(f)
        else:
            files.append(p)
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    out, seen = [], set()
    for f in files:
        key = os.path.normpath(f)
        if key in seen:
            continue
        seen.add(key)
        folder = f.parent
        if folder not in manifests:
            manifests[folder] = _manifest(folder)
        out.append(InputFile(str(f), dict(manifests[folder].get(key, {}))))
    return sorted(out, key=lambda i: i.path)


def process_batch(inputs: list[InputFile], report_year: int | None = None) -> BatchResult:
    """Extract every input of a batch; a failing input goes to ``rejected`` with its reason."""
    res = BatchResult()
    for inp in inputs:
        year = report_year if report_year is not None else inp.meta.get("report_year")
        try:
            doc = ingest(inp.path, report_year=year)
            ex = extract(doc)
            rows = rows_for(ex)
        except HepingError as exc:
            res.rejected.append(
                {"source_path": inp.path, "sha256": _sha_or_none(inp.path), "reason": str(exc)}
            )
            continue
        except Exception as exc:  # a bug on one report must not sink the corpus
            res.rejected.append(
                {
                    "source_path": inp.path,
                    "sha256": _sha_or_none(inp.path),
                    "reason": f"{inp.path}: internal error {type(exc).__name__}: {exc}",
                }
            )
            continue
        res.rows.append(rows)
        res.texts[doc.doc_id] = doc.text
        res.sources[doc.doc_id] = {**inp.meta, "path": inp.path, "sha256": doc.sha256}
    return res


def _sha_or_none(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def merge(results: list[BatchResult]) -> BatchResult:
    """One result from many batches; a report seen twice (same bytes) is kept once, noted."""
    out = BatchResult()
    for r in results:
        for rows in r.rows:
            d = rows["documents"][0]["doc_id"]
            if d in out.texts:
                first = out.sources[d]["path"]
                out.sources[d].setdefault("duplicates", []).append(r.sources[d]["path"])
                out.rejected.append(
                    {
                        "source_path": r.sources[d]["path"],
                        "sha256": rows["documents"][0]["sha256"],
                        "reason": f"{r.sources[d]['path']}: same bytes as {first} (one document kept)",
                    }
                )
                continue
            out.rows.append(rows)
            out.texts[d] = r.texts[d]
            out.sources[d] = r.sources[d]
        out.rejected.extend(r.rejected)
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


def frames_of(merged: BatchResult) -> dict[str, Any]:
    """The release's tables from a merged result."""
    return build_from_rows(merged.rows, merged.rejected)
