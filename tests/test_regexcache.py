"""regexcache: patterns built from the cache file are the patterns ``re`` builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from heping_data.text import regexcache

PATTERNS = [
    (r"(?P<num>[0-9０-９*]+)(?P<unit>万元|亿元|%)?", 0),
    (r"(?:和平区|沈阳市)(?=人民政府)", 0),
    (r"(?<![A-Za-z])km²(?![A-Za-z])", 0),
    (r"^(?:一|二|三)、(.+)$", re.MULTILINE),
    (r"gdp\s*增长", re.IGNORECASE),
    (r"(?i:abc)(?>x+)y", 0),
]
TEXT = "一、回顾\n和平区人民政府：GDP 增长5.5%，投资****万元，km² 十二、\n二、计划"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder and a module that has read nothing yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(regexcache, "_known", None)
    monkeypatch.setattr(regexcache, "_new", {})
    monkeypatch.setattr(regexcache, "_used", set())
    monkeypatch.setattr(regexcache, "_checked", None)
    return tmp_path


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert a == b  # CPython compares pattern, flags and the compiled code
    assert (a.groups, dict(a.groupindex), a.flags) == (b.groups, dict(b.groupindex), b.flags)
    assert [m.span() for m in a.finditer(TEXT)] == [m.span() for m in b.finditer(TEXT)]


def test_miss_then_hit_from_the_file_give_res_patterns(fresh: Path) -> None:
    first = [regexcache.compile(p, f) for p, f in PATTERNS]
    regexcache.save()
    path = regexcache.cache_file()
    assert path is not None and path.is_file() and str(path).startswith(str(fresh))
    # a new process: state reset, patterns come from the file
    regexcache._known, regexcache._new = None, {}
    again = [regexcache.compile(p, f) for p, f in PATTERNS]
    assert not regexcache._new  # every pattern was a hit
    assert regexcache._checked is True  # the first miss was checked against re
    for (p, f), a, b in zip(PATTERNS, first, again, strict=True):
        _same(a, re.compile(p, f))
        _same(b, re.compile(p, f))


def test_damaged_file_falls_back_to_re(fresh: Path) -> None:
    path = regexcache.cache_file()
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not marshal data")
    p, f = PATTERNS[0]
    _same(regexcache.compile(p, f), re.compile(p, f))
    regexcache.save()  # replaces the damaged file with a readable one
    regexcache._known = None
    assert regexcache._load().keys() == {(p, f)}


def test_bad_entry_is_recompiled(fresh: Path) -> None:
    p, f = PATTERNS[1]
    regexcache._known = {(p, f): (0, [], 0, {}, ())}  # wrong code for this pattern
    _same(regexcache.compile(p, f), re.compile(p, f))


def test_errors_are_res_errors(fresh: Path) -> None:
    with pytest.raises(re.error):
        regexcache.compile("(unclosed")


def test_an_overfull_file_keeps_the_patterns_in_use(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regexcache, "MAX_ENTRIES", 3)
    for p, f in PATTERNS[:4]:
        regexcache.compile(p, f)
    regexcache.save()
    regexcache._known, regexcache._used = None, set()
    regexcache.compile(*PATTERNS[4])  # this process uses one pattern only
    regexcache.save()
    regexcache._known = None
    assert set(regexcache._load()) == {PATTERNS[4]}


def test_a_failed_check_turns_caching_off(fresh: Path) -> None:
    regexcache._checked = False  # as when this Python builds patterns differently
    p, f = PATTERNS[2]
    _same(regexcache.compile(p, f), re.compile(p, f))
    assert not regexcache._new
