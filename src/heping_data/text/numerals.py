"""Numeral strings to numbers: Arabic, Chinese, capital, mixed (``1.2万``), fractions, money.

Why our own parser rather than ``cn2an`` alone: cn2an is right on clean Chinese numerals but
raises on forms reports use every day (``3.07万亿``, ``1,234``, ``五百余万``, ``十几``,
``三分之一``, ``一万万``) and costs ~15 µs a call. This module reads the same numerals in one
pass over a handful of tokens; the tests cross-check it against cn2an where cn2an is right.

Conventions:
- ``to_value`` returns the number the string denotes, or None when it is approximate
  (``十几``, ``三千多``) or not a numeral. ``百分之十五`` is the fraction 15/100 = 0.15, like
  ``三分之一``; ``percent_value`` gives percent units (15).
- ``parse_bounds``/``approx_bounds`` give honest (lo, hi) bounds: ``3000多`` → (3000, 4000),
  ``十几万`` → (1e5, 2e5), ``几十万`` → (1e5, 1e6), ``八九亿`` → (8e8, 9e8).
- ``parse_money`` follows jionlp's money-parser semantics (lo, hi, currency).
All rule data (characters, units, cue words) lives in ``data/numerals/*.yaml``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache
from typing import Annotated, Any

from pydantic import Field

from heping_data.text.chars import alternation
from heping_data.text.chars import char_class as _cls
from heping_data.text.regexcache import compile as _compile
from heping_data.text.ruledata import RuleModel, load_rules

__all__ = [
    "CURRENCIES",
    "CURRENCY_RE",
    "FRACTION_MARKER",
    "LENIENT_NUMERAL_RE",
    "MORE_MARKERS",
    "NUMERAL_PATTERN",
    "NUMERAL_RE",
    "SUBUNITS",
    "approx_bounds",
    "find_numerals",
    "is_approximate",
    "last_step",
    "load_data",
    "numeral_chars",
    "parse_bounds",
    "parse_money",
    "percent_value",
    "to_value",
    "word_spans",
]


Word = Annotated[str, Field(min_length=1)]
Words = list[Word]


class _Percent(RuleModel):
    signs: dict[Word, float]
    points: Words
    tenths: Words
    discount: Words


class NumeralRules(RuleModel):
    """``numerals.yaml``: the characters of Chinese numerals and their values."""

    digits: dict[Word, int]
    small_units: dict[Word, int]
    big_units: dict[Word, int]
    tens_chars: dict[Word, int]
    half: Word
    decimal_points: Words
    negative_signs: Words
    unknown_digits: Words
    unknown_leading: Words
    more_markers: Words
    fraction_marker: Annotated[str, Field(min_length=2, max_length=2)]  # read as two characters
    mixed_joiner: Word
    latin_multipliers: dict[Word, int]
    big_unit_blockers: dict[Word, Words]
    non_numeral_words: Words
    percent: _Percent


class MoneyRules(RuleModel):
    """``money.yaml``: currencies and their names, main and sub-units, words to drop."""

    currencies: dict[Word, Words]
    main_units: Words
    subunits: dict[Word, float]
    drop_words: Words
    range_connectors_chars: Words
    range_connectors_words: list[Word]


class _Comparative(RuleModel):
    marker: Word
    lower_open: Words
    upper_open: Words


class _Between(RuleModel):
    lead: Words
    join: Words
    tail: Words


class ComparatorRules(RuleModel):
    """``comparators.yaml``: comparator cue words (used by the peer-suite adapter)."""

    prefix: dict[Word, Words]
    prefix_fillers: Words
    suffix: dict[Word, Words]
    comparative: _Comparative
    between: _Between
    dash: Words
    bound_joiners: Words


class UnitRules(RuleModel):
    """``units.yaml``: dimension units and counters (used by the peer-suite adapter)."""

    dimension: Words
    counters: Words


_MODELS: dict[str, type[RuleModel]] = {
    "numerals.yaml": NumeralRules,
    "money.yaml": MoneyRules,
    "comparators.yaml": ComparatorRules,
    "units.yaml": UnitRules,
}


@cache
def load_data(name: str) -> dict[str, Any]:
    """One rule file of ``data/numerals``, validated by its model, as plain data (cached:
    read once per process)."""
    return load_rules(_MODELS[name], "numerals", name).model_dump()


_D = load_data("numerals.yaml")
_DIGITS: dict[str, int] = {k: int(v) for k, v in _D["digits"].items()}
_SMALL: dict[str, int] = {k: int(v) for k, v in _D["small_units"].items()}
_BIG: dict[str, int] = {k: int(v) for k, v in _D["big_units"].items()}
_TENS: dict[str, int] = {k: int(v) for k, v in _D["tens_chars"].items()}
_HALF: str = _D["half"]
_POINTS = set(_D["decimal_points"])
_NEG = set(_D["negative_signs"])
_UNKNOWN = set(_D["unknown_digits"])
_UNKNOWN_LEAD = set(_D["unknown_leading"])
MORE_MARKERS = set(_D["more_markers"])
FRACTION_MARKER = _D["fraction_marker"]
_MIXED = _D["mixed_joiner"]
_LATIN: dict[str, int] = {k: int(v) for k, v in _D["latin_multipliers"].items()}
_PCT = _D["percent"]


_CN_DIGITS = _cls(_DIGITS)
_CN_UNITS = _cls(list(_SMALL) + list(_BIG) + list(_TENS))
_BIG_CLS = _cls(_BIG)
_AR = "0-9０-９"
_SIGN_CLS = "\\-－−" + _cls(_NEG)
_BLOCK = "|".join(
    f"{re.escape(u)}(?:{'|'.join(map(re.escape, after))})"
    for u, after in _D["big_unit_blockers"].items()
)


def numeral_chars() -> str:
    """All characters that can appear inside a Chinese numeral (for other modules' classes)."""
    return _CN_DIGITS + _CN_UNITS


def _build(lenient: bool) -> str:
    """The numeral-token pattern; lenient adds spaces, 2e5, 15k (peer-suite forms)."""
    ar_int = f"[{_AR}]++(?:[,，][{_AR}]{{3}}(?![{_AR}]))*"
    ar_dec = f"(?:[.．][{_AR}]++(?![.．][{_AR}]))?"
    ar_lead_dot = f"(?<![{_AR}.．])[.．][{_AR}]++"
    arabic = f"(?:{ar_int}{ar_dec}|{ar_lead_dot})"
    if lenient:
        arabic += (
            f"(?:[eE][-+－＋]?[{_AR}]+|\\^[-+]*[{_AR}]+)?(?:[ ]?[{_cls(_LATIN)}](?![A-Za-z]))?"
        )
    # a big unit that is really an SI prefix (10兆瓦) is not part of the numeral
    unit = f"(?:(?!{_BLOCK})[{_CN_UNITS}])" if _BLOCK else f"[{_CN_UNITS}]"
    cn = f"(?:[{_CN_DIGITS}]|{unit})"
    # inside a numeral, 百分位 / 百分点 / 百分比 start a word, not a multiplier
    cn_next = f"(?:[{_CN_DIGITS}]|(?!.分[位点點比]){unit})"
    decimal = f"[{_cls(_POINTS)}][{_CN_DIGITS}{_AR}]+"
    unknown = f"[{_cls(_UNKNOWN)}]|[{_cls(_UNKNOWN_LEAD)}](?=[{_CN_UNITS}])"
    half = f"{re.escape(_HALF)}(?=[{_CN_UNITS}])"
    more = f"[{_cls(MORE_MARKERS)}]"
    first = f"(?:{arabic}|{cn}|{unknown}|{half})"
    nxt = f"(?:{arabic}|{cn_next}|{unknown}|{decimal}|{more}(?=[{_CN_UNITS}{_AR}]|$|[^{_CN_DIGITS}{_CN_UNITS}])|个(?=[{_BIG_CLS}]))"
    sep = ""
    if lenient:
        # spaces join pieces only next to a unit, a decimal point or an approximation marker
        sep = (
            f"(?:(?<=[{_CN_UNITS}])[ \\t]+(?=[{_CN_DIGITS}{_AR}{_CN_UNITS}{_cls(MORE_MARKERS)}{_cls(_UNKNOWN)}])"
            f"|[ \\t]+(?=[{_CN_UNITS}{_cls(_POINTS)}{_cls(MORE_MARKERS)}]))?"
        )
    sign = f"(?:(?<![{_SIGN_CLS}{_AR}A-Za-z{_CN_DIGITS}{_CN_UNITS}])[\\-－−](?=[{_AR}.．])|[{_cls(_NEG)}](?=[{_AR}{_CN_DIGITS}{_CN_UNITS}.．]))?"
    number = f"{sign}{first}(?:{sep}{nxt})*"
    # fractions: 三分之一, 百分之十五, 3/4, 一又三分之一
    frac = f"{number}(?:[ ]*{FRACTION_MARKER[0]}[ ]*{FRACTION_MARKER[1]}[ ]*(?={_MARK_FIRST}){number})?"
    frac_word = f"(?:{number}{'[ ]*' if lenient else ''}{re.escape(_MIXED)}{'[ ]*' if lenient else ''})?{frac}"
    slash = f"(?:[{_AR}]+[ ])?[{_AR}]+[/／][{_AR}]+(?![{_AR}])"
    signed_slash = f"(?:(?<![{_AR}A-Za-z])[\\-－−])?{slash}"
    return f"(?:{signed_slash}|{frac_word})"


_MARK_FIRST = f"[{_SIGN_CLS}{_CN_DIGITS}{_CN_UNITS}{_AR}.．{_cls(_UNKNOWN)}]"
NUMERAL_PATTERN: str = _build(lenient=False)
NUMERAL_RE: re.Pattern[str] = _compile(NUMERAL_PATTERN)
LENIENT_NUMERAL_RE: re.Pattern[str] = _compile(_build(lenient=True))
_NON_WORDS_RE = re.compile(alternation(_D["non_numeral_words"]))
_CN_ONLY_RE = re.compile(f"[{_CN_DIGITS}{_CN_UNITS}]+")


def word_spans(text: str) -> list[tuple[int, int]]:
    """Spans of words written with numeral characters that are not numbers (一切, 一网通办)."""
    return [w.span() for w in _NON_WORDS_RE.finditer(text)]


def find_numerals(
    text: str, *, lenient: bool = False, keep_words: bool = False
) -> list[tuple[int, int]]:
    """Spans (start, end) of numeral tokens in ``text``, in order, non-overlapping.

    Chinese-only tokens inside words such as 一切 or 四川 are dropped unless ``keep_words``
    (the number grammar may want them as ``name`` mentions: see ``word_spans``); a lone unit
    character (万, 亿) or a lone 几 is never a numeral.
    """
    rx = LENIENT_NUMERAL_RE if lenient else NUMERAL_RE
    spans = []
    words = None
    for m in rx.finditer(text):
        s, e = m.span()
        tok = m.group()
        core = tok.strip()
        if all(c in _BIG or c in _SMALL for c in core) and core not in ("十", "拾"):
            continue
        if all(
            c in _UNKNOWN or c in MORE_MARKERS for c in core
        ):  # 有几部: a question, not a number
            continue
        if not keep_words and _CN_ONLY_RE.fullmatch(tok):
            if words is None:
                words = word_spans(text)
            if any(ws <= s and e <= we for ws, we in words):
                continue
        # 2222.2222.22: a dotted run is a list of numbers, not decimals
        if s >= 2 and text[s - 1] in ".．" and text[s - 2].isdigit() and "." in tok:
            pos = s
            for piece in tok.split("."):
                if piece:
                    spans.append((pos, pos + len(piece)))
                pos += len(piece) + 1
            continue
        spans.append((s, e))
    return spans


# ---------------------------------------------------------------- value parsing

_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|\.\d+|.")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SCI_RE = re.compile(r"^(\d*\.?\d+)(?:[eE]([-+]?\d+)|\^([-+]*)(\d+))$")
_SLASH_RE = re.compile(r"^(?:(\d+)\s+)?(\d+)/(\d+)$")
_NONZERO = _cls(k for k, v in _DIGITS.items() if v)
_PAIR_RE = re.compile(f"([{_NONZERO}])([{_NONZERO}])(?=[{_CN_UNITS}])")


def _normalize(s: str) -> str:
    """Half-width digits and signs, no spaces, no thousands separators."""
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("−", "-").replace("／", "/")
    s = re.sub(r"\s+", "", s) if " " in s or "\t" in s or "\n" in s else s
    return _THOUSANDS_RE.sub("", s) if "," in s else s


def last_step(v: float) -> float:
    """The place of the last non-zero digit: 3000 → 1000, 230 → 10, 1.5 → 0.1.

    Read to eight decimals, so float noise (1.1万 = 11000.000000000002) does not make
    the step tiny; 1.0 for zero and for a value that is not finite. Used for the upper
    end of 多/余 (3000多 → below 4000) here and in the number grammar.
    """
    if v == 0 or not math.isfinite(v):
        return 1.0
    txt = f"{v:.8f}".rstrip("0")
    if not txt.endswith("."):
        return 10.0 ** -(len(txt) - txt.index(".") - 1)
    n = round(v)
    step = 1
    while n % (step * 10) == 0:
        step *= 10
    return float(step)


class _Reader:
    """Working state of ``_eval``: one method per kind of token.

    ``parts`` holds [amount, level] of the sections closed by a big unit (万, 亿);
    ``sec`` the current section's sum; ``cur`` the pending digit(s) of kind ``cur_kind``
    (cn1: one Chinese digit, pos: positional Chinese digits, ar: Arabic, unk: 几/多);
    ``prev`` the kind of the previous token (digit, unit, zero). Each method returns
    False when the numeral cannot be read.
    """

    __slots__ = ("cur", "cur_kind", "frac", "hi", "last_unit", "parts", "prev", "sec", "seen")
    __slots__ += ("unit_before_cur",)

    def __init__(self, hi: bool) -> None:
        self.hi = hi
        self.parts: list[list[float]] = []
        self.sec = 0.0
        self.cur: float | None = None
        self.cur_kind = ""
        self.prev = ""
        self.unit_before_cur = 0
        self.last_unit = 0
        self.frac = 0.0
        self.seen = False

    def arabic(self, t: str) -> bool:
        if self.cur is not None and self.prev == "digit":
            return False
        self.cur, self.cur_kind, self.prev, self.seen = float(t), "ar", "digit", True
        return True

    def digit(self, t: str) -> bool:
        d = _DIGITS[t]
        self.seen = True
        if self.prev == "digit" and self.cur is not None and self.cur_kind in ("cn1", "pos"):
            self.cur, self.cur_kind = self.cur * 10 + d, "pos"
        elif d == 0:
            self.prev = "zero"
            return True
        else:
            self.unit_before_cur = self.last_unit if self.prev == "unit" else 0
            self.cur, self.cur_kind = float(d), "cn1"
        self.prev = "digit"
        return True

    def small(self, t: str) -> bool:
        u = _SMALL[t]
        self.sec += ((self.cur if self.cur is not None else 1.0) + self.frac) * u
        self.cur, self.frac, self.prev, self.last_unit, self.seen = None, 0.0, "unit", u, True
        return True

    def tens(self, t: str) -> bool:
        self.sec += _TENS[t]
        self.cur, self.prev, self.last_unit, self.seen = None, "unit", 10, True
        return True

    def big(self, t: str) -> bool:
        u = _BIG[t]
        if not self.seen:
            return False
        pool = self.sec + (self.cur or 0.0) + self.frac
        lvl = 1.0
        keep = []
        for amount, level in self.parts:
            if level <= u:
                pool += amount
                lvl = max(lvl, level)
            else:
                keep.append([amount, level])
        if pool == 0:
            return False
        self.parts = [*keep, [pool * u, lvl * u]]
        self.sec, self.cur, self.frac, self.prev, self.last_unit = 0.0, None, 0.0, "unit", u
        return True

    def point(self, digits: str) -> bool:
        """A decimal point and the ``digits`` after it (already read)."""
        if self.cur is None and not self.seen:
            self.cur = 0.0
        if not digits:
            return False
        if self.cur is not None:
            if self.cur_kind == "cn1" and self.unit_before_cur >= 100:
                self.cur *= self.unit_before_cur / 10
            self.sec += self.cur
        self.cur, self.cur_kind, self.frac, self.prev = None, "", float("0." + digits), "digit"
        return True

    def unknown(self, t: str) -> bool:
        trailing = self.prev in ("unit", "zero")
        self.cur = 10.0 if self.hi else (0.0 if trailing else 1.0)
        self.cur_kind, self.prev, self.seen = "unk", "digit", True
        return True

    def more(self, t: str) -> bool:
        if not self.seen:
            return False
        if self.hi:
            v = sum(a for a, _ in self.parts) + self.sec + (self.cur or 0.0) + self.frac
            self.cur = (self.cur or 0.0) + last_step(v)
        self.cur_kind = "unk"
        return True

    def half(self, t: str) -> bool:
        self.cur, self.cur_kind, self.prev, self.seen = 0.5, "ar", "digit", True
        return True

    def skip(self, t: str) -> bool:
        return True

    def total(self) -> float | None:
        if not self.seen:
            return None
        cur = self.cur
        if (
            cur is not None
            and self.cur_kind == "cn1"
            and self.unit_before_cur >= 100
            and self.prev == "digit"
        ):
            cur *= self.unit_before_cur / 10
        return sum(a for a, _ in self.parts) + self.sec + (cur or 0.0) + self.frac


def _token_kinds() -> dict[str, str]:
    """Token → ``_Reader`` method; where a character is in two sets the earlier wins
    (digits, small units, tens, big units, unknown digits, more markers, half, 个)."""
    kinds: dict[str, str] = {"个": "skip", _HALF: "half"}
    for chars, kind in (
        (MORE_MARKERS, "more"),
        (_UNKNOWN | _UNKNOWN_LEAD, "unknown"),
        (_POINTS, "point"),
        (_BIG, "big"),
        (_TENS, "tens"),
        (_SMALL, "small"),
        (_DIGITS, "digit"),
    ):
        kinds.update(dict.fromkeys(chars, kind))
    return kinds


_TOKEN_KINDS = _token_kinds()


def _eval(s: str, hi: bool) -> float | None:
    """Value of a sign-less, fraction-less numeral; ``hi`` reads 几/多 at their upper end."""
    rd = _Reader(hi)
    toks = _TOKEN_RE.findall(s)
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        i += 1
        if t[0].isdigit() or t[0] == ".":
            ok = rd.arabic(t)
        else:
            kind = _TOKEN_KINDS.get(t)
            if kind is None:
                return None
            if kind == "point":
                j = i
                while i < n and (toks[i] in _DIGITS or toks[i].isdigit()):
                    i += 1
                ok = rd.point("".join(x if x.isdigit() else str(_DIGITS[x]) for x in toks[j:i]))
            else:
                ok = getattr(rd, kind)(t)
        if not ok:
            return None
    return rd.total()


def _latin_split(s: str) -> tuple[str, float]:
    if len(s) > 1 and s[-1] in _LATIN and (s[-2].isdigit() or s[-2] == " "):
        return s[:-1].rstrip(), float(_LATIN[s[-1]])
    return s, 1.0


def _signed(s: str) -> tuple[str, float]:
    sign = 1.0
    while s and (s[0] == "-" or s[0] in _NEG):
        sign, s = -sign, s[1:]
    return s, sign


@lru_cache(maxsize=65536)
def parse_bounds(s: str) -> tuple[float, float] | None:
    """Honest (lo, hi) bounds of a numeral; lo == hi when it is exact."""
    raw = s.strip()
    if not raw:
        return None
    m = _SLASH_RE.match(unicodedata.normalize("NFKC", raw).lstrip("-"))
    if m:
        sign = -1.0 if unicodedata.normalize("NFKC", raw).startswith("-") else 1.0
        den = float(m.group(3))
        if den == 0:
            return None
        v = sign * ((float(m.group(1)) if m.group(1) else 0.0) + float(m.group(2)) / den)
        return v, v
    n = _normalize(raw)
    if FRACTION_MARKER in n:
        left, right = n.split(FRACTION_MARKER, 1)
        whole = 0.0
        if _MIXED in left:
            w, left = left.rsplit(_MIXED, 1)
            wv = to_value(w)
            if wv is None:
                return None
            whole = wv
        den = (
            to_value(left)
            if left not in _SMALL and left not in _BIG
            else float(_SMALL.get(left) or _BIG[left])
        )
        if den is None and left and left[0] in _SMALL:  # 百万分之五: 百万 = 1e6
            den = to_value("一" + left)
        num = parse_bounds(right)
        if den in (None, 0) or num is None:
            return None
        fsign = -1.0 if whole < 0 else 1.0
        lo, hi = whole + fsign * num[0] / den, whole + fsign * num[1] / den
        return (lo, hi) if lo <= hi else (hi, lo)
    if _MIXED in n:
        a, b = n.split(_MIXED, 1)
        va, vb = to_value(a), to_value(b)
        return None if va is None or vb is None else (va + vb, va + vb)
    n, sign = _signed(n)
    n, mult = _latin_split(n)
    m = _SCI_RE.match(n)
    if m:
        base = float(m.group(1))
        if m.group(2) is not None:
            v = base * 10.0 ** int(m.group(2))
        else:
            exp = int(m.group(4)) * (-1 if m.group(3).count("-") % 2 else 1)
            v = base**exp
        return sign * v * mult, sign * v * mult
    pair = _PAIR_RE.search(n)
    if (
        pair
        and _DIGITS[pair.group(1)] < _DIGITS[pair.group(2)]
        and (pair.start() == 0 or n[pair.start() - 1] in _SMALL or n[pair.start() - 1] in _BIG)
    ):
        lo = _eval(n[: pair.start()] + pair.group(1) + n[pair.end() :], False)
        hi = _eval(n[: pair.start()] + pair.group(2) + n[pair.end() :], False)
    else:
        lo = _eval(n, False)
        hi = _eval(n, True) if lo is not None and _is_approx_text(n) else lo
    if lo is None or hi is None:
        return None
    lo, hi = sign * lo * mult, sign * hi * mult
    return (lo, hi) if lo <= hi else (hi, lo)


def _is_approx_text(n: str) -> bool:
    return any(c in _UNKNOWN or c in _UNKNOWN_LEAD or c in MORE_MARKERS for c in n)


def is_approximate(s: str) -> bool:
    """True for 十几, 三千多, 数百, 八九亿: numerals that name a range, not a value."""
    b = parse_bounds(s)
    return b is not None and b[0] != b[1]


@lru_cache(maxsize=65536)
def to_value(s: str) -> float | None:
    """The number a numeral string denotes, or None (not a numeral, or only approximate)."""
    t = s.strip()
    if t.isascii() and t.replace(".", "", 1).lstrip("-").isdigit():  # fast path: plain Arabic
        try:
            return float(t)
        except ValueError:
            return None
    b = parse_bounds(s)
    if b is None or b[0] != b[1]:
        return None
    return b[0]


def approx_bounds(s: str) -> tuple[float, float] | None:
    """Bounds of an approximate numeral (几十 → (10, 100), 十几 → (10, 20), 上千 → (1000, 10000)).

    Exact numerals give (v, v); None when ``s`` is not a numeral.
    """
    t = s.strip()
    if t[:1] == "上" and len(t) > 1:  # 上千, 上万: reaching the order of magnitude
        v = to_value(t[1:])
        return None if v is None else (v, v * 10)
    return parse_bounds(t)


_PCT_SIGNS: dict[str, float] = {k: float(v) for k, v in _PCT["signs"].items()}
_PCT_WORD_RE = re.compile(r"^(?:([一壹]?)|(.*?))(百|千|万|萬|百万|千万|万万|百万万)分之(.+)$")


def percent_value(s: str) -> float | None:
    """A percentage in percent units: 15%, 百分之十五, 2.4个百分点 → 15/15/2.4; 三成 → 30."""
    t = _normalize(s)
    for p in _PCT["points"]:
        if t.endswith(p):
            return to_value(t[: -len(p)])
    if t and t[-1] in _PCT_SIGNS:
        v = to_value(t[:-1])
        return None if v is None else v * _PCT_SIGNS[t[-1]]
    if t and t[-1] in _PCT["tenths"]:
        v = to_value(t[:-1])
        return None if v is None else v * 10
    if t and t[-1] in _PCT["discount"]:
        v = to_value(t[:-1])
        return None if v is None else (v * 10 if v < 10 else v)
    if FRACTION_MARKER in t:
        t, sign = _signed(t)
        den_s, num_s = t.split(FRACTION_MARKER, 1)
        den = float(_SMALL.get(den_s) or _BIG.get(den_s) or 0) or to_value("一" + den_s)
        num = to_value(num_s)
        if den is None or num is None:
            return None
        return sign * num / den * 100
    return None


# ---------------------------------------------------------------- money

_M = load_data("money.yaml")
CURRENCIES: dict[str, str] = {}
for _canon, _names in _M["currencies"].items():
    for _n in _names:
        CURRENCIES[_n] = _canon
CURRENCY_RE = re.compile(alternation(CURRENCIES))
SUBUNITS: dict[str, float] = {k: float(v) for k, v in _M["subunits"].items()}
_CONNECT_RE = re.compile(
    "|".join(
        [
            "[" + _cls(_M["range_connectors_chars"]) + "]+",
            *map(re.escape, _M["range_connectors_words"]),
        ]
    )
)
_MONEY_DROP_RE = re.compile(alternation(_M["drop_words"]))
_SUB_RE = re.compile(
    "(.+?)("
    + "|".join(map(re.escape, _M["main_units"]))
    + ")((?:.+?(?:"
    + alternation(SUBUNITS)
    + "))+)$"
)
_SUB_PIECE_RE = re.compile("(.+?)(" + alternation(SUBUNITS) + ")")
_TRAIL_MULT_RE = re.compile(f"[{_BIG_CLS}{_cls(_LATIN)}]+$")


def _money_amount(s: str) -> tuple[float, float] | None:
    """Bounds of one amount without currency words: 1.2万, 3000多, 十块三毛 (after unit removal)."""
    m = _SUB_RE.match(s)
    if m:
        base = to_value(m.group(1))
        if base is None:
            return None
        total = base
        for piece in _SUB_PIECE_RE.finditer(m.group(3)):
            v = to_value(piece.group(1).lstrip(_MIXED))
            if v is None:
                return None
            total += v * SUBUNITS[piece.group(2)]
        return round(total, 6), round(total, 6)
    for u in _M["main_units"]:
        s = s.replace(u, "")
    sub = _SUB_PIECE_RE.fullmatch(s)
    if sub:  # 五角: a sub-unit amount alone
        v = to_value(sub.group(1))
        return None if v is None else (v * SUBUNITS[sub.group(2)],) * 2
    return approx_bounds(s) if s else None


def parse_money(s: str) -> tuple[float, float, str] | None:
    """(lo, hi, currency) of a money expression, jionlp style.

    ``3000余万元`` → (3e7, 4e7, 元); ``约5亿元`` → (5e8, 5e8, 元); ``3到5万元`` → (3e4, 5e4, 元);
    ``人民币3万元整`` → (3e4, 3e4, 元); ``五角`` → (0.5, 0.5, 元). Comparator words (约, 以上,
    至少) do not move the bounds: they are the caller's comparator.
    """
    t = _normalize(s)
    names = [(m.group(), CURRENCIES[m.group()]) for m in CURRENCY_RE.finditer(t)]
    currency = next((c for _, c in names if c != "元"), "元")
    t = _MONEY_DROP_RE.sub("", t)
    for name, canon in names:
        if name not in _M["main_units"] or canon != "元":
            t = t.replace(name, "")
    t = re.sub(f"个(?=[{_BIG_CLS}])", "", t)
    if not t:
        return None
    pieces = [p for p in _CONNECT_RE.split(t) if p]
    if len(pieces) == 2 and _CONNECT_RE.search(t):
        a, b = pieces
        bb = _money_amount(b)
        ab = _money_amount(a)
        if bb is None or ab is None:
            return None
        core = b.rstrip("".join(_M["main_units"]))
        tail = _TRAIL_MULT_RE.search(core)
        lead_single = (
            len(a) == 1
            and a in _DIGITS
            and core[1:]
            and all(c in _SMALL or c in _BIG for c in core[1:])
        )
        if (tail or lead_single) and not _TRAIL_MULT_RE.search(a.rstrip("".join(_M["main_units"]))):
            mult_txt = core[1:] if lead_single else tail.group()
            scaled = _money_amount(a + mult_txt)
            if scaled is not None and scaled[0] <= bb[1]:
                ab = scaled
        return ab[0], bb[1], currency
    b = _money_amount(t)
    if b is None:
        return None
    return b[0], b[1], currency
