"""Character classes and the core regex of the number grammar (no rule data).

Why apart: every decider reads the same few classes (digits or masks, Chinese digits,
range separators, quotes) and the scan regex ``_CORE`` is built from them; the rule
files only add words (``rules.py`` adds the fast shape and the size class to the scan).
"""

from __future__ import annotations

import re
import string

from heping_data.text.regexcache import compile as _compile

_FW = str.maketrans("０１２３４５６７８９＊．，－", "0123456789*.,-")

# Characters that may stand inside a written number without being part of its value:
# thousands separators (comma, no-break, thin and narrow no-break space) and invisible
# zero-width characters. Offsets stay those of the text; only the value drops them.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_GROUP_SEP = ",\u00a0\u2009\u202f"
_FW_STRIP = str.maketrans(
    "０１２３４５６７８９＊．－", "0123456789*.-", "，" + _GROUP_SEP + _INVISIBLE
)
_D = "0-9０-９*＊"  # a digit or a mask, half or full width
_CN_DIGITS = "零〇一二两三四五六七八九"
_RANGE_SEP = "-－—–~～〜∼至到"
_RANGE_SEP_HALF = frozenset(_RANGE_SEP)
_CN_NUM = f"[{_CN_DIGITS}十][{_CN_DIGITS}十百千万亿]*(?:点[{_CN_DIGITS}]+)?"
_ARABIC = (
    rf"[{_D}]+(?:[{_INVISIBLE}][{_D}]+)*(?:[{_GROUP_SEP}][{_D}]{{3}}(?![{_D}]))*"
    rf"(?:，[0-9０-９]{{3}}(?![{_D}]))*"
    rf"(?:[{_INVISIBLE}]?[.．][{_INVISIBLE}]?[{_D}]+)?(?:/[0-9０-９]+(?![.．/]))?"
)

# Approximate numerals: 数十, 几百万, 十几, 二十几万, 上百, 近千, 逾万, 百余, 千余.
_APPROX = (
    rf"(?<![{_CN_DIGITS}十百千万亿0-9０-９])(?:[数几][十百千万亿]+|[一二三四五六七八九]?十几[万亿]?"
    rf"|(?<![以线至向之迈登走跃踏站攀冲赶])[上近逾超][百千]万?(?![{_CN_DIGITS}十])|[百千万]余"
    rf"|[百千][万亿](?![{_CN_DIGITS}十百千万亿]))"
)

# An ISO-like date: 2026-02-01, 2026/02/01, 2026.2.1, 2023-12 (a dotted date needs its day,
# 2023.12 is a decimal); never inside a longer digit run.
_DAY = "(?:3[01]|[12][0-9]|0?[1-9])"
_MON = "(?:1[0-2]|0?[1-9])"
_ISO = (
    rf"(?<![0-9０-９.．/])(?:19|20)[0-9]{{2}}"
    rf"(?:-{_MON}(?:-{_DAY})?(?![0-9])|/{_MON}(?:/{_DAY})?(?![0-9])|[.．]{_MON}[.．]{_DAY}(?![0-9]))"
)
_PAT_TOK = rf"(?:[{_D}]+|[A-Za-z](?![A-Za-z]))"

# Every core starts with one of these characters: a leading class lets the scan skip
# ordinary text without trying each alternative at every position.
_CORE_FIRST = rf"{_D}{_CN_DIGITS}十百千万数几上近逾超首半A-Za-z"
_CORE = _compile(
    rf"(?=[{_CORE_FIRST}])(?:"
    r"(?P<url>https?://[!-~]+|www\.[!-~]+)"
    rf"|(?P<iso>{_ISO}(?:[-－—–~～〜至到]{_ISO})?(?![{_D}]|[.．/][0-9]))"
    # Possessive digit runs (++): what must follow (+ . : or a non-digit) is never a
    # digit, so giving digits back cannot help; it only cost time on every number.
    rf"|(?P<pat>(?<![A-Za-z])(?:[A-Za-z][+＋])+[{_D}]++(?:[+＋]{_PAT_TOK})*"
    rf"|[{_D}]++(?:[+＋]{_PAT_TOK})+"
    rf"|[{_D}]++(?:[.．][{_D}]+)?(?:[:：∶][{_D}]++(?:[.．][{_D}]+)?)+(?![{_D}]))"
    rf"|(?P<ar>{_ARABIC})"
    rf"|(?P<pct>[百千]分之(?:{_CN_NUM}|百(?![{_CN_DIGITS}十百千万])|[{_D}]+(?:[.．][{_D}]+)?))"
    rf"|(?P<apx>{_APPROX})"
    rf"|(?P<cnfrac>{_CN_NUM}分之{_CN_NUM})"
    rf"|(?P<cn>{_CN_NUM})"
    r"|(?P<first>首位)"
    r"|(?P<half>(?<![上下前后多大一两三四五六七八九十])半(?=天|小时|个?工作日|个月|年))"
    r")"
)
_RUN = re.compile(rf"[{_D}]+")
_PUNCT_END = set("，。；、：:,;.！？!?）)」』”\"' \t\r\n")
_DA_ANY = re.compile(r"大[\u4e00-\u9fff]{2}")
_DIGIT1 = re.compile(rf"[{_D}]")
_SIGN_BLOCK = re.compile(rf"[{_D}A-Za-z]")

# A dash right after a number and its unit (300亿元-250亿元, 3%-2%) joins two numbers;
# it is not the minus sign of the second.
_NUM_BEFORE = re.compile(rf"[{_D}](?:[十百千万亿]*[\u4e00-\u9fff]{{0,2}}|[%％‰])$")
_YEAR4 = re.compile(rf"[{_D}]{{4}}")
_YY = re.compile(r"[0-9]{2}(?![0-9])")  # 2023-24赛季: the second year by its last two digits
_YEAR_LIST = re.compile(rf"[、，,和及与]\s*[{_D}]{{4}}年")
_MONTH_DAY = re.compile(
    rf"(?:[{_RANGE_SEP}](?:[{_D}]{{1,2}}|[{_CN_DIGITS}十]{{1,3}}))?月"
    rf"(?:(?:[{_D}]{{1,2}}|[{_CN_DIGITS}十]{{1,3}})(?:[{_RANGE_SEP}][{_D}]{{1,2}})?[日号])?"
)
_DOT_DAY = re.compile(rf"[·•．.][{_D}]{{1,2}}(?![{_D}])")
_CN_PLACE_RE = re.compile(f"[{_CN_DIGITS}]([十百千])")
_CN_ONLY_DIGITS = re.compile(f"[{_CN_DIGITS}]{{4}}")
_CN_PLACE = {"十": 10, "百": 100, "千": 1000}
_YMD = re.compile(
    r"(?:1[0-2]|0?[1-9]|[*＊]{1,2}|[一二三四五六七八九十]{1,2})月"
    r"(?:(?:[12][0-9]|3[01]|0?[1-9]|[*＊]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?"
)
_SLOW_PREV = frozenset("第前-－−(（\n\r“\"'.．/")

# Characters before a digit run that send it down the full chain: an ordinal, a rank,
# a sign, a bracket or line start (list marker), a quote, a decimal point, a letter (code).
_FAST_PREV_BLOCK = _SLOW_PREV | frozenset(string.ascii_letters)
_CLAUSE_START = set("：:；;。！？\n\r“")
_CLOCK = re.compile(r"(?:[01]?[0-9]|2[0-4])[:：][0-5][0-9]")
_OPEN_QUOTES = frozenset("“「『‘")
_CLOSE_QUOTES = "”」』’"
