"""URL sources: fetch over http(s) into raw-byte snapshots (download only).

Why snapshots: a release must say exactly which bytes it was built from. Each fetch keeps
the raw bytes under their sha256 with the retrieval time, and remembers the validators
(ETag, Last-Modified) so the next run asks "changed since?" and a 304 reuses the snapshot
(and, through the per-document cache, its extraction). A source that is too slow, too
large, not http(s) or not answering 200/304 is refused with a reason that names it.

Reading a snapshot into a Document (plain text decoded like a local file, HTML reduced
to its article text by :mod:`heping_data.sources.html`) is :mod:`heping_data.sources.ingest`'s
job: ``read_snapshot``; ``sha256`` still names the raw bytes fetched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from heping_data.errors import FetchError
from heping_data.files import write_atomic
from heping_data.sources.html import suffix

USER_AGENT = "heping-data (+https://github.com/heping-data; open-data pipeline)"
_TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch: seconds to connect/read, total seconds, bytes, retries."""

    timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled after each


@dataclass(frozen=True)
class Snapshot:
    """The raw bytes of one URL as last retrieved, and how this run got them."""

    url: str
    sha256: str
    byte_count: int
    retrieved: str  # ISO UTC time the bytes were downloaded (kept across 304s)
    raw_path: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    status: str = "fetched"  # "fetched" (200) or "not_modified" (304, snapshot reused)


def _utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _index_path(root: Path, url: str) -> Path:
    return root / "index" / f"{hashlib.sha256(url.encode()).hexdigest()[:24]}.json"


def _previous(root: Path, url: str) -> Snapshot | None:
    try:
        data = json.loads(_index_path(root, url).read_text(encoding="utf-8"))
        snap = Snapshot(**data)
    except (OSError, ValueError, TypeError):
        return None
    return snap if Path(snap.raw_path).is_file() else None


def check_url(url: str) -> None:
    """Refuse anything but an absolute http(s) URL (no file:, ftp:, data: …)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(url, "only absolute http:// or https:// URLs are fetched")


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


def _download(url: str, headers: dict[str, str], policy: FetchPolicy):  # type: ignore[no-untyped-def]
    """One GET with the limits applied while streaming; returns (status, headers, body).

    Redirects are followed by hand so that every hop is checked: a redirect to anything
    but http(s) (file:, data:, ftp: …) is refused, never followed.
    """
    import httpx

    timeout = httpx.Timeout(policy.timeout)
    deadline = time.monotonic() + policy.total_timeout
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                request = client.build_request("GET", current, headers=headers)
            except httpx.InvalidURL as exc:
                raise FetchError(url, f"redirect to an invalid URL refused: {exc}") from None
            resp = client.send(request, stream=True)
            try:
                if resp.status_code in _REDIRECTS:
                    location = resp.headers.get("location")
                    if not location:
                        raise FetchError(url, f"HTTP {resp.status_code} without a Location")
                    nxt = urljoin(current, location)
                    try:
                        check_url(nxt)
                    except FetchError:
                        raise FetchError(
                            url, f"redirect to a non-http(s) URL refused: {nxt[:80]}"
                        ) from None
                    current = nxt
                    continue
                return _read_body(url, resp, policy, deadline)
            finally:
                resp.close()
    raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})")


def _read_body(url: str, resp, policy: FetchPolicy, deadline: float):  # type: ignore[no-untyped-def]
    """Status, headers and body of a final response, with the size and time limits."""
    if resp.status_code == 304:
        return 304, resp.headers, b""
    if resp.status_code in _TRANSIENT_STATUS:
        raise _Transient(f"HTTP {resp.status_code}")
    if resp.status_code != 200:
        raise FetchError(url, f"HTTP {resp.status_code} (expected 200 or 304)")
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(
            url,
            f"too large: Content-Length {declared} bytes exceeds the limit of "
            f"{policy.max_bytes} bytes",
        )
    chunks, size = [], 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(
                url, f"too large: more than {policy.max_bytes} bytes (limit), download stopped"
            )
        if time.monotonic() > deadline:
            raise FetchError(
                url,
                f"too slow: not complete after {policy.total_timeout:g} s, download stopped",
            )
        chunks.append(chunk)
    return 200, resp.headers, b"".join(chunks)


class _Transient(Exception):
    """A failure worth another try (connection trouble, 5xx, 429)."""


def fetch(url: str, root: str | Path, policy: FetchPolicy | None = None) -> Snapshot:
    """Fetch ``url`` into the snapshot store ``root`` with a conditional GET.

    Unchanged (304) → the previous snapshot, status ``not_modified``. Changed (200) → the
    new bytes are stored under their sha256 and become the URL's current snapshot.
    Transient failures (connection errors, read timeouts, 5xx, 429) are retried with
    exponential backoff; a source that stays slow or is too large is refused.
    """
    import httpx

    check_url(url)
    policy = policy or FetchPolicy()
    store = Path(root)
    prev = _previous(store, url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if prev is not None:
        if prev.etag:
            headers["If-None-Match"] = prev.etag
        if prev.last_modified:
            headers["If-Modified-Since"] = prev.last_modified
    delay, last = policy.backoff, "no attempt made"
    for attempt in range(policy.retries + 1):
        if attempt:
            time.sleep(delay)
            delay *= 2
        try:
            status, resp_headers, body = _download(url, headers, policy)
        except httpx.TimeoutException:
            last = f"too slow: no answer within {policy.timeout:g} s"
            continue
        except httpx.HTTPError as exc:
            last = f"cannot connect: {type(exc).__name__}: {exc}"
            continue
        except _Transient as exc:
            last = str(exc)
            continue
        break
    else:
        tries = policy.retries + 1
        raise FetchError(url, f"{last} (after {tries} attempt{'s' if tries > 1 else ''})")
    if status == 304:
        if prev is None:
            raise FetchError(url, "answered 304 Not Modified to an unconditional request")
        return replace(prev, status="not_modified")
    sha = hashlib.sha256(body).hexdigest()
    if not body:
        raise FetchError(url, "empty response (0 bytes)")
    ctype = resp_headers.get("content-type")
    raw_path = store / "raw" / sha[:2] / f"{sha}{suffix(ctype, body)}"
    if not raw_path.exists():
        write_atomic(raw_path, body)
    keep = prev is not None and prev.sha256 == sha
    snap = Snapshot(
        url=url,
        sha256=sha,
        byte_count=len(body),
        retrieved=prev.retrieved if keep and prev else _utcnow(),
        raw_path=str(raw_path),
        content_type=ctype,
        etag=resp_headers.get("etag"),
        last_modified=resp_headers.get("last-modified"),
        status="fetched",
    )
    write_atomic(
        _index_path(store, url),
        json.dumps(asdict(snap), ensure_ascii=False, indent=1, sort_keys=True).encode(),
    )
    return snap


def url_file_name(url: str) -> str:
    """A readable file name for a URL source (last path segment, or the host)."""
    parts = urlsplit(url)
    name = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return name or parts.netloc


__all__ = ["FetchError", "FetchPolicy", "Snapshot", "check_url", "fetch", "url_file_name"]
