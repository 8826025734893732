"""Years and dates: 2023年, 2020—2022年, 3月15日, 1-6月, 一季度, 7·26, times of day."""

from __future__ import annotations

import re

from heping_data.extract.numbers.build import _ends_with_any, _Found, _mention
from heping_data.extract.numbers.grammar import (
    _CN_ONLY_DIGITS,
    _D,
    _DOT_DAY,
    _MONTH_DAY,
    _RANGE_SEP,
    _YEAR4,
    _YEAR_LIST,
    _YMD,
    _YY,
)
from heping_data.extract.numbers.rules import _Rules
from heping_data.extract.numbers.values import _cn_value


def _year(
    text: str,
    s: int,
    e: int,
    core: str,
    plain: str,
    is_cn: bool,
    masked: bool,
    prev: str,
    nxt: str,
    r: _Rules,
) -> _Found | None:
    """Years: 2023年, ****年, 2023年3月15日 (one date), 2020—2022年, bare 2020 before a space."""
    yearish = masked or 1900 <= int(plain) <= 2100
    if is_cn:
        yearish = bool(_CN_ONLY_DIGITS.fullmatch(core))
    if not yearish:
        return None
    n = len(text)
    if nxt == "年":
        md = _YMD.match(text, e + 1)
        if md and not text.startswith("份", md.end()):
            return [_mention(text, s, md.end(), "date", "full date")], md.end()
        return [_mention(text, s, e + 1, "year")], e + 1
    if nxt in _RANGE_SEP:
        k = e + 1
        while k < n and text[k] in _RANGE_SEP:
            k += 1
        m2 = _YEAR4.match(text, k)
        season = _YY.match(text, k)
        if season and not masked and int(season.group()) == (int(plain) + 1) % 100:
            return [_mention(text, s, season.end(), "year", "year range")], season.end()
        if m2:
            ye = m2.end() + (1 if text[m2.end() : m2.end() + 1] == "年" else 0)
            return [_mention(text, s, ye, "year", "year range")], ye
    line_start = s == 0 or text[s - 1] == "\n"
    bare = not is_cn and not r.tail.match(text, e).group()
    if bare and "\u4e00" <= nxt <= "\u9fff" and not masked:
        return [_mention(text, s, e, "year", "event year")], e  # 2023世界龙狮锦标赛
    if not is_cn and (
        nxt in (" ", "\t", "\n", "\r", "\u3000")
        or (line_start and not r.tail.match(text, e).group())
        or (prev in "〔[【(（" and nxt in "〕]】)）")
        or _YEAR_LIST.match(text, e, e + 8)
    ):
        return [_mention(text, s, e, "year")], e
    return None


def _date(
    text: str,
    s: int,
    e: int,
    core: str,
    plain: str,
    is_cn: bool,
    masked: bool,
    prev: str,
    nxt: str,
    r: _Rules,
) -> _Found | None:
    """Dates: 3月15日, *月**日, 1-6月, 一季度, 7·26; not 连续3月 (a month count)."""
    v0 = None if masked or is_cn else int(plain)
    if is_cn:
        v0c = _cn_value(core)
        v0 = int(v0c) if v0c is not None and v0c == int(v0c) else 99
    dm = _MONTH_DAY.match(text, e) if nxt == "月" or nxt in _RANGE_SEP else None
    month_count = (
        dm is not None and dm.end() == e + 1 and _ends_with_any(text, s, r.by_len["duration_cues"])
    )
    if (
        dm
        and (v0 is None or 1 <= v0 <= 12)
        and not text.startswith("份额", dm.end() - 1)
        and not month_count
    ):
        return [_mention(text, s, dm.end(), "date")], dm.end()
    dot = _DOT_DAY.match(text, e) if not is_cn and nxt in "·•．." else None
    if dot and (v0 is None or 1 <= v0 <= 12) and prev not in ".．":
        return [_mention(text, s, dot.end(), "date", "month·day")], dot.end()
    if text.startswith("季度", e):
        return [_mention(text, s, e + 2, "date")], e + 2
    if nxt == "时" and (v0 is None or v0 <= 24):
        clock = _CLOCK_CN.match(text, e)  # 12时30分, 上午9时: a time of day
        if clock is None and _ends_with_any(text, s, r.by_len["day_parts"]):
            clock = _CLOCK_BARE.match(text, e)
        if clock:
            return [_mention(text, s, clock.end(), "date", "time of day")], clock.end()
    if nxt in "日号" and (v0 is None or 1 <= v0 <= 31):
        after = text[e + 1 : e + 3]
        if not any(after.startswith(w) for w in r.words.day_duration_after):
            if nxt == "号" and not is_cn:
                ns = r.name_suffix.match(text, e)
                end = ns.end() if ns else e + 1
                return [_mention(text, s, end, "name", "number label")], end
            if nxt == "日":
                return [_mention(text, s, e + 1, "date")], e + 1
    return None


_CLOCK_CN = re.compile(rf"时(?:[{_D}]{{1,2}}分|许|整)")
_CLOCK_BARE = re.compile("时")
