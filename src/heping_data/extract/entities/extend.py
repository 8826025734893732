"""Names a known place opens: the place, the words after it and a head word are one name
(保定|国家检验检测认证园区, 中国|古动物馆, 涞源|10万片…衬底项目; ENTITY_GUIDE rule 2).

Why a pass of its own: the head-word rule walks left over dictionary words and stops at a
verb or a place (认证, 保定), so a name made of a place and a descriptive middle was found
as the bare place. Here the walk goes right from the place instead, to the nearest head,
and stops at what no name holds: punctuation, function words, clause verbs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import field_validator

from heping_data.extract.entities.base import _HARD, _Cand, _check_types
from heping_data.extract.entities.words import _jieba
from heping_data.text.chars import alternation
from heping_data.text.ruledata import RuleModel, load_rules


class ExtensionFile(RuleModel):
    """``extensions.yaml``: head words by type, the stops a middle never holds."""

    heads: dict[str, tuple[str, ...]]
    max_middle: int
    stops: tuple[str, ...]
    part_heads: tuple[str, ...]
    not_before: tuple[str, ...]
    no_open: str
    counted: tuple[str, ...]
    event_scopes: tuple[str, ...]
    body_ends: tuple[str, ...]
    phase: str
    road_ends: tuple[str, ...]
    industry_tails: tuple[str, ...]
    industry_tail_not_after: tuple[str, ...]

    @field_validator("heads")
    @classmethod
    def _known_types(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        _check_types("extensions.yaml", v)
        return v


@dataclass(frozen=True)
class _ExtRules:
    head_type: dict[str, str]
    head_re: re.Pattern[str]
    part_re: re.Pattern[str]
    part_heads: tuple[str, ...]
    stop_re: re.Pattern[str]
    max_middle: int
    not_before: tuple[str, ...]
    no_open: frozenset[str]
    counted: frozenset[str]  # heads whose middle may hold a number (第十次…党代会)
    scope_re: re.Pattern[str]  # a scope word ending right before an event
    body_ends: tuple[str, ...]
    phase_re: re.Pattern[str]
    road_ends: tuple[str, ...]
    industry_tails: tuple[str, ...]
    industry_tail_not_after: tuple[str, ...]


@cache
def _ext_rules() -> _ExtRules:
    raw = load_rules(ExtensionFile, "entities", "extensions.yaml")
    head_type = {h: t for t, hs in raw.heads.items() for h in hs}
    for h in raw.part_heads:
        head_type.setdefault(h, "organization")
    return _ExtRules(
        head_type=head_type,
        head_re=re.compile(alternation(list(head_type))),
        part_re=re.compile(alternation(raw.part_heads)),
        part_heads=raw.part_heads,
        stop_re=re.compile(alternation(raw.stops)),
        max_middle=raw.max_middle,
        not_before=raw.not_before,
        no_open=frozenset(raw.no_open),
        counted=frozenset(h for t in raw.counted for h in raw.heads.get(t, ())),
        scope_re=re.compile(f"(?:{alternation(raw.event_scopes)})$"),
        body_ends=raw.body_ends,
        phase_re=re.compile(raw.phase),
        road_ends=raw.road_ends,
        industry_tails=raw.industry_tails,
        industry_tail_not_after=raw.industry_tail_not_after,
    )


# Rules that find a place by a list or a name of its own (a head-word place already ends
# in its head: 雄安郊野公园 is the whole name).
_OPENERS = frozenset(("gazetteer", "division", "district", "abbrev", "feature"))
_NUMERALS = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两")


def _extended(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """``chosen`` with each place (or body, before a part of itself) that opens a longer
    name replaced by that name; the mentions inside the name go."""
    xr = _ext_rules()
    # a place found by a list or its own name opens a longer name; a firm with its site
    # in brackets a site; a body or firm a part of itself (rare: looked for only where the
    # text has such a part)
    parts = any(h in text for h in xr.part_heads)
    hot = [
        i
        for i, c in enumerate(chosen)
        if (c.type == "place" and c.rule in _OPENERS)
        or (parts and c.type in _BODY_TYPES)
        or (c.type == "company" and text.startswith("（", c.end))
    ]
    out: list[_Cand] = []
    last, n = 0, len(chosen)
    for i in hot:
        if i < last:
            continue  # inside a name made just before
        c = chosen[i]
        end, etype = _name_end(text, c, xr)
        j = i + 1
        while j < n and chosen[j].end <= end:
            j += 1
        if end <= c.end or (j < n and chosen[j].start < end):
            continue  # no name, or a mention runs out of it
        out.extend(chosen[last:i])
        out.append(_Cand(c.start, end, etype, text[c.start : end], "suffix"))
        last = j
    if not out:
        return chosen
    out.extend(chosen[last:])
    return out


_BODY_TYPES = frozenset(("organization", "company"))


def _name_end(text: str, c: _Cand, xr: _ExtRules) -> tuple[int, str]:
    """Where the name ``c`` opens ends, and its type (``c.end`` when it opens none)."""
    end = c.end
    # 京东（保定）|数字经济产业园: the site in brackets (rare: tested by one look first)
    at = _after_site(text, end) if text.startswith("（", end) else end
    if (c.type == "place" and c.rule in _OPENERS) or (c.type == "company" and at > end):
        head_re = xr.head_re
    elif c.type in _BODY_TYPES:
        head_re = xr.part_re
    else:
        return end, c.type
    # the head is looked for first: most places open no name, and the search is one call
    m = head_re.search(text, at, at + xr.max_middle + 3)
    if m is None or at >= len(text) or text[at] in xr.no_open:
        return end, c.type
    s, e = m.span()
    middle = text[at:s]
    head = m.group()
    if (
        len(middle) > xr.max_middle
        or any(ch in _HARD for ch in middle)
        or xr.stop_re.search(middle)
        or text.startswith(xr.not_before, e)
        or (head not in xr.counted and any(ch in _NUMERALS for ch in middle))
        or _crosses(text, s, e)
    ):
        return end, c.type
    return e, xr.head_type[head]


def _after_site(text: str, end: int) -> int:
    """Past a short bracket of Chinese characters right after a name (its site: 京东（保定）),
    else ``end``."""
    if not text.startswith("（", end):
        return end
    close = text.find("）", end + 1, end + 8)
    if close < 0 or not all("\u4e00" <= ch <= "\u9fff" for ch in text[end + 1 : close]):
        return end
    return close + 1


def _crosses(text: str, s: int, e: int) -> bool:
    """True when a dictionary word runs across the head's edge (发|展; 港口, 大学生 opened
    by the head): the head is part of a longer word, not the end of a name. A word that
    opens inside the head (大|学部) is no evidence: names run into such words."""
    words = _jieba()[2]
    return (
        (s > 0 and text[s - 1 : e] in words) or text[s : e + 1] in words or text[s : e + 2] in words
    )


def _scoped_events(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Each event with the jurisdiction that holds it in front (全省|运动会) or the party
    committee whose meeting it is (县委|经济工作会议): one event mention."""
    events = [i for i, c in enumerate(chosen) if c.type == "event"]
    if not events:
        return chosen
    xr = _ext_rules()
    words = _jieba()[2]
    out = list(chosen)
    merged: set[int] = set()  # the bodies merged into their meeting
    for i in events:
        c = chosen[i]
        prev = out[i - 1] if i > 0 else None
        if (
            prev is not None
            and prev.end == c.start
            and prev.type == "organization"
            and text[prev.start : prev.end].endswith(xr.body_ends)
        ):
            merged.add(i - 1)
            out[i] = _Cand(prev.start, c.end, "event", text[prev.start : c.end], c.rule)
            continue
        m = xr.scope_re.search(text, max(0, c.start - 2), c.start)
        if (
            m is not None
            and (prev is None or prev.end <= m.start())
            and text[m.start() - 1 : m.end()] not in words  # 城|市, 地|区: part of a word
        ):
            out[i] = _Cand(m.start(), c.end, "event", text[m.start() : c.end], c.rule)
    if merged:
        return [c for k, c in enumerate(out) if k not in merged]
    return out


