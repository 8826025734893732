"""What every outline layout shares: the heading record, numbering values, and the
parts (review or plan) that years and cue words announce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heping_data.extract.outline.rules import _Rules
from heping_data.text.chars import CLOSERS, TERMINAL

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_TERMINAL = TERMINAL
_CLOSERS = CLOSERS
_INDENT = " \t\u3000\ufeff"
_CONTINUES = "，,。、；;：:！？!?）)”’」』…"  # a line opening with these continues a sentence
_SEGMENT = re.compile(r"\S+")
_LINE_INDENT = re.compile(r"[ \t\u3000\ufeff]*")
_YEAR = re.compile(r"(?<![0-9０-９])([0-9０-９]{4})(?=年)")
_LINE = re.compile(r"[^\n]+")
# The look-ahead (the first character of either branch) lets the scan skip ahead
# instead of trying both branches at every character.
_SENT_END = re.compile(r"(?=[。！？!?；;\n])(?:[。！？!?；;]+[”’」』）)]*|\n)")
_COMMA = re.compile("[，,]")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?、\s]")
_REST_END = re.compile(r"[，,。；;：:！？!?\s]")


@dataclass(slots=True)
class _Head:
    """A heading found while scanning (mutable while levels and parts are decided)."""

    span_start: int
    start: int
    end: int
    level: int
    numbering: str | None = None
    part: str | None = None
    rank: int = 0  # numbering style (full reports): its place in the nesting order


def _num_value(s: str) -> int:
    """Value of a short numbering numeral: 3, ３, 十二, 二十一, ⑤."""
    s = s.translate(_FULLWIDTH)
    if s in _CIRCLED:  # before the digit test: '①'.isdigit() is True
        return _CIRCLED.index(s) + 1
    if s.isdecimal():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _CN_DIGITS.get(ones, 0) if ones else 0
        )
    return _CN_DIGITS.get(s, 0)


def _has_any(text: str, cues: tuple[str, ...]) -> bool:
    return any(c in text for c in cues)


def _year_part(heading: str, report_year: int | None) -> str | None:
    """Part implied by the years a heading names: all up to the reviewed year, or all later."""
    if report_year is None:
        return None
    years = [int(y.translate(_FULLWIDTH)) for y in _YEAR.findall(heading)]
    if not years:
        return None
    if all(y > report_year for y in years):
        return "plan"
    if all(y <= report_year for y in years):
        return "review"
    return None  # 2023年回顾和2024年安排: the words decide


def _heading_part(heading: str, rules: _Rules, report_year: int | None = None) -> str | None:
    """Part a heading announces: its years first, then what-was-done cues, plan cues, review cues.

    Years beat words because plan words also name what is reviewed
    (``2019年重点工作推进情况`` reports on the key work of the reviewed year).
    """
    by_year = _year_part(heading, report_year)
    if by_year is not None:
        return by_year
    if _has_any(heading, rules.review_first):
        return "review"
    if _has_any(heading, rules.plan):
        return "plan"
    if _has_any(heading, rules.review):
        return "review"
    return None


def _clearly_review(heading: str, rules: _Rules, report_year: int | None) -> bool:
    """Evidence strong enough to leave the plan part again (a later review appendix)."""
    by_year = _year_part(heading, report_year)
    if by_year is not None:
        return by_year == "review"
    return _has_any(heading, rules.review_first) and not _has_any(heading, rules.plan)


def _is_transition(para: str, rules: _Rules, *, strong_only: bool = False) -> bool:
    """A body paragraph that announces the plan part (work conference, next steps, targets)."""
    if _has_any(para, rules.strong):
        return True
    if strong_only:
        return False
    return sum(1 for c in rules.weak if c in para) >= rules.weak_needed


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines in [start, end) as (start, end) offsets."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text, start, end) if m.group().strip()]
