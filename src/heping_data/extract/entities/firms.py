"""Companies named as the items of a list that its frame calls enterprises or partners."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from heping_data.extract.entities.base import _Cand, _put_over
from heping_data.extract.entities.words import _jieba
from heping_data.text.ruledata import RuleModel, load_rules


class FirmFile(RuleModel):
    """``firms.yaml``: the frames, item bounds and the readings an item keeps."""

    leaned: str
    partners: str
    min_partners: int
    min_item: int
    max_item: int
    body_endings: tuple[str, ...]
    keep_types: tuple[str, ...]


@dataclass(frozen=True)
class _FirmRules:
    frames: tuple[tuple[re.Pattern[str], int], ...]  # pattern, fewest items
    min_item: int
    max_item: int
    body_endings: tuple[str, ...]
    keep_types: frozenset[str]


# Readings a frame overrides: an enumeration's cue or a weak feature reading
_WEAK = frozenset(("enum", "feature", "stem"))
_ITEM_SEP = re.compile(r"[、和及]")
_COUNTED = re.compile(r"[0-9一二三四五六七八九十百]+[余多]?[家个所]")
_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


@cache
def _firm_rules() -> _FirmRules:
    raw = load_rules(FirmFile, "entities", "firms.yaml")
    return _FirmRules(
        ((re.compile(raw.leaned), 1), (re.compile(raw.partners), raw.min_partners)),
        raw.min_item,
        raw.max_item,
        raw.body_endings,
        frozenset(raw.keep_types),
    )


def _framed_firms(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Items of a list framed as firms (依托甲、乙等龙头企业; 与甲、乙等战略合作) become
    companies, replacing the places or fragments found inside them.

    Why: real reports name firms by brand alone (天威保变, 国信优易), which no suffix marks;
    the frame around the list is the evidence. Only the text at a frame's match is read.
    """
    if "企业" not in text and "合作" not in text:
        return chosen
    fr = _firm_rules()
    items: list[tuple[int, int]] = []
    for (pat, fewest), anchor, key, near in zip(
        fr.frames, ("企业", "合作"), "等与", (_KEY_NEAR, _REACH), strict=True
    ):
        # a frame ends at its anchor word: tried only in the clause before each one, and
        # only where its key character is near enough (等 a few characters before 企业)
        p = text.find(anchor)
        while p >= 0:
            end = p + len(anchor)
            lo = text.find(key, max(0, p - near), p)
            for m in pat.finditer(text, _clause_start(text, p), end) if lo >= 0 else ():
                got = _items(text, m.start(1), m.end(1), fr)
                if len(got) >= fewest:
                    items += got
            p = text.find(anchor, end)
    if not items:
        return chosen
    starts = [c.start for c in chosen]
    add = []
    for a, b in items:
        inside = [c for c in chosen[bisect_left(starts, a) : bisect_left(starts, b)] if c.end <= b]
        known = next((c for c in inside if c.start == a and c.end == b), None)
        if known is not None and (
            known.type == "company" or (known.type in fr.keep_types and known.rule not in _WEAK)
        ):
            continue  # a known firm keeps its full name; a known place or body stays one
        if any(c.type in fr.keep_types and c.rule != "gazetteer" for c in inside):
            continue  # a body or place found whole by its own head (…医院)
        if known is None and text[a:b].endswith(fr.body_endings):
            continue
        add.append(_Cand(a, b, "company", text[a:b], "enum"))
    if not add:
        return chosen
    return _put_over(chosen, add)


_CLAUSE_ENDS = "，。；：！？\n"
_REACH = 90  # longer than any frame
_KEY_NEAR = 20  # 等, a count and a modifier before 企业: never further back


def _clause_start(text: str, p: int) -> int:
    """The start of the clause holding ``p``, at most ``_REACH`` characters back."""
    lo = max(0, p - _REACH)
    return max(lo, *(text.rfind(ch, lo, p) + 1 for ch in _CLAUSE_ENDS))


_VERB_TAGS = frozenset(("v", "vn"))


def _activity(item: str) -> bool:
    """True when ``item`` is all dictionary words and ends with a verb (数据采集分析,
    管理应用): an activity a chain of firms does, not a firm's name."""
    _, tags, words, _ = _jieba()
    end = len(item)
    last = ""
    while end > 0:
        w = next((item[end - k : end] for k in (4, 3, 2) if item[end - k : end] in words), "")
        if not w:
            return False
        last = last or w
        end -= len(w)
    return tags.get(last) in _VERB_TAGS


def _items(text: str, lo: int, hi: int, fr: _FirmRules) -> list[tuple[int, int]]:
    """The list's items between ``lo`` and ``hi``: every one a plain name of the allowed
    length, or none (a clause, not a list)."""
    out = []
    p = lo
    for part in _ITEM_SEP.split(text[lo:hi]):
        a, b = p, p + len(part)
        p = b + 1
        if not (fr.min_item <= len(part) <= fr.max_item and _NAME.fullmatch(part)):
            return []
        if _COUNTED.search(part) or _activity(part):
            return []  # 与京津80余家院校和机构合作: counted classes, no named firms
        out.append((a, b))
    return out
