"""Cores that name rather than count: codes (C919, GB/T 19001-2016), list markers,
quoted names and labels (“绿盾2018”, “141”体系), service lines, versions.
"""

from __future__ import annotations

import re

from heping_data.extract.numbers.build import _Found, _mention
from heping_data.extract.numbers.grammar import _CLOSE_QUOTES, _OPEN_QUOTES, _PUNCT_END, _RANGE_SEP
from heping_data.extract.numbers.rules import _Rules

# What may precede a list marker's digits: a line break or the start (read as one),
# indentation, or an opening bracket.
_MARKER_PREV = frozenset("\r\n \t\u3000(（")


def _is_list_marker(text: str, s: int, e: int) -> bool:
    """1. / 1、 / （1） at the start of a line: a heading or list number, not a quantity."""
    k = s - 1
    bracket = k >= 0 and text[k] in "(（"
    if bracket:
        k -= 1
    while k >= 0 and text[k] in " \t\u3000":
        k -= 1
    if k >= 0 and text[k] not in "\r\n":
        return False
    nxt = text[e : e + 1]
    if bracket:
        return nxt in (")", "）")
    return nxt in (".", "．", "、", ")", "）") and not text[e + 1 : e + 2].isdigit()


_STD_PREFIX = re.compile(r"[A-Z]{1,4}[0-9]{0,3}(?:/[A-Z]{1,2})?[ \u00a0]?$")
_CODE_TAIL = re.compile(r"(?:[-－][0-9]+)+")


def _code(text: str, s: int, e: int) -> _Found:
    """Letters glued to digits: a model number or code (C919, PM2.5, GB/T 19001-2016).

    A code runs on over dash-joined digit groups (its year or serial), so no part of
    it is read as a range or a negative number.
    """
    n = len(text)
    ls = s
    while ls > 0 and text[ls - 1].isascii() and text[ls - 1].isalpha():
        ls -= 1
    le = e
    while le < n and text[le].isascii() and (text[le].isalnum() or text[le] == "."):
        le += 1
    tail = _CODE_TAIL.match(text, le)
    if tail:
        le = tail.end()
    return [_mention(text, ls, le, "name", "code")], le


def _code_or_marker(text: str, s: int, e: int, prev: str, nxt: str) -> _Found | None:
    """GB/T 19001-2016 (a standard's number and year: a code); [12], ^[3] (an endnote
    marker: boilerplate)."""
    if prev in "[［":
        if nxt not in "]］" or e - s > 3:
            return None
        ms = s - 2 if s >= 2 and text[s - 2] == "^" else s - 1
        return [_mention(text, ms, e + 1, "boilerplate", "endnote marker")], e + 1
    if _STD_PREFIX.search(text, max(0, s - 12), s):
        return _code(text, s, e)
    return None


def _quoted_name(text: str, s: int, e: int) -> _Found | None:
    """“绿盾2018”, “智慧城市2.0”: digits glued to the end of a quoted name are part of it.

    Why: a campaign or plan title numbered by year or generation names a thing; the
    quote must open within a short reach before the digits, with no clause break.
    """
    k = s - 1
    stop = max(0, s - 16)
    while k >= stop:
        c = text[k]
        if c in _OPEN_QUOTES or c == '"':
            return [_mention(text, k + 1, e, "name", "quoted name")], e
        if c in _PUNCT_END:
            return None
        k -= 1
    return None


def _quoted_label(text: str, s: int, e: int, r: _Rules) -> _Found | None:
    """A number opening a quoted phrase that names something: “141”体系, “15分钟便民生活圈”.

    Why: a slogan or brand in quotes is a label; a short verb after the unit
    (“3分钟到场”) keeps the number a quantity.
    """
    if text[s - 1] == '"':  # "1515" in ASCII quotes: a label when alone in them
        if text[e : e + 1] != '"':
            return None
        return [_mention(text, s, e, "name", "quoted label")], e
    words = r.words
    close = -1
    for k in range(e, min(len(text), s + words.quoted_label_max)):
        if text[k] in _CLOSE_QUOTES:
            close = k
            break
        if text[k] in _PUNCT_END or text[k] in _OPEN_QUOTES:
            return None
    if close < 0:
        return None
    if close == e:
        return [_mention(text, s, e, "name", "quoted label")], e
    t = r.tail.match(text, e)
    if not t.group("unit"):
        return None
    rest = text[t.end() : close]
    if len(rest) >= words.quoted_label_min_rest or any(
        rest.endswith(w) for w in words.quoted_label_suffixes
    ):
        return [_mention(text, s, t.end(), "name", "quoted label")], t.end()
    return None


def _name(text: str, s: int, e: int, plain: str, nxt: str, r: _Rules) -> _Found | None:
    """Names with Arabic digits: 5G, 4A级, 126中学, 3号线, 12345 热线; not 10MW."""
    n = len(text)
    if nxt.isascii() and nxt.isalpha() and not r.ascii_unit.match(text, e):
        le = e
        while le < n and text[le].isascii() and text[le].isalnum():
            le += 1
        if text.startswith("级", le):
            le += 1
        return [_mention(text, s, le, "name")], le
    ns = r.name_suffix.match(text, e) if nxt in r.name_first else None
    tail = r.tail.match(text, e) if ns or plain in r.words.service_numbers else None
    if ns and not tail.group("unit"):
        code = _CODE_TAIL.match(text, ns.end())  # ICP备12345678号-1
        end = code.end() if code else ns.end()
        return [_mention(text, s, end, "name")], end
    cjk_near = "\u4e00" <= nxt <= "\u9fff" or (s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff")
    version = plain.endswith(".0") and cjk_near and nxt not in _RANGE_SEP
    if version and not r.tail.match(text, e).group():
        return [_mention(text, s, e, "name", "version")], e  # 工业4.0, 教育信息化2.0
    if tail is not None and not tail.group() and nxt not in "%％":
        return [_mention(text, s, e, "name", "service line")], e
    return None
