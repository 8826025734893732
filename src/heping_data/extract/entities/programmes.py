"""Programme names completed by their document or scene tail, or cut before a tail that
only describes them."""

from __future__ import annotations

import re
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class ProgrammeFile(RuleModel):
    """``programmes.yaml``: tails that extend a programme's name, and one that does not."""

    document_tail: str
    scene_tail: str
    strategy_description: str


@cache
def _programme_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = load_rules(ProgrammeFile, "entities", "programmes.yaml")
    tail = re.compile(f"{raw.document_tail}|{raw.scene_tail}")
    return tail, re.compile(raw.strategy_description)


def _programme_tails(text: str, cands: list[_Cand]) -> list[_Cand]:
    """The candidates of programmes with their document or scene tail (乙城五年建设规划,
    甲强市场景), and without a descriptive 战略 (甲协同发展重大国家战略 → 甲协同发展).

    Why a rule of its own: the tail's head word (规划, 场景) has no stem a suffix walk
    could find apart from the programme's own name, and a suffix walk that reads
    重大国家战略 as a name's head joins a description to the name before it.
    """
    tail, described = _programme_res()
    # where a tail could open and where a description ends: most reports hold few of
    # either, and only the candidates that end there are looked at
    tails: dict[int, int] = {}
    inside: set[int] = set()  # a programme may end inside a tail's optional opening words
    for m in tail.finditer(text):
        tails[m.start()] = m.end()
        inside.update(range(m.start() + 1, m.end()))
    ends = {m.end(): m.start() for m in described.finditer(text)}
    if not tails and not ends:
        return cands
    keys = tails.keys() | inside | ends.keys()
    hits = [c for c in cands if c.end in keys and c.type == "program"]
    drop: set[_Cand] = set()
    add: dict[tuple[int, int], _Cand] = {}
    for c in hits:
        d = ends.get(c.end, -1)
        if d >= c.start and c.rule == "suffix":
            drop.add(c)
            if d - c.start >= _MIN_NAME:  # the name before the description stands alone
                add[c.start, d] = c._replace(end=d, canonical=text[c.start : d])
            continue
        t = tails.get(c.end)
        if t is None and c.end in inside:
            m = tail.match(text, c.end)
            t = m.end() if m else None
        if t is not None:
            add.setdefault((c.start, t), _Cand(c.start, t, "program", text[c.start : t], c.rule))
    if drop:
        cands = [c for c in cands if c not in drop]
    return cands + list(add.values())


_MIN_NAME = 4  # 协同发展重大国家战略 names a strategy; 重大国家战略 alone names none
