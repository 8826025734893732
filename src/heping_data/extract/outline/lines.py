"""Line layout: one paragraph a line, headings unnumbered on lines of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from heping_data.extract.outline.common import (
    _COMMA,
    _clearly_review,
    _Head,
    _heading_part,
    _is_transition,
)
from heping_data.extract.outline.rules import _Rules
from heping_data.text.chars import ends_sentence as _ends_sentence


@dataclass(slots=True)
class _Line:
    """A non-blank body line: a heading (style set) or body text."""

    start: int  # first character after indentation
    end: int  # end of the line's content (trailing whitespace excluded)
    style: str | None = None  # marker, bracket, pair, bare; None: body
    h_start: int = 0  # heading span (inside brackets)
    h_end: int = 0


def _classify_line(text: str, s: int, e: int, rules: _Rules) -> _Line:
    """Whether a line is a heading and in which style; a bracketed lead keeps its body after it."""
    lr = rules.line
    line = _Line(s, e)
    content = text[s:e]
    close = lr.brackets.get(content[0])
    if close is not None:
        k = content.find(close, 1, rules.seg_max + 2)
        inner = content[1:k] if k > 0 else ""
        if inner.strip() and rules.needs_han.search(inner) and not _ends_sentence(inner):
            line.style, line.h_start, line.h_end = "bracket", s + 1, s + k
        return line
    if _ends_sentence(content) or content[-1] in lr.lead_in_end or len(content) > lr.max_chars:
        return line
    phrases = content.split()
    if len(phrases) > lr.max_phrases or not rules.needs_han.search(content):
        return line
    if len(phrases) == 2 and rules.number_only.match(phrases[0]):
        if len(phrases[1]) <= rules.marker_max and not lr.figure.search(phrases[1]):
            line.style, line.h_start, line.h_end = "marker", s, e
        return line
    if any(len(p) > rules.seg_max for p in phrases) or any(
        p[-1] in rules.fragment_end for p in phrases[:-1]
    ):
        return line
    last = phrases[-1][-1]
    if last in rules.fragment_end and last not in lr.final_particles:
        return line  # a line cut inside a sentence (…的); 人气回来了 ends a subhead
    if lr.figure.search(content):
        return line  # a line of figures (地区生产总值 412.6亿元), not a heading
    line.style = "pair" if len(phrases) == 2 else "bare"
    line.h_start, line.h_end = s, e
    return line


def _body_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Content bounds of the non-blank lines in [start, end): each line without its
    indentation and trailing whitespace, in one regex match a line."""
    return [sp for m in _BODY_LINE.finditer(text, start, end) if (sp := m.span(1))[1] > sp[0]]


# A line's indentation (``_LINE_INDENT``), its content up to the last non-space
# character (group 1, maybe empty), and its trailing whitespace; never a line break.
_BODY_LINE = re.compile(r"[ \t\u3000\ufeff]*+((?:[^\n]*\S)?)[^\n]*")


def _line_heads(
    text: str, start: int, end: int, rules: _Rules, year: int | None
) -> list[_Head] | None:
    """Headings of the line layout, or None when the body is not laid out one heading a line.

    A heading that opens a part (its years or cue words name a part other than the
    current one, or a year marker ``2024 蓝图``) is level 1, with a clause-pair subtitle
    on the next line. Other headings take their level from their style, in the order
    the styles first appear: the first style used is the main sections (level 2), the
    next the sub-sections. When no heading opens the plan, a plan transition paragraph
    after the first main section does.
    """
    lr = rules.line
    bounds = _body_lines(text, start, end)
    if len(bounds) < lr.min_lines:
        return None
    lines = [_classify_line(text, s, e, rules) for s, e in bounds]
    if sum(1 for ln in lines if ln.style is not None) < lr.min_headings:
        return None
    cues = [
        _heading_part(text[ln.h_start : ln.h_end], rules, year) if ln.style else None
        for ln in lines
    ]
    plan_by_heading = "plan" in cues
    heads: list[_Head] = []
    styles: list[str] = []  # styles of the non-part headings, in order of first use
    part: str | None = None
    plan_at: int | None = None
    after_part_head = False
    for ln, cue in zip(lines, cues, strict=True):
        if ln.style is None:
            para = text[ln.start : ln.end]
            if (
                not plan_by_heading
                and part != "plan"
                and any(h.level == 2 for h in heads)
                and _is_transition(para, rules)
            ):
                part, plan_at = "plan", ln.start
            after_part_head = False
            continue
        heading = text[ln.h_start : ln.h_end]
        opens = cue is not None and cue != part
        if opens and part == "plan":
            opens = _clearly_review(heading, rules, year)
        if ln.style == "marker" or opens:
            part = cue or part
            level = 1
            if part == "plan" and plan_at is None:
                plan_at = ln.start
        elif after_part_head and _COMMA.search(heading):
            level = 1  # the part heading's subtitle (稳中求进开新篇，某区交出答卷)
        else:
            if ln.style not in styles:
                styles.append(ln.style)
            level = min(2 + styles.index(ln.style), rules.max_level)
        after_part_head = level == 1
        heads.append(_Head(ln.start, ln.h_start, ln.h_end, level, None, part))
    if plan_at is not None:
        for h in heads:
            if h.part is None and h.span_start < plan_at:
                h.part = "review"
    return heads
