"""Sites and bodies found by their shape or frame: ring roads (北二环, 西三环南延), district
stems listed bare, and the departments named before their officers' titles in a list of
officials (纪委书记, 组织部长). Leaders listed before 等领导同志 are found in persons.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.extract.entities.divisions import _child_forms, _division_tree
from heping_data.extract.entities.lines import _clause_start, _line_rules
from heping_data.text.chars import alternation
from heping_data.text.ruledata import RuleModel, load_rules


class SiteFile(RuleModel):
    """``sites.yaml``: the ring-road shape, officials' departments and district stems."""

    ring: str
    office_bodies: tuple[str, ...]
    office_titles: tuple[str, ...]
    stem_not_before: str


@dataclass(frozen=True)
class _SiteRules:
    ring_re: re.Pattern[str]
    office_re: re.Pattern[str]
    stem_not_before: frozenset[str]


@cache
def _site_rules() -> _SiteRules:
    raw = load_rules(SiteFile, "entities", "sites.yaml")
    bodies = alternation(raw.office_bodies)
    titles = alternation(raw.office_titles)
    return _SiteRules(
        re.compile(raw.ring),
        # its officer's title follows the body (the pattern opens with the bodies' first
        # characters, so re skips to them; what comes before is checked on each match)
        re.compile(f"(?:{bodies})(?=(?:{titles})(?!期)[、，\u4e00-\u9fff])"),
        frozenset(raw.stem_not_before),
    )


_ITEM_OPEN = frozenset("、，\n")
_CLAUSE_END = re.compile(r"[，。；：！？\n]")


def _sites(text: str, built: bool, cands: list[_Cand]) -> list[_Cand]:
    """Ring roads, officials' departments and the bare stems of districts
    listed with others (``built``: works the text builds are projects; ``cands``: the
    candidates found so far, whose places give the districts)."""
    out = _ring_roads(text, built) + _office_bodies(text)
    return out + _listed_stems(text, cands)


def _listed_stems(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A district of a city the text names (GB/T 2260), or a county-level name it gives in
    full, written bare as an item of a 、-list (深化甲水、乙城、丙苑重点区域管理): the place.
    Only the list tells a bare stem (朝阳, 新华) from the same two characters in running
    text, which is why the division rule leaves 区 short forms out."""
    stems: dict[str, str] = {}
    codes, _ = _division_tree()
    # comprehensions: a report has thousands of candidates
    places = [c for c in cands if c.type == "place"]
    parents = {c.canonical for c in places if c.canonical in codes}
    stems.update(
        (c.canonical[:-1], c.canonical)
        for c in places
        if c.rule == "district" and len(c.canonical) == 3 and c.canonical[-1] in "区县市"
    )
    for parent in sorted(parents):
        for child, _ in _child_forms(parent):
            if len(child) == 3 and child[-1] == "区":
                stems.setdefault(child[:-1], child)
    if not stems:
        return []
    heads = _site_rules().stem_not_before
    found: set[int] = set()
    # the list's 、 marks are fewer than the stems' occurrences: look on either side of each
    p = text.find("、")
    while p >= 0:
        if text[p - 2 : p] in stems:
            found.add(p - 2)
        if text[p + 1 : p + 3] in stems and text[p + 3 : p + 4] not in heads:
            found.add(p + 1)
        p = text.find("、", p + 1)
    return [
        _Cand(a, a + 2, "place", stems[text[a : a + 2]], "stem")
        for a in sorted(found)
        if text[a + 2 : a + 3] not in heads
    ]


def _office_bodies(text: str) -> list[_Cand]:
    """Bodies named by their short form before an officer's title (纪委书记, 组织部长)."""
    return [
        _Cand(m.start(), m.end(), "organization", m.group(), "office")
        for m in _site_rules().office_re.finditer(text)
        if m.start() and text[m.start() - 1] in _ITEM_OPEN  # the body opens a list's item
    ]


def _ring_roads(text: str, built: bool) -> list[_Cand]:
    """Ring roads by their shape; a project where the clause builds them (or the text names
    an extension, 北三环东延), when works the text builds are projects at all."""
    if "环" not in text:  # every match holds 环
        return []
    sr = _site_rules()
    lr = _line_rules()
    out = []
    for m in _ring_matches(sr.ring_re, text):
        s, e = m.span()
        etype = "place"
        if built:
            ce = _CLAUSE_END.search(text, e)
            clause_end = ce.start() if ce else len(text)
            if text[e - 1] in "延期" or lr.build_re.search(
                text, _clause_start(text, s), clause_end
            ):
                etype = "project"
        out.append(_Cand(s, e, etype, m.group(), "line"))
    return out


def _ring_matches(ring_re: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The ring-road matches, tried only around each 环 (the ordinal's two characters
    before it, or 环城 at it): a scan of the whole text by a pattern that opens with a class
    tries every position."""
    out = []
    p = text.find("环")
    while p >= 0:
        m = ring_re.match(text, p - 2) if p >= 2 else None
        if m is None or m.end() <= p:
            m = ring_re.match(text, p)
        if m is not None:
            out.append(m)
            p = m.end()
        p = text.find("环", p + 1)
    return out
