"""Named transport lines (津石高速, 京雄保城际保定段, 容易线) and the lists that share a head."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _HARD, _Cand, _is_generic
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _jieba
from heping_data.text.ruledata import RuleModel, load_rules


class LineFile(RuleModel):
    """``lines.yaml``: line heads, stem bounds, sections, coded lists and build words."""

    heads: str
    min_stem: int
    max_stem: int
    section: str
    coded_list: str
    road_words: tuple[str, ...]
    build_words: tuple[str, ...]
    openers: tuple[str, ...]
    build_lead: str


@dataclass(frozen=True)
class _LineRules:
    head_re: re.Pattern[str]
    min_stem: int
    max_stem: int
    section_re: re.Pattern[str]
    coded_re: re.Pattern[str]
    road_re: re.Pattern[str]
    build_re: re.Pattern[str]
    ends: tuple[str, ...]
    openers: frozenset[str]
    lead_re: re.Pattern[str]


_CLAUSE_END = re.compile(r"[，。；：！？\n]")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_LINE_RULES = frozenset(("line", "route"))
_JOINERS = frozenset("等和与及")
_CODED_ITEM = re.compile(r"[\u4e00-\u9fff]{2}线")
# jieba tags of a stem that is a word of its own and no name (保持高速增长: a verb)
_NOT_NAME_TAGS = frozenset(("v", "vn", "vd", "d", "a", "ad", "an", "m", "q", "r", "p", "c"))


@cache
def _line_rules() -> _LineRules:
    raw = load_rules(LineFile, "entities", "lines.yaml")
    # what a route's name holds when it is a line (a river's section, 湘江青禾段, is none)
    ends = ("高速", "高铁", "城际", "铁路", "公路", "轨道", "线")
    return _LineRules(
        re.compile(raw.heads),
        raw.min_stem,
        raw.max_stem,
        re.compile(raw.section),
        re.compile(raw.coded_list),
        re.compile("|".join(map(re.escape, raw.road_words))),
        re.compile("|".join(map(re.escape, raw.build_words))),
        ends,
        frozenset(raw.openers),
        re.compile(raw.build_lead),
    )


def _lines(text: str, r: _Rules) -> list[_Cand]:
    """Lines named by a short stem before a line head, with their section; the items of a
    、-list before such a line that share its head; lists of coded lines (容易线、安大线).

    Why: real reports name railways and motorways by the places' first characters
    (京雄商高铁), which no dictionary holds; the clause boundary or the verb before the
    stem, not the words in it, tells where the name starts.
    """
    lr = _line_rules()
    out: list[_Cand] = []
    for m in lr.head_re.finditer(text):
        s, e = m.span()
        b = _stem_start(text, s, r, lr)
        if b < 0:
            continue
        if b > 3 and text[b - 1] == "至":  # 石家庄至承德高铁: both places
            a = _stem_start(text, b - 1, r, lr)
            b = a if a >= 0 else b
        sec = lr.section_re.match(text, e)
        if sec:
            e = sec.end()
        out.append(_Cand(b, e, "place", text[b:e], "line"))
        out += _shared_items(text, b, r, lr)
    if "线" in text:
        out += _coded_lines(text, r, lr)
    return out


def _coded_lines(text: str, r: _Rules, lr: _LineRules) -> list[_Cand]:
    """Lists of lines coded by two places and 线 (容易线、安大线和京白线) in a clause about
    roads, opened by a boundary or a stop word."""
    words = _jieba()[2]
    out = []
    for m in _anchored(lr.coded_re, text, "线", 2):
        b = m.start()
        opened = b == 0 or text[b - 1] in _HARD or text[b - 1] in r.stop_chars
        if not (opened or text[b - 2 : b] in r.stop_words or text[b - 2 : b] in lr.openers):
            continue  # 津保南线、保沧线: the match starts inside a longer name
        ce = _CLAUSE_END.search(text, m.end())
        if not lr.road_re.search(text, _clause_start(text, b), ce.start() if ce else len(text)):
            continue
        for im in _CODED_ITEM.finditer(text, b, m.end()):
            if im.group() not in words:
                out.append(_Cand(im.start(), im.end(), "place", im.group(), "line"))
    return out


def _anchored(pat: re.Pattern[str], text: str, anchor: str, back: int) -> list[re.Match[str]]:
    """Matches of ``pat`` that hold ``anchor`` ``back`` characters after their start,
    tried only there (re would try a pattern opening with a class at every position)."""
    out = []
    p = text.find(anchor, back)
    while p >= 0:
        m = pat.match(text, p - back)
        if m:
            out.append(m)
            p = text.find(anchor, m.end())
        else:
            p = text.find(anchor, p + 1)
    return out


def _stem_start(text: str, s: int, r: _Rules, lr: _LineRules) -> int:
    """Where the stem before the head at ``s`` starts (-1: no stem names a line): the
    longest stem of Han characters that a boundary, a 、 or a stop word opens."""
    tags = _jieba()[1]
    for k in range(lr.max_stem, lr.min_stem - 1, -1):
        b = s - k
        if b < 0:
            continue
        stem = text[b:s]
        if not _HAN.fullmatch(stem) or "至" in stem or stem[0] in r.stop_chars:
            continue
        if stem[:2] in r.stop_words or stem[:2] in lr.openers:
            continue
        if _is_generic(stem, r) or tags.get(stem, "n") in _NOT_NAME_TAGS:
            continue
        if k > 2 and tags.get(stem[:2], "n") in _NOT_NAME_TAGS:
            continue  # 谋划市郊铁路: a verb opens the clause, not the name
        if b == 0 or text[b - 1] in _HARD or text[b - 1] in r.stop_chars or text[b - 1] == "至":
            return b
        if text[b - 2 : b] in r.stop_words or text[b - 2 : b] in lr.openers:
            return b
    return -1


def _shared_items(text: str, b: int, r: _Rules, lr: _LineRules) -> list[_Cand]:
    """The items of the 、-list that ends with the line starting at ``b`` (荣乌、太行山、
    曲港、津石高速): each names a line of the same head."""
    out = []
    while b > 0 and text[b - 1] == "、":
        e = b - 1
        a = _stem_start(text, e, r, lr)
        if a < 0:
            break
        out.append(_Cand(a, e, "place", text[a:e], "line"))
        b = a
    return out


def _built_lines(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A line whose clause builds, opens or upgrades it is a project; others stay places."""
    lr = _line_rules()
    out = chosen
    # one comprehension finds the few lines among hundreds of mentions
    for k in [k for k, c in enumerate(chosen) if c.rule in _LINE_RULES]:
        c = chosen[k]
        if c.type != "place":
            continue
        if c.rule == "route" and (
            c.canonical.endswith("站") or not any(w in c.canonical for w in lr.ends)
        ):
            continue  # a river's section or a station: a place
        at = c.end  # past an adverb or a phase (全线贯通, 正式开工, 一期)
        if (lead := lr.lead_re.match(text, at)) is not None:
            at = lead.end()
        nxt = text[at : at + 1]
        if nxt and nxt not in _JOINERS and _HAN.match(nxt) and not lr.build_re.match(text, at):
            continue  # 保沧高速高阳出入口: a facility on the line, the line its place
        cs = _clause_start(text, c.start)
        ce = _CLAUSE_END.search(text, c.end)
        if lr.build_re.search(text, cs, ce.start() if ce else len(text)):
            if out is chosen:
                out = list(chosen)
            out[k] = c._replace(type="project")
    return out


def _clause_start(text: str, p: int) -> int:
    lo = max(0, p - 60)
    last = lo
    for m in _CLAUSE_END.finditer(text, lo, p):
        last = m.end()
    return last
