"""Chinese word forms of numbers: ordinals (第三), top ranks (前三), 半, size classes
(千头), zero (零费用), 由…到 starts, 百分之, 分之, approximate numerals (数十, 上百).
"""

from __future__ import annotations

from heping_data.extract.numbers.build import (
    _Q,
    _ends_with_any,
    _finish,
    _Found,
    _lookback,
    _mention,
)
from heping_data.extract.numbers.grammar import (
    _CLAUSE_START,
    _CN_DIGITS,
    _CN_PLACE,
    _DIGIT1,
    _PUNCT_END,
)
from heping_data.extract.numbers.rules import _Rules
from heping_data.extract.numbers.values import _cn_value, _norm_unit, _parse_core, _scale, _split_cn
from heping_data.text.numerals import approx_bounds as _approx_bounds


def _ordinal(text: str, s: int, e: int, core: str, kind: str, r: _Rules) -> _Found:
    """第N: a ranking place (第3名, 排名第3) or an ordinal label (第3批, 第十五届)."""
    v, lo, hi, nm, _ = _parse_core(kind, core, r)
    tail = text[e : e + 1] or "\n"
    if tail in ("名", "位"):
        q = _Q(s - 1, e + 1, core, v, lo, hi, nm, unit=tail, is_ordinal=True, note="rank")
        return [_finish(text, q, r)], e + 1
    for size, words in r.by_len["ordinal_counters"]:
        if text[e : e + size] in words:  # the longest counter wins
            return [_mention(text, s - 1, e + size, "name", "ordinal label")], e + size
    enum = s < 2 or text[s - 2] in _CLAUSE_START  # 第一，… enumerates points
    if (tail in _PUNCT_END or _lookback(text, s - 1, r.words.rank_cues)) and not (
        enum and kind == "cn"
    ):
        if kind == "cn" and tail not in _PUNCT_END:
            return [], e
        q = _Q(s - 1, e, core, v, lo, hi, nm, unit="名", is_ordinal=True, note="rank")
        return [_finish(text, q, r)], e
    if kind == "cn":
        return [], e
    return [_mention(text, s - 1, e, "name", "ordinal label")], e


def _top_rank(text: str, s: int, e: int, core: str, kind: str, r: _Rules) -> _Found | None:
    """前N after a ranking cue (进入全省前三, 保持前3名): a rank with comparator le."""
    if not _lookback(text, s - 1, r.words.top_cues, 10):
        return None
    v, lo, hi, nm, mult = _parse_core(kind, core, r)
    if (v is None and not nm) or mult != 1.0:
        return None
    end = e + 1 if text[e : e + 1] in ("名", "位") else e
    if end < len(text) and text[end] not in _PUNCT_END:
        return None  # 前三校, 前十强: part of a name
    unit = text[e] if end > e else "名"
    q = _Q(s, end, core, v, lo, hi, nm, unit=unit, is_ordinal=True, note="top rank", cmp="le")
    return [_finish(text, q, r)], end


def _half(text: str, s: int, e: int, r: _Rules) -> _Found:
    """半天 / 半个月 (0.5 of the unit); 半年 only after a duration cue (上半年 is a period)."""
    t = r.tail.match(text, e)
    unit = t.group("unit")
    if not unit or (unit == "年" and not _ends_with_any(text, s, r.by_len["duration_cues"])):
        return [], e
    q = _Q(s, t.end(), "半", 0.5, 0.5, 0.5, unit=_norm_unit(unit, r), note="half")
    return [_finish(text, q, r)], t.end()


_SIZE_PREV_BLOCK = frozenset(_CN_DIGITS + "十百千万亿0123456789０１２３４５６７８９数几上近逾超余")


