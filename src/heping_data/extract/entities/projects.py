"""Named projects (…项目, …工程) and the body that opens each."""

from __future__ import annotations

import re
from bisect import bisect_left

from heping_data.extract.entities.base import _BODIES, _HARD_RE, _Cand
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _limit_left

_YEAR_LEAD = re.compile(r"(?:19|20)[0-9]{2}年")


def _projects(
    text: str, r: _Rules, cands: list[_Cand]
) -> tuple[list[_Cand], list[tuple[tuple[int, int], _Cand]]]:
    """Named projects (保定东站综合交通枢纽项目, 华峰新材料年产20万吨聚氨酯项目): a name
    ending in 项目 or 工程 that a known place, company or body opens (and goes on past it),
    or that states a capacity. Class nouns (重点项目, 7个…项目, A、B等项目, 河北省重点项目,
    北京项目) are no names. Also returns the company or body opening each project, kept as
    a mention of its own inside the project (an analyst asks which companies build)."""
    pr = r.projects
    if pr is None or not pr.head_re.search(text):
        return [], []
    anchors: dict[int, _Cand] = {}
    people = sorted(c.start for c in cands if c.type == "person")
    for c in cands:
        prev = anchors.get(c.start)
        if c.type in pr.anchor_types and (prev is None or c.end > prev.end):
            anchors[c.start] = c
    rev = text[::-1]
    out = []
    inner = []
    for m in pr.head_re.finditer(text):
        s, e = m.span()
        b = _limit_left(rev, _HARD_RE, s, pr.max_stem + 8)
        for cm in pr.class_cut.finditer(text, b, s):
            b = cm.end()
        b = _strip_openers(text, b, s, pr.openers)
        if not pr.min_stem <= s - b <= pr.max_stem:
            continue
        if bisect_left(people, b) < bisect_left(people, s):
            continue  # …学生才让多杰夺得焊接项目: a person's deed, no project
        anchor = anchors.get(b)
        ae = anchor.end if anchor else -1
        if 0 <= ae < s:
            if pr.class_re.fullmatch(text, ae, s):
                continue  # 河北省重点项目: the place's projects, not one of them
        elif not pr.capacity.search(text, b, s):
            continue  # 北京项目: a place alone before the head names a class
        out.append(_Cand(b, e, "project", text[b:e], "project"))
        if anchor is not None and anchor.type in _BODIES and ae < s:
            inner.append(((b, e), anchor))
    return out, inner


def _strip_openers(text: str, b: int, s: int, openers: tuple[str, ...]) -> int:
    """Skip the verbs, adverbs and years that open a clause before the name it governs."""
    moved = True
    while moved and b < s:
        moved = False
        y = _YEAR_LEAD.match(text, b, s)
        if y:
            b, moved = y.end(), True
        for w in openers:
            if text.startswith(w, b, s):
                b, moved = b + len(w), True
                break
    return b
