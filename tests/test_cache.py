"""The per-document cache: keys, atomic entries, and incremental corpus runs without Prefect."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from heping_data.run import cache as cache_mod
from heping_data.run import corpus
from heping_data.run.cache import CacheEntry, DocCache, cache_key, code_fingerprint

from .conftest import REPORTS
from .runs import extracted

SHA = "a" * 64


def test_key_depends_on_bytes_year_reader_code_and_schema(monkeypatch):
    base = cache_key(SHA)
    assert base == cache_key(SHA)
    assert cache_key("b" * 64) != base
    assert cache_key(SHA, report_year=2022) != base
    assert cache_key(SHA, reader="html") != base
    monkeypatch.setattr(cache_mod, "schema_version", lambda: "other-schema")
    assert cache_key(SHA) != base
    monkeypatch.undo()
    code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    try:
        assert cache_key(SHA) != base
    finally:
        code_fingerprint.cache_clear()


def test_fingerprint_ignores_release_side_modules_only():
    fp = code_fingerprint()
    assert fp.startswith(cache_mod.__version__ + "+")
    assert "release" in cache_mod._AFTER_ROWS
    assert "extract" not in cache_mod._AFTER_ROWS


def test_entry_round_trip_and_broken_entries_are_misses(tmp_path):
    c = DocCache(tmp_path / "c")
    assert c.get("ab" * 32) is None
    rows = {"documents": [{"doc_id": "x", "value": 1.25, "none": None, "name": "和平区"}]}
    c.put("ab" * 32, CacheEntry(rows=rows, text="正文\r\n第二行"))
    got = c.get("ab" * 32)
    assert got is not None
    assert got.rows == rows
    assert got.text == "正文\r\n第二行"  # CRLF kept: offsets must still hold
    assert len(c) == 1
    assert not list((tmp_path / "c").rglob(".tmp-*"))
    (tmp_path / "c" / "ab" / f"{'ab' * 32}.json").write_text('{"format": 1, "rows"', "utf-8")
    assert c.get("ab" * 32) is None


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name in ("small_report.txt", "news_summary_digits.txt"):
        shutil.copy(REPORTS / name, d / name)
    return d


def _same_tables(a: corpus.BatchResult, b: corpus.BatchResult) -> None:
    fa, fb = corpus.frames_of(a), corpus.frames_of(b)
    for name in fa:
        assert fa[name].equals(fb[name]), name


def test_rerun_reuses_every_document_and_a_change_is_extracted_alone(folder, tmp_path):
    c = DocCache(tmp_path / "cache")
    first = extracted([folder], cache=c)
    assert first.stats["extracted"] == 2 and first.stats["reused"] == 0
    assert len(c) == 2
    again = extracted([folder], cache=c)
    assert again.stats["extracted"] == 0 and again.stats["reused"] == 2
    _same_tables(first, again)  # cached rows publish exactly like fresh ones
    assert again.texts == first.texts

    p = folder / "small_report.txt"
    p.write_text(p.read_text("utf-8").replace("412.6亿元", "413.9亿元"), "utf-8")
    changed = extracted([folder], cache=c)
    assert changed.stats["extracted"] == 1 and changed.stats["reused"] == 1
    facts = corpus.frames_of(changed)["numeric_facts"]
    assert "413.9亿元" in set(facts.mention) and "412.6亿元" not in set(facts.mention)
    assert len(c) == 3


def test_report_year_and_renames_are_handled(folder, tmp_path):
    c = DocCache(tmp_path / "cache")
    extracted([folder], cache=c)
    other_year = extracted([folder], report_year=2019, cache=c)
    assert other_year.stats["extracted"] == 2  # the year changes the rows: not reused
    (folder / "small_report.txt").rename(folder / "renamed.txt")
    renamed = extracted([folder], cache=c)
    assert renamed.stats["reused"] == 2
    docs = corpus.frames_of(renamed)["documents"]
    assert "renamed.txt" in set(docs.file_name)
    assert any(s.endswith("renamed.txt") for s in docs.source_path)


def test_failed_document_is_rejected_not_cached_and_fail_fast_raises(folder, tmp_path):
    (folder / "empty.txt").write_bytes(b"")
    c = DocCache(tmp_path / "cache")
    res = extracted([folder], cache=c)
    assert res.stats["rejected"] == 1
    assert [r["source_path"] for r in res.rejected] == [str(folder / "empty.txt")]
    assert "empty" in res.rejected[0]["reason"]
    assert len(c) == 2
    from heping_data.errors import HepingError

    with pytest.raises(HepingError, match="empty"):
        extracted([folder], cache=DocCache(tmp_path / "c2"), fail_fast=True)


def test_discover_globs_and_manifest_urls(folder):
    (folder / "sources.yaml").write_text(
        "sources:\n"
        "  - path: small_report.txt\n    district: 和平区\n    report_year: 2022\n"
        "  - url: http://127.0.0.1:9/report.html\n    district: 沈河区\n",
        "utf-8",
    )
    found = corpus.discover([folder])
    assert sorted(Path(i.path).name for i in found) == [
        "news_summary_digits.txt",
        "report.html",
        "small_report.txt",
    ]
    by = {Path(i.path).name: i for i in found}
    assert by["small_report.txt"].meta["district"] == "和平区"
    assert by["report.html"].meta["url"] == "http://127.0.0.1:9/report.html"
    globbed = corpus.discover([str(folder / "*.txt")])
    assert [Path(i.path).name for i in globbed] == ["news_summary_digits.txt", "small_report.txt"]
    only_listed = corpus.discover([folder / "sources.yaml"])
    assert {Path(i.path).name for i in only_listed} == {"small_report.txt", "report.html"}
    from heping_data.errors import HepingError

    with pytest.raises(HepingError, match="matches no file"):
        corpus.discover([str(folder / "*.pdf")])


def test_temporary_entries_of_a_killed_writer_are_swept_by_the_next_run(tmp_path):
    """A SIGKILL mid-write left a 0-byte ``.tmp-*.json`` that was never removed."""
    root = tmp_path / "c"
    (root / "ab").mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    pid = int(dead.stdout)
    orphan = root / "ab" / f"{cache_mod._tmp_prefix().rsplit('-', 2)[0]}-{pid}-x1.json"
    orphan.write_bytes(b"")
    live = root / "ab" / f"{cache_mod._tmp_prefix()}x2.json"  # this process: still writing
    live.write_bytes(b"")
    old = root / "ab" / ".tmp-x3.json"  # an older naming: removed once an hour old
    old.write_bytes(b"")
    os.utime(old, (1, 1))
    DocCache(root)
    assert not orphan.exists() and not old.exists()
    assert live.exists()
