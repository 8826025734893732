"""A content-addressed cache of per-document extraction results, persisted on local disk.

Why: a nightly run over a growing folder should only extract what changed. The key of a
document is the sha256 of its raw bytes plus everything else that decides its rows: the
code fingerprint (package version and a hash of the package's code and rule data, so an
edited rule invalidates the cache even when the version string did not move), the schema
version, the report year passed by the caller and how the bytes are read (plain text or
HTML). Entries are JSON files written atomically (no pickle: a cache file never runs
code), one per key, fanned out into 256 folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from heping_data import __version__
from heping_data.files import write_atomic
from heping_data.tables.schema import schema_version

#: Bump when the layout of a cache entry changes.
ENTRY_FORMAT = 1
#: A temporary entry of another host (or of an unreadable name) older than this is stale.
STALE_TMP_S = 3600
_SWEPT: set[str] = set()  # cache roots already swept by this process
#: Stage folders that act only after per-document rows exist (run orchestration, checks,
#: release assembly): editing them cannot change a cached entry, so they stay out of the
#: fingerprint. Every other file of the package, new ones included, is part of it.
_AFTER_ROWS = frozenset({"run", "validate", "release"})


@cache
def code_fingerprint() -> str:
    """Package version plus a hash of the modules and rule data that make per-document rows."""
    root = resources.files("heping_data")
    h = hashlib.sha256(__version__.encode())
    base = Path(str(root))
    for p in sorted(base.rglob("*")):
        rel = p.relative_to(base)
        if (
            p.is_file()
            and p.suffix != ".pyc"
            and "__pycache__" not in p.parts
            and rel.parts[0] not in _AFTER_ROWS
        ):
            h.update(rel.as_posix().encode())
            h.update(b"\0")
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def cache_key(
    sha256: str, *, report_year: int | None = None, reader: str = "text", hints: str = ""
) -> str:
    """The key of one document's result: raw bytes, code, schema, year and reader."""
    parts = [
        f"format={ENTRY_FORMAT}",
        f"sha256={sha256}",
        f"code={code_fingerprint()}",
        f"schema={schema_version()}",
        f"year={report_year}",
        f"reader={reader}",
    ]
    if hints:  # manifest fields (region, publisher) that reach the document's row
        parts.append(f"hints={hints}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    """What one extracted document needs to be published again without extracting it."""

    rows: dict[str, list[dict[str, Any]]]
    text: str


class DocCache:
    """Per-document results under ``root``; misses and unreadable entries look the same."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        key = str(self.root.resolve())
        if key not in _SWEPT:
            _SWEPT.add(key)
            sweep_tmp(self.root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CacheEntry | None:
        """The stored entry, or None (absent, truncated or of another format)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != ENTRY_FORMAT:
            return None
        return CacheEntry(rows=data["rows"], text=data["text"])

    def put(self, key: str, entry: CacheEntry) -> None:
        """Store atomically: a crash mid-write leaves no half entry behind."""
        payload = json.dumps(
            {"format": ENTRY_FORMAT, "rows": entry.rows, "text": entry.text},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        write_atomic(self._path(key), payload, prefix=_tmp_prefix(), suffix=".json")

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("*/*.json")) if self.root.exists() else 0


def _tmp_prefix() -> str:
    """``.tmp-<host>-<pid>-``: whoever finds the file later can tell whether its writer lives."""
    host = socket.gethostname().replace("-", "_") or "host"
    return f".tmp-{host}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def sweep_tmp(root: Path, now: float | None = None) -> int:
    """Remove temporary entries left by a killed writer; return how many were removed.

    Why: a SIGKILL between ``mkstemp`` and ``os.replace`` leaves a ``.tmp-*.json`` that no
    one else would delete. A file of this host whose writer process is gone is removed at
    once; any other (another host's, an old naming) only once it is an hour old, so a
    live writer's file is never pulled from under it.
    """
    if not root.is_dir():
        return 0
    now = time.time() if now is None else now
    host = socket.gethostname().replace("-", "_") or "host"
    removed = 0
    for p in root.glob("*/.tmp-*.json"):
        parts = p.name.split("-")
        mine = len(parts) >= 4 and parts[1] == host and parts[2].isdigit()
        try:
            stale = (not _alive(int(parts[2]))) if mine else now - p.stat().st_mtime > STALE_TMP_S
            if stale:
                p.unlink()
                removed += 1
        except OSError:
            continue
    return removed
