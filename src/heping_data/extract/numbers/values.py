"""Values of numeral cores: Arabic and masked digits, Chinese numerals, multipliers.

Why apart: the arithmetic (exact decimal scaling, masked-digit bounds, the place of the
last digit: ``numerals.last_step``) is the same whatever the core turns out to be.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from heping_data.extract.numbers.grammar import _FW_STRIP
from heping_data.extract.numbers.rules import _Rules
from heping_data.text.numerals import to_value as _to_value


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


@lru_cache(maxsize=8192)
def _arabic_bounds(s: str) -> tuple[float | None, float, float, int]:
    """(value, low, high, masked digits) of an Arabic or masked numeral as written.

    Cached: a pure function of a short string that reports repeat (第*位, **亿元)."""
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
