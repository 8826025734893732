"""、-enumerations that pass a type from typed items or a trailing cue to untyped ones."""

from __future__ import annotations

import re
from bisect import bisect_left

from heping_data.extract.entities.base import _BODIES, _Cand, _is_generic
from heping_data.extract.entities.rules import _Rules
from heping_data.extract.entities.words import _left_edge

# Words that join two items; inside an item that more items follow, they join its words.
_JOINS = ("以及", "和", "及", "与")  # longest first: 以及 before 及
_JOIN_LAST = frozenset(j[-1] for j in _JOINS)

# Punctuation that ends a stretch of text an enumeration can live in (、 does not).
_ENUM_SEP = re.compile(r"[\s，。；：！？,.;:!?（）()《》<>“”‘’\"'／/]")


def _enumerations(text: str, r: _Rules, cands: list[_Cand]) -> list[_Cand]:
    """Items joined by 、 share a type: from a cue after 等 or from items already typed."""
    by_span = {(c.start, c.end): c for c in cands}
    starts = sorted((c.start, c.end) for c in cands)
    # where candidates end -> the latest start among them (starts is in start order)
    by_end = {e: s for s, e in starts}
    out: list[_Cand] = []
    for seg_lo, seg_hi in _stretches(text, r):
        seg = text[seg_lo:seg_hi]
        if "、" not in seg:
            out.extend(_single_cued(text, seg_lo, seg_hi, r, by_end))
            continue
        lo_i = bisect_left(starts, (seg_lo, -1))
        hi_i = bisect_left(starts, (seg_hi, -1))
        if (
            hi_i - lo_i < 2
            and not r.enum_cue_re.search(text, seg_lo, seg_hi)
            and not r.bare_cue_re.search(text, seg_lo, seg_hi)
        ):
            continue  # nothing typed to pass on and no cue
        items, cue_type = _items(text, seg_lo, seg_hi, r, by_end)
        if len(items) < 2:
            continue
        etype = _list_type(text, items, cue_type, by_span, r)
        if etype is not None:
            out += _typed_items(text, items, etype, cue_type, by_span, by_end, starts, r)
    return out


def _stretches(text: str, r: _Rules) -> list[tuple[int, int]]:
    """The stretches between punctuation that hold a 、 or a 等企业-style cue: only these
    are visited. The punctuation around each hit is searched forward, and backward in the
    reversed text; the next hit is looked for after the stretch (``str.find`` skips over
    the 、 inside it)."""
    n = len(text)
    rev = text[::-1]
    cues = [m.start() for m in r.enum_cue_re.finditer(text)]
    segs = []
    ci = seg_hi = 0
    while True:
        p = text.find("、", seg_hi)
        while ci < len(cues) and cues[ci] < seg_hi:
            ci += 1  # in the stretch of an earlier hit
        if ci < len(cues) and (p < 0 or cues[ci] < p):
            p = cues[ci]
        if p < 0:
            break
        bm = _ENUM_SEP.search(rev, n - p)
        fm = _ENUM_SEP.search(text, p)
        hi = fm.start() if fm else n
        segs.append((n - bm.start() if bm else 0, hi))
        seg_hi = max(hi, p + 1)
    return sorted(set(segs))


