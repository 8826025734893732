"""Every number-like span of a report, classed and parsed.

One compiled regex finds number cores (Arabic or masked digits, Chinese numerals,
URLs, formula patterns); each core is then classed by looking at a few characters
around it with small anchored regexes. All rule words (units, multipliers,
comparators, name suffixes, cue words) live in ``data/numbers/``.

Invariants, whatever the text (issue 12): a range's ends share a unit and read low to
high (or high to low after a fall, stored ascending); every quantity is finite, ordered
and within its unit's plausibility bound (``data/numbers/bounds.yaml``), else it becomes
a mention of class ``unparsed``; time is linear in the input (no rescan per match).

Speed: the scan regex also recognises the commonest shape whole (digits, optional
multiplier, unit; ``_fast_quantity``), Chinese numerals that cannot be quantities are
dropped before the chain (``_cn_dead_end``), and records are built from a field dict
without the frozen-dataclass ``__init__`` (``_build``). Everything else goes through the
``_classify`` chain, which gives the same result for the fast shapes.
"""

from __future__ import annotations

import csv
import math
import re
import string
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from heping_data.extract.number_shapes import reshape as _reshape
from heping_data.records import Boilerplate, NumberMention
from heping_data.text.numerals import approx_bounds as _approx_bounds
from heping_data.text.numerals import to_value as _to_value
from heping_data.text.regexcache import compile as _compile
from heping_data.text.yamlio import load_text

_DATA = Path(__file__).parents[1] / "data" / "numbers"

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


_LenTable = tuple[tuple[int, frozenset[str]], ...]


@dataclass(frozen=True)
class _Rules:
    """Compiled rule data, loaded once per process."""

    unit_norm: dict[str, str]
    unit_type: dict[str, str]
    mult: dict[str, float]
    cmp_before: dict[str, str]
    cmp_after: dict[str, str]
    cmp_inside: dict[str, str]
    tail: re.Pattern[str]
    after: re.Pattern[str]
    before: re.Pattern[str]
    name_suffix: re.Pattern[str]
    ascii_unit: re.Pattern[str]
    da_noun: re.Pattern[str]
    stop: re.Pattern[str]
    five_year: re.Pattern[str]
    cn_next: frozenset[str]
    name_first: frozenset[str]
    fast_next: frozenset[str]
    after_first: frozenset[str]
    before_last: frozenset[str]
    one_idiom: re.Pattern[str]
    from_marks: frozenset[str]
    one_vague: frozenset[str]
    from_to: re.Pattern[str]
    scan: re.Pattern[str]
    by_len: dict[str, _LenTable]  # every word list of rules.yaml, grouped by length
    raw: dict[str, Any]
    label_units: frozenset[str]  # units of type `label` (周年): the span is a name
    zero: _LenTable  # words after 零 that make it the quantity 0 (zero_nouns)
    bound: dict[str | None, float]  # plausibility bound per unit (bounds.yaml)
    bound_default: float


