"""Quantities to numeric facts: the orchestration of the decisions, one per module."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import fields, replace
from operator import attrgetter

from heping_data.extract.facts.borrow import borrow
from heping_data.extract.facts.clean import (
    NOISE,
    blank,
    cap_left,
    cap_right,
    clean,
    clean_left,
    drop_lists,
    numeral_free,
)
from heping_data.extract.facts.context import context_metric, table_label
from heping_data.extract.facts.inferred import infer
from heping_data.extract.facts.kind import cue_target, plan_amount, plan_start, population
from heping_data.extract.facts.metric import Num, clause_metrics, single_metric
from heping_data.extract.facts.passes import drop_relative, from_to, level_lists, respectively
from heping_data.extract.facts.patterns import DUN, NUM_OR_DUN, YEAR
from heping_data.extract.facts.rank import rank_metric, ratio_metric, ratio_part
from heping_data.extract.facts.role import role_of
from heping_data.extract.facts.rules import rules
from heping_data.extract.facts.scan import Scan
from heping_data.extract.facts.year import due_year, report_year
from heping_data.records import Document, NumberMention, NumericFact, Section, Sentence

_START = attrgetter("start")


_FACT_FIELDS = (
    "mention",
    "metric",
    "kind",
    "role",
    "section_index",
    "sentence_index",
    "period_year",
    "inferred_value",
    "inferred_how",
)


# A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which is a
# tenth of the step's time at one fact per ~25 characters; filling `__dict__` in one go
# gives an equal object. Only while the record has exactly these fields and no hook.
_FAST_FACT = (
    tuple(f.name for f in fields(NumericFact)) == _FACT_FIELDS
    and not hasattr(NumericFact, "__post_init__")
    and not hasattr(NumericFact, "__slots__")
)


_new = object.__new__


_set = object.__setattr__


def extract_facts(
    doc: Document,
    sections: tuple[Section, ...],
    sentences: tuple[Sentence, ...],
    mentions: list[NumberMention] | tuple[NumberMention, ...],
) -> tuple[NumericFact, ...]:
    """One fact per quantity mention, in text order, with metric, kind, role and year."""
    text = doc.text
    quants = sorted([m for m in mentions if m.cls == "quantity"], key=_START)
    if not quants:
        return ()
    ru = rules()
    scan = Scan.of(text)
    scan.quant_starts = [m.start for m in quants]
    mtext = blank(text, mentions, ru.base_year_before)  # same offsets, years and dates blanked
    sec_sorted = sorted(sections, key=lambda s: s.span_start)
    sec_starts = [s.span_start for s in sec_sorted]
    sent_starts = [s.start for s in sentences]
    plan_at = plan_start(doc, sections, sentences)
    ryear = report_year(doc)
    # a base year (`比2020年下降14.5%`) is what the number is compared with, not its time
    year_mentions = sorted(
        (
            m
            for m in mentions
            if m.cls == "year"
            and not text.endswith(ru.base_year_before, max(0, m.start - 2), m.start)
        ),
        key=lambda m: m.start,
    )
    year_starts = [m.start for m in year_mentions]
    # goal lists (`主要预期目标是：…；…。`): spans whose figures are all targets
    goal_spans = [g.span() for g in ru.goal_list_re.finditer(text)] if plan_at > 0 else []
    goal_starts = [g[0] for g in goal_spans]

    # clause of each quantity, role, then metrics clause by clause
    hard, n_hard, n_text = scan.hard, len(scan.hard), len(text)
    clauses = []  # `Scan.clause`, inlined: one per quantity
    for m in quants:
        hi = bisect_left(hard, m.start)
        hj = bisect_left(hard, m.end, hi)
        clauses.append((hard[hi - 1] + 1 if hi else 0, hard[hj] if hj < n_hard else n_text))
    # a run-in heading glued to its body (`项目建设提质提速全年实施…`) is no part of a clause
    head_ends = sorted(
        x.char_end for x in sections if x.char_end is not None and x.char_start is not None
    )
    if head_ends:
        for k, m in enumerate(quants):
            cs, ce = clauses[k]
            hk = bisect_right(head_ends, m.start) - 1
            if hk >= 0 and cs < head_ends[hk] <= m.start:
                clauses[k] = (head_ends[hk], ce)
    roles = [role_of(text, m, ce) for m, (_, ce) in zip(quants, clauses, strict=True)]
    metrics: list[str] = [""] * len(quants)
    subject_only: set[int] = set()
    i = 0
    n_q = len(quants)
    while i < n_q:
        cl = clauses[i]
        cs, ce = cl
        if (i + 1 == n_q or clauses[i + 1] != cl) and text.find(DUN, cs, ce) < 0:
            # most clauses hold one number and no list: skip the list machinery
            if roles[i] != "qualifier":
                m = quants[i]
                met, subj_only = single_metric(mtext, cs, ce, m)
                metrics[i] = met
                if subj_only:
                    subject_only.add(i)
            i += 1
            continue
        j = i
        nums: list[Num] = []
        while j < n_q and clauses[j] == cl:
            m = quants[j]
            s, e = max(m.start, cs), min(m.end, ce)
            nums.append(Num(j, s - cs, e - cs, roles[j] == "qualifier", numeral_free(m)))
            j += 1
        duns = scan.duns(cs, ce)
        for a, b in zip(quants[i:j], quants[i + 1 : j], strict=False):
            if text[a.end : b.start] in ru.list_joiners:
                duns.append(a.end)  # `增长5.3%和6.8%` lists numbers like `、`
        got, subj = clause_metrics(mtext[cs:ce], cs, sorted(set(duns)), nums)
        subject_only |= subj
        for k, v in got.items():
            metrics[k] = v
        i = j

    from_to(text, mtext, quants, clauses, roles, metrics, ru)

    facts: list[NumericFact] = []
    colons, colon_reach = scan.colons, scan.colon_reach
    # rule fields read once per fact, hoisted out of the loop
    part_marks, milestone_rx, short_len = ru.ratio_part_marks, ru.milestone_rx, ru.short_len
    bare_verb_rx = ru.bare_verb_rx
    share_lead, compare_lead, multi_year_rx = ru.share_lead, ru.compare_lead, ru.multi_year_rx
    ratio_units, target_re = ru.ratio_units, ru.target_re
    share_or_compare = share_lead + compare_lead
    share_suffix, streak_units = ru.share_suffix, ru.streak_units
    lead_first = frozenset(
        w[0] for w in ru.event_outcomes + ru.consequence_verbs + ru.project_actions
    )
    rate_mark = ru.rate_mark
    streaks: dict[int, str] = {}
    my_s0, my_hit = -1, None  # linear time: never rescan a sentence from its start per number
    for k, m in enumerate(quants):
        ms = m.start
        cs, ce = clauses[k]
        si = bisect_right(sent_starts, ms) - 1
        sent = sentences[si] if si >= 0 else None
        s0 = sent.start if sent else cs
        met = metrics[k]
        role = roles[k]
        lab = ""
        if colons:
            ci = bisect_left(colons, ms) - 1
            if ci >= 0 and colon_reach[ci] >= ms:  # else `label` would give ""
                lab = table_label(scan, ms, ru)
        if role == "qualifier":
            # the threshold measures the noun it defines (`**亿元以上重点项目` → 重点项目)
            tail = mtext[m.end : ce]
            for w in ru.threshold_after:
                if tail.startswith(w):
                    tail = tail[len(w) :]
                    break
            tail = NUM_OR_DUN.split(tail, maxsplit=1)[0].removeprefix("的")
            noun = "" if tail.startswith(ru.left_tail_strip) else clean(drop_lists(tail))
            pv = ru.predicate_verbs.search(noun)
            if pv and pv.start() >= 2:
                noun = noun[: pv.start()]
            adv = ru.noun_end_adverbs.search(noun, 2) if noun else None
            if adv:
                noun = noun[: adv.start()]  # `自然村全部通硬化路` → 自然村
            if noun:
                noun = clean_left(noun)  # `企业增至` → 企业
            left_raw = mtext[max(cs, ms - ru.left_cap_combined) : ms]
            left = clean_left(drop_lists(left_raw))
            # what the threshold bounds: a dimension word just before it, else its unit's
            dim = next((d for d in ru.threshold_dims if left.endswith(d)), "")
            elided = ""
            if not dim and facts and facts[-1].mention.start >= s0:
                # `收入全部超过5万元，其中超过50万元的村`: the dimension is the earlier
                # figure's metric when that figure has the same unit
                pf = facts[-1]
                pm = pf.metric or ""
                if pf.mention.unit == m.unit and pm.endswith(ru.threshold_elided):
                    elided = pm
            if elided:
                lead = cap_right(noun, 8) if noun and noun not in elided else ""
                met = lead + elided + ru.threshold_suffix
            elif noun:
                dim = dim or ru.threshold_unit_dim.get(m.unit or "", "")
                met = cap_right(noun, 8) + dim + (ru.threshold_suffix if dim else "")
            elif dim:
                met = left + ru.threshold_suffix
            else:
                dim = ru.threshold_unit_dim.get(m.unit or "", "")
                met = left + (dim + ru.threshold_suffix if dim else numeral_free(m)[-1:])
        elif lab:
            # a table line: its label heads every number on it unless the clause names more
            if len(met) <= ru.label_weak_len and lab not in met:
                met = lab + met
        elif met and milestone_rx.fullmatch(met):
            met = borrow(mtext, scan, "", m, cs, s0, facts, ru)  # 迈上N亿元新台阶
        elif met and bare_verb_rx.fullmatch(met):
            met = borrow(mtext, scan, met, m, cs, s0, facts, ru)  # 较上年新增N, 净增N
        elif (
            not met
            or (len(met) <= short_len and k in subject_only)
            or met.startswith(share_or_compare)
            or ru.period_change_rx.match(met)
        ):
            met = borrow(mtext, scan, met, m, cs, s0, facts, ru)
        if not met:
            # never no metric: the nearest words before the number, else after it
            met = cap_left(
                clean(drop_lists(mtext[max(0, ms - ru.left_cap_combined * 2) : ms])),
                ru.left_cap_combined,
            ) or cap_right(clean(drop_lists(mtext[m.end : m.end + ru.right_cap])), 8)
        if (ms and text[ms - 1] in part_marks) or (m.end < n_text and text[m.end] in part_marks):
            met = ratio_part(text, m, s0, quants, k, ru) or met
        if role == "rank":
            met = rank_metric(met, s0, cs, facts, ru, mtext[cs:ms])
        elif m.unit in ratio_units and (
            met.startswith(ru.ratio_lead)
            or NOISE.sub("", mtext[cs:ms]).startswith(ru.ratio_lead)
            or NOISE.sub("", mtext[cs:ms]) in ru.ratio_alone
        ):
            met = ratio_metric(text, met, m, cs, s0, facts, ru)
        if role == "measure" and (
            (met and (met[0] in lead_first or met[-1] == rate_mark or met.endswith(share_suffix)))
            or m.unit in streak_units
        ):
            met = context_metric(text, met, m, k, quants, cs, ce, s0, facts, streaks, ru)
        # kind: the part of the report, overridden by cue words near the number
        if ms >= plan_at:
            clause_txt = text[cs:ce]
            actual = ru.actual_re.search(clause_txt) and not cue_target(clause_txt)
            if actual and ru.actual_blocker_re.search(clause_txt):
                actual = ru.actual_re.search(ru.actual_blocker_re.sub("", clause_txt))
            kind = "actual" if actual else "target"
        else:
            # cues reach back over the clause, never past an earlier number
            # (`计划120公里，完成136公里`: 计划 belongs to the first)
            pre_from = max(s0, min(cs, ms - 12))
            if k and quants[k - 1].end > pre_from:
                pre_from = quants[k - 1].end
            # (the cue pattern is plain words: searching in place equals searching a slice)
            hit = target_re.search(text, pre_from, ms)
            kind = "target" if hit and cue_target(text[pre_from:ms]) else "actual"
            if kind == "actual" and hit and plan_amount(text, cs, ms, ru):
                kind = "target"  # `年度计划投资1200亿元`: the amount the plan sets
            if (
                kind == "actual"
                and facts
                and facts[-1].kind == "target"
                and facts[-1].mention.start >= s0
                and clauses[k - 1] != (cs, ce)
                and not ru.carry_block_re.search(text, cs, ce)
            ):
                # `力争增长6%，新开工项目20个`: the goal cue governs the list of goals
                # that follows it in its sentence (not `计划120公里，完成136公里`)
                kind = "target"
            if kind == "actual" and goal_spans:
                gi = bisect_right(goal_starts, ms) - 1
                if gi >= 0 and ms < goal_spans[gi][1] and not ru.actual_re.search(text, cs, ce):
                    kind = "target"  # inside a `主要预期目标是：…；…` list
        pop = population(mtext, m, ru)
        if pop:
            met, kind = pop, "actual"  # `为1000万保定人民创造…`: a place's people, as they are
        # year: the sentence's own year before the number, else the report's (plan: +1)
        year = ryear + 1 if (ryear is not None and kind == "target") else ryear
        if s0 != my_s0:  # first multi-year cue of the sentence, found once per sentence
            my_s0, my_hit = s0, multi_year_rx.search(text, s0, sent.end if sent else ce)
        if my_hit is not None and my_hit.end() <= ms:
            year = None  # `“十四五”期间…`, `五年来…`: a span of years, not one year
        yi = bisect_right(year_starts, ms) - 1
        if yi >= 0 and year_mentions[yi].start >= s0:
            ym = year_mentions[yi]
            yv = ym.value
            if yv is None:
                g = YEAR.match(ym.text)
                yv = int(g.group(1)) if g else None
            year = int(yv) if yv is not None else None
            if year is not None and ryear is not None:
                # `到2025年…` names a future year; `2022年…` in the plan looks back
                kind = "target" if year > ryear else "actual"
            elif year is not None and due_year(text, ym.start, ru):
                kind = "target"  # `到2025年，…`: a year a goal is due, whatever the report's
        iv, how = infer(text, m, scan) if m.is_masked else (None, None)
        sec_i = bisect_right(sec_starts, ms) - 1
        sec_index = (
            sec_sorted[sec_i].index if sec_i >= 0 else (sec_sorted[0].index if sec_sorted else 0)
        )
        if _FAST_FACT:
            f = _new(NumericFact)
            _set(
                f,
                "__dict__",
                {
                    "mention": m,
                    "metric": met or None,
                    "kind": kind,
                    "role": role,
                    "section_index": sec_index,
                    "sentence_index": sent.index if sent else None,
                    "period_year": year,
                    "inferred_value": iv,
                    "inferred_how": how,
                },
            )
        else:
            f = NumericFact(
                m, met or None, kind, role, sec_index, sent.index if sent else None, year, iv, how
            )
        facts.append(f)
    for k, met in streaks.items():
        facts[k] = replace(facts[k], metric=met)
    respectively(text, mtext, clauses, sent_starts, facts, ru)
    level_lists(mtext, facts, ru)
    drop_relative(mtext, clauses, facts)
    return tuple(facts)
