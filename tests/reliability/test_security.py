"""No way in: inert CSV cells, safe names on disk, http(s)-only fetches that stay bounded."""

from __future__ import annotations

import csv
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from heping_data.errors import HepingError
from heping_data.release import publish as publish_mod
from heping_data.run import corpus
from heping_data.sources.fetch import FetchError, FetchPolicy, fetch
from heping_data.validate import checks as validate

from ..runs import extracted
from .cases import INJECTION, report

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> tuple[corpus.BatchResult, Path]:
    d = tmp_path_factory.mktemp("inject")
    (d / "inject.txt").write_text(report(11, INJECTION), encoding="utf-8")
    m = extracted([d])
    frames = corpus.frames_of(m)
    validate.check(frames, m.texts)
    out = d / "out"
    rel = publish_mod.publish(frames, m.texts, out, corpus.release_info(m, "v1", "2025-01-01"))
    return m, rel


def test_formula_cells_are_neutralised_in_every_csv(injected):
    m, rel = injected
    assert "=cmd|" in next(iter(m.texts.values()))  # the payload is really in the data
    seen = 0
    for p in sorted(rel.glob("*.csv")):
        with p.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    if "cmd|" in cell or "SUM(" in cell:
                        seen += 1
                    assert not cell.startswith(FORMULA), (p.name, cell)
    assert seen >= 3  # sentences, sections … carry the payload, each made inert with a quote


def test_document_ids_that_are_not_hashes_never_become_paths(injected, tmp_path):
    m, _ = injected
    frames = corpus.frames_of(m)
    (doc_id,) = m.texts
    for evil in ("../../escaped", "/tmp/abs", "ABCDEF0123456789", "a" * 15):
        texts = {evil: m.texts[doc_id]}
        out = tmp_path / "out"
        with pytest.raises(HepingError, match="not 16 lowercase hex digits"):
            publish_mod.publish(frames, texts, out, corpus.release_info(m, "v9", None))
        assert not (out / "releases" / "v9").exists()
        assert not list(out.glob(".building-*"))
    assert not (tmp_path / "escaped.txt").exists()


@pytest.mark.parametrize("version", ["../up", "a/b", "..", ".hidden", "x" * 65, "v 1", "v\n1"])
def test_release_versions_cannot_leave_the_output_folder(injected, tmp_path, version):
    m, _ = injected
    frames = corpus.frames_of(m)
    with pytest.raises(HepingError, match="release version"):
        publish_mod.publish(frames, m.texts, tmp_path / "out", corpus.release_info(m, version))
    assert not (tmp_path / "up").exists() and not (tmp_path / "out" / "releases").exists()


def test_tampered_cache_entry_cannot_name_a_file(injected, tmp_path):
    """A cache file edited to carry a path as doc id fails validation; quarantine drops it."""
    m, _ = injected
    rows = {k: [dict(r) for r in v] for k, v in m.rows[0].items()}
    (doc_id,) = m.texts
    evil = "../../../tmp/pwn"
    for rs in rows.values():
        for r in rs:
            if r.get("doc_id") == doc_id:
                r["doc_id"] = evil
    bad = corpus.BatchResult(rows=[rows], texts={evil: m.texts[doc_id]})
    frames = corpus.frames_of(bad)
    failures = validate.validate(frames, bad.texts)
    assert any(f["table"] == "documents" and f["column"] == "doc_id" for f in failures)
    q = validate.quarantine(frames, bad.texts)
    assert evil not in q.texts and len(q.frames["documents"]) == 0
    out = publish_mod.publish(
        q.frames, q.texts, tmp_path / "o", corpus.release_info(m, "q1"), quarantine=q.rows
    )
    assert sorted(p.name for p in (out / "texts").iterdir()) == []
    assert not Path("/tmp/pwn.txt").exists()


# --- URL sources: http(s) only, bounded, redirects only to http(s) -----------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://127.0.0.1/r.txt", "data:text/plain,abc", "gopher://x/"]
)
def test_redirect_to_a_non_http_scheme_is_refused(server, tmp_path, target):
    """The source is rejected with a reason; nothing is read from the redirect target."""
    _Handler.routes = {"/r": (302, {"Location": target}, b"")}
    res = corpus.prepare_batch(
        [corpus.InputFile(f"{server}/r")],
        snapshot_dir=tmp_path / "snap",
        policy=FetchPolicy(timeout=2, retries=0),
    )
    assert not res.prepared and len(res.rejected) == 1
    reason = res.rejected[0]["reason"]
    assert reason.startswith(f"{server}/r: ") and "root:" not in reason
    assert not list((tmp_path / "snap").rglob("raw/*/*"))  # nothing stored


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://h/x", "javascript:alert(1)", "//h/x"])
def test_only_http_urls_are_fetched(tmp_path, url):
    with pytest.raises(FetchError, match="only absolute http"):
        fetch(url, tmp_path, FetchPolicy(retries=0))


def test_download_size_cap(server, tmp_path):
    _Handler.routes = {"/big": (200, {"Content-Type": "text/plain"}, b"x" * 5000)}
    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server}/big", tmp_path, FetchPolicy(max_bytes=1000, retries=0))


def test_redirect_to_http_is_followed(server, tmp_path):
    body = report(3).encode()
    _Handler.routes = {
        "/old": (301, {"Location": "/new"}, b""),
        "/new": (200, {"Content-Type": "text/plain; charset=utf-8"}, body),
    }
    snap = fetch(f"{server}/old", tmp_path, FetchPolicy(timeout=2, retries=0))
    assert Path(snap.raw_path).read_bytes() == body
