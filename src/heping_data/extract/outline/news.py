"""Newspaper summaries: one long line whose headings are short segments between spaces."""

from __future__ import annotations

from dataclasses import dataclass

from heping_data.extract.outline.common import (
    _COMMA,
    _REST_END,
    _SEGMENT,
    _has_any,
    _Head,
    _heading_part,
    _is_transition,
)
from heping_data.extract.outline.rules import _Rules
from heping_data.text.chars import ends_sentence as _ends_sentence


@dataclass(slots=True)
class _Seg:
    start: int
    end: int
    heading: bool
    kicker_hint: bool = False  # a number joined to the heading after it
    part_marker: bool = False  # a year and one short word: 2024 蓝图


def _segments(text: str, start: int, end: int, rules: _Rules) -> list[_Seg]:
    """Whitespace-separated segments, classified heading/body, numbers merged, glued heads split."""
    raw = [(m.start(), m.end()) for m in _SEGMENT.finditer(text, start, end)]
    segs: list[_Seg] = []
    lo, hi = rules.glued_min, rules.glued_max
    i = 0
    while i < len(raw):
        s, e = raw[i]
        seg = text[s:e]
        is_body = _ends_sentence(seg) or len(seg) > rules.seg_max
        if not is_body and rules.byline.search(seg):
            # `XX日报记者 姓名 通讯员 姓名/文`: a credit line, its names included
            segs.append(_Seg(s, e, False))
            i += 1
            while i < len(raw) and rules.byline_name.match(text, *raw[i]):
                segs.append(_Seg(raw[i][0], raw[i][1], False))
                i += 1
            continue
        if not is_body and rules.number_only.match(seg) and i + 1 < len(raw):
            ns, ne = raw[i + 1]
            nxt = text[ns:ne]
            if not _ends_sentence(nxt) and len(nxt) <= rules.seg_max:
                marker = (
                    len(seg.rstrip("年")) == rules.marker_year
                    and len(nxt) <= rules.marker_max
                    and rules.needs_han.search(nxt) is not None
                )
                segs.append(_Seg(s, ne, True, kicker_hint=True, part_marker=marker))
                i += 2
                continue
        if not is_body and (seg[-1] in rules.fragment_end or not rules.needs_han.search(seg)):
            segs.append(_Seg(s, e, False))  # a sentence piece cut by a space, not a heading
            i += 1
            continue
        if is_body:
            g = rules.glued.match(text, s, e)
            if (
                g
                and lo <= len(g.group("h")) <= hi
                and not _ends_sentence(g.group("h"))
                and not rules.run_in.sentence_start.match(text, s, e)
            ):
                segs.append(_Seg(s, g.end("h"), True))
                segs.append(_Seg(g.end("h"), e, False))
                i += 1
                continue
        segs.append(_Seg(s, e, not is_body))
        i += 1
    return segs


def _family_sub_lengths(text: str, segs: list[_Seg], k: int) -> list[int]:
    """Lengths of the single-phrase sub-headings of the family that goes on at ``segs[k]``.

    The family ends at the next run of two or more headings (a new main section) or
    at a part marker.
    """
    out: list[int] = []
    while k < len(segs):
        if not segs[k].heading:
            k += 1
            continue
        if segs[k].part_marker or (k + 1 < len(segs) and segs[k + 1].heading):
            break
        out.append(segs[k].end - segs[k].start)
        k += 1
    return out


def _family_cut(text: str, seg: _Seg, lengths: list[int], rules: _Rules) -> int | None:
    """Where a glued sub-heading ends in a body segment, judged by its siblings' shape.

    The cut is at the first sentence opener (全年, 实施, a year): the head before it must
    be as long as the siblings (within the slack) and hold no digits or punctuation.
    A segment that opens like a sentence, or whose first opener lies outside that
    length, is body (规上工业企业全年实现… has its first opener too early).
    """
    s, e = seg.start, seg.end
    head = rules.family_head.match(text, s, e)
    if head is None:
        return None
    lo = max(rules.glued_min, min(lengths) - rules.family_slack)
    hi = min(rules.glued_max, max(lengths) + rules.family_slack, head.end() - s, e - s - 1)
    first = next(
        (p for p in range(hi + 1) if rules.family_opener.match(text, s + p, e)),
        None,
    )
    if first is None or first < lo or text[s + first - 1] in rules.fragment_end:
        return None
    if rules.run_in.state_tail.match(text, s + first - 2, s + first + 2):
        return None  # `扎实开展` is the head's own predicate: left to the run-in rule
    return s + first


