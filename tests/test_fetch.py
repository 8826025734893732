"""URL sources against a real HTTP server on 127.0.0.1: snapshots, 304s, limits, HTML text."""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from heping_data.run import corpus
from heping_data.run.cache import DocCache
from heping_data.sources.fetch import FetchError, FetchPolicy, fetch
from heping_data.sources.ingest import read_snapshot

from .conftest import REPORTS
from .runs import extracted

FAST = FetchPolicy(timeout=2, total_timeout=5, max_bytes=200_000, retries=0, backoff=0.05)

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>区政府工作报告</title></head>
<body><div class="nav">首页 | 政务公开 | 网站地图 | 联系我们</div>
<div class="article"><h1>和平区2023年政府工作报告</h1>
<p>各位代表：现在，我代表区人民政府向大会报告工作，请予审议。</p>
<h2>一、2022年工作回顾</h2>
<p>全区地区生产总值完成412.6亿元，同比增长5.2%。一般公共预算收入完成30.5亿元，增长3.1%。</p>
<p>新增市场主体1.2万户，城镇新增就业2.3万人，完成老旧小区改造45个。</p>
<h2>二、2023年工作安排</h2>
<p>地区生产总值增长6%左右，一般公共预算收入增长5%。</p></div>
<div class="footer">版权所有 和平区人民政府办公室 备案号000000</div></body></html>
"""


class Site:
    """What the test server answers, per path; counts requests and conditional ones."""

    def __init__(self) -> None:
        self.routes: dict[str, dict[str, Any]] = {}
        self.hits: dict[str, int] = {}
        self.conditional: dict[str, int] = {}

    def set(self, path: str, body: bytes, ctype: str = "text/plain; charset=utf-8", **kw: Any):
        etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
        self.routes[path] = {"body": body, "ctype": ctype, "etag": etag, **kw}


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a: Any) -> None:
            pass

        def do_GET(self) -> None:
            r = site.routes.get(self.path)
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            if r is None:
                self.send_error(404)
                return
            if r.get("fail_first", 0) > 0:
                r["fail_first"] -= 1
                self.send_error(503)
                return
            time.sleep(r.get("delay", 0))
            if self.headers.get("If-None-Match"):
                site.conditional[self.path] = site.conditional.get(self.path, 0) + 1
                if self.headers["If-None-Match"] == r["etag"]:
                    self.send_response(304)
                    self.send_header("ETag", r["etag"])
                    self.end_headers()
                    return
            self.send_response(200)
            self.send_header("Content-Type", r["ctype"])
            self.send_header("ETag", r["etag"])
            self.send_header("Last-Modified", "Mon, 06 Mar 2023 08:00:00 GMT")
            if not r.get("no_length"):
                self.send_header("Content-Length", str(len(r["body"])))
            self.end_headers()
            try:
                if r.get("trickle"):
                    for i in range(0, len(r["body"]), 64):
                        self.wfile.write(r["body"][i : i + 64])
                        self.wfile.flush()
                        time.sleep(r["trickle"])
                else:
                    self.wfile.write(r["body"])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on purpose (size or time limit)

    return H


@pytest.fixture
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)


def test_snapshot_then_304_then_changed(site, tmp_path):
    body = (REPORTS / "small_report.txt").read_bytes()
    site.set("/r.txt", body)
    url = site.base + "/r.txt"
    first = fetch(url, tmp_path, FAST)
    assert first.status == "fetched"
    assert first.sha256 == hashlib.sha256(body).hexdigest()
    assert Path(first.raw_path).read_bytes() == body
    assert first.retrieved.endswith("Z")
    again = fetch(url, tmp_path, FAST)
    assert again.status == "not_modified"
    assert site.conditional["/r.txt"] == 1
    assert (again.sha256, again.raw_path, again.retrieved) == (
        first.sha256,
        first.raw_path,
        first.retrieved,
    )
    site.set("/r.txt", body.replace(b"412.6", b"499.9"))
    changed = fetch(url, tmp_path, FAST)
    assert changed.status == "fetched"
    assert changed.sha256 != first.sha256
    assert b"499.9" in Path(changed.raw_path).read_bytes()
    assert Path(first.raw_path).exists()  # old snapshots are kept


def test_slow_large_and_non_http_sources_are_refused_with_reasons(site, tmp_path):
    site.set("/slow.txt", b"x" * 10, delay=3)
    with pytest.raises(FetchError, match=r"too slow: no answer within 1 s \(after 1 attempt\)"):
        fetch(site.base + "/slow.txt", tmp_path, FetchPolicy(timeout=1, retries=0))
    site.set("/trickle.txt", "报告".encode() * 400, trickle=0.05)
    with pytest.raises(FetchError, match=r"too slow: not complete after 0\.5 s"):
        fetch(site.base + "/trickle.txt", tmp_path, FetchPolicy(total_timeout=0.5, retries=0))
    site.set("/big.txt", b"a" * 5000)
    with pytest.raises(FetchError, match="too large: Content-Length 5000 bytes exceeds"):
        fetch(site.base + "/big.txt", tmp_path, FetchPolicy(max_bytes=1000, retries=0))
    site.set("/big2.txt", b"a" * 5000, no_length=True)
    with pytest.raises(FetchError, match="too large: more than 1000 bytes"):
        fetch(site.base + "/big2.txt", tmp_path, FetchPolicy(max_bytes=1000, retries=0))
    with pytest.raises(FetchError, match="only absolute http"):
        fetch("file:///etc/passwd", tmp_path, FAST)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(site.base + "/missing.txt", tmp_path, FAST)


def test_transient_errors_are_retried_with_backoff(site, tmp_path):
    site.set("/flaky.txt", (REPORTS / "small_report.txt").read_bytes(), fail_first=2)
    policy = FetchPolicy(retries=2, backoff=0.05)
    snap = fetch(site.base + "/flaky.txt", tmp_path, policy)
    assert snap.status == "fetched"
    assert site.hits["/flaky.txt"] == 3
    site.set("/down.txt", b"x", fail_first=5)
    with pytest.raises(FetchError, match=r"HTTP 503 \(after 2 attempts\)"):
        fetch(site.base + "/down.txt", tmp_path, FetchPolicy(retries=1, backoff=0.05))


def test_html_is_read_as_article_text_and_offsets_point_into_it(site, tmp_path):
    raw = PAGE.encode("utf-8")
    site.set("/report.html", raw, ctype="text/html; charset=utf-8")
    snap = fetch(site.base + "/report.html", tmp_path, FAST)
    doc = read_snapshot(snap)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()  # names the bytes fetched
    assert doc.source_path == site.base + "/report.html"
    assert doc.file_name == "report.html"
    assert "412.6亿元" in doc.text
    assert "<p>" not in doc.text and "网站地图" not in doc.text and "版权所有" not in doc.text
    gbk = PAGE.replace('charset="utf-8"', 'charset="gbk"').encode("gbk")
    site.set("/gbk.html", gbk, ctype="text/html")
    g = read_snapshot(fetch(site.base + "/gbk.html", tmp_path, FAST))
    assert g.encoding == "gb18030"
    assert "412.6亿元" in g.text


def test_corpus_of_url_sources_is_incremental(site, tmp_path):
    site.set("/a.txt", (REPORTS / "small_report.txt").read_bytes())
    site.set("/b.html", PAGE.encode("utf-8"), ctype="text/html; charset=utf-8")
    site.set("/slow.txt", b"x", delay=1)
    site.set("/big.txt", b"a" * 300_000)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sources.yaml").write_text(
        "sources:\n"
        + "".join(
            f"  - url: {site.base}/{n}\n    district: 和平区\n    licence: CC-BY-4.0\n"
            for n in ("a.txt", "b.html", "slow.txt", "big.txt")
        ),
        "utf-8",
    )
    snaps, c = tmp_path / "snaps", DocCache(tmp_path / "cache")
    policy = FetchPolicy(timeout=0.3, total_timeout=5, max_bytes=200_000, retries=0)

    def run() -> corpus.BatchResult:
        return extracted([folder], cache=c, snapshot_dir=snaps, policy=policy)

    first = run()
    assert first.stats["fetched"] == 2 and first.stats["extracted"] == 2
    reasons = {Path(r["source_path"]).name: r["reason"] for r in first.rejected}
    assert "too slow" in reasons["slow.txt"] and "too large" in reasons["big.txt"]
    frames = corpus.frames_of(first)
    html_doc = frames["documents"][frames["documents"].file_name == "b.html"].iloc[0]
    text = first.texts[html_doc.doc_id]
    for f in frames["numeric_facts"].itertuples():
        t = first.texts[f.doc_id]
        assert t[f.char_start : f.char_end] == f.mention
    assert "412.6亿元" in text
    info = corpus.release_info(first, "t")
    assert {s["path"] for s in info.sources} == {site.base + "/a.txt", site.base + "/b.html"}

    second = run()
    assert second.stats["not_modified"] == 2
    assert second.stats["reused"] == 2 and second.stats["extracted"] == 0
    assert corpus.frames_of(second)["documents"].equals(frames["documents"])

    site.set("/a.txt", (REPORTS / "small_report.txt").read_bytes().replace(b"412.6", b"418.8"))
    third = run()
    assert third.stats["fetched"] == 1 and third.stats["not_modified"] == 1
    assert third.stats["extracted"] == 1 and third.stats["reused"] == 1
    assert "418.8亿元" in set(corpus.frames_of(third)["numeric_facts"].mention)
