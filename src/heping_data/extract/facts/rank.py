"""Metrics of ranks (what is ranked and where) and of ratios (`是上年的1.8倍`)."""

from __future__ import annotations

from heping_data.extract.facts.borrow import prev_metric
from heping_data.extract.facts.clean import NOISE, clean_left, strip_leads
from heping_data.extract.facts.patterns import CN_NUM_TAIL
from heping_data.extract.facts.rules import Rules
from heping_data.records import NumberMention, NumericFact


def rank_metric(
    met: str, s0: int, cs: int, facts: list[NumericFact], ru: Rules, before: str = ""
) -> str:
    """What is ranked and where: `总量稳居全市第二` after `地区生产总值达到N` →
    地区生产总值全市排名; `营商环境评价位居全省第2名` → 营商环境评价全省排名.

    ``before`` is the clause up to the number (years and dates blanked): with no ranking
    verb, a scope word in it splits subject and scope (`新开工面积连续三年全省第一`)."""
    v = ru.rank_scope_rx.search(met)
    if not v:
        return _scoped_rank(met, s0, cs, facts, ru, before)
    subject, scope = met[: v.start()], met[v.end() :]
    scope = scope.removesuffix("前")
    for w in ru.rank_adverbs:
        subject = subject.removesuffix(w)
    for w in ru.self_refs:
        subject = subject.removesuffix(w)  # `…中，我市位列第4名`: the report's own place
    frame = ru.rank_frame.fullmatch(subject)
    if frame:
        subject = frame.group(1)  # `在全省营商环境评价中` → 全省营商环境评价
    if not subject or subject in ru.generic_heads:
        prev = prev_metric(facts, s0, cs, ru, rank_ok=not scope)
        if prev is None:
            subject = ""
        elif prev:
            subject = prev
    return (subject + scope)[: ru.max_len] + ru.rank_suffix


def _scoped_rank(
    met: str, s0: int, cs: int, facts: list[NumericFact], ru: Rules, before: str
) -> str:
    """A place with a scope and no ranking verb: `制造业质量竞争力指数连续10年全省第一` →
    制造业质量竞争力指数全省排名; `…占北京市场22.1%，全省第一` ranks the figure before it."""
    raw = NOISE.sub("", before)
    scope = next((w for w in ru.rank_scopes if raw.endswith(w)), "")
    if not scope:
        return met
    subject = clean_left(raw[: -len(scope)])
    changed = True
    while changed and subject:
        # `连续三年`, `均为`: how long or how many, not what is ranked
        changed = False
        tail = CN_NUM_TAIL.search(subject)
        if tail and tail.start() > 0:
            subject, changed = subject[: tail.start()], True
        for w in (*ru.rank_adverbs, *ru.streak_cues, *ru.streak_units, *ru.rank_fillers):
            if subject.endswith(w):
                subject, changed = subject[: -len(w)], True
    subject = strip_leads(subject, ru.rank_adverbs)
    if len(subject) < 2 or subject in ru.generic_heads:
        # the figure just before it in the sentence is what is ranked
        prev = prev_metric(facts, s0, cs + len(before), ru, rank_ok=True)
        if prev and not prev.endswith(ru.rank_suffix):
            subject = prev + (subject if len(subject) >= 2 and subject not in prev else "")
    return (subject + scope)[: ru.max_len] + ru.rank_suffix


def ratio_metric(
    text: str, met: str, m: NumberMention, cs: int, s0: int, facts: list[NumericFact], ru: Rules
) -> str:
    """`收入达到N，是上年的1.8倍` compares the previous fact with a base: 收入与上年之比."""
    prev = prev_metric(facts, s0, cs, ru)
    if not prev:
        return met
    raw = text[cs : m.start]
    base = ""
    for w in (*ru.ratio_lead, *ru.ratio_alone):
        k = raw.rfind(w)
        if k >= 0:
            base = raw[k + len(w) :].removesuffix("的")
            break
    return prev + ("与" + base + ru.ratio_suffix if base else "")


def ratio_part(
    text: str, m: NumberMention, s0: int, quants: list[NumberMention], k: int, ru: Rules
) -> str:
    """`三次产业结构为18.6∶39.2∶42.2`: the i-th part of a named structure."""
    i = 0
    while k - i > 0:
        p = quants[k - i - 1]
        gap = text[p.end : quants[k - i].start]
        if len(gap) != 1 or gap not in ru.ratio_part_marks:
            break
        i += 1
    head = text[s0 : quants[k - i].start]
    best = -1
    names: tuple[str, ...] = ()
    for key, parts in ru.ratio_parts.items():
        at = head.rfind(key)
        if at > best:
            best, names = at, parts
    if best < 0 or i >= len(names):
        return ""
    return names[i] + ru.ratio_part_suffix
