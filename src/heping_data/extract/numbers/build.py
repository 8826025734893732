"""Building mention records: the working quantity ``_Q``, the comparators around a span,
and the two record constructors (``_mention``, ``_finish``).

Why apart: every decider ends in one of these constructors, and the comparator
precedence (the numeral's own, a word after, 余/多, a word before, a clause cue) is
decided once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from heping_data.extract.numbers.grammar import _FW
from heping_data.extract.numbers.rules import _LenTable, _Rules
from heping_data.extract.numbers.values import _scale
from heping_data.records import NumberMention
from heping_data.text.chars import alternation as _alt
from heping_data.text.fast import NEW as _NEW
from heping_data.text.fast import SET_ATTR as _SET_ATTR
from heping_data.text.numerals import last_step


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
    d = _BLANK.copy()  # copying a finished dict is cheaper than building one
    d["start"] = s
    d["end"] = e
    d["text"] = span
    d["cls"] = cls
    d["numeral"] = span
    d["note"] = note
    return _build(d)


# Every field of a NumberMention in declaration order, with the defaults of a mention
# that is not a quantity.
_BLANK: dict[str, Any] = {
    "start": 0,
    "end": 0,
    "text": "",
    "cls": "",
    "numeral": "",
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
    "note": None,
}


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
    if s and text[s - 1] in r.before_last and _may_cmp_before(text, s, r):
        return r.before.search(text, max(0, s - 7), s)
    return None


def _may_cmp_before(text: str, s: int, r: _Rules) -> bool:
    """Whether a comparator word, maybe followed by a gap word, can end at ``s`` (> 0).

    A necessary condition of ``r.before``, checked first: most numbers follow a gap word
    (增长, 达到) with no comparator before it, and two set lookups are cheaper than the
    regex search.
    """
    last = r.before_word_last
    c = text[s - 1]
    if c in last:
        return True
    for g in r.before_gaps.get(c, ()):
        k = s - len(g)
        if k > 0 and text[k - 1] in last and text.startswith(g, k):
            return True
    return False


def _clause_approx(text: str, s: int, r: _Rules) -> bool:
    """约占全部装机的三分之一: an approximation cue earlier in the clause."""
    return text.find("约", max(0, s - 14), s) >= 0 and _lookback(
        text, s, r.words.approx_clause_cues, 14
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
            imax = _scale(q.hi + last_step(q.hi), q.mult)
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
    return _record(text, q, val, lo, hi, cmp, imin, imax)


def _record(
    text: str,
    q: _Q,
    val: float | None,
    lo: float | None,
    hi: float | None,
    cmp: str,
    imin: float | None,
    imax: float | None,
) -> NumberMention:
    """The quantity record of ``q`` with its scaled values and comparator."""
    masked = q.masked
    d = _BLANK.copy()
    d["start"] = q.start
    d["end"] = q.end
    d["text"] = text[q.start : q.end]
    d["cls"] = "quantity"
    d["numeral"] = q.numeral
    d["unit"] = q.unit
    d["multiplier"] = q.mult
    d["value"] = val
    d["value_min"] = lo
    d["value_max"] = hi
    d["comparator"] = cmp
    d["implied_min"] = imin
    d["implied_max"] = imax
    d["is_masked"] = masked > 0
    d["masked_digits"] = masked
    d["is_range"] = q.is_range
    d["is_ordinal"] = q.is_ordinal
    d["note"] = q.note
    return _build(d)


def _lookback(text: str, start: int, words: list[str], span: int = 8) -> bool:
    """Whether one of ``words`` occurs in the clause just before ``start`` (within
    ``span`` characters, after the last clause mark)."""
    if not words:
        return False
    lo = _CLAUSE_TAIL.search(text, max(0, start - span), start).start()  # always matches
    return _any_word(words).search(text, lo, start) is not None


# The end of a text with no clause mark in it; searched from a window's start it
# matches right after the window's last clause mark.
_CLAUSE_TAIL = re.compile("[^，。；、：！？,;\n]*\\Z")
_WORDS: dict[int, tuple[list[str], re.Pattern[str]]] = {}


def _any_word(words: list[str]) -> re.Pattern[str]:
    """A regex matching any of ``words`` (cached per list: the rule lists live as long as
    the process; the list itself is kept so its id cannot be reused)."""
    hit = _WORDS.get(id(words))
    if hit is None or hit[0] is not words:
        hit = (words, re.compile(_alt(words)))
        _WORDS[id(words)] = hit
    return hit[1]


_Found = tuple[list[NumberMention], int]


def _ends_with_any(text: str, s: int, table: _LenTable) -> bool:
    """Whether the text just before ``s`` ends with a word of ``table`` (了 may intervene).

    One slice and set lookup per word length instead of one ``endswith`` per word.
    """
    k = s - 1 if s and text[s - 1] == "了" else s
    return any(k >= size and text[k - size : k] in words for size, words in table)


def _starts_with_any(text: str, e: int, table: _LenTable) -> bool:
    """Whether the text at ``e`` starts with a word of ``table``."""
    return any(text[e : e + size] in words for size, words in table)