def _items(
    text: str, seg_lo: int, seg_hi: int, r: _Rules, by_end: dict[int, int] | None = None
) -> tuple[list[tuple[int, int]], str | None]:
    """The items of the 、-list in ``text[seg_lo:seg_hi]`` and the type a cue after the
    last one gives (None: no cue). ``by_end``: where known names end (a joiner right after
    one joins items, not the words of one item)."""
    en = r.enum
    spans = []
    p = seg_lo
    for part in text[seg_lo:seg_hi].split("、"):
        spans.append((p, p + len(part)))
        p += len(part) + 1
    items: list[tuple[int, int]] = []
    cue_type = None
    last = len(spans) - 1
    # only a list a cue word closes (等未来产业) keeps a 和 inside a middle item
    cued = r.enum_cue_re.search(text, spans[-1][0], spans[-1][1]) is not None
    for i, (ps, pe) in enumerate(spans):
        cut, bare = -1, None
        if i > 0:
            cut, bare = _item_cut(text, ps, pe, spans if i == last else None, r, cued)
        end = ps + cut if cut > 0 else pe
        if i == last and cut < 0 and pe != seg_hi:
            break
        if i > 0 and text.find("的", ps, end) >= 0:
            # 各具特色、优势互补、结构合理的战略性新兴产业: the items are qualities of the
            # noun after 的, and none is a name
            return [], None
        b = _left_edge(text, ps, end, r, verbs=False)[0]
        if i > 0 and (
            (b == end and (cut > 0 or i < last))
            or (i < last and _inner_joiner(text, ps, b, by_end))
        ):
            # an item between two 、 or before 等 that ends in a stop word is whole
            # (金融服务、…, 金融服务等); a joiner inside an item between two 、 joins its
            # words (拓展现实和超高清显示)
            b = ps
        if i > 0 and by_end and ps <= by_end.get(end, -1) < b:
            b = by_end[end]  # the walk stopped inside a known name (信通|院): the name is whole
        if i == last and cut < 0 and b > ps:
            break  # 中央、省委、市委系列工作部署: the list ended before the words walked
        if bare and (end - b < en.min_item_len or _is_generic(text[b:end], r)):
            break  # 新颜值、新消费、新产业: the cue word heads the last item, not the list
        cue_type = bare or cue_type
        # 加快发展甲、乙: the verb that governs the list is not part of its first item
        if text.startswith(r.item_openers, b, end):
            b += len(next(o for o in r.item_openers if text.startswith(o, b, end)))
        items.append((b, end))
        if cut > 0 and 0 < i < last and (j := _joiner_after_name(text, ps, end, by_end)):
            items.append((end + j, pe))  # 中科协以及清华: two items, and the list goes on
            continue
        if cut > 0:
            cm = r.enum_cue_at_re.match(text, end)
            if cm:
                cue_type = en.cue_types[cm.group(1)]
            break
    items = [(a, b - len(_phase(text, a, b, r))) for a, b in items]
    items = [(a, b) for a, b in items if en.min_item_len <= b - a <= en.max_item_len]
    return items, cue_type


def _joiner_after_name(text: str, ps: int, end: int, by_end: dict[int, int] | None) -> int:
    """Length of the joiner at ``end`` when a known name ends there inside the item (0: none)."""
    if not by_end or by_end.get(end, -1) < ps:
        return 0
    return next((len(j) for j in _JOINS if text.startswith(j, end)), 0)


def _inner_joiner(text: str, ps: int, b: int, by_end: dict[int, int] | None) -> bool:
    """True when the item's walk stopped at a joiner that does not follow a known name:
    拓展现实和超高清显示 is one item, 中科协以及清华 two (一塔即西塔: no joiner)."""
    if text[b - 1 : b] not in _JOIN_LAST:
        return False
    for j in _JOINS:
        if b - len(j) > ps and text.endswith(j, ps, b):
            return not by_end or by_end.get(b - len(j), -1) < ps
    return False


def _item_cut(
    text: str,
    ps: int,
    pe: int,
    spans: list[tuple[int, int]] | None,
    r: _Rules,
    cued: bool = False,
) -> tuple[int, str | None]:
    """Where the first word that ends the list (及, 和, 等 …) starts in the item at
    ``ps:pe``, relative to ``ps`` (-1: none), and "industry" when a bare industry cue ends
    the last item (``spans``: every item's span, given for the last item only; ``cued``:
    a cue word closes the list, so a joiner inside a middle item is part of it)."""
    em = r.item_end_re.search(text, ps + 1, pe)
    # a count ends the item only when a cue follows it (滩羊两个百亿级产业集群)
    cc = r.count_cue_re.search(text, ps + 1, pe)
    if cc and (not em or cc.start() < em.start()):
        em = cc
    if spans is None and cued and em and em.group() in _JOINS:
        return -1, None  # 拓展现实和超高清显示、区块链: a 和 inside a middle item is its own
    if em:
        return em.start() - ps, None
    if spans is None:
        return -1, None
    # 甲、乙、丙产业链延链补链: an industry cue right after the last item,
    # unless the earlier items carry it too (主导产业、优势产业)
    bm = r.bare_cue_re.search(text, ps + 1, pe)
    if bm and not any(r.bare_cue_re.search(text, a, b) for a, b in spans[:-1]):
        at = bm.start()
        mod = next((w for w in r.bare_cue_modifiers if text.endswith(w, ps + 1, at)), "")
        return at - len(mod) - ps, "industry"
    return -1, None


