"""The outline rule data (``data/outline/outline.yaml``), validated on load and compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import field_validator

from heping_data.text.chars import alternation
from heping_data.text.ruledata import RuleModel, load_rules


@dataclass(frozen=True)
class _Style:
    name: str
    rank: int  # position in the conventional nesting order, 0 outermost
    marker: re.Pattern[str]
    reject: re.Pattern[str]
    list_items: bool


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` does (their group names
    dropped), or None when they cannot be joined (a back-reference, a local flag).

    Why: the scans try every marker at every line start; one match of the joined
    pattern settles most lines, and only a line it matches tries them one by one.
    """
    if any("(?P=" in p.pattern or p.flags != patterns[0].flags for p in patterns):
        return None
    body = "|".join(f"(?:{_GROUP_NAME.sub('(?:', p.pattern)})" for p in patterns)
    try:
        return re.compile(body, patterns[0].flags)
    except re.error:
        return None


_GROUP_NAME = re.compile(r"(?<!\\)\(\?P<\w+>")  # an unescaped named group's opening


@dataclass(frozen=True)
class _Rules:
    styles: tuple[_Style, ...]
    any_marker: re.Pattern[str] | None  # matches where some style's marker does
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
    any_lead: re.Pattern[str] | None  # matches where some lead marker does
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


class StyleSpec(RuleModel):
    """A numbering style: its marker, what may not follow it, whether it numbers items."""

    name: str
    marker: str
    reject: str
    list_items: bool


class SegmentSpec(RuleModel):
    max_heading_chars: int
    short_phrase_chars: int
    number_only: str
    fragment_end_chars: str
    needs_han: str
    byline: str
    byline_name: str


class GluedFamilySpec(RuleModel):
    length_slack: int
    year_opener: str
    sentence_openers: tuple[str, ...]


class RunInSpec(RuleModel):
    length_slack: int
    min_chars: int
    max_chars: int
    min_rest_chars: int
    head_chars: str
    sentence_starts: str
    directive: str
    shape_tail: str
    state_tail: str
    body_openers: tuple[str, ...]


class PartCues(RuleModel):
    review_first: tuple[str, ...]
    review: tuple[str, ...]
    plan: tuple[str, ...]