def _split_family_glued(text: str, segs: list[_Seg], rules: _Rules) -> list[_Seg]:
    """Split a sub-heading glued to the first body segment of a main-section pair.

    Only there is the evidence structural: a pair whose family goes on with single
    sub-headings normally opens with one too, so body text straight after the pair
    is most likely a first sub-heading that lost its space. Later body segments of a
    family stay whole (they may be a sub-section's second paragraph).
    """
    out: list[_Seg] = []
    seen_body = False
    for j, seg in enumerate(segs):
        if (
            not seg.heading
            and seen_body
            and j >= 2
            and segs[j - 1].heading
            and segs[j - 2].heading
            and (j == 2 or not segs[j - 3].heading)
            and not (segs[j - 1].part_marker or segs[j - 2].part_marker)
        ):
            lengths = _family_sub_lengths(text, segs, j + 1)
            cut = _family_cut(text, seg, lengths, rules) if lengths else None
            if cut is not None:
                out.append(_Seg(seg.start, cut, True))
                out.append(_Seg(cut, seg.end, False))
                continue
        seen_body = seen_body or not seg.heading
        out.append(seg)
    return out


def _single_sub_lengths(segs: list[_Seg]) -> list[int]:
    """Lengths of the document's single-phrase sub-headings: a heading between two bodies."""
    return [
        g.end - g.start
        for k, g in enumerate(segs)
        if g.heading
        and not g.kicker_hint
        and k > 0
        and not segs[k - 1].heading
        and not (k + 1 < len(segs) and segs[k + 1].heading)
    ]


def _run_in_cut(text: str, seg: _Seg, lo: int, hi: int, rules: _Rules) -> int | None:
    """Where a run-in subhead of the document's shape ends in a body segment, if it has one.

    The head needs a subhead's shape (a directive verb first, or a doubled state last:
    走深走实) because a bare subject before a verb (科技金融广场引进…) reads the same way;
    the rest must open a clause with a listed verb or time word and run on for a while.
    """
    ri = rules.run_in
    s, e = seg.start, seg.end
    if ri.sentence_start.match(text, s, e):
        return None
    m = ri.head.match(text, s, min(e, s + hi))
    if m is None:
        return None
    directive = ri.directive.match(text, s, e) is not None
    for c in range(s + lo, min(m.end(), e - 1) + 1):
        if text[c - 1] in rules.fragment_end or not ri.opener.match(text, c, e):
            continue
        if text.count("“", s, c) != text.count("”", s, c):
            continue  # the head would end inside a quotation
        if (
            not directive
            and not ri.shape_tail.match(text, c - 4, c)
            and not ri.state_tail.match(text, c - 4, c)
        ):
            continue
        stop = _REST_END.search(text, c, e)  # a list (`围绕新材料、电子信息`) runs on
        if (stop.start() if stop else e) - c >= ri.min_rest:
            return c
    return None


def _split_run_in(text: str, segs: list[_Seg], rules: _Rules) -> list[_Seg]:
    """Split run-in subheads off body segments anywhere, judged by the document's subheads.

    Without single-phrase subheads in the document there is nothing to compare with,
    and the rest of a segment already split stays whole.
    """
    lengths = _single_sub_lengths(segs)
    if not lengths:
        return segs
    ri = rules.run_in
    lo = max(ri.min_chars, min(lengths) - ri.slack)
    hi = min(ri.max_chars, max(lengths) + ri.slack)
    if lo > hi:
        return segs
    out: list[_Seg] = []
    for seg in segs:
        glued_rest = bool(out) and out[-1].end == seg.start
        cut = None if seg.heading or glued_rest else _run_in_cut(text, seg, lo, hi, rules)
        if cut is None:
            out.append(seg)
        else:
            out.append(_Seg(seg.start, cut, True))
            out.append(_Seg(cut, seg.end, False))
    return out


def _lone_sub_sub(text: str, segs: list[_Seg], j: int, rules: _Rules, *, in_plan: bool) -> bool:
    """Whether the heading run after the body at ``segs[j:]`` is not a single sub-heading.

    A pair read as sub-section + sub-sub-section needs sibling sub-sub-sections after
    it; when the next heading run is a pair, a part marker, a plan transition or the
    end of the text, the pair is a main section instead.
    """
    k = j
    while k < len(segs) and not segs[k].heading:
        if not in_plan and _is_transition(text[segs[k].start : segs[k].end], rules):
            return True
        k += 1
    if k == len(segs) or segs[k].part_marker:
        return True
    return k + 1 < len(segs) and segs[k + 1].heading


@dataclass(slots=True)
class _NewsState:
    """What the scan of a newspaper layout carries from one heading run to the next."""

    heads: list[_Head]
    part: str | None = None
    plan_at: int | None = None
    seen_l2_in_part: bool = False  # a main section (level 2) opened in the current part
    any_l2: bool = False  # a main section opened anywhere: some head has level 2
    l4_mode: bool = False  # a sub-sub-section (level 4) opened in the current main section


