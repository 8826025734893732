"""Every mention, every time: a name any finder found once in a report is marked at its
other exact occurrences there, with the same type and canonical form.

Why: most finders see a name only where it is introduced (quoted, cued by a head word,
listed with others), while the guideline marks each occurrence, repeats included
(ENTITY_GUIDE rule 1). The quote echo (``quotes._echoes``) does this before resolution for
quoted programmes and honours; this pass does it after resolution for every type, so a
repeat never competes with, or cuts into, a longer name found where it stands.
"""

from __future__ import annotations

import re
from functools import cache

from heping_data.extract.entities.base import _HARD, _alternation, _Cand, _outer_first
from heping_data.extract.entities.rulefiles import PropagationRules
from heping_data.text.ruledata import load_rules

_ALNUM = re.compile(r"[A-Za-z0-9]")


@cache
def _prop_rules() -> PropagationRules:
    return load_rules(PropagationRules, "entities", "propagation.yaml")


def _names(text: str, found: list[_Cand], pr: PropagationRules) -> dict[str, _Cand]:
    """The names worth repeating: long enough for their type, one type in the report, no
    punctuation inside (a list is not a name)."""
    names: dict[str, _Cand] = {}
    clash: set[str] = set()
    for c in found:
        w = text[c.start : c.end]
        n = pr.min_len.get(c.type)
        if (
            n is None
            or c.rule not in pr.from_rules
            or len(w) < n
            or w in pr.not_repeated
            or any(ch in _HARD for ch in w)
        ):
            continue
        prev = names.setdefault(w, c)
        if prev.type != c.type:
            clash.add(w)
    for w in clash:
        del names[w]
    return names


def _propagate(text: str, found: list[_Cand]) -> list[_Cand]:
    """``found`` (sorted, outer first) with the other occurrences of its names added where
    they overlap no mention."""
    pr = _prop_rules()
    names = _names(text, found, pr)
    if not names:
        return found
    covered = bytearray(len(text))
    for c in found:
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    added = []
    for m in re.finditer(_alternation(names), text):
        s, e = m.span()
        if covered.find(1, s, e) != -1:
            continue
        w = m.group()
        if _ALNUM.match(w[0]) and s and _ALNUM.match(text[s - 1]):
            continue  # inside a longer code or Latin word
        if e < len(text) and (
            text[e] in pr.open_right or (_ALNUM.match(w[-1]) and _ALNUM.match(text[e]))
        ):
            continue
        c = names[w]
        added.append(_Cand(s, e, c.type, c.canonical, "repeat"))
    if not added:
        return found
    return sorted(found + added, key=_outer_first)
