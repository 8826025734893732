"""TODO."""

from __future__ import annotations

import re

from heping_data.extract.numbers.build import _Q, _finish, _Found, _lookback, _mention
from heping_data.extract.numbers.dates import _date, _year
from heping_data.extract.numbers.grammar import _CLOCK, _CLOSE_QUOTES, _FW, _OPEN_QUOTES, _RUN
from heping_data.extract.numbers.names import (
    _MARKER_PREV,
    _code,
    _code_or_marker,
    _is_list_marker,
    _name,
    _quoted_label,
    _quoted_name,
)
from heping_data.extract.numbers.quantity import _quantity
from heping_data.extract.numbers.rules import _Rules
from heping_data.extract.numbers.values import _arabic_bounds
from heping_data.extract.numbers.wordforms import (
    _approx_numeral,
    _cn_fraction,
    _cn_gate,
    _half,
    _ordinal,
    _percent_word,
    _size_class,
    _top_rank,
)
from heping_data.records import NumberMention


def _classify(text: str, kind: str, s: int, e: int, r: _Rules) -> _Found:
    """Mentions for one core match and the offset where scanning resumes.

    A chain of small deciders, each returning a result or None to pass the core on:
    special cores, codes, the fast unit path, ordinals and top-N ranks, Chinese-numeral
    gates, list markers, word forms (百分之, 分之), years, dates, names, and finally the
    quantity with its range, N大 noun or unit tail.
    """
    core = text[s:e]
    if kind == "url":
        return [
            _mention(text, s + k.start(), s + k.end(), "boilerplate", "url")
            for k in _RUN.finditer(core)
        ], e
    if kind == "pat":
        return _pattern(text, s, e, core, r), e
    if kind == "first":
        if _lookback(text, s, r.words.rank_cues):
            q = _Q(s, e, core, 1.0, 1.0, 1.0, unit="名", is_ordinal=True, note="rank")
            return [_finish(text, q, r)], e
        return [], e
    if kind == "apx":
        return _approx_numeral(text, s, e, core, r)
    if kind == "half":
        return _half(text, s, e, r)
    if kind == "bare":
        return _size_class(text, s, e, r)

    hostile = _hostile(text, kind, s, e, r)
    if hostile is not None:
        return hostile
    n = len(text)
    prev = text[s - 1] if s else "\n"  # a boundary reads as a line break
    nxt = text[e] if e < n else "\n"
    if kind == "ar" and prev.isascii() and prev.isalpha():
        return _code(text, s, e)
    if prev == "第" and kind in ("ar", "cn"):
        return _ordinal(text, s, e, core, kind, r)
    if prev == "前" and kind in ("ar", "cn"):
        top = _top_rank(text, s, e, core, kind, r)
        if top:
            return top
    if kind in ("cn", "cnfrac"):
        gate = _cn_gate(text, s, e, core, kind, prev, nxt, r)
        if gate is not None:
            return gate
    if kind == "ar" and prev in _MARKER_PREV and _is_list_marker(text, s, e):
        ms, me = (s - 1, e + 1) if prev in "(（" else (s, e)
        return [_mention(text, ms, me, "name", "list marker")], me
    if kind == "ar" and nxt in _CLOSE_QUOTES and "\u4e00" <= prev <= "\u9fff":
        quoted = _quoted_name(text, s, e)  # “绿盾2018”: digits closing a quoted name
        if quoted:
            return quoted
    if kind == "pct":
        return _percent_word(text, s, e, core, r)
    if kind == "cnfrac":
        return _cn_fraction(text, s, e, core, r)

    if kind == "cn":  # never a year or a name: straight to date, then quantity
        date = _date(text, s, e, core, core, True, False, prev, nxt, r)
        if date:
            return date
        return _quantity(text, s, e, core, kind, core, False, prev, nxt, r)
    plain = core.translate(_FW)
    masked = "*" in plain
    is_int = plain.replace("*", "").replace(",", "").isdigit() or (masked and "." not in plain)
    if is_int and len(plain) == 4 and "," not in plain:
        year = _year(text, s, e, core, plain, False, masked, prev, nxt, r)
        if year:
            return year
    if is_int and len(plain) <= 2 and not plain.startswith("0"):
        date = _date(text, s, e, core, plain, False, masked, prev, nxt, r)
        if date:
            return date
    if prev in _OPEN_QUOTES:
        label = _quoted_label(text, s, e, r)
        if label:
            return label
    name = _name(text, s, e, plain, nxt, r)
    if name:
        return name
    return _quantity(text, s, e, core, kind, plain, masked, prev, nxt, r)


# No written quantity has a longer numeral: a longer run is kept whole as ``unparsed``
# (never converted, so a 400 KB run costs one regex match, not a parse per position).
_MAX_CORE = 40


def _too_long(text: str, s: int, e: int, kind: str, r: _Rules) -> _Found:
    """A numeral run too long to be a number: one ``unparsed`` mention over the run and
    its multiplier and unit, if any. A Chinese run with nothing unit-like after it is
    prose (一二三四…), not a mention at all."""
    t = r.tail.match(text, e)
    if kind != "ar" and not t.group():
        return [], e
    return [_mention(text, s, t.end(), "unparsed", "numeral run too long")], t.end()


_RATIO_SEP = re.compile("[:：∶]")


def _pattern(text: str, s: int, e: int, core: str, r: _Rules) -> list[NumberMention]:
    """1+N stays one pattern; a ratio (18.6∶39.2∶42.2) gives one unitless quantity a part.

    Why: each part of an industry-structure ratio is a share readers query on its own. A
    clock time (8:30, ASCII or full-width colon) is neither and stays a pattern.
    """
    if "+" in core or "＋" in core or _CLOCK.fullmatch(core.translate(_FW)):
        return [_mention(text, s, e, "pattern")]
    out = []
    ps = s
    for part in _RATIO_SEP.split(core):
        pe = ps + len(part)
        v, lo, hi, nm = _arabic_bounds(part)
        out.append(_finish(text, _Q(ps, pe, part, v, lo, hi, nm, note="ratio part"), r))
        ps = pe + 1
    return out


def _hostile(text: str, kind: str, s: int, e: int, r: _Rules) -> _Found | None:
    """Shapes that must never reach the quantity chain: an ISO date, a numeral run too long
    to be a number, a standard code after its letters (GB/T 19001-2016), an endnote marker."""
    if kind == "iso":
        return [_mention(text, s, e, "date", "ISO date")], e
    if e - s > _MAX_CORE and kind in ("ar", "cn", "cnfrac"):
        return _too_long(text, s, e, kind, r)
    if kind == "ar" and s and text[s - 1] in " \u00a0/[［":
        return _code_or_marker(text, s, e, text[s - 1], text[e : e + 1])
    return None