def _news_heads(
    text: str, start: int, end: int, rules: _Rules, year: int | None = None
) -> tuple[list[_Head], int | None]:
    """Headings of the newspaper layout and the offset where the plan part starts."""
    segs = _split_family_glued(text, _segments(text, start, end, rules), rules)
    segs = _split_run_in(text, segs, rules)
    st = _NewsState([])
    seen_body = False
    i = 0
    while i < len(segs):
        if not segs[i].heading:
            para = text[segs[i].start : segs[i].end]
            if (
                st.part != "plan"
                and st.any_l2  # only _add_run appends level 2; levels never change
                and _is_transition(para, rules)
            ):
                st.part, st.plan_at = "plan", segs[i].start
                st.seen_l2_in_part, st.l4_mode = False, False
            seen_body = True
            i += 1
            continue
        j = i
        while j < len(segs) and segs[j].heading:
            j += 1
        run = segs[i:j]
        phrases = [text[g.start : g.end] for g in run]
        n = 0
        if not seen_body and not st.heads:
            n = _kicker(run, phrases, st, rules, year)
        elif run[0].part_marker:
            n = _part_heading(run, phrases, st, rules, year)
        if n < len(run):
            levels = _run_levels(text, segs, j, phrases[n:], st, rules)
            _add_run(run[n:], levels, st)
        i = j
    if st.plan_at is not None:
        for h in st.heads:
            if h.part is None and h.span_start < st.plan_at:
                h.part = "review"
    return st.heads, st.plan_at


def _kicker(
    run: list[_Seg], phrases: list[str], st: _NewsState, rules: _Rules, year: int | None
) -> int:
    """Kicker: the leading headings up to the last one with a kicker cue (or a year), plus
    a lone subtitle after it; a longer rest is an ordinary run. Returns how many of the
    run's headings it took (0: no kicker)."""
    cued = [
        k
        for k, (g, p) in enumerate(zip(run, phrases, strict=True))
        if g.kicker_hint or _has_any(p, rules.kicker)
    ]
    if not cued:
        return 0
    n_kick = cued[-1] + 1
    if len(run) - n_kick == 1:
        n_kick += 1
    # Two phrases after the year marker are one subtitle, given as a pair
    # like a main section (实干笃行谱新篇 某区跑出加速度).
    marks = [k for k in range(n_kick) if run[k].kicker_hint]
    pair_at = n_kick - 2 if marks and marks[-1] == n_kick - 3 else None
    for k, (g, p) in enumerate(zip(run[:n_kick], phrases[:n_kick], strict=True)):
        st.part = _heading_part(p, rules, year) or st.part
        if k == pair_at:
            st.heads.append(_Head(g.start, g.start, run[k + 1].end, 1, None, st.part))
        elif k != n_kick - 1 or pair_at is None:
            st.heads.append(_Head(g.start, g.start, g.end, 1, None, st.part))
    return n_kick


def _part_heading(
    run: list[_Seg], phrases: list[str], st: _NewsState, rules: _Rules, year: int | None
) -> int:
    """A part heading inside the body (2024 蓝图), with its subtitle if the next phrase is a
    clause pair (稳中求进开新篇,某区交出答卷). Returns how many headings it took."""
    n_kick = 2 if len(run) > 1 and _COMMA.search(phrases[1]) else 1
    new_part = _heading_part(phrases[0], rules, year)
    if new_part is not None and new_part != st.part:
        st.part = new_part
        if st.part == "plan" and st.plan_at is None:
            st.plan_at = run[0].start
    for g in run[:n_kick]:
        st.heads.append(_Head(g.start, g.start, g.end, 1, None, st.part))
    st.seen_l2_in_part, st.l4_mode = False, False
    return n_kick


def _run_levels(
    text: str, segs: list[_Seg], j: int, phrases: list[str], st: _NewsState, rules: _Rules
) -> list[int]:
    """Levels of a run of headings: one phrase is a sub-section (or sub-sub-section), two
    after a main section a sub-section and its sub-sub-section, else a main-section pair
    and what follows it."""
    if len(phrases) == 1:
        return [4 if st.l4_mode else 3]
    if (
        len(phrases) == 2
        and st.seen_l2_in_part
        and not all(len(p) <= rules.short_phrase for p in phrases)
        and not rules.pair_first.match(phrases[0])
        and not _lone_sub_sub(text, segs, j, rules, in_plan=st.part == "plan")
    ):
        return [3, 4]
    return [2, *([3] + [4] * (len(phrases) - 3) if len(phrases) > 2 else [])]


def _add_run(run: list[_Seg], levels: list[int], st: _NewsState) -> None:
    """Headings of the run at their levels; a level 2 takes two phrases (a pair)."""
    k = 0
    for lv in levels:
        if lv == 2:
            g0, g1 = run[k], run[k + 1]
            st.heads.append(_Head(g0.start, g0.start, g1.end, 2, None, st.part))
            st.seen_l2_in_part, st.l4_mode, st.any_l2 = True, False, True
            k += 2
        else:
            g = run[k]
            st.heads.append(_Head(g.start, g.start, g.end, lv, None, st.part))
            if lv == 4:
                st.l4_mode = True
            k += 1
