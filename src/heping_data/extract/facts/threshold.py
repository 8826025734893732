"""The metric of a qualifier: a threshold measures the noun it defines, on a dimension.

`**亿元以上重点项目` → 重点项目投资额门槛: the noun after the threshold word, the dimension
written just before the number (else the earlier figure's, else the one its unit implies)
and the threshold suffix.
"""

from __future__ import annotations

from heping_data.extract.facts.clean import cap_right, clean, clean_left, drop_lists, numeral_free
from heping_data.extract.facts.patterns import NUM_OR_DUN
from heping_data.extract.facts.rules import Rules
from heping_data.records import NumberMention, NumericFact


def _defined_noun(tail: str, ru: Rules) -> str:
    """The noun right after a threshold (`以上重点项目建成投产` → 重点项目)."""
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
    return noun


def _elided(m: NumberMention, s0: int, facts: list[NumericFact], ru: Rules) -> str:
    """`收入全部超过5万元，其中超过50万元的村`: the dimension is the earlier figure's metric
    when that figure, in the same sentence, has the same unit."""
    if not facts or facts[-1].mention.start < s0:
        return ""
    pf = facts[-1]
    pm = pf.metric or ""
    if pf.mention.unit == m.unit and pm.endswith(ru.threshold_elided):
        return pm
    return ""


def threshold_metric(
    mtext: str, m: NumberMention, cs: int, ce: int, s0: int, facts: list[NumericFact], ru: Rules
) -> str:
    """The threshold measures the noun it defines (`**亿元以上重点项目` → 重点项目…门槛)."""
    ms = m.start
    noun = _defined_noun(mtext[m.end : ce], ru)
    left_raw = mtext[max(cs, ms - ru.left_cap_combined) : ms]
    left = clean_left(drop_lists(left_raw))
    # what the threshold bounds: a dimension word just before it, else its unit's
    dim = next((d for d in ru.threshold_dims if left.endswith(d)), "")
    elided = "" if dim else _elided(m, s0, facts, ru)
    if elided:
        lead = cap_right(noun, 8) if noun and noun not in elided else ""
        return lead + elided + ru.threshold_suffix
    if noun:
        dim = dim or ru.threshold_unit_dim.get(m.unit or "", "")
        return cap_right(noun, 8) + dim + (ru.threshold_suffix if dim else "")
    if dim:
        return left + ru.threshold_suffix
    dim = ru.threshold_unit_dim.get(m.unit or "", "")
    return left + (dim + ru.threshold_suffix if dim else numeral_free(m)[-1:])
