"""The sha256 of a file, read in bounded chunks.

Why one helper: a report's identity is the sha256 of its raw bytes, and a release lists
the sha256 of every file it ships; both read files the same way (1 MB chunks, so a large
input never sits in memory whole).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 1 << 20


def file_digest(path: str | Path) -> tuple[str, int, bytes]:
    """(sha256 hex, size in bytes, first 512 bytes) of a file."""
    h = hashlib.sha256()
    size, head = 0, b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            if not size:
                head = chunk[:512]
            size += len(chunk)
            h.update(chunk)
    return h.hexdigest(), size, head


def sha256_file(path: str | Path) -> str:
    """The sha256 hex digest of a file's bytes."""
    return file_digest(path)[0]
