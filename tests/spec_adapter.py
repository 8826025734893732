"""Adapter from our numeral rules to the peer test suites' contract (``run_specs.py``).

``extract(text, kind)`` returns ``(start, end, value)`` spans the way each suite counts them:
RTS percent values are in percent units, currency values in the given currency (multipliers
applied), ranges as (lo, hi) with None for an open end, money as jionlp (lo, hi). The suites'
conventions are translated here; the rules themselves (numerals, units, cue words) are the
ones the pipeline uses, read from ``data/numerals``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from heping_data.text.numerals import (
    CURRENCIES,
    CURRENCY_RE,
    FRACTION_MARKER,
    LENIENT_NUMERAL_RE,
    MORE_MARKERS,
    SUBUNITS,
    find_numerals,
    load_data,
    parse_bounds,
    parse_money,
    percent_value,
    to_value,
)

Value = float | tuple[float | None, float | None] | None
Span = tuple[int, int, Value]

_URL_RE = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
_SP = "[ \t]*"


def _words_rx(words: list[str]) -> str:
    """Alternation of cue words, longest first, with optional spaces between characters."""
    ws = sorted(set(words), key=len, reverse=True)
    return "|".join(_SP.join(map(re.escape, w)) for w in ws)


_UNITS = load_data("units.yaml")
_CMP = load_data("comparators.yaml")
_MONEY = load_data("money.yaml")

_PCT_SUFFIX_RE = re.compile(
    f"{_SP}(?:[%％‰]|个{_SP}百{_SP}分{_SP}点|個{_SP}百{_SP}分{_SP}點|成(?!本|效|果|绩|员|立|为)|折)"
)
_PCT_SIGN_AFTER_RE = re.compile(f"{_SP}[%％‰]")
_SPACED_DIGITS_RE = re.compile(r"(?<![0-9])[0-9０-９](?:[ ][0-9０-９])+(?=[ ]*折)")
_PCT_DEN = {"百", "千", "万", "萬", "百万", "千万", "万万", "百万万"}

_SYMBOLS = [n for n in CURRENCIES if not re.search(r"[\u4e00-\u9fff]", n)]
_CUR_WORDS = [n for n in CURRENCIES if n not in _SYMBOLS]
_CUR_AFTER_RE = re.compile(f"{_SP}(?:个)?(?:{_words_rx(_CUR_WORDS)})")
_SUB_AFTER_RE = re.compile(
    f"(?:又|和)?((?:{LENIENT_NUMERAL_RE.pattern}))({'|'.join(sorted(map(re.escape, SUBUNITS), key=len, reverse=True))})"
)
_PREFIX_SYM_RE = re.compile(
    f"(?:{'|'.join(map(re.escape, sorted(_SYMBOLS, key=len, reverse=True)))}){_SP}$"
)
_PREFIX_RMB_RE = re.compile(f"(?:人民币|港币|美元){_SP}$")
_BARE_CUR_RE = re.compile(
    _words_rx([w for w in _CUR_WORDS if len(w) >= 2 and not w.endswith("钱")])
)

_DIM_RE = re.compile(f"{_SP}(?:{_words_rx(_UNITS['dimension'])})(?![A-Za-z])", re.IGNORECASE)
_DIM_START = {u[0] for u in _UNITS["dimension"]}


def _value(tok: str) -> float | None:
    b = parse_bounds(tok)
    return None if b is None else b[0]


def _numerals(text: str) -> list[tuple[int, int]]:
    """Numeral spans outside URLs."""
    urls = [m.span() for m in _URL_RE.finditer(text)] if "/" in text or "www" in text else []
    out = []
    for s, e in find_numerals(text, lenient=True):
        if any(us <= s < ue for us, ue in urls):
            continue
        out.append((s, e))
    return out


def _numbers(text: str) -> list[Span]:
    out: list[Span] = []
    for s, e in _numerals(text):
        tok = text[s:e]
        if _PCT_SIGN_AFTER_RE.match(text, e):  # 15%: a percent, not a bare number
            continue
        k = tok.find(FRACTION_MARKER[0])
        if (
            k >= 0
            and re.sub(r"\s", "", tok[: tok.index(FRACTION_MARKER[1], k) + 1]).rstrip("分之")
            in _PCT_DEN
        ):
            j = tok.index(FRACTION_MARKER[1], k) + 1
            while j < len(tok) and tok[j] == " ":
                j += 1
            s, tok = s + j, tok[j:]
            e = s + len(tok)
        while tok and (tok[-1] in MORE_MARKERS or tok[-1] == " "):
            tok = tok[:-1]
        e = s + len(tok)
        v = _value(tok)
        if v is not None:
            out.append((s, e, v))
    return out


def _percents(text: str) -> list[Span]:
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    for m in _SPACED_DIGITS_RE.finditer(text):
        suf = _PCT_SUFFIX_RE.match(text, m.end())
        if suf:
            v = percent_value(m.group().replace(" ", "") + "折")
            out.append((m.start(), suf.end(), v))
            taken.append((m.start(), suf.end()))
    for s, e in _numerals(text):
        if any(ts <= s < te for ts, te in taken):
            continue
        tok = text[s:e]
        suf = _PCT_SUFFIX_RE.match(text, e)
        if suf:
            v = percent_value(tok.replace(" ", "") + re.sub(r"\s", "", suf.group()))
            if v is not None:
                out.append((s, suf.end(), v))
            continue
        if FRACTION_MARKER[0] in tok:
            k = tok.index(FRACTION_MARKER[0])
            den = re.sub(r"\s|分", "", tok[:k])
            if den in _PCT_DEN:
                v = percent_value(re.sub(r"\s", "", tok))
                if v is not None:
                    out.append((s, e, v))
    return sorted(out)


def _ordinals(text: str) -> list[Span]:
    out: list[Span] = []
    for s, e in _numerals(text):
        if s > 0 and text[s - 1] == "第":
            v = _value(text[s:e])
            if v is not None:
                out.append((s - 1, e, v))
    return out


def _split_symbol_numbers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """After a currency symbol ($20，300美圆) a full-width comma is a clause break, not a separator."""
    out = []
    for s, e in spans:
        tok = text[s:e]
        if "，" in tok and _PREFIX_SYM_RE.search(text[max(0, s - 4) : s]):
            k = tok.index("，")
            out.append((s, s + k))
            out.extend(
                (s + k + 1 + a, s + k + 1 + b) for a, b in find_numerals(tok[k + 1 :], lenient=True)
            )
        else:
            out.append((s, e))
    return out


def _currencies(text: str) -> list[Span]:
    out: list[Span] = []
    used: list[tuple[int, int]] = []
    spans = _split_symbol_numbers(text, _numerals(text))
    for s, e in spans:
        if any(us <= s < ue for us, ue in used):
            continue
        tok = text[s:e]
        v = _value(tok)
        if v is None:
            continue
        start = s
        pre = _PREFIX_SYM_RE.search(text[max(0, s - 4) : s])
        unit = _CUR_AFTER_RE.match(text, e)
        if pre is None and unit is None:
            continue
        if pre is not None:
            start = s - (len(text[max(0, s - 4) : s]) - pre.start())
        end = e if unit is None else unit.end()
        if unit is not None:
            rmb = _PREFIX_RMB_RE.search(text[max(0, s - 6) : s])
            last_end = used[-1][1] if used else 0
            if (
                rmb is not None
                and pre is None
                and s - (len(text[max(0, s - 6) : s]) - rmb.start()) >= last_end
            ):
                start = s - (len(text[max(0, s - 6) : s]) - rmb.start())
            # sub-units: 5元3角2分, 2美元又3美分
            while True:
                sub = _SUB_AFTER_RE.match(text, end)
                if not sub:
                    break
                sv = _value(sub.group(1))
                if sv is None:
                    break
                v += sv * SUBUNITS[sub.group(2)]
                end = sub.end()
            tail = re.match(f"{_SP}人民币", text[end:])
            if tail and unit.group().strip().endswith("元"):
                end += tail.end()
        out.append((start, end, round(v, 8)))
        used.append((start, end))
    for m in _BARE_CUR_RE.finditer(text):
        if not any(us <= m.start() < ue for us, ue in used):
            out.append((m.start(), m.end(), None))
    return sorted(out)


def _dimensions(text: str) -> list[Span]:
    out: list[Span] = []
    for s, e in _numerals(text):
        tok = text[s:e]
        # 12千米, 两万两: a unit that starts with a numeral character
        for k in range(1, len(tok)):
            if tok[k] in _DIM_START and _DIM_RE.match(text, s + k) and _value(tok[:k]) is not None:
                e, tok = s + k, tok[:k]
                break
        unit = _DIM_RE.match(text, e)
        if unit is None:
            continue
        v = _value(tok)
        if v is not None:
            out.append((s, unit.end(), v))
    return out


# ---------------------------------------------------------------- ranges


def _cue(kind: str, where: str = "prefix") -> str:
    return _words_rx(_CMP[where].get(kind, []))


_FILL = "|".join(map(re.escape, _CMP["prefix_fillers"]))
_PREFIX_RES = {
    k: re.compile(f"(?:{_cue(k)}){_SP}(?:{_FILL})?{_SP}$")
    for k in ("lower_closed", "lower_open", "upper_closed", "upper_open", "equal")
}
_COUNTER = _words_rx(_UNITS["counters"])
_SUFFIX_RES = {
    k: re.compile(f"{_SP}(?:{_COUNTER})?{_SP}(?:{_cue(k, 'suffix')})")
    for k in ("lower_closed", "upper_closed")
}
_CMP_MARK = _CMP["comparative"]["marker"]
_CMP_LO = re.compile(f"{_SP}(?:{_words_rx(_CMP['comparative']['lower_open'])})")
_CMP_HI = re.compile(f"{_SP}(?:{_words_rx(_CMP['comparative']['upper_open'])})")
_BETWEEN_JOIN = re.compile(f"{_SP}(?:{_words_rx(_CMP['between']['join'])}){_SP}")
_BETWEEN_TAIL = re.compile(f"{_SP}(?:{_words_rx(_CMP['between']['tail'])})")
_BETWEEN_LEAD = re.compile(f"(?:{_words_rx(_CMP['between']['lead'])}){_SP}$")
_DASH = re.compile(f"{_SP}(?:{_words_rx(_CMP['dash'])}){_SP}")
_JOINER = re.compile(
    f"^{_SP}(?:{_words_rx(_CMP['bound_joiners'])})?{_SP}(?:{_words_rx(_CMP['bound_joiners'])})?{_SP}$"
)


def _ranges(text: str) -> list[Span]:
    nums = [(s, e, parse_bounds(text[s:e])) for s, e in _numerals(text)]
    nums = [(s, e, b) for s, e, b in nums if b is not None]
    items: list[tuple[int, int, float | None, float | None]] = []
    i = 0
    while i < len(nums):
        s, e, (lo, hi) = nums[i]
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        # X 与 Y 之间, X-Y
        if nxt is not None:
            join = _BETWEEN_JOIN.match(text, e)
            if join and join.end() == nxt[0]:
                tail = _BETWEEN_TAIL.match(text, nxt[1])
                if tail:
                    lead = _BETWEEN_LEAD.search(text[max(0, s - 6) : s])
                    start = s - (len(text[max(0, s - 6) : s]) - lead.start()) if lead else s
                    items.append((start, tail.end(), lo, nxt[2][1]))
                    i += 2
                    continue
            dash = _DASH.match(text, e)
            if dash and dash.end() == nxt[0] and lo < nxt[2][1]:
                items.append((s, nxt[1], lo, nxt[2][1]))
                i += 2
                continue
        i += 1
        before = text[max(0, s - 12) : s]
        start, end, rlo, rhi = s, e, None, None
        found = False
        cands = [(m.start(), kind) for kind, rx in _PREFIX_RES.items() if (m := rx.search(before))]
        if cands:  # the longest cue wins: 不大于 over 大于
            mstart, kind = min(cands)
            start = s - (len(before) - mstart)
            if kind.startswith("lower"):
                rlo = lo
            elif kind.startswith("upper"):
                rhi = hi
            else:
                rlo, rhi = lo, hi
            found = True
        if not found:
            for kind, rx in _SUFFIX_RES.items():
                m = rx.match(text, e)
                if m:
                    end = m.end()
                    rlo, rhi = (lo, None) if kind.startswith("lower") else (None, hi)
                    found = True
                    break
        if not found and before.rstrip(" \t").endswith(_CMP_MARK):
            for rx, lower in ((_CMP_LO, True), (_CMP_HI, False)):
                m = rx.match(text, e)
                if m:
                    start = s - (len(before) - before.rstrip(" \t").rindex(_CMP_MARK))
                    end = m.end()
                    rlo, rhi = (lo, None) if lower else (None, hi)
                    found = True
                    break
        if not found and lo != hi:  # 十几万, 500多亿: more than the lower bound
            rlo, found = lo, True
        if found:
            items.append((start, end, rlo, rhi))
    # a lower and an upper bound side by side make one interval
    out: list[Span] = []
    j = 0
    while j < len(items):
        a = items[j]
        if j + 1 < len(items):
            b = items[j + 1]
            if _JOINER.match(text[a[1] : b[0]]):
                lo_ = a[2] if a[2] is not None else b[2]
                hi_ = a[3] if a[3] is not None else b[3]
                one_each = (a[2] is None) != (b[2] is None) and (a[3] is None) != (b[3] is None)
                if one_each and lo_ is not None and hi_ is not None and lo_ < hi_:
                    out.append((a[0], b[1], (lo_, hi_)))
                    j += 2
                    continue
        out.append((a[0], a[1], (a[2], a[3])))
        j += 1
    return out


@lru_cache(maxsize=4096)
def _whole_value(text: str) -> float | None:
    v = to_value(text)
    if v is None and (CURRENCY_RE.search(text) or any(c in text for c in SUBUNITS)):
        m = parse_money(text)
        if m is not None and m[0] == m[1]:
            v = m[0]
    return v


def extract(text: str, kind: str) -> list[Span]:
    """Spans of ``kind`` in ``text`` as (start, end_exclusive, value); see module docstring."""
    if kind == "value":
        v = _whole_value(text)
        return [] if v is None else [(0, len(text), v)]
    if kind == "money":
        m = parse_money(text)
        if m is None:
            return []
        return [(0, len(text), m[0] if m[0] == m[1] else (m[0], m[1]))]
    fn = {
        "number": _numbers,
        "percent": _percents,
        "ordinal": _ordinals,
        "currency": _currencies,
        "dimension": _dimensions,
        "range": _ranges,
    }.get(kind)
    return [] if fn is None else fn(text)


__all__ = ["extract"]
