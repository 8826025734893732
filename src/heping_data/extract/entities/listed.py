"""Named works listed as projects: items of a list that the words after it call projects."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _BODIES, _Cand, _put_over
from heping_data.text.chars import alternation
from heping_data.text.ruledata import RuleModel, load_rules


class ProjectListFile(RuleModel):
    """``project_lists.yaml``: the list joiners, tails and openers that make items projects."""

    separators: str
    tails: str
    openers: str
    framed_tail: str
    retype: tuple[str, ...]
    keep_rules: tuple[str, ...]
    built_works_are_projects: bool
    named_tail: str
    item_chars: str
    min_item: int
    max_item: int


@dataclass(frozen=True)
class _ListRules:
    separators: str
    tail_re: re.Pattern[str]
    opener_re: re.Pattern[str]
    framed_re: re.Pattern[str]
    retype: frozenset[str]
    keep_rules: frozenset[str]
    built: bool
    named_re: re.Pattern[str]
    item_re: re.Pattern[str]
    item_len: tuple[int, int]


@cache
def _list_rules() -> _ListRules:
    raw = load_rules(ProjectListFile, "entities", "project_lists.yaml")
    return _ListRules(
        raw.separators,
        re.compile(raw.tails),
        re.compile(raw.openers),
        re.compile(raw.framed_tail),
        frozenset(raw.retype),
        frozenset(raw.keep_rules),
        raw.built_works_are_projects,
        re.compile(raw.named_tail),
        re.compile(raw.item_chars),
        (raw.min_item, raw.max_item),
    )


def _listed_projects(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Retype as projects the mentions of a list (joined by 、和与及) that the words after it
    name as projects (A、B等项目建设, A、B等一批重大项目, 加快A和B项目建设).

    Why: real reports name parks, bases, lines and halls under construction by their own
    head word (…产业园, …基地, …高铁); the list's tail, not the head, says they are
    projects an analyst counts. Only the text at a tail's match is looked at (fast).
    """
    lr = _list_rules()
    tails = [(m.start(), False) for m in lr.tail_re.finditer(text)]
    tails += [(m.start(), True) for m in lr.framed_re.finditer(text)]
    if not tails:
        return chosen
    out = list(chosen)
    last_at = {c.end: k for k, c in enumerate(out)}
    seps = lr.separators
    for pos, framed in tails:
        j = last_at.get(pos)
        if j is None:
            continue
        i = j  # back over the list's items to its first
        while i > 0 and out[i].start - out[i - 1].end == 1 and text[out[i - 1].end] in seps:
            i -= 1
        if framed and not lr.opener_re.search(text, max(0, out[i].start - 4), out[i].start):
            continue
        for k in range(i, j + 1):
            c = out[k]
            if c.type in lr.retype and c.rule not in lr.keep_rules:
                out[k] = c._replace(type="project")
    return out


@cache
def _openers_re(openers: tuple[str, ...]) -> re.Pattern[str]:
    """The clause openers as one alternation, longest first (加快推进 before 加快)."""
    return re.compile(alternation(openers))


_CLAUSE_END = re.compile(r"[，。；：！？\n]")
_REACH = 120  # longer than any list of projects in one clause
_ITEM_SEP = re.compile("[、和与及]")
_PHASE = re.compile("[一二三四五六七八九十]期$")


def built_as_projects() -> bool:
    """Whether works the text builds are projects (``built_works_are_projects``)."""
    return _list_rules().built


def _named_list_items(text: str, chosen: list[_Cand], openers: tuple[str, ...]) -> list[_Cand]:
    """The items of a list before 等…项目 that no rule found become projects of their own
    (确保甲智能装备、乙新能源等140项重点项目), replacing the fragments found inside them.

    Why: a project named by its builder and product (中船重工智能装备) has no head word; the
    list's tail is the only evidence. Every item must be a plain name, else the clause is
    no list of names and nothing is made. ``openers``: the verbs that open the clause.
    """
    if "项目" not in text:
        return chosen
    lr = _list_rules()
    add: list[_Cand] = []
    for m in lr.named_re.finditer(text):
        items = _clause_items(text, m.start(), openers, lr)
        add += [_Cand(a, b, "project", text[a:b], "project") for a, b in items]
    if not add:
        return chosen
    starts = [c.start for c in chosen]
    out = list(chosen)
    named = []
    for c in add:  # an item found whole by another rule: retyped as the list's tail says
        k = bisect_left(starts, c.start)
        old = out[k] if k < len(out) else None
        if old is not None and old.start == c.start and old.end == c.end:
            if lr.built and old.type in lr.retype and old.rule not in lr.keep_rules:
                out[k] = old._replace(type="project")
        else:
            named.append(c)
    if not named:
        return out
    # the firm or body that opens a project stays a mention inside it (金奥公司汽车管件), as
    # the project rule keeps it
    inner = [
        c
        for x in named
        for c in out[bisect_left(starts, x.start) : bisect_left(starts, x.end)]
        if c.start == x.start and c.end < x.end and c.type in _BODIES
    ]
    out = _put_over(out, named)
    for c in inner:
        k = bisect_left([m.start for m in out], c.start)
        out.insert(k + 1, c)
    return out


def _clause_items(
    text: str, end: int, openers: tuple[str, ...], lr: _ListRules
) -> list[tuple[int, int]]:
    """The items of the list that ends at ``end``, back to the clause's start past its
    opening verbs; none when any item is no plain name."""
    lo = max(0, end - _REACH)
    cs = lo
    for cm in _CLAUSE_END.finditer(text, lo, end):
        cs = cm.end()
    opener_re = _openers_re(openers)
    while (om := opener_re.match(text, cs, end)) is not None and om.end() > cs:
        cs = om.end()
    out = []
    p = cs
    lo_len, hi_len = lr.item_len
    for part in _ITEM_SEP.split(text[cs:end]):
        a, b = p, p + len(part)
        p = b + 1
        if not (lo_len <= len(part) <= hi_len and lr.item_re.fullmatch(part)):
            return []
        if part.count("（") != part.count("）"):
            return []  # a separator inside a bracket: no list of plain names
        ph = _PHASE.search(part)  # 产业园二期: the project's phase, not its name
        out.append((a, b - (len(ph.group()) if ph else 0)))
    return out
