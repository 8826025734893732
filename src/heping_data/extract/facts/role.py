"""Role of a quantity: measure, rank (a place) or qualifier (a threshold defining a noun)."""

from __future__ import annotations

from heping_data.extract.facts.patterns import NUM_OR_DUN
from heping_data.extract.facts.rules import Rules
from heping_data.records import NumberMention

# note of a bare 百/千/万 size class from the numbers layer (千头肉牛养殖场)
_SIZE_CLASS = "size class"


def role_of(text: str, m: NumberMention, clause_end: int, ru: Rules) -> str:
    """rank for ordinal places, qualifier for a threshold followed by the noun it defines."""
    t = m.text
    if t[0] == "第" or m.is_ordinal:
        return "rank"
    if m.note == _SIZE_CLASS:
        return "qualifier"  # 千头肉牛养殖场: the numbers layer found the holder noun
    last = t[-1]
    rank_units = ru.rank_units
    if m.unit in rank_units or last in rank_units:
        before = text[max(0, m.start - 4) : m.start]
        if before[-1:] in ru.rank_prefix or ru.rank_before.search(before):
            return "rank"
    elif ru.rank_words_rx.search(t) and ru.rank_before.search(text[max(0, m.start - 4) : m.start]):
        return "rank"
    # threshold: 以上/以下 right after the number (inside or outside the span) and a noun next
    end = m.end
    # the longest threshold word ending the mention, else starting right after it
    n = 0
    by_first, by_last = ru.threshold_by_first_last
    for w in by_last.get(last, ()):
        if t.endswith(w):
            n = len(w)
            break
    if n:
        thr = t[-n:]
    else:
        if end >= len(text):
            return "measure"
        for w in by_first.get(text[end], ()):
            if text.startswith(w, end, end + 8):
                n = len(w)
                break
        if not n:
            # `超10亿元企业87家`, `超千万元的网店`: a comparator before (a cheap test of its
            # last character first: most numbers have none)
            if m.start > 0 and text[m.start - 1] in ru.threshold_before_last:
                return _after_comparator(text, m, clause_end, ru)
            return "measure"
        thr = text[end : end + n]
        end += n
    if thr == "左右" or end >= clause_end or text.startswith(ru.threshold_clause_end, end):
        return "measure"
    return "measure" if _counts_noun(m, ru, text, end, clause_end) else "qualifier"


def _after_comparator(text: str, m: NumberMention, clause_end: int, ru: Rules) -> str:
    """`超10亿元企业87家`, `超千万元的网店`: a comparator before the number and the noun it
    defines right after make a threshold."""
    if not text.endswith(ru.threshold_before, max(0, m.start - 2), m.start):
        return "measure"
    pos = m.end
    if text.startswith("的", pos):
        pos += 1
        if text.startswith(ru.threshold_de_not_noun, pos) or text.endswith(
            ru.threshold_de_not_noun, pos, clause_end
        ):
            return "measure"  # `超百万亿元的经济总量`: the amount of a measure noun
    if (
        pos < clause_end
        and "\u4e00" <= text[pos] <= "\u9fff"
        and not text.startswith(ru.threshold_not_noun, pos)
        and not text.startswith(ru.threshold_clause_end, pos)
        and not _counts_noun(m, ru, text, pos, clause_end)
    ):
        return "qualifier"
    return "measure"


def _counts_noun(m: NumberMention, ru: Rules, text: str, pos: int, clause_end: int) -> bool:
    """A threshold is an amount the noun has (亿元 per project, 分 per student); a number
    that counts the noun (`200场以上促消费活动`, `90%以上政务服务事项`) measures it.
    People and animals count a noun that is a person or an animal, never a holder of
    them (`500头以上养殖场` is a size threshold)."""
    t = m.text
    if "分" in t and any(w in t for w in ru.share_marks):
        return True
    if not (m.unit in ru.threshold_counters or t.endswith(ru.threshold_counter_tails)):
        return False
    if (m.unit or t[-1]) not in ru.animate_counters:
        return True
    noun = NUM_OR_DUN.split(text[pos : min(clause_end, pos + 12)], maxsplit=1)[0]
    noun = noun.removeprefix("的")
    pv = ru.predicate_verbs.search(noun)
    if pv and pv.start() >= 1:
        noun = noun[: pv.start()]
    adv = ru.noun_end_adverbs.search(noun, 1)  # `30户以上自然村全部通硬化路`
    if adv:
        noun = noun[: adv.start()]
    return not noun.endswith(ru.holder_heads)
