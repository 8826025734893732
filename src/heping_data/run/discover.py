"""Which reports a run reads: files, folders, glob patterns, ``sources.yaml`` manifests, URLs.

Why a module of its own: what counts as a report (hidden files, sidecars, symlinked
folders, manifests and their metadata) is one decision, taken before any byte is read.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from heping_data.errors import HepingError
from heping_data.sources.ingest import default_max_inputs, is_sidecar
from heping_data.text.yamlio import load_text

MANIFEST_NAMES = ("sources.yaml", "sources.yml")
DEFAULT_INPUT = Path(__file__).resolve().parents[3] / "input" / "000_696758e3d0fa223f.txt"
_GLOB_CHARS = frozenset("*?[")
log = logging.getLogger("heping_data.run.corpus")


def is_url(path: str) -> bool:
    """An http(s) source rather than a local file."""
    return path.startswith(("http://", "https://"))


@dataclass(frozen=True)
class InputFile:
    """A report to read (local path or URL), with what the sources manifest says about it."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)


def _load_manifest(p: Path) -> list[dict[str, Any]]:
    try:
        data = load_text(p.read_text(encoding="utf-8")) or {}
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
                if s.get("path"):  # a local copy: read it; its url is provenance only
                    by_path[os.path.normpath(folder / str(s["path"]))] = s
                else:
                    urls.append(InputFile(str(s["url"]), {**s, "url": str(s["url"])}))
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


@dataclass
class _Found:
    """What a discovery has found so far: local files, URL sources and manifest entries."""

    files: list[Path] = field(default_factory=list)
    urls: list[InputFile] = field(default_factory=list)
    listed: dict[str, dict[str, Any]] = field(default_factory=dict)  # named by a manifest
    walked: set[Path] = field(default_factory=set)  # folders whose manifest applies


def _discover(paths: Iterable[str | Path] | None, skipped: list[str]) -> list[InputFile]:
    found = _Found()
    for raw in list(paths or []) or [DEFAULT_INPUT]:
        if is_url(str(raw)):
            found.urls.append(InputFile(str(raw), {"url": str(raw)}))
            continue
        globbed = not Path(str(raw)).exists() and bool(_GLOB_CHARS & set(str(raw)))
        for p in _expand(raw):
            if globbed and p.is_file() and is_sidecar(p):
                _skip(skipped, p, "sidecar file, not a report")
            elif p.is_dir():
                _walk(p, found, skipped)
            elif p.name in MANIFEST_NAMES:
                _add_manifest(p, found)
            else:
                found.files.append(p)
    return _inputs_of(found)


def _walk(folder: Path, found: _Found, skipped: list[str]) -> None:
    """Every report under ``folder``; hidden, symlinked and sidecar entries skipped."""
    found.walked.add(folder)
    for root, dirs, names in os.walk(folder, followlinks=False):
        keep = []
        for d in sorted(dirs):
            sub = Path(root) / d
            if d.startswith("."):
                _skip(skipped, sub, "hidden folder")
            elif sub.is_symlink():
                _skip(skipped, sub, "symlinked folder (not followed)")
            else:
                keep.append(d)
        dirs[:] = keep
        found.walked.add(Path(root))
        for n in sorted(names):
            f = Path(root) / n
            if n in MANIFEST_NAMES:
                continue
            if n.startswith("."):
                _skip(skipped, f, "hidden file")
            elif is_sidecar(n):
                _skip(skipped, f, "sidecar file, not a report")
            else:
                # Dangling or looping symlinks are kept: reading them fails with
                # a reason that lands in the rejected table.
                found.files.append(f)


def _add_manifest(p: Path, found: _Found) -> None:
    """A manifest named directly: exactly the sources it lists."""
    for s in _load_manifest(p):
        if not s.get("path"):
            found.urls.append(InputFile(str(s["url"]), {**s, "url": str(s["url"])}))
            continue
        f = p.parent / str(s["path"])
        if not f.is_file():
            raise HepingError(f"{p}: listed file {f} does not exist")
        found.listed[os.path.normpath(f)] = s
        found.files.append(f)


def _inputs_of(found: _Found) -> list[InputFile]:
    """The found sources once each (by absolute path or URL), with their manifest metadata."""
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    urls = list(found.urls)
    for folder in sorted(found.walked):
        meta, folder_urls = _manifest(folder)
        manifests[folder] = meta
        urls.extend(folder_urls)
    out: list[InputFile] = []
    seen: set[str] = set()
    for f in found.files:
        where = os.path.abspath(f)
        if where in seen:
            continue
        seen.add(where)
        if f.parent not in manifests:
            manifests[f.parent] = _manifest(f.parent)[0]
        key = os.path.normpath(f)
        meta = found.listed.get(key) or manifests[f.parent].get(key, {})
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