class LineLayoutSpec(RuleModel):
    min_lines: int
    min_headings: int
    max_chars: int
    max_phrases: int
    brackets: tuple[str, ...]
    lead_in_end: str
    figure: str
    final_particles: str

    @field_validator("brackets")
    @classmethod
    def _pairs(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(len(b) != 2 for b in v):
            raise ValueError("each bracket is an opener and its closer (two characters)")
        return v


class PlanTransition(RuleModel):
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    weak_needed: int


class LeadSpec(RuleModel):
    marker: str
    depth: int
    paragraph: bool


class FullRunInSpec(RuleModel):
    leads: tuple[LeadSpec, ...]
    lead_boundary: str
    lead_end: str
    lead_whole_max: int
    lead_min_chars: int
    topic_end: str
    colon_lead: str
    lead_in_min_chars: int
    topic_max_chars: int
    topic_max_commas: int
    topic_min_rest: int
    topic_figure: str
    topic_reject: tuple[str, ...]
    topic_opens: str
    family_min: int
    family_ratio: float
    parallel_min: int
    parallel_prefix: int
    parallel_max_chars: int


class OutlineRules(RuleModel):
    """``data/outline/outline.yaml`` as written (see the file for what each key means)."""

    numbering_styles: tuple[StyleSpec, ...]
    max_level: int
    min_numbered_headings: int
    list_item_phrase: str
    heading_end: str
    heading_max_chars: int
    segment: SegmentSpec
    glued_heading_tails: tuple[str, ...]
    glued_heading_max_chars: int
    glued_heading_min_chars: int
    glued_family: GluedFamilySpec
    run_in: RunInSpec
    pair_first_half: str
    part_cues: PartCues
    line_layout: LineLayoutSpec
    kicker_cues: tuple[str, ...]
    part_marker_year_chars: int
    part_marker_max_chars: int
    plan_transition: PlanTransition
    full_run_in: FullRunInSpec


def _full_run_in_rules(raw: FullRunInSpec) -> _FullRunInRules:
    """The run-in rules of full reports, compiled."""
    return _FullRunInRules(
        leads=tuple((re.compile(x.marker), x.depth, x.paragraph) for x in raw.leads),
        any_lead=_any_of([re.compile(x.marker) for x in raw.leads]) if raw.leads else None,
        lead_boundary=raw.lead_boundary,
        lead_end=re.compile(raw.lead_end),
        lead_whole_max=raw.lead_whole_max,
        lead_min_chars=raw.lead_min_chars,
        topic_end=re.compile(raw.topic_end),
        colon_lead=re.compile(rf"(?:{raw.colon_lead})$"),
        lead_in_min_chars=raw.lead_in_min_chars,
        topic_max_chars=raw.topic_max_chars,
        topic_max_commas=raw.topic_max_commas,
        topic_min_rest=raw.topic_min_rest,
        topic_figure=re.compile(raw.topic_figure),
        topic_reject=raw.topic_reject,
        needs_han=re.compile(raw.topic_opens),
        family_min=raw.family_min,
        family_ratio=raw.family_ratio,
        parallel_min=raw.parallel_min,
        parallel_prefix=raw.parallel_prefix,
        parallel_max_chars=raw.parallel_max_chars,
    )


def _line_rules(ll: LineLayoutSpec) -> _LineRules:
    return _LineRules(
        min_lines=ll.min_lines,
        min_headings=ll.min_headings,
        max_chars=ll.max_chars,
        max_phrases=ll.max_phrases,
        brackets={b[0]: b[1] for b in ll.brackets},
        lead_in_end=ll.lead_in_end,
        figure=re.compile(ll.figure),
        final_particles=ll.final_particles,
    )


def _run_in_rules(ri: RunInSpec) -> _RunInRules:
    return _RunInRules(
        slack=ri.length_slack,
        min_chars=ri.min_chars,
        max_chars=ri.max_chars,
        min_rest=ri.min_rest_chars,
        head=re.compile(rf"[{ri.head_chars}]+"),
        sentence_start=re.compile(ri.sentence_starts),
        directive=re.compile(ri.directive),
        shape_tail=re.compile(rf"{ri.shape_tail}$"),
        state_tail=re.compile(rf"(?:{ri.state_tail})$"),
        opener=re.compile(rf"(?:{alternation(ri.body_openers)})"),
    )


@cache
def _rules() -> _Rules:
    """Load, validate and compile the rule data once per process."""
    raw = load_rules(OutlineRules, "outline", "outline.yaml")
    seg, gf, pt = raw.segment, raw.glued_family, raw.plan_transition
    lo, hi = raw.glued_heading_min_chars, raw.glued_heading_max_chars
    stop = r"\s，,。；;：:！？!?、“”（）()"
    tails = alternation(raw.glued_heading_tails)
    return _Rules(
        styles=tuple(
            _Style(s.name, k, re.compile(s.marker), re.compile(s.reject), s.list_items)
            for k, s in enumerate(raw.numbering_styles)
        ),
        any_marker=_any_of([re.compile(s.marker) for s in raw.numbering_styles])
        if raw.numbering_styles
        else None,
        max_level=raw.max_level,
        list_item=re.compile(raw.list_item_phrase),
        min_numbered=raw.min_numbered_headings,
        heading_end=re.compile(raw.heading_end),
        heading_max=raw.heading_max_chars,
        seg_max=seg.max_heading_chars,
        short_phrase=seg.short_phrase_chars,
        number_only=re.compile(seg.number_only),
        fragment_end=seg.fragment_end_chars,
        needs_han=re.compile(seg.needs_han),
        glued=re.compile(rf"(?P<h>[^{stop}]{{1,{hi}}}?(?:{tails}))(?=[^{stop}的和与及])"),
        glued_min=lo,
        glued_max=hi,
        family_slack=gf.length_slack,
        family_opener=re.compile(rf"(?:{gf.year_opener}|{alternation(gf.sentence_openers)})"),
        family_head=re.compile(rf"[^{stop}0-9０-９*＊A-Za-z]+"),
        review_first=raw.part_cues.review_first,
        review=raw.part_cues.review,
        plan=raw.part_cues.plan,
        kicker=raw.kicker_cues,
        marker_year=raw.part_marker_year_chars,
        marker_max=raw.part_marker_max_chars,
        strong=pt.strong,
        weak=pt.weak,
        weak_needed=pt.weak_needed,
        line=_line_rules(raw.line_layout),
        run_in=_run_in_rules(raw.run_in),
        full_run_in=_full_run_in_rules(raw.full_run_in),
        pair_first=re.compile(raw.pair_first_half),
        byline=re.compile(seg.byline),
        byline_name=re.compile(seg.byline_name),
    )