def _alt(words: list[str]) -> str:
    """Regex alternation of literal words, longest first so the longest wins; words of one
    length in code-point order, so the pattern is the same in every process (and cached)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _len_table(words: list[Any]) -> _LenTable:
    """Words grouped by length, longest first: one slice and set lookup per length
    replaces one ``endswith``/``startswith`` per word."""
    by_len: dict[int, set[str]] = {}
    for w in words:
        by_len.setdefault(len(str(w)), set()).add(str(w))
    return tuple((n, frozenset(ws)) for n, ws in sorted(by_len.items(), reverse=True))


def _cls(chars: frozenset[str]) -> str:
    """Body of a regex character class holding exactly ``chars`` (sorted: deterministic)."""
    return "".join(re.escape(c) for c in sorted(chars))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Load and compile the rule data files (cached: done once per process)."""
    with open(_DATA / "units.csv", encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    with open(_DATA / "multipliers.csv", encoding="utf-8") as f:
        mult = {r["written"]: float(r["factor"]) for r in csv.DictReader(f)}
    with open(_DATA / "comparators.csv", encoding="utf-8") as f:
        cmps = list(csv.DictReader(f))
    with open(_DATA / "rules.yaml", encoding="utf-8") as f:
        raw = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    with open(_DATA / "bounds.yaml", encoding="utf-8") as f:
        bounds = load_text(f.read())
    unit_norm = {u["written"]: u["unit"] for u in units}
    unit_type = {u["unit"]: u["type"] for u in units}
    for pre in raw["si_prefixes"]:
        for base, typ in raw["si_bases"].items():
            unit_norm.setdefault(pre + base, pre + base)
            unit_type.setdefault(pre + base, typ)
    for w in raw["ascii_units"]:
        unit_norm.setdefault(w, w)
    by_pos: dict[str, dict[str, str]] = {"before": {}, "after": {}, "inside": {}, "after_end": {}}
    for c in cmps:
        by_pos[c["position"]][c["word"]] = c["comparator"]
    # 翻一番还多, 3倍多: words that compare only where the clause ends after them (3个多功能
    # 站 is not 3 or more); the lookahead keeps them out of a following word.
    after_end = f"(?:{_alt(list(by_pos['after_end']))})(?=[{_cls(_PUNCT_END)}]|的|$)"
    # A multiplier must not eat the first character of a unit (5千米 is 5 km).
    mult_parts = []
    for m in sorted(mult, key=len, reverse=True):
        rests = [u[len(m) :] for u in unit_norm if u.startswith(m) and len(u) > len(m)]
        look = f"(?!{_alt(rests)})" if rests else ""
        mult_parts.append(re.escape(m) + look)
    unit_alt = _alt(list(unit_norm))
    inside = _alt(list(by_pos["inside"]))
    mult_alt = "|".join(mult_parts)
    tail = _compile(
        rf"(?P<yu1>{inside})?(?P<mult>{mult_alt})?(?P<yu2>{inside})?"
        rf"(?P<unit>(?:{unit_alt})(?:/(?:{unit_alt}))?)?"
    )
    name_first = frozenset(w[0] for w in raw["name_suffixes"])
    # 75周年 is an anniversary (a label), not a span of time: such units leave the fast path
    label_units = frozenset(u for u, t in unit_type.items() if t == "label")
    fast_next = (
        frozenset(w[0] for w in list(unit_norm) + list(mult))
        - name_first
        - frozenset("月日号年大季·")
        - frozenset(w[0] for w in label_units)
    )
    # The commonest core, digits + optional multiplier + unit, in the scan itself: the
    # same spans and groups ``tail`` would give, but atomic so a failed unit never makes
    # the digits or the multiplier give back characters (``_fast_quantity``).
    fast = (
        rf"(?P<fast>(?<=[^{_cls(_FAST_PREV_BLOCK)}])(?>(?P<fcore>{_ARABIC}))"
        rf"(?=[{_cls(fast_next)}])(?!{inside})(?P<fmult>{mult_alt})?+(?!{inside})"
        rf"(?P<funit>(?>(?:{unit_alt})(?:/(?:{unit_alt}))?))(?![{_cls(_RANGE_SEP_HALF | {'半'})}]))"
    )
    # 千头肉牛养殖场: a bare 百/千/万 before a size-class counter (checked in ``_size_class``)
    bare = rf"|(?P<bare>[百千万](?=[{_cls(frozenset(raw['size_class_counters']))}]))"
    scan = _compile(
        _CORE.pattern.replace("|(?P<ar>", f"|{fast}|(?P<ar>", 1).replace(
            "|(?P<cnfrac>", f"{bare}|(?P<cnfrac>", 1
        )
    )
    return _Rules(
        unit_norm=unit_norm,
        unit_type=unit_type,
        mult=mult,
        cmp_before=by_pos["before"],
        cmp_after=by_pos["after"] | by_pos["after_end"],
        cmp_inside=by_pos["inside"],
        tail=tail,
        after=_compile(f"{_alt(list(by_pos['after']))}|{after_end}"),
        before=_compile(
            rf"(?P<w>{_alt(list(by_pos['before']))})(?:{_alt(raw['comparator_gap_words'])})?$"
        ),
        name_suffix=_compile(_alt(raw["name_suffixes"])),
        ascii_unit=_compile(rf"(?:{_alt(raw['ascii_units'])})(?![A-Za-z])"),
        da_noun=_compile(rf"大(?:{_alt(raw['da_modifiers'])})?(?:{_alt(raw['da_nouns'])})"),
        stop=_compile("|".join(raw["cn_stop_phrases"])),
        five_year=_compile(raw["five_year_plan"]),
        # characters that may follow a Chinese numeral that is a mention at all
        cn_next=frozenset(
            [w[0] for w in list(unit_norm) + list(mult) + list(by_pos["inside"])]
            + list("大月日号季成番半" + _RANGE_SEP)
        ),
        name_first=name_first,
        # next characters for which a digit run needs no special handling
        fast_next=fast_next,
        after_first=frozenset(w[0] for w in list(by_pos["after"]) + list(by_pos["after_end"])),
        before_last=frozenset(w[-1] for w in list(by_pos["before"]) + raw["comparator_gap_words"]),
        one_idiom=_compile(_alt(raw["one_idioms"])),
        from_marks=frozenset(raw["from_marks"]),
        one_vague=frozenset(raw["one_vague_counters"]),
        from_to=_compile(
            rf"(?:{_alt(raw['from_to_verbs'])})?[到至]"
            rf"(?:(?P<pct>百分之)|[0-9０-９]+(?:[.．][0-9０-９]+)?|{_CN_NUM})"
        ),
        scan=scan,
        by_len={k: _len_table(v) for k, v in raw.items() if isinstance(v, list)},
        raw=raw,
        label_units=label_units,
        zero=_len_table(list(raw["zero_nouns"])),
        bound=_unit_bounds(bounds, unit_norm, unit_type),
        bound_default=float(bounds["default"]),
    )


def _unit_bounds(
    bounds: dict[str, Any], unit_norm: dict[str, str], unit_type: dict[str, str]
) -> dict[str | None, float]:
    """Plausibility bound of every known unit (by its type), and of no unit.

    Checked on load: every bound a positive finite number, every type one units.csv uses.
    """
    by_type = {k: float(v) for k, v in bounds["by_type"].items()}
    default = float(bounds["default"])
    unknown = set(by_type) - set(unit_type.values())
    figures = [default, float(bounds["no_unit"]), *by_type.values()]
    if unknown or not all(0 < b < math.inf for b in figures):
        raise ValueError(f"bounds.yaml: unknown unit types {sorted(unknown)} or a bound <= 0")
    out: dict[str | None, float] = {None: float(bounds["no_unit"])}
    for u in set(unit_norm.values()):
        out[u] = by_type.get(unit_type.get(u, ""), default)
    return out


# --- numeral conversion ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def _cn_value(s: str) -> float | None:
    """Chinese numeral to a value: the numerals module first, cn2an as a fallback."""
    v = _to_value(s)
    if v is not None:
        return float(v)
    import cn2an  # lazy: ~0.2 s of import and pattern building, rarely reached

    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _arabic_bounds(s: str) -> tuple[float | None, float, float, int]:
    """(value, low, high, masked digits) of an Arabic or masked numeral as written."""
    if s.isascii() and s.isdigit():
        v = float(s)
        return v, v, v, 0
    s = s.translate(_FW_STRIP)
    if "/" in s:
        a, _, b = s.partition("/")
        if "*" in s or float(b) == 0:
            return None, 0.0, 1.0 if "*" not in a else 0.0, s.count("*")
        v = float(a) / float(b)
        return v, v, v, 0
    n = s.count("*")
    if not n:
        v = float(s)
        return v, v, v, 0
    ip, _, dp = s.partition(".")
    lo = [("1" if (i == 0 and len(ip) > 1) else "0") if c == "*" else c for i, c in enumerate(ip)]
    hi = ["9" if c == "*" else c for c in ip]
    lo_s, hi_s = "".join(lo), "".join(hi)
    if dp:
        lo_s += "." + dp.replace("*", "0")
        hi_s += "." + dp.replace("*", "9")
    return None, float(lo_s), float(hi_s), n


def _scale(x: float | None, m: float) -> float | None:
    """x times multiplier m, exact in decimal so 1.2万 is 12000.0, not 12000.000000000002."""
    if x is None:
        return None
    if m == 1.0 or not -_BIG < x < _BIG:
        return x * m  # an overflowed inf stays inf (the bounds check classes it unparsed)
    if x.is_integer() and abs(x) < 1e6:
        return x * m  # exact: both integers and the product is far below 2**53
    k = _POW10.get(m)
    if k is not None:
        rx = repr(x)
        if "e" not in rx:
            # The same exact decimal product, rounded once, without Decimal objects.
            return float(f"{rx}e{k}")
    return float(Decimal(repr(x)) * Decimal(repr(m)))


_BIG = 1e300
_POW10 = {10.0**k: k for k in range(1, 23)}  # 10.0**k is exact up to k = 22


def _next_step(x: float) -> float:
    """Place value of the last significant digit of x (3000 → 1000, 15 → 1, 2.5 → 0.1)."""
    s = repr(x)
    if "e" in s:
        s = f"{x:f}"
    ip, _, dp = s.partition(".")
    dp = dp.rstrip("0")
    if dp:
        return 10.0 ** -len(dp)
    stripped = ip.rstrip("0")
    return 10.0 ** (len(ip) - len(stripped)) if stripped else 1.0


# --- classification -------------------------------------------------------------------


@dataclass(slots=True)
class _Q:
    """Mutable working state of one quantity while its span is being built."""

    start: int
    end: int
    numeral: str
    value: float | None
    lo: float | None
    hi: float | None
    masked: int = 0
    unit: str | None = None
    mult: float = 1.0
    inside_cmp: str | None = None
    is_range: bool = False
    is_ordinal: bool = False
    note: str | None = None
    cmp: str | None = None  # a comparator the numeral itself carries (前三 le, 上百 ge)
    implied: tuple[float, float] | None = None  # range the numeral itself implies (上百)


_NEW = object.__new__
_SET_ATTR = object.__setattr__


def _build(d: dict[str, Any]) -> NumberMention:
    """A NumberMention from a complete field dict, without the frozen-dataclass __init__.

    Why: building records was a third of the scan time on digit-dense reports, and the
    keyword ``__init__`` of a frozen dataclass costs one ``object.__setattr__`` per field.
    ``d`` must hold every field, in declaration order (tests compare against the real
    constructor); the result is an ordinary NumberMention (equality, hash, repr).
    """
    rec = _NEW(NumberMention)
    _SET_ATTR(rec, "__dict__", d)
    return rec


def _mention(text: str, s: int, e: int, cls: str, note: str | None = None) -> NumberMention:
    """A non-quantity mention (year, date, name, pattern, redacted, boilerplate)."""
    span = text[s:e]
    return _build(
        {
            "start": s,
            "end": e,
            "text": span,
            "cls": cls,
            "numeral": span,
            "unit": None,
            "multiplier": 1.0,
            "value": None,
            "value_min": None,
            "value_max": None,
            "comparator": "eq",
            "implied_min": None,
            "implied_max": None,
            "is_masked": False,
            "masked_digits": 0,
            "is_range": False,
            "is_ordinal": False,
            "note": note,
        }
    )


def _after_cmp(text: str, e: int, r: _Rules) -> str | None:
    """Comparator of a word right after a span (以上, 左右), or None.

    The regex runs only when the next character can start such a word.
    """
    if e < len(text) and text[e] in r.after_first:
        after = r.after.match(text, e)
        if after is not None:
            return r.cmp_after[after.group()]
    return None


def _before_cmp(text: str, s: int, r: _Rules) -> re.Match[str] | None:
    """Match of a comparator word right before a span (超过, 近, 突破了), or None."""
    if s and text[s - 1] in r.before_last:
        return r.before.search(text, max(0, s - 7), s)
    return None


def _clause_approx(text: str, s: int, r: _Rules) -> bool:
    """约占全部装机的三分之一: an approximation cue earlier in the clause."""
    return text.find("约", max(0, s - 14), s) >= 0 and _lookback(
        text, s, r.raw["approx_clause_cues"], 14
    )


_NEAR = frozenset(("近", "将近", "接近"))


def _finish(text: str, q: _Q, r: _Rules) -> NumberMention:
    """Apply multiplier and comparators to a quantity and freeze it.

    Precedence: the numeral's own comparator (上百), a word after (以上), 余/多 inside,
    a word before (超过), an approximation cue in the clause, else ``eq``.
    """
    if q.mult == 1.0:
        lo, hi, val = q.lo, q.hi, q.value
    else:
        lo, hi, val = _scale(q.lo, q.mult), _scale(q.hi, q.mult), _scale(q.value, q.mult)
    before = None
    if q.cmp:
        cmp = q.cmp
    else:
        cmp = _after_cmp(text, q.end, r) or q.inside_cmp
        if cmp is None:
            before = _before_cmp(text, q.start, r)
            if before is not None:
                cmp = r.cmp_before[before.group("w")]
            elif _clause_approx(text, q.start, r):
                cmp = "approx"
            else:
                cmp = "eq"
    imin, imax = lo, hi
    if q.inside_cmp and q.lo is not None and q.hi is not None:
        # 3000余万 → [3000万, 4000万): the next unit of the last significant digit.
        if q.masked:
            lead = q.numeral.translate(_FW).lstrip("-")
            n_int = len(lead.split(".")[0].replace(",", ""))
            top = (int(lead[0]) + 1 if lead[0].isdigit() else 10) * 10.0 ** (n_int - 1)
            imax = _scale(top, q.mult)
        else:
            imax = _scale(q.hi + _next_step(q.hi), q.mult)
    elif cmp in ("gt", "ge"):
        imax = None
    elif cmp in ("lt", "le"):
        imin = None
    elif cmp == "approx":
        if before is None:
            before = _before_cmp(text, q.start, r)
        imin = None
        imax = hi if before is not None and before.group("w") in _NEAR else None
    if q.implied is not None:
        imin, imax = _scale(q.implied[0], q.mult), _scale(q.implied[1], q.mult)
    masked = q.masked
    return _build(
        {
            "start": q.start,
            "end": q.end,
            "text": text[q.start : q.end],
            "cls": "quantity",
            "numeral": q.numeral,
            "unit": q.unit,
            "multiplier": q.mult,
            "value": val,
            "value_min": lo,
            "value_max": hi,
            "comparator": cmp,
            "implied_min": imin,
            "implied_max": imax,
            "is_masked": masked > 0,
            "masked_digits": masked,
            "is_range": q.is_range,
            "is_ordinal": q.is_ordinal,
            "note": q.note,
        }
    )


def _split_cn(s: str, r: _Rules) -> tuple[str, float]:
    """三千万 → (三千, 1e4): a trailing 万/亿/万亿 of a Chinese numeral is its multiplier."""
    if s[-1] not in "万亿":
        return s, 1.0
    for m in ("万亿", "亿", "万"):
        if s.endswith(m) and len(s) > len(m):
            return s[: -len(m)], r.mult[m]
    return s, 1.0


def _parse_core(kind: str, s: str, r: _Rules) -> tuple[float | None, float, float, int, float]:
    """(value, low, high, masked digits, multiplier) of one numeral core."""
    if kind == "ar":
        v, lo, hi, n = _arabic_bounds(s)
        return v, lo, hi, n, 1.0
    num, mult = _split_cn(s, r)
    v = _cn_value(num)
    if v is None:
        v = _cn_value(s)
        mult = 1.0
    if v is None:
        return None, 0.0, 0.0, 0, 1.0
    return v, v, v, 0, mult


def _norm_unit(unit: str, r: _Rules) -> str:
    """Unit as printed, with the few normalisations the data contract keeps.

    Only the width of ％ and the counter of 个百分点/个工作日 change; 公斤, 周岁 and 平米
    stay as written, because readers compare units with the text.
    """
    norm = r.unit_norm.get(unit)
    if norm is not None:
        return norm
    if "/" in unit:
        a, _, b = unit.partition("/")
        return f"{r.unit_norm.get(a, a)}/{r.unit_norm.get(b, b)}"
    return r.unit_norm.get(unit, unit)


# What may precede a list marker's digits: a line break or the start (read as one),
# indentation, or an opening bracket.
_MARKER_PREV = frozenset("\r\n \t\u3000(（")


def _is_list_marker(text: str, s: int, e: int) -> bool:
    """1. / 1、 / （1） at the start of a line: a heading or list number, not a quantity."""
    k = s - 1
    bracket = k >= 0 and text[k] in "(（"
    if bracket:
        k -= 1
    while k >= 0 and text[k] in " \t\u3000":
        k -= 1
    if k >= 0 and text[k] not in "\r\n":
        return False
    nxt = text[e : e + 1]
    if bracket:
        return nxt in (")", "）")
    return nxt in (".", "．", "、", ")", "）") and not text[e + 1 : e + 2].isdigit()


def _lookback(text: str, start: int, words: list[str], span: int = 8) -> bool:
    """Whether one of ``words`` occurs in the clause just before ``start``."""
    lo = max(0, start - span)
    seg = text[lo:start]
    for p in "，。；、：！？,;\n":
        k = seg.rfind(p)
        if k >= 0:
            seg = seg[k + 1 :]
    return any(w in seg for w in words)


_Found = tuple[list[NumberMention], int]


def _classify(text: str, kind: str, s: int, e: int, r: _Rules) -> _Found:
    """Mentions for one core match and the offset where scanning resumes.

    A chain of small deciders, each returning a result or None to pass the core on:
    special cores, codes, the fast unit path, ordinals and top-N ranks, Chinese-numeral
    gates, list markers, word forms (百分之, 分之), years, dates, names, and finally the
    quantity with its range, N大 noun or unit tail.
    """
    core = text[s:e]
    if kind == "url":
        return [
            _mention(text, s + k.start(), s + k.end(), "boilerplate", "url")
            for k in _RUN.finditer(core)
        ], e
    if kind == "pat":
        return _pattern(text, s, e, core, r), e
    if kind == "first":
        if _lookback(text, s, r.raw["rank_cues"]):
            q = _Q(s, e, core, 1.0, 1.0, 1.0, unit="名", is_ordinal=True, note="rank")
            return [_finish(text, q, r)], e
        return [], e
    if kind == "apx":
        return _approx_numeral(text, s, e, core, r)
    if kind == "half":
        return _half(text, s, e, r)
    if kind == "bare":
        return _size_class(text, s, e, r)

    hostile = _hostile(text, kind, s, e, r)
    if hostile is not None:
        return hostile
    n = len(text)
    prev = text[s - 1] if s else "\n"  # a boundary reads as a line break
    nxt = text[e] if e < n else "\n"
    if kind == "ar" and prev.isascii() and prev.isalpha():
        return _code(text, s, e)
    if prev == "第" and kind in ("ar", "cn"):
        return _ordinal(text, s, e, core, kind, r)
    if prev == "前" and kind in ("ar", "cn"):
        top = _top_rank(text, s, e, core, kind, r)
        if top:
            return top
    if kind in ("cn", "cnfrac"):
        gate = _cn_gate(text, s, e, core, kind, prev, nxt, r)
        if gate is not None:
            return gate
    if kind == "ar" and prev in _MARKER_PREV and _is_list_marker(text, s, e):
        ms, me = (s - 1, e + 1) if prev in "(（" else (s, e)
        return [_mention(text, ms, me, "name", "list marker")], me
    if kind == "ar" and nxt in _CLOSE_QUOTES and "\u4e00" <= prev <= "\u9fff":
        quoted = _quoted_name(text, s, e)  # “绿盾2018”: digits closing a quoted name
        if quoted:
            return quoted
    if kind == "pct":
        return _percent_word(text, s, e, core, r)
    if kind == "cnfrac":
        return _cn_fraction(text, s, e, core, r)

    if kind == "cn":  # never a year or a name: straight to date, then quantity
        date = _date(text, s, e, core, core, True, False, prev, nxt, r)
        if date:
            return date
        return _quantity(text, s, e, core, kind, core, False, prev, nxt, r)
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
    if prev in _OPEN_QUOTES:
        label = _quoted_label(text, s, e, r)
        if label:
            return label
    name = _name(text, s, e, plain, nxt, r)
    if name:
        return name
    return _quantity(text, s, e, core, kind, plain, masked, prev, nxt, r)


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
_CLOCK = re.compile(r"(?:[01]?[0-9]|2[0-4])[:：][0-5][0-9]")


def _pattern(text: str, s: int, e: int, core: str, r: _Rules) -> list[NumberMention]:
    """1+N stays one pattern; a ratio (18.6∶39.2∶42.2) gives one unitless quantity a part.

    Why: each part of an industry-structure ratio is a share readers query on its own. A
    clock time (8:30, ASCII or full-width colon) is neither and stays a pattern.
    """
    if "+" in core or "＋" in core or _CLOCK.fullmatch(core.translate(_FW)):
        return [_mention(text, s, e, "pattern")]
    out = []
    ps = s
    for part in _RATIO_SEP.split(core):
        pe = ps + len(part)
        v, lo, hi, nm = _arabic_bounds(part)
        out.append(_finish(text, _Q(ps, pe, part, v, lo, hi, nm, note="ratio part"), r))
        ps = pe + 1
    return out


_STD_PREFIX = re.compile(r"[A-Z]{1,4}[0-9]{0,3}(?:/[A-Z]{1,2})?[ \u00a0]?$")
_CODE_TAIL = re.compile(r"(?:[-－][0-9]+)+")


def _code(text: str, s: int, e: int) -> _Found:
    """Letters glued to digits: a model number or code (C919, PM2.5, GB/T 19001-2016).

    A code runs on over dash-joined digit groups (its year or serial), so no part of
    it is read as a range or a negative number.
    """
    n = len(text)
    ls = s
    while ls > 0 and text[ls - 1].isascii() and text[ls - 1].isalpha():
        ls -= 1
    le = e
    while le < n and text[le].isascii() and (text[le].isalnum() or text[le] == "."):
        le += 1
    tail = _CODE_TAIL.match(text, le)
    if tail:
        le = tail.end()
    return [_mention(text, ls, le, "name", "code")], le


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


def _code_or_marker(text: str, s: int, e: int, prev: str, nxt: str) -> _Found | None:
    """GB/T 19001-2016 (a standard's number and year: a code); [12], ^[3] (an endnote
    marker: boilerplate)."""
    if prev in "[［":
        if nxt not in "]］" or e - s > 3:
            return None
        ms = s - 2 if s >= 2 and text[s - 2] == "^" else s - 1
        return [_mention(text, ms, e + 1, "boilerplate", "endnote marker")], e + 1
    if _STD_PREFIX.search(text, max(0, s - 12), s):
        return _code(text, s, e)
    return None


def _quoted_name(text: str, s: int, e: int) -> _Found | None:
    """“绿盾2018”, “智慧城市2.0”: digits glued to the end of a quoted name are part of it.

    Why: a campaign or plan title numbered by year or generation names a thing; the
    quote must open within a short reach before the digits, with no clause break.
    """
    k = s - 1
    stop = max(0, s - 16)
    while k >= stop:
        c = text[k]
        if c in _OPEN_QUOTES or c == '"':
            return [_mention(text, k + 1, e, "name", "quoted name")], e
        if c in _PUNCT_END:
            return None
        k -= 1
    return None


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
    if (tail in _PUNCT_END or _lookback(text, s - 1, r.raw["rank_cues"])) and not (
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
    if not _lookback(text, s - 1, r.raw["top_cues"], 10):
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
    reach = text[e + 1 : e + 1 + r.raw["size_class_reach"]]
    heads = r.raw["size_class_heads"]
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
        if not (kind == "cn" and (nxt == "个" or r.da_noun.match(text, e))):  # “十大工程”
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


def _zero(text: str, s: int, e: int, r: _Rules) -> _Found | None:
    """零费用 (0 元), 零返贫 (0 人): 零 before a noun of ``zero_nouns`` is the count or
    amount 0 of that noun, in the unit the noun implies; the span is 零 alone."""
    for size, words in r.zero:
        w = text[e : e + size]
        if w in words:
            unit = r.raw["zero_nouns"][w]
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
            text.startswith(w, t.end()) for w in r.raw["bare_place_not_after_unit"]
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
        if not any(after.startswith(w) for w in r.raw["day_duration_after"]):
            if nxt == "号" and not is_cn:
                ns = r.name_suffix.match(text, e)
                end = ns.end() if ns else e + 1
                return [_mention(text, s, end, "name", "number label")], end
            if nxt == "日":
                return [_mention(text, s, e + 1, "date")], e + 1
    return None


_CLOCK_CN = re.compile(rf"时(?:[{_D}]{{1,2}}分|许|整)")
_CLOCK_BARE = re.compile("时")
_OPEN_QUOTES = frozenset("“「『‘")
_CLOSE_QUOTES = "”」』’"


def _quoted_label(text: str, s: int, e: int, r: _Rules) -> _Found | None:
    """A number opening a quoted phrase that names something: “141”体系, “15分钟便民生活圈”.

    Why: a slogan or brand in quotes is a label; a short verb after the unit
    (“3分钟到场”) keeps the number a quantity.
    """
    raw = r.raw
    close = -1
    for k in range(e, min(len(text), s + raw["quoted_label_max"])):
        if text[k] in _CLOSE_QUOTES:
            close = k
            break
        if text[k] in _PUNCT_END or text[k] in _OPEN_QUOTES:
            return None
    if close < 0:
        return None
    if close == e:
        return [_mention(text, s, e, "name", "quoted label")], e
    t = r.tail.match(text, e)
    if not t.group("unit"):
        return None
    rest = text[t.end() : close]
    if len(rest) >= raw["quoted_label_min_rest"] or any(
        rest.endswith(w) for w in raw["quoted_label_suffixes"]
    ):
        return [_mention(text, s, t.end(), "name", "quoted label")], t.end()
    return None


def _name(text: str, s: int, e: int, plain: str, nxt: str, r: _Rules) -> _Found | None:
    """Names with Arabic digits: 5G, 4A级, 126中学, 3号线, 12345 热线; not 10MW."""
    n = len(text)
    if nxt.isascii() and nxt.isalpha() and not r.ascii_unit.match(text, e):
        le = e
        while le < n and text[le].isascii() and text[le].isalnum():
            le += 1
        if text.startswith("级", le):
            le += 1
        return [_mention(text, s, le, "name")], le
    ns = r.name_suffix.match(text, e) if nxt in r.name_first else None
    tail = r.tail.match(text, e) if ns or plain in r.raw["service_numbers"] else None
    if ns and not tail.group("unit"):
        code = _CODE_TAIL.match(text, ns.end())  # ICP备12345678号-1
        end = code.end() if code else ns.end()
        return [_mention(text, s, end, "name")], end
    cjk_near = "\u4e00" <= nxt <= "\u9fff" or (s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff")
    version = plain.endswith(".0") and cjk_near and nxt not in _RANGE_SEP
    if version and not r.tail.match(text, e).group():
        return [_mention(text, s, e, "name", "version")], e  # 工业4.0, 教育信息化2.0
    if tail is not None and not tail.group() and nxt not in "%％":
        return [_mention(text, s, e, "name", "service line")], e
    return None


def _ends_with_any(text: str, s: int, table: _LenTable) -> bool:
    """Whether the text just before ``s`` ends with a word of ``table`` (了 may intervene).

    One slice and set lookup per word length instead of one ``endswith`` per word.
    """
    k = s - 1 if s and text[s - 1] == "了" else s
    return any(k >= size and text[k - size : k] in words for size, words in table)


def _starts_with_any(text: str, e: int, table: _LenTable) -> bool:
    """Whether the text at ``e`` starts with a word of ``table``."""
    return any(text[e : e + size] in words for size, words in table)


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
    n = len(text)
    is_cn = kind == "cn"
    raw = r.raw
    v, lo, hi, nm, cmult = _parse_core(kind, core, r)
    if v is None and not nm and is_cn:
        return [], e
    if is_cn and nxt in "成番半":
        return _cn_word_unit(text, s, e, core, v, nxt, r)
    sign = 1.0
    qs = s
    if prev in ".．" and kind == "ar" and (s < 2 or not _DIGIT1.match(text[s - 2])):
        return _leading_point(text, s, e, core, r)  # .75亿元 is 0.75亿元
    if (
        prev in "-－−"
        and not is_cn
        and (s < 2 or not _SIGN_BLOCK.match(text[s - 2]))
        and not _NUM_BEFORE.search(text, max(0, s - 8), s - 1)
    ):
        sign, qs = -1.0, s - 1
        v = None if v is None else -v
        lo, hi = -hi, -lo
    q = _Q(qs, e, text[qs:e], v, lo, hi, nm, mult=cmult)

    t = r.tail.match(text, e)
    yu1, mult_w, yu2, unit = t.groups()  # one call instead of a group() per use
    tend = t.end()
    if mult_w and text[t.end("mult") : t.end("mult") + 1] in _STACK and not unit:
        return _stacked(text, s, t.end("mult"))
    if unit in r.label_units:  # 成立75周年, 建党一百周年: an anniversary names an occasion
        return [_mention(text, s, tend, "name", "anniversary")], tend
    lend = tend if unit in (None, "%", "％") else e
    if lend < n and text[lend] in _RANGE_SEP and sign > 0:
        rng = _range(text, s, e, core, kind, q, t, lend, lo, hi, nm, cmult, r)
        if rng:
            return rng

    # N大 + noun: 九大主题 (unit 主题). Both regexes start with 大.
    if nxt == "大" and tend == e:
        da = r.da_noun.match(text, e)
        if not da and (not is_cn or _counts_list(text, s, v)):
            da = _DA_ANY.match(text, e)
        if da:
            if is_cn and _lookback(text, s, raw["da_title_cues"], 10):
                return [], e
            q.unit = da.group()[1:]
            q.end = da.end()
            return [_finish(text, q, r)], q.end

    yu = yu1 or yu2
    half = False
    if unit and tend < n and text[tend] == "半" and r.unit_type.get(_norm_unit(unit, r)) == "time":
        half = True  # 一年半, 3个月半 is not written; 1年半 is
    if is_cn:
        if unit and unit in raw["cn_counter_exclude"] and not _cn_duration(text, tend, unit, r):
            unit = None
        if unit is None and not mult_w and cmult == 1.0:
            return [], e
        if unit in raw["category_counters"] and tend < n and text[tend] in _OPEN_QUOTES:
            return [_mention(text, s, tend, "name", "category")], tend  # 三类“500强”
        if unit == "个" and tend < n and text[tend] in raw["slogan_negations"]:
            slogan = _slogan_end(text, tend, raw["slogan_max_len"])
            if slogan:
                return [_mention(text, s, slogan, "name", "slogan")], slogan
        label = _cn_label(text, s, tend, unit, prev, r)
        if label:
            return label
        unit_kind = r.unit_type.get(r.unit_norm.get(unit or "", ""))
        if core == "一" and not mult_w and not half and not _one_is_count(text, s, unit_kind, r):
            return [], e  # 一个/一次/一批: an article or idiom far more often than a count
        period = unit == "年" and not (half or mult_w or yu)
        if (
            period
            and not _ends_with_any(text, s, r.by_len["duration_cues"])
            and not any(text.startswith(w, tend) for w in raw["duration_after"])
        ):
            return [_mention(text, s, tend, "name", "period")], tend  # 过去五年
        if unit is None and not mult_w:
            # A bare multi-digit Chinese numeral with an internal 万/亿: keep it.
            q.end = e
            return [_finish(text, q, r)], e
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


def _stacked(text: str, s: int, k: int) -> _Found:
    """3万万亿元, 12亿亿元: a multiplier on a multiplier has no reading; the whole run is
    kept as an ``unparsed`` mention so no part of it becomes a fact."""
    n = len(text)
    while k < n and text[k] in _STACK:
        k += 1
    r = _rules()
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
    raw = r.raw
    end = text.find("”", k, k + raw["quoted_slogan_max"] + 1)
    if end < 0:
        return False
    phrase = text[k:end]
    if not phrase or any(c in _PUNCT_END for c in phrase):
        return False
    return not phrase.endswith(tuple(raw["quoted_count_heads"]))


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
        if after in r.raw["cheng_exclude"]:
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
    if t.group("mult") and lend == t.end():
        options = [cmult * r.mult[t.group("mult")]]
    elif cmult != 1.0 or m_right == 1.0:
        options = [cmult]
    else:
        options = [m_right, 1.0]  # shared (3-5万元), else the left end's own (5000-1万元)
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
    return _lookback(text, s, r.raw["fall_cues"], r.raw["fall_reach"])


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


def _bare_arabic(
    text: str, s: int, e: int, plain: str, masked: bool, prev: str, nxt: str, r: _Rules
) -> _Found | None:
    """No unit: a masked run may be a redaction, a long run an id, page furniture boilerplate."""
    raw = r.raw
    near = text[max(0, s - 8) : e + 8]
    if any(c in near for c in raw["boilerplate_cues"]):
        bs, be = s, e
        if prev in "(（" and nxt in ")）":
            bs, be = s - 1, e + 1
        return [_mention(text, bs, be, "boilerplate", "furniture")], be
    if masked and "." not in plain:
        follow = any(text.startswith(w, e) for w in raw["redacted_follow_cues"])
        precede = any(text.endswith(w, 0, s) for w in raw["redacted_precede_cues"])
        if len(plain) >= raw["redacted_min_len"] or (len(plain) >= 3 and (follow or precede)):
            return [_mention(text, s, e, "redacted")], e
    elif not masked and "," not in plain and len(plain) >= 5 and "." not in plain:
        return [_mention(text, s, e, "name", "id")], e
    return None


def find_mentions(text: str, boilerplate: tuple[Boilerplate, ...] = ()) -> list[NumberMention]:
    """All number-like spans of ``text`` in order, non-overlapping.

    Every Arabic digit, every ``*`` mask and every Chinese-numeral quantity lands in
    exactly one mention; Chinese numerals in fixed expressions (一网通办) are skipped.
    The two commonest cores are settled inline (see ``_fast_quantity`` and
    ``_cn_dead_end``); every other core goes through the ``_classify`` chain.
    """
    r = _rules()
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


def _after_scan(
    text: str, out: list[NumberMention], near: list[int], r: _Rules
) -> list[NumberMention]:
    """Passes over the whole mention list: shared comparators, table units, the
    plausibility bounds, data dumps."""
    limit = r.raw["list_max_items"]
    if len(out) > limit:
        short = _long_lists(text, out, limit)  # first: the passes below then skip the dump
        if len(short) != len(out):
            out = short
            near = [k for k in range(1, len(out)) if 0 < out[k].start - out[k - 1].end <= 2]
    if near:
        _share_after_comparators(text, out, near, r)
    if "\t" in text:
        _table_units(text, out, r)
    out = _reshape(text, out)  # whole-word shapes (千亿级, 两位数, [12]): number_shapes.py
    _enforce_bounds(text, out, r)
    return out


_LIST_GAPS = frozenset(("、", "，", ",", "；", ";"))


def _long_lists(text: str, out: list[NumberMention], limit: int) -> list[NumberMention]:
    """A run of more than ``limit`` quantities joined only by 、/，/； is one ``unparsed``
    mention: no item of such a run can be given its own metric.

    Why: a report lists a handful of figures after 分别; tens of thousands in one
    sentence are a data dump, and reading each as a fact costs time with every number
    for rows no one can label.
    """
    res: list[NumberMention] = []
    i, n = 0, len(out)
    while i < n:
        j = i
        while (
            j + 1 < n
            and out[j].cls == "quantity"
            and out[j + 1].cls == "quantity"
            and text[out[j].end : out[j + 1].start] in _LIST_GAPS
        ):
            j += 1
        if j - i + 1 > limit:
            note = f"list of {j - i + 1} unlabelled numbers"
            res.append(_mention(text, out[i].start, out[j].end, "unparsed", note))
        else:
            res.extend(out[i : j + 1])
        i = j + 1
    return res


def _table_units(text: str, out: list[NumberMention], r: _Rules) -> None:
    """A table pasted as tab-separated text: a bare number takes the unit its column's
    header cell gives (亿元, （万元）, 单位：亿元), else the one its row label gives.

    Why: a table states the unit once, in its header; the cells carry digits only. The
    header is the nearest line above, in the same run of tab-separated lines, with no
    data cell (a number that is not a year). One pass over the lines: linear time.
    """
    todo = [
        i
        for i, m in enumerate(out)
        if m.cls == "quantity" and m.unit is None and m.multiplier == 1.0 and not m.is_range
    ]
    header: list[str] = []
    pos, n, k = 0, len(text), 0
    while k < len(todo) and pos <= n:
        le = text.find("\n", pos)
        le = n if le < 0 else le
        line = text[pos:le]
        tabbed = "\t" in line
        label = line.split("\t", 1)[0] if tabbed else ""
        col, col_pos = 0, pos
        while k < len(todo) and out[todo[k]].start <= le:
            i = todo[k]
            k += 1
            if not tabbed:
                continue
            col += text.count("\t", col_pos, out[i].start)
            col_pos = out[i].start
            cells = [header[col]] if col < len(header) else []
            unit = next((u for c in [*cells, label] if (u := _cell_unit(c, r))), None)
            if unit is not None:
                out[i] = _with_unit(out[i], *unit)
        if not tabbed:
            header = []
        elif not _DATA_CELL.search(line):
            header = line.split("\t")
        pos = le + 1


_DATA_CELL = re.compile(r"\t[0-9０-９.．]+(?![0-9０-９.．]*年)")


def _cell_unit(cell: str, r: _Rules) -> tuple[str, float] | None:
    """(unit, multiplier) a header or label cell states: the whole cell, a bracketed tail
    (地区生产总值（亿元）) or after 单位:."""
    cell = cell.strip()
    for opener in ("（", "(", "单位：", "单位:"):
        k = cell.rfind(opener)
        if k >= 0:
            cell = cell[k + len(opener) :].rstrip("）)")
            break
    t = r.tail.fullmatch(cell)
    if not cell or t is None or not t.group("unit"):
        return None
    mult = r.mult[t.group("mult")] if t.group("mult") else 1.0
    return _norm_unit(t.group("unit"), r), mult


def _with_unit(m: NumberMention, unit: str, mult: float) -> NumberMention:
    """The same mention with the table's unit and multiplier applied to its values."""
    d = dict(m.__dict__)
    d["unit"], d["multiplier"], d["note"] = unit, mult, "unit from table header"
    for k in ("value", "value_min", "value_max", "implied_min", "implied_max"):
        d[k] = _scale(d[k], mult)
    return _build(d)


def _enforce_bounds(text: str, out: list[NumberMention], r: _Rules) -> None:
    """Every quantity finite, ordered (min <= max) and within its unit's plausible bound.

    Why: the grammar's invariants hold for every published row whatever the input; a
    quantity that breaks one (400 digits, 1.23e39 元, a stray descending pair) becomes a
    mention of class ``unparsed`` with the reason, never a fact.
    """
    bound, default = r.bound, r.bound_default
    for i, m in enumerate(out):
        if m.cls != "quantity":
            continue
        b = bound.get(m.unit, default)
        lo, hi, v = m.value_min, m.value_max, m.value
        if lo is None or hi is None:
            continue
        if -b <= lo <= hi <= b and (v is None or lo <= v <= hi):
            continue
        if not (math.isfinite(lo) and math.isfinite(hi)):
            why = "not finite"
        elif lo > hi:
            why = "bounds out of order"
        else:
            why = f"beyond the plausible bound {b:.0e} for unit {m.unit or 'none'}"
        out[i] = _mention(text, m.start, m.end, "unparsed", why)


def _share_after_comparators(
    text: str, out: list[NumberMention], near: list[int], r: _Rules
) -> None:
    """7%和9%左右: a comparator word after the last of a list applies to every member.

    Why: the word qualifies the whole list; members must be adjacent quantities of the
    same unit joined only by a link word, so 5个和9%以上 or 6所、幼儿园8所以上 are left alone.
    ``near`` holds the indices of mentions that start one or two characters after the
    previous one (collected during the scan), so only those pairs are looked at.
    """
    links = r.by_len["shared_comparator_links"]
    shared: set[int] = set()
    for k in reversed(near):
        a, b = out[k - 1], out[k]
        gap = text[a.end : b.start]
        if (
            a.cls != "quantity"
            or a.comparator != "eq"
            or b.cls != "quantity"
            or a.unit != b.unit
            or a.is_range
            or not any(len(gap) == size and gap in words for size, words in links)
        ):
            continue
        cmp = b.comparator if k in shared else _after_cmp(text, b.end, r)
        if cmp is None or cmp != b.comparator:
            continue
        d = dict(a.__dict__)
        d["comparator"] = cmp
        if cmp in ("gt", "ge"):
            d["implied_max"] = None
        elif cmp in ("lt", "le"):
            d["implied_min"] = None
        else:
            d["implied_min"] = d["implied_max"] = None
        out[k - 1] = _build(d)
        shared.add(k - 1)


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
