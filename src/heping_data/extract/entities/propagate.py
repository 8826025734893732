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

from heping_data.extract.entities.base import _HARD_RE, _Cand, _outer_first
from heping_data.extract.entities.rulefiles import PropagationRules
from heping_data.text.ruledata import load_rules

_ALNUM = re.compile(r"[A-Za-z0-9]")


@cache
def _prop_rules() -> PropagationRules:
    return load_rules(PropagationRules, "entities", "propagation.yaml")


def _names(text: str, found: list[_Cand], pr: PropagationRules) -> dict[str, _Cand]:
    """The names worth repeating: found by a contextual finder, long enough for their type,
    one type wherever such a finder found them, no punctuation inside (a list is not a
    name)."""
    min_len, rules = pr.min_len, pr.from_rules
    names: dict[str, _Cand] = {}
    clash = set()
    for c in found:
        n = min_len.get(c.type)
        if n is not None and c.end - c.start >= n:
            types = rules.get(c.rule)
            if types is not None and (not types or c.type in types):
                w = text[c.start : c.end]
                if names.setdefault(w, c).type != c.type:
                    clash.add(w)
    return {
        w: c
        for w, c in names.items()
        if w not in clash and w not in pr.not_repeated and _HARD_RE.search(w) is None
    }


def _blanked(text: str, found: list[_Cand]) -> str:
    """The text with every found mention blanked out, where repeats are looked for."""
    parts = []
    pos = 0
    for c in found:
        e = c.end
        if e > pos:  # outer first: an inner mention is already blanked
            s = c.start
            if s > pos:
                parts.append(text[pos:s])
                parts.append("\x00" * (e - s))
            else:
                parts.append("\x00" * (e - pos))
            pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _propagate(text: str, found: list[_Cand]) -> list[_Cand]:
    """``found`` (sorted, outer first) with the other occurrences of its names added where
    they overlap no mention; longer names first, so a repeat never splits a longer one.

    Why ``str.find`` per name on the blanked text, not one alternation: the names differ per
    report, and compiling a fresh pattern for each report cost more than the whole scan.
    """
    names = _names(text, found, _prop_rules())
    if not names:
        return found
    blank = _blanked(text, found)
    added: list[_Cand] = []
    for w in sorted(names, key=len, reverse=True):
        s = blank.find(w)
        if s == -1:
            continue
        c, n = names[w], len(w)
        edge = _ALNUM.match(w[0]) is not None, _ALNUM.match(w[-1]) is not None
        while s != -1:
            e = s + n
            if not _inside_code(text, s, e, edge) and not any(
                a.start < e and s < a.end for a in added
            ):
                added.append(_Cand(s, e, c.type, c.canonical, "repeat"))
            s = blank.find(w, e)
    if not added:
        return found
    return sorted(found + added, key=_outer_first)


def _inside_code(text: str, s: int, e: int, edge: tuple[bool, bool]) -> bool:
    """True when a name that opens or ends with a letter or digit (12345) runs on into a
    longer code or Latin word there."""
    return (edge[0] and s > 0 and _ALNUM.match(text[s - 1]) is not None) or (
        edge[1] and e < len(text) and _ALNUM.match(text[e]) is not None
    )
