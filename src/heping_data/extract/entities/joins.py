"""Flat and longest: names that hold another name are one mention (ENTITY_GUIDE rule 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class JoinFile(RuleModel):
    """``joins.yaml``: heads a place opens, jurisdiction and unit endings, bracket reach."""

    place_heads: tuple[str, ...]
    admin_ends: tuple[str, ...]
    unit_ends: tuple[str, ...]
    max_bracket: int


@dataclass(frozen=True)
class _JoinRules:
    place_heads: tuple[str, ...]
    admin_ends: tuple[str, ...]
    unit_ends: tuple[str, ...]
    max_bracket: int
    head_firsts: frozenset[str]
    trigger_re: re.Pattern[str]


@cache
def _join_rules() -> _JoinRules:
    raw = load_rules(JoinFile, "entities", "joins.yaml")
    # longest first: 经济开发区 before 开发区
    heads = tuple(sorted(raw.place_heads, key=len, reverse=True))
    firsts = frozenset(h[0] for h in heads)
    trigger = re.compile("|".join(["（", "）", *map(re.escape, heads)]))
    return _JoinRules(heads, raw.admin_ends, raw.unit_ends, raw.max_bracket, firsts, trigger)


# Types of a name found by its head that a place right before it opens (保定|东站综合交通枢纽,
# 京津冀|生态环境支撑区): one name.
_OPENED_TYPES = frozenset(("place", "organization", "project", "program"))
# Rules that find a place by a list or a name of its own, not by a head word
_PLACE_RULES = frozenset(("gazetteer", "division", "district", "abbrev", "feature"))
# Types whose name may carry a bracket after it
_BRACKETED_TYPES = frozenset(("place", "organization", "project"))


def _join_places(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A known place right before a name found by its head word (or a station or zone
    head no rule found) opens that name: one mention of the name's type, the place no
    mention of its own. A bracket holding a name's alias or its place joins the name."""
    jr = _join_rules()
    firsts = jr.head_firsts
    # only a mention right after another or before a head or bracket can change: the rest
    # is copied in slices (most of a report's mentions)
    place_ends = {c.end for c in chosen if c.type == "place"}
    hot_set = {i for i, c in enumerate(chosen) if c.start in place_ends}
    # a head or bracket right after a mention, a mention right after a bracket: found by
    # position in the text, not by a test per mention
    trig = [m.start() for m in jr.trigger_re.finditer(text)]
    if trig:
        by_end = {c.end: i for i, c in enumerate(chosen)}
        by_start = {c.start: i for i, c in enumerate(chosen)}
        for p in trig:
            i = by_end.get(p) if text[p] != "）" else by_start.get(p + 1)
            if i is not None:
                hot_set.add(i)
    hot = sorted(hot_set)
    if not hot:
        return chosen
    nxt_start = [c.start for c in chosen[1:]] + [-1]
    out: list[_Cand] = []
    joined_to = -1  # where the last bracket joined to a name ends
    last = 0
    for i in hot:
        if i < last:
            continue
        out.extend(c for c in chosen[last:i] if c.start >= joined_to)
        last = i + 1
        c = chosen[i]
        prev = out[-1] if out else None
        if prev is not None and prev.end == c.start and _opens(text, prev, c, jr):
            out[-1] = _Cand(prev.start, c.end, c.type, text[prev.start : c.end], c.rule)
            continue
        if c.start < joined_to:
            continue  # inside a bracket joined to the name before it
        if (
            c.type == "place"
            and c.rule in _PLACE_RULES
            and not text[c.start : c.end].endswith(jr.admin_ends)
        ):
            head = (
                next((h for h in jr.place_heads if text.startswith(h, c.end)), "")
                if text[c.end : c.end + 1] in firsts and nxt_start[i] != c.end
                else ""
            )
            if head:  # 保定|南站: the head no rule read
                e = c.end + len(head)
                c = _Cand(c.start, e, "place", text[c.start : e], "suffix")
        if c.type in _BRACKETED_TYPES and text.startswith("（", c.end):
            c = _bracketed(text, c, chosen, jr)
            joined_to = c.end
        out.append(c)
    out.extend(c for c in chosen[last:] if c.start >= joined_to)
    return out


def _opens(text: str, prev: _Cand, c: _Cand, jr: _JoinRules) -> bool:
    """True when the place ``prev`` opens the name ``c`` right after it."""
    if prev.type != "place" or prev.rule not in _PLACE_RULES or c.type not in _OPENED_TYPES:
        return False
    if c.rule != "suffix" and not (c.type == "place" and c.canonical in jr.place_heads):
        return False
    # 临川区|东湖街道: a unit inside a jurisdiction named in full is two places
    return not (
        c.type == "place"
        and (
            text[prev.start : prev.end].endswith(jr.admin_ends)
            or text[c.start : c.end].endswith(jr.unit_ends)
        )
    )


def _bracketed(text: str, c: _Cand, chosen: list[_Cand], jr: _JoinRules) -> _Cand:
    """``c`` with the bracket after it when the bracket holds the name's alias (same last
    two characters: …博物馆（…博物馆）) or one place that is all it holds (…基地（涞源）)."""
    close = text.find("）", c.end + 1, c.end + 2 + jr.max_bracket)
    if close < 0:
        return c
    inner = text[c.end + 1 : close]
    name = text[c.start : c.end]
    alias = len(inner) >= 4 and len(name) >= 4 and inner[-2:] == name[-2:]
    sited = any(
        x.start == c.end + 1 and x.end == close and x.type == "place"
        for x in chosen
        if c.end < x.start <= close
    )
    if not (alias or sited):
        return c
    return _Cand(c.start, close + 1, c.type, text[c.start : close + 1], c.rule)
