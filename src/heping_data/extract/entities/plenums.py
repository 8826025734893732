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
    return [
        _Cand(m.start(), m.end(), "event", m.group(), "plenum") for m in _plenum_re().finditer(text)
    ]