def _size_class(text: str, s: int, e: int, r: _Rules) -> _Found:
    """千头肉牛养殖场, 万头猪场: a bare 百/千/万 + counter before a holder noun is a size
    class (≥ 1000 head), read like ``1000头以上养殖场``; elsewhere the character is a word."""
    if s and text[s - 1] in _SIZE_PREV_BLOCK:
        return [], e  # part of a longer numeral (checked here: a look-behind slowed the scan)
    unit = text[e]
    reach = text[e + 1 : e + 1 + r.words.size_class_reach]
    heads = r.words.size_class_heads
    k = 0
    while k < len(reach) and "\u4e00" <= reach[k] <= "\u9fff":
        k += 1
    if not any(w in reach[:k] for w in heads):
        return [], e
    core = text[s]
    mult = r.mult[core] if core == "万" else 1.0
    v = 1.0 if core == "万" else float(_CN_PLACE[core])
    q = _Q(s, e + 1, core, v, v, v, unit=unit, mult=mult, cmp="ge", note="size class")
    return [_finish(text, q, r)], e + 1


def _cn_gate(
    text: str, s: int, e: int, core: str, kind: str, prev: str, nxt: str, r: _Rules
) -> _Found | None:
    """Chinese numerals that are labels or idioms, not numbers (“十二名片”, 一网通办)."""
    fy = r.five_year.match(text, s)
    if prev in '“「‘"':
        if fy:
            return [_mention(text, s, fy.end(), "name", "plan label")], fy.end()
        if not (
            kind == "cn" and (nxt == "个" or r.da_noun.match(text, e) or _quoted_clause(text, e, r))
        ):  # “十大工程”, “十三件工程，26件实事好事”
            return [], e
    if fy and fy.end() >= e:
        return [_mention(text, s, fy.end(), "name", "plan label")], fy.end()
    if kind == "cn" and (core in ("零", "〇") or nxt not in r.cn_next):
        if core in ("零", "〇"):
            zero = _zero(text, s, e, r)
            if zero:
                return zero
        if prev in r.from_marks:
            start = _from_start(text, s, e, core, r)
            if start:
                return start
        return [], e
    for st in r.stop.finditer(text, max(0, s - 6), min(len(text), e + 6)):
        if st.start() <= s < st.end():
            return [], e
    return None


def _quoted_clause(text: str, e: int, r: _Rules) -> bool:
    """“十三件工程，26件实事好事”: a count opening a quote that holds a clause break.

    Why: a slogan or label in quotes is one short phrase; a quote running over a comma
    reports counts, so a numeral + counter opening it is a count.
    """
    unit = r.tail.match(text, e).group("unit")
    if not unit or r.unit_type.get(r.unit_norm.get(unit, "")) != "counter":
        return False
    close = text.find("”", e, e + r.words.quoted_label_max)
    comma = text.find("，", e, close) if close > 0 else -1
    return comma > 0 and not any(c in _PUNCT_END for c in text[e:comma])


def _zero(text: str, s: int, e: int, r: _Rules) -> _Found | None:
    """零费用 (0 元), 零返贫 (0 人): 零 before a noun of ``zero_nouns`` is the count or
    amount 0 of that noun, in the unit the noun implies; the span is 零 alone."""
    for size, words in r.zero:
        w = text[e : e + size]
        if w in words:
            unit = r.words.zero_nouns[w]
            q = _Q(s, e, text[s:e], 0.0, 0.0, 0.0, unit=unit, note="zero")
            return [_finish(text, q, r)], e
    return None


def _from_start(text: str, s: int, e: int, core: str, r: _Rules) -> _Found | None:
    """由零增加到36公里: a bare Chinese numeral starting a change takes the end's unit.

    Why: the start of 由…到 is written without its unit when the end carries it; the
    pair is one measure at two times, so the start is a quantity of the same unit.
    """
    to = r.from_to.match(text, e)
    if to is None:
        return None
    v = _cn_value(core)
    if v is None:
        return None
    if to.group("pct"):
        unit, mult = "%", 1.0
    else:
        t = r.tail.match(text, to.end())
        if not t.group("unit"):
            return None
        unit = _norm_unit(t.group("unit"), r)
        mult = r.mult[t.group("mult")] if t.group("mult") else 1.0
    q = _Q(s, e, core, v, v, v, 0, mult=mult, unit=unit, note="from start")
    return [_finish(text, q, r)], e


