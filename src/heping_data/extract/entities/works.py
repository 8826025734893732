"""Sites the text builds (建设深圳园中央公园, 完成人民广场提升改造): projects, not places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class WorkFile(RuleModel):
    """``works.yaml``: the site heads and the verbs of building before and after a site."""

    heads: tuple[str, ...]
    body_heads: tuple[str, ...]
    body_after: str
    before: str
    clause_before: str
    whole_after: str
    after: str
    list_tail: str


@dataclass(frozen=True)
class _WorkRules:
    heads: tuple[str, ...]
    body_heads: tuple[str, ...]
    body_after_re: re.Pattern[str]
    before_re: re.Pattern[str]
    clause_before_re: re.Pattern[str]
    whole_re: re.Pattern[str]
    after_re: re.Pattern[str]
    tail_re: re.Pattern[str]


@cache
def _work_rules() -> _WorkRules:
    raw = load_rules(WorkFile, "entities", "works.yaml")
    return _WorkRules(
        raw.heads,
        raw.body_heads,
        re.compile(raw.body_after),
        re.compile(raw.before),
        re.compile(raw.clause_before),
        re.compile(raw.whole_after),
        re.compile(raw.after),
        re.compile(raw.list_tail),
    )


# Rules that find a site by its head word (a list's cue or a known place's name is other
# evidence, and a gazetteer place is a jurisdiction, never built)
_SITE_RULES = frozenset(("suffix", "enum"))
# A place found by its head, or a hospital or school (an organisation) whose building starts
_BUILT_TYPES = frozenset(("place", "organization"))


def _built_works(
    text: str, chosen: list[_Cand], counties: frozenset[str] = frozenset()
) -> list[_Cand]:
    """A place found by a site head (…公园, …基地) that the words right after it, or after
    the list it belongs to, build or upgrade is a project."""
    wr = _work_rules()
    out = chosen
    n = len(chosen)
    heads = wr.heads + wr.body_heads
    # one comprehension finds the sites among hundreds of mentions
    sites = [
        k
        for k, c in enumerate(chosen)
        if (c.type in _BUILT_TYPES and c.rule in _SITE_RULES and c.canonical.endswith(heads))
        or c.canonical.endswith("）")
    ]
    for k in sites:
        c = chosen[k]
        if c.type not in _BUILT_TYPES or c.rule not in _SITE_RULES:
            continue
        name = text[c.start : c.end].split("（")[0]
        if not name.endswith(wr.body_heads if c.type == "organization" else wr.heads):
            continue
        first, last = k, k  # the list the site is an item of (甲公园、乙公园和丙广场建设)
        while first > 0 and _joined(text, chosen[first - 1], chosen[first]):
            first -= 1
        while last + 1 < n and _joined(text, chosen[last], chosen[last + 1]):
            last += 1
        after_re = wr.body_after_re if c.type == "organization" else wr.after_re
        if _built(text, chosen[first].start, chosen[last].end, wr, after_re):
            if out is chosen:
                out = list(chosen)
            out[k] = c._replace(type="project")
    return _elliptic_works(text, out, wr, counties)


# Rules that find a county or a city (a jurisdiction by name, not by a head word)
_JURISDICTION_RULES = frozenset(("division", "district", "gazetteer"))


def _elliptic_works(
    text: str, chosen: list[_Cand], wr: _WorkRules, counties: frozenset[str]
) -> list[_Cand]:
    """Counties listed before the works they share (甲县、乙县垃圾焚烧发电项目建设; 甲县、
    乙县等通用机场建设) each name a work of their own: projects (ENTITY_GUIDE rule 5).

    Why: the shared head follows the last county only, so the others look like places;
    the list's last item, a project opening with a county, or a works tail says otherwise.
    ``counties``: the names of the divisions found anywhere, inside longer names too.
    """
    places = tuple(counties) or ("\0",)
    out = chosen
    k = 0
    n = len(chosen)
    while k < n:
        c = out[k]
        if c.type != "place" or c.rule not in _JURISDICTION_RULES:
            k += 1
            continue
        last = k  # the run of counties joined by 、
        while last + 1 < n and _county_item(text, out[last], out[last + 1]):
            last += 1
        nxt = out[last + 1] if last + 1 < n else None
        shared = (
            nxt is not None
            and nxt.type == "project"
            and nxt.start == out[last].end + 1
            and text[out[last].end] == "、"
            and text[nxt.start : nxt.end].startswith(places)
        )
        tail = wr.tail_re.match(text, out[last].end)
        if last > k and tail is not None:
            # the works' head stands right before the verb (等通用机场建设), not inside a
            # longer phrase (等6个物流枢纽承载城市建设: cities, places)
            g = tail.group()
            shared = g[:-2].endswith(wr.heads) or g.endswith(wr.heads)
        if shared:
            out = list(out) if out is chosen else out
            for j in range(k, last + 1):
                out[j] = out[j]._replace(type="project")
        k = max(last, k + 1)
    return out


def _county_item(text: str, a: _Cand, b: _Cand) -> bool:
    return (
        b.type == "place"
        and b.rule in _JURISDICTION_RULES
        and b.start == a.end + 1
        and text[a.end] == "、"
    )


def _built(text: str, opens: int, ends: int, wr: _WorkRules, after_re: re.Pattern[str]) -> bool:
    """Whether the words around a list of sites (``opens``..``ends``) build it."""
    if after_re.match(text, ends) or wr.tail_re.match(text, ends):
        return True
    lo = max(0, opens - 6)
    if wr.before_re.search(text, lo, opens):
        return True
    return bool(wr.clause_before_re.search(text, lo, opens) and wr.whole_re.match(text, ends))


def _joined(text: str, a: _Cand, b: _Cand) -> bool:
    """True when ``a`` and ``b`` are neighbouring items of one list (甲、乙; 甲和乙; 甲路北延、
    乙路 and 甲高速二期、乙站: a road's extension or phase is an item named by the road)."""
    gap = b.start - a.end
    if gap == 1:
        return text[a.end] in _LIST_JOINERS
    return gap == 3 and text[a.end + 2] in _LIST_JOINERS and text[a.end : a.end + 2] in _SECTIONS


_LIST_JOINERS = frozenset("、和及与")
# A section or phase after an item, named by the item (甲路北延、乙路; 甲高速二期、乙高速)
_SECTIONS = frozenset([d + "延" for d in "东西南北"] + [n + "期" for n in "一二三四五六七八九十"])
