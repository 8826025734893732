"""A measure's metric completed from its sentence: shares, events, projects, rates,
streaks, and the label of the table line a number stands on."""

from __future__ import annotations

import re
from functools import lru_cache

from heping_data.extract.facts.clean import CLEAN_CACHE, clean, cut_word
from heping_data.extract.facts.patterns import NOISE_SPACE
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import Scan
from heping_data.records import NumberMention, NumericFact


def context_metric(
    text: str,
    met: str,
    m: NumberMention,
    k: int,
    quants: list[NumberMention],
    cs: int,
    ce: int,
    s0: int,
    facts: list[NumericFact],
    streaks: dict[int, str],
    ru: Rules,
) -> str:
    """A measure's metric completed from its sentence: the whole of a share, the event
    of a deal, the action before its beneficiaries, what a streak kept up."""
    ms = m.start
    if met.endswith(ru.share_suffix):
        return _share_of(met, s0, facts, ru)
    if met.startswith(ru.event_outcomes) and ms - s0 > 6:
        ev = _event_name(text[s0:cs])
        return (ev + met)[: ru.max_len + 4] if ev and not met.startswith(ev) else met
    if met[-1] == ru.rate_mark and len(met) <= ru.rate_max and facts:
        # `优良天数316天，优良率86.6%`: a bare rate is of the previous fact's subject
        pf = facts[-1]
        pm = pf.metric or ""
        if pf.mention.start < s0 or pf.role != "measure" or not pm or met in pm:
            return met
        at = pm.find(met[:-1])  # 空气质量优良天数 + 优良率: what is counted, as a rate
        return (pm[:at] + met)[: ru.max_len] if at > 0 and len(met) > 2 else met
    if met.startswith(ru.project_actions) and facts:
        noun = _project_noun(s0, facts, ru)
        return (noun + met)[: ru.max_len] if noun and not met.startswith(noun) else met
    if met.startswith(ru.consequence_verbs) and facts:
        # `改造老旧小区36个，惠及居民5120户`: who benefits from the action just reported
        pf = facts[-1]
        if (
            pf.mention.start >= s0
            and pf.role == "measure"
            and pf.metric
            and not pf.metric.startswith(ru.consequence_verbs)
        ):
            return (pf.metric + met)[: ru.max_len]
        return met
    if (
        m.unit in ru.streak_units
        and k + 1 < len(quants)
        and quants[k + 1].start < ce
        and text.endswith(ru.streak_cues, max(0, ms - 2), ms)
    ):
        # `连续19年稳定在8亿斤以上`: what lasted is the rest of the clause, figure and all
        # (set after the loop: the figure after it borrows the plain subject)
        rest = NOISE_SPACE.sub("", text[m.end : ce])
        if rest and rest not in met:
            streaks[k] = (rest if met and met in rest else met + rest)[: ru.max_len]
    return met


def _project_noun(s0: int, facts: list[NumericFact], ru: Rules) -> str:
    """`实施重点项目47个，完成投资312亿元`: the projects an investment figure is of, from
    the count before it (less its verb) or an earlier investment figure of its sentence."""
    for f in reversed(facts[-2:]):
        if f.mention.start < s0 or f.role != "measure" or not f.metric:
            return ""
        met = f.metric
        if f.mention.unit in ru.project_count_units:
            v = ru.project_verb_re.search(met)
            noun = met[v.end() :] if v else met
            return noun if len(noun) >= 2 else ""
        for a in ru.project_actions:
            if met.endswith(a) and len(met) > len(a) + 1:
                return met[: -len(a)]
    return ""


_EVENT_TRIM = re.compile(
    r"^(?:第[0-9一二三四五六七八九十]+[届次]|[0-9]{4}年?)|[（(][^）)]{1,6}[）)]"
)


@lru_cache(maxsize=CLEAN_CACHE // 16)  # keys are sentence openings: few, long
def _event_name(before: str) -> str:
    """`成功举办第五届海洋经济博览会，签约项目57个`: the event whose outcome the figure
    reports, named earlier in its sentence (``before`` the clause; without its edition
    and bracketed host). Cached like ``clean``: every deal figure of a sentence asks."""
    ru = rules()
    hits = list(ru.event_verb_re.finditer(before))
    if not hits:
        return ""
    v = hits[-1]
    end = v.end()
    while end < len(before) and before[end] not in "，,；;。：:":
        end += 1
    name = clean(_EVENT_TRIM.sub("", before[v.end() : end]))
    if not (2 <= len(name) <= 14 and name.endswith(ru.event_suffixes)):
        return ""
    return name


def _share_of(met: str, s0: int, facts: list[NumericFact], ru: Rules) -> str:
    """`一般公共预算收入N亿元，其中税收收入N亿元，税收占比N%` → 税收占一般公共预算收入比重.

    Why: 占比 leaves the whole implicit; the sentence named it with an earlier figure.
    The whole is the nearest earlier fact of the sentence that is not the part itself,
    another share or a ratio, without its change word.
    """
    part = met[: -len(ru.share_suffix)]
    if len(part) < 2 or ru.share_lead[0] in part:
        return met
    found = ""
    for f in reversed(facts):
        if f.mention.start < s0:
            break
        whole = f.metric or ""
        unit = f.mention.unit or ""
        if f.role != "measure" or unit not in ru.share_whole_units:
            continue
        whole = cut_word(whole, ru.change_by_last)
        if (
            len(whole) < 2
            or part[:2] in whole
            or whole.endswith((ru.share_suffix, ru.share_whole))
            or ru.share_lead[0] in whole
        ):
            continue
        found = found or whole
        if unit not in ru.share_change_units:
            found = whole  # an amount names the whole better than its change
            break
    if not found:
        return met
    return (part + ru.share_lead[0] + found + ru.share_whole)[: ru.max_len]


def table_label(scan: Scan, start: int, ru: Rules) -> str:
    """The cleaned label of the table line a number stands on, or ""."""
    lab = scan.label(start, ru.label_max)
    if not lab or lab.endswith(ru.label_reject_tail):
        return ""
    if any(w in lab for w in ru.label_reject_inside):
        return ""
    lab = clean(lab)
    return lab if len(lab) >= 2 else ""
