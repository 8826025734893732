"""Full reports: numbered headings at line starts, their nesting levels and parts, and the
unnumbered part lines of news copies.
"""

from __future__ import annotations

from heping_data.extract.outline.common import (
    _COMMA,
    _CONTINUES,
    _LINE,
    _LINE_INDENT,
    _SEGMENT,
    _clearly_review,
    _Head,
    _heading_part,
    _is_transition,
    _num_value,
    _paragraphs,
)
from heping_data.extract.outline.lines import _body_lines, _classify_line
from heping_data.extract.outline.rules import _Rules
from heping_data.text.chars import ends_sentence as _ends_sentence


def _numbered_heads(
    text: str, start: int, end: int, rules: _Rules, *, by_space: bool = False
) -> list[_Head]:
    """Numbered headings at line starts, with numbering kept in sequence per style.

    ``by_space`` treats every whitespace-separated segment as a line: web copies of
    full reports sometimes lose their line breaks and keep only spaces. Levels are
    left to ``_nest_levels``.
    """
    heads: list[_Head] = []
    last: dict[int, int] = {}  # style rank -> last accepted number
    if by_space:
        lines = [(m.start(), m.end()) for m in _SEGMENT.finditer(text, start, end)]
    else:
        lines = [(m.start(), m.end()) for m in _LINE.finditer(text, start, end)]
    for pos, line_end in lines:
        s = _LINE_INDENT.match(text, pos, line_end).end()
        if rules.any_marker is not None and not rules.any_marker.match(text, s, line_end):
            continue  # no style's marker opens this line
        for st in rules.styles:
            m = st.marker.match(text, s, line_end)
            if not m:
                continue
            h = _LINE_INDENT.match(text, m.end(), line_end).end()
            if h >= line_end or st.reject.match(text, h, line_end):
                continue
            n = _num_value(m.group("num"))
            prev = last.get(st.rank)
            if not (n == 1 or (prev is not None and prev < n <= prev + 2)):
                continue
            e = rules.heading_end.search(text, h, line_end)
            he = e.start() if e else line_end
            while he > h and text[he - 1].isspace():
                he -= 1
            long = he - h > rules.heading_max and e is not None and text[e.start()] not in ":："
            is_item = st.list_items and (long or rules.list_item.match(text[h:he]) is not None)
            if he - h > rules.heading_max and not is_item:
                comma = _COMMA.search(text, h, h + rules.heading_max)
                he = comma.start() if comma else h + rules.heading_max
            if he <= h:
                continue
            last[st.rank] = n  # a list item keeps the sequence going too
            for r in [k for k in last if k > st.rank]:
                del last[r]
            if is_item:
                break  # a numbered list item (a sentence of figures), not a heading
            heads.append(_Head(s, h, he, 0, m.group().strip(), rank=st.rank))
            break
    return heads


def _nest_levels(heads: list[_Head], rules: _Rules) -> None:
    """Level of each numbered heading = its nesting depth among the styles in use.

    A heading closes every open heading of its own or an inner style; what stays
    open are its ancestors. So ``（1）`` directly under ``（一）`` is level 3, and a
    report that starts at ``（一）`` has it at level 1 until parts are decided.
    """
    stack: list[int] = []
    for h in heads:
        while stack and stack[-1] >= h.rank:
            stack.pop()
        stack.append(h.rank)
        h.level = min(len(stack), rules.max_level)


def _full_parts(
    text: str, heads: list[_Head], start: int, end: int, rules: _Rules, year: int | None
) -> None:
    """Parts from the top-level headings (years, then cue words); later sections inherit them.

    When no top-level heading announces a part, the top style numbers main sections,
    not parts: every level moves one down. Once the plan part has begun it stays
    unless a top-level heading is clearly a review (``附：2019年民生实事完成情况``).
    """
    if not any(_heading_part(text[h.start : h.end], rules, year) for h in heads if h.level == 1):
        for h in heads:
            h.level = min(h.level + 1, rules.max_level)
    top = min(h.level for h in heads)
    part: str | None = None
    for h in heads:
        if h.level == top:
            heading = text[h.start : h.end]
            if part != "plan":
                part = _heading_part(heading, rules, year) or part
            elif _clearly_review(heading, rules, year):
                part = "review"
        h.part = part
    if any(h.part == "plan" for h in heads):
        return
    # No heading announces the plan: look for a transition paragraph (strong cues only).
    for i, h in enumerate(heads):
        body_end = heads[i + 1].span_start if i + 1 < len(heads) else end
        for para in _paragraphs(text, h.end, body_end):
            if _is_transition(text[para[0] : para[1]], rules, strong_only=True):
                for later in heads[i + 1 :]:
                    later.part = "plan"
                for earlier in heads[: i + 1]:
                    earlier.part = earlier.part or "review"
                return


def _inside_sentence(text: str, lines: list[tuple[int, int]], i: int, rules: _Rules) -> bool:
    """A line break inside a sentence: the line before does not end one, or the next line
    opens with punctuation (``报告指出`` / ``，2023年…``)."""
    if i > 0:
        prev = text[lines[i - 1][0] : lines[i - 1][1]]
        if (
            not _ends_sentence(prev)
            and prev[-1] not in rules.line.lead_in_end
            and _classify_line(text, *lines[i - 1], rules).style is None
        ):
            return True
    return i + 1 < len(lines) and text[lines[i + 1][0]] in _CONTINUES


def _with_part_lines(
    text: str, heads: list[_Head], start: int, end: int, rules: _Rules, year: int | None
) -> list[_Head]:
    """Unnumbered heading lines of a report whose numbered headings are all main sections.

    Why: news copies of a full report keep its ``（一）`` sections but put the parts on
    bare lines of their own (``2022年政府工作回顾``, ``阔步迈上新征程``). When no numbered
    heading is a part (level 1), such a line is one; its part comes from its own words or
    years, else from the numbered section after it.
    """
    if not heads or min(h.level for h in heads) < 2:
        return heads
    starts = {h.span_start for h in heads}
    found: list[_Head] = []
    lines = _body_lines(text, start, end)
    for i, (s, e) in enumerate(lines):
        if s in starts or _inside_sentence(text, lines, i, rules):
            continue
        ln = _classify_line(text, s, e, rules)
        if ln.style not in ("bare", "pair", "bracket"):
            continue
        heading = text[ln.h_start : ln.h_end]
        part = _heading_part(heading, rules, year)
        if part is None:
            part = next((h.part for h in heads if h.span_start > s), None)
        found.append(_Head(s, ln.h_start, ln.h_end, 1, None, part, rank=-1))
    return sorted([*heads, *found], key=lambda h: h.span_start) if found else heads
