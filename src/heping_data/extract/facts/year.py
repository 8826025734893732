"""The year a fact refers to (period_year)."""

from __future__ import annotations

from heping_data.extract.facts.patterns import YEAR
from heping_data.extract.facts.rules import Rules
from heping_data.records import Document


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
    if doc.report_year:
        return doc.report_year
    if doc.title and "报告" in doc.title:
        m = YEAR.search(doc.title)
        if m:
            return int(m.group(1)) - 1
    return None
