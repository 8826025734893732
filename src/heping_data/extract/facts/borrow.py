"""A short or generic metric borrows the subject its sentence left implicit."""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from heping_data.extract.facts.clean import (
    CLEAN_CACHE,
    cap_left,
    clean,
    cut_word,
    drop_lists,
    strip_leads,
    strip_light,
)
from heping_data.extract.facts.lists import after_deng
from heping_data.extract.facts.patterns import HAS_NUM, LEAD_YEAR
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import Scan
from heping_data.records import NumberMention, NumericFact

#: The centuries `LEAD_YEAR` opens with (a cheap pre-test: most metrics have no year).
_YEAR_LEADS = ("19", "20")


def prev_metric(
    facts: list[NumericFact], s0: int, cs: int, ru: Rules, *, rank_ok: bool = False
) -> str | None:
    """The metric of the nearest earlier fact of the sentence outside this clause, without
    a trailing change word; None when that fact is a rank (a place names no subject, unless
    ``rank_ok``: `第9名，连续五年跻身前十` ranks the same thing again)."""
    for f in reversed(facts):
        if f.mention.start < s0:
            return ""
        if f.mention.start >= cs:
            continue
        if f.role == "rank" and not rank_ok:
            return None
        return cut_word((f.metric or "").removesuffix(ru.rank_suffix), ru.change_by_last)
    return ""


def borrow(
    text: str,
    scan: Scan,
    met: str,
    m: NumberMention,
    cs: int,
    s0: int,
    facts: list[NumericFact],
    ru: Rules,
) -> str:
    """Give a short metric the subject it leaves implicit.

    `总量达到N` takes the previous fact's metric; a short phrase after a short numberless
    clause of the same sentence (`华润万象汇开业当天，客销售额突破N`) takes that clause.
    """
    bare, from_prev = _route(met)
    if from_prev:
        got = _from_prev_fact(met, bare, s0, facts, ru)
        if got is not None:
            return got
        if bare and cs - 1 > s0:
            # `实施“规上企业倍增计划”，新增78家`: a bare verb before the first figure of
            # its sentence acts on what the clause before names
            subj = _clause_subject(text, scan, cs, s0, facts, ru, generic=True)
            return (subj + met)[: ru.max_len] if subj else met
        if met not in ru.generic_heads:
            return met
        # `认真办理人大代表建议和政协提案，全年办结率保持100%`: with no earlier figure in
        # the sentence, a generic head is of what the clause before it acts on
        return _from_clause(text, scan, met, cs, s0, facts, ru, generic=True)
    return _from_clause(text, scan, met, cs, s0, facts, ru, generic=False)


@lru_cache(maxsize=CLEAN_CACHE)
def _route(met: str) -> tuple[bool, bool]:
    """Whether ``met`` is a bare verb (`新增`) and whether it takes the previous fact's
    subject (a generic head, a bare verb, a change or comparison lead). Why cached: pure
    in the phrase, and the same few phrases borrow again and again."""
    ru = rules()
    bare = bool(met) and met[-1] in ru.bare_last and ru.bare_verb_rx.fullmatch(met) is not None
    from_prev = (
        met in ru.generic_heads
        or not met
        or bare
        or met.startswith(ru.borrow_leads)
        or ru.period_change_rx.match(met) is not None
    )
    return bare, from_prev


def _from_prev_fact(
    met: str, bare: bool, s0: int, facts: list[NumericFact], ru: Rules
) -> str | None:
    """The previous fact's subject (less its change word or verb) before ``met``; None
    when no earlier fact of the sentence has a metric."""
    prev = facts[-1] if facts else None
    if prev and len(facts) > 1 and prev.metric and prev.metric.endswith(ru.ratio_suffix):
        prev = facts[-2]  # `是2017年的4.3倍，五年年均增长N%`: the change is of the subject
    if not (prev and prev.metric and prev.mention.start >= s0):
        return None
    return _lend(prev.metric, prev.role == "rank", met, bare)


#: Entries of the lending cache: pairs of short phrases, bounded like ``clean``'s.
LEND_CACHE = CLEAN_CACHE // 4


@lru_cache(maxsize=LEND_CACHE)
def _lend(prev_metric: str, prev_rank: bool, met: str, bare: bool) -> str:
    """``met`` headed by the subject of the previous fact's metric. Why cached: pure in
    these strings (rules are fixed per process), and a report's subjects and change words
    recur (`地区生产总值` + `增长`), like ``clean``'s pieces."""
    ru = rules()
    base = strip_light(prev_metric) if met.startswith(ru.change_words) else prev_metric
    if base.startswith(_YEAR_LEADS):
        base = LEAD_YEAR.sub("", base)  # `2023年地区生产总值` → its change has no year
    if prev_rank:
        # `位居全市第一，较上年前移4位`: the change is of the place, not of `位居`
        base = ru.rank_before.sub("", base) or base
    base = cut_word(base, ru.change_by_last)
    if bare:
        # `新开工N个、竣工N个`: the earlier figure's verb gives way to this one
        base = cut_word(base, ru.bare_by_last, 2)
    if len(base) + len(met) > ru.max_len and len(met) < ru.max_len - 1:
        # too long for both: the clause's own words stay whole, the borrowed
        # subject loses its front (never `…提速比法定审` cut inside the comparison)
        return cap_left(base, ru.max_len - len(met)) + met
    return (base + met)[: ru.max_len]


