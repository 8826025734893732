"""Ranges (3-5个, 3至5万元) and the dash-joined runs that are not ranges: serials, scores,
addresses, versions, codes.
"""

from __future__ import annotations

import re

from heping_data.extract.numbers.build import (
    _Q,
    _ends_with_any,
    _finish,
    _Found,
    _lookback,
    _mention,
    _starts_with_any,
)
from heping_data.extract.numbers.grammar import _CN_PLACE, _CN_PLACE_RE, _CORE, _OPEN_QUOTES
from heping_data.extract.numbers.rules import _Rules
from heping_data.extract.numbers.values import _norm_unit, _parse_core, _split_cn


def _range(
    text: str,
    s: int,
    e: int,
    core: str,
    kind: str,
    q: _Q,
    t: re.Match[str],
    lend: int,
    lo: float,
    hi: float,
    nm: int,
    cmult: float,
    r: _Rules,
) -> _Found | None:
    """Ranges: 3-5个, 3至5个, 3%～5%, 三到五千万元, 5000-1万元.

    Invariants: the two ends share a unit; each end keeps its own multiplier, and a
    multiplier written only after the right end is shared when that keeps the ends in
    order (3-5万元) and left off the left end otherwise (5000-1万元); the ends must read
    low to high, or high to low after a fall (下降到4.1%-3.9%, stored ascending with the
    note ``descending``). A dash chain or a serial is a code; any other high-to-low pair
    is a name (score, address, version, model name) or two mentions.
    """
    is_cn = kind == "cn"
    m2 = _CORE.match(text, lend + 1)
    if not m2 or m2.lastgroup != kind:
        return None
    v2, lo2, hi2, nm2, cm2 = _parse_core(kind, m2.group(), r)
    t2 = r.tail.match(text, m2.end())
    cn_bare = is_cn and not (t2.group("unit") or t2.group("mult") or cm2 != 1.0)
    if (v2 is None and not nm2) or cn_bare:
        return None
    if kind == "ar" and not t2.group():
        serial = _serial(text, s, lend, m2)
        if serial:
            return serial
    if text.startswith("月", m2.end()):
        return None  # handled as a date above when small; leave as two quantities
    left_unit = t.group("unit") if lend == t.end() else None
    u = t2.group("unit") or left_unit
    if left_unit and _norm_unit(left_unit, r) != _norm_unit(t2.group("unit") or "", r):
        return None  # 5%-6个: no shared unit, two mentions
    m_right = cm2 * (r.mult[t2.group("mult")] if t2.group("mult") else 1.0)
    options = _left_options(t, lend, cmult, m_right, r)
    if is_cn and len(core) == 1:
        place = _CN_PLACE_RE.fullmatch(_split_cn(m2.group(), r)[0])
        if place:
            lo *= _CN_PLACE[place.group(1)]
            hi *= _CN_PLACE[place.group(1)]
    m_left = next(
        (
            m
            for m in options
            if lo * m <= hi2 * m_right and (m == options[0] or lo * 10 >= hi2 * m_right)
        ),
        None,
    )
    if m_left is not None:
        q.lo, q.hi = lo * m_left / m_right, hi2
    elif _fall_before(text, s, r):
        m_left = options[0]
        q.lo, q.hi = lo2, hi * m_left / m_right
        q.note = "descending"
    else:
        return None if u else _descending_name(text, s, m2.end(), r)
    q.value = None
    q.mult = m_right
    q.is_range = True
    q.masked = nm + nm2
    q.numeral = text[s : m2.end()]
    q.end = t2.end()
    q.unit = r.unit_norm.get(u, u) if u else None
    if t2.group("yu1") or t2.group("yu2"):
        q.inside_cmp = "gt"
    return [_finish(text, q, r)], q.end


def _left_options(
    t: re.Match[str], lend: int, cmult: float, m_right: float, r: _Rules
) -> list[float]:
    """Multipliers the left end may take, preferred first: its own written one, else the
    right end's shared (3-5万元), else none (5000-1万元)."""
    if t.group("mult") and lend == t.end():
        return [cmult * r.mult[t.group("mult")]]
    if cmult != 1.0 or m_right == 1.0:
        return [cmult]
    return [m_right, 1.0]


_DASH_CHAIN = re.compile(r"(?:[-－][0-9０-９]+)+")


def _serial(text: str, s: int, lend: int, m2: re.Match[str]) -> _Found | None:
    """20231201-001, 0471-1234-5678, 3-2-1: a dash-joined run that is an id, not a range.

    Why: a long digit group, a zero-led group or three or more groups never bound a
    quantity; the whole run is one name.
    """
    left, right = text[s:lend], m2.group()
    chain = _DASH_CHAIN.match(text, m2.end())
    long_or_zero = len(left) >= 7 or len(right) >= 7 or (len(right) > 1 and right[0] in "0０")
    if not (chain or long_or_zero):
        return None
    end = chain.end() if chain else m2.end()
    return [_mention(text, s, end, "name", "id")], end


def _fall_before(text: str, s: int, r: _Rules) -> bool:
    """下降到4.1%-3.9%, 减少30-20万人: a fall just before a high-to-low pair."""
    return _lookback(text, s, r.words.fall_cues, r.words.fall_reach)


def _descending_name(text: str, s: int, end: int, r: _Rules) -> _Found:
    """A unitless high-to-low pair: a score (以3-1获胜), an address (96-1号), a version
    (3.0-2.1版), a model name in quotes (“12-3”工程), else a code."""
    prev = text[s - 1] if s else ""
    if _starts_with_any(text, end, r.by_len["address_after"]):
        note = "address"
    elif _starts_with_any(text, end, r.by_len["version_after"]):
        note = "version"
    elif prev in _OPEN_QUOTES or prev == '"':
        note = "model name"
    elif _starts_with_any(text, end, r.by_len["score_after"]) or _ends_with_any(
        text, s, r.by_len["score_before"]
    ):
        note = "score"
    else:
        note = "code"
    if note in ("address", "version"):
        for size, words in r.by_len[f"{note}_after"]:
            if text[end : end + size] in words:
                end += size
                break
    return [_mention(text, s, end, "name", note)], end
