"""Raw bytes to a decoded Document with provenance.

Decoding is exact and strict: the text is never normalised (CRLF stays CRLF), so
every offset downstream points into the very characters we publish. Anything we
cannot decode with certainty is refused with an :class:`IngestError` naming the
file, never patched with replacement characters.

Encodings tried, in order: a BOM (UTF-8, UTF-16, UTF-32), then strict UTF-8,
then GB18030 (a superset of GBK and GB2312). A file that is valid UTF-8 except
for an incomplete multibyte character at its very end is refused ("truncated
UTF-8"): silently dropping or guessing the last character would make the sha256
and the text disagree about what the report says.

Besides the text, ingest finds what is not report body: the title line and a news
subtitle under it, bylines (delivery line, speaker, reporter credits, a news dateline
such as 本报讯（记者 某某）), paywall notices and the trailing source URL. They are kept as :class:`Boilerplate` spans, and ``body_start`` /
``body_end`` bracket the body between them.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PositiveInt, field_validator

from heping_data.errors import FetchError, IngestError
from heping_data.records import Boilerplate, Document
from heping_data.sources.fetch import Snapshot, url_file_name
from heping_data.sources.html import html_text, is_html
from heping_data.text.chars import ends_sentence
from heping_data.text.ruledata import RuleModel, load_rules

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def _regex(v: str) -> str:
    """A field that must compile as a regular expression."""
    try:
        re.compile(v)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from exc
    return v


@dataclass(frozen=True)
class _Rules:
    """Compiled rule data from ``data/ingest/ingest.yaml``."""

    max_bytes: int
    magic: tuple[tuple[bytes, str], ...]
    bad_controls: re.Pattern[str]
    min_cjk_share: float
    title_max: int
    header: tuple[tuple[str, re.Pattern[str]], ...]
    paywall: re.Pattern[str]
    url_cue: re.Pattern[str]
    url: re.Pattern[str]
    byline_segment: tuple[re.Pattern[str], ...]
    subtitle_max: int
    subtitle_not: re.Pattern[str]
    dateline: re.Pattern[str]
    sidecar_extensions: frozenset[str]
    html_extensions: frozenset[str]
    max_inputs: int


Pattern = Annotated[str, AfterValidator(_regex)]


class IngestRules(RuleModel):
    """``data/ingest/ingest.yaml``: limits, magic numbers and the boilerplate patterns."""

    max_bytes: PositiveInt
    magic_numbers: dict[str, str]  # hex of the first bytes → what the file is
    allowed_controls: str
    gb18030_min_cjk_share: Annotated[float, Field(ge=0, le=1)]
    title_max_chars: PositiveInt
    header_lines: dict[str, list[Pattern]]  # boilerplate kind → patterns of its lines
    subtitle_max_chars: PositiveInt
    subtitle_not: Pattern
    dateline: list[Pattern]
    paywall: list[Pattern]
    source_url_cues: list[Pattern]
    url: Pattern
    byline_segment: list[Pattern]
    sidecar_extensions: list[str]
    html_extensions: list[str]
    max_inputs: PositiveInt

    @field_validator("magic_numbers")
    @classmethod
    def _hex(cls, v: dict[str, str]) -> dict[str, str]:
        for h in v:
            bytes.fromhex(h)  # a ValueError names the bad key
        return v


@cache
def _rules() -> _Rules:
    """Load, validate and compile the rule data once per process."""
    raw = load_rules(IngestRules, "ingest", "ingest.yaml")
    allowed = set(raw.allowed_controls)
    bad = "".join(re.escape(chr(c)) for c in [*range(0x20), 0x7F] if chr(c) not in allowed)
    header = tuple((kind, re.compile(p)) for kind, pats in raw.header_lines.items() for p in pats)
    cues = "|".join(raw.source_url_cues)
    return _Rules(
        max_bytes=raw.max_bytes,
        magic=tuple((bytes.fromhex(h), what) for h, what in raw.magic_numbers.items()),
        bad_controls=re.compile(f"[{bad}]"),
        min_cjk_share=raw.gb18030_min_cjk_share,
        title_max=raw.title_max_chars,
        header=header,
        paywall=re.compile("|".join(f"(?:{p})" for p in raw.paywall)),
        url_cue=re.compile(f"(?:{cues})[\\s\u3000]*(?={raw.url})"),
        url=re.compile(raw.url),
        byline_segment=tuple(re.compile(p) for p in raw.byline_segment),
        subtitle_max=raw.subtitle_max_chars,
        subtitle_not=re.compile(raw.subtitle_not),
        dateline=re.compile("|".join(f"(?:{p})" for p in raw.dateline)),
        sidecar_extensions=frozenset(str(x).lower() for x in raw.sidecar_extensions),
        html_extensions=frozenset(str(x).lower() for x in raw.html_extensions),
        max_inputs=raw.max_inputs,
    )


def default_max_bytes() -> int:
    """The default size limit of one input file (rule data; ``--max-bytes`` overrides)."""
    return _rules().max_bytes


def default_max_inputs() -> int:
    """The default number of inputs one run accepts (``--max-inputs`` overrides)."""
    return _rules().max_inputs


def is_sidecar(path: str | Path) -> bool:
    """A file next to reports that is not one (annotations, tables, notes, code)."""
    return Path(path).suffix.lower().lstrip(".") in _rules().sidecar_extensions


def looks_like_html(path: str | Path, head: bytes) -> bool:
    """Read as an HTML page: an HTML extension, or first bytes that open an HTML document."""
    if Path(path).suffix.lower().lstrip(".") in _rules().html_extensions:
        return True
    return is_html(None, head)


def _is_cjk(ch: str) -> bool:
    """Han ideographs and CJK punctuation/full-width forms, the bulk of a Chinese report."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3134F
        or ch in "“”‘’—…·《》〈〉【】"
    )


