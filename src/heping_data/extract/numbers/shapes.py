"""Whole-word number shapes the core grammar does not read, as a last pass over its mentions.

Why a separate pass: these shapes are words (千亿级, 两位数, 百年一遇, ``[12]``) whose
meaning comes from the word as a whole, not from a numeral + unit; reading them after
the scan keeps the core grammar of this package untouched. A shape found here replaces
every mention it overlaps. Rule data: ``data/numbers/shapes.yaml`` (validated on load).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PositiveInt

from heping_data.records import NumberMention
from heping_data.text.chars import alternation as _alt
from heping_data.text.numerals import to_value
from heping_data.text.ruledata import RuleModel, load_rules

_PLACE = {"十": 10.0, "百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8}
_FW = str.maketrans("０１２３４５６７８９", "0123456789")
#: note that makes the fact layer give role qualifier (``facts._role``)
SIZE_CLASS = "size class"
_OPEN_QUOTES = frozenset('“「『‘"')
_CLOSE_QUOTES = frozenset('”」』’"')


@dataclass(frozen=True)
class _Shapes:
    dotted: re.Pattern[str]
    magnitude: re.Pattern[str]
    money_context: re.Pattern[str]
    predicates: tuple[str, ...]
    stops: frozenset[str]
    sentence_marks: frozenset[str]
    digit_count: re.Pattern[str]
    growth_before: re.Pattern[str]
    growth_after: tuple[str, ...]
    reach: int
    return_period: re.Pattern[str]
    circle: re.Pattern[str]
    circle_word: str
    circle_reach: int
    streak: re.Pattern[str]
    person: re.Pattern[str]
    person_not: tuple[str, ...]
    person_reach: int
    first: re.Pattern[str]
    within_word: str
    within_units: frozenset[str]
    level: re.Pattern[str]


Word = Annotated[str, Field(min_length=1)]
Words = Annotated[list[Word], Field(min_length=1)]


def _regex(v: str) -> str:
    """A field that must compile as a regular expression."""
    try:
        re.compile(v)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc})") from exc
    return v


Regex = Annotated[Word, AfterValidator(_regex)]


class ShapeRules(RuleModel):
    """``shapes.yaml``: cue words, patterns and reaches of the whole-word shapes."""

    magnitude_units_before: Words
    magnitude_units_after: Words
    magnitude_money_context: Words
    magnitude_predicates: Words
    clause_stops: Word
    sentence_marks: Word
    digit_count_growth_before: Words
    digit_count_growth_after: Words
    digit_count_reach: PositiveInt
    return_period: Regex
    circle_time: Regex
    circle_word: Word
    circle_reach: PositiveInt
    streak: Regex
    person_nouns: Words
    person_not: Words
    person_reach: PositiveInt
    dotted_label: Regex
    first_scopes: Words
    first_counters: Words
    level_heads: Words
    level_reach: PositiveInt
    within_word: Word
    within_units: Words


@lru_cache(maxsize=1)
def _shapes() -> _Shapes:
    """Load, validate and compile shapes.yaml (once per process)."""
    raw = load_rules(ShapeRules, "numbers", "shapes.yaml")
    magnitude = (
        r"(?P<n>[0-9０-９]+(?:\.[0-9]+)?|[一二两三四五六七八九十]*)(?P<p>[百千万亿]+)"
        rf"(?P<ub>{_alt(raw.magnitude_units_before)})?级(?P<ua>{_alt(raw.magnitude_units_after)})?"
    )
    return _Shapes(
        dotted=re.compile(raw.dotted_label),
        magnitude=re.compile(magnitude),
        money_context=re.compile(_alt(raw.magnitude_money_context)),
        predicates=tuple(raw.magnitude_predicates),
        stops=frozenset(raw.clause_stops),
        sentence_marks=frozenset(raw.sentence_marks),
        digit_count=re.compile("(?P<n>[一二两三四五六七八九])位数"),
        growth_before=re.compile(_alt(raw.digit_count_growth_before)),
        growth_after=tuple(raw.digit_count_growth_after),
        reach=raw.digit_count_reach,
        return_period=re.compile(raw.return_period),
        circle=re.compile(raw.circle_time),
        circle_word=raw.circle_word,
        circle_reach=raw.circle_reach,
        streak=re.compile(raw.streak),
        person=re.compile(_alt(raw.person_nouns)),
        person_not=tuple(raw.person_not),
        person_reach=raw.person_reach,
        within_word=raw.within_word,
        within_units=frozenset(raw.within_units),
        first=re.compile(
            rf"(?<={_alt(raw.first_scopes)})第(?P<n>[一二三四五六七八九十]+)"
            rf"(?P<u>{_alt(raw.first_counters)})"
        ),
        level=re.compile(
            rf"(?P<n>[二两三四五六七八九])级(?=[^，。；、]{{0,{raw.level_reach}}}?"
            rf"(?:{_alt(raw.level_heads)}))"
        ),
    )


def _near(
    text: str, anchor: str, pat: re.Pattern[str], back: int, fwd: int, inside: bool = True
) -> Iterator[re.Match[str]]:
    """Matches of ``pat`` within ``back``/``fwd`` characters of each ``anchor``, in order.

    Why: a scan of the whole text with a pattern that opens on a character class costs
    a regex attempt at every position; the anchor word is found with ``str.find``. With
    ``inside`` a match must hold the anchor; otherwise it must end before it.
    """
    last = 0
    i = text.find(anchor)
    while i >= 0:
        lo = max(last, i - back)
        hi = i + len(anchor) + fwd if inside else i
        for m in pat.finditer(text, lo, min(len(text), hi)):
            if not inside or m.start() <= i < m.end():
                yield m
                last = m.end()
        i = text.find(anchor, max(i + 1, last))


def _num(s: str) -> float | None:
    """Value of a plain numeral (Arabic or Chinese); 1 for the empty string (千亿 = 1×千亿)."""
    return 1.0 if not s else to_value(s.translate(_FW))


def _quantity(text: str, s: int, e: int, value: float, unit: str, **kw: Any) -> NumberMention:
    """A quantity mention of one exact value (comparator, multiplier, note in ``kw``)."""
    return NumberMention(
        start=s, end=e, text=text[s:e], cls="quantity", numeral=kw.pop("numeral", text[s:e]),
        unit=unit, value=value, value_min=value, value_max=value, implied_min=value,
        implied_max=value, **kw,
    )  # fmt: skip


def _other(text: str, s: int, e: int, cls: str, note: str) -> NumberMention:
    return NumberMention(start=s, end=e, text=text[s:e], cls=cls, numeral=text[s:e], note=note)


def _quoted(text: str, s: int, e: int) -> bool:
    """The span is the whole of a quotation (“十连冠”创建): a label, not a count."""
    return s > 0 and text[s - 1] in _OPEN_QUOTES and text[e : e + 1] in _CLOSE_QUOTES


def _title_line(text: str, s: int, sh: _Shapes) -> bool:
    """The line holding ``s`` has no sentence punctuation: a title or slogan line."""
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", s)
    line = text[a : b if b >= 0 else len(text)]
    return not any(c in line for c in sh.sentence_marks)


def _clause_after(text: str, e: int, sh: _Shapes, reach: int = 16) -> str:
    """Text after ``e`` up to the end of its clause (at most ``reach`` characters)."""
    k = e
    while k < len(text) and k - e < reach and text[k] not in sh.stops:
        k += 1
    return text[e:k]


def _magnitudes(text: str, sh: _Shapes) -> list[NumberMention]:
    """千亿级产业集群, 50亿级, 万吨级, 亿级人次: a size class, comparator ge."""
    out = []
    for m in _near(text, "级", sh.magnitude, 14, 2):
        n = _num(m["n"])
        if n is None:
            continue
        place = 1.0
        for c in m["p"]:
            place *= _PLACE[c]
        unit = m["ub"] or m["ua"]
        if unit is None and not sh.money_context.search(_clause_after(text, m.end(), sh)):
            continue
        if _title_line(text, m.start(), sh):
            continue  # 南桂区:…高地 万亿级产业集群主阵地: a positioning slogan, not a class
        measure = bool(m["ua"]) or text.endswith(sh.predicates, 0, m.start())
        out.append(
            _quantity(text, m.start(), m.end(), n * place, unit or "元", comparator="ge",
                      numeral=m["n"] + m["p"], multiplier=place,
                      note="magnitude class" if measure else SIZE_CLASS)
        )  # fmt: skip
    return out


def _digit_counts(text: str, sh: _Shapes) -> list[NumberMention]:
    """两位数增长, 保持在两位数左右: a growth rate of at least 10^(N-1) per cent."""
    out = []
    for m in sh.digit_count.finditer(text):
        s, e = m.span()
        before = text[max(0, s - sh.reach) : s]
        cut = max((before.rfind(c) for c in sh.stops), default=-1)
        after = text.startswith(sh.growth_after, e)
        if not (after or sh.growth_before.search(before[cut + 1 :])):
            continue
        digits = _num(m["n"])
        if digits is None:
            continue
        cmp = "approx" if text.startswith("左右", e) else "ge"
        out.append(
            _quantity(text, s, e, 10.0 ** (digits - 1), "%", comparator=cmp, note="digit count")
        )
    return out


def _simple(text: str, sh: _Shapes) -> list[NumberMention]:
    """百年一遇 (years), 九连冠 (a streak), 30・60 (a dotted label: a name)."""
    out = []
    for m in _near(text, "年一遇", sh.return_period, 8, 0):
        v = _num(m["n"])
        if v is not None:
            out.append(_quantity(text, m.start(), m.end(), v, "年", note="return period"))
    for m in _near(text, "连", sh.streak, 8, 1):
        v = _num(m["n"])
        if v is not None and not _quoted(text, *m.span()):
            out.append(_quantity(text, m.start(), m.end(), v, m["u"], note="streak"))
    for anchor in "・·":
        out.extend(
            _other(text, *m.span(), "name", "dotted label")
            for m in _near(text, anchor, sh.dotted, 3, 4)
        )
    return out


def _firsts_and_levels(text: str, sh: _Shapes) -> list[NumberMention]:
    """全国第一家 (a rank among its kind) and 三级网络 (a count of tiers)."""
    out = []
    for m in _near(text, "第", sh.first, 2, 8):
        v = _num(m["n"])
        if v is not None:
            out.append(_quantity(text, *m.span(), v, m["u"], is_ordinal=True, note="first"))
    for m in _near(text, "级", sh.level, 2, 12):  # room for the look-ahead
        v = _num(m["n"])
        if v is not None:
            out.append(_quantity(text, *m.span(), v, "级", note="tiers"))
    return out


def _circles(text: str, sh: _Shapes) -> list[NumberMention]:
    """一小时交通圈, 15分钟社区生活圈: the travel time defining a circle is a threshold."""
    out = []
    for m in _near(text, sh.circle_word, sh.circle, sh.circle_reach + 8, 0, inside=False):
        s, e = m.span()
        if s and text[s - 1] in _OPEN_QUOTES:
            continue  # “半小时通勤圈”: a quoted label, left to the core grammar
        if sh.circle_word not in _clause_after(text, e, sh, sh.circle_reach):
            continue
        v = _num(m["n"])
        if v is not None:
            out.append(_quantity(text, s, e, v, m["u"], numeral=m["n"], note=SIZE_CLASS))
    return out


def _retouch(text: str, m: NumberMention, sh: _Shapes) -> NumberMention:
    """五年内: a time or distance before 内 is an upper bound; 1000万保定人民: a number with
    a multiplier and no unit before a people noun counts 人."""
    if m.cls != "quantity":
        return m
    if m.unit in sh.within_units:
        if m.comparator == "eq" and text.startswith(sh.within_word, m.end):
            return dataclasses.replace(m, comparator="le")
        return m
    if m.unit or m.multiplier < 1e4:
        return m
    after = _clause_after(text, m.end, sh, sh.person_reach + 3)
    p = sh.person.search(after)
    if p is None or p.start() > sh.person_reach or after.startswith(sh.person_not, p.start()):
        return m
    return dataclasses.replace(m, unit="人")


def reshape(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """``mentions`` (sorted, non-overlapping) with the shapes of shapes.yaml read in.

    A shape replaces every mention it overlaps; where two shapes overlap the first found
    (magnitude, digit count, return period/streak, circle) wins. Endnote markers,
    clock times and full-width formulas are read by the core grammar.
    """
    sh = _shapes()
    found: list[NumberMention] = []
    for finder in (_magnitudes, _digit_counts, _simple, _circles, _firsts_and_levels):
        for f in finder(text, sh):
            if not any(f.start < g.end and g.start < f.end for g in found):
                found.append(f)
    within = sh.within_units
    if not found:
        return [
            _retouch(text, m, sh)
            if m.cls == "quantity" and (m.unit in within or (not m.unit and m.multiplier >= 1e4))
            else m
            for m in mentions
        ]  # the test in the comprehension is _retouch's own: most mentions skip the call
    found.sort(key=lambda m: m.start)
    starts = [f.start for f in found]
    kept = []
    for m in mentions:
        j = bisect_left(starts, m.end)  # found[j-1]: the last shape starting before m ends
        if j and found[j - 1].end > m.start:
            continue  # the shapes do not overlap, so it also ends last
        kept.append(_retouch(text, m, sh))
    return sorted(kept + found, key=lambda m: m.start)
