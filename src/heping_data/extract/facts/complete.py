"""A clause's metric completed from its sentence, in order: a threshold's noun, a table
line's label, a subject borrowed by a short or generic phrase, then the shapes that name
what a figure relates to (ratio part, rank, ratio, share, event, project, rate, streak).

Why one place: the order of these rules is itself a decision (a label wins over a borrowed
subject; a rank's metric is built after any borrowing).
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from heping_data.extract.facts.borrow import borrow, plan_items
from heping_data.extract.facts.clean import (
    CLEAN_CACHE,
    NOISE,
    cap_left,
    cap_right,
    clean,
    drop_lists,
)
from heping_data.extract.facts.context import context_metric, table_label
from heping_data.extract.facts.rank import rank_metric, ratio_metric, ratio_part
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import DocState
from heping_data.extract.facts.threshold import threshold_metric
from heping_data.records import NumberMention


def complete_metric(d: DocState, k: int, cs: int, ce: int, s0: int, ru: Rules) -> str:
    """The final metric of quantity ``k`` (clause ``cs:ce``, sentence from ``s0``): the
    clause's phrase (or a threshold's), headed by its table line's label or given the
    subject its sentence left implicit, then related to what the figure is a part, place,
    multiple or share of.

    (Runs once per quantity: each rule's cheap test is inline, its work a call.)"""
    m = d.quants[k]
    role = d.roles[k]
    ms = m.start
    met = d.metrics[k]
    colons = d.scan.colons
    lab = ""
    if colons and role != "qualifier":
        ci = bisect_left(colons, ms) - 1
        if ci >= 0 and d.scan.colon_reach[ci] >= ms:  # else `label` would give ""
            lab = table_label(d.scan, ms, ru)
    if role == "qualifier":
        met = threshold_metric(d.mtext, m, cs, ce, s0, d.facts, ru)
    elif lab:
        # a table line: its label heads every number on it unless the clause names more
        if len(met) <= ru.label_weak_len and lab not in met:
            met = lab + met
    elif not met:
        met = borrow(d.mtext, d.scan, met, m, cs, s0, d.facts, ru)
    else:
        shape = _shape(met)
        if shape is _MILESTONE:
            met = borrow(d.mtext, d.scan, "", m, cs, s0, d.facts, ru)  # 迈上N亿元新台阶
        elif shape is _NO_SUBJECT or (len(met) <= ru.short_len and k in d.subject_only):
            # a phrase that names no subject of its own takes one from its sentence
            met = borrow(d.mtext, d.scan, met, m, cs, s0, d.facts, ru)
    if not met:
        met = _nearest_words(d.mtext, m, ru)
    elif role == "measure" and met.endswith(ru.plan_item_nouns):
        met = plan_items(d.mtext, d.scan, met, cs, s0, ru)
    # what a figure relates to: a part of a ratio, a place, a multiple, a share
    text = d.text
    marks = ru.ratio_part_marks
    if (ms and text[ms - 1] in marks) or (m.end < len(text) and text[m.end] in marks):
        met = ratio_part(text, m, s0, d.quants, k, ru) or met
    if role == "rank":
        met = rank_metric(met, s0, cs, d.facts, ru, d.mtext[cs:ms])
    elif m.unit in ru.ratio_units and (
        met.startswith(ru.ratio_lead)
        or NOISE.sub("", d.mtext[cs:ms]).startswith(ru.ratio_lead)
        or NOISE.sub("", d.mtext[cs:ms]) in ru.ratio_alone
    ):
        met = ratio_metric(text, met, m, cs, s0, d.facts, ru)
    if role == "measure" and (
        (
            met
            and (
                met[0] in ru.context_first
                or met[-1] == ru.rate_mark
                or met.endswith(ru.share_suffix)
            )
        )
        or m.unit in ru.streak_units
    ):
        met = context_metric(text, met, m, k, d.quants, cs, ce, s0, d.facts, d.streaks, ru)
    return met


_MILESTONE = "milestone"
_NO_SUBJECT = "no subject"


@lru_cache(maxsize=CLEAN_CACHE)
def _shape(met: str) -> str:
    """What a clause's (non-empty) phrase lacks, from its words alone: a milestone
    (`迈上N亿元新台阶`) names no figure; a bare verb (`较上年新增N`), a share or comparison
    lead, a period's change name no subject. Cached like ``clean``: one test per phrase."""
    ru = rules()
    if met[-1] in ru.milestone_last and ru.milestone_rx.fullmatch(met):
        return _MILESTONE
    if (
        (met[-1] in ru.bare_last and ru.bare_verb_rx.fullmatch(met))  # 较上年新增N, 净增N
        or met.startswith(ru.share_or_compare)
        or ru.period_change_rx.match(met)
    ):
        return _NO_SUBJECT
    return ""


def _nearest_words(mtext: str, m: NumberMention, ru: Rules) -> str:
    """Never no metric: the nearest words before the number, else after it."""
    ms = m.start
    before = mtext[max(0, ms - ru.left_cap_combined * 2) : ms]
    return cap_left(clean(drop_lists(before)), ru.left_cap_combined) or cap_right(
        clean(drop_lists(mtext[m.end : m.end + ru.right_cap])), 8
    )
