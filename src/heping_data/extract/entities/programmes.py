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
    return tail, re.compile(f"(?:{raw.strategy_description})$")


def _programme_tails(text: str, cands: list[_Cand]) -> list[_Cand]:
    """The candidates of programmes with their document or scene tail (乙城五年建设规划,
    甲强市场景), and without a descriptive 战略 (甲协同发展重大国家战略 → 甲协同发展).

    Why a rule of its own: the tail's head word (规划, 场景) has no stem a suffix walk
    could find apart from the programme's own name, and a suffix walk that reads
    重大国家战略 as a name's head joins a description to the name before it.
    """
    tail, described = _programme_res()
    match = tail.match
    drop: set[_Cand] = set()
    add: dict[tuple[int, int], _Cand] = {}
    for c in [c for c in cands if c.type == "program"]:
        if c.rule == "suffix" and text.endswith("战略", 0, c.end):
            m = described.search(text, c.start, c.end)
            if m:
                drop.add(c)
                if m.start() - c.start >= _MIN_NAME:  # the name before it stands alone
                    add[c.start, m.start()] = c._replace(
                        end=m.start(), canonical=text[c.start : m.start()]
                    )
                continue
        m = match(text, c.end)
        if m:
            t = m.end()
            add.setdefault((c.start, t), _Cand(c.start, t, "program", text[c.start : t], c.rule))
    if drop:
        cands = [c for c in cands if c not in drop]
    return cands + list(add.values())


_MIN_NAME = 4  # 协同发展重大国家战略 names a strategy; 重大国家战略 alone names none