def _list_type(
    text: str,
    items: list[tuple[int, int]],
    cue_type: str | None,
    by_span: dict[tuple[int, int], _Cand],
    r: _Rules,
) -> str | None:
    """The type the list passes on: its cue's, else the one most typed items have (when
    more than half are typed)."""
    typed: dict[str, int] = {}
    for a, b in items:
        c = by_span.get((a, b))
        t = c.type if c else _body_type(text, a, r)
        if t:
            typed[t] = typed.get(t, 0) + 1
    etype = cue_type or (max(typed, key=typed.__getitem__) if typed else None)
    if etype is None or (cue_type is None and sum(typed.values()) * 2 <= len(items)):
        return None
    return etype


def _typed_items(
    text: str,
    items: list[tuple[int, int]],
    etype: str,
    cue_type: str | None,
    by_span: dict[tuple[int, int], _Cand],
    by_end: dict[int, int],
    starts: list[tuple[int, int]],
    r: _Rules,
) -> list[_Cand]:
    """The list's items, of ``etype``, that no better reading covers."""
    out = []
    for a, b in items:
        w = text[a:b]
        known = by_span.get((a, b))
        if (known and not (cue_type and known.rule == "feature")) or "*" in w or "的" in w:
            continue  # a cue retypes a weak reading (龙湖、碧桂园等房企: developers)
        if etype == "industry" and (w in r.broad_sectors or w.endswith("型")):
            # 先进制造业、高新技术产业: broad sectors are not named ones; 陆港型、商贸型
            # name a kind of hub, not a sector
            continue
        # an item that ends in a known name keeps that name (更多瞪羚企业 → 瞪羚企业)
        if by_end.get(b, -1) > a:
            continue
        # without a cue, never swallow a known name (太原街五洲商城电竞场馆), except a
        # company whose product the item names (百度云)
        if (
            cue_type is None
            and not (etype in _BODIES and text.startswith(r.company_names, a))
            and any(
                ce <= b
                for _, ce in starts[bisect_left(starts, (a, -1)) : bisect_left(starts, (b, -1))]
            )
        ):
            continue
        out.append(_Cand(a, b, etype, w, "enum"))
    return out


def _body_type(text: str, a: int, r: _Rules) -> str | None:
    """The type of a known body's name opening ``text[a:]``: an enumeration item that starts
    with one (百度云) is that body's product or branch, a company when the body is one."""
    if not text.startswith(r.org_names, a):
        return None
    return "company" if text.startswith(r.company_names, a) else "organization"


def _phase(text: str, a: int, b: int, r: _Rules) -> str:
    """A trailing phase word (产业园二期): the project's phase, not part of its name."""
    m = r.phase_re.search(text, a, b)
    return m.group() if m else ""


def _single_cued(text: str, lo: int, hi: int, r: _Rules, by_end: dict[int, int]) -> list[_Cand]:
    """One name before 等企业/等公司 or 等…服务业 with no enumeration (长光卫星等企业,
    培育健康养老等生活性服务业)."""
    out = []
    for m in r.enum_cue_re.finditer(text, lo, hi):
        etype = r.enum.cue_types[m.group(1)]
        if (etype not in _BODIES and etype != "industry") or m.start() in by_end:
            continue
        b, _ = _left_edge(text, lo, m.start(), r, verbs=False)
        if text.startswith(r.item_openers, b, m.start()):
            b += len(next(o for o in r.item_openers if text.startswith(o, b, m.start())))
        w = text[b : m.start()]
        if 2 <= len(w) <= 8 and "*" not in w and not _is_generic(w, r):
            out.append(_Cand(b, m.start(), etype, w, "enum"))
    return out