def _from_clause(
    text: str,
    scan: Scan,
    met: str,
    cs: int,
    s0: int,
    facts: list[NumericFact],
    ru: Rules,
    *,
    generic: bool,
) -> str:
    """The subject a numberless clause before lends (or lent to the figure just before)."""
    if cs - 1 <= s0 or met.startswith(ru.complete_verbs):
        return met
    subj = _clause_subject(text, scan, cs, s0, facts, ru, generic=generic)
    if subj and met[:2] in subj:
        return met  # `开展“亩均论英雄”评价，亩均税收达到N`: the metric names its own subject
    if subj:
        return (subj + met)[: ru.max_len]
    if generic or not facts or facts[-1].mention.start < s0:
        return met
    # `持续推进X，投资N，实施项目M`: the subject lent to the figure just before carries on
    pcs = max(scan.clause(cs - 2, cs - 1)[0], s0)
    prev = facts[-1]
    if pcs - 1 <= s0 or prev.mention.start < pcs or not prev.metric:
        return met
    lent = _clause_subject(text, scan, pcs, s0, facts[:-1], ru, generic=False)
    if lent and prev.metric.startswith(lent) and len(prev.metric) > len(lent):
        return (lent + met)[: ru.max_len]
    return met


def _clause_subject(
    text: str,
    scan: Scan,
    cs: int,
    s0: int,
    facts: list[NumericFact],
    ru: Rules,
    *,
    generic: bool,
) -> str:
    """The subject the numberless clause right before ``cs`` lends (empty when none)."""
    pcs, pce = scan.clause(cs - 2, cs - 1)
    pcs = max(pcs, s0)
    if pce != cs - 1 or text[pce] not in ru.borrow_across:
        return ""
    prev_clause = text[pcs:pce]
    if facts and facts[-1].mention.start >= pcs:
        return ""
    if HAS_NUM.search(prev_clause):
        return ""
    # `持续推进白洋淀上游流域综合治理，投资N`: a clause opening with effort adverbs and a
    # verb of action names what it acts on once they are off its front
    # (what is left must name something: `持续火爆` leaves no object)
    bare = strip_leads(prev_clause.lstrip(), ru.clause_lead_verbs)
    if len(bare) != len(prev_clause.lstrip()):
        if len(bare) < ru.lent_object_min:
            return ""
        prev_clause = bare
    if prev_clause.lstrip().startswith(ru.borrow_not_opening) or any(
        w in prev_clause for w in ru.borrow_not_from
    ):
        return ""  # `在实际工作中争取更好结果，…`: effort or manner, no subject
    if prev_clause.rstrip().endswith(("”", "」", "》")) and "、" in prev_clause:
        return ""  # `企业设立实现“一网通办、…”，市场主体…`: a quoted object, no subject
    if (
        prev_clause.lstrip()[:1] in ru.deal_partner_marks
        and "等" in prev_clause
        and "、" in prev_clause
    ):
        # `与国开行、农发行等省级机构签订战略协议，授信总额N`: a deal with listed partners
        # lends the deal with their category (省级机构签订战略协议)
        prev_clause = after_deng(prev_clause, False)[0]
    pc = clean(drop_lists(prev_clause))
    if generic:
        pc = strip_leads(pc, ru.clause_lead_verbs)
        return pc if 2 <= len(pc) <= ru.borrow_clause_max + 4 else ""
    return pc if 0 < len(pc) <= ru.borrow_clause_max else ""


def plan_items(text: str, scan: Scan, met: str, cs: int, s0: int, ru: Rules) -> str:
    """`推进路网建设三年行动计划，落实十大重点任务`: the items counted are the plan's, named
    by the numberless clause right before (路网建设三年行动计划重点任务); ``met`` when
    that clause names no plan or the count's clause opens with more than a verb."""
    if cs - 1 <= s0:
        return met
    # the clause opens with its counts, after at most a verb (`落实十大…`, not `明确“…”*大方面`)
    q0 = scan.quant_starts[bisect_left(scan.quant_starts, cs)]
    if strip_leads(text[cs:q0].strip(), ru.clause_lead_verbs):
        return met
    pcs, pce = scan.clause(cs - 2, cs - 1)
    if pce != cs - 1 or pcs < s0 or text[pce] not in ru.borrow_across:
        return met
    plan = strip_leads(text[pcs:pce].strip(), ru.clause_lead_verbs)
    if (
        not plan.endswith(ru.plan_name_ends)
        or len(plan) > ru.borrow_clause_max
        or HAS_NUM.search(plan)
        or plan != clean(plan)
    ):
        return met
    return (plan + strip_leads(met, ru.clause_lead_verbs))[: ru.max_len]
