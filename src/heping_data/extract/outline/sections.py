"""The layouts tried in order, the sections they give, and the sentences of each section."""

from __future__ import annotations

import re

from heping_data.extract.outline.common import (
    _CLOSERS,
    _SEGMENT,
    _SENT_END,
    _TERMINAL,
    _Head,
    _is_transition,
)
from heping_data.extract.outline.lines import _line_heads
from heping_data.extract.outline.news import _news_heads
from heping_data.extract.outline.numbered import (
    _full_parts,
    _nest_levels,
    _numbered_heads,
    _with_part_lines,
)
from heping_data.extract.outline.rules import _rules
from heping_data.extract.outline.runins import _with_run_ins
from heping_data.records import Document, Section, Sentence
from heping_data.text.chars import ends_sentence as _ends_sentence
from heping_data.text.fast import NEW as _NEW
from heping_data.text.fast import SET_ATTR as _SET_ATTR


def outline(doc: Document) -> tuple[Section, ...]:
    """Sections whose spans partition the body, with levels, parents and parts."""
    rules = _rules()
    text, start, end = doc.text, doc.body_start, doc.body_end
    heads = _numbered_heads(text, start, end, rules)
    if sum(1 for h in heads if h.rank <= 1) < rules.min_numbered:
        heads = _numbered_heads(text, start, end, rules, by_space=True)
    if sum(1 for h in heads if h.rank <= 1) >= rules.min_numbered:
        _nest_levels(heads, rules)
        _full_parts(text, heads, start, end, rules, doc.report_year)
        heads = _with_part_lines(text, heads, start, end, rules, doc.report_year)
        heads = _with_run_ins(text, heads, end, rules)
    else:
        lined = _line_heads(text, start, end, rules, doc.report_year)
        if lined is not None:
            heads = lined
        else:
            heads, _ = _news_heads(text, start, end, rules, doc.report_year)
    return _build_sections(text, heads, start, end)


def _build_sections(text: str, heads: list[_Head], start: int, end: int) -> tuple[Section, ...]:
    """Turn headings into sections tiling [start, end), with parent links."""
    out: list[Section] = []
    if end <= start:
        return ()
    if not heads or heads[0].span_start > start:
        first = heads[0].span_start if heads else end
        out.append(Section(0, None, 0, None, None, None, start, first))
    stack: list[Section] = []
    for k, h in enumerate(heads):
        span_end = heads[k + 1].span_start if k + 1 < len(heads) else end
        while stack and stack[-1].level >= h.level:
            stack.pop()
        # parts are inherited down the tree, so a parent of another part is no parent
        parent = stack[-1].index if stack and stack[-1].part == h.part else None
        sec = _NEW(Section)  # from a complete field dict, in declaration order
        _SET_ATTR(
            sec,
            "__dict__",
            {
                "index": len(out),
                "parent_index": parent,
                "level": h.level,
                "heading": text[h.start : h.end],
                "char_start": h.start,
                "char_end": h.end,
                "span_start": h.span_start,
                "span_end": span_end,
                "part": h.part,
                "numbering": h.numbering,
            },
        )
        out.append(sec)
        stack.append(sec)
    return tuple(out)


def plan_start(doc: Document, sections: tuple[Section, ...]) -> int | None:
    """Offset where the plan part starts: the transition paragraph, else the first plan section.

    Facts after this offset are targets rather than achievements.
    """
    rules = _rules()
    first = next((s for s in sections if s.part == "plan"), None)
    if first is None:
        return None
    if first.numbering is not None or first.level == 1:
        return first.span_start  # a part heading opens the plan itself
    prev = sections[first.index - 1] if first.index > 0 else None
    if prev is not None and prev.part != "plan":
        lo = prev.char_end if prev.char_end is not None else prev.span_start
        for seg in _SEGMENT.finditer(doc.text, lo, first.span_start):
            if _ends_sentence(seg.group()) and _is_transition(seg.group(), rules):
                # the paragraph starts after the last line break before the segment
                nl = doc.text.rfind("\n", lo, seg.start())
                return max(seg.start(), nl + 1) if nl >= 0 else seg.start()
    return first.span_start


def sentences(doc: Document, sections: tuple[Section, ...]) -> tuple[Sentence, ...]:
    """Sentence-like units covering each section span in order; a heading is its own unit.

    A run of whitespace between two cuts joins the unit before it.
    """
    text = doc.text
    out: list[Sentence] = []
    append = out.append
    for sec in sections:
        idx = sec.index
        start = sec.span_start
        ps = -1  # the pending unit [ps, pe), not yet written: whitespace may extend it
        pe = 0
        for c in _cuts(text, sec):
            if c <= start:
                continue
            # text[start:c] is all whitespace only if its first character is
            if ps >= 0 and text[start].isspace() and not text[start:c].strip():
                pe = c
            else:
                if ps >= 0:
                    rec = _NEW(Sentence)  # from a complete field dict: see text/fast.py
                    _SET_ATTR(
                        rec,
                        "__dict__",
                        {"index": len(out), "start": ps, "end": pe, "section_index": idx},
                    )
                    append(rec)
                ps, pe = start, c
            start = c
        if ps >= 0:
            rec = _NEW(Sentence)
            _SET_ATTR(
                rec, "__dict__", {"index": len(out), "start": ps, "end": pe, "section_index": idx}
            )
            append(rec)
    return tuple(out)


def _cuts(text: str, sec: Section) -> list[int]:
    """Offsets where the units of one section end: after its heading (and the marks
    closing it), after each sentence end or line break, and at the section's end."""
    span_end = sec.span_end
    cuts: list[int] = []
    pos = sec.span_start
    if sec.char_end is not None:
        cut = sec.char_end
        while cut < span_end and text[cut] in _HEAD_TAIL:
            cut += 1
        cuts.append(cut)
        pos = cut
    cuts += map(_END, _SENT_END.finditer(text, pos, span_end))
    if not cuts or cuts[-1] < span_end:
        cuts.append(span_end)
    return cuts


_END = re.Match.end
_HEAD_TAIL = frozenset(_TERMINAL + _CLOSERS)  # what may close a heading line
