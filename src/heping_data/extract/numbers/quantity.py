"""The quantity decider: sign, leading point, N大 + noun, tenths and doublings, the
multiplier/余/unit tail, and the label checks a Chinese count must pass (一个, 过去五年).
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
from heping_data.extract.numbers.grammar import (
    _CN_DIGITS,
    _DA_ANY,
    _DIGIT1,
    _FW_STRIP,
    _NUM_BEFORE,
    _OPEN_QUOTES,
    _PUNCT_END,
    _RANGE_SEP,
    _SIGN_BLOCK,
)
from heping_data.extract.numbers.ranges import _range
from heping_data.extract.numbers.rules import _Rules
from heping_data.extract.numbers.values import _arabic_bounds, _norm_unit, _parse_core


def _quantity(
    text: str,
    s: int,
    e: int,
    core: str,
    kind: str,
    plain: str,
    masked: bool,
    prev: str,
    nxt: str,
    r: _Rules,
) -> _Found:
    """A quantity: sign, range, N大 noun, tenths (八成), or multiplier/unit tail."""
    is_cn = kind == "cn"
    v, lo, hi, nm, cmult = _parse_core(kind, core, r)
    if is_cn:
        if v is None and not nm:
            return [], e
        if nxt in "成番半":
            return _cn_word_unit(text, s, e, core, v, nxt, r)
    elif prev in ".．" and (s < 2 or not _DIGIT1.match(text[s - 2])):
        return _leading_point(text, s, e, core, r)  # .75亿元 is 0.75亿元
    if (
        prev in "-－−"
        and not is_cn
        and (s < 2 or not _SIGN_BLOCK.match(text[s - 2]))
        and not _NUM_BEFORE.search(text, max(0, s - 8), s - 1)
    ):
        q = _Q(s - 1, e, text[s - 1 : e], None if v is None else -v, -hi, -lo, nm, mult=cmult)
    else:
        q = _Q(s, e, text[s:e], v, lo, hi, nm, mult=cmult)
    t = r.tail.match(text, e)
    shaped = _tail_shapes(text, s, e, core, kind, q, t, nxt, nm, cmult, r)
    if shaped is not None:
        return shaped
    return _unit_tail(text, s, e, core, kind, plain, masked, prev, nxt, q, t, cmult, r)


def _tail_shapes(
    text: str,
    s: int,
    e: int,
    core: str,
    kind: str,
    q: _Q,
    t: re.Match[str],
    nxt: str,
    nm: int,
    cmult: float,
    r: _Rules,
) -> _Found | None:
    """Shapes the tail decides before it is read as multiplier and unit: stacked
    multipliers, an anniversary, a range (3-5个; never after a minus sign), N大 + noun."""
    mult_w, unit = t.group("mult", "unit")
    tend = t.end()
    if mult_w and text[t.end("mult") : t.end("mult") + 1] in _STACK and not unit:
        return _stacked(text, s, t.end("mult"), r)
    if unit in r.label_units:  # 成立75周年, 建党一百周年: an anniversary names an occasion
        return [_mention(text, s, tend, "name", "anniversary")], tend
    if s and text[s - 1] == "双" and _in_quote(text, s):  # “双十条”: a slogan
        return [_mention(text, s - 1, tend, "name", "slogan")], tend
    if unit == "个" and _in_quote(text, s):
        end = _numeral_end(text, tend)
        if end > tend:  # “京保协作五个一”, “五个1000”, “5个20”: a slogan
            return [_mention(text, s, end, "name", "slogan")], end
    if (
        unit is not None
        and text.rfind("“", max(0, s - 1 - r.words.quoted_title_reach), s - 1) >= 0
        and _quoted_title(text, s, tend, unit, r)
    ):  # “高质量发展六方面主线任务” (most numbers have no quote before them: tested first)
        return [_mention(text, s, tend, "name", "quoted title")], tend
    lend = tend if unit in (None, "%", "％") else e
    if lend < len(text) and text[lend] in _RANGE_SEP and q.start == s:
        rng = _range(text, s, e, core, kind, q, t, lend, q.lo, q.hi, nm, cmult, r)
        if rng:
            return rng
    if nxt == "大" and tend == e:
        return _da_noun(text, s, e, kind == "cn", q, r)
    return None


_NUMERAL_RUN = re.compile(f"[0-9{_CN_DIGITS}十百千]+")


def _numeral_end(text: str, k: int) -> int:
    """The end of a numeral right at ``k`` (``k`` when there is none)."""
    m = _NUMERAL_RUN.match(text, k)
    return m.end() if m else k


def _in_quote(text: str, s: int, reach: int = 8) -> bool:
    """An opening quote within ``reach`` before ``s``, with no clause break between.

    Why: a count of a numeral (“五个一”, “5个20”) or a doubled one (“双十条”) is the
    shape of a programme's name, never what is counted, but only inside its quotes
    (建成3个10万千瓦项目 counts projects)."""
    for k in range(s - 1, max(-1, s - 1 - reach), -1):
        c = text[k]
        if c in _OPEN_QUOTES or c == '"':
            return True
        if c in _PUNCT_END:
            return False
    return False


def _is_cjk_run(part: str) -> bool:
    return bool(part) and all("\u4e00" <= c <= "\u9fff" for c in part)


def _quoted_title(text: str, s: int, tend: int, unit: str | None, r: _Rules) -> bool:
    """A count set inside a quoted programme title: “高质量发展六方面主线任务”.

    Why: when words stand both before the count and after its counter inside one
    quote, the quote names a programme and the count is part of the name; a quote
    holding only the counted phrase (“十个方面”, “稳增长20条”) keeps the count.
    """
    reach = r.words.quoted_title_reach
    k = text.rfind("“", max(0, s - 1 - reach), s - 1)  # (cheap first: most have no quote)
    if k < 0 or unit is None or r.unit_type.get(r.unit_norm.get(unit, "")) != "counter":
        return False
    if not _is_cjk_run(text[k + 1 : s]):
        return False
    close = text.find("”", tend, tend + reach + 1)
    return close > tend and _is_cjk_run(text[tend:close])


def _da_noun(text: str, s: int, e: int, is_cn: bool, q: _Q, r: _Rules) -> _Found | None:
    """N大 + noun: 九大主题 (unit 主题). Both regexes start with 大."""
    da = r.da_noun.match(text, e)
    if not da and (not is_cn or _counts_list(text, s, q.value)):
        da = _DA_ANY.match(text, e)
    if not da:
        return None
    if is_cn and _lookback(text, s, r.words.da_title_cues, 10):
        return [], e
    q.unit = da.group()[1:]
    q.end = da.end()
    return [_finish(text, q, r)], q.end


def _unit_tail(
    text: str,
    s: int,
    e: int,
    core: str,
    kind: str,
    plain: str,
    masked: bool,
    prev: str,
    nxt: str,
    q: _Q,
    t: re.Match[str],
    cmult: float,
    r: _Rules,
) -> _Found:
    """The multiplier, 余/多 and unit after the numeral; a Chinese numeral passes the
    label checks first, a unitless Arabic run the id/redaction checks last."""
    yu1, mult_w, yu2, unit = t.groups()  # one call instead of a group() per use
    tend = t.end()
    yu = yu1 or yu2
    half = False
    if unit and text[tend : tend + 1] == "半" and r.unit_type.get(_norm_unit(unit, r)) == "time":
        half = True  # 一年半, 3个月半 is not written; 1年半 is
    if kind == "cn":
        if unit and unit in r.words.cn_counter_exclude and not _cn_duration(text, tend, unit, r):
            unit = None
        found = _cn_tail(text, s, e, core, prev, q, t, unit, half, yu, cmult, r)
        if found is not None:
            return found
    if unit is None and yu and not mult_w and yu2 is None:
        # 30多 at a clause end still counts; 多 before a non-unit word does not belong.
        nx2 = text[tend : tend + 1]
        if nx2 and nx2 not in _PUNCT_END:
            yu = None
    if yu:
        q.inside_cmp = r.cmp_inside.get(yu, "gt")
    if mult_w:
        q.mult = cmult * r.mult[mult_w]
    if unit:
        q.unit = _norm_unit(unit, r)
        q.end = tend
        if half:
            q.end += 1
            q.value = None if q.value is None else q.value + 0.5
            q.lo, q.hi = q.lo + 0.5, q.hi + 0.5
    elif mult_w or yu:
        q.end = t.end("yu2") if yu2 else (t.end("mult") if mult_w else t.end("yu1"))
    if unit is None and not mult_w and kind == "ar":
        bare = _bare_arabic(text, s, e, plain, masked, prev, nxt, r)
        if bare:
            return bare
    return [_finish(text, q, r)], q.end


def _cn_tail(
    text: str,
    s: int,
    e: int,
    core: str,
    prev: str,
    q: _Q,
    t: re.Match[str],
    unit: str | None,
    half: bool,
    yu: str | None,
    cmult: float,
    r: _Rules,
) -> _Found | None:
    """A Chinese numeral and its tail that name rather than count: a category (三类“500强”),
    a slogan (四个不摘), a session or quoted slogan, an article (一个), a period (过去五年);
    a bare numeral with an internal 万/亿 is kept."""
    mult_w = t.group("mult")
    tend = t.end()
    words = r.words
    if unit is None and not mult_w and cmult == 1.0:
        return [], e
    after = text[tend : tend + 1]
    if unit in words.category_counters and after in _OPEN_QUOTES:
        return [_mention(text, s, tend, "name", "category")], tend  # 三类“500强”
    if unit == "个" and after and after in words.slogan_negations:
        slogan = _slogan_end(text, tend, words.slogan_max_len)
        if slogan:
            return [_mention(text, s, slogan, "name", "slogan")], slogan
    label = _cn_label(text, s, tend, unit, prev, r)
    if label:
        return label
    return _cn_count(text, s, e, core, q, tend, unit, mult_w, half, yu, r)


def _cn_count(
    text: str,
    s: int,
    e: int,
    core: str,
    q: _Q,
    tend: int,
    unit: str | None,
    mult_w: str | None,
    half: bool,
    yu: str | None,
    r: _Rules,
) -> _Found | None:
    """一 + counter only as a count (新建一个); N年 only as a duration (连续五年)."""
    unit_kind = r.unit_type.get(r.unit_norm.get(unit or "", ""))
    if core == "一" and not mult_w and not half and not _one_is_count(text, s, unit_kind, r):
        return [], e  # 一个/一次/一批: an article or idiom far more often than a count
    if (
        unit == "年"
        and not (half or mult_w or yu)
        and not _ends_with_any(text, s, r.by_len["duration_cues"])
        and not any(text.startswith(w, tend) for w in r.words.duration_after)
    ):
        return [_mention(text, s, tend, "name", "period")], tend  # 过去五年
    if unit is None and not mult_w:
        # A bare multi-digit Chinese numeral with an internal 万/亿: keep it.
        q.end = e
        return [_finish(text, q, r)], e
    return None


def _leading_point(text: str, s: int, e: int, core: str, r: _Rules) -> _Found:
    """.75亿元, 增长.5%: a decimal written without its leading zero; the point is in the
    span and the value is read as 0.75, never as 75."""
    digits = core.translate(_FW_STRIP)
    if not digits.isdigit():  # .0.00, .5/2: no second point or fraction after the first
        return [_mention(text, s - 1, e, "unparsed", "leading point")], e
    v, lo, hi, nm = _arabic_bounds("0." + digits)
    if nm or v is None:
        return [_mention(text, s - 1, e, "unparsed", "leading point")], e
    t = r.tail.match(text, e)
    q = _Q(s - 1, e, text[s - 1 : e], v, lo, hi, note="leading point")
    if t.group("mult"):
        q.mult = r.mult[t.group("mult")]
        q.end = t.end("mult")
    if t.group("unit"):
        q.unit = _norm_unit(t.group("unit"), r)
        q.end = t.end()
    return [_finish(text, q, r)], q.end


_STACK = frozenset("万亿")


def _stacked(text: str, s: int, k: int, r: _Rules) -> _Found:
    """3万万亿元, 12亿亿元: a multiplier on a multiplier has no reading; the whole run is
    kept as an ``unparsed`` mention so no part of it becomes a fact."""
    n = len(text)
    while k < n and text[k] in _STACK:
        k += 1
    t = r.tail.match(text, k)
    end = t.end() if t.group("unit") else k
    return [_mention(text, s, end, "unparsed", "stacked multipliers")], end


def _cn_duration(text: str, tend: int, unit: str, r: _Rules) -> bool:
    """两周内, 三日之内: a time counter kept from the label list by a duration word after it.

    Why: 两周 alone is as often a label (两周年) as a span of time; 内/以内/时间 settle it.
    """
    if r.unit_type.get(r.unit_norm.get(unit, "")) != "time":
        return False
    return _starts_with_any(text, tend, r.by_len["cn_duration_after"])


_LIST_STOP = frozenset("，,。；;：:！？!?\n\r（(“")


def _counts_list(text: str, s: int, v: float | None, reach: int = 40) -> bool:
    """城投、交投、农投三大集团: the numeral counts the 、-list right before it.

    Why: an unseen noun after N大 is a count when the clause lists exactly N items.
    """
    if v is None or v < 2 or not s or text[s - 1] in _LIST_STOP or text[s - 1] == "、":
        return False
    duns = 0
    k = s - 1
    stop = max(0, s - reach)
    while k >= stop and text[k] not in _LIST_STOP:
        duns += text[k] == "、"
        k -= 1
    return duns == v - 1


def _slogan_end(text: str, k: int, max_len: int) -> int:
    """End of a short negated phrase closing a clause or quote (四个不摘”), else 0.

    Why: 三个不同类型 counts things; the slogan form is short and stands alone.
    """
    end = k + 1
    n = len(text)
    while end < n and "\u4e00" <= text[end] <= "\u9fff":
        end += 1
        if end - k > max_len:
            return 0
    return end if end - k >= 2 else 0


def _cn_label(
    text: str, s: int, tend: int, unit: str | None, prev: str, r: _Rules
) -> _Found | None:
    """九届十一次全会 (a session), “六个精准” (a slogan): a Chinese count that names."""
    if unit == "次" and _is_session(text, tend, r):
        return [_mention(text, s, tend, "name", "session")], tend
    if unit == "个" and prev in _OPEN_QUOTES and _quoted_slogan(text, tend, r):
        return [_mention(text, s, tend, "name", "slogan")], tend
    return None


_SESSION_LIST = re.compile(f"[、和及]+[{_CN_DIGITS}十]+次")


def _is_session(text: str, k: int, r: _Rules) -> bool:
    """九届十一次全会, 十一次、十二次全会: N次 before a session word, or listed before one."""
    nxt = _SESSION_LIST.match(text, k)
    return _starts_with_any(text, nxt.end() if nxt else k, r.by_len["session_after"])


def _quoted_slogan(text: str, k: int, r: _Rules) -> bool:
    """“六个精准”, “五个走在前列”: N个 opening a short quoted phrase names a programme.

    Why: the phrase after N个 is a slogan (an adjective, verb or place), not the noun
    counted; it is a count only when the phrase ends with a countable head of
    ``quoted_count_heads`` (“十个主动仗”, “六个趋势”).
    """
    words = r.words
    end = text.find("”", k, k + words.quoted_slogan_max + 1)
    if end < 0:
        return False
    phrase = text[k:end]
    if not phrase or any(c in _PUNCT_END for c in phrase):
        return False
    return not phrase.endswith(tuple(words.quoted_count_heads))


def _one_is_count(text: str, s: int, unit_kind: str | None, r: _Rules) -> bool:
    """一 + counter is a count only after a verb of achievement and outside idioms."""
    if unit_kind != "counter":
        return False
    if text[s + 1 : s + 2] in r.one_vague:  # 开工一批: "a number of", not one batch
        return False
    if r.one_idiom.match(text, s):
        return False
    return _ends_with_any(text, s, r.by_len["one_count_verbs"])


def _cn_word_unit(
    text: str, s: int, e: int, core: str, v: float | None, nxt: str, r: _Rules
) -> _Found:
    """八成 / 三成半 (tenths → %), 翻一番 / 翻两番 (doubling → 倍)."""
    if v is None or v != int(v) or not 1 <= v <= 10:
        return [], e
    after = text[e + 1 : e + 2]
    if nxt == "半":  # 超过一半: the fraction 1/2 with no unit, like 二分之一 (成 is tenths: %)
        if core != "一" or after in r.cn_next:
            return [], e
        q = _Q(s, e + 1, core, 0.5, 0.5, 0.5, note="fraction")
        return [_finish(text, q, r)], e + 1
    if nxt == "成":
        if after in r.words.cheng_exclude:
            return [], e
        end = e + 1
        pct = v * 10.0
        if after == "半":
            end, pct = end + 1, pct + 5.0
        q = _Q(s, end, core, pct, pct, pct, unit="%", note="tenths")
        return [_finish(text, q, r)], end
    k = s - 1 if s and text[s - 1] == "翻" else s - 2 if text[s - 2 : s] == "翻了" else -1
    if k < 0:
        return [], e
    x = 2.0**v
    q = _Q(k, e + 1, core, x, x, x, unit="倍", note="doubling")
    return [_finish(text, q, r)], e + 1


def _bare_arabic(
    text: str, s: int, e: int, plain: str, masked: bool, prev: str, nxt: str, r: _Rules
) -> _Found | None:
    """No unit: a masked run may be a redaction, a long run an id, page furniture boilerplate."""
    words = r.words
    near = text[max(0, s - 8) : e + 8]
    if any(c in near for c in words.boilerplate_cues):
        bs, be = s, e
        if prev in "(（" and nxt in ")）":
            bs, be = s - 1, e + 1
        return [_mention(text, bs, be, "boilerplate", "furniture")], be
    if masked and "." not in plain:
        follow = any(text.startswith(w, e) for w in words.redacted_follow_cues)
        precede = any(text.endswith(w, 0, s) for w in words.redacted_precede_cues)
        if len(plain) >= words.redacted_min_len or (len(plain) >= 3 and (follow or precede)):
            return [_mention(text, s, e, "redacted")], e
    elif not masked and "," not in plain and len(plain) >= 5 and "." not in plain:
        return [_mention(text, s, e, "name", "id")], e
    return None
