"""Run-in headings of full reports: topic sentences with siblings and leads in sequence
(一是…二是…), one level below the numbered heading they sit under.
"""

from __future__ import annotations

from dataclasses import dataclass

from heping_data.extract.outline.common import (
    _CLOSERS,
    _COMMA,
    _INDENT,
    _TERMINAL,
    _has_any,
    _Head,
    _num_value,
)
from heping_data.extract.outline.lines import _body_lines
from heping_data.extract.outline.rules import _FullRunInRules, _Rules


@dataclass(slots=True)
class _Topic:
    """A paragraph's first sentence that may be a run-in topic heading."""

    start: int  # the paragraph's first character (the section starts here)
    end: int  # the sentence's end, before its closing punctuation
    parent: int  # index of the numbered heading it sits under
    lead_in: bool = False  # ends in ：(总体要求是：), a heading without a family


def _first_sentence(text: str, s: int, e: int, fr: _FullRunInRules) -> tuple[int, bool] | None:
    """End of a paragraph's first sentence when it closes with 。 or ： and text follows,
    and whether it holds no ``；`` (one running past a ``；`` can only be a parallel opener)."""
    if not fr.needs_han.match(text, s):
        return None  # a line that opens with punctuation is the tail of a broken sentence
    stop, pos, whole = min(e, s + fr.parallel_max_chars + 1), s, True
    m = fr.topic_end.search(text, pos, stop)
    while m is not None and text[m.start()] in "；;":
        whole = False
        m = fr.topic_end.search(text, m.end(), stop)
    if m is None or text[m.start()] not in "。：:" or m.start() - s < fr.lead_min_chars:
        return None
    if text[m.start()] in "：:" and not fr.colon_lead.search(text, s, m.start()):
        return None  # a label and its value (地区生产总值：412.6亿元), not a lead-in
    return (m.start(), whole) if e - m.end() >= fr.topic_min_rest else None


def _line_ends_sentence(text: str, s: int, e: int) -> bool:
    """``_ends_sentence`` of ``text[s:e]`` without copying the line."""
    while e > s and text[e - 1] in _CLOSERS:
        e -= 1
    return e > s and text[e - 1] in _TERMINAL + "：:"


def _topic_candidates(
    text: str, heads: list[_Head], end: int, fr: _FullRunInRules
) -> tuple[list[_Topic], list[_Topic]]:
    """Paragraph openers inside numbered sections: (plain topic shape, any short sentence)."""
    starts = {h.span_start for h in heads}
    shaped: list[_Topic] = []
    loose: list[_Topic] = []
    for k, h in enumerate(heads):
        if h.numbering is None:
            continue  # topic families sit under numbered sections
        stop = heads[k + 1].span_start if k + 1 < len(heads) else end
        prev_end = True  # the heading's own line
        for s, e in _body_lines(text, h.span_start, stop):
            after_sentence = prev_end
            prev_end = (
                s in starts
                or _line_ends_sentence(text, s, e)
                or (after_sentence and e - s <= fr.topic_max_chars)  # a subtitle line
            )
            if s in starts or not after_sentence:
                continue  # a heading line, or a line break inside a sentence
            if (fr.any_lead is None or fr.any_lead.match(text, s)) and any(
                p.match(text, s) for p, _, _ in fr.leads
            ):
                continue
            found = _first_sentence(text, s, e, fr)
            if found is None:
                continue
            first, whole = found
            sent = text[s:first]
            lead_in = text[first] in "：:" and len(sent) >= fr.lead_in_min_chars
            t = _Topic(s, first, k, lead_in)
            loose.append(t)
            if (
                whole
                and len(sent) <= fr.topic_max_chars
                and sent.count("，") + sent.count(",") <= fr.topic_max_commas  # _COMMA
                and not fr.topic_figure.search(sent)
                and not _has_any(sent, fr.topic_reject)
            ):
                shaped.append(t)
    return shaped, loose


