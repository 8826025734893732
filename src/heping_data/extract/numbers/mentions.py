"""The scan loop (``find_mentions``) with its two inline fast paths.

Why the fast paths live here: digits + multiplier + unit (``_fast_quantity``) and
Chinese numerals that cannot be quantities (``_cn_dead_end``) are most cores of a
report; settling them in the loop, without the chain, is most of the speed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from heping_data.extract.numbers.build import (
    _NEAR,
    _NEW,
    _SET_ATTR,
    _before_cmp,
    _clause_approx,
    _may_cmp_before,
    _mention,
    _starts_with_any,
)
from heping_data.extract.numbers.classify import _classify
from heping_data.extract.numbers.grammar import _RUN
from heping_data.extract.numbers.passes import _after_scan
from heping_data.extract.numbers.rules import _Rules, number_rules
from heping_data.extract.numbers.values import _arabic_bounds, _norm_unit, _scale
from heping_data.records import Boilerplate, NumberMention


def find_mentions(
    text: str, boilerplate: tuple[Boilerplate, ...] = (), *, rules: _Rules | None = None
) -> list[NumberMention]:
    """All number-like spans of ``text`` in order, non-overlapping.

    Every Arabic digit, every ``*`` mask and every Chinese-numeral quantity lands in
    exactly one mention; Chinese numerals in fixed expressions (一网通办) are skipped.
    The two commonest cores are settled inline (see ``_fast_quantity`` and
    ``_cn_dead_end``); every other core goes through the ``_classify`` chain. ``rules``
    replaces the loaded rules (tests run the chain alone with ``scan=_CORE``).
    """
    r = number_rules() if rules is None else rules
    bp = sorted((b.start, b.end) for b in boilerplate)
    spans = _merged(bp)
    out: list[NumberMention] = []
    append = out.append
    search = r.scan.search
    # group numbers of the fast shape (absent from a scan without it: tests use _CORE)
    g_core, g_mult, g_unit = (r.scan.groupindex.get(g, 0) for g in ("fcore", "fmult", "funit"))
    cn_next = r.cn_next
    near: list[int] = []  # mentions at most two characters after the previous one
    last_end = pos = 0
    n = len(text)
    # no core before bp_next is in boilerplate
    in_bp, bp_next = False, (spans[0][0] if spans else n)
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        s = m.start()
        if s >= bp_next:
            in_bp, bp_next = _bp_at(spans, s, n)
        if kind == "fast":
            e = m.end(g_core)
            # A four-digit run may be a year: the chain decides those it might read so.
            if not in_bp and (e - s != 4 or _not_year(text, s, e)):
                end = m.end()
                if s >= last_end:
                    if 0 < s - last_end <= 2:
                        near.append(len(out))
                    append(_fast_quantity(text, s, end, *m.group(g_core, g_mult, g_unit), r))
                    last_end = end
                pos = end
                continue
            kind = "ar"  # back to the chain as the bare digit run
        else:
            e = m.end()
        if in_bp:
            out.extend(_in_boilerplate(text, s, e, bp))
            last_end = out[-1].end if out else 0
            pos = e
            continue
        if kind == "cn" and (e >= n or text[e] not in cn_next) and _cn_dead_end(text, s, e, r):
            pos = e
            continue
        found, nxt = _classify(text, kind or "", s, e, r)
        for f in found:
            if f.start >= last_end:
                if 0 < f.start - last_end <= 2:
                    near.append(len(out))
                append(f)
                last_end = f.end
        pos = nxt if nxt > e else e  # e > pos: a core is never empty
    return _after_scan(text, out, near, r)


def _merged(bp: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted boilerplate spans merged where they overlap or touch: an offset is in one
    of ``bp`` exactly when it is in one of these."""
    spans: list[tuple[int, int]] = []
    for a, b in bp:
        if a >= b:
            continue  # an empty span holds no offset
        if spans and a <= spans[-1][1]:
            if b > spans[-1][1]:
                spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _bp_at(spans: list[tuple[int, int]], s: int, n: int) -> tuple[bool, int]:
    """(whether ``s`` is in a boilerplate span, the next offset that may be).

    Why: the scan checks boilerplate only from that offset on, instead of testing every
    span at every core; offsets only grow, so the check stays linear.
    """
    i = bisect_right(spans, (s, n + 1))  # spans[i - 1]: the last one starting at or before s
    if i and s < spans[i - 1][1]:
        return True, s  # inside: check the next core again
    return False, spans[i][0] if i < len(spans) else n


def _not_year(text: str, s: int, e: int) -> bool:
    """A four-character fast core the chain would read exactly as the fast path does.

    The chain reads four digits (or masks) as a year only before 年, a range sign, a
    space, a list word or a closing bracket, none of which starts a fast unit
    (``tests/test_numbers.py`` checks this); a decimal (1.25) is no year, and other
    four-character cores (1/23) stay with the chain. Cores after a space, a tab, an ideographic space, a bracket or an open quote
    go to the chain (codes, list markers, quoted labels), as do ASCII units (names).
    """
    core = text[s:e]
    if "." in core or "．" in core:
        return True
    return (
        _DIGITS4.fullmatch(core) is not None
        and text[s - 1] not in _YEAR_CHAIN_PREV
        and not text[e].isascii()
    )


