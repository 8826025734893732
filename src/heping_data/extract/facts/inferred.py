"""A value the text itself pins when the digits are masked."""

from __future__ import annotations

from bisect import bisect_right

from heping_data.extract.facts.patterns import DUN, LIST_END, LIST_INTRO
from heping_data.extract.facts.scan import Scan
from heping_data.records import NumberMention


def _count_items(s: str) -> int:
    return len([x for x in s.split(DUN) if x.strip()])


def infer(text: str, m: NumberMention, scan: Scan) -> tuple[float | None, str | None]:
    """A masked count pinned by the list it counts (`“A、B、C”*大方面`)."""
    if not m.is_masked or m.value_min is None or m.value_max is None:
        return None, None
    if m.multiplier not in (1, 1.0) or "." in m.text:
        return None, None
    # a quoted list right before the number
    j = bisect_right(scan.quote_starts, m.start) - 1
    if j >= 0:
        qa, qb = scan.quotes[j]
        if qb <= m.start and not text[qb : m.start].strip("，, ") and DUN in text[qa:qb]:
            n = _count_items(text[qa + 1 : qb - 1])
            if m.value_min <= n <= m.value_max:
                return float(n), "count of the listed items before it"
    # a list introduced by 即 or a colon right after (`N个方面，即A、B、C。`)
    # (matched in place: the patterns have no anchors, so bounds equal a 220-char slice)
    stop = m.end + 220
    lm = LIST_INTRO.match(text, m.end, stop)
    if lm and (text[lm.end() - 1] == "即" or text[lm.end() - 1] in "：:"):
        em = LIST_END.search(text, lm.end(), stop)
        body = text[lm.end() : em.start()] if em else ""
        if DUN in body and "等" not in body:
            n = _count_items(body)
            if m.value_min <= n <= m.value_max:
                return float(n), "count of the listed items after it"
    return None, None