def _phased(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Each work, road or line with the phase or stretch that continues its name
    (京雄高速|二期, 复兴路|西延, 荣乌|二期保定段): one project mention."""
    xr = _ext_rules()
    # a phase's second character (期, 延) is found by str.find, not the pattern per position
    cues = set()
    for ch in "期延":
        k = text.find(ch)
        while k >= 0:
            cues.add(k - 1)
            k = text.find(ch, k + 1)
    hits = [i for i, c in enumerate(chosen) if c.end in cues and c.type in _WORK_TYPES]
    if not hits:
        return chosen
    out: list[_Cand] = []
    last, n = 0, len(chosen)
    for i in hits:
        c = chosen[i]
        m = xr.phase_re.match(text, c.end)
        if i < last or m is None:
            continue
        if m.group()[1] == "延" and not text.endswith(xr.road_ends, c.start, c.end):
            continue
        out.extend(chosen[last:i])
        e = m.end()
        j = i + 1
        while j < n and chosen[j].start < e:
            j += 1  # nothing inside the phase is a name of its own
        nxt = chosen[j] if j < n else None
        if nxt and nxt.start == e and nxt.type == "place" and text.startswith("段", nxt.end):
            e = nxt.end + 1  # 二期|保定段: the stretch it covers
            j += 1
        out.append(_Cand(c.start, e, "project", text[c.start : e], c.rule))
        last = j
    if not out:
        return chosen
    out.extend(chosen[last:])
    return out


_WORK_TYPES = frozenset(("project", "place"))


def _clustered(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Each industry with the cluster word right after it (生命健康产业|集群): one name."""
    xr = _ext_rules()
    tails = xr.industry_tails
    if not any(t in text for t in tails):
        return chosen
    out = list(chosen)
    starts = {c.start for c in chosen}
    for i, c in enumerate(chosen):
        if c.type != "industry" or text.endswith(xr.industry_tail_not_after, c.start, c.end):
            continue
        tail = next((t for t in tails if text.startswith(t, c.end)), "")
        if tail and not any(k in starts for k in range(c.end, c.end + len(tail))):
            e = c.end + len(tail)
            out[i] = _Cand(c.start, e, "industry", text[c.start : e], c.rule)
    return out
