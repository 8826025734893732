"""Plenary sessions of party committees (十九届五中全会, 市委十二届三次全会)."""

from __future__ import annotations

import re
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class PlenumFile(RuleModel):
    """``plenums.yaml``: the shape of a plenum's name, with and without the term."""

    pattern: str
    bare: str


@cache
def _plenum_re() -> re.Pattern[str]:
    raw = load_rules(PlenumFile, "entities", "plenums.yaml")
    return re.compile(f"{raw.pattern}|{raw.bare}")


def _plenums(text: str) -> list[_Cand]:
    """Every plenum's name as one event, with its committee and every session of a list
    that shares one head (十九届二中、三中全会).

    Why a rule of its own: the head 全会 has no stem a suffix walk could find (the term
    and session numbers are numerals), and the committee (省委) would otherwise be read as
    a body on its own, leaving the session unnamed.
    """
    if "全会" not in text and "全体会议" not in text:
        return []
    pat = _plenum_re()
    out: dict[tuple[int, int], _Cand] = {}
    # the pattern is tried only in a window ending at each head (an anchor found by re's
    # literal search), not at every position of the report
    for a in _HEAD.finditer(text):
        for m in pat.finditer(text, max(0, a.start() - _WINDOW), a.end()):
            if m.end() == a.end():
                out[m.span()] = _Cand(m.start(), m.end(), "event", m.group(), "plenum")
    return list(out.values())


_HEAD = re.compile("全体会议|全会")
_WINDOW = 40  # longer than any plenum name before its head
