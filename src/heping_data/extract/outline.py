"""Headings, levels, parts and sentences of a report body.

Three layouts are recognised with general rules (cue words and patterns live in
``data/outline/outline.yaml``):

* Full reports: numbered headings at line starts in the styles ``一、`` ``（一）``
  ``1.`` ``（1）`` ``①`` (their conventional nesting order). A heading's level is its
  nesting depth among the styles the document uses, so ``（1）`` right under ``（一）``
  is level 3. A heading is either its own line or the first phrase of a paragraph
  after the marker; its span excludes the marker (kept in ``numbering``) and ends
  before the first ``。！？；：``. A numbered line that reads as a sentence of figures
  is a list item, not a heading. Run-in headings sit one level below the heading they
  fall under: ``一是/二是…``, ``一要…``, ``第一，…`` leads in sequence, and paragraph-opening
  topic sentences that read as a topic (short, no figure, not a reported result) with
  siblings under the same heading; when no numbered heading is a part, unnumbered
  heading lines (``2022年政府工作回顾``) are the parts.
* Newspaper summaries: one long line where headings are short segments between
  spaces and body segments end with sentence punctuation. A main section is a
  pair of short phrases given as one heading (always so when it opens ``以X为Y``);
  single phrases are sub-sections; a year with one short word (``2024 蓝图``) is a
  part heading wherever it stands. A sub-heading may run into its body with no
  space: it is cut off by a listed evaluative tail (``稳健运行``), or by its shape (a
  directive verb first, a doubled state last) and length (the document's own
  sub-headings) when the rest opens a clause (``推行``, ``全年``).
* Line layout (reports and stories that keep one paragraph a line, headings unnumbered
  on lines of their own: ``【经济运行稳中向好】``, a bare ``先进制造业``, a news subhead
  ``新的一年 锚定目标加油干``): a line that opens a part is level 1, the others take
  their level from their style (bracket, phrase pair, bare) in order of first use.

Sections partition ``[body_start, body_end)``: consecutive ``span_start`` /
``span_end`` tile it exactly, with an untitled level-0 preamble when text comes
before the first heading. A heading's part comes from the years it names (up to
the reviewed year: review; later: plan), then from cue words. The plan part starts
at the first plan heading, or at a body paragraph that announces the plan (a work
conference, 下一步…); later sections stay plan unless a top-level heading is clearly
a review again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from heping_data.records import Document, Section, Sentence

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_TERMINAL = "。！？；!?;…"
_CLOSERS = "”’」』）)】"
_INDENT = " \t\u3000\ufeff"
_CONTINUES = "，,。、；;：:！？!?）)”’」』…"  # a line opening with these continues a sentence
_SEGMENT = re.compile(r"\S+")
_LINE_INDENT = re.compile(r"[ \t\u3000\ufeff]*")
_YEAR = re.compile(r"(?<![0-9０-９])([0-9０-９]{4})(?=年)")
_LINE = re.compile(r"[^\n]+")
_SENT_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")
_COMMA = re.compile("[，,]")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?、\s]")
_REST_END = re.compile(r"[，,。；;：:！？!?\s]")


@dataclass(frozen=True)
class _Style:
    name: str
    rank: int  # position in the conventional nesting order, 0 outermost
    marker: re.Pattern[str]
    reject: re.Pattern[str]
    list_items: bool


@dataclass(frozen=True)
class _Rules:
    styles: tuple[_Style, ...]
    max_level: int
    min_numbered: int
    list_item: re.Pattern[str]
    heading_end: re.Pattern[str]
    heading_max: int
    seg_max: int
    short_phrase: int
    number_only: re.Pattern[str]
    fragment_end: str
    needs_han: re.Pattern[str]
    glued: re.Pattern[str]
    glued_min: int
    glued_max: int
    family_slack: int
    family_opener: re.Pattern[str]
    family_head: re.Pattern[str]
    review_first: tuple[str, ...]
    review: tuple[str, ...]
    plan: tuple[str, ...]
    kicker: tuple[str, ...]
    marker_year: int
    marker_max: int
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    weak_needed: int
    line: _LineRules
    run_in: _RunInRules
    full_run_in: _FullRunInRules
    pair_first: re.Pattern[str]
    byline: re.Pattern[str]  # a credit-line segment (`XX日报记者`), never a heading
    byline_name: re.Pattern[str]  # the names after it (`黄某某`, `李某/文`)


@dataclass(frozen=True)
class _LineRules:
    min_lines: int
    min_headings: int
    max_chars: int
    max_phrases: int
    brackets: dict[str, str]  # opener -> closer
    lead_in_end: str
    figure: re.Pattern[str]
    final_particles: str


@dataclass(frozen=True)
class _RunInRules:
    slack: int
    min_chars: int
    max_chars: int
    min_rest: int
    head: re.Pattern[str]  # the characters a run-in head may hold
    sentence_start: re.Pattern[str]
    directive: re.Pattern[str]
    shape_tail: re.Pattern[str]
    state_tail: re.Pattern[str]  # `营商环境持续优化`: a noun + a 4-character state predicate
    opener: re.Pattern[str]


@dataclass(frozen=True)
class _FullRunInRules:
    leads: tuple[tuple[re.Pattern[str], int, bool], ...]  # marker, depth, paragraph only
    lead_boundary: str
    lead_end: re.Pattern[str]
    lead_whole_max: int
    lead_min_chars: int
    topic_end: re.Pattern[str]
    colon_lead: re.Pattern[str]
    lead_in_min_chars: int
    topic_max_chars: int
    topic_max_commas: int
    topic_min_rest: int
    topic_figure: re.Pattern[str]
    topic_reject: tuple[str, ...]
    needs_han: re.Pattern[str]
    family_min: int
    family_ratio: float
    parallel_min: int
    parallel_prefix: int
    parallel_max_chars: int


def _full_run_in_rules(raw: dict) -> _FullRunInRules:
    """The run-in rules of full reports, checked for their keys and types on load."""
    return _FullRunInRules(
        leads=tuple(
            (re.compile(x["marker"]), int(x["depth"]), bool(x["paragraph"])) for x in raw["leads"]
        ),
        lead_boundary=str(raw["lead_boundary"]),
        lead_end=re.compile(raw["lead_end"]),
        lead_whole_max=int(raw["lead_whole_max"]),
        lead_min_chars=int(raw["lead_min_chars"]),
        topic_end=re.compile(raw["topic_end"]),
        colon_lead=re.compile(rf"(?:{raw['colon_lead']})$"),
        lead_in_min_chars=int(raw["lead_in_min_chars"]),
        topic_max_chars=int(raw["topic_max_chars"]),
        topic_max_commas=int(raw["topic_max_commas"]),
        topic_min_rest=int(raw["topic_min_rest"]),
        topic_figure=re.compile(raw["topic_figure"]),
        topic_reject=tuple(str(w) for w in raw["topic_reject"]),
        needs_han=re.compile(raw["topic_opens"]),
        family_min=int(raw["family_min"]),
        family_ratio=float(raw["family_ratio"]),
        parallel_min=int(raw["parallel_min"]),
        parallel_prefix=int(raw["parallel_prefix"]),
        parallel_max_chars=int(raw["parallel_max_chars"]),
    )


@cache
def _rules() -> _Rules:
    """Load and compile the rule data once per process."""
    raw = yaml.load(
        resources.files("heping_data").joinpath("data/outline/outline.yaml").read_text("utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    styles = tuple(
        _Style(
            s["name"], k, re.compile(s["marker"]), re.compile(s["reject"]), bool(s["list_items"])
        )
        for k, s in enumerate(raw["numbering_styles"])
    )
    seg = raw["segment"]
    tails = "|".join(sorted(map(re.escape, raw["glued_heading_tails"]), key=len, reverse=True))
    lo, hi = int(raw["glued_heading_min_chars"]), int(raw["glued_heading_max_chars"])
    stop = r"\s，,。；;：:！？!?、“”（）()"
    glued = re.compile(
        rf"(?P<h>[^{stop}]{{1,{hi}}}?(?:{tails}))(?=[^{stop}的和与及])",
    )
    gf = raw["glued_family"]
    openers = "|".join(sorted(map(re.escape, gf["sentence_openers"]), key=len, reverse=True))
    pt = raw["plan_transition"]
    ll = raw["line_layout"]
    ri = raw["run_in"]
    body_openers = "|".join(sorted(map(re.escape, ri["body_openers"]), key=len, reverse=True))
    return _Rules(
        styles=styles,
        max_level=int(raw["max_level"]),
        list_item=re.compile(raw["list_item_phrase"]),
        min_numbered=int(raw["min_numbered_headings"]),
        heading_end=re.compile(raw["heading_end"]),
        heading_max=int(raw["heading_max_chars"]),
        seg_max=int(seg["max_heading_chars"]),
        short_phrase=int(seg["short_phrase_chars"]),
        number_only=re.compile(seg["number_only"]),
        fragment_end=seg["fragment_end_chars"],
        needs_han=re.compile(seg["needs_han"]),
        glued=glued,
        glued_min=lo,
        glued_max=hi,
        family_slack=int(gf["length_slack"]),
        family_opener=re.compile(rf"(?:{gf['year_opener']}|{openers})"),
        family_head=re.compile(rf"[^{stop}0-9０-９*＊A-Za-z]+"),
        review_first=tuple(raw["part_cues"]["review_first"]),
        review=tuple(raw["part_cues"]["review"]),
        plan=tuple(raw["part_cues"]["plan"]),
        kicker=tuple(raw["kicker_cues"]),
        marker_year=int(raw["part_marker_year_chars"]),
        marker_max=int(raw["part_marker_max_chars"]),
        strong=tuple(pt["strong"]),
        weak=tuple(pt["weak"]),
        weak_needed=int(pt["weak_needed"]),
        line=_LineRules(
            min_lines=int(ll["min_lines"]),
            min_headings=int(ll["min_headings"]),
            max_chars=int(ll["max_chars"]),
            max_phrases=int(ll["max_phrases"]),
            brackets={b[0]: b[1] for b in ll["brackets"]},
            lead_in_end=ll["lead_in_end"],
            figure=re.compile(ll["figure"]),
            final_particles=ll["final_particles"],
        ),
        run_in=_RunInRules(
            slack=int(ri["length_slack"]),
            min_chars=int(ri["min_chars"]),
            max_chars=int(ri["max_chars"]),
            min_rest=int(ri["min_rest_chars"]),
            head=re.compile(rf"[{ri['head_chars']}]+"),
            sentence_start=re.compile(ri["sentence_starts"]),
            directive=re.compile(ri["directive"]),
            shape_tail=re.compile(rf"{ri['shape_tail']}$"),
            state_tail=re.compile(rf"(?:{ri['state_tail']})$"),
            opener=re.compile(rf"(?:{body_openers})"),
        ),
        full_run_in=_full_run_in_rules(raw["full_run_in"]),
        pair_first=re.compile(raw["pair_first_half"]),
        byline=re.compile(seg["byline"]),
        byline_name=re.compile(seg["byline_name"]),
    )


@dataclass
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


def _ends_sentence(seg: str) -> bool:
    seg = seg.rstrip(_CLOSERS)
    return bool(seg) and seg[-1] in _TERMINAL


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


# --------------------------------------------------------------------------- full reports


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


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines in [start, end) as (start, end) offsets."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text, start, end) if m.group().strip()]


# --------------------------------------------------------------------------- full-report run-ins


@dataclass
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
            if any(p.match(text, s) for p, _, _ in fr.leads):
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
                and len(_COMMA.findall(sent)) <= fr.topic_max_commas
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


# --------------------------------------------------------------------------- newspaper layout


@dataclass
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


def _news_heads(
    text: str, start: int, end: int, rules: _Rules, year: int | None = None
) -> tuple[list[_Head], int | None]:
    """Headings of the newspaper layout and the offset where the plan part starts."""
    segs = _split_family_glued(text, _segments(text, start, end, rules), rules)
    segs = _split_run_in(text, segs, rules)
    heads: list[_Head] = []
    part: str | None = None
    plan_at: int | None = None
    seen_l2_in_part = False
    l4_mode = False
    seen_body = False
    i = 0
    while i < len(segs):
        if not segs[i].heading:
            para = text[segs[i].start : segs[i].end]
            if part != "plan" and any(h.level == 2 for h in heads) and _is_transition(para, rules):
                part, plan_at = "plan", segs[i].start
                seen_l2_in_part, l4_mode = False, False
            seen_body = True
            i += 1
            continue
        j = i
        while j < len(segs) and segs[j].heading:
            j += 1
        run = segs[i:j]
        phrases = [text[g.start : g.end] for g in run]
        if not seen_body and not heads:
            # Kicker: the leading headings up to the last one with a kicker cue (or a
            # year), plus a lone subtitle after it; a longer rest is an ordinary run.
            cued = [
                k
                for k, (g, p) in enumerate(zip(run, phrases, strict=True))
                if g.kicker_hint or _has_any(p, rules.kicker)
            ]
            if cued:
                n_kick = cued[-1] + 1
                if len(run) - n_kick == 1:
                    n_kick += 1
                # Two phrases after the year marker are one subtitle, given as a pair
                # like a main section (实干笃行谱新篇 某区跑出加速度).
                marks = [k for k in range(n_kick) if run[k].kicker_hint]
                pair_at = n_kick - 2 if marks and marks[-1] == n_kick - 3 else None
                for k, (g, p) in enumerate(zip(run[:n_kick], phrases[:n_kick], strict=True)):
                    part = _heading_part(p, rules, year) or part
                    if k == pair_at:
                        heads.append(_Head(g.start, g.start, run[k + 1].end, 1, None, part))
                    elif k != n_kick - 1 or pair_at is None:
                        heads.append(_Head(g.start, g.start, g.end, 1, None, part))
                if n_kick == len(run):
                    i = j
                    continue
                i += n_kick
                run, phrases = run[n_kick:], phrases[n_kick:]
        elif run[0].part_marker:
            # A part heading inside the body (2024 蓝图), with its subtitle if the next
            # phrase is a clause pair (稳中求进开新篇,某区交出答卷).
            n_kick = 2 if len(run) > 1 and _COMMA.search(phrases[1]) else 1
            new_part = _heading_part(phrases[0], rules, year)
            if new_part is not None and new_part != part:
                part = new_part
                if part == "plan" and plan_at is None:
                    plan_at = run[0].start
            for g in run[:n_kick]:
                heads.append(_Head(g.start, g.start, g.end, 1, None, part))
            seen_l2_in_part, l4_mode = False, False
            if n_kick == len(run):
                i = j
                continue
            run, phrases = run[n_kick:], phrases[n_kick:]
        levels: list[int] = []
        if len(run) == 1:
            levels = [4 if l4_mode else 3]
        elif (
            len(run) == 2
            and seen_l2_in_part
            and not all(len(p) <= rules.short_phrase for p in phrases)
            and not rules.pair_first.match(phrases[0])
            and not _lone_sub_sub(text, segs, j, rules, in_plan=part == "plan")
        ):
            levels = [3, 4]
        else:
            levels = [2, *([3] + [4] * (len(run) - 3) if len(run) > 2 else [])]
        k = 0
        for lv in levels:
            if lv == 2:
                g0, g1 = run[k], run[k + 1]
                heads.append(_Head(g0.start, g0.start, g1.end, 2, None, part))
                seen_l2_in_part, l4_mode = True, False
                k += 2
            else:
                g = run[k]
                heads.append(_Head(g.start, g.start, g.end, lv, None, part))
                if lv == 4:
                    l4_mode = True
                k += 1
        i = j
    if plan_at is not None:
        for h in heads:
            if h.part is None and h.span_start < plan_at:
                h.part = "review"
    return heads, plan_at


# --------------------------------------------------------------------------- line layout


@dataclass
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
    """Content bounds of the non-blank lines in [start, end)."""
    out = []
    for m in _LINE.finditer(text, start, end):
        s = _LINE_INDENT.match(text, m.start(), m.end()).end()
        e = m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


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


# --------------------------------------------------------------------------- public API


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
        sec = Section(
            len(out),
            parent,
            h.level,
            text[h.start : h.end],
            h.start,
            h.end,
            h.span_start,
            span_end,
            h.part,
            h.numbering,
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
    """Sentence-like units covering each section span in order; a heading is its own unit."""
    text = doc.text
    out: list[Sentence] = []
    for sec in sections:
        cuts: list[int] = []
        pos = sec.span_start
        if sec.char_end is not None:
            cut = sec.char_end
            while cut < sec.span_end and text[cut] in _TERMINAL + _CLOSERS:
                cut += 1
            cuts.append(cut)
            pos = cut
        cuts.extend(m.end() for m in _SENT_END.finditer(text, pos, sec.span_end))
        if not cuts or cuts[-1] < sec.span_end:
            cuts.append(sec.span_end)
        start = sec.span_start
        pieces: list[tuple[int, int]] = []
        for c in cuts:
            if c <= start:
                continue
            if pieces and not text[start:c].strip():
                pieces[-1] = (pieces[-1][0], c)  # whitespace joins the unit before it
            else:
                pieces.append((start, c))
            start = c
        for s, e in pieces:
            out.append(Sentence(len(out), s, e, sec.index))
    return tuple(out)