def _percent_word(text: str, s: int, e: int, core: str, r: _Rules) -> _Found:
    """百分之十五 (15 %), 千分之三 (3 ‰), 百分之**."""
    body = core[3:]
    is_cn = not _DIGIT1.match(body)
    v, lo, hi, nm, mult = _parse_core("cn" if is_cn else "ar", body, r)
    if v is None and not nm:
        return [], e
    unit = "%" if core[0] == "百" else "‰"
    q = _Q(s, e, core, _scale(v, mult), _scale(lo, mult), _scale(hi, mult), nm, unit=unit)
    return [_finish(text, q, r)], e


def _cn_fraction(text: str, s: int, e: int, core: str, r: _Rules) -> _Found:
    """三分之一 as the fraction 1/3."""
    den_s, _, num_s = core.partition("分之")
    den, num = _cn_value(den_s), _cn_value(num_s)
    if not den or num is None:
        return [], e
    v = num / den
    return [_finish(text, _Q(s, e, core, v, v, v, note="fraction"), r)], e


def _approx_numeral(text: str, s: int, e: int, core: str, r: _Rules) -> _Found:
    """数十家, 十几个, 上百个, 近百家, 百余人: approximate numerals before a unit.

    Convention: 数十/几十/十几 have no value, bounds are the honest range (数十 → [10, 100])
    and comparator ``approx``; 上百 reads ≥ 100 (implied [100, 1000]); 百余 reads > 100
    (implied [100, 200]) like 100余; after 近/逾/超 the cue stays outside the span and
    gives the comparator, as for Arabic digits.
    """
    t = r.tail.match(text, e)
    if not t.group("unit") or (t.group("mult") and core[0] in "数几十"):
        return [], e
    tail_mult = r.mult[t.group("mult")] if t.group("mult") else 1.0
    lead = core[0]
    if lead in "百千" and core[-1] in "万亿":  # 突破千亿元: 百/千 is the numeral 一百/一千
        unit = _norm_unit(t.group("unit"), r)
        if r.unit_type.get(unit) in ("counter", "time") or any(
            text.startswith(w, t.end()) for w in r.words.bare_place_not_after_unit
        ):
            return [], e  # 迈上千亿台阶: a counter after a bare 千亿 is a word (台阶)
        num, mult = _split_cn("一" + core, r)
        v = _cn_value(num)
        if v is None:
            return [], e
        q = _Q(s, t.end(), core, v, v, v, unit=unit)
        q.mult = mult * tail_mult
        return [_finish(text, q, r)], q.end
    qs = s + 1 if lead in "近逾超" else s
    body = core[qs - s :]
    q = _Q(qs, t.end(), core[qs - s :], None, 0.0, 0.0)
    q.unit = _norm_unit(t.group("unit"), r)
    if lead == "上" or qs > s or body.endswith("余"):
        num = body[1:] if lead == "上" else body.rstrip("余")
        num, mult = _split_cn("一" + num, r)
        v = _cn_value(num)
        if v is None:
            return [], e
        q.value = q.lo = q.hi = v
        q.mult = mult * tail_mult
        if lead == "上":
            q.cmp, q.implied = "ge", (v, v * 10)
        elif body.endswith("余"):
            q.inside_cmp = "gt"
    else:
        b = _approx_bounds(body)
        if b is None:
            return [], e
        mult = 1.0
        for w in ("万亿", "亿", "万"):
            if body.endswith(w):
                mult = r.mult[w]
                break
        q.lo, q.hi, q.mult, q.cmp = b[0] / mult, b[1] / mult, mult, "approx"
        q.implied = (q.lo, q.hi)
    return [_finish(text, q, r)], q.end
