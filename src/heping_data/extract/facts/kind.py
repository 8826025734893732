"""Kind of a fact: actual (done) or target (planned), from the report part and cue words."""

from __future__ import annotations

from heping_data.extract import outline as _outline
from heping_data.extract.facts.rules import Rules, rules
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
    # No parts known: the first sentence that opens with a plan marker, past the first third.
    ru = rules()
    body0 = doc.body_start
    body1 = doc.body_end or len(doc.text)
    floor = body0 + (body1 - body0) // 3
    for st in sents:
        if st.start < floor:
            continue
        lead = doc.text[st.start : min(st.end, st.start + ru.plan_marker_window)]
        if ru.plan_markers.search(lead):
            return st.start
    return len(doc.text)


def plan_amount(text: str, cs: int, ms: int, ru: Rules) -> bool:
    """True when the number is the amount a year's plan sets, not a report of it done."""
    if ru.plan_amount_re is None or not ru.plan_amount_re.search(text, cs, ms):
        return False
    return not any(w in text[cs:ms] for w in ru.plan_amount_blockers)


def population(text: str, m: NumberMention, ru: Rules) -> str:
    """`1000万保定人民`: a bare count before a place and its people states that place's
    population (保定人口), in the review and the plan alike; empty when it is not one."""
    if ru.population_re is None or m.unit not in (None, "", "人"):
        return ""
    got = ru.population_re.match(text, m.end)
    if got is None or (got.start() == got.end() and m.unit != "人"):
        return ""
    return got.group() + ru.population_suffix


def cue_target(clause: str) -> bool:
    ru = rules()
    if not ru.target_re.search(clause):
        return False
    return bool(ru.target_re.search(ru.blocker_re.sub("", clause)))