def _families(topics: list[_Topic], fr: _FullRunInRules) -> list[_Topic]:
    """Topic sentences that have siblings under their heading, the family's outliers dropped."""
    by_parent: dict[int, list[_Topic]] = {}
    for t in topics:
        by_parent.setdefault(t.parent, []).append(t)
    out: list[_Topic] = []
    for fam in by_parent.values():
        lens = sorted(t.end - t.start for t in fam)
        median = lens[len(lens) // 2]
        # a longer first one is the section's introduction (it restates the theme)
        intro = fam[0].end - fam[0].start > fr.family_ratio * median
        kept = fam[1:] if intro else fam
        if len(kept) >= fr.family_min:
            out.extend(kept)
        else:
            out.extend(t for t in fam if t.lead_in)
    return out


def _parallel(text: str, topics: list[_Topic], fr: _FullRunInRules) -> list[_Topic]:
    """Openers sharing their first short phrase with enough siblings under one heading."""
    groups: dict[tuple[int, str], list[_Topic]] = {}
    for t in topics:
        comma = _COMMA.search(text, t.start, min(t.end, t.start + fr.parallel_prefix + 1))
        if comma is not None:
            groups.setdefault((t.parent, text[t.start : comma.start()]), []).append(t)
    return [t for g in groups.values() if len(g) >= fr.parallel_min for t in g]


def _lead_at(text: str, s: int, start: int, fr: _FullRunInRules) -> bool | None:
    """Whether a marker at ``s`` opens its line (True), follows a sentence end (False), or
    neither (None: inside a word or clause, such as 全市第一，)."""
    k = s
    while k > start and text[k - 1] in _INDENT:
        k -= 1  # only the indentation is walked back: linear on one-line texts
    if k <= start or text[k - 1] == "\n":
        return True
    return False if k == s and text[s - 1] in fr.lead_boundary else None


def _lead_end(text: str, h: int, end: int, at_line: bool, fr: _FullRunInRules) -> int:
    """A lead runs to its clause end, or to its 。 when it opens a short paragraph sentence."""
    stop = fr.lead_end.search(text, h, end)
    he = stop.start() if stop else end
    if at_line:
        full = text.find("。", h, h + fr.lead_whole_max + 1)
        if full >= 0 and "\n" not in text[h:full]:
            he = full
    return he


def _leads(text: str, start: int, end: int, fr: _FullRunInRules) -> list[tuple[int, int, int, int]]:
    """Leads in sequence (``一是…二是…``): (marker start, heading start, end, depth)."""
    found = sorted(
        (m.start(), k, m)
        for k, (pat, _, _) in enumerate(fr.leads)
        for m in pat.finditer(text, start, end)
    )
    runs: dict[int, list[tuple[int, int, int, int]]] = {}
    out: list[tuple[int, int, int, int]] = []
    for s, k, m in found:
        at_line = _lead_at(text, s, start, fr)
        if at_line is None or (fr.leads[k][2] and not at_line):
            continue
        n = _num_value(m.group("num"))
        run = runs.get(k, [])
        if n != len(run) + 1:
            if n != 1:
                continue
            run = []
        h = m.end()
        he = _lead_end(text, h, end, at_line, fr)
        if he - h < fr.lead_min_chars:
            continue
        run.append((s, h, he, fr.leads[k][1]))
        runs[k] = run
        if len(run) == 2:
            out.extend(run)
        elif len(run) > 2:
            out.append(run[-1])
    return sorted(out)


def _with_run_ins(text: str, heads: list[_Head], end: int, rules: _Rules) -> list[_Head]:
    """Numbered headings plus the run-in topic sentences and leads beneath them.

    Why: real full reports put most of their structure in run-in leads, not in
    numbered lines. Each run-in heading is one level below the heading it sits under
    and takes its part; its section starts at the paragraph (topic) or the marker
    (lead), so the sections still tile the body.
    """
    fr = rules.full_run_in
    if not heads:
        return heads
    shaped, loose = _topic_candidates(text, heads, end, fr)
    chosen = {t.start: t for t in [*_families(shaped, fr), *_parallel(text, loose, fr)]}
    out = list(heads)
    for t in chosen.values():
        p = heads[t.parent]
        level = min(p.level + 1, rules.max_level)
        out.append(_Head(t.start, t.start, t.end, level, None, p.part, rank=p.rank + 1))
    out.sort(key=lambda h: h.span_start)
    leads = _leads(text, heads[0].span_start, end, fr)
    if not leads:
        return out
    merged: list[_Head] = []
    li = 0
    for k, h in enumerate(out):
        merged.append(h)
        stop = out[k + 1].span_start if k + 1 < len(out) else end
        # a topic sentence heads the leads of its own paragraph; later ones sit beside it
        para_end = text.find("\n", h.end) if h.numbering is None and h.rank >= 0 else -1
        outer: _Head | None = None  # the last lead of a lower depth under this heading
        while li < len(leads) and leads[li][0] < stop:
            s, hs, he, depth = leads[li]
            li += 1
            if s < h.end:
                continue  # inside the heading itself
            if outer is not None and depth > 0:
                level, rank = outer.level + 1, outer.rank + 1
            elif 0 <= para_end < s:
                level, rank = h.level, h.rank
            else:
                level, rank = h.level + 1, h.rank + 1
            lead = _Head(s, hs, he, min(level, rules.max_level), None, h.part, rank)
            merged.append(lead)
            if depth == 0:
                outer = lead
    return merged
