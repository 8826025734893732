"""Compiled regular expressions kept across processes.

Why: the rule modules build large alternations from their data (gazetteers, units, tries
of industry terms), and ``re`` parses a pattern in pure Python: ≈ 0.1 s per process, a
tenth of a one-report run's own work. What ``re`` makes of a pattern (a list of integer
codes, the group names) depends only on the pattern, the flags and the Python build, so
this module keeps it in a marshal file (named for the Python version and ``_sre.MAGIC``)
and builds the pattern object from it with ``_sre.compile``, as ``re.compile`` does. The
first pattern a process builds this way is compared with ``re``'s own (equal patterns have
equal codes); anything unexpected falls back to ``re.compile``.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

try:  # CPython's regex engine; present on every CPython, absent elsewhere
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover
    _sre = None

#: Beyond this many patterns or bytes (rule data edited many times: every edit of a
#: gazetteer makes a new trie), the file keeps only the patterns its last writer used.
MAX_ENTRIES = 2000
MAX_BYTES = 1536 * 1024  # ≈ 2.5 versions of the rule data; loads in ≈ 10 ms

_Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]
_lock = threading.Lock()
_known: dict[tuple[str, int], _Entry] | None = None
_new: dict[tuple[str, int], _Entry] = {}
_used: set[tuple[str, int]] = set()
_checked: bool | None = None  # building patterns as re does was checked (None: not yet)


def cache_file() -> Path | None:
    """The marshal file of this Python build (None when there is no CPython engine)."""
    if _sre is None:
        return None
    root = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if Path.home().is_dir() else tempfile.gettempdir()
    )
    v = sys.version_info
    tag = f"{sys.implementation.name}{v.major}{v.minor}{v.micro}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return Path(root) / "heping-data" / f"regex-{tag}.marshal"


def _read(path: Path | None) -> dict[tuple[str, int], _Entry]:
    if path is None:
        return {}
    try:
        data = marshal.loads(path.read_bytes())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _load() -> dict[tuple[str, int], _Entry]:
    global _known
    if _known is None:
        with _lock:
            if _known is None:
                _known = _read(cache_file())
    return _known


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache file when the pattern is in it."""
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    entry = _load().get(key)
    if entry is not None:
        try:
            _used.add(key)
            return _sre.compile(pattern, *entry)
        except (TypeError, ValueError, RuntimeError):
            pass  # a damaged entry: compile below
    global _checked
    if _checked is False:  # this Python's ``re`` differs from what this module expects
        return re.compile(pattern, flags)
    try:
        parsed = _parser.parse(pattern, flags)
    except Exception:
        return re.compile(pattern, flags)  # raises re's own error
    try:
        code = [int(c) for c in _compiler._code(parsed, flags)]  # plain ints: marshal
        index = dict(parsed.state.groupdict)
        names: list[Any] = [None] * parsed.state.groups
        for name, i in index.items():
            names[i] = name
        entry = (flags | parsed.state.flags, code, parsed.state.groups - 1, index, tuple(names))
        built = _sre.compile(pattern, *entry)
        if _checked is None:  # once per process: the same object as re.compile makes
            _checked = built == re.compile(pattern, flags)
            if not _checked:
                return re.compile(pattern, flags)
    except Exception:  # the private API moved: no caching, same result
        _checked = False
        return re.compile(pattern, flags)
    with _lock:
        if not _new:
            atexit.register(save)
        _new[key] = entry
        _used.add(key)
    return built


def save() -> None:
    """Write the patterns compiled in this process into the file (atomic; errors ignored)."""
    path = cache_file()
    with _lock:
        if path is None or not _new:
            return
        merged = {**_read(path), **_new}
        _new.clear()
    with contextlib.suppress(OSError, ValueError):
        data = marshal.dumps(merged)
        if len(merged) > MAX_ENTRIES or len(data) > MAX_BYTES:
            data = marshal.dumps({k: v for k, v in merged.items() if k in _used})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