# Characters before a digit run that the chain checks before its year rule (codes,
# endnote and list markers, quoted labels); ``_FAST_PREV_BLOCK`` holds the others.
_DIGITS4 = re.compile("[0-9０-９*＊]{4}")
_YEAR_CHAIN_PREV = frozenset(" \u00a0[［\t\u3000「『‘")


def _fast_quantity(
    text: str, s: int, end: int, core: str, mw: str | None, unit: str, r: _Rules
) -> NumberMention:
    """The common case in one step: Arabic digits, optional multiplier, a plain unit.

    The scan regex (group ``fast``) has already checked what the chain would: the
    previous character cannot make the core an ordinal, sign, list marker or code; the
    next one starts a multiplier or unit that is not a name suffix or date word; no
    余/多, no range and no 半 follow. Four-digit integers (possible years) are left to
    the chain by the caller. The result equals what the chain would build
    (``tests/test_numbers.py`` checks this by running both on whole reports).
    """
    tpl = r.fast_memo.get((core, mw, unit))
    if tpl is None:
        tpl = _fast_template(core, mw, unit, r)
    # Comparators as in _finish, with each regex behind a one-character guard.
    before = None
    cmp = None
    if text[end : end + 1] in r.after_first:
        after = r.after.match(text, end)
        if after is not None:
            cmp = r.cmp_after[after.group()]
    if cmp is None:
        if text[s - 1] in r.before_last and _may_cmp_before(text, s, r):
            before = r.before.search(text, s - 7 if s > 7 else 0, s)
        if before is not None:
            cmp = r.cmp_before[before.group("w")]
        elif text.find("约", s - 14 if s > 14 else 0, s) >= 0 and _clause_approx(text, s, r):
            cmp = "approx"
    d = tpl.copy()  # every field in declaration order; comparator eq, implied = bounds
    d["start"] = s
    d["end"] = end
    d["text"] = text[s:end]
    if cmp is not None and cmp != "eq":
        d["comparator"] = cmp
        if cmp in ("gt", "ge"):
            d["implied_max"] = None
        elif cmp in ("lt", "le"):
            d["implied_min"] = None
        elif cmp == "approx":
            if before is None:
                before = _before_cmp(text, s, r)
            d["implied_min"] = None
            if before is None or before.group("w") not in _NEAR:
                d["implied_max"] = None
    rec = _NEW(NumberMention)
    _SET_ATTR(rec, "__dict__", d)
    return rec


def _fast_template(core: str, mw: str | None, unit: str, r: _Rules) -> dict[str, Any]:
    """The record fields of a fast core read with comparator ``eq``, memoised.

    Why: a report repeats the same few written numbers (**亿元, 3%, 1.2万人); their
    values are a pure function of the three strings and the rules, and copying a
    finished field dict is several times cheaper than building one.
    """
    if core.isascii() and "*" not in core and "," not in core and "/" not in core:
        lo = hi = val = float(core)  # plain digits with an optional decimal point
        nm = 0
    else:
        val, lo, hi, nm = _arabic_bounds(core)
    if mw is None:
        mult = 1.0
    else:
        mult = r.mult[mw]
        if nm == 0 and val is not None:
            lo = hi = val = _scale(val, mult)
        else:
            lo, hi, val = _scale(lo, mult), _scale(hi, mult), _scale(val, mult)
    tpl = {
        "start": 0,
        "end": 0,
        "text": "",
        "cls": "quantity",
        "numeral": core,
        "unit": r.unit_norm.get(unit) or _norm_unit(unit, r),
        "multiplier": mult,
        "value": val,
        "value_min": lo,
        "value_max": hi,
        "comparator": "eq",
        "implied_min": lo,
        "implied_max": hi,
        "is_masked": nm > 0,
        "masked_digits": nm,
        "is_range": False,
        "is_ordinal": False,
        "note": None,
    }
    memo = r.fast_memo
    if len(memo) >= _MEMO_MAX:
        memo.clear()  # bounded: a corpus of distinct numbers cannot grow it without end
    memo[core, mw, unit] = tpl
    return tpl


_MEMO_MAX = 1 << 13  # about 5 MB of field dicts at most


def _cn_dead_end(text: str, s: int, e: int, r: _Rules) -> bool:
    """A Chinese numeral that the chain would drop: not before a unit-like character,
    not after 第/前/a quote, not a five-year-plan label (进一步, 一体化, 统一)."""
    if s and (text[s - 1] in _CN_LIVE_PREV or text[s - 1] in r.from_marks):
        return False
    if text[s] in "零〇" and _starts_with_any(text, e, r.zero):
        return False  # 零费用
    fy = r.five_year.match(text, s)
    return fy is None or fy.end() < e


_CN_LIVE_PREV = frozenset('第前“「‘"')


def _in_boilerplate(text: str, cs: int, ce: int, bp: list[tuple[int, int]]) -> list[NumberMention]:
    """Mentions of a core inside a boilerplate span: one per digit/mask run."""
    res = []
    for k in _RUN.finditer(text, cs, ce):
        s, e = k.start(), k.end()
        bracketed = s > 0 and e < len(text) and text[s - 1] in "(（" and text[e] in ")）"
        if bracketed and any(a <= s - 1 and e + 1 <= b for a, b in bp):
            s, e = s - 1, e + 1
        res.append(_mention(text, s, e, "boilerplate"))
    return res
