"""Kind of a fact: actual (done) or target (planned), from the report part and cue words."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from heping_data.extract import outline as _outline
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import DocState
from heping_data.records import Document, NumberMention, Section, Sentence


def plan_start(doc: Document, sections: tuple[Section, ...], sents: tuple[Sentence, ...]) -> int:
    """Offset where the plan part starts (len(text) when the report has no plan part).

    A top-level section of no known part that follows the review and comes before the plan
    (`阔步迈上新征程` between `2022年工作回顾` and `2023年主要工作`) looks ahead: it opens the
    plan part."""
    at = _plan_start_outline(doc, sections, sents)
    prev_part = None
    for s in sections:
        if s.level != 1 or s.span_start >= at:
            continue
        if s.part is None and prev_part == "review":
            return s.span_start
        prev_part = s.part
    return at


def _plan_start_outline(
    doc: Document, sections: tuple[Section, ...], sents: tuple[Sentence, ...]
) -> int:
    """Offset where the outline (or a plan marker) puts the start of the plan part."""
    fn = getattr(_outline, "plan_start", None)
    if fn is not None:
        try:
            got = fn(doc, sections)
        except Exception:  # an outline bug must not lose every fact
            got = None
        if got is not None:
            return int(got)
    for s in sections:
        if s.part == "plan":
            return s.span_start
    if any(s.part == "review" for s in sections):
        return len(doc.text)
    # No parts known: the first sentence that opens with a plan marker, past the first third
    # (or anywhere after the body starts when a news summary's attribution opens it).
    ru = rules()
    text = doc.text
    body0 = doc.body_start
    body1 = doc.body_end or len(text)
    floor = body0 + (body1 - body0) // 3
    for st in sents:
        if st.start < body0:
            continue
        lead = text[st.start : min(st.end, st.start + ru.plan_marker_window)]
        if not ru.plan_markers.search(lead):
            continue
        if st.start < floor and not lead.lstrip().startswith(ru.plan_leads):
            continue
        if ru.report_parts_sentence_re.search(text, st.start, st.end):
            continue  # `报告共分两部分：过去一年的主要工作、…的主要任务` names every part
        return st.start
    return len(text)


def plan_amount(text: str, cs: int, ms: int, ru: Rules) -> bool:
    """True when the number is the amount a year's plan sets, not a report of it done."""
    if not ru.plan_amount_re.search(text, cs, ms):
        return False
    return not any(w in text[cs:ms] for w in ru.plan_amount_blockers)


#: Units of a count that may state a population (the caller tests this first: most have none).
POPULATION_UNITS = frozenset({None, "", "人"})


def population(text: str, m: NumberMention, ru: Rules) -> str:
    """`1000万保定人民`: a bare count before a place and its people states that place's
    population (保定人口), in the review and the plan alike; empty when it is not one."""
    if m.unit not in POPULATION_UNITS:
        return ""
    got = ru.population_re.match(text, m.end)
    if got is None or (got.start() == got.end() and m.unit != "人"):
        return ""
    return got.group() + ru.population_suffix


def report_parts(text: str, m: NumberMention, ru: Rules) -> str:
    """`报告共分三部分`: the metric of a count of a document's own parts (报告组成部分),
    a fact about the document as it stands; empty when the count is not one."""
    if m.unit not in ru.report_part_units:
        return ""
    got = ru.report_parts_re.search(text, max(0, m.start - 8), m.start)
    return got.group(1) + ru.report_parts_suffix if got else ""


def cue_target(clause: str, ru: Rules) -> bool:
    """A goal cue that is not part of a phrase reporting an achievement."""
    if not ru.target_re.search(clause):
        return False
    return bool(ru.target_re.search(ru.blocker_re.sub("", clause)))


@dataclass(slots=True)
class Parts:
    """Where a document's plan part starts and its goal lists (`主要预期目标是：…`)."""

    plan_at: int
    goal_spans: list[tuple[int, int]]
    goal_starts: list[int]

    @classmethod
    def of(
        cls, doc: Document, sections: tuple[Section, ...], sents: tuple[Sentence, ...], ru: Rules
    ) -> Parts:
        plan_at = plan_start(doc, sections, sents)
        goals = [g.span() for g in ru.goal_list_re.finditer(doc.text)] if plan_at > 0 else []
        return cls(plan_at, goals, [g[0] for g in goals])


def kind_of(d: DocState, parts: Parts, k: int, cs: int, ce: int, s0: int, ru: Rules) -> str:
    """actual or target: the part of the report, overridden by cue words near the number.

    In the review part a figure is a target only by a goal cue before it, a plan's amount,
    a goal carried over from its sentence, or a goal list around it."""
    text, ms = d.text, d.quants[k].start
    if ms >= parts.plan_at:
        # in the plan part a clause is a target unless an actual cue reports the past (and
        # is not only the base of a comparison, `较上年下降10%`)
        # (plain words: searching in place equals searching the clause's slice)
        if not ru.actual_re.search(text, cs, ce):
            return "target"
        clause = text[cs:ce]
        if cue_target(clause, ru):
            return "target"
        if ru.actual_blocker_re.search(clause):
            return (
                "actual" if ru.actual_re.search(ru.actual_blocker_re.sub("", clause)) else "target"
            )
        return "actual"
    # cues reach back over the clause, never past an earlier number
    # (`计划120公里，完成136公里`: 计划 belongs to the first)
    pre_from = cs if cs < ms - 12 else ms - 12
    if pre_from < s0:
        pre_from = s0
    if k and d.quants[k - 1].end > pre_from:
        pre_from = d.quants[k - 1].end
    # (the cue pattern is plain words: searching in place equals searching a slice)
    if ru.target_re.search(text, pre_from, ms) and (
        cue_target(text[pre_from:ms], ru) or plan_amount(text, cs, ms, ru)
    ):
        return "target"  # `年度计划投资1200亿元`: the amount the plan sets
    facts = d.facts
    if (
        facts
        and facts[-1].kind == "target"
        and facts[-1].mention.start >= s0
        and d.clauses[k - 1] != (cs, ce)
        and not ru.carry_block_re.search(text, cs, ce)
    ):
        # `力争增长6%，新开工项目20个`: the goal cue governs the list of goals
        # that follows it in its sentence (not `计划120公里，完成136公里`)
        return "target"
    if parts.goal_spans:
        gi = bisect_right(parts.goal_starts, ms) - 1
        if gi >= 0 and ms < parts.goal_spans[gi][1] and not ru.actual_re.search(text, cs, ce):
            return "target"  # inside a `主要预期目标是：…；…` list
    return "actual"
