"""HTML pages (fetched or saved) as article text.

Why apart: both the fetcher (which names a snapshot's raw file by what it holds) and
ingest (which reads a saved page like a fetched one) need to tell HTML from plain text
and read its article; neither should import the other for that.

Pages are reduced to the article text with trafilatura (the navigation, footers and
scripts are not report text); that extracted text is what the release publishes and
what every offset points into.
"""

from __future__ import annotations

import re

from heping_data.errors import FetchError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<div|<p\b)", re.I)
_CHARSETS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
}


def is_html(content_type: str | None, raw: bytes) -> bool:
    """HTML by its declared type, or by its first bytes when the type says nothing useful."""
    if content_type:
        ct = content_type.split(";")[0].strip().lower()
        if ct in ("text/html", "application/xhtml+xml"):
            return True
        if ct.startswith("text/plain"):
            return False
    return bool(_HTML_SNIFF.match(raw[:512]))


def suffix(content_type: str | None, raw: bytes) -> str:
    """File suffix of a snapshot's raw bytes: ``.html`` or ``.txt``."""
    return ".html" if is_html(content_type, raw) else ".txt"


def _html_charset(content_type: str | None, raw: bytes) -> str | None:
    declared = None
    if content_type and "charset=" in content_type.lower():
        declared = content_type.lower().split("charset=")[1].split(";")[0].strip(" \"'")
    if declared is None:
        m = _META_CHARSET.search(raw[:4096])
        declared = m.group(1).decode("ascii").lower() if m else None
    return declared


def html_text(raw: bytes, url: str, content_type: str | None = None) -> tuple[str, str]:
    """The article text of an HTML page and the encoding it was decoded with.

    The charset comes from the HTTP header or the page's meta tag; without one, strict
    UTF-8 then GB18030. Pages in other encodings, or with no extractable article, are
    refused rather than guessed at.
    """
    import trafilatura

    declared = _html_charset(content_type, raw)
    if declared is not None and declared not in _CHARSETS:
        raise FetchError(url, f"HTML in charset {declared!r} is not supported (UTF-8 or GB*)")
    candidates = [_CHARSETS[declared]] if declared else ["utf-8", "gb18030"]
    html = None
    for enc in candidates:
        try:
            html, encoding = raw.decode(enc), enc
            break
        except UnicodeDecodeError:
            continue
    if html is None:
        raise FetchError(url, f"HTML is not valid {' or '.join(candidates)}")
    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not text or not text.strip():
        raise FetchError(url, "no article text found in the HTML page")
    return text, encoding
