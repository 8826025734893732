"""The metric phrase of each quantity from the words of its own clause.

Most clauses hold one number and no list (``single_metric``, the cheap path); the others
go through :mod:`heping_data.extract.facts.lists`.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from operator import ne

from heping_data.extract.facts.clean import (
    CLEAN_CACHE,
    cap_left,
    clean,
    clean_left,
    drop_lists,
    numeral_free,
    strip_tail,
)
from heping_data.extract.facts.lists import Num, after_deng, clause_metrics, noun_first
from heping_data.extract.facts.patterns import DUN
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import Scan
from heping_data.records import NumberMention


def single_metric(text: str, cs: int, ce: int, m: NumberMention) -> tuple[str, bool]:
    """`clause_metrics` for a clause holding one non-qualifier number and no `、` list: the
    same rules without the list bookkeeping (the common case, so it must be cheap).
    Returns the metric and whether it names only a subject before the number."""
    s = m.start if m.start > cs else cs
    e = m.end if m.end < ce else ce
    noun = _big_noun(m) if "大" in m.text else ""
    return _single_phrase(text[cs:s], text[e:ce], noun)


def _big_noun(m: NumberMention) -> str:
    """The noun of a `九大主题` count (`主题`), else ""."""
    uw = numeral_free(m)
    return uw[1:] if uw.startswith("大") else ""


#: Entries of the single-clause cache: its keys are whole clause pieces, longer than
#: ``clean``'s, so fewer are kept (a corpus's distinct clauses fit; memory stays flat).
PHRASE_CACHE = CLEAN_CACHE // 4


@lru_cache(maxsize=PHRASE_CACHE)
def _single_phrase(left_raw: str, right_raw: str, noun: str) -> tuple[str, bool]:
    """``single_metric`` from the words before and after the number and the noun of a
    `九大主题` count. Why cached: it is pure in these (rules are fixed per process) and
    the clauses of a genre recur (`比上年增长`, `同比增长`), like ``clean``'s pieces."""
    ru = rules()
    # helpers' no-op cases tested inline: this runs once per quantity
    if DUN in left_raw:
        left_raw = drop_lists(left_raw)
    if DUN in right_raw:
        right_raw = drop_lists(right_raw)
    right = clean(right_raw) if right_raw else ""
    right_empty = not right
    deng = False
    if "等" in left_raw:
        left_raw, deng = after_deng(left_raw, bool(right or noun))
    left = clean_left(left_raw) if left_raw else ""
    if noun:
        right = clean(noun + right)
    elif len(right) > 3:
        right = noun_first(right)
    # `clean` output is stable under `clean` except that a bare cue word becomes empty,
    # so only a phrase that was cut (or had a verb stripped) is cleaned again
    if left and right:
        met = left + right if deng else cap_left(left, ru.left_cap_combined) + right
        met = clean(met[: ru.left_cap_combined + ru.right_cap])
    elif left:
        met = strip_tail(left, ru.left_tail_alone) if right_empty else left
        if len(met) > ru.left_cap or met is not left:
            # a share names its part and its whole (`数字经济核心产业增加值占地区生产总值比重`)
            share = ru.share_lead[0] in met and met.endswith(ru.share_whole)
            met = clean(cap_left(met, ru.max_len if share else ru.left_cap))
    elif right:
        met = right
        if len(met) > ru.right_cap + 4:
            met = clean(met[: ru.right_cap + 4])
    else:
        return "", False
    if met in ru.empty_words:
        met = ""
    return met[: ru.max_len], bool(left) and right_empty


def phrase_metrics(
    text: str,
    mtext: str,
    scan: Scan,
    quants: list[NumberMention],
    clauses: list[tuple[int, int]],
    roles: list[str],
    ru: Rules,
) -> tuple[list[str], set[int]]:
    """The metric phrase of every quantity from its own clause, and which of them name only
    a subject before the number (those may borrow context from the previous clause)."""
    metrics: list[str] = [""] * len(quants)
    subject_only: set[int] = set()
    i = 0
    n_q = len(quants)
    # whether the next quantity is in another clause (mapped in C; the last one is)
    alone = [*map(ne, clauses, islice(clauses, 1, None)), True]
    while i < n_q:
        cl = clauses[i]
        cs, ce = cl
        if alone[i] and text.find(DUN, cs, ce) < 0:
            # most clauses hold one number and no list: skip the list machinery
            # (`single_metric` inline: a call per quantity is a share of the step)
            if roles[i] != "qualifier":
                m = quants[i]
                s = m.start if m.start > cs else cs
                e = m.end if m.end < ce else ce
                noun = _big_noun(m) if "大" in m.text else ""
                met, subj_only = _single_phrase(mtext[cs:s], mtext[e:ce], noun)
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
    return metrics, subject_only
