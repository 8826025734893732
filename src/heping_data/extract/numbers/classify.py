"""The classification chain: one core match in, its mentions and the resume offset out.

Why a chain of small deciders: each shape (URL, pattern, code, ordinal, list marker,
year, date, name, quantity) is settled by one function that returns a result or None to
pass the core on, so a rule change touches one decider.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
    special cores, hostile shapes, then by kind: Arabic digits (codes, ordinals and
    top-N ranks, list markers, years, dates, names), Chinese numerals (gates, dates),
    word forms (百分之, 分之), and finally the quantity with its range, N大 noun or
    unit tail.
    """
    special = _SPECIAL.get(kind)
    if special is not None:
        return special(text, s, e, r)
    hostile = _hostile(text, kind, s, e, r)
    if hostile is not None:
        return hostile
    prev = text[s - 1] if s else "\n"  # a boundary reads as a line break
    nxt = text[e] if e < len(text) else "\n"
    if kind == "ar":
        return _arabic(text, s, e, prev, nxt, r)
    if kind == "cn":
        return _chinese(text, s, e, prev, nxt, r)
    core = text[s:e]
    if kind == "cnfrac":
        gate = _cn_gate(text, s, e, core, kind, prev, nxt, r)
        return gate if gate is not None else _cn_fraction(text, s, e, core, r)
    return _percent_word(text, s, e, core, r)  # pct (iso is hostile)


_LABEL_OPEN = _OPEN_QUOTES | {'"'}


def _arabic(text: str, s: int, e: int, prev: str, nxt: str, r: _Rules) -> _Found:
    """An Arabic or masked digit run: by what stands before it, a code (after letters),
    an ordinal (第), a top-N rank (前), a list marker, a quoted name; by its own shape, a
    year, a date, a quoted label, a name; else a quantity."""
    core = text[s:e]
    if prev.isascii() and prev.isalpha():
        return _code(text, s, e)
    if prev == "第":
        return _ordinal(text, s, e, core, "ar", r)
    if prev == "前":
        top = _top_rank(text, s, e, core, "ar", r)
        if top:
            return top
    if prev in _MARKER_PREV and _is_list_marker(text, s, e):
        ms, me = (s - 1, e + 1) if prev in "(（" else (s, e)
        return [_mention(text, ms, me, "name", "list marker")], me
    if (nxt in _CLOSE_QUOTES or nxt == '"') and "\u4e00" <= prev <= "\u9fff":
        quoted = _quoted_name(text, s, e)  # “绿盾2018”: digits closing a quoted name
        if quoted:
            return quoted
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
    if prev in _LABEL_OPEN:
        label = _quoted_label(text, s, e, r)
        if label:
            return label
    name = _name(text, s, e, plain, nxt, r)
    if name:
        return name
    return _quantity(text, s, e, core, "ar", plain, masked, prev, nxt, r)


def _chinese(text: str, s: int, e: int, prev: str, nxt: str, r: _Rules) -> _Found:
    """A Chinese numeral: an ordinal or top-N rank, a label or idiom (the gate), a date,
    else a quantity; never a year or a name."""
    core = text[s:e]
    if prev == "第":
        return _ordinal(text, s, e, core, "cn", r)
    if prev == "前":
        top = _top_rank(text, s, e, core, "cn", r)
        if top:
            return top
    gate = _cn_gate(text, s, e, core, "cn", prev, nxt, r)
    if gate is not None:
        return gate
    date = _date(text, s, e, core, core, True, False, prev, nxt, r)
    if date:
        return date
    return _quantity(text, s, e, core, "cn", core, False, prev, nxt, r)


def _url(text: str, s: int, e: int, r: _Rules) -> _Found:
    """A URL: each digit run in it is boilerplate (never a quantity)."""
    return [
        _mention(text, k.start(), k.end(), "boilerplate", "url") for k in _RUN.finditer(text, s, e)
    ], e


def _first(text: str, s: int, e: int, r: _Rules) -> _Found:
    """首位 after a ranking cue (位居全省首位): rank 1."""
    if _lookback(text, s, r.words.rank_cues):
        q = _Q(s, e, text[s:e], 1.0, 1.0, 1.0, unit="名", is_ordinal=True, note="rank")
        return [_finish(text, q, r)], e
    return [], e


def _pattern_core(text: str, s: int, e: int, r: _Rules) -> _Found:
    return _pattern(text, s, e, text[s:e], r), e


def _approx_core(text: str, s: int, e: int, r: _Rules) -> _Found:
    return _approx_numeral(text, s, e, text[s:e], r)


# Cores of their own shape, settled by one decider each (by the scan group's name).
_SPECIAL: dict[str, Callable[[str, int, int, _Rules], _Found]] = {
    "url": _url,
    "pat": _pattern_core,
    "first": _first,
    "apx": _approx_core,
    "half": _half,
    "bare": _size_class,
}

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
    parts = _RATIO_SEP.split(core)
    bounds = [_arabic_bounds(p) for p in parts]
    # parts adding up to 100 are shares in percent (9.2:69.5:21.3); 1.61∶1 has no unit
    total = sum(b[0] or 0.0 for b in bounds)
    unit = "%" if len(parts) > 2 and abs(total - 100.0) < 0.51 else None
    out = []
    ps = s
    for part, (v, lo, hi, nm) in zip(parts, bounds, strict=True):
        pe = ps + len(part)
        q = _Q(ps, pe, part, v, lo, hi, nm, unit=unit, note="ratio part")
        out.append(_finish(text, q, r))
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
