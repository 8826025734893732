"""The scan loop (``find_mentions``) with its two inline fast paths.

Why the fast paths live here: digits + multiplier + unit (``_fast_quantity``) and
Chinese numerals that cannot be quantities (``_cn_dead_end``) are most cores of a
report; settling them in the loop, without the chain, is most of the speed.
"""

from __future__ import annotations

from heping_data.extract.numbers.build import (
    _NEAR,
    _NEW,
    _SET_ATTR,
    _before_cmp,
    _clause_approx,
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
    out: list[NumberMention] = []
    append = out.append
    search = r.scan.search
    cn_next = r.cn_next
    last_end = 0
    near: list[int] = []  # mentions at most two characters after the previous one
    pos = 0
    n = len(text)
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        s = m.start()
        if kind == "fast":
            e = m.end("fcore")
            in_bp = bp and any(a <= s < b for a, b in bp)
            # A four-character integer may be a year: the chain decides those.
            if not in_bp and (e - s != 4 or "." in text[s:e] or "．" in text[s:e]):
                end = m.end()
                if s >= last_end:
                    if 0 < s - last_end <= 2:
                        near.append(len(out))
                    append(_fast_quantity(text, s, end, *m.group("fcore", "fmult", "funit"), r))
                    last_end = end
                pos = end
                continue
            kind = "ar"  # back to the chain as the bare digit run
        else:
            e = m.end()
            in_bp = bp and any(a <= s < b for a, b in bp)
        if in_bp:
            out.extend(_in_boilerplate(text, s, e, bp))
            if out:
                last_end = out[-1].end
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
    # Comparators as in _finish, with each regex behind a one-character guard.
    before = None
    cmp = None
    if text[end : end + 1] in r.after_first:
        after = r.after.match(text, end)
        if after is not None:
            cmp = r.cmp_after[after.group()]
    if cmp is None:
        if text[s - 1] in r.before_last:
            before = r.before.search(text, s - 7 if s > 7 else 0, s)
        if before is not None:
            cmp = r.cmp_before[before.group("w")]
        elif "约" in text[s - 14 if s > 14 else 0 : s] and _clause_approx(text, s, r):
            cmp = "approx"
        else:
            cmp = "eq"
    imin, imax = lo, hi
    if cmp != "eq":
        if cmp in ("gt", "ge"):
            imax = None
        elif cmp in ("lt", "le"):
            imin = None
        elif cmp == "approx":
            if before is None:
                before = _before_cmp(text, s, r)
            imin = None
            imax = hi if before is not None and before.group("w") in _NEAR else None
    rec = _NEW(NumberMention)
    _SET_ATTR(
        rec,
        "__dict__",
        {
            "start": s,
            "end": end,
            "text": text[s:end],
            "cls": "quantity",
            "numeral": core,
            "unit": r.unit_norm.get(unit) or _norm_unit(unit, r),
            "multiplier": mult,
            "value": val,
            "value_min": lo,
            "value_max": hi,
            "comparator": cmp,
            "implied_min": imin,
            "implied_max": imax,
            "is_masked": nm > 0,
            "masked_digits": nm,
            "is_range": False,
            "is_ordinal": False,
            "note": None,
        },
    )
    return rec


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