def decode(raw: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode report bytes exactly; return ``(text, encoding)`` or raise IngestError."""
    rules = _rules()
    if not raw:
        raise IngestError(path, "empty file (0 bytes)")
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    path,
                    f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason} at byte {exc.start + len(bom)}",
                ) from exc
            return _check_text(text, name, path), name
    for magic, what in rules.magic:
        if raw.startswith(magic):
            raise IngestError(path, f"binary file, not text: looks like a {what}")
    if b"\x00" in raw:
        raise IngestError(path, f"binary file, not text: NUL byte at offset {raw.index(0)}")
    try:
        return _check_text(raw.decode("utf-8"), "utf-8", path), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end >= len(raw):
            raise IngestError(
                path,
                f"truncated UTF-8: the last character is incomplete (bytes {exc.start}-{len(raw)})",
            ) from exc
        if _looks_like_broken_utf8(raw[: exc.start]):
            raise IngestError(
                path, f"invalid UTF-8 at byte {exc.start} ({exc.reason}) in an otherwise UTF-8 file"
            ) from exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise IngestError(
            path, f"undecodable: neither UTF-8 nor GB18030 (invalid byte at offset {exc.start})"
        ) from exc
    non_ascii = [c for c in text if ord(c) > 0x7F]
    share = sum(map(_is_cjk, non_ascii)) / len(non_ascii) if non_ascii else 1.0
    if share < rules.min_cjk_share:
        raise IngestError(
            path,
            f"undecodable: not UTF-8, and as GB18030 only {share:.0%} of non-ASCII characters are Chinese",
        )
    return _check_text(text, "gb18030", path), "gb18030"


def _looks_like_broken_utf8(prefix: bytes) -> bool:
    """True when the bytes before the first UTF-8 error hold real multibyte UTF-8 text."""
    try:
        head = prefix.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - prefix is valid by construction
        return False
    return sum(1 for c in head if ord(c) > 0x7F) >= 8


def _check_text(text: str, encoding: str, path: str) -> str:
    """Refuse decoded text that is blank or full of control characters."""
    if not text.strip():
        raise IngestError(path, f"no text: the file holds only whitespace ({encoding})")
    m = _rules().bad_controls.search(text)
    if m:
        raise IngestError(
            path,
            f"binary or mis-encoded file: control character U+{ord(m.group()):04X} at character {m.start()}",
        )
    return text


def _lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line's stripped content between start and end, empty lines skipped."""
    end = len(text) if end is None else end
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        s, e = pos, stop
        while s < e and (text[s].isspace() or text[s] == "\ufeff"):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos = stop + 1
    return out


def _looks_like_title(line: str, rules: _Rules) -> bool:
    return len(line) <= rules.title_max and not ends_sentence(line) and line[-1] not in "：:，,"


def _is_subtitle(text: str, lines: list[tuple[int, int]], i: int, rules: _Rules) -> bool:
    """A second headline line: right under the title, then a blank line or a header line."""
    s, e = lines[i]
    line = text[s:e]
    if text[lines[i - 1][1] : s].count("\n") != 1:
        return False  # a blank line between: the body has begun
    if len(line) > rules.subtitle_max or ends_sentence(line) or line[-1] in "：:，,":
        return False
    if rules.subtitle_not.match(line) or rules.dateline.match(line):
        return False
    if i + 1 == len(lines):
        return False  # nothing after it: it is the body
    ns, ne = lines[i + 1]
    if text[e:ns].count("\n") >= 2:
        return True
    nxt = text[ns:ne]
    return len(nxt) <= 80 and any(p.search(nxt) for _, p in rules.header)


def find_boilerplate(text: str) -> tuple[list[Boilerplate], int, int]:
    """Boilerplate spans and the body bounds ``(spans, body_start, body_end)``.

    The head (title, bylines, paywall, a dateline) and the tail (source URL, credits)
    are peeled off; paywall notices inside the body are spans too.
    """
    rules = _rules()
    lines = _lines(text)
    if not lines:
        return [], 0, 0
    spans, i = _head(text, lines, rules)
    body_start = lines[i][0] if i < len(lines) else len(text)
    # A dateline opening the first paragraph (本报讯（记者 某某）) is a byline, not body.
    if i < len(lines):
        m = rules.dateline.match(text, body_start, lines[i][1])
        if m and m.end() < lines[i][1]:
            spans.append(Boilerplate(m.start(), len(text[: m.end()].rstrip()), "byline"))
            body_start = m.end()
    tail, end = _tail(text, body_start, rules)
    body_end = max(end, body_start)
    # Paywall notices inside the body (not already covered by the header zone).
    for m in rules.paywall.finditer(text, body_start, body_end):
        if not any(b.start <= m.start() < b.end for b in spans):
            spans.append(Boilerplate(m.start(), m.end(), "paywall"))
    spans.extend(reversed(tail))
    spans.sort(key=lambda b: b.start)
    return spans, body_start, body_end


def _head(text: str, lines: list[tuple[int, int]], rules: _Rules) -> tuple[list[Boilerplate], int]:
    """The title and the header zone before the body: spans, and the first body line."""
    spans: list[Boilerplate] = []
    i = 0
    # Title: first non-empty line, when it is not the only line and reads like a title.
    s, e = lines[0]
    if (
        len(lines) > 1
        and _looks_like_title(text[s:e], rules)
        and not rules.paywall.search(text, s, e)
    ):
        spans.append(Boilerplate(s, e, "title"))
        i = 1
    # Header zone: bylines, speaker, date and paywall lines before the body.
    while i < len(lines):
        s, e = lines[i]
        kind = _header_kind(text[s:e], rules)
        if kind is None and i == 1 and spans and _is_subtitle(text, lines, i, rules):
            kind = "subtitle"
        if kind is None:
            break
        spans.append(Boilerplate(s, e, kind))
        i += 1
    return spans, i


def _header_kind(line: str, rules: _Rules) -> str | None:
    """The boilerplate kind of a header-zone line (paywall, byline, …), or None."""
    if rules.paywall.fullmatch(line) or (rules.paywall.search(line) and len(line) <= 40):
        return "paywall"
    for k, pat in rules.header:
        if len(line) <= 80 and pat.search(line) and not ends_sentence(line):
            return k
    return None


def _tail(text: str, body_start: int, rules: _Rules) -> tuple[list[Boilerplate], int]:
    """Source URL (with its cue) and credit segments, peeled off from the end: the spans
    (last first) and where the body ends."""
    end = len(text.rstrip())
    tail: list[Boilerplate] = []
    while end > body_start:
        seg_start = (
            max(
                text.rfind(" ", body_start, end),
                text.rfind("\n", body_start, end),
                text.rfind("\u3000", body_start, end),
                text.rfind("\t", body_start, end),
            )
            + 1
        )
        seg_start = max(seg_start, body_start)
        seg = text[seg_start:end]
        url = rules.url.search(seg)
        if url:
            cue = rules.url_cue.search(seg)
            s0 = seg_start + (cue.start() if cue and cue.start() <= url.start() else url.start())
            if s0 != seg_start and not ends_sentence(text[seg_start:s0]):
                break  # a URL glued to body text; leave it to the body
            tail.append(Boilerplate(s0, end, "source_url"))
        elif (
            len(seg) <= 40
            and not ends_sentence(seg)
            and any(p.search(seg) for p in rules.byline_segment)
        ):
            if tail and tail[-1].kind == "byline":
                tail[-1] = Boilerplate(seg_start, tail[-1].end, "byline")
            else:
                tail.append(Boilerplate(seg_start, end, "byline"))
        else:
            break
        end = len(text[:seg_start].rstrip())
    return tail, end


def find_report_year(text: str) -> int | None:
    """The reviewed year when the text states it with real digits (masked years give None)."""
    from heping_data.extract.docmeta import find_years

    _, body_start, _ = find_boilerplate(text)
    title = next((b for b in find_boilerplate(text)[0] if b.kind == "title"), None)
    return find_years(text, text[title.start : title.end] if title else None, body_start).reviewed


def ingest(
    path: str | Path,
    *,
    report_year: int | None = None,
    max_bytes: int | None = None,
    html: bool | None = None,
    hints: Mapping[str, Any] | None = None,
) -> Document:
    """Read one report file; doc_id is content-addressed (first 16 hex of sha256).

    An HTML page (``html=True``, or by default an HTML extension or HTML first bytes) is
    reduced to its article text by the same reader as URL sources, so a saved page and
    the fetched page give the same document.
    """
    p = Path(path)
    limit = _rules().max_bytes if max_bytes is None else max_bytes
    try:
        size = p.stat().st_size
        if size > limit:
            raise IngestError(
                str(p),
                f"file too large: {size} bytes exceeds the limit of {limit} bytes (raise it with --max-bytes)",
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise IngestError(str(p), f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise IngestError(
            str(p),
            f"file too large: {len(raw)} bytes exceeds the limit of {limit} bytes (raise it with --max-bytes)",
        )
    if html if html is not None else looks_like_html(p, raw[:512]):
        if not raw.strip():
            raise IngestError(
                str(p),
                "empty file (0 bytes)" if not raw else "no text: the file holds only whitespace",
            )
        try:
            text, encoding = html_text(raw, str(p))
        except FetchError as exc:
            raise IngestError(str(p), f"HTML page: {exc.reason}") from exc
        text = _check_text(text, encoding, str(p))
        return build_document(raw, text, encoding, p, report_year=report_year, hints=hints)
    text, encoding = decode(raw, str(p))
    return build_document(raw, text, encoding, p, report_year=report_year, hints=hints)


def build_document(
    raw: bytes,
    text: str,
    encoding: str,
    path: Path,
    *,
    report_year: int | None = None,
    hints: Mapping[str, Any] | None = None,
) -> Document:
    """Assemble the Document: hashes, boilerplate, body bounds, title, years and region.

    ``hints`` are the source's manifest fields (district, province, publisher): the most
    trusted evidence of its region.
    """
    from heping_data.extract.docmeta import find_region, find_years

    sha = hashlib.sha256(raw).hexdigest()
    spans, body_start, body_end = find_boilerplate(text)
    title = next((b for b in spans if b.kind == "title"), None)
    bylines = [text[b.start : b.end] for b in spans if b.kind == "byline"]
    url_span = next((b for b in spans if b.kind == "source_url"), None)
    url = _rules().url.search(text, url_span.start, url_span.end) if url_span else None
    title_text = text[title.start : title.end] if title else None
    years = find_years(text, title_text, body_start, report_year)
    where = find_region(text, title_text, body_start, hints)
    publisher = (hints or {}).get("publisher")
    return Document(
        doc_id=sha[:16],
        source_path=str(path),
        file_name=path.name,
        sha256=sha,
        byte_count=len(raw),
        encoding=encoding,
        text=text,
        title=title_text,
        title_start=title.start if title else None,
        title_end=title.end if title else None,
        byline=" ".join(bylines) or None,
        source_url=url.group() if url else None,
        body_start=body_start,
        body_end=body_end,
        boilerplate=tuple(spans),
        report_year=years.reviewed,
        year_planned=years.planned,
        year_source=years.source,
        region_name=where.region_name,
        region_code=where.region_code,
        admin_level=where.admin_level,
        parent_region_name=where.parent_name,
        parent_region_code=where.parent_code,
        region_source=where.source,
        region_note=where.note,
        publisher=str(publisher) if publisher else None,
    )


def read_snapshot(
    snap: Snapshot, *, report_year: int | None = None, hints: Mapping[str, Any] | None = None
) -> Document:
    """The Document of a snapshot: plain text decoded like a local file, HTML as article text."""
    raw = Path(snap.raw_path).read_bytes()
    name = url_file_name(snap.url)
    if is_html(snap.content_type, raw):
        text, encoding = html_text(raw, snap.url, snap.content_type)
    else:
        text, encoding = decode(raw, snap.url)
    doc = build_document(raw, text, encoding, Path(name), report_year=report_year, hints=hints)
    return replace(doc, source_path=snap.url, file_name=name)


def reader_of(snap: Snapshot) -> str:
    """How a snapshot's bytes are read (part of the cache key)."""
    raw_head = Path(snap.raw_path).read_bytes()[:512]
    return "html" if is_html(snap.content_type, raw_head) else "text"
