"""The year a fact refers to (period_year)."""

from __future__ import annotations

import re
from bisect import bisect_right

from heping_data.extract.facts.patterns import YEAR
from heping_data.extract.facts.rules import Rules
from heping_data.records import Document, NumberMention


def due_year(text: str, ys: int, ru: Rules) -> bool:
    """True when the year at ``ys`` is the year a goal is due (`到2025年，`, `力争2025年`):
    a cue right before it; a one-character cue only where it opens its clause."""
    for w in ru.future_year_before:
        if text.endswith(w, 0, ys):
            if len(w) > 1:
                return True
            at = ys - 1
            return at == 0 or text[at - 1] in ru.future_year_clause_start
    return False


def report_year(doc: Document) -> int | None:
    """The year the report reviews: given, else the title's year less one."""
    if doc.report_year:
        return doc.report_year
    if doc.title and "报告" in doc.title:
        m = YEAR.search(doc.title)
        if m:
            return int(m.group(1)) - 1
    return None


class Years:
    """One document's year mentions, for the period year of each fact.

    A base year (`比2020年下降14.5%`) is what a number is compared with, not its time, so
    it is left out. The first multi-year cue of a sentence is found once per sentence, so
    the step stays linear."""

    __slots__ = ("_hit", "_s0", "mentions", "report", "rx", "starts", "text")

    def __init__(
        self, doc: Document, mentions: tuple[NumberMention, ...] | list[NumberMention], ru: Rules
    ):
        text = doc.text
        self.text = text
        self.report = report_year(doc)
        self.mentions = sorted(
            (
                m
                for m in mentions
                if m.cls == "year"
                and not text.endswith(ru.base_year_before, max(0, m.start - 2), m.start)
            ),
            key=lambda m: m.start,
        )
        self.starts = [m.start for m in self.mentions]
        self.rx: re.Pattern[str] = ru.multi_year_rx
        self._s0, self._hit = -1, None

    def year_of(self, ms: int, s0: int, s_end: int, kind: str, ru: Rules) -> tuple[int | None, str]:
        """The period year of the number at ``ms`` and its kind, which a written year can
        override: the sentence's own year before the number, else the report's (plan: +1);
        none after a multi-year cue (`“十四五”期间…`, `五年来…`)."""
        ry = self.report
        year = ry + 1 if (ry is not None and kind == "target") else ry
        if s0 != self._s0:
            self._s0, self._hit = s0, self.rx.search(self.text, s0, s_end)
        if self._hit is not None and self._hit.end() <= ms:
            year = None
        yi = bisect_right(self.starts, ms) - 1
        if yi < 0 or self.mentions[yi].start < s0:
            return year, kind
        ym = self.mentions[yi]
        yv = ym.value
        if yv is None:
            g = YEAR.match(ym.text)
            yv = int(g.group(1)) if g else None
        year = int(yv) if yv is not None else None
        if year is not None and ry is not None:
            # `到2025年…` names a future year; `2022年…` in the plan looks back, unless
            # it starts a span that runs on (`2020年起，连续五年…`)
            if year > ry:
                kind = "target"
            elif not self.text.startswith(ru.start_year_after, ym.end):
                kind = "actual"
        elif year is not None and due_year(self.text, ym.start, ru):
            kind = "target"  # `到2025年，…`: a year a goal is due, whatever the report's
        return year, kind
