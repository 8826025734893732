"""Named works listed as projects: items of a list that the words after it call projects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _Cand
from heping_data.text.ruledata import RuleModel, load_rules


class ProjectListFile(RuleModel):
    """``project_lists.yaml``: the list joiners, tails and openers that make items projects."""

    separators: str
    tails: str
    openers: str
    framed_tail: str
    retype: tuple[str, ...]
    keep_rules: tuple[str, ...]


@dataclass(frozen=True)
class _ListRules:
    separators: str
    tail_re: re.Pattern[str]
    opener_re: re.Pattern[str]
    framed_re: re.Pattern[str]
    retype: frozenset[str]
    keep_rules: frozenset[str]


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
