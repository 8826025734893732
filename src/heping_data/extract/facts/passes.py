"""Passes that relink metrics across numbers: `由A增加到B` (before the per-quantity
decisions), then `分别`, level lists and relative clauses (over the finished facts)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from itertools import chain, compress, count, repeat
from operator import attrgetter, sub

from heping_data.extract.facts.clean import cap_left, clean_left, cut_word, drop_lists, strip_tail
from heping_data.extract.facts.patterns import DUN, LAST_COMMA
from heping_data.extract.facts.rules import Rules, rules
from heping_data.extract.facts.scan import positions
from heping_data.records import NumberMention, NumericFact

_MENTION = attrgetter("mention")
_START = attrgetter("start")
_END = attrgetter("end")


def drop_relative(text: str, clauses: list[tuple[int, int]], facts: list[NumericFact]) -> None:
    """`分列在两旁的十面五星红旗`: a clause ending in 的 right before a count describes the
    things counted; the noun after the number names them (五星红旗). A short one names
    whose they are (`市委确定的230余项改革`) and stays.

    (Few numbers follow a 的: its offsets, found once, rule out the rest by a set lookup.)"""
    after_de = set(map((1).__add__, positions(text, "的")))
    if not after_de:
        return
    least = rules().relative_min
    starts = map(_START, map(_MENTION, facts))
    for i in compress(count(), map(after_de.__contains__, starts)):
        f = facts[i]
        ms = f.mention.start
        met = f.metric or ""
        if f.role != "measure" or len(met) < 4:
            continue
        left = text[clauses[i][0] : ms - 1]
        for k in range(min(len(left), len(met) - 2), least - 1, -1):
            if met.startswith(left[-k:]):
                facts[i] = replace(f, metric=met[k:])
                break


def level_lists(text: str, facts: list[NumericFact], ru: Rules) -> None:
    """`推动4个国家级、8个省级外贸转型示范基地`, `推进588个省、市级美丽乡村建设`: levels
    listed before one noun count that noun, each at its level (国家级外贸转型示范基地)."""
    if not ru.level_mark or ru.level_mark not in text:
        return
    # both shapes need a `、` within `level_reach` characters after the count: the ends
    # that have one, found once, rule out the other numbers by a set lookup
    duns = positions(text, DUN)
    near = set(chain.from_iterable(map(range, map(sub, duns, repeat(ru.level_reach)), duns)))
    one, pair, head = ru.level_one_rx, ru.level_pair_rx, ru.level_head_rx
    ends = map(_END, map(_MENTION, facts))
    for i in compress(count(), map(near.__contains__, ends)):
        f = facts[i]
        e = f.mention.end
        if f.role != "measure":
            continue
        g = one.match(text, e)
        if g and g.group(1) not in ru.threshold_after:  # `1000家以上、…`: no level
            facts[i] = replace(f, metric="".join(g.groups())[: ru.max_len])
            continue
        nxt = facts[i + 1] if i + 1 < len(facts) else None
        if nxt is None or not nxt.metric:
            continue
        g = pair.fullmatch(text, e, nxt.mention.start)
        h = head.match(nxt.metric)
        if g and h and len(nxt.metric) > h.end():
            facts[i] = replace(f, metric=(g.group(1) + nxt.metric[h.end() :])[: ru.max_len])


def respectively(
    text: str,
    mtext: str,
    clauses: list[tuple[int, int]],
    sent_starts: list[int],
    facts: list[NumericFact],
    ru: Rules,
) -> None:
    """`游客N人次，收入N亿元，分别恢复到…的X%和Y%`: a clause that opens with 分别 and has
    no subject of its own measures, in order, the subjects of the facts just before it."""
    word = ru.respectively
    if word not in text:
        return
    i, n = 0, len(facts)
    while i < n:
        cl = clauses[i]
        cs, ce = cl
        j = i + 1
        while j < n and clauses[j] == cl:
            j += 1
        k = j - i
        if k < 2 or i < k:
            i = j
            continue
        first = facts[i].mention
        at = text.find(word, cs, first.start)  # cheap necessary test first
        # the clause opens with 分别, or with a bare generic head and 分别 (满意率分别为)
        head = text[cs:at].lstrip() if at >= 0 else ""
        if at >= 0 and (not head or head in ru.generic_heads) and facts[i].role == "measure":
            s0 = sent_starts[bisect_right(sent_starts, first.start) - 1] if sent_starts else 0
            prev = facts[i - k : i]
            if all(
                p.mention.start >= s0 and clauses[i - k + q] != (cs, ce) and p.metric
                for q, p in enumerate(prev)
            ):
                words = head + mtext[at + len(word) : first.start]
                pred = clean_left(drop_lists(words))
                pred = strip_tail(pred, ru.left_tail_strip)
                for q, p in enumerate(prev):
                    base = cut_word(p.metric or "", ru.change_by_last)
                    facts[i + q] = replace(facts[i + q], metric=(base + pred)[: ru.max_len])
        i = j


_FROM_TO = re.compile("[\u4e00-\u9fff]{0,4}?(?:到|至|为|成)\x00*")


_FROM_BASE = re.compile("\x00*|[^\x00-\x7f，；。]{1,4}的")


def from_to(
    text: str,
    mtext: str,
    quants: list[NumberMention],
    clauses: list[tuple[int, int]],
    roles: list[str],
    metrics: list[str],
    ru: Rules,
) -> None:
    """`X由[2015年的]A增加到[2020年的]B`: both numbers measure X, each at its own time.

    The words between them are a change, not what B measures; the year or base written
    before each number (`2015年`, `上年`) leads its metric."""
    marks = [w for w in ru.from_marks if w in mtext]
    if not marks:
        return  # the pattern needs its 由 (or 从)
    for k in range(len(quants) - 1):
        cl = clauses[k]
        if clauses[k + 1] != cl or roles[k] == "qualifier" or roles[k + 1] == "qualifier":
            continue
        a, b = quants[k], quants[k + 1]
        cs = cl[0]
        u = max(mtext.rfind(w, cs, a.start) for w in marks)
        if u < 0 or not _FROM_TO.fullmatch(mtext, a.end, b.start):
            continue
        if not _FROM_BASE.fullmatch(mtext, u + 1, a.start):
            continue
        # the subject never reaches back over a comma (a quoted list can hide one)
        lead = LAST_COMMA.split(mtext[cs:u])[-1]
        subject = cap_left(clean_left(drop_lists(lead)), ru.left_cap)
        if not subject:
            continue
        if subject.startswith(ru.share_lead):
            metrics[k] = metrics[k + 1] = subject  # a share: the subject is borrowed later
            continue
        to = _FROM_TO.match(mtext, a.end, b.start)
        to_base = to.group().rstrip("\x00") if to else ""
        base_b = text[a.end + len(to_base) : b.start]
        for i, base in ((k, text[u + 1 : a.start]), (k + 1, base_b)):
            base = base.removesuffix("的")
            metrics[i] = (base + subject)[: ru.max_len + 6]


def streak_counts(text: str, facts: list[NumericFact], ru: Rules) -> None:
    """`连续11年居全省前列`: a streak's count measures how long what lasted kept up, so its
    metric ends in the cue and the count of its unit (居全省前列连续年数).

    (Few facts have a streak's unit: a dict lookup rules out the rest.)"""
    counts, cues = ru.streak_counts, ru.streak_cues
    for i, f in enumerate(facts):
        m = f.mention
        suffix = counts.get(m.unit or "")
        if suffix is None or f.role != "measure" or not text.endswith(cues, 0, m.start):
            continue
        cue = next(c for c in cues if text.endswith(c, 0, m.start))
        met = f.metric or ""
        for c in cues:
            met = met.replace(c, "")
        if met:
            facts[i] = replace(f, metric=(met + cue + suffix)[-ru.max_len :])
