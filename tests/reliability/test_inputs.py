"""Bad input at the library level: every case of issue 7 read alone and as one corpus."""

from __future__ import annotations

import socket
from pathlib import Path

import pandas as pd
import pytest

from heping_data.errors import HepingError, IngestError
from heping_data.run import corpus
from heping_data.sources.html import html_text
from heping_data.sources.ingest import ingest
from heping_data.validate import checks as validate

from ..conftest import REPORTS
from ..runs import extract_inputs, extracted
from .cases import Case, write_corpus

SMALL_BIG = 21_000_000  # just over the default limit: same refusal as 50 MB, faster to write


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> tuple[Path, list[Case]]:
    d = tmp_path_factory.mktemp("corpus")
    return d, write_corpus(d, big_bytes=SMALL_BIG)


def _by(cases: list[Case], outcome: str) -> list[Case]:
    return [c for c in cases if c.outcome == outcome]


def test_each_bad_file_is_refused_alone_with_its_reason(folder):
    d, cases = folder
    for c in _by(cases, "rejected"):
        with pytest.raises(IngestError) as exc:
            ingest(d / c.name)
        assert c.reason in exc.value.reason, (c.name, exc.value.reason)
        assert str(d / c.name) in str(exc.value)  # the message names the file


def test_each_good_file_reads_with_exact_text(folder):
    d, cases = folder
    for c in _by(cases, "published") + _by(cases, "twin"):
        doc = ingest(d / c.name)
        assert doc.text.strip(), c.name
        assert "\ufffd" not in doc.text, c.name
    crlf = ingest(d / "crlf.txt")
    assert "\r\n" in crlf.text  # line ends are kept, offsets point into the real bytes
    cr = ingest(d / "cr.txt")
    assert "\r" in cr.text and "\n" not in cr.text
    assert ingest(d / "utf16.txt").encoding == "utf-16"
    assert ingest(d / "gbk.txt").encoding == "gb18030"
    assert "𠀾" in ingest(d / "gb18030.txt").text


def test_html_file_is_read_as_its_article_text_like_a_fetched_page(folder):
    d, _ = folder
    raw = (d / "page.html").read_bytes()
    doc = ingest(d / "page.html")
    assert doc.text == html_text(raw, "x")[0]
    assert "<p>" not in doc.text and "首页" not in doc.text  # markup and navigation gone
    assert "地区生产总值" in doc.text
    assert doc.sha256 == __import__("hashlib").sha256(raw).hexdigest()
    # HTML bytes under a .txt name are recognised by their first bytes.
    (d / "sniffed.txt.tmp").write_bytes(raw)
    assert ingest(d / "sniffed.txt.tmp").text == doc.text
    (d / "sniffed.txt.tmp").unlink()


def test_html_without_article_text_is_refused_clearly(tmp_path):
    p = tmp_path / "empty.html"
    p.write_bytes(b"<html><head><script>var a = 1;</script></head><body></body></html>")
    with pytest.raises(IngestError, match="HTML page: no article text"):
        ingest(p)


def test_size_limit_is_clear_and_can_be_raised(folder, tmp_path):
    d, _ = folder
    with pytest.raises(IngestError, match=r"exceeds the limit of 20000000 bytes \(raise it"):
        ingest(d / "big.txt")
    small = tmp_path / "r.txt"
    small.write_bytes((d / "no_numbers.txt").read_bytes())
    with pytest.raises(IngestError, match="limit of 10 bytes"):
        ingest(small, max_bytes=10)
    prep = corpus.prepare_batch([corpus.InputFile(str(d / "big.txt"))], max_bytes=10**9)
    assert len(prep.prepared) == 1 and not prep.rejected  # raised limit: accepted for reading


def test_corpus_sets_aside_each_bad_file_and_publishes_the_rest(folder, monkeypatch):
    d, cases = folder
    monkeypatch.chdir(d.parent)
    skipped: list[str] = []
    inputs = corpus.discover([d], skipped=skipped)
    m = extract_inputs(inputs)
    frames = corpus.frames_of(m)
    validate.check(frames, m.texts)
    rel = d.name
    rejected = dict(zip(frames["rejected"].source_path, frames["rejected"].reason, strict=True))
    published = set(frames["documents"].source_path)
    for c in cases:
        path = f"{rel}/{c.name}"
        if c.outcome == "published":
            assert path in published, c.name
        elif c.outcome == "rejected":
            assert c.reason in rejected.get(path, ""), (c.name, rejected.get(path))
        elif c.outcome == "skipped":
            assert path not in published and path not in rejected, c.name
            assert any(s.startswith(path + ":") for s in skipped), c.name
    twins = [f"{rel}/{c.name}" for c in _by(cases, "twin")]
    assert len(published & set(twins)) == 1  # one document …
    (copy,) = set(twins) - published
    assert "same bytes as" in rejected[copy]  # … and the other copy noted
    # sha256 is kept for every rejected file that could be read
    sha = dict(zip(frames["rejected"].source_path, frames["rejected"].sha256, strict=True))
    assert sha[f"{rel}/big.txt"] and sha[f"{rel}/empty.txt"]
    assert pd.isna(sha[f"{rel}/spin1.txt"])  # a symlink loop cannot be read at all


def test_source_paths_are_relative_to_the_working_directory(folder, monkeypatch, tmp_path):
    d, _ = folder
    monkeypatch.chdir(d)
    assert corpus.display_path(d / "good.txt") == "good.txt"
    assert corpus.display_path("x/y.txt") == "x/y.txt"
    assert corpus.display_path("https://a.example/r.txt") == "https://a.example/r.txt"
    outside = tmp_path / "elsewhere.txt"
    assert corpus.display_path(outside) == str(outside)  # not under cwd: kept as given
    m = extracted([d / "good.txt", d / "empty.txt"])
    frames = corpus.frames_of(m)
    assert list(frames["documents"].source_path) == ["good.txt"]
    assert list(frames["rejected"].source_path) == ["empty.txt"]
    assert str(d) not in frames["rejected"].reason.iloc[0]


def test_discovery_skips_sidecars_of_the_test_reports():
    skipped: list[str] = []
    found = [Path(i.path) for i in corpus.discover([REPORTS], skipped=skipped)]
    assert found and all(p.suffix == ".txt" for p in found)
    assert any(".csv:" in s for s in skipped)
    # A sidecar named explicitly is still read (the user asked for it).
    csv = next(REPORTS.glob("*.csv"))
    assert [Path(i.path).name for i in corpus.discover([csv])] == [csv.name]
    # … but not when a glob pattern picks it up.
    assert all(not i.path.endswith(".csv") for i in corpus.discover([str(REPORTS / "*")]))


def test_input_count_is_limited(folder):
    d, _ = folder
    with pytest.raises(HepingError, match="exceed the limit of 3 per run"):
        corpus.discover([d], max_inputs=3)


def test_no_network_access_for_file_inputs(folder, monkeypatch):
    d, _ = folder
    attempts: list[object] = []

    def refuse(self, address):  # type: ignore[no-untyped-def]
        attempts.append(address)
        raise OSError("network access in a file-only run")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))
    names = [d / "good.txt", d / "page.html", d / "gbk.txt", d / "empty.txt"]
    m = extracted(names)
    assert len(m.rows) == 3 and len(m.rejected) == 1
    assert attempts == []
